// Named cases from issue 4's acceptance and DOMAIN.md 1, 4.1.1, 4.3, on the generated table.
#include "codes/code_set.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <boost/test/unit_test.hpp>

#include "codes/edits.hpp"
#include "codes_fixture.hpp"
#include "support/temp_dir.hpp"

using claimaudit::codes::CodeSet;
using claimaudit::codes::NotBillable;
using claimaudit::codes::Status;
using claimaudit::core::Date;
using claimaudit::testing::code_set;
using claimaudit::testing::Codes;
using claimaudit::testing::day;

namespace {

// Every date from `from` to `to` inclusive.
template <class Fn>
void each_day(Date from, Date to, Fn&& fn) {
  for (Date d = from; d <= to; d = d.next_day()) fn(d);
}

constexpr Date kFirst = claimaudit::core::kIcd10Start;
const Date kLast = day(2027, 9, 30);

}  // namespace

BOOST_AUTO_TEST_SUITE(code_set_lookup)

BOOST_AUTO_TEST_CASE(coverage_and_editions) {
  const auto& codes = code_set();
  BOOST_TEST(codes.coverage_from() == kFirst);
  BOOST_TEST(codes.coverage_to() == kLast);
  BOOST_TEST(codes.editions().size() == 15u);
  BOOST_TEST(codes.edition_for(day(2021, 10, 1))->name == "fy2022");
  BOOST_TEST(codes.edition_for(day(2020, 11, 5))->name == "fy2021-oct");
  BOOST_TEST(codes.edition_for(day(2026, 10, 1))->name == "fy2027-derived-makevision");
  BOOST_TEST(codes.edition_for(day(2026, 5, 1))->source == "fy2026/icd10cm_order_2026.txt.gz");
  BOOST_TEST(codes.edition_for(day(2015, 9, 30)) == nullptr);
  BOOST_TEST(codes.edition_for(day(2027, 10, 1)) == nullptr);
}

BOOST_AUTO_TEST_CASE(m62_830_billable_on_every_date_from_2015_10_01) {
  const auto& codes = code_set();
  each_day(kFirst, kLast, [&](Date d) {
    BOOST_TEST_REQUIRE(codes.status_on("M62830", d) == Status::kBillable, d.iso());
  });
  const auto result = codes.lookup("M62830", day(2024, 3, 1));
  BOOST_TEST(result.title == "Muscle spasm of back");
  BOOST_TEST(result.edition == "fy2024");
  BOOST_TEST(result.first_valid == kFirst);
  BOOST_TEST(codes.parent("M62830") == "M6283");
}

BOOST_AUTO_TEST_CASE(m62_831_is_muscle_spasm_of_calf) {
  const auto& codes = code_set();
  for (const auto d : {kFirst, day(2019, 6, 1), day(2026, 1, 1), kLast}) {
    const auto result = codes.lookup("M62.831", d);
    BOOST_TEST(result.status == Status::kBillable);
    BOOST_TEST(result.title == "Muscle spasm of calf");
  }
}

BOOST_AUTO_TEST_CASE(m62_839_unknown_on_every_date) {
  const auto& codes = code_set();
  each_day(kFirst, kLast, [&](Date d) {
    BOOST_TEST_REQUIRE(codes.status_on("M62839", d) == Status::kUnknown, d.iso());
  });
  BOOST_TEST(!codes.exists("M62839"));
  BOOST_TEST(codes.history("M62839").empty());
  const auto c = codes.classify_not_billable("M62.839", day(2024, 1, 1));
  BOOST_TEST(c.kind == NotBillable::kInvalid);
  BOOST_TEST(c.suggestions.empty());
}

BOOST_AUTO_TEST_CASE(m62_83_is_a_header_on_every_date) {
  const auto& codes = code_set();
  each_day(kFirst, kLast, [&](Date d) {
    BOOST_TEST_REQUIRE(codes.status_on("M6283", d) == Status::kHeader, d.iso());
  });
  const auto result = codes.lookup("M6283", day(2025, 1, 1));
  BOOST_TEST(result.title == "Muscle spasm");
  BOOST_TEST(result.children == (Codes{"M62830", "M62831", "M62838"}));
  BOOST_TEST(!result.expanded_on);
  BOOST_TEST(!result.last_valid);
  const auto c = codes.classify_not_billable("M6283", day(2025, 1, 1));
  BOOST_TEST(c.kind == NotBillable::kHeader);
  BOOST_TEST(c.suggestions == (Codes{"M62830", "M62831", "M62838"}));
}

