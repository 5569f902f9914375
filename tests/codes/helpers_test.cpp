// Spelling helpers, chapters, laterality and the "unspecified site" analysis (DOMAIN.md 4.5).
#include <string>

#include <boost/test/unit_test.hpp>

#include "codes/code_set.hpp"
#include "codes_fixture.hpp"

using namespace claimaudit::codes;
using claimaudit::testing::code_set;
using claimaudit::testing::Codes;
using claimaudit::testing::day;

BOOST_AUTO_TEST_SUITE(code_helpers)

BOOST_AUTO_TEST_CASE(external_cause_range_and_prefix) {
  for (const char* code : {"V0001XA", "W010XXA", "X500XXA", "Y92009", "Y990"}) {
    BOOST_TEST(is_external_cause(code), code);
    BOOST_TEST(in_range(code, "V00", "Y99"), code);
  }
  for (const char* code : {"M62830", "S39012A", "U071", "Z283"}) {
    BOOST_TEST(!is_external_cause(code), code);
    BOOST_TEST(!in_range(code, "V00", "Y99"), code);
  }
  BOOST_TEST(in_range("M6283", "M60", "M63"));
  BOOST_TEST(in_range("M63", "M60", "M63"));
  BOOST_TEST(!in_range("M64", "M60", "M63"));
  BOOST_TEST(!in_range("M59", "M60", "M63"));
  BOOST_TEST(category("M62830") == "M62");
  BOOST_TEST(has_prefix("M5450", "M545"));
  BOOST_TEST(!has_prefix("M5450", "M546"));
}

BOOST_AUTO_TEST_CASE(chapters) {
  BOOST_TEST(chapter_of("M62830")->number == 13);
  BOOST_TEST(chapter_of("D500")->number == 3);
  BOOST_TEST(chapter_of("D490")->number == 2);
  BOOST_TEST(chapter_of("H60")->number == 8);
  BOOST_TEST(chapter_of("O9A11")->number == 15);
  BOOST_TEST(chapter_of("QA00131")->number == 17);
  BOOST_TEST(chapter_of("T814XXA")->number == 19);
  BOOST_TEST(chapter_of("X500XXA")->number == 20);
  BOOST_TEST(chapter_of("U071")->number == 22);
  BOOST_TEST(chapter_of("U071")->title == "Codes for special purposes");
  BOOST_TEST(chapter_of("M6") == nullptr);
}

BOOST_AUTO_TEST_CASE(seventh_character_and_placeholder_spelling) {
  BOOST_TEST(seventh_character("S39012A") == 'A');
  BOOST_TEST(seventh_character("M62830") == '\0');
  BOOST_TEST(pad_placeholder("X500A") == "X500XXA");
  BOOST_TEST(pad_placeholder("T814A") == "T814XXA");
  BOOST_TEST(pad_placeholder("S3901A") == "S3901XA");
  BOOST_TEST(pad_placeholder("M62830") == "");
  BOOST_TEST(pad_placeholder("S39012A") == "");
  BOOST_TEST(pad_placeholder("M545") == "");
}

BOOST_AUTO_TEST_CASE(unspecified_site_codes_from_domain_4_5) {
  const auto& codes = code_set();
  const auto fy2026 = day(2026, 1, 15);
  for (const char* code :
       {"M5410", "M5430", "M5440", "M7910", "M625A9", "M4800", "M47819", "M4310"}) {
    BOOST_TEST(codes.is_unspecified_site(code, fy2026), code);
  }
  // Never "other", never type-unspecified.
  for (const char* code : {"M62838", "R69", "M549", "M539", "M5450", "M62830", "R059"}) {
    BOOST_TEST(!codes.is_unspecified_site(code, fy2026), code);
  }
  BOOST_TEST(!codes.is_unspecified_site("M62839", fy2026));
}

// Side-unspecified codes whose unspecified part is no word of the first list: each has a
// billable twin whose title says "right" or "left" instead (the second list of kSiteWords).
BOOST_AUTO_TEST_CASE(unspecified_side_codes_found_by_their_twins) {
  const auto& codes = code_set();
  const auto fy2026 = day(2026, 1, 15);
  for (const char* code : {"H04129", "H04309", "S20219A", "I75029", "C50019", "S32309A", "M65329",
                           "S86009A", "T22049A", "L89300", "C669"}) {
    BOOST_TEST(codes.is_unspecified_site(code, fy2026), code);
  }
  BOOST_TEST(codes.specified_siblings("H04129", fy2026) == (Codes{"H04121", "H04122", "H04123"}));
  BOOST_TEST(codes.specified_siblings("S20219A", fy2026) ==
             (Codes{"S20211A", "S20212A", "S20213A", "S20214A"}));
  // The words do not reach type-unspecified titles or specified sides.
  for (const char* code : {"H04121", "S20211A", "I75021", "R69", "M549", "S0990XA"}) {
    BOOST_TEST(!codes.is_unspecified_site(code, fy2026), code);
  }
}

