// Conformant FHIR R4 inputs the shipped samples lack, each read as the standard says (hl7.org
// FHIR R4 Claim, Bundle, References, JSON): diagnoses in sequence order, billing codes among
// local codings, contained resources of Bundle entries, every Bundle type, partial dates,
// withdrawn claims, type of bill against `related`, code system OIDs, repeated keys, nesting
// depth, and key orders that put "resourceType" late.
#include <string>
#include <vector>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "formats/fhir/fhir_reader.hpp"
#include "support/read_text.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::formats::fhir {
namespace {

using Read = testing::ReadText;

Read read_text(const std::string& text) { return testing::read_text(text, "c.json"); }

using testing::rendered;

std::vector<std::string> dx_summary(const model::Claim& claim) {
  std::vector<std::string> out;
  for (const auto& d : claim.diagnoses) {
    out.push_back(std::to_string(d.seq) + " " + (d.code.empty() ? "(" + d.raw + ")" : d.code) +
                  " " + std::string(model::to_string(d.role)) + " " +
                  std::string(model::to_string(d.code_system)));
  }
  return out;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return text;
}

// A bare Claim (one line per top-level member, so line numbers are stable): diagnoses listed
// out of sequence order, one through a contained Condition, one with SNOMED, WHO and US codings;
// a local product code before the CPT one; payer through a contained Coverage whose payor is
// another contained resource.
const char* const kBareClaim = R"({"resourceType": "Claim", "id": "c1",
"identifier": [{"system": "urn:x", "value": "CLM-1"}], "status": "active",
"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
"use": "claim", "patient": {"reference": "#p"}, "created": "2024-08-20",
"provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}},
"priority": {"coding": [{"code": "normal"}]},
"contained": [{"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1970-01-01"},
 {"resourceType": "Coverage", "id": "cov", "status": "active", "beneficiary": {"reference": "#p"}, "payor": [{"reference": "#org"}]},
 {"resourceType": "Organization", "id": "org", "identifier": [{"value": "PAYER1"}], "name": "Payer One"},
 {"resourceType": "Condition", "id": "cond1", "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.50"}]}}],
"insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "#cov"}}],
"billablePeriod": {"start": "2024-08-15", "end": "2024-08-16"},
"diagnosis": [
 {"sequence": 3, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "X50.0XXA"}]}},
 {"sequence": 2, "diagnosisReference": {"reference": "#cond1"}},
 {"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "90560007"}, {"system": "http://hl7.org/fhir/sid/icd-10", "code": "M62.83"}, {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62830"}]}, "type": [{"coding": [{"code": "discharge"}]}]}],
"item": [{"sequence": 1, "diagnosisSequence": [1, 3], "productOrService": {"coding": [{"system": "urn:local", "code": "PT-1"}, {"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]},
 "modifier": [{"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "GP"}]}, {"coding": [{"code": "RT"}]}],
 "locationCodeableConcept": {"coding": [{"system": "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set", "code": "11"}]},
 "quantity": {"value": 2}, "net": {"value": 110.5, "currency": "USD"}}]})";

}  // namespace

BOOST_AUTO_TEST_SUITE(fhir_conformance)

BOOST_AUTO_TEST_CASE(diagnoses_follow_sequence_not_array_order) {
  const Read read = read_text(kBareClaim);
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.batch.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.claim_id == "CLM-1");
  // Sequence 1 is first-listed and, with no principal type, the principal one; the US coding
  // wins over SNOMED and WHO ICD-10 in the same concept.
  BOOST_TEST(dx_summary(claim) ==
                 (std::vector<std::string>{"1 M62830 principal icd10cm", "2 M5450 other icd10cm",
                                           "3 X500XXA external_cause icd10cm"}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.diagnoses[0].origin.pointer ==
             "/diagnosis/2/diagnosisCodeableConcept/coding/2/code");
  BOOST_TEST(claim.diagnoses[0].qualifier == "http://hl7.org/fhir/sid/icd-10-cm");
  BOOST_TEST(claim.diagnoses[1].origin.pointer == "/contained/3/code/coding/0/code");
  BOOST_TEST(claim.diagnoses[2].origin.pointer ==
             "/diagnosis/0/diagnosisCodeableConcept/coding/0/code");
  BOOST_REQUIRE_EQUAL(claim.lines.size(), 1u);
  const model::ServiceLine& line = claim.lines[0];
  BOOST_TEST(line.procedure_qualifier == "CPT");
  BOOST_TEST(line.procedure_code == "97140");
  BOOST_TEST(line.modifiers == (std::vector<std::string>{"GP", "RT"}),
             boost::test_tools::per_element());
  BOOST_TEST(line.place_of_service == "11");
  BOOST_TEST(line.units == "2");
  BOOST_TEST(line.charge == "110.50");
  BOOST_TEST(line.dx_pointers == (std::vector<int>{1, 3}), boost::test_tools::per_element());
  // No item date: billablePeriod.start is the date of service.
  BOOST_TEST(!line.service_dates.has_value());
  BOOST_REQUIRE(claim.statement_period.has_value());
  BOOST_TEST(claim.statement_period->from.iso() == "2024-08-15");
  BOOST_TEST(claim.statement_period->to.iso() == "2024-08-16");
  const std::vector<core::Date> dates = model::service_dates(claim);
  BOOST_REQUIRE_EQUAL(dates.size(), 1u);
  BOOST_TEST(dates[0].iso() == "2024-08-15");
  // Coverage (#cov) -> payor #org: both contained in the Claim.
  BOOST_TEST(claim.payer.id == "PAYER1");
  BOOST_TEST(claim.payer.name == "Payer One");
  BOOST_TEST(claim.payer.origin.pointer == "/contained/2");
  BOOST_TEST(claim.billing_provider.npi == "1245319599");
  BOOST_TEST(claim.patient.sex.reveal() == 'F');
  BOOST_TEST(rendered(claim.diagnostics).empty());
}

BOOST_AUTO_TEST_CASE(principal_outranks_admitting_and_a_repeated_sequence_is_reported) {
  std::string text = kBareClaim;
  text = replace_all(text, R"("type": [{"coding": [{"code": "discharge"}]}])",
                     R"("type": [{"coding": [{"code": "admitting"}]}, )"
                     R"({"coding": [{"code": "principal"}]}])");
  text = replace_all(text, R"({"sequence": 2, "diagnosisReference")",
                     R"({"sequence": 3, "diagnosisReference")");
  const Read read = read_text(text);
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(dx_summary(claim) == (std::vector<std::string>{"1 M62830 principal icd10cm",
                                                            "3 X500XXA external_cause icd10cm",
                                                            "3 M5450 other icd10cm"}),
             boost::test_tools::per_element());
  BOOST_TEST(rendered(claim.diagnostics) ==
                 (std::vector<std::string>{
                     "c.json:15:15: /diagnosis/1/sequence: warning W-FHIR-DX-SEQUENCE: "
                     "diagnosis.sequence 3 is used twice; item.diagnosisSequence pointers to it "
                     "are ambiguous"}),
             boost::test_tools::per_element());
}

// Every Bundle type carries Claims in entry.resource; other resources are skipped or used as
// reference targets. The Coverage is a Bundle entry whose payor is contained in the Coverage:
// "#payorg" resolves inside the Coverage, not inside the Claim.
const char* const kBundleTemplate = R"({"resourceType": "Bundle", "type": "%TYPE%", "entry": [
{"fullUrl": "urn:uuid:55555555-5555-4555-8555-555555555555", "resource": {"resourceType": "MessageHeader", "eventCoding": {"code": "claim"}, "source": {"endpoint": "urn:x"}, "focus": [{"reference": "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001"}]}},
{"fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111", "resource": {"resourceType": "Patient", "id": "pat", "gender": "male", "birthDate": "1960-05-05"}, "request": {"method": "POST", "url": "Patient"}, "search": {"mode": "include"}},
{"fullUrl": "urn:uuid:22222222-2222-4222-8222-222222222222", "resource": {"resourceType": "Coverage", "id": "cov", "status": "active", "type": {"coding": [{"system": "https://x12.org/005010/1032", "code": "WC"}]}, "payor": [{"reference": "#payorg"}], "contained": [{"resourceType": "Organization", "id": "payorg", "identifier": [{"value": "PAY-CONT"}], "name": "Contained Payer"}]}, "request": {"method": "POST", "url": "Coverage"}},
{"fullUrl": "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", "resource": {"resourceType": "Claim", "id": "a", "identifier": [{"value": "ID-A"}], "status": "active", "type": {"coding": [{"code": "professional"}]}, "use": "claim", "patient": {"reference": "urn:uuid:11111111-1111-4111-8111-111111111111"}, "created": "2024-08-20", "provider": {"reference": "Organization/prov"}, "priority": {"coding": [{"code": "normal"}]}, "insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "urn:uuid:22222222-2222-4222-8222-222222222222"}}], "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62.830"}]}}], "item": [{"sequence": 1, "diagnosisSequence": [1], "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]}, "servicedDate": "2024-08-15"}]}, "request": {"method": "POST", "url": "Claim"}, "search": {"mode": "match"}},
{"fullUrl": "http://example.org/fhir/Organization/prov", "resource": {"resourceType": "Organization", "id": "prov", "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}]}, "request": {"method": "POST", "url": "Organization"}},
{"fullUrl": "urn:uuid:33333333-3333-4333-8333-333333333333", "resource": {"resourceType": "Encounter", "id": "enc", "status": "finished", "class": {"code": "AMB"}}},
{"fullUrl": "urn:uuid:44444444-4444-4444-8444-444444444444", "resource": {"resourceType": "ClaimResponse", "id": "cr", "status": "active"}},
{"fullUrl": "urn:uuid:aaaaaaaa-0000-4000-8000-000000000002", "resource": {"resourceType": "Claim", "id": "b", "identifier": [{"value": "ID-B"}], "status": "active", "type": {"coding": [{"code": "professional"}]}, "use": "claim", "patient": {"reference": "urn:uuid:11111111-1111-4111-8111-111111111111"}, "created": "2024-08-20", "provider": {"reference": "http://example.org/fhir/Organization/prov"}, "priority": {"coding": [{"code": "normal"}]}, "insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "urn:uuid:22222222-2222-4222-8222-222222222222"}}], "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.50"}]}}], "item": [{"sequence": 1, "diagnosisSequence": [1], "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97110"}]}, "servicedDate": "2024-08-16"}]}}
]})";

const std::vector<std::string> kBundleTypes = {"collection", "transaction", "batch", "searchset",
                                               "message"};

BOOST_DATA_TEST_CASE(every_bundle_type_yields_its_claims_with_references_resolved,
                     boost::unit_test::data::make(kBundleTypes), type) {
  const Read read = read_text(replace_all(kBundleTemplate, "%TYPE%", type));
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.batch.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 2u);
  const std::vector<std::string> ids = {"ID-A", "ID-B"};
  const std::vector<std::string> codes = {"M62830", "M5450"};
  for (std::size_t i = 0; i < 2; ++i) {
    const model::Claim& claim = read.claims[i];
    BOOST_TEST(claim.claim_id == ids[i]);
    BOOST_TEST(claim.origin.pointer == (i == 0 ? "/entry/3/resource" : "/entry/7/resource"));
    BOOST_TEST(claim.diagnoses.at(0).code == codes[i]);
    BOOST_TEST(claim.billing_provider.npi == "1245319599");
    BOOST_TEST(claim.billing_provider.origin.pointer == "/entry/4/resource/identifier/0/value");
    BOOST_TEST(claim.payer.id == "PAY-CONT");
    BOOST_TEST(claim.payer.name == "Contained Payer");
    BOOST_TEST(claim.payer.origin.pointer == "/entry/2/resource/contained/0");
    BOOST_TEST(claim.payer.filing_indicator == "WC");
    BOOST_TEST(claim.patient.origin.pointer == "/entry/1/resource");
    BOOST_TEST(claim.patient.sex.reveal() == 'M');
    BOOST_TEST(rendered(claim.diagnostics).empty());
  }
}

