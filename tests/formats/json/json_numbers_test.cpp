// Whole numbers written as doubles (1.0, 2e0) in the claimaudit.claim/1 integer fields (seq,
// dx_pointers). JSON Schema 2020-12 counts a number with a zero fractional part as an integer,
// so schemas/claim.schema.json accepts them, and Java and Python serialisers write whole doubles
// that way; the reader rejected the claim ("expected an integer, found a number"). A fraction
// (1.5) is still an error. The data file is a fuzz seed too (tests/fuzz/corpus/json/).
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/read_text.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::testing {

BOOST_AUTO_TEST_SUITE(json_numbers)

BOOST_AUTO_TEST_CASE(integral_doubles_are_integers_fractions_are_not) {
  const std::string name = "integral-doubles.json";
  const ReadText read = read_text(read_file(source_dir() / "tests/formats/data/json" / name), name);
  BOOST_TEST(read.rejection == "");
  BOOST_TEST_REQUIRE(read.claims.size() == 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.claim_id == "JD-1");
  BOOST_TEST_REQUIRE(claim.diagnoses.size() == 3u);
  BOOST_TEST(claim.diagnoses[0].seq == 1);
  BOOST_TEST(claim.diagnoses[1].seq == 2);
  BOOST_TEST(claim.diagnoses[1].code == "M62830");
  BOOST_TEST_REQUIRE(claim.lines.size() == 2u);
  BOOST_TEST(claim.lines[0].seq == 1);
  BOOST_TEST(claim.lines[1].seq == 2);
  BOOST_TEST(claim.lines[0].dx_pointers == (std::vector<int>{1, 2}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.lines[1].dx_pointers == (std::vector<int>{2, 1}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.diagnostics.empty());
  // JD-2 (seq 1.5) is not read, for that one reason: its pointer 1, which names the seq that
  // could not be read, is no second problem (it gave a W-JSON-DX-POINTER follow-on).
  const std::vector<std::string> expected = {
      "integral-doubles.json:26:29: /claims/1/diagnoses/0/seq: error E-JSON-TYPE: expected an "
      "integer, found a number"};
  BOOST_TEST(read.batch == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
