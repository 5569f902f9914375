#include "codes/code_set.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <stdexcept>

#include "codes/mapped_table.hpp"
#include "codes/table_format.hpp"
#include "core/icd10_code.hpp"

namespace claimaudit::codes {

namespace {

using table::CodeRecord;
using table::IntervalRecord;

// Packs an already normalised code (3-7 capital letters or digits); 0 for anything else.
std::uint64_t plain_key(std::string_view code) noexcept {
  if (code.size() < 3 || code.size() > 7) return 0;
  for (const char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return 0;
  }
  return table::pack_code(code);
}

// Packs `code` for lookup. Accepts normalised codes directly (the fast path) and falls back to
// core::normalize_icd10 for anything else ("m62.830"). 0 when it cannot be a code.
std::uint64_t key_for(std::string_view code) noexcept {
  if (const std::uint64_t key = plain_key(code); key != 0) return key;
  const auto normalized = core::normalize_icd10(code);
  return normalized ? table::pack_code(*normalized) : 0;
}

std::string normalized_or_raw(std::string_view code) {
  const auto normalized = core::normalize_icd10(code);
  return normalized ? *normalized : std::string(code);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// True if `word` occurs in `text` (lower case) with no letter on either side.
bool has_word(std::string_view text, std::string_view word) {
  std::size_t pos = 0;
  while ((pos = text.find(word, pos)) != std::string_view::npos) {
    const bool left_ok = pos == 0 || !is_letter(text[pos - 1]);
    const std::size_t end = pos + word.size();
    const bool right_ok = end >= text.size() || !is_letter(text[end]);
    if (left_ok && right_ok) return true;
    pos += 1;
  }
  return false;
}

// Body parts, sides and levels that make "unspecified X" a site-unspecified title. The second
// group came from the FY2026 order file: every billable code whose title, with one
// "unspecified" replaced by "right" or "left", is the title of another billable code, and
// that the first group missed (993 codes: H04.129 dry eye of unspecified lacrimal gland,
// S20.219A contusion of unspecified front wall of thorax, I75.029 atheroembolism of
// unspecified lower extremity ...). None of them flags a title without such a twin.
constexpr auto kSiteWords = std::to_array<std::string_view>(
    {"site", "sites", "side", "level", "levels", "region", "laterality", "part", "parts", "limb",
     "lower limb", "upper limb", "arm", "upper arm", "forearm", "leg", "lower leg", "thigh", "hand",
     "foot", "wrist", "shoulder", "elbow", "hip", "knee", "ankle", "toe", "toes", "great toe",
     "lesser toe", "lesser toes", "finger", "fingers", "thumb", "digit", "digits", "eye", "eyes",
     "eyelid", "ear", "ears", "orbit", "femur", "tibia", "fibula", "radius", "ulna", "humerus",
     "patella", "calcaneus", "talus", "acetabulum", "clavicle", "scapula", "metacarpal",
     "metatarsal", "phalanx", "joint", "joints", "bone", "vertebra", "muscle", "muscles", "tendon",
     "blood vessel", "nerve", "breast", "kidney", "ovary", "lung", "fallopian tube",
     // Spinal levels: "unspecified thoracic vertebra" (S22.00-, S23.10-), "unspecified lumbar
     // vertebra" (S32.00-, S33.10-), "unspecified cervical vertebrae" (S13.10-).
     "thoracic vertebra", "lumbar vertebra", "cervical vertebrae",
     // Side-unspecified titles found by their right/left twins (the paragraph above).
     "achilles tendon", "acoustic nerve", "acromioclavicular joint", "adrenal gland",
     "anterior cerebral artery", "artificial ankle joint", "artificial elbow joint",
     "artificial hip joint", "artificial knee joint", "artificial shoulder joint",
     "artificial wrist joint", "axilla", "axillary vein", "back wall", "broad ligament", "bronchus",
     "buttock", "calf", "carotid artery", "carotid siphon", "carpus", "cerebellar artery", "cheek",
     "choroid", "ciliary body", "conjunctiva", "coracohumeral", "cornea", "distal lower extremity",
     "epididymis", "external ear canal", "external jugular vein", "eyeball", "female breast",
     "femoral vein", "flank", "front wall", "heel", "iliac artery", "iliac vein", "ilium",
     "index finger", "innominate or subclavian artery", "innominate or subclavian vein",
     "internal jugular vein", "ischium", "lacrimal canaliculi", "lacrimal gland",
     "lacrimal passage", "lacrimal punctum", "lacrimal sac", "little finger", "lower extremity",
     "main bronchus", "male breast", "middle and inner ear", "middle cerebral artery",
     "middle finger", "midfoot", "nasolacrimal duct", "olfactory nerve", "optic nerve",
     "ovarian pregnancy", "palm", "pelvic region", "pelvis", "peroneal vein", "popliteal vein",
     "posterior cerebral artery", "posterior communicating artery", "proximal lower extremity",
     "pubis", "pulmonary blood vessels", "quadriceps muscle", "radial collateral ligament",
     "radial head", "radial styloid process", "radiocarpal ligament", "renal artery",
     "renal pelvis", "renal vein", "retina", "ring finger", "rotator cuff capsule",
     "round ligament", "scapular region", "spermatic cord", "sternoclavicular joint",
     "subclavian vein", "temporomandibular joint", "testicle", "testis", "tibial spine",
     "tibial tuberosity", "tibial vein", "tubal pregnancy", "ulnar collateral ligament",
     "ulnocarpal", "ulnohumeral joint", "upper extremity", "ureter", "uterine artery",
     "uterine vein", "vertebral artery"});

constexpr std::array<std::string_view, 30> kPairedWords = {
    "side",       "laterality", "limb",           "lower limb",
    "upper limb", "arm",        "upper arm",      "forearm",
    "leg",        "lower leg",  "thigh",          "hand",
    "foot",       "wrist",      "shoulder",       "elbow",
    "hip",        "knee",       "ankle",          "eye",
    "eyelid",     "ear",        "breast",         "kidney",
    "ovary",      "lung",       "fallopian tube", "femur",
    "humerus",    "tibia"};

// True if `text` (lower case) has "unspecified W" or "W unspecified" as a whole-word phrase
// (no letter on either side) for some W in `words`. Such a phrase always contains the word
// "unspecified", so only its occurrences are examined; nothing is allocated.
bool unspecified_followed_by(std::string_view text, auto& words) {
  constexpr std::string_view kUnspecified = "unspecified";
  const std::size_t n = kUnspecified.size();
  auto boundary_before = [&](std::size_t pos) { return pos == 0 || !is_letter(text[pos - 1]); };
  auto boundary_after = [&](std::size_t end) {
    return end >= text.size() || !is_letter(text[end]);
  };
  for (std::size_t p = text.find(kUnspecified); p != std::string_view::npos;
       p = text.find(kUnspecified, p + 1)) {
    // "unspecified W": the word follows after one space.
    const bool after = boundary_before(p) && p + n < text.size() && text[p + n] == ' ';
    // "W unspecified": the word precedes, one space before.
    const bool before = boundary_after(p + n) && p > 0 && text[p - 1] == ' ';
    if (!after && !before) continue;
    for (const std::string_view word : words) {
      if (after && text.compare(p + n + 1, word.size(), word) == 0 &&
          boundary_after(p + n + 1 + word.size())) {
        return true;
      }
      if (before && p >= word.size() + 1 &&
          text.compare(p - 1 - word.size(), word.size(), word) == 0 &&
          boundary_before(p - 1 - word.size())) {
        return true;
      }
    }
  }
  return false;
}

constexpr std::array<Chapter, 22> kChapters = {{
    {1, "A00", "B99", "Certain infectious and parasitic diseases"},
    {2, "C00", "D49", "Neoplasms"},
    {3, "D50", "D89",
     "Diseases of the blood and blood-forming organs and certain disorders involving the immune "
     "mechanism"},
    {4, "E00", "E89", "Endocrine, nutritional and metabolic diseases"},
    {5, "F01", "F99", "Mental, behavioral and neurodevelopmental disorders"},
    {6, "G00", "G99", "Diseases of the nervous system"},
    {7, "H00", "H59", "Diseases of the eye and adnexa"},
    {8, "H60", "H95", "Diseases of the ear and mastoid process"},
    {9, "I00", "I99", "Diseases of the circulatory system"},
    {10, "J00", "J99", "Diseases of the respiratory system"},
    {11, "K00", "K95", "Diseases of the digestive system"},
    {12, "L00", "L99", "Diseases of the skin and subcutaneous tissue"},
    {13, "M00", "M99", "Diseases of the musculoskeletal system and connective tissue"},
    {14, "N00", "N99", "Diseases of the genitourinary system"},
    {15, "O00", "O9A", "Pregnancy, childbirth and the puerperium"},
    {16, "P00", "P96", "Certain conditions originating in the perinatal period"},
    {17, "Q00", "QA0", "Congenital malformations, deformations and chromosomal abnormalities"},
    {18, "R00", "R99",
     "Symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified"},
    {19, "S00", "T88", "Injury, poisoning and certain other consequences of external causes"},
    {20, "V00", "Y99", "External causes of morbidity"},
    {21, "Z00", "Z99", "Factors influencing health status and contact with health services"},
    {22, "U00", "U85", "Codes for special purposes"},
}};

}  // namespace

std::string_view to_string(Status status) {
  switch (status) {
    case Status::kBillable:
      return "billable";
    case Status::kHeader:
      return "header";
    case Status::kNotYetValid:
      return "not_yet_valid";
    case Status::kDeleted:
      return "deleted";
    case Status::kUnknown:
      return "unknown";
    case Status::kBeforeIcd10:
      return "before_icd10";
    case Status::kAfterCoverage:
      return "after_coverage";
  }
  return "unknown";
}

std::string_view to_string(NotBillable kind) {
  switch (kind) {
    case NotBillable::kBillable:
      return "billable";
    case NotBillable::kStale:
      return "stale";
    case NotBillable::kSeventhCharacter:
      return "seventh_character";
    case NotBillable::kPlaceholderMissing:
      return "placeholder_missing";
    case NotBillable::kHeader:
      return "header";
    case NotBillable::kInvalid:
      return "invalid";
    case NotBillable::kOutsideCoverage:
      return "outside_coverage";
  }
  return "invalid";
}

std::string_view to_string(Laterality laterality) {
  switch (laterality) {
    case Laterality::kNone:
      return "none";
    case Laterality::kRight:
      return "right";
    case Laterality::kLeft:
      return "left";
    case Laterality::kBilateral:
      return "bilateral";
    case Laterality::kUnspecified:
      return "unspecified";
  }
  return "none";
}

struct CodeSet::Impl {
  MappedTable table;
  const table::TableHeader* header = nullptr;
  const table::EditionRecord* edition_records = nullptr;
  const CodeRecord* codes = nullptr;
  const IntervalRecord* intervals = nullptr;
  const std::uint32_t* successors = nullptr;
  const table::HashSlot* hash = nullptr;
  std::uint32_t hash_mask = 0;
  std::vector<Edition> editions;
  std::uint64_t serial = 0;
  std::once_flag change_days_once;
  std::vector<std::int32_t> change_days;  // CodeSet::change_days(), once computed.

