#include "formats/x12/segment_scanner.hpp"

#include <algorithm>
#include <cstring>

namespace claimaudit::formats::x12 {

SegmentScanner::SegmentScanner(ByteSource& source, std::size_t chunk)
    : source_(source), chunk_(std::max<std::size_t>(chunk, kIsaLength)) {
  capacity_ = chunk_ * 2;
  buffer_ = std::make_unique_for_overwrite<char[]>(capacity_);
}

bool SegmentScanner::fill() {
  if (eof_) return false;
  if (pos_ > 0 && (capacity_ - end_ < chunk_)) {
    std::memmove(buffer_.get(), buffer_.get() + pos_, end_ - pos_);
    end_ -= pos_;
    base_ += pos_;
    pos_ = 0;
  }
  if (capacity_ - end_ < chunk_) {
    // A segment longer than the buffer: grow (bounded by kMaxSegment in next()).
    const std::size_t grown = capacity_ * 2;
    auto bigger = std::make_unique_for_overwrite<char[]>(grown);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ = grown;
  }
  const std::size_t count = source_.read(buffer_.get() + end_, std::min(chunk_, capacity_ - end_));
  if (count == 0) {
    eof_ = true;
    return false;
  }
  end_ += count;
  return true;
}

bool SegmentScanner::is_skippable(char c) const {
  if (c != ' ' && c != '\r' && c != '\n' && c != '\t') return false;
  return c != delimiters_.segment && c != delimiters_.element && c != delimiters_.component;
}

std::size_t SegmentScanner::unwrap(char* data, std::size_t length) const {
  // Wrapped files break their lines with LF, CR LF or (old Mac files) CR alone: two memchr
  // calls over the segment keep the common case (no break inside) cheap.
  if (std::memchr(data, '\n', length) == nullptr && std::memchr(data, '\r', length) == nullptr) {
    return length;
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < length; ++i) {
    const char c = data[i];
    if ((c == '\r' || c == '\n') && c != delimiters_.element && c != delimiters_.component &&
        c != delimiters_.repetition && c != delimiters_.segment) {
      continue;
    }
    data[kept++] = c;
  }
  return kept;
}

namespace {

bool is_break(char c) { return c == '\r' || c == '\n'; }

// The first character after a run of breaks at data[at], or 0 at the end of the input.
std::size_t after_breaks(const char* data, std::size_t available, std::size_t at) {
  while (at < available && is_break(data[at])) ++at;
  return at < available ? at : std::size_t{0};
}

// After the breaks, punctuation (not a letter, digit or space) is a terminator the wrap fell
// just before; a segment id means the break was the terminator itself (CR or LF terminated
// files, "ISA...*:\r\nGS*...").
bool is_punctuation(char c) {
  return !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ');
}

// The segment at the head of the input is an ISA: "ISA" followed by no letter or digit.
[[gnu::always_inline]] inline bool starts_isa(std::string_view head) {
  return head.size() >= 3 && head.substr(0, 3) == "ISA" &&
         (head.size() == 3 ||
          !((head[3] >= 'A' && head[3] <= 'Z') || (head[3] >= '0' && head[3] <= '9')));
}

}  // namespace

std::size_t SegmentScanner::unwrap_isa(std::string& out) const {
  const char* data = buffer_.get() + pos_;
  const std::size_t available = end_ - pos_;
  const std::size_t body = kIsaLength - 1;  // "ISA" through ISA16.
  if (available <= kIsaLength || is_break(data[3])) return 0;
  const bool inside =
      std::memchr(data, '\n', body) != nullptr || std::memchr(data, '\r', body) != nullptr;
  if (!inside) {
    // Only the terminator position may hold a break that is no terminator.
    const std::size_t next = is_break(data[body]) ? after_breaks(data, available, body) : 0;
    if (next == 0 || !is_punctuation(data[next])) return 0;
    out.assign(data, body);
    out += data[next];
    return next + 1;
  }
  out.clear();
  std::size_t raw = 0;
  while (raw < available && out.size() < body) {
    if (!is_break(data[raw])) out += data[raw];
    ++raw;
  }
  if (out.size() < body || raw >= available) return 0;
  std::size_t terminator = raw;
  if (is_break(data[raw])) {
    const std::size_t next = after_breaks(data, available, raw);
    if (next != 0 && is_punctuation(data[next])) terminator = next;
  }
  out += data[terminator];
  return terminator + 1;
}

SegmentScanner::Status SegmentScanner::start(ScanError& error) {
  started_ = true;
  while (end_ - pos_ < 4 && fill()) {
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(buffer_.get() + pos_);
  const std::size_t available = end_ - pos_;
  if (available >= 2 &&
      ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))) {
    error = {"E-X12-ENCODING", "the file is UTF-16 (byte-order mark); X12 must be ASCII or UTF-8",
             0, ""};
    return Status::kError;
  }
  if (std::memchr(bytes, 0, std::min<std::size_t>(available, 4)) != nullptr) {
    error = {"E-X12-ENCODING",
             "the file is UTF-16 or binary (NUL bytes between the first characters); X12 must be "
             "ASCII or UTF-8",
             0, ""};
    return Status::kError;
  }
  if (available >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) pos_ += 3;
  return Status::kSegment;
}

