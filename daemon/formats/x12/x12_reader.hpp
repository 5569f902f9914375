// formats/x12/x12_reader.hpp
//
// ASC X12 837P (005010X222A1/A2, 005010X222) and 837I (005010X223A2/A3) reader: streaming, one
// batch per 837 transaction set (DOMAIN.md 2). Delimiters come from each ISA; memory is bounded
// by one transaction set (the claims it builds) plus a 256 KiB read buffer. Envelope, loop and
// composite problems are diagnostics (docs/diagnostics.md, section X12); only a file with
// nothing auditable is rejected, through FileSummary::rejection. Files: isa (fixed-length
// header), segment_scanner (bytes to segments), segment (element views), claim_builder (837
// loops to model::Claim), x12_reader (envelope checks, batches). One reader per thread.
#pragma once

#include <memory>
#include <string>

#include "formats/reader.hpp"

namespace claimaudit::formats::x12 {

// `source` must outlive the reader. Never null. next() yields one batch per 837 ST that kept at
// least one claim; diagnostics of transaction sets without claims travel with the next batch.
std::unique_ptr<BatchReader> open_reader(ByteSource& source, std::string file_name,
                                         const ReadOptions& options);

}  // namespace claimaudit::formats::x12
