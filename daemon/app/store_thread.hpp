// app/store_thread.hpp
//
// StoreThread: the one thread that owns the store::Store (the only SQLite writer). Audit workers
// call it as their audit::Sink: admit() waits for the store's answer, record() queues a batch
// (and waits while too much is queued: back-pressure, counted in claims and in bytes of
// records), finish() queues the file's end. A small file audited before its admission
// (audit::audit_first) comes in one message instead, finish_early(): admission, records and end,
// so the worker never waits for the store. The thread writes what is queued into one
// transaction group, and keeps taking while more comes, up to `batch_size` claims (see
// process() for when it commits), commits it, and only then moves each finished file out of
// processing/ (to archive/YYYY-MM-DD/
// or quarantine/ with its reason file), and reports it through `on_done` (called on this thread;
// the daemon posts it to its loop). Queue order is file order, so a file's batches are always
// committed before its end.
//
// Why not an asio::thread_pool of one (STYLE.md 2.4): group commit needs to see everything that
// is queued at once, which a queue it owns gives directly.
//
// Thread-safety: admit/record/finish/record_rule_load from any thread; stop() from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "app/config.hpp"
#include "audit/process_file.hpp"
#include "store/checkpointer.hpp"
#include "store/store.hpp"

namespace claimaudit::app {

// A file's end, handed in by the worker that audited it.
struct FinishRequest {
  std::filesystem::path processing_path;
  std::string name;
  std::size_t drop_index = 0;
  audit::Report report;
  std::chrono::steady_clock::time_point started;  // When the daemon picked the file up.
  store::Arrival arrival = store::Arrival::kFresh;
};

// What happened to a file, reported once per FinishRequest after the commit and the move.
struct FileDone {
  std::filesystem::path processing_path;
  std::string name;
  std::size_t drop_index = 0;
  audit::Disposition disposition = audit::Disposition::kFailed;
  std::filesystem::path destination;  // Empty when the file stays in processing/.
  int claims = 0;                     // Claims read from the file.
  int findings = 0;                   // Findings produced.
  int recorded_claims = 0;            // The file's claims row count after the commit.
  int recorded_findings = 0;
  int attempts = 0;
  std::chrono::steady_clock::time_point started;  // When the daemon picked the file up.
  double milliseconds = 0;                        // From pick-up to the move.
  std::string error;                              // Why it failed (kFailed), without PHI.
  // kFailed because the store or the file system failed (not the audit): its retry is not
  // another attempt (store::Arrival::kRetried).
  bool environment = false;
};

// Records waiting in the queue, at most (audit::estimated_bytes; a batch bigger than this
// waits for an empty queue). The store thread writes what it takes into the open group and
// frees it, so with the part each worker is building (audit/process_file.cpp, 256 KiB) this
// bounds the records in memory whatever the number and size of the files.
inline constexpr std::size_t kMaxQueuedBytes = std::size_t{1024} * 1024;

// Records the store thread has written wait, at most this many bytes, for the next worker that
// queues records to free them (freeing a group's records was 6% of the store thread, the
// pipeline's serial stage; a worker frees what its own thread allocated more cheaply too).
// Past this, or when no worker is queuing, the store thread frees them itself.
inline constexpr std::size_t kMaxSpentBytes = std::size_t{1024} * 1024;

class StoreThread final : public audit::Sink {
 public:
  // Opens the store (throws as store::Store does) and starts the thread. Unless the previous
  // daemon died of a fault (`previous_run_crashed`, from the crash marker), the audits it left
  // in progress are forgiven as interruptions (store::Store::forgive_interrupted).
  StoreThread(const Config& config, std::function<void(FileDone)> on_done,
              bool previous_run_crashed = false);
  StoreThread(const StoreThread&) = delete;
  StoreThread& operator=(const StoreThread&) = delete;
  ~StoreThread() override;

  core::Result<store::Admitted> admit(const store::IncomingFile& file,
                                      store::Arrival arrival) override;
  void record(store::BatchRecord batch) override;
  void finish(FinishRequest request);
  // Admits an early-audited file, records its records if the store says kAudit, and ends it
  // (request.report is replaced by the audit's). Back-pressure as record().
  void finish_early(audit::EarlyAudit audit, FinishRequest request);
  void record_rule_load(bool ok, std::string rule_set_hash, int rule_count,
                        std::vector<core::Diagnostic> diagnostics);

  // Commits and moves everything queued, then ends the thread. Idempotent.
  void stop();

  std::size_t queue_depth() const;

 private:
  struct Admit {
    store::IncomingFile file;
    store::Arrival arrival;
    std::promise<core::Result<store::Admitted>> reply;
  };
  struct RuleLoad {
    bool ok;
    std::string hash;
    int count;
    std::vector<core::Diagnostic> diagnostics;
  };
  struct Batch {
    store::BatchRecord record;
    std::size_t bytes = 0;  // audit::estimated_bytes of its claims.
  };
  struct Early {
    audit::EarlyAudit audit;
    FinishRequest finish;
    std::size_t claims = 0;
    std::size_t bytes = 0;
  };
  using Message = std::variant<Admit, Batch, FinishRequest, RuleLoad, Early>;

  // Queues a Batch or an Early of `claims` claims and `bytes` bytes of records, waiting while
  // the queue is full (see record()).
  void enqueue_records(Message message, std::size_t claims, std::size_t bytes);
  void run();
  void process(std::vector<Message>& work);
  // Moves queued messages into `work` (batches while `group_claims` stays within batch_size;
  // always one if the group is empty), waiting until `linger_until` if the queue is empty.
  // Returns false if nothing was taken.
  bool take(std::vector<Message>& work, std::size_t& group_claims,
            std::chrono::steady_clock::time_point linger_until);
  // Decides a finished file's destination and records its end inside the open group.
  void prepare(FinishRequest& request, FileDone& done, std::vector<store::FileId>& touched);
  // prepare() of a file quarantined before it could be read (report.file_id 0): recorded
  // without a hash (store::Store::record_unread), or, recovered after a stop between the commit
  // and the move, its earlier record's move finished.
  void prepare_unread(FinishRequest& request, FileDone& done);
  // Hands the written records of `work` to the workers to free (see kMaxSpentBytes), and
  // clears `work`.
  void retire(std::vector<Message>& work);
  // process()'s bookkeeping of one transaction group (store_thread.cpp), and its steps.
  struct GroupState;
  void handle(Message& message, GroupState& group);
  void handle_admit(Admit& request, GroupState& group);
  void handle_early(Early& early, GroupState& group);
  void handle_batch(Batch& batch, GroupState& group);
  void handle_finish(FinishRequest& end, GroupState& group);
  // After the group's commit (or its failure): releases, moves and reports each finished file.
  void conclude(GroupState& group, bool committed);

  const Config& config_;
  std::function<void(FileDone)> on_done_;
  store::Store store_;                        // Touched only from thread_ (after construction).
  store::Checkpointer checkpointer_;          // Copies the WAL into the database off this thread.
  std::set<std::filesystem::path> reserved_;  // Destinations chosen in the current group.
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable space_free_;
  std::deque<Message> queue_;
  std::size_t queued_claims_ = 0;  // Of the batches in queue_ (not those being committed).
  std::size_t queued_bytes_ = 0;
  std::vector<Message> spent_;  // Written records for a worker to free (kMaxSpentBytes).
  std::size_t spent_bytes_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // Last: starts once everything above exists.
};

}  // namespace claimaudit::app
