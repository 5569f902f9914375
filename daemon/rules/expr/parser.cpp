#include "rules/expr/parser.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "rules/expr/lexer.hpp"

namespace claimaudit::rules::expr {
namespace {

struct SyntaxError {
  Issue issue;
};

class Parser {
 public:
  Parser(std::vector<Token> tokens, int source) : tokens_(std::move(tokens)), source_(source) {}

  NodePtr parse_all() {
    NodePtr node = parse_expression();
    if (peek().kind != TokenKind::kEnd) {
      fail(peek(), "unexpected " + describe_token(peek()) + " after a complete condition" +
                       hint_after_complete());
    }
    return node;
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    const std::size_t at = std::min(position_ + ahead, tokens_.size() - 1);
    return tokens_[at];
  }
  const Token& take() {
    const Token& token = tokens_[position_];
    if (position_ + 1 < tokens_.size()) ++position_;
    return token;
  }
  bool accept(TokenKind kind) {
    if (peek().kind != kind) return false;
    take();
    return true;
  }
  std::string describe_token(const Token& token) const {
    if (token.kind == TokenKind::kIdentifier) return "name '" + token.text + "'";
    if (token.kind == TokenKind::kInteger) return "number " + token.text;
    if (token.kind == TokenKind::kString) return "string \"" + token.text + "\"";
    return describe(token.kind);
  }
  std::string hint_after_complete() const {
    const Token& token = peek();
    if (token.kind == TokenKind::kIdentifier || token.kind == TokenKind::kString ||
        token.kind == TokenKind::kInteger || token.kind == TokenKind::kLeftParen) {
      return " (missing 'and', 'or' or an operator?)";
    }
    if (token.kind == TokenKind::kRightParen) return " (unbalanced ')')";
    return "";
  }
  [[noreturn]] void fail(const Token& token, std::string message) {
    throw SyntaxError{Issue{core::Severity::kError, "E-RULE-SYNTAX", std::move(message), source_,
                            token.offset, std::max<std::uint32_t>(token.length, 1)}};
  }
  void expect(TokenKind kind, const std::string& context) {
    if (peek().kind != kind) {
      fail(peek(),
           "expected " + describe(kind) + " " + context + ", found " + describe_token(peek()));
    }
    take();
  }

  struct DepthGuard {
    Parser& parser;
    const Token& at;
    DepthGuard(Parser& p, const Token& token) : parser(p), at(token) {
      if (++parser.depth_ > kMaxExprDepth) {
        Issue issue{core::Severity::kError,
                    "E-RULE-DEPTH",
                    "condition nested deeper than " + std::to_string(kMaxExprDepth) + " levels",
                    parser.source_,
                    token.offset,
                    1};
        throw SyntaxError{std::move(issue)};
      }
    }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    ~DepthGuard() { --parser.depth_; }
  };

  NodePtr make(NodeKind kind, const Token& token) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->offset = token.offset;
    node->length = std::max<std::uint32_t>(token.length, 1);
    node->source = source_;
    return node;
  }
  NodePtr binary(Op op, const Token& token, NodePtr left, NodePtr right) {
    auto node = make(NodeKind::kBinary, token);
    node->op = op;
    // A binary expression reports from its first character to its last, like the user reads it.
    const std::uint32_t end = std::max(right->offset + right->length, token.offset + token.length);
    node->offset = left->offset;
    node->length = end - left->offset;
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    return node;
  }

