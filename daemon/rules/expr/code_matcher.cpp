#include "rules/expr/code_matcher.hpp"

#include <algorithm>
#include <cstdint>

#include "core/icd10_code.hpp"

namespace claimaudit::rules::expr {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

// A prefix or range end: 1 to 7 letters or digits, a dot allowed after the third.
std::optional<std::string> normalize_fragment(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && i == 3) continue;
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
      out += c;
    } else if (c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 'a' + 'A');
    } else {
      return std::nullopt;
    }
  }
  if (out.empty() || out.size() > 7) return std::nullopt;
  return out;
}

// At most seven bytes as one integer: the bytes from the most significant down, then the length
// in the low byte (so "M62" and "M62" + NUL differ). Exact codes and prefixes are at most seven
// characters (normalize_icd10, normalize_fragment).
constexpr std::size_t kPackedChars = 7;
std::uint64_t pack_fragment(std::string_view text) {
  std::uint64_t key = 0;
  for (const char c : text) key = key << 8U | static_cast<unsigned char>(c);
  key <<= 8U * (kPackedChars - text.size());
  return key << 8U | text.size();
}

bool contains(const std::vector<std::uint64_t>& sorted, std::uint64_t key) {
  return std::binary_search(sorted.begin(), sorted.end(), key);
}

}  // namespace

bool code_in_range(std::string_view code, std::string_view first, std::string_view last) {
  if (code < first && !starts_with(code, first)) return false;
  return code <= last || starts_with(code, last);
}

bool CodePattern::matches(std::string_view code) const {
  switch (kind) {
    case Kind::kExact:
      return code == first;
    case Kind::kPrefix:
      return starts_with(code, first);
    case Kind::kRange:
      return code_in_range(code, first, last);
  }
  return false;
}

std::string CodePattern::spelling() const {
  switch (kind) {
    case Kind::kExact:
      return core::dotted_icd10(first);
    case Kind::kPrefix:
      return core::dotted_icd10(first) + "*";
    case Kind::kRange:
      return core::dotted_icd10(first) + "-" + core::dotted_icd10(last);
  }
  return first;
}

std::optional<CodePattern> parse_code_pattern(std::string_view text, std::string* error) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  CodePattern pattern;
  if (!text.empty() && text.back() == '*') {
    auto prefix = normalize_fragment(text.substr(0, text.size() - 1));
    if (!prefix) {
      if (error)
        *error = "'" + std::string(text) + "' is not a code prefix (write it like M62.83*)";
      return std::nullopt;
    }
    pattern.kind = CodePattern::Kind::kPrefix;
    pattern.first = *prefix;
    return pattern;
  }
  const std::size_t dash = text.find('-');
  if (dash != std::string_view::npos) {
    auto first = normalize_fragment(text.substr(0, dash));
    auto last = normalize_fragment(text.substr(dash + 1));
    if (!first || !last || *last < *first) {
      if (error) {
        *error = "'" + std::string(text) +
                 "' is not a code range (write it like V00-Y99, the first end before the second)";
      }
      return std::nullopt;
    }
    pattern.kind = CodePattern::Kind::kRange;
    pattern.first = *first;
    pattern.last = *last;
    return pattern;
  }
  auto code = core::normalize_icd10(text);
  if (!code) {
    if (error) {
      *error = "'" + std::string(text) +
               "' cannot be an ICD-10-CM code (3 to 7 letters or digits, a dot after the third)";
    }
    return std::nullopt;
  }
  pattern.first = *code;
  return pattern;
}

void CodeMatcher::add(CodePattern pattern) {
  const auto insert_sorted = [](std::vector<std::uint64_t>& sorted, std::uint64_t key) {
    const auto at = std::lower_bound(sorted.begin(), sorted.end(), key);
    if (at == sorted.end() || *at != key) sorted.insert(at, key);
  };
  switch (pattern.kind) {
    case CodePattern::Kind::kExact:
      if (pattern.first.size() <= kPackedChars) {
        insert_sorted(exact_, pack_fragment(pattern.first));
      } else {
        long_exact_.push_back(pattern.first);  // Not from parse_code_pattern; kept exact anyway.
      }
      break;
    case CodePattern::Kind::kPrefix:
      if (pattern.first.size() <= kPackedChars) {
        insert_sorted(prefixes_, pack_fragment(pattern.first));
        const auto at =
            std::lower_bound(prefix_lengths_.begin(), prefix_lengths_.end(), pattern.first.size());
        if (at == prefix_lengths_.end() || *at != pattern.first.size()) {
          prefix_lengths_.insert(at, pattern.first.size());
        }
      } else {
        long_prefixes_.push_back(pattern.first);
      }
      break;
    case CodePattern::Kind::kRange:
      ranges_.emplace_back(pattern.first, pattern.last);
      break;
  }
  patterns_.push_back(std::move(pattern));
}

bool CodeMatcher::matches(std::string_view code) const {
  // Exact codes and prefixes are sorted packed keys: one binary search for the code, one for
  // each prefix length the list uses (ascending; none longer than the code).
  if (!exact_.empty() && code.size() <= kPackedChars && contains(exact_, pack_fragment(code))) {
    return true;
  }
  for (const std::size_t length : prefix_lengths_) {
    if (length > code.size()) break;
    if (contains(prefixes_, pack_fragment(code.substr(0, length)))) return true;
  }
  for (const std::string& exact : long_exact_) {
    if (code == exact) return true;
  }
  for (const std::string& prefix : long_prefixes_) {
    if (starts_with(code, prefix)) return true;
  }
  for (const auto& [first, last] : ranges_) {
    if (code_in_range(code, first, last)) return true;
  }
  return false;
}

void PairList::add(CodePattern first, CodePattern second) {
  firsts_.add(first);
  const std::size_t index = pairs_.size();
  if (first.kind != CodePattern::Kind::kRange && !first.first.empty()) {
    const auto at = std::upper_bound(
        by_first_.begin(), by_first_.end(), first.first,
        [](const std::string& key, const auto& entry) { return key < entry.first; });
    by_first_.emplace(at, first.first, index);
  } else {
    other_firsts_.push_back(index);
  }
  pairs_.emplace_back(std::move(first), std::move(second));
}

bool PairList::matches(std::string_view a, std::string_view b) const {
  if (!firsts_.matches(a)) return false;
  const auto pair_matches = [&](std::size_t index) {
    const auto& [first, second] = pairs_[index];
    return first.matches(a) && second.matches(b);
  };
  const auto key_less = [](const auto& entry, std::string_view key) { return entry.first < key; };
  for (std::size_t length = 1; length <= a.size(); ++length) {
    const std::string_view key = a.substr(0, length);
    for (auto it = std::lower_bound(by_first_.begin(), by_first_.end(), key, key_less);
         it != by_first_.end() && it->first == key; ++it) {
      if (pair_matches(it->second)) return true;
    }
  }
  return std::any_of(other_firsts_.begin(), other_firsts_.end(), pair_matches);
}

}  // namespace claimaudit::rules::expr
