#include "codes/official_files.hpp"

#include <charconv>
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

ParsedOrderFile parse_order_file(std::string_view bytes, const std::string& file_name) {
  ParsedOrderFile result;
  auto& diags = result.diagnostics;
  auto fail = [&](int line, std::string message) {
    diags.push_back(error(file_name, line, "E-CODESET-ORDER-LINE", std::move(message)));
    return static_cast<int>(diags.size()) >= kMaxErrors;
  };
  if (bytes.empty()) {
    fail(1, "empty file: no order lines");
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
    if (!terminated) {
      if (fail(n, "last line has no line end: the file is truncated")) break;
      continue;
    }
    std::size_t bad = 0;
    if (!is_printable(line, bad)) {
      if (fail(n, "column " + std::to_string(bad + 1) + ": " +
                      byte_description(static_cast<unsigned char>(line[bad])) +
                      " is not printable ASCII")) {
        break;
      }
      continue;
    }
    if (line.size() < 78) {
      if (fail(n, "line is " + std::to_string(line.size()) +
                      " characters long; an order line has at least 78 (long title from column "
                      "78)")) {
        break;
      }
      continue;
    }
    long order = 0;
    const auto order_field = line.substr(0, 5);
    const auto [ptr, ec] = std::from_chars(order_field.data(), order_field.data() + 5, order);
    if (ec != std::errc() || ptr != order_field.data() + 5) {
      if (fail(n, "columns 1-5: order number '" + std::string(order_field) + "' is not 5 digits")) {
        break;
      }
      continue;
    }
    if (order != expected_order) {
      if (fail(n, "columns 1-5: order number " + std::to_string(order) + ", expected " +
                      std::to_string(expected_order) + " (lines missing or out of order)")) {
        break;
      }
    }
    expected_order = order + 1;
    if (line[5] != ' ' || line[13] != ' ' || line[15] != ' ' || line[76] != ' ') {
      if (fail(n, "columns 6, 14, 16 and 77 must be spaces (fixed-width layout broken)")) break;
      continue;
    }
    OrderEntry entry;
    entry.line = n;
    if (!valid_code_field(line.substr(6, 7), entry.code)) {
      if (fail(n, "columns 7-13: '" + std::string(trim_right(line.substr(6, 7))) +
                      "' is not a code (3 to 7 letters or digits)")) {
        break;
      }
      continue;
    }
    if (line[14] != '0' && line[14] != '1') {
      if (fail(n, std::string("column 15: billable flag '") + line[14] +
                      "', expected 0 (header) or 1 (billable)")) {
        break;
      }
      continue;
    }
    entry.billable = line[14] == '1';
    entry.short_title.assign(trim_right(line.substr(16, 60)));
    entry.long_title.assign(trim_right(line.substr(77)));
    if (entry.short_title.empty() || entry.long_title.empty()) {
      if (fail(n, "missing short or long title")) break;
      continue;
    }
    if (!seen.insert(entry.code).second) {
      if (fail(n, "code " + entry.code + " appears twice")) break;
      continue;
    }
    result.entries.push_back(std::move(entry));
  }
  return result;
}

