#include "codes/edits.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "codes/mapped_table.hpp"
#include "codes/table_format.hpp"
#include "core/icd10_code.hpp"

namespace claimaudit::codes {
namespace {

constexpr int kFirstMceYear = 2016;  // v33.
constexpr int kFirstMceVersion = 33;

int fiscal_year(core::Date date) { return date.fiscal_year(); }

std::uint64_t key_for(std::string_view code) {
  // Normalised codes (what the rules pass) are packed directly; anything else is normalised.
  if (code.size() >= 3 && code.size() <= 7 && std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      })) {
    return table::pack_code(code);
  }
  const auto normalized = core::normalize_icd10(code);
  return normalized ? table::pack_code(*normalized) : 0;
}

}  // namespace

struct EditLists::Impl {
  MappedTable table;
  const table::EditListRecord* lists = nullptr;
  std::uint32_t list_count = 0;
  const std::uint64_t* keys = nullptr;
  int newest_mce = 0;
  int poa_year = 0;

  // Built at load when there are at most 64 lists: code key -> bit i set when list i holds it,
  // open addressing (key 0 = empty slot). One probe answers every list for a code, where the
  // binary searches touch a dozen cold cache lines each.
  struct Membership {
    std::uint64_t key = 0;
    std::uint64_t lists = 0;
  };
  std::vector<Membership> membership;
  std::uint64_t membership_mask = 0;

  // The list of each (kind, version): by_kind[kind] holds the list index of versions
  // first_version[kind], first_version[kind] + 1, ... (-1 where none). The first list of a
  // (kind, version) wins, as the scan it replaces did.
  static constexpr std::size_t kKinds = 16;
  std::array<std::vector<int>, kKinds> by_kind;
  std::array<int, kKinds> first_version{};

  // What a finding cites for the MCE of each fiscal year from kFirstMceYear (mce_version()),
  // built at load: formatting it per finding cost more than the lookup it cites.
  static constexpr int kCitedYears = 100;
  std::vector<std::string> cites;

  void index_lists() {
    for (std::uint32_t i = 0; i < list_count; ++i) {
      const std::size_t kind = lists[i].kind;
      const auto version = static_cast<int>(lists[i].version);
      if (kind >= kKinds) continue;
      std::vector<int>& indices = by_kind[kind];
      int& first = first_version[kind];
      if (indices.empty()) {
        first = version;
      } else if (version < first) {
        indices.insert(indices.begin(), static_cast<std::size_t>(first - version), -1);
        first = version;
      }
      const auto at = static_cast<std::size_t>(version - first);
      if (at >= indices.size()) indices.resize(at + 1, -1);
      if (indices[at] < 0) indices[at] = static_cast<int>(i);
    }
  }

  int list_of(table::EditKind kind, int version) const {
    const auto k = static_cast<std::size_t>(kind);
    if (k >= kKinds || by_kind[k].empty() || version < first_version[k]) return -1;
    const auto at = static_cast<std::size_t>(version - first_version[k]);
    return at < by_kind[k].size() ? by_kind[k][at] : -1;
  }

  void build_cites() {
    cites.clear();
    if (newest_mce == 0) return;
    for (int fy = kFirstMceYear; fy < kFirstMceYear + kCitedYears; ++fy) {
      std::string cite;
      format_cite(fy, cite);
      cites.push_back(std::move(cite));
    }
  }

