// codes/history.hpp
//
// Building the code history (DOMAIN.md 6.3) and its reviewable text form (data/codeset/*.tsv).
// Used offline by tools/codeset-import (official files -> text) and by the table generator (text
// -> codeset.bin, table_writer.hpp); the daemon never runs this code, it loads the compact table.
// Pure functions over bytes and values (callers do the file I/O); thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "codes/official_files.hpp"
#include "core/date.hpp"
#include "core/diagnostic.hpp"

namespace claimaudit::codes {

// One edition's full code list and the dates of service it covers.
struct EditionSnapshot {
  std::string name;  // "fy2026".
  core::Date from;
  core::Date to;       // Inclusive.
  std::string source;  // What it was read from, relative to the icd10cm folder.
  std::vector<OrderEntry> entries;
};

// One line of data/codeset/corrections.tsv: the code's state over [from, to] regardless of the
// files (DOMAIN.md 4.1.1).
struct Correction {
  enum class State { kBillable, kHeader, kAbsent };
  int line = 0;  // 1-based line in corrections.tsv.
  std::string code;
  core::Date from;
  core::Date to;
  State state = State::kAbsent;
  std::string citation;  // Where the fact comes from.
};

struct EditionSummary {
  std::string name;
  core::Date from;
  core::Date to;
  int billable = 0;  // As in the edition's file(s), before corrections.
  int headers = 0;
  std::string source;
};

struct HistoryInterval {
  core::Date from;
  core::Date to;  // Inclusive.
  bool billable = false;
  std::string short_title;
  std::string long_title;
  std::string first_edition;  // Editions the interval was read from ("fy2016" .. "fy2026").
  std::string last_edition;
  int correction_line = 0;              // > 0: the interval comes from corrections.tsv:N.
  std::vector<std::string> successors;  // Billable interval that ends before coverage does:
                                        // billable codes replacing it the next day (6.3 step 4).
};

struct CodeHistoryEntry {
  std::string code;  // Normalised.
  std::string
      parent;  // Longest proper prefix that is a code in some edition; empty for categories.
  std::vector<HistoryInterval> intervals;  // Oldest first, not overlapping.
};

struct CodeHistory {
  std::vector<EditionSummary> editions;  // Date order, contiguous windows.
  std::vector<CodeHistoryEntry> codes;   // Sorted by code.
};

// Parses corrections.tsv (tab-separated: code, from, to, billable|header|absent, citation; '#'
// starts a comment line). Diagnostics name the line.
std::vector<Correction> parse_corrections(std::string_view bytes, const std::string& file_name,
                                          std::vector<core::Diagnostic>& diagnostics);

// Builds the history from editions in date order (windows must be contiguous), then applies the
// corrections. `report` receives one line per correction saying what it changed.
CodeHistory build_history(const std::vector<EditionSnapshot>& editions,
                          const std::vector<Correction>& corrections,
                          std::vector<std::string>& report);

// The text form: one file name + contents each.
struct TextFile {
  std::string name;
  std::string content;
};

// editions.tsv, and codes-<X>.tsv per first letter (codes-<XY>.tsv per first two characters when a
// letter's file would exceed kMaxTextFileBytes). One line per code interval, sorted by code and
// start date. Deterministic.
inline constexpr std::size_t kMaxTextFileBytes = 3u << 20;
std::vector<TextFile> write_history_text(const CodeHistory& history);

// Reads the text form back: editions.tsv first, then every codes-*.tsv (any order).
void read_editions_text(std::string_view bytes, const std::string& file_name, CodeHistory& history,
                        std::vector<core::Diagnostic>& diagnostics);
void read_codes_text(std::string_view bytes, const std::string& file_name, CodeHistory& history,
                     std::vector<core::Diagnostic>& diagnostics);
// Sorts codes after all files are read; checks intervals are ordered and not overlapping.
void finish_history(CodeHistory& history, std::vector<core::Diagnostic>& diagnostics);

// The edit lists in their text form (data/edits/).
struct EditTables {
  std::vector<MceRow> mce;              // Every (version, edit, code).
  std::vector<std::string> poa_exempt;  // FY2026, normalised, sorted.
  int poa_year = 2026;
};
// mce.tsv (edit, code, versions such as "33-37" or "33,35-37") and poa-exempt-fy2026.tsv.
std::vector<TextFile> write_edits_text(const EditTables& tables);
void read_mce_text(std::string_view bytes, const std::string& file_name, EditTables& tables,
                   std::vector<core::Diagnostic>& diagnostics);
void read_poa_text(std::string_view bytes, const std::string& file_name, EditTables& tables,
                   std::vector<core::Diagnostic>& diagnostics);

}  // namespace claimaudit::codes
