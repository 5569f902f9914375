// rules::evaluate on claims built in C++ with the real code history: findings with messages,
// evidence, fingerprints and provenance; not-evaluated results; escalation, exceptions,
// overrides and shadow mode; the code index; determinism across threads; reload semantics.
#include <thread>

#include <boost/test/unit_test.hpp>

#include "rules/detail/rule_set_impl.hpp"
#include "rules/expr/claim_facts.hpp"
#include "rules/rules_fixture.hpp"

namespace rules = claimaudit::rules;
namespace model = claimaudit::model;
using claimaudit::core::Date;
using claimaudit::testing::load_text;
using claimaudit::testing::professional_claim;

namespace {

const char* const kStaleRule = R"yaml(
- rule: dx.stale_code
  version: "3"
  title: Code not billable on the date of service
  scope: diagnosis
  when: classify(dx.code) == "stale"
  severity: error
  predicts: {carc: "146", rarc: "M76", label: dx not valid for DOS}
  message: "{code} is not billable on {dos} ({edition}); use {replacements}"
  evidence:
    fields: {code: dx.code, dos: dos, replacements: replacements(dx.code)}
    source: "ICD-10-CM order files ({edition})"
)yaml";

const char* const kPackRules = R"yaml(
- list: spasm_triggers
  items: [M62.830, M62.831, M62.838, S39.012*]

- rule: dx.missing_precipitating_factor
  version: "1"
  title: No external cause
  scope: diagnosis
  when: |
    dx.code in spasm_triggers
    and none(claim.diagnoses, o, is_external_cause(o.code))
  severity: info
  escalate:
    - when: claim.payer.kind == "workers_comp" or claim.accident.cause != "none"
      severity: warning
      reason: workers' comp or accident
  exceptions:
    - name: medicaid_waiver
      when: claim.payer.kind == "medicaid"
  message: "{code} has no external cause ({severity}{reason})"

- rule: claim.onset_after_service
  version: "1"
  title: Onset after service
  scope: claim
  when: claim.onset_date > dos
  severity: error
  message: "onset after the date of service"

- rule: dx.invalid_code
  version: "1"
  title: Invalid
  scope: diagnosis
  when: classify(dx.code) == "invalid"
  severity: error
  message: "{code} is in no edition"
)yaml";

std::vector<std::string> ids(const rules::Evaluation& evaluation) {
  std::vector<std::string> out;
  for (const auto& finding : evaluation.findings) {
    out.push_back(finding.rule_id + "@" + std::to_string(finding.diagnosis_seq));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(engine)

// Type of bill: the second digit means inpatient only for hospitals, SNFs, religious
// non-medical and intermediate care facilities (and swing beds); a clinic's or a hospice's
// second digit names the kind of clinic or facility. The inpatient claim's diagnoses take the
// statement's through date; the others their lines' dates.
BOOST_AUTO_TEST_CASE(inpatient_by_type_of_bill) {
  namespace expr = claimaudit::rules::expr;
  model::Claim claim = professional_claim({"M62.830"}, Date::from_civil(2021, 9, 28));
  claim.kind = model::ClaimKind::kInstitutional;
  claim.statement_period =
      model::DateRange{Date::from_civil(2021, 9, 28), Date::from_civil(2021, 10, 3)};
  const auto inpatient = [&](const std::string& type_of_bill) {
    claim.facility_type = type_of_bill;
    return expr::is_inpatient(claim);
  };
  for (const char* yes : {"11", "12", "18", "21", "22", "28", "41", "61"}) {
    BOOST_TEST(inpatient(yes), yes);
  }
  for (const char* no :
       {"13", "14", "23", "32", "34", "71", "72", "73", "77", "81", "82", "83", "85", "86"}) {
    BOOST_TEST(!inpatient(no), no);
  }
  claim.facility_type = "81";  // Hospice: the line's date, not the through date.
  BOOST_TEST(expr::compute_facts(claim).diagnosis_dates[0] ==
             std::vector<Date>{Date::from_civil(2021, 9, 28)});
  claim.facility_type = "11";
  BOOST_TEST(expr::compute_facts(claim).diagnosis_dates[0] ==
             std::vector<Date>{Date::from_civil(2021, 10, 3)});
  claim.facility_type.clear();  // No type of bill: an admission date makes it inpatient.
  BOOST_TEST(!expr::is_inpatient(claim));
  claim.admission_date = Date::from_civil(2021, 9, 28);
  BOOST_TEST(expr::is_inpatient(claim));
}

// {title} of a code in no edition says so instead of printing nothing.
BOOST_AUTO_TEST_CASE(title_of_a_code_in_no_edition) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), R"yaml(
- rule: dx.named
  version: "1"
  title: Named
  scope: diagnosis
  when: true
  severity: info
  message: "{code} ({title})"
)yaml");
  BOOST_REQUIRE(loaded.rule_set);
  model::Claim claim = professional_claim({"S39.012X", "M62.830"}, Date::from_civil(2024, 8, 15));
  const auto evaluation = rules::evaluate(*loaded.rule_set, claim);
  BOOST_REQUIRE_EQUAL(evaluation.findings.size(), 2u);
  BOOST_TEST(evaluation.findings[0].message == "S39.012X (not an ICD-10-CM code)");
  BOOST_TEST(evaluation.findings[1].message == "M62.830 (Muscle spasm of back)");
}

