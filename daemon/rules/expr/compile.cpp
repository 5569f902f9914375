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

FastPath fast_path_of_call(const Node& node) {
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
      return function_info(node.function).code_call && !node.children.empty() ? FastPath::kCodeCall
                                                                              : FastPath::kNone;
  }
}

FastPath fast_path_of_binary(const Node& node) {
  if (node.children.size() != 2) return FastPath::kNone;
  switch (node.op) {
    case Op::kAnd:
      return FastPath::kAnd;
    case Op::kOr:
      return FastPath::kOr;
    case Op::kEqual:
    case Op::kNotEqual:
      return node.children[1]->kind == NodeKind::kString ? FastPath::kCompareText
                                                         : FastPath::kEqual;
    case Op::kIn:
    case Op::kNotIn:
      // Node::strings is set by compile(), which runs fast_path() again once it is.
      if (node.matcher) return FastPath::kInMatcher;
      return node.strings ? FastPath::kInStrings : FastPath::kNone;
    default:
      return FastPath::kNone;
  }
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
      return fast_path_of_call(node);
    case NodeKind::kList:
      return node.constant_list ? FastPath::kConstList : FastPath::kNone;
    case NodeKind::kBinary:
      return fast_path_of_binary(node);
    default:
      return FastPath::kNone;
  }
}

// A list of literals: the values the evaluator would build on every evaluation, built once.
void keep_constant_list(Node& list) {
  if (list.kind != NodeKind::kList || list.children.empty() ||
      !std::all_of(list.children.begin(), list.children.end(), [](const NodePtr& c) {
        return c->kind == NodeKind::kString || c->kind == NodeKind::kInt ||
               c->kind == NodeKind::kBool;
      })) {
    return;
  }
  auto values = std::make_shared<std::vector<Value>>();
  for (const auto& c : list.children) {
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
  list.constant_list = std::move(values);
}

// `text matches pattern`: RE2 always (explain, fallbacks), LiteralRegex when the pattern is one.
bool compile_regex(Node& match, Issues& issues) {
  const Node& pattern = *match.children[1];
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_shared<RE2>(pattern.text, options);
  if (!regex->ok()) {
    issues.push_back(Issue{core::Severity::kError, "E-RULE-REGEX",
                           "bad regular expression: " + regex->error(), pattern.source,
                           pattern.offset, pattern.length});
    return false;
  }
  match.regex = std::move(regex);
  if (auto literal = LiteralRegex::parse(pattern.text)) {
    match.literal_regex = std::make_shared<const LiteralRegex>(std::move(*literal));
  }
  return true;
}

// `s in [string literals]`: the strings kept for a direct comparison.
void keep_string_set(Node& in) {
  const Node& left = *in.children[0];
  const Node& right = *in.children[1];
  if (left.type.kind != TypeKind::kString || right.kind != NodeKind::kList ||
      !std::all_of(right.children.begin(), right.children.end(),
                   [](const NodePtr& c) { return c->kind == NodeKind::kString; })) {
    return;
  }
  auto strings = std::make_shared<std::vector<std::string>>();
  for (const auto& c : right.children) strings->push_back(c->text);
  in.strings = std::move(strings);
  in.fast = fast_path(in);
}

}  // namespace

bool compile(Node& root, Issues& issues) {
  bool ok = true;
  for (auto& child : root.children) ok = compile(*child, issues) && ok;
  keep_constant_list(root);
  root.fast = fast_path(root);
  if (root.kind != NodeKind::kBinary) return ok;
  if (root.op == Op::kMatches) return compile_regex(root, issues) && ok;
  if ((root.op == Op::kIn || root.op == Op::kNotIn) && !root.matcher && !root.strings) {
    keep_string_set(root);
  }
  return ok;
}

}  // namespace claimaudit::rules::expr
