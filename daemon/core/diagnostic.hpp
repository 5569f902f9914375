// core/diagnostic.hpp
//
// Diagnostic: one located problem in user input (a claim file, a rule file, a socket request).
// Bad input never throws; it becomes a list of these (STYLE.md 4). Plain values; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace claimaudit::core {

enum class Severity { kError, kWarning, kNote };

// "error", "warning", "note".
std::string_view to_string(Severity severity);

struct SourceLocation {
  std::string file;  // As the user named it: "rules/default/stale_codes.yaml".
  int line = 0;      // 1-based; 0 when the format has no lines (X12).
  int column = 0;    // 1-based; 0 when unknown.
  std::string path;  // Structural locator: "/claims/3/diagnoses/0",
                     // "ST 0001, segment 57 HI, HI01-2 (loop 2300)".

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;  // Stable and listed in docs/diagnostics.md: "E-RULE-UNKNOWN-FIELD".
  SourceLocation where;
  std::string message;  // Names fields and positions, never PHI values.

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// Renders the location part: "file:line:col", "file: path", "file:line:col: path" ...
std::string render_location(const SourceLocation& where);

// One line, no source excerpt (claim files: the source line may contain PHI):
// "inbox/a.837: ST 0001, segment 57 HI, HI01-2 (loop 2300): error E-X12-COMPOSITE: message"
std::string render(const Diagnostic& diagnostic);

// Rule files: the line above followed by the source line and a caret under the column:
//    14 |     when: any(claim.dx, d, d.code == "M62.830")
//       |               ^~~~~~~~
// `source` is the whole text of the file; `length` is how many characters to underline.
std::string render_with_source(const Diagnostic& diagnostic, std::string_view source,
                               int length = 1);

bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace claimaudit::core
