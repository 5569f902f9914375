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

}  // namespace

std::optional<LiteralRegex> LiteralRegex::parse(std::string_view pattern) {
  LiteralRegex out;
  std::size_t i = 0;
  if (i < pattern.size() && pattern[i] == '^') {
    out.anchored_start_ = true;
    ++i;
  }
  const auto add = [](CharSet& set, unsigned char c) {
    set[c / 64] |= std::uint64_t{1} << (c % 64);
  };
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '$' && i + 1 == pattern.size()) {
      out.anchored_end_ = true;
      ++i;
      break;
    }
    CharSet set{};
    if (c == '\\') {
      if (i + 1 >= pattern.size() || !is_escapable(pattern[i + 1])) return std::nullopt;
      add(set, static_cast<unsigned char>(pattern[i + 1]));
      i += 2;
    } else if (c == '[') {
      ++i;
      if (i >= pattern.size() || pattern[i] == '^' || pattern[i] == ']') return std::nullopt;
      bool closed = false;
      while (i < pattern.size()) {
        char low = pattern[i];
        if (low == ']') {
          closed = true;
          ++i;
          break;
        }
        if (low == '\\') {
          if (i + 1 >= pattern.size() || !is_escapable(pattern[i + 1])) return std::nullopt;
          low = pattern[++i];
        } else if (!is_plain(low) || low == '-') {
          return std::nullopt;
        }
        ++i;
        char high = low;
        if (i + 1 < pattern.size() && pattern[i] == '-' && pattern[i + 1] != ']') {
          high = pattern[i + 1];
          if (!is_plain(high) || high == '-' || high < low) return std::nullopt;
          i += 2;
        }
        for (int k = static_cast<unsigned char>(low); k <= static_cast<unsigned char>(high); ++k) {
          add(set, static_cast<unsigned char>(k));
        }
      }
      if (!closed) return std::nullopt;
    } else if (is_plain(c) && c != '-') {
      add(set, static_cast<unsigned char>(c));
      ++i;
    } else if (c == '-') {
      add(set, '-');
      ++i;
    } else {
      return std::nullopt;
    }
    // A quantifier after the item: not a literal sequence.
    if (i < pattern.size() &&
        (pattern[i] == '*' || pattern[i] == '+' || pattern[i] == '?' || pattern[i] == '{')) {
      return std::nullopt;
    }
    out.items_.push_back(set);
  }
  if (i != pattern.size()) return std::nullopt;
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
