// audit/file_source.hpp
//
// FileSource: a formats::ByteSource over a file descriptor it owns, read with plain read(2)
// (retrying EINTR). A read error ends the input early and is kept in error(), so the caller can
// tell a short file from a failing disk. One thread uses one FileSource.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

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
  // Makes every read fail with `error` from now on (the read-fault test hook below).
  void fail_with(core::ErrorCode error) { error_ = error; }

 private:
  int fd_;
  std::optional<core::ErrorCode> error_;
};

// Opens `path` read-only, refusing symlinks (O_NOFOLLOW) and anything but a regular file.
// Returns the descriptor, or the error (ENOENT when the file vanished, ELOOP for a symlink,
// EINVAL for a non-regular file).
core::Result<int> open_regular_file(const std::filesystem::path& path);

// Test hook (integration tests): CLAIMAUDIT_READ_FAULT=NAME:COUNT makes the first COUNT reads of
// a file dropped as NAME fail with EIO, as a failing disk does (nothing else can make a real
// file system fail on demand without device-mapper or FUSE). consume_read_fault() takes one of
// them (true: fail this read); read_fault_pending() only asks. Unset: both are false.
bool consume_read_fault(const std::string& name);
bool read_fault_pending(const std::string& name);

}  // namespace claimaudit::audit