BOOST_AUTO_TEST_CASE(unspecified_site_title_patterns) {
  BOOST_TEST(is_unspecified_site_title("Radiculopathy, site unspecified"));
  BOOST_TEST(is_unspecified_site_title("Sciatica, unspecified side"));
  BOOST_TEST(
      is_unspecified_site_title("Unspecified injury of unspecified knee, initial encounter"));
  BOOST_TEST(is_unspecified_site_title(
      "Muscle wasting and atrophy, not elsewhere classified, back, unspecified level"));
  BOOST_TEST(!is_unspecified_site_title("Illness, unspecified"));
  BOOST_TEST(!is_unspecified_site_title("Dorsalgia, unspecified"));
  BOOST_TEST(!is_unspecified_site_title("Other muscle spasm"));
  BOOST_TEST(!is_unspecified_site_title("Pre-eclampsia, unspecified trimester"));
}

// A title can leave several sites unspecified; a sibling that leaves fewer is more specific.
BOOST_AUTO_TEST_CASE(unspecified_sites_are_counted) {
  using claimaudit::codes::unspecified_site_count;
  BOOST_TEST(unspecified_site_count("Illness, unspecified") == 0);
  BOOST_TEST(unspecified_site_count("Lumbago with sciatica, unspecified side") == 1);
  BOOST_TEST(unspecified_site_count(
                 "Fracture of unspecified phalanx of unspecified finger, initial encounter for "
                 "closed fracture") == 2);
  BOOST_TEST(unspecified_site_count("Fracture of unspecified phalanx of right index finger, "
                                    "initial encounter for closed fracture") == 1);
  // "Unspecified injury" names a type, not a site.
  BOOST_TEST(unspecified_site_count("Unspecified injury of unspecified knee, initial encounter") ==
             1);
  const auto& codes = code_set();
  const auto fy2026 = day(2026, 1, 15);
  // Every finger of S62.60- leaves the phalanx unspecified, as S62.609A does, but names the
  // finger: they are its more specific siblings (none was, when any unspecified site counted).
  BOOST_TEST(codes.specified_siblings("S62609A", fy2026) ==
             (Codes{"S62600A", "S62601A", "S62602A", "S62603A", "S62604A", "S62605A", "S62606A",
                    "S62607A", "S62608A"}));
  // One unspecified site: siblings with one are no more specific.
  BOOST_TEST(codes.specified_siblings("S62600A", fy2026).empty());
}

BOOST_AUTO_TEST_CASE(specified_siblings_name_a_site) {
  const auto& codes = code_set();
  const auto fy2026 = day(2026, 1, 15);
  BOOST_TEST(codes.specified_siblings("M7910", fy2026) == (Codes{"M7911", "M7912", "M7918"}));
  BOOST_TEST(codes.specified_siblings("M5430", fy2026) == (Codes{"M5431", "M5432"}));
  BOOST_TEST(codes.specified_siblings("M625A9", fy2026) == (Codes{"M625A0", "M625A1", "M625A2"}));
  // Before M79.1 was expanded there was no sibling at all.
  BOOST_TEST(codes.specified_siblings("M7910", day(2018, 9, 30)).empty());
  // A 7th-character code: siblings keep the same 7th character.
  const auto siblings = codes.specified_siblings("S8290XA", fy2026);
  BOOST_TEST(!siblings.empty());
  for (const auto& s : siblings) {
    BOOST_TEST(s.size() == 7u, s);
    BOOST_TEST(s.back() == 'A', s);
    BOOST_TEST(s.substr(0, 3) == "S82", s);
  }
}

