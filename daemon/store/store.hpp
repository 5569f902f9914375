// store/store.hpp
//
// Store: the daemon's SQLite database (WAL), the one writer. It applies the numbered migrations
// of schemas/sql/ at start-up, records each file the daemon takes in, and commits each audited
// batch (claims + findings) idempotently: claims and findings carry fingerprints (DOMAIN.md 2.6)
// with UNIQUE constraints, so a file re-run after a crash, or the same claim sent again, adds
// nothing. A replacement (frequency 7) or void (8) closes the open findings of the earlier claim
// with the same claim key (DOMAIN.md 7.1), writing an append-only finding_events row for each.
//
// Thread-safety: none. A Store is owned and used by one thread (the daemon's store thread);
// readers elsewhere open their own read-only connections (store/queries.hpp).
// Errors: the constructor throws (start-up failure); every other method returns a core::Result
// whose error carries the SQLite message, and leaves the database as it was before the call.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "core/diagnostic.hpp"
#include "core/result.hpp"
#include "model/claim.hpp"
#include "model/finding.hpp"

namespace SQLite {  // NOLINT(readability-identifier-naming): SQLiteCpp's own namespace.
class Database;
class Statement;
}  // namespace SQLite

namespace claimaudit::store {

class ClaimJsonCodec;

using FileId = std::int64_t;

// A file whose audit failed (threw, or the daemon died of a fault while auditing it) this many
// times is poison.
inline constexpr int kMaxAttempts = 2;
// A file whose audit was cut short this many times by stops the daemon did not cause (SIGKILL,
// power loss, the OOM killer; see forgive_interrupted) is poison too.
inline constexpr int kMaxInterruptions = 8;

// The user recorded on automatic status changes.
inline constexpr std::string_view kDaemonUser = "claimauditd";

enum class Outcome { kArchived, kQuarantined, kDuplicate };
std::string_view to_string(Outcome outcome);  // "archived", "quarantined", "duplicate"

// A file about to be audited, identified by its bytes.
struct IncomingFile {
  std::string name;      // As dropped, no directory.
  std::string drop_dir;  // Name of the drop directory in the config.
  std::string sha256;    // Hex.
  std::int64_t size = 0;
};

// Whether admit() sees the file fresh from a drop directory, left in processing/ by a daemon
// that stopped before finishing it, or handed back by this daemon after its environment failed
// (a commit refused, the disk full, a reason file not written: nothing the file did), which
// does not count as another attempt (a full disk must not make good files poison).
enum class Arrival { kFresh, kRecovered, kRetried };

enum class Admission {
  kAudit,      // Audit it: file_id names its row (new, or the in-progress row of an earlier try).
  kDuplicate,  // The same bytes were archived (or are being audited now): a row with outcome
               // 'duplicate' was recorded (file_id) naming the first (earlier); do not audit.
               // Bytes that were only ever quarantined are audited again (kAudit).
  kFinished,   // kRecovered only: these bytes were recorded done before the daemon stopped;
               // nothing to record, just complete the move (outcome says where).
  kPoison,     // Failed kMaxAttempts times, or interrupted kMaxInterruptions times, already:
               // quarantine it as an internal error with finish_file().
};

struct Admitted {
  Admission admission = Admission::kAudit;
  FileId file_id = 0;
  int attempts = 0;                      // Audits started, this one included (kAudit, kPoison),
                                         // less those forgiven as interruptions.
  int interruptions = 0;                 // Earlier audits cut short from outside.
  FileId earlier = 0;                    // kDuplicate: the file first recorded with these bytes.
  Outcome outcome = Outcome::kArchived;  // kFinished: where the earlier run decided it goes.
};

// One claim as the store records it: identity and provenance, the claim without PHI as JSON,
// and its findings. Built by audit/ from a model::Claim.
struct ClaimRecord {
  std::string fingerprint;  // Claim fingerprint (hex), DOMAIN.md 2.6.
  std::string claim_key;    // model::claim_key().
  std::string billing_provider;
  std::string claim_id;  // CLM01.
  model::Frequency frequency = model::Frequency::kOriginal;
  std::string frequency_code;
  std::string replaces;
  model::ClaimKind kind = model::ClaimKind::kUnknown;
  model::ClaimUse use = model::ClaimUse::kClaim;
  model::PayerKind payer_kind = model::PayerKind::kUnknown;
  std::string filing_indicator;
  std::string payer_id;
  std::optional<core::Date> service_from;
  std::optional<core::Date> service_to;
  int position = 0;  // 0-based index in the file.
  std::string interchange_control;
  std::string group_control;
  std::string transaction_control;
  std::string claim_json;  // Without PHI; stored compressed.
  // Its zstd frame made by the worker (compress_claim_json, store/claim_json_codec.hpp), which
  // then leaves claim_json empty; empty when the store is to compress claim_json itself.
  std::string claim_json_zstd;
  std::vector<core::Diagnostic> diagnostics;  // Problems inside the claim.
  // Each with its fingerprint and provenance; an empty provenance.rule_set_hash is the batch's.
  std::vector<model::Finding> findings;
};

// What one reader batch (one ST, one JSON/FHIR document) turned into.
struct BatchRecord {
  FileId file_id = 0;
  std::string rule_set_hash;
  std::vector<ClaimRecord> claims;
  std::vector<core::Diagnostic> diagnostics;  // Batch-level problems: appended to the file's.
};

struct BatchCounts {
  int claims_added = 0;
  int claims_known = 0;  // Fingerprint already recorded: nothing added for them.
  int findings_added = 0;
  int findings_known = 0;
  int findings_closed = 0;  // Earlier findings corrected or superseded by replacements/voids.
};

// How a file ended.
struct FileFinish {
  FileId file_id = 0;
  Outcome outcome = Outcome::kArchived;
  std::string format;                         // formats::to_string(format).
  std::string rule_set_hash;                  // Empty if never audited.
  std::vector<core::Diagnostic> diagnostics;  // File-level: the summary's rejection, errors...
  std::string stored_path;                    // Relative to the state dir.
};

struct FileTotals {
  int claims = 0;
  int findings = 0;
};

class Store {
 public:
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  // Opens (creating it 0640 if absent) the database at `path`, sets WAL, synchronous=FULL and
  // a page cache of `cache_kib`, and applies every migration newer than its user_version, each
  // in its own transaction.
  // Throws std::runtime_error naming the path on any failure, or if the database is newer than
  // this program.
  explicit Store(const std::filesystem::path& path, int cache_kib = 8192);

