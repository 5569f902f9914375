// audit/file_source.hpp
//
// FileSource: a formats::ByteSource over a file descriptor it owns, read with plain read(2)
// (retrying EINTR). A read error ends the input early and is kept in error(), so the caller can
// tell a short file from a failing disk. One thread uses one FileSource.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>

#include "core/result.hpp"
#include "formats/reader.hpp"

namespace claimaudit::audit {

class FileSource final : public formats::ByteSource {
 public:
  // Takes ownership of `fd` (closed by the destructor).
  explicit FileSource(int fd) : fd_(fd) {}
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  ~FileSource() override;

  std::size_t read(char* buffer, std::size_t size) override;

  // The first read error, if any (then read() returned 0 from that point on).
  const std::optional<core::ErrorCode>& error() const { return error_; }

 private:
  int fd_;
  std::optional<core::ErrorCode> error_;
};

// Opens `path` read-only, refusing symlinks (O_NOFOLLOW) and anything but a regular file.
// Returns the descriptor, or the error (ENOENT when the file vanished, ELOOP for a symlink,
// EINVAL for a non-regular file).
core::Result<int> open_regular_file(const std::filesystem::path& path);

}  // namespace claimaudit::audit
