#include "rules/expr/lexer.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>

namespace claimaudit::rules::expr {
namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

TokenKind keyword(std::string_view word) {
  if (word == "and") return TokenKind::kAnd;
  if (word == "or") return TokenKind::kOr;
  if (word == "not") return TokenKind::kNot;
  if (word == "in") return TokenKind::kIn;
  if (word == "matches") return TokenKind::kMatches;
  if (word == "true") return TokenKind::kTrue;
  if (word == "false") return TokenKind::kFalse;
  return TokenKind::kIdentifier;
}

}  // namespace

std::string describe(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnd:
      return "end of condition";
    case TokenKind::kIdentifier:
      return "a name";
    case TokenKind::kInteger:
      return "a number";
    case TokenKind::kString:
      return "a string";
    case TokenKind::kAnd:
      return "'and'";
    case TokenKind::kOr:
      return "'or'";
    case TokenKind::kNot:
      return "'not'";
    case TokenKind::kIn:
      return "'in'";
    case TokenKind::kMatches:
      return "'matches'";
    case TokenKind::kTrue:
      return "'true'";
    case TokenKind::kFalse:
      return "'false'";
    case TokenKind::kLeftParen:
      return "'('";
    case TokenKind::kRightParen:
      return "')'";
    case TokenKind::kLeftBracket:
      return "'['";
    case TokenKind::kRightBracket:
      return "']'";
    case TokenKind::kComma:
      return "','";
    case TokenKind::kDot:
      return "'.'";
    case TokenKind::kEqual:
      return "'=='";
    case TokenKind::kNotEqual:
      return "'!='";
    case TokenKind::kLess:
      return "'<'";
    case TokenKind::kLessEqual:
      return "'<='";
    case TokenKind::kGreater:
      return "'>'";
    case TokenKind::kGreaterEqual:
      return "'>='";
    case TokenKind::kPlus:
      return "'+'";
    case TokenKind::kMinus:
      return "'-'";
  }
  return "a token";
}

namespace {

// The one-character tokens that need no look-ahead.
std::optional<TokenKind> single_character_token(char c) {
  switch (c) {
    case '(':
      return TokenKind::kLeftParen;
    case ')':
      return TokenKind::kRightParen;
    case '[':
      return TokenKind::kLeftBracket;
    case ']':
      return TokenKind::kRightBracket;
    case ',':
      return TokenKind::kComma;
    case '.':
      return TokenKind::kDot;
    case '+':
      return TokenKind::kPlus;
    case '-':
      return TokenKind::kMinus;
    default:
      return std::nullopt;
  }
}

class Lexer {
 public:
  Lexer(std::string_view text, int source, Issues& issues)
      : text_(text), source_(source), issues_(issues) {}

  std::vector<Token> run() {
    while (i_ < text_.size()) {
      const char c = text_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i_;
      } else if (c == '#') {
        while (i_ < text_.size() && text_[i_] != '\n') ++i_;
      } else if (is_letter(c)) {
        word();
      } else if (is_digit(c)) {
        number();
      } else if (c == '"' || c == '\'') {
        string_literal(c);
      } else {
        symbol(c);
      }
    }
    add(TokenKind::kEnd, text_.size(), 0);
    return std::move(tokens_);
  }

 private:
  void add(TokenKind kind, std::size_t start, std::size_t length, std::string value = {}) {
    Token token;
    token.kind = kind;
    token.text = std::move(value);
    token.offset = static_cast<std::uint32_t>(start);
    token.length = static_cast<std::uint32_t>(length);
    tokens_.push_back(std::move(token));
  }

  void error(std::size_t at, std::size_t length, std::string message) {
    issues_.push_back(Issue{core::Severity::kError, "E-RULE-SYNTAX", std::move(message), source_,
                            static_cast<std::uint32_t>(at),
                            static_cast<std::uint32_t>(std::max<std::size_t>(length, 1))});
  }

  void skip_name_characters() {
    while (i_ < text_.size() && (is_letter(text_[i_]) || is_digit(text_[i_]))) ++i_;
  }

  // A name or keyword.
  void word() {
    const std::size_t start = i_;
    skip_name_characters();
    const std::string_view word = text_.substr(start, i_ - start);
    add(keyword(word), start, i_ - start, std::string(word));
  }

