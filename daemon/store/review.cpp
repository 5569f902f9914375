#include "store/review.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "store/queries.hpp"

namespace claimaudit::store {
namespace {

core::ErrorCode to_error(const SQLite::Exception& error) {
  const int code = error.getExtendedErrorCode() > 0 ? error.getExtendedErrorCode() : SQLITE_ERROR;
  return core::ErrorCode(std::error_code(code, sqlite_category()));
}

ReviewOutcome refuse(ReviewRefusal refusal, std::string message) {
  ReviewOutcome outcome;
  outcome.refusal = refusal;
  outcome.message = std::move(message);
  return outcome;
}

}  // namespace

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

core::Date utc_today() {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return core::Date::from_days(static_cast<std::int32_t>(days.time_since_epoch().count()));
}

Review::Review(const std::filesystem::path& database, ReviewOptions options)
    : db_(std::make_unique<SQLite::Database>(database.string(), SQLite::OPEN_READWRITE, 5000)),
      options_(std::move(options)) {}

Review::~Review() = default;

core::Result<ReviewOutcome> Review::change_status(const StatusChange& change,
                                                  const std::string& now) {
  if (model::note_required(change.to) &&
      change.note.find_first_not_of(" \t\r\n") == std::string::npos) {
    return refuse(ReviewRefusal::kNoteRequired, std::string("a note is required to set ") +
                                                    std::string(model::to_string(change.to)));
  }
  if (!change.reason_code.empty()) {
    if (change.to != model::FindingStatus::kWaived) {
      return refuse(ReviewRefusal::kUnknownReason, "a reason code goes only with waived");
    }
    if (std::find(options_.reason_codes.begin(), options_.reason_codes.end(), change.reason_code) ==
        options_.reason_codes.end()) {
      return refuse(ReviewRefusal::kUnknownReason,
                    "unknown reason code '" + change.reason_code + "'");
    }
  }
  try {
    // IMMEDIATE: take the write lock before reading the status, so the check and the write
    // are one step for every other writer.
    db_->exec("BEGIN IMMEDIATE");
    try {
      SQLite::Statement read(*db_, "SELECT status, assignee FROM findings WHERE id = ?");
      read.bind(1, change.finding_id);
      if (!read.executeStep()) {
        db_->exec("ROLLBACK");
        return refuse(ReviewRefusal::kNotFound, "no finding " + std::to_string(change.finding_id));
      }
      const std::string current_word = read.getColumn(0).getString();
      const std::string assignee = read.getColumn(1).isNull() ? "" : read.getColumn(1).getString();
      read.reset();
      const auto current = model::parse_finding_status(current_word);
      if (!current) {
        db_->exec("ROLLBACK");
        return refuse(ReviewRefusal::kIllegalTransition,
                      "finding has an unknown status '" + current_word + "'");
      }
      if (change.expected_from && *change.expected_from != *current) {
        db_->exec("ROLLBACK");
        return refuse(ReviewRefusal::kStale,
                      "finding " + std::to_string(change.finding_id) + " is now " + current_word);
      }
      if (!model::reviewer_may_change(*current, change.to)) {
        db_->exec("ROLLBACK");
        return refuse(ReviewRefusal::kIllegalTransition,
                      "cannot change a finding from " + current_word + " to " +
                          std::string(model::to_string(change.to)));
      }
      // Taking a finding makes the caller its assignee; handing it back clears it; closing
      // and reopening keep the record of who worked it.
      std::string new_assignee = assignee;
      if (change.to == model::FindingStatus::kInReview) new_assignee = change.user;
      if (change.to == model::FindingStatus::kOpen) new_assignee.clear();
      SQLite::Statement update(*db_,
                               "UPDATE findings SET status = ?, assignee = ?, updated = ? "
                               "WHERE id = ?");
      update.bind(1, std::string(model::to_string(change.to)));
      update.bind(2, new_assignee);
      update.bind(3, now);
      update.bind(4, change.finding_id);
      update.exec();
      SQLite::Statement insert(*db_,
                               "INSERT INTO finding_events (finding_id, at, user, from_status, "
                               "to_status, note, reason_code) VALUES (?, ?, ?, ?, ?, ?, ?)");
      insert.bind(1, change.finding_id);
      insert.bind(2, now);
      insert.bind(3, change.user);
      insert.bind(4, current_word);
      insert.bind(5, std::string(model::to_string(change.to)));
      insert.bind(6, change.note);
      insert.bind(7, change.reason_code);
      insert.exec();
      ReviewOutcome outcome;
      outcome.event.id = db_->getLastInsertRowid();
      outcome.event.finding_id = change.finding_id;
      outcome.event.at = now;
      outcome.event.user = change.user;
      outcome.event.old_status = current;
      outcome.event.new_status = change.to;
      outcome.event.note = change.note;
      outcome.event.reason_code = change.reason_code;
      db_->exec("COMMIT");
      return outcome;
    } catch (...) {
      try {
        db_->exec("ROLLBACK");
      } catch (const SQLite::Exception&) {
        // The transaction is already gone (SQLite rolls back on some errors by itself).
      }
      throw;
    }
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<ReviewOutcome> Review::add_waiver(model::Waiver waiver, const std::string& user,
                                               core::Date today, const std::string& now) {
  if (waiver.rule_id.empty()) return refuse(ReviewRefusal::kBadWaiver, "a waiver needs a rule id");
  if (waiver.value.empty()) {
    return refuse(ReviewRefusal::kBadWaiver, "a waiver needs a value for its scope");
  }
  if (waiver.owner.empty()) return refuse(ReviewRefusal::kBadWaiver, "a waiver needs an owner");
  if (waiver.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return refuse(ReviewRefusal::kBadWaiver, "a waiver needs a reason");
  }
  if (waiver.expires < today) {
    return refuse(ReviewRefusal::kBadWaiver,
                  "the expiry date " + waiver.expires.iso() + " is in the past");
  }
  if (waiver.scope == model::WaiverScope::kPayerKind && !model::parse_payer_kind(waiver.value)) {
    return refuse(ReviewRefusal::kBadWaiver, "unknown payer kind '" + waiver.value + "'");
  }
  try {
    SQLite::Statement insert(*db_,
                             "INSERT INTO waivers (rule_id, scope, value, owner, reason, expires, "
                             "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, waiver.rule_id);
    insert.bind(2, std::string(model::to_string(waiver.scope)));
    insert.bind(3, waiver.value);
    insert.bind(4, waiver.owner);
    insert.bind(5, waiver.reason);
    insert.bind(6, waiver.expires.iso());
    insert.bind(7, user);
    insert.bind(8, now);
    insert.exec();
    waiver.id = db_->getLastInsertRowid();
    waiver.created_by = user;
    waiver.created_at = now;
    waiver.expired = false;
    ReviewOutcome outcome;
    outcome.waiver = std::move(waiver);
    return outcome;
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

}  // namespace claimaudit::store
