#include "core/icd10_code.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace core = claimaudit::core;
namespace data = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(icd10_code)

static const char* const kInputs[] = {"M62.830", "m62830", " M62.830 ", "X50.0XXA",
                                      "R69",     "qa1.71", "F64.A"};
static const char* const kNormal[] = {"M62830", "M62830", "M62830", "X500XXA",
                                      "R69",    "QA171",  "F64A"};
BOOST_DATA_TEST_CASE(normalises, data::make(kInputs) ^ data::make(kNormal), input, expected) {
  const auto normal = core::normalize_icd10(input);
  BOOST_TEST_REQUIRE(normal.has_value());
  BOOST_TEST(*normal == expected);
}

static const char* const kGarbage[] = {"",        "M6",       "M62.8300X", "M6.2830",
                                       "M62-830", "M62..830", "M62 830",   "é12"};
BOOST_DATA_TEST_CASE(rejects_garbage, data::make(kGarbage), input) {
  BOOST_TEST(!core::normalize_icd10(input).has_value());
}

// ICD-9-CM: E codes take the dot after four characters, the others after three.
BOOST_AUTO_TEST_CASE(prints_icd9_dotted) {
  BOOST_TEST(core::dotted_icd9("E8490") == "E849.0");
  BOOST_TEST(core::dotted_icd9("E8889") == "E888.9");
  BOOST_TEST(core::dotted_icd9("E849") == "E849");
  BOOST_TEST(core::dotted_icd9("25000") == "250.00");
  BOOST_TEST(core::dotted_icd9("V220") == "V22.0");
  BOOST_TEST(core::dotted_icd9("4019") == "401.9");
  BOOST_TEST(core::dotted_code("E8490", true) == "E849.0");
  BOOST_TEST(core::dotted_code("E8490", false) == "E84.90");
}

// Typed input (claimctl waive --scope code): what the product prints, read back. An ICD-9-CM
// E code dotted after its fourth character (E880.9) is the stored E8809; it was refused by
// normalize_icd10 and the waiver never matched.
static const char* const kTyped[] = {"E880.9", "e849.0",  " E880.9 ", "E8809",
                                     "E912",   "M62.830", "V22.0",    "250.00"};
static const char* const kStored[] = {"E8809", "E8490",  "E8809", "E8809",
                                      "E912",  "M62830", "V220",  "25000"};
BOOST_DATA_TEST_CASE(reads_either_spelling, data::make(kTyped) ^ data::make(kStored), input,
                     expected) {
  const auto normal = core::normalize_diagnosis_code(input);
  BOOST_TEST_REQUIRE(normal.has_value());
  BOOST_TEST(*normal == expected);
  BOOST_TEST(core::normalize_diagnosis_code(core::dotted_icd9(*normal)).value_or("") == *normal);
}

static const char* const kNotCodes[] = {"E880.", "E880.99", "E88A.9", "M620.8", "E8.809", ""};
BOOST_DATA_TEST_CASE(refuses_other_dots, data::make(kNotCodes), input) {
  BOOST_TEST(!core::normalize_diagnosis_code(input).has_value());
}

BOOST_AUTO_TEST_CASE(prints_dotted) {
  BOOST_TEST(core::dotted_icd10("M62830") == "M62.830");
  BOOST_TEST(core::dotted_icd10("R69") == "R69");
  BOOST_TEST(core::dotted_icd10("X500XXA") == "X50.0XXA");
}

BOOST_AUTO_TEST_SUITE_END()