  std::string_view string_at(std::uint32_t offset) const { return table.string_at(offset); }

  // What the generator read in the interval's long title (table::make_title_traits).
  static int unspecified_sites(const IntervalRecord* interval) {
    return table::title_unspecified_sites(interval->title_traits);
  }

  static bool unspecified_site_title(const IntervalRecord* interval) {
    return unspecified_sites(interval) > 0;
  }

  static Laterality title_laterality(const IntervalRecord* interval) {
    return static_cast<Laterality>(table::title_laterality(interval->title_traits));
  }

  // The interval lookup() takes its title from: the one containing the date, else the last
  // before it, else the first after it.
  const IntervalRecord* title_interval(const CodeRecord* record, std::int32_t day) const {
    const IntervalRecord* containing = nullptr;
    const IntervalRecord* last_before = nullptr;
    const IntervalRecord* first_after = nullptr;
    for (const auto& interval : intervals_of(record)) {
      if (interval.to < day) {
        last_before = &interval;
      } else if (interval.from > day) {
        if (first_after == nullptr) first_after = &interval;
      } else {
        containing = &interval;
      }
    }
    return containing != nullptr ? containing
                                 : (last_before != nullptr ? last_before : first_after);
  }

  const table::HashSlot* slot_for(std::uint64_t key) const noexcept {
    if (key == 0) return nullptr;
    auto slot = table::hash_slot(key, header->hash_bits);
    while (true) {
      const table::HashSlot* s = hash + slot;
      if (s->key == key) return s;
      if (s->key == 0) return nullptr;
      slot = (slot + 1) & hash_mask;
    }
  }
  const CodeRecord* find_key(std::uint64_t key) const noexcept {
    const auto* slot = slot_for(key);
    return slot == nullptr ? nullptr : codes + slot->code;
  }
  const CodeRecord* find(std::string_view code) const noexcept { return find_key(key_for(code)); }

