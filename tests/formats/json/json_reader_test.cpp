// Tests for formats/json/json_reader.hpp: the claimaudit.claim/1 reader, on the fixtures in
// tests/data/json/ (also the fuzz seeds) and on small malformed inputs with exact pointers.
#include "formats/json/json_reader.hpp"

#include <string>
#include <utility>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "core/icd10_code.hpp"
#include "support/read_text.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::formats::json {
namespace {

using Read = testing::ReadText;
using testing::read_text;

Read read_fixture(const std::string& name) {
  return read_text(testing::read_file(testing::source_dir() / "tests/data/json" / name), name);
}

std::vector<std::string> dotted_codes(const model::Claim& claim) {
  std::vector<std::string> out;
  for (const auto& d : claim.diagnoses) out.push_back(core::dotted_icd10(d.code));
  return out;
}

struct Malformed {
  std::string name;
  std::string claim_fields;  // Spliced after "claim_id": "M1".
  std::string error;         // The one expected diagnostic, rendered.
};
std::ostream& operator<<(std::ostream& out, const Malformed& m) { return out << m.name; }

// Each input is {"format": "claimaudit.claim/1", "claim_id": "M1", <fields>} on one line, so
// columns count from the start of that line.
const std::vector<Malformed> kMalformed = {
    {"kind_is_a_number", R"("kind": 3)",
     "m.json:1:60: /kind: error E-JSON-TYPE: expected a string, found an integer"},
    {"unknown_use", R"("use": "claims")",
     "m.json:1:59: /use: error E-JSON-ENUM: unknown use \"claims\"; expected one of \"claim\", "
     "\"preauthorization\", \"predetermination\""},
    {"frequency_6", R"("frequency": "6")",
     "m.json:1:65: /frequency: error E-JSON-ENUM: unknown frequency \"6\"; expected one of \"1\", "
     "\"7\", \"8\" or another claim frequency code of the type of bill (0, 2-5, 9, A-Q)"},
    {"frequency_word", R"("frequency": "original")",
     "m.json:1:65: /frequency: error E-JSON-ENUM: unknown frequency \"original\"; expected one of "
     "\"1\", \"7\", \"8\" or another claim frequency code of the type of bill (0, 2-5, 9, A-Q)"},
    {"program_unknown", R"("payer": {"program": "XX"})",
     "m.json:1:73: /payer/program: error E-JSON-ENUM: expected an SBR09 claim filing indicator "
     "code (\"MB\", \"MC\", \"CI\", \"WC\" ...), found \"XX\""},
    {"payer_kind_contradicts_program", R"("payer": {"program": "WC"}, "payer_kind": "auto")",
     "m.json:1:94: /payer_kind: error E-JSON-VALUE: payer_kind \"auto\" contradicts "
     "payer.program \"WC\" (workers_comp)"},
    {"unknown_role", R"("diagnoses": [{"seq": 1, "code": "R69", "role": "primary"}])",
     "m.json:1:100: /diagnoses/0/role: error E-JSON-ENUM: unknown role \"primary\"; expected one "
     "of \"principal\", \"admitting\", \"reason_for_visit\", \"external_cause\", \"other\""},
    {"duplicate_seq", R"("diagnoses": [{"seq": 1, "code": "R69"}, {"seq": 1, "code": "R52"}])",
     "m.json:1:101: /diagnoses/1/seq: error E-JSON-VALUE: duplicate diagnosis seq 1"},
    {"missing_code", R"("diagnoses": [{"seq": 1}])",
     "m.json:1:66: /diagnoses/0/code: error E-JSON-MISSING: missing required field \"code\""},
    {"code_with_two_dots", R"("diagnoses": [{"seq": 1, "code": "M62.83.0"}])",
     "m.json:1:85: /diagnoses/0/code: error E-JSON-CODE: \"M62.83.0\" is not spelled like an "
     "ICD-10-CM code (3 to 7 letters and digits, one optional dot after the third)"},
    {"bad_poa", R"("diagnoses": [{"seq": 1, "code": "R69", "poa": "X"}])",
     "m.json:1:99: /diagnoses/0/poa: error E-JSON-ENUM: expected one of \"Y\", \"N\", \"U\", "
     "\"W\", \"1\", found \"X\""},
    {"modifier_too_long",
     R"("lines": [{"seq": 1, "procedure": {"code": "97140", "modifiers": ["GPX"]}}])",
     "m.json:1:118: /lines/0/procedure/modifiers/0: error E-JSON-CODE: expected a 2-character "
     "modifier, found \"GPX\""},
    {"charge_three_decimals", R"("lines": [{"seq": 1, "charge": "1.005"}])",
     "m.json:1:83: /lines/0/charge: error E-JSON-VALUE: expected an amount as a decimal string "
     "(\"55.00\"), found \"1.005\""},
    {"service_date_without_from", R"("lines": [{"seq": 1, "service_date": {"to": "2024-01-01"}}])",
     "m.json:1:89: /lines/0/service_date/from: error E-JSON-MISSING: missing required field "
     "\"from\""},
    {"accident_state", R"("accident": {"cause": "auto", "state": "Utah"})",
     "m.json:1:91: /accident/state: error E-JSON-VALUE: expected a 2-letter state code, found "
     "\"Utah\""},
    {"related_cause", R"("accident": {"related_causes": ["XX"]})",
     "m.json:1:84: /accident/related_causes/0: error E-JSON-ENUM: unknown related cause \"XX\"; "
     "expected one of \"AA\", \"EM\", \"OA\""},
    {"typo_in_nested_field", R"("billing_provider": {"nip": "1245319599"})",
     "m.json:1:80: /billing_provider/nip: error E-JSON-UNKNOWN-FIELD: unknown field \"nip\" (did "
     "you mean \"npi\"?)"},
    {"has_attachment_string", R"("has_attachment": "yes")",
     "m.json:1:70: /has_attachment: error E-JSON-TYPE: expected a boolean, found a string"},
    {"patient_birth_date_not_quoted", R"("patient": {"birth_date": "1946-02-30"})",
     "m.json:1:78: /patient/birth_date: error E-JSON-DATE: expected a calendar date YYYY-MM-DD"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(json_reader)

BOOST_AUTO_TEST_CASE(reads_the_shipped_back_spasm_example) {
  const Read read = read_fixture("back-spasm.json");
  BOOST_TEST(read.batch.empty());
  BOOST_TEST(read.rejection.empty());
  BOOST_TEST(to_string(read.summary.format) == "claimaudit-json");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(claim.claim_id == "1606");
  BOOST_TEST(model::to_string(claim.kind) == "professional");
  BOOST_TEST(dotted_codes(claim) == (std::vector<std::string>{"M62.830", "X50.0XXA"}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.diagnoses[0].code == "M62830");
  BOOST_TEST(claim.diagnoses[0].raw == "M62.830");
  BOOST_TEST(claim.diagnoses[0].origin.pointer == "/diagnoses/0/code");
  BOOST_TEST(model::to_string(claim.diagnoses[1].role) == "external_cause");
  BOOST_TEST(model::to_string(claim.payer.kind) == "commercial");
  BOOST_TEST(claim.payer.filing_indicator == "CI");
  BOOST_TEST(claim.billing_provider.origin.pointer == "/billing_provider");
  BOOST_TEST(model::to_string(claim.accident.cause) == "employment");
  BOOST_REQUIRE_EQUAL(claim.lines.size(), 1u);
  BOOST_TEST(claim.lines[0].service_dates->from.iso() == "2024-08-15");
  BOOST_TEST(claim.lines[0].dx_pointers == (std::vector<int>{1}), boost::test_tools::per_element());
  BOOST_TEST(claim.lines[0].modifiers == (std::vector<std::string>{"GP"}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.patient.birth_date.reveal()->iso() == "1946-11-11");
  BOOST_TEST(claim.notes[0].text.reveal() == "lifting boxes at work");
  BOOST_TEST(claim.envelope.guide == "claimaudit.claim/1");
}

BOOST_AUTO_TEST_CASE(one_bad_claim_in_a_batch_does_not_lose_the_others) {
  const Read read = read_fixture("batch-mixed.json");
  BOOST_TEST(read.rejection.empty());
  BOOST_TEST(read.summary.claims == 2);
  BOOST_TEST(
      read.batch == (std::vector<std::string>{
                        // Messages split over lines on purpose (checked: no comma missing).
                        // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
                        "batch-mixed.json:34:20: /claims/1/diagnosis: error E-JSON-UNKNOWN-FIELD: "
                        "unknown field \"diagnosis\" (did you mean \"diagnoses\"?)",
                        "batch-mixed.json:32:15: /claims/1/kind: error E-JSON-ENUM: unknown kind "
                        "\"profesional\"; expected one of \"professional\", \"institutional\", "
                        "\"oral\", \"vision\", \"pharmacy\"",
                        "batch-mixed.json:33:21: /claims/1/onset_date: error E-JSON-DATE: expected "
                        "a calendar date YYYY-MM-DD, found \"2024-02-30\"",
                        "batch-mixed.json:35:42: /claims/1/diagnoses/0/code: error E-JSON-CODE: "
                        "\"M62.8300X1\" is not spelled like an ICD-10-CM code (3 to 7 letters and "
                        "digits, one optional dot after the third)",
                        // Not "kept for the audit": the claim is not read.
                        "batch-mixed.json:36:46: /claims/1/lines/0/dx_pointers/0: warning "
                        "W-JSON-DX-POINTER: dx pointer 2 names no diagnosis seq"}),
      boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 2u);
  const model::Claim& institutional = read.claims[0];
  BOOST_TEST(institutional.claim_id == "INST-0001");
  BOOST_TEST(institutional.origin.pointer == "/claims/0");
  BOOST_TEST(model::to_string(institutional.frequency) == "replacement");
  BOOST_TEST(institutional.replaces == "PCN-55501");
  BOOST_TEST(model::to_string(institutional.payer.kind) == "medicare");
  BOOST_TEST(institutional.statement_period->to.iso() == "2024-08-18");
  BOOST_TEST(institutional.admission_date->iso() == "2024-08-15");
  BOOST_TEST(institutional.facility_type == "11");
  BOOST_TEST(
      dotted_codes(institutional) == (std::vector<std::string>{"M62.830", "M54.50", "X50.0XXA"}),
      boost::test_tools::per_element());
  // Roles left out: the first is principal, X50.0XXA an external cause.
  BOOST_TEST(model::to_string(institutional.diagnoses[0].role) == "principal");
  BOOST_TEST(model::to_string(institutional.diagnoses[1].role) == "admitting");
  BOOST_TEST(model::to_string(institutional.diagnoses[2].role) == "external_cause");
  BOOST_TEST(institutional.diagnoses[0].poa == 'Y');
  BOOST_TEST(institutional.diagnoses[2].poa == '1');
  BOOST_TEST(institutional.lines[0].revenue_code == "0420");
  // service_date.to defaults to from.
  BOOST_TEST(institutional.lines[0].service_dates->to.iso() == "2024-08-15");
  BOOST_TEST(institutional.has_attachment);
  const model::Claim& medicare = read.claims[1];
  BOOST_TEST(medicare.claim_id == "MCR-0003");
  BOOST_TEST(medicare.envelope.position == 1);
  BOOST_TEST(medicare.origin.pointer == "/claims/2");
  BOOST_TEST(medicare.lines[1].origin.pointer == "/claims/2/lines/1");
  BOOST_TEST(medicare.lines[0].dx_pointers == (std::vector<int>{1, 2}),
             boost::test_tools::per_element());
  BOOST_TEST(medicare.lines[1].modifiers == (std::vector<std::string>{"GP", "59"}),
             boost::test_tools::per_element());
  BOOST_TEST(medicare.patient.member_id.reveal() == "1EG4TE5MK73");
  BOOST_TEST(medicare.patient.sex.reveal() == 'F');
}

BOOST_AUTO_TEST_CASE(reads_explicit_nulls_as_absent) {
  const Read read = read_fixture("nulls.json");
  BOOST_TEST(read.batch.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(model::to_string(claim.kind) == "unknown");
  BOOST_TEST(model::to_string(claim.payer.kind) == "auto");
  BOOST_TEST(model::to_string(claim.accident.cause) == "auto");
  BOOST_TEST(claim.accident.related_causes == (std::vector<std::string>{"AA"}),
             boost::test_tools::per_element());
  BOOST_TEST(model::to_string(claim.diagnoses[0].role) == "principal");
  BOOST_TEST(model::to_string(claim.diagnoses[1].role) == "external_cause");
  BOOST_TEST(!claim.lines[0].service_dates.has_value());
}

// The institutional claim frequency codes (type of bill, third character: 2-4 interim bills, 5
// late charges, 9 final home health claim, letters for hospice and Medicare adjustments) were
// rejected (E-JSON-ENUM: the claim not audited), though the X12 reader keeps them and claimctl
// check --json writes them: read as frequency "other", the code kept.
BOOST_AUTO_TEST_CASE(institutional_frequency_codes_are_read_as_other) {
  for (const std::string code : {"0", "2", "3", "4", "5", "9", "A", "Q"}) {
    const Read read =
        read_text(R"({"format": "claimaudit.claim/1", "claim_id": "F1", "kind": "institutional", )"
                  R"("frequency": ")" +
                      code + R"(", "diagnoses": [{"seq": 1, "code": "R69"}]})",
                  "f.json");
    BOOST_TEST(read.batch.empty(), code);
    BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
    BOOST_TEST(read.claims[0].frequency_code == code);
    BOOST_TEST(model::to_string(read.claims[0].frequency) == "other");
  }
}

// Modifiers written in lower case are read upper-case, as codes are (rules compare with "RT").
BOOST_AUTO_TEST_CASE(modifiers_are_upper_cased) {
  const Read read = read_text(
      R"({"format": "claimaudit.claim/1", "claim_id": "M1", "diagnoses": [{"seq": 1, "code": )"
      R"("M25.569"}], "lines": [{"seq": 1, "procedure": {"code": "20610", "modifiers": ["rt", )"
      R"("Gp", "59"]}, "dx_pointers": [1]}]})",
      "m.json");
  BOOST_TEST(read.batch.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].lines[0].modifiers == (std::vector<std::string>{"RT", "GP", "59"}),
             boost::test_tools::per_element());
}

// An accident with related causes and no cause takes the cause from the first related cause,
// as the X12 reader does with CLM11 (AA auto, EM employment, OA other); a given cause stays.
BOOST_AUTO_TEST_CASE(related_causes_give_the_accident_cause_when_none_is_given) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"related_causes": ["EM", "AA"]})", "employment"},
      {R"({"related_causes": ["AA"], "date": "2024-08-14"})", "auto"},
      {R"({"related_causes": ["OA"]})", "other"},
      {R"({"cause": "other", "related_causes": ["AA"]})", "other"},
      {R"({"date": "2024-08-14"})", "none"}};
  for (const auto& [accident, cause] : cases) {
    const Read read = read_text(
        R"({"format": "claimaudit.claim/1", "claim_id": "A1", "accident": )" + accident + "}",
        "a.json");
    BOOST_TEST(read.batch.empty());
    BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
    BOOST_TEST(model::to_string(read.claims[0].accident.cause) == cause, accident);
  }
}

