#include "rules/expr/lexer.hpp"

#include <algorithm>
#include <cstddef>

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

std::vector<Token> tokenize(std::string_view text, int source, Issues& issues) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  auto add = [&](TokenKind kind, std::size_t start, std::size_t length, std::string value = {}) {
    Token token;
    token.kind = kind;
    token.text = std::move(value);
    token.offset = static_cast<std::uint32_t>(start);
    token.length = static_cast<std::uint32_t>(length);
    tokens.push_back(std::move(token));
  };
  auto error = [&](std::size_t at, std::size_t length, std::string message) {
    issues.push_back(Issue{core::Severity::kError, "E-RULE-SYNTAX", std::move(message), source,
                           static_cast<std::uint32_t>(at),
                           static_cast<std::uint32_t>(std::max<std::size_t>(length, 1))});
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    const std::size_t start = i;
    if (is_letter(c)) {
      while (i < text.size() && (is_letter(text[i]) || is_digit(text[i]))) ++i;
      const std::string_view word = text.substr(start, i - start);
      add(keyword(word), start, i - start, std::string(word));
      continue;
    }
    if (is_digit(c)) {
      while (i < text.size() && is_digit(text[i])) ++i;
      if (i < text.size() && is_letter(text[i])) {
        while (i < text.size() && (is_letter(text[i]) || is_digit(text[i]))) ++i;
        error(start, i - start,
              "'" + std::string(text.substr(start, i - start)) +
                  "' is neither a number nor a name (write codes as strings: \"" +
                  std::string(text.substr(start, i - start)) + "\")");
        continue;
      }
      if (i - start > 18) {
        error(start, i - start, "number too large");
        add(TokenKind::kInteger, start, i - start, "0");
        continue;
      }
      add(TokenKind::kInteger, start, i - start, std::string(text.substr(start, i - start)));
      continue;
    }
    if (c == '"' || c == '\'') {
      std::string value;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        const char d = text[i];
        if (d == c) {
          closed = true;
          ++i;
          break;
        }
        if (d == '\n') break;
        if (d == '\\' && i + 1 < text.size()) {
          const char e = text[i + 1];
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
              error(i, 2, std::string("unknown escape '\\") + e + "' in a string");
              value += e;
          }
          i += 2;
          continue;
        }
        value += d;
        ++i;
      }
      if (!closed) {
        error(start, i - start, "string not closed");
        add(TokenKind::kString, start, i - start, std::move(value));
        continue;
      }
      add(TokenKind::kString, start, i - start, std::move(value));
      continue;
    }
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (c) {
      case '(':
        add(TokenKind::kLeftParen, start, 1);
        ++i;
        continue;
      case ')':
        add(TokenKind::kRightParen, start, 1);
        ++i;
        continue;
      case '[':
        add(TokenKind::kLeftBracket, start, 1);
        ++i;
        continue;
      case ']':
        add(TokenKind::kRightBracket, start, 1);
        ++i;
        continue;
      case ',':
        add(TokenKind::kComma, start, 1);
        ++i;
        continue;
      case '.':
        add(TokenKind::kDot, start, 1);
        ++i;
        continue;
      case '+':
        add(TokenKind::kPlus, start, 1);
        ++i;
        continue;
      case '-':
        add(TokenKind::kMinus, start, 1);
        ++i;
        continue;
      case '=':
        if (next == '=') {
          add(TokenKind::kEqual, start, 2);
          i += 2;
        } else {
          error(start, 1, "'=' is not an operator (did you mean '=='?)");
          add(TokenKind::kEqual, start, 1);
          ++i;
        }
        continue;
      case '!':
        if (next == '=') {
          add(TokenKind::kNotEqual, start, 2);
          i += 2;
        } else {
          error(start, 1, "'!' is not an operator (did you mean 'not'?)");
          add(TokenKind::kNot, start, 1);
          ++i;
        }
        continue;
      case '<':
        if (next == '=') {
          add(TokenKind::kLessEqual, start, 2);
          i += 2;
        } else {
          add(TokenKind::kLess, start, 1);
          ++i;
        }
        continue;
      case '>':
        if (next == '=') {
          add(TokenKind::kGreaterEqual, start, 2);
          i += 2;
        } else {
          add(TokenKind::kGreater, start, 1);
          ++i;
        }
        continue;
      case '&':
        error(start, next == '&' ? 2 : 1, "'&&' is not an operator (did you mean 'and'?)");
        add(TokenKind::kAnd, start, next == '&' ? 2 : 1);
        i += next == '&' ? 2 : 1;
        continue;
      case '|':
        error(start, next == '|' ? 2 : 1, "'||' is not an operator (did you mean 'or'?)");
        add(TokenKind::kOr, start, next == '|' ? 2 : 1);
        i += next == '|' ? 2 : 1;
        continue;
      default: {
        // One whole UTF-8 character in the message.
        std::size_t end = i + 1;
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
        error(start, 1,
              "unexpected character '" + std::string(text.substr(start, end - start)) + "'");
        i = end;
        continue;
      }
    }
  }
  add(TokenKind::kEnd, text.size(), 0);
  return tokens;
}

}  // namespace claimaudit::rules::expr
