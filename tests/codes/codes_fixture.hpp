// codes/codes_fixture.hpp
//
// The code set and edit lists the build generated (codeset.bin), loaded once per test binary.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "core/date.hpp"

// Printers for Boost.Test messages (test-only; found by argument-dependent lookup).
namespace claimaudit::core {
inline std::ostream& operator<<(std::ostream& out, Date date) { return out << date.iso(); }
inline std::ostream& operator<<(std::ostream& out, const std::optional<Date>& date) {
  return date ? out << date->iso() : out << "(none)";
}
}  // namespace claimaudit::core

namespace claimaudit::codes {
inline std::ostream& operator<<(std::ostream& out, Status status) {
  return out << to_string(status);
}
inline std::ostream& operator<<(std::ostream& out, NotBillable kind) {
  return out << to_string(kind);
}
inline std::ostream& operator<<(std::ostream& out, Laterality side) {
  return out << to_string(side);
}
inline std::ostream& operator<<(std::ostream& out, AgeEdit edit) {
  return out << static_cast<int>(edit);
}
inline std::ostream& operator<<(std::ostream& out, SexEdit edit) {
  return out << static_cast<int>(edit);
}
}  // namespace claimaudit::codes

namespace claimaudit::testing {

inline const codes::CodeSet& code_set() {
  static const codes::CodeSet kSet = codes::CodeSet::load(CLAIMAUDIT_CODESET_TABLE);
  return kSet;
}

inline const codes::EditLists& edit_lists() {
  static const codes::EditLists kLists = codes::EditLists::load(CLAIMAUDIT_CODESET_TABLE);
  return kLists;
}

constexpr core::Date day(int y, unsigned m, unsigned d) { return core::Date::from_civil(y, m, d); }

using Codes = std::vector<std::string>;

}  // namespace claimaudit::testing
