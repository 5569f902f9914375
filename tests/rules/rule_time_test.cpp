// rules::evaluate with per-rule timing (the daemon's claimaudit_rule_eval_seconds): one RuleTime
// per rule that ran, named through RuleSet::loaded_rule_id, and the same findings as without.
#include <set>

#include <boost/test/unit_test.hpp>

#include "rules/rules_fixture.hpp"

namespace rules = claimaudit::rules;
using claimaudit::core::Date;
using claimaudit::testing::load_text;
using claimaudit::testing::professional_claim;

namespace {

const char* const kRules = R"yaml(
- rule: claim.always
  version: "1"
  title: Always
  scope: claim
  when: count(claim.diagnoses) > 0
  severity: info
  message: "always"

- rule: claim.never
  version: "1"
  title: Never
  scope: claim
  when: count(claim.diagnoses) > 99
  severity: info
  message: "never"

- rule: claim.switched_off
  version: "1"
  title: Disabled
  scope: claim
  enabled: false
  when: count(claim.diagnoses) > 0
  severity: info
  message: "off"

- rule: claim.institutional_only
  version: "1"
  title: Not applicable to professional claims
  scope: claim
  applies_to: {claim_kinds: [institutional]}
  when: count(claim.diagnoses) > 0
  severity: info
  message: "institutional"
)yaml";

}  // namespace

BOOST_AUTO_TEST_SUITE(rule_time)

BOOST_AUTO_TEST_CASE(times_every_rule_that_ran_and_changes_no_finding) {
  claimaudit::testing::TempDir temp;
  const auto loaded = load_text(temp.path(), kRules);
  BOOST_REQUIRE(loaded.rule_set);
  const rules::RuleSet& set = *loaded.rule_set;
  BOOST_TEST(set.loaded_rule_count() == 4u);
  BOOST_TEST(set.rule_count() == 3u);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < set.loaded_rule_count(); ++i) ids.insert(set.loaded_rule_id(i));
  BOOST_TEST(ids == (std::set<std::string>{"claim.always", "claim.institutional_only",
                                           "claim.never", "claim.switched_off"}));

  const auto claim = professional_claim({"M54.50"}, Date::from_civil(2024, 8, 15));
  std::vector<rules::RuleTime> times;
  const auto timed = rules::evaluate(set, claim, &times);
  const auto plain = rules::evaluate(set, claim);
  BOOST_REQUIRE_EQUAL(timed.findings.size(), 1u);
  BOOST_REQUIRE_EQUAL(plain.findings.size(), 1u);
  BOOST_TEST(timed.findings[0].fingerprint == plain.findings[0].fingerprint);
  BOOST_TEST(timed.findings[0].message == plain.findings[0].message);
  // Disabled and not-applicable rules do not run, so they are not timed.
  BOOST_REQUIRE_EQUAL(times.size(), 2u);
  std::set<std::string> timed_ids;
  for (const auto& time : times) timed_ids.insert(set.loaded_rule_id(time.rule));
  BOOST_TEST(timed_ids == (std::set<std::string>{"claim.always", "claim.never"}));
  // Appends: a second claim adds its own entries.
  rules::evaluate(set, claim, &times);
  BOOST_TEST(times.size() == 4u);
  BOOST_CHECK_THROW(set.loaded_rule_id(4), std::out_of_range);
}

BOOST_AUTO_TEST_SUITE_END()