  std::span<const IntervalRecord> intervals_of(const CodeRecord* record) const {
    return {intervals + record->first_interval, record->interval_count};
  }

  Status status(const CodeRecord* record, std::int32_t day) const noexcept {
    if (day < header->coverage_from) return Status::kBeforeIcd10;
    if (day > header->coverage_to) return Status::kAfterCoverage;
    if (record == nullptr) return Status::kUnknown;
    bool before = false;
    for (const auto& interval : intervals_of(record)) {
      if (day < interval.from) break;
      if (day <= interval.to) return interval.billable ? Status::kBillable : Status::kHeader;
      before = true;
    }
    return before ? Status::kDeleted : Status::kNotYetValid;
  }

  bool billable_on(const CodeRecord* record, std::int32_t day) const noexcept {
    for (const auto& interval : intervals_of(record)) {
      if (day < interval.from) break;
      if (day <= interval.to) return interval.billable != 0;
    }
    return false;
  }

  const IntervalRecord* interval_at(const CodeRecord* record, std::int32_t day) const {
    for (const auto& interval : intervals_of(record)) {
      if (interval.from <= day && day <= interval.to) return &interval;
    }
    return nullptr;
  }

  std::string code_of(const CodeRecord* record) const { return table::unpack_code(record->key); }

  // Codes whose spelling starts with `prefix` (including the prefix itself), as a range.
  std::span<const CodeRecord> with_prefix(std::string_view prefix) const {
    const auto key = table::pack_code(prefix);
    if (key == 0) return {};
    const std::size_t len = prefix.size();
    const std::uint64_t mask = len >= 8 ? ~0ull : ~((1ull << (8 * (8 - len))) - 1);
    const CodeRecord* begin =
        std::lower_bound(codes, codes + header->code_count, key,
                         [](const CodeRecord& record, std::uint64_t k) { return record.key < k; });
    const CodeRecord* end = begin;
    const CodeRecord* last = codes + header->code_count;
    while (end != last && (end->key & mask) == key) ++end;
    return {begin, static_cast<std::size_t>(end - begin)};
  }

  std::vector<std::string> billable_with_prefix(std::string_view prefix, std::int32_t day,
                                                bool include_self) const {
    std::vector<std::string> out;
    for (const auto& record : with_prefix(prefix)) {
      if (!include_self && table::key_length(record.key) == prefix.size()) continue;
      if (billable_on(&record, day)) out.push_back(code_of(&record));
    }
    return out;
  }

  // Structural checks of the mapped table (CodeSet::load), so a bad table fails at load and not
  // in a lookup.
  void check_records() const;
  void check_hash() const;

  // Where a day falls in a code's history (CodeSet::lookup).
  struct Around {
    const IntervalRecord* containing = nullptr;
    const IntervalRecord* last_billable_before = nullptr;
    const IntervalRecord* last_before = nullptr;
    const IntervalRecord* first_after = nullptr;
    const IntervalRecord* first_billable_after = nullptr;
    std::optional<core::Date> first_billable;  // The first billable interval's first day.
  };
  static Around around(std::span<const IntervalRecord> history, std::int32_t day);
  // A deleted or header code's last valid day, replacements and (header) expansion day.
  void fill_stale(LookupResult& result, const Around& at, std::span<const IntervalRecord> intervals,
                  std::int32_t day) const;