BOOST_AUTO_TEST_CASE(rejects_files_with_nothing_auditable) {
  BOOST_TEST(read_fixture("invalid-syntax.json").rejection ==
             "invalid-syntax.json:4:51: error E-JSON-SYNTAX: not valid JSON: syntax error");
  BOOST_TEST(read_fixture("invalid-format-version.json").rejection ==
             "invalid-format-version.json:1:13: /format: error E-JSON-FORMAT: \"format\" must be "
             "\"claimaudit.claim/1\"");
  BOOST_TEST(read_fixture("invalid-empty-batch.json").rejection ==
             "invalid-empty-batch.json: /claims: error E-JSON-NO-CLAIMS: no claims in input "
             "(\"claims\" is empty)");
  const Read types = read_fixture("invalid-types.json");
  BOOST_TEST(types.claims.empty());
  BOOST_TEST(types.rejection ==
             "invalid-types.json: error E-JSON-NO-CLAIMS: no readable claim: 8 errors (the first "
             "at /claim_id)");
  BOOST_TEST(types.batch ==
                 (std::vector<std::string>{
                     // Messages split over lines on purpose (checked: no comma missing).
                     // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
                     "invalid-types.json:3:15: /claim_id: error E-JSON-TYPE: expected a string, "
                     "found an integer",
                     "invalid-types.json:5:32: /billing_provider/npi: error E-JSON-VALUE: "
                     "expected a 10-digit NPI, found \"124531959\"",
                     // PHI: the birth date and sex values are never repeated.
                     "invalid-types.json:6:30: /patient/birth_date: error E-JSON-DATE: expected "
                     "a calendar date YYYY-MM-DD",
                     "invalid-types.json:6:51: /patient/sex: error E-JSON-ENUM: expected one of "
                     "\"F\", \"M\", \"U\"",
                     "invalid-types.json:7:16: /diagnoses: error E-JSON-TYPE: expected an array, "
                     "found an object",
                     "invalid-types.json:8:23: /lines/0/seq: error E-JSON-VALUE: expected an "
                     "integer from 1 to 1000000",
                     "invalid-types.json:8:36: /lines/0/charge: error E-JSON-TYPE: expected a "
                     "string, found a number",
                     "invalid-types.json:8:88: /lines/0/service_date/to: error E-JSON-DATE: "
                     "\"to\" is before \"from\""}),
             boost::test_tools::per_element());
  const Read single = read_text(R"({"format": "claimaudit.claim/1"})", "s.json");
  BOOST_TEST(single.rejection ==
             "s.json:1:1: /claim_id: error E-JSON-MISSING: missing required field \"claim_id\"");
}