SegmentScanner::Status SegmentScanner::next(RawSegment& segment, ScanError& error) {
  if (pushed_back_) {
    pushed_back_ = false;
    segment = last_;
    return Status::kSegment;
  }
  // "~~" makes an empty segment: skipped (a loop, so a million of them cannot recurse deeply).
  for (;;) {
    const Status status = scan(segment, error);
    if (status != Status::kSegment) return status;
    if (segment.text.empty() || (skipping_interchange_ && !segment.isa)) continue;
    return status;
  }
}

SegmentScanner::Status SegmentScanner::scan(RawSegment& segment, ScanError& error) {
  if (fatal_) return Status::kEnd;
  if (!started_) {
    const Status status = start(error);
    if (status == Status::kError) {
      fatal_ = true;
      return status;
    }
  }
  if (!skip_white_space()) return Status::kEnd;
  // An ISA is read by position: its delimiters may differ from the previous interchange's.
  while (end_ - pos_ < 4 && fill()) {
  }
  const std::string_view head(buffer_.get() + pos_, end_ - pos_);
  if (starts_isa(head)) return scan_isa(segment, error);
  if (!seen_segment_) return no_isa_first(head, error);
  return scan_delimited(segment, error);
}

inline bool SegmentScanner::skip_white_space() {
  for (;;) {
    while (pos_ < end_ && is_skippable(buffer_[pos_])) ++pos_;
    if (pos_ < end_) return true;
    if (!fill()) return false;
  }
}

SegmentScanner::Status SegmentScanner::scan_isa(RawSegment& segment, ScanError& error) {
  while (end_ - pos_ < kIsaLength + 40 && fill()) {
  }
  const std::string_view isa_head(buffer_.get() + pos_, std::min(end_ - pos_, kIsaLength + 40));
  // A wrapped ISA is read without its line breaks. When that does not give a valid ISA, it is
  // read as written (and its error, if any, is about the ISA as written).
  std::string unwrapped;
  std::size_t wrapped = unwrap_isa(unwrapped);
  IsaResult result;
  if (wrapped != 0) {
    result = parse_isa(unwrapped);
    if (result.ok) {
      std::memcpy(buffer_.get() + pos_, unwrapped.data(), kIsaLength);
    } else {
      wrapped = 0;
    }
  }
  if (wrapped == 0) result = parse_isa(isa_head);
  if (!result.ok) return unreadable_isa(result, error);
  skipping_interchange_ = false;
  delimiters_ = result.delimiters;
  unusable_repetition_ = result.unusable_repetition;
  segment.text = std::string_view(buffer_.get() + pos_, kIsaLength - 1);
  segment.offset = base_ + pos_;
  segment.isa = true;
  pos_ += wrapped != 0 ? wrapped : kIsaLength;
  last_ = segment;
  seen_segment_ = true;
  return Status::kSegment;
}