  // CodeSet::specified_siblings, strategy by strategy; each appends to `out`.
  struct SiblingSearch {
    const CodeRecord* record;
    std::string self;
    std::int32_t day;
    int own_unspecified;
  };
  void add_if_more_specific(const SiblingSearch& search, const CodeRecord& other,
                            std::vector<std::string>& out) const;
  void siblings_by_extension(const SiblingSearch& search, std::vector<std::string>& out) const;
  void siblings_under_parent(const SiblingSearch& search, std::vector<std::string>& out) const;
  void siblings_across_axis(const SiblingSearch& search, std::vector<std::string>& out) const;
  std::string kind_at(const std::string& spelling, std::size_t length, std::int32_t day) const;
};

void CodeSet::Impl::check_records() const {
  const auto& t = table;
  const auto* h = header;
  for (std::uint32_t k = 0; k < h->code_count; ++k) {
    const auto& c = codes[k];
    if (c.first_interval > h->interval_count ||
        c.interval_count > h->interval_count - c.first_interval ||
        (c.parent != table::kNone && c.parent >= h->code_count) ||
        (k > 0 && codes[k - 1].key >= c.key)) {
      t.corrupt("code record " + std::to_string(k));
    }
  }
  for (std::uint32_t i = 0; i < h->interval_count; ++i) {
    const auto& r = intervals[i];
    if (r.successors > h->successor_count ||
        r.successor_count > h->successor_count - r.successors ||
        r.first_edition >= h->edition_count || r.last_edition >= h->edition_count ||
        r.long_title >= h->string_bytes || r.source >= h->string_bytes || r.to < r.from ||
        table::title_laterality(r.title_traits) > static_cast<int>(Laterality::kUnspecified) ||
        (r.title_traits >> 16) != 0) {
      t.corrupt("interval record " + std::to_string(i));
    }
  }
  for (std::uint32_t s = 0; s < h->successor_count; ++s) {
    if (successors[s] >= h->code_count) t.corrupt("successor " + std::to_string(s));
  }
}

void CodeSet::Impl::check_hash() const {
  const auto& t = table;
  const auto* h = header;
  std::size_t used = 0;
  for (std::size_t s = 0; s <= hash_mask; ++s) {
    const auto& slot = hash[s];
    if (slot.key == 0) continue;
    ++used;
    // Bounds only (sequential): the checksum already vouches for the content.
    const bool inline_interval = (slot.intervals & table::kInline) != 0;
    const std::uint32_t first = slot.intervals & table::kIntervalMask;
    const std::uint32_t count = (slot.intervals & ~table::kInline) >> table::kIntervalBits;
    if (slot.code >= h->code_count ||
        (!inline_interval && (first > h->interval_count || count > h->interval_count - first))) {
      t.corrupt("hash slot " + std::to_string(s));
    }
  }
  if (used != h->code_count) t.corrupt("hash holds " + std::to_string(used) + " codes");
}

CodeSet::Impl::Around CodeSet::Impl::around(std::span<const IntervalRecord> history,
                                            std::int32_t day) {
  Around at;
  for (const auto& interval : history) {
    if (interval.billable && !at.first_billable) {
      at.first_billable = core::Date::from_days(interval.from);
    }
    if (interval.to < day) {
      at.last_before = &interval;
      if (interval.billable) at.last_billable_before = &interval;
    } else if (interval.from > day) {
      if (at.first_after == nullptr) at.first_after = &interval;
      if (interval.billable && at.first_billable_after == nullptr) {
        at.first_billable_after = &interval;
      }
    } else {
      at.containing = &interval;
    }
  }
  return at;
}

void CodeSet::Impl::fill_stale(LookupResult& result, const Around& at,
                               std::span<const IntervalRecord> history, std::int32_t day) const {
  const IntervalRecord* last_billable = at.last_billable_before;
  result.last_valid = core::Date::from_days(last_billable->to);
  for (std::uint16_t s = 0; s < last_billable->successor_count; ++s) {
    const auto* successor = codes + successors[last_billable->successors + s];
    if (billable_on(successor, day)) result.replacements.push_back(code_of(successor));
  }
  if (result.status != Status::kHeader || at.containing == nullptr) return;
  // Start of the header run that followed the last billable interval.
  const IntervalRecord* run = at.containing;
  while (run != history.data() && !(run - 1)->billable && (run - 1)->to + 1 == run->from) --run;
  if (run != history.data() && (run - 1)->billable && (run - 1)->to + 1 == run->from) {
    result.expanded_on = core::Date::from_days(run->from);
  }
}

CodeSet::CodeSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CodeSet::CodeSet(CodeSet&&) noexcept = default;
CodeSet& CodeSet::operator=(CodeSet&&) noexcept = default;
CodeSet::~CodeSet() = default;

CodeSet CodeSet::load(const std::filesystem::path& compact_table) {
  auto impl = std::make_unique<Impl>();
  static std::atomic<std::uint64_t> serials{0};
  impl->serial = ++serials;
  impl->table = MappedTable::open(compact_table);
  const auto& t = impl->table;
  impl->header = t.header();
  const auto* h = impl->header;
  impl->edition_records = t.section<table::EditionRecord>(h->editions_offset, h->edition_count);
  impl->codes = t.section<CodeRecord>(h->codes_offset, h->code_count);
  impl->intervals = t.section<IntervalRecord>(h->intervals_offset, h->interval_count);
  impl->successors = t.section<std::uint32_t>(h->successors_offset, h->successor_count);
  if (h->hash_bits < 1 || h->hash_bits > 30) t.corrupt("hash size");
  impl->hash = t.section<table::HashSlot>(h->hash_offset, std::size_t{1} << h->hash_bits);
  impl->hash_mask = (1u << h->hash_bits) - 1;
  // Structural checks, so a bad table fails here and not in a lookup.
  impl->check_records();
  impl->check_hash();
  for (std::uint32_t e = 0; e < h->edition_count; ++e) {
    const auto& r = impl->edition_records[e];
    if (!t.valid_string(r.name) || !t.valid_string(r.source)) t.corrupt("edition record");
    impl->editions.push_back(Edition{std::string(impl->string_at(r.name)),
                                     core::Date::from_days(r.from), core::Date::from_days(r.to),
                                     std::string(impl->string_at(r.source))});
  }
  return CodeSet(std::move(impl));
}

CodeSet CodeSet::load_default() { return load(default_table_path()); }

Status CodeSet::status_on(std::string_view code, core::Date date_of_service) const {
  const auto day = date_of_service.days();
  const auto* h = impl_->header;
  if (day < h->coverage_from) return Status::kBeforeIcd10;
  if (day > h->coverage_to) return Status::kAfterCoverage;
  const auto* slot = impl_->slot_for(key_for(code));
  if (slot == nullptr) return Status::kUnknown;
  const std::uint32_t ref = slot->intervals;
  if ((ref & table::kInline) != 0) {
    if (day < h->coverage_from + static_cast<std::int32_t>(ref & table::kInlineDayMask)) {
      return Status::kNotYetValid;
    }
    if (day <= h->coverage_from + static_cast<std::int32_t>((ref >> 15) & table::kInlineDayMask)) {
      return (ref & table::kInlineBillable) != 0 ? Status::kBillable : Status::kHeader;
    }
    return Status::kDeleted;
  }
  const IntervalRecord* interval = impl_->intervals + (ref & table::kIntervalMask);
  const IntervalRecord* end = interval + (ref >> table::kIntervalBits);
  bool before = false;
  for (; interval != end; ++interval) {
    if (day < interval->from) break;
    if (day <= interval->to) return interval->billable ? Status::kBillable : Status::kHeader;
    before = true;
  }
  return before ? Status::kDeleted : Status::kNotYetValid;
}

LookupResult CodeSet::lookup(std::string_view code, core::Date date_of_service) const {
  LookupResult result;
  result.code = normalized_or_raw(code);
  const auto day = date_of_service.days();
  const auto* record = impl_->find(code);
  result.status = impl_->status(record, day);
  if (const auto* edition = edition_for(date_of_service)) result.edition = edition->name;
  if (record == nullptr) return result;
  const auto intervals = impl_->intervals_of(record);
  const Impl::Around at = Impl::around(intervals, day);
  result.first_valid = at.first_billable;
  const IntervalRecord* title_source =
      at.containing != nullptr ? at.containing
                               : (at.last_before != nullptr ? at.last_before : at.first_after);
  if (title_source != nullptr)
    result.title = std::string(impl_->string_at(title_source->long_title));
  if (result.status == Status::kNotYetValid) {
    result.first_valid = at.first_billable_after != nullptr
                             ? std::optional(core::Date::from_days(at.first_billable_after->from))
                             : std::nullopt;
  }
  const bool stale_state = result.status == Status::kDeleted || result.status == Status::kHeader;
  if (stale_state && at.last_billable_before != nullptr) {
    impl_->fill_stale(result, at, intervals, day);
  }
  if (result.status == Status::kHeader) {
    result.children = impl_->billable_with_prefix(result.code, day, false);
  }
  return result;
}

bool CodeSet::exists(std::string_view code) const { return impl_->find(code) != nullptr; }

std::vector<Interval> CodeSet::history(std::string_view code) const {
  std::vector<Interval> out;
  const auto* record = impl_->find(code);
  if (record == nullptr) return out;
  for (const auto& r : impl_->intervals_of(record)) {
    Interval i;
    i.from = core::Date::from_days(r.from);
    i.to = core::Date::from_days(r.to);
    i.billable = r.billable != 0;
    i.title = std::string(impl_->string_at(r.long_title));
    i.edition = impl_->editions[r.first_edition].name;
    i.last_edition = impl_->editions[r.last_edition].name;
    i.source = std::string(impl_->string_at(r.source));
    i.from_correction = r.from_correction != 0;
    for (std::uint16_t s = 0; s < r.successor_count; ++s) {
      i.successors.push_back(impl_->code_of(impl_->codes + impl_->successors[r.successors + s]));
    }
    out.push_back(std::move(i));
  }
  return out;
}

const Edition* CodeSet::edition_for(core::Date date_of_service) const {
  for (const auto& edition : impl_->editions) {
    if (edition.valid_from <= date_of_service && date_of_service <= edition.valid_to)
      return &edition;
  }
  return nullptr;
}

std::span<const Edition> CodeSet::editions() const { return impl_->editions; }

std::uint32_t CodeSet::epoch_of(core::Date date_of_service) const {
  const auto changes = change_days();
  return static_cast<std::uint32_t>(
      std::upper_bound(changes.begin(), changes.end(), date_of_service.days()) - changes.begin());
}

std::uint64_t CodeSet::serial() const { return impl_->serial; }

std::span<const std::int32_t> CodeSet::change_days() const {
  std::call_once(impl_->change_days_once, [impl = impl_.get()] {
    std::vector<std::int32_t>& days = impl->change_days;
    auto after = [](std::int32_t day) {  // The day after `day` (an open end stays open).
      return day == std::numeric_limits<std::int32_t>::max() ? day : day + 1;
    };
    days.reserve(2 * std::size_t{impl->header->interval_count} + 2 * impl->editions.size() + 2);
    for (std::uint32_t i = 0; i < impl->header->interval_count; ++i) {
      days.push_back(impl->intervals[i].from);
      days.push_back(after(impl->intervals[i].to));
    }
    for (const Edition& edition : impl->editions) {
      days.push_back(edition.valid_from.days());
      days.push_back(after(edition.valid_to.days()));
    }
    days.push_back(impl->header->coverage_from);
    days.push_back(after(impl->header->coverage_to));
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    days.shrink_to_fit();
  });
  return impl_->change_days;
}

std::string CodeSet::title_on(std::string_view code, core::Date date_of_service) const {
  const auto* record = impl_->find(code);
  if (record == nullptr) return {};
  const auto* interval = impl_->interval_at(record, date_of_service.days());
  return interval == nullptr ? std::string() : std::string(impl_->string_at(interval->long_title));
}

std::string_view CodeSet::lookup_title(std::string_view code, core::Date date_of_service) const {
  const auto* record = impl_->find(code);
  if (record == nullptr) return {};
  const IntervalRecord* source = impl_->title_interval(record, date_of_service.days());
  return source == nullptr ? std::string_view() : impl_->string_at(source->long_title);
}

void CodeSet::prefetch(std::string_view code, PrefetchStep step) const noexcept {
  const std::uint64_t key = plain_key(code);
  if (key == 0) return;
  const Impl& impl = *impl_;
  if (step == PrefetchStep::kSlot) {
    __builtin_prefetch(impl.hash + table::hash_slot(key, impl.header->hash_bits));
    return;
  }
  const table::HashSlot* slot = impl.slot_for(key);
  if (slot == nullptr) return;
  const CodeRecord* record = impl.codes + slot->code;
  if (step == PrefetchStep::kRecord) {
    __builtin_prefetch(record);
    if ((slot->intervals & table::kInline) == 0) {
      __builtin_prefetch(impl.intervals + (slot->intervals & table::kIntervalMask));
    }
    return;
  }
  // The intervals hold the title traits too (IntervalRecord::title_traits).
  __builtin_prefetch(impl.intervals + record->first_interval);
  if (record->interval_count > 1) {
    __builtin_prefetch(impl.intervals + record->first_interval + record->interval_count - 1);
  }
}

bool CodeSet::is_unspecified_site(std::string_view code, core::Date date_of_service) const {
  const auto* record = impl_->find(code);
  if (record == nullptr) return false;
  const auto* interval = impl_->interval_at(record, date_of_service.days());
  return interval != nullptr && impl_->unspecified_site_title(interval);
}

namespace {

// True when `title` is `parent_title` with one "unspecified " inserted (case-insensitive):
// S22.00 "Fracture of unspecified thoracic vertebra" under S22.0 "Fracture of thoracic
// vertebra". Such a header is the unspecified member of its parent's children.
bool unspecified_twin_of(std::string_view title, std::string_view parent_title) {
  const std::string text = lower(title);
  const std::string parent = lower(parent_title);
  for (const std::string_view word :
       {std::string_view("unspecified part of "), std::string_view("unspecified parts of "),
        std::string_view("unspecified ")}) {
    if (text.size() != parent.size() + word.size()) continue;
    for (std::size_t p = text.find(word); p != std::string::npos; p = text.find(word, p + 1)) {
      if (text.compare(0, p, parent, 0, p) == 0 &&
          text.compare(p + word.size(), std::string::npos, parent, p) == 0) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> CodeSet::specified_siblings(std::string_view code,
                                                     core::Date date_of_service) const {
  std::vector<std::string> out;
  const auto* record = impl_->find(code);
  if (record == nullptr) return out;
  const auto day = date_of_service.days();
  // A sibling is more specific when its title leaves no site unspecified, or fewer sites than
  // the code's own: S62.600A (unspecified phalanx of right index finger) for S62.609A
  // (unspecified phalanx of unspecified finger).
  const auto* own = impl_->interval_at(record, day);
  const Impl::SiblingSearch search{record, impl_->code_of(record), day,
                                   own != nullptr ? impl_->unspecified_sites(own) : 0};
  if (search.self.size() == 7) {
    impl_->siblings_by_extension(search, out);
    if (!out.empty()) return out;
  }
  if (record->parent == table::kNone) return out;
  impl_->siblings_under_parent(search, out);
  if (!out.empty()) return out;
  impl_->siblings_across_axis(search, out);
  return out;
}

void CodeSet::Impl::add_if_more_specific(const SiblingSearch& search, const CodeRecord& other,
                                         std::vector<std::string>& out) const {
  if (other.key == search.record->key || !billable_on(&other, search.day)) return;
  const auto* interval = interval_at(&other, search.day);
  if (interval == nullptr) return;
  const int unspecified = unspecified_sites(interval);
  if (unspecified > 0 && unspecified >= search.own_unspecified) return;
  out.push_back(code_of(&other));
}

// 1. A 7-character code whose 7th character is an extension (S82.90XA): compare stems, keep
// the same 7th character.
void CodeSet::Impl::siblings_by_extension(const SiblingSearch& search,
                                          std::vector<std::string>& out) const {
  const std::string& self = search.self;
  std::string stem = self.substr(0, 6);
  while (stem.size() > 3 && stem.back() == 'X') stem.pop_back();
  std::string family;
  for (std::size_t len = stem.size() - 1; len >= 3; --len) {
    if (find(stem.substr(0, len)) != nullptr) {
      family = stem.substr(0, len);
      break;
    }
  }
  if (family.empty()) return;
  for (const auto& other : with_prefix(family)) {
    if (table::key_length(other.key) == 7 &&
        static_cast<char>((other.key >> 8) & 0xFF) == self[6]) {
      add_if_more_specific(search, other, out);
    }
  }
}

// 2. The children of the parent (M54.41, M54.42 for M54.40); also a 7-character code whose
// 7th character is part of the code itself (E08.3499 unspecified eye: E08.3491-E08.3493).
void CodeSet::Impl::siblings_under_parent(const SiblingSearch& search,
                                          std::vector<std::string>& out) const {
  const auto parent = code_of(codes + search.record->parent);
  for (const auto& other : with_prefix(parent)) {
    if (table::key_length(other.key) > parent.size()) add_if_more_specific(search, other, out);
  }
}

// The kind of condition a code's header `length` characters long names: its title's words
// before " of " (lower case); empty when there is none.
std::string CodeSet::Impl::kind_at(const std::string& spelling, std::size_t length,
                                   std::int32_t day) const {
  std::string prefix = spelling.substr(0, std::min(length, spelling.size()));
  const CodeRecord* r = find(prefix);
  if (r == nullptr) r = find(spelling);
  const auto* interval = r != nullptr ? interval_at(r, day) : nullptr;
  if (interval == nullptr) return {};
  const std::string title = lower(string_at(interval->long_title));
  const std::size_t of = title.find(" of ");
  return of == std::string::npos ? std::string() : title.substr(0, of);
}

// 3. The site axis sits above the parent: S22.009A (unspecified fracture of unspecified
// thoracic vertebra) has its specified siblings under S22.01-S22.08 (first ... eleventh-
// twelfth thoracic vertebra), not under S22.00 (wedge, burst, other: the same unspecified
// vertebra). An ancestor that is its own parent's title with "unspecified" (or "unspecified
// part of") inserted marks the axis, the character it adds: S22.00 "Fracture of unspecified
// thoracic vertebra" under S22.0 "Fracture of thoracic vertebra"; L89.00 "Pressure ulcer of
// unspecified elbow" under L89.0. The siblings differ from the code in that character only
// (S22.019A ... S22.089A; L89.011, L89.021 for L89.001) and name the same kind of condition:
// the header one character below the axis has the same words before " of " ("Unspecified
// fracture" of S22.009 and S22.019; not S00.11 "Contusion of right eyelid" for S00.91XA
// "Abrasion of unspecified part of head", whose S00.1 branch orders its characters otherwise).
void CodeSet::Impl::siblings_across_axis(const SiblingSearch& search,
                                         std::vector<std::string>& out) const {
  const std::string& self = search.self;
  const std::int32_t day = search.day;
  for (const CodeRecord* ancestor = codes + search.record->parent; ancestor->parent != table::kNone;
       ancestor = codes + ancestor->parent) {
    const CodeRecord* grand = codes + ancestor->parent;
    const auto* ancestor_interval = interval_at(ancestor, day);
    const auto* grand_interval = interval_at(grand, day);
    if (ancestor_interval == nullptr || grand_interval == nullptr ||
        unspecified_sites(ancestor_interval) == 0 ||
        !unspecified_twin_of(string_at(ancestor_interval->long_title),
                             string_at(grand_interval->long_title))) {
      continue;
    }
    const std::size_t axis = table::key_length(ancestor->key) - 1;
    const std::string kind = kind_at(self, axis + 2, day);
    if (kind.empty()) continue;
    std::string variant = self;
    for (const char c : std::string_view("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
      if (c == self[axis]) continue;
      variant[axis] = c;
      const auto* other = find(variant);
      if (other != nullptr && kind_at(variant, axis + 2, day) == kind) {
        add_if_more_specific(search, *other, out);
      }
    }
  }
}

std::string CodeSet::parent(std::string_view code) const {
  const auto* record = impl_->find(code);
  if (record == nullptr) {
    // A code in no edition: its longest prefix that is in the history (S39012 for S39012X).
    const auto normalized = core::normalize_icd10(code);
    if (!normalized) return {};
    for (std::size_t n = normalized->size(); n-- > 3;) {
      std::string prefix = normalized->substr(0, n);
      if (impl_->find(prefix) != nullptr) return prefix;
    }
    return {};
  }
  if (record->parent == table::kNone) return {};
  return impl_->code_of(impl_->codes + record->parent);
}

std::vector<std::string> CodeSet::billable_children(std::string_view prefix,
                                                    core::Date date_of_service) const {
  const auto normalized = core::normalize_icd10(prefix);
  const std::string text = normalized ? *normalized : std::string(prefix);
  return impl_->billable_with_prefix(text, date_of_service.days(), false);
}

std::optional<core::Date> CodeSet::first_valid(std::string_view code) const {
  const auto* record = impl_->find(code);
  if (record == nullptr) return std::nullopt;
  for (const auto& interval : impl_->intervals_of(record)) {
    if (interval.billable) return core::Date::from_days(interval.from);
  }
  return std::nullopt;
}

bool CodeSet::requires_seventh_character(std::string_view code, core::Date date_of_service) const {
  if (status_on(code, date_of_service) != Status::kHeader) return false;
  const auto children = billable_children(code, date_of_service);
  return !children.empty() && std::all_of(children.begin(), children.end(),
                                          [](const std::string& c) { return c.size() == 7; });
}

Laterality CodeSet::laterality(std::string_view code, core::Date date_of_service) const {
  const auto* record = impl_->find(code);
  if (record == nullptr) return Laterality::kNone;
  const IntervalRecord* source = impl_->title_interval(record, date_of_service.days());
  return source == nullptr ? Laterality::kNone : impl_->title_laterality(source);
}

Classification CodeSet::classify_not_billable(std::string_view code,
                                              core::Date date_of_service) const {
  Classification result;
  result.lookup = lookup(code, date_of_service);
  const auto& lk = result.lookup;
  switch (lk.status) {
    case Status::kBillable:
      result.kind = NotBillable::kBillable;
      return result;
    case Status::kBeforeIcd10:
    case Status::kAfterCoverage:
      result.kind = NotBillable::kOutsideCoverage;
      return result;
    default:
      break;
  }
  // 1. Billable in some other edition.
  if (first_valid(lk.code)) {
    result.kind = NotBillable::kStale;
    result.suggestions = !lk.replacements.empty() ? lk.replacements : lk.children;
    return result;
  }
  // 2. A header on the date.
  if (lk.status == Status::kHeader) {
    result.kind = lk.code.size() == 6 && requires_seventh_character(lk.code, date_of_service)
                      ? NotBillable::kSeventhCharacter
                      : NotBillable::kHeader;
    result.suggestions = lk.children;
    return result;
  }
  // 3. Placeholder X missing.
  const auto padded = pad_placeholder(lk.code);
  if (!padded.empty() && status_on(padded, date_of_service) == Status::kBillable) {
    result.kind = NotBillable::kPlaceholderMissing;
    result.suggestions.push_back(padded);
    return result;
  }
  // 3b. In no edition, and wrong only in its 7th character (guidelines I.A.5: the 7th
  // character is required, always in the 7th position, after placeholder X as needed): missing
  // after the placeholder (S161XX, S161X -> S161XXA/D/S) or not one the code takes (S39012X ->
  // S39012A/D/S; M62830A -> M62830, which takes none).
  if (lk.status == Status::kUnknown) {
    auto completions = seventh_character_completions(lk.code, date_of_service);
    if (!completions.empty()) {
      result.kind = NotBillable::kSeventhCharacter;
      result.suggestions = std::move(completions);
      return result;
    }
  }
  result.kind = NotBillable::kInvalid;
  return result;
}

std::vector<std::string> CodeSet::seventh_character_completions(std::string_view code,
                                                                core::Date date_of_service) const {
  const auto normalized = core::normalize_icd10(code);
  const std::string text = normalized ? *normalized : std::string(code);
  if (text.size() < 4 || text.size() > 7 || impl_->find(text) != nullptr) return {};
  std::string stem = text.size() == 7 ? text.substr(0, 6) : text;
  if (text.size() == 7 && status_on(stem, date_of_service) == Status::kBillable) return {stem};
  while (stem.size() < 6) stem += 'X';
  auto out = impl_->billable_with_prefix(stem, date_of_service.days(), false);
  const bool all_seventh =
      std::all_of(out.begin(), out.end(), [](const std::string& c) { return c.size() == 7; });
  if (!all_seventh) return {};
  return out;
}

std::vector<std::string> CodeSet::all_codes() const {
  std::vector<std::string> out;
  out.reserve(impl_->header->code_count);
  for (std::uint32_t k = 0; k < impl_->header->code_count; ++k) {
    out.push_back(impl_->code_of(impl_->codes + k));
  }
  return out;
}

std::size_t CodeSet::count_on(core::Date date_of_service, bool billable) const {
  std::size_t n = 0;
  const auto day = date_of_service.days();
  for (std::uint32_t k = 0; k < impl_->header->code_count; ++k) {
    const auto* interval = impl_->interval_at(impl_->codes + k, day);
    if (interval != nullptr && (interval->billable != 0) == billable) ++n;
  }
  return n;
}

core::Date CodeSet::coverage_from() const {
  return core::Date::from_days(impl_->header->coverage_from);
}
core::Date CodeSet::coverage_to() const {
  return core::Date::from_days(impl_->header->coverage_to);
}

bool is_external_cause(std::string_view code) {
  if (code.empty()) return false;
  const char c = code.front();
  return c == 'V' || c == 'W' || c == 'X' || c == 'Y' || c == 'v' || c == 'w' || c == 'x' ||
         c == 'y';
}

bool in_range(std::string_view code, std::string_view first, std::string_view last) {
  return code.substr(0, first.size()) >= first && code.substr(0, last.size()) <= last;
}

std::string_view category(std::string_view code) { return code.substr(0, 3); }

bool has_prefix(std::string_view code, std::string_view prefix) {
  return code.substr(0, prefix.size()) == prefix;
}

const Chapter* chapter_of(std::string_view code) {
  if (code.size() < 3) return nullptr;
  for (const auto& chapter : kChapters) {
    if (in_range(code.substr(0, 3), chapter.first, chapter.last)) return &chapter;
  }
  return nullptr;
}

char seventh_character(std::string_view code) { return code.size() == 7 ? code[6] : '\0'; }

std::string pad_placeholder(std::string_view code) {
  if (code.size() < 4 || code.size() > 6) return {};
  const char last = code.back();
  if (!(last >= 'A' && last <= 'Z')) return {};
  std::string out(code.substr(0, code.size() - 1));
  while (out.size() < 6) out += 'X';
  out += last;
  return out;
}

bool is_unspecified_site_title(std::string_view long_title) {
  // Lower-case into a stack buffer (titles are far shorter); a heap copy only beyond it.
  std::array<char, 512> buffer;
  std::string heap;
  std::string_view text;
  if (long_title.size() <= buffer.size()) {
    for (std::size_t i = 0; i < long_title.size(); ++i) {
      const char c = long_title[i];
      buffer[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    text = std::string_view(buffer.data(), long_title.size());
  } else {
    heap = lower(long_title);
    text = heap;
  }
  if (text.find("unspecified") == std::string_view::npos) return false;
  return unspecified_followed_by(text, kSiteWords);
}

int unspecified_site_count(std::string_view long_title) {
  if (!is_unspecified_site_title(long_title)) return 0;
  const std::string text = lower(long_title);
  constexpr std::string_view kUnspecified = "unspecified";
  int count = 0;
  // Each "unspecified" on its own: the others blanked, does it name a site?
  for (std::size_t p = text.find(kUnspecified); p != std::string::npos;
       p = text.find(kUnspecified, p + 1)) {
    std::string alone = text;
    for (std::size_t q = text.find(kUnspecified); q != std::string::npos;
         q = text.find(kUnspecified, q + 1)) {
      if (q != p) alone.replace(q, kUnspecified.size(), kUnspecified.size(), '#');
    }
    if (unspecified_followed_by(alone, kSiteWords)) ++count;
  }
  return std::max(count, 1);
}

Laterality laterality_of_title(std::string_view long_title) {
  auto text = lower(long_title);
  // Anatomy named "left"/"right" that is not a side of the body.
  for (const std::string_view phrase :
       {"left ventric", "right ventric", "left heart", "right heart", "left atri", "right atri",
        "left bundle", "right bundle", "left-to-right", "right-to-left", "left anterior fascic",
        "left posterior fascic", "left main coronary"}) {
    // Overwrite in place (same length) so the side words no longer match.
    std::size_t pos = 0;
    while ((pos = text.find(phrase, pos)) != std::string::npos) {
      for (std::size_t i = 0; i < phrase.size(); ++i) text[pos + i] = '#';
      pos += phrase.size();
    }
  }
  if (has_word(text, "bilateral")) return Laterality::kBilateral;
  const bool right = has_word(text, "right");
  const bool left = has_word(text, "left");
  if (right && left) return Laterality::kBilateral;
  if (right) return Laterality::kRight;
  if (left) return Laterality::kLeft;
  if (unspecified_followed_by(text, kPairedWords)) return Laterality::kUnspecified;
  return Laterality::kNone;
}

}  // namespace claimaudit::codes