  // Hands the WAL checkpoints to another thread (store/checkpointer.hpp). By default (SQLite's
  // wal_autocheckpoint) the COMMIT that takes the WAL past 1,000 pages checkpoints it itself,
  // on this thread. After this call, a COMMIT that leaves the WAL at `nudge_frames` pages or
  // more calls `nudge` instead, and checkpoints by itself (PASSIVE) only past `inline_frames`:
  // a bound on the WAL should the other thread fall behind.
  void hand_off_checkpoints(std::function<void()> nudge, int nudge_frames, int inline_frames);

  // The schema version (PRAGMA user_version) after the migrations.
  int schema_version() const;

  // Decides what to do with a file before its audit, recording it (see Admission). A kAudit
  // file is "active" until finish_file() or release(): another file with the same bytes that
  // arrives meanwhile is a duplicate.
  core::Result<Admitted> admit(const IncomingFile& file, Arrival arrival);

  // Records one batch in one transaction (or in the open Group's). Claims whose fingerprint is
  // known are skipped with their findings. Returns what was added.
  core::Result<BatchCounts> record_batch(const BatchRecord& batch);

  // Marks the file done with its outcome and appends `finish.diagnostics` to its diagnostics.
  // Returns the file's totals: its claims and findings rows, which record_batch counts into the
  // file's row as it inserts them (migration 0008).
  core::Result<FileTotals> finish_file(const FileFinish& finish);

  // Records a file quarantined before its bytes could be read (E-FILE-UNREADABLE: the daemon's
  // user may not read it), done at once: no SHA-256 identifies it, so its row has an empty
  // sha256 (never a duplicate of anything, never admitted), no attempt, outcome quarantined,
  // `finish.diagnostics` and `finish.stored_path` (finish.file_id is ignored). Returns its id.
  core::Result<FileId> record_unread(const IncomingFile& file, const FileFinish& finish);
  // The stored paths of the files recorded by record_unread() as dropped in `drop_dir` as `name`.
  core::Result<std::vector<std::string>> unread_stored_paths(std::string_view name,
                                                             std::string_view drop_dir);

  // Forgets that a kAudit file is active. kCounted: its audit failed, and admit() counts the
  // next try. kUncounted: it was interrupted by a clean shutdown, which is no failure.
  enum class Attempt { kCounted, kUncounted };
  void release(FileId file_id, Attempt attempt = Attempt::kCounted);

