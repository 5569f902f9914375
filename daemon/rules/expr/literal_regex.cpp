#include "rules/expr/literal_regex.hpp"

#include <algorithm>

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

// `c`, and under (?i) the other case of an ASCII letter too.
void add(CharSet& set, char c, bool fold) {
  add(set, c);
  if (!fold) return;
  if (c >= 'a' && c <= 'z') add(set, static_cast<char>(c - 'a' + 'A'));
  if (c >= 'A' && c <= 'Z') add(set, static_cast<char>(c - 'A' + 'a'));
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
std::optional<CharSet> parse_class(std::string_view pattern, std::size_t& i, bool fold) {
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
      add(set, static_cast<char>(k), fold);
    }
  }
  return std::nullopt;  // No closing ']'.
}

// One character item at `i` (a character, an escaped punctuation mark or a class); advances `i`.
std::optional<CharSet> parse_char(std::string_view pattern, std::size_t& i, bool fold) {
  const char c = pattern[i];
  CharSet set{};
  if (c == '[') {
    ++i;
    return parse_class(pattern, i, fold);
  }
  if (c == '\\') {
    if (i + 1 >= pattern.size() || !is_escapable(pattern[i + 1])) return std::nullopt;
    add(set, pattern[i + 1]);
    i += 2;
    return set;
  }
  if (!is_plain(c)) return std::nullopt;
  add(set, c, fold);
  ++i;
  return set;
}

bool is_word(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_quantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }

}  // namespace

// Items (characters and `\b`) from `i` up to the end, a '|', '(' or ')', or a final '$', into
// `into`; false on anything else (a quantifier after an item: not a literal sequence).
bool LiteralRegex::read_items(std::string_view pattern, std::size_t& i, bool fold, Sequence& into) {
  while (i < pattern.size() && pattern[i] != '|' && pattern[i] != ')' && pattern[i] != '(') {
    if (pattern[i] == '$' && i + 1 == pattern.size()) return true;
    if (pattern.substr(i, 2) == "\\b") {
      into.push_back(Item{CharSet{}, true});
      i += 2;
      continue;
    }
    const auto set = parse_char(pattern, i, fold);
    if (!set || (i < pattern.size() && is_quantifier(pattern[i]))) return false;
    into.push_back(Item{*set, false});
  }
  return true;
}

// The alternatives of a group whose '(' is at `i`, and `i` past its ')': none nested, none
// empty, no quantifier after it.
std::optional<std::vector<LiteralRegex::Sequence>> LiteralRegex::read_group(
    std::string_view pattern, std::size_t& i, bool fold) {
  std::vector<Sequence> group;
  ++i;
  if (pattern.substr(i, 2) == "?:") i += 2;
  while (true) {
    Sequence alternative;
    if (!read_items(pattern, i, fold, alternative) || alternative.empty() || i >= pattern.size()) {
      return std::nullopt;
    }
    group.push_back(std::move(alternative));
    if (pattern[i] == ')') break;
    if (pattern[i] != '|') return std::nullopt;  // '(' inside: nested.
    ++i;
  }
  ++i;  // ')'
  if (i < pattern.size() && is_quantifier(pattern[i])) return std::nullopt;
  return group;
}

std::optional<LiteralRegex> LiteralRegex::parse(std::string_view pattern) {
  LiteralRegex out;
  std::size_t i = 0;
  if (pattern.substr(0, 4) == "(?i)") {
    out.case_insensitive_ = true;
    i = 4;
  }
  if (i < pattern.size() && pattern[i] == '^') {
    out.anchored_start_ = true;
    ++i;
  }
  const bool fold = out.case_insensitive_;
  Sequence prefix;
  if (!read_items(pattern, i, fold, prefix)) return std::nullopt;
  std::vector<Sequence> group;  // The alternatives of the one group, if any.
  Sequence suffix;
  if (i < pattern.size() && pattern[i] == '(') {
    auto alternatives = read_group(pattern, i, fold);
    if (!alternatives || !read_items(pattern, i, fold, suffix)) return std::nullopt;
    group = std::move(*alternatives);
  }
  if (i < pattern.size()) {
    if (pattern[i] != '$' || i + 1 != pattern.size()) return std::nullopt;  // '|', ')', '('.
    out.anchored_end_ = true;
  }
  for (const Sequence& alternative : group) {
    Sequence whole = prefix;
    whole.insert(whole.end(), alternative.begin(), alternative.end());
    whole.insert(whole.end(), suffix.begin(), suffix.end());
    out.alternatives_.push_back(std::move(whole));
  }
  if (group.empty()) out.alternatives_.push_back(std::move(prefix));
  out.set_first_characters();
  return out;
}

// The characters a match can start with, when every alternative has one.
void LiteralRegex::set_first_characters() {
  filtered_ = true;
  for (const Sequence& items : alternatives_) {
    const auto first =
        std::find_if(items.begin(), items.end(), [](const Item& item) { return !item.boundary; });
    if (first == items.end()) {
      filtered_ = false;
      return;
    }
    first_[0] |= first->set[0];
    first_[1] |= first->set[1];
  }
}

// Where `items` matched from `at` end, or npos.
std::size_t LiteralRegex::match_end(const Sequence& items, std::string_view text, std::size_t at) {
  std::size_t position = at;
  for (const Item& item : items) {
    if (item.boundary) {
      const bool before = position > 0 && is_word(static_cast<unsigned char>(text[position - 1]));
      const bool after =
          position < text.size() && is_word(static_cast<unsigned char>(text[position]));
      if (before == after) return std::string_view::npos;
      continue;
    }
    if (position >= text.size()) return std::string_view::npos;
    const auto c = static_cast<unsigned char>(text[position]);
    if (c >= 128 || ((item.set[c / 64] >> (c % 64)) & 1U) == 0) return std::string_view::npos;
    ++position;
  }
  return position;
}

// Some alternative matches from `at` (to the end with `$`).
bool LiteralRegex::matches_at(std::string_view text, std::size_t at) const {
  return std::any_of(alternatives_.begin(), alternatives_.end(), [&](const Sequence& items) {
    const std::size_t end = match_end(items, text, at);
    return end != std::string_view::npos && (!anchored_end_ || end == text.size());
  });
}

std::optional<bool> LiteralRegex::match(std::string_view text) const {
  // A match found here is one for RE2 too. No match is RE2's answer unless the pattern is
  // case-insensitive and the text has a non-ASCII byte (RE2 might match through a folded one).
  bool non_ascii = false;
  if (filtered_ && !anchored_start_) {
    // One pass: candidates are the positions of a possible first character.
    for (std::size_t at = 0; at < text.size(); ++at) {
      const auto c = static_cast<unsigned char>(text[at]);
      if (c >= 128) {
        non_ascii = true;
      } else if (((first_[c / 64] >> (c % 64)) & 1U) != 0 && matches_at(text, at)) {
        return true;
      }
    }
  } else {
    const std::size_t last = anchored_start_ ? 0 : text.size();
    for (std::size_t at = 0; at <= last; ++at) {
      if (matches_at(text, at)) return true;
    }
    non_ascii = std::any_of(text.begin(), text.end(),
                            [](char c) { return static_cast<unsigned char>(c) >= 128; });
  }
  if (case_insensitive_ && non_ascii) return std::nullopt;
  return false;
}

}  // namespace claimaudit::rules::expr