  NodePtr parse_expression() {
    DepthGuard guard(*this, peek());
    return parse_or();
  }
  NodePtr parse_or() {
    NodePtr left = parse_and();
    while (peek().kind == TokenKind::kOr) {
      const Token& token = take();
      DepthGuard guard(*this, token);
      left = binary(Op::kOr, token, std::move(left), parse_and());
    }
    return left;
  }
  NodePtr parse_and() {
    NodePtr left = parse_not();
    while (peek().kind == TokenKind::kAnd) {
      const Token& token = take();
      DepthGuard guard(*this, token);
      left = binary(Op::kAnd, token, std::move(left), parse_not());
    }
    return left;
  }
  NodePtr parse_not() {
    if (peek().kind == TokenKind::kNot && peek(1).kind != TokenKind::kIn) {
      const Token& token = take();
      DepthGuard guard(*this, token);
      auto node = make(NodeKind::kUnary, token);
      node->op = Op::kNot;
      node->children.push_back(parse_not());
      return node;
    }
    return parse_comparison();
  }
  static Op comparison_op(TokenKind kind) {
    switch (kind) {
      case TokenKind::kEqual:
        return Op::kEqual;
      case TokenKind::kNotEqual:
        return Op::kNotEqual;
      case TokenKind::kLess:
        return Op::kLess;
      case TokenKind::kLessEqual:
        return Op::kLessEqual;
      case TokenKind::kGreater:
        return Op::kGreater;
      case TokenKind::kGreaterEqual:
        return Op::kGreaterEqual;
      default:
        return Op::kNone;
    }
  }
  NodePtr parse_comparison() {
    NodePtr left = parse_additive();
    const Op op = comparison_op(peek().kind);
    if (op != Op::kNone) {
      const Token& token = take();
      DepthGuard guard(*this, token);
      NodePtr node = binary(op, token, std::move(left), parse_additive());
      if (comparison_op(peek().kind) != Op::kNone) {
        fail(peek(), "comparisons do not chain: write 'a < b and b < c'");
      }
      return node;
    }
    if (peek().kind == TokenKind::kIn ||
        (peek().kind == TokenKind::kNot && peek(1).kind == TokenKind::kIn)) {
      const Token& token = peek();
      const bool negated = token.kind == TokenKind::kNot;
      take();
      if (negated) take();
      DepthGuard guard(*this, token);
      NodePtr node =
          binary(negated ? Op::kNotIn : Op::kIn, token, std::move(left), parse_additive());
      if (negated) node->length = peek().offset > token.offset ? 6 : 1;
      return node;
    }
    if (peek().kind == TokenKind::kMatches) {
      const Token& token = take();
      DepthGuard guard(*this, token);
      if (peek().kind != TokenKind::kString) {
        fail(peek(), "'matches' needs a string pattern, found " + describe_token(peek()));
      }
      const Token& pattern = take();
      auto right = make(NodeKind::kString, pattern);
      right->text = pattern.text;
      return binary(Op::kMatches, token, std::move(left), std::move(right));
    }
    return left;
  }
  NodePtr parse_additive() {
    NodePtr left = parse_unary();
    while (peek().kind == TokenKind::kPlus || peek().kind == TokenKind::kMinus) {
      const Token& token = take();
      DepthGuard guard(*this, token);
      left = binary(token.kind == TokenKind::kPlus ? Op::kAdd : Op::kSubtract, token,
                    std::move(left), parse_unary());
    }
    return left;
  }
  NodePtr parse_unary() {
    if (peek().kind == TokenKind::kMinus) {
      const Token& token = take();
      DepthGuard guard(*this, token);
      auto node = make(NodeKind::kUnary, token);
      node->op = Op::kNegate;
      node->children.push_back(parse_unary());
      return node;
    }
    return parse_postfix();
  }
  NodePtr parse_postfix() {
    NodePtr node = parse_primary();
    while (peek().kind == TokenKind::kDot) {
      take();
      if (peek().kind != TokenKind::kIdentifier) {
        fail(peek(), "expected a field name after '.', found " + describe_token(peek()));
      }
      const Token& name = take();
      auto field = make(NodeKind::kField, name);
      field->text = name.text;
      // A field reports from the start of its whole path ("d.cod"), like the user reads it.
      field->offset = node->offset;
      field->length = name.offset + name.length - node->offset;
      field->children.push_back(std::move(node));
      node = std::move(field);
    }
    return node;
  }
  NodePtr parse_primary() {
    const Token& token = peek();
    switch (token.kind) {
      case TokenKind::kTrue:
      case TokenKind::kFalse: {
        take();
        auto node = make(NodeKind::kBool, token);
        node->number = token.kind == TokenKind::kTrue ? 1 : 0;
        return node;
      }
      case TokenKind::kInteger: {
        take();
        auto node = make(NodeKind::kInt, token);
        node->number = std::stoll(token.text);
        return node;
      }
      case TokenKind::kString: {
        take();
        auto node = make(NodeKind::kString, token);
        node->text = token.text;
        return node;
      }
      case TokenKind::kLeftParen: {
        take();
        DepthGuard guard(*this, token);
        NodePtr inner = parse_or();
        if (peek().kind != TokenKind::kRightParen) {
          fail(peek(), "expected ')' to close the '(', found " + describe_token(peek()));
        }
        take();
        return inner;
      }
      case TokenKind::kLeftBracket: {
        take();
        DepthGuard guard(*this, token);
        auto node = make(NodeKind::kList, token);
        while (peek().kind != TokenKind::kRightBracket) {
          node->children.push_back(parse_or());
          if (!accept(TokenKind::kComma)) break;
        }
        expect(TokenKind::kRightBracket, "to close the list");
        return node;
      }
      case TokenKind::kIdentifier: {
        take();
        if (peek().kind == TokenKind::kLeftParen) {
          take();
          DepthGuard guard(*this, token);
          auto node = make(NodeKind::kCall, token);
          node->text = token.text;
          if (peek().kind != TokenKind::kRightParen) {
            for (;;) {
              node->children.push_back(parse_or());
              if (!accept(TokenKind::kComma)) break;
            }
          }
          expect(TokenKind::kRightParen, "to close the call of '" + token.text + "'");
          return node;
        }
        auto node = make(NodeKind::kName, token);
        node->text = token.text;
        return node;
      }
      case TokenKind::kEnd:
        fail(token, "condition ends too early: expected a value");
      default:
        fail(token, "expected a value, found " + describe_token(token));
    }
  }

  std::vector<Token> tokens_;
  std::size_t position_ = 0;
  int depth_ = 0;
  int source_;
};

}  // namespace

NodePtr parse(std::string_view text, int source, Issues& issues) {
  if (text.size() > kMaxExprLength) {
    issues.push_back(Issue{core::Severity::kError, "E-RULE-DEPTH",
                           "condition longer than " + std::to_string(kMaxExprLength) + " bytes",
                           source, 0, 1});
    return nullptr;
  }
  Issues lexical;
  std::vector<Token> tokens = tokenize(text, source, lexical);
  if (!lexical.empty()) {
    issues.push_back(std::move(lexical.front()));
    return nullptr;
  }
  bool blank = tokens.size() == 1;
  if (blank) {
    issues.push_back(
        Issue{core::Severity::kError, "E-RULE-SYNTAX", "empty condition", source, 0, 1});
    return nullptr;
  }
  Parser parser(std::move(tokens), source);
  try {
    return parser.parse_all();
  } catch (const SyntaxError& error) {
    issues.push_back(error.issue);
    return nullptr;
  }
}

}  // namespace claimaudit::rules::expr