  // Called once at start-up, before any admit(), when the previous daemon did not die of a
  // fault (no crash marker): it was stopped from outside (SIGKILL, power loss, OOM killer), so
  // the audits it left in progress are not counted against their files; they are counted as
  // interruptions instead. Returns how many files that concerned.
  core::Result<int> forgive_interrupted();

  // Where a file went after its move (informational).
  core::Result<void> set_stored_path(FileId file_id, std::string_view stored_path);

  // Records a rule-set load (start-up, SIGHUP, rule-directory change).
  core::Result<void> record_rule_load(bool ok, std::string_view rule_set_hash, int rule_count,
                                      const std::vector<core::Diagnostic>& diagnostics);

  // Group commit: while a Group is alive, admit/record_batch/finish_file/set_stored_path write
  // into its one transaction (each call in a savepoint, so a failed call leaves nothing behind);
  // commit() makes them durable at once. Destroyed uncommitted, it rolls back. Groups do not
  // nest.
  class Group {
   public:
    Group(const Group&) = delete;
    Group& operator=(const Group&) = delete;
    ~Group();
    core::Result<void> commit();

   private:
    friend class Store;
    explicit Group(Store& store);
    Store& store_;
    bool open_ = false;
  };
  Group group() { return Group(*this); }

  SQLite::Database& database();  // For tests and tools; same thread only.

 private:
  struct Statements;
  core::Result<void> begin();
  core::Result<void> commit();
  void rollback();
  // Binds what every claim row of `batch` shares (file id, rule-set hash, time).
  void bind_batch(const BatchRecord& batch, const std::string& now);
  BatchCounts record_batch_unlocked(const BatchRecord& batch, const std::string& now);
  // Steps of record_batch_unlocked(). Binds the rest of the claim's row and inserts it: 1, or 0
  // when a row with its fingerprint is there (nothing inserted).
  int insert_claim_row(const ClaimRecord& claim);
  // The claim's JSON frame to store: the worker's, or made here (into `text` when the worker's
  // frame must be decompressed first; the frame may borrow it).
  std::string_view claim_json_frame(const ClaimRecord& claim, std::optional<std::string>& text);
  // Adds the batch's inserted claims and findings to file `file_id`'s counts (migration 0008).
  void add_file_counts(const BatchCounts& counts, FileId file_id);
  int close_earlier(std::int64_t claim_row, const ClaimRecord& claim, const std::string& now);
  // Queues one finding row of claim row `claim_row`; `finding` must live until the next
  // flush_findings(), which inserts the queued rows in queue order. Rows are inserted several to
  // a statement (one multi-row INSERT), as soon as a statement's worth is queued.
  void insert_finding(std::int64_t claim_row, const BatchRecord& batch,
                      const model::Finding& finding, const std::string& now, BatchCounts& counts);
  // Inserts every queued finding row (in order) and counts them; the queue is empty after it,
  // whether it returns or throws. Anything that reads findings runs after it.
  void flush_findings(const BatchRecord& batch, const std::string& now, BatchCounts& counts);
  // Inserts the first `rows` queued finding rows with one statement.
  void insert_findings(std::size_t first, std::size_t rows, const BatchRecord& batch,
                       const std::string& now, BatchCounts& counts);
  // DOMAIN.md 8.2 claim.duplicate across files, for an original claim: `claim_row` 0 when the
  // claim was already recorded (its fingerprint known), else its new row; `key_above_all`: its
  // claim key is above every key recorded before this row (so no earlier row has it).
  void note_resent(std::int64_t claim_row, bool key_above_all, const ClaimRecord& claim,
                   const BatchRecord& batch, const std::string& now, BatchCounts& counts);

  std::unique_ptr<SQLite::Database> database_;
  std::unique_ptr<Statements> statements_;            // Prepared once; they borrow database_.
  std::unique_ptr<ClaimJsonCodec> claim_json_codec_;  // claims.claim_json_zstd (0005).
  // Whether ClaimRecord::claim_json_zstd frames are made with this database's dictionary; if
  // not (a database whose dictionary 1 was edited by hand), the codec of the workers' one.
  bool workers_frames_ok_ = false;
  std::unique_ptr<ClaimJsonCodec> workers_codec_;
  std::set<FileId> active_;
  // Finding rows queued by insert_finding() for flush_findings(): claim row and finding.
  std::vector<std::pair<std::int64_t, const model::Finding*>> queued_findings_;
  bool in_group_ = false;
  std::function<void()> nudge_;
  int nudge_frames_ = 0;
  int inline_frames_ = 0;
};

// Current UTC time as "2026-11-26T15:44:34.123Z".
std::string now_utc_iso();

}  // namespace claimaudit::store
