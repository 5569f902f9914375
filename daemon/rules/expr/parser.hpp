// rules/expr/parser.hpp
//
// Recursive-descent parser of the condition language (docs/rules-language.md section 4.1):
//
//   expression  = or_expr ;
//   or_expr     = and_expr { "or" and_expr } ;
//   and_expr    = not_expr { "and" not_expr } ;
//   not_expr    = "not" not_expr | comparison ;
//   comparison  = additive [ compare_op additive
//                          | [ "not" ] "in" additive
//                          | "matches" string ] ;
//   compare_op  = "==" | "!=" | "<" | "<=" | ">" | ">=" ;
//   additive    = unary { ( "+" | "-" ) unary } ;
//   unary       = "-" unary | postfix ;
//   postfix     = primary { "." identifier } ;
//   primary     = literal | list_literal | call | identifier | "(" expression ")" ;
//   call        = identifier "(" [ expression { "," expression } ] ")" ;
//   list_literal= "[" [ expression { "," expression } [ "," ] ] "]" ;
//   literal     = string | integer | "true" | "false" ;
//
// Maximum nesting depth kMaxExprDepth (parentheses, calls, lists, unary and binary operators
// nested in one another); texts longer than kMaxExprLength are refused. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "rules/expr/ast.hpp"
#include "rules/expr/issue.hpp"

namespace claimaudit::rules::expr {

inline constexpr int kMaxExprDepth = 64;
inline constexpr std::size_t kMaxExprLength = std::size_t{16} * 1024;

// Parses `text` (source id `source`). Returns the tree, or nullptr with at least one error
// appended to `issues` (only the first syntax error is reported: the rest would be noise).
NodePtr parse(std::string_view text, int source, Issues& issues);

}  // namespace claimaudit::rules::expr