BOOST_DATA_TEST_CASE(reports_malformed_fields_at_their_pointer,
                     boost::unit_test::data::make(kMalformed), sample) {
  const std::string text =
      R"({"format": "claimaudit.claim/1", "claim_id": "M1", )" + sample.claim_fields + "}";
  const Read read = read_text(text, "m.json");
  BOOST_TEST(read.claims.empty());
  BOOST_REQUIRE_EQUAL(read.batch.size(), 1u);
  BOOST_TEST(read.batch[0] == sample.error);
  BOOST_TEST(read.rejection == sample.error);
}

BOOST_AUTO_TEST_CASE(read_claim_prefixes_pointers_for_inline_rule_tests) {
  boost::json::error_code error;
  const boost::json::value value = boost::json::parse(
      R"({"claim_id": "T1", "kind": "professional",
          "diagnoses": [{"seq": 1, "code": "M62.831"}, {"seq": 2, "code": "M54"}],
          "lines": [{"seq": 1, "service_date": {"from": "2024-08-15"}, "dx_pointers": [3]}]})",
      error);
  BOOST_REQUIRE(!error);
  std::vector<core::Diagnostic> diagnostics;
  auto claim = read_claim(value, "/rules/0/tests/1/claim", "rules/default/site.yaml", diagnostics);
  // A pointer naming no diagnosis is kept (line.pointer_invalid reports it), with a warning on
  // the claim, so that an inline rule test can hold one.
  BOOST_REQUIRE(claim.has_value());
  BOOST_TEST(diagnostics.empty());
  BOOST_TEST(claim->lines[0].dx_pointers == (std::vector<int>{3}),
             boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(claim->diagnostics.size(), 1u);
  BOOST_TEST(core::render(claim->diagnostics[0]) ==
             "rules/default/site.yaml: /rules/0/tests/1/claim/lines/0/dx_pointers/0: warning "
             "W-JSON-DX-POINTER: dx pointer 3 names no diagnosis seq; kept for the audit");
  diagnostics.clear();
  boost::json::value fixed = value;
  fixed.as_object()["lines"].as_array()[0].as_object()["dx_pointers"] = boost::json::array{2};
  claim = read_claim(fixed, "/t", "t.yaml", diagnostics);
  BOOST_REQUIRE(claim.has_value());
  BOOST_TEST(diagnostics.empty());
  BOOST_TEST(claim->diagnoses[1].origin.pointer == "/t/diagnoses/1/code");
  BOOST_TEST(claim->lines[0].dx_pointers == (std::vector<int>{2}),
             boost::test_tools::per_element());
}