// if(c, a, b) evaluates only the branch it takes: the other may be unknown (first() of an empty
// list) without making the rule not evaluated. Messages leave out what a claim did not send.
BOOST_AUTO_TEST_CASE(if_takes_one_branch) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), R"yaml(
- rule: dx.choice
  version: "1"
  title: Choice
  scope: diagnosis
  when: if(dx.seq == 1, true, first(filter(claim.diagnoses, o, false)).seq == 1)
  severity: info
  message: "{code}{if(dx.qualifier == \"\", \"\", \" (qualifier \")}{dx.qualifier}{if(dx.qualifier == \"\", \"\", \")\")}"
)yaml");
  BOOST_REQUIRE(loaded.rule_set);
  model::Claim claim = professional_claim({"M62.830", "R69"}, Date::from_civil(2024, 8, 15));
  claim.diagnoses[0].qualifier = "ABK";
  claim.diagnoses[1].qualifier = "";
  const auto evaluation = rules::evaluate(*loaded.rule_set, claim);
  BOOST_REQUIRE_EQUAL(evaluation.findings.size(), 1u);
  BOOST_TEST(evaluation.findings[0].message == "M62.830 (qualifier ABK)");
  // The second diagnosis takes the branch whose value is unknown: not evaluated.
  BOOST_TEST(ids(evaluation) == std::vector<std::string>{"dx.choice@1"},
             boost::test_tools::per_element());
  BOOST_TEST(evaluation.not_evaluated.size() == 1u);
  claim.diagnoses[0].qualifier = "";
  BOOST_TEST(rules::evaluate(*loaded.rule_set, claim).findings[0].message == "M62.830");
}

// join(list, separator) renders elements as templates do (codes dotted, dates ISO) and gives ""
// for an empty list, where a template placeholder prints "none".
BOOST_AUTO_TEST_CASE(join_renders_elements_like_templates) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), R"yaml(
- rule: claim.joined
  version: "1"
  title: Joined
  scope: claim
  when: join(map(claim.diagnoses, d, d.code), "") != ""
  severity: info
  message: "[{join(map(claim.diagnoses, d, d.code), \" + \")}] [{join(claim.dates_of_service, \"/\")}] [{join(filter(claim.diagnoses, d, false), \", \")}] [{filter(claim.diagnoses, d, false)}]"
)yaml");
  BOOST_REQUIRE(loaded.rule_set);
  const model::Claim claim =
      professional_claim({"M62.830", "X50.0XXA", "R69"}, Date::from_civil(2024, 8, 15));
  const auto evaluation = rules::evaluate(*loaded.rule_set, claim);
  BOOST_REQUIRE_EQUAL(evaluation.findings.size(), 1u);
  BOOST_TEST(evaluation.findings[0].message == "[M62.830 + X50.0XXA + R69] [2024-08-15] [] [none]");
}

