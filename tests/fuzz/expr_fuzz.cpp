// Fuzz target for the condition language: parse, print, re-parse (the printed form must parse
// to the same text), then type-check in every scope. Must never crash or hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rules/expr/check.hpp"
#include "rules/expr/parser.hpp"
#include "rules/expr/printer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace expr = claimaudit::rules::expr;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  expr::Issues issues;
  expr::NodePtr node = expr::parse(text, 0, issues);
  if (!node) return 0;
  const std::string printed = expr::print(*node);
  expr::Issues again;
  expr::NodePtr reparsed = expr::parse(printed, 0, again);
  if (!reparsed || expr::print(*reparsed) != printed) std::abort();
  static const expr::Definitions definitions;
  for (const expr::Scope scope :
       {expr::Scope::kClaim, expr::Scope::kDiagnosis, expr::Scope::kLine}) {
    expr::NodePtr copy = expr::clone_syntax(*node);
    expr::Issues checked;
    expr::Checker checker(scope, definitions, checked);
    checker.check(copy);
  }
  return 0;
}
