// Differential fuzz target for rules/expr/literal_regex.hpp: the input is a pattern, a NUL byte,
// then a text. Whenever LiteralRegex accepts the pattern (and RE2 compiles it), its answer must
// be RE2::PartialMatch's, or "ask RE2" (nullopt) where that is allowed: no ASCII match of a
// case-insensitive pattern in a text with non-ASCII bytes. Aborts on any difference.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <re2/re2.h>

#include "rules/expr/literal_regex.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace expr = claimaudit::rules::expr;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find('\0');
  if (split == std::string_view::npos || split > 256) return 0;
  const std::string pattern(input.substr(0, split));
  const std::string_view text = input.substr(split + 1);
  const auto literal = expr::LiteralRegex::parse(pattern);
  if (!literal) return 0;
  RE2::Options options;
  options.set_log_errors(false);
  const RE2 regex(pattern, options);
  if (!regex.ok()) return 0;
  const bool expected = RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), regex);
  const auto answer = literal->match(text);
  if (!answer) {
    // Allowed only for a case-insensitive pattern on non-ASCII text.
    bool non_ascii = false;
    for (const char c : text) non_ascii = non_ascii || static_cast<unsigned char>(c) >= 128;
    if (pattern.rfind("(?i)", 0) != 0 || !non_ascii) std::abort();
    return 0;
  }
  if (*answer != expected) std::abort();
  return 0;
}
