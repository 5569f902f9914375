#include "store/store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <set>
#include <stdexcept>
#include <utility>

#include <SQLiteCpp/SQLiteCpp.h>
#include <spdlog/spdlog.h>

#include "core/log_safe.hpp"
#include "core/sha256.hpp"
#include "store/claim_json_codec.hpp"
#include "store/json_text.hpp"
#include "store/migrations.hpp"

namespace claimaudit::store {
namespace {

// SQLite result codes as boost::system errors, so failures travel in core::Result.
// (error_category's destructor is protected and non-virtual by design.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class SqliteCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "sqlite"; }
  std::string message(int code) const override { return sqlite3_errstr(code); }
};
#pragma GCC diagnostic pop

const SqliteCategory& sqlite_category() {
  static const SqliteCategory kCategory;
  return kCategory;
}

core::ErrorCode to_error(const SQLite::Exception& error) {
  const int code = error.getExtendedErrorCode() != -1 ? error.getExtendedErrorCode() : SQLITE_ERROR;
  return core::ErrorCode(code == 0 ? SQLITE_ERROR : code, sqlite_category());
}

std::string_view to_word(model::Frequency frequency) { return model::to_string(frequency); }

void bind_text(SQLite::Statement& statement, int index, std::string_view text) {
  statement.bind(index, std::string(text));  // The (void*, size) overload would bind a blob.
}

// Binds a string that outlives the statement's next step (the batch's own strings) without
// SQLite copying it.
void bind_view(SQLite::Statement& statement, int index, const std::string& text) {
  statement.bindNoCopy(index, text);
}

const std::string kEmptyText;
const std::string kEmptyObject = "{}";
const std::string kEmptyArray = "[]";

// A prepared statement driven through SQLite's C API, for the statements run once per claim or
// per finding (the two INSERTs, the probe for an earlier copy of a claim key): text is bound from
// the caller's bytes without a copy (SQLITE_STATIC; the bytes outlive the step, as the batch's
// strings and the literal words of model::to_string do), including words and dates that SQLiteCpp
// would copy into a std::string and then into SQLite, and every parameter is bound before each
// step, so nothing is cleared after it. A failed step or bind throws SQLite::Exception with the
// connection's message, as SQLiteCpp does.
class FastStatement {
 public:
  FastStatement(SQLite::Database& database, const char* sql) : db_(database.getHandle()) {
    const int result =
        sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement_, nullptr);
    if (result != SQLITE_OK) throw SQLite::Exception(db_, result);
  }
  FastStatement(const FastStatement&) = delete;
  FastStatement& operator=(const FastStatement&) = delete;
  ~FastStatement() { sqlite3_finalize(statement_); }

  void text(int index, std::string_view value) {
    // A null pointer would bind NULL: an empty view may have one.
    const char* bytes = value.data() != nullptr ? value.data() : "";
    check(
        sqlite3_bind_text(statement_, index, bytes, static_cast<int>(value.size()), SQLITE_STATIC));
  }
  // As text(), but skipped when the text bound at `index` by the last text_kept() equals
  // `value`: the bytes bound then stay bound, so they must still be alive at each step until
  // forget_kept() (a batch's own strings and literals, for a batch's rows). For the parameters
  // whose value repeats from row to row (a transaction set's envelope, the claim's words).
  void text_kept(int index, std::string_view value) {
    const auto slot = static_cast<std::size_t>(index);
    if (slot >= kept_.size()) kept_.resize(slot + 1);
    std::optional<std::string_view>& kept = kept_[slot];
    if (kept && *kept == value) return;
    kept.reset();
    text(index, value);
    kept = value;
  }
  // Every parameter bound by text_kept() is bound afresh at its next call.
  void forget_kept() { kept_.clear(); }
  void integer(int index, std::int64_t value) {
    check(sqlite3_bind_int64(statement_, index, value));
  }
  void null(int index) { check(sqlite3_bind_null(statement_, index)); }
  void blob(int index, std::string_view bytes) {
    check(sqlite3_bind_blob(statement_, index, bytes.data(), static_cast<int>(bytes.size()),
                            SQLITE_STATIC));
  }
  // Runs it (an INSERT: no row) and resets it; returns the rows it changed (0: ignored).
  int run() {
    const int result = sqlite3_step(statement_);
    if (result != SQLITE_DONE) {
      const SQLite::Exception error(db_, result);
      sqlite3_reset(statement_);
      throw error;
    }
    sqlite3_reset(statement_);
    return sqlite3_changes(db_);
  }
  // Runs it (a query) and resets it; true if it gave a row.
  bool any_row() {
    const int result = sqlite3_step(statement_);
    sqlite3_reset(statement_);
    if (result == SQLITE_ROW) return true;
    if (result != SQLITE_DONE) throw SQLite::Exception(db_, result);
    return false;
  }
  // Runs it (a query of one text column) and resets it; the first row's value, or nothing when
  // there is no row or the value is NULL.
  std::optional<std::string> text_value() {
    const int result = sqlite3_step(statement_);
    std::optional<std::string> value;
    if (result == SQLITE_ROW && sqlite3_column_type(statement_, 0) != SQLITE_NULL) {
      const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(statement_, 0));
      value.emplace(bytes != nullptr ? bytes : "",
                    static_cast<std::size_t>(sqlite3_column_bytes(statement_, 0)));
    }
    sqlite3_reset(statement_);
    if (result != SQLITE_ROW && result != SQLITE_DONE) throw SQLite::Exception(db_, result);
    return value;
  }
  // After a bind or step that threw: the next use starts from a reset statement.
  void reset() { sqlite3_reset(statement_); }

 private:
  void check(int result) {
    if (result != SQLITE_OK) throw SQLite::Exception(db_, result);
  }
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
  std::vector<std::optional<std::string_view>> kept_;  // By parameter index (text_kept).
};

