// codeset-import/read_file.hpp
//
// Reads a whole file into memory, inflating it with zlib when its name ends in ".gz". Errors
// (missing file, corrupt or truncated gzip stream) name the file and the 1-based line reached in
// the decompressed text. Shared by the importer and the code-set tests. Thread-safe.
#pragma once

#include <filesystem>
#include <string>

namespace claimaudit::codeset_import {

struct FileBytes {
  std::string bytes;  // Decompressed contents.
  std::string error;  // Empty on success: "x.gz: line 812: gzip data corrupt (invalid ...)".
};

FileBytes read_file_bytes(const std::filesystem::path& path, const std::string& display_name);

}  // namespace claimaudit::codeset_import
