#include "codes/mapped_table.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <tuple>

namespace claimaudit::codes {

struct MappedTable::Mapping {
  const unsigned char* data = nullptr;
  std::size_t size = 0;
  Mapping(const unsigned char* d, std::size_t n) : data(d), size(n) {}
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() { ::munmap(const_cast<unsigned char*>(data), size); }
};

namespace {

// The live mappings by file identity (device, inode, size, modification time).
using FileIdentity = std::tuple<dev_t, ino_t, off_t, std::int64_t, long>;

}  // namespace

void MappedTable::corrupt(const std::string& what) const {
  throw std::runtime_error(path_ + ": corrupt code-set table (" + what + ")");
}

MappedTable MappedTable::open(const std::filesystem::path& path) {
  MappedTable t;
  t.path_ = path.string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error(t.path_ + ": cannot open code-set table: " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw std::runtime_error(t.path_ + ": cannot stat code-set table: " + std::strerror(err));
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size < sizeof(table::TableHeader)) {
    ::close(fd);
    t.corrupt("file of " + std::to_string(size) + " bytes is shorter than the header");
  }
  // A file already mapped (and verified) by a live table is shared, not mapped a second time.
  static std::mutex registry_mutex;
  static std::map<FileIdentity, std::weak_ptr<const Mapping>> registry;
  const FileIdentity identity{st.st_dev, st.st_ino, st.st_size,
                              static_cast<std::int64_t>(st.st_mtim.tv_sec), st.st_mtim.tv_nsec};
  const std::lock_guard lock(registry_mutex);
  if (auto shared = registry[identity].lock()) {
    ::close(fd);
    t.mapping_ = std::move(shared);
    t.data_ = t.mapping_->data;
    t.size_ = t.mapping_->size;
    return t;
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) {
    throw std::runtime_error(t.path_ + ": cannot map code-set table: " + std::strerror(errno));
  }
  t.mapping_ = std::make_shared<const Mapping>(static_cast<const unsigned char*>(map), size);
  t.data_ = t.mapping_->data;
  t.size_ = size;
  const auto* h = t.header();
  if (std::memcmp(h->magic, table::kMagic, sizeof h->magic) != 0) t.corrupt("bad magic");
  if (h->version != table::kVersion) {
    t.corrupt("version " + std::to_string(h->version) + ", this build reads " +
              std::to_string(table::kVersion));
  }
  if (h->header_size != sizeof(table::TableHeader) || h->file_size != size) {
    t.corrupt("size " + std::to_string(size) + " does not match the header (truncated?)");
  }
  if (table::checksum(t.data_ + sizeof(table::TableHeader), size - sizeof(table::TableHeader)) !=
      h->checksum) {
    t.corrupt("checksum mismatch");
  }
  if (h->strings_offset > size || h->string_bytes > size - h->strings_offset ||
      h->string_bytes < 2) {
    t.corrupt("string pool out of bounds");
  }
  registry[identity] = t.mapping_;
  return t;
}

bool MappedTable::valid_string(std::uint32_t offset) const {
  const auto* h = header();
  if (offset == 0) return true;
  if (static_cast<std::uint64_t>(offset) + 2 > h->string_bytes) return false;
  const auto* p = data_ + h->strings_offset + offset;
  const std::size_t n = p[0] | (static_cast<std::size_t>(p[1]) << 8);
  return offset + 2 + n <= h->string_bytes;
}

std::filesystem::path default_table_path() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("CLAIMAUDIT_CODESET"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto dir = exe.parent_path();
    for (int up = 0; up <= 5 && !dir.empty(); ++up) {
      auto candidate = dir / "share" / "claimaudit" / "codeset.bin";
      if (fs::exists(candidate, ec)) return candidate;
      if (dir == dir.parent_path()) break;
      dir = dir.parent_path();
    }
  }
  return "/usr/share/claimaudit/codeset.bin";
}

}  // namespace claimaudit::codes
