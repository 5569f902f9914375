// rules/expr/printer.hpp
//
// Prints a tree back as canonical text: single spaces around binary operators, parentheses only
// where precedence needs them, strings in double quotes. The test oracle of the parser (print,
// parse, print gives the same text) and the form `claimctl explain` shows. Pure; thread-safe.
#pragma once

#include <string>

#include "rules/expr/ast.hpp"

namespace claimaudit::rules::expr {

std::string print(const Node& node);

// The operator's spelling: "and", "==", "not in".
std::string to_string(Op op);

}  // namespace claimaudit::rules::expr