BOOST_AUTO_TEST_CASE(m54_5_billable_through_2021_09_30_then_expanded) {
  const auto& codes = code_set();
  each_day(kFirst, day(2021, 9, 30), [&](Date d) {
    BOOST_TEST_REQUIRE(codes.status_on("M545", d) == Status::kBillable, d.iso());
  });
  each_day(day(2021, 10, 1), kLast, [&](Date d) {
    BOOST_TEST_REQUIRE(codes.status_on("M545", d) == Status::kHeader, d.iso());
    BOOST_TEST_REQUIRE(codes.status_on("M5450", d) == Status::kBillable, d.iso());
  });
  const auto result = codes.lookup("M54.5", day(2021, 10, 1));
  BOOST_TEST(result.status == Status::kHeader);
  BOOST_TEST(result.last_valid == day(2021, 9, 30));
  BOOST_TEST(result.expanded_on == day(2021, 10, 1));
  BOOST_TEST(result.replacements == (Codes{"M5450", "M5451", "M5459"}));
  BOOST_TEST(result.children == (Codes{"M5450", "M5451", "M5459"}));
  const auto c = codes.classify_not_billable("M545", day(2023, 5, 5));
  BOOST_TEST(c.kind == NotBillable::kStale);
  BOOST_TEST(c.suggestions == (Codes{"M5450", "M5451", "M5459"}));
  // Before 2021-10-01 the children do not exist yet.
  const auto early = codes.lookup("M5450", day(2021, 9, 30));
  BOOST_TEST(early.status == Status::kNotYetValid);
  BOOST_TEST(early.first_valid == day(2021, 10, 1));
  BOOST_TEST(codes.classify_not_billable("M5450", day(2021, 9, 30)).kind == NotBillable::kStale);
}

BOOST_AUTO_TEST_CASE(z28_3_header_from_2022_04_01) {
  const auto& codes = code_set();
  BOOST_TEST(codes.status_on("Z283", day(2022, 3, 31)) == Status::kBillable);
  each_day(day(2022, 4, 1), kLast, [&](Date d) {
    BOOST_TEST_REQUIRE(codes.status_on("Z283", d) == Status::kHeader, d.iso());
  });
  const auto result = codes.lookup("Z283", day(2022, 4, 1));
  BOOST_TEST(result.edition == "fy2022-apr");
  BOOST_TEST(result.expanded_on == day(2022, 4, 1));
  BOOST_TEST(result.replacements == (Codes{"Z28310", "Z28311", "Z2839"}));
}

BOOST_AUTO_TEST_CASE(t81_4xxa_deleted_after_2018_09_30_with_successors) {
  const auto& codes = code_set();
  BOOST_TEST(codes.status_on("T814XXA", day(2018, 9, 30)) == Status::kBillable);
  each_day(day(2018, 10, 1), kLast, [&](Date d) {
    BOOST_TEST_REQUIRE(codes.status_on("T814XXA", d) == Status::kDeleted, d.iso());
  });
  const auto result = codes.lookup("T81.4XXA", day(2019, 1, 1));
  BOOST_TEST(result.last_valid == day(2018, 9, 30));
  BOOST_TEST(result.title == "Infection following a procedure, initial encounter");
  BOOST_TEST(result.replacements ==
             (Codes{"T8140XA", "T8141XA", "T8142XA", "T8143XA", "T8144XA", "T8149XA"}));
  const auto c = codes.classify_not_billable("T814XXA", day(2019, 1, 1));
  BOOST_TEST(c.kind == NotBillable::kStale);
  BOOST_TEST(c.suggestions == result.replacements);
}

BOOST_AUTO_TEST_CASE(g35_expanded_on_2025_10_01) {
  const auto& codes = code_set();
  BOOST_TEST(codes.status_on("G35", day(2025, 9, 30)) == Status::kBillable);
  const auto result = codes.lookup("G35", day(2025, 10, 1));
  BOOST_TEST(result.status == Status::kHeader);
  BOOST_TEST(result.expanded_on == day(2025, 10, 1));
  BOOST_TEST(result.last_valid == day(2025, 9, 30));
  BOOST_TEST(result.replacements ==
             (Codes{"G35A", "G35B0", "G35B1", "G35B2", "G35C0", "G35C1", "G35C2", "G35D"}));
}