// Rolls back a transaction begun by hand unless commit() ran; SQLiteCpp's Transaction cannot
// be handed to a Group, so Store keeps its own.
void exec_quietly(SQLite::Database& database, const char* sql) {
  try {
    database.exec(sql);
  } catch (const SQLite::Exception& error) {
    spdlog::warn("store: {} failed: {}", sql, error.what());
  }
}

}  // namespace

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kArchived:
      return "archived";
    case Outcome::kQuarantined:
      return "quarantined";
    case Outcome::kDuplicate:
      return "duplicate";
  }
  return "archived";
}

std::string now_utc_iso() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>(millis));
  return text;
}

namespace {

// Finding rows inserted by one statement, at most. A multi-row INSERT opens the table's and its
// three indexes' cursors, checks its constraints' set-up and ends (sqlite3VdbeHalt: closing the
// cursors, freeing what the run allocated) once for all its rows instead of once a row. It also
// runs in a statement journal (SQLite's rule for a multi-row INSERT into a table with immediate
// foreign keys) that copies each page it changes, so more rows are not always cheaper: store
// instructions a claim 73.3k at 8 rows, 67.1k at 32, 66.5k at 64, 68.2k at 128 (72.6k one row a
// statement; docs/benchmarks.md, Daemon, session 11).
constexpr std::size_t kFindingRows = 64;
// Queued rows go in by statements of a power of two rows (64, then 32, 16 ... for the rest), so
// at most seven statements are ever prepared: a prepared INSERT of n rows holds a program of
// about 3.5 KB a row, and one statement for every row count from 1 to 64 added 7 MiB to the
// daemon's peak RSS.
static_assert((kFindingRows & (kFindingRows - 1)) == 0, "a power of two");
// Parameters a finding row binds in the multi-row INSERT (after the two shared ones).
constexpr int kFindingParameters = 16;

// INSERT OR IGNORE of `rows` finding rows. ?1 is the file id and ?2 the time (created and
// updated), shared by every row; row r (from 0) binds ?(3 + 16r) to ?(18 + 16r): fingerprint,
// claim_ref, rule_id, rule_version, rule_set_hash, severity, mode, code, diagnosis_seq, line_seq,
// location, message, evidence, predicts, code_edition, engine_version. Rows are inserted in
// order, each as a one-row INSERT OR IGNORE would insert it (a row whose fingerprint is
// recorded, by an earlier row of the same statement too, is skipped).
std::string findings_insert_sql(std::size_t rows) {
  std::string sql =
      "INSERT OR IGNORE INTO findings (fingerprint, claim_ref, file_id, rule_id, rule_version, "
      "rule_set_hash, severity, mode, code, diagnosis_seq, line_seq, location, message, evidence, "
      "predicts, status, created, updated, code_edition, engine_version) VALUES ";
  for (std::size_t row = 0; row < rows; ++row) {
    const auto base = 3 + static_cast<int>(row) * kFindingParameters;
    const auto parameter = [&sql, base](int offset) {
      sql += '?';
      sql += std::to_string(base + offset);
    };
    sql += row == 0 ? "(" : ", (";
    parameter(0);
    sql += ", ";
    parameter(1);
    sql += ", ?1";
    for (int offset = 2; offset <= 13; ++offset) {
      sql += ", ";
      parameter(offset);
    }
    sql += ", 'open', ?2, ?2, ";
    parameter(14);
    sql += ", ";
    parameter(15);
    sql += ')';
  }
  return sql;
}

}  // namespace

struct Store::Statements {
  explicit Statements(SQLite::Database& db)
      : find_done(db,
                  "SELECT id, outcome FROM files WHERE sha256 = ? AND state = 'done' "
                  "ORDER BY (outcome = 'duplicate'), (outcome = 'quarantined'), id LIMIT 1"),
        find_in_progress(db,
                         "SELECT id, attempts, interruptions FROM files WHERE sha256 = ? AND "
                         "state = 'in_progress' ORDER BY id"),
        insert_file(db,
                    "INSERT INTO files (name, drop_dir, sha256, size, received, state, attempts, "
                    "outcome, duplicate_of, finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        bump_attempts(db, "UPDATE files SET attempts = attempts + 1 WHERE id = ?"),
        unbump_attempts(db,
                        "UPDATE files SET attempts = attempts - 1 WHERE id = ? AND attempts > 0 "
                        "AND state = 'in_progress'"),
        insert_claim(db,
                     "INSERT OR IGNORE INTO claims (fingerprint, claim_key, billing_provider, "
                     "claim_id, frequency, frequency_code, replaces, kind, use, payer_kind, "
                     "filing_indicator, payer_id, service_from, service_to, file_id, position, "
                     "interchange_control, group_control, transaction_control, claim_json, "
                     "diagnostics, rule_set_hash, findings, audited, claim_json_zstd) VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                     "?)"),
        earlier_open(db,
                     "SELECT f.id, f.status, f.rule_id, f.code FROM findings f JOIN claims c ON "
                     "c.id = f.claim_ref WHERE c.claim_key = ? AND c.id < ? AND f.status IN "
                     "('open', 'in_review', 'reopened') ORDER BY f.id"),
        close_finding(db, "UPDATE findings SET status = ?, updated = ? WHERE id = ?"),
        first_copy(db,
                   "SELECT c.id, c.file_id, c.position, f.name FROM claims c JOIN files f ON "
                   "f.id = c.file_id WHERE c.claim_key = ? AND c.fingerprint = ?"),
        // The probe that spares earlier_original (three cursors and an aggregate) for a
        // claim key seen for the first time, the usual case: the claims_identity index alone
        // (claim_key, and its rowid for id) answers it.
        earlier_key(db, "SELECT 1 FROM claims WHERE claim_key = ? AND id < ? LIMIT 1"),
        // The last entry of claims_identity (SQLite's min/max optimisation: one descent).
        largest_key(db, "SELECT max(claim_key) FROM claims"),
        earlier_original(db,
                         // min(): the first such claim without sorting (the bare columns
                         // come from its row); one row, NULL when there is none.
                         "SELECT min(c.id), c.position, f.name FROM claims c JOIN files f ON "
                         "f.id = c.file_id WHERE c.claim_key = ? AND c.id < ? AND c.file_id != "
                         "? AND c.frequency = 'original'"),
        insert_event(db,
                     "INSERT INTO finding_events (finding_id, at, user, from_status, to_status, "
                     "note, reason_code, related_claim) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)"),
        append_file_diagnostics(
            db,
            "UPDATE files SET diagnostics = CASE WHEN diagnostics = '[]' THEN ?1 WHEN ?1 = '[]' "
            "THEN diagnostics ELSE substr(diagnostics, 1, length(diagnostics) - 1) || ',' || "
            "substr(?1, 2) END WHERE id = ?2"),
        // The counts are kept by record_batch (add_counts; migration 0008).
        finish_file(db,
                    "UPDATE files SET state = 'done', outcome = ?, format = ?, rule_set_hash = ?, "
                    "stored_path = ?, finished = ? WHERE id = ? RETURNING claims, findings"),
        add_counts(db,
                   "UPDATE files SET claims = claims + ?, findings = findings + ? WHERE id = ?"),
        set_stored_path(db, "UPDATE files SET stored_path = ? WHERE id = ?"),
        insert_rule_load(db,
                         "INSERT INTO rule_loads (at, ok, rule_set_hash, rule_count, "
                         "diagnostics) VALUES (?, ?, ?, ?, ?)"),
        db_(db) {}

  // The INSERT of `rows` finding rows (a power of two up to kFindingRows), prepared when first
  // asked for.
  FastStatement& insert_findings(std::size_t rows) {
    std::unique_ptr<FastStatement>& statement = insert_findings_[rows - 1];
    if (!statement) {
      statement = std::make_unique<FastStatement>(db_, findings_insert_sql(rows).c_str());
    }
    return *statement;
  }

  SQLite::Statement find_done;
  SQLite::Statement find_in_progress;
  SQLite::Statement insert_file;
  SQLite::Statement bump_attempts;
  SQLite::Statement unbump_attempts;
  FastStatement insert_claim;
  SQLite::Statement earlier_open;
  SQLite::Statement close_finding;
  SQLite::Statement first_copy;
  FastStatement earlier_key;
  FastStatement largest_key;
  SQLite::Statement earlier_original;
  SQLite::Statement insert_event;
  SQLite::Statement append_file_diagnostics;
  SQLite::Statement finish_file;
  FastStatement add_counts;
  SQLite::Statement set_stored_path;
  SQLite::Statement insert_rule_load;

 private:
  SQLite::Database& db_;
  std::array<std::unique_ptr<FastStatement>, kFindingRows> insert_findings_;
};

namespace {

// Resets a cached statement when the scope ends, whatever happened.
class Using {
 public:
  explicit Using(SQLite::Statement& statement) : statement_(statement) {}
  Using(const Using&) = delete;
  Using& operator=(const Using&) = delete;
  ~Using() {
    statement_.tryReset();
    statement_.clearBindings();
  }
  SQLite::Statement* operator->() { return &statement_; }
  SQLite::Statement& operator*() { return statement_; }

