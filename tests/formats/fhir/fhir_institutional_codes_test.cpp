// 837I codes that are no diagnoses, as FHIR R4 and claimaudit JSON carry them: occurrence codes
// with their dates, occurrence spans, value codes with their amounts (FHIR supportingInfo
// categories occurrence, occurrencespan and value, also written occurrencecode ... as senders
// do), and principal and other procedures (FHIR Claim.procedure, JSON "procedures"). The FHIR
// reader read none of them: an institutional Claim with occurrence code 04 (employment related)
// did not escalate dx.missing_precipitating_factor as the same 837I does (DOMAIN.md 4.6).
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include "formats/json/claim_json.hpp"
#include "support/read_text.hpp"

namespace claimaudit::testing {
namespace {

std::string institutional(const std::string& extra) {
  return R"({"resourceType": "Claim", "id": "i1",
"identifier": [{"system": "urn:x", "value": "CLM-I"}], "status": "active",
"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "institutional"}]},
"use": "claim", "patient": {"reference": "Patient/1"}, "created": "2024-09-01",
"provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}},
"priority": {"coding": [{"code": "normal"}]},
"insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "Coverage/1"}}],
"billablePeriod": {"start": "2024-08-01", "end": "2024-08-05"},
"diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "S72.001A"}]}}],
)" + extra +
         R"(
"item": [{"sequence": 1, "revenue": {"coding": [{"code": "0120"}]}, "productOrService": {"coding": [{"code": "0120"}]}}]})";
}

std::string supporting(const std::string& category, const std::string& rest) {
  return R"({"sequence": 1, "category": {"coding": [{"system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType", "code": ")" +
         category + R"("}]}, )" + rest + "}";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fhir_institutional_codes)

BOOST_AUTO_TEST_CASE(supporting_info_occurrence_span_and_value_codes) {
  const std::string info =
      R"("supportingInfo": [)" +
      supporting(
          "occurrence",
          R"("code": {"coding": [{"system": "https://www.nubc.org/CodeSystem/OccurrenceCodes", "code": "04"}]}, "timingDate": "2024-07-31")") +
      ", " + supporting("OccurrenceCode", R"("code": {"coding": [{"code": "11"}]})") + ", " +
      supporting(
          "occurrencespan",
          R"("code": {"coding": [{"code": "74"}]}, "timingPeriod": {"start": "2024-07-01", "end": "2024-07-05"})") +
      ", " +
      supporting("value",
                 R"("code": {"coding": [{"code": "80"}]}, "valueQuantity": {"value": 4})") +
      ", " + supporting("occurrence", R"("timingDate": "2024-07-31")") + "],";
  const ReadText read = read_text(institutional(info), "i.json");
  BOOST_TEST(read.rejection == "");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& c = read.claims[0];
  BOOST_TEST(c.occurrence_codes == (std::vector<std::string>{"04", "11", "74"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(c.occurrences.size(), 2u);
  BOOST_TEST(c.occurrences[0].date->iso() == "2024-07-31");
  BOOST_TEST(c.occurrences[0].origin.pointer == "/supportingInfo/0/code");
  BOOST_TEST(!c.occurrences[1].date.has_value());
  BOOST_REQUIRE_EQUAL(c.occurrence_spans.size(), 1u);
  BOOST_TEST(c.occurrence_spans[0].period->from.iso() == "2024-07-01");
  BOOST_TEST(c.occurrence_spans[0].period->to.iso() == "2024-07-05");
  BOOST_REQUIRE_EQUAL(c.value_codes.size(), 1u);
  BOOST_TEST(c.value_codes[0].code == "80");
  BOOST_TEST(c.value_codes[0].amount == "4");
  BOOST_TEST(
      rendered(c.diagnostics) ==
          (std::vector<std::string>{
              "i.json:10:941: /supportingInfo/4/code: warning W-FHIR-MISSING: supportingInfo "
              "category occurrence without a code; not read"}),
      boost::test_tools::per_element());
}

// CARIN BB's admissionperiod and admtype categories give the admission date (837I DTP*435) and
// the type of admission (CL101); they were not read.
BOOST_AUTO_TEST_CASE(supporting_info_admission_period_and_type) {
  const std::string info =
      R"("supportingInfo": [)" +
      supporting("admissionperiod",
                 R"("timingPeriod": {"start": "2024-08-01", "end": "2024-08-05"})") +
      ", " +
      supporting(
          "admtype",
          R"("code": {"coding": [{"system": "https://www.nubc.org/CodeSystem/PriorityTypeOfAdmitOrVisit", "code": "2"}]})") +
      "],";
  const ReadText read = read_text(institutional(info), "a.json");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& c = read.claims[0];
  BOOST_TEST(c.admission_date->iso() == "2024-08-01");
  BOOST_TEST(c.admission_type == "2");
  BOOST_TEST(rendered(c.diagnostics).empty());
}

BOOST_AUTO_TEST_CASE(claim_procedures) {
  const std::string procedures = R"("procedure": [
 {"sequence": 1, "type": [{"coding": [{"system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimProcedureType", "code": "principal"}]}], "date": "2024-08-02",
  "procedureCodeableConcept": {"coding": [{"system": "http://www.cms.gov/Medicare/Coding/ICD10", "code": "0SRR0J9"}]}},
 {"sequence": 2, "procedureCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-9-cm", "code": "88.56"}]}},
 {"sequence": 3, "procedureReference": {"reference": "Procedure/p3"}}],)";
  const ReadText read = read_text(institutional(procedures), "p.json");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& c = read.claims[0];
  BOOST_REQUIRE_EQUAL(c.procedures.size(), 2u);
  BOOST_TEST(c.procedures[0].seq == 1);
  BOOST_TEST(c.procedures[0].code == "0SRR0J9");
  BOOST_TEST(c.procedures[0].principal);
  BOOST_TEST(model::to_string(c.procedures[0].system) == "icd10pcs");
  BOOST_TEST(c.procedures[0].date->iso() == "2024-08-02");
  BOOST_TEST(c.procedures[0].origin.pointer ==
             "/procedure/0/procedureCodeableConcept/coding/0/code");
  BOOST_TEST(c.procedures[1].code == "8856");
  BOOST_TEST(c.procedures[1].raw == "88.56");
  BOOST_TEST(!c.procedures[1].principal);
  BOOST_TEST(model::to_string(c.procedures[1].system) == "icd9cm");
}

