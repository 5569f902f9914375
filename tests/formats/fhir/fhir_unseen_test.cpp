// FHIR R4 Claims shaped as real senders write them and the shipped samples do not: modifier
// case by code system, dangling and mistyped references inside the resources a Claim is read
// from (Coverage, payor, Patient), supportingInfo onset/hospitalized, Claim.accident types,
// Coverage.type payer kinds (X12 SBR09, Source of Payment Typology, v3 ActCode), diagnosis.type
// codings after a local one, codings without a system, and Bundles with many Claims. Each case
// cites the R4 element it reads (hl7.org/fhir/R4/claim.html, coverage.html).
#include <algorithm>
#include <string>
#include <vector>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "formats/fhir/fhir_reader.hpp"
#include "support/read_text.hpp"

namespace claimaudit::formats::fhir {
namespace {

using Read = testing::ReadText;

Read read_text(const std::string& text) { return testing::read_text(text, "u.json"); }

using testing::rendered;

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return text;
}

// A complete R4 Claim (every required element) whose members after "id" come from `members`,
// so a test adds what it is about.
std::string claim_with(const std::string& members) {
  return R"({"resourceType": "Claim", "id": "u1", "identifier": [{"value": "U-1"}],
"status": "active", "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
"use": "claim", "patient": {"reference": "#pat"}, "created": "2024-08-20",
"provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}},
"priority": {"coding": [{"code": "normal"}]},
"insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "#cov"}}],
"diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62.830"}]}}],
)" + members +
         "}";
}

const char* const kContained =
    R"("contained": [{"resourceType": "Patient", "id": "pat", "gender": "female", "birthDate": "1970-01-01"},
 {"resourceType": "Coverage", "id": "cov", "status": "active", "beneficiary": {"reference": "#pat"}, "payor": [{"reference": "#org"}]},
 {"resourceType": "Organization", "id": "org", "identifier": [{"value": "PAYER1"}], "name": "Payer One"}])";

}  // namespace

BOOST_AUTO_TEST_SUITE(fhir_unseen)

