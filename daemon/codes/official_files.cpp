#include "codes/official_files.hpp"

#include <charconv>
#include <optional>
#include <unordered_set>

#include "core/icd10_code.hpp"

namespace claimaudit::codes {
namespace {

constexpr int kMaxErrors = 20;

core::Diagnostic error(const std::string& file, int line, std::string code, std::string message) {
  core::Diagnostic d;
  d.severity = core::Severity::kError;
  d.code = std::move(code);
  d.where.file = file;
  d.where.line = line;
  d.message = std::move(message);
  return d;
}

// Iterates lines; `terminated` tells whether the line ended with '\n' (a file cut in the middle
// of a line does not).
class LineReader {
 public:
  explicit LineReader(std::string_view bytes) : rest_(bytes) {}
  bool next(std::string_view& line, bool& terminated) {
    if (rest_.empty()) return false;
    ++number_;
    const auto end = rest_.find('\n');
    if (end == std::string_view::npos) {
      line = rest_;
      rest_ = {};
      terminated = false;
    } else {
      line = rest_.substr(0, end);
      rest_.remove_prefix(end + 1);
      terminated = true;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
  }
  int number() const { return number_; }

 private:
  std::string_view rest_;
  int number_ = 0;
};

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  return trim_right(text);
}

bool is_code_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool is_printable(std::string_view text, std::size_t& bad_column) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c > 0x7E) {
      bad_column = i;
      return false;
    }
  }
  return true;
}

// The code field of a fixed-width line: letters/digits, left-justified, space-padded.
bool valid_code_field(std::string_view field, std::string& code) {
  const auto text = trim_right(field);
  if (text.size() < 3 || text.size() > 7) return false;
  for (char c : text) {
    if (!is_code_char(c)) return false;
  }
  code.assign(text);
  return true;
}

std::string byte_description(unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text = "byte 0x";
  text += kHex[c >> 4];
  text += kHex[c & 0xF];
  return text;
}

}  // namespace

namespace {

// A line end and printable ASCII: what every line of an official text file needs.
std::optional<std::string> text_line_problem(std::string_view line, bool terminated) {
  if (!terminated) return "last line has no line end: the file is truncated";
  std::size_t bad = 0;
  if (!is_printable(line, bad)) {
    return "column " + std::to_string(bad + 1) + ": " +
           byte_description(static_cast<unsigned char>(line[bad])) + " is not printable ASCII";
  }
  return std::nullopt;
}

// The order number in columns 1-5; nullopt (with `problem`) when it is not 5 digits.
std::optional<long> order_number(std::string_view line, std::string& problem) {
  long order = 0;
  const auto order_field = line.substr(0, 5);
  const auto [ptr, ec] = std::from_chars(order_field.data(), order_field.data() + 5, order);
  if (ec != std::errc() || ptr != order_field.data() + 5) {
    problem = "columns 1-5: order number '" + std::string(order_field) + "' is not 5 digits";
    return std::nullopt;
  }
  return order;
}

// The fixed-width fields after the order number into `entry`; the first problem, if any.
std::optional<std::string> read_order_fields(std::string_view line, OrderEntry& entry) {
  if (line[5] != ' ' || line[13] != ' ' || line[15] != ' ' || line[76] != ' ') {
    return "columns 6, 14, 16 and 77 must be spaces (fixed-width layout broken)";
  }
  if (!valid_code_field(line.substr(6, 7), entry.code)) {
    return "columns 7-13: '" + std::string(trim_right(line.substr(6, 7))) +
           "' is not a code (3 to 7 letters or digits)";
  }
  if (line[14] != '0' && line[14] != '1') {
    return std::string("column 15: billable flag '") + line[14] +
           "', expected 0 (header) or 1 (billable)";
  }
  entry.billable = line[14] == '1';
  entry.short_title.assign(trim_right(line.substr(16, 60)));
  entry.long_title.assign(trim_right(line.substr(77)));
  if (entry.short_title.empty() || entry.long_title.empty()) return "missing short or long title";
  return std::nullopt;
}

// Diagnostics of one file, up to kMaxErrors.
class Problems {
 public:
  Problems(std::vector<core::Diagnostic>& diagnostics, const std::string& file_name,
           const char* code)
      : diagnostics_(diagnostics), file_name_(file_name), code_(code) {}
  // Records a problem; true when the file has reached kMaxErrors (stop reading it).
  bool add(int line, std::string message) {
    diagnostics_.push_back(error(file_name_, line, code_, std::move(message)));
    return static_cast<int>(diagnostics_.size()) >= kMaxErrors;
  }

