// Tests for `claimctl explain` and `claimctl rules lint` (tools/claimctl/cmd_explain.cpp,
// cmd_rules.cpp), run as the real binary: a --rule that names no enabled rule is a usage error,
// not a silent "nothing fired"; lint's closing line counts in words a person would write.
#include <fstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::testing {
namespace {

using Run = CommandOutput;

// Runs `claimctl <arguments>` through the shell in the source tree; stderr goes to stdout.
Run claimctl(const std::string& arguments) {
  return run_command("cd " + shell_quote(source_dir().string()) + " && '" CLAIMCTL_BINARY "' " +
                     arguments + " 2>&1");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(explain)

BOOST_AUTO_TEST_CASE(one_named_rule_is_explained) {
  const Run run = claimctl("explain examples/back-spasm.json --rule dx.stale_code");
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.out.rfind("claim 1606: dx.stale_code (diagnosis 1 M62.830, dos 2024-08-15): "
                           "passed\n",
                           0) == 0u);
}

BOOST_AUTO_TEST_CASE(an_unknown_rule_is_a_usage_error) {
  const Run run = claimctl("explain examples/back-spasm.json --rule dx.stale_cod");
  BOOST_TEST(run.exit_code == 64);
  BOOST_TEST(run.out == "claimctl explain: no rule 'dx.stale_cod' in the rule set\n");
}

BOOST_AUTO_TEST_CASE(a_disabled_rule_says_so) {
  TempDir local;
  std::ofstream(local.path() / "off.yaml") << "- override: dx.stale_code\n  enabled: false\n";
  const Run run = claimctl(
      "explain examples/back-spasm.json --rule dx.stale_code --rules "
      "rules/default --rules '" +
      local.path().string() + "'");
  BOOST_TEST(run.exit_code == 64);
  BOOST_TEST(run.out == "claimctl explain: rule 'dx.stale_code' is disabled by an override\n");
}

// The rule says dx.code == "M62.831"; the trace shows it so, not as the stored "M62831".
BOOST_AUTO_TEST_CASE(code_literals_print_dotted_as_written) {
  const Run run = claimctl("explain examples/back-spasm.json --rule dx.wrong_site_spasm");
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.out.find("claim 1606: dx.wrong_site_spasm (diagnosis 1 M62.830, dos "
                          "2024-08-15): passed\n") == 0u);
  // Indentation follows the rule's shape, which the pack may change: read the text only.
  BOOST_TEST(run.out.find(" dx.code == \"M62.831\" = false\n") != std::string::npos, run.out);
  BOOST_TEST(run.out.find(" \"M62.831\" = M62.831\n") != std::string::npos, run.out);
  BOOST_TEST(run.out.find("M62831") == std::string::npos);
}

// A value-taking option at the end of the line says what is missing (it exited 64 silently).
BOOST_AUTO_TEST_CASE(a_missing_option_value_is_named) {
  for (const std::string option : {"--claim", "--rule", "--rules"}) {
    const Run run = claimctl("explain examples/back-spasm.json " + option);
    BOOST_TEST(run.exit_code == 64);
    BOOST_TEST(run.out.find("claimctl explain: " + option + " needs a value\n\nusage: ") == 0u,
               run.out);
  }
}

// A --claim that is not in the file names the claims that are.
BOOST_AUTO_TEST_CASE(an_unknown_claim_lists_the_files_claims) {
  const Run run = claimctl("explain examples/back-spasm.json --claim 9999");
  BOOST_TEST(run.exit_code == 2);
  BOOST_TEST(run.out ==
             "claimctl explain: no claim 9999 in examples/back-spasm.json; its claims: "
             "1606\n");
}

// rules test --rule with a mistyped id printed "0 passed, 0 failed" and exited 0.
BOOST_AUTO_TEST_CASE(rules_test_of_an_unknown_rule_is_a_usage_error) {
  const Run unknown = claimctl("rules test --rule dx.stale_cod");
  BOOST_TEST(unknown.exit_code == 64);
  BOOST_TEST(unknown.out == "claimctl rules test: no rule 'dx.stale_cod' in the rule set\n");
  const Run missing = claimctl("rules test --rule");
  BOOST_TEST(missing.exit_code == 64);
  BOOST_TEST(missing.out == "claimctl rules test: --rule needs a rule id\n");
  const Run one = claimctl("rules test --rule dx.stale_code");
  BOOST_TEST(one.exit_code == 0);
  // The count follows the pack (11 tests today); it must not be zero.
  BOOST_TEST(one.out.ends_with(" passed, 0 failed\n"));
  BOOST_TEST(!one.out.starts_with("0 "));
}

BOOST_AUTO_TEST_CASE(lint_closes_with_one_error_not_one_errors) {
  TempDir local;
  std::ofstream(local.path() / "bad.yaml") << "- override: dx.no_such_rule\n  enabled: false\n";
  const Run run = claimctl("rules lint rules/default '" + local.path().string() + "'");
  BOOST_TEST(run.exit_code == 1);
  BOOST_TEST(run.out.find("E-RULE-OVERRIDE-TARGET") != std::string::npos);
  BOOST_TEST(run.out.substr(run.out.rfind('\n', run.out.size() - 2) + 1) ==
             "1 error, 0 warnings: rule set rejected\n");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