// Claim.item.modifier (R4: CodeableConcept, example binding to the HL7 "modifiers" system; US
// claims send CPT/HCPCS modifiers). CPT, HCPCS (URI or OID) and system-less modifiers are
// upper-cased, as X12 and claimaudit JSON are; other systems keep their case.
BOOST_AUTO_TEST_CASE(cpt_hcpcs_and_systemless_modifiers_are_upper_cased_others_keep_case) {
  const Read read = read_text(claim_with(std::string(kContained) + R"(,
"item": [{"sequence": 1, "diagnosisSequence": [1], "servicedDate": "2024-08-15",
  "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]},
  "modifier": [{"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "rt"}]},
               {"coding": [{"code": "lt"}]},
               {"coding": [{"system": "urn:oid:2.16.840.1.113883.6.285", "code": "gp"}]},
               {"coding": [{"system": "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "code": "xs"}]},
               {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/modifiers", "code": "rooh"}]}]}])"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].lines.at(0).modifiers ==
                 (std::vector<std::string>{"RT", "LT", "GP", "XS", "rooh"}),
             boost::test_tools::per_element());
}

// A Coverage (read for the payer) whose payor and beneficiary references name nothing: each is
// a warning at its own pointer, the payer stays unknown, and the claim is still audited.
BOOST_AUTO_TEST_CASE(dangling_references_inside_the_coverage_are_located_warnings) {
  const Read bundle = read_text(R"({"resourceType": "Bundle", "type": "collection", "entry": [
{"fullUrl": "urn:uuid:c0000000-0000-4000-8000-000000000001", "resource": )" +
                                replace_all(claim_with(R"("item": [])"), "#cov",
                                            "urn:uuid:c0000000-0000-4000-8000-000000000002") +
                                R"(},
{"fullUrl": "urn:uuid:c0000000-0000-4000-8000-000000000002", "resource": {"resourceType": "Coverage", "id": "cov", "status": "active",
  "beneficiary": {"reference": "Patient/nobody"},
  "payor": [{"reference": "urn:uuid:c0000000-0000-4000-8000-00000000dead"}]}}]})");
  BOOST_TEST(bundle.rejection == "");
  BOOST_REQUIRE_EQUAL(bundle.claims.size(), 1u);
  const model::Claim& claim = bundle.claims[0];
  BOOST_TEST(claim.payer.id == "");
  BOOST_TEST(claim.payer.name == "");
  BOOST_TEST(claim.payer.origin.pointer == "/entry/1/resource/payor/0");
  BOOST_TEST(rendered(claim.diagnostics) ==
                 (std::vector<std::string>{
                     "u.json:4:42: /entry/0/resource/patient/reference: warning "
                     "W-FHIR-DANGLING-REF: a contained (#id) reference resolves to no resource in "
                     "this Bundle",
                     "u.json:11:32: /entry/1/resource/beneficiary/reference: warning "
                     "W-FHIR-DANGLING-REF: a Patient reference in the Coverage the Claim refers "
                     "to resolves to no resource in this Bundle",
                     "u.json:12:27: /entry/1/resource/payor/0/reference: warning "
                     "W-FHIR-DANGLING-REF: a urn:uuid reference in the Coverage the Claim refers "
                     "to resolves to no resource in this Bundle"}),
             boost::test_tools::per_element());

  // Contained in a bare Claim: "#org" is missing from the Claim's contained list.
  const Read bare = read_text(claim_with(
      replace_all(kContained, R"("id": "org")", R"("id": "other")") + R"(, "item": [])"));
  BOOST_REQUIRE_EQUAL(bare.claims.size(), 1u);
  BOOST_TEST(bare.claims[0].payer.id == "");
  BOOST_TEST(rendered(bare.claims[0].diagnostics) ==
                 (std::vector<std::string>{
                     "u.json:9:126: /contained/1/payor/0/reference: warning W-FHIR-DANGLING-REF: "
                     "a contained (#id) reference in the Coverage the Claim refers to resolves to "
                     "no resource in this document"}),
             boost::test_tools::per_element());
}

// A reference to a resource of the wrong type is not read as if it were the right one: a
// Patient's identifier is no payer id (and is PHI). A self-pay Coverage.payor (R4:
// Reference(Organization | Patient | RelatedPerson)) leaves the payer id and name empty: its
// display is a person's name.
BOOST_AUTO_TEST_CASE(mistyped_and_self_pay_references_put_no_person_data_in_the_payer) {
  const std::string patient_with_id =
      R"({"resourceType": "Patient", "id": "pat", "identifier": [{"value": "MRN-000123"}], "gender": "female"})";
  // insurance.coverage names the Patient.
  Read read = read_text(
      replace_all(claim_with(R"("contained": [)" + patient_with_id + R"(], "item": [])"),
                  R"("coverage": {"reference": "#cov"})", R"("coverage": {"reference": "#pat"})"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].payer.id == "");
  BOOST_TEST(rendered(read.claims[0].diagnostics) ==
                 (std::vector<std::string>{
                     "u.json:6:72: /insurance/0/coverage/reference: warning W-FHIR-REF-TYPE: "
                     "Claim.insurance.coverage should name a Coverage, not a Patient; not used"}),
             boost::test_tools::per_element());

  // Self-pay: payor is the Patient, with a display.
  read = read_text(claim_with(
      R"("contained": [)" + patient_with_id +
      R"(, {"resourceType": "Coverage", "id": "cov", "status": "active", "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-selfpay", "code": "pay"}]}, "beneficiary": {"reference": "#pat"}, "payor": [{"reference": "#pat", "display": "Jane Q Public"}]}], "item": [])"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].payer.name == "");
  BOOST_TEST(read.claims[0].payer.id == "");
  BOOST_TEST(rendered(read.claims[0].diagnostics).empty());
  BOOST_TEST(read.claims[0].patient.member_id.reveal() == "MRN-000123");  // Only as PHI.

  // A logical self-pay payor reference (not in the document) is known by its type.
  read = read_text(claim_with(
      R"("contained": [{"resourceType": "Coverage", "id": "cov", "status": "active", "beneficiary": {"reference": "Patient/1"}, "payor": [{"type": "RelatedPerson", "display": "John Q Public", "identifier": {"value": "RP-77"}}]}], "item": [])"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].payer.name == "");
  BOOST_TEST(read.claims[0].payer.id == "");
}

// Claim.supportingInfo (R4 category codes, claiminformationcategory): onset -> onset date
// (837P DTP*431); hospitalized -> the start of the hospitalization is the admission date
// (DTP*435); a display written as the code ("Hospitalized") is read the same.
// employmentimpacted (dates unable to work, CMS-1500 box 16) has no field in the claim model
// and says nothing about the cause: it changes nothing.
BOOST_AUTO_TEST_CASE(onset_and_hospitalized_supporting_info_fill_their_dates) {
  const Read read = read_text(claim_with(std::string(kContained) + R"(,
"supportingInfo": [
 {"sequence": 1, "category": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claiminformationcategory", "code": "onset"}]}, "timingDate": "2024-08-01"},
 {"sequence": 2, "category": {"coding": [{"code": "Hospitalized"}]}, "timingPeriod": {"start": "2024-08-10", "end": "2024-08-12"}},
 {"sequence": 3, "category": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claiminformationcategory", "code": "employmentimpacted"}]}, "timingPeriod": {"start": "2024-08-10"}}],
"item": [])"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_REQUIRE(claim.onset_date.has_value());
  BOOST_TEST(claim.onset_date->iso() == "2024-08-01");
  BOOST_REQUIRE(claim.admission_date.has_value());
  BOOST_TEST(claim.admission_date->iso() == "2024-08-10");
  BOOST_TEST(model::to_string(claim.accident.cause) == "none");
  BOOST_TEST(claim.accident.related_causes.empty());
  BOOST_TEST(rendered(claim.diagnostics).empty());
}

struct AccidentCase {
  std::string name;
  std::string accident;  // The Claim.accident object.
  std::string cause;
  std::vector<std::string> related;
  std::string date;  // "" = none.
  std::string state;
};
std::ostream& operator<<(std::ostream& out, const AccidentCase& c) { return out << c.name; }

const std::vector<AccidentCase> kAccidents = {
    {"motor_vehicle",
     R"({"date": "2024-08-14", "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "MVA"}]}, "locationAddress": {"state": "UT"}})",
     "auto",
     {"AA"},
     "2024-08-14",
     "UT"},
    {"workplace",
     R"({"date": "2024-08-14", "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "WPA"}]}})",
     "employment",
     {"EM"},
     "2024-08-14",
     ""},
    {"school_after_a_local_coding",
     R"({"date": "2024-08-14", "type": {"coding": [{"system": "urn:local", "code": "K9"}, {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "SCHOOL"}]}})",
     "other",
     {"OA"},
     "2024-08-14",
     ""},
    {"sporting",
     R"({"date": "2024-08-14", "type": {"coding": [{"code": "SPT"}]}})",
     "other",
     {"OA"},
     "2024-08-14",
     ""},
    {"x12_related_cause_code",
     R"({"date": "2024-08-14", "type": {"coding": [{"code": "EM"}]}})",
     "employment",
     {"EM"},
     "2024-08-14",
     ""},
    // DTP*439 without CLM11: a date, no cause.
    {"date_only", R"({"date": "2024-08-14"})", "none", {}, "2024-08-14", ""},
    // Not valid R4 (date is 1..1), but still an accident.
    {"nothing_but_a_place", R"({"locationAddress": {"state": "NV"}})", "other", {"OA"}, "", "NV"},
    {"location_reference",
     R"({"date": "2024-08-14", "type": {"coding": [{"code": "MVA"}]}, "locationReference": {"reference": "#loc"}})",
     "auto",
     {"AA"},
     "2024-08-14",
     "CO"},
};

// Claim.accident: date, type (v3 ActIncidentCode, extensible), location[x]. The type gives the
// cause and the CLM11-style related cause rules read (accident_indicated), as an 837P would.
BOOST_DATA_TEST_CASE(accident_type_date_and_place_map_like_clm11_and_dtp439,
                     boost::unit_test::data::make(kAccidents), sample) {
  const Read read = read_text(claim_with(
      replace_all(
          kContained, R"({"resourceType": "Patient")",
          R"({"resourceType": "Location", "id": "loc", "address": {"state": "CO"}}, {"resourceType": "Patient")") +
      R"(, "accident": )" + sample.accident + R"(, "item": [])"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Accident& accident = read.claims[0].accident;
  BOOST_TEST(model::to_string(accident.cause) == sample.cause);
  BOOST_TEST(accident.related_causes == sample.related, boost::test_tools::per_element());
  BOOST_TEST((accident.date ? accident.date->iso() : "") == sample.date);
  BOOST_TEST(accident.state == sample.state);
  BOOST_TEST(accident.origin.pointer == "/accident");
  BOOST_TEST(rendered(read.claims[0].diagnostics).empty());
}

struct CoverageType {
  std::string name;
  std::string coding;  // One Coding of Coverage.type.
  std::string kind;
  std::string filing_indicator;
};
std::ostream& operator<<(std::ostream& out, const CoverageType& c) { return out << c.name; }

const std::vector<CoverageType> kCoverageTypes = {
    {"x12_sbr09_system", R"({"system": "https://x12.org/005010/1032", "code": "MB"})", "medicare",
     "MB"},
    {"sbr09_letters_without_system", R"({"code": "WC"})", "workers_comp", "WC"},
    {"sopt_medicare", R"({"system": "https://nahdo.org/sopt", "code": "121"})", "medicare", ""},
    {"sopt_medicaid_oid", R"({"system": "urn:oid:2.16.840.1.113883.3.221.5", "code": "2"})",
     "medicaid", ""},
    {"sopt_tricare", R"({"system": "https://nahdo.org/sopt", "code": "311"})", "tricare", ""},
    {"sopt_veterans", R"({"system": "https://nahdo.org/sopt", "code": "32"})", "va", ""},
    {"sopt_bcbs", R"({"system": "https://nahdo.org/sopt", "code": "6"})", "commercial", ""},
    {"sopt_workers_comp", R"({"system": "https://nahdo.org/sopt", "code": "95"})", "workers_comp",
     ""},
    {"sopt_auto", R"({"system": "https://nahdo.org/sopt", "code": "96"})", "auto", ""},
    {"sopt_liability", R"({"system": "https://nahdo.org/sopt", "code": "97"})", "liability", ""},
    {"sopt_no_payment", R"({"system": "https://nahdo.org/sopt", "code": "81"})", "other", ""},
    {"v3_workers_comp",
     R"({"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "WCBPOL"})",
     "workers_comp", ""},
    {"v3_auto",
     R"({"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AUTOPOL"})", "auto",
     ""},
    // Managed care (v3 ManagedCarePolicy: MCPOL, HMO, POS, PPO) is commercial, as SBR09 HM, 13
    // and 12 are; MCPOL was "unknown". Also the v3 OID, public programs, liability.
    {"v3_managed_care",
     R"({"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "MCPOL"})",
     "commercial", ""},
    {"v3_hmo", R"({"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HMO"})",
     "commercial", ""},
    {"v3_oid_ppo", R"({"system": "urn:oid:2.16.840.1.113883.5.4", "code": "PPO"})", "commercial",
     ""},
    {"v3_public_program",
     R"({"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "PUBLICPOL"})",
     "other", ""},
    {"v3_umbrella_liability",
     R"({"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "UMBRL"})",
     "liability", ""},
    {"v3_health_plan_type_says_nothing",
     R"({"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HIP"})", "unknown",
     ""},
    // SOPT 9999 is "unavailable / no payer specified" (it was "other"); the URI with www. and a
    // trailing slash still names SOPT.
    {"sopt_unavailable", R"({"system": "https://nahdo.org/sopt", "code": "9999"})", "unknown", ""},
    {"sopt_www_uri", R"({"system": "http://www.nahdo.org/sopt/", "code": "1"})", "medicare", ""},
    // Two-digit codes without a system are ambiguous (SBR09 12 is a PPO, SOPT 12 Medicare).
    {"bare_digits_say_nothing", R"({"code": "12"})", "unknown", ""},
    {"v3_health_plan_says_nothing",
     R"({"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "EHCPOL"})",
     "unknown", ""},
    // v3 ActCode coverage types without a system (they were "unknown"): no SBR09 or SOPT code
    // is spelled like one, so they are read as ActCode, and said (coverage_type_without_a_system).
    {"bare_v3_managed_care", R"({"code": "MCPOL"})", "commercial", ""},
    {"bare_v3_workers_comp", R"({"code": "WCBPOL"})", "workers_comp", ""},
    {"bare_v3_veteran", R"({"code": "VET"})", "va", ""},
    {"bare_v3_health_plan_says_nothing", R"({"code": "HIP"})", "unknown", ""},
    // A coding with a system outranks one without, whichever comes first.
    {"system_coding_outranks_bare_one",
     R"({"code": "MCPOL"}, {"system": "https://nahdo.org/sopt", "code": "1"})", "medicare", ""},
};

// Coverage.type (R4: CodeableConcept, example binding to ActCoverageTypeCode, so any system):
// the payer kind the liability and Medicare rules filter on.
BOOST_DATA_TEST_CASE(coverage_type_gives_the_payer_kind,
                     boost::unit_test::data::make(kCoverageTypes), sample) {
  const Read read =
      read_text(claim_with(replace_all(kContained, R"("id": "cov", "status": "active",)",
                                       R"("id": "cov", "status": "active", "type": {"coding": [)" +
                                           sample.coding + "]},") +
                           R"(, "item": [])"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(model::to_string(read.claims[0].payer.kind) == sample.kind);
  BOOST_TEST(read.claims[0].payer.filing_indicator == sample.filing_indicator);
  BOOST_TEST(read.claims[0].payer.id == "PAYER1");
}

// Claim.provider's NPI and tax id (the claim key is NPI|claim id): R4's identifier registry lists
// the NPI as http://hl7.org/fhir/sid/us-npi and as the OID 2.16.840.1.113883.4.6, which systems
// converting from CDA or v2 send (the NPI was lost); an identifier without a system is an NPI or
// a tax id by its v2-0203 type (NPI, TAX). A system other than the NPI's is not read as one.
BOOST_AUTO_TEST_CASE(provider_npi_by_its_oid_or_by_identifier_type) {
  auto read_provider = [](const std::string& identifiers) {
    return read_text(replace_all(
        claim_with(replace_all(kContained, R"({"resourceType": "Organization", "id": "org")",
                               R"({"resourceType": "Organization", "id": "prov", "identifier": [)" +
                                   identifiers +
                                   R"(]}, {"resourceType": "Organization", "id": "org")") +
                   R"(, "item": [])"),
        R"("provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}})",
        R"("provider": {"reference": "#prov"})"));
  };
  const Read oid = read_provider(
      R"({"system": "urn:oid:2.16.840.1.113883.4.6", "value": "1245319599"},
         {"system": "urn:oid:2.16.840.1.113883.4.4", "value": "123456789"})");
  BOOST_REQUIRE_EQUAL(oid.claims.size(), 1u);
  BOOST_TEST(oid.claims[0].billing_provider.npi == "1245319599");
  BOOST_TEST(oid.claims[0].billing_provider.tax_id == "123456789");
  BOOST_TEST(oid.claims[0].billing_provider.origin.pointer == "/contained/2/identifier/0/value");

  const Read typed = read_provider(
      R"({"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "TAX"}]}, "value": "987654321"},
         {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "NPI"}]}, "value": "1003000126"})");
  BOOST_REQUIRE_EQUAL(typed.claims.size(), 1u);
  BOOST_TEST(typed.claims[0].billing_provider.npi == "1003000126");
  BOOST_TEST(typed.claims[0].billing_provider.tax_id == "987654321");

  // A state Medicaid provider id typed NPI under its own system is not an NPI.
  const Read other = read_provider(
      R"({"system": "urn:oid:2.16.840.1.113883.3.249.9", "type": {"coding": [{"code": "NPI"}]}, "value": "M12345"})");
  BOOST_REQUIRE_EQUAL(other.claims.size(), 1u);
  BOOST_TEST(other.claims[0].billing_provider.npi.empty());
}