BOOST_AUTO_TEST_CASE(u07_1_valid_on_2020_04_01_not_on_2020_03_31) {
  const auto& codes = code_set();
  const auto before = codes.lookup("U07.1", day(2020, 3, 31));
  BOOST_TEST(before.status == Status::kNotYetValid);
  BOOST_TEST(before.first_valid == day(2020, 4, 1));
  BOOST_TEST(codes.status_on("U071", day(2020, 4, 1)) == Status::kBillable);
  BOOST_TEST(codes.lookup("U071", day(2020, 4, 1)).title == "COVID-19");
  const auto history = codes.history("U071");
  BOOST_TEST_REQUIRE(history.size() == 2u);
  BOOST_TEST(history[0].from == day(2020, 4, 1));
  BOOST_TEST(history[0].to == day(2020, 9, 30));
  BOOST_TEST(history[0].source == "corrections.tsv:5");
  BOOST_TEST(history[0].from_correction);
  BOOST_TEST(history[1].from == day(2020, 10, 1));
  BOOST_TEST(history[1].source ==
             "fy2021/icd10cm_order_2021.txt.gz with the January 2021 changes undone "
             "(fy2021/icd10cm_order_addenda_2021.txt vs "
             "fy2021/cdc-oct2020-edition-addenda/icd10cm_order_addenda_2021.txt)");
}

BOOST_AUTO_TEST_CASE(every_date_before_2015_10_01_is_before_icd10) {
  const auto& codes = code_set();
  for (const char* code : {"M62830", "M62839", "M545", "U071", "7215", "R69"}) {
    each_day(day(2013, 1, 1), kFirst.previous_day(), [&](Date d) {
      BOOST_TEST_REQUIRE(codes.status_on(code, d) == Status::kBeforeIcd10, code << " " << d.iso());
    });
    BOOST_TEST(codes.status_on(code, day(1994, 6, 1)) == Status::kBeforeIcd10);
    BOOST_TEST(codes.status_on(code, Date::from_days(-100000)) == Status::kBeforeIcd10);
  }
  const auto result = codes.lookup("M62830", day(2014, 8, 16));
  BOOST_TEST(result.status == Status::kBeforeIcd10);
  BOOST_TEST(result.edition == "");
  BOOST_TEST(codes.classify_not_billable("M62830", day(2014, 8, 16)).kind ==
             NotBillable::kOutsideCoverage);
}

BOOST_AUTO_TEST_CASE(dates_after_the_newest_edition_are_after_coverage) {
  const auto& codes = code_set();
  BOOST_TEST(codes.status_on("M62830", day(2027, 10, 1)) == Status::kAfterCoverage);
  BOOST_TEST(codes.status_on("M62839", day(2030, 1, 1)) == Status::kAfterCoverage);
  BOOST_TEST(claimaudit::codes::to_string(Status::kAfterCoverage) == "after_coverage");
}

BOOST_AUTO_TEST_CASE(accepts_dotted_lower_case_and_padded_spellings) {
  const auto& codes = code_set();
  for (const char* spelling : {"M62.830", "m62830", " M62.830 ", "m62.830"}) {
    BOOST_TEST(codes.status_on(spelling, day(2024, 1, 1)) == Status::kBillable, spelling);
    BOOST_TEST(codes.lookup(spelling, day(2024, 1, 1)).code == "M62830");
  }
  for (const char* garbage : {"", "M6", "M62.8301", "M62-830", "M62.83.0", "ÄÖÜ"}) {
    BOOST_TEST(codes.status_on(garbage, day(2024, 1, 1)) == Status::kUnknown, garbage);
  }
}

