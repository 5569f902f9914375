#include "rules/expr/compile.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>

namespace claimaudit::rules::expr {

bool compile(Node& root, Issues& issues) {
  bool ok = true;
  for (auto& child : root.children) ok = compile(*child, issues) && ok;
  if (root.kind != NodeKind::kBinary) return ok;
  if (root.op == Op::kMatches) {
    const Node& pattern = *root.children[1];
    RE2::Options options;
    options.set_log_errors(false);
    auto regex = std::make_shared<RE2>(pattern.text, options);
    if (!regex->ok()) {
      issues.push_back(Issue{core::Severity::kError, "E-RULE-REGEX",
                             "bad regular expression: " + regex->error(), pattern.source,
                             pattern.offset, pattern.length});
      return false;
    }
    root.regex = std::move(regex);
    return ok;
  }
  if ((root.op == Op::kIn || root.op == Op::kNotIn) && !root.matcher && !root.strings) {
    const Node& left = *root.children[0];
    const Node& right = *root.children[1];
    if (left.type.kind == TypeKind::kString && right.kind == NodeKind::kList &&
        std::all_of(right.children.begin(), right.children.end(),
                    [](const NodePtr& c) { return c->kind == NodeKind::kString; })) {
      auto strings = std::make_shared<std::vector<std::string>>();
      for (const auto& c : right.children) strings->push_back(c->text);
      root.strings = std::move(strings);
    }
  }
  return ok;
}

}  // namespace claimaudit::rules::expr