 private:
  SQLite::Statement& statement_;
};

// The file done with these bytes, if any: its id and state ("archived", "quarantined").
std::optional<std::pair<FileId, std::string>> find_done_file(SQLite::Statement& statement,
                                                             const std::string& sha256) {
  Using find(statement);
  find->bind(1, sha256);
  if (!find->executeStep()) return std::nullopt;
  return std::make_pair(find->getColumn(0).getInt64(), find->getColumn(1).getString());
}

// A row of these bytes still in progress and not being audited (left by a crash).
struct InProgress {
  FileId id = 0;
  int attempts = 0;
  int interruptions = 0;
};

// The rows of these bytes in progress: one being audited right now (in `active`) makes the
// newcomer its duplicate (`done` names it, unless it names an archived file already); the first
// other one is returned.
std::optional<InProgress> find_in_progress_file(
    SQLite::Statement& statement, const std::string& sha256, const std::set<FileId>& active,
    std::optional<std::pair<FileId, std::string>>& done) {
  std::optional<InProgress> in_progress;
  Using find(statement);
  find->bind(1, sha256);
  while (find->executeStep()) {
    const FileId id = find->getColumn(0).getInt64();
    if (active.contains(id)) {
      if (!done || done->second == "quarantined") done.emplace(id, "archived");
    } else if (!in_progress) {
      in_progress = InProgress{id, find->getColumn(1).getInt(), find->getColumn(2).getInt()};
    }
  }
  return in_progress;
}

// One new files row; `outcome` null and `duplicate_of` 0 leave their columns NULL.
struct FileRow {
  const IncomingFile& file;
  const std::string& now;
  std::string_view state;
  int attempts = 0;
  const char* outcome = nullptr;
  FileId duplicate_of = 0;
};

FileId insert_file_row(SQLite::Statement& statement, SQLite::Database& database,
                       const FileRow& row) {
  Using insert(statement);
  insert->bind(1, row.file.name);
  insert->bind(2, row.file.drop_dir);
  insert->bind(3, row.file.sha256);
  insert->bind(4, row.file.size);
  insert->bind(5, row.now);
  bind_text(*insert, 6, row.state);
  insert->bind(7, row.attempts);
  if (row.outcome != nullptr) {
    insert->bind(8, row.outcome);
  } else {
    insert->bind(8);
  }
  if (row.duplicate_of != 0) {
    insert->bind(9, row.duplicate_of);
    insert->bind(10, row.now);
  } else {
    insert->bind(9);
    insert->bind(10);
  }
  insert->exec();
  return database.getLastInsertRowid();
}

void create_private_file(const std::filesystem::path& path) {
  // O_EXCL: only the creator sets the mode; fchmod because the umask may have removed bits.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) {
    if (errno == EEXIST) return;
    throw std::runtime_error("cannot create database " + path.string() + ": " +
                             std::strerror(errno));
  }
  ::fchmod(fd, 0640);
  ::close(fd);
}

// Migrations run with foreign keys off: SQLite changes a table's constraints by rebuilding it
// (new table, rows copied, old one dropped, new one renamed), which enforcement would refuse
// half-way. Each migration checks every foreign key before its commit instead.
void apply_migrations(SQLite::Database& database, const std::filesystem::path& path) {
  const int current = database.execAndGet("PRAGMA user_version").getInt();
  const auto all = migrations();
  const int newest = all.empty() ? 0 : all.back().version;
  if (current > newest) {
    throw std::runtime_error("database " + path.string() + " has schema version " +
                             std::to_string(current) + ", newer than this claimauditd (" +
                             std::to_string(newest) + ")");
  }
  for (const Migration& migration : all) {
    if (migration.version <= current) continue;
    SQLite::Transaction transaction(database, SQLite::TransactionBehavior::IMMEDIATE);
    database.exec(std::string(migration.sql));
    SQLite::Statement check(database, "PRAGMA foreign_key_check");
    if (check.executeStep()) {
      throw std::runtime_error("migration " + std::string(migration.name) + " of " + path.string() +
                               " leaves a broken reference in table " +
                               check.getColumn(0).getString());
    }
    SQLite::Statement record(database,
                             "INSERT INTO schema_migrations (version, name, applied) "
                             "VALUES (?, ?, ?)");
    record.bind(1, migration.version);
    bind_text(record, 2, migration.name);
    record.bind(3, now_utc_iso());
    record.exec();
    database.exec("PRAGMA user_version = " + std::to_string(migration.version));
    transaction.commit();
    spdlog::info("store: applied migration {} to {}", migration.name, path.string());
  }
}

// SQLite counts every allocation for sqlite3_memory_used() under a process-wide mutex: 6% of
// the store thread's time (perf, docs/benchmarks.md session 5), and nothing here reads the
// counts. It can only be turned off before SQLite initialises (the first connection opened in
// the process, normally this one); later it is a no-op (SQLITE_MISUSE, ignored).
void turn_off_memory_statistics() {
  static const int kOnce = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kOnce;
}

}  // namespace

