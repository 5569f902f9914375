// audit/process_file.hpp
//
// process_file(): one claim file end to end, synchronous, no event loop (STYLE.md 2.5 step 3).
// Hash the file, ask the sink (the store) whether to audit it, detect the format and read it
// batch by batch (streaming: one X12 transaction set or one JSON/FHIR document in memory at a
// time), evaluate every claim with the rule set the job captured, and hand each batch's records
// to the sink. The caller moves the file afterwards, from the returned Report.
//
// Thread-safety: any number of process_file calls may run at once on different files; they share
// only the const RuleSet. Bad input never throws (it becomes diagnostics); a rule-engine bug or
// std::bad_alloc may, and the caller counts that as a failed attempt.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "formats/reader.hpp"
#include "store/store.hpp"

namespace claimaudit::rules {
class RuleSet;
struct RuleTime;
}  // namespace claimaudit::rules

namespace claimaudit::audit {

// Where the records go. The daemon's implementation forwards to its store thread; tests use a
// Store directly.
class Sink {
 public:
  Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  virtual ~Sink() = default;

  // The store's decision about a file before its audit (store::Store::admit). May block.
  virtual core::Result<store::Admitted> admit(const store::IncomingFile& file,
                                              store::Arrival arrival) = 0;
  // One batch, in file order. May block until the store has room (back-pressure).
  virtual void record(store::BatchRecord batch) = 0;
};

struct Job {
  std::filesystem::path path;  // The file, already in processing/.
  std::string name;            // Name as dropped: how records and diagnostics name the file.
  std::string drop_dir;        // Drop directory name (config).
  formats::ReadOptions read_options;
  store::Arrival arrival = store::Arrival::kFresh;
  std::shared_ptr<const rules::RuleSet> rules;  // Captured when the job was posted; not null.
  // Checked between batches: when it becomes true the audit stops there (kInterrupted); the
  // batches already handed to the sink stay, and a re-run adds only the rest. May be null.
  const std::atomic<bool>* stop = nullptr;
  // When set, one claim in `rule_time_every` (the first of the file included) is evaluated with
  // per-rule timing and this is called, on the job's thread, with the times of the rules that
  // ran on it (the daemon's rule metrics). Empty: no clock is read.
  std::function<void(std::span<const rules::RuleTime>)> rule_times;
  int rule_time_every = 1;  // 1: every claim. A clock read costs ~50 ns on a VM (kvm-clock).
  // Set: the file is quarantined under this diagnostic without its claims being read (it is
  // still hashed, admitted and recorded as any quarantined file): E-FILE-APPENDED.
  std::optional<core::Diagnostic> refusal;
  // Set with `refusal`: the refusal stands only when the file does not begin as a document
  // (formats::detect() on its first bytes: a fragment); one that does is read and audited, and
  // this diagnostic (a warning) is recorded with it instead.
  std::optional<core::Diagnostic> refusal_unless_document;
};

enum class Disposition {
  kArchived,     // Audited (some claims, perhaps with diagnostics): move to archive/.
  kQuarantined,  // Nothing auditable: move to quarantine/ with a reason file.
  kDuplicate,    // Same bytes already audited: recorded, move to archive/.
  kFinished,     // Recovered file already recorded done: complete the move (report.outcome).
  kPoison,       // Failed too often: quarantine as an internal error.
  kGone,         // The file vanished before it could be read.
  kFailed,       // The environment failed (read error, store error): retry later.
  kInterrupted,  // job.stop was set: leave it in processing/ for the next start.
};
std::string_view to_string(Disposition disposition);

struct Report {
  Disposition disposition = Disposition::kFailed;
  store::FileId file_id = 0;
  store::Outcome outcome = store::Outcome::kArchived;  // kFinished: where it goes.
  int attempts = 0;
  std::string sha256;
  std::int64_t size = 0;
  formats::Format format = formats::Format::kUnknown;
  int claims = 0;    // Claims read.
  int audited = 0;   // Claims evaluated (claims minus in-batch duplicates).
  int findings = 0;  // Findings produced (before the store's de-duplication).
  int batches = 0;
  std::string rule_set_hash;
  // File-level problems not yet recorded: the reader's rejection, "no claims", "internal
  // error". They go to the file's row with finish_file().
  std::vector<core::Diagnostic> diagnostics;
  // A copy of the batch diagnostics (already recorded with their batches), at most
  // kMaxReportedDiagnostics: with `diagnostics`, the content of a quarantine reason file.
  std::vector<core::Diagnostic> batch_diagnostics;
  std::string failure;  // kFailed: what failed (no PHI).
  // kFailed because the file could not be read (EIO, a stale NFS handle ...): a failure of the
  // disk, not of the file or the audit, so its retry is not another attempt (as for a full
  // disk): a failing disk must not make good files poison.
  bool environment = false;
};

inline constexpr std::size_t kMaxReportedDiagnostics = 200;

// Runs the job. See the header comment.
Report process_file(const Job& job, Sink& sink);

// Files of at most this many bytes may be audited before their admission (audit_first).
inline constexpr std::int64_t kAuditFirstBytes = std::int64_t{32} * 1024;

// A small file read and evaluated before the store was asked about it: its records (file_id 0
// until the admission gives one) and its report (kArchived or kQuarantined; file_id, attempts
// and outcome not yet known). The store admits the file and, only if it says kAudit, records
// them, all in one hand-off (complete_admission()).
struct EarlyAudit {
  store::IncomingFile file;
  std::vector<store::BatchRecord> records;
  Report report;
};

// Reads the file whole (once: hash and parse from the same bytes), and evaluates it, without
// the sink: no store round trip before the audit, which is most of a small file's latency.
// Returns nothing when the file is larger than `max_bytes`, vanished, could not be read,
// job.stop was set, or the audit threw: the caller then runs process_file(), which reports
// (and, for a throw, counts) it as before.
std::optional<EarlyAudit> audit_first(const Job& job, std::int64_t max_bytes = kAuditFirstBytes);

// Applies the store's answer about an early-audited file to its report: the file id, attempts
// and outcome; for kDuplicate, kFinished and kPoison, the disposition process_file() would
// have given (the records are then to be dropped). True when the records are to be recorded
// (kAudit), with their file_id set.
bool complete_admission(EarlyAudit& audit, const store::Admitted& admitted);

}  // namespace claimaudit::audit
