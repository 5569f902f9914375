// core/json_text.hpp
//
// JSON string literals for the places that write JSON text by hand (the store's JSON columns,
// reason files, findings' evidence, rule-load results, claimctl's --json): one escaper, so the
// same text is always written the same way. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace claimaudit::core {

// Appends `text` as a quoted JSON string: quotes and backslashes escaped, \n \r \t by name, the
// other control characters as \u00XX; bytes >= 0x80 are copied as they are (UTF-8 stays UTF-8).
void append_json_string(std::string& out, std::string_view text);

// The same, as a new string.
std::string json_string(std::string_view text);

}  // namespace claimaudit::core
