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

#include <cstdint>
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
  // Added by issue 4:
  std::string last_edition;             // Last edition of the interval ("fy2027-derived-...").
  bool from_correction = false;         // True when corrections.tsv says so, not the files.
  std::vector<std::string> successors;  // Billable interval that ends before the coverage does:
                                        // the codes replacing it the next day (DOMAIN.md 6.3).
};

// Why a code is not billable on a date (DOMAIN.md 4.3), in the order the checks run.
enum class NotBillable {
  kBillable,            // It is billable: nothing to classify.
  kStale,               // Billable in another edition: retired, expanded, or not yet valid.
  kSeventhCharacter,    // Header of 6 characters whose billable children have 7 (S39012).
  kPlaceholderMissing,  // Placeholder X missing before the 7th character (X500A -> X500XXA).
  kHeader,              // A header on the date (M6283).
  kInvalid,             // None of the above (M62839).
  kOutsideCoverage,     // Date before ICD-10-CM or after the newest edition: cannot judge.
};

// "billable", "stale", "seventh_character", "placeholder_missing", "header", "invalid",
// "outside_coverage".
std::string_view to_string(NotBillable kind);

// Side named by a code's title on a date.
enum class Laterality { kNone, kRight, kLeft, kBilateral, kUnspecified };
// "none", "right", "left", "bilateral", "unspecified".
std::string_view to_string(Laterality laterality);

// An ICD-10-CM chapter (FY2026 ranges).
struct Chapter {
  int number = 0;          // 1..22.
  std::string_view first;  // "M00".
  std::string_view last;   // "M99" (inclusive, by prefix).
  std::string_view title;
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

struct Classification {
  NotBillable kind = NotBillable::kInvalid;
  LookupResult lookup;                   // The lookup on the date.
  std::vector<std::string> suggestions;  // Successors, children, or the padded code (normalised).
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
  // The days on which some answer of the code history may change, ascending: every interval's
  // first day and the day after its last, every edition's, and the coverage's. Between two
  // consecutive days every status, title and classification of every code is constant (the
  // rules engine memoises code answers per such epoch). Computed once, on first use.
  std::span<const std::int32_t> change_days() const;
  // The date's epoch: how many change days are on or before it. Equal epochs, equal answers.
  std::uint32_t epoch_of(core::Date date_of_service) const;
  // Unique among the code sets this process loads (memos of code answers are keyed by it).
  std::uint64_t serial() const;

  // Loading hints for a normalised code, each step assuming the previous one has arrived: the
  // hash slot, then the code's record and interval words, then its intervals (their title traits
  // included). Changes no answer; a code that is not plain is ignored.
  enum class PrefetchStep { kSlot, kRecord, kIntervals };
  void prefetch(std::string_view code, PrefetchStep step) const noexcept;

  // Helpers the rules need.
  // True when the code is the site/side/level-unspecified member of its family (title pattern,
  // DOMAIN.md 4.5) on the date.
  bool is_unspecified_site(std::string_view code, core::Date date_of_service) const;
  // Billable siblings naming a specific site/side/level (or fewer unspecified sites), on the
  // date: the same parent's children (M54.41, M54.42 for M54.40; same 7th character for
  // S82.90XA), or, when the site axis sits above the parent, the codes differing in that
  // character only (S22.019A ... S22.089A for S22.009A).
  std::vector<std::string> specified_siblings(std::string_view code,
                                              core::Date date_of_service) const;
  // The code's parent in the tabular hierarchy ("M6283" for "M62830"); empty for a category.
  // For a code in no edition, its longest prefix that is in the history ("S39012" for
  // "S39012X", "S161" for "S161XX"; empty when not even the category exists).
  std::string parent(std::string_view code) const;
  // Billable codes starting with `prefix` on the date.
  std::vector<std::string> billable_children(std::string_view prefix,
                                             core::Date date_of_service) const;

  // Added by issue 4.
  // Why `code` is not billable on the date, with suggestions (DOMAIN.md 4.3): kStale when it is
  // billable in another edition (suggests successors, or nothing for not-yet-valid codes);
  // kSeventhCharacter / kHeader when it is a header on the date (suggests the billable
  // children); kPlaceholderMissing when padding with X before a final letter gives a billable
  // code (suggests it); kSeventhCharacter when the code is in no edition and wrong only in its
  // 7th character (seventh_character_completions(): S161XX, S39012X); else kInvalid. kBillable if
  // it is billable; kOutsideCoverage for dates outside the loaded editions.
  Classification classify_not_billable(std::string_view code, core::Date date_of_service) const;
  // First date the code was billable, if ever.
  std::optional<core::Date> first_valid(std::string_view code) const;
  // True when `code` is a header on the date whose billable children all have 7 characters.
  bool requires_seventh_character(std::string_view code, core::Date date_of_service) const;
  // Added by the rule-pack review: for a code in no edition whose only fault is its 7th
  // character, the billable codes it should be on the date (guidelines I.A.5): the 7th
  // character missing after the placeholder (S161XX, S161X -> S161XXA, S161XXD, S161XXS), or
  // one the code does not take (S39012X -> S39012A, S39012D, S39012S; M62830A -> M62830). Empty
  // otherwise. classify_not_billable() answers kSeventhCharacter for these codes.
  std::vector<std::string> seventh_character_completions(std::string_view code,
                                                         core::Date date_of_service) const;
  // Side named by the long title lookup_title() gives (kNone for a code in no edition): read from
  // the table, where the generator stored laterality_of_title() of every interval's title.
  Laterality laterality(std::string_view code, core::Date date_of_service) const;
  // Long title on the date, or empty when the code is not billable or a header then.
  std::string title_on(std::string_view code, core::Date date_of_service) const;
  // Added for the rules engine's speed (issue 5): lookup(code, date).title without the rest of
  // the lookup and without allocating; the view stays valid as long as the CodeSet.
  std::string_view lookup_title(std::string_view code, core::Date date_of_service) const;
  // Every code in the history, sorted (normalised).
  std::vector<std::string> all_codes() const;
  // Number of codes billable (or headers, `billable` false) on the date.
  std::size_t count_on(core::Date date_of_service, bool billable = true) const;
  // First and last date covered by the loaded editions.
  core::Date coverage_from() const;
  core::Date coverage_to() const;

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

// Added by issue 4.
// The three-character category ("M62" for "M62830").
std::string_view category(std::string_view code);
// True when normalised `code` starts with `prefix` ("M5450" has prefix "M545").
bool has_prefix(std::string_view code, std::string_view prefix);
// The chapter of a code by its category, or nullptr if none matches.
const Chapter* chapter_of(std::string_view code);
// The 7th character of a 7-character code, or '\0'.
char seventh_character(std::string_view code);
// A code of 4 or 5 characters ending in a letter, padded with X to 6 characters before that
// letter: "X500A" -> "X500XXA". Empty when the spelling does not fit.
std::string pad_placeholder(std::string_view code);
// The title names an unspecified site, side, level or laterality (DOMAIN.md 4.5): "site
// unspecified", "unspecified side", "unspecified level", "unspecified knee" ... Never a
// type-unspecified title ("Illness, unspecified", "Dorsalgia, unspecified").
bool is_unspecified_site_title(std::string_view long_title);
// How many sites the title leaves unspecified ("unspecified phalanx of unspecified finger": 2);
// 0 when is_unspecified_site_title() is false.
int unspecified_site_count(std::string_view long_title);
// Side named by a title.
Laterality laterality_of_title(std::string_view long_title);

}  // namespace claimaudit::codes
