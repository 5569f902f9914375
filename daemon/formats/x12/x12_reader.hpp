// formats/x12/x12_reader.hpp
//
// ASC X12 837P (005010X222A1) and 837I (005010X223A2/A3) reader: streaming, one transaction set
// per batch (DOMAIN.md 2). NOTE(issue 3): x12_reader.cpp is a placeholder until the X12 reader
// lands; the signature below is the contract open_reader() uses.
#pragma once

#include <memory>
#include <string>

#include "formats/reader.hpp"

namespace claimaudit::formats::x12 {

// `source` must outlive the reader. Never null.
std::unique_ptr<BatchReader> open_reader(ByteSource& source, std::string file_name,
                                         const ReadOptions& options);

}  // namespace claimaudit::formats::x12
