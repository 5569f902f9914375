// formats/detail/procedure_code.hpp
//
// ICD procedure codes as every reader keeps them (model::Procedure::code): upper case, without
// the decimal point ICD-9-CM procedures are printed with ("88.56" -> "8856"). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace claimaudit::formats::detail {

inline std::string procedure_code(std::string_view sent) {
  std::string code;
  code.reserve(sent.size());
  for (const char c : sent) {
    if (c == '.') continue;
    code.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return code;
}

}  // namespace claimaudit::formats::detail
