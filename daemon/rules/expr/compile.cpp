#include "rules/expr/compile.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "rules/expr/functions.hpp"
#include "rules/expr/literal_regex.hpp"
#include "rules/expr/value.hpp"

namespace claimaudit::rules::expr {

namespace {

bool is_slot(const Node& node) {
  return node.kind == NodeKind::kName &&
         (node.name_kind == NameKind::kVariable || node.name_kind == NameKind::kLoopVariable) &&
         node.slot >= 0;
}

FastPath fast_path(const Node& node) {
  switch (node.kind) {
    case NodeKind::kName:
      if (node.name_kind == NameKind::kLet && node.slot >= 0) return FastPath::kLet;
      return is_slot(node) ? FastPath::kSlot : FastPath::kNone;
    case NodeKind::kString:
      return node.code_literal ? FastPath::kCode : FastPath::kString;
    case NodeKind::kInt:
      return FastPath::kInt;
    case NodeKind::kField:
      if (node.children.size() != 1 || !is_slot(*node.children[0])) return FastPath::kNone;
      return node.field == FieldId::kDiagnosisCode ? FastPath::kSlotCode : FastPath::kSlotField;
    case NodeKind::kUnary:
      return node.op == Op::kNot && node.children.size() == 1 ? FastPath::kNot : FastPath::kNone;
    case NodeKind::kCall:
      switch (node.function) {
        case FunctionId::kAny:
        case FunctionId::kAll:
        case FunctionId::kNoneOf:
        case FunctionId::kFilter:
        case FunctionId::kMap:
          return FastPath::kQuantifier;
        case FunctionId::kCount:
          return node.children.size() == 3 ? FastPath::kQuantifier : FastPath::kNone;
        case FunctionId::kIsEmpty:
          return node.children.size() == 1 ? FastPath::kIsEmpty : FastPath::kNone;
        case FunctionId::kStartsWith:
        case FunctionId::kEndsWith:
        case FunctionId::kContains:
          return node.children.size() == 2 ? FastPath::kTextCall : FastPath::kNone;
        default:
          return function_info(node.function).code_call && !node.children.empty()
                     ? FastPath::kCodeCall
                     : FastPath::kNone;
      }
    case NodeKind::kList:
      return node.constant_list ? FastPath::kConstList : FastPath::kNone;
    case NodeKind::kBinary:
      if (node.children.size() != 2) return FastPath::kNone;
      if (node.op == Op::kAnd) return FastPath::kAnd;
      if (node.op == Op::kOr) return FastPath::kOr;
      if (node.op == Op::kEqual || node.op == Op::kNotEqual) {
        return node.children[1]->kind == NodeKind::kString ? FastPath::kCompareText
                                                           : FastPath::kEqual;
      }
      if (node.op == Op::kIn || node.op == Op::kNotIn) {
        // Node::strings is set below (compile() runs fast_path() again once it is).
        return node.matcher   ? FastPath::kInMatcher
               : node.strings ? FastPath::kInStrings
                              : FastPath::kNone;
      }
      return FastPath::kNone;
    default:
      return FastPath::kNone;
  }
}

}  // namespace

bool compile(Node& root, Issues& issues) {
  bool ok = true;
  for (auto& child : root.children) ok = compile(*child, issues) && ok;
  if (root.kind == NodeKind::kList && !root.children.empty() &&
      std::all_of(root.children.begin(), root.children.end(), [](const NodePtr& c) {
        return c->kind == NodeKind::kString || c->kind == NodeKind::kInt ||
               c->kind == NodeKind::kBool;
      })) {
    // The values the evaluator would build from the literals on every evaluation.
    auto values = std::make_shared<std::vector<Value>>();
    for (const auto& c : root.children) {
      switch (c->kind) {
        case NodeKind::kString:
          values->push_back(c->code_literal ? Value::code(c->text) : Value::string(c->text));
          break;
        case NodeKind::kInt:
          values->push_back(Value::integer(c->number));
          break;
        default:
          values->push_back(Value::boolean(c->number != 0));
          break;
      }
    }
    root.constant_list = std::move(values);
  }
  root.fast = fast_path(root);
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
    if (auto literal = LiteralRegex::parse(pattern.text)) {
      root.literal_regex = std::make_shared<const LiteralRegex>(std::move(*literal));
    }
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
      root.fast = fast_path(root);
    }
  }
  return ok;
}

}  // namespace claimaudit::rules::expr
