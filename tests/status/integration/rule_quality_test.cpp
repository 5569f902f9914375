// The rule quality loop against the real claimauditd (issue 7, items 1 and 6, and the metrics
// of item 1): `claimctl rules backtest` with a candidate rule set (a rule disabled by an
// override, another moved to shadow mode, one added) gives exact added/removed/changed counts
// by rule and writes nothing; GET /v1/findings/{id} recomputes the explanation trace with the
// rule set that made the finding, and says so when that set is gone; /v1/metrics carries a
// per-rule evaluation time histogram, sampled on the first claim of every eight.
#include <grp.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "status/integration/daemon_harness.hpp"
#include "support/prometheus.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// SPASM-1: dx.missing_precipitating_factor (workers' comp: warning). BACK-2: dx.stale_code
// (M54.5 is a header code from 2021-10-01).
constexpr std::string_view kClaims = R"({"format":"claimaudit.claim/1","claims":[
{"claim_id":"SPASM-1","kind":"professional","frequency":"1","billing_provider":{"npi":"1245319599"},"payer":{"id":"WCP","program":"WC"},"patient":{"birth_date":"1970-01-01","sex":"F"},"diagnoses":[{"seq":1,"code":"M62.830","role":"principal"}],"lines":[{"seq":1,"procedure":{"system":"CPT","code":"97140"},"units":"1","charge":"55.00","service_date":{"from":"2024-08-15","to":"2024-08-15"},"dx_pointers":[1]}]},
{"claim_id":"BACK-2","kind":"professional","frequency":"1","billing_provider":{"npi":"1245319599"},"payer":{"id":"MCR","program":"MB"},"patient":{"birth_date":"1950-01-01","sex":"M"},"diagnoses":[{"seq":1,"code":"M54.5","role":"principal"}],"lines":[{"seq":1,"procedure":{"system":"CPT","code":"99213"},"units":"1","charge":"90.00","service_date":{"from":"2021-10-01","to":"2021-10-01"},"dx_pointers":[1]}]}
]})";

constexpr std::string_view kCandidateLocal =
    R"(# A candidate: one rule off, one moved to shadow mode, one new.
- override: dx.stale_code
  enabled: false

- override: dx.missing_precipitating_factor
  mode: shadow

- rule: local.has_diagnoses
  version: "1"
  title: Every claim with a diagnosis (backtest test rule)
  scope: claim
  when: count(claim.diagnoses) > 0
  severity: info
  message: "claim {claim.id} has diagnoses"
  tests:
    - name: one diagnosis
      dos: 2024-08-15
      claim: {diagnoses: [{seq: 1, code: M62.830}]}
      expect: fire
    - name: no diagnosis
      dos: 2024-08-15
      claim: {diagnoses: []}
      expect: pass
)";

const std::filesystem::path kShippedRules =
    std::filesystem::path(CLAIMAUDIT_SOURCE_DIR) / "rules/default";

std::map<std::string, std::int64_t> counts_of(const json::value& rules, const char* key) {
  std::map<std::string, std::int64_t> out;
  for (const auto& rule : rules.as_array()) {
    const auto count = rule.at(key).as_int64();
    if (count != 0) out[std::string(rule.at("rule_id").as_string())] = count;
  }
  return out;
}

using Counts = std::map<std::string, std::int64_t>;

}  // namespace

BOOST_AUTO_TEST_SUITE(rule_quality)

