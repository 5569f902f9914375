// codes/table_format.hpp
//
// The compact code-set table (codeset.bin) that tools/codeset-import's generator writes at build
// time from data/codeset/*.tsv and data/edits/*.tsv, and that CodeSet::load / EditLists::load map
// into memory. Internal to the codes module (the generator and the loaders share it); nothing
// else should depend on the layout. Plain structs and pure functions; thread-safe.
//
// Layout (little-endian, every section 8-byte aligned, offsets from the start of the file):
//   TableHeader
//   EditionRecord[edition_count]       editions in date order
//   CodeRecord[code_count]             sorted by key (= lexicographic order of the codes)
//   IntervalRecord[interval_count]     each code's intervals, contiguous, oldest first
//   uint32 successors[successor_count] code indices, referenced by intervals
//   HashSlot hash[1 << hash_bits]      open addressing, linear probing; key 0 = empty
//   EditListRecord[edit_list_count]    one per (edit kind, list version)
//   uint64 edit_keys[edit_key_count]   sorted keys per list
//   strings[string_bytes]              uint16 length + bytes, deduplicated; offset 0 = ""
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace claimaudit::codes::table {

inline constexpr char kMagic[8] = {'C', 'A', 'C', 'O', 'D', 'E', 'S', '1'};
inline constexpr std::uint32_t kVersion = 3;  // 3: IntervalRecord::title_traits.
inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

struct TableHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t header_size;
  std::uint64_t file_size;
  std::uint64_t checksum;  // table::checksum() of bytes [header_size, file_size).
  std::int32_t coverage_from;
  std::int32_t coverage_to;
  std::uint32_t edition_count;
  std::uint32_t code_count;
  std::uint32_t interval_count;
  std::uint32_t successor_count;
  std::uint32_t hash_bits;
  std::uint32_t edit_list_count;
  std::uint32_t edit_key_count;
  std::uint32_t string_bytes;
  std::uint64_t editions_offset;
  std::uint64_t codes_offset;
  std::uint64_t intervals_offset;
  std::uint64_t successors_offset;
  std::uint64_t hash_offset;
  std::uint64_t edit_lists_offset;
  std::uint64_t edit_keys_offset;
  std::uint64_t strings_offset;
};

struct EditionRecord {
  std::int32_t from;  // Days since 1970-01-01, inclusive.
  std::int32_t to;    // Inclusive.
  std::uint32_t name;
  std::uint32_t source;
  std::uint32_t billable_count;
  std::uint32_t header_count;
};

struct CodeRecord {
  std::uint64_t key;  // pack_code().
  std::uint32_t first_interval;
  std::uint32_t interval_count;
  std::uint32_t parent;  // Code index, or kNone for a category.
  std::uint32_t reserved;
};

struct IntervalRecord {
  std::int32_t from;
  std::int32_t to;
  std::uint32_t long_title;
  // What the long title says, computed by the generator (short titles stay in the text form:
  // the daemon never shows them): title_laterality() and title_unspecified_sites().
  std::uint32_t title_traits;
  std::uint32_t source;      // "fy2016/icd10cm_order_2016.txt.gz" or "corrections.tsv:3".
  std::uint32_t successors;  // Index into the successor array.
  std::uint16_t successor_count;
  std::uint8_t billable;
  std::uint8_t from_correction;
  std::uint16_t first_edition;
  std::uint16_t last_edition;
};

// IntervalRecord::title_traits: bits 0-7 the Laterality of the title (laterality_of_title()),
// bits 8-15 how many unspecified sites it names (unspecified_site_count(), at most 255).
constexpr std::uint32_t make_title_traits(int laterality, int unspecified_sites) noexcept {
  const int sites = unspecified_sites < 0 ? 0 : (unspecified_sites > 255 ? 255 : unspecified_sites);
  return static_cast<std::uint32_t>(laterality & 0xFF) | (static_cast<std::uint32_t>(sites) << 8);
}
constexpr int title_laterality(std::uint32_t traits) noexcept {
  return static_cast<int>(traits & 0xFF);
}
constexpr int title_unspecified_sites(std::uint32_t traits) noexcept {
  return static_cast<int>((traits >> 8) & 0xFF);
}

// One hash slot: everything status_on needs, so a lookup touches the slot and the intervals only.
// A code with one interval (98% of them) keeps it inline, so status_on touches one slot only.
struct HashSlot {
  std::uint64_t key;        // pack_code(); 0 = empty.
  std::uint32_t code;       // Index into the code records.
  std::uint32_t intervals;  // kInline set: billable << 30 | (to - coverage_from) << 15 |
                            //   (from - coverage_from). Else: first interval | count << 20.
};
inline constexpr std::uint32_t kIntervalBits = 20;
inline constexpr std::uint32_t kIntervalMask = (1u << kIntervalBits) - 1;
inline constexpr std::uint32_t kInline = 1u << 31;
inline constexpr std::uint32_t kInlineBillable = 1u << 30;
inline constexpr std::uint32_t kInlineDayMask = 0x7FFF;  // 15 bits: 89 years of coverage.

// The slot's interval word for a code (see HashSlot).
constexpr std::uint32_t slot_intervals(const CodeRecord& code, const IntervalRecord* intervals,
                                       std::int32_t coverage_from) {
  if (code.interval_count == 1) {
    const auto& i = intervals[code.first_interval];
    const auto from = static_cast<std::uint32_t>(i.from - coverage_from);
    const auto to = static_cast<std::uint32_t>(i.to - coverage_from);
    if (i.from >= coverage_from && from <= kInlineDayMask && to <= kInlineDayMask) {
      return kInline | (i.billable ? kInlineBillable : 0u) | (to << 15) | from;
    }
  }
  return code.first_interval | (code.interval_count << kIntervalBits);
}

struct EditListRecord {
  std::uint32_t kind;     // EditKind.
  std::uint32_t version;  // MCE version (33..37) or POA fiscal year (2026).
  std::uint32_t first_key;
  std::uint32_t key_count;
};

enum class EditKind : std::uint32_t {
  kNewborn = 1,
  kPediatric,
  kMaternity,
  kAdult,
  kFemaleOnly,
  kMaleOnly,
  kManifestation,
  kQuestionableAdmission,
  kUnacceptablePrincipal,
  kPoaExempt,
};

// Packs a normalised code (1 to 8 ASCII characters) big-endian into 64 bits, so that integer
// order is the codes' lexicographic order. 0 for an empty or longer text.
constexpr std::uint64_t pack_code(std::string_view code) noexcept {
  if (code.empty() || code.size() > 8) return 0;
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    key <<= 8;
    if (i < code.size()) key |= static_cast<unsigned char>(code[i]);
  }
  return key;
}

inline std::string unpack_code(std::uint64_t key) {
  std::string code;
  for (int shift = 56; shift >= 0; shift -= 8) {
    const auto c = static_cast<char>((key >> shift) & 0xFF);
    if (c == '\0') break;
    code += c;
  }
  return code;
}

// Number of characters in a packed code.
constexpr std::size_t key_length(std::uint64_t key) noexcept {
  std::size_t n = 0;
  for (int shift = 56; shift >= 0 && ((key >> shift) & 0xFF) != 0; shift -= 8) ++n;
  return n;
}

constexpr std::uint32_t hash_slot(std::uint64_t key, std::uint32_t bits) noexcept {
  return static_cast<std::uint32_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

// A fast 64-bit checksum over `size` bytes (four independent lanes of multiply-xorshift).
std::uint64_t checksum(const unsigned char* data, std::size_t size) noexcept;

}  // namespace claimaudit::codes::table
