#include "codes/table_writer.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "codes/code_set.hpp"
#include "codes/table_format.hpp"

namespace claimaudit::codes {
namespace {

class StringPool {
 public:
  StringPool() { bytes_.assign(2, '\0'); }  // Offset 0: the empty string.
  std::uint32_t add(const std::string& text) {
    if (text.empty()) return 0;
    if (text.size() > 0xFFFF) throw std::invalid_argument("string longer than 65535 bytes");
    const auto [it, inserted] =
        offsets_.try_emplace(text, static_cast<std::uint32_t>(bytes_.size()));
    if (inserted) {
      const auto n = static_cast<std::uint16_t>(text.size());
      bytes_ += static_cast<char>(n & 0xFF);
      bytes_ += static_cast<char>(n >> 8);
      bytes_ += text;
    }
    return it->second;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
  std::unordered_map<std::string, std::uint32_t> offsets_;
};

template <class T>
void append(std::string& out, const std::vector<T>& items) {
  out.append(reinterpret_cast<const char*>(items.data()), items.size() * sizeof(T));
  while (out.size() % 8 != 0) out += '\0';
}

// An interval's record, all but its successors.
table::IntervalRecord interval_record(
    const HistoryInterval& i, StringPool& strings,
    const std::unordered_map<std::string, std::uint16_t>& edition_index,
    const std::vector<table::EditionRecord>& editions) {
  table::IntervalRecord r{};
  r.from = i.from.days();
  r.to = i.to.days();
  r.long_title = strings.add(i.long_title);
  r.title_traits = table::make_title_traits(static_cast<int>(laterality_of_title(i.long_title)),
                                            unspecified_site_count(i.long_title));
  r.first_edition = edition_index.at(i.first_edition);
  r.last_edition = edition_index.at(i.last_edition);
  r.source = i.correction_line > 0
                 ? strings.add("corrections.tsv:" + std::to_string(i.correction_line))
                 : editions[r.first_edition].source;
  r.from_correction = i.correction_line > 0 ? 1 : 0;
  r.billable = i.billable ? 1 : 0;
  if (i.successors.size() > 0xFFFF) throw std::invalid_argument("too many successors");
  return r;
}

// The open-addressing hash of the code records, at most 50% full; `bits` is its size's log2.
std::vector<table::HashSlot> build_hash(const std::vector<table::CodeRecord>& codes,
                                        const std::vector<table::IntervalRecord>& intervals,
                                        std::int32_t coverage_from, std::uint32_t& bits) {
  bits = 4;
  while ((std::size_t{1} << bits) < codes.size() * 2) ++bits;
  std::vector<table::HashSlot> hash(std::size_t{1} << bits, table::HashSlot{0, 0, 0});
  const std::uint32_t mask = (1u << bits) - 1;
  if (intervals.size() > table::kIntervalMask) throw std::invalid_argument("too many intervals");
  for (std::size_t k = 0; k < codes.size(); ++k) {
    if (codes[k].interval_count >= (1u << (31 - table::kIntervalBits))) {
      throw std::invalid_argument("too many intervals for one code");
    }
    auto slot = table::hash_slot(codes[k].key, bits);
    while (hash[slot].key != 0) slot = (slot + 1) & mask;
    hash[slot] = table::HashSlot{codes[k].key, static_cast<std::uint32_t>(k),
                                 table::slot_intervals(codes[k], intervals.data(), coverage_from)};
  }
  return hash;
}

// Edit lists: (kind, version) -> sorted keys, as list records over one key array.
void build_edit_lists(const EditTables& edits, std::vector<table::EditListRecord>& list_records,
                      std::vector<std::uint64_t>& edit_keys) {
  static const std::map<std::string, table::EditKind> kKinds = {
      {"newborn", table::EditKind::kNewborn},
      {"pediatric", table::EditKind::kPediatric},
      {"maternity", table::EditKind::kMaternity},
      {"adult", table::EditKind::kAdult},
      {"female", table::EditKind::kFemaleOnly},
      {"male", table::EditKind::kMaleOnly},
      {"manifestation", table::EditKind::kManifestation},
      {"questionable_admission", table::EditKind::kQuestionableAdmission},
      {"unacceptable_principal", table::EditKind::kUnacceptablePrincipal},
  };
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::uint64_t>> lists;
  for (const auto& row : edits.mce) {
    const auto kind = kKinds.find(row.edit);
    if (kind == kKinds.end()) throw std::invalid_argument("unknown edit " + row.edit);
    lists[{static_cast<std::uint32_t>(kind->second), static_cast<std::uint32_t>(row.version)}]
        .push_back(table::pack_code(row.code));
  }
  for (const auto& code : edits.poa_exempt) {
    lists[{static_cast<std::uint32_t>(table::EditKind::kPoaExempt),
           static_cast<std::uint32_t>(edits.poa_year)}]
        .push_back(table::pack_code(code));
  }
  for (auto& [key, keys] : lists) {
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    list_records.push_back(table::EditListRecord{key.first, key.second,
                                                 static_cast<std::uint32_t>(edit_keys.size()),
                                                 static_cast<std::uint32_t>(keys.size())});
    edit_keys.insert(edit_keys.end(), keys.begin(), keys.end());
  }
}

}  // namespace

std::string build_table(const CodeHistory& history, const EditTables& edits) {
  StringPool strings;
  std::vector<table::EditionRecord> editions;
  std::unordered_map<std::string, std::uint16_t> edition_index;
  for (const auto& e : history.editions) {
    edition_index[e.name] = static_cast<std::uint16_t>(editions.size());
    editions.push_back(table::EditionRecord{
        e.from.days(), e.to.days(), strings.add(e.name), strings.add(e.source),
        static_cast<std::uint32_t>(e.billable), static_cast<std::uint32_t>(e.headers)});
  }
  std::unordered_map<std::string, std::uint32_t> code_index;
  for (std::size_t k = 0; k < history.codes.size(); ++k) {
    code_index[history.codes[k].code] = static_cast<std::uint32_t>(k);
  }
  auto index_of = [&](const std::string& code) {
    const auto it = code_index.find(code);
    if (it == code_index.end()) throw std::invalid_argument("unknown code " + code);
    return it->second;
  };
  std::vector<table::CodeRecord> codes;
  std::vector<table::IntervalRecord> intervals;
  std::vector<std::uint32_t> successors;
  for (const auto& entry : history.codes) {
    table::CodeRecord record{};
    record.key = table::pack_code(entry.code);
    record.first_interval = static_cast<std::uint32_t>(intervals.size());
    record.interval_count = static_cast<std::uint32_t>(entry.intervals.size());
    record.parent = entry.parent.empty() ? table::kNone : index_of(entry.parent);
    codes.push_back(record);
    for (const auto& i : entry.intervals) {
      table::IntervalRecord r = interval_record(i, strings, edition_index, editions);
      r.successors = static_cast<std::uint32_t>(successors.size());
      r.successor_count = static_cast<std::uint16_t>(i.successors.size());
      for (const auto& s : i.successors) successors.push_back(index_of(s));
      intervals.push_back(r);
    }
  }
  for (std::size_t k = 1; k < codes.size(); ++k) {
    if (codes[k - 1].key >= codes[k].key) throw std::invalid_argument("codes not sorted");
  }
  std::uint32_t bits = 4;
  const std::vector<table::HashSlot> hash =
      build_hash(codes, intervals, editions.empty() ? 0 : editions.front().from, bits);
  std::vector<table::EditListRecord> list_records;
  std::vector<std::uint64_t> edit_keys;
  build_edit_lists(edits, list_records, edit_keys);

  table::TableHeader header{};
  std::memcpy(header.magic, table::kMagic, sizeof header.magic);
  header.version = table::kVersion;
  header.header_size = sizeof(table::TableHeader);
  header.coverage_from = editions.empty() ? 0 : editions.front().from;
  header.coverage_to = editions.empty() ? 0 : editions.back().to;
  header.edition_count = static_cast<std::uint32_t>(editions.size());
  header.code_count = static_cast<std::uint32_t>(codes.size());
  header.interval_count = static_cast<std::uint32_t>(intervals.size());
  header.successor_count = static_cast<std::uint32_t>(successors.size());
  header.hash_bits = bits;
  header.edit_list_count = static_cast<std::uint32_t>(list_records.size());
  header.edit_key_count = static_cast<std::uint32_t>(edit_keys.size());
  header.string_bytes = static_cast<std::uint32_t>(strings.bytes().size());

  std::string out(sizeof header, '\0');
  header.editions_offset = out.size();
  append(out, editions);
  header.codes_offset = out.size();
  append(out, codes);
  header.intervals_offset = out.size();
  append(out, intervals);
  header.successors_offset = out.size();
  append(out, successors);
  header.hash_offset = out.size();
  append(out, hash);
  header.edit_lists_offset = out.size();
  append(out, list_records);
  header.edit_keys_offset = out.size();
  append(out, edit_keys);
  header.strings_offset = out.size();
  out += strings.bytes();
  while (out.size() % 8 != 0) out += '\0';
  header.file_size = out.size();
  header.checksum =
      table::checksum(reinterpret_cast<const unsigned char*>(out.data()) + sizeof header,
                      out.size() - sizeof header);
  std::memcpy(out.data(), &header, sizeof header);
  return out;
}

}  // namespace claimaudit::codes
