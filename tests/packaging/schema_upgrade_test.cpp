// Package upgrades keep the data (issue 8, "Upgrades"): a database written by an older release,
// at an older schema version, is migrated by the current Store without losing a row or a value
// of files, claims, findings or their finding_events, and stays usable afterwards.
//
// The older databases are frozen fixtures, tests/packaging/data/schema_NNNN.sql: SQL dumps
// (PRAGMA user_version first) of a database the Store of schema version NNNN wrote. They are
// never regenerated: when a migration is added, `CLAIMAUDIT_UPDATE_GOLDEN=1 ctest -R
// packaging_schema_upgrade` writes the fixture of the new version beside the old ones (it only
// writes a version that has none), so every release's database stays covered.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/test/unit_test.hpp>

#include "store/migrations.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::store {
namespace {

using claimaudit::testing::TempDir;

std::filesystem::path fixture_dir() {
  return claimaudit::testing::source_dir() / "tests/packaging/data";
}

std::filesystem::path fixture_path(int version) {
  char name[32];
  std::snprintf(name, sizeof name, "schema_%04d.sql", version);
  return fixture_dir() / name;
}

int latest_version() { return migrations().back().version; }

// Every fixture on disk, by version.
std::map<int, std::filesystem::path> fixtures() {
  std::map<int, std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(fixture_dir())) {
    const std::string name = entry.path().filename().string();
    if (name.size() == 15 && name.starts_with("schema_") && name.ends_with(".sql")) {
      found[std::stoi(name.substr(7, 4))] = entry.path();
    }
  }
  return found;
}

