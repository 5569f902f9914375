// formats/x12/segment_scanner.hpp
//
// SegmentScanner: cuts a ByteSource into X12 segments, streaming. It reads the source in chunks
// (256 KiB by default) into one buffer that holds only the bytes not yet consumed plus the
// current segment, so memory does not grow with the file. It strips a UTF-8 byte-order mark,
// rejects UTF-16, reads each ISA by position (its delimiters then apply until the next ISA),
// skips CR, LF, spaces and tabs between segments and at the end of a segment, and drops the LF,
// CR LF and CR line breaks inside a segment and an ISA (files wrapped at a fixed width), unless
// one of them is a delimiter.
// Not thread-safe; the source must outlive the scanner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "formats/reader.hpp"
#include "formats/x12/isa.hpp"
#include "formats/x12/segment.hpp"

namespace claimaudit::formats::x12 {

struct RawSegment {
  std::string_view text;     // Without terminator; valid until the next call to next().
  std::uint64_t offset = 0;  // Byte offset of text[0] in the file (BOM included).
  bool isa = false;          // Read by position as an ISA; delimiters() now describes it.
};

struct ScanError {
  std::string code;  // "E-X12-ENCODING", "E-X12-NO-ISA", "E-X12-ISA-LENGTH" ...
  std::string message;
  std::uint64_t offset = 0;
  std::string path;  // "ISA, ISA02" when the element is known; else empty.
};

class SegmentScanner {
 public:
  enum class Status { kSegment, kEnd, kError };

  static constexpr std::size_t kDefaultChunk = std::size_t{256} * 1024;
  static constexpr std::size_t kMaxSegment = std::size_t{1024} * 1024;

  explicit SegmentScanner(ByteSource& source, std::size_t chunk = kDefaultChunk);
  SegmentScanner(const SegmentScanner&) = delete;
  SegmentScanner& operator=(const SegmentScanner&) = delete;
  ~SegmentScanner() = default;

  // The next segment. kError: `error` says why; a first ISA that cannot be read, a UTF-16 file
  // or a first segment that is not an ISA (all fatal: the scanner then returns kEnd), a later
  // ISA that cannot be read (its interchange is skipped up to the next ISA), or a segment
  // longer than kMaxSegment (skipped; scanning goes on).
  Status next(RawSegment& segment, ScanError& error);

  // Makes the next call to next() return the segment just returned again.
  void push_back() { pushed_back_ = true; }

  const Delimiters& delimiters() const { return delimiters_; }
  // ISA11 of the current interchange when it is not usable as a repetition separator, else 0.
  char unusable_repetition() const { return unusable_repetition_; }
  // Bytes consumed so far (the high-water mark of the buffer is buffer_capacity()).
  std::uint64_t consumed() const { return base_ + pos_; }
  std::size_t buffer_capacity() const { return capacity_; }
  // True once input ended before a segment terminator (the last segment had none).
  bool unterminated_end() const { return unterminated_end_; }

 private:
  // Reads more input after end_; moves unconsumed bytes to the front first. False at EOF.
  bool fill();
  bool is_skippable(char c) const;
  // When [data, data + length) holds a CR or LF, removes those that are not delimiters (files
  // "wrapped" at a fixed line width with LF, CR LF or CR break segments anywhere; CR and LF are
  // never X12 data), compacting in place; returns the new length.
  std::size_t unwrap(char* data, std::size_t length) const;
  // An ISA with a line break inside its first 105 characters, or between ISA16 and a
  // punctuation terminator (a wrapped file): its 106 characters without the breaks into `out`,
  // and the raw bytes it spans at pos_, terminator included; 0 when it is not wrapped or the
  // input ends first.
  std::size_t unwrap_isa(std::string& out) const;
  Status start(ScanError& error);
  Status scan(RawSegment& segment, ScanError& error);
  // The steps of scan(). Skips white space between segments; false at the end of the input.
  bool skip_white_space();
  // The ISA at pos_ (read by position; its delimiters become the scanner's).
  Status scan_isa(RawSegment& segment, ScanError& error);
  // An ISA parse_isa() rejected: fatal before the first segment, else its interchange skipped.
  Status unreadable_isa(const IsaResult& result, ScanError& error);
  // The file's first segment is not an ISA (fatal).
  Status no_isa_first(std::string_view head, ScanError& error);
  // The segment at pos_ up to its terminator (the input's end when it has none).
  Status scan_delimited(RawSegment& segment, ScanError& error);
  // A segment over kMaxSegment bytes with no terminator in the buffer: skipped up to its end.
  Status skip_oversized(ScanError& error);
  // The input ended without a terminator: the rest is the last segment.
  Status scan_unterminated(RawSegment& segment);

  ByteSource& source_;
  std::size_t chunk_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t pos_ = 0;     // First unconsumed byte.
  std::size_t end_ = 0;     // One past the last byte read.
  std::uint64_t base_ = 0;  // File offset of buffer_[0].
  bool eof_ = false;
  bool started_ = false;
  bool fatal_ = false;
  bool pushed_back_ = false;
  bool unterminated_end_ = false;
  bool skipping_interchange_ = false;  // After an unreadable later ISA, up to the next ISA.
  bool seen_segment_ = false;
  RawSegment last_;
  Delimiters delimiters_;
  char unusable_repetition_ = 0;
};

}  // namespace claimaudit::formats::x12
