// formats/x12/segment.hpp
//
// One X12 segment as views into the reader's buffer: the tag and its elements, split on the
// element separator; components are split on demand. Views are valid until the scanner reads
// the next segment. Cheap to build (one pass, no allocation once the element vector has grown);
// used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace claimaudit::formats::x12 {

// The delimiters an interchange declares in its ISA (DOMAIN.md 2.1). `repetition` is 0 when
// ISA11 is not usable as a repetition separator.
struct Delimiters {
  char element = '*';
  char component = ':';
  char repetition = 0;
  char segment = '~';
};

class Segment {
 public:
  // Splits `text` (one segment without its terminator). `offset` is the byte offset of the
  // segment's first character in the file, `index` its 1-based position inside the ST (0 when
  // outside a transaction set).
  void assign(std::string_view text, std::uint64_t offset, std::uint32_t index, char element) {
    text_ = text;
    offset_ = offset;
    index_ = index;
    elements_.clear();
    std::size_t start = 0;
    const char* data = text.data();
    const std::size_t size = text.size();
    for (std::size_t i = 0; i < size; ++i) {
      if (data[i] == element) {
        elements_.emplace_back(data + start, i - start);
        start = i + 1;
      }
    }
    elements_.emplace_back(data + start, size - start);
  }

  void set_index(std::uint32_t index) { index_ = index; }

  std::string_view text() const { return text_; }
  std::string_view tag() const { return elements_.front(); }
  std::uint64_t offset() const { return offset_; }
  std::uint32_t index() const { return index_; }
  // Number of elements after the tag (trailing empty elements included).
  int size() const { return static_cast<int>(elements_.size()) - 1; }
  // Element `n` (1-based, as X12 counts: CLM01 = element(1)); "" when absent.
  std::string_view element(int n) const {
    return n > 0 && n < static_cast<int>(elements_.size()) ? elements_[static_cast<std::size_t>(n)]
                                                           : std::string_view{};
  }

 private:
  std::string_view text_;
  std::uint64_t offset_ = 0;
  std::uint32_t index_ = 0;
  std::vector<std::string_view> elements_;
};

// Component `n` (1-based) of a composite element; "" when absent. A value without separators
// is its own first component.
inline std::string_view component(std::string_view element, char separator, int n) {
  std::size_t start = 0;
  for (int i = 1; i < n; ++i) {
    const std::size_t next = element.find(separator, start);
    if (next == std::string_view::npos) return {};
    start = next + 1;
  }
  const std::size_t end = element.find(separator, start);
  return element.substr(start,
                        end == std::string_view::npos ? std::string_view::npos : end - start);
}

// Splits a composite into at most `capacity` components; returns how many were written.
inline int split_components(std::string_view element, char separator, std::string_view* out,
                            int capacity) {
  int count = 0;
  std::size_t start = 0;
  while (count < capacity) {
    const std::size_t next = element.find(separator, start);
    if (next == std::string_view::npos) {
      out[count++] = element.substr(start);
      break;
    }
    out[count++] = element.substr(start, next - start);
    start = next + 1;
  }
  return count;
}

}  // namespace claimaudit::formats::x12
