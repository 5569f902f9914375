// rules/expr/functions.hpp
//
// The language's functions, and what the checker, the compiler and the rule set need to know of
// each, in one table. A new function is one row here, its type rule in check.cpp and its case in
// the evaluator (program.cpp). Plain data; thread-safe.
#pragma once

#include <span>
#include <string_view>

#include "rules/expr/ast.hpp"

namespace claimaudit::rules::expr {

// When a call's value is fixed by the diagnosis code and the code-set epoch, given arguments that
// are (the code guards and their memo rely on it: RuleSet's code_pure()).
enum class CodePurity {
  kNever,
  kArguments,     // A function of its arguments alone: length(), in_list(), is_external_cause().
  kImplicitDate,  // Of its code and the date of service: only with the implicit date (the
                  // edition in force is constant within an epoch).
  kWithoutPredicate,  // count(list); not count(list, x, p).
};

struct FunctionInfo {
  std::string_view name;
  FunctionId id = FunctionId::kNone;
  // Takes a code and an optional date and reads the code history or the edit lists: the
  // evaluator's code-call path answers it (FastPath::kCodeCall).
  bool code_call = false;
  CodePurity purity = CodePurity::kNever;
  // Evaluating it may record a code-history or edit fact for a finding's evidence.
  bool records_facts = false;
};

// Every function of the language, in FunctionId order (kNone excluded).
std::span<const FunctionInfo> functions();
// The row of `id`; an empty row for kNone.
const FunctionInfo& function_info(FunctionId id);

}  // namespace claimaudit::rules::expr