// Families whose site axis sits above the code's parent (DOMAIN.md 4.5): S22.009A and S32.009A
// (unspecified fracture of unspecified thoracic / lumbar vertebra) have their specified
// siblings under S22.01-S22.08 / S32.01-S32.05 (one per vertebra), not under S22.00 / S32.00,
// whose children leave the vertebra unspecified as well. The same shape elsewhere: pressure
// ulcers (L89.00-), non-pressure ulcers (L97.90-), unspecified muscles (S46.90-), cervical
// subluxation (S13.10-). And a 7-character code whose 7th character is no extension
// (E11.3599, unspecified eye) takes the children of its parent.
BOOST_AUTO_TEST_CASE(specified_siblings_above_the_parent) {
  const auto& codes = code_set();
  const auto fy2026 = day(2026, 1, 15);
  for (const char* code : {"S22009A", "S32009A", "S22000A", "S32008D", "S13100A", "S33101A"}) {
    BOOST_TEST(codes.is_unspecified_site(code, fy2026), code);
  }
  BOOST_TEST(codes.specified_siblings("S22009A", fy2026) ==
             (Codes{"S22019A", "S22029A", "S22039A", "S22049A", "S22059A", "S22069A", "S22079A",
                    "S22089A"}));
  BOOST_TEST(codes.specified_siblings("S32009A", fy2026) ==
             (Codes{"S32019A", "S32029A", "S32039A", "S32049A", "S32059A"}));
  BOOST_TEST(codes.specified_siblings("S32009D", fy2026) ==
             (Codes{"S32019D", "S32029D", "S32039D", "S32049D", "S32059D"}));
  BOOST_TEST(codes.specified_siblings("S22000A", fy2026) ==
             (Codes{"S22010A", "S22020A", "S22030A", "S22040A", "S22050A", "S22060A", "S22070A",
                    "S22080A"}));
  BOOST_TEST(codes.specified_siblings("S13100A", fy2026) ==
             (Codes{"S13110A", "S13120A", "S13130A", "S13140A", "S13150A", "S13160A", "S13170A",
                    "S13180A"}));
  BOOST_TEST(codes.specified_siblings("L89001", fy2026) == (Codes{"L89011", "L89021"}));
  BOOST_TEST(codes.specified_siblings("L97909", fy2026) == (Codes{"L97919", "L97929"}));
  BOOST_TEST(codes.specified_siblings("S46901A", fy2026) ==
             (Codes{"S46001A", "S46101A", "S46201A", "S46301A", "S46801A"}));
  BOOST_TEST(codes.specified_siblings("E113599", fy2026) ==
             (Codes{"E113591", "E113592", "E113593"}));
  // A named vertebra is specific.
  BOOST_TEST(!codes.is_unspecified_site("S22019A", fy2026));
  // The axis is taken only where the branches name the same kind of injury: S00.11XA
  // (contusion of right eyelid) is no sibling of S00.91XA (abrasion of unspecified part of
  // head), although the two differ in one character.
  BOOST_TEST(codes.specified_siblings("S0091XA", fy2026) ==
             (Codes{"S0001XA", "S0031XA", "S0081XA"}));
  // Families that worked before keep their answers.
  BOOST_TEST(codes.specified_siblings("M5440", fy2026) == (Codes{"M5441", "M5442"}));
  BOOST_TEST(codes.specified_siblings("S8290XA", fy2026) == (Codes{"S8291XA", "S8292XA"}));
}

BOOST_AUTO_TEST_CASE(laterality_from_titles) {
  const auto& codes = code_set();
  const auto fy2026 = day(2026, 1, 15);
  BOOST_TEST(codes.laterality("M5431", fy2026) == Laterality::kRight);
  BOOST_TEST(codes.laterality("M5432", fy2026) == Laterality::kLeft);
  BOOST_TEST(codes.laterality("M5430", fy2026) == Laterality::kUnspecified);
  BOOST_TEST(codes.laterality("M62830", fy2026) == Laterality::kNone);
  BOOST_TEST(codes.laterality("I501", fy2026) == Laterality::kNone);  // Left ventricular failure.
  BOOST_TEST(laterality_of_title("Primary osteoarthritis, bilateral knee") ==
             Laterality::kBilateral);
  BOOST_TEST(to_string(Laterality::kUnspecified) == "unspecified");
  // Not valid on the date: the side of the title lookup() shows (title()'s), as the rules read it.
  BOOST_TEST(codes.laterality("M545", fy2026) == Laterality::kNone);
  BOOST_TEST(codes.laterality("S39012X", fy2026) == Laterality::kNone);  // In no edition.
}

BOOST_AUTO_TEST_SUITE_END()

// The generator stores laterality_of_title() of every interval's title in the table
// (IntervalRecord::title_traits); the answers read from it are the titles' own, for every code.
BOOST_AUTO_TEST_CASE(stored_title_traits_agree_with_the_titles) {
  const auto& codes = code_set();
  int sided = 0;
  int unspecified = 0;
  for (const auto fy : {day(2016, 1, 15), day(2022, 1, 15), day(2026, 1, 15)}) {
    for (const auto& code : codes.all_codes()) {
      const std::string_view title = codes.lookup_title(code, fy);
      const Laterality expected = title.empty() ? Laterality::kNone : laterality_of_title(title);
      BOOST_TEST_REQUIRE((codes.laterality(code, fy) == expected), code);
      if (expected != Laterality::kNone) ++sided;
      const std::string valid_title = codes.title_on(code, fy);
      BOOST_TEST_REQUIRE((codes.is_unspecified_site(code, fy) ==
                          (!valid_title.empty() && is_unspecified_site_title(valid_title))),
                         code);
      if (codes.is_unspecified_site(code, fy)) ++unspecified;
    }
  }
  BOOST_TEST(sided > 10000);
  BOOST_TEST(unspecified > 1000);
}
