// The exhaustive cross-check (issue 4): for every order file under ../shared/icd10cm and every
// code in it, the generated table answers exactly the file's billable/header flag and long title
// on the first and the last day of the file's window; codes absent from a window are not valid
// in it. Entries of data/codeset/corrections.tsv are exempt on the dates they correct (each has
// its own named test in stale_codes_test.cpp). The FY2027 derived set is checked against the four
// change lists applied to FY2026.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "codes/code_set.hpp"
#include "codes/history.hpp"
#include "codes/official_files.hpp"
#include "codes_fixture.hpp"
#include "read_file.hpp"
#include "support/temp_dir.hpp"

using namespace claimaudit;
using codes::Status;
using core::Date;
using testing::code_set;
using testing::day;

namespace {

struct Window {
  const char* file;
  Date from;
  Date to;
};

// The windows of icd10cm/README.md, mapped to files explicitly.
const Window kWindows[] = {
    {"fy2016/icd10cm_order_2016.txt.gz", day(2015, 10, 1), day(2016, 9, 30)},
    {"fy2017/icd10cm_order_2017.txt.gz", day(2016, 10, 1), day(2017, 9, 30)},
    {"fy2018/icd10cm_order_2018.txt.gz", day(2017, 10, 1), day(2018, 9, 30)},
    {"fy2019/icd10cm_order_2019.txt.gz", day(2018, 10, 1), day(2019, 9, 30)},
    {"fy2020/icd10cm_order_2020.txt.gz", day(2019, 10, 1), day(2020, 9, 30)},
    // The January 2021 file also covers October-December 2020 with the January changes undone:
    // those changes are corrections-file entries, exempt below.
    {"fy2021/icd10cm_order_2021.txt.gz", day(2020, 10, 1), day(2020, 12, 31)},
    {"fy2021/icd10cm_order_2021.txt.gz", day(2021, 1, 1), day(2021, 9, 30)},
    {"fy2022/icd10cm-order-2022.txt.gz", day(2021, 10, 1), day(2022, 3, 31)},
    {"fy2022-apr/icd10cm_order_2022.txt.gz", day(2022, 4, 1), day(2022, 9, 30)},
    {"fy2023/icd10cm-order-2023.txt.gz", day(2022, 10, 1), day(2023, 3, 31)},
    {"fy2023-apr/icd10cm_order_2023.txt.gz", day(2023, 4, 1), day(2023, 9, 30)},
    {"fy2024/icd10cm-order-2024.txt.gz", day(2023, 10, 1), day(2024, 9, 30)},
    {"fy2025/icd10cm_order_2025.txt.gz", day(2024, 10, 1), day(2025, 9, 30)},
    {"fy2026/icd10cm_order_2026.txt.gz", day(2025, 10, 1), day(2026, 9, 30)},
};

std::vector<codes::OrderEntry> read_order(const std::string& relative) {
  const auto file =
      codeset_import::read_file_bytes(testing::shared_dir() / "icd10cm" / relative, relative);
  BOOST_TEST_REQUIRE(file.error.empty(), file.error);
  auto parsed = codes::parse_order_file(file.bytes, relative);
  BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
  return std::move(parsed.entries);
}

const std::vector<codes::Correction>& corrections() {
  static const auto kList = [] {
    std::vector<core::Diagnostic> diags;
    auto out = codes::parse_corrections(
        testing::read_file(testing::source_dir() / "data/codeset/corrections.tsv"),
        "corrections.tsv", diags);
    BOOST_TEST_REQUIRE(diags.empty());
    return out;
  }();
  return kList;
}

bool corrected(const std::string& code, Date date) {
  for (const auto& c : corrections()) {
    if (c.code == code && c.from <= date && date <= c.to) return true;
  }
  return false;
}

// A window being checked: its first and last day, and how many differences it has found so far
// (the first 10 are reported).
struct WindowCheck {
  Date from;
  Date to;
  const std::string& label;
  std::size_t mismatches = 0;
};

// Every code of the order file has the file's status and title on both days; returns the number
// of (code, date) pairs checked.
std::size_t check_listed_codes(const std::vector<codes::OrderEntry>& entries, WindowCheck& window) {
  std::size_t checked = 0;
  for (const auto& entry : entries) {
    for (const Date date : {window.from, window.to}) {
      if (corrected(entry.code, date)) continue;
      const auto result = code_set().lookup(entry.code, date);
      const auto expected = entry.billable ? Status::kBillable : Status::kHeader;
      if ((result.status != expected || result.title != entry.long_title) &&
          ++window.mismatches <= 10) {
        BOOST_ERROR(window.label << ": " << entry.code << " on " << date.iso() << ": status "
                                 << codes::to_string(result.status) << " title '" << result.title
                                 << "', file says " << (entry.billable ? "billable" : "header")
                                 << " '" << entry.long_title << "'");
      }
      ++checked;
    }
  }
  return checked;
}

// A code the history knows but the file lacks is neither billable nor a header on either day;
// returns the number of (code, date) pairs checked.
std::size_t check_unlisted_codes(const std::set<std::string>& in_file, WindowCheck& window) {
  std::size_t checked = 0;
  for (const auto& code : code_set().all_codes()) {
    if (in_file.contains(code)) continue;
    for (const Date date : {window.from, window.to}) {
      if (corrected(code, date)) continue;
      const auto status = code_set().status_on(code, date);
      if ((status == Status::kBillable || status == Status::kHeader) && ++window.mismatches <= 10) {
        BOOST_ERROR(window.label << ": " << code << " is not in the file but "
                                 << codes::to_string(status) << " on " << date.iso());
      }
      ++checked;
    }
  }
  return checked;
}

// Checks one window: returns the number of (code, date) pairs checked.
std::size_t check_window(const std::vector<codes::OrderEntry>& entries, Date from, Date to,
                         const std::string& label) {
  WindowCheck window{from, to, label};
  std::set<std::string> in_file;
  for (const auto& entry : entries) in_file.insert(entry.code);
  const std::size_t checked =
      check_listed_codes(entries, window) + check_unlisted_codes(in_file, window);
  BOOST_TEST(window.mismatches == 0u, label);
  return checked;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crosscheck)

BOOST_AUTO_TEST_CASE(every_order_file_every_code_first_and_last_day) {
  std::size_t checked = 0;
  for (const auto& window : kWindows) {
    const auto entries = read_order(window.file);
    checked += check_window(entries, window.from, window.to,
                            std::string(window.file) + " " + window.from.iso());
  }
  BOOST_TEST_MESSAGE("checked " << checked << " (code, date) pairs");
  BOOST_TEST(checked > 2'500'000u);
}

BOOST_AUTO_TEST_CASE(fy2027_derived_set_is_fy2026_plus_the_change_lists) {
  auto entries = read_order("fy2026/icd10cm_order_2026.txt.gz");
  codes::ChangeLists lists;
  std::vector<core::Diagnostic> diags;
  const auto dir = testing::shared_dir() / "icd10cm/fy2027-derived-makevision";
  for (const char* kind : {"added", "deleted", "billable-status-changes", "revised"}) {
    const auto name = std::string(kind) + ".csv";
    codes::parse_change_list(testing::read_file(dir / name), name, kind, lists, diags);
  }
  BOOST_TEST_REQUIRE(diags.empty());
  BOOST_TEST(lists.added.size() == 238u);
  BOOST_TEST(lists.deleted.size() == 21u);
  BOOST_TEST(lists.billable_to_header.size() == 15u);
  BOOST_TEST(lists.revised.size() == 4u);
  std::map<std::string, codes::OrderEntry> by_code;
  for (auto& e : entries) by_code[e.code] = e;
  for (const auto& e : lists.deleted) BOOST_TEST(by_code.erase(e.code) == 1u, e.code);
  for (const auto& e : lists.billable_to_header) by_code.at(e.code).billable = false;
  for (const auto& e : lists.added) by_code[e.code] = e;
  for (const auto& e : lists.revised) by_code.at(e.code).long_title = e.long_title;
  std::vector<codes::OrderEntry> fy2027;
  std::size_t billable = 0;
  for (auto& [code, e] : by_code) {
    billable += e.billable ? 1 : 0;
    fy2027.push_back(e);
  }
  BOOST_TEST(billable == 74879u);
  check_window(fy2027, day(2026, 10, 1), day(2027, 9, 30), "fy2027-derived-makevision");
  BOOST_TEST(code_set().count_on(day(2026, 10, 1)) == 74879u);
  BOOST_TEST(code_set().count_on(day(2027, 9, 30)) == 74879u);
}

BOOST_AUTO_TEST_SUITE_END()