BOOST_AUTO_TEST_CASE(seventh_character_and_placeholder_classification) {
  const auto& codes = code_set();
  const auto s = codes.classify_not_billable("S39012", day(2024, 1, 1));
  BOOST_TEST(s.kind == NotBillable::kSeventhCharacter);
  BOOST_TEST(s.suggestions == (Codes{"S39012A", "S39012D", "S39012S"}));
  BOOST_TEST(codes.requires_seventh_character("S39012", day(2024, 1, 1)));
  BOOST_TEST(!codes.requires_seventh_character("M6283", day(2024, 1, 1)));
  const auto x = codes.classify_not_billable("X500A", day(2024, 1, 1));
  BOOST_TEST(x.kind == NotBillable::kPlaceholderMissing);
  BOOST_TEST(x.suggestions == (Codes{"X500XXA"}));
  // X50.0XXA is not yet valid before 2016-10-01.
  const auto early = codes.lookup("X500XXA", day(2016, 9, 30));
  BOOST_TEST(early.status == Status::kNotYetValid);
  BOOST_TEST(early.first_valid == day(2016, 10, 1));
  BOOST_TEST(codes.classify_not_billable("X500XXA", day(2024, 1, 1)).kind ==
             NotBillable::kBillable);
  // A category that never was billable.
  BOOST_TEST(codes.classify_not_billable("M54", day(2024, 1, 1)).kind == NotBillable::kHeader);
}

// Guidelines I.A.5: a code right up to its 7th character is a 7th-character error, not an
// invalid code: the 7th character left off after the placeholder (S16.1XX, S16.1X, W19.XXX), or
// one the code does not take (S39.012X, S33.5XXB; M62.830A takes none).
BOOST_AUTO_TEST_CASE(seventh_character_missing_after_placeholder_or_not_taken) {
  const auto& codes = code_set();
  const Date on = day(2024, 8, 15);
  const Codes neck{"S161XXA", "S161XXD", "S161XXS"};
  for (const char* code : {"S16.1XX", "S161X"}) {
    const auto c = codes.classify_not_billable(code, on);
    BOOST_TEST((c.kind == NotBillable::kSeventhCharacter), code);
    BOOST_TEST(c.suggestions == neck, code);
  }
  BOOST_TEST(codes.classify_not_billable("W19XXX", on).suggestions ==
             (Codes{"W19XXXA", "W19XXXD", "W19XXXS"}));
  const auto strain = codes.classify_not_billable("S39012X", on);
  BOOST_TEST((strain.kind == NotBillable::kSeventhCharacter));
  BOOST_TEST(strain.suggestions == (Codes{"S39012A", "S39012D", "S39012S"}));
  BOOST_TEST(codes.classify_not_billable("S335XXB", on).suggestions ==
             (Codes{"S335XXA", "S335XXD", "S335XXS"}));
  const auto spasm = codes.classify_not_billable("M62830A", on);
  BOOST_TEST((spasm.kind == NotBillable::kSeventhCharacter));
  BOOST_TEST(spasm.suggestions == (Codes{"M62830"}));
  // Wrong before the 7th character: still invalid.
  BOOST_TEST((codes.classify_not_billable("M62839", on).kind == NotBillable::kInvalid));
  BOOST_TEST((codes.classify_not_billable("S3901XA", on).kind == NotBillable::kInvalid));
  BOOST_TEST((codes.classify_not_billable("654456", on).kind == NotBillable::kInvalid));
  // A code in no edition has its longest existing prefix as parent.
  BOOST_TEST(codes.parent("S39012X") == "S39012");
  BOOST_TEST(codes.parent("S161XX") == "S161");
  BOOST_TEST(codes.parent("M62839") == "M6283");
  BOOST_TEST(codes.parent("M62830") == "M6283");
  BOOST_TEST(codes.parent("654456").empty());
}

BOOST_AUTO_TEST_CASE(history_lists_every_interval_with_its_source) {
  const auto& codes = code_set();
  const auto history = codes.history("M545");
  BOOST_TEST_REQUIRE(history.size() == 2u);
  BOOST_TEST(history[0].billable);
  BOOST_TEST(history[0].from == kFirst);
  BOOST_TEST(history[0].to == day(2021, 9, 30));
  BOOST_TEST(history[0].edition == "fy2016");
  BOOST_TEST(history[0].last_edition == "fy2021");
  BOOST_TEST(history[0].source == "fy2016/icd10cm_order_2016.txt.gz");
  BOOST_TEST(history[0].title == "Low back pain");
  BOOST_TEST(history[0].successors == (Codes{"M5450", "M5451", "M5459"}));
  BOOST_TEST(!history[1].billable);
  BOOST_TEST(history[1].from == day(2021, 10, 1));
  BOOST_TEST(history[1].to == kLast);
  BOOST_TEST(history[1].edition == "fy2022");
  BOOST_TEST(history[1].last_edition == "fy2027-derived-makevision");
  BOOST_TEST(history[1].successors.empty());
}