Store::Store(const std::filesystem::path& path, int cache_kib) {
  turn_off_memory_statistics();
  try {
    create_private_file(path);
    database_ = std::make_unique<SQLite::Database>(
        path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
    database_->setBusyTimeout(5000);
    database_->exec("PRAGMA journal_mode = WAL");
    database_->exec("PRAGMA synchronous = FULL");
    // Each call inside a group is a savepoint, and SQLite journals the pages a savepoint
    // changes that earlier ones in the transaction had already written (the tables' last
    // leaves, the fingerprint indexes' pages) so that it can roll back to it. By default that
    // statement journal is a temporary file: one pwrite per page, more than the WAL itself on a
    // group of many batches. In memory it lives one call (a few hundred KiB) and costs none.
    database_->exec("PRAGMA temp_store = MEMORY");
    // SQLite's page cache counts in the daemon's RSS (issue 6: <= 96 MiB while auditing the
    // 100k-claim file, code history included), hence the daemon's default of 8 MiB
    // (store_cache_mib): it holds the indexes' hot pages, but not a 5,000-claim group (about
    // 3 KiB a claim with its findings), which then spills finished pages to the WAL before its
    // commit and reads some back. 32 MiB holds such a group (docs/benchmarks.md, Daemon).
    database_->exec("PRAGMA cache_size = -" + std::to_string(std::max(cache_kib, 64)));
    database_->exec("PRAGMA foreign_keys = OFF");
    apply_migrations(*database_, path);
    database_->exec("PRAGMA foreign_keys = ON");
    statements_ = std::make_unique<Statements>(*database_);
    const auto dictionaries = read_claim_json_dictionaries(*database_);
    if (dictionaries.empty())
      throw std::runtime_error("no claim JSON dictionary after the migrations");
    // The workers compress with the newest (publish_claim_json_dictionary), as this store does.
    workers_frames_ok_ = publish_claim_json_dictionary(dictionaries.rbegin()->second);
    if (!workers_frames_ok_) {
      if (auto published = published_claim_json_dictionary()) {
        workers_codec_ = std::make_unique<ClaimJsonCodec>(*published);
      }
    }
    claim_json_codec_ = std::make_unique<ClaimJsonCodec>(dictionaries);
  } catch (const SQLite::Exception& error) {
    throw std::runtime_error("cannot open database " + path.string() + ": " + error.what());
  }
}

Store::~Store() = default;

SQLite::Database& Store::database() { return *database_; }

void Store::hand_off_checkpoints(std::function<void()> nudge, int nudge_frames, int inline_frames) {
  nudge_ = std::move(nudge);
  nudge_frames_ = nudge_frames;
  inline_frames_ = inline_frames;
  // Replaces SQLite's automatic checkpoint (itself a WAL hook).
  sqlite3_wal_hook(
      database_->getHandle(),
      [](void* context, sqlite3* db, const char* name, int frames) -> int {
        Store& store = *static_cast<Store*>(context);
        if (frames >= store.inline_frames_) {
          sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        } else if (frames >= store.nudge_frames_ && store.nudge_) {
          store.nudge_();
        }
        return SQLITE_OK;
      },
      this);
}

int Store::schema_version() const { return database_->execAndGet("PRAGMA user_version").getInt(); }

core::Result<void> Store::begin() {
  try {
    // Inside a Group each call is a savepoint, so a failed call leaves no half batch behind.
    database_->exec(in_group_ ? "SAVEPOINT call" : "BEGIN IMMEDIATE");
    return {};
  } catch (const SQLite::Exception& error) {
    spdlog::error("store: BEGIN failed: {}", error.what());
    return to_error(error);
  }
}

core::Result<void> Store::commit() {
  try {
    database_->exec(in_group_ ? "RELEASE call" : "COMMIT");
    return {};
  } catch (const SQLite::Exception& error) {
    spdlog::error("store: COMMIT failed: {}", error.what());
    rollback();
    return to_error(error);
  }
}

void Store::rollback() {
  if (in_group_) {
    exec_quietly(*database_, "ROLLBACK TO call");
    exec_quietly(*database_, "RELEASE call");
  } else if (sqlite3_get_autocommit(database_->getHandle()) == 0) {
    exec_quietly(*database_, "ROLLBACK");
  }
}

Store::Group::Group(Store& store) : store_(store) {
  assert(!store_.in_group_);
  try {
    store_.database_->exec("BEGIN IMMEDIATE");
    store_.in_group_ = true;
    open_ = true;
  } catch (const SQLite::Exception& error) {
    spdlog::error("store: BEGIN failed: {}", error.what());
  }
}

Store::Group::~Group() {
  if (!open_) return;
  store_.in_group_ = false;
  exec_quietly(*store_.database_, "ROLLBACK");
}

core::Result<void> Store::Group::commit() {
  if (!open_) return core::ErrorCode(SQLITE_ERROR, sqlite_category());
  open_ = false;
  store_.in_group_ = false;
  try {
    store_.database_->exec("COMMIT");
    return {};
  } catch (const SQLite::Exception& error) {
    spdlog::error("store: COMMIT failed: {}", error.what());
    exec_quietly(*store_.database_, "ROLLBACK");
    return to_error(error);
  }
}

core::Result<Admitted> Store::admit(const IncomingFile& file, Arrival arrival) {
  if (auto began = begin(); !began) return began.error();
  try {
    Admitted admitted;
    const std::string now = now_utc_iso();
    std::optional<std::pair<FileId, std::string>> done =
        find_done_file(statements_->find_done, file.sha256);
    const std::optional<InProgress> in_progress =
        find_in_progress_file(statements_->find_in_progress, file.sha256, active_, done);
    auto insert_file = [&](std::string_view state, int attempts, const char* outcome,
                           FileId duplicate_of) {
      return insert_file_row(statements_->insert_file, *database_,
                             FileRow{file, now, state, attempts, outcome, duplicate_of});
    };

    // Quarantined bytes are audited again when dropped again: nothing of them was recorded (a
    // file is quarantined only when nothing in it could be audited), so a second audit cannot
    // double anything, and a file quarantined as an internal error, or before an upgrade, gets
    // another chance. Found in processing/ after a crash, such a re-drop (its own row in
    // progress) is audited again too; without one, the quarantined file's move is finished.
    const bool earlier_quarantined = done && done->second == "quarantined";
    if (done && arrival != Arrival::kFresh && !active_.contains(done->first) &&
        !(earlier_quarantined && in_progress)) {
      admitted.admission = Admission::kFinished;
      admitted.file_id = done->first;
      admitted.earlier = done->first;
      admitted.outcome = done->second == "quarantined" ? Outcome::kQuarantined : Outcome::kArchived;
    } else if (done && !earlier_quarantined) {
      admitted.admission = Admission::kDuplicate;
      admitted.earlier = done->first;
      admitted.file_id = insert_file("done", 0, "duplicate", done->first);
      admitted.outcome = Outcome::kDuplicate;
    } else if (in_progress) {
      admitted.file_id = in_progress->id;
      admitted.attempts = in_progress->attempts + (arrival == Arrival::kRetried ? 0 : 1);
      admitted.interruptions = in_progress->interruptions;
      if (arrival != Arrival::kRetried) {
        Using bump(statements_->bump_attempts);
        bump->bind(1, admitted.file_id);
        bump->exec();
      }
      admitted.admission =
          admitted.attempts > kMaxAttempts || admitted.interruptions >= kMaxInterruptions
              ? Admission::kPoison
              : Admission::kAudit;
    } else {
      admitted.file_id = insert_file("in_progress", 1, nullptr, 0);
      admitted.attempts = 1;
      admitted.admission = Admission::kAudit;
    }
    if (auto committed = commit(); !committed) return committed.error();
    if (admitted.admission == Admission::kAudit || admitted.admission == Admission::kPoison) {
      active_.insert(admitted.file_id);
    }
    return admitted;
  } catch (const SQLite::Exception& error) {
    spdlog::error("store: admitting file {} failed: {}", core::log_safe(file.name), error.what());
    rollback();
    return to_error(error);
  }
}

int Store::close_earlier(std::int64_t claim_row, const ClaimRecord& claim, const std::string& now) {
  struct Open {
    std::int64_t id;
    std::string status;
    std::string rule_id;
    std::string code;
  };
  std::vector<Open> open;
  {
    Using select(statements_->earlier_open);
    select->bind(1, claim.claim_key);
    select->bind(2, claim_row);
    while (select->executeStep()) {
      open.push_back({select->getColumn(0).getInt64(), select->getColumn(1).getString(),
                      select->getColumn(2).getString(), select->getColumn(3).getString()});
    }
  }
  if (open.empty()) return 0;
  std::set<std::pair<std::string_view, std::string_view>> still_found;
  for (const model::Finding& finding : claim.findings) {
    still_found.emplace(finding.rule_id, finding.code);
  }
  const bool is_void = claim.frequency == model::Frequency::kVoid;
  std::string note = is_void ? "voided by claim " : "replaced by claim ";
  note += claim.claim_key;
  note += " (frequency " + claim.frequency_code + ")";
  for (const Open& finding : open) {
    const bool persists = still_found.contains({finding.rule_id, finding.code});
    const char* status = (is_void || persists) ? "superseded" : "corrected";
    {
      Using update(statements_->close_finding);
      update->bind(1, status);
      update->bind(2, now);
      update->bind(3, finding.id);
      update->exec();
    }
    Using event(statements_->insert_event);
    event->bind(1, finding.id);
    event->bind(2, now);
    bind_text(*event, 3, kDaemonUser);
    event->bind(4, finding.status);
    event->bind(5, status);
    event->bind(6, note);
    event->bind(7, claim_row);
    event->exec();
  }
  return static_cast<int>(open.size());
}

void Store::insert_finding(std::int64_t claim_row, const BatchRecord& batch,
                           const model::Finding& finding, const std::string& now,
                           BatchCounts& counts) {
  queued_findings_.emplace_back(claim_row, &finding);
  if (queued_findings_.size() >= kFindingRows) flush_findings(batch, now, counts);
}

void Store::flush_findings(const BatchRecord& batch, const std::string& now, BatchCounts& counts) {
  try {
    std::size_t first = 0;
    while (first < queued_findings_.size()) {
      std::size_t rows = kFindingRows;
      while (rows > queued_findings_.size() - first) rows /= 2;
      insert_findings(first, rows, batch, now, counts);
      first += rows;
    }
  } catch (const SQLite::Exception&) {
    queued_findings_.clear();
    throw;
  }
  queued_findings_.clear();
}

void Store::insert_findings(std::size_t first, std::size_t rows, const BatchRecord& batch,
                            const std::string& now, BatchCounts& counts) {
  FastStatement& insert = statements_->insert_findings(rows);
  // Every string bound outlives the step: the batch's, the findings', `now`, literals.
  try {
    insert.integer(1, batch.file_id);
    insert.text(2, now);
    for (std::size_t row = 0; row < rows; ++row) {
      const auto& [claim_row, finding] = queued_findings_[first + row];
      const int base = 3 + static_cast<int>(row) * kFindingParameters;
      insert.text(base, finding->fingerprint);
      insert.integer(base + 1, claim_row);
      insert.text(base + 2, finding->rule_id);
      insert.text(base + 3, finding->provenance.rule_version);
      // An empty rule-set hash is the batch's.
      const std::string& hash = finding->provenance.rule_set_hash;
      insert.text(base + 4, hash.empty() ? batch.rule_set_hash : hash);
      insert.text(base + 5, model::to_string(finding->severity));
      insert.text(base + 6, model::to_string(finding->mode));
      insert.text(base + 7, finding->code);
      insert.integer(base + 8, finding->diagnosis_seq);
      insert.integer(base + 9, finding->line_seq);
      insert.text(base + 10, finding->location);
      insert.text(base + 11, finding->message);
      insert.text(base + 12,
                  finding->evidence_json.empty() ? kEmptyObject : finding->evidence_json);
      insert.text(base + 13, finding->predicts);
      insert.text(base + 14, finding->provenance.code_edition);
      insert.text(base + 15, finding->provenance.engine_version);
    }
  } catch (const SQLite::Exception&) {
    insert.reset();
    throw;
  }
  const int added = insert.run();
  counts.findings_added += added;
  counts.findings_known += static_cast<int>(rows) - added;
}

namespace {

// DOMAIN.md 8.2 `claim.duplicate`, across files: an original claim whose claim key was already
// audited from another file (the same claim sent again, or another claim reusing its number).
// The in-batch half is audit::process_file's. Keyed by the claim and this file's row, so a
// re-audit of this file after a crash finds it again instead of adding a second one.
model::Finding resent_finding(const ClaimRecord& claim, const BatchRecord& batch,
                              const std::string& first_file, std::int64_t first_position,
                              bool same_claim) {
  model::Finding finding;
  finding.rule_id = "claim.duplicate";
  finding.severity = model::FindingSeverity::kWarning;
  if (!claim.transaction_control.empty()) finding.location = "ST " + claim.transaction_control;
  finding.message =
      "claim " + claim.claim_key + " at position " + std::to_string(claim.position) +
      " was already audited from " + first_file + " (position " + std::to_string(first_position) +
      ")" + (same_claim ? "; this copy was not audited again" : "; this claim reuses its number");
  finding.evidence_json = "{\"first_file\":";
  core::append_json_string(finding.evidence_json, first_file);
  finding.evidence_json += ",\"first_position\":" + std::to_string(first_position) +
                           ",\"again_position\":" + std::to_string(claim.position) +
                           ",\"same_claim\":" + (same_claim ? "true" : "false") + "}";
  finding.predicts = "CARC 18";
  finding.fingerprint =
      core::sha256_hex(claim.fingerprint + "\x1f" + "claim.duplicate\x1f" + "file " +
                       std::to_string(batch.file_id) + "\x1f" + std::to_string(claim.position));
  finding.provenance.rule_version = "1";
  finding.provenance.rule_set_hash = batch.rule_set_hash;
  finding.provenance.engine_version = CLAIMAUDIT_VERSION;
  return finding;
}

}  // namespace

void Store::note_resent(std::int64_t claim_row, bool key_above_all, const ClaimRecord& claim,
                        const BatchRecord& batch, const std::string& now, BatchCounts& counts) {
  std::int64_t first_row = 0;
  std::int64_t first_position = 0;
  std::string first_file;
  bool same_claim = claim_row == 0;
  if (same_claim) {
    // The same claim (fingerprint) is recorded already: from this file (a re-audit) or another.
    Using select(statements_->first_copy);
    bind_view(*select, 1, claim.claim_key);
    bind_view(*select, 2, claim.fingerprint);
    if (!select->executeStep() || select->getColumn(1).getInt64() == batch.file_id) return;
    first_row = select->getColumn(0).getInt64();
    first_position = select->getColumn(2).getInt64();
    first_file = select->getColumn(3).getString();
  } else {
    // No earlier row with this claim key at all (the usual case): nothing to look for. A key
    // above every key recorded before it cannot have one; else the index is asked.
    if (key_above_all) return;
    FastStatement& probe = statements_->earlier_key;
    try {
      probe.text(1, claim.claim_key);
      probe.integer(2, claim_row);
    } catch (const SQLite::Exception&) {
      probe.reset();
      throw;
    }
    if (!probe.any_row()) return;
    Using select(statements_->earlier_original);
    bind_view(*select, 1, claim.claim_key);
    select->bind(2, claim_row);
    select->bind(3, batch.file_id);
    if (!select->executeStep() || select->getColumn(0).isNull()) return;
    first_row = claim_row;
    first_position = select->getColumn(1).getInt64();
    first_file = select->getColumn(2).getString();
  }
  const model::Finding finding =
      resent_finding(claim, batch, first_file, first_position, same_claim);
  insert_finding(first_row, batch, finding, now, counts);
  flush_findings(batch, now, counts);  // `finding` lives only here.
}

void Store::bind_batch(const BatchRecord& batch, const std::string& now) {
  // The parameters every claim of the batch shares, bound once for all of them (SQLite keeps
  // bindings across steps and resets; the bytes, the batch's and `now`, outlive the batch's
  // steps). The finding rows' shared ones are bound once a multi-row INSERT (insert_findings).
  FastStatement& claim = statements_->insert_claim;
  claim.forget_kept();  // The last batch's strings are gone.
  try {
    claim.integer(15, batch.file_id);
    claim.text(20, kEmptyText);  // claim_json: the text goes compressed (0005).
    claim.text(22, batch.rule_set_hash);
    claim.text(24, now);
  } catch (const SQLite::Exception&) {
    claim.reset();
    throw;
  }
}

std::string_view Store::claim_json_frame(const ClaimRecord& claim,
                                         std::optional<std::string>& text) {
  // The JSON goes compressed (migration 0005): 1.3 KB a claim was half the store thread's
  // time; the frame is about a fifth of it. claim_json stays '' for such rows. The worker
  // compressed it (claim_json_codec.hpp), unless it could not.
  if (claim.claim_json_zstd.empty()) return claim_json_codec_->compress(claim.claim_json);
  if (workers_frames_ok_) return claim.claim_json_zstd;
  // Made with another dictionary than this database's: made again with ours.
  text = workers_codec_ ? workers_codec_->decompress(claim.claim_json_zstd) : std::nullopt;
  if (!text) throw SQLite::Exception("claim JSON frame made with an unknown dictionary");
  return claim_json_codec_->compress(*text);
}

int Store::insert_claim_row(const ClaimRecord& claim) {
  FastStatement& insert = statements_->insert_claim;
  // The dates' text and a frame made here must outlive the step (bound without a copy).
  std::string service_from;
  std::string service_to;
  try {
    insert.text(1, claim.fingerprint);
    insert.text(2, claim.claim_key);
    insert.text(3, claim.billing_provider);
    insert.text(4, claim.claim_id);
    // Bound only when they differ from the last claim's (text_kept): words, the payer and
    // the envelope mostly repeat within a batch, and the batch outlives its steps.
    insert.text_kept(5, to_word(claim.frequency));
    insert.text_kept(6, claim.frequency_code);
    insert.text_kept(7, claim.replaces);
    insert.text_kept(8, model::to_string(claim.kind));
    insert.text_kept(9, model::to_string(claim.use));
    insert.text_kept(10, model::to_string(claim.payer_kind));
    insert.text_kept(11, claim.filing_indicator);
    insert.text_kept(12, claim.payer_id);
    if (claim.service_from) {
      service_from = claim.service_from->iso();
      insert.text(13, service_from);
    } else {
      insert.null(13);
    }
    if (claim.service_to) {
      service_to = claim.service_to->iso();
      insert.text(14, service_to);
    } else {
      insert.null(14);
    }
    // 15 (file id), 20 (''), 22 (rule-set hash) and 24 (time): bound once per batch.
    insert.integer(16, claim.position);
    insert.text_kept(17, claim.interchange_control);
    insert.text_kept(18, claim.group_control);
    insert.text_kept(19, claim.transaction_control);
    std::optional<std::string> text;
    insert.blob(25, claim_json_frame(claim, text));
    std::string diagnostics;
    if (claim.diagnostics.empty()) {
      insert.text(21, kEmptyArray);
    } else {
      diagnostics = diagnostics_json(claim.diagnostics);
      insert.text(21, diagnostics);
    }
    insert.integer(23, static_cast<std::int64_t>(claim.findings.size()));
    return insert.run();
  } catch (const SQLite::Exception&) {
    insert.reset();
    insert.forget_kept();
    throw;
  }
}

void Store::add_file_counts(const BatchCounts& counts, FileId file_id) {
  FastStatement& add = statements_->add_counts;
  try {
    add.integer(1, counts.claims_added);
    add.integer(2, counts.findings_added);
    add.integer(3, file_id);
  } catch (const SQLite::Exception&) {
    add.reset();
    throw;
  }
  add.run();
}

BatchCounts Store::record_batch_unlocked(const BatchRecord& batch, const std::string& now) {
  BatchCounts counts;
  // The largest claim key recorded, read once per batch (the last entry of claims_identity) and
  // raised as claims are inserted: an original claim whose key is above it has no earlier row
  // with its key, so note_resent() need not probe the index for one. Claim numbers of one
  // provider mostly grow, so this spares most claims that probe (tools/bench/store-icount);
  // keys that interleave with earlier ones are probed as before. Read afresh for each batch, it
  // is never below the truth, whatever a rollback or another connection did before.
  std::optional<std::string> largest_key = statements_->largest_key.text_value();
  bind_batch(batch, now);
  // Finding rows are queued (insert_finding) and inserted several at a time; every one is
  // inserted before anything reads findings (close_earlier) and before this returns, in the
  // order they were queued, so the rows and their ids are those of one INSERT a row.
  queued_findings_.clear();
  for (const ClaimRecord& claim : batch.claims) {
    if (insert_claim_row(claim) == 0) {
      ++counts.claims_known;
      if (claim.frequency == model::Frequency::kOriginal)
        note_resent(0, false, claim, batch, now, counts);
      continue;
    }
    const std::int64_t claim_row = database_->getLastInsertRowid();
    ++counts.claims_added;
    // The comparison is SQLite's BINARY collation: bytes as unsigned, then the shorter first.
    const bool key_above_all =
        !largest_key || std::string_view(claim.claim_key) > std::string_view(*largest_key);
    if (key_above_all) largest_key = claim.claim_key;
    for (const model::Finding& finding : claim.findings) {
      insert_finding(claim_row, batch, finding, now, counts);
    }
    if (claim.frequency == model::Frequency::kOriginal) {
      note_resent(claim_row, key_above_all, claim, batch, now, counts);
    }
    if (claim.frequency == model::Frequency::kReplacement ||
        claim.frequency == model::Frequency::kVoid) {
      flush_findings(batch, now, counts);  // close_earlier reads the earlier claims' findings.
      counts.findings_closed += close_earlier(claim_row, claim, now);
    }
  }
  flush_findings(batch, now, counts);
  if (!batch.diagnostics.empty()) {
    Using append(statements_->append_file_diagnostics);
    append->bind(1, diagnostics_json(batch.diagnostics));
    append->bind(2, batch.file_id);
    append->exec();
  }
  // The file's counts (migration 0008), in the same transaction as the rows: a row already
  // recorded (a re-audit after a crash) was not inserted, so it is not counted twice.
  if (counts.claims_added > 0 || counts.findings_added > 0) add_file_counts(counts, batch.file_id);
  return counts;
}

core::Result<BatchCounts> Store::record_batch(const BatchRecord& batch) {
  if (auto began = begin(); !began) return began.error();
  try {
    const BatchCounts counts = record_batch_unlocked(batch, now_utc_iso());
    if (auto committed = commit(); !committed) return committed.error();
    return counts;
  } catch (const SQLite::Exception& error) {
    spdlog::error("store: recording a batch of file id {} failed: {}", batch.file_id, error.what());
    rollback();
    return to_error(error);
  }
}

core::Result<FileTotals> Store::finish_file(const FileFinish& finish) {
  if (auto began = begin(); !began) return began.error();
  try {
    if (!finish.diagnostics.empty()) {
      Using append(statements_->append_file_diagnostics);
      append->bind(1, diagnostics_json(finish.diagnostics));
      append->bind(2, finish.file_id);
      append->exec();
    }
    FileTotals totals;
    {
      Using update(statements_->finish_file);
      bind_text(*update, 1, to_string(finish.outcome));
      update->bind(2, finish.format);
      if (finish.rule_set_hash.empty()) {
        update->bind(3);
      } else {
        update->bind(3, finish.rule_set_hash);
      }
      update->bind(4, finish.stored_path);
      update->bind(5, now_utc_iso());
      update->bind(6, finish.file_id);
      if (update->executeStep()) {
        totals.claims = update->getColumn(0).getInt();
        totals.findings = update->getColumn(1).getInt();
      }
    }
    if (auto committed = commit(); !committed) return committed.error();
    active_.erase(finish.file_id);
    return totals;
  } catch (const SQLite::Exception& error) {
    spdlog::error("store: finishing file id {} failed: {}", finish.file_id, error.what());
    rollback();
    return to_error(error);
  }
}

core::Result<FileId> Store::record_unread(const IncomingFile& file, const FileFinish& finish) {
  if (auto began = begin(); !began) return began.error();
  try {
    const std::string now = now_utc_iso();
    IncomingFile unread = file;
    unread.sha256.clear();
    const FileId id = insert_file_row(statements_->insert_file, *database_,
                                      FileRow{unread, now, "in_progress", 0, nullptr, 0});
    if (!finish.diagnostics.empty()) {
      Using append(statements_->append_file_diagnostics);
      append->bind(1, diagnostics_json(finish.diagnostics));
      append->bind(2, id);
      append->exec();
    }
    {
      Using update(statements_->finish_file);
      bind_text(*update, 1, to_string(Outcome::kQuarantined));
      update->bind(2, finish.format);
      update->bind(3);
      update->bind(4, finish.stored_path);
      update->bind(5, now);
      update->bind(6, id);
      while (update->executeStep()) {
      }
    }
    if (auto committed = commit(); !committed) return committed.error();
    return id;
  } catch (const SQLite::Exception& error) {
    spdlog::error("store: recording unreadable file {} failed: {}", core::log_safe(file.name),
                  error.what());
    rollback();
    return to_error(error);
  }
}

core::Result<std::vector<std::string>> Store::unread_stored_paths(std::string_view name,
                                                                  std::string_view drop_dir) {
  try {
    SQLite::Statement select(*database_,
                             "SELECT stored_path FROM files WHERE sha256 = '' AND name = ? AND "
                             "drop_dir = ? AND outcome = 'quarantined' AND stored_path IS NOT NULL "
                             "ORDER BY id");
    bind_text(select, 1, name);
    bind_text(select, 2, drop_dir);
    std::vector<std::string> paths;
    while (select.executeStep()) paths.push_back(select.getColumn(0).getString());
    return paths;
  } catch (const SQLite::Exception& error) {
    return to_error(error);
  }
}

core::Result<int> Store::forgive_interrupted() {
  try {
    if (auto begun = begin(); !begun) return begun.error();
    const int changed = database_->exec(
        "UPDATE files SET attempts = attempts - 1, interruptions = interruptions + 1 "
        "WHERE state = 'in_progress' AND attempts > 0");
    if (auto committed = commit(); !committed) return committed.error();
    return changed;
  } catch (const SQLite::Exception& error) {
    spdlog::error("store: forgiving interrupted audits failed: {}", error.what());
    rollback();
    return to_error(error);
  }
}

void Store::release(FileId file_id, Attempt attempt) {
  active_.erase(file_id);
  if (attempt == Attempt::kUncounted) {
    try {
      Using update(statements_->unbump_attempts);
      update->bind(1, file_id);
      update->exec();
    } catch (const SQLite::Exception& error) {
      spdlog::warn("store: uncounting an attempt of file id {} failed: {}", file_id, error.what());
    }
  }
}

core::Result<void> Store::set_stored_path(FileId file_id, std::string_view stored_path) {
  try {
    Using update(statements_->set_stored_path);
    bind_text(*update, 1, stored_path);
    update->bind(2, file_id);
    update->exec();
    return {};
  } catch (const SQLite::Exception& error) {
    spdlog::error("store: setting the path of file id {} failed: {}", file_id, error.what());
    return to_error(error);
  }
}

core::Result<void> Store::record_rule_load(bool ok, std::string_view rule_set_hash, int rule_count,
                                           const std::vector<core::Diagnostic>& diagnostics) {
  try {
    Using insert(statements_->insert_rule_load);
    insert->bind(1, now_utc_iso());
    insert->bind(2, ok ? 1 : 0);
    if (rule_set_hash.empty()) {
      insert->bind(3);
    } else {
      bind_text(*insert, 3, rule_set_hash);
    }
    insert->bind(4, rule_count);
    insert->bind(5, diagnostics_json(diagnostics, Where::kFile));
    insert->exec();
    return {};
  } catch (const SQLite::Exception& error) {
    spdlog::error("store: recording a rule load failed: {}", error.what());
    return to_error(error);
  }
}

}  // namespace claimaudit::store
