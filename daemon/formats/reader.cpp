#include "formats/reader.hpp"

#include <algorithm>
#include <cstring>

namespace claimaudit::formats {

std::size_t StringSource::read(char* buffer, std::size_t size) {
  const std::size_t count = std::min(size, bytes_.size());
  std::memcpy(buffer, bytes_.data(), count);
  bytes_.remove_prefix(count);
  return count;
}

std::string_view to_string(Format format) {
  switch (format) {
    case Format::kX12:
      return "x12";
    case Format::kClaimJson:
      return "claimaudit-json";
    case Format::kFhir:
      return "fhir";
    case Format::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace claimaudit::formats
