// The claim id of a FHIR Claim (DOMAIN.md 3.1: identifier[0].value, else id) keys the claim in
// the store (billing NPI + claim id, DOMAIN.md 7.1) and in its findings' fingerprints (2.6). A
// Claim with neither was read with an empty claim id, so every such Claim of a billing provider
// was the same claim: false duplicates, a void closing another claim's findings, findings taken
// as already known. In a Bundle the entry's fullUrl is taken instead (W-FHIR-CLAIM-ID); a Claim
// without one either is not audited (E-FHIR-CLAIM-ID), and the others of the file still are.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/read_text.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::testing {
namespace {

ReadText read_data(const std::string& name) {
  return read_text(read_file(source_dir() / "tests/formats/data/fhir" / name), name);
}

std::vector<std::string> claim_ids(const ReadText& read) {
  std::vector<std::string> out;
  for (const auto& claim : read.claims) out.push_back(claim.claim_id);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fhir_claim_id)

// Entries 0 and 1: no identifier, no id, each its own fullUrl. Entry 2: none of the three.
// Entry 3: identifier, id and fullUrl; entry 4: id and fullUrl.
BOOST_AUTO_TEST_CASE(a_claim_without_identifier_and_id_takes_its_entry_full_url) {
  const ReadText read = read_data("bundle-claims-without-id.json");
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.summary.claims == 4);
  BOOST_TEST(
      claim_ids(read) == (std::vector<std::string>{"urn:uuid:3f0b6c1e-8d2a-4b7e-9c41-0a5d2e7f1001",
                                                   "urn:uuid:3f0b6c1e-8d2a-4b7e-9c41-0a5d2e7f1002",
                                                   "CLM-4", "res-5"}),
      boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 4u);
  BOOST_TEST(rendered(read.claims[0].diagnostics) ==
                 (std::vector<std::string>{
                     "bundle-claims-without-id.json:7:16: /entry/0/resource: warning "
                     "W-FHIR-CLAIM-ID: Claim has neither "
                     "identifier[0].value nor id; its Bundle entry's fullUrl (/entry/0/fullUrl) is "
                     "taken as the claim id"}),
             boost::test_tools::per_element());
  BOOST_TEST(rendered(read.claims[1].diagnostics) ==
                 (std::vector<std::string>{
                     "bundle-claims-without-id.json:130:16: /entry/1/resource: warning "
                     "W-FHIR-CLAIM-ID: Claim has neither "
                     "identifier[0].value nor id; its Bundle entry's fullUrl (/entry/1/fullUrl) is "
                     "taken as the claim id"}),
             boost::test_tools::per_element());
  BOOST_TEST(read.claims[2].diagnostics.empty());
  BOOST_TEST(read.claims[3].diagnostics.empty());
}

BOOST_AUTO_TEST_CASE(a_claim_without_any_id_is_an_error_and_the_others_are_read) {
  const ReadText read = read_data("bundle-claims-without-id.json");
  BOOST_TEST(
      read.batch ==
          (std::vector<std::string>{
              "bundle-claims-without-id.json:252:16: /entry/2/resource: error E-FHIR-CLAIM-ID: "
              "Claim has neither identifier[0].value, id nor a Bundle entry fullUrl: no claim id "
              "to tell it "
              "from other claims (duplicates, replacements, voids); the claim is not audited"}),
      boost::test_tools::per_element());
  BOOST_TEST(read.claims.size() == 4u);
  for (const auto& claim : read.claims) BOOST_TEST(claim.origin.pointer != "/entry/2/resource");
}

BOOST_AUTO_TEST_CASE(a_bare_claim_without_any_id_is_the_rejection) {
  const ReadText read = read_text(
      R"({"resourceType": "Claim", "status": "active", "use": "claim",
  "identifier": [{"system": "http://clinic.example.org/claims"}]})",
      "bare.json");
  BOOST_TEST(read.claims.empty());
  BOOST_TEST(read.rejection ==
             "bare.json: error E-FHIR-CLAIM-ID: "
             "Claim has neither identifier[0].value, id nor a Bundle entry fullUrl: no claim id to "
             "tell it "
             "from other claims (duplicates, replacements, voids); the claim is not audited");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
