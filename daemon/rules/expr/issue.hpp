// rules/expr/issue.hpp
//
// Issue: a problem the expression phases found, located by byte offset inside one source text.
// The rule loader turns issues into core::Diagnostic values with file, line and column.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"

namespace claimaudit::rules::expr {

struct Issue {
  core::Severity severity = core::Severity::kError;
  std::string code;  // "E-RULE-SYNTAX".
  std::string message;
  int source = 0;            // Source text id (Node::source).
  std::uint32_t offset = 0;  // Byte offset inside that text.
  std::uint32_t length = 1;  // Characters to underline.
};

using Issues = std::vector<Issue>;

// The closest candidate by edit distance, if close enough to suggest ("cod" -> "code").
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace claimaudit::rules::expr
