// store/queries.hpp
//
// The read-only query API the status socket serves from (STYLE.md 2.3: status -> store, for
// queries only). A Queries object owns one read-only SQLite connection to the daemon's
// database; the store thread stays the only writer of audit results. Not thread-safe: use one
// Queries per thread. Every method returns core::Result: an error is the environment failing
// (database locked beyond the busy timeout, file gone, schema missing), never bad input.
// Nothing returned here is PHI except review notes, which go only to callers with read access.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "model/review.hpp"

namespace SQLite {  // NOLINT(readability-identifier-naming): SQLiteCpp's own namespace.
class Database;
}

namespace claimaudit::store {

// The category of errors from SQLite (value: SQLite's extended result code).
const std::error_category& sqlite_category();

struct FindingPage {
  std::vector<model::FindingRecord> findings;
  std::int64_t next_after_id = 0;  // Cursor for the next page; 0 when this is the last page.
};

struct Totals {
  std::int64_t files = 0;
  std::int64_t files_archived = 0;
  std::int64_t files_quarantined = 0;
  std::int64_t files_in_progress = 0;
  std::int64_t claims = 0;
  std::int64_t findings = 0;
  std::int64_t findings_open = 0;  // open, in_review, reopened (enforce mode, not waived).
};

// One cell of `claimctl report`: findings grouped by rule, payer kind and month of service.
struct ReportRow {
  std::string rule_id;
  std::string payer_kind;
  std::string month;  // "2024-08"; empty when the claim has no date of service.
  std::string mode;   // "enforce" or "shadow".
  std::int64_t findings = 0;
  std::int64_t false_positive = 0;
  std::int64_t waived = 0;
  std::int64_t corrected = 0;
};

// Where a finding's claim can be read again: the archived copy of the file that first carried
// the claim, and the claim's identity in it (for recomputing the explanation trace).
struct FindingSource {
  std::string stored_path;  // Relative to the state dir ("archive/2026-11-26/x.837"); may be "".
  std::string file_name;    // As recorded.
  std::string drop_dir;     // Drop directory name (config): its read defaults apply.
  std::string file_sha256;  // Of the file's bytes.
  std::string claim_fingerprint;
  std::int64_t position = 0;  // 0-based index of the claim in the file.
};

class Queries {
 public:
  // Opens `database` read-only with a busy timeout. Throws SQLite::Exception if it cannot be
  // opened (a start-up failure).
  explicit Queries(const std::filesystem::path& database);
  Queries(const Queries&) = delete;
  Queries& operator=(const Queries&) = delete;
  ~Queries();

  // One page of findings matching `filter`, ordered by id, and the cursor of the next page.
  // `today` decides which waivers are still active.
  core::Result<FindingPage> findings(const model::FindingFilter& filter, core::Date today);
  // The same rows handed to `visit` one at a time, without holding them all (an export of every
  // finding); returns the next page's cursor (0 when this is the last page).
  core::Result<std::int64_t> each_finding(
      const model::FindingFilter& filter, core::Date today,
      const std::function<void(const model::FindingRecord&)>& visit);
  // One finding with its claim context; nullopt if no such id.
  core::Result<std::optional<model::FindingRecord>> finding(std::int64_t id, core::Date today);
  // The file and claim a finding came from; nullopt if no such id.
  core::Result<std::optional<FindingSource>> finding_source(std::int64_t id);
  // The audit trail of a finding, oldest first.
  core::Result<std::vector<model::FindingEvent>> events(std::int64_t finding_id);
  // Claims with this CLM01 (a claim id can recur across files and providers), newest first.
  core::Result<std::vector<model::ClaimRecord>> claims(const std::string& claim_id);
  // One claim by its row id; nullopt if none.
  core::Result<std::optional<model::ClaimRecord>> claim_by_row(std::int64_t claim_row);
  // The findings of one claim row.
  core::Result<std::vector<model::FindingRecord>> claim_findings(std::int64_t claim_row,
                                                                 core::Date today);
  // Per-rule counts over every finding on record, by rule id.
  core::Result<std::vector<model::RuleCounts>> rule_counts(core::Date today);
  // Every waiver, newest first, with `expired` set against `today`.
  core::Result<std::vector<model::Waiver>> waivers(core::Date today);
  core::Result<Totals> totals(core::Date today);
  // Findings on record by rule id and severity (for /v1/metrics), ordered.
  struct FindingCount {
    std::string rule_id;
    std::string severity;
    std::int64_t count = 0;
  };
  core::Result<std::vector<FindingCount>> finding_counts();
  core::Result<std::vector<ReportRow>> report();

 private:
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace claimaudit::store
