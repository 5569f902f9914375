// claimaudit.claim/1 inputs the fixtures lack, read as DOMAIN.md 3.2 and schemas/claim.schema.json
// say: the example of DOMAIN.md 3.2 byte for byte, diagnoses listed out of seq order, repeated
// keys, and dates in the formats people send instead of YYYY-MM-DD.
#include <string>
#include <vector>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "formats/json/claim_json.hpp"
#include "formats/json/json_reader.hpp"
#include "support/read_text.hpp"

namespace claimaudit::formats::json {
namespace {

using Read = testing::ReadText;

Read read_text(const std::string& text) { return testing::read_text(text, "j.json"); }

std::vector<std::string> dx_summary(const model::Claim& claim) {
  std::vector<std::string> out;
  for (const auto& d : claim.diagnoses) {
    out.push_back(std::to_string(d.seq) + " " + d.code + " " +
                  std::string(model::to_string(d.role)) + " " + d.origin.pointer);
  }
  return out;
}

// DOMAIN.md 3.2, as printed there.
const char* const kDomainExample = R"({
  "format": "claimaudit.claim/1", "claim_id": "1606", "kind": "professional", "frequency": "1", "replaces": null,
  "billing_provider": { "npi": "1245319599", "tax_id": "123456789" },
  "payer": { "id": "FLHIN", "program": "CI" },
  "patient": { "birth_date": "1946-11-11", "sex": "F" },
  "onset_date": "2024-08-14", "statement_period": null,
  "accident": { "cause": "employment", "date": "2024-08-14", "state": "UT" },
  "diagnoses": [
    { "seq": 1, "code": "M62.830", "role": "principal" },
    { "seq": 2, "code": "X50.0XXA", "role": "external_cause" }
  ],
  "lines": [
    { "seq": 1, "procedure": { "system": "CPT", "code": "97140", "modifiers": ["GP"] }, "units": "1",
      "charge": "55.00", "service_date": { "from": "2024-08-15", "to": "2024-08-15" }, "dx_pointers": [1] }
  ],
  "notes": [ { "kind": "ADD", "text": "lifting boxes at work" } ]
})";

}  // namespace

BOOST_AUTO_TEST_SUITE(json_conformance)

BOOST_AUTO_TEST_CASE(reads_the_domain_example_as_printed) {
  const Read read = read_text(kDomainExample);
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.batch.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.claim_id == "1606");
  BOOST_TEST(model::to_string(claim.frequency) == "original");
  BOOST_TEST(claim.replaces == "");
  BOOST_TEST(!claim.statement_period.has_value());
  BOOST_TEST(claim.billing_provider.tax_id == "123456789");
  BOOST_TEST(model::to_string(claim.payer.kind) == "commercial");
  BOOST_TEST(claim.onset_date->iso() == "2024-08-14");
  BOOST_TEST(claim.accident.state == "UT");
  BOOST_TEST(
      dx_summary(claim) == (std::vector<std::string>{"1 M62830 principal /diagnoses/0/code",
                                                     "2 X500XXA external_cause /diagnoses/1/code"}),
      boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(claim.lines.size(), 1u);
  BOOST_TEST(claim.lines[0].procedure_qualifier == "CPT");
  BOOST_TEST(claim.lines[0].procedure_code == "97140");
  BOOST_TEST(claim.lines[0].units == "1");
  BOOST_TEST(claim.lines[0].charge == "55.00");
  BOOST_TEST(claim.lines[0].service_dates->to.iso() == "2024-08-15");
  BOOST_TEST(claim.notes.at(0).kind == "ADD");
}

