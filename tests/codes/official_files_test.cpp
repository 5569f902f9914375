// Parsers of the official files on small inputs: every kind of rejected line names its line.
#include "codes/official_files.hpp"

#include <string>

#include <boost/test/unit_test.hpp>

#include "codes/history.hpp"
#include "core/diagnostic.hpp"

using namespace claimaudit;
using namespace claimaudit::codes;

namespace {

// An order-file line in the official layout.
std::string order_line(int number, const std::string& code, char flag,
                       const std::string& short_title, const std::string& long_title) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%05d", number);
  std::string line = buffer;
  line += ' ' + code + std::string(7 - code.size(), ' ') + ' ' + flag + ' ';
  line += short_title + std::string(60 - short_title.size(), ' ') + ' ' + long_title + "\r\n";
  return line;
}

std::string first_error(const ParsedOrderFile& parsed) {
  return parsed.diagnostics.empty() ? "" : core::render(parsed.diagnostics.front());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(official_files)

BOOST_AUTO_TEST_CASE(order_file_lines) {
  const auto text =
      order_line(1, "M62", '0', "Other disorders of muscle", "Other disorders of muscle") +
      order_line(2, "M62830", '1', "Muscle spasm of back", "Muscle spasm of back");
  const auto parsed = parse_order_file(text, "o.txt");
  BOOST_TEST(parsed.diagnostics.empty());
  BOOST_TEST_REQUIRE(parsed.entries.size() == 2u);
  BOOST_TEST(parsed.entries[1].code == "M62830");
  BOOST_TEST(parsed.entries[1].billable);
  BOOST_TEST(parsed.entries[1].long_title == "Muscle spasm of back");
  BOOST_TEST(parsed.entries[1].line == 2);
  BOOST_TEST(!parsed.entries[0].billable);
}

BOOST_AUTO_TEST_CASE(order_file_rejections_name_the_line) {
  const auto good = order_line(1, "A00", '0', "Cholera", "Cholera");
  struct Row {
    std::string text;
    std::string expected;
  };
  const Row rows[] = {
      {good + order_line(2, "A000", '2', "x", "y"),
       "f.txt:2: error E-CODESET-ORDER-LINE: column 15: billable flag '2', expected 0 (header) or "
       "1 (billable)"},
      {good + order_line(3, "A000", '1', "x", "y"),
       "f.txt:2: error E-CODESET-ORDER-LINE: columns 1-5: order number 3, expected 2 (lines "
       "missing or out of order)"},
      {good + good.substr(0, 40),
       "f.txt:2: error E-CODESET-ORDER-LINE: last line has no line end: the file is truncated"},
      {good + "00002 A000    1 Cholera\r\n",
       "f.txt:2: error E-CODESET-ORDER-LINE: line is 23 characters long; an order line has at "
       "least 78 (long title from column 78)"},
      {good + order_line(2, "A0$0", '1', "x", "y"),
       "f.txt:2: error E-CODESET-ORDER-LINE: columns 7-13: 'A0$0' is not a code (3 to 7 letters "
       "or digits)"},
      {good + order_line(2, "A000", '1', "x", "caf\xc3\xa9"),
       "f.txt:2: error E-CODESET-ORDER-LINE: column 81: byte 0xc3 is not printable ASCII"},
      {good + order_line(2, "A00", '1', "x", "y"),
       "f.txt:2: error E-CODESET-ORDER-LINE: code A00 appears twice"},
      {"", "f.txt:1: error E-CODESET-ORDER-LINE: empty file: no order lines"},
  };
  for (const auto& row : rows) {
    BOOST_TEST(first_error(parse_order_file(row.text, "f.txt")) == row.expected);
  }
}

BOOST_AUTO_TEST_CASE(codes_file_lines) {
  const auto parsed = parse_codes_file(
      "A000    Cholera due to Vibrio cholerae 01, biovar cholerae\r\n"
      "M62830  Muscle spasm of back\r\n",
      "c.txt");
  BOOST_TEST(parsed.diagnostics.empty());
  BOOST_TEST_REQUIRE(parsed.entries.size() == 2u);
  BOOST_TEST(parsed.entries[1].code == "M62830");
  BOOST_TEST(parsed.entries[1].long_title == "Muscle spasm of back");
  BOOST_TEST(
      first_error(parse_codes_file("M62830  Muscle spasm", "c.txt")) ==
      "c.txt:1: error E-CODESET-CODES-LINE: last line has no line end: the file is truncated");
}

BOOST_AUTO_TEST_CASE(addenda_skip_the_summary_block) {
  const std::string text =
      "Delete:      1 M545    Low back pain                                                Low "
      "back pain\r\n"
      "Add:         0 M545    Low back pain                                                Low "
      "back pain\r\n"
      "Codes\r\n  72748 codes in icd10cm_order_2022.txt\r\n    487 additions\r\n";
  std::vector<core::Diagnostic> diags;
  const auto lines = parse_order_addenda(text, "a.txt", diags);
  BOOST_TEST(diags.empty());
  BOOST_TEST_REQUIRE(lines.size() == 2u);
  BOOST_TEST((lines[0].action == AddendaLine::Action::kDelete));
  BOOST_TEST(lines[0].entry.billable);
  BOOST_TEST(lines[1].entry.code == "M545");
  BOOST_TEST(!lines[1].entry.billable);
  BOOST_TEST(lines[1].entry.long_title == "Low back pain");
}

BOOST_AUTO_TEST_CASE(csv_quoting) {
  std::vector<std::string> fields;
  BOOST_TEST(
      split_csv("M868X1,M86.8X1,true,\"Other osteomyelitis, shoulder\",\"a \"\"b\"\"\"", fields));
  BOOST_TEST(fields == (std::vector<std::string>{"M868X1", "M86.8X1", "true",
                                                 "Other osteomyelitis, shoulder", "a \"b\""}));
  BOOST_TEST(!split_csv("a,\"broken", fields));
}

BOOST_AUTO_TEST_CASE(corrections_file) {
  std::vector<core::Diagnostic> diags;
  const auto corrections = parse_corrections(
      "# "
      "comment\nU07.1\t2020-04-01\t2020-09-30\tbillable\tCDC\nX\t2020-01-01\t2019-01-"
      "01\tabsent\tx\n"
      "U07.0\t2020-04-01\t2020-09-30\tbillable\t\n",
      "corrections.tsv", diags);
  BOOST_TEST_REQUIRE(corrections.size() == 1u);
  BOOST_TEST(corrections[0].code == "U071");
  BOOST_TEST(corrections[0].line == 2);
  BOOST_TEST_REQUIRE(diags.size() == 2u);
  BOOST_TEST(core::render(diags[0]) ==
             "corrections.tsv:3: error E-CODESET-CORRECTION: bad code or date range");
  BOOST_TEST(
      core::render(diags[1]) ==
      "corrections.tsv:4: error E-CODESET-CORRECTION: every correction must cite its source");
}

BOOST_AUTO_TEST_SUITE_END()