  // An integer; digits followed by letters (an unquoted code) are an error.
  void number() {
    const std::size_t start = i_;
    while (i_ < text_.size() && is_digit(text_[i_])) ++i_;
    if (i_ < text_.size() && is_letter(text_[i_])) {
      skip_name_characters();
      error(start, i_ - start,
            "'" + std::string(text_.substr(start, i_ - start)) +
                "' is neither a number nor a name (write codes as strings: \"" +
                std::string(text_.substr(start, i_ - start)) + "\")");
      return;
    }
    if (i_ - start > 18) {
      error(start, i_ - start, "number too large");
      add(TokenKind::kInteger, start, i_ - start, "0");
      return;
    }
    add(TokenKind::kInteger, start, i_ - start, std::string(text_.substr(start, i_ - start)));
  }

  // A string in `quote`s, on one line, with \" \' \\ \n \t escapes.
  void string_literal(char quote) {
    const std::size_t start = i_;
    std::string value;
    ++i_;
    bool closed = false;
    while (i_ < text_.size()) {
      const char d = text_[i_];
      if (d == quote) {
        closed = true;
        ++i_;
        break;
      }
      if (d == '\n') break;
      if (d == '\\' && i_ + 1 < text_.size()) {
        escape(value);
        continue;
      }
      value += d;
      ++i_;
    }
    if (!closed) error(start, i_ - start, "string not closed");
    add(TokenKind::kString, start, i_ - start, std::move(value));
  }

  // The escape at i_ (a backslash and one more character) onto `value`.
  void escape(std::string& value) {
    const char e = text_[i_ + 1];
    switch (e) {
      case '"':
      case '\'':
      case '\\':
        value += e;
        break;
      case 'n':
        value += '\n';
        break;
      case 't':
        value += '\t';
        break;
      default:
        error(i_, 2, std::string("unknown escape '\\") + e + "' in a string");
        value += e;
    }
    i_ += 2;
  }

  // An operator or punctuation; `c` is text_[i_].
  void symbol(char c) {
    const std::size_t start = i_;
    const char next = i_ + 1 < text_.size() ? text_[i_ + 1] : '\0';
    if (const auto kind = single_character_token(c)) {
      add(*kind, start, 1);
      ++i_;
      return;
    }
    switch (c) {
      case '=':
        if (next != '=') error(start, 1, "'=' is not an operator (did you mean '=='?)");
        one_or_two(next == '=', TokenKind::kEqual, TokenKind::kEqual);
        return;
      case '!':
        if (next != '=') error(start, 1, "'!' is not an operator (did you mean 'not'?)");
        one_or_two(next == '=', TokenKind::kNotEqual, TokenKind::kNot);
        return;
      case '<':
        one_or_two(next == '=', TokenKind::kLessEqual, TokenKind::kLess);
        return;
      case '>':
        one_or_two(next == '=', TokenKind::kGreaterEqual, TokenKind::kGreater);
        return;
      case '&':
        error(start, next == '&' ? 2 : 1, "'&&' is not an operator (did you mean 'and'?)");
        one_or_two(next == '&', TokenKind::kAnd, TokenKind::kAnd);
        return;
      case '|':
        error(start, next == '|' ? 2 : 1, "'||' is not an operator (did you mean 'or'?)");
        one_or_two(next == '|', TokenKind::kOr, TokenKind::kOr);
        return;
      default:
        unexpected_character();
    }
  }

  // A token of two characters (`two`) or of one (`one`) at i_.
  void one_or_two(bool is_two, TokenKind two, TokenKind one) {
    add(is_two ? two : one, i_, is_two ? 2 : 1);
    i_ += is_two ? 2 : 1;
  }

  void unexpected_character() {
    const std::size_t start = i_;
    // One whole UTF-8 character in the message.
    std::size_t end = i_ + 1;
    while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
    error(start, 1, "unexpected character '" + std::string(text_.substr(start, end - start)) + "'");
    i_ = end;
  }

  std::string_view text_;
  int source_;
  Issues& issues_;
  std::vector<Token> tokens_;
  std::size_t i_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view text, int source, Issues& issues) {
  return Lexer(text, source, issues).run();
}

}  // namespace claimaudit::rules::expr
