// FHIR R4 Claims as real senders get them slightly wrong, read from a hand-written 837I-like
// inpatient Claim (contained Patient, Organizations and two Coverages, the focal one second):
// diagnosis codings whose system names ICD-10-CM (or WHO ICD-10, ICD-9-CM) in another spelling
// than R4's (https, a trailing slash, upper case, an OID without urn:oid:), read as an unknown
// system so the diagnoses went unaudited; two types of one choice element (servicedDate and
// servicedPeriod); Quantity/Money values sent as strings, which left units and charges empty
// without a word.
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

std::string codes_and_systems(const model::Claim& claim) {
  std::string out;
  for (const auto& dx : claim.diagnoses) {
    if (!out.empty()) out += ' ';
    out += std::to_string(dx.seq) + ":" + (dx.code.empty() ? "?" + dx.raw : dx.code) + "/" +
           std::string(model::to_string(dx.code_system));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fhir_sender_shapes)

BOOST_AUTO_TEST_CASE(icd_system_spelling_variants_are_audited_with_a_warning) {
  const ReadText read = read_data("institutional-icd-system-variants.json");
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.batch.empty());
  BOOST_TEST_REQUIRE(read.claims.size() == 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.claim_id == "FHIR-INST-001");
  BOOST_TEST(codes_and_systems(claim) ==
             "1:S72001A/icd10cm 2:I10/icd10cm 3:E119/icd10cm 4:Z87891/icd10cm 5:W010XXA/icd10cm "
             "6:Y92009/icd10cm 7:?38341003/unknown");
  // The qualifier keeps the system as sent (the rules and the claim JSON show it).
  BOOST_TEST(claim.diagnoses[1].qualifier == "https://hl7.org/fhir/sid/icd-10-cm");
  BOOST_TEST(claim.diagnoses[2].qualifier == "urn:oid:2.16.840.1.113883.6.90");
  // The rest of the Claim: focal insurance (the second), billablePeriod, onset, item periods.
  BOOST_TEST(claim.payer.id == "00435");
  BOOST_TEST(model::to_string(claim.payer.kind) == "medicare");
  BOOST_TEST(claim.statement_period->from.iso() == "2026-10-01");
  BOOST_TEST(claim.statement_period->to.iso() == "2026-10-05");
  BOOST_TEST(claim.onset_date->iso() == "2026-09-28");
  BOOST_TEST(claim.diagnoses[0].poa == 'Y');
  BOOST_TEST_REQUIRE(claim.lines.size() == 2u);
  BOOST_TEST(claim.lines[0].revenue_code == "0120");
  BOOST_TEST(claim.lines[0].service_dates->to.iso() == "2026-10-04");
  BOOST_TEST(claim.lines[1].procedure_code == "27236");
  BOOST_TEST(claim.lines[1].dx_pointers == (std::vector<int>{1, 2}),
             boost::test_tools::per_element());

  const std::string file = "institutional-icd-system-variants.json:";
  const std::string tail =
      " (code system URIs are compared exactly; receivers may reject it); read as ICD-10-CM";
  const std::vector<std::string> expected = {
      file +
          "162:23: /diagnosis/1/diagnosisCodeableConcept/coding/0/system: warning "
          "W-FHIR-CODE-SYSTEM: coding system 'https://hl7.org/fhir/sid/icd-10-cm' is not the "
          "FHIR URI http://hl7.org/fhir/sid/icd-10-cm" +
          tail,
      file +
          "184:23: /diagnosis/3/diagnosisCodeableConcept/coding/0/system: warning "
          "W-FHIR-CODE-SYSTEM: coding system 'http://hl7.org/fhir/sid/icd-10-cm/' is not the "
          "FHIR URI http://hl7.org/fhir/sid/icd-10-cm" +
          tail,
      file +
          "195:23: /diagnosis/4/diagnosisCodeableConcept/coding/0/system: warning "
          "W-FHIR-CODE-SYSTEM: coding system '2.16.840.1.113883.6.90' is not the FHIR URI "
          "http://hl7.org/fhir/sid/icd-10-cm" +
          tail,
      file +
          "206:23: /diagnosis/5/diagnosisCodeableConcept/coding/0/system: warning "
          "W-FHIR-CODE-SYSTEM: coding system 'http://hl7.org/fhir/sid/ICD-10-CM' is not the "
          "FHIR URI http://hl7.org/fhir/sid/icd-10-cm" +
          tail,
      file +
          "218:21: /diagnosis/6/diagnosisCodeableConcept/coding/0/code: warning W-FHIR-CODE: "
          "diagnosis has no ICD-10-CM coding, only one in http://snomed.info/sct; kept as "
          "sent, not audited as ICD-10-CM",
  };
  BOOST_TEST(rendered(claim.diagnostics) == expected, boost::test_tools::per_element());
}