// laterality(c) names the side of the title title(c) shows: anatomy that is no body side (left
// ventricular failure, right heart failure) is "none"; both sides or "bilateral" is "bilateral";
// a code in no edition has no side. A literal outside the value set is a load error.
BOOST_AUTO_TEST_CASE(laterality_reads_the_side_of_the_title) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), R"yaml(
- rule: dx.side
  version: "1"
  title: Side
  scope: diagnosis
  when: laterality(dx.code) != "unspecified" or true
  severity: info
  message: "{code} {laterality(dx.code)}"
)yaml");
  BOOST_REQUIRE(loaded.rule_set);
  const model::Claim claim = professional_claim(
      {"M17.11", "M17.12", "M17.0", "M17.10", "I50.1", "I50.814", "M62.830", "S39.012X"},
      Date::from_civil(2024, 8, 15));
  const auto evaluation = rules::evaluate(*loaded.rule_set, claim);
  std::vector<std::string> messages;
  for (const auto& finding : evaluation.findings) messages.push_back(finding.message);
  BOOST_TEST(messages == (std::vector<std::string>{
                             "M17.11 right", "M17.12 left", "M17.0 bilateral", "M17.10 unspecified",
                             "I50.1 none", "I50.814 none", "M62.830 none", "S39.012X none"}),
             boost::test_tools::per_element());

  const auto bad = load_text(temp.path(), R"yaml(
- rule: dx.side
  version: "1"
  title: Side
  scope: diagnosis
  when: laterality(dx.code) == "both"
  severity: info
  message: "{code}"
)yaml");
  BOOST_TEST(!bad.rule_set);
}

BOOST_AUTO_TEST_CASE(stale_code_fires_on_the_expansion_date_and_not_the_day_before) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), kStaleRule);
  BOOST_REQUIRE(loaded.rule_set);
  const auto before = rules::evaluate(*loaded.rule_set,
                                      professional_claim({"M54.5"}, Date::from_civil(2021, 9, 30)));
  BOOST_TEST(before.findings.empty());
  BOOST_TEST(before.not_evaluated.empty());
  const auto after = rules::evaluate(*loaded.rule_set,
                                     professional_claim({"M54.5"}, Date::from_civil(2021, 10, 1)));
  BOOST_REQUIRE_EQUAL(after.findings.size(), 1u);
  const model::Finding& finding = after.findings[0];
  BOOST_TEST(finding.rule_id == "dx.stale_code");
  BOOST_TEST((finding.severity == model::FindingSeverity::kError));
  BOOST_TEST(finding.code == "M545");
  BOOST_TEST(finding.diagnosis_seq == 1);
  BOOST_TEST(finding.line_seq == 0);
  BOOST_TEST(finding.location == "ST 0001, segment 20 HI, HI01-2 (loop 2300)");
  BOOST_TEST(finding.message ==
             "M54.5 is not billable on 2021-10-01 (fy2022); use M54.50, M54.51, M54.59");
  BOOST_TEST(finding.predicts == "CARC 146, RARC M76: dx not valid for DOS");
  BOOST_TEST(finding.evidence_json ==
             "{\"fields\":{\"code\":\"M54.5\",\"dos\":\"2021-10-01\",\"replacements\":[\"M54.50\","
             "\"M54.51\",\"M54.59\"]},\"source\":\"ICD-10-CM order files (fy2022)\",\"facts\":["
             "{\"code\":\"M54.5\",\"date\":\"2021-10-01\",\"status\":\"header\",\"edition\":"
             "\"fy2022\",\"detail\":\"billable until 2021-09-30; header since 2021-10-01; "
             "replacements M54.50, M54.51, M54.59; children M54.50, M54.51, M54.59\"}]}");
  BOOST_TEST(finding.provenance.rule_version == "3");
  BOOST_TEST(finding.provenance.rule_set_hash == loaded.rule_set->hash());
  BOOST_TEST(finding.provenance.code_edition == "fy2022");
  BOOST_TEST(finding.provenance.engine_version == CLAIMAUDIT_VERSION);
  BOOST_TEST(finding.fingerprint.size() == 64u);
}

