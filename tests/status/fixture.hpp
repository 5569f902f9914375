// status/fixture.hpp
//
// A real SQLite database with the daemon's schema, filled with files, claims and findings the
// way the store records them, for the query, review and server tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::testing {

// Creates `path` the way the daemon does: store::Store applies every migration of
// schemas/sql/ (0001 from the daemon, 0002_review from the review work).
inline void create_database(const std::filesystem::path& path) { store::Store store(path); }

class Filler {
 public:
  explicit Filler(const std::filesystem::path& path) : db_(path.string(), SQLite::OPEN_READWRITE) {}

  std::int64_t file(const std::string& name) {
    SQLite::Statement insert(db_,
                             "INSERT INTO files (name, sha256, size, received, state, "
                             "attempts, outcome) VALUES (?, ?, 100, '2026-11-26T10:00:00Z', "
                             "'done', 1, 'archived')");
    insert.bind(1, name);
    insert.bind(2, "sha-" + name);
    insert.exec();
    return db_.getLastInsertRowid();
  }

  std::int64_t claim(std::int64_t file_id, const std::string& claim_id,
                     const std::string& payer_kind = "commercial",
                     const std::string& kind = "professional",
                     const std::string& service_from = "2024-08-15",
                     const std::string& npi = "1234567893") {
    SQLite::Statement insert(
        db_,
        "INSERT INTO claims (fingerprint, claim_key, billing_provider, claim_id, frequency, "
        "frequency_code, kind, use, payer_kind, service_from, service_to, file_id, position, "
        "claim_json, rule_set_hash, audited) VALUES (?, ?, ?, ?, 'original', '1', ?, 'claim', ?, "
        "?, ?, ?, ?, ?, 'abc123', '2026-11-26T10:00:01Z')");
    insert.bind(1, "claim-fp-" + std::to_string(file_id) + "-" + std::to_string(position_));
    insert.bind(2, npi + "|" + claim_id);
    insert.bind(3, npi);
    insert.bind(4, claim_id);
    insert.bind(5, kind);
    insert.bind(6, payer_kind);
    insert.bind(7, service_from);
    insert.bind(8, service_from);
    insert.bind(9, file_id);
    insert.bind(10, position_++);
    insert.bind(11, R"({"format":"claimaudit.claim/1","claim_id":")" + claim_id +
                        R"(","total_charge":"125.00","diagnoses":[{"seq":1,"code":"M62.830"},)"
                        R"({"seq":2,"code":"W18.49XA"}]})");
    insert.exec();
    const auto row = db_.getLastInsertRowid();
    file_of_[row] = file_id;
    return row;
  }

  std::int64_t finding(std::int64_t claim_row, const std::string& rule_id,
                       const std::string& severity = "warning", const std::string& code = "M62830",
                       const std::string& mode = "enforce",
                       const std::string& message = "M62.830 has no external cause code") {
    SQLite::Statement insert(
        db_,
        "INSERT INTO findings (claim_ref, file_id, rule_id, rule_version, rule_set_hash, severity, "
        "mode, status, fingerprint, code, diagnosis_seq, line_seq, location, message, evidence, "
        "predicts, code_edition, created, updated) VALUES (?, ?, ?, '1', 'abc123', ?, ?, "
        "'open', ?, ?, 1, 0, 'ST 0001, segment 20 HI, HI01-2 (loop 2300)', ?, "
        "'{\"code\":\"M62.830\",\"source\":\"fy2025 order file\"}', 'CARC 16', 'fy2025', "
        "'2026-11-26T10:00:01Z', '2026-11-26T10:00:01Z')");
    insert.bind(1, claim_row);
    insert.bind(2, file_of_.at(claim_row));
    insert.bind(3, rule_id);
    insert.bind(4, severity);
    insert.bind(5, mode);
    insert.bind(6, "fp-" + std::to_string(claim_row) + "-" + std::to_string(++fingerprint_));
    insert.bind(7, code);
    insert.bind(8, message);
    insert.exec();
    return db_.getLastInsertRowid();
  }

  SQLite::Database& db() { return db_; }

 private:
  SQLite::Database db_;
  int position_ = 0;
  int fingerprint_ = 0;
  std::map<std::int64_t, std::int64_t> file_of_;  // claim row -> file id
};

}  // namespace claimaudit::testing