  static std::uint64_t slot_of(std::uint64_t key) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return key;
  }

  void build_membership() {
    if (list_count == 0 || list_count > 64) return;
    std::size_t total = 0;
    for (std::uint32_t i = 0; i < list_count; ++i) total += lists[i].key_count;
    std::size_t capacity = 16;
    while (capacity < total * 2) capacity *= 2;
    membership.assign(capacity, Membership{});
    membership_mask = capacity - 1;
    for (std::uint32_t i = 0; i < list_count; ++i) {
      const auto* begin = keys + lists[i].first_key;
      for (const auto* k = begin; k != begin + lists[i].key_count; ++k) {
        if (*k == 0) continue;
        std::uint64_t slot = slot_of(*k) & membership_mask;
        while (membership[slot].key != 0 && membership[slot].key != *k) {
          slot = (slot + 1) & membership_mask;
        }
        membership[slot].key = *k;
        membership[slot].lists |= std::uint64_t{1} << i;
      }
    }
  }

  bool contains(table::EditKind kind, int version, std::uint64_t key) const {
    const int i = list_of(kind, version);
    if (i < 0) return false;
    if (!membership.empty()) {
      if (key == 0) return false;
      for (std::uint64_t slot = slot_of(key) & membership_mask;;
           slot = (slot + 1) & membership_mask) {
        const Membership& entry = membership[slot];
        if (entry.key == key) return (entry.lists >> i) & 1U;
        if (entry.key == 0) return false;
      }
    }
    const auto& list = lists[static_cast<std::size_t>(i)];
    const auto* begin = keys + list.first_key;
    return std::binary_search(begin, begin + list.key_count, key);
  }

  // The MCE version for the date; 0 before ICD-10-CM.
  int mce_version(core::Date date) const {
    if (date < core::kIcd10Start || newest_mce == 0) return 0;
    return std::min(kFirstMceVersion + (fiscal_year(date) - kFirstMceYear), newest_mce);
  }

  // The MCE version for the date, and what the finding cites. 0 before ICD-10-CM.
  int mce_version(core::Date date, std::string& cite) const {
    if (date < core::kIcd10Start || newest_mce == 0) {
      cite.clear();
      return 0;
    }
    const int fy = fiscal_year(date);
    if (fy >= kFirstMceYear && fy - kFirstMceYear < static_cast<int>(cites.size())) {
      cite = cites[static_cast<std::size_t>(fy - kFirstMceYear)];
    } else {
      format_cite(fy, cite);
    }
    return std::min(kFirstMceVersion + (fy - kFirstMceYear), newest_mce);
  }

  // "MCE v37 (FY2020)", or "MCE v37 (FY2020; newest shipped, applied to FY2024)" for a year
  // past the newest list shipped.
  void format_cite(int fy, std::string& cite) const {
    const int version = kFirstMceVersion + (fy - kFirstMceYear);
    const int newest_year = kFirstMceYear + (newest_mce - kFirstMceVersion);
    cite = "MCE v" + std::to_string(std::min(version, newest_mce)) + " (FY" +
           std::to_string(std::min(fy, newest_year));
    if (version > newest_mce) cite += "; newest shipped, applied to FY" + std::to_string(fy);
    cite += ")";
  }

  EditAnswer answer(table::EditKind kind, std::string_view code, core::Date date) const {
    EditAnswer result;
    const int version = mce_version(date, result.list_version);
    if (version != 0) result.listed = contains(kind, version, key_for(code));
    return result;
  }
};

