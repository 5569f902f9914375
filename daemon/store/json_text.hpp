// store/json_text.hpp
//
// Small JSON text helpers for what the store writes as JSON columns (diagnostics lists) and for
// the reason files next to quarantined files. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

namespace claimaudit::store {

// Appends `text` as a quoted JSON string (escaping quotes, backslashes and control characters;
// bytes >= 0x80 are copied as they are).
void append_json_string(std::string& out, std::string_view text);

// [{"severity":"error","code":"E-X12-SE01","where":"a.837: ST 0001, segment 57 SE","message":".."}]
// `where` is core::render_location of the diagnostic's location. Diagnostics never hold PHI.
std::string diagnostics_json(const std::vector<core::Diagnostic>& diagnostics);

}  // namespace claimaudit::store
