// Code guards (CompiledRule::guard, docs/rules-language.md section 9): the engine skips a diagnosis
// rule whose code guard is false and memoises the guard per (code, epoch) across claims. Two
// things make that safe, and both are checked here on the real data and the shipped pack:
//  - every answer a guard may use is constant within an epoch (a code-set edition cut at the
//    fiscal year, when the MCE and POA lists change);
//  - evaluate() (guards, memo) fires exactly what explain() (every rule run in full, no memo)
//    fires, on claims with codes of every kind over ten years of dates, memo cold and warm.
#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "rules/rule_set.hpp"
#include "rules_fixture.hpp"

namespace claimaudit {
namespace {

using codes::EditLists;

// Day ranges over which every guard answer must be constant: between two of the code history's
// change days, cut at October 1 (the engine's epochs), over the coverage.
std::vector<std::pair<core::Date, core::Date>> epochs(const codes::CodeSet& codes) {
  std::vector<std::pair<core::Date, core::Date>> out;
  const auto changes = codes.change_days();
  for (std::size_t i = 0; i + 1 < changes.size(); ++i) {
    core::Date from = core::Date::from_days(changes[i]);
    const core::Date last = core::Date::from_days(changes[i + 1] - 1);
    while (from <= last) {
      const int fy_end_year = from.year() + (from.month() >= 10 ? 1 : 0);
      const core::Date to = std::min(core::Date::from_civil(fy_end_year, 9, 30), last);
      out.emplace_back(from, to);
      from = core::Date::from_days(to.days() + 1);
    }
  }
  return out;
}

struct Answers {
  codes::Status status;
  bool unspecified;
  codes::AgeEdit age;
  codes::SexEdit sex;
  bool manifestation;
  bool unacceptable;
  bool questionable;
  bool poa_exempt;
  std::string_view title;  // title(): a guard may test it too.
  friend bool operator==(const Answers&, const Answers&) = default;
};

Answers answers(const std::string& code, core::Date date) {
  const auto& codes = testing::code_set();
  const auto& edits = testing::edit_lists();
  return Answers{codes.status_on(code, date),
                 codes.is_unspecified_site(code, date),
                 edits.age_edit_only(code, date),
                 edits.sex_edit_only(code, date),
                 edits.listed(EditLists::List::kManifestation, code, date),
                 edits.listed(EditLists::List::kUnacceptablePrincipal, code, date),
                 edits.listed(EditLists::List::kQuestionableAdmission, code, date),
                 edits.listed(EditLists::List::kPoaExempt, code, date),
                 codes.lookup_title(code, date)};
}

std::shared_ptr<const rules::RuleSet> default_pack() {
  const auto dir = rules::default_rule_directory();
  BOOST_REQUIRE(!dir.empty());
  auto result = rules::load_rule_set({dir}, testing::code_set(), testing::edit_lists(),
                                     rules::InlineTests::kSkip);
  BOOST_REQUIRE(result.rule_set);
  return result.rule_set;
}

// "diagnosis 2 M62.830, dos ..." / "line 1, dos ..." -> 2 / 1; claim rules -> 0.
int subject_seq(const std::string& subject) {
  for (const std::string prefix : {"diagnosis ", "line "}) {
    if (subject.rfind(prefix, 0) == 0) return std::stoi(subject.substr(prefix.size()));
  }
  return 0;
}

// Up to 6 random codes (a repeat on every 7th claim) on a date in FY2016-FY2026, so editions
// and MCE versions vary; sex and age vary for the MCE edits.
model::Claim random_claim(int n, std::mt19937& random, const std::vector<std::string>& pool) {
  std::vector<std::string> dx;
  const int count = 1 + static_cast<int>(random() % 6);
  dx.reserve(static_cast<std::size_t>(count) + 1);
  for (int k = 0; k < count; ++k) dx.push_back(pool[random() % pool.size()]);
  if (n % 7 == 0) dx.push_back(dx.front());  // A repeat (dx.duplicate).
  const core::Date date = core::Date::from_civil(2016 + static_cast<int>(random() % 10),
                                                 1 + static_cast<unsigned>(random() % 12), 15);
  // Every 4th claim before ICD-10 (2015), so the code-system rules fire.
  const core::Date dos = n % 4 == 3 ? core::Date::from_civil(2015, 9, 15) : date;
  model::Claim claim = testing::professional_claim(dx, dos);
  claim.claim_id = "G" + std::to_string(n);
  // Every 3rd claim: code systems and qualifiers vary by diagnosis, so rules whose verdict the
  // engine shares between diagnoses (CompiledRule::verdict_by_dx_system) see equal and unequal
  // keys side by side; every 5th is a FHIR claim (the qualifier is a system URI there).
  if (n % 3 == 0) {
    static const char* const kQualifiers[] = {
        "ABK", "ABF", "BK", "BF", "http://hl7.org/fhir/sid/icd-10", ""};
    for (model::Diagnosis& diagnosis : claim.diagnoses) {
      diagnosis.code_system =
          random() % 4 == 0 ? model::CodeSystem::kIcd9Cm : model::CodeSystem::kIcd10Cm;
      diagnosis.qualifier = kQualifiers[random() % 6];
    }
  }
  if (n % 5 == 0) claim.envelope.guide = "fhir-r4";
  // Every other claim: a side modifier on the line (dx.laterality_mismatch).
  if (n % 2 == 0) claim.lines.front().modifiers = {n % 4 == 0 ? "RT" : "LT"};
  claim.patient.sex = core::Phi<char>(n % 3 == 0 ? 'F' : n % 3 == 1 ? 'M' : 'U');
  claim.patient.birth_date = core::Phi<std::optional<core::Date>>(
      core::Date::from_civil(1940 + static_cast<int>(random() % 85), 6, 1));
  return claim;
}

// (rule id, diagnosis or line seq) -> the messages of its findings there, sorted: guards and
// memos must leave the values a full evaluation gives, not only the same verdicts.
using Fired = std::map<std::pair<std::string, int>, std::vector<std::string>>;

// Every rule run in full, one at a time, without guards or memo (explain's path).
Fired fired_alone(const rules::RuleSet& set, const model::Claim& claim) {
  Fired fired;
  for (const rules::RuleExplanation& e : rules::explain(set, claim)) {
    if (e.verdict == "fired") fired[{e.rule_id, subject_seq(e.subject)}].push_back(e.reason);
  }
  for (auto& [key, messages] : fired) std::sort(messages.begin(), messages.end());
  return fired;
}

Fired fired_by_evaluate(const rules::RuleSet& set, const model::Claim& claim) {
  Fired fired;
  for (const model::Finding& f : rules::evaluate(set, claim).findings) {
    fired[{f.rule_id, f.diagnosis_seq != 0 ? f.diagnosis_seq : f.line_seq}].push_back(f.message);
  }
  for (auto& [key, messages] : fired) std::sort(messages.begin(), messages.end());
  return fired;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(guards)

BOOST_AUTO_TEST_CASE(change_days_include_mid_year_additions) {
  // U07.1 (COVID-19) became billable on 2020-04-01, inside the FY2020 edition: an epoch must
  // start there, or a memo filled in March would answer for April.
  const auto& codes = testing::code_set();
  const auto changes = codes.change_days();
  const auto april = core::Date::from_civil(2020, 4, 1).days();
  BOOST_TEST(std::binary_search(changes.begin(), changes.end(), april));
  BOOST_TEST(std::binary_search(changes.begin(), changes.end(),
                                core::Date::from_civil(2015, 10, 1).days()));
  BOOST_TEST(std::is_sorted(changes.begin(), changes.end()));
  // The memo keys hold the epoch in one byte (expr::code_epoch_key): every epoch must fit.
  BOOST_TEST_MESSAGE("change days: " << changes.size());
  BOOST_TEST(changes.size() < 255U);
  BOOST_TEST(
      (codes.status_on("U071", core::Date::from_civil(2020, 3, 31)) != codes::Status::kBillable));
  BOOST_TEST(
      (codes.status_on("U071", core::Date::from_civil(2020, 4, 1)) == codes::Status::kBillable));
}

BOOST_AUTO_TEST_CASE(guard_answers_are_constant_within_an_epoch) {
  const auto& codes = testing::code_set();
  const std::vector<std::string> all = codes.all_codes();
  const auto ranges = epochs(codes);
  BOOST_REQUIRE_GT(all.size(), 90000U);
  BOOST_REQUIRE_GT(ranges.size(), 10U);
  std::size_t checked = 0;
  std::size_t mismatches = 0;
  // Every third code (every code takes ~10 s under the sanitizers), first, middle and last day.
  for (std::size_t i = 0; i < all.size(); i += 3) {
    for (const auto& [from, to] : ranges) {
      const Answers first = answers(all[i], from);
      const core::Date middle = core::Date::from_days((from.days() + to.days()) / 2);
      for (const core::Date day : {middle, to}) {
        ++checked;
        if (!(answers(all[i], day) == first) && ++mismatches <= 5) {
          BOOST_ERROR(all[i] << " changes between " << from.iso() << " and " << day.iso());
        }
      }
    }
  }
  BOOST_TEST(mismatches == 0U);
  BOOST_TEST_MESSAGE("epoch check: " << checked << " (code, day) pairs");
}

BOOST_AUTO_TEST_CASE(evaluate_fires_what_every_rule_fires_alone) {
  const auto set = default_pack();
  std::vector<std::string> pool = testing::code_set().all_codes();
  // Codes no edition has, and headers, so invalid/header/stale guards are exercised too.
  for (const char* odd :
       {"M62.839", "M54.5", "M62.83", "S33.5", "R69", "Z3A.01", "O80", "Z38.00"}) {
    pool.emplace_back(*core::normalize_icd10(odd));
  }
  std::mt19937 random(20261126);
  std::size_t fired = 0;
  std::size_t shared_fired = 0;      // By rules with verdict_by_dx_system.
  std::size_t laterality_fired = 0;  // Family lookups (near, twins) in its message.
  for (int n = 0; n < 600; ++n) {
    const model::Claim claim = random_claim(n, random, pool);
    const Fired alone = fired_alone(*set, claim);
    for (int pass = 0; pass < 2; ++pass) {  // Memo cold (first claim of a code), then warm.
      BOOST_TEST_INFO("claim " << n << ", pass " << pass);
      BOOST_TEST((fired_by_evaluate(*set, claim) == alone));
    }
    for (const auto& [key, messages] : alone) {
      fired += messages.size();
      if (key.first == "dx.code_set_qualifier" || key.first == "dx.code_system_uri") {
        shared_fired += messages.size();
      }
      if (key.first == "dx.laterality_mismatch") laterality_fired += messages.size();
    }
  }
  // The claims must exercise the rules, or the comparison proves nothing.
  BOOST_TEST(fired > 300U);
  BOOST_TEST(shared_fired > 50U);
  BOOST_TEST_MESSAGE("fired " << fired << ", laterality " << laterality_fired);
  BOOST_TEST(laterality_fired > 20U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit
