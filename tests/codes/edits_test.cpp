// MCE lists v33..v37 and the FY2026 POA-exempt list, "as of" a date of service (DOMAIN.md 4.8).
#include "codes/edits.hpp"

#include <string>

#include <boost/test/unit_test.hpp>

#include "codes_fixture.hpp"

using namespace claimaudit::codes;
using claimaudit::testing::day;
using claimaudit::testing::edit_lists;

BOOST_AUTO_TEST_SUITE(edit_lists_test)

BOOST_AUTO_TEST_CASE(poa_exempt_fy2026) {
  const auto& edits = edit_lists();
  for (const char* code : {"X50.0XXA", "Y92.009", "Y99.0", "X500XXA"}) {
    const auto answer = edits.poa_exempt(code, day(2025, 11, 3));
    BOOST_TEST(answer.listed, code);
    BOOST_TEST(answer.list_version == "POA exempt FY2026");
  }
  BOOST_TEST(!edits.poa_exempt("M62.830", day(2025, 11, 3)).listed);
  const auto later = edits.poa_exempt("Y99.0", day(2027, 1, 1));
  BOOST_TEST(later.listed);
  BOOST_TEST(later.list_version == "POA exempt FY2026 (the only list shipped, applied to FY2027)");
  BOOST_TEST(!edits.poa_exempt("Y99.0", day(2014, 8, 16)).listed);
}

BOOST_AUTO_TEST_CASE(manifestation_list_by_year) {
  const auto& edits = edit_lists();
  for (const char* code : {"G55", "G99.2", "M49.80", "M63.89", "D63.0"}) {
    const auto answer = edits.manifestation(code, day(2020, 1, 15));
    BOOST_TEST(answer.listed, code);
    BOOST_TEST(answer.list_version == "MCE v37 (FY2020)");
  }
  BOOST_TEST(!edits.manifestation("M62.830", day(2020, 1, 15)).listed);
  const auto later = edits.manifestation("G55", day(2024, 3, 1));
  BOOST_TEST(later.listed);
  BOOST_TEST(later.list_version == "MCE v37 (FY2020; newest shipped, applied to FY2024)");
  BOOST_TEST(edits.manifestation("G55", day(2015, 10, 1)).list_version == "MCE v33 (FY2016)");
}

BOOST_AUTO_TEST_CASE(age_edits) {
  const auto& edits = edit_lists();
  std::string version;
  BOOST_TEST(edits.age_edit("A33", day(2019, 5, 1), &version) == AgeEdit::kNewborn);
  BOOST_TEST(version == "MCE v36 (FY2019)");
  // D80.7 is on the v33 newborn list only.
  BOOST_TEST(edits.age_edit("D807", day(2016, 5, 1)) == AgeEdit::kNewborn);
  BOOST_TEST(edits.age_edit("D807", day(2017, 5, 1)) == AgeEdit::kNone);
  // H35.31 is on the v33 adult list only.
  BOOST_TEST(edits.age_edit("H3531", day(2016, 1, 1)) == AgeEdit::kAdult);
  BOOST_TEST(edits.age_edit("H3531", day(2016, 10, 1)) == AgeEdit::kNone);
  BOOST_TEST(edits.age_edit("M62830", day(2019, 5, 1)) == AgeEdit::kNone);
}

BOOST_AUTO_TEST_CASE(sex_edits) {
  const auto& edits = edit_lists();
  std::string version;
  BOOST_TEST(edits.sex_edit("A18.16", day(2018, 1, 1), &version) == SexEdit::kFemaleOnly);
  BOOST_TEST(version == "MCE v35 (FY2018)");
  BOOST_TEST(edits.sex_edit("A18.14", day(2018, 1, 1)) == SexEdit::kMaleOnly);
  BOOST_TEST(edits.sex_edit("M62.830", day(2018, 1, 1)) == SexEdit::kNone);
  // F53 was female-only in v33-v35.
  BOOST_TEST(edits.sex_edit("F53", day(2018, 1, 1)) == SexEdit::kFemaleOnly);
  BOOST_TEST(edits.sex_edit("F53", day(2019, 1, 1)) == SexEdit::kNone);
}

BOOST_AUTO_TEST_CASE(unacceptable_principal_and_questionable_admission) {
  const auto& edits = edit_lists();
  BOOST_TEST(edits.unacceptable_principal("B95.0", day(2018, 1, 1)).listed);
  BOOST_TEST(!edits.unacceptable_principal("B95.0", day(2016, 1, 1)).listed);
  BOOST_TEST(edits.unacceptable_principal("B60.13", day(2016, 1, 1)).listed);
  BOOST_TEST(edits.questionable_admission("E11.9", day(2020, 6, 1)).listed);
  BOOST_TEST(!edits.questionable_admission("M62.830", day(2020, 6, 1)).listed);
  const auto before = edits.questionable_admission("E11.9", day(2014, 6, 1));
  BOOST_TEST(!before.listed);
  BOOST_TEST(before.list_version == "");
}

BOOST_AUTO_TEST_SUITE_END()
