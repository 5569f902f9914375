// core/result.hpp
//
// Result<T>: the return type for operations that can fail because the environment failed
// (a read, a rename, SQLite busy). Bad *input* is reported with diagnostics instead.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace claimaudit::core {

template <class T>
using Result = boost::system::result<T>;

using ErrorCode = boost::system::error_code;

}  // namespace claimaudit::core
