// rules/expr/compile.hpp
//
// The last load-time phase: resolves what can be resolved before any claim is seen. RE2
// patterns are compiled here (a bad pattern fails the load, never an evaluation), and constant
// string lists after `in` become shared lookup tables. Runs once per checked tree.
#pragma once

#include "rules/expr/ast.hpp"
#include "rules/expr/issue.hpp"

namespace claimaudit::rules::expr {

// Compiles `root` in place; problems are appended to `issues`. Returns false on any error.
bool compile(Node& root, Issues& issues);

}  // namespace claimaudit::rules::expr
