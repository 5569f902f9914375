#include "rules/expr/printer.hpp"

#include "core/icd10_code.hpp"

namespace claimaudit::rules::expr {
namespace {

// Higher binds tighter.
int precedence(const Node& node) {
  switch (node.kind) {
    case NodeKind::kBinary:
      switch (node.op) {
        case Op::kOr:
          return 1;
        case Op::kAnd:
          return 2;
        case Op::kAdd:
        case Op::kSubtract:
          return 5;
        default:
          return 4;  // Comparisons, in, matches.
      }
    case NodeKind::kUnary:
      return node.op == Op::kNot ? 3 : 6;
    default:
      return 7;
  }
}

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

void print_to(const Node& node, std::string& out);

void print_operand(const Node& child, int minimum, std::string& out) {
  const bool parens = precedence(child) < minimum;
  if (parens) out += '(';
  print_to(child, out);
  if (parens) out += ')';
}

void print_to(const Node& node, std::string& out) {
  switch (node.kind) {
    case NodeKind::kBool:
      out += node.number != 0 ? "true" : "false";
      return;
    case NodeKind::kInt:
      out += std::to_string(node.number);
      return;
    case NodeKind::kString:
      // The checker stores an exact code literal normalised ("M62831"); it prints dotted, as the
      // rule's author wrote it and as every output shows codes. Patterns print as written.
      out += quote(node.code_literal && core::normalize_icd10(node.text) == node.text
                       ? core::dotted_icd10(node.text)
                       : node.text);
      return;
    case NodeKind::kName:
      out += node.text;
      return;
    case NodeKind::kField:
      print_operand(*node.children[0], 7, out);
      out += '.';
      out += node.text;
      return;
    case NodeKind::kCall:
    case NodeKind::kList: {
      if (node.kind == NodeKind::kCall) out += node.text;
      out += node.kind == NodeKind::kCall ? '(' : '[';
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += ", ";
        print_to(*node.children[i], out);
      }
      out += node.kind == NodeKind::kCall ? ')' : ']';
      return;
    }
    case NodeKind::kUnary:
      out += node.op == Op::kNot ? "not " : "-";
      print_operand(*node.children[0], precedence(node), out);
      return;
    case NodeKind::kBinary: {
      const int own = precedence(node);
      // Left-associative chains keep their left side unparenthesised; comparisons do not chain,
      // so both of their sides need a tighter operand.
      const bool chain = own != 4;
      print_operand(*node.children[0], chain ? own : own + 1, out);
      out += ' ';
      out += to_string(node.op);
      out += ' ';
      print_operand(*node.children[1], own + 1, out);
      return;
    }
  }
}

}  // namespace

std::string to_string(Op op) {
  switch (op) {
    case Op::kNone:
      return "";
    case Op::kOr:
      return "or";
    case Op::kAnd:
      return "and";
    case Op::kNot:
      return "not";
    case Op::kNegate:
      return "-";
    case Op::kEqual:
      return "==";
    case Op::kNotEqual:
      return "!=";
    case Op::kLess:
      return "<";
    case Op::kLessEqual:
      return "<=";
    case Op::kGreater:
      return ">";
    case Op::kGreaterEqual:
      return ">=";
    case Op::kAdd:
      return "+";
    case Op::kSubtract:
      return "-";
    case Op::kIn:
      return "in";
    case Op::kNotIn:
      return "not in";
    case Op::kMatches:
      return "matches";
  }
  return "";
}

std::string print(const Node& node) {
  std::string out;
  print_to(node, out);
  return out;
}

}  // namespace claimaudit::rules::expr
