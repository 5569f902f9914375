// rules/expr/literal_regex.hpp
//
// A regular expression that is only a sequence of single characters, bracketed character
// classes and word boundaries, with at most one group of such alternatives, optionally anchored
// and optionally case-insensitive (`A$`, `^M62\.83[0-9]$`, `[DEFGHJKMNPQR]$`,
// `(?i)\bsequela\b`, `(?i)\b(left|bilateral)\b`, `(?i)\b(first|second|third) trimester\b`):
// the common shapes of the `matches` tests rule authors write on codes and titles. For those
// the evaluator answers RE2's PartialMatch with direct byte comparisons, without RE2's per-call
// setup. Every other pattern (repetition, `.`, negated classes, nested or repeated groups,
// escapes other than punctuation, non-ASCII) is left to RE2. Immutable once parsed; thread-safe.
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

  // RE2::PartialMatch(text, pattern): some position where every item of one alternative matches
  // in turn (at the start with `^`, ending at the end with `$`). nullopt when only RE2 can tell:
  // no ASCII match of a case-insensitive pattern in text with non-ASCII bytes (RE2 folds `k` to
  // U+212A KELVIN SIGN and `s` to U+017F LONG S).
  std::optional<bool> match(std::string_view text) const;

 private:
  using CharSet = std::array<std::uint64_t, 2>;  // ASCII bitmap.
  // One character out of `set`, or (`boundary`) RE2's `\b`: an ASCII word character on one side
  // and not on the other; matches no character.
  struct Item {
    CharSet set{};
    bool boundary = false;
  };
  using Sequence = std::vector<Item>;
  static bool read_items(std::string_view pattern, std::size_t& i, bool fold, Sequence& into);
  static std::optional<std::vector<Sequence>> read_group(std::string_view pattern, std::size_t& i,
                                                         bool fold);
  void set_first_characters();
  static std::size_t match_end(const Sequence& items, std::string_view text, std::size_t at);
  bool matches_at(std::string_view text, std::size_t at) const;

  std::vector<Sequence> alternatives_;  // One, unless the pattern has a group.
  bool anchored_start_ = false;
  bool anchored_end_ = false;
  bool case_insensitive_ = false;
  // Every alternative has a character item: a match starts only at a character in `first_`.
  bool filtered_ = false;
  CharSet first_{};
};

}  // namespace claimaudit::rules::expr
