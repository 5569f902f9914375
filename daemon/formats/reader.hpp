// formats/reader.hpp
//
// The reader interface: a byte source in, a stream of batches out (one X12 transaction set, or
// one JSON/FHIR document, at a time), so memory stays bounded by one batch, not the file.
// Readers never touch the file system, never log, never throw for bad input: problems become
// diagnostics. A reader object is used by one thread; different readers share nothing.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostic.hpp"
#include "model/claim.hpp"

namespace claimaudit::formats {

// Pull-style input. read() fills up to `size` bytes and returns how many; 0 means end of input.
// Implementations: StringSource (below), audit::FileSource (a file descriptor).
class ByteSource {
 public:
  ByteSource() = default;
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;
  virtual ~ByteSource() = default;
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
};

// Reads from a string the caller keeps alive for the source's lifetime.
class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string_view bytes) : bytes_(bytes) {}
  std::size_t read(char* buffer, std::size_t size) override;

 private:
  std::string_view bytes_;
};

enum class Format { kUnknown, kX12, kClaimJson, kFhir };
std::string_view to_string(Format format);  // "x12", "claimaudit-json", "fhir", "unknown"

// Detects the format from the first bytes of a file (up to 4 KiB is enough), never from the
// file name: "ISA" after an optional UTF-8 BOM and whitespace is X12; a JSON object with
// "resourceType" is FHIR; a JSON object with "format": "claimaudit.claim/1" (or "claims") is our
// JSON. UTF-16 and anything else is kUnknown.
Format detect(std::string_view head);

// Defaults a drop directory may supply for fields a file leaves empty.
struct ReadOptions {
  std::optional<model::PayerKind> default_payer_kind;
  std::optional<model::ClaimKind> default_claim_kind;
};

// What is known about a file once it has been read to the end.
struct FileSummary {
  Format format = Format::kUnknown;
  int claims = 0;   // Claims yielded.
  int batches = 0;  // Batches yielded.
  // Set when nothing in the file is auditable (not an 837, UTF-16, no usable ISA, no claims...):
  // the one clear reason the file goes to quarantine.
  std::optional<core::Diagnostic> rejection;
};

class BatchReader {
 public:
  BatchReader() = default;
  BatchReader(const BatchReader&) = delete;
  BatchReader& operator=(const BatchReader&) = delete;
  virtual ~BatchReader() = default;

  // Fills `batch` (cleared first) with the next batch. Returns false at the end of input (then
  // `batch` is empty). Diagnostics that belong to no claim travel in batch.diagnostics.
  virtual bool next(model::Batch& batch) = 0;

  // Valid after next() returned false.
  virtual const FileSummary& summary() const = 0;
};

// Opens the right reader for `source` (format detected from content). `file_name` is how
// diagnostics name the file. `source` must outlive the reader. Never null: an undetectable
// format gives a reader that yields nothing and reports the rejection.
std::unique_ptr<BatchReader> open_reader(ByteSource& source, std::string file_name,
                                         const ReadOptions& options = {});

}  // namespace claimaudit::formats
