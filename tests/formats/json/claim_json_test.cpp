// Tests for formats/json/claim_json.hpp: the one claim -> JSON serialiser.
#include "formats/json/claim_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include "formats/json/json_reader.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::formats::json {
namespace {

model::Claim back_spasm() {
  const std::string text = testing::read_file(testing::source_dir() / "examples/back-spasm.json");
  std::vector<core::Diagnostic> diagnostics;
  boost::json::error_code error;
  const boost::json::value value = boost::json::parse(text, error);
  BOOST_REQUIRE(!error);
  auto claim = read_claim(value, "", "back-spasm.json", diagnostics);
  BOOST_REQUIRE(claim.has_value());
  BOOST_REQUIRE(diagnostics.empty());
  return *claim;
}

const std::string kCommon =
    R"({"format":"claimaudit.claim/1","claim_id":"1606","kind":"professional","use":"claim",)"
    R"("frequency":"1","replaces":null,"billing_provider":{"npi":"1245319599","tax_id":"123456789"},)"
    R"("payer":{"id":"FLHIN","name":null,"program":"CI"},"payer_kind":"commercial",)";
const std::string kMiddle =
    R"("onset_date":"2024-08-14","statement_period":null,"admission_date":null,)"
    R"("admission_type":null,"place_of_service":null,"facility_type":null,"total_charge":null,)"
    R"("accident":{"cause":"employment","date":"2024-08-14","state":"UT","related_causes":[]},)"
    R"("occurrence_codes":[],"occurrences":[],"occurrence_spans":[],"value_codes":[],)"
    R"("condition_codes":[],"procedures":[],)"
    R"("diagnoses":[{"seq":1,"code":"M62.830","role":"principal","poa":null,"code_system":"icd10cm","qualifier":null},)"
    R"({"seq":2,"code":"X50.0XXA","role":"external_cause","poa":null,"code_system":"icd10cm","qualifier":null}],)"
    R"("lines":[{"seq":1,"procedure":{"system":"CPT","code":"97140","modifiers":["GP"]},)"
    R"("revenue_code":null,"units":"1","unit_basis":null,"charge":"55.00",)"
    R"("service_date":{"from":"2024-08-15","to":"2024-08-15"},"dx_pointers":[1],)"
    R"("place_of_service":null,"body_sites":[],"control_number":null}],)";

}  // namespace

BOOST_AUTO_TEST_SUITE(claim_json)

BOOST_AUTO_TEST_CASE(hides_phi_by_default) {
  const std::string out = boost::json::serialize(claim_to_json(back_spasm(), ShowPhi::kNo));
  BOOST_TEST(out == kCommon + R"("patient":{},)" + kMiddle +
                        R"("notes":[{"kind":"ADD"}],"has_attachment":false})");
}

BOOST_AUTO_TEST_CASE(shows_phi_when_asked) {
  const std::string out = boost::json::serialize(claim_to_json(back_spasm(), ShowPhi::kYes));
  BOOST_TEST(
      out ==
      kCommon +
          R"("patient":{"member_id":null,"last_name":null,"first_name":null,)"
          R"("birth_date":"1946-11-11","sex":"F"},)" +
          kMiddle +
          R"("notes":[{"kind":"ADD","text":"lifting boxes at work"}],"has_attachment":false})");
}

BOOST_AUTO_TEST_CASE(output_reads_back_to_the_same_claim) {
  model::Claim claim = back_spasm();
  claim.patient.member_id = core::Phi<std::string>("W123");
  claim.patient.last_name = core::Phi<std::string>("Doe");
  claim.statement_period =
      model::DateRange{core::Date::from_civil(2024, 8, 15), core::Date::from_civil(2024, 8, 20)};
  claim.diagnoses[0].poa = 'Y';
  claim.diagnoses[1].qualifier = "ABN";
  claim.lines[0].body_sites = {"RT"};
  claim.accident.related_causes = {"EM"};
  const boost::json::object first = claim_to_json(claim, ShowPhi::kYes);
  std::vector<core::Diagnostic> diagnostics;
  auto again = read_claim(first, "/x", "x.json", diagnostics);
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(diagnostics.empty());
  BOOST_TEST(boost::json::serialize(claim_to_json(*again, ShowPhi::kYes)) ==
             boost::json::serialize(first));
  BOOST_TEST(again->diagnoses[1].origin.pointer == "/x/diagnoses/1/code");
  BOOST_TEST(again->lines[0].origin.pointer == "/x/lines/0");
}

BOOST_AUTO_TEST_CASE(unreadable_code_prints_as_sent_and_unknown_values_as_null) {
  model::Claim claim;
  claim.claim_id = "A1";
  model::Diagnosis diagnosis;
  diagnosis.seq = 1;
  diagnosis.raw = "72.1-5";
  claim.diagnoses.push_back(diagnosis);
  claim.frequency = model::Frequency::kReplacement;
  const boost::json::object out = claim_to_json(claim, ShowPhi::kYes);
  BOOST_TEST(
      boost::json::serialize(out.at("diagnoses")) ==
      R"([{"seq":1,"code":"72.1-5","role":"other","poa":null,"code_system":"unknown","qualifier":null}])");
  BOOST_TEST(boost::json::serialize(out.at("kind")) == "null");
  BOOST_TEST(boost::json::serialize(out.at("frequency")) == R"("7")");
  BOOST_TEST(boost::json::serialize(out.at("patient")) == "null");
  BOOST_TEST(boost::json::serialize(out.at("payer_kind")) == "null");
}

BOOST_AUTO_TEST_CASE(renders_diagnostics_with_where) {
  const core::Diagnostic pointer{core::Severity::kWarning,
                                 "W-FHIR-DANGLING-REF",
                                 {"a.json", 12, 5, "/entry/0/resource/careTeam/0"},
                                 "m"};
  BOOST_TEST(
      boost::json::serialize(diagnostic_to_json(pointer)) ==
      R"({"severity":"warning","code":"W-FHIR-DANGLING-REF","where":"/entry/0/resource/careTeam/0","message":"m"})");
  const core::Diagnostic text{core::Severity::kError, "E-JSON-SYNTAX", {"a.json", 3, 7, ""}, "x"};
  BOOST_TEST(where_text(text.where) == "line 3, column 7");
  BOOST_TEST(where_text(core::SourceLocation{"a.json", 0, 0, ""}).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::formats::json
