// codes/code_set.hpp
//
// The ICD-10-CM code history: for every code ever published, when it was billable, a header,
// or absent, from the official order files (DOMAIN.md 4, 6). Loaded once from the compact table
// the build generates from data/codeset/ (see tools/codeset-import); immutable afterwards, so any
// number of threads may call every const method concurrently.
//
// Codes passed in are normalised (core::normalize_icd10: "M62830"); results print dotted.
//
// NOTE(issue 4): this header is the contract the rules engine codes against. The code-set work
// implements it and may extend it; do not remove or change the meaning of what is here.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"

namespace claimaudit::codes {

enum class Status {
  kBillable,     // Valid on a claim on that date.
  kHeader,       // A category/subcategory on that date: needs more characters.
  kNotYetValid,  // Exists in a later edition only (first_valid says when).
  kDeleted,      // Existed in an earlier edition, absent on that date (last_valid says until when).
  kUnknown,      // In no edition at all (M62.839).
  kBeforeIcd10,  // Date before 2015-10-01: ICD-9-CM's world; ICD-10-CM codes are not valid.
  kAfterCoverage  // Date after the newest loaded edition ends (2027-09-30 with shipped data).
};

// "billable", "header", "not_yet_valid", "deleted", "unknown", "before_icd10", "after_coverage".
std::string_view to_string(Status status);

// One release of the code set and the dates of service it covers.
struct Edition {
  std::string name;  // "fy2026", "fy2022-apr", "fy2027-derived-makevision".
  core::Date valid_from;
  core::Date valid_to;  // Inclusive.
  std::string source;   // The file it was read from ("fy2026/icd10cm_order_2026.txt.gz").
};

// One interval of a code's history.
struct Interval {
  core::Date from;        // Inclusive.
  core::Date to;          // Inclusive.
  bool billable = false;  // false = header.
  std::string title;      // Long title in force over the interval.
  std::string edition;    // First edition of the interval ("fy2016").
  std::string source;     // Source of the fact: order file, or "corrections.tsv:N".
};

struct LookupResult {
  Status status = Status::kUnknown;
  std::string code;                       // Normalised, as asked.
  std::string title;                      // Title on that date, else the nearest interval's title.
  std::string edition;                    // Edition covering the date ("fy2026"); empty if none.
  std::optional<core::Date> first_valid;  // First billable date (kNotYetValid, and generally).
  std::optional<core::Date> last_valid;   // Last billable date before the date (kDeleted, kHeader).
  std::optional<core::Date> expanded_on;  // kHeader of a formerly billable code: header since.
  std::vector<std::string> replacements;  // Billable successors on the date (normalised).
  std::vector<std::string> children;      // kHeader: billable descendants on the date.
};

class CodeSet {
 public:
  CodeSet(const CodeSet&) = delete;
  CodeSet& operator=(const CodeSet&) = delete;
  CodeSet(CodeSet&&) noexcept;
  CodeSet& operator=(CodeSet&&) noexcept;
  ~CodeSet();

  // Loads the compact table written by the build (codeset.bin). Throws std::runtime_error with
  // the path and reason if the file is missing or corrupt (a start-up failure).
  static CodeSet load(const std::filesystem::path& compact_table);
  // The table the build produced, found next to the executable or in the install prefix
  // (/usr/share/claimaudit/codeset.bin); CLAIMAUDIT_CODESET overrides. Throws as load().
  static CodeSet load_default();

  // The status of `code` on `date_of_service`. Allocation-light; safe from any thread.
  Status status_on(std::string_view code, core::Date date_of_service) const;
  // The full answer, with titles, dates and replacements.
  LookupResult lookup(std::string_view code, core::Date date_of_service) const;
  bool is_billable(std::string_view code, core::Date date_of_service) const {
    return status_on(code, date_of_service) == Status::kBillable;
  }
  // True if the code appears (billable or header) in any edition.
  bool exists(std::string_view code) const;
  // Every interval of the code's history, oldest first; empty if unknown.
  std::vector<Interval> history(std::string_view code) const;
  // The edition that covers the date, or nullptr outside the loaded editions.
  const Edition* edition_for(core::Date date_of_service) const;
  std::span<const Edition> editions() const;

  // Helpers the rules need.
  // True when the code is the site/side/level-unspecified member of its family (title pattern,
  // DOMAIN.md 4.5) on the date.
  bool is_unspecified_site(std::string_view code, core::Date date_of_service) const;
  // Billable siblings (same parent) naming a specific site/side/level, on the date.
  std::vector<std::string> specified_siblings(std::string_view code,
                                              core::Date date_of_service) const;
  // The code's parent in the tabular hierarchy ("M6283" for "M62830"); empty for a category.
  std::string parent(std::string_view code) const;
  // Billable codes starting with `prefix` on the date.
  std::vector<std::string> billable_children(std::string_view prefix,
                                             core::Date date_of_service) const;

 private:
  struct Impl;
  explicit CodeSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Pure helpers on the spelling (no table needed).
// Chapter 20 external causes: first letter V, W, X or Y (V00-Y99).
bool is_external_cause(std::string_view code);
// Inclusive range test on normalised codes by prefix: in_range("M6283", "M60", "M63") is true
// (the range ends include every code below them).
bool in_range(std::string_view code, std::string_view first, std::string_view last);

}  // namespace claimaudit::codes
