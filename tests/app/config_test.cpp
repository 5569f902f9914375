// The daemon's YAML config: every field, defaults filled by resolve(), --state-dir, and every
// error located file:line:col.
#include "app/config.hpp"

#include <boost/test/unit_test.hpp>

namespace claimaudit::app {
namespace {

std::vector<std::string> rendered(const ConfigResult& result) {
  std::vector<std::string> lines;
  for (const auto& diagnostic : result.diagnostics) lines.push_back(core::render(diagnostic));
  return lines;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(reads_every_field) {
  const auto result = parse_config(R"(state_dir: /srv/claims
drop_dirs:
  - path: inbox
  - path: /srv/claims/wc
    name: workers-comp
    payer_kind: workers_comp
    claim_kind: professional
rule_dirs: [/usr/share/claimaudit/rules, /etc/claimaudit/rules.d]
workers: 3
batch_size: 1000
store_cache_mib: 32
max_in_flight: 5
log_level: debug
log_target: stderr
socket:
  path: /run/claimaudit/claimauditd.sock
  group: claimaudit
)",
                                   "claimauditd.yaml");
  BOOST_TEST_REQUIRE(result.diagnostics.empty());
  Config config = *result.config;
  resolve(config, std::nullopt);
  BOOST_TEST(config.state_dir == "/srv/claims");
  BOOST_TEST_REQUIRE(config.drop_dirs.size() == 2u);
  BOOST_TEST(config.drop_dirs[0].path == "/srv/claims/inbox");
  BOOST_TEST(config.drop_dirs[0].name == "inbox");
  BOOST_TEST(!config.drop_dirs[0].payer_kind.has_value());
  BOOST_TEST(config.drop_dirs[1].path == "/srv/claims/wc");
  BOOST_TEST(config.drop_dirs[1].name == "workers-comp");
  BOOST_TEST((config.drop_dirs[1].payer_kind == model::PayerKind::kWorkersComp));
  BOOST_TEST((config.drop_dirs[1].claim_kind == model::ClaimKind::kProfessional));
  BOOST_TEST(config.rule_dirs == (std::vector<std::filesystem::path>{"/usr/share/claimaudit/rules",
                                                                     "/etc/claimaudit/rules.d"}));
  BOOST_TEST(config.workers == 3);
  BOOST_TEST(config.batch_size == 1000);
  BOOST_TEST(config.store_cache_mib == 32);
  BOOST_TEST(config.max_in_flight == 5);
  BOOST_TEST(config.log_level == "debug");
  BOOST_TEST((config.log_target == LogTarget::kStderr));
  BOOST_TEST(config.socket_path == "/run/claimaudit/claimauditd.sock");
  BOOST_TEST(config.socket_group == "claimaudit");
  BOOST_TEST(config.database_path() == "/srv/claims/claimaudit.db");
  BOOST_TEST(config.processing_dir() == "/srv/claims/processing");
}

BOOST_AUTO_TEST_CASE(embedded_default_puts_everything_under_the_state_dir) {
  Config config = default_config();
  resolve(config, std::filesystem::path("/tmp/state"));
  BOOST_TEST(config.state_dir == "/tmp/state");
  BOOST_TEST_REQUIRE(config.drop_dirs.size() == 1u);
  BOOST_TEST(config.drop_dirs[0].path == "/tmp/state/inbox");
  BOOST_TEST(config.drop_dirs[0].name == "inbox");
  BOOST_TEST_REQUIRE(config.rule_dirs.size() == 2u);
  BOOST_TEST(config.rule_dirs[1] == "/tmp/state/rules.d");
  BOOST_TEST(config.socket_path == "/tmp/state/claimauditd.sock");
  BOOST_TEST(config.workers >= 1);
  BOOST_TEST(config.max_in_flight == 2 * config.workers);
  BOOST_TEST(config.batch_size == 5000);
  BOOST_TEST(config.store_cache_mib == 8);
  BOOST_TEST(config.log_level == "info");

  Config relative = default_config();
  resolve(relative, std::nullopt);
  BOOST_TEST(relative.state_dir == std::filesystem::current_path() / "var");
  BOOST_TEST(relative.socket_path == std::filesystem::current_path() / "var/claimauditd.sock");
}

BOOST_AUTO_TEST_CASE(an_empty_file_means_every_default) {
  const auto result = parse_config("", "empty.yaml");
  BOOST_TEST(result.diagnostics.empty());
  BOOST_TEST(result.config.has_value());
}

BOOST_AUTO_TEST_CASE(reports_every_error_with_its_line_and_column) {
  const auto result = parse_config(R"(state_dir: /srv
workers: many
drop_dirs:
  - path: a
    payer_kind: martian
    colour: blue
  - name: nameless
log_level: loud
stat_dir: /x
socket: [1]
)",
                                   "bad.yaml");
  BOOST_TEST(!result.config.has_value());
  BOOST_TEST(rendered(result) ==
             (std::vector<std::string>{
                 // Seven messages, each split over lines on purpose (checked: no comma missing).
                 // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
                 "bad.yaml:2:10: error E-CONFIG-VALUE: workers: expected a whole number from 0 "
                 "to 256",
                 "bad.yaml:5:17: error E-CONFIG-VALUE: payer_kind: 'martian' is not one of "
                 "medicare, medicaid, commercial, workers_comp, auto, liability, tricare, va, "
                 "other",
                 "bad.yaml:6:5: error E-CONFIG-UNKNOWN-KEY: drop_dirs: unknown key 'colour' "
                 "(known: path, name, payer_kind, claim_kind)",
                 "bad.yaml:7:5: error E-CONFIG-VALUE: drop_dirs: entry without a path",
                 "bad.yaml:8:12: error E-CONFIG-VALUE: log_level: 'loud' is not one of trace, "
                 "debug, info, warn, error, critical, off",
                 "bad.yaml:9:1: error E-CONFIG-UNKNOWN-KEY: unknown key 'stat_dir' (known: "
                 "state_dir, drop_dirs, rule_dirs, workers, batch_size, max_in_flight, "
                 "store_cache_mib, log_level, log_target, socket)",
                 "bad.yaml:10:9: error E-CONFIG-TYPE: socket: expected a mapping (path, group)"}));
}

BOOST_AUTO_TEST_CASE(reports_a_syntax_error_where_it_is) {
  const auto result = parse_config("workers: 2\ndrop_dirs: [a\n", "broken.yaml");
  BOOST_TEST(!result.config.has_value());
  BOOST_TEST_REQUIRE(result.diagnostics.size() == 1u);
  BOOST_TEST(result.diagnostics[0].code == "E-CONFIG-SYNTAX");
  BOOST_TEST(result.diagnostics[0].where.file == "broken.yaml");
  BOOST_TEST(result.diagnostics[0].where.line == 3);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_a_located_error) {
  const auto result = load_config("/nonexistent/claimauditd.yaml");
  BOOST_TEST(!result.config.has_value());
  BOOST_TEST(rendered(result) ==
             std::vector<std::string>{"/nonexistent/claimauditd.yaml: error E-CONFIG-READ: cannot "
                                      "read the configuration file"});
}

BOOST_AUTO_TEST_CASE(describe_prints_the_effective_configuration) {
  Config config = default_config();
  config.workers = 2;
  resolve(config, std::filesystem::path("/s"));
  const std::string text = describe(config);
  BOOST_TEST(text.find("state_dir: /s\n") != std::string::npos);
  BOOST_TEST(text.find("  - path: /s/inbox\n    name: inbox\n") != std::string::npos);
  BOOST_TEST(text.find("workers: 2\nbatch_size: 5000\nmax_in_flight: 4\nstore_cache_mib: 8\n") !=
             std::string::npos);
  BOOST_TEST(text.find("socket:\n  path: /s/claimauditd.sock\n") != std::string::npos);
  // What it prints parses back to the same configuration.
  const auto again = parse_config(text, "described.yaml");
  BOOST_TEST_REQUIRE(again.config.has_value());
  Config reparsed = *again.config;
  resolve(reparsed, std::nullopt);
  BOOST_TEST(describe(reparsed).substr(describe(reparsed).find('\n')) ==
             text.substr(text.find('\n')));
}

BOOST_AUTO_TEST_CASE(socket_roles_and_reason_codes) {
  const auto result = parse_config(
      "socket:\n  read_group: billing\n  review_group: coders\n  admin_group: ops\n"
      "  max_connections: 8\n  reason_codes: [contract, payer_ok]\n",
      "roles.yaml");
  BOOST_TEST_REQUIRE(result.config.has_value());
  BOOST_TEST(result.config->read_group == "billing");
  BOOST_TEST(result.config->review_group == "coders");
  BOOST_TEST(result.config->admin_group == "ops");
  BOOST_TEST(result.config->max_connections == 8);
  BOOST_TEST(result.config->reason_codes == (std::vector<std::string>{"contract", "payer_ok"}));
  const Config defaults = default_config();
  BOOST_TEST(defaults.review_group == "claimaudit-review");
  BOOST_TEST(defaults.reason_codes.size() == 5u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::app