BOOST_AUTO_TEST_CASE(backtest_counts_added_removed_changed_by_rule_and_writes_nothing) {
  TempDir dir;
  DaemonProcess daemon(dir / "state");
  daemon.drop("claims-1.json", kClaims);
  const auto before = daemon.wait_findings(2);
  BOOST_REQUIRE_EQUAL(before.at("count").as_int64(), 2);

  // The candidate: a copy of the shipped pack plus a local directory with the changes.
  const auto pack = dir / "candidate";
  std::filesystem::copy(kShippedRules, pack, std::filesystem::copy_options::recursive);
  dir.write("local/candidate.yaml", kCandidateLocal);

  const auto changed = run_command(claimctl_command(
      daemon, "rules backtest " + pack.string() + " " + (dir / "local").string() + " --json"));
  BOOST_REQUIRE_EQUAL(changed.exit_code, 0);
  const auto body = json::parse(changed.out);
  BOOST_TEST(body.at("files").as_array().size() == 1u);
  BOOST_TEST(body.at("files").at(0).at("path").as_string().ends_with("/claims-1.json"));
  BOOST_TEST(body.at("claims").as_int64() == 2);
  BOOST_TEST(body.at("skipped").as_array().empty());
  BOOST_TEST((counts_of(body.at("rules"), "added") == Counts{{"local.has_diagnoses", 2}}));
  BOOST_TEST((counts_of(body.at("rules"), "removed") == Counts{{"dx.stale_code", 1}}));
  BOOST_TEST(
      (counts_of(body.at("rules"), "changed") == Counts{{"dx.missing_precipitating_factor", 1}}));
  BOOST_TEST(counts_of(body.at("rules"), "unchanged").empty());
  const auto& totals = body.at("totals");
  BOOST_TEST(totals.at("added").as_int64() == 2);
  BOOST_TEST(totals.at("removed").as_int64() == 1);
  BOOST_TEST(totals.at("changed").as_int64() == 1);
  BOOST_TEST(totals.at("unchanged").as_int64() == 0);
  BOOST_TEST(totals.at("recorded").as_int64() == 2);
  BOOST_TEST(totals.at("candidate").as_int64() == 3);
  const auto& change = body.at("changed").at(0);
  BOOST_TEST(change.at("mode").as_string() == "shadow");
  BOOST_TEST(change.at("before").at("mode").as_string() == "enforce");
  BOOST_TEST(change.at("severity").as_string() == "warning");
  BOOST_TEST(change.at("claim_id").as_string() == "SPASM-1");
  BOOST_TEST(body.at("removed").at(0).at("claim_id").as_string() == "BACK-2");
  BOOST_TEST(body.at("removed").at(0).at("status").as_string() == "open");

  // The aligned table with totals.
  const auto table = run_command(
      claimctl_command(daemon, "rules backtest " + pack.string() + " " + (dir / "local").string()));
  BOOST_TEST(table.exit_code == 0);
  const auto header = table.out.find("RULE");
  BOOST_REQUIRE(header != std::string::npos);
  BOOST_TEST(table.out.substr(header) ==
             "RULE                             ADDED  REMOVED  CHANGED  UNCHANGED\n"
             "dx.missing_precipitating_factor  0      0        1        0\n"
             "dx.stale_code                    0      1        0        0\n"
             "local.has_diagnoses              2      0        0        0\n"
             "TOTAL                            2      1        1        0\n");

  // The daemon's own pack changes nothing.
  const auto same = json::parse(
      run_command(claimctl_command(daemon, "rules backtest " + kShippedRules.string() + " --json"))
          .out);
  BOOST_TEST(same.at("totals").at("unchanged").as_int64() == 2);
  BOOST_TEST(same.at("totals").at("added").as_int64() + same.at("totals").at("removed").as_int64() +
                 same.at("totals").at("changed").as_int64() ==
             0);

  // --since after today: no archived file qualifies.
  const auto later =
      json::parse(run_command(claimctl_command(daemon, "rules backtest " + pack.string() + " " +
                                                           (dir / "local").string() +
                                                           " --since 2999-01-01 --json"))
                      .out);
  BOOST_TEST(later.at("files").as_array().empty());
  BOOST_TEST(later.at("totals").at("recorded").as_int64() == 0);

  // Bad input: a candidate with errors, a bad date.
  dir.write("broken/bad.yaml", "- rule: x.y\n  scope: nowhere\n");
  BOOST_TEST(run_command(claimctl_command(daemon, "rules backtest " + (dir / "broken").string()) +
                         " 2>/dev/null")
                 .exit_code == 1);
  BOOST_TEST(run_command(claimctl_command(
                             daemon, "rules backtest " + pack.string() + " --since yesterday") +
                         " 2>/dev/null")
                 .exit_code == 64);

  // Nothing on record moved: the same findings, statuses and no events.
  const auto after = daemon.get("/v1/findings?limit=all&shadow=1");
  BOOST_TEST(after.at("findings") == before.at("findings"));
  BOOST_TEST(daemon.get("/v1/findings/1").at("events").as_array().empty());

  // Another file with the same name the same day is archived as claims-1.1.json but recorded
  // as claims-1.json: both are compared, each with its own claims' findings.
  std::string other(kClaims);
  for (const std::string id : {"SPASM-1", "BACK-2"}) {
    other.replace(other.find(id), id.size(), id + "0");
  }
  daemon.drop("claims-1.json", other);
  daemon.wait_findings(4);
  const auto both =
      json::parse(run_command(claimctl_command(daemon, "rules backtest " + pack.string() + " " +
                                                           (dir / "local").string() + " --json"))
                      .out);
  BOOST_REQUIRE_EQUAL(both.at("files").as_array().size(), 2u);
  BOOST_TEST(both.at("files").at(0).at("path").as_string().ends_with("/claims-1.1.json"));
  BOOST_TEST(both.at("files").at(1).at("path").as_string().ends_with("/claims-1.json"));
  BOOST_TEST(both.at("totals").at("recorded").as_int64() == 4);
  BOOST_TEST((counts_of(both.at("rules"), "added") == Counts{{"local.has_diagnoses", 4}}));
  BOOST_TEST((counts_of(both.at("rules"), "removed") == Counts{{"dx.stale_code", 2}}));
  BOOST_TEST(
      (counts_of(both.at("rules"), "changed") == Counts{{"dx.missing_precipitating_factor", 2}}));
  BOOST_TEST(daemon.stop() == 0);
}

