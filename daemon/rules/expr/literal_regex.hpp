// rules/expr/literal_regex.hpp
//
// A regular expression that is only a sequence of single characters and bracketed character
// classes, optionally anchored (`A$`, `^M62\.83[0-9]$`, `[DEFGHJKMNPQR]$`): the common shape of
// the `matches` tests rule authors write on codes. For those the evaluator answers RE2's
// PartialMatch with a direct byte comparison, without RE2's per-call setup. Every other pattern
// (alternation, repetition, `.`, negated classes, escapes other than punctuation, non-ASCII)
// is left to RE2. Immutable once parsed; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace claimaudit::rules::expr {

class LiteralRegex {
 public:
  // The pattern as a LiteralRegex, or nullopt when it uses anything else.
  static std::optional<LiteralRegex> parse(std::string_view pattern);

  // RE2::PartialMatch(text, pattern): some position where every item matches in turn (at the
  // start with `^`, ending at the end with `$`).
  bool partial_match(std::string_view text) const;

 private:
  using CharSet = std::array<std::uint64_t, 2>;  // ASCII bitmap.
  bool matches_at(std::string_view text, std::size_t at) const;

  std::vector<CharSet> items_;
  bool anchored_start_ = false;
  bool anchored_end_ = false;
};

}  // namespace claimaudit::rules::expr