BOOST_AUTO_TEST_CASE(billable_children_and_parent) {
  const auto& codes = code_set();
  BOOST_TEST(codes.billable_children("M791", day(2018, 9, 30)).empty());
  BOOST_TEST(codes.billable_children("M79.1", day(2018, 10, 1)) ==
             (Codes{"M7910", "M7911", "M7912", "M7918"}));
  BOOST_TEST(codes.parent("T814XXA") == "T814");
  BOOST_TEST(codes.parent("M62") == "");
  // A code in no edition: its longest existing prefix (the header M62.83 for M62.839).
  BOOST_TEST(codes.parent("M62839") == "M6283");
}

BOOST_AUTO_TEST_CASE(load_rejects_missing_and_corrupt_tables) {
  claimaudit::testing::TempDir dir;
  BOOST_CHECK_THROW(CodeSet::load(dir / "absent.bin"), std::runtime_error);
  const auto bytes = claimaudit::testing::read_file(CLAIMAUDIT_CODESET_TABLE);
  const auto truncated =
      dir.write("truncated.bin", std::string_view(bytes).substr(0, bytes.size() / 2));
  try {
    CodeSet::load(truncated);
    BOOST_FAIL("a truncated table loaded");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()) == truncated.string() + ": corrupt code-set table (size " +
                                            std::to_string(bytes.size() / 2) +
                                            " does not match the header (truncated?))");
  }
  auto flipped = bytes;
  flipped[flipped.size() / 3] ^= 0x40;
  const auto corrupt = dir.write("corrupt.bin", flipped);
  try {
    CodeSet::load(corrupt);
    BOOST_FAIL("a corrupted table loaded");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()) ==
               corrupt.string() + ": corrupt code-set table (checksum mismatch)");
  }
}

// How many regions of /proc/self/maps map `path`.
int mappings_of(const std::filesystem::path& path) {
  std::ifstream maps("/proc/self/maps");
  int count = 0;
  for (std::string line; std::getline(maps, line);) {
    if (line.size() >= path.string().size() &&
        line.compare(line.size() - path.string().size(), std::string::npos, path.string()) == 0) {
      ++count;
    }
  }
  return count;
}

BOOST_AUTO_TEST_CASE(code_set_and_edit_lists_share_one_mapping_of_the_table) {
  // The daemon loads both from one file: mapped (and resident) once, not twice.
  claimaudit::testing::TempDir dir;
  const auto path =
      dir.write("codeset.bin", claimaudit::testing::read_file(CLAIMAUDIT_CODESET_TABLE));
  {
    const auto codes = CodeSet::load(path);
    const auto edits = claimaudit::codes::EditLists::load(path);
    BOOST_TEST(mappings_of(path) == 1);
    BOOST_TEST(codes.status_on("M62830", day(2024, 1, 1)) == Status::kBillable);
    BOOST_TEST(edits.age_edit_only("A33", day(2019, 5, 1)) == claimaudit::codes::AgeEdit::kNewborn);
  }
  BOOST_TEST(mappings_of(path) == 0);  // Unmapped with the last table that used it.
  // A file replaced in place is mapped afresh, never served from an older mapping.
  const auto first = CodeSet::load(path);
  const auto bytes = claimaudit::testing::read_file(path);
  std::filesystem::remove(path);
  dir.write("codeset.bin", bytes);
  const auto second = CodeSet::load(path);
  BOOST_TEST(mappings_of(path) == 1);  // The first one's file is gone: "(deleted)" suffix.
  BOOST_TEST(second.exists("M62830"));
}

BOOST_AUTO_TEST_CASE(load_default_honours_the_environment) {
  ::setenv("CLAIMAUDIT_CODESET", CLAIMAUDIT_CODESET_TABLE, 1);
  const auto codes = CodeSet::load_default();
  BOOST_TEST(codes.status_on("M62830", day(2024, 1, 1)) == Status::kBillable);
  ::setenv("CLAIMAUDIT_CODESET", "/nonexistent/codeset.bin", 1);
  BOOST_CHECK_THROW(CodeSet::load_default(), std::runtime_error);
  ::unsetenv("CLAIMAUDIT_CODESET");
  // Without the variable the build tree's table is found next to the test executable.
  BOOST_TEST(CodeSet::load_default().exists("M62830"));
}

BOOST_AUTO_TEST_SUITE_END()