BOOST_AUTO_TEST_CASE(fingerprint_is_stable_and_names_claim_rule_code_and_position) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), kStaleRule);
  BOOST_REQUIRE(loaded.rule_set);
  const Date date = Date::from_civil(2021, 10, 1);
  model::Claim claim = professional_claim({"M54.5", "R05"}, date);
  const auto first = rules::evaluate(*loaded.rule_set, claim);
  BOOST_REQUIRE_EQUAL(first.findings.size(), 2u);
  // The same claim again, from another file position: same fingerprints, byte-identical.
  claim.envelope.position = 7;
  claim.diagnoses[0].origin.byte_offset = 9999;
  const auto again = rules::evaluate(*loaded.rule_set, claim);
  BOOST_TEST(again.findings[0].fingerprint == first.findings[0].fingerprint);
  BOOST_TEST(again.findings[0].message == first.findings[0].message);
  BOOST_TEST(again.findings[0].evidence_json == first.findings[0].evidence_json);
  BOOST_TEST(first.findings[0].fingerprint != first.findings[1].fingerprint);
  // Another patient: another fingerprint.
  claim.patient.member_id = claimaudit::core::Phi<std::string>("M999");
  BOOST_TEST(rules::evaluate(*loaded.rule_set, claim).findings[0].fingerprint !=
             first.findings[0].fingerprint);
}

BOOST_AUTO_TEST_CASE(rules_that_cannot_run_are_not_evaluated_never_clean) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), kPackRules);
  BOOST_REQUIRE(loaded.rule_set);
  // No date of service at all.
  model::Claim claim = professional_claim({"M62.839"}, Date::from_civil(2024, 8, 15));
  claim.lines[0].service_dates.reset();
  auto result = rules::evaluate(*loaded.rule_set, claim);
  BOOST_TEST(ids(result).empty());
  BOOST_REQUIRE_EQUAL(result.not_evaluated.size(), 2u);
  BOOST_TEST(result.not_evaluated[0].rule_id == "claim.onset_after_service");
  BOOST_TEST(result.not_evaluated[0].reason == "no date of service");
  BOOST_TEST(result.not_evaluated[1].rule_id == "dx.invalid_code");
  BOOST_TEST(result.not_evaluated[1].reason == "diagnosis 1: no date of service");
  // An ICD-9 diagnosis on a 2016 date.
  claim = professional_claim({"7215"}, Date::from_civil(2016, 3, 24));
  claim.diagnoses[0].code_system = model::CodeSystem::kIcd9Cm;
  claim.onset_date = Date::from_civil(2016, 3, 1);
  result = rules::evaluate(*loaded.rule_set, claim);
  BOOST_TEST(ids(result).empty());
  BOOST_REQUIRE_EQUAL(result.not_evaluated.size(), 2u);
  BOOST_TEST(result.not_evaluated[0].rule_id == "dx.missing_precipitating_factor");
  BOOST_TEST(result.not_evaluated[0].reason == "diagnosis 1: ICD-9-CM code set not shipped");
  BOOST_TEST(result.not_evaluated[1].reason == "diagnosis 1: ICD-9-CM code set not shipped");
  // A date before ICD-10-CM: the code history cannot judge the code.
  claim = professional_claim({"M62.839"}, Date::from_civil(2014, 8, 16));
  result = rules::evaluate(*loaded.rule_set, claim);
  BOOST_TEST(ids(result).empty());
  BOOST_REQUIRE_EQUAL(result.not_evaluated.size(), 2u);
  BOOST_TEST(result.not_evaluated[0].rule_id == "claim.onset_after_service");
  BOOST_TEST(result.not_evaluated[0].reason == "claim.onset_date is absent");
  BOOST_TEST(result.not_evaluated[1].reason ==
             "diagnosis 1: no code-set edition covers 2014-08-16");
}