ParsedOrderFile parse_codes_file(std::string_view bytes, const std::string& file_name) {
  ParsedOrderFile result;
  auto& diags = result.diagnostics;
  auto fail = [&](int line, std::string message) {
    diags.push_back(error(file_name, line, "E-CODESET-CODES-LINE", std::move(message)));
    return static_cast<int>(diags.size()) >= kMaxErrors;
  };
  if (bytes.empty()) {
    fail(1, "empty file: no code lines");
    return result;
  }
  LineReader reader(bytes);
  std::string_view line;
  bool terminated = false;
  std::unordered_set<std::string> seen;
  while (reader.next(line, terminated)) {
    const int n = reader.number();
    if (!terminated) {
      if (fail(n, "last line has no line end: the file is truncated")) break;
      continue;
    }
    std::size_t bad = 0;
    if (!is_printable(line, bad)) {
      if (fail(n, "column " + std::to_string(bad + 1) + ": " +
                      byte_description(static_cast<unsigned char>(line[bad])) +
                      " is not printable ASCII")) {
        break;
      }
      continue;
    }
    OrderEntry entry;
    entry.line = n;
    entry.billable = true;
    if (line.size() < 9 || line[7] != ' ' || !valid_code_field(line.substr(0, 7), entry.code)) {
      if (fail(n, "expected a code in columns 1-7 and the long title from column 9")) break;
      continue;
    }
    entry.long_title.assign(trim(line.substr(8)));
    if (entry.long_title.empty()) {
      if (fail(n, "missing long title")) break;
      continue;
    }
    if (!seen.insert(entry.code).second) {
      if (fail(n, "code " + entry.code + " appears twice")) break;
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

bool split_csv(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  std::size_t i = 0;
  while (true) {
    field.clear();
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) return false;
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      if (i < line.size() && line[i] != ',') return false;
    } else {
      while (i < line.size() && line[i] != ',') field += line[i++];
    }
    fields.push_back(field);
    if (i >= line.size()) return true;
    ++i;  // The comma.
  }
}

void parse_change_list(std::string_view bytes, const std::string& file_name, std::string_view kind,
                       ChangeLists& lists, std::vector<core::Diagnostic>& diagnostics) {
  LineReader reader(bytes);
  std::string_view line;
  bool terminated = false;
  std::vector<std::string> fields;
  std::vector<std::string> header;
  auto column = [&](std::string_view name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  };
  auto fail = [&](int n, std::string message) {
    diagnostics.push_back(error(file_name, n, "E-CODESET-CHANGE-LIST", std::move(message)));
  };
  int code_col = -1, billable_col = -1, long_col = -1, short_col = -1;
  while (reader.next(line, terminated)) {
    const int n = reader.number();
    if (line.empty()) continue;
    if (!split_csv(line, fields)) {
      fail(n, "broken CSV quoting");
      continue;
    }
    if (n == 1) {
      header = fields;
      code_col = column("code");
      if (kind == "added") {
        billable_col = column("billable");
        long_col = column("longTitle");
        short_col = column("shortTitle");
      } else if (kind == "deleted") {
        billable_col = column("wasBillable");
        long_col = column("longTitle");
        short_col = column("shortTitle");
      } else if (kind == "billable-status-changes") {
        billable_col = column("newBillable");
        long_col = column("longTitle");
      } else if (kind == "revised") {
        billable_col = column("billable");
        long_col = column("newLongTitle");
        short_col = column("newShortTitle");
      }
      if (code_col < 0 || billable_col < 0 || long_col < 0) {
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
    const auto normalized = core::normalize_icd10(fields[static_cast<std::size_t>(code_col)]);
    if (!normalized) {
      fail(n, "'" + fields[static_cast<std::size_t>(code_col)] + "' is not a code");
      continue;
    }
    entry.code = *normalized;
    const auto& flag = fields[static_cast<std::size_t>(billable_col)];
    if (flag != "true" && flag != "false") {
      fail(n, "billable column is '" + flag + "', expected true or false");
      continue;
    }
    entry.billable = flag == "true";
    entry.long_title = fields[static_cast<std::size_t>(long_col)];
    if (short_col >= 0) entry.short_title = fields[static_cast<std::size_t>(short_col)];
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
    std::vector<std::string_view> cols;
    std::size_t start = 0;
    while (true) {
      const auto tab = line.find('\t', start);
      cols.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (cols.size() < 7) {
      diagnostics.push_back(
          error(file_name, n, "E-MCE-LINE", "expected at least 7 tab-separated columns"));
      continue;
    }
    if (cols[5] != "D") continue;  // Procedure rows.
    MceRow row;
    std::from_chars(cols[0].data(), cols[0].data() + cols[0].size(), row.version);
    const auto type = cols[4];
    if (type == "Newborn_Only") {
      row.edit = "newborn";
    } else if (type == "Pediatric_Only") {
      row.edit = "pediatric";
    } else if (type == "Maternity_Only") {
      row.edit = "maternity";
    } else if (type == "Adult_Only") {
      row.edit = "adult";
    } else if (type == "Female_Only") {
      row.edit = "female";
    } else if (type == "Male_Only") {
      row.edit = "male";
    } else if (type == "Principal_Manifestation") {
      row.edit = "manifestation";
    } else if (type == "Principal_Questionable_Admit") {
      row.edit = "questionable_admission";
    } else if (type == "Principal_Unacceptable") {
      row.edit = "unacceptable_principal";
    } else {
      continue;  // Wrong_Performed and other edits we do not use.
    }
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