BOOST_AUTO_TEST_CASE(one_broken_claim_is_reported_at_its_pointer_and_the_others_are_read) {
  // Entry 3's diagnosis 0 has a string where R4 has a list of Codings.
  std::string text = replace_all(
      kBundleTemplate,
      R"({"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62.830"}]})",
      R"({"coding": "M62.830"})");
  text = replace_all(text, "%TYPE%", "collection");
  const Read read = read_text(text);
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.batch == (std::vector<std::string>{
                               "c.json:5:616: /entry/3/resource/diagnosis/0/"
                               "diagnosisCodeableConcept/coding: error E-FHIR-TYPE: expected an "
                               "array, found a string"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].claim_id == "ID-B");
}

BOOST_AUTO_TEST_CASE(partial_dates_are_valid_fhir_but_no_date_of_service) {
  std::string text = replace_all(kBundleTemplate, "%TYPE%", "collection");
  text = replace_all(text, R"("servicedDate": "2024-08-15")", R"("servicedDate": "2024-08")");
  text = replace_all(text, R"("servicedDate": "2024-08-16")",
                     R"("servicedPeriod": {"start": "2024", "end": "2024-08-20"})");
  const Read read = read_text(text);
  BOOST_TEST(read.rejection == "");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 2u);
  for (const model::Claim& claim : read.claims) {
    BOOST_TEST(!claim.lines.at(0).service_dates.has_value());
    BOOST_TEST(model::service_dates(claim).empty());
  }
  BOOST_TEST(rendered(read.claims[0].diagnostics) ==
                 (std::vector<std::string>{
                     "c.json:5:853: /entry/3/resource/item/0/servicedDate: warning W-FHIR-DATE: "
                     "partial date (no day); not used as a date"}),
             boost::test_tools::per_element());
  BOOST_TEST(rendered(read.claims[1].diagnostics) ==
                 (std::vector<std::string>{
                     "c.json:9:888: /entry/7/resource/item/0/servicedPeriod/start: warning "
                     "W-FHIR-DATE: partial date (no day); not used as a date"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_date_that_is_no_date_still_holds_the_claim_back) {
  std::string text = replace_all(kBundleTemplate, "%TYPE%", "collection");
  text = replace_all(text, R"("servicedDate": "2024-08-15")", R"("servicedDate": "2024-02-30")");
  const Read read = read_text(text);
  BOOST_TEST(read.batch == (std::vector<std::string>{
                               "c.json:5:853: /entry/3/resource/item/0/servicedDate: error "
                               "E-FHIR-DATE: expected a full date YYYY-MM-DD"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].claim_id == "ID-B");
}

BOOST_AUTO_TEST_CASE(cancelled_and_entered_in_error_claims_are_not_audited_drafts_are) {
  std::string text = replace_all(kBundleTemplate, "%TYPE%", "collection");
  text = replace_all(text, R"("id": "a", "identifier": [{"value": "ID-A"}], "status": "active")",
                     R"("id": "a", "identifier": [{"value": "ID-A"}], "status": "cancelled")");
  text = replace_all(text, R"("id": "b", "identifier": [{"value": "ID-B"}], "status": "active")",
                     R"("id": "b", "identifier": [{"value": "ID-B"}], "status": "draft")");
  const Read read = read_text(text);
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.batch == (std::vector<std::string>{
                               "c.json:5:156: /entry/3/resource/status: warning "
                               "W-FHIR-NOT-AUDITED: Claim.status is \"cancelled\": the claim is "
                               "not audited"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].claim_id == "ID-B");

  const Read alone = read_text(R"({"resourceType": "Claim", "id": "x", "status": "entered-in-error",
    "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"code": "R69"}]}}]})");
  BOOST_TEST(alone.claims.empty());
  BOOST_TEST(alone.rejection ==
             "c.json:1:48: /status: error E-FHIR-NO-CLAIM: no Claim to audit: the Claim is "
             "cancelled or entered-in-error");
}

struct Frequency {
  std::string name;
  std::string members;  // Spliced into a bare Claim.
  std::string frequency;
  std::string frequency_code;
  std::string replaces;
};
std::ostream& operator<<(std::ostream& out, const Frequency& f) { return out << f.name; }

const std::vector<Frequency> kFrequencies = {
    // R4 ex-relatedclaimrelationship "prior": this claim follows an earlier one.
    {"related_prior_is_a_replacement",
     R"("related": [{"claim": {"identifier": {"value": "PAYER-1"}}, "relationship": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship", "code": "prior"}]}}])",
     "replacement", "", "PAYER-1"},
    {"related_associated_is_no_replacement",
     R"("related": [{"claim": {"identifier": {"value": "PAYER-2"}}, "relationship": {"coding": [{"code": "associated"}]}}])",
     "original", "", ""},
    // NUBC type of bill 0838: facility 83, frequency 8 (void), whatever `related` says.
    {"nubc_type_of_bill_void_wins_over_related_prior",
     R"("subType": {"coding": [{"system": "https://www.nubc.org/CodeSystem/TypeOfBill", "code": "0838"}]},
        "related": [{"claim": {"identifier": {"value": "PAYER-3"}}, "relationship": {"coding": [{"code": "prior"}]}}])",
     "void", "8", "PAYER-3"},
    // xx2: an interim bill after a prior one is not a replacement.
    {"interim_bill_after_a_prior_one",
     R"("subType": {"coding": [{"system": "https://www.nubc.org/CodeSystem/TypeOfBill", "code": "112"}]},
        "related": [{"claim": {"identifier": {"value": "PAYER-4"}}, "relationship": {"coding": [{"code": "prior"}]}}])",
     "other", "2", "PAYER-4"},
};

