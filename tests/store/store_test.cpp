// Store on a real SQLite file in a temporary folder: migrations, admission, idempotent batches,
// replacement and void closing earlier findings, and the append-only event trail.
#include "store/store.hpp"

#include <sys/stat.h>
#include <zstd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/test/unit_test.hpp>

#include "store/checkpointer.hpp"
#include "store/claim_json_codec.hpp"
#include "store/json_text.hpp"
#include "store/queries.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::store {
namespace {

using claimaudit::testing::TempDir;

model::Finding make_finding(std::string rule_id, std::string code, std::string fingerprint) {
  model::Finding finding;
  finding.rule_id = std::move(rule_id);
  finding.code = std::move(code);
  finding.severity = model::FindingSeverity::kError;
  finding.location = "ST 0001, segment 20 HI, HI01-2 (loop 2300)";
  finding.message = "message";
  finding.fingerprint = std::move(fingerprint);
  finding.provenance.rule_version = "1";
  finding.provenance.engine_version = "0.1.0";
  return finding;
}

ClaimRecord make_claim(std::string fingerprint, std::string clm01,
                       model::Frequency frequency = model::Frequency::kOriginal) {
  ClaimRecord claim;
  claim.fingerprint = std::move(fingerprint);
  claim.billing_provider = "1245319599";
  claim.claim_id = clm01;
  claim.claim_key = "1245319599|" + clm01;
  claim.frequency = frequency;
  claim.frequency_code = frequency == model::Frequency::kReplacement ? "7"
                         : frequency == model::Frequency::kVoid      ? "8"
                                                                     : "1";
  claim.kind = model::ClaimKind::kProfessional;
  claim.service_from = core::Date::from_civil(2024, 8, 15);
  claim.service_to = core::Date::from_civil(2024, 8, 20);
  claim.claim_json = "{}";
  return claim;
}

IncomingFile incoming(std::string name, std::string sha) {
  return IncomingFile{std::move(name), "inbox", std::move(sha), 100};
}

std::int64_t count(Store& store, const std::string& sql) {
  return store.database().execAndGet(sql).getInt64();
}

FileId admit_for_audit(Store& store, const std::string& name, const std::string& sha) {
  const auto admitted = store.admit(incoming(name, sha), Arrival::kFresh);
  BOOST_TEST_REQUIRE(admitted.has_value());
  BOOST_TEST_REQUIRE((admitted->admission == Admission::kAudit));
  return admitted->file_id;
}

// An empty batch of file `id`, evaluated with rule set "rules1".
BatchRecord batch_for(FileId id) {
  BatchRecord batch;
  batch.file_id = id;
  batch.rule_set_hash = "rules1";
  return batch;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(store)

BOOST_AUTO_TEST_CASE(creates_database_0640_with_every_migration) {
  TempDir dir;
  const auto path = dir / "claimaudit.db";
  {
    Store store(path);
    // 0001_init.sql, 0002_review.sql (waivers), 0003_interruptions.sql,
    // 0004_local_identity_indexes.sql, 0005_claim_json_zstd.sql,
    // 0006_check_without_in_lists.sql, 0007_claim_json_dictionary_2.sql and
    // 0008_counted_files.sql.
    BOOST_TEST(store.schema_version() == 8);
    BOOST_TEST(count(store, "SELECT count(*) FROM schema_migrations") == 8);
    // 0004 rebuilds tables with foreign keys off: they are back on afterwards.
    BOOST_TEST(count(store, "PRAGMA foreign_keys") == 1);
    BOOST_TEST(count(store,
                     "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                     "('claims_identity', 'findings_identity')") == 2);
    BOOST_TEST(store.database().execAndGet("PRAGMA journal_mode").getString() == "wal");
    BOOST_TEST(count(store,
                     "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                     "('files','claims','findings','finding_events','rule_loads')") == 5);
  }
  struct stat info {};
  BOOST_TEST_REQUIRE(::stat(path.c_str(), &info) == 0);
  BOOST_TEST((info.st_mode & 0777) == 0640u);
  // Opening again applies nothing twice.
  Store again(path);
  BOOST_TEST(again.schema_version() == 8);
  BOOST_TEST(count(again, "SELECT count(*) FROM schema_migrations") == 8);
}

BOOST_AUTO_TEST_CASE(checks_refuse_what_they_refused_without_a_temporary_btree_per_row) {
  TempDir dir;
  Store store(dir / "claimaudit.db");
  auto& database = store.database();
  // 0006: no statement the store runs per finding or per file builds a temporary b-tree for
  // its CHECK constraints (IN lists of three or more values did, on every row).
  const auto ephemeral_tables = [&](const std::string& sql) {
    SQLite::Statement explain(database, "EXPLAIN " + sql);
    int count = 0;
    while (explain.executeStep()) count += explain.getColumn(1).getString() == "OpenEphemeral";
    return count;
  };
  BOOST_TEST(ephemeral_tables("INSERT INTO findings (fingerprint, claim_ref, file_id, rule_id, "
                              "rule_set_hash, severity, mode, message, created, updated) VALUES "
                              "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") == 0);
  BOOST_TEST(ephemeral_tables("UPDATE findings SET status = ?, updated = ? WHERE id = ?") == 0);
  BOOST_TEST(ephemeral_tables("INSERT INTO files (name, sha256, size, received, state, outcome) "
                              "VALUES (?, ?, ?, ?, ?, ?)") == 0);
  BOOST_TEST(ephemeral_tables("UPDATE files SET state = 'done', outcome = ? WHERE id = ?") == 0);
  // The same values pass and fail as before.
  const FileId id = admit_for_audit(store, "a", "a");
  BatchRecord batch{id, "r", {make_claim("c1", "A1")}, {}};
  batch.claims[0].findings = {make_finding("dx.stale_code", "M545", "f1")};
  BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  for (const char* status :
       {"open", "in_review", "corrected", "waived", "false_positive", "superseded", "reopened"}) {
    SQLite::Statement update(database, "UPDATE findings SET status = ?");
    update.bind(1, status);
    BOOST_TEST(update.exec() == 1);
  }
  for (const char* severity : {"info", "warning", "error"}) {
    SQLite::Statement update(database, "UPDATE findings SET severity = ?");
    update.bind(1, severity);
    BOOST_TEST(update.exec() == 1);
  }
  BOOST_CHECK_THROW(database.exec("UPDATE findings SET status = 'closed'"), SQLite::Exception);
  BOOST_CHECK_THROW(database.exec("UPDATE findings SET status = 'Open'"), SQLite::Exception);
  BOOST_CHECK_THROW(database.exec("UPDATE findings SET severity = 'fatal'"), SQLite::Exception);
  BOOST_CHECK_THROW(database.exec("UPDATE findings SET mode = 'audit'"), SQLite::Exception);
  BOOST_CHECK_THROW(database.exec("UPDATE files SET outcome = 'lost'"), SQLite::Exception);
  BOOST_CHECK_THROW(database.exec("UPDATE files SET state = 'gone'"), SQLite::Exception);
  BOOST_TEST(database.exec("UPDATE files SET outcome = NULL") == 1);  // In progress: no outcome.
}

BOOST_AUTO_TEST_CASE(refuses_a_database_newer_than_the_program) {
  TempDir dir;
  const auto path = dir / "claimaudit.db";
  {
    SQLite::Database database(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    database.exec("PRAGMA user_version = 99");
  }
  BOOST_CHECK_THROW(Store{path}, std::runtime_error);
}

BOOST_AUTO_TEST_CASE(same_bytes_twice_is_a_duplicate_not_a_second_audit) {
  TempDir dir;
  Store store(dir / "db");
  const FileId first = admit_for_audit(store, "a.837", "aaaa");
  // While the first is being audited, the same bytes under another name are a duplicate.
  const auto during = store.admit(incoming("b.837", "aaaa"), Arrival::kFresh);
  BOOST_TEST_REQUIRE(during.has_value());
  BOOST_TEST((during->admission == Admission::kDuplicate));
  BOOST_TEST(during->earlier == first);
  BOOST_TEST_REQUIRE(
      store.finish_file({first, Outcome::kArchived, "x12", "hash", {}, "a"}).has_value());
  const auto after = store.admit(incoming("c.837", "aaaa"), Arrival::kFresh);
  BOOST_TEST_REQUIRE(after.has_value());
  BOOST_TEST((after->admission == Admission::kDuplicate));
  BOOST_TEST(after->earlier == first);
  BOOST_TEST(count(store,
                   "SELECT count(*) FROM files WHERE outcome = 'duplicate' AND "
                   "duplicate_of = " +
                       std::to_string(first)) == 2);
  // Found again in processing/ after a crash between commit and move: just finish the move.
  const auto recovered = store.admit(incoming("a.837", "aaaa"), Arrival::kRecovered);
  BOOST_TEST_REQUIRE(recovered.has_value());
  BOOST_TEST((recovered->admission == Admission::kFinished));
  BOOST_TEST((recovered->outcome == Outcome::kArchived));
  BOOST_TEST(count(store, "SELECT count(*) FROM files") == 3);
}

// Quarantined bytes dropped again are audited again (nothing of them was recorded, so nothing
// can double): an admin re-drops a file quarantined as an internal error or before an upgrade.
// Once the same bytes are archived, later copies are duplicates of the archived row.
BOOST_AUTO_TEST_CASE(quarantined_bytes_dropped_again_are_audited_again) {
  TempDir dir;
  Store store(dir / "db");
  const FileId first = admit_for_audit(store, "bad.837", "qqqq");
  BOOST_TEST_REQUIRE(
      store.finish_file({first, Outcome::kQuarantined, "unknown", "hash", {}, "a"}).has_value());
  const FileId second = admit_for_audit(store, "bad-again.837", "qqqq");
  BOOST_TEST(second != first);
  // While the second copy is audited, a third is its duplicate, not another audit.
  const auto during = store.admit(incoming("bad-3.837", "qqqq"), Arrival::kFresh);
  BOOST_TEST_REQUIRE(during.has_value());
  BOOST_TEST((during->admission == Admission::kDuplicate));
  BOOST_TEST(during->earlier == second);
  BOOST_TEST_REQUIRE(
      store.finish_file({second, Outcome::kArchived, "x12", "hash", {}, "a"}).has_value());
  const auto after = store.admit(incoming("bad-4.837", "qqqq"), Arrival::kFresh);
  BOOST_TEST_REQUIRE(after.has_value());
  BOOST_TEST((after->admission == Admission::kDuplicate));
  BOOST_TEST(after->earlier == second);
  // Left in processing/ by a crash between the quarantine's commit and its move: finish it.
  const auto recovered = store.admit(incoming("bad.837", "qqqq"), Arrival::kRecovered);
  BOOST_TEST_REQUIRE(recovered.has_value());
  BOOST_TEST((recovered->admission == Admission::kFinished));
}

// A re-drop of quarantined bytes that a crash left in processing/ (its own row in progress) is
// audited again, not taken for the quarantined file.
BOOST_AUTO_TEST_CASE(recovered_redrop_of_quarantined_bytes_is_audited) {
  TempDir dir;
  const auto path = dir / "db";
  FileId again = 0;
  {
    Store store(path);
    const FileId first = admit_for_audit(store, "bad.837", "rrrr");
    BOOST_TEST_REQUIRE(
        store.finish_file({first, Outcome::kQuarantined, "unknown", "hash", {}, "a"}).has_value());
    again = admit_for_audit(store, "bad-again.837", "rrrr");
  }  // The daemon dies while auditing the re-drop.
  Store store(path);
  const auto recovered = store.admit(incoming("bad-again.837", "rrrr"), Arrival::kRecovered);
  BOOST_TEST_REQUIRE(recovered.has_value());
  BOOST_TEST((recovered->admission == Admission::kAudit));
  BOOST_TEST(recovered->file_id == again);
  BOOST_TEST(recovered->attempts == 2);
}

BOOST_AUTO_TEST_CASE(third_start_of_an_unfinished_file_is_poison) {
  TempDir dir;
  const auto path = dir / "db";
  FileId id = 0;
  {
    Store store(path);
    id = admit_for_audit(store, "p.837", "pppp");
  }  // The daemon "dies": the row stays in progress.
  {
    Store store(path);
    const auto second = store.admit(incoming("p.837", "pppp"), Arrival::kRecovered);
    BOOST_TEST_REQUIRE(second.has_value());
    BOOST_TEST((second->admission == Admission::kAudit));
    BOOST_TEST(second->file_id == id);
    BOOST_TEST(second->attempts == 2);
    store.release(id);  // Its audit threw.
    const auto third = store.admit(incoming("p.837", "pppp"), Arrival::kRecovered);
    BOOST_TEST_REQUIRE(third.has_value());
    BOOST_TEST((third->admission == Admission::kPoison));
    BOOST_TEST(third->attempts == 3);
    core::Diagnostic internal{core::Severity::kError, "E-INTERNAL", {"p.837", 0, 0, ""}, "boom"};
    BOOST_TEST_REQUIRE(
        store.finish_file({id, Outcome::kQuarantined, "unknown", "", {internal}, "q"}).has_value());
    BOOST_TEST(store.database()
                   .execAndGet("SELECT outcome || ' ' || state || ' ' || diagnostics FROM files")
                   .getString() ==
               "quarantined done "
               "[{\"severity\":\"error\",\"code\":\"E-INTERNAL\",\"where\":\"\","
               "\"message\":\"boom\"}]");
  }
}

// Regression (session 12): a file whose commit failed (disk full) was retried as a recovered
// file, each retry another attempt, so the third made it poison: once the disk had room again it
// was quarantined as an internal error and its claims never audited. A retry after a failure of
// the store or the file system (Arrival::kRetried) is not another attempt.
BOOST_AUTO_TEST_CASE(a_retry_after_the_environment_failed_is_not_another_attempt) {
  TempDir dir;
  Store store(dir / "db");
  const FileId id = admit_for_audit(store, "full.837", "ffff");
  for (int retry = 0; retry < 5; ++retry) {
    store.release(id);  // The commit of its records failed: the disk is full.
    const auto again = store.admit(incoming("full.837", "ffff"), Arrival::kRetried);
    BOOST_TEST_REQUIRE(again.has_value());
    BOOST_TEST((again->admission == Admission::kAudit));
    BOOST_TEST(again->file_id == id);
    BOOST_TEST(again->attempts == 1);
  }
  BOOST_TEST(store.database().execAndGet("SELECT attempts FROM files").getInt() == 1);
  store.release(id);  // Then its audit throws: that counts, as before.
  const auto recovered = store.admit(incoming("full.837", "ffff"), Arrival::kRecovered);
  BOOST_TEST_REQUIRE(recovered.has_value());
  BOOST_TEST(recovered->attempts == 2);
}

BOOST_AUTO_TEST_CASE(audits_cut_short_from_outside_are_forgiven_until_the_eighth) {
  // SIGKILL, a power cut, the OOM killer: not the file's fault (schemas/sql/0003), so each
  // restart forgives the attempt; only kMaxInterruptions of them make the file poison.
  TempDir dir;
  const auto path = dir / "db";
  FileId id = 0;
  {
    Store store(path);
    id = admit_for_audit(store, "k.837", "kkkk");
  }
  for (int restart = 1; restart < kMaxInterruptions; ++restart) {
    Store store(path);
    const auto forgiven = store.forgive_interrupted();
    BOOST_TEST_REQUIRE(forgiven.has_value());
    BOOST_TEST(*forgiven == 1);
    const auto again = store.admit(incoming("k.837", "kkkk"), Arrival::kRecovered);
    BOOST_TEST_REQUIRE(again.has_value());
    BOOST_TEST((again->admission == Admission::kAudit), "restart " << restart);
    BOOST_TEST(again->file_id == id);
    BOOST_TEST(again->attempts == 1);
    BOOST_TEST(again->interruptions == restart);
  }  // Killed again each time.
  Store store(path);
  BOOST_TEST_REQUIRE(store.forgive_interrupted().has_value());
  const auto last = store.admit(incoming("k.837", "kkkk"), Arrival::kRecovered);
  BOOST_TEST_REQUIRE(last.has_value());
  BOOST_TEST((last->admission == Admission::kPoison));
  BOOST_TEST(last->interruptions == kMaxInterruptions);
  BOOST_TEST(count(store, "SELECT attempts FROM files") == 1);
}

BOOST_AUTO_TEST_CASE(forgiving_touches_only_files_in_progress) {
  TempDir dir;
  Store store(dir / "db");
  const FileId done = admit_for_audit(store, "d.837", "dddd");
  BOOST_TEST_REQUIRE(
      store.finish_file({done, Outcome::kArchived, "x12", "", {}, "archive/d.837"}).has_value());
  const auto forgiven = store.forgive_interrupted();
  BOOST_TEST_REQUIRE(forgiven.has_value());
  BOOST_TEST(*forgiven == 0);
  BOOST_TEST(count(store, "SELECT attempts * 10 + interruptions FROM files") == 10);
}

BOOST_AUTO_TEST_CASE(a_batch_recorded_twice_adds_nothing_the_second_time) {
  TempDir dir;
  Store store(dir / "db");
  const FileId id = admit_for_audit(store, "a.837", "aaaa");
  BatchRecord batch = batch_for(id);
  batch.claims.push_back(make_claim("c1", "A1"));
  batch.claims.back().findings.push_back(make_finding("dx.stale_code", "M545", "f1"));
  batch.claims.back().findings.push_back(make_finding("dx.unspecified_site", "M5450", "f2"));
  batch.claims.push_back(make_claim("c2", "A2"));
  batch.diagnostics.push_back(
      {core::Severity::kWarning, "W-X12-SE01", {"a.837", 0, 0, "ST 0001, segment 40 SE"}, "x"});
  const auto first = store.record_batch(batch);
  BOOST_TEST_REQUIRE(first.has_value());
  BOOST_TEST(first->claims_added == 2);
  BOOST_TEST(first->findings_added == 2);
  const auto second = store.record_batch(batch);
  BOOST_TEST_REQUIRE(second.has_value());
  BOOST_TEST(second->claims_added == 0);
  BOOST_TEST(second->claims_known == 2);
  BOOST_TEST(second->findings_added == 0);
  const auto totals = store.finish_file({id, Outcome::kArchived, "x12", "rules1", {}, "a"});
  BOOST_TEST_REQUIRE(totals.has_value());
  BOOST_TEST(totals->claims == 2);
  BOOST_TEST(totals->findings == 2);
  BOOST_TEST(count(store, "SELECT count(*) FROM findings") == 2);
  BOOST_TEST(count(store, "SELECT count(*) FROM findings WHERE status = 'open'") == 2);
  // Batch diagnostics were appended to the file's (twice, since the batch came twice).
  BOOST_TEST(count(store, "SELECT json_array_length(diagnostics) FROM files") == 2);
}

BOOST_AUTO_TEST_CASE(file_counts_are_kept_by_each_batch_and_match_the_rows) {
  TempDir dir;
  Store store(dir / "db");
  const FileId id = admit_for_audit(store, "a.837", "aaaa");
  BatchRecord batch = batch_for(id);
  batch.claims.push_back(make_claim("c1", "A1"));
  batch.claims.back().findings.push_back(make_finding("dx.stale_code", "M545", "f1"));
  BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  // While the file is in progress its row counts what is recorded so far.
  BOOST_TEST(count(store, "SELECT claims FROM files") == 1);
  BOOST_TEST(count(store, "SELECT findings FROM files") == 1);
  // Recorded again (a re-audit after a crash): nothing added, nothing counted; a call that
  // fails inside a group (a file that does not exist) counts nothing either.
  BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  {
    auto group = store.group();
    BatchRecord broken = batch_for(id + 100);
    broken.claims.push_back(make_claim("c2", "A2"));
    broken.claims.back().findings.push_back(make_finding("dx.stale_code", "M545", "f2"));
    BOOST_TEST(!store.record_batch(broken).has_value());
    BOOST_TEST_REQUIRE(group.commit().has_value());
  }
  BOOST_TEST(count(store, "SELECT claims FROM files") == 1);
  BOOST_TEST(count(store, "SELECT findings FROM files") == 1);
  const auto totals = store.finish_file({id, Outcome::kArchived, "x12", "rules1", {}, "a"});
  BOOST_TEST_REQUIRE(totals.has_value());
  BOOST_TEST(totals->claims == 1);
  BOOST_TEST(totals->findings == 1);
  BOOST_TEST(count(store,
                   "SELECT count(*) FROM files WHERE claims = (SELECT count(*) FROM claims) "
                   "AND findings = (SELECT count(*) FROM findings)") == 1);
}

BOOST_AUTO_TEST_CASE(a_file_in_progress_before_0008_gets_the_counts_of_its_rows) {
  TempDir dir;
  const auto path = dir / "db";
  {
    // A database at schema 7 as the daemon before 0008 left it when it was killed: a file in
    // progress with rows recorded and its counts still 0 (they were set at the file's end).
    Store store(path);
    const FileId id = admit_for_audit(store, "a.837", "aaaa");
    BatchRecord batch = batch_for(id);
    batch.claims.push_back(make_claim("c1", "A1"));
    batch.claims.back().findings.push_back(make_finding("dx.stale_code", "M545", "f1"));
    batch.claims.back().findings.push_back(make_finding("dx.unspecified_site", "M5450", "f2"));
    BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
    auto& database = store.database();
    database.exec(
        "UPDATE files SET claims = 0, findings = 0; CREATE INDEX claims_file ON "
        "claims(file_id, position); CREATE INDEX findings_file ON findings(file_id); DELETE FROM "
        "schema_migrations WHERE version = 8; PRAGMA user_version = 7");
  }
  Store store(path);  // Applies 0008.
  BOOST_TEST(store.schema_version() == 8);
  BOOST_TEST(count(store, "SELECT claims FROM files") == 1);
  BOOST_TEST(count(store, "SELECT findings FROM files") == 2);
  BOOST_TEST(count(store,
                   "SELECT count(*) FROM sqlite_master WHERE name IN ('claims_file', "
                   "'findings_file')") == 0);
  const auto totals = store.finish_file({1, Outcome::kArchived, "x12", "rules1", {}, "a"});
  BOOST_TEST_REQUIRE(totals.has_value());
  BOOST_TEST(totals->claims == 1);
  BOOST_TEST(totals->findings == 2);
}

BOOST_AUTO_TEST_CASE(an_original_sent_again_in_another_file_is_a_claim_duplicate) {
  TempDir dir;
  Store store(dir / "db");
  const FileId first = admit_for_audit(store, "monday.837", "aaaa");
  BatchRecord monday = batch_for(first);
  monday.claims.push_back(make_claim("c1", "A1"));
  monday.claims.back().position = 3;
  monday.claims.back().findings.push_back(make_finding("dx.stale_code", "M545", "f1"));
  BOOST_TEST_REQUIRE(store.record_batch(monday).has_value());
  // The same claim again in Monday's file (a re-audit after a crash): nothing new.
  auto again = store.record_batch(monday);
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST(again->findings_added == 0);
  BOOST_TEST(count(store, "SELECT count(*) FROM findings WHERE rule_id = 'claim.duplicate'") == 0);

  // Tuesday's file: the same claim (recognised, not audited again) and another claim reusing
  // claim number A1 (a different claim with the same key: audited, and reported too).
  const FileId second = admit_for_audit(store, "tuesday.837", "bbbb");
  BatchRecord tuesday = batch_for(second);
  tuesday.claims.push_back(make_claim("c1", "A1"));
  tuesday.claims.back().position = 0;
  tuesday.claims.back().transaction_control = "0002";
  tuesday.claims.push_back(make_claim("c1-other-dates", "A1"));
  tuesday.claims.back().position = 1;
  auto counts = store.record_batch(tuesday);
  BOOST_TEST_REQUIRE(counts.has_value());
  BOOST_TEST(counts->claims_known == 1);
  BOOST_TEST(counts->claims_added == 1);
  BOOST_TEST(counts->findings_added == 2);
  auto& db = store.database();
  SQLite::Statement rows(db,
                         "SELECT c.fingerprint, f.file_id, f.message, f.evidence, f.location, "
                         "f.severity, f.predicts FROM findings f JOIN claims c ON c.id = "
                         "f.claim_ref WHERE f.rule_id = 'claim.duplicate' ORDER BY f.id");
  BOOST_TEST_REQUIRE(rows.executeStep());
  BOOST_TEST(rows.getColumn(0).getString() == "c1");  // On the claim audited Monday.
  BOOST_TEST(rows.getColumn(1).getInt64() == second);
  BOOST_TEST(rows.getColumn(2).getString() ==
             "claim 1245319599|A1 at position 0 was already audited from monday.837 (position "
             "3); this copy was not audited again");
  BOOST_TEST(rows.getColumn(3).getString() ==
             "{\"first_file\":\"monday.837\",\"first_position\":3,\"again_position\":0,"
             "\"same_claim\":true}");
  BOOST_TEST(rows.getColumn(4).getString() == "ST 0002");
  BOOST_TEST(rows.getColumn(5).getString() == "warning");
  BOOST_TEST(rows.getColumn(6).getString() == "CARC 18");
  BOOST_TEST_REQUIRE(rows.executeStep());
  BOOST_TEST(rows.getColumn(0).getString() == "c1-other-dates");  // On the new claim.
  BOOST_TEST(rows.getColumn(2).getString() ==
             "claim 1245319599|A1 at position 1 was already audited from monday.837 (position "
             "3); this claim reuses its number");
  BOOST_TEST(!rows.executeStep());
  // Tuesday re-audited after a crash: the same two findings, not two more.
  counts = store.record_batch(tuesday);
  BOOST_TEST_REQUIRE(counts.has_value());
  BOOST_TEST(counts->findings_added == 0);
  BOOST_TEST(counts->findings_known == 1);  // The other claim is now Tuesday's own: no lookup.
  BOOST_TEST(count(store, "SELECT count(*) FROM findings WHERE rule_id = 'claim.duplicate'") == 2);
  const auto totals = store.finish_file({second, Outcome::kArchived, "x12", "rules1", {}, "t"});
  BOOST_TEST_REQUIRE(totals.has_value());
  BOOST_TEST(totals->findings == 2);  // Counted with Tuesday's file.
  // A replacement is not a duplicate: it names the claim it replaces.
  const FileId third = admit_for_audit(store, "wednesday.837", "cccc");
  BatchRecord wednesday = batch_for(third);
  wednesday.claims.push_back(make_claim("c1-fixed", "A1", model::Frequency::kReplacement));
  BOOST_TEST_REQUIRE(store.record_batch(wednesday).has_value());
  BOOST_TEST(count(store, "SELECT count(*) FROM findings WHERE rule_id = 'claim.duplicate'") == 2);
}

// record_batch asks the index for an earlier row with an original claim's key only when the key
// is not above every key recorded before it (claim numbers mostly grow). Keys below, equal to
// and above the largest, across batches and files, and compared as SQLite compares them
// (bytes as unsigned: "A1" sorts below "\xc3\x9c1"): every reused number is still reported,
// and no new one is.
BOOST_AUTO_TEST_CASE(a_reused_claim_number_is_found_below_at_or_above_the_largest_key) {
  TempDir dir;
  Store store(dir / "db");
  const FileId monday = admit_for_audit(store, "monday.837", "aaaa");
  BatchRecord first = batch_for(monday);
  first.claims.push_back(make_claim("m-a1", "A1"));
  first.claims.push_back(make_claim("m-u1",
                                    "\xc3\x9c"
                                    "1"));  // "U1" with an umlaut, UTF-8.
  first.claims.push_back(make_claim("m-b5", "B5"));
  BOOST_TEST_REQUIRE(store.record_batch(first).has_value());
  BOOST_TEST(count(store, "SELECT count(*) FROM findings") == 0);

  const FileId tuesday = admit_for_audit(store, "tuesday.837", "bbbb");
  BatchRecord second = batch_for(tuesday);
  second.claims.push_back(make_claim("t-a0", "A0"));  // Below the largest, new: nothing.
  second.claims.push_back(make_claim("t-a1", "A1"));  // Below the largest (bytewise), reused.
  second.claims.push_back(make_claim("t-z9",
                                     "\xc3\x9d"
                                     "9"));           // Above all: nothing.
  second.claims.push_back(make_claim("t-b5", "B5"));  // Below the new largest, reused.
  BOOST_TEST_REQUIRE(store.record_batch(second).has_value());
  // The largest key (Tuesday's third claim) again in the same file: looked up, and not reported
  // (the same number twice in one file is the audit's in-batch duplicate, not the store's).
  BatchRecord third = batch_for(tuesday);
  third.claims.push_back(make_claim("t-z9-again",
                                    "\xc3\x9d"
                                    "9"));
  BOOST_TEST_REQUIRE(store.record_batch(third).has_value());

  const FileId wednesday = admit_for_audit(store, "wednesday.837", "cccc");
  BatchRecord fourth = batch_for(wednesday);
  // First of its batch, equal to the largest key: reused (Tuesday's).
  fourth.claims.push_back(make_claim("w-z9",
                                     "\xc3\x9d"
                                     "9"));
  fourth.claims.push_back(make_claim("w-z90",
                                     "\xc3\x9d"
                                     "90"));  // Longer, so above: nothing.
  fourth.claims.push_back(make_claim("w-u1",
                                     "\xc3\x9c"
                                     "1"));  // Below: reused (Monday's).
  BOOST_TEST_REQUIRE(store.record_batch(fourth).has_value());

  SQLite::Statement rows(store.database(),
                         "SELECT group_concat(c.fingerprint, ' ') FROM (SELECT c.fingerprint FROM "
                         "findings f JOIN claims c ON c.id = f.claim_ref WHERE f.rule_id = "
                         "'claim.duplicate' ORDER BY c.fingerprint) c");
  BOOST_TEST_REQUIRE(rows.executeStep());
  BOOST_TEST(rows.getColumn(0).getString() == "t-a1 t-b5 w-u1 w-z9");
}

BOOST_AUTO_TEST_CASE(group_commits_everything_or_nothing) {
  TempDir dir;
  Store store(dir / "db");
  const FileId id = admit_for_audit(store, "a.837", "aaaa");
  BatchRecord batch;
  batch.file_id = id;
  batch.rule_set_hash = "r";
  batch.claims.push_back(make_claim("c1", "A1"));
  {
    auto group = store.group();
    BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  }  // Not committed: rolled back.
  BOOST_TEST(count(store, "SELECT count(*) FROM claims") == 0);
  {
    auto group = store.group();
    BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
    BOOST_TEST_REQUIRE(
        store.finish_file({id, Outcome::kArchived, "x12", "r", {}, "a"}).has_value());
    BOOST_TEST_REQUIRE(group.commit().has_value());
  }
  BOOST_TEST(count(store, "SELECT claims FROM files") == 1);
}

BOOST_AUTO_TEST_CASE(a_failed_call_in_a_group_leaves_nothing_and_the_rest_commits) {
  TempDir dir;
  Store store(dir / "db");
  const FileId id = admit_for_audit(store, "a.837", "aaaa");
  BatchRecord good{id, "r", {make_claim("c1", "A1")}, {}};
  // The second claim names a file that does not exist: the foreign key fails mid-batch.
  BatchRecord bad{id + 100, "r", {make_claim("c2", "A2"), make_claim("c3", "A3")}, {}};
  bad.claims[0].findings = {make_finding("dx.stale_code", "M545", "f1")};
  {
    auto group = store.group();
    BOOST_TEST(!store.record_batch(bad).has_value());
    BOOST_TEST_REQUIRE(store.record_batch(good).has_value());
    BOOST_TEST_REQUIRE(group.commit().has_value());
  }
  BOOST_TEST(
      store.database().execAndGet("SELECT group_concat(fingerprint) FROM claims").getString() ==
      "c1");
  BOOST_TEST(count(store, "SELECT count(*) FROM findings") == 0);
}

BOOST_AUTO_TEST_CASE(an_interrupted_audit_does_not_count_as_an_attempt) {
  TempDir dir;
  Store store(dir / "db");
  const FileId id = admit_for_audit(store, "a.837", "aaaa");
  store.release(id, Store::Attempt::kUncounted);
  const auto again = store.admit(incoming("a.837", "aaaa"), Arrival::kRecovered);
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST(again->attempts == 1);
}

BOOST_AUTO_TEST_CASE(replacement_corrects_fixed_findings_and_supersedes_the_rest) {
  TempDir dir;
  Store store(dir / "db");
  const FileId original_file = admit_for_audit(store, "orig.837", "o");
  BatchRecord original{original_file, "r", {make_claim("c1", "A1")}, {}};
  original.claims[0].findings = {make_finding("dx.stale_code", "M545", "f1"),
                                 make_finding("dx.unspecified_site", "M5450", "f2")};
  BOOST_TEST_REQUIRE(store.record_batch(original).has_value());
  // A different claim with another CLM01 keeps its findings open.
  BatchRecord other{original_file, "r", {make_claim("c9", "B9")}, {}};
  other.claims[0].findings = {make_finding("dx.stale_code", "M545", "f9")};
  BOOST_TEST_REQUIRE(store.record_batch(other).has_value());

  const FileId replacement_file = admit_for_audit(store, "repl.837", "r");
  BatchRecord replacement{
      replacement_file, "r", {make_claim("c1r", "A1", model::Frequency::kReplacement)}, {}};
  replacement.claims[0].findings = {make_finding("dx.unspecified_site", "M5450", "f3")};
  const auto counts = store.record_batch(replacement);
  BOOST_TEST_REQUIRE(counts.has_value());
  BOOST_TEST(counts->findings_closed == 2);
  BOOST_TEST(store.database()
                 .execAndGet("SELECT group_concat(fingerprint || '=' || status, ' ') FROM "
                             "(SELECT * FROM findings ORDER BY fingerprint)")
                 .getString() == "f1=corrected f2=superseded f3=open f9=open");
  BOOST_TEST(store.database()
                 .execAndGet("SELECT group_concat(user || ':' || from_status || '>' || to_status "
                             "|| ':' || note || ':' || related_claim, ' | ') FROM finding_events")
                 .getString() ==
             "claimauditd:open>corrected:replaced by claim 1245319599|A1 (frequency 7):3 | "
             "claimauditd:open>superseded:replaced by claim 1245319599|A1 (frequency 7):3");
  // Recording the replacement again (a re-run) closes nothing more.
  const auto again = store.record_batch(replacement);
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST(again->findings_closed == 0);
  BOOST_TEST(count(store, "SELECT count(*) FROM finding_events") == 2);

  // A void supersedes whatever is still open on the key: the replacement's own finding.
  BatchRecord voiding{
      replacement_file, "r", {make_claim("c1v", "A1", model::Frequency::kVoid)}, {}};
  const auto voided = store.record_batch(voiding);
  BOOST_TEST_REQUIRE(voided.has_value());
  BOOST_TEST(voided->findings_closed == 1);
  BOOST_TEST(store.database()
                 .execAndGet("SELECT status FROM findings WHERE fingerprint = 'f3'")
                 .getString() == "superseded");
  BOOST_TEST(count(store,
                   "SELECT count(*) FROM findings WHERE fingerprint = 'f9' AND status = "
                   "'open'") == 1);
}

// Finding rows go in several to an INSERT (store.cpp, kFindingRows = 64): a replacement must
// still see the findings of an earlier claim of its own batch, queued just before it.
BOOST_AUTO_TEST_CASE(a_replacement_closes_the_findings_of_an_original_in_its_own_batch) {
  TempDir dir;
  Store store(dir / "db");
  const FileId id = admit_for_audit(store, "a.837", "aaaa");
  BatchRecord batch = batch_for(id);
  batch.claims.push_back(make_claim("c1", "A1"));
  batch.claims.back().findings = {make_finding("dx.stale_code", "M545", "f1"),
                                  make_finding("dx.unspecified_site", "M5450", "f2")};
  batch.claims.push_back(make_claim("c1r", "A1", model::Frequency::kReplacement));
  batch.claims.back().findings = {make_finding("dx.unspecified_site", "M5450", "f3")};
  const auto counts = store.record_batch(batch);
  BOOST_TEST_REQUIRE(counts.has_value());
  BOOST_TEST(counts->findings_added == 3);
  BOOST_TEST(counts->findings_closed == 2);
  BOOST_TEST(store.database()
                 .execAndGet("SELECT group_concat(fingerprint || '=' || status, ' ') FROM "
                             "(SELECT * FROM findings ORDER BY id)")
                 .getString() == "f1=corrected f2=superseded f3=open");
}

// More finding rows than one INSERT takes, with repeats: every row as one INSERT OR IGNORE a
// row would write it, ids in the order given, the counts exact.
BOOST_AUTO_TEST_CASE(finding_rows_are_inserted_in_order_several_to_a_statement) {
  TempDir dir;
  Store store(dir / "db");
  const FileId id = admit_for_audit(store, "a.837", "aaaa");
  BatchRecord batch = batch_for(id);
  std::vector<std::string> expected;  // Fingerprints in id order.
  for (int claim = 0; claim < 3; ++claim) {
    batch.claims.push_back(make_claim("c" + std::to_string(claim), "A" + std::to_string(claim)));
    for (int n = 0; n < 30; ++n) {
      const std::string fingerprint = "f" + std::to_string(claim) + "-" + std::to_string(n);
      model::Finding finding = make_finding("dx.stale_code", "M545", fingerprint);
      finding.diagnosis_seq = n;
      if (n == 7) finding.provenance.rule_set_hash = "rules2";  // Its own set.
      if (n == 8) finding.evidence_json = "{\"n\":8}";
      batch.claims.back().findings.push_back(finding);
      expected.push_back(fingerprint);
    }
    // The same fingerprint again on the same claim: ignored, counted as known.
    batch.claims.back().findings.push_back(make_finding("dx.stale_code", "M545", expected.back()));
  }
  const auto counts = store.record_batch(batch);
  BOOST_TEST_REQUIRE(counts.has_value());
  BOOST_TEST(counts->claims_added == 3);
  BOOST_TEST(counts->findings_added == 90);
  BOOST_TEST(counts->findings_known == 3);
  std::string joined;
  for (const std::string& fingerprint : expected)
    joined += (joined.empty() ? "" : " ") + fingerprint;
  BOOST_TEST(store.database()
                 .execAndGet("SELECT group_concat(fingerprint, ' ') FROM (SELECT fingerprint FROM "
                             "findings ORDER BY id)")
                 .getString() == joined);
  // Each row belongs to its claim, with the batch's file, time and rule set unless its own.
  BOOST_TEST(
      count(store,
            "SELECT count(*) FROM findings f JOIN claims c ON c.id = f.claim_ref WHERE "
            "substr(f.fingerprint, 2, 1) = substr(c.fingerprint, 2, 1) AND f.file_id = c.file_id "
            "AND f.created = c.audited AND f.updated = f.created AND f.status = 'open' AND "
            "f.diagnosis_seq = CAST(substr(f.fingerprint, 4) AS INTEGER)") == 90);
  BOOST_TEST(store.database()
                 .execAndGet("SELECT group_concat(DISTINCT rule_set_hash) FROM findings WHERE "
                             "diagnosis_seq = 7")
                 .getString() == "rules2");
  BOOST_TEST(count(store, "SELECT count(*) FROM findings WHERE rule_set_hash = 'rules1'") == 87);
  BOOST_TEST(count(store, "SELECT count(*) FROM findings WHERE evidence = '{\"n\":8}'") == 3);
  BOOST_TEST(count(store, "SELECT count(*) FROM findings WHERE evidence = '{}'") == 87);
  BOOST_TEST(count(store, "SELECT findings FROM files") == 90);
  // Again (a re-audit after a crash): nothing added.
  const auto again = store.record_batch(batch);
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST(again->findings_added == 0);
  BOOST_TEST(count(store, "SELECT count(*) FROM findings") == 90);
}

// The claim INSERT binds the words, the payer and the envelope only when they differ from the
// last claim's (store.cpp, text_kept): each row still gets its own values, within a batch and in
// the next batch (whose strings are other objects; the last batch's are freed).
BOOST_AUTO_TEST_CASE(claim_rows_get_their_own_envelope_and_payer_when_they_repeat_or_change) {
  TempDir dir;
  Store store(dir / "db");
  const FileId id = admit_for_audit(store, "a.837", "aaaa");
  const auto claim = [](std::string fingerprint, std::string payer, std::string st) {
    ClaimRecord record = make_claim(std::move(fingerprint), "C" + st + payer);
    record.payer_id = std::move(payer);
    record.filing_indicator = "MB";
    record.interchange_control = "000000001";
    record.group_control = "1";
    record.transaction_control = std::move(st);
    return record;
  };
  {
    BatchRecord batch = batch_for(id);
    batch.claims = {claim("c1", "P1", "0001"), claim("c2", "P2", "0002"),
                    claim("c3", "P1", "0001")};
    batch.claims[1].kind = model::ClaimKind::kInstitutional;
    batch.claims[1].filing_indicator = "";
    BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  }
  {
    BatchRecord batch = batch_for(id);
    batch.claims = {claim("c4", "P1", "0001"), claim("c5", "P1", "0001")};
    batch.claims[1].replaces = "X9";
    BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  }
  BOOST_TEST(store.database()
                 .execAndGet("SELECT group_concat(fingerprint || ':' || payer_id || ':' || "
                             "transaction_control || ':' || kind || ':' || filing_indicator || ':' "
                             "|| replaces || ':' || interchange_control, ' ') FROM (SELECT * FROM "
                             "claims ORDER BY id)")
                 .getString() ==
             "c1:P1:0001:professional:MB::000000001 c2:P2:0002:institutional:::000000001 "
             "c3:P1:0001:professional:MB::000000001 c4:P1:0001:professional:MB::000000001 "
             "c5:P1:0001:professional:MB:X9:000000001");
}

BOOST_AUTO_TEST_CASE(claim_json_is_stored_compressed_and_read_back_whole) {
  TempDir dir;
  const auto path = dir / "claimaudit.db";
  const std::string json =
      R"({"format":"claimaudit.claim/1","claim_id":"Z1","kind":"professional","use":"claim",)"
      R"("patient":{},"total_charge":"629.00","diagnoses":[{"seq":1,"code":"S43432S","role":)"
      R"("principal","qualifier":"ABK"},{"seq":2,"code":"T2622XD","role":"other","qualifier":)"
      R"("ABF"}],"lines":[{"seq":1,"procedure":{"system":"HC","code":"J3301","modifiers":[]},)"
      R"("units":"1","charge":"629.00","service_date":{"from":"2025-01-02","to":"2025-01-02"},)"
      R"("dx_pointers":[1,2]}]})";
  {
    Store store(path);
    auto batch = batch_for(admit_for_audit(store, "a.837", "sha-a"));
    batch.claims.push_back(make_claim("claim-z1", "Z1"));
    batch.claims.back().claim_json = json;
    BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
    auto& database = store.database();
    // The text column is empty; the frame is smaller than the text and decompresses to it.
    BOOST_TEST(database.execAndGet("SELECT claim_json FROM claims").getString() == "");
    const auto frame_bytes =
        database.execAndGet("SELECT length(claim_json_zstd) FROM claims").getInt();
    BOOST_TEST(frame_bytes > 0);
    BOOST_TEST(frame_bytes < static_cast<int>(json.size()) / 2);
    register_claim_json_function(database);
    BOOST_TEST(database.execAndGet("SELECT claim_json(claim_json, claim_json_zstd) FROM claims")
                   .getString() == json);
    // A row written before 0005 (text, no frame) reads as its text.
    BOOST_TEST(database.execAndGet("SELECT claim_json('{\"a\":1}', NULL)").getString() ==
               R"({"a":1})");
    // Bytes that are no frame of the dictionary read as NULL, not as garbage.
    BOOST_TEST(database.execAndGet("SELECT claim_json('', x'00112233') IS NULL").getInt() == 1);
  }
  // What the socket shows of the claim comes from the compressed JSON.
  Queries queries(path);
  const auto claims = queries.claims("Z1");
  BOOST_TEST_REQUIRE(claims.has_value());
  BOOST_TEST_REQUIRE(claims->size() == 1u);
  BOOST_TEST(claims->front().total_charge == "629.00");
  BOOST_TEST(claims->front().diagnoses == (std::vector<std::string>{"S43432S", "T2622XD"}),
             boost::test_tools::per_element());
}

// Regression (session 10): the socket dotted an ICD-9-CM E code the ICD-10 way (E88.09 for
// E880.9). The queries now say which diagnoses and which diagnosis findings were sent as
// ICD-9-CM: from the claim JSON's "code_system", or for rows written before it, the qualifier.
BOOST_AUTO_TEST_CASE(queries_name_the_icd9_codes_of_a_claim_and_its_findings) {
  TempDir dir;
  const auto path = dir / "claimaudit.db";
  const std::string json =
      R"({"format":"claimaudit.claim/1","claim_id":"N9","kind":"institutional","use":"claim",)"
      R"("patient":{},"diagnoses":[{"seq":1,"code":"8121","role":"principal",)"
      R"("code_system":"icd9cm","qualifier":"BK"},{"seq":2,"code":"E8809","role":)"
      R"("external_cause","code_system":"icd9cm"},{"seq":3,"code":"E8162","role":)"
      R"("external_cause","qualifier":"BN"},{"seq":4,"code":"E1165","role":"other",)"
      R"("qualifier":"ABF"}],"lines":[]})";
  FileId file = 0;
  {
    Store store(path);
    file = admit_for_audit(store, "a.837", "sha-a");
    auto batch = batch_for(file);
    batch.claims.push_back(make_claim("claim-n9", "N9"));
    batch.claims.back().claim_json = json;
    int seq = 0;
    for (const std::string code : {"8121", "E8809", "E8162", "E1165"}) {
      batch.claims.back().findings.push_back(
          make_finding("dx.code_set_qualifier", code, "fp-" + code));
      batch.claims.back().findings.back().diagnosis_seq = ++seq;
    }
    BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  }
  using model::CodeSystem;
  Queries queries(path);
  const auto claims = queries.claims("N9");
  BOOST_TEST_REQUIRE(claims.has_value());
  BOOST_TEST_REQUIRE(claims->size() == 1u);
  BOOST_TEST(
      claims->front().diagnoses == (std::vector<std::string>{"8121", "E8809", "E8162", "E1165"}),
      boost::test_tools::per_element());
  std::vector<std::string> systems;
  for (const CodeSystem system : claims->front().diagnosis_code_systems) {
    systems.emplace_back(model::to_string(system));
  }
  BOOST_TEST(systems == (std::vector<std::string>{"icd9cm", "icd9cm", "icd9cm", "unknown"}),
             boost::test_tools::per_element());
  const auto findings =
      queries.claim_findings(claims->front().id, core::Date::from_civil(2024, 9, 1));
  BOOST_TEST_REQUIRE(findings.has_value());
  BOOST_TEST_REQUIRE(findings->size() == 4u);
  // Only E codes are looked up: the others print the same in either code system.
  BOOST_TEST((findings->at(0).code_system == CodeSystem::kUnknown));
  BOOST_TEST((findings->at(1).code_system == CodeSystem::kIcd9Cm));
  BOOST_TEST((findings->at(2).code_system == CodeSystem::kIcd9Cm));
  BOOST_TEST((findings->at(3).code_system == CodeSystem::kUnknown));
}

BOOST_AUTO_TEST_CASE(frames_of_either_dictionary_read_back_and_new_ones_use_the_trained_one) {
  TempDir dir;
  const auto path = dir / "claimaudit.db";
  const std::string json =
      R"({"format":"claimaudit.claim/1","claim_id":"D1","kind":"professional","use":"claim",)"
      R"("patient":{},"total_charge":"80.00","diagnoses":[{"seq":1,"code":"J0190","role":)"
      R"("principal","qualifier":"ABK"}],"lines":[]})";
  Store store(path);
  auto& database = store.database();
  const auto dictionaries = read_claim_json_dictionaries(database);
  BOOST_TEST_REQUIRE(dictionaries.size() == 2u);
  // Dictionary 1 is raw content (its frames name none); 2 is a zstd dictionary with id 2.
  BOOST_TEST(ZSTD_getDictID_fromDict(dictionaries.at(1).data(), dictionaries.at(1).size()) == 0u);
  BOOST_TEST(ZSTD_getDictID_fromDict(dictionaries.at(2).data(), dictionaries.at(2).size()) == 2u);
  BOOST_TEST((read_claim_json_dictionary(database) == dictionaries.at(2)));
  // A row as a store before 0007 wrote it: a frame of dictionary 1 ...
  ClaimJsonCodec old_codec(dictionaries.at(1));
  const std::string old_frame(old_codec.compress(json));
  BOOST_TEST(ZSTD_getDictID_fromFrame(old_frame.data(), old_frame.size()) == 0u);
  auto batch = batch_for(admit_for_audit(store, "a.837", "sha-a"));
  batch.claims.push_back(make_claim("claim-d1", "D1"));
  batch.claims.back().claim_json_zstd = old_frame;
  // ... and one the store compresses now, with dictionary 2: smaller for the same text.
  batch.claims.push_back(make_claim("claim-d2", "D2"));
  batch.claims.back().claim_json = json;
  BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  register_claim_json_function(database);
  SQLite::Statement rows(database,
                         "SELECT claim_json_zstd, claim_json(claim_json, claim_json_zstd) FROM "
                         "claims ORDER BY id");
  std::vector<std::string> frames;
  while (rows.executeStep()) {
    const SQLite::Column blob = rows.getColumn(0);
    frames.emplace_back(static_cast<const char*>(blob.getBlob()),
                        static_cast<std::size_t>(blob.getBytes()));
    BOOST_TEST(rows.getColumn(1).getString() == json);
  }
  BOOST_TEST_REQUIRE(frames.size() == 2u);
  BOOST_TEST(frames[0] == old_frame);
  BOOST_TEST(ZSTD_getDictID_fromFrame(frames[1].data(), frames[1].size()) == 2u);
  BOOST_TEST(frames[1].size() < old_frame.size());
  // One codec over both reads both; a codec of dictionary 1 alone cannot read the new frame.
  ClaimJsonCodec both(dictionaries);
  BOOST_TEST((both.decompress(frames[0]) == json));
  BOOST_TEST((both.decompress(frames[1]) == json));
  BOOST_TEST(!old_codec.decompress(frames[1]).has_value());
}

BOOST_AUTO_TEST_CASE(a_frame_compressed_by_a_worker_is_stored_as_the_store_would_make_it) {
  TempDir dir;
  const std::string json =
      R"({"format":"claimaudit.claim/1","claim_id":"W1","kind":"professional","use":"claim",)"
      R"("patient":{},"total_charge":"12.50","diagnoses":[{"seq":1,"code":"M545","role":)"
      R"("principal","qualifier":"ABK"}]})";
  Store store(dir / "claimaudit.db");  // Publishes its database's dictionary.
  std::string frame;
  bool compressed = false;
  std::thread worker([&] { compressed = compress_claim_json(json, frame); });
  worker.join();
  BOOST_TEST_REQUIRE(compressed);
  auto dictionary = read_claim_json_dictionary(store.database());
  BOOST_TEST_REQUIRE(dictionary.has_value());
  BOOST_TEST((published_claim_json_dictionary() == dictionary));
  ClaimJsonCodec codec(*dictionary);
  BOOST_TEST(frame == std::string(codec.compress(json)));  // The same bytes as the store's own.

  auto batch = batch_for(admit_for_audit(store, "a.837", "sha-a"));
  batch.claims.push_back(make_claim("claim-w1", "W1"));
  batch.claims.back().claim_json_zstd = frame;  // The text left empty, as the workers do.
  batch.claims.push_back(make_claim("claim-w2", "W2"));
  batch.claims.back().claim_json = json;  // No frame: the store compresses it.
  BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  auto& database = store.database();
  register_claim_json_function(database);
  SQLite::Statement rows(database,
                         "SELECT claim_json, claim_json_zstd, claim_json(claim_json, "
                         "claim_json_zstd) FROM claims ORDER BY id");
  for (int row = 0; row < 2; ++row) {
    BOOST_TEST_REQUIRE(rows.executeStep());
    BOOST_TEST(rows.getColumn(0).getString() == "");
    const SQLite::Column blob = rows.getColumn(1);
    BOOST_TEST(std::string(static_cast<const char*>(blob.getBlob()),
                           static_cast<std::size_t>(blob.getBytes())) == frame);
    BOOST_TEST(rows.getColumn(2).getString() == json);
  }
  // A database whose dictionary is another (edited by hand): the workers' frame is made
  // again with its own, so its rows still read back.
  const auto other_path = dir / "other.db";
  { Store other(other_path); }
  {
    SQLite::Database other(other_path.string(), SQLite::OPEN_READWRITE);
    other.exec("UPDATE compression_dictionaries SET dictionary = CAST('{\"claim_id\":' AS BLOB)");
  }
  {
    Store other(other_path);
    auto more = batch_for(admit_for_audit(other, "b.837", "sha-b"));
    more.claims.push_back(make_claim("claim-w1", "W1"));
    more.claims.back().claim_json_zstd = frame;
    BOOST_TEST_REQUIRE(other.record_batch(more).has_value());
    register_claim_json_function(other.database());
    BOOST_TEST(other.database()
                   .execAndGet("SELECT claim_json(claim_json, claim_json_zstd) FROM "
                               "claims")
                   .getString() == json);
    SQLite::Statement same(other.database(), "SELECT claim_json_zstd = ? FROM claims");
    same.bind(1, frame.data(), static_cast<int>(frame.size()));
    BOOST_TEST_REQUIRE(same.executeStep());
    BOOST_TEST(same.getColumn(0).getInt() == 0);  // Not the workers' bytes: made again.
  }
  // A second dictionary is not published over the first; frames stay those of the first.
  BOOST_TEST(!publish_claim_json_dictionary("another dictionary"));
  BOOST_TEST(publish_claim_json_dictionary(*dictionary));
}

BOOST_AUTO_TEST_CASE(finding_events_cannot_be_updated_or_deleted) {
  TempDir dir;
  Store store(dir / "db");
  const FileId id = admit_for_audit(store, "a", "a");
  BatchRecord batch{id, "r", {make_claim("c1", "A1")}, {}};
  batch.claims[0].findings = {make_finding("dx.stale_code", "M545", "f1")};
  BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  store.database().exec(
      "INSERT INTO finding_events (finding_id, at, user, from_status, to_status) "
      "VALUES (1, 'now', 'ann', 'open', 'in_review')");
  BOOST_CHECK_THROW(store.database().exec("UPDATE finding_events SET user = 'bob'"),
                    SQLite::Exception);
  BOOST_CHECK_THROW(store.database().exec("DELETE FROM finding_events"), SQLite::Exception);
  BOOST_TEST(store.database().execAndGet("SELECT user FROM finding_events").getString() == "ann");
}

BOOST_AUTO_TEST_CASE(diagnostics_json_escapes_and_renders_the_location) {
  const std::vector<core::Diagnostic> diagnostics{
      {core::Severity::kError, "E-JSON-TYPE", {"c.json", 0, 0, "/claims/3"}, "say \"x\"\n"}};
  BOOST_TEST(diagnostics_json(diagnostics) ==
             "[{\"severity\":\"error\",\"code\":\"E-JSON-TYPE\",\"where\":\"/claims/3\","
             "\"message\":\"say \\\"x\\\"\\n\"}]");
  BOOST_TEST(diagnostics_json({}) == "[]");
}

// The WAL is copied into the database by the Checkpointer's thread once the writer's commits
// take it past the hand-off threshold; the writer's own (inline) checkpoint stays off below
// its bound, so without the checkpointer the WAL only grows.
BOOST_AUTO_TEST_CASE(checkpoints_are_handed_to_the_checkpointer_thread) {
  TempDir dir;
  Store store(dir / "db");
  Checkpointer checkpointer(dir / "db");
  int nudges = 0;
  bool forward = false;
  store.hand_off_checkpoints(
      [&] {
        ++nudges;
        if (forward) checkpointer.nudge();
      },
      /*nudge_frames=*/50, /*inline_frames=*/1000000);
  // The migrations' own pages are in the WAL: start it empty.
  store.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const FileId id = admit_for_audit(store, "a.837", "aaaa");
  std::uint64_t state = 88172645463325252u;  // xorshift64: text zstd cannot shrink much.
  auto noise = [&state](std::size_t size) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string text(size, ' ');
    for (char& c : text) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      c = kAlphabet[state % 64];
    }
    return text;
  };
  auto write = [&](int first, int count) {
    BatchRecord batch{id, "r", {}, {}};
    for (int i = first; i < first + count; ++i) {
      batch.claims.push_back(make_claim("c" + std::to_string(i), "A" + std::to_string(i)));
      // Six bits a character: a frame of about 2,000 bytes, two claims a page.
      batch.claims.back().claim_json = noise(2650);
    }
    BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  };
  write(0, 200);  // About 100 pages: past 50 frames.
  BOOST_TEST(nudges == 1);
  BOOST_TEST(checkpointer.checkpoints() == 0);
  const auto wal_size = [&] { return std::filesystem::file_size(dir / "db-wal"); };
  const auto before = wal_size();
  write(200, 200);
  BOOST_TEST(nudges == 2);
  BOOST_TEST(wal_size() > before);  // Nobody checkpointed: the WAL grew.
  forward = true;
  write(400, 10);
  for (int i = 0; i < 500 && checkpointer.frames_copied() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  BOOST_TEST(checkpointer.checkpoints() >= 1);
  BOOST_TEST(checkpointer.frames_copied() > 200);
  // Everything is in the database file: a fresh reader of the file alone sees it all once the
  // WAL restarts (the next write after a complete checkpoint starts it from the beginning).
  write(410, 1);
  BOOST_TEST(wal_size() <= before * 3);
  BOOST_TEST(count(store, "SELECT count(*) FROM claims") == 411);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::store
