// formats/detail/detect.hpp
//
// Content sniffing behind formats::detect() and open_reader(): which reader a file needs, judged
// from its first bytes only, and when none fits, the one sentence that says why. Pure functions;
// thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "formats/reader.hpp"

namespace claimaudit::formats::detail {

// How many bytes open_reader() reads before deciding.
inline constexpr std::size_t kDetectHeadSize = 4096;

struct Detection {
  Format format = Format::kUnknown;
  std::string reason;  // Set when format is kUnknown: "file is UTF-16LE ...". Never quotes data.
};

// Never fails: anything it cannot place is kUnknown with a reason.
Detection detect_with_reason(std::string_view head);

}  // namespace claimaudit::formats::detail
