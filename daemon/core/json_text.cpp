#include "core/json_text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace claimaudit::core {

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// Non-zero when one of the eight bytes of `word` needs an escape in a JSON string: a control
// character (below 0x20), '"' or '\\'. Exact, no false positives: a byte below 0x80 borrows
// only when it is below the subtrahend, and the high bits of bytes 0x80 and up are masked out.
constexpr std::uint64_t needs_escape(std::uint64_t word) {
  const std::uint64_t low = ~word & kHighs;
  const std::uint64_t control = (word & ~kHighs) + kOnes * (0x80 - 0x20);
  const std::uint64_t quote = ((word ^ (kOnes * '"')) & ~kHighs) + kOnes * 0x7F;
  const std::uint64_t backslash = ((word ^ (kOnes * '\\')) & ~kHighs) + kOnes * 0x7F;
  // A byte's high bit in `control` is clear when it is below 0x20; in `quote` / `backslash`
  // when the byte equals the character (its low seven bits are then zero).
  return low & (~control | ~quote | ~backslash) & kHighs;
}

// The escape of one character that needs it, appended.
void append_escape(std::string& out, char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default: {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    }
  }
}

bool plain(char c) { return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20; }

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  // Runs of characters that need no escape are appended whole; eight bytes are checked at a
  // time, and a word that holds a character to escape is walked byte by byte.
  std::size_t run = 0;
  std::size_t i = 0;
  const std::size_t size = text.size();
  while (i < size) {
    if (i + sizeof(std::uint64_t) <= size) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + i, sizeof word);
      if (needs_escape(word) == 0) {
        i += sizeof word;
        continue;
      }
    }
    const std::size_t end = std::min(size, i + sizeof(std::uint64_t));
    for (; i < end; ++i) {
      if (plain(text[i])) continue;
      out.append(text.substr(run, i - run));
      run = i + 1;
      append_escape(out, text[i]);
    }
  }
  out.append(text.substr(run));
  out.push_back('"');
}

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text);
  return out;
}

}  // namespace claimaudit::core
