// core/log_safe.hpp
//
// log_safe(): text that came from outside (a dropped file's name, a path holding one) made safe
// for a log line: control characters are written as escapes ("\n", "\r", "\t", "\x1B"), so a
// name cannot start a forged log line of its own or send escape sequences to the terminal of
// whoever reads the log. Printable bytes, UTF-8 included, pass unchanged.
#pragma once

#include <string>
#include <string_view>

namespace claimaudit::core {

inline std::string log_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

}  // namespace claimaudit::core