BOOST_DATA_TEST_CASE(frequency_from_type_of_bill_and_related_claims,
                     boost::unit_test::data::make(kFrequencies), sample) {
  const Read read = read_text(R"({"resourceType": "Claim", "id": "r", )" + sample.members + R"(,
    "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"code": "R69"}]}}]})");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(model::to_string(read.claims[0].frequency) == sample.frequency);
  BOOST_TEST(read.claims[0].frequency_code == sample.frequency_code);
  BOOST_TEST(read.claims[0].replaces == sample.replaces);
}

BOOST_AUTO_TEST_CASE(code_system_oids_and_icd9_e_codes) {
  const Read read = read_text(R"({"resourceType": "Claim", "id": "o",
    "diagnosis": [
      {"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "urn:oid:2.16.840.1.113883.6.90", "code": "M62.830"}]}},
      {"sequence": 2, "diagnosisCodeableConcept": {"coding": [{"system": "urn:oid:2.16.840.1.113883.6.103", "code": "E880.9"}]}},
      {"sequence": 3, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-9-cm", "code": "724.2"}]}},
      {"sequence": 4, "diagnosisCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "90560007"}]}}]})");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(dx_summary(claim) == (std::vector<std::string>{
                                      "1 M62830 principal icd10cm", "2 E8809 external_cause icd9cm",
                                      "3 7242 other icd9cm", "4 (90560007) other unknown"}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.diagnoses[0].qualifier == "urn:oid:2.16.840.1.113883.6.90");
  BOOST_TEST(claim.diagnoses[1].code == "E8809");
  std::vector<core::Diagnostic> code_warnings;
  for (const auto& d : claim.diagnostics) {
    if (d.code != "W-FHIR-MISSING") code_warnings.push_back(d);  // No status, type... here.
  }
  BOOST_TEST(rendered(code_warnings) ==
                 (std::vector<std::string>{
                     "c.json:6:108: /diagnosis/3/diagnosisCodeableConcept/coding/0/code: warning "
                     "W-FHIR-CODE: diagnosis has no ICD-10-CM coding, only one in "
                     "http://snomed.info/sct; kept as sent, not audited as ICD-10-CM"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_repeated_key_holds_back_its_claim_or_the_whole_document) {
  // Inside a Claim: that Claim is not audited, the other one is.
  std::string text = replace_all(kBundleTemplate, "%TYPE%", "collection");
  text = replace_all(text, R"("id": "a", "identifier": [{"value": "ID-A"}])",
                     R"("id": "a", "identifier": [{"value": "ID-A"}], "identifier": [])");
  Read read = read_text(text);
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.batch == (std::vector<std::string>{
                               "c.json:5:125: /entry/3/resource/identifier: error "
                               "E-JSON-DUPLICATE-KEY: key repeated in one object (which value "
                               "counts is undefined); the claim is not audited"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].claim_id == "ID-B");
  // In the Patient both Claims use: nothing is read.
  text = replace_all(kBundleTemplate, "%TYPE%", "collection");
  text = replace_all(text, R"("gender": "male")", R"("gender": "male", "gender": "female")");
  read = read_text(text);
  BOOST_TEST(read.claims.empty());
  BOOST_TEST(read.rejection ==
             "c.json:3:125: /entry/1/resource/gender: error E-JSON-DUPLICATE-KEY: key repeated "
             "in one object (which value counts is undefined); the document is ambiguous and not "
             "read");
}

BOOST_AUTO_TEST_CASE(nesting_deeper_than_64_levels_is_refused_as_such) {
  std::string extension = R"({"url": "x", "valueString": "y"})";
  for (int i = 0; i < 40; ++i) {
    extension.insert(0, R"({"url": "x", "extension": [)");
    extension += "]}";
  }
  const Read read =
      read_text(R"({"resourceType": "Claim", "id": "d", "extension": [)" + extension + "]}");
  BOOST_TEST(read.claims.empty());
  BOOST_TEST(read.rejection ==
             "c.json:1:889: error E-JSON-TOO-DEEP: JSON nested deeper than 64 levels; not read "
             "(no claim format needs that many)");
}

BOOST_AUTO_TEST_CASE(a_bundle_with_sorted_keys_is_fhir_though_resource_type_comes_late) {
  // {"entry": [...], "resourceType": "Bundle", "type": "collection"}, as serialisers that sort
  // keys write it: "resourceType" lies beyond the 4 KiB format detection reads.
  std::string entries;
  for (int i = 0; i < 40; ++i) {
    if (i > 0) entries += ",\n";
    entries +=
        R"({"fullUrl": "urn:uuid:aaaaaaaa-0000-4000-8000-0000000000)" +
        std::string(i < 10 ? "0" : "") + std::to_string(i) +
        R"(", "resource": {"diagnosis": [{"diagnosisCodeableConcept": {"coding": [{"code": "M62.830", "system": "http://hl7.org/fhir/sid/icd-10-cm"}]}, "sequence": 1}], "id": "s)" +
        std::to_string(i) + R"(", "resourceType": "Claim", "status": "active", "use": "claim"}})";
  }
  const std::string text =
      R"({"entry": [)" + entries + R"(], "resourceType": "Bundle", "type": "collection"})";
  BOOST_REQUIRE_GT(text.find("resourceType\": \"Bundle"), 4096u);
  BOOST_TEST(to_string(formats::detect(text.substr(0, 4096))) == "fhir");
  const Read read = read_text(text);
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.claims.size() == 40u);
  BOOST_TEST(read.claims.at(39).claim_id == "s39");
  // A complete object with no "resourceType" is still no claim file.
  BOOST_TEST(to_string(formats::detect(R"({"entry": []})")) == "unknown");
}

BOOST_AUTO_TEST_CASE(bundles_nested_in_entries_are_read_with_their_own_references) {
  // A collection of two request Bundles (as a batch of Da Vinci PAS submissions), each with a
  // Patient at the same fullUrl: a Claim's references resolve inside its own Bundle. A null
  // entry and a deleted history entry are ignored with a warning.
  const std::string inner = replace_all(kBundleTemplate, "%TYPE%", "collection");
  const std::string female = replace_all(inner, R"("gender": "male")", R"("gender": "female")");
  const Read read = read_text(R"({"resourceType": "Bundle", "type": "collection", "entry": [
{"resource": )" + inner + R"(},
null,
{"request": {"method": "DELETE", "url": "Claim/old"}},
{"resource": )" + female + "}]}");
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(
      read.batch == (std::vector<std::string>{
                        "c.json:12:1: /entry/1: warning W-FHIR-IGNORED: Bundle entry without a "
                        "resource object; ignored",
                        "c.json:13:1: /entry/2: warning W-FHIR-IGNORED: Bundle entry without a "
                        "resource object; ignored"}),
      boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 4u);
  const std::vector<char> sexes = {'M', 'M', 'F', 'F'};
  const std::vector<std::string> pointers = {
      "/entry/0/resource/entry/3/resource", "/entry/0/resource/entry/7/resource",
      "/entry/3/resource/entry/3/resource", "/entry/3/resource/entry/7/resource"};
  for (std::size_t i = 0; i < 4; ++i) {
    BOOST_TEST(read.claims[i].origin.pointer == pointers[i]);
    BOOST_TEST(read.claims[i].patient.sex.reveal() == sexes[i]);
    BOOST_TEST(read.claims[i].payer.id == "PAY-CONT");
    BOOST_TEST(read.claims[i].envelope.position == static_cast<int>(i));
    BOOST_TEST(rendered(read.claims[i].diagnostics).empty());
  }
  BOOST_TEST(read.claims[2].patient.origin.pointer == "/entry/3/resource/entry/1/resource");
}

BOOST_AUTO_TEST_CASE(a_pointer_to_a_diagnosis_without_a_code_says_so) {
  const Read read = read_text(R"({"resourceType": "Claim", "id": "p",
    "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"code": "R69"}]}},
                  {"sequence": 2, "diagnosisCodeableConcept": {"text": "back spasm"}}],
    "item": [{"sequence": 1, "diagnosisSequence": [2, 1], "servicedDate": "2024-08-15",
              "productOrService": {"coding": [{"code": "97140"}]}}]})");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  std::vector<std::string> found;
  for (const auto& d : read.claims[0].diagnostics) {
    if (d.code != "W-FHIR-MISSING") found.push_back(core::render(d));
  }
  BOOST_TEST(found == (std::vector<std::string>{
                          "c.json:3:63: /diagnosis/1/diagnosisCodeableConcept: warning "
                          "W-FHIR-CODE: no coding with a code; diagnosis skipped",
                          "c.json:4:52: /item/0/diagnosisSequence/0: warning W-FHIR-DX-SEQUENCE: "
                          "diagnosisSequence 2 points to a diagnosis without a usable code; "
                          "pointer dropped"}),
             boost::test_tools::per_element());
  BOOST_TEST(read.claims[0].lines.at(0).dx_pointers == (std::vector<int>{1}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(thousands_of_located_warnings_take_one_walk_over_the_text) {
  // Each Claim names a Patient the Bundle lacks. Locating each warning by walking the text from
  // its start took minutes on a 3,000-claim Bundle (quadratic); now one walk serves them all.
  constexpr int kClaims = 2000;
  const std::string head = R"({"resourceType": "Claim", "id": "m", "patient": {"reference": )";
  std::string text = R"({"resourceType": "Bundle", "type": "collection", "entry": [)";
  for (int i = 0; i < kClaims; ++i) {
    text += i == 0 ? "\n" : ",\n";
    text +=
        R"({"resource": )" + head + R"("urn:uuid:0000-)" + std::to_string(i) +
        R"("}, "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"code": "R69"}]}}]}})";
  }
  text += "\n]}";
  const Read read = read_text(text);
  BOOST_REQUIRE_EQUAL(read.claims.size(), static_cast<std::size_t>(kClaims));
  const std::size_t column = std::string(R"({"resource": )").size() + head.size() + 1;
  std::vector<std::string> last;
  for (const auto& d : read.claims.back().diagnostics) {
    if (d.code == "W-FHIR-DANGLING-REF") last.push_back(core::render(d));
  }
  BOOST_TEST(last == (std::vector<std::string>{
                         "c.json:" + std::to_string(kClaims + 1) + ":" + std::to_string(column) +
                         ": /entry/1999/resource/patient/reference: warning W-FHIR-DANGLING-REF: "
                         "a urn:uuid reference resolves to no resource in this Bundle"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(ndjson_is_refused_with_a_reason) {
  // FHIR Bulk Data ($export) writes one resource per line.
  const Read read = read_text(
      "{\"resourceType\": \"Claim\", \"id\": \"n1\"}\n{\"resourceType\": \"Claim\", \"id\": "
      "\"n2\"}\n");
  BOOST_TEST(read.claims.empty());
  BOOST_TEST(read.rejection ==
             "c.json:2:1: error E-JSON-SYNTAX: not valid JSON: extra data: a second object starts "
             "on a new line (NDJSON, one object per line, is not read: send one FHIR resource or "
             "Bundle, or one claimaudit.claim/1 claim or batch, per file)");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::formats::fhir
