#include "rules/expr/literal_regex.hpp"

namespace claimaudit::rules::expr {
namespace {

bool is_plain(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' ||
         c == '_' || c == ',' || c == ':' || c == ';' || c == '=' || c == '@' || c == '#' ||
         c == '%' || c == '&' || c == '~' || c == '\'' || c == '"' || c == '<' || c == '>' ||
         c == '!' || c == '/' || c == '-';
}

// Punctuation that RE2 takes literally after a backslash (outside and inside classes).
bool is_escapable(char c) {
  return c == '.' || c == '\\' || c == '-' || c == '[' || c == ']' || c == '(' || c == ')' ||
         c == '{' || c == '}' || c == '*' || c == '+' || c == '?' || c == '|' || c == '^' ||
         c == '$' || c == '/';
}

using CharSet = std::array<std::uint64_t, 2>;

void add(CharSet& set, char c) {
  const auto byte = static_cast<unsigned char>(c);
  set[byte / 64] |= std::uint64_t{1} << (byte % 64);
}

// One character of a class at `i` (plain, or an escaped punctuation mark); advances `i`.
std::optional<char> class_char(std::string_view pattern, std::size_t& i) {
  const char c = pattern[i];
  if (c == '\\') {
    if (i + 1 >= pattern.size() || !is_escapable(pattern[i + 1])) return std::nullopt;
    i += 2;
    return pattern[i - 1];
  }
  if (!is_plain(c) || c == '-') return std::nullopt;
  ++i;
  return c;
}

// A bracketed class starting after its '[' at `i`: plain characters and ranges, no negation;
// advances `i` past the ']'.
std::optional<CharSet> parse_class(std::string_view pattern, std::size_t& i) {
  CharSet set{};
  if (i >= pattern.size() || pattern[i] == '^' || pattern[i] == ']') return std::nullopt;
  while (i < pattern.size()) {
    if (pattern[i] == ']') {
      ++i;
      return set;
    }
    const auto low = class_char(pattern, i);
    if (!low) return std::nullopt;
    char high = *low;
    if (i + 1 < pattern.size() && pattern[i] == '-' && pattern[i + 1] != ']') {
      high = pattern[i + 1];
      if (!is_plain(high) || high == '-' || high < *low) return std::nullopt;
      i += 2;
    }
    for (int k = static_cast<unsigned char>(*low); k <= static_cast<unsigned char>(high); ++k) {
      add(set, static_cast<char>(k));
    }
  }
  return std::nullopt;  // No closing ']'.
}

// One item at `i` (a character, an escaped punctuation mark or a class); advances `i`.
std::optional<CharSet> parse_item(std::string_view pattern, std::size_t& i) {
  const char c = pattern[i];
  CharSet set{};
  if (c == '[') {
    ++i;
    return parse_class(pattern, i);
  }
  if (c == '\\') {
    if (i + 1 >= pattern.size() || !is_escapable(pattern[i + 1])) return std::nullopt;
    add(set, pattern[i + 1]);
    i += 2;
    return set;
  }
  if (!is_plain(c)) return std::nullopt;
  add(set, c);
  ++i;
  return set;
}

bool is_quantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }

}  // namespace

std::optional<LiteralRegex> LiteralRegex::parse(std::string_view pattern) {
  LiteralRegex out;
  std::size_t i = 0;
  if (i < pattern.size() && pattern[i] == '^') {
    out.anchored_start_ = true;
    ++i;
  }
  while (i < pattern.size()) {
    if (pattern[i] == '$' && i + 1 == pattern.size()) {
      out.anchored_end_ = true;
      return out;
    }
    const auto item = parse_item(pattern, i);
    // A quantifier after the item: not a literal sequence.
    if (!item || (i < pattern.size() && is_quantifier(pattern[i]))) return std::nullopt;
    out.items_.push_back(*item);
  }
  return out;
}

bool LiteralRegex::matches_at(std::string_view text, std::size_t at) const {
  for (std::size_t k = 0; k < items_.size(); ++k) {
    const auto c = static_cast<unsigned char>(text[at + k]);
    if (c >= 128 || ((items_[k][c / 64] >> (c % 64)) & 1U) == 0) return false;
  }
  return true;
}

bool LiteralRegex::partial_match(std::string_view text) const {
  if (items_.size() > text.size()) return false;
  const std::size_t last = text.size() - items_.size();
  if (anchored_end_) {
    if (anchored_start_ && last != 0) return false;
    return matches_at(text, last);
  }
  if (anchored_start_) return matches_at(text, 0);
  for (std::size_t at = 0; at <= last; ++at) {
    if (matches_at(text, at)) return true;
  }
  return false;
}

}  // namespace claimaudit::rules::expr
