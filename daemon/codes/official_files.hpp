// codes/official_files.hpp
//
// Parsers for the official ICD-10-CM files and edit lists (DOMAIN.md 6.1, 6.2, 6.4): order files,
// codes files, order addenda, the FY2027 derived change lists (CSV), the MCE lists and the
// POA-exempt list. They take the bytes of one file (decompressing .gz is the caller's job: the
// importer and the tests use zlib, this module has no third-party dependency) and return values
// plus diagnostics naming the file, the 1-based line and what is wrong. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

namespace claimaudit::codes {

// One code line of an order file (or of a codes file, where every line is billable).
struct OrderEntry {
  std::string code;  // Normalised, no dot: "M62830".
  bool billable = false;
  std::string short_title;  // Empty for a codes file.
  std::string long_title;
  int line = 0;  // 1-based line in its file.
};

struct ParsedOrderFile {
  std::vector<OrderEntry> entries;            // File order.
  std::vector<core::Diagnostic> diagnostics;  // Errors stop at the first few (see below).
};

// Order file: fixed width, "NNNNN CODE    F SHORT... LONG" (columns 1-5, 7-13, 15, 17-76, 78-),
// CRLF (LF accepted). Checks every line: the order number is the previous one plus 1, the code is
// 3-7 letters or digits, the flag is 0 or 1, the titles are printable ASCII and the long title is
// present, the line ends with a line feed, no code appears twice. Stops after 20 errors.
ParsedOrderFile parse_order_file(std::string_view bytes, const std::string& file_name);

// Codes file (billable codes only): code in columns 1-7, long title from column 9.
ParsedOrderFile parse_codes_file(std::string_view bytes, const std::string& file_name);

// One action line of an order addenda file.
struct AddendaLine {
  enum class Action { kAdd, kDelete, kReviseFrom, kReviseTo };
  Action action = Action::kAdd;
  OrderEntry entry;
};

// Order addenda: lines starting with the 13-character action field ("Add:", "Delete:",
// "Revise from:", "Revise to:") and the order-file fields without the order number; every other
// line (the trailing summary block) is ignored.
std::vector<AddendaLine> parse_order_addenda(std::string_view bytes, const std::string& file_name,
                                             std::vector<core::Diagnostic>& diagnostics);

// FY2027 derived change lists (makevision CSVs; RFC 4180 quoting).
struct ChangeLists {
  std::vector<OrderEntry> added;               // added.csv: code, billable, titles.
  std::vector<OrderEntry> deleted;             // deleted.csv: code (billable = was billable).
  std::vector<OrderEntry> billable_to_header;  // billable-status-changes.csv.
  std::vector<OrderEntry> revised;             // revised.csv: new long and short titles.
};
// `file_name` names the CSV in diagnostics; `kind` is "added", "deleted",
// "billable-status-changes" or "revised".
void parse_change_list(std::string_view bytes, const std::string& file_name, std::string_view kind,
                       ChangeLists& lists, std::vector<core::Diagnostic>& diagnostics);

// Splits one CSV record (no embedded newlines) into fields; false if the quoting is broken.
bool split_csv(std::string_view line, std::vector<std::string>& fields);

// Splits one line of a tab-separated file into its columns (views into `line`; an empty line
// is one empty column).
std::vector<std::string_view> split_tab_columns(std::string_view line);

// One row of an MCE "simple code edits" file (diagnosis rows only).
struct MceRow {
  int version = 0;   // 33..37.
  std::string edit;  // "newborn", "pediatric", "maternity", "adult", "female", "male",
                     // "manifestation", "questionable_admission", "unacceptable_principal".
  std::string code;  // Normalised.
};
// Tab-separated with a header row; procedure rows and edits we do not use are skipped.
std::vector<MceRow> parse_mce_file(std::string_view bytes, const std::string& file_name,
                                   std::vector<core::Diagnostic>& diagnostics);

// POA-exempt list: tab-separated, header row, dotted codes in the second column. Normalised codes.
std::vector<std::string> parse_poa_exempt_file(std::string_view bytes, const std::string& file_name,
                                               std::vector<core::Diagnostic>& diagnostics);

}  // namespace claimaudit::codes