BOOST_AUTO_TEST_CASE(diagnoses_are_kept_in_seq_order_and_seq_1_is_first_listed) {
  // seq is the position rules read (seq 1 = first-listed): listed backwards, without roles,
  // the principal is M62.830 (seq 2, the first non-external one), not the first array entry.
  const Read read = read_text(R"({"format": "claimaudit.claim/1", "claim_id": "O1",
    "diagnoses": [{"seq": 3, "code": "M54.50"}, {"seq": 2, "code": "M62.830"},
                  {"seq": 1, "code": "X50.0XXA"}],
    "lines": [{"seq": 1, "dx_pointers": [2, 3], "service_date": {"from": "2024-08-15"}}]})");
  BOOST_TEST(read.batch.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(dx_summary(read.claims[0]) ==
                 (std::vector<std::string>{"1 X500XXA external_cause /diagnoses/2/code",
                                           "2 M62830 principal /diagnoses/1/code",
                                           "3 M5450 other /diagnoses/0/code"}),
             boost::test_tools::per_element());
  BOOST_TEST(read.claims[0].lines[0].dx_pointers == (std::vector<int>{2, 3}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_repeated_key_holds_back_its_claim_or_the_whole_document) {
  // One claim: it is not read, so the file has nothing auditable.
  Read read = read_text(
      R"({"format": "claimaudit.claim/1", "claim_id": "A", "diagnoses": [], "claim_id": "B"})");
  BOOST_TEST(read.claims.empty());
  BOOST_TEST(read.rejection ==
             "j.json:1:46: /claim_id: error E-JSON-DUPLICATE-KEY: key repeated in one object "
             "(which value counts is undefined); the claim is not read");
  // In a batch: only the claim that holds it.
  read = read_text(R"({"format": "claimaudit.claim/1", "claims": [
    {"claim_id": "A"},
    {"claim_id": "B", "lines": [{"seq": 1, "units": "1", "units": "2"}]},
    {"claim_id": "C"}]})");
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.batch == (std::vector<std::string>{
                               "j.json:3:53: /claims/1/lines/0/units: error "
                               "E-JSON-DUPLICATE-KEY: key repeated in one object (which value "
                               "counts is undefined); the claim is not read"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 2u);
  BOOST_TEST(read.claims[0].claim_id == "A");
  BOOST_TEST(read.claims[1].claim_id == "C");
  // Two "claims" arrays: which batch is meant is unknowable.
  read = read_text(R"({"format": "claimaudit.claim/1", "claims": [{"claim_id": "A"}],
    "claims": [{"claim_id": "B"}]})");
  BOOST_TEST(read.claims.empty());
  BOOST_TEST(read.rejection ==
             "j.json:1:44: /claims: error E-JSON-DUPLICATE-KEY: key repeated in one object "
             "(which value counts is undefined); the document is ambiguous and not read");
}

struct BadDate {
  std::string text;
};
std::ostream& operator<<(std::ostream& out, const BadDate& d) { return out << d.text; }

// Dates as people write them instead of ISO YYYY-MM-DD: each is an error at its pointer.
const std::vector<BadDate> kBadDates = {{"08/15/2024"},           {"2024-8-15"}, {"20240815"},
                                        {"2024-08-15T00:00:00Z"}, {"2024-08"},   {"2024-02-30"}};

BOOST_DATA_TEST_CASE(dates_must_be_iso_calendar_dates, boost::unit_test::data::make(kBadDates),
                     date) {
  const Read read = read_text(
      R"({"format": "claimaudit.claim/1", "claim_id": "D", "lines": [{"seq": 1, "service_date": {"from": ")" +
      date.text + R"("}}]})");
  BOOST_TEST(read.claims.empty());
  BOOST_TEST(read.rejection ==
             "j.json:1:97: /lines/0/service_date/from: error E-JSON-DATE: "
             "expected a calendar date YYYY-MM-DD, found \"" +
                 date.text + "\"");
}

BOOST_AUTO_TEST_CASE(a_claim_without_any_date_is_read_for_the_rules_to_report) {
  const Read read = read_text(R"({"format": "claimaudit.claim/1", "claim_id": "N",
    "diagnoses": [{"seq": 1, "code": "M62.830"}], "lines": [{"seq": 1, "dx_pointers": [1]}]})");
  BOOST_TEST(read.batch.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(model::service_dates(read.claims[0]).empty());
}

BOOST_AUTO_TEST_CASE(icd9_e_codes_read_back_as_claim_to_json_prints_them) {
  const Read read = read_text(R"({"format": "claimaudit.claim/1", "claim_id": "E9",
    "diagnoses": [{"seq": 1, "code": "724.2", "code_system": "icd9cm"},
                  {"seq": 2, "code": "E849.0", "code_system": "icd9cm"}]})");
  BOOST_TEST(read.batch.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  // An ICD-9-CM E code is an external cause (a V code would be a status code).
  BOOST_TEST(dx_summary(read.claims[0]) ==
                 (std::vector<std::string>{"1 7242 principal /diagnoses/0/code",
                                           "2 E8490 external_cause /diagnoses/1/code"}),
             boost::test_tools::per_element());
  const boost::json::object printed = claim_to_json(read.claims[0], ShowPhi::kNo);
  const auto& diagnoses = printed.at("diagnoses").as_array();
  BOOST_TEST(diagnoses.at(1).as_object().at("code").as_string() == "E849.0");
  std::vector<core::Diagnostic> diagnostics;
  const auto back = read_claim(boost::json::value(printed), "", "p.json", diagnostics);
  BOOST_TEST(diagnostics.empty());
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST(back->diagnoses.at(1).code == "E8490");
  // Under ICD-10-CM the same spelling is no code.
  const Read icd10 = read_text(R"({"format": "claimaudit.claim/1", "claim_id": "E10",
    "diagnoses": [{"seq": 1, "code": "E849.0"}]})");
  BOOST_TEST(icd10.claims.empty());
  BOOST_TEST(icd10.rejection ==
             "j.json:2:38: /diagnoses/0/code: error E-JSON-CODE: \"E849.0\" is not spelled like "
             "an ICD-10-CM code (3 to 7 letters and digits, one optional dot after the third)");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::formats::json