EditLists::EditLists(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EditLists::EditLists(EditLists&&) noexcept = default;
EditLists& EditLists::operator=(EditLists&&) noexcept = default;
EditLists::~EditLists() = default;

EditLists EditLists::load(const std::filesystem::path& compact_table) {
  auto impl = std::make_unique<Impl>();
  impl->table = MappedTable::open(compact_table);
  const auto* h = impl->table.header();
  impl->list_count = h->edit_list_count;
  impl->lists =
      impl->table.section<table::EditListRecord>(h->edit_lists_offset, h->edit_list_count);
  impl->keys = impl->table.section<std::uint64_t>(h->edit_keys_offset, h->edit_key_count);
  for (std::uint32_t i = 0; i < impl->list_count; ++i) {
    const auto& list = impl->lists[i];
    if (list.first_key > h->edit_key_count || list.key_count > h->edit_key_count - list.first_key) {
      impl->table.corrupt("edit list " + std::to_string(i));
    }
    if (list.kind == static_cast<std::uint32_t>(table::EditKind::kPoaExempt)) {
      impl->poa_year = std::max(impl->poa_year, static_cast<int>(list.version));
    } else {
      impl->newest_mce = std::max(impl->newest_mce, static_cast<int>(list.version));
    }
  }
  impl->build_membership();
  impl->index_lists();
  impl->build_cites();
  return EditLists(std::move(impl));
}

EditLists EditLists::load_default() { return load(default_table_path()); }

AgeEdit EditLists::age_edit(std::string_view code, core::Date date_of_service,
                            std::string* list_version) const {
  if (list_version != nullptr) impl_->mce_version(date_of_service, *list_version);
  return age_edit_only(code, date_of_service);
}

AgeEdit EditLists::age_edit_only(std::string_view code, core::Date date_of_service) const {
  const int version = impl_->mce_version(date_of_service);
  if (version == 0) return AgeEdit::kNone;
  const auto key = key_for(code);
  using table::EditKind;
  if (impl_->contains(EditKind::kNewborn, version, key)) return AgeEdit::kNewborn;
  if (impl_->contains(EditKind::kPediatric, version, key)) return AgeEdit::kPediatric;
  if (impl_->contains(EditKind::kMaternity, version, key)) return AgeEdit::kMaternity;
  if (impl_->contains(EditKind::kAdult, version, key)) return AgeEdit::kAdult;
  return AgeEdit::kNone;
}

SexEdit EditLists::sex_edit(std::string_view code, core::Date date_of_service,
                            std::string* list_version) const {
  if (list_version != nullptr) impl_->mce_version(date_of_service, *list_version);
  return sex_edit_only(code, date_of_service);
}

SexEdit EditLists::sex_edit_only(std::string_view code, core::Date date_of_service) const {
  const int version = impl_->mce_version(date_of_service);
  if (version == 0) return SexEdit::kNone;
  const auto key = key_for(code);
  if (impl_->contains(table::EditKind::kFemaleOnly, version, key)) return SexEdit::kFemaleOnly;
  if (impl_->contains(table::EditKind::kMaleOnly, version, key)) return SexEdit::kMaleOnly;
  return SexEdit::kNone;
}

EditAnswer EditLists::manifestation(std::string_view code, core::Date date_of_service) const {
  return impl_->answer(table::EditKind::kManifestation, code, date_of_service);
}

EditAnswer EditLists::unacceptable_principal(std::string_view code,
                                             core::Date date_of_service) const {
  return impl_->answer(table::EditKind::kUnacceptablePrincipal, code, date_of_service);
}

EditAnswer EditLists::questionable_admission(std::string_view code,
                                             core::Date date_of_service) const {
  return impl_->answer(table::EditKind::kQuestionableAdmission, code, date_of_service);
}

EditAnswer EditLists::poa_exempt(std::string_view code, core::Date date_of_service) const {
  EditAnswer result;
  if (date_of_service < core::kIcd10Start || impl_->poa_year == 0) return result;
  const int fy = fiscal_year(date_of_service);
  result.list_version = "POA exempt FY" + std::to_string(impl_->poa_year);
  if (fy != impl_->poa_year) {
    result.list_version += " (the only list shipped, applied to FY" + std::to_string(fy) + ")";
  }
  result.listed = impl_->contains(table::EditKind::kPoaExempt, impl_->poa_year, key_for(code));
  return result;
}

bool EditLists::listed(List list, std::string_view code, core::Date date_of_service) const {
  using table::EditKind;
  if (list == List::kPoaExempt) {
    if (date_of_service < core::kIcd10Start || impl_->poa_year == 0) return false;
    return impl_->contains(EditKind::kPoaExempt, impl_->poa_year, key_for(code));
  }
  const int version = impl_->mce_version(date_of_service);
  if (version == 0) return false;
  const EditKind kind = list == List::kManifestation           ? EditKind::kManifestation
                        : list == List::kUnacceptablePrincipal ? EditKind::kUnacceptablePrincipal
                                                               : EditKind::kQuestionableAdmission;
  return impl_->contains(kind, version, key_for(code));
}

void EditLists::mce_version(core::Date date_of_service, std::string& cite) const {
  impl_->mce_version(date_of_service, cite);
}

std::string EditLists::list_version(List list, core::Date date_of_service) const {
  switch (list) {
    case List::kManifestation:
      return manifestation("", date_of_service).list_version;
    case List::kUnacceptablePrincipal:
      return unacceptable_principal("", date_of_service).list_version;
    case List::kQuestionableAdmission:
      return questionable_admission("", date_of_service).list_version;
    case List::kPoaExempt:
      break;
  }
  return poa_exempt("", date_of_service).list_version;
}

}  // namespace claimaudit::codes
