// codes/mapped_table.hpp
//
// MappedTable: the compact table (table_format.hpp) mapped read-only into memory, with its header
// and checksum verified. Shared by CodeSet and EditLists; internal to the codes module. Immutable
// after open(), so any number of threads may read it. Opening the same file again (same device,
// inode, size and modification time) while a mapping of it is alive shares that mapping: the
// daemon's CodeSet and EditLists read one 17 MiB file, resident once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "codes/table_format.hpp"

namespace claimaudit::codes {

class MappedTable {
 public:
  MappedTable() = default;

  // Maps the file and checks magic, version, size and checksum. Throws std::runtime_error naming
  // the path and the problem.
  static MappedTable open(const std::filesystem::path& path);

  const table::TableHeader* header() const {
    return reinterpret_cast<const table::TableHeader*>(data_);
  }
  // `count` records of T at `offset`; throws (corrupt) if they do not fit in the file.
  template <class T>
  const T* section(std::uint64_t offset, std::size_t count) const {
    if (offset % alignof(T) != 0 || offset > size_ || count > (size_ - offset) / sizeof(T)) {
      corrupt("section out of bounds");
    }
    return reinterpret_cast<const T*>(data_ + offset);
  }
  bool valid_string(std::uint32_t offset) const;
  // The string at `offset` in the pool, clamped to the pool (load() checks offsets are below
  // string_bytes; valid_string() is the full check).
  std::string_view string_at(std::uint32_t offset) const {
    const auto* h = header();
    if (static_cast<std::uint64_t>(offset) + 2 > h->string_bytes) return {};
    const auto* p = data_ + h->strings_offset + offset;
    const std::size_t n = p[0] | (static_cast<std::size_t>(p[1]) << 8);
    const std::size_t room = h->string_bytes - offset - 2;
    return {reinterpret_cast<const char*>(p + 2), n < room ? n : room};
  }
  [[noreturn]] void corrupt(const std::string& what) const;

 private:
  struct Mapping;  // One mmap of one file, unmapped with its last MappedTable.
  std::shared_ptr<const Mapping> mapping_;
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
  std::string path_;
};

// Where load_default() looks: $CLAIMAUDIT_CODESET; else share/claimaudit/codeset.bin in the
// executable's folder or up to five folders above it (the build tree, or an install prefix such
// as /usr/local); else /usr/share/claimaudit/codeset.bin.
std::filesystem::path default_table_path();

}  // namespace claimaudit::codes
