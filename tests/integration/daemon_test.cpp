// The real claimauditd on a temporary state directory (STYLE.md 6): samples end in archive/
// (claims and findings in SQLite) or quarantine/ (with the reason file); the same file twice
// gives one set of findings; a replacement supersedes; a broken rule edit keeps the old rules
// and fixing it brings the new set without a restart; a SIGKILL between recording and moving
// loses nothing; a restart over the same files adds nothing; SIGTERM exits 0.
#include <signal.h>
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "integration/fixture.hpp"

namespace claimaudit::testing {

namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(daemon)

BOOST_AUTO_TEST_CASE(a_file_with_one_broken_claim_is_archived_and_the_rest_audited) {
  Fixture f;
  const std::string good = json_claim("GOOD1", "M54.5");
  const std::string batch =
      R"({"format": "claimaudit.claim/1", "claims": [)" + good +
      R"(, {"claim_id": 17, "kind": "professional", "diagnoses": "not a list"}]})";
  drop_file(f.daemon.inbox(), "mixed.json", batch);
  f.wait_done(1);
  BOOST_TEST(
      f.sql("SELECT count(*) FROM files WHERE name = 'mixed.json' AND outcome = 'archived'") == 1);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims WHERE claim_id = 'GOOD1'") == 1);
  BOOST_TEST(f.sql("SELECT count(*) FROM findings WHERE rule_id = 'dx.stale_code' AND code = "
                   "'M545'") == 1);
  // The broken claim's problem is kept with the file, located by JSON pointer.
  BOOST_TEST(
      f.sql_string("SELECT diagnostics FROM files WHERE name = 'mixed.json'").find("/claims/1") !=
      std::string::npos);
  BOOST_TEST(f.daemon.stop() == 0);
}

BOOST_AUTO_TEST_CASE(the_same_file_twice_gives_one_set_of_findings) {
  Fixture f;
  const std::string claim = json_claim("TWICE1", "M54.5");
  drop_file(f.daemon.inbox(), "first.json", claim);
  f.wait_done(1);
  const auto findings = f.sql("SELECT count(*) FROM findings");
  BOOST_TEST(findings >= 1);
  drop_file(f.daemon.inbox(), "again.json", claim);
  f.wait_done(2);
  BOOST_TEST(f.sql("SELECT count(*) FROM findings") == findings);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims") == 1);
  BOOST_TEST(f.sql_string("SELECT outcome || ' ' || duplicate_of FROM files WHERE name = "
                          "'again.json'") == "duplicate 1");
  BOOST_TEST(count_files(f.daemon.state_dir() / "archive", true) == 2);
  BOOST_TEST(f.daemon.stop() == 0);
}

// The log line of a file counts the findings the queue shows for it, including the
// claim.duplicate the store adds for a claim already audited from another file.
BOOST_AUTO_TEST_CASE(the_log_line_counts_a_resent_claims_duplicate_finding) {
  Fixture f;
  const std::string claim = json_claim("RESENT1", "M54.50");
  drop_file(f.daemon.inbox(), "first.json", claim);
  f.wait_done(1);
  drop_file(f.daemon.inbox(), "resent.json", claim + "\n");  // Other bytes: not a duplicate file.
  f.wait_done(2);
  BOOST_TEST(f.sql("SELECT count(*) FROM findings x JOIN files f ON f.id = x.file_id WHERE "
                   "f.name = 'resent.json' AND x.rule_id = 'claim.duplicate'") == 1);
  BOOST_TEST(f.sql("SELECT count(*) FROM findings") == 1);
  BOOST_TEST_REQUIRE(
      wait_until([&] { return f.daemon.log().find("file=resent.json ") != std::string::npos; }));
  const std::string log = f.daemon.log();
  BOOST_TEST(
      log.find("file=first.json claims=1 findings=0 disposition=archived") != std::string::npos,
      log);
  BOOST_TEST(
      log.find("file=resent.json claims=1 findings=1 disposition=archived") != std::string::npos,
      log);
  BOOST_TEST(f.daemon.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_replacement_corrects_or_supersedes_and_a_void_supersedes) {
  Fixture f;
  drop_file(f.daemon.inbox(), "original.json", json_claim("REPL1", "M54.5"));
  f.wait_done(1);
  BOOST_TEST_REQUIRE(f.sql("SELECT count(*) FROM findings WHERE rule_id = 'dx.stale_code' AND "
                           "status = 'open'") == 1);
  // The replacement fixes the code: the original's stale-code finding is corrected.
  drop_file(f.daemon.inbox(), "replacement.json", json_claim("REPL1", "M54.50", "7", "PAYER-1"));
  f.wait_done(2);
  BOOST_TEST(f.sql_string("SELECT f.status FROM findings f JOIN claims c ON c.id = f.claim_ref "
                          "WHERE c.frequency = 'original' AND f.rule_id = 'dx.stale_code'") ==
             "corrected");
  BOOST_TEST(
      f.sql_string("SELECT e.user || ' ' || e.from_status || ' ' || e.to_status || ' ' || e.note "
                   "FROM finding_events e JOIN findings f ON f.id = e.finding_id WHERE f.rule_id = "
                   "'dx.stale_code'") ==
      "claimauditd open corrected replaced by claim 1245319599|REPL1 (frequency 7)");
  // A second claim keeps its problem in its replacement: superseded, carried by the new one.
  drop_file(f.daemon.inbox(), "other.json", json_claim("REPL2", "M54.5", "1", "", "MEMBER2"));
  f.wait_done(3);
  drop_file(f.daemon.inbox(), "other-7.json",
            json_claim("REPL2", "M54.5", "7", "PAYER-2", "MEMBER2"));
  f.wait_done(4);
  BOOST_TEST(f.sql("SELECT count(*) FROM findings f JOIN claims c ON c.id = f.claim_ref WHERE "
                   "c.claim_id = 'REPL2' AND c.frequency = 'original' AND f.rule_id = "
                   "'dx.stale_code' AND f.status = 'superseded'") == 1);
  BOOST_TEST(f.sql("SELECT count(*) FROM findings f JOIN claims c ON c.id = f.claim_ref WHERE "
                   "c.claim_id = 'REPL2' AND c.frequency = 'replacement' AND f.rule_id = "
                   "'dx.stale_code' AND f.status = 'open'") == 1);
  // A void supersedes whatever is still open on the key.
  drop_file(f.daemon.inbox(), "other-8.json",
            json_claim("REPL2", "M54.5", "8", "PAYER-2", "MEMBER2"));
  f.wait_done(5);
  BOOST_TEST(f.sql("SELECT count(*) FROM findings f JOIN claims c ON c.id = f.claim_ref WHERE "
                   "c.claim_id = 'REPL2' AND c.frequency = 'replacement' AND f.status = "
                   "'superseded'") >= 1);
  BOOST_TEST(f.daemon.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_broken_rule_edit_keeps_the_old_rules_and_the_fix_loads_without_restart) {
  Fixture f;
  const pid_t pid = f.daemon.pid();
  BOOST_TEST_REQUIRE(
      wait_until([&] { return f.sql("SELECT count(*) FROM rule_loads WHERE ok = 1") == 1; }));
  const std::string first_hash = f.sql_string("SELECT rule_set_hash FROM rule_loads WHERE ok = 1");
  const fs::path local = f.daemon.state_dir() / "rules.d";
  // A broken edit arrives while files are being ingested.
  for (int i = 0; i < 20; ++i) {
    drop_file(f.daemon.inbox(), "during-" + std::to_string(i) + ".json",
              json_claim("RULES" + std::to_string(i), "M54.5"));
    if (i == 5) {
      std::ofstream(local / "local.yaml") << "- list: local_codes\n  items: [M54.5\n";
    }
  }
  f.wait_done(20);
  BOOST_TEST_REQUIRE(
      wait_until([&] { return f.sql("SELECT count(*) FROM rule_loads WHERE ok = 0") >= 1; }),
      f.daemon.log());
  // Every file was audited, all with the old set.
  BOOST_TEST(f.sql("SELECT count(*) FROM files WHERE outcome = 'archived'") == 20);
  BOOST_TEST(f.sql("SELECT count(DISTINCT rule_set_hash) FROM claims") == 1);
  BOOST_TEST(f.sql_string("SELECT DISTINCT rule_set_hash FROM claims") == first_hash);
  BOOST_TEST(
      f.sql_string("SELECT diagnostics FROM rule_loads WHERE ok = 0 LIMIT 1").find("local.yaml") !=
      std::string::npos);
  // SIGHUP with the file still broken changes nothing either.
  f.daemon.signal(SIGHUP);
  BOOST_TEST_REQUIRE(
      wait_until([&] { return f.sql("SELECT count(*) FROM rule_loads WHERE ok = 0") >= 2; }));
  drop_file(f.daemon.inbox(), "after-hup.json", json_claim("RULESHUP", "M54.5"));
  f.wait_done(21);
  BOOST_TEST(f.sql_string("SELECT rule_set_hash FROM claims WHERE claim_id = 'RULESHUP'") ==
             first_hash);
  // Fixing the file brings the new set in, without a restart.
  {
    std::ofstream out(local / ".local.yaml.tmp");
    out << "- list: local_codes\n  items: [M54.5]\n";
  }
  fs::rename(local / ".local.yaml.tmp", local / "local.yaml");
  BOOST_TEST_REQUIRE(
      wait_until([&] {
        return f.sql("SELECT count(*) FROM rule_loads WHERE ok = 1 AND rule_set_hash <> '" +
                     first_hash + "'") == 1;
      }),
      f.daemon.log());
  drop_file(f.daemon.inbox(), "after-fix.json", json_claim("RULESFIX", "M54.5"));
  f.wait_done(22);
  const std::string new_hash = f.sql_string(
      "SELECT rule_set_hash FROM claims WHERE claim_id = "
      "'RULESFIX'");
  BOOST_TEST(new_hash != first_hash);
  BOOST_TEST(f.sql_string("SELECT DISTINCT f.rule_set_hash FROM findings f JOIN claims c ON c.id = "
                          "f.claim_ref WHERE c.claim_id = 'RULESFIX'") == new_hash);
  BOOST_TEST(f.daemon.pid() == pid);
  BOOST_TEST(f.daemon.stop() == 0);
}

BOOST_AUTO_TEST_CASE(sigkill_between_record_and_move_loses_nothing) {
  TempDir temp;
  DaemonProcess daemon(temp / "state");
  BOOST_TEST_REQUIRE(daemon.start({"CLAIMAUDIT_CRASH_POINT=after-commit"}), daemon.log());
  drop_file(daemon.inbox(), "crash.json", json_claim("CRASH1", "M54.5"));
  BOOST_TEST_REQUIRE(daemon.wait_exit() == 128 + SIGKILL, daemon.log());
  // Recorded, not moved.
  BOOST_TEST(sql_integer(daemon.database(), "SELECT count(*) FROM files WHERE state = 'done'") ==
             1);
  BOOST_TEST(count_files(daemon.state_dir() / "processing", true) == 1);
  const auto findings = sql_integer(daemon.database(), "SELECT count(*) FROM findings");
  BOOST_TEST(findings >= 1);
  // The restart finishes the move and records nothing twice.
  BOOST_TEST_REQUIRE(daemon.start(), daemon.log());
  BOOST_TEST_REQUIRE(
      wait_until([&] { return count_files(daemon.state_dir() / "processing", true) == 0; }));
  BOOST_TEST(count_files(daemon.state_dir() / "archive", true) == 1);
  BOOST_TEST(sql_integer(daemon.database(), "SELECT count(*) FROM files") == 1);
  BOOST_TEST(sql_integer(daemon.database(), "SELECT count(*) FROM claims") == 1);
  BOOST_TEST(sql_integer(daemon.database(), "SELECT count(*) FROM findings") == findings);
  BOOST_TEST(daemon.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_restart_over_the_same_files_adds_no_findings) {
  Fixture f;
  for (int i = 0; i < 5; ++i) {
    drop_file(f.daemon.inbox(), "r" + std::to_string(i) + ".json",
              json_claim("RESTART" + std::to_string(i), "M54.5"));
  }
  f.wait_done(5);
  const auto claims = f.sql("SELECT count(*) FROM claims");
  const auto findings = f.sql("SELECT count(*) FROM findings");
  BOOST_TEST(f.daemon.stop() == 0);
  // The same files dropped again while it is down, and a restart.
  for (const auto& entry : fs::recursive_directory_iterator(f.daemon.state_dir() / "archive")) {
    if (entry.is_regular_file()) {
      fs::copy_file(entry.path(), f.daemon.inbox() / entry.path().filename());
    }
  }
  BOOST_TEST_REQUIRE(f.daemon.start(), f.daemon.log());
  f.wait_done(10);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims") == claims);
  BOOST_TEST(f.sql("SELECT count(*) FROM findings") == findings);
  BOOST_TEST(f.sql("SELECT count(*) FROM files WHERE outcome = 'duplicate'") == 5);
  BOOST_TEST(f.daemon.stop() == 0);
}

BOOST_AUTO_TEST_CASE(sd_notify_sees_ready_status_and_stopping) {
  Fixture f;
  drop_file(f.daemon.inbox(), "n.json", json_claim("NOTIFY1", "M54.5"));
  f.wait_done(1);
  BOOST_TEST(f.daemon.stop() == 0);
  f.daemon.collect_notifications();
  const auto& seen = f.daemon.notifications();
  BOOST_TEST(std::count(seen.begin(), seen.end(), "READY=1") == 1);
  BOOST_TEST(std::count(seen.begin(), seen.end(), "STOPPING=1") == 1);
  BOOST_TEST(std::any_of(seen.begin(), seen.end(),
                         [](const std::string& m) { return m.rfind("STATUS=", 0) == 0; }));
}

BOOST_AUTO_TEST_CASE(broken_rules_at_startup_exit_78_naming_every_error) {
  TempDir temp;
  fs::create_directories(temp / "state/rules.d");
  std::ofstream(temp / "state/rules.d/a.yaml") << "- list: a\n  items: [M54.5\n";
  std::ofstream(temp / "state/rules.d/b.yaml") << "- rule: x\n  nonsense: 1\n";
  DaemonProcess daemon(temp / "state");
  BOOST_TEST(!daemon.start());
  BOOST_TEST(daemon.wait_exit() == 78);
  const std::string log = daemon.log();
  BOOST_TEST(log.find("rules.d/a.yaml:") != std::string::npos, log);
  BOOST_TEST(log.find("rules.d/b.yaml:2:") != std::string::npos, log);
}

BOOST_AUTO_TEST_CASE(check_config_prints_the_effective_configuration) {
  TempDir temp;
  const fs::path config = temp / "claimauditd.yaml";
  std::ofstream(config) << "workers: 3\nbatch_size: 100\n";
  const std::string command = DaemonProcess::binary().string() + " --config " + config.string() +
                              " --state-dir " + (temp / "s").string() + " --check-config > " +
                              (temp / "out").string() + " 2>&1";
  BOOST_TEST(std::system(command.c_str()) == 0);
  const std::string out = slurp(temp / "out");
  BOOST_TEST(out.find("workers: 3\nbatch_size: 100\n") != std::string::npos, out);
  BOOST_TEST(out.find("  - path: " + (temp / "s/inbox").string()) != std::string::npos, out);

  std::ofstream(config) << "workers: 3\nbogus: 1\n";
  BOOST_TEST(WEXITSTATUS(std::system(command.c_str())) == 78);
  BOOST_TEST(slurp(temp / "out").find(config.string() + ":2:1: error E-CONFIG-UNKNOWN-KEY") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_drop_directory_on_another_file_system_is_refused) {
  TempDir temp;
  const fs::path other = "/dev/shm";
  struct stat a {};
  struct stat b {};
  if (::stat(other.c_str(), &a) != 0 || ::stat(temp.path().c_str(), &b) != 0 ||
      a.st_dev == b.st_dev) {
    BOOST_TEST_MESSAGE("no second file system to test with");
    return;
  }
  TempDir elsewhere_guard;
  const fs::path elsewhere = other / ("claimaudit-" + temp.path().filename().string());
  const fs::path config = temp / "claimauditd.yaml";
  std::ofstream(config) << "drop_dirs:\n  - path: " << elsewhere.string() << "\n";
  DaemonProcess daemon(temp / "state", {"--config", config.string()});
  BOOST_TEST(!daemon.start());
  BOOST_TEST(daemon.wait_exit() == 78);
  BOOST_TEST(daemon.log().find("is not on the same file system") != std::string::npos,
             daemon.log());
  fs::remove_all(elsewhere);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