// Leftover 1 of session 9: a dx pointer naming no diagnosis seq rejected the whole claim,
// while the X12 and FHIR readers keep the claim and the pointer for line.pointer_invalid.
BOOST_AUTO_TEST_CASE(a_dangling_dx_pointer_keeps_the_claim_and_the_pointer) {
  const Read read = read_text(
      R"({"format": "claimaudit.claim/1", "claim_id": "P1", "kind": "professional",
          "diagnoses": [{"seq": 1, "code": "M62.830"}, {"seq": 2, "code": "X50.0XXA"}],
          "lines": [{"seq": 1, "service_date": {"from": "2024-08-15"}, "dx_pointers": [1, 5]},
                    {"seq": 2, "service_date": {"from": "2024-08-15"}, "dx_pointers": [2]}]})",
      "p.json");
  BOOST_TEST(read.rejection.empty());
  BOOST_TEST(read.batch.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_REQUIRE_EQUAL(claim.lines.size(), 2u);
  BOOST_TEST(claim.lines[0].dx_pointers == (std::vector<int>{1, 5}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.lines[1].dx_pointers == (std::vector<int>{2}), boost::test_tools::per_element());
  BOOST_TEST(testing::rendered(claim.diagnostics) ==
                 (std::vector<std::string>{
                     "p.json:3:91: /lines/0/dx_pointers/1: warning W-JSON-DX-POINTER: dx pointer "
                     "5 names no diagnosis seq; kept for the audit"}),
             boost::test_tools::per_element());
}

// A claim rejected because a diagnosis seq (or the diagnosis list) cannot be read says that one
// thing: its pointers are not checked against the seqs that were read, since they may name the
// unreadable one. It also said "dx pointer 1 names no diagnosis seq; kept for the audit" for a
// claim that is not audited.
BOOST_AUTO_TEST_CASE(a_rejected_claim_gives_no_pointer_follow_ons) {
  const Read read = read_text(
      R"({"format": "claimaudit.claim/1", "claims": [
 {"claim_id": "P1", "diagnoses": [{"seq": "1", "code": "M62.830"}, {"code": "M54.50"}],
  "lines": [{"seq": 1, "dx_pointers": [1, 2]}]},
 {"claim_id": "P2", "diagnoses": {"seq": 1, "code": "M62.830"}, "lines": [{"seq": 1, "dx_pointers": [1]}]},
 {"claim_id": "P3", "diagnoses": [{"seq": 1, "code": "M62.830"}], "lines": [{"seq": 1, "dx_pointers": [1]}]}]})",
      "r.json");
  BOOST_TEST(read.rejection.empty());
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  BOOST_TEST(read.claims[0].claim_id == "P3");
  BOOST_TEST(
      read.batch == (std::vector<std::string>{
                        "r.json:2:43: /claims/0/diagnoses/0/seq: error E-JSON-TYPE: expected an "
                        "integer, found a string",
                        "r.json:2:68: /claims/0/diagnoses/1/seq: error E-JSON-MISSING: missing "
                        "required field \"seq\"",
                        "r.json:4:34: /claims/1/diagnoses: error E-JSON-TYPE: expected an array, "
                        "found an object"}),
      boost::test_tools::per_element());
}

