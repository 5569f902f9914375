// DOMAIN.md 5 (stale-code examples) as data, the corrections file entry by entry (4.1.1), and the
// billable counts per edition (4.1).
#include <ostream>
#include <string>
#include <vector>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "codes/code_set.hpp"
#include "codes_fixture.hpp"

using claimaudit::codes::Status;
using claimaudit::core::Date;
using claimaudit::testing::code_set;
using claimaudit::testing::Codes;
using claimaudit::testing::day;

namespace {

struct StaleRow {
  const char* code;
  const char* title;
  Date last_valid;
  bool expanded;  // false: deleted.
  Codes replacements;
};

std::ostream& operator<<(std::ostream& out, const StaleRow& row) { return out << row.code; }

const std::vector<StaleRow> kStaleTable = {
    {"M545", "Low back pain", day(2021, 9, 30), true, {"M5450", "M5451", "M5459"}},
    {"M4806", "Spinal stenosis, lumbar region", day(2017, 9, 30), true, {"M48061", "M48062"}},
    {"M791", "Myalgia", day(2018, 9, 30), true, {"M7910", "M7911", "M7912", "M7918"}},
    {"M5136",
     "Other intervertebral disc degeneration, lumbar region",
     day(2024, 9, 30),
     true,
     {"M51360", "M51361", "M51362", "M51369"}},
    {"M5137",
     "Other intervertebral disc degeneration, lumbosacral region",
     day(2024, 9, 30),
     true,
     {"M51370", "M51371", "M51372", "M51379"}},
    {"G35",
     "Multiple sclerosis",
     day(2025, 9, 30),
     true,
     {"G35A", "G35B0", "G35B1", "G35B2", "G35C0", "G35C1", "G35C2", "G35D"}},
    {"R51", "Headache", day(2020, 9, 30), true, {"R510", "R519"}},
    {"N183",
     "Chronic kidney disease, stage 3 (moderate)",
     day(2020, 9, 30),
     true,
     {"N1830", "N1831", "N1832"}},
    {"R05", "Cough", day(2021, 9, 30), true, {"R051", "R052", "R053", "R054", "R058", "R059"}},
    {"I481", "Persistent atrial fibrillation", day(2019, 9, 30), true, {"I4811", "I4819"}},
    {"I482", "Chronic atrial fibrillation", day(2019, 9, 30), true, {"I4820", "I4821"}},
    {"G20",
     "Parkinson's disease",
     day(2023, 9, 30),
     true,
     {"G20A1", "G20A2", "G20B1", "G20B2", "G20C"}},
    {"T814XXA",
     "Infection following a procedure, initial encounter",
     day(2018, 9, 30),
     false,
     {"T8140XA", "T8141XA", "T8142XA", "T8143XA", "T8144XA", "T8149XA"}},
    {"T814XXD",
     "Infection following a procedure, subsequent encounter",
     day(2018, 9, 30),
     false,
     {"T8140XD", "T8141XD", "T8142XD", "T8143XD", "T8144XD", "T8149XD"}},
    {"T814XXS",
     "Infection following a procedure, sequela",
     day(2018, 9, 30),
     false,
     {"T8140XS", "T8141XS", "T8142XS", "T8143XS", "T8144XS", "T8149XS"}},
    {"S301XXA",
     "Contusion of abdominal wall, initial encounter",
     day(2025, 9, 30),
     false,
     {"S3011XA", "S3012XA", "S3013XA"}},
    {"S301XXD",
     "Contusion of abdominal wall, subsequent encounter",
     day(2025, 9, 30),
     false,
     {"S3011XD", "S3012XD", "S3013XD"}},
    {"S301XXS",
     "Contusion of abdominal wall, sequela",
     day(2025, 9, 30),
     false,
     {"S3011XS", "S3012XS", "S3013XS"}},
    {"M358",
     "Other specified systemic involvement of connective tissue",
     day(2020, 12, 31),
     true,
     {"M3581", "M3589"}},
    {"Z283", "Underimmunization status", day(2022, 3, 31), true, {"Z28310", "Z28311", "Z2839"}},
    {"Z591", "Inadequate housing", day(2023, 3, 31), true, {"Z5910", "Z5911", "Z5912", "Z5919"}},
};

struct NotYetRow {
  Codes codes;
  Date first_valid;
};

std::ostream& operator<<(std::ostream& out, const NotYetRow& row) { return out << row.codes[0]; }

const std::vector<NotYetRow> kNotYetValid = {
    {{"X500XXA"}, day(2016, 10, 1)},
    {{"M48061", "M48062"}, day(2017, 10, 1)},
    {{"M7910", "M7911", "M7912", "M7918"}, day(2018, 10, 1)},
    {{"U070", "U071"}, day(2020, 4, 1)},
    {{"J1282", "Z20822"}, day(2021, 1, 1)},
    {{"M5450", "M5451", "M5459"}, day(2021, 10, 1)},
    {{"Z28310"}, day(2022, 4, 1)},
    {{"M51A0", "M51A1", "M51A2", "M51A3", "M51A4", "M51A5"}, day(2022, 10, 1)},
    {{"M625A0", "M625A1", "M625A2", "M625A9"}, day(2022, 10, 1)},
    {{"G20A1", "G20A2", "G20B1", "G20B2", "G20C"}, day(2023, 10, 1)},
    {{"M51360", "M51361", "M51362", "M51369", "M51370", "M51371", "M51372", "M51379"},
     day(2024, 10, 1)},
    {{"G35A", "G35B0", "G35B1", "G35B2", "G35C0", "G35C1", "G35C2", "G35D", "E11A"},
     day(2025, 10, 1)},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(stale_codes)

BOOST_DATA_TEST_CASE(domain_section_5_table, boost::unit_test::data::make(kStaleTable), row) {
  const auto& codes = code_set();
  const Date first = claimaudit::core::kIcd10Start;
  BOOST_TEST(codes.first_valid(row.code) == first);
  BOOST_TEST(codes.status_on(row.code, first) == Status::kBillable);
  BOOST_TEST(codes.status_on(row.code, row.last_valid) == Status::kBillable);
  const Date next = row.last_valid.next_day();
  const auto result = codes.lookup(row.code, next);
  BOOST_TEST(result.status == (row.expanded ? Status::kHeader : Status::kDeleted));
  BOOST_TEST(result.title == row.title);
  BOOST_TEST(result.last_valid == row.last_valid);
  BOOST_TEST(result.replacements == row.replacements);
  if (row.expanded) BOOST_TEST(result.expanded_on == next);
  for (const auto& replacement : row.replacements) {
    BOOST_TEST(codes.status_on(replacement, next) == Status::kBillable, replacement);
    BOOST_TEST(codes.status_on(replacement, row.last_valid) == Status::kNotYetValid, replacement);
  }
}

BOOST_DATA_TEST_CASE(not_yet_valid_before_their_first_date,
                     boost::unit_test::data::make(kNotYetValid), row) {
  const auto& codes = code_set();
  for (const auto& code : row.codes) {
    const auto before = codes.lookup(code, row.first_valid.previous_day());
    BOOST_TEST(before.status == Status::kNotYetValid, code);
    BOOST_TEST(before.first_valid == row.first_valid, code);
    BOOST_TEST(codes.status_on(code, row.first_valid) == Status::kBillable, code);
    BOOST_TEST(codes.first_valid(code) == row.first_valid, code);
  }
}

// corrections.tsv, one test per line.
BOOST_AUTO_TEST_CASE(correction_line_4_u07_0_from_2020_04_01) {
  const auto& codes = code_set();
  BOOST_TEST(codes.status_on("U070", day(2020, 3, 31)) == Status::kNotYetValid);
  BOOST_TEST(codes.status_on("U070", day(2020, 4, 1)) == Status::kBillable);
  BOOST_TEST(codes.status_on("U070", day(2020, 9, 30)) == Status::kBillable);
  BOOST_TEST(codes.history("U070").front().source == "corrections.tsv:4");
  BOOST_TEST(codes.lookup("U070", day(2020, 4, 1)).title == "Vaping-related disorder");
}

BOOST_AUTO_TEST_CASE(correction_line_5_u07_1_from_2020_04_01) {
  const auto& codes = code_set();
  BOOST_TEST(codes.status_on("U071", day(2020, 3, 31)) == Status::kNotYetValid);
  BOOST_TEST(codes.status_on("U071", day(2020, 4, 1)) == Status::kBillable);
  BOOST_TEST(codes.status_on("U071", day(2020, 9, 30)) == Status::kBillable);
  BOOST_TEST(codes.status_on("U071", day(2020, 10, 1)) == Status::kBillable);
  BOOST_TEST(codes.history("U071").front().source == "corrections.tsv:5");
}

BOOST_AUTO_TEST_CASE(correction_lines_6_to_11_january_2021_codes_from_2021_01_01) {
  const auto& codes = code_set();
  for (const char* code : {"J1282", "M3581", "M3589", "Z1152", "Z20822", "Z8616"}) {
    BOOST_TEST(codes.status_on(code, day(2020, 10, 1)) == Status::kNotYetValid, code);
    BOOST_TEST(codes.status_on(code, day(2020, 12, 31)) == Status::kNotYetValid, code);
    BOOST_TEST(codes.status_on(code, day(2021, 1, 1)) == Status::kBillable, code);
    BOOST_TEST(codes.first_valid(code) == day(2021, 1, 1), code);
  }
}

BOOST_AUTO_TEST_CASE(correction_line_12_m35_8_billable_until_2020_12_31) {
  const auto& codes = code_set();
  BOOST_TEST(codes.status_on("M358", day(2020, 10, 1)) == Status::kBillable);
  BOOST_TEST(codes.status_on("M358", day(2020, 12, 31)) == Status::kBillable);
  const auto jan = codes.lookup("M358", day(2021, 1, 1));
  BOOST_TEST(jan.status == Status::kHeader);
  BOOST_TEST(jan.expanded_on == day(2021, 1, 1));
  BOOST_TEST(jan.edition == "fy2021");
}

BOOST_AUTO_TEST_CASE(correction_line_13_u07_header_from_2020_04_01) {
  const auto& codes = code_set();
  BOOST_TEST(codes.status_on("U07", day(2020, 3, 31)) == Status::kNotYetValid);
  BOOST_TEST(codes.status_on("U07", day(2020, 4, 1)) == Status::kHeader);
  BOOST_TEST(codes.lookup("U07", day(2020, 4, 1)).children == (Codes{"U070", "U071"}));
}

BOOST_AUTO_TEST_CASE(billable_counts_per_edition) {
  const auto& codes = code_set();
  struct Row {
    const char* edition;
    std::size_t billable;
  };
  const Row rows[] = {
      {"fy2016", 69823}, {"fy2017", 71486},     {"fy2018", 71704},
      {"fy2019", 71932}, {"fy2020", 72184},     {"fy2021-oct", 72616},
      {"fy2021", 72621}, {"fy2022", 72748},     {"fy2022-apr", 72750},
      {"fy2023", 73639}, {"fy2023-apr", 73674}, {"fy2024", 74044},
      {"fy2025", 74260}, {"fy2026", 74719},     {"fy2027-derived-makevision", 74879}};
  const auto editions = codes.editions();
  BOOST_TEST_REQUIRE(editions.size() == std::size(rows));
  for (std::size_t i = 0; i < editions.size(); ++i) {
    BOOST_TEST(editions[i].name == rows[i].edition);
    BOOST_TEST(codes.count_on(editions[i].valid_from) == rows[i].billable, rows[i].edition);
    // The corrections add U07.0 and U07.1 from 2020-04-01 inside FY2020.
    const std::size_t at_end = std::string(rows[i].edition) == "fy2020" ? 72186 : rows[i].billable;
    BOOST_TEST(codes.count_on(editions[i].valid_to) == at_end, rows[i].edition);
  }
}

BOOST_AUTO_TEST_CASE(fy2027_derived_set_has_74879_billable_codes) {
  const auto& codes = code_set();
  BOOST_TEST(codes.count_on(day(2026, 10, 1)) == 74879u);
  BOOST_TEST(codes.count_on(day(2027, 9, 30)) == 74879u);
  BOOST_TEST(codes.status_on("M67A01", day(2026, 10, 1)) == Status::kBillable);
  BOOST_TEST(codes.status_on("M67A01", day(2026, 9, 30)) == Status::kNotYetValid);
  BOOST_TEST(codes.status_on("D691", day(2026, 10, 1)) == Status::kHeader);
  BOOST_TEST(codes.status_on("S23420A", day(2026, 10, 1)) == Status::kDeleted);
  BOOST_TEST(codes.lookup("Z2914", day(2026, 10, 1)).title ==
             "Encounter for prophylactic rabies immune globulin");
  BOOST_TEST(codes.lookup("Z2914", day(2026, 9, 30)).title ==
             "Encounter for prophylactic rabies immune globin");
}

BOOST_AUTO_TEST_SUITE_END()