BOOST_AUTO_TEST_CASE(escalation_exception_and_invalid_codes) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), kPackRules);
  BOOST_REQUIRE(loaded.rule_set);
  const Date date = Date::from_civil(2024, 8, 15);
  model::Claim claim = professional_claim({"M62.830"}, date);
  claim.onset_date = date;
  auto result = rules::evaluate(*loaded.rule_set, claim);
  BOOST_REQUIRE_EQUAL(result.findings.size(), 1u);
  BOOST_TEST((result.findings[0].severity == model::FindingSeverity::kInfo));
  BOOST_TEST(result.findings[0].message == "M62.830 has no external cause (info)");
  claim.payer.kind = model::PayerKind::kWorkersComp;
  result = rules::evaluate(*loaded.rule_set, claim);
  BOOST_TEST((result.findings.at(0).severity == model::FindingSeverity::kWarning));
  BOOST_TEST(result.findings.at(0).message ==
             "M62.830 has no external cause (warningworkers' comp or accident)");
  claim.payer.kind = model::PayerKind::kMedicaid;
  BOOST_TEST(rules::evaluate(*loaded.rule_set, claim).findings.empty());
  // W18.49XA satisfies the rule; M62.831 is valid; M62.839 never existed.
  claim = professional_claim({"M62.830", "W18.49XA", "M62.831", "M62.839"}, date);
  claim.onset_date = Date::from_civil(2024, 8, 16);
  result = rules::evaluate(*loaded.rule_set, claim);
  BOOST_TEST(
      ids(result) == (std::vector<std::string>{"claim.onset_after_service@0", "dx.invalid_code@4"}),
      boost::test_tools::per_element());
  BOOST_TEST(result.not_evaluated.empty());
}

BOOST_AUTO_TEST_CASE(local_overrides_change_a_shipped_rule_without_editing_it) {
  claimaudit::testing::TempDir temp;
  claimaudit::testing::write_text(temp.path() / "shipped" / "pack.yaml", kPackRules);
  claimaudit::testing::write_text(temp.path() / "local" / "site.yaml", R"yaml(
- override: dx.invalid_code
  severity: warning
  mode: shadow
- override: claim.onset_after_service
  enabled: false
- override: spasm_triggers
  append: [M62.5A9]
- exception: acme
  rule: dx.missing_precipitating_factor
  when: claim.payer.id == "ACME"
)yaml");
  const auto loaded =
      rules::load_rule_set({temp.path() / "shipped", temp.path() / "local"},
                           claimaudit::testing::code_set(), claimaudit::testing::edit_lists());
  BOOST_REQUIRE(loaded.rule_set);
  BOOST_TEST(loaded.rule_set->rule_ids() ==
                 (std::vector<std::string>{"dx.missing_precipitating_factor", "dx.invalid_code"}),
             boost::test_tools::per_element());
  model::Claim claim = professional_claim({"M62.839", "M62.5A9"}, Date::from_civil(2024, 8, 15));
  auto result = rules::evaluate(*loaded.rule_set, claim);
  BOOST_TEST(ids(result) == (std::vector<std::string>{"dx.missing_precipitating_factor@2",
                                                      "dx.invalid_code@1"}),
             boost::test_tools::per_element());
  BOOST_TEST((result.findings[1].severity == model::FindingSeverity::kWarning));
  BOOST_TEST((result.findings[1].mode == model::RuleMode::kShadow));
  claim.payer.id = "ACME";
  BOOST_TEST(ids(rules::evaluate(*loaded.rule_set, claim)) ==
                 (std::vector<std::string>{"dx.invalid_code@1"}),
             boost::test_tools::per_element());
}

