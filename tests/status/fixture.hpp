// status/fixture.hpp
//
// A real SQLite database with the daemon's schema, filled with files, claims and findings the
// way the store records them, for the query, review and server tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "support/temp_dir.hpp"

namespace claimaudit::testing {

// Creates `path` with the 0001 schema (the daemon's migration if on main, else the stand-in)
// and schemas/sql/0002_review.sql.
inline void create_database(const std::filesystem::path& path) {
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode=WAL");
  const auto base = source_dir() / "tests/status/fixture_0001.sql";
  db.exec(read_file(base));
  db.exec(read_file(source_dir() / "schemas/sql/0002_review.sql"));
}

class Filler {
 public:
  explicit Filler(const std::filesystem::path& path) : db_(path.string(), SQLite::OPEN_READWRITE) {}

  std::int64_t file(const std::string& name) {
    SQLite::Statement insert(db_,
                             "INSERT INTO files (name, sha256, size, received_at, state, "
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
    SQLite::Statement insert(db_,
                             "INSERT INTO claims (file_id, position, claim_key, claim_id, kind, "
                             "payer_kind, frequency_code, billing_npi, service_from, service_to, "
                             "total_charge, diagnoses) VALUES (?, ?, ?, ?, ?, ?, '1', ?, ?, ?, "
                             "'125.00', 'M62830 W1849XA')");
    insert.bind(1, file_id);
    insert.bind(2, position_++);
    insert.bind(3, npi + "/" + claim_id);
    insert.bind(4, claim_id);
    insert.bind(5, kind);
    insert.bind(6, payer_kind);
    insert.bind(7, npi);
    insert.bind(8, service_from);
    insert.bind(9, service_from);
    insert.exec();
    return db_.getLastInsertRowid();
  }

  std::int64_t finding(std::int64_t claim_row, const std::string& rule_id,
                       const std::string& severity = "warning", const std::string& code = "M62830",
                       const std::string& mode = "enforce",
                       const std::string& message = "M62.830 has no external cause code") {
    SQLite::Statement insert(
        db_,
        "INSERT INTO findings (claim_row, rule_id, rule_version, rule_set_hash, severity, mode, "
        "status, fingerprint, code, diagnosis_seq, line_seq, location, message, evidence, "
        "predicts, code_edition, created_at, updated_at) VALUES (?, ?, '1', 'abc123', ?, ?, "
        "'open', ?, ?, 1, 0, 'ST 0001, segment 20 HI, HI01-2 (loop 2300)', ?, "
        "'{\"code\":\"M62.830\",\"source\":\"fy2025 order file\"}', 'CARC 16', 'fy2025', "
        "'2026-11-26T10:00:01Z', '2026-11-26T10:00:01Z')");
    insert.bind(1, claim_row);
    insert.bind(2, rule_id);
    insert.bind(3, severity);
    insert.bind(4, mode);
    insert.bind(5, "fp-" + std::to_string(++fingerprint_));
    insert.bind(6, code);
    insert.bind(7, message);
    insert.exec();
    return db_.getLastInsertRowid();
  }

  SQLite::Database& db() { return db_; }

 private:
  SQLite::Database db_;
  int position_ = 0;
  int fingerprint_ = 0;
};

}  // namespace claimaudit::testing
