// store/json_text.hpp
//
// Small JSON text helpers for what the store writes as JSON columns (diagnostics lists) and for
// the reason files next to quarantined files. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/json_text.hpp"

namespace claimaudit::store {

// Appends `text` as a quoted JSON string (core/json_text.hpp).
using core::append_json_string;

// The structural path (JSON pointer, X12 position), else "line L, column C", else "": the same
// "where" as claimctl check --json (formats/json/claim_json.hpp where_text()).
std::string where_text(const core::SourceLocation& where);

// [{"severity":"error","code":"E-X12-SE01","where":"ST 0001, segment 57 SE","message":".."}]
// Diagnostics never hold PHI.
// kPath: "where" is where_text() (claim files: the file is the row's). kFile: "where" is
// core::render_location(), "file:line:col" (rule loads, where the file varies).
enum class Where { kPath, kFile };
std::string diagnostics_json(const std::vector<core::Diagnostic>& diagnostics,
                             Where where = Where::kPath);

}  // namespace claimaudit::store