// Tables, their rows and their indexes and triggers as SQL, user_version first, so exec() of the
// text rebuilds the same database. Values go through SQLite's quote(), so they round-trip.
std::string dump(SQLite::Database& database) {
  std::string out = "PRAGMA user_version = " +
                    std::to_string(database.execAndGet("PRAGMA user_version").getInt()) +
                    ";\nBEGIN;\n";
  std::vector<std::string> tables;
  std::vector<std::string> later;  // Indexes and triggers, created after the rows.
  SQLite::Statement objects(database,
                            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
                            "name NOT LIKE 'sqlite_%' ORDER BY rowid");
  while (objects.executeStep()) {
    const std::string type = objects.getColumn(0).getString();
    if (type == "table") {
      out += objects.getColumn(2).getString() + ";\n";
      tables.push_back(objects.getColumn(1).getString());
    } else {
      later.push_back(objects.getColumn(2).getString() + ";\n");
    }
  }
  for (const auto& table : tables) {
    std::string columns;
    SQLite::Statement info(database, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
    info.bind(1, table);
    while (info.executeStep()) {
      columns += (columns.empty() ? "quote(\"" : " || ',' || quote(\"") +
                 info.getColumn(0).getString() + "\")";
    }
    SQLite::Statement rows(database,
                           "SELECT " + columns + " FROM \"" + table + "\" ORDER BY rowid");
    while (rows.executeStep()) {
      out += "INSERT INTO \"" + table + "\" VALUES(" + rows.getColumn(0).getString() + ");\n";
    }
  }
  for (const auto& statement : later) out += statement;
  return out + "COMMIT;\n";
}

// Each table's columns (in order) and rows (in rowid order), values rendered by quote().
using Table = std::pair<std::vector<std::string>, std::vector<std::string>>;

std::map<std::string, Table> snapshot(SQLite::Database& database) {
  std::map<std::string, Table> tables;
  SQLite::Statement names(database,
                          "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                          "name NOT LIKE 'sqlite_%'");
  while (names.executeStep()) tables[names.getColumn(0).getString()];
  for (auto& [name, table] : tables) {
    SQLite::Statement info(database, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
    info.bind(1, name);
    while (info.executeStep()) table.first.push_back(info.getColumn(0).getString());
  }
  return tables;
}

// The rows of `table`, only the `columns` given (so columns a migration adds do not count).
std::vector<std::string> rows(SQLite::Database& database, const std::string& table,
                              const std::vector<std::string>& columns) {
  std::string select;
  for (const auto& column : columns) {
    select += (select.empty() ? "quote(\"" : " || '|' || quote(\"") + column + "\")";
  }
  std::vector<std::string> out;
  SQLite::Statement statement(database,
                              "SELECT " + select + " FROM \"" + table + "\" ORDER BY rowid");
  while (statement.executeStep()) out.push_back(statement.getColumn(0).getString());
  return out;
}

std::int64_t count(SQLite::Database& database, const std::string& sql) {
  return database.execAndGet(sql).getInt64();
}

model::Finding make_finding(std::string rule_id, std::string code, std::string fingerprint) {
  model::Finding finding;
  finding.rule_id = std::move(rule_id);
  finding.code = std::move(code);
  finding.severity = model::FindingSeverity::kWarning;
  finding.location = "ST 0001, segment 20 HI, HI01-2 (loop 2300)";
  finding.message = "M54.5 is not billable on 2021-10-01 (fy2022); use M54.50, M54.51, M54.59";
  finding.fingerprint = std::move(fingerprint);
  finding.provenance.rule_version = "1";
  finding.provenance.engine_version = "0.1.0";
  return finding;
}

ClaimRecord make_claim(std::string fingerprint, std::string clm01, model::Frequency frequency) {
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
  claim.payer_kind = model::PayerKind::kCommercial;
  claim.service_from = core::Date::from_civil(2021, 10, 1);
  claim.service_to = core::Date::from_civil(2021, 10, 1);
  claim.claim_json = R"({"claim_id":")" + clm01 + R"("})";
  return claim;
}

FileId admit(Store& store, const std::string& name, const std::string& sha) {
  const auto admitted = store.admit({name, "inbox", sha, 1234}, Arrival::kFresh);
  BOOST_TEST_REQUIRE(admitted.has_value());
  BOOST_TEST_REQUIRE((admitted->admission == Admission::kAudit));
  return admitted->file_id;
}

// The history the fixtures hold: two claims with open findings, a replacement of the first
// that corrects one finding and supersedes the other (automatic events), and a reviewer's
// status change with a note.
void write_history(Store& store) {
  BOOST_TEST_REQUIRE(store.record_rule_load(true, "rulesethash", 12, {}).has_value());
  const FileId first = admit(store, "batch-0001.837", "sha-first");
  BatchRecord batch{first, "rulesethash", {}, {}};
  batch.claims.push_back(make_claim("claim-a", "A1", model::Frequency::kOriginal));
  batch.claims[0].findings = {make_finding("dx.stale_code", "M545", "finding-a1"),
                              make_finding("dx.unspecified_site", "M545", "finding-a2")};
  batch.claims.push_back(make_claim("claim-b", "B1", model::Frequency::kOriginal));
  batch.claims[1].findings = {make_finding("dx.stale_code", "M545", "finding-b1")};
  BOOST_TEST_REQUIRE(store.record_batch(batch).has_value());
  BOOST_TEST_REQUIRE(
      store.finish_file({first, Outcome::kArchived, "x12", "rulesethash", {}, "archive/a"})
          .has_value());
  const FileId second = admit(store, "batch-0002.837", "sha-second");
  BatchRecord replacement{second, "rulesethash", {}, {}};
  replacement.claims.push_back(make_claim("claim-a7", "A1", model::Frequency::kReplacement));
  replacement.claims[0].findings = {make_finding("dx.unspecified_site", "M545", "finding-a7")};
  BOOST_TEST_REQUIRE(store.record_batch(replacement).has_value());
  BOOST_TEST_REQUIRE(
      store.finish_file({second, Outcome::kArchived, "x12", "rulesethash", {}, "archive/b"})
          .has_value());
  store.database().exec(
      "UPDATE findings SET status = 'in_review' WHERE fingerprint = 'finding-b1';"
      "INSERT INTO finding_events (finding_id, at, user, from_status, to_status, note) "
      "SELECT id, '2026-11-26T12:00:00.000Z', 'ann', 'open', 'in_review', 'calling the clinic' "
      "FROM findings WHERE fingerprint = 'finding-b1'");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_upgrade)

// Not a test of the product: writes the fixture of the current schema version if it has none.
BOOST_AUTO_TEST_CASE(writes_the_fixture_of_a_new_schema_version_when_asked) {
  const char* update = std::getenv("CLAIMAUDIT_UPDATE_GOLDEN");
  if (update == nullptr || std::string(update) != "1" ||
      std::filesystem::exists(fixture_path(latest_version()))) {
    BOOST_TEST_MESSAGE("fixture of schema " << latest_version() << " present; nothing to write");
    return;
  }
  TempDir dir;
  {
    Store store(dir / "claimaudit.db");
    write_history(store);
  }
  SQLite::Database database((dir / "claimaudit.db").string(), SQLite::OPEN_READONLY);
  std::filesystem::create_directories(fixture_dir());
  std::ofstream(fixture_path(latest_version()))
      << "-- A claimaudit database at schema version " << latest_version()
      << ", written by that release's Store.\n-- Frozen: tests/packaging/schema_upgrade_test.cpp "
         "upgrades it with every later release.\n"
      << dump(database);
}

BOOST_AUTO_TEST_CASE(every_schema_version_has_a_fixture) {
  const auto found = fixtures();
  for (const auto& migration : migrations()) {
    BOOST_TEST(found.contains(migration.version),
               "no tests/packaging/data fixture for schema "
                   << migration.version << " (run CLAIMAUDIT_UPDATE_GOLDEN=1 ctest -R "
                   << "packaging_schema_upgrade once, and commit it)");
  }
}

BOOST_AUTO_TEST_CASE(the_oldest_fixture_holds_findings_and_their_events) {
  // Guards the fixtures themselves: an upgrade test over empty tables would prove nothing.
  const auto found = fixtures();
  BOOST_TEST_REQUIRE(!found.empty());
  TempDir dir;
  SQLite::Database database((dir / "old.db").string(),
                            SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  database.exec(claimaudit::testing::read_file(found.begin()->second));
  BOOST_TEST(database.execAndGet("PRAGMA user_version").getInt() == found.begin()->first);
  BOOST_TEST(count(database, "SELECT count(*) FROM files") == 2);
  BOOST_TEST(count(database, "SELECT count(*) FROM claims") == 3);
  BOOST_TEST(database
                 .execAndGet("SELECT group_concat(fingerprint || '=' || status, ' ') FROM "
                             "(SELECT * FROM findings ORDER BY id)")
                 .getString() ==
             "finding-a1=corrected finding-a2=superseded finding-b1=in_review finding-a7=open");
  BOOST_TEST(database
                 .execAndGet("SELECT group_concat(user || ':' || from_status || '>' || to_status, "
                             "' ') FROM (SELECT * FROM finding_events ORDER BY id)")
                 .getString() ==
             "claimauditd:open>corrected claimauditd:open>superseded ann:open>in_review");
}

BOOST_AUTO_TEST_CASE(every_older_database_upgrades_without_losing_a_value) {
  for (const auto& [version, path] : fixtures()) {
    BOOST_TEST_CONTEXT("fixture " << path.filename().string()) {
      TempDir dir;
      const auto db_path = dir / "claimaudit.db";
      std::map<std::string, Table> before;
      std::map<std::string, std::vector<std::string>> old_rows;
      {
        SQLite::Database database(db_path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        database.exec(claimaudit::testing::read_file(path));
        BOOST_TEST_REQUIRE(database.execAndGet("PRAGMA user_version").getInt() == version);
        before = snapshot(database);
        for (const auto& [table, shape] : before)
          old_rows[table] = rows(database, table, shape.first);
      }

      Store store(db_path);  // The current program: applies every migration after `version`.
      BOOST_TEST(store.schema_version() == latest_version());
      auto& database = store.database();
      BOOST_TEST(count(database, "SELECT count(*) FROM schema_migrations") == latest_version());

      const auto after = snapshot(database);
      for (const auto& [table, shape] : before) {
        BOOST_TEST_CONTEXT("table " << table) {
          BOOST_TEST_REQUIRE(after.contains(table));
          const auto& new_columns = after.at(table).first;
          for (const auto& column : shape.first) {
            BOOST_TEST(
                (std::find(new_columns.begin(), new_columns.end(), column) != new_columns.end()),
                "column " << column << " dropped");
          }
          auto now = rows(database, table, shape.first);
          // Migrations append to these two (0007: claim JSON dictionary 2); old rows stay.
          if (table == "schema_migrations" || table == "compression_dictionaries")
            now.resize(std::min(now.size(), old_rows[table].size()));
          BOOST_TEST(now == old_rows[table], boost::test_tools::per_element());
        }
      }

      // The upgraded database goes on working: a void of claim A1 supersedes the finding the
      // replacement left open, appending an event to the old trail.
      const FileId third = admit(store, "batch-0003.837", "sha-third");
      BatchRecord voiding{third, "rulesethash", {}, {}};
      voiding.claims.push_back(make_claim("claim-a8", "A1", model::Frequency::kVoid));
      const auto counts = store.record_batch(voiding);
      BOOST_TEST_REQUIRE(counts.has_value());
      BOOST_TEST(counts->findings_closed == 1);
      BOOST_TEST(count(database, "SELECT count(*) FROM finding_events") == 4);
      BOOST_TEST(database
                     .execAndGet("SELECT group_concat(fingerprint || '=' || status, ' ') FROM "
                                 "(SELECT * FROM findings ORDER BY id)")
                     .getString() ==
                 "finding-a1=corrected finding-a2=superseded finding-b1=in_review "
                 "finding-a7=superseded");
      // Idempotency holds across the upgrade: the first file's claims, recorded by the old
      // release, are known to the new one with their findings (the fingerprint indexes of
      // 0004), and foreign keys are enforced again after the migrations.
      BatchRecord again{third, "rulesethash", {}, {}};
      again.claims.push_back(make_claim("claim-a", "A1", model::Frequency::kOriginal));
      again.claims[0].findings = {make_finding("dx.stale_code", "M545", "finding-a1")};
      again.claims.push_back(make_claim("claim-b", "B1", model::Frequency::kOriginal));
      const auto known = store.record_batch(again);
      BOOST_TEST_REQUIRE(known.has_value());
      BOOST_TEST(known->claims_added == 0);
      BOOST_TEST(known->claims_known == 2);
      BOOST_TEST(count(database, "SELECT count(*) FROM claims") == 4);
      BOOST_TEST(count(database, "PRAGMA foreign_keys") == 1);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::store