// procedure.sequence is an R4 positiveInt. One beyond int64 (a JSON integer the parser keeps as
// uint64) threw from the reader: "internal error", the whole file failed (and, retried, was
// poisoned) with every other claim in it. Now it is a located warning and the entry's position
// is its seq; so is a zero or negative one (it was kept as sent).
BOOST_AUTO_TEST_CASE(procedure_sequence_out_of_range_is_a_warning_not_an_internal_error) {
  const std::string procedures = R"("procedure": [
 {"sequence": 18446744073709551615, "procedureCodeableConcept": {"coding": [{"system": "http://www.cms.gov/Medicare/Coding/ICD10", "code": "0SRR0J9"}]}},
 {"sequence": 0, "procedureCodeableConcept": {"coding": [{"system": "http://www.cms.gov/Medicare/Coding/ICD10", "code": "0QS604Z"}]}}],)";
  const ReadText read = read_text(institutional(procedures), "p.json");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& c = read.claims[0];
  BOOST_REQUIRE_EQUAL(c.procedures.size(), 2u);
  BOOST_TEST(c.procedures[0].seq == 1);
  BOOST_TEST(c.procedures[1].seq == 2);
  std::vector<std::string> sequences;
  for (const std::string& line : rendered(c.diagnostics)) {
    if (line.find("/sequence") != std::string::npos)
      sequences.push_back(line.substr(line.find(' ') + 1));
  }
  BOOST_TEST(
      sequences == (std::vector<std::string>{
                       "/procedure/0/sequence: warning W-FHIR-IGNORED: expected a positive integer "
                       "sequence; position 1 used",
                       "/procedure/1/sequence: warning W-FHIR-IGNORED: expected a positive integer "
                       "sequence; position 2 used"}),
      boost::test_tools::per_element());
}

// claimaudit JSON: occurrences, occurrence_spans, value_codes and procedures are read, and the
// printed claim reads back the same; occurrence_codes alone (older documents) still reads, and
// beside the detailed lists it must name the same codes.
BOOST_AUTO_TEST_CASE(claimaudit_json_round_trip) {
  const std::string text =
      R"({"format": "claimaudit.claim/1", "claim_id": "J1", "kind": "institutional",
 "statement_period": {"from": "2024-08-01", "to": "2024-08-05"},
 "occurrences": [{"code": "04", "date": "2024-07-31"}, {"code": "11"}],
 "occurrence_spans": [{"code": "74", "period": {"from": "2024-07-01", "to": "2024-07-05"}}],
 "value_codes": [{"code": "80", "amount": "4"}],
 "procedures": [{"seq": 1, "code": "0SRR0J9", "system": "icd10pcs", "role": "principal", "date": "2024-08-02"}],
 "diagnoses": [{"seq": 1, "code": "S72.001A", "role": "principal"}]})";
  const ReadText read = read_text(text, "j.json");
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.batch.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& c = read.claims[0];
  BOOST_TEST(c.occurrence_codes == (std::vector<std::string>{"04", "11", "74"}),
             boost::test_tools::per_element());
  BOOST_TEST(c.occurrences.at(0).date->iso() == "2024-07-31");
  BOOST_TEST(c.occurrence_spans.at(0).period->to.iso() == "2024-07-05");
  BOOST_TEST(c.value_codes.at(0).amount == "4");
  BOOST_TEST(c.procedures.at(0).principal);
  BOOST_TEST(c.procedures.at(0).origin.pointer == "/procedures/0/code");

  const ReadText again = read_text(
      boost::json::serialize(formats::json::claim_to_json(c, formats::json::ShowPhi::kNo)),
      "again.json");
  BOOST_TEST(again.batch.empty());
  BOOST_REQUIRE_EQUAL(again.claims.size(), 1u);
  BOOST_TEST(boost::json::serialize(
                 formats::json::claim_to_json(again.claims[0], formats::json::ShowPhi::kNo)) ==
             boost::json::serialize(formats::json::claim_to_json(c, formats::json::ShowPhi::kNo)));

  const ReadText legacy =
      read_text(R"({"format": "claimaudit.claim/1", "claim_id": "J2", "occurrence_codes": ["04"]})",
                "l.json");
  BOOST_REQUIRE_EQUAL(legacy.claims.size(), 1u);
  BOOST_TEST(legacy.claims[0].occurrence_codes == std::vector<std::string>{"04"});

  const ReadText contradicting = read_text(
      R"({"format": "claimaudit.claim/1", "claim_id": "J3", "occurrence_codes": ["05"], "occurrences": [{"code": "04"}]})",
      "c.json");
  BOOST_TEST(contradicting.claims.empty());
  BOOST_TEST(contradicting.batch ==
                 (std::vector<std::string>{
                     "c.json:1:72: /occurrence_codes: error E-JSON-VALUE: occurrence_codes holds "
                     "the codes "
                     "of occurrences and occurrence_spans; it names other codes than they do (send "
                     "one or the other, or the same codes)"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