 private:
  std::vector<core::Diagnostic>& diagnostics_;
  const std::string& file_name_;
  const char* code_;
};

}  // namespace

namespace {

enum class LineResult { kEntry, kSkip, kStop };

// One line of an order file into `entry`: kSkip (with a problem) when it gives no entry, kStop
// when the file has too many problems to go on.
LineResult read_order_line(std::string_view line, bool terminated, int n, long& expected_order,
                           Problems& problems, OrderEntry& entry) {
  auto reject = [&](std::string message) {
    return problems.add(n, std::move(message)) ? LineResult::kStop : LineResult::kSkip;
  };
  if (auto problem = text_line_problem(line, terminated)) return reject(std::move(*problem));
  if (line.size() < 78) {
    return reject("line is " + std::to_string(line.size()) +
                  " characters long; an order line has at least 78 (long title from column 78)");
  }
  std::string order_problem;
  const auto order = order_number(line, order_problem);
  if (!order) return reject(std::move(order_problem));
  if (*order != expected_order &&
      problems.add(n, "columns 1-5: order number " + std::to_string(*order) + ", expected " +
                          std::to_string(expected_order) + " (lines missing or out of order)")) {
    return LineResult::kStop;
  }
  expected_order = *order + 1;
  if (auto problem = read_order_fields(line, entry)) return reject(std::move(*problem));
  return LineResult::kEntry;
}

}  // namespace

ParsedOrderFile parse_order_file(std::string_view bytes, const std::string& file_name) {
  ParsedOrderFile result;
  Problems problems(result.diagnostics, file_name, "E-CODESET-ORDER-LINE");
  if (bytes.empty()) {
    problems.add(1, "empty file: no order lines");
    return result;
  }
  LineReader reader(bytes);
  std::string_view line;
  bool terminated = false;
  long expected_order = 1;
  std::unordered_set<std::string> seen;
  seen.reserve(110000);
  while (reader.next(line, terminated)) {
    const int n = reader.number();
    OrderEntry entry;
    entry.line = n;
    const LineResult read = read_order_line(line, terminated, n, expected_order, problems, entry);
    if (read == LineResult::kStop) break;
    if (read == LineResult::kSkip) continue;
    if (!seen.insert(entry.code).second) {
      if (problems.add(n, "code " + entry.code + " appears twice")) break;
      continue;
    }
    result.entries.push_back(std::move(entry));
  }
  return result;
}

ParsedOrderFile parse_codes_file(std::string_view bytes, const std::string& file_name) {
  ParsedOrderFile result;
  Problems problems(result.diagnostics, file_name, "E-CODESET-CODES-LINE");
  if (bytes.empty()) {
    problems.add(1, "empty file: no code lines");
    return result;
  }
  LineReader reader(bytes);
  std::string_view line;
  bool terminated = false;
  std::unordered_set<std::string> seen;
  while (reader.next(line, terminated)) {
    const int n = reader.number();
    if (const auto problem = text_line_problem(line, terminated)) {
      if (problems.add(n, *problem)) break;
      continue;
    }
    OrderEntry entry;
    entry.line = n;
    entry.billable = true;
    if (line.size() < 9 || line[7] != ' ' || !valid_code_field(line.substr(0, 7), entry.code)) {
      if (problems.add(n, "expected a code in columns 1-7 and the long title from column 9")) break;
      continue;
    }
    entry.long_title.assign(trim(line.substr(8)));
    if (entry.long_title.empty()) {
      if (problems.add(n, "missing long title")) break;
      continue;
    }
    if (!seen.insert(entry.code).second) {
      if (problems.add(n, "code " + entry.code + " appears twice")) break;
      continue;
    }
    result.entries.push_back(std::move(entry));
  }
  return result;
}

