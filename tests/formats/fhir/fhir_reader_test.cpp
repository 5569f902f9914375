// Tests for formats/fhir/fhir_reader.hpp: every FHIR sample under ../shared/samples/fhir
// (DOMAIN.md 9.2, samples/INDEX.md), plus hand-made shapes the samples lack.
//
// Claim ids: DOMAIN.md 3.1 takes the claim id from identifier[0].value (fallback: id). The
// INDEX.md column "id / type / use" lists the resource id (e.g. 960150) where identifier[0].value
// is 9612345; both are checked below, the id as INDEX lists it in the comment of each row. The
// identifier is the right claim id: it is what the submitter and payer exchange (CLM01), while
// Claim.id is the server's storage key.
#include "formats/fhir/fhir_reader.hpp"

#include <string>
#include <vector>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "core/icd10_code.hpp"
#include "support/read_text.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::formats::fhir {
namespace {

using Read = testing::ReadText;
using testing::read_text;

Read read_sample(const std::string& relative) {
  const std::string text = testing::read_file(testing::shared_dir() / "samples/fhir" / relative);
  return read_text(text, relative);
}

std::vector<std::string> dotted_codes(const model::Claim& claim) {
  std::vector<std::string> out;
  for (const auto& d : claim.diagnoses)
    out.push_back(d.code.empty() ? d.raw : core::dotted_icd10(d.code));
  return out;
}

std::vector<std::string> line_dates(const model::Claim& claim) {
  std::vector<std::string> out;
  for (const auto& line : claim.lines) {
    out.push_back(line.service_dates
                      ? line.service_dates->from.iso() + ".." + line.service_dates->to.iso()
                      : "none");
  }
  return out;
}

using testing::rendered;

struct SpecExample {
  std::string file;
  std::string claim_id;  // identifier[0].value
  std::string kind;
  std::string use;
  std::vector<std::string> codes;  // Dotted, in order.
  std::string qualifier;           // Coding system of every diagnosis ("" = none).
  std::vector<std::string> dates;  // One per item.
  // The claim's warnings, as "CODE at POINTER": the placeholder diagnoses without a system
  // (W-FHIR-CODE, not audited) and the items with details (W-FHIR-DETAIL).
  std::vector<std::string> warnings = {};
};
std::ostream& operator<<(std::ostream& out, const SpecExample& e) { return out << e.file; }

const std::vector<SpecExample> kSpecExamples = {
    // INDEX: MED-00050 / institutional / claim; icd-10 (WHO URI): M96.1, G89.4, M53.88, M47.816.
    {"claim-example-cms1500-medical.json",
     "MED-00050",
     "institutional",
     "claim",
     {"M96.1", "G89.4", "M53.88", "M47.816"},
     "http://hl7.org/fhir/sid/icd-10",
     {"2015-10-13..2015-10-13"}},
    // INDEX: 960150 / institutional / claim.
    {"claim-example-institutional.json",
     "9612345",
     "institutional",
     "claim",
     {"654.456"},
     "",
     {"2014-08-16..2014-08-16"},
     {"W-FHIR-CODE at /diagnosis/0/diagnosisCodeableConcept/coding/0/code"}},
    // INDEX: 100156 / oral / claim; no diagnosis.
    {"claim-example-oral-bridge.json",
     "123466",
     "oral",
     "claim",
     {},
     "",
     {"2014-08-16..2014-08-16", "2014-08-16..2014-08-16", "2014-08-16..2014-08-16"},
     {"W-FHIR-DETAIL at /item/2/detail"}},
    // INDEX: 100155 / oral / claim.
    {"claim-example-oral-contained-identifier.json",
     "12347",
     "oral",
     "claim",
     {"123.456"},
     "",
     {"2014-08-16..2014-08-16"},
     {"W-FHIR-CODE at /diagnosis/0/diagnosisCodeableConcept/coding/0/code"}},
    // INDEX: 100152 / oral / claim.
    {"claim-example-oral-contained.json",
     "12347",
     "oral",
     "claim",
     {"123.456"},
     "",
     {"2014-08-16..2014-08-16"},
     {"W-FHIR-CODE at /diagnosis/0/diagnosisCodeableConcept/coding/0/code"}},
    // INDEX: 100154 / oral / claim.
    {"claim-example-oral-identifier.json",
     "12347",
     "oral",
     "claim",
     {"123.456"},
     "",
     {"2014-08-16..2014-08-16"},
     {"W-FHIR-CODE at /diagnosis/0/diagnosisCodeableConcept/coding/0/code"}},
    // INDEX: 100153 / oral / preauthorization; 123457 under icd-10 (not a code).
    {"claim-example-oral-orthoplan.json",
     "12355",
     "oral",
     "preauthorization",
     {"123.457"},
     "http://hl7.org/fhir/sid/icd-10",
     {"2015-05-16..2015-05-16", "2014-08-16..2014-08-16", "2014-08-16..2014-08-16"},
     {"W-FHIR-DETAIL at /item/0/detail", "W-FHIR-DETAIL at /item/2/detail"}},
    // INDEX: 760151 / pharmacy / claim.
    {"claim-example-pharmacy-medication.json",
     "7612345",
     "pharmacy",
     "claim",
     {"654.456"},
     "",
     {"2014-08-16..2014-08-16"},
     {"W-FHIR-CODE at /diagnosis/0/diagnosisCodeableConcept/coding/0/code",
      "W-FHIR-DETAIL at /item/0/detail"}},
    // INDEX: 760150 / pharmacy / claim.
    {"claim-example-pharmacy.json",
     "7612345",
     "pharmacy",
     "claim",
     {"654.456"},
     "",
     {"2014-08-16..2014-08-16"},
     {"W-FHIR-CODE at /diagnosis/0/diagnosisCodeableConcept/coding/0/code"}},
    // INDEX: 860150 / professional / claim.
    {"claim-example-professional.json",
     "8612345",
     "professional",
     "claim",
     {"654.456"},
     "",
     {"2014-08-16..2014-08-16"},
     {"W-FHIR-CODE at /diagnosis/0/diagnosisCodeableConcept/coding/0/code"}},
    // INDEX: 660152 / vision / claim.
    {"claim-example-vision-glasses-3tier.json",
     "6612347",
     "vision",
     "claim",
     {"654.321"},
     "",
     {"2014-08-16..2014-08-16"},
     {"W-FHIR-CODE at /diagnosis/0/diagnosisCodeableConcept/coding/0/code",
      "W-FHIR-DETAIL at /item/0/detail"}},
    // INDEX: 660151 / vision / claim.
    {"claim-example-vision-glasses.json",
     "6612346",
     "vision",
     "claim",
     {"654.321"},
     "",
     {"2014-08-16..2014-08-16"},
     {"W-FHIR-CODE at /diagnosis/0/diagnosisCodeableConcept/coding/0/code",
      "W-FHIR-DETAIL at /item/0/detail"}},
    // INDEX: 660150 / vision / claim.
    {"claim-example-vision.json",
     "6612345",
     "vision",
     "claim",
     {"654.321"},
     "",
     {"2014-08-16..2014-08-16"},
     {"W-FHIR-CODE at /diagnosis/0/diagnosisCodeableConcept/coding/0/code"}},
    // INDEX: 100150 / oral / claim.
    {"claim-example.json",
     "12345",
     "oral",
     "claim",
     {"123.456"},
     "",
     {"2014-08-16..2014-08-16"},
     {"W-FHIR-CODE at /diagnosis/0/diagnosisCodeableConcept/coding/0/code"}},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(fhir_reader)

BOOST_DATA_TEST_CASE(reads_every_hl7_r4_example, boost::unit_test::data::make(kSpecExamples),
                     example) {
  const Read read = read_sample("hl7-r4-spec-examples/" + example.file);
  BOOST_TEST(to_string(read.summary.format) == "fhir");
  BOOST_TEST(!read.summary.rejection.has_value());
  BOOST_TEST(read.diagnostics.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.claim_id == example.claim_id);
  BOOST_TEST(model::to_string(claim.kind) == example.kind);
  BOOST_TEST(model::to_string(claim.use) == example.use);
  BOOST_TEST(dotted_codes(claim) == example.codes, boost::test_tools::per_element());
  for (const auto& diagnosis : claim.diagnoses) {
    BOOST_TEST(diagnosis.qualifier == example.qualifier);
    // The examples' codes without a system are placeholders (654.456), not spelled like
    // ICD-10-CM: code system unknown, not audited.
    BOOST_TEST(model::to_string(diagnosis.code_system) ==
               (example.qualifier.empty() ? "unknown" : "icd10cm"));
  }
  BOOST_TEST(line_dates(claim) == example.dates, boost::test_tools::per_element());
  std::vector<std::string> warnings;
  for (const auto& diagnostic : claim.diagnostics) {
    BOOST_TEST((diagnostic.severity == core::Severity::kWarning));
    warnings.push_back(diagnostic.code + " at " + diagnostic.where.path);
  }
  BOOST_TEST(warnings == example.warnings, boost::test_tools::per_element());
  BOOST_TEST(claim.origin.pointer == "");
  BOOST_TEST(claim.envelope.guide == "fhir-r4");
}

BOOST_AUTO_TEST_CASE(cms1500_resolves_diagnosis_sequences_and_contained_resources) {
  const Read read = read_sample("hl7-r4-spec-examples/claim-example-cms1500-medical.json");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  // item.diagnosisSequence [2, 4] are sequence identifiers: G89.4 and M47.816.
  BOOST_REQUIRE_EQUAL(claim.lines.size(), 1u);
  BOOST_TEST(claim.lines[0].dx_pointers == (std::vector<int>{2, 4}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.diagnoses[1].code == "G894");
  BOOST_TEST(claim.diagnoses[3].code == "M47816");
  BOOST_TEST(claim.diagnoses[3].origin.pointer ==
             "/diagnosis/3/diagnosisCodeableConcept/coding/0/code");
  BOOST_TEST(model::to_string(claim.diagnoses[0].role) == "principal");
  BOOST_TEST(model::to_string(claim.diagnoses[1].role) == "other");
  BOOST_TEST(claim.lines[0].procedure_qualifier == "CPT");
  BOOST_TEST(claim.lines[0].procedure_code == "62264");
  BOOST_TEST(claim.lines[0].place_of_service == "24");
  BOOST_TEST(claim.lines[0].charge == "12500.00");
  BOOST_TEST(claim.lines[0].origin.pointer == "/item/0");
  BOOST_TEST(claim.total_charge == "12500.00");
  // subType billtype 831: facility type 83, frequency 1.
  BOOST_TEST(claim.facility_type == "83");
  BOOST_TEST(claim.frequency_code == "1");
  // Contained Patient (#patient-1) and Coverage (#coverage-1).
  BOOST_TEST(claim.patient.sex.reveal() == 'F');
  BOOST_REQUIRE(claim.patient.birth_date.reveal().has_value());
  BOOST_TEST(claim.patient.birth_date.reveal()->iso() == "1954-06-11");
  BOOST_TEST(claim.patient.last_name.reveal() == "Ashcraft");
  BOOST_TEST(claim.patient.origin.pointer == "/contained/0");
  BOOST_TEST(claim.payer.id == "123456");
  BOOST_TEST(claim.payer.name == "Humana Inc.");
  BOOST_TEST(claim.payer.origin.pointer == "/contained/1/payor/0");
  // Organization/1 is on a server, not in this bare Claim: no NPI and no diagnostic.
  BOOST_TEST(claim.billing_provider.npi.empty());
  // "Never fall back to created": only items carry dates.
  BOOST_TEST(!claim.statement_period.has_value());
}

BOOST_AUTO_TEST_CASE(oral_contained_reads_patient_and_payer_from_contained) {
  const Read read = read_sample("hl7-r4-spec-examples/claim-example-oral-contained.json");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.patient.sex.reveal() == 'M');
  BOOST_REQUIRE(claim.patient.birth_date.reveal().has_value());
  BOOST_TEST(claim.patient.birth_date.reveal()->iso() == "1986-05-17");
  BOOST_TEST(claim.payer.id == "123456");
  BOOST_TEST(claim.diagnoses[0].code == "123456");
  BOOST_TEST(model::to_string(claim.diagnoses[0].code_system) == "unknown");
}

BOOST_AUTO_TEST_CASE(pas_claim_has_no_service_date_and_never_uses_created) {
  const Read read = read_sample("davinci-pas-test-kit/pas_claim.json");
  BOOST_TEST(!read.summary.rejection.has_value());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.claim_id == "111099");  // Resource id ReferralAuthorizationExample.
  BOOST_TEST(model::to_string(claim.kind) == "professional");
  BOOST_TEST(model::to_string(claim.use) == "preauthorization");
  BOOST_TEST(dotted_codes(claim) == (std::vector<std::string>{"G89.4"}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.diagnoses[0].qualifier == "http://hl7.org/fhir/sid/icd-10-cm");
  BOOST_TEST(model::to_string(claim.diagnoses[0].code_system) == "icd10cm");
  BOOST_REQUIRE_EQUAL(claim.lines.size(), 1u);
  BOOST_TEST(!claim.lines[0].service_dates.has_value());
  BOOST_TEST(!claim.statement_period.has_value());
  BOOST_TEST(model::service_dates(claim).empty());
  BOOST_TEST(claim.lines[0].place_of_service == "11");
  BOOST_TEST(claim.lines[0].dx_pointers == (std::vector<int>{1}), boost::test_tools::per_element());
  // A bare Claim's "Type/id" references point at a server: not dangling, just unknown.
  BOOST_TEST(rendered(claim.diagnostics).empty());
  BOOST_TEST(claim.billing_provider.npi.empty());
}

BOOST_AUTO_TEST_CASE(pas_bundles_resolve_type_id_and_urn_uuid_references) {
  for (const std::string file : {"davinci-pas-test-kit/conformant_pas_bundle_v110.json",
                                 "davinci-pas-test-kit/conformant_pas_bundle_v110_uuid.json"}) {
    BOOST_TEST_CONTEXT(file) {
      const Read read = read_sample(file);
      BOOST_TEST(!read.summary.rejection.has_value());
      BOOST_TEST(read.diagnostics.empty());
      BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
      const model::Claim& claim = read.claims[0];
      BOOST_TEST(claim.claim_id == "111099");
      BOOST_TEST(claim.origin.pointer == "/entry/0/resource");
      BOOST_TEST(dotted_codes(claim) == (std::vector<std::string>{"G89.4"}),
                 boost::test_tools::per_element());
      BOOST_TEST(claim.diagnoses[0].origin.pointer ==
                 "/entry/0/resource/diagnosis/0/diagnosisCodeableConcept/coding/0/code");
      // provider -> Organization (entry 1) NPI; Coverage (entry 3) payor -> Organization
      // (entry 2); patient -> Patient (entry 4).
      BOOST_TEST(claim.billing_provider.npi == "8189991234");
      BOOST_TEST(claim.billing_provider.origin.pointer == "/entry/1/resource/identifier/0/value");
      BOOST_TEST(claim.payer.id == "789312");
      BOOST_TEST(claim.payer.name == "MARYLAND CAPITAL INSURANCE COMPANY");
      BOOST_TEST(claim.payer.origin.pointer == "/entry/2/resource");
      BOOST_TEST(claim.patient.origin.pointer == "/entry/4/resource");
      BOOST_TEST(claim.patient.sex.reveal() == 'M');
      BOOST_TEST(rendered(claim.diagnostics).empty());
      BOOST_REQUIRE_EQUAL(claim.lines.size(), 1u);
      BOOST_TEST(!claim.lines[0].service_dates.has_value());
    }
  }
}

BOOST_AUTO_TEST_CASE(missing_practitioner_is_a_dangling_reference_and_the_claim_is_kept) {
  const Read read =
      read_sample("davinci-pas-test-kit/missing_referenced_resource_request_bundle.json");
  BOOST_TEST(!read.summary.rejection.has_value());
  BOOST_TEST(read.summary.claims == 1);
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(rendered(read.claims[0].diagnostics) ==
                 std::vector<std::string>{
                     "davinci-pas-test-kit/missing_referenced_resource_request_bundle.json:111:28: "
                     "/entry/0/resource/careTeam/0/provider/reference: warning "
                     "W-FHIR-DANGLING-REF: a Practitioner reference resolves to no resource in "
                     "this Bundle"},
             boost::test_tools::per_element());
  BOOST_TEST(dotted_codes(read.claims[0]) == (std::vector<std::string>{"G89.4"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(empty_bundle_is_no_claim_in_input) {
  const Read read = read_sample("davinci-pas-test-kit/nonconformant_pas_bundle_v110.json");
  BOOST_TEST(read.claims.empty());
  BOOST_TEST(read.summary.claims == 0);
  BOOST_REQUIRE(read.summary.rejection.has_value());
  BOOST_TEST(core::render(*read.summary.rejection) ==
             "davinci-pas-test-kit/nonconformant_pas_bundle_v110.json:15:13: /entry: error "
             "E-FHIR-NO-CLAIM: no Claim in input: the Bundle has no entries");
}

BOOST_AUTO_TEST_CASE(pre_r4_claims_are_rejected_not_half_parsed) {
  for (const std::string file : {"pre-r4-fhir-1.7.0-examples/claim-example.json",
                                 "pre-r4-fhir-1.7.0-examples/claim-example-institutional.json"}) {
    BOOST_TEST_CONTEXT(file) {
      const Read read = read_sample(file);
      BOOST_TEST(read.claims.empty());
      BOOST_REQUIRE(read.summary.rejection.has_value());
      BOOST_TEST(read.summary.rejection->code == "E-FHIR-NOT-R4");
      BOOST_TEST(read.summary.rejection->where.path == "/organization");
      BOOST_TEST(read.summary.rejection->where.line == 23);
      BOOST_TEST(read.summary.rejection->message ==
                 "not FHIR R4: Claim.organization (R4 names the submitter in Claim.provider)");
      std::vector<std::string> paths;
      for (const auto& d : read.diagnostics) paths.push_back(d.code + " " + d.where.path);
      BOOST_TEST(
          paths == (std::vector<std::string>{
                       "E-FHIR-NOT-R4 /organization", "E-FHIR-NOT-R4 /coverage",
                       "E-FHIR-NOT-R4 /type", "E-FHIR-NOT-R4 /use",
                       "E-FHIR-NOT-R4 /diagnosis/0/diagnosis", "E-FHIR-NOT-R4 /item/0/service"}),
          boost::test_tools::per_element());
    }
  }
}

// tests/data/fhir/bundle-three-claims.json: hand-written, every mapped field of DOMAIN.md 3.1.
BOOST_AUTO_TEST_CASE(bundle_yields_the_good_claim_and_reports_the_two_bad_ones) {
  const std::string text =
      testing::read_file(testing::source_dir() / "tests/data/fhir/bundle-three-claims.json");
  const Read read = read_text(text, "three.json");
  BOOST_TEST(!read.summary.rejection.has_value());
  BOOST_TEST(read.summary.claims == 1);
  BOOST_TEST(rendered(read.diagnostics) ==
                 (std::vector<std::string>{
                     "three.json:83:47: /entry/1/resource/item/0/service: error E-FHIR-NOT-R4: "
                     "not FHIR R4: Claim.item.service (R4: productOrService)",
                     "three.json:100:111: /entry/2/resource/item/0/servicedDate: error "
                     "E-FHIR-DATE: expected a full date YYYY-MM-DD"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.claim_id == "BS-2024-0815");
  BOOST_TEST(model::to_string(claim.kind) == "professional");
  // The ICD-10-CM coding wins over the SNOMED one listed first; lower case is normalised.
  BOOST_TEST(dotted_codes(claim) == (std::vector<std::string>{"M62.830", "M54.50", "X50.0XXA"}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.diagnoses[0].origin.pointer ==
             "/entry/0/resource/diagnosis/0/diagnosisCodeableConcept/coding/1/code");
  BOOST_TEST(claim.diagnoses[0].raw == "m62.830");
  BOOST_TEST(claim.diagnoses[0].poa == 'Y');
  BOOST_TEST(model::to_string(claim.diagnoses[0].role) == "principal");
  BOOST_TEST(model::to_string(claim.diagnoses[1].role) == "other");
  // supportingInfo externalcause becomes a diagnosis after the listed ones, with a sequence
  // above every diagnosis.sequence and item.diagnosisSequence (the dangling 9 included), so
  // that no pointer names it by accident.
  BOOST_TEST(claim.diagnoses[2].seq == 10);
  BOOST_TEST(model::to_string(claim.diagnoses[2].role) == "external_cause");
  BOOST_TEST(claim.diagnoses[2].origin.pointer ==
             "/entry/0/resource/supportingInfo/2/code/coding/0/code");
  BOOST_REQUIRE(claim.onset_date.has_value());
  BOOST_TEST(claim.onset_date->iso() == "2024-08-14");
  BOOST_REQUIRE_EQUAL(claim.notes.size(), 1u);
  BOOST_TEST(claim.notes[0].kind == "info");
  BOOST_TEST(claim.notes[0].text.reveal() == "lifting boxes at work");
  BOOST_REQUIRE(claim.statement_period.has_value());
  BOOST_TEST(claim.statement_period->to.iso() == "2024-08-20");
  BOOST_TEST(model::to_string(claim.accident.cause) == "employment");
  BOOST_TEST(claim.accident.state == "UT");
  BOOST_TEST(claim.accident.date->iso() == "2024-08-14");
  BOOST_TEST(model::to_string(claim.frequency) == "replacement");
  BOOST_TEST(claim.replaces == "PAYER-7781");
  BOOST_TEST(claim.billing_provider.npi == "1245319599");
  BOOST_TEST(claim.billing_provider.tax_id == "123456789");
  BOOST_TEST(claim.payer.filing_indicator == "WC");
  BOOST_TEST(model::to_string(claim.payer.kind) == "workers_comp");
  BOOST_TEST(claim.payer.id == "UTWCF");
  BOOST_TEST(claim.payer.name == "Utah Workers Fund");
  BOOST_TEST(claim.patient.member_id.reveal() == "W123456789");
  BOOST_TEST(claim.patient.birth_date.reveal()->iso() == "1980-02-29");
  BOOST_REQUIRE_EQUAL(claim.lines.size(), 1u);
  const model::ServiceLine& line = claim.lines[0];
  BOOST_TEST(line_dates(claim) == (std::vector<std::string>{"2024-08-15..2024-08-20"}),
             boost::test_tools::per_element());
  BOOST_TEST(line.modifiers == (std::vector<std::string>{"GP"}), boost::test_tools::per_element());
  BOOST_TEST(line.units == "2");
  BOOST_TEST(line.charge == "110.50");
  BOOST_TEST(line.place_of_service == "11");
  BOOST_TEST(line.body_sites == (std::vector<std::string>{"LB"}), boost::test_tools::per_element());
  // The dangling pointer 9 is kept (as an 837P SV107 position beyond the HI list), so the
  // audit's pointer rule reports the line.
  BOOST_TEST(line.dx_pointers == (std::vector<int>{1, 9}), boost::test_tools::per_element());
  BOOST_TEST(rendered(claim.diagnostics) ==
                 (std::vector<std::string>{
                     "three.json:58:39: /entry/0/resource/item/0/diagnosisSequence/1: warning "
                     "W-FHIR-DX-SEQUENCE: diagnosisSequence 9 matches no diagnosis.sequence; "
                     "kept for the audit"}),
             boost::test_tools::per_element());
}

struct Rejected {
  std::string name;
  std::string text;
  std::string rejection;  // core::render() of the summary's rejection.
};
std::ostream& operator<<(std::ostream& out, const Rejected& r) { return out << r.name; }

const std::vector<Rejected> kRejected = {
    {"other_resource", R"({"resourceType": "Patient", "id": "p"})",
     "x.json:1:18: /resourceType: error E-FHIR-NO-CLAIM: no Claim in input: resourceType is "
     "\"Patient\" (expected Claim or a Bundle of Claims)"},
    {"bundle_without_claim",
     R"({"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient"}}]})",
     "x.json:1:37: /entry: error E-FHIR-NO-CLAIM: no Claim in input: the Bundle holds 1 "
     "resource, none a Claim"},
    {"bundle_without_entry", R"({"resourceType": "Bundle"})",
     "x.json: /entry: error E-FHIR-NO-CLAIM: no Claim in input: the Bundle has no entries"},
    {"syntax_error", "{\"resourceType\": \"Claim\",\n  \"id\": }",
     "x.json:2:9: error E-JSON-SYNTAX: not valid JSON: syntax error"},
    {"diagnosis_not_an_array",
     R"({"resourceType": "Claim", "diagnosis": {"sequence": 1}, "id": "c1"})",
     "x.json:1:40: /diagnosis: error E-FHIR-TYPE: expected an array, found an object"},
    {"sequence_not_an_integer",
     R"({"resourceType": "Claim", "item": [{"sequence": "1"}], "id": "c1"})",
     "x.json:1:49: /item/0/sequence: error E-FHIR-TYPE: expected an integer, found a string"},
};

BOOST_DATA_TEST_CASE(rejects_documents_with_nothing_auditable,
                     boost::unit_test::data::make(kRejected), sample) {
  const Read read = read_text(sample.text, "x.json");
  BOOST_TEST(read.claims.empty());
  BOOST_REQUIRE(read.summary.rejection.has_value());
  BOOST_TEST(core::render(*read.summary.rejection) == sample.rejection);
}

BOOST_AUTO_TEST_CASE(bare_claim_warns_for_missing_contained_and_urn_uuid_targets) {
  const std::string text = R"({"resourceType": "Claim", "id": "c1", "status": "active",
    "type": {"coding": [{"code": "vision"}]}, "use": "claim", "created": "2024-01-02",
    "priority": {"coding": [{"code": "normal"}]},
    "patient": {"reference": "#nobody"},
    "provider": {"reference": "urn:uuid:0c0c0c0c-0000-4000-8000-000000000000"},
    "insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "Coverage/9"}}],
    "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"code": "H52.13"}]},
                   "type": [{"coding": [{"code": "admitting"}]}]},
                  {"sequence": 2, "diagnosisCodeableConcept": {"coding": [{"code": "12-34"}]}}],
    "item": [{"sequence": 1, "productOrService": {"coding": [{"code": "exam"}]},
              "servicedDate": "2024-01-02"}]})";
  const Read read = read_text(text, "bare.json");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.claim_id == "c1");
  BOOST_TEST(model::to_string(claim.kind) == "vision");
  // An admitting type: no entry says principal, so the first untyped one is.
  BOOST_TEST(model::to_string(claim.diagnoses[0].role) == "admitting");
  BOOST_TEST(model::to_string(claim.diagnoses[1].role) == "principal");
  BOOST_TEST(claim.diagnoses[1].code.empty());
  BOOST_TEST(claim.diagnoses[1].raw == "12-34");
  std::vector<std::string> found;
  for (const auto& d : claim.diagnostics) found.push_back(d.code + " " + d.where.path);
  BOOST_TEST(found == (std::vector<std::string>{
                          "W-FHIR-CODE /diagnosis/1/diagnosisCodeableConcept/coding/0/code",
                          "W-FHIR-DANGLING-REF /patient/reference",
                          "W-FHIR-DANGLING-REF /provider/reference"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(applies_read_options_defaults) {
  const std::string text = R"({"resourceType": "Claim", "id": "c2",
    "item": [{"sequence": 1, "productOrService": {"coding": [{"code": "x"}]}}]})";
  StringSource source(text);
  ReadOptions options;
  options.default_claim_kind = model::ClaimKind::kProfessional;
  options.default_payer_kind = model::PayerKind::kMedicaid;
  auto reader = fhir::open_reader(source, "d.json", options);
  model::Batch batch;
  BOOST_REQUIRE(reader->next(batch));
  BOOST_REQUIRE_EQUAL(batch.claims.size(), 1u);
  BOOST_TEST(model::to_string(batch.claims[0].kind) == "professional");
  BOOST_TEST(model::to_string(batch.claims[0].payer.kind) == "medicaid");
  // R4 requires status, type, use, patient, created, provider, priority and insurance.
  BOOST_TEST(batch.claims[0].diagnostics.size() == 8u);
  BOOST_TEST(batch.claims[0].diagnostics[0].message ==
             "Claim.status is required in R4 and missing");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::formats::fhir
