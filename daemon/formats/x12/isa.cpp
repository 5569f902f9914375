#include "formats/x12/isa.hpp"

#include <array>

namespace claimaudit::formats::x12 {
namespace {

// Fixed widths of ISA01..ISA16 (5010).
constexpr std::array<std::size_t, 16> kWidths = {2, 10, 2, 10, 2, 15, 2, 15,
                                                 6, 4,  1, 5,  9, 1,  1, 1};

bool is_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Printable description of a delimiter for messages: "'*'", "CR", "LF".
std::string describe(char c) {
  if (c == '\r') return "CR";
  if (c == '\n') return "LF";
  if (c == ' ') return "space";
  if (c == '\t') return "TAB";
  return std::string("'") + c + "'";
}

// Explains a misplaced separator: the first ISA element whose width differs from the standard.
std::string width_problem(std::string_view head, char element, int& at) {
  std::size_t start = 4;
  for (std::size_t i = 0; i < kWidths.size(); ++i) {
    std::size_t end = head.find(element, start);
    const bool last = i + 1 == kWidths.size();
    if (last) {
      // ISA16 is one character, followed directly by the segment terminator.
      end = start + 1;
    }
    if (end == std::string_view::npos || end > head.size()) {
      at = static_cast<int>(i) + 1;
      return "the ISA ends after " + std::to_string(head.size()) + " characters, inside ISA" +
             (i + 1 < 10 ? "0" : "") + std::to_string(i + 1);
    }
    const std::size_t width = end - start;
    if (width != kWidths[i]) {
      at = static_cast<int>(i) + 1;
      return "ISA" + std::string(i + 1 < 10 ? "0" : "") + std::to_string(i + 1) + " is " +
             std::to_string(width) + " characters, expected " + std::to_string(kWidths[i]);
    }
    start = end + 1;
  }
  return "its separators are not at their fixed positions";
}

// Every separator sits at its fixed position and the 16 elements hold no separator of their
// own; otherwise the ISA is the wrong length and the component separator and segment terminator
// cannot be read.
bool separators_fixed(std::string_view head, char element) {
  if (head.size() < kIsaLength) return false;
  std::size_t position = 3;
  for (const std::size_t width : kWidths) {
    if (head[position] != element) return false;
    position += width + 1;
  }
  std::size_t start = 4;
  for (const std::size_t width : kWidths) {
    if (head.substr(start, width).find(element) != std::string_view::npos) return false;
    start += width + 1;
  }
  return true;
}

// Whether ISA11 can be the repetition separator: printable punctuation, or a control character
// that is not white space (some senders use 0x1C-0x1F as delimiters, which never occur in
// data), and not one of the other three delimiters.
bool usable_repetition(char repetition, const Delimiters& delimiters) {
  const auto code = static_cast<unsigned char>(repetition);
  const bool control = code >= 0x01 && code < 0x20 && (code < '\t' || code > '\r');
  const bool punctuation =
      control || (!is_alnum(repetition) && repetition != '`' && code > 0x20 && code < 0x7f);
  return punctuation && repetition != delimiters.element && repetition != delimiters.component &&
         repetition != delimiters.segment;
}

}  // namespace

IsaResult parse_isa(std::string_view head) {
  IsaResult result;
  if (head.size() == 3 && head == "ISA") {
    result.error_code = "E-X12-ISA-LENGTH";
    result.error_message = "the ISA ends after 3 characters; it must be 106";
    return result;
  }
  if (head.size() < 4 || head.substr(0, 3) != "ISA") {
    result.error_code = "E-X12-NO-ISA";
    result.error_message = "input does not start with an ISA segment";
    return result;
  }
  const char element = head[3];
  if (is_alnum(element) || element == ' ') {
    result.error_code = "E-X12-DELIMITERS";
    result.error_message =
        "ISA element separator " + describe(element) + " is a letter, digit or space";
    return result;
  }
  if (!separators_fixed(head, element)) {
    result.error_code = "E-X12-ISA-LENGTH";
    result.error_message =
        "the ISA must be exactly 106 characters with fixed-width elements, but " +
        width_problem(head.substr(0, std::min(head.size(), kIsaLength + 40)), element,
                      result.error_element) +
        ", so its delimiters cannot be read";
    return result;
  }
  const char component = head[104];
  const char segment = head[105];
  const char repetition = head[82];
  if (component == element || segment == element || segment == component) {
    result.error_code = "E-X12-DELIMITERS";
    result.error_message = "ISA delimiters are not distinct: element " + describe(element) +
                           ", component (ISA16) " + describe(component) + ", segment " +
                           describe(segment);
    return result;
  }
  if (is_alnum(component) || is_alnum(segment)) {
    result.error_code = "E-X12-DELIMITERS";
    result.error_message =
        std::string("ISA ") +
        (is_alnum(component) ? "component separator (ISA16) " : "segment terminator ") +
        describe(is_alnum(component) ? component : segment) + " is a letter or digit";
    return result;
  }
  result.ok = true;
  result.delimiters.element = element;
  result.delimiters.component = component;
  result.delimiters.segment = segment;
  if (usable_repetition(repetition, result.delimiters)) {
    result.delimiters.repetition = repetition;
  } else {
    result.unusable_repetition = repetition;
  }
  return result;
}

}  // namespace claimaudit::formats::x12
