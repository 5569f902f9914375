// audit::audit_first (a small file read and evaluated before its admission, then admitted with
// complete_admission) records exactly what process_file (admission first) records, and reports
// duplicates and poison files exactly as process_file does, with nothing of the early audit
// counting. Real sample files, the shipped rule pack, the generated code history, real SQLite.
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/test/unit_test.hpp>

#include "audit/process_file.hpp"
#include "audit_support.hpp"
#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "rules/rule_set.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit {
namespace {

namespace fs = std::filesystem;
using testing::shipped_rules;
using testing::StoreSink;

// 2 ST, 6 claims (the second ST repeats the first's three), 7,261 bytes (samples/INDEX.md).
fs::path sample() {
  return fs::path(CLAIMAUDIT_SHARED_DIR) / "samples/x12/imsweb-x12-parser/837_5010/x12_complex.txt";
}

// A copy of the sample under `temp` named `name`, as the daemon has it in processing/.
audit::Job job_for(const testing::TempDir& temp, const std::string& name) {
  const fs::path path = temp / name;
  fs::copy_file(sample(), path, fs::copy_options::overwrite_existing);
  audit::Job job;
  job.path = path;
  job.name = name;
  job.drop_dir = "inbox";
  job.rules = shipped_rules();
  return job;
}

// Admits an early audit and records it, as the store thread does.
bool admit_early(store::Store& store, audit::EarlyAudit& early) {
  const auto admitted = store.admit(early.file, store::Arrival::kFresh);
  BOOST_REQUIRE(admitted.has_value());
  if (!audit::complete_admission(early, *admitted)) return false;
  for (const store::BatchRecord& record : early.records)
    BOOST_REQUIRE(store.record_batch(record).has_value());
  return true;
}

std::set<std::string> column(const fs::path& database, const std::string& query) {
  SQLite::Database db(database.string(), SQLite::OPEN_READONLY);
  SQLite::Statement select(db, query);
  std::set<std::string> values;
  while (select.executeStep()) values.insert(select.getColumn(0).getString());
  return values;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(early_audit)

BOOST_AUTO_TEST_CASE(records_what_process_file_records) {
  testing::TempDir temp;
  store::Store before(temp / "before.db");
  StoreSink sink(before);
  const audit::Report report = audit::process_file(job_for(temp, "a.837"), sink);
  BOOST_TEST_REQUIRE(static_cast<int>(report.disposition) ==
                     static_cast<int>(audit::Disposition::kArchived));

  store::Store after(temp / "after.db");
  auto early = audit::audit_first(job_for(temp, "a.837"));
  BOOST_TEST_REQUIRE(early.has_value());
  BOOST_TEST(early->file.sha256 == report.sha256);
  BOOST_TEST(early->file.size == 7261);
  BOOST_TEST(early->records.size() == 2u);  // One a transaction set.
  BOOST_TEST(early->records.front().file_id == 0);
  BOOST_TEST_REQUIRE(admit_early(after, *early));
  const audit::Report& got = early->report;
  BOOST_TEST(static_cast<int>(got.disposition) == static_cast<int>(audit::Disposition::kArchived));
  BOOST_TEST(got.file_id == report.file_id);
  BOOST_TEST(early->records.front().file_id == report.file_id);
  BOOST_TEST(got.attempts == 1);
  BOOST_TEST(got.claims == 6);
  BOOST_TEST(got.claims == report.claims);
  BOOST_TEST(got.audited == report.audited);
  BOOST_TEST(got.findings == report.findings);
  BOOST_TEST(got.batches == 2);
  BOOST_TEST(formats::to_string(got.format) == "x12");
  BOOST_TEST(formats::to_string(got.format) == formats::to_string(report.format));
  BOOST_TEST(got.rule_set_hash == report.rule_set_hash);
  BOOST_TEST(got.diagnostics.size() == report.diagnostics.size());
  BOOST_TEST(got.batch_diagnostics.size() == report.batch_diagnostics.size());

  const std::string claims = "SELECT fingerprint FROM claims";
  const std::string findings = "SELECT fingerprint || ' ' || rule_id FROM findings";
  // Its second transaction set repeats the first's three claims: one row each.
  BOOST_TEST(column(temp / "after.db", claims).size() == 3u);
  BOOST_TEST(column(temp / "after.db", claims) == column(temp / "before.db", claims));
  BOOST_TEST(!column(temp / "after.db", findings).empty());
  BOOST_TEST(column(temp / "after.db", findings) == column(temp / "before.db", findings));
}

BOOST_AUTO_TEST_CASE(a_bigger_or_vanished_file_is_left_to_process_file) {
  testing::TempDir temp;
  const audit::Job job = job_for(temp, "a.837");
  BOOST_TEST(!audit::audit_first(job, 7260).has_value());
  BOOST_TEST(audit::audit_first(job, 7261).has_value());
  fs::remove(job.path);
  BOOST_TEST(!audit::audit_first(job).has_value());
}

BOOST_AUTO_TEST_CASE(the_same_bytes_again_are_a_duplicate_and_the_early_audit_counts_for_nothing) {
  testing::TempDir temp;
  store::Store store(temp / "store.db");
  auto first = audit::audit_first(job_for(temp, "a.837"));
  BOOST_TEST_REQUIRE(first.has_value());
  BOOST_TEST_REQUIRE(admit_early(store, *first));
  BOOST_TEST_REQUIRE(store
                         .finish_file({first->report.file_id,
                                       store::Outcome::kArchived,
                                       "x12",
                                       first->report.rule_set_hash,
                                       {},
                                       "archive/a.837"})
                         .has_value());

  auto again = audit::audit_first(job_for(temp, "b.837"));
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST(again->report.claims == 6);
  BOOST_TEST(!admit_early(store, *again));
  BOOST_TEST(static_cast<int>(again->report.disposition) ==
             static_cast<int>(audit::Disposition::kDuplicate));
  BOOST_TEST(again->report.file_id == first->report.file_id + 1);
  BOOST_TEST(again->report.claims == 0);
  BOOST_TEST(again->report.findings == 0);
  BOOST_TEST(again->report.diagnostics.empty());
  BOOST_TEST(again->report.sha256 == first->report.sha256);
  BOOST_TEST(again->records.empty());
  BOOST_TEST(column(temp / "store.db", "SELECT fingerprint FROM claims").size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_file_that_failed_twice_is_poison_with_only_the_internal_error) {
  testing::TempDir temp;
  store::Store store(temp / "store.db");
  auto early = audit::audit_first(job_for(temp, "a.837"));
  BOOST_TEST_REQUIRE(early.has_value());
  // Two failed attempts, as two audits that threw (or died of a fault) would leave.
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const auto admitted = store.admit(early->file, store::Arrival::kRecovered);
    BOOST_TEST_REQUIRE(admitted.has_value());
    BOOST_TEST(admitted->attempts == attempt);
    store.release(admitted->file_id);
  }
  BOOST_TEST(!admit_early(store, *early));
  BOOST_TEST(static_cast<int>(early->report.disposition) ==
             static_cast<int>(audit::Disposition::kPoison));
  BOOST_TEST(early->report.attempts == 3);
  BOOST_TEST(early->report.claims == 0);
  BOOST_TEST_REQUIRE(early->report.diagnostics.size() == 1u);
  BOOST_TEST(early->report.diagnostics.front().code == "E-INTERNAL");
  BOOST_TEST(early->report.batch_diagnostics.empty());
  BOOST_TEST(early->records.empty());
  BOOST_TEST(column(temp / "store.db", "SELECT fingerprint FROM claims").empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit
