// rules/expr/code_matcher.hpp
//
// Code patterns of `list` items and `in [...]` literals: exact codes ("M62830"), prefixes
// ("M6283*") and prefix-inclusive ranges ("V00-Y99": each end covers every code below it).
// Built once at load; immutable; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace claimaudit::rules::expr {

struct CodePattern {
  enum class Kind { kExact, kPrefix, kRange };
  Kind kind = Kind::kExact;
  std::string first;  // Normalised code, prefix, or range start.
  std::string last;   // Range end.

  bool matches(std::string_view code) const;
  std::string spelling() const;  // "M62.830", "M62.83*", "V00-Y99".
};

// Parses one item: nullopt (and `error` set) for a spelling that cannot be a code pattern.
std::optional<CodePattern> parse_code_pattern(std::string_view text, std::string* error);

// Prefix-inclusive range test on normalised codes: "M6283" is in ["M60", "M63"].
bool code_in_range(std::string_view code, std::string_view first, std::string_view last);

class CodeMatcher {
 public:
  void add(CodePattern pattern);
  bool matches(std::string_view code) const;
  const std::vector<CodePattern>& patterns() const { return patterns_; }

 private:
  std::vector<CodePattern> patterns_;
  // Exact codes and prefixes of up to seven characters, packed (code_matcher.cpp) and sorted;
  // the prefix lengths in use, ascending. Longer ones (never from parse_code_pattern) as text.
  std::vector<std::uint64_t> exact_;
  std::vector<std::uint64_t> prefixes_;
  std::vector<std::size_t> prefix_lengths_;
  std::vector<std::string> long_exact_;
  std::vector<std::string> long_prefixes_;
  std::vector<std::pair<std::string, std::string>> ranges_;
};

// `pairs` lists: (first pattern, second pattern), not reciprocal.
class PairList {
 public:
  void add(CodePattern first, CodePattern second);
  bool matches(std::string_view a, std::string_view b) const;
  const std::vector<std::pair<CodePattern, CodePattern>>& pairs() const { return pairs_; }

 private:
  std::vector<std::pair<CodePattern, CodePattern>> pairs_;
  CodeMatcher firsts_;  // Every pair's first pattern: most codes start no pair.
  // The pairs whose first pattern is an exact code or a non-empty prefix, by that text
  // (sorted; a code's candidates are the entries keyed by one of its prefixes), and the others
  // (ranges, the empty prefix), tried one by one.
  std::vector<std::pair<std::string, std::size_t>> by_first_;
  std::vector<std::size_t> other_firsts_;
};

}  // namespace claimaudit::rules::expr