std::vector<AddendaLine> parse_order_addenda(std::string_view bytes, const std::string& file_name,
                                             std::vector<core::Diagnostic>& diagnostics) {
  std::vector<AddendaLine> lines;
  LineReader reader(bytes);
  std::string_view line;
  bool terminated = false;
  while (reader.next(line, terminated)) {
    AddendaLine out;
    if (line.starts_with("Add:")) {
      out.action = AddendaLine::Action::kAdd;
    } else if (line.starts_with("Delete:")) {
      out.action = AddendaLine::Action::kDelete;
    } else if (line.starts_with("Revise from:")) {
      out.action = AddendaLine::Action::kReviseFrom;
    } else if (line.starts_with("Revise to:")) {
      out.action = AddendaLine::Action::kReviseTo;
    } else {
      continue;  // The summary block and blank lines.
    }
    // 13-character action, flag in column 14, code 16-22, short title 24-83, long title 85-.
    if (line.size() < 86 || (line[13] != '0' && line[13] != '1') ||
        !valid_code_field(line.substr(15, 7), out.entry.code)) {
      diagnostics.push_back(error(file_name, reader.number(), "E-CODESET-ADDENDA-LINE",
                                  "action line does not have the order-addenda layout"));
      continue;
    }
    out.entry.billable = line[13] == '1';
    out.entry.short_title.assign(trim_right(line.substr(23, 60)));
    out.entry.long_title.assign(trim_right(line.substr(84)));
    out.entry.line = reader.number();
    lines.push_back(std::move(out));
  }
  return lines;
}

namespace {

// A quoted CSV field from line[i] (the opening quote) into `field`, i left after the closing
// quote; false when the quote is not closed.
bool read_quoted_field(std::string_view line, std::size_t& i, std::string& field) {
  ++i;
  while (true) {
    if (i >= line.size()) return false;
    if (line[i] != '"') {
      field += line[i++];
      continue;
    }
    if (i + 1 < line.size() && line[i + 1] == '"') {
      field += '"';
      i += 2;
      continue;
    }
    ++i;
    return true;
  }
}

}  // namespace

bool split_csv(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  std::size_t i = 0;
  while (true) {
    field.clear();
    if (i < line.size() && line[i] == '"') {
      if (!read_quoted_field(line, i, field)) return false;
      if (i < line.size() && line[i] != ',') return false;
    } else {
      while (i < line.size() && line[i] != ',') field += line[i++];
    }
    fields.push_back(field);
    if (i >= line.size()) return true;
    ++i;  // The comma.
  }
}

namespace {

// The columns a change list's header names for its kind (-1: absent).
struct ChangeColumns {
  int code = -1;
  int billable = -1;
  int long_title = -1;
  int short_title = -1;
};

ChangeColumns change_columns(const std::vector<std::string>& header, std::string_view kind) {
  auto column = [&](std::string_view name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  };
  ChangeColumns columns;
  columns.code = column("code");
  if (kind == "added") {
    columns.billable = column("billable");
    columns.long_title = column("longTitle");
    columns.short_title = column("shortTitle");
  } else if (kind == "deleted") {
    columns.billable = column("wasBillable");
    columns.long_title = column("longTitle");
    columns.short_title = column("shortTitle");
  } else if (kind == "billable-status-changes") {
    columns.billable = column("newBillable");
    columns.long_title = column("longTitle");
  } else if (kind == "revised") {
    columns.billable = column("billable");
    columns.long_title = column("newLongTitle");
    columns.short_title = column("newShortTitle");
  }
  return columns;
}

// One data row into `entry`; the problem, if any.
std::optional<std::string> read_change_row(const std::vector<std::string>& fields,
                                           const ChangeColumns& columns, OrderEntry& entry) {
  const auto normalized = core::normalize_icd10(fields[static_cast<std::size_t>(columns.code)]);
  if (!normalized) {
    return "'" + fields[static_cast<std::size_t>(columns.code)] + "' is not a code";
  }
  entry.code = *normalized;
  const auto& flag = fields[static_cast<std::size_t>(columns.billable)];
  if (flag != "true" && flag != "false") {
    return "billable column is '" + flag + "', expected true or false";
  }
  entry.billable = flag == "true";
  entry.long_title = fields[static_cast<std::size_t>(columns.long_title)];
  if (columns.short_title >= 0) {
    entry.short_title = fields[static_cast<std::size_t>(columns.short_title)];
  }
  return std::nullopt;
}

void add_change(ChangeLists& lists, std::string_view kind, OrderEntry entry) {
  if (kind == "added") {
    lists.added.push_back(std::move(entry));
  } else if (kind == "deleted") {
    lists.deleted.push_back(std::move(entry));
  } else if (kind == "billable-status-changes") {
    lists.billable_to_header.push_back(std::move(entry));
  } else {
    lists.revised.push_back(std::move(entry));
  }
}

}  // namespace