BOOST_AUTO_TEST_CASE(backtest_skips_archived_files_the_caller_cannot_read) {
  if (::geteuid() != 0) {
    BOOST_TEST_MESSAGE("not root: the Unix-user case (useradd, runuser) is skipped");
    return;
  }
  // A compliance officer in group claimaudit (read role), created before the daemon so its
  // socket gets the group.
  if (::getgrnam("claimaudit") == nullptr) run_command("groupadd --system claimaudit 2>&1");
  run_command("userdel ca_backtester >/dev/null 2>&1");
  BOOST_REQUIRE(run_command("useradd --system --no-create-home --shell /usr/sbin/nologin "
                            "--groups claimaudit ca_backtester 2>&1")
                    .exit_code == 0);
  TempDir dir;
  DaemonProcess daemon(dir / "state", "socket:\n  group: claimaudit\n");
  daemon.drop("claims-1.json", kClaims);
  daemon.wait_findings(2);
  std::string other(kClaims);
  for (const std::string id : {"SPASM-1", "BACK-2"}) {
    other.replace(other.find(id), id.size(), id + "0");
  }
  daemon.drop("claims-2.json", other);
  daemon.wait_findings(4);
  // The archive readable by the group, except one file only root may read.
  const auto state = dir / "state";
  run_command("chmod 0711 " + dir.path().string() + " " + state.string());
  run_command("chgrp -R claimaudit " + (state / "archive").string() + " && chmod -R g+rX " +
              (state / "archive").string());
  std::filesystem::path hidden;
  for (const auto& day : std::filesystem::directory_iterator(state / "archive")) {
    hidden = day.path() / "claims-2.json";
  }
  BOOST_REQUIRE(std::filesystem::exists(hidden));
  std::filesystem::permissions(
      hidden, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto pack = dir / "candidate";
  std::filesystem::copy(kShippedRules, pack, std::filesystem::copy_options::recursive);
  run_command("chmod -R o+rX " + pack.string());

  const auto answer =
      run_command("runuser -u ca_backtester -- " +
                  claimctl_command(daemon, "rules backtest " + pack.string() +
                                               " --json --state-dir " + state.string()) +
                  " 2>&1");
  BOOST_TEST_INFO(answer.out);
  BOOST_REQUIRE_EQUAL(answer.exit_code, 0);
  const auto body = json::parse(answer.out);
  BOOST_TEST(body.at("files").as_array().size() == 1u);
  BOOST_TEST(body.at("files").at(0).at("path").as_string().ends_with("/claims-1.json"));
  BOOST_REQUIRE_EQUAL(body.at("skipped").as_array().size(), 1u);
  BOOST_TEST(body.at("skipped").at(0).at("path").as_string().ends_with("/claims-2.json"));
  BOOST_TEST(body.at("skipped").at(0).at("reason").as_string() == "permission denied");
  // Only the readable file's findings on record are compared: the same two, unchanged.
  BOOST_TEST(body.at("totals").at("recorded").as_int64() == 2);
  BOOST_TEST(body.at("totals").at("unchanged").as_int64() == 2);
  BOOST_TEST(body.at("totals").at("added").as_int64() == 0);
  BOOST_TEST(body.at("totals").at("removed").as_int64() == 0);
  run_command("userdel ca_backtester >/dev/null 2>&1");
  BOOST_TEST(daemon.stop() == 0);
}

BOOST_AUTO_TEST_CASE(finding_trace_is_recomputed_only_with_the_rule_set_that_made_it) {
  TempDir dir;
  DaemonProcess daemon(dir / "state");
  daemon.drop("claims-1.json", kClaims);
  const auto findings = daemon.wait_findings(2);
  const auto& stale = findings.at("findings").at(1);
  BOOST_REQUIRE_EQUAL(stale.at("rule_id").as_string(), "dx.stale_code");
  const auto id = std::to_string(stale.at("id").as_int64());

  const auto detail = daemon.get("/v1/findings/" + id);
  const auto& explanation = detail.at("explanation");
  BOOST_TEST(explanation.at("trace_note").is_null());
  const auto& trace = explanation.at("trace");
  BOOST_REQUIRE(trace.is_object());
  BOOST_TEST(trace.at("verdict").as_string() == "fired");
  BOOST_TEST(trace.at("subject").as_string() == "diagnosis 1 M54.5, dos 2021-10-01");
  BOOST_TEST(trace.at("reason").as_string() == stale.at("message").as_string());
  const auto& steps = trace.at("steps").as_array();
  BOOST_REQUIRE(!steps.empty());
  BOOST_TEST(steps.at(0).at("depth").as_int64() == 0);
  BOOST_TEST(steps.at(0).at("value").as_string() == "true");
  BOOST_TEST(!trace.at("facts").as_array().empty());

  // claimctl show prints it.
  const auto shown = run_command(claimctl_command(daemon, "show " + id));
  BOOST_TEST(shown.exit_code == 0);
  BOOST_TEST(shown.out.find("trace      fired: diagnosis 1 M54.5, dos 2021-10-01\n") !=
             std::string::npos);
  BOOST_TEST(shown.out.find("  " + std::string(steps.at(0).at("expression").as_string()) +
                            " = true\n") != std::string::npos);

  // A new rule set: the finding's set is gone, so no trace, and the answer says why.
  const auto old_hash = std::string(daemon.get("/v1/status").at("rules").at("version").as_string());
  {
    std::ofstream(daemon.state() / "rules.d" / "local.yaml")
        << "- override: dx.unspecified_site\n  severity: info\n";
  }
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::string(daemon.get("/v1/status").at("rules").at("version").as_string()) == old_hash) {
    BOOST_REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(50ms);
  }
  const auto later = daemon.get("/v1/findings/" + id).at("explanation");
  BOOST_TEST(later.at("trace").is_null());
  BOOST_TEST(
      later.at("trace_note")
          .as_string()
          .starts_with("rule set changed since the audit: the finding was made by rule set " +
                       old_hash.substr(0, 12)));
  const auto shown_later = run_command(claimctl_command(daemon, "show " + id));
  BOOST_TEST(shown_later.out.find("trace      none: rule set changed since the audit") !=
             std::string::npos);
  BOOST_TEST(daemon.stop() == 0);
}

