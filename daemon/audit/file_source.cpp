#include "audit/file_source.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string_view>

namespace claimaudit::audit {

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t FileSource::read(char* buffer, std::size_t size) {
  if (error_ || fd_ < 0) return 0;
  for (;;) {
    const ssize_t count = ::read(fd_, buffer, size);
    if (count >= 0) return static_cast<std::size_t>(count);
    if (errno == EINTR) continue;
    error_ = core::ErrorCode(errno, boost::system::system_category());
    return 0;
  }
}

core::Result<int> open_regular_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return core::ErrorCode(errno, boost::system::system_category());
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return core::ErrorCode(EINVAL, boost::system::system_category());
  }
  // O_NONBLOCK only kept a FIFO from blocking the open; regular files ignore it, clear it anyway.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

namespace {

// CLAIMAUDIT_READ_FAULT, read once.
struct ReadFault {
  ReadFault() {
    const char* value = std::getenv("CLAIMAUDIT_READ_FAULT");
    if (value == nullptr) return;
    const std::string_view text(value);
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return;
    name = std::string(text.substr(0, colon));
    left = std::atoi(std::string(text.substr(colon + 1)).c_str());
  }
  std::string name;
  std::atomic<int> left{0};
};

ReadFault& read_fault() {
  static ReadFault fault;
  return fault;
}

}  // namespace

bool consume_read_fault(const std::string& name) {
  ReadFault& fault = read_fault();
  if (fault.name.empty() || fault.name != name) return false;
  int left = fault.left.load();
  while (left > 0) {
    if (fault.left.compare_exchange_weak(left, left - 1)) return true;
  }
  return false;
}

bool read_fault_pending(const std::string& name) {
  ReadFault& fault = read_fault();
  return !fault.name.empty() && fault.name == name && fault.left.load() > 0;
}

}  // namespace claimaudit::audit
