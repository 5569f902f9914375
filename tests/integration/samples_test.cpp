// The real claimauditd on the shared sample files (needs the X12 reader, issue 3): they end in
// archive/ with their claims in SQLite, or in quarantine/ with the reason file; a SIGKILL in the
// middle of a large file re-audits it without doubling a claim.
#include <signal.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/test/unit_test.hpp>

#include "integration/fixture.hpp"
#include "store/claim_json_codec.hpp"

namespace claimaudit::testing {

namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(daemon_samples)

BOOST_AUTO_TEST_CASE(samples_end_in_archive_or_quarantine_with_their_reason) {
  Fixture f;
  BOOST_TEST(f.daemon.ready_after().has_value());
  f.drop_sample("x12/uhin-x12-parser-library/837.edi", "uhin.837");
  f.drop_sample("x12/imsweb-x12-parser/837_5010/x12_many_claims.txt", "many.837");
  f.drop_sample("x12/imsweb-x12-parser/837_5010/x12_999_accepted.txt", "ack.999");
  f.drop_sample("x12/oopfactory-x12/_837P_5010/UnicodeExample.txt", "utf16.837");
  f.drop_sample("fhir/pre-r4-fhir-1.7.0-examples/claim-example.json", "pre-r4.json");
  f.wait_done(5);
  const fs::path archive = f.daemon.state_dir() / "archive";
  const fs::path quarantine = f.daemon.state_dir() / "quarantine";
  BOOST_TEST(count_files(archive, true) == 2);
  // Quarantined files sit beside their reason files; the database says why too.
  for (const std::string name : {"ack.999", "utf16.837", "pre-r4.json"}) {
    BOOST_TEST(fs::exists(quarantine / name), name);
    const std::string reason = slurp(quarantine / (name + ".reason.json"));
    BOOST_TEST(reason.find("{\"file\":\"" + name + "\",\"errors\":[{\"severity\":\"error\"") == 0u,
               reason);
    BOOST_TEST(f.sql("SELECT count(*) FROM files WHERE name = '" + name +
                     "' AND outcome = 'quarantined' AND stored_path = 'quarantine/" + name +
                     "' AND json_array_length(diagnostics) > 0") == 1);
  }
  // The UHIN sample: one clean ICD-10 claim (R69 is type-unspecified, not site-unspecified).
  BOOST_TEST(f.sql("SELECT claims FROM files WHERE name = 'uhin.837' AND outcome = 'archived'") ==
             1);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims c JOIN files f ON f.id = c.file_id WHERE f.name "
                   "= 'uhin.837' AND c.claim_id = '1606' AND c.service_from = '2024-08-15' AND "
                   "c.kind = 'professional' AND c.transaction_control <> ''") == 1);
  BOOST_TEST(f.sql("SELECT count(*) FROM findings WHERE rule_id = 'dx.unspecified_site'") == 0);
  // x12_many_claims.txt repeats two claims 410 times each in one ST: each is audited once and
  // every repeat is a claim.duplicate finding (DOMAIN.md 2.6). Its wrong SE01 and other
  // structural warnings stay with the archived file.
  BOOST_TEST(f.sql("SELECT claims FROM files WHERE name = 'many.837'") == 2);
  BOOST_TEST(f.sql("SELECT count(*) FROM findings WHERE rule_id = 'claim.duplicate'") == 818);
  // The file alternates the two claims: its third claim repeats the first, counted from 1.
  BOOST_TEST(f.sql("SELECT count(*) FROM findings WHERE rule_id = 'claim.duplicate' AND message "
                   "LIKE 'claim % appears again as claim 3 of the file, in the same batch; it "
                   "was audited once, as claim 1'") == 1);
  BOOST_TEST(f.sql("SELECT json_array_length(diagnostics) > 0 FROM files WHERE name = "
                   "'many.837'") == 1);
  BOOST_TEST(f.sql("SELECT count(*) FROM claims") == 3);
  // Every finding names its rule and rule set; none is duplicated.
  BOOST_TEST(f.sql("SELECT count(*) FROM findings WHERE rule_set_hash = '' OR rule_id = ''") == 0);
  BOOST_TEST(f.sql("SELECT count(*) - count(DISTINCT fingerprint) FROM findings") == 0);
  // No PHI in the stored claims: "patient" is empty, and the sample's names are nowhere.
  // The JSON is stored compressed (migration 0005): read through claim_json() as the socket does.
  {
    SQLite::Database database(f.daemon.database().string(), SQLite::OPEN_READONLY);
    store::register_claim_json_function(database);
    BOOST_TEST(database
                   .execAndGet("SELECT count(*) FROM claims WHERE claim_json(claim_json, "
                               "claim_json_zstd) LIKE '%\"patient\":{}%'")
                   .getInt() == 3);
    BOOST_TEST(database
                   .execAndGet("SELECT count(*) FROM claims WHERE claim_json(claim_json, "
                               "claim_json_zstd) LIKE '%DOE%'")
                   .getInt() == 0);
  }
  BOOST_TEST(f.daemon.stop() == 0);
  BOOST_TEST(!fs::exists(f.daemon.state_dir() / "claimauditd.sock"));
}

BOOST_AUTO_TEST_CASE(sigkill_after_a_batch_reaudits_without_doubling) {
  TempDir temp;
  // 6,000 distinct claims in three transaction sets (the benchmark generator, DOMAIN.md 9):
  // more than one transaction group holds (batch_size 5,000 claims), so a commit that records
  // part of the file comes before its end whatever the timing.
  const fs::path file = temp / "gen.837";
  const std::string generate = "python3 " + (shared_dir() / "bench/gen837p.py").string() +
                               " --claims 6000 --claims-per-st 2000 --out " + file.string();
  BOOST_TEST_REQUIRE(std::system(generate.c_str()) == 0);
  DaemonProcess daemon(temp / "state");
  BOOST_TEST_REQUIRE(daemon.start({"CLAIMAUDIT_CRASH_POINT=after-batch"}), daemon.log());
  drop_file(daemon.inbox(), "gen.837", slurp(file));
  BOOST_TEST_REQUIRE(daemon.wait_exit() == 128 + SIGKILL, daemon.log());
  BOOST_TEST(sql_integer(daemon.database(),
                         "SELECT count(*) FROM files WHERE state = "
                         "'in_progress'") == 1);
  const auto committed = sql_integer(daemon.database(), "SELECT count(*) FROM claims");
  BOOST_TEST(committed > 0);
  BOOST_TEST(committed < 6000);
  BOOST_TEST_REQUIRE(daemon.start(), daemon.log());
  BOOST_TEST_REQUIRE(
      wait_until([&] { return count_files(daemon.state_dir() / "processing", true) == 0; }, 180s));
  BOOST_TEST(sql_integer(daemon.database(), "SELECT claims FROM files") == 6000);
  // SIGKILL is a stop from outside, not the file's fault: an interruption, not a failed attempt.
  BOOST_TEST(sql_integer(daemon.database(), "SELECT attempts FROM files") == 1);
  BOOST_TEST(sql_integer(daemon.database(), "SELECT interruptions FROM files") == 1);
  BOOST_TEST(sql_integer(daemon.database(), "SELECT count(*) FROM claims") == 6000);
  BOOST_TEST(sql_integer(daemon.database(),
                         "SELECT count(*) - count(DISTINCT fingerprint) FROM findings") == 0);
  BOOST_TEST(daemon.stop() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