BOOST_AUTO_TEST_CASE(metrics_time_every_rule_evaluation) {
  TempDir dir;
  DaemonProcess daemon(dir / "state");
  // Before any audit the histogram is announced, with no series.
  auto families = parse_prometheus(run_command(claimctl_command(daemon, "metrics")).out);
  BOOST_TEST(families.at("claimaudit_rule_eval_seconds").type == "histogram");
  BOOST_TEST(families.at("claimaudit_rule_eval_seconds").samples.empty());

  // Two files of two claims: the daemon times one claim in eight of each file, the first
  // included, so each rule that ran on a first claim has exactly one sample per file.
  daemon.drop("claims-1.json", kClaims);
  daemon.wait_findings(2);
  std::string again(kClaims);
  for (const std::string id : {"SPASM-1", "BACK-2"}) {
    again.replace(again.find(id), id.size(), id + "0");
  }
  daemon.drop("claims-2.json", again);
  daemon.wait_findings(4);
  families = parse_prometheus(run_command(claimctl_command(daemon, "metrics")).out);
  std::map<std::string, double> count;
  std::map<std::string, double> sum;
  for (const auto& sample : families.at("claimaudit_rule_eval_seconds").samples) {
    const auto& rule = sample.labels.at("rule");
    if (sample.name == "claimaudit_rule_eval_seconds_count") count[rule] = sample.value;
    if (sample.name == "claimaudit_rule_eval_seconds_sum") sum[rule] = sample.value;
  }
  // Claim-scope rules run once per claim: two timed first claims, two samples.
  BOOST_TEST(count.at("claim.no_service_date") == 2);
  BOOST_TEST(count.at("claim.accident_consistency") == 2);
  BOOST_TEST(count.size() >= 5u);
  for (const auto& [rule, n] : count) {
    BOOST_TEST_CONTEXT(rule) {
      BOOST_TEST(n == 2);
      BOOST_TEST(sum.at(rule) > 0);
      BOOST_TEST(sum.at(rule) < 1.0);
    }
  }
  BOOST_TEST(daemon.stop() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