void parse_change_list(std::string_view bytes, const std::string& file_name, std::string_view kind,
                       ChangeLists& lists, std::vector<core::Diagnostic>& diagnostics) {
  LineReader reader(bytes);
  std::string_view line;
  bool terminated = false;
  std::vector<std::string> fields;
  std::vector<std::string> header;
  auto fail = [&](int n, std::string message) {
    diagnostics.push_back(error(file_name, n, "E-CODESET-CHANGE-LIST", std::move(message)));
  };
  ChangeColumns columns;
  while (reader.next(line, terminated)) {
    const int n = reader.number();
    if (line.empty()) continue;
    if (!split_csv(line, fields)) {
      fail(n, "broken CSV quoting");
      continue;
    }
    if (n == 1) {
      header = fields;
      columns = change_columns(header, kind);
      if (columns.code < 0 || columns.billable < 0 || columns.long_title < 0) {
        fail(n, "header row lacks the expected columns for " + std::string(kind) + ".csv");
        return;
      }
      continue;
    }
    if (fields.size() != header.size()) {
      fail(n, std::to_string(fields.size()) + " fields, the header has " +
                  std::to_string(header.size()));
      continue;
    }
    OrderEntry entry;
    entry.line = n;
    if (auto problem = read_change_row(fields, columns, entry)) {
      fail(n, std::move(*problem));
      continue;
    }
    add_change(lists, kind, std::move(entry));
  }
}

namespace {

// The MCE edit types we use, by their names in the MCE files; nullptr for any other.
const char* mce_edit(std::string_view type) {
  static constexpr std::pair<std::string_view, const char*> kEdits[] = {
      {"Newborn_Only", "newborn"},
      {"Pediatric_Only", "pediatric"},
      {"Maternity_Only", "maternity"},
      {"Adult_Only", "adult"},
      {"Female_Only", "female"},
      {"Male_Only", "male"},
      {"Principal_Manifestation", "manifestation"},
      {"Principal_Questionable_Admit", "questionable_admission"},
      {"Principal_Unacceptable", "unacceptable_principal"},
  };
  for (const auto& [name, edit] : kEdits) {
    if (type == name) return edit;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string_view> split_tab_columns(std::string_view line) {
  std::vector<std::string_view> cols;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    cols.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return cols;
}

std::vector<MceRow> parse_mce_file(std::string_view bytes, const std::string& file_name,
                                   std::vector<core::Diagnostic>& diagnostics) {
  std::vector<MceRow> rows;
  LineReader reader(bytes);
  std::string_view line;
  bool terminated = false;
  while (reader.next(line, terminated)) {
    const int n = reader.number();
    if (n == 1 || line.empty()) continue;
    const std::vector<std::string_view> cols = split_tab_columns(line);
    if (cols.size() < 7) {
      diagnostics.push_back(
          error(file_name, n, "E-MCE-LINE", "expected at least 7 tab-separated columns"));
      continue;
    }
    if (cols[5] != "D") continue;  // Procedure rows.
    MceRow row;
    std::from_chars(cols[0].data(), cols[0].data() + cols[0].size(), row.version);
    const char* edit = mce_edit(cols[4]);
    if (edit == nullptr) continue;  // Wrong_Performed and other edits we do not use.
    row.edit = edit;
    const auto code = core::normalize_icd10(cols[6]);
    if (!code || row.version < 33) {
      diagnostics.push_back(error(file_name, n, "E-MCE-LINE", "bad version or code column"));
      continue;
    }
    row.code = *code;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> parse_poa_exempt_file(std::string_view bytes, const std::string& file_name,
                                               std::vector<core::Diagnostic>& diagnostics) {
  std::vector<std::string> codes;
  LineReader reader(bytes);
  std::string_view line;
  bool terminated = false;
  while (reader.next(line, terminated)) {
    const int n = reader.number();
    if (n == 1 || line.empty()) continue;
    const auto tab1 = line.find('\t');
    const auto tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos) {
      diagnostics.push_back(error(file_name, n, "E-POA-LINE", "expected 3 tab-separated columns"));
      continue;
    }
    const auto code = core::normalize_icd10(line.substr(tab1 + 1, tab2 - tab1 - 1));
    if (!code) {
      diagnostics.push_back(error(file_name, n, "E-POA-LINE", "column 2 is not a code"));
      continue;
    }
    codes.push_back(*code);
  }
  return codes;
}

}  // namespace claimaudit::codes
