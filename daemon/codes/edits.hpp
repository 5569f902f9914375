// codes/edits.hpp
//
// Medicare Code Editor lists (../shared/edits/, v33 = FY2016 .. v37 = FY2020) and the FY2026
// POA-exempt list, answered "as of a date of service" like the code history: a date in FY2016..
// FY2020 uses that year's list; later dates use v37 (the newest shipped) and say so
// (`list_version`). Loaded from the same compact data directory; immutable; thread-safe.
//
// NOTE(issue 4): contract for the rules engine; the code-set work implements it.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.hpp"

namespace claimaudit::codes {

enum class AgeEdit { kNone, kNewborn, kPediatric, kMaternity, kAdult };  // MCE 4A..4D
enum class SexEdit { kNone, kFemaleOnly, kMaleOnly };                    // MCE 5A / 5C

struct EditAnswer {
  bool listed = false;
  std::string list_version;  // "MCE v37 (FY2020)"; what the finding cites.
};

class EditLists {
 public:
  EditLists(const EditLists&) = delete;
  EditLists& operator=(const EditLists&) = delete;
  EditLists(EditLists&&) noexcept;
  EditLists& operator=(EditLists&&) noexcept;
  ~EditLists();

  static EditLists load(const std::filesystem::path& compact_table);
  static EditLists load_default();

  AgeEdit age_edit(std::string_view code, core::Date date_of_service,
                   std::string* list_version = nullptr) const;
  SexEdit sex_edit(std::string_view code, core::Date date_of_service,
                   std::string* list_version = nullptr) const;
  EditAnswer manifestation(std::string_view code, core::Date date_of_service) const;
  EditAnswer unacceptable_principal(std::string_view code, core::Date date_of_service) const;
  EditAnswer questionable_admission(std::string_view code, core::Date date_of_service) const;
  // FY2026 POA-exempt list (the only year shipped).
  EditAnswer poa_exempt(std::string_view code, core::Date date_of_service) const;

  // Added for the rules engine's speed (issue 5): the answers above without building the
  // citation string (nothing is allocated); list_version() gives the citation when it is needed.
  enum class List { kManifestation, kUnacceptablePrincipal, kQuestionableAdmission, kPoaExempt };
  bool listed(List list, std::string_view code, core::Date date_of_service) const;
  // EditAnswer::list_version of the list on the date.
  std::string list_version(List list, core::Date date_of_service) const;
  // The MCE version the date's edits come from, as findings cite it ("MCE v37 (FY2020; newest
  // shipped, applied to FY2024)"); empty before ICD-10-CM or without MCE lists.
  void mce_version(core::Date date_of_service, std::string& cite) const;
  // age_edit() / sex_edit() without the citation (age_edit(code, date, &version) gives it).
  AgeEdit age_edit_only(std::string_view code, core::Date date_of_service) const;
  SexEdit sex_edit_only(std::string_view code, core::Date date_of_service) const;

 private:
  struct Impl;
  explicit EditLists(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace claimaudit::codes
