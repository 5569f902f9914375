// store/review.hpp
//
// Review writes: a reviewer's status change on a finding, and waivers. Transitions are checked
// here, on the daemon side, against model::reviewer_may_change (DOMAIN.md 7.1), inside one
// IMMEDIATE transaction that reads the current status, updates the finding and appends the
// finding_events row, so two reviewers racing on one finding cannot both win. The trail is
// append-only (triggers in schemas/sql/0002_review.sql refuse UPDATE and DELETE).
//
// A Review owns its own read-write connection with a busy timeout: review writes are rare and
// small, and SQLite (WAL) serialises them with the store thread's batches. Not thread-safe:
// one Review per thread. Notes may contain PHI: they are stored, never logged.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "model/review.hpp"

namespace SQLite {  // NOLINT(readability-identifier-naming): SQLiteCpp's own namespace.
class Database;
}

namespace claimaudit::store {

struct ReviewOptions {
  // Reason codes a waiver may carry (`--reason`); empty list: any non-empty code is refused.
  // Default: the list in app/config's default.
  std::vector<std::string> reason_codes{"payer_policy", "clinical_judgement", "documentation",
                                        "contract_terms", "other"};
};

struct StatusChange {
  std::int64_t finding_id = 0;
  model::FindingStatus to = model::FindingStatus::kInReview;
  std::string note;
  std::string reason_code;
  std::string user;  // Unix user name of the caller (SO_PEERCRED).
  // When set, the change applies only if the finding still has this status (bulk review from
  // a listing the user confirmed).
  std::optional<model::FindingStatus> expected_from;
};

enum class ReviewRefusal {
  kNone,
  kNotFound,           // No finding with that id.
  kIllegalTransition,  // DOMAIN.md 7.1 does not allow it (or superseded, set by the daemon).
  kNoteRequired,       // waived / false_positive without a note.
  kUnknownReason,      // Reason code not in the configured list.
  kStale,              // expected_from no longer matches.
  kBadWaiver,          // A waiver field is missing or wrong.
};

struct ReviewOutcome {
  ReviewRefusal refusal = ReviewRefusal::kNone;
  std::string message;        // Why it was refused; empty on success.
  model::FindingEvent event;  // The row written, on success.
  model::Waiver waiver;       // The waiver written, on success of add_waiver.
  bool ok() const { return refusal == ReviewRefusal::kNone; }
};

class Review {
 public:
  // Opens `database` read-write (it must exist and carry the 0002 migration). Throws
  // SQLite::Exception if it cannot (a start-up failure).
  Review(const std::filesystem::path& database, ReviewOptions options);
  Review(const Review&) = delete;
  Review& operator=(const Review&) = delete;
  ~Review();

  // Applies one reviewer change. Refusals (bad input) are in the outcome; the Result's error
  // is the environment failing. `now` is the event time, UTC ISO 8601.
  core::Result<ReviewOutcome> change_status(const StatusChange& change, const std::string& now);

  // Records a waiver (id, created_at and created_by are filled here). Refused if the rule id,
  // value, owner or reason is empty, or the expiry is before `today`.
  core::Result<ReviewOutcome> add_waiver(model::Waiver waiver, const std::string& user,
                                         core::Date today, const std::string& now);

  const ReviewOptions& options() const { return options_; }

 private:
  std::unique_ptr<SQLite::Database> db_;
  ReviewOptions options_;
};

// The current time, UTC, "2026-11-26T15:04:05Z"; and today's UTC date.
std::string utc_now();
core::Date utc_today();

}  // namespace claimaudit::store
