#include "formats/reader.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "formats/detail/detect.hpp"
#include "formats/fhir/fhir_reader.hpp"
#include "formats/json/json_reader.hpp"
#include "formats/x12/x12_reader.hpp"

namespace claimaudit::formats {

std::size_t StringSource::read(char* buffer, std::size_t size) {
  const std::size_t count = std::min(size, bytes_.size());
  if (count > 0) std::memcpy(buffer, bytes_.data(), count);
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

Format detect(std::string_view head) { return detail::detect_with_reason(head).format; }

namespace {

// The head already read for detection, then the rest of the original source: the chosen reader
// sees the file from its first byte.
class ChainedSource final : public ByteSource {
 public:
  ChainedSource(std::string head, ByteSource& rest) : head_(std::move(head)), rest_(rest) {}

  std::size_t read(char* buffer, std::size_t size) override {
    if (offset_ < head_.size()) {
      const std::size_t count = std::min(size, head_.size() - offset_);
      std::memcpy(buffer, head_.data() + offset_, count);
      offset_ += count;
      return count;
    }
    return rest_.read(buffer, size);
  }

 private:
  std::string head_;
  std::size_t offset_ = 0;
  ByteSource& rest_;
};

// Yields nothing; its summary carries the reason the file cannot be read at all.
class RejectingReader final : public BatchReader {
 public:
  explicit RejectingReader(core::Diagnostic rejection) {
    summary_.rejection = std::move(rejection);
  }
  bool next(model::Batch& batch) override {
    batch = {};
    return false;
  }
  const FileSummary& summary() const override { return summary_; }

 private:
  FileSummary summary_;
};

// Owns the chained source the inner reader reads from.
class DetectedReader final : public BatchReader {
 public:
  explicit DetectedReader(std::unique_ptr<ChainedSource> source) : source_(std::move(source)) {}
  void set_inner(std::unique_ptr<BatchReader> inner) { inner_ = std::move(inner); }
  ChainedSource& source() { return *source_; }

  bool next(model::Batch& batch) override { return inner_->next(batch); }
  const FileSummary& summary() const override { return inner_->summary(); }

 private:
  std::unique_ptr<ChainedSource> source_;  // Declared first: destroyed after inner_.
  std::unique_ptr<BatchReader> inner_;
};

}  // namespace

std::unique_ptr<BatchReader> open_reader(ByteSource& source, std::string file_name,
                                         const ReadOptions& options) {
  std::string head(detail::kDetectHeadSize, '\0');
  std::size_t filled = 0;
  while (filled < head.size()) {
    const std::size_t count = source.read(head.data() + filled, head.size() - filled);
    if (count == 0) break;
    filled += count;
  }
  head.resize(filled);
  detail::Detection detection = detail::detect_with_reason(head);
  if (detection.format == Format::kUnknown) {
    return std::make_unique<RejectingReader>(core::Diagnostic{core::Severity::kError,
                                                              "E-FORMAT-UNKNOWN",
                                                              {std::move(file_name), 0, 0, ""},
                                                              std::move(detection.reason)});
  }
  auto reader =
      std::make_unique<DetectedReader>(std::make_unique<ChainedSource>(std::move(head), source));
  switch (detection.format) {
    case Format::kX12:
      reader->set_inner(x12::open_reader(reader->source(), std::move(file_name), options));
      break;
    case Format::kClaimJson:
      reader->set_inner(json::open_reader(reader->source(), std::move(file_name), options));
      break;
    case Format::kFhir:
      reader->set_inner(fhir::open_reader(reader->source(), std::move(file_name), options));
      break;
    case Format::kUnknown:
      break;
  }
  return reader;
}

}  // namespace claimaudit::formats