// The same spellings for WHO ICD-10 and ICD-9-CM, and a coding list where a variant-spelled
// ICD-10-CM coding comes after a SNOMED CT one: the ICD-10-CM one is billed.
BOOST_AUTO_TEST_CASE(who_and_icd9_variants_and_preference_over_other_systems) {
  const std::string claim =
      R"({"resourceType": "Claim", "id": "v1", "identifier": [{"value": "V-1"}],
"status": "active", "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
"use": "claim", "patient": {"reference": "Patient/p1"}, "created": "2024-08-20",
"provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}},
"priority": {"coding": [{"code": "normal"}]},
"insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "Coverage/c1"}}],
"diagnosis": [
 {"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "279039007"}, {"system": " HTTPS://www.hl7.org/fhir/sid/icd-10-cm ", "code": "M54.50"}]}},
 {"sequence": 2, "diagnosisCodeableConcept": {"coding": [{"system": "https://hl7.org/fhir/sid/icd-10", "code": "M62.830"}]}},
 {"sequence": 3, "diagnosisCodeableConcept": {"coding": [{"system": "oid:2.16.840.1.113883.6.103", "code": "724.2"}]}},
 {"sequence": 4, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm-2024", "code": "R52"}]}}],
"item": [{"sequence": 1, "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]}, "servicedDate": "2024-08-15", "diagnosisSequence": [1]}]})";
  const ReadText read = read_text(claim, "v.json");
  BOOST_TEST_REQUIRE(read.claims.size() == 1u);
  BOOST_TEST(codes_and_systems(read.claims[0]) ==
             "1:M5450/icd10cm 2:M62830/icd10cm 3:7242/icd9cm 4:?R52/unknown");
  const std::vector<core::Diagnostic>& diagnostics = read.claims[0].diagnostics;
  std::vector<std::string> codes;
  for (const auto& d : diagnostics) codes.push_back(d.code + " " + d.where.path);
  const std::vector<std::string> expected = {
      "W-FHIR-CODE-SYSTEM /diagnosis/0/diagnosisCodeableConcept/coding/1/system",
      "W-FHIR-CODE-SYSTEM /diagnosis/1/diagnosisCodeableConcept/coding/0/system",
      "W-FHIR-CODE-SYSTEM /diagnosis/2/diagnosisCodeableConcept/coding/0/system",
      "W-FHIR-CODE /diagnosis/3/diagnosisCodeableConcept/coding/0/code",
  };
  BOOST_TEST(codes == expected, boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(diagnostics.size() == 4u);
  BOOST_TEST(diagnostics[1].message.find("is not the FHIR URI http://hl7.org/fhir/sid/icd-10 ") !=
             std::string::npos);
  BOOST_TEST(diagnostics[2].message.find("read as ICD-9-CM") != std::string::npos);
  BOOST_TEST(read.batch.empty());
}

// R4 choice elements ([x]) take one type. A sender that writes both servicedDate and
// servicedPeriod on an item (or timingDate and timingPeriod, diagnosisCodeableConcept and
// diagnosisReference) had one of them ignored without a word.
BOOST_AUTO_TEST_CASE(two_types_of_one_choice_element_are_reported) {
  std::string text =
      read_file(source_dir() / "tests/formats/data/fhir/institutional-icd-system-variants.json");
  auto insert_after = [&text](const std::string& anchor, const std::string& members) {
    const std::size_t at = text.find(anchor);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    text.insert(at + anchor.size(), members);
  };
  insert_after(R"("timingDate": "2026-09-28")",
               R"(, "timingPeriod": {"start": "2026-09-01", "end": "2026-09-02"})");
  const std::string item = "\"sequence\": 2,\n      \"productOrService\"";
  const std::size_t at = text.find(item);
  BOOST_TEST_REQUIRE(at != std::string::npos);
  text.insert(at + 14,
              R"( "servicedDate": "2026-10-02", "servicedPeriod": {"start": "2026-10-03"},)");
  const ReadText read = read_text(text, "c.json");
  BOOST_TEST_REQUIRE(read.claims.size() == 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.onset_date->iso() == "2026-09-28");
  BOOST_TEST(claim.lines[1].service_dates->from.iso() == "2026-10-02");
  std::vector<std::string> ignored;
  for (const auto& d : claim.diagnostics) {
    if (d.code == "W-FHIR-IGNORED") ignored.push_back(d.where.path + ": " + d.message);
  }
  const std::vector<std::string> expected = {
      "/item/1/servicedPeriod: servicedPeriod is sent beside servicedDate, but a choice element "
      "([x]) takes one type; servicedDate is read, servicedPeriod ignored",
      "/supportingInfo/0/timingPeriod: timingPeriod is sent beside timingDate, but a choice "
      "element ([x]) takes one type; timingDate is read, timingPeriod ignored",
  };
  BOOST_TEST(ignored == expected, boost::test_tools::per_element());
}

// Quantity.value and Money.value are R4 decimals (JSON numbers). Sent as strings they were
// dropped without a word (line units and charge, the claim total empty); now each is a located
// W-FHIR-IGNORED.
BOOST_AUTO_TEST_CASE(decimals_sent_as_strings_are_reported) {
  std::string text =
      read_file(source_dir() / "tests/formats/data/fhir/institutional-icd-system-variants.json");
  auto replace = [&text](const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  replace(R"("value": 4
      })",
          R"("value": "4"
      })");
  replace(R"("value": 4000,)", R"("value": "4000.00",)");
  replace(R"("value": 15000,)", R"("value": true,)");
  const ReadText read = read_text(text, "d.json");
  BOOST_TEST_REQUIRE(read.claims.size() == 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.lines[0].units == "");
  BOOST_TEST(claim.lines[0].charge == "");
  BOOST_TEST(claim.lines[1].charge == "11000.00");
  BOOST_TEST(claim.total_charge == "");
  std::vector<std::string> ignored;
  for (const auto& d : claim.diagnostics) {
    if (d.code == "W-FHIR-IGNORED") ignored.push_back(d.where.path + ": " + d.message);
  }
  const std::vector<std::string> expected = {
      "/total/value: expected a number (an R4 decimal), found a boolean; field ignored",
      "/item/0/quantity/value: expected a number (an R4 decimal), found a string; field ignored",
      "/item/0/net/value: expected a number (an R4 decimal), found a string; field ignored",
  };
  BOOST_TEST(ignored == expected, boost::test_tools::per_element());
}

// Item dates fall within billablePeriod (2026-10-01..05 here): an item dated 2026-10-09 was
// read without a word (the X12 reader reports the same for DTP*472 against DTP*434).
BOOST_AUTO_TEST_CASE(item_dated_outside_the_billable_period) {
  std::string text =
      read_file(source_dir() / "tests/formats/data/fhir/institutional-icd-system-variants.json");
  const std::string item = "\"sequence\": 2,\n      \"productOrService\"";
  const std::size_t at = text.find(item);
  BOOST_TEST_REQUIRE(at != std::string::npos);
  text.insert(at + 14, R"( "servicedDate": "2026-10-09",)");
  const ReadText read = read_text(text, "l.json");
  BOOST_TEST_REQUIRE(read.claims.size() == 1u);
  std::vector<std::string> dated;
  for (const auto& d : read.claims[0].diagnostics) {
    if (d.code == "W-FHIR-LINE-DATE") dated.push_back(d.where.path + ": " + d.message);
  }
  const std::vector<std::string> expected = {
      "/item/1: item 2 is dated 2026-10-09, outside the Claim's billablePeriod "
      "2026-10-01..2026-10-05"};
  BOOST_TEST(dated == expected, boost::test_tools::per_element());
  BOOST_TEST(read.claims[0].lines[1].service_dates->from.iso() == "2026-10-09");
}

// R4 JSON writes an entry of a primitive array that carries only extensions as null, with the
// extensions at the same index of the "_" array: "diagnosisSequence": [1, null] beside
// "_diagnosisSequence": [null, {...}] is valid R4. It rejected the whole Claim (E-FHIR-TYPE,
// "expected an integer, found null"). A null without extensions is reported and skipped.
BOOST_AUTO_TEST_CASE(null_entries_of_primitive_arrays_with_extensions) {
  auto claim = [](const std::string& pointers) {
    return R"({"resourceType": "Claim", "id": "c1", "identifier": [{"value": "N-1"}],
"status": "active", "_status": {"extension": [{"url": "urn:ext:a", "valueString": "b"}]},
"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
"use": "claim", "patient": {"reference": "Patient/1"}, "created": "2024-09-01",
"provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}},
"priority": {"coding": [{"code": "normal"}]},
"insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "Coverage/1"}}],
"diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62.830", "_code": {"id": "x"}}]}}],
"item": [{"sequence": 1, "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]},
  "servicedDate": "2024-08-15", )" +
           pointers + "}]}";
  };
  const ReadText extended = read_text(
      claim(
          R"("diagnosisSequence": [1, null], "_diagnosisSequence": [null, {"extension": [{"url": "urn:ext:c", "valueString": "d"}]}])"),
      "n1.json");
  BOOST_TEST(extended.rejection == "");
  BOOST_TEST(extended.batch.empty());
  BOOST_REQUIRE_EQUAL(extended.claims.size(), 1u);
  BOOST_TEST(extended.claims[0].lines.at(0).dx_pointers == (std::vector<int>{1}),
             boost::test_tools::per_element());
  BOOST_TEST(extended.claims[0].diagnostics.empty());

  const ReadText bare = read_text(claim(R"("diagnosisSequence": [null, 1])"), "n2.json");
  BOOST_REQUIRE_EQUAL(bare.claims.size(), 1u);
  BOOST_TEST(bare.claims[0].lines.at(0).dx_pointers == (std::vector<int>{1}),
             boost::test_tools::per_element());
  BOOST_TEST(rendered(bare.claims[0].diagnostics) ==
                 (std::vector<std::string>{
                     "n2.json:10:55: /item/0/diagnosisSequence/0: warning W-FHIR-IGNORED: null in "
                     "diagnosisSequence without an extension at the same index of "
                     "_diagnosisSequence (R4 JSON writes null only there); no pointer read"}),
             boost::test_tools::per_element());
}