// A severity override of a shipped rule loads although the rule's own inline tests pin the
// shipped severity (they check everything else), and the findings carry the new severity.
BOOST_AUTO_TEST_CASE(severity_override_of_a_shipped_rule_keeps_its_inline_tests_passing) {
  claimaudit::testing::TempDir temp;
  claimaudit::testing::write_text(temp.path() / "local" / "site.yaml", R"yaml(
- override: dx.unspecified_site
  severity: error
- override: dx.missing_precipitating_factor
  severity: warning
)yaml");
  const auto loaded = rules::load_rule_set(
      {std::filesystem::path(CLAIMAUDIT_SOURCE_DIR) / "rules" / "default", temp.path() / "local"},
      claimaudit::testing::code_set(), claimaudit::testing::edit_lists());
  for (const auto& diagnostic : loaded.diagnostics) {
    BOOST_TEST_MESSAGE(diagnostic.code << ": " << diagnostic.message);
  }
  BOOST_REQUIRE(loaded.rule_set);
  const auto& impl = loaded.rule_set->impl();
  BOOST_TEST(impl.find("dx.unspecified_site")->severity_overridden);
  BOOST_TEST(!impl.find("dx.invalid_code")->severity_overridden);
  model::Claim claim = professional_claim({"M62.830"}, Date::from_civil(2024, 8, 15));
  const auto result = rules::evaluate(*loaded.rule_set, claim);
  BOOST_TEST(ids(result) == (std::vector<std::string>{"dx.missing_precipitating_factor@1"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE(result.findings.size() == 1U);
  BOOST_TEST((result.findings[0].severity == model::FindingSeverity::kWarning));
}

BOOST_AUTO_TEST_CASE(code_index_limits_rules_to_codes_they_can_match) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), kPackRules);
  BOOST_REQUIRE(loaded.rule_set);
  const auto& impl = loaded.rule_set->impl();
  const auto* trigger = impl.find("dx.missing_precipitating_factor");
  BOOST_REQUIRE(trigger);
  BOOST_TEST(trigger->indexed);
  BOOST_TEST(
      trigger->index_keys == (std::vector<std::string>{"M62830", "M62831", "M62838", "S39012"}),
      boost::test_tools::per_element());
  BOOST_TEST(!impl.find("dx.invalid_code")->indexed);
}

// With few enough indexed rules, the engine keeps which of them a code admits in its
// per-(code, epoch) memo instead of looking the code's prefixes up in the index: the result must
// be what each rule gives when run on its own on every diagnosis (evaluate_rule: no index, no
// memo), for admitted and other codes, unreadable and ICD-9 codes, long codes, and diagnoses
// without a date of service.
BOOST_AUTO_TEST_CASE(memoised_index_gives_what_every_rule_gives_alone) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), kPackRules);
  BOOST_REQUIRE(loaded.rule_set);
  const auto& impl = loaded.rule_set->impl();
  BOOST_TEST(impl.memo_indexed.size() == 1U);
  BOOST_TEST(impl.find("dx.missing_precipitating_factor")->index_bit >= 0);
  std::vector<model::Claim> claims;
  claims.push_back(professional_claim({"M62.830", "S39.012A", "M54.50", "R69", "M62.838"},
                                      Date::from_civil(2024, 8, 15)));
  model::Claim odd = professional_claim({"M62.830", "M62.831", "S39.012A", "M54.50", "M62.839"},
                                        Date::from_civil(2024, 8, 15));
  odd.diagnoses[1].code.clear();  // Unreadable.
  odd.diagnoses[2].code_system = model::CodeSystem::kIcd9Cm;
  odd.diagnoses[3].code = "M6283012";  // Too long for the memo's key.
  claims.push_back(odd);
  model::Claim undated = professional_claim({"M62.830", "S39.012A"}, Date::from_civil(2024, 8, 15));
  undated.lines.clear();
  claims.push_back(undated);
  const auto text = [](const rules::Evaluation& evaluation) {
    std::string out;
    for (const auto& finding : evaluation.findings) {
      out += finding.rule_id + "@" + std::to_string(finding.diagnosis_seq) + " " + finding.message +
             " " + finding.fingerprint + "\n";
    }
    for (const auto& skipped : evaluation.not_evaluated) {
      out += skipped.rule_id + ": " + skipped.reason + "\n";
    }
    return out;
  };
  for (int round = 0; round < 2; ++round) {  // The second round answers from the memo.
    for (const model::Claim& claim : claims) {
      rules::Evaluation alone;
      for (const std::size_t r : impl.enabled) {
        rules::evaluate_rule(impl, *impl.rules[r], claim, alone);
      }
      const std::string expected = text(alone);
      BOOST_TEST(!expected.empty());
      BOOST_TEST(text(rules::evaluate(*loaded.rule_set, claim)) == expected);
    }
  }
}

// A diagnosis rule that reads the diagnosis only through dx.code_system / dx.qualifier is
// evaluated once per distinct (code system, qualifier, date) of a claim; its "passed" verdict is
// reused for the other diagnoses with the same key, and only for those.
BOOST_AUTO_TEST_CASE(verdicts_shared_by_code_system_and_qualifier_only) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), R"(
- rule: dx.uri_qualifier
  version: "1"
  title: t
  description: d
  scope: diagnosis
  let:
    uri: dx.qualifier == "http://hl7.org/fhir/sid/icd-10"
  when: uri or (dx.code_system == "icd9cm" and dos >= date("2015-10-01"))
  severity: warning
  message: "{code}"
  evidence: {source: "x"}
  references: [r]
  applies_to: {code_systems: [icd10cm, icd9cm]}
