// store/migrations.hpp
//
// The numbered SQL migrations of schemas/sql/ (0001_init.sql ...), compiled into the library by
// CMake so the daemon needs no data file to create or upgrade its database. Immutable; any
// thread may read them.
#pragma once

#include <span>
#include <string_view>

namespace claimaudit::store {

struct Migration {
  int version;            // 1 for 0001_init.sql: becomes PRAGMA user_version once applied.
  std::string_view name;  // "0001_init.sql".
  std::string_view sql;   // The whole file.
};

// Every migration, in ascending version order.
std::span<const Migration> migrations();

}  // namespace claimaudit::store
