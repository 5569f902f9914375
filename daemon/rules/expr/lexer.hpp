// rules/expr/lexer.hpp
//
// Splits a condition into tokens with their byte offsets. Whitespace (spaces, tabs, newlines)
// and `#` comments separate tokens. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/expr/issue.hpp"

namespace claimaudit::rules::expr {

enum class TokenKind {
  kEnd,
  kIdentifier,
  kInteger,
  kString,
  kAnd,
  kOr,
  kNot,
  kIn,
  kMatches,
  kTrue,
  kFalse,
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kDot,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kPlus,
  kMinus,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // Identifier or keyword spelling; string value with escapes resolved.
  std::uint32_t offset = 0;
  std::uint32_t length = 0;  // Characters in the source, quotes included.
};

// "identifier", "string", "'and'", "end of condition" ...
std::string describe(TokenKind kind);

// Tokens of `text`, ending with one kEnd token. Problems (an unterminated string, a stray
// character) are appended to `issues` with `source`; lexing goes on after them.
std::vector<Token> tokenize(std::string_view text, int source, Issues& issues);

}  // namespace claimaudit::rules::expr