// Claim.provider may be a PractitionerRole (R4: Reference(Practitioner | PractitionerRole |
// Organization)), which carries no NPI of its own: the ids are its organization's (the billing
// group, X12 2010AA), else its practitioner's (the NPI was empty).
BOOST_AUTO_TEST_CASE(provider_practitioner_role_takes_its_organization_then_practitioner_ids) {
  auto read_role = [](const std::string& role_members) {
    return read_text(replace_all(
        claim_with(
            replace_all(
                kContained, R"({"resourceType": "Organization", "id": "org")",
                R"({"resourceType": "PractitionerRole", "id": "role", )" + role_members +
                    R"(}, {"resourceType": "Practitioner", "id": "doc", "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}]},
 {"resourceType": "Organization", "id": "grp", "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1003000126"}, {"system": "urn:oid:2.16.840.1.113883.4.4", "value": "987654321"}]},
 {"resourceType": "Organization", "id": "org")") +
            R"(, "item": [])"),
        R"("provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}})",
        R"("provider": {"reference": "#role"})"));
  };
  const Read both =
      read_role(R"("practitioner": {"reference": "#doc"}, "organization": {"reference": "#grp"})");
  BOOST_REQUIRE_EQUAL(both.claims.size(), 1u);
  BOOST_TEST(both.claims[0].billing_provider.npi == "1003000126");
  BOOST_TEST(both.claims[0].billing_provider.tax_id == "987654321");
  BOOST_TEST(both.claims[0].billing_provider.origin.pointer == "/contained/4/identifier/0/value");
  BOOST_TEST(rendered(both.claims[0].diagnostics).empty());

  const Read practitioner = read_role(R"("practitioner": {"reference": "#doc"})");
  BOOST_REQUIRE_EQUAL(practitioner.claims.size(), 1u);
  BOOST_TEST(practitioner.claims[0].billing_provider.npi == "1234567893");
  BOOST_TEST(practitioner.claims[0].billing_provider.tax_id.empty());

  // A dangling organization: said where it is, and the practitioner's NPI is used.
  const Read dangling =
      read_role(R"("practitioner": {"reference": "#doc"}, "organization": {"reference": "#gone"})");
  BOOST_REQUIRE_EQUAL(dangling.claims.size(), 1u);
  BOOST_TEST(dangling.claims[0].billing_provider.npi == "1234567893");
  BOOST_TEST(rendered(dangling.claims[0].diagnostics).size() == 1u);
}

// R4 JSON writes an integer without a fraction or exponent, but serialisers that type every
// number as a float write a sequence as 1.0: the whole Claim was E-FHIR-TYPE and not audited.
// A whole number is read as that integer and said (W-FHIR-INTEGER at its pointer); a fraction
// is still an error.
BOOST_AUTO_TEST_CASE(sequences_written_as_whole_decimals_are_read_and_said) {
  const std::string claim =
      replace_all(claim_with(std::string(kContained) + R"(,
"item": [{"sequence": 1.0, "diagnosisSequence": [1E0], "servicedDate": "2024-08-15",
  "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]}}])"),
                  R"("diagnosis": [{"sequence": 1,)", R"("diagnosis": [{"sequence": 1.0,)");
  const Read read = read_text(claim);
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& c = read.claims[0];
  BOOST_TEST(c.diagnoses.at(0).seq == 1);
  BOOST_TEST(c.lines.at(0).seq == 1);
  BOOST_TEST(c.lines.at(0).dx_pointers == (std::vector<int>{1}), boost::test_tools::per_element());
  std::vector<std::string> said;
  for (const core::Diagnostic& d : c.diagnostics) said.push_back(d.code + " " + d.where.path);
  BOOST_TEST(said == (std::vector<std::string>{"W-FHIR-INTEGER /diagnosis/0/sequence",
                                               "W-FHIR-INTEGER /item/0/sequence",
                                               "W-FHIR-INTEGER /item/0/diagnosisSequence/0"}),
             boost::test_tools::per_element());
  BOOST_TEST(rendered(c.diagnostics).at(1).find("read as 1") != std::string::npos);

  const Read fraction = read_text(replace_all(claim, R"("sequence": 1.0, "diagnosisSequence")",
                                              R"("sequence": 1.5, "diagnosisSequence")"));
  BOOST_TEST(fraction.claims.empty());

  // A diagnosis without a usable code whose sequence is 2.0: a pointer to it is dropped as one
  // to any codeless diagnosis is (it was "matches no diagnosis.sequence; kept").
  const Read codeless = read_text(replace_all(
      replace_all(
          claim, R"("diagnosis": [{"sequence": 1.0,)",
          R"("diagnosis": [{"sequence": 2.0, "diagnosisCodeableConcept": {"text": "back pain"}}, {"sequence": 1.0,)"),
      R"("diagnosisSequence": [1E0])", R"("diagnosisSequence": [1E0, 2])"));
  BOOST_REQUIRE_EQUAL(codeless.claims.size(), 1u);
  BOOST_TEST(codeless.claims[0].lines.at(0).dx_pointers == (std::vector<int>{1}),
             boost::test_tools::per_element());
  const std::vector<std::string> lines = rendered(codeless.claims[0].diagnostics);
  BOOST_TEST(std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
    return line.find(
               "/item/0/diagnosisSequence/1: warning W-FHIR-DX-SEQUENCE: diagnosisSequence "
               "2 points to a diagnosis without a usable code; pointer dropped") !=
           std::string::npos;
  }));
}

// R4 Coding.system: a code without a system has no defined meaning. A Coverage.type code that
// is an SBR09 letter code or a v3 ActCode coverage type is still read as one (the payer kind
// decides which rules run), and a located W-FHIR-CODE-SYSTEM says the kind was inferred; any
// other code gives payer kind unknown, and says why.
BOOST_AUTO_TEST_CASE(coverage_type_without_a_system_is_read_and_said) {
  auto read_type = [](const std::string& coding) {
    return read_text(claim_with(
        replace_all(kContained, R"("id": "cov", "status": "active",)",
                    R"("id": "cov", "status": "active", "type": {"coding": [)" + coding + "]},") +
        R"(, "item": [])"));
  };
  const Read act = read_type(R"({"code": "MCPOL"})");
  BOOST_REQUIRE_EQUAL(act.claims.size(), 1u);
  BOOST_TEST(model::to_string(act.claims[0].payer.kind) == "commercial");
  BOOST_TEST(rendered(act.claims[0].diagnostics) ==
                 (std::vector<std::string>{
                     "u.json:9:84: /contained/1/type/coding/0: warning W-FHIR-CODE-SYSTEM: "
                     "Coverage.type code 'MCPOL' has no system (R4: a code without a system has "
                     "no defined meaning); it is a v3 ActCode coverage type, read as one: payer "
                     "kind commercial"}),
             boost::test_tools::per_element());

  const Read letters = read_type(R"({"code": "MB"})");
  BOOST_REQUIRE_EQUAL(letters.claims.size(), 1u);
  BOOST_TEST(model::to_string(letters.claims[0].payer.kind) == "medicare");
  BOOST_TEST(letters.claims[0].payer.filing_indicator == "MB");
  BOOST_TEST(rendered(letters.claims[0].diagnostics) ==
                 (std::vector<std::string>{
                     "u.json:9:84: /contained/1/type/coding/0: warning W-FHIR-CODE-SYSTEM: "
                     "Coverage.type code 'MB' has no system (R4: a code without a system has no "
                     "defined meaning); it is an X12 claim filing indicator code (SBR09), read as "
                     "one: payer kind medicare"}),
             boost::test_tools::per_element());

  // The first known code among those without a system; "12" is SBR09 PPO and SOPT Medicare.
  const Read second = read_type(R"({"code": "12"}, {"code": "AUTOPOL"})");
  BOOST_REQUIRE_EQUAL(second.claims.size(), 1u);
  BOOST_TEST(model::to_string(second.claims[0].payer.kind) == "auto");
  BOOST_TEST(rendered(second.claims[0].diagnostics).size() == 1u);

  const Read digits = read_type(R"({"code": "12"})");
  BOOST_REQUIRE_EQUAL(digits.claims.size(), 1u);
  BOOST_TEST(model::to_string(digits.claims[0].payer.kind) == "unknown");
  BOOST_TEST(rendered(digits.claims[0].diagnostics) ==
                 (std::vector<std::string>{
                     "u.json:9:84: /contained/1/type/coding/0: warning W-FHIR-CODE-SYSTEM: "
                     "Coverage.type code '12' has no system (R4: a code without a system has no "
                     "defined meaning) and is neither an X12 claim filing indicator letter code "
                     "(SBR09) nor a v3 ActCode coverage type; not read, payer kind unknown"}),
             boost::test_tools::per_element());

  // A coding with a system that gives the kind: nothing to say about the one without.
  const Read both =
      read_type(R"({"code": "MCPOL"}, {"system": "https://nahdo.org/sopt", "code": "1"})");
  BOOST_REQUIRE_EQUAL(both.claims.size(), 1u);
  BOOST_TEST(rendered(both.claims[0].diagnostics).empty());
}

// diagnosis.type is 0..* CodeableConcept, each with any number of codings: "principal" after a
// local coding still counts, and the US claim types for external causes and reasons for visit
// (CARIN C4BBClaimDiagnosisType) give their roles.
BOOST_AUTO_TEST_CASE(diagnosis_type_codings_are_all_read) {
  const Read read = read_text(replace_all(
      claim_with(std::string(kContained) + R"(, "item": [])"),
      R"("diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62.830"}]}}])",
      R"("diagnosis": [
 {"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "R69"}]}, "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/ex-diagnosistype", "code": "admitting"}]}]},
 {"sequence": 2, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62.830"}]}, "type": [{"coding": [{"system": "urn:local", "code": "P"}, {"system": "http://terminology.hl7.org/CodeSystem/ex-diagnosistype", "code": "principal"}]}]},
 {"sequence": 3, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "W19.XXXA"}]}, "type": [{"coding": [{"system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimDiagnosisType", "code": "externalcauseofinjury"}]}]},
 {"sequence": 4, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.50"}]}, "type": [{"coding": [{"system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimDiagnosisType", "code": "patientreasonforvisit"}]}]}])"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  std::vector<std::string> roles;
  for (const auto& d : read.claims[0].diagnoses) {
    roles.push_back(d.code + " " + std::string(model::to_string(d.role)));
  }
  BOOST_TEST(
      roles == (std::vector<std::string>{"R69 admitting", "M62830 principal",
                                         "W19XXXA external_cause", "M5450 reason_for_visit"}),
      boost::test_tools::per_element());
}

// A SNOMED CT coding listed before a system-less one spelled like an ICD-10-CM code: the claim
// code is the latter (lower case and without its dot, normalised), not the SNOMED one.
BOOST_AUTO_TEST_CASE(a_systemless_icd_spelled_coding_wins_over_a_foreign_system) {
  const Read read = read_text(replace_all(
      claim_with(std::string(kContained) + R"(, "item": [])"),
      R"({"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62.830"})",
      R"({"system": "http://snomed.info/sct", "code": "279039007", "display": "Low back pain"}, {"code": "m5450", "display": "Low back pain, unspecified"})"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Diagnosis& diagnosis = read.claims[0].diagnoses.at(0);
  BOOST_TEST(diagnosis.code == "M5450");
  BOOST_TEST(diagnosis.raw == "m5450");
  BOOST_TEST(diagnosis.qualifier == "");
  BOOST_TEST(diagnosis.origin.pointer == "/diagnosis/0/diagnosisCodeableConcept/coding/1/code");
  // Audited as ICD-10-CM, as the rule dx.code_system_uri's note says (session 9: the code system
  // was "unknown", so no ICD-10-CM rule looked at the code while the note said it did).
  BOOST_TEST(model::to_string(diagnosis.code_system) == "icd10cm");
  BOOST_TEST(rendered(read.claims[0].diagnostics).empty());
}

// A coding without a system that is not spelled like ICD-10-CM (an ICD-9-CM code, a number):
// kept as sent with code system unknown, so no ICD-10-CM rule reads it, and a located warning
// says it is not audited.
BOOST_AUTO_TEST_CASE(a_systemless_coding_not_spelled_like_icd10cm_is_not_audited) {
  const Read read =
      read_text(replace_all(claim_with(std::string(kContained) + R"(, "item": [])"),
                            R"({"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62.830"})",
                            R"({"code": "722.10"})"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Diagnosis& diagnosis = read.claims[0].diagnoses.at(0);
  BOOST_TEST(diagnosis.raw == "722.10");
  BOOST_TEST(model::to_string(diagnosis.code_system) == "unknown");
  BOOST_TEST(rendered(read.claims[0].diagnostics) ==
                 (std::vector<std::string>{
                     "u.json:7:80: /diagnosis/0/diagnosisCodeableConcept/coding/0/code: warning "
                     "W-FHIR-CODE: \"722.10\" has no coding system and is not spelled like an "
                     "ICD-10-CM code; kept as sent, not audited as ICD-10-CM"}),
             boost::test_tools::per_element());
}

// Claim.item.detail and detail.subDetail (R4: the parts an item bills, e.g. frame and lenses)
// are not lines of their own: the item is the billed line. A located warning says their codes
// were not audited (session 9: they were dropped without a word).
BOOST_AUTO_TEST_CASE(item_details_are_not_lines_and_are_reported_as_not_audited) {
  const Read read = read_text(claim_with(std::string(kContained) + R"(,
"item": [{"sequence": 1, "diagnosisSequence": [1], "servicedDate": "2024-08-15",
  "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "92340"}]},
  "net": {"value": 100.00, "currency": "USD"},
  "detail": [{"sequence": 1, "productOrService": {"coding": [{"system": "urn:oid:2.16.840.1.113883.6.285", "code": "V2020"}]}, "net": {"value": 60}},
             {"sequence": 2, "productOrService": {"coding": [{"system": "urn:oid:2.16.840.1.113883.6.285", "code": "V2100"}]}, "net": {"value": 40},
              "subDetail": [{"sequence": 1, "productOrService": {"coding": [{"code": "V2744"}]}}]}]},
 {"sequence": 2, "diagnosisSequence": [1], "servicedDate": "2024-08-15",
  "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "92015"}]}}])"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_REQUIRE_EQUAL(claim.lines.size(), 2u);
  BOOST_TEST(claim.lines[0].procedure_code == "92340");
  BOOST_TEST(claim.lines[0].charge == "100.00");
  BOOST_TEST(claim.lines[1].procedure_code == "92015");
  BOOST_TEST(rendered(claim.diagnostics) ==
                 (std::vector<std::string>{
                     "u.json:14:13: /item/0/detail: warning W-FHIR-DETAIL: 2 details (1 subDetail) "
                     "itemise this item; their codes are not audited, the item's productOrService "
                     "and modifiers are"}),
             boost::test_tools::per_element());
}

// A searchset Bundle (a FHIR server's answer to GET ExplanationOfBenefit?_include=...:claim, or
// to GET Claim?...&_include=Claim:related): its results are the entries whose search.mode is
// "match"; "include" entries are supporting resources. An included Claim (here the original a
// replacement names) is resolvable but not audited (session 9: every Claim was audited).
BOOST_AUTO_TEST_CASE(searchset_include_claims_are_not_audited) {
  const std::string original =
      replace_all(replace_all(claim_with(std::string(kContained) + R"(, "item": [])"),
                              R"("id": "u1")", R"("id": "orig")"),
                  R"("U-1")", R"("ORIG-1")");
  const std::string replacement = replace_all(
      claim_with(
          std::string(kContained) +
          R"(, "related": [{"claim": {"reference": "Claim/orig"}, "relationship": {"coding": [{"code": "prior"}]}}], "item": [])"),
      R"("id": "u1")", R"("id": "repl")");
  const std::string bundle =
      R"({"resourceType": "Bundle", "type": "searchset", "total": 1, "entry": [
{"fullUrl": "http://example.org/fhir/Claim/repl", "resource": )" +
      replacement + R"(, "search": {"mode": "match"}},
{"fullUrl": "http://example.org/fhir/Claim/orig", "resource": )" +
      original + R"(, "search": {"mode": "include"}}]})";
  const Read read = read_text(bundle);
  BOOST_TEST(read.rejection == "");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].origin.pointer == "/entry/0/resource");
  BOOST_TEST(rendered(read.claims[0].diagnostics).empty());
  BOOST_REQUIRE_EQUAL(read.diagnostics.size(), 1u);
  BOOST_TEST(read.diagnostics[0].code == "W-FHIR-NOT-AUDITED");
  BOOST_TEST(read.diagnostics[0].where.path == "/entry/1/search/mode");
  BOOST_TEST(read.diagnostics[0].message ==
             "Bundle entry has search.mode \"include\": the Claim supports the search results "
             "and is not audited");

  // Only included Claims (the matches are ExplanationOfBenefits): nothing to audit.
  const Read only_included = read_text(
      R"({"resourceType": "Bundle", "type": "searchset", "entry": [
{"fullUrl": "http://example.org/fhir/ExplanationOfBenefit/e1", "resource": {"resourceType": "ExplanationOfBenefit", "id": "e1", "claim": {"reference": "Claim/orig"}}, "search": {"mode": "match"}},
{"fullUrl": "http://example.org/fhir/Claim/orig", "resource": )" +
      original + R"(, "search": {"mode": "include"}}]})");
  BOOST_TEST(only_included.claims.empty());
  BOOST_TEST(only_included.rejection ==
             "u.json:1:58: /entry: error E-FHIR-NO-CLAIM: no Claim to audit: the Bundle's 1 "
             "Claim is a search include (search.mode \"include\"), not a search match");
}

// ICD-10-CM codes as senders write them under the US system: without the dot, in lower case,
// with the dot: one normalised code each.
BOOST_AUTO_TEST_CASE(icd10cm_codes_without_dots_or_in_lower_case_are_normalised) {
  std::string diagnoses;
  const std::vector<std::string> written = {"M62830", "m62.830", "s39.012a", " X500XXA "};
  for (std::size_t i = 0; i < written.size(); ++i) {
    if (i > 0) diagnoses += ", ";
    diagnoses +=
        R"({"sequence": )" + std::to_string(i + 1) +
        R"(, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": ")" +
        written[i] + R"("}]}})";
  }
  const Read read = read_text(replace_all(
      claim_with(std::string(kContained) + R"(, "item": [])"),
      R"({"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62.830"}]}})",
      diagnoses));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  std::vector<std::string> codes;
  for (const auto& d : read.claims[0].diagnoses) codes.push_back(d.code);
  BOOST_TEST(codes == (std::vector<std::string>{"M62830", "M62830", "S39012A", "X500XXA"}),
             boost::test_tools::per_element());
  BOOST_TEST(rendered(read.claims[0].diagnostics).empty());
}

// item.diagnosisSequence (R4: positiveInt values of diagnosis.sequence). One that names no
// diagnosis is kept, as an 837P keeps an SV107 position beyond the HI list, so the audit's
// pointer rule (line.pointer_invalid) reports the line; one that is not a positive integer is
// dropped. A supportingInfo external cause gets a sequence above both, so no pointer names it.
BOOST_AUTO_TEST_CASE(a_pointer_to_a_missing_sequence_is_kept_for_the_pointer_rule) {
  const Read read = read_text(claim_with(std::string(kContained) + R"(,
"supportingInfo": [{"sequence": 1, "category": {"coding": [{"code": "externalcause"}]}, "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "X50.0XXA"}]}}],
"item": [{"sequence": 1, "diagnosisSequence": [1, 2, 0], "servicedDate": "2024-08-15",
  "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]}}])"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.lines.at(0).dx_pointers == (std::vector<int>{1, 2}),
             boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(claim.diagnoses.size(), 2u);
  BOOST_TEST(claim.diagnoses[1].seq == 3);
  BOOST_TEST(model::to_string(claim.diagnoses[1].role) == "external_cause");
  BOOST_TEST(rendered(claim.diagnostics) ==
                 (std::vector<std::string>{
                     "u.json:12:51: /item/0/diagnosisSequence/1: warning W-FHIR-DX-SEQUENCE: "
                     "diagnosisSequence 2 matches no diagnosis.sequence; kept for the audit",
                     "u.json:12:54: /item/0/diagnosisSequence/2: warning W-FHIR-DX-SEQUENCE: "
                     "diagnosisSequence is not a positive integer; pointer dropped"}),
             boost::test_tools::per_element());
}

// A transaction Bundle of 500 Claims sharing one Patient, Coverage and payor Organization (as
// a practice management system submits a day's claims): every Claim is read, in entry order,
// with its references resolved, and the shared resources are checked without any warning.
BOOST_AUTO_TEST_CASE(a_bundle_of_many_claims_shares_its_resources) {
  std::string entries =
      R"({"fullUrl": "urn:uuid:d0000000-0000-4000-8000-000000000001", "resource": {"resourceType": "Patient", "id": "p", "gender": "male", "managingOrganization": {"reference": "Organization/pay"}}, "request": {"method": "POST", "url": "Patient"}},
{"fullUrl": "urn:uuid:d0000000-0000-4000-8000-000000000002", "resource": {"resourceType": "Coverage", "id": "c", "status": "active", "type": {"coding": [{"system": "https://nahdo.org/sopt", "code": "95"}]}, "beneficiary": {"reference": "urn:uuid:d0000000-0000-4000-8000-000000000001"}, "payor": [{"reference": "Organization/pay"}]}, "request": {"method": "POST", "url": "Coverage"}},
{"fullUrl": "http://example.org/fhir/Organization/pay", "resource": {"resourceType": "Organization", "id": "pay", "identifier": [{"value": "WC-PAYER"}]}, "request": {"method": "PUT", "url": "Organization/pay"}})";
  constexpr int kClaims = 500;
  for (int i = 0; i < kClaims; ++i) {
    entries +=
        R"(,
{"fullUrl": "urn:uuid:e0000000-0000-4000-8000-)" +
        std::string(12 - std::to_string(i).size(), '0') + std::to_string(i) +
        R"(", "resource": {"resourceType": "Claim", "id": "k)" + std::to_string(i) +
        R"(", "identifier": [{"value": "K-)" + std::to_string(i) +
        R"("}], "status": "active", "type": {"coding": [{"code": "professional"}]}, "use": "claim", "patient": {"reference": "urn:uuid:d0000000-0000-4000-8000-000000000001"}, "created": "2024-08-20", "provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}}, "priority": {"coding": [{"code": "normal"}]}, "insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "urn:uuid:d0000000-0000-4000-8000-000000000002"}}], "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M62.830"}]}}], "item": [{"sequence": 1, "diagnosisSequence": [1], "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]}, "servicedDate": "2024-08-15"}]}, "request": {"method": "POST", "url": "Claim"}})";
  }
  const Read read =
      read_text(R"({"resourceType": "Bundle", "type": "transaction", "entry": [)" + entries + "]}");
  BOOST_TEST(read.rejection == "");
  BOOST_TEST(read.batch.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), static_cast<std::size_t>(kClaims));
  for (int i = 0; i < kClaims; ++i) {
    const model::Claim& claim = read.claims[static_cast<std::size_t>(i)];
    BOOST_TEST_REQUIRE(claim.claim_id == "K-" + std::to_string(i));
    BOOST_TEST_REQUIRE(claim.envelope.position == i);
    BOOST_TEST_REQUIRE(claim.payer.id == "WC-PAYER");
    BOOST_TEST_REQUIRE(model::to_string(claim.payer.kind) == "workers_comp");
    BOOST_TEST_REQUIRE(claim.patient.sex.reveal() == 'M');
    BOOST_TEST_REQUIRE(rendered(claim.diagnostics).empty());
  }
}

// R4 modifierExtension "cannot be safely ignored": one on the Claim, an item or a contained
// resource is a located warning naming its URL, and the claim is still audited (session 9: it
// was read as if absent, without a word). Plain extensions are not reported.
BOOST_AUTO_TEST_CASE(modifier_extensions_are_located_warnings) {
  const Read read = read_text(replace_all(
      claim_with(std::string(kContained) + R"(,
"extension": [{"url": "http://example.org/ext/batch", "valueString": "B-77"}],
"modifierExtension": [{"url": "http://example.org/ext/not-billed", "valueBoolean": true}],
"item": [{"sequence": 1, "diagnosisSequence": [1], "servicedDate": "2024-08-15",
  "modifierExtension": [{"url": "http://example.org/ext/no-charge", "valueBoolean": true}],
  "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "97140"}]}}])"),
      R"("gender": "female")",
      R"("gender": "female", "modifierExtension": [{"url": "http://example.org/ext/deceased-twin", "valueBoolean": true}])"));
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  std::vector<std::string> warnings;
  for (const auto& diagnostic : read.claims[0].diagnostics) {
    warnings.push_back(diagnostic.code + " at " + diagnostic.where.path + ": " +
                       diagnostic.message);
  }
  BOOST_TEST(warnings ==
                 (std::vector<std::string>{
                     "W-FHIR-MODIFIER-EXTENSION at /contained/0/modifierExtension: "
                     "modifierExtension http://example.org/ext/deceased-twin may change the "
                     "meaning of this element and is not understood; audited as if it were absent",
                     "W-FHIR-MODIFIER-EXTENSION at /modifierExtension: modifierExtension "
                     "http://example.org/ext/not-billed may change the meaning of this element and "
                     "is not understood; audited as if it were absent",
                     "W-FHIR-MODIFIER-EXTENSION at /item/0/modifierExtension: modifierExtension "
                     "http://example.org/ext/no-charge may change the meaning of this element and "
                     "is not understood; audited as if it were absent"}),
             boost::test_tools::per_element());
}

// A history Bundle (GET Claim/a/_history) lists versions newest first, a deletion as an entry
// without a resource (R4 http.html#history). Only the newest version of a Claim is audited
// (session 9: every version was, so one claim counted as several); versions of a Claim deleted
// since are not.
BOOST_AUTO_TEST_CASE(history_bundles_audit_the_newest_version_of_each_claim) {
  const std::string v1 = claim_with(std::string(kContained) + R"(, "item": [])");
  const std::string v2 = replace_all(v1, "M62.830", "M54.50");
  const std::string deleted =
      replace_all(replace_all(v1, R"("id": "u1")", R"("id": "gone")"), R"("U-1")", R"("GONE-1")");
  const Read read = read_text(R"({"resourceType": "Bundle", "type": "history", "entry": [
{"fullUrl": "http://example.org/fhir/Claim/u1", "resource": )" +
                              v2 +
                              R"(, "request": {"method": "PUT", "url": "Claim/u1"}},
{"fullUrl": "http://example.org/fhir/Claim/gone", "request": {"method": "DELETE", "url": "Claim/gone"}},
{"fullUrl": "http://example.org/fhir/Claim/u1", "resource": )" +
                              v1 +
                              R"(, "request": {"method": "POST", "url": "Claim"}},
{"fullUrl": "http://example.org/fhir/Claim/gone", "resource": )" +
                              deleted + R"(, "request": {"method": "POST", "url": "Claim"}}]})");
  BOOST_TEST(read.rejection == "");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].origin.pointer == "/entry/0/resource");
  BOOST_TEST(read.claims[0].diagnoses.at(0).code == "M5450");
  std::vector<std::string> batch;
  for (const auto& diagnostic : read.diagnostics) {
    batch.push_back(diagnostic.code + " at " + diagnostic.where.path + ": " + diagnostic.message);
  }
  BOOST_TEST(
      batch == (std::vector<std::string>{
                   "W-FHIR-IGNORED at /entry/1: Bundle entry without a resource object; ignored",
                   "W-FHIR-NOT-AUDITED at /entry/2: an older version of the Claim in entry 0 of "
                   "this history Bundle (newest first): not audited",
                   "W-FHIR-NOT-AUDITED at /entry/3: an older version of the Claim in entry 1 of "
                   "this history Bundle (newest first), which deleted it: not audited"}),
      boost::test_tools::per_element());
}

// Bundle entries the reader does not read but that may hold a Claim are located warnings, not
// silent drops: a resource without a resourceType, and a Bundle nested deeper than Bundles are
// read (4 inside the file's Bundle).
BOOST_AUTO_TEST_CASE(unread_entries_that_may_hold_claims_are_reported) {
  const std::string claim = claim_with(std::string(kContained) + R"(, "item": [])");
  std::string nested =
      R"({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": )" + claim + "}]}";
  for (int level = 0; level < 5; ++level) {
    nested.insert(0, R"({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": )");
    nested += "}]}";
  }
  const Read read = read_text(R"({"resourceType": "Bundle", "type": "collection", "entry": [
{"resource": )" + claim + R"(},
{"resource": {"id": "x", "status": "active", "item": []}},
{"resource": )" + nested + "}]}");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  std::vector<std::string> batch;
  for (const auto& diagnostic : read.diagnostics) {
    batch.push_back(diagnostic.code + " at " + diagnostic.where.path + ": " + diagnostic.message);
  }
  BOOST_TEST(
      batch == (std::vector<std::string>{
                   "W-FHIR-IGNORED at /entry/1/resource: Bundle entry resource without a "
                   "resourceType; ignored",
                   "W-FHIR-IGNORED at "
                   "/entry/2/resource/entry/0/resource/entry/0/resource/entry/0/resource/entry/0/"
                   "resource: Bundle nested 5 deep; Bundles are read up to 4 deep, so its "
                   "entries are not read"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::formats::fhir