SegmentScanner::Status SegmentScanner::unreadable_isa(const IsaResult& result, ScanError& error) {
  error = {result.error_code, result.error_message, base_ + pos_,
           result.error_element > 0
               ? "ISA, ISA" + std::string(result.error_element < 10 ? "0" : "") +
                     std::to_string(result.error_element)
               : std::string()};
  if (!seen_segment_) {
    fatal_ = true;
    return Status::kError;
  }
  // A later interchange whose ISA cannot be read: its segments, cut with the previous
  // interchange's delimiters, are skipped up to the next ISA, which is read again.
  error.message += "; this interchange is skipped up to the next ISA";
  skipping_interchange_ = true;
  pos_ += 3;
  return Status::kError;
}

SegmentScanner::Status SegmentScanner::no_isa_first(std::string_view head, ScanError& error) {
  // The first segment of a file must be an ISA.
  std::string found;
  for (std::size_t i = 0; i < head.size() && i < 3; ++i) {
    const char c = head[i];
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) found += c;
  }
  error = {"E-X12-NO-ISA",
           found.empty()
               ? std::string("the file does not start with an ISA segment")
               : "the file does not start with an ISA segment (it starts with '" + found + "')",
           base_ + pos_, ""};
  fatal_ = true;
  return Status::kError;
}

inline SegmentScanner::Status SegmentScanner::scan_delimited(RawSegment& segment,
                                                             ScanError& error) {
  // Find the terminator.
  std::size_t searched = pos_;
  for (;;) {
    const void* hit = std::memchr(buffer_.get() + searched, delimiters_.segment, end_ - searched);
    if (hit != nullptr) {
      const std::size_t stop =
          static_cast<std::size_t>(static_cast<const char*>(hit) - buffer_.get());
      if (stop - pos_ > kMaxSegment) {
        error = {"E-X12-SEGMENT-LENGTH",
                 "a segment is longer than " + std::to_string(kMaxSegment) + " bytes; skipped",
                 base_ + pos_, ""};
        pos_ = stop + 1;
        return Status::kError;
      }
      // Trailing white space is not data (a CR/LF before a '~', or spaces after the last element).
      std::size_t length = stop - pos_;
      while (length > 0 && is_skippable(buffer_[pos_ + length - 1])) --length;
      length = unwrap(buffer_.get() + pos_, length);
      segment.text = std::string_view(buffer_.get() + pos_, length);
      segment.offset = base_ + pos_;
      segment.isa = false;
      pos_ = stop + 1;
      last_ = segment;
      return Status::kSegment;
    }
    if (end_ - pos_ >= kMaxSegment) return skip_oversized(error);
    const std::size_t offset_in_segment = end_ - pos_;
    if (!fill()) return scan_unterminated(segment);
    searched = pos_ + offset_in_segment;
  }
}

SegmentScanner::Status SegmentScanner::skip_oversized(ScanError& error) {
  // Skip the oversized segment up to its terminator.
  error = {"E-X12-SEGMENT-LENGTH",
           "a segment is longer than " + std::to_string(kMaxSegment) +
               " bytes without a segment terminator; skipped",
           base_ + pos_, ""};
  for (;;) {
    pos_ = end_;
    if (!fill()) return Status::kError;
    const void* stop = std::memchr(buffer_.get() + pos_, delimiters_.segment, end_ - pos_);
    if (stop != nullptr) {
      pos_ = static_cast<std::size_t>(static_cast<const char*>(stop) - buffer_.get()) + 1;
      return Status::kError;
    }
  }
}

SegmentScanner::Status SegmentScanner::scan_unterminated(RawSegment& segment) {
  // Input ends without a terminator: the rest is the last segment.
  std::size_t length = end_ - pos_;
  while (length > 0 && is_skippable(buffer_[pos_ + length - 1])) --length;
  length = unwrap(buffer_.get() + pos_, length);
  if (length == 0) return Status::kEnd;
  unterminated_end_ = true;
  segment.text = std::string_view(buffer_.get() + pos_, length);
  segment.offset = base_ + pos_;
  segment.isa = false;
  pos_ = end_;
  last_ = segment;
  return Status::kSegment;
}

}  // namespace claimaudit::formats::x12
