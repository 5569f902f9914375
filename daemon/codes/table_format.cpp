#include "codes/table_format.hpp"

#include <cstring>

namespace claimaudit::codes::table {

std::uint64_t checksum(const unsigned char* data, std::size_t size) noexcept {
  // Four independent lanes so the multiplies pipeline; about 1 byte per cycle is plenty for a
  // 15 MB table loaded once.
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t lanes[4] = {0x243F6A8885A308D3ull, 0x13198A2E03707344ull, 0xA4093822299F31D0ull,
                            0x082EFA98EC4E6C89ull};
  std::size_t i = 0;
  for (; i + 32 <= size; i += 32) {
    for (int lane = 0; lane < 4; ++lane) {
      std::uint64_t word = 0;
      std::memcpy(&word, data + i + 8 * static_cast<std::size_t>(lane), 8);
      std::uint64_t h = (lanes[lane] ^ word) * kMul;
      lanes[lane] = h ^ (h >> 29);
    }
  }
  std::uint64_t h = size;
  for (; i < size; ++i) h = (h ^ data[i]) * kMul;
  for (const auto lane : lanes) {
    h = (h ^ lane) * kMul;
    h ^= h >> 31;
  }
  return h;
}

}  // namespace claimaudit::codes::table