- rule: dx.reads_code
  version: "1"
  title: t
  description: d
  scope: diagnosis
  when: dx.qualifier == "BF" and dx.code == "M62830"
  severity: warning
  message: "{code}"
  evidence: {source: "x"}
  references: [r]
)");
  BOOST_REQUIRE(loaded.rule_set);
  const auto& impl = loaded.rule_set->impl();
  BOOST_TEST(impl.find("dx.uri_qualifier")->verdict_by_dx_system);
  BOOST_TEST(!impl.find("dx.reads_code")->verdict_by_dx_system);
  model::Claim claim = professional_claim({"M62.830", "M54.50", "M62.830", "R69", "M54.16"},
                                          Date::from_civil(2024, 8, 15));
  // Diagnoses 2 and 3 share (icd10cm, "ABF"): 2 passes, so 3 is not evaluated again; 4 has the
  // URI, 5 is ICD-9: both fire although a diagnosis before them passed.
  claim.diagnoses[3].qualifier = "http://hl7.org/fhir/sid/icd-10";
  claim.diagnoses[4].code_system = model::CodeSystem::kIcd9Cm;
  claim.diagnoses[1].qualifier = "BF";
  claim.diagnoses[2].qualifier = "BF";
  BOOST_TEST(
      ids(rules::evaluate(*loaded.rule_set, claim)) ==
          (std::vector<std::string>{"dx.uri_qualifier@4", "dx.uri_qualifier@5", "dx.reads_code@3"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(evaluation_is_deterministic_across_threads) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), std::string(kPackRules) + kStaleRule);
  BOOST_REQUIRE(loaded.rule_set);
  std::vector<model::Claim> claims;
  const std::vector<std::vector<std::string>> codes = {
      {"M54.5"}, {"M62.830"}, {"M62.839", "X50.0XXA"}, {"S39.012A", "M62.830"}, {"R69"}};
  for (int i = 0; i < 40; ++i) {
    claims.push_back(professional_claim(codes[static_cast<std::size_t>(i) % codes.size()],
                                        Date::from_civil(2021, 9, 20 + i % 20 / 2)));
  }
  std::vector<std::vector<model::Finding>> reference;
  for (const auto& claim : claims)
    reference.push_back(rules::evaluate(*loaded.rule_set, claim).findings);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 25; ++round) {
        for (std::size_t i = 0; i < claims.size(); ++i) {
          if (!(rules::evaluate(*loaded.rule_set, claims[i]).findings == reference[i])) {
            ++mismatches[static_cast<std::size_t>(t)];
          }
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(mismatches == (std::vector<int>{0, 0, 0, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_broken_reload_keeps_the_last_good_set) {
  claimaudit::testing::TempDir temp;
  rules::RuleSetSlot slot;
  BOOST_TEST(!slot.current());
  claimaudit::testing::write_text(temp.path() / "rules.yaml", kStaleRule);
  const auto good = slot.reload({temp.path()}, claimaudit::testing::code_set(),
                                claimaudit::testing::edit_lists());
  BOOST_REQUIRE(good.rule_set);
  BOOST_TEST(slot.current() == good.rule_set);
  claimaudit::testing::write_text(temp.path() / "broken.yaml",
                                  "- rule: dx.broken\n  version: \"1\"\n  title: x\n"
                                  "  scope: diagnosis\n  when: dx.cod == 1\n  severity: info\n"
                                  "  message: x\n");
  const auto bad = slot.reload({temp.path()}, claimaudit::testing::code_set(),
                               claimaudit::testing::edit_lists());
  BOOST_TEST(!bad.rule_set);
  BOOST_REQUIRE(!bad.diagnostics.empty());
  BOOST_TEST(bad.diagnostics[0].code == "E-RULE-UNKNOWN-FIELD");
  BOOST_TEST(slot.current() == good.rule_set);
  BOOST_TEST(slot.current()->rule_ids() == (std::vector<std::string>{"dx.stale_code"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rule_set_hash_covers_paths_and_bytes) {
  claimaudit::testing::TempDir a;
  claimaudit::testing::TempDir b;
  const auto first = load_text(a.path(), kStaleRule);
  const auto same = load_text(b.path(), kStaleRule);
  BOOST_REQUIRE(first.rule_set && same.rule_set);
  BOOST_TEST(first.rule_set->hash() == same.rule_set->hash());
  const auto changed = load_text(b.path(), std::string(kStaleRule) + "\n");
  BOOST_TEST(changed.rule_set->hash() != first.rule_set->hash());
}

BOOST_AUTO_TEST_CASE(explain_shows_every_sub_expression_and_the_facts) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), kStaleRule);
  BOOST_REQUIRE(loaded.rule_set);
  const auto explanations = rules::explain(
      *loaded.rule_set, professional_claim({"M54.5"}, Date::from_civil(2021, 10, 1)));
  BOOST_REQUIRE_EQUAL(explanations.size(), 1u);
  const auto& explanation = explanations[0];
  BOOST_TEST(explanation.verdict == "fired");
  BOOST_TEST(explanation.subject == "diagnosis 1 M54.5, dos 2021-10-01");
  std::string trace;
  for (const auto& step : explanation.steps) {
    trace += std::string(static_cast<std::size_t>(step.depth) * 2, ' ') + step.expression + " = " +
             step.value + "\n";
  }
  BOOST_TEST(trace ==
             "classify(dx.code) == \"stale\" = true\n"
             "  classify(dx.code) = \"stale\"\n"
             "    dx.code = M54.5\n"
             "      dx = M54.5\n"
             "  \"stale\" = \"stale\"\n");
  BOOST_TEST(
      explanation.facts ==
          (std::vector<std::string>{
              "M54.5 on 2021-10-01: header (fy2022); billable until 2021-09-30; header since "
              "2021-10-01; replacements M54.50, M54.51, M54.59; children M54.50, M54.51, "
              "M54.59"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(first_seq_finds_the_first_occurrence_and_is_unknown_past_an_unreadable_code) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), R"(- rule: dx.repeat
  version: "1"
  title: repeat
  scope: diagnosis
  when: dx.first_seq < dx.seq
  severity: warning
  message: "{code} at {seq} first at {dx.first_seq}"
)",
                                rules::InlineTests::kSkip);
  BOOST_REQUIRE(loaded.rule_set);
  const Date date = Date::from_civil(2025, 1, 15);
  // M62.830 twice (positions 1 and 3): the repeat fires, first at 1.
  auto result =
      rules::evaluate(*loaded.rule_set, professional_claim({"M62.830", "R05", "M62.830"}, date));
  BOOST_REQUIRE_EQUAL(result.findings.size(), 1u);
  BOOST_TEST(result.findings[0].diagnosis_seq == 3);
  BOOST_TEST(result.findings[0].message == "M62.830 at 3 first at 1");
  BOOST_TEST(result.not_evaluated.empty());
  // An unreadable code at position 2: position 1 passes (nothing before it); 2 and 3 cannot be
  // decided (is the unreadable code R05?) unless an earlier readable code matches. The first
  // undecided subject gives the rule's not-evaluated reason.
  model::Claim claim = professional_claim({"M62.830", "R05", "R05"}, date);
  claim.diagnoses[1].code.clear();
  result = rules::evaluate(*loaded.rule_set, claim);
  BOOST_TEST(result.findings.empty());
  BOOST_REQUIRE_EQUAL(result.not_evaluated.size(), 1u);
  BOOST_TEST(result.not_evaluated[0].reason == "diagnosis 2: diagnosis code unreadable");
  claim = professional_claim({"M62.830", "R05", "M62.830"}, date);
  claim.diagnoses[1].code.clear();
  result = rules::evaluate(*loaded.rule_set, claim);
  BOOST_REQUIRE_EQUAL(result.findings.size(), 1u);
  BOOST_TEST(result.findings[0].diagnosis_seq == 3);
}

BOOST_AUTO_TEST_SUITE_END()
