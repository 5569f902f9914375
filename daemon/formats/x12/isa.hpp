// formats/x12/isa.hpp
//
// The ISA interchange header: fixed length (106 characters), so its delimiters can be read by
// position before anything else is known (DOMAIN.md 2.1). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "formats/x12/segment.hpp"

namespace claimaudit::formats::x12 {

inline constexpr std::size_t kIsaLength = 106;  // Including the segment terminator.

struct IsaResult {
  bool ok = false;
  Delimiters delimiters;  // Valid when ok.
  // Set when ISA11 is not a usable repetition separator (the 4010 'U', a backtick, white space, a
  // letter or digit, or a character equal to another delimiter): the raw ISA11 character.
  char unusable_repetition = 0;
  // When !ok: a stable code ("E-X12-ISA-LENGTH", "E-X12-DELIMITERS") and a message naming the
  // element ("ISA02 is 9 characters, expected 10").
  std::string error_code;
  std::string error_message;
  int error_element = 0;  // The ISA element at fault (1-16), 0 when none is known.
};

// `head` starts with "ISA" and holds up to 106 bytes (fewer at the end of input).
IsaResult parse_isa(std::string_view head);

}  // namespace claimaudit::formats::x12