// R4 ex-diagnosistype "principal" names the single most relevant diagnosis: a second one (in
// sequence order) is read as an other diagnosis with W-FHIR-PRINCIPAL, as X12 reads a second
// ABK; both stayed principal without a word.
BOOST_AUTO_TEST_CASE(a_second_principal_type_is_read_as_other) {
  auto dx = [](int seq, const std::string& code) {
    return R"({"sequence": )" + std::to_string(seq) +
           R"(, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": ")" +
           code +
           R"("}]}, "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/ex-diagnosistype", "code": "principal"}]}]})";
  };
  const std::string text =
      R"({"resourceType": "Claim", "id": "c1", "identifier": [{"value": "P-2"}],
"status": "active", "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "institutional"}]},
"use": "claim", "patient": {"reference": "Patient/1"}, "created": "2024-09-01",
"provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}},
"priority": {"coding": [{"code": "normal"}]},
"insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "Coverage/1"}}],
"billablePeriod": {"start": "2024-08-14", "end": "2024-08-16"},
"diagnosis": [)" +
      dx(2, "M54.50") + ", " + dx(1, "M62.830") + "]}";
  const ReadText read = read_text(text, "p2.json");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.diagnoses.at(0).code == "M62830");
  BOOST_TEST(model::to_string(claim.diagnoses.at(0).role) == "principal");
  BOOST_TEST(model::to_string(claim.diagnoses.at(1).role) == "other");
  std::vector<std::string> principal;
  for (const auto& d : claim.diagnostics) {
    if (d.code == "W-FHIR-PRINCIPAL") principal.push_back(d.where.path + ": " + d.message);
  }
  BOOST_TEST(
      principal == (std::vector<std::string>{
                       "/diagnosis/0/type: diagnosis.sequence 2 is typed principal after sequence "
                       "1: a claim has one principal diagnosis; read as an other diagnosis"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