// A claim has one principal diagnosis: a second "principal" (in seq order) is read as "other"
// with W-JSON-PRINCIPAL, as X12 reads a second ABK; both stayed principal without a word, so
// principal-only edits judged both.
BOOST_AUTO_TEST_CASE(a_second_principal_is_read_as_other) {
  const Read read = read_text(
      R"({"format": "claimaudit.claim/1", "claim_id": "P1", "kind": "professional",
          "diagnoses": [{"seq": 2, "code": "M54.50", "role": "principal"},
                        {"seq": 1, "code": "M62.830", "role": "principal"}]})",
      "p.json");
  BOOST_REQUIRE_EQUAL(read.claims.size(), 1u);
  const model::Claim& claim = read.claims[0];
  BOOST_TEST(model::to_string(claim.diagnoses.at(0).role) == "principal");
  BOOST_TEST(model::to_string(claim.diagnoses.at(1).role) == "other");
  BOOST_TEST(testing::rendered(claim.diagnostics) ==
                 (std::vector<std::string>{
                     "p.json:2:62: /diagnoses/0/role: warning W-JSON-PRINCIPAL: diagnosis seq 2 "
                     "is a second principal diagnosis (after seq 1): a claim has one; read as "
                     "\"other\""}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_is_skipped_and_not_counted_as_a_column) {
  const Read read =
      read_text("\xEF\xBB\xBF{\"format\": \"claimaudit.claim/1\", \"claim_id\": 5}", "bom.json");
  BOOST_TEST(read.rejection ==
             "bom.json:1:46: /claim_id: error E-JSON-TYPE: expected a string, found an integer");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::formats::json
