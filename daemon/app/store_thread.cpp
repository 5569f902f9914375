#include "app/store_thread.hpp"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <string_view>

#include <spdlog/spdlog.h>

#include "app/file_moves.hpp"
#include "audit/claim_record.hpp"
#include "core/log_safe.hpp"

namespace claimaudit::app {

namespace {

// WAL pages (4 KiB) past which a commit asks the checkpointer to copy the WAL into the database,
// and past which it checkpoints by itself should the checkpointer fall behind (64 MiB). 250,
// not SQLite's default 1,000: a checkpoint a quarter as long delays the commits that overlap it
// a quarter as much (its writes and fsyncs share the disk with the commit's fdatasync). 50
// 1-claim files/s, 8 alternated runs each: p99 3.96 ms median (3.33-4.81, all 8 under 5 ms)
// against 4.21 ms (3.18-5.38); 1,000-claim files p99 1.03 s against 1.35 s; 5,000-claim
// throughput unchanged (docs/benchmarks.md, Daemon, "Session 7").
constexpr int kCheckpointPages = 250;
constexpr int kInlineCheckpointPages = 16384;

// How long a group with a file admitted in it waits, the queue empty, for that file's records
// and end before it commits without them (see process()). A one-claim file is read and
// evaluated in well under a millisecond.
constexpr auto kLingerForFinish = std::chrono::milliseconds(2);
// How long a group in which no file finished stays open, the queue empty, for more records.
constexpr auto kMaxGroupWait = std::chrono::milliseconds(1000);
// How long written records wait for a worker to free them (kMaxSpentBytes) while the store
// thread has nothing to do, before it frees them itself.
constexpr auto kSpentIdle = std::chrono::milliseconds(50);

// Test hook (integration and crash tests): CLAIMAUDIT_CRASH_POINT=after-commit kills the process
// right after a commit that finished a file and before its move; after-batch right after a
// commit that recorded batches of a file not yet finished. SIGKILL, as a crash would.
enum class CrashPoint { kNone, kAfterCommit, kAfterBatch };

CrashPoint crash_point() {
  const char* value = std::getenv("CLAIMAUDIT_CRASH_POINT");
  if (value == nullptr) return CrashPoint::kNone;
  const std::string_view point(value);
  if (point == "after-commit") return CrashPoint::kAfterCommit;
  if (point == "after-batch") return CrashPoint::kAfterBatch;
  return CrashPoint::kNone;
}

}  // namespace

StoreThread::StoreThread(const Config& config, std::function<void(FileDone)> on_done,
                         bool previous_run_crashed)
    : config_(config),
      on_done_(std::move(on_done)),
      store_(config.database_path(), config.store_cache_mib * 1024),
      checkpointer_(config.database_path()),
      thread_([this] { run(); }) {
  // Nothing can be queued yet, so the thread does not touch the store before this is done.
  store_.hand_off_checkpoints([this] { checkpointer_.nudge(); }, kCheckpointPages,
                              kInlineCheckpointPages);
  if (previous_run_crashed) {
    spdlog::warn(
        "the previous claimauditd died of a fault: the audits it left in progress "
        "count as failed attempts");
    return;
  }
  // (No throwing here: the thread runs already. A failure only means the interrupted audits
  // count as failed attempts, as after a crash.)
  if (auto forgiven = store_.forgive_interrupted(); !forgiven) {
    spdlog::error("store: cannot forgive interrupted audits: {}", forgiven.error().message());
  } else if (*forgiven > 0) {
    spdlog::info(
        "{} file(s) were being audited when the previous claimauditd was stopped from "
        "outside; they are audited again",
        *forgiven);
  }
}

StoreThread::~StoreThread() { stop(); }

void StoreThread::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  space_free_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t StoreThread::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

core::Result<store::Admitted> StoreThread::admit(const store::IncomingFile& file,
                                                 store::Arrival arrival) {
  std::future<core::Result<store::Admitted>> answer;
  {
    std::lock_guard lock(mutex_);
    Admit request{file, arrival, {}};
    answer = request.reply.get_future();
    queue_.emplace_back(std::move(request));
  }
  work_ready_.notify_one();
  return answer.get();
}

namespace {

std::size_t record_bytes(const store::BatchRecord& batch) {
  std::size_t bytes = sizeof batch;
  for (const store::ClaimRecord& claim : batch.claims) bytes += audit::estimated_bytes(claim);
  return bytes;
}

}  // namespace

void StoreThread::enqueue_records(Message message, std::size_t claims, std::size_t bytes) {
  const auto limit = static_cast<std::size_t>(std::max(config_.batch_size, 1));
  std::vector<Message> spent;  // Freed here, after the lock (see kMaxSpentBytes).
  {
    std::unique_lock lock(mutex_);
    spent.swap(spent_);
    spent_bytes_ = 0;
    // Back-pressure: a worker waits while the queue already holds a full group of claims or of
    // bytes, so memory stays bounded whatever the number and the size of the files waiting.
    space_free_.wait(lock, [&] {
      return stopping_ || queued_claims_ == 0 ||
             (queued_claims_ + claims <= limit && queued_bytes_ + bytes <= kMaxQueuedBytes);
    });
    queued_claims_ += claims;
    queued_bytes_ += bytes;
    queue_.push_back(std::move(message));
  }
  work_ready_.notify_one();
}

void StoreThread::retire(std::vector<Message>& work) {
  std::size_t bytes = 0;
  for (const Message& message : work) {
    if (const auto* batch = std::get_if<Batch>(&message)) {
      bytes += batch->bytes;
    } else if (const auto* early = std::get_if<Early>(&message)) {
      bytes += early->bytes;
    }
  }
  if (bytes > 0) {
    std::lock_guard lock(mutex_);
    if (spent_bytes_ + bytes <= kMaxSpentBytes) {
      for (Message& message : work) {
        if (std::holds_alternative<Batch>(message) || std::holds_alternative<Early>(message)) {
          spent_.push_back(std::move(message));
        }
      }
      spent_bytes_ += bytes;
    }
  }
  work.clear();
}

void StoreThread::record(store::BatchRecord batch) {
  const std::size_t claims = batch.claims.size();
  const std::size_t bytes = record_bytes(batch);
  enqueue_records(Batch{std::move(batch), bytes}, claims, bytes);
}

void StoreThread::finish_early(audit::EarlyAudit audit, FinishRequest request) {
  std::size_t claims = 0;
  std::size_t bytes = sizeof audit;
  for (const store::BatchRecord& record : audit.records) {
    claims += record.claims.size();
    bytes += record_bytes(record);
  }
  enqueue_records(Early{std::move(audit), std::move(request), claims, bytes}, claims, bytes);
}

void StoreThread::finish(FinishRequest request) {
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(std::move(request));
  }
  work_ready_.notify_one();
}

void StoreThread::record_rule_load(bool ok, std::string rule_set_hash, int rule_count,
                                   std::vector<core::Diagnostic> diagnostics) {
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(RuleLoad{ok, std::move(rule_set_hash), rule_count, std::move(diagnostics)});
  }
  work_ready_.notify_one();
}

void StoreThread::run() {
  pthread_setname_np(pthread_self(), "ca-store");  // As top -H and perf show it.
  std::vector<Message> work;
  const auto ready = [this] { return stopping_ || !queue_.empty(); };
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (!spent_.empty() && !work_ready_.wait_for(lock, kSpentIdle, ready)) {
        // No worker came for the written records: free them here.
        std::vector<Message> spent;
        spent.swap(spent_);
        spent_bytes_ = 0;
        lock.unlock();
        continue;  // `spent` is freed here, outside the lock.
      }
      work_ready_.wait(lock, ready);
      if (queue_.empty()) return;  // Stopping, and everything is done.
    }
    process(work);
  }
}

bool StoreThread::take(std::vector<Message>& work, std::size_t& group_claims,
                       std::chrono::steady_clock::time_point linger_until) {
  const auto limit = static_cast<std::size_t>(std::max(config_.batch_size, 1));
  {
    std::unique_lock lock(mutex_);
    if (queue_.empty() && linger_until > std::chrono::steady_clock::now()) {
      work_ready_.wait_until(lock, linger_until, [this] { return stopping_ || !queue_.empty(); });
    }
    std::size_t claims = 0;
    std::size_t bytes = 0;
    while (!queue_.empty()) {
      std::optional<std::pair<std::size_t, std::size_t>> records;  // Claims, bytes.
      if (const auto* batch = std::get_if<Batch>(&queue_.front())) {
        records.emplace(batch->record.claims.size(), batch->bytes);
      } else if (const auto* early = std::get_if<Early>(&queue_.front())) {
        records.emplace(early->claims, early->bytes);
      }
      if (records) {
        const std::size_t count = records->first;
        if (group_claims + claims > 0 && group_claims + claims + count > limit) break;
        claims += count;
        bytes += records->second;
      }
      work.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    // Taken: the workers may queue more while these are written and committed.
    queued_claims_ -= claims;
    queued_bytes_ -= bytes;
    group_claims += claims;
  }
  space_free_.notify_all();
  return !work.empty();
}

namespace {

// A free name in `directory`, also not among `reserved` (names chosen earlier in this group and
// not yet moved there). In quarantine/ (`reason`), with room for NAME.reason.json, which must be
// free too unless the file's reason was written before (kFinished: the earlier run wrote it at
// the name it chose, which the same choice finds again).
enum class Reason { kNone, kNew, kWritten };
std::filesystem::path reserve(std::set<std::filesystem::path>& reserved,
                              const std::filesystem::path& directory, const std::string& name,
                              Reason reason = Reason::kNone) {
  std::filesystem::path candidate = free_name(
      directory, name, FreeNameOptions{reason != Reason::kNone, reason == Reason::kNew, &reserved});
  reserved.insert(candidate);
  return candidate;
}

}  // namespace

void StoreThread::prepare(FinishRequest& request, FileDone& done,
                          std::vector<store::FileId>& touched) {
  std::set<std::filesystem::path>& reserved = reserved_;
  audit::Report& report = request.report;
  done.processing_path = request.processing_path;
  done.started = request.started;
  done.name = request.name;
  done.drop_index = request.drop_index;
  done.disposition = report.disposition;
  done.claims = report.claims;
  done.findings = report.findings;
  done.attempts = report.attempts;
  done.error = report.failure;
  const std::string today = today_utc();
  auto relative = [this](const std::filesystem::path& path) {
    return path.lexically_relative(config_.state_dir).string();
  };
  auto fail = [&](std::string why) {
    done.disposition = audit::Disposition::kFailed;
    done.environment = true;
    done.destination.clear();
    done.error = std::move(why);
    if (report.file_id != 0) store_.release(report.file_id);
  };
  switch (report.disposition) {
    case audit::Disposition::kArchived: {
      done.destination = reserve(reserved, config_.archive_dir() / today, request.name);
      auto totals =
          store_.finish_file({report.file_id, store::Outcome::kArchived,
                              std::string(formats::to_string(report.format)), report.rule_set_hash,
                              report.diagnostics, relative(done.destination)});
      if (!totals) return fail("store: " + totals.error().message());
      touched.push_back(report.file_id);
      done.recorded_claims = totals->claims;
      done.recorded_findings = totals->findings;
      return;
    }
    case audit::Disposition::kQuarantined:
    case audit::Disposition::kPoison: {
      if (report.file_id == 0) return prepare_unread(request, done);
      done.destination = reserve(reserved, config_.quarantine_dir(), request.name, Reason::kNew);
      std::vector<core::Diagnostic> reasons = report.diagnostics;
      reasons.insert(reasons.end(), report.batch_diagnostics.begin(),
                     report.batch_diagnostics.end());
      const auto reason_path = done.destination.string() + std::string(kReasonSuffix);
      if (auto written = write_reason_file(reason_path, request.name, reasons); !written) {
        return fail("cannot write " + reason_path + ": " + written.error().message());
      }
      auto totals =
          store_.finish_file({report.file_id, store::Outcome::kQuarantined,
                              std::string(formats::to_string(report.format)), report.rule_set_hash,
                              report.diagnostics, relative(done.destination)});
      if (!totals) return fail("store: " + totals.error().message());
      touched.push_back(report.file_id);
      return;
    }
    case audit::Disposition::kDuplicate:
      done.destination = reserve(reserved, config_.archive_dir() / today, request.name);
      if (auto stored = store_.set_stored_path(report.file_id, relative(done.destination));
          !stored) {
        return fail("store: " + stored.error().message());
      }
      return;
    case audit::Disposition::kFinished:
      done.destination =
          report.outcome == store::Outcome::kQuarantined
              ? reserve(reserved, config_.quarantine_dir(), request.name, Reason::kWritten)
              : reserve(reserved, config_.archive_dir() / today, request.name);
      return;
    case audit::Disposition::kGone:
    case audit::Disposition::kFailed:
      if (report.file_id != 0) store_.release(report.file_id);
      // A read error (EIO): the disk failed, not the file; its retry is not an attempt.
      if (report.environment) done.environment = true;
      return;
    case audit::Disposition::kInterrupted:
      if (report.file_id != 0) store_.release(report.file_id, store::Store::Attempt::kUncounted);
      return;
  }
}

void StoreThread::prepare_unread(FinishRequest& request, FileDone& done) {
  const std::string& drop_dir = config_.drop_dirs.at(request.drop_index).name;
  const audit::Report& report = request.report;
  if (request.arrival == store::Arrival::kRecovered) {
    // Recorded by an earlier run that stopped before the move (the row and the reason are
    // there, the file is not): the move is finished, nothing recorded twice.
    if (auto earlier = store_.unread_stored_paths(request.name, drop_dir); earlier) {
      for (const std::string& stored : *earlier) {
        const std::filesystem::path path = config_.state_dir / stored;
        std::error_code ignored;
        if (!reserved_.contains(path) && !std::filesystem::exists(path, ignored) &&
            std::filesystem::exists(path.string() + std::string(kReasonSuffix), ignored)) {
          reserved_.insert(path);
          done.destination = path;
          return;
        }
      }
    }
  }
  done.destination = reserve(reserved_, config_.quarantine_dir(), request.name, Reason::kNew);
  const auto reason_path = done.destination.string() + std::string(kReasonSuffix);
  auto fail = [&](std::string why) {
    done.disposition = audit::Disposition::kFailed;
    done.environment = true;
    done.destination.clear();
    done.error = std::move(why);
  };
  if (auto written = write_reason_file(reason_path, request.name, report.diagnostics); !written) {
    return fail("cannot write " + reason_path + ": " + written.error().message());
  }
  // Its size is known even when its bytes are not readable.
  struct stat info {};
  const std::int64_t size =
      ::lstat(request.processing_path.c_str(), &info) == 0 ? std::int64_t{info.st_size} : 0;
  auto recorded = store_.record_unread(
      store::IncomingFile{request.name, drop_dir, "", size},
      store::FileFinish{0, store::Outcome::kQuarantined,
                        std::string(formats::to_string(report.format)), "", report.diagnostics,
                        done.destination.lexically_relative(config_.state_dir).string()});
  if (!recorded) fail("store: " + recorded.error().message());
}

struct StoreThread::GroupState {
  using Clock = std::chrono::steady_clock;
  std::vector<FileDone> finished;
  std::vector<store::FileId> admitted;
  std::vector<store::FileId> touched;
  std::set<store::FileId> failed;  // Files with a batch that could not be recorded.
  std::size_t unfinished = 0;      // Files admitted in this group and not finished in it.
  bool commit_soon = false;        // A recovered file was admitted: see process().
  bool any_batch = false;
  Clock::time_point admit_deadline{};  // kLingerForFinish after the first admission.
};

void StoreThread::process(std::vector<Message>& work) {
  GroupState state;
  bool committed = false;
  reserved_.clear();
  const auto limit = static_cast<std::size_t>(std::max(config_.batch_size, 1));
  {
    auto group = store_.group();
    // One group takes what is queued, writes it, and takes again while more comes, up to
    // batch_size claims, so that the records in memory are only those of the queue while a
    // group can still be large: each commit writes every page it changed to the WAL, and the
    // claims' and findings' fingerprint indexes take random pages, so small groups write the
    // same index pages over and over. When the queue runs dry the group commits at once if a
    // file finished in it (someone waits for that commit), waits up to kLingerForFinish if a
    // file admitted in it is still being audited (a small file then costs one durable commit
    // instead of two: admission, then records), and otherwise waits up to kMaxGroupWait for
    // the next records of the files under way. A recovered file's admission (after a restart
    // or a failed attempt) is committed without lingering, before its audit can go far: if
    // that audit kills the daemon, the attempt is on record and the file becomes poison
    // (store::kMaxAttempts) instead of killing every daemon that starts. (A fresh small file
    // is audited before its admission, audit::audit_first: a fault there is counted from its
    // next start, when it is a recovered file.)
    using Clock = GroupState::Clock;
    const Clock::time_point group_started = Clock::now();
    Clock::time_point linger_until{};  // The queue is non-empty on entry: no wait at first.
    std::size_t group_claims = 0;
    while (group_claims < limit && take(work, group_claims, linger_until)) {
      for (Message& message : work) handle(message, state);
      retire(work);  // The records are in the database's pages now.
      if (!state.commit_soon && state.unfinished > 0) {
        linger_until = state.admit_deadline;
      } else if (state.commit_soon || !state.finished.empty()) {
        linger_until = Clock::time_point{};
      } else {
        linger_until = group_started + kMaxGroupWait;
      }
    }
    committed = group.commit().has_value();
  }
  conclude(state, committed);
}

void StoreThread::handle(Message& message, GroupState& group) {
  if (auto* request = std::get_if<Admit>(&message)) {
    handle_admit(*request, group);
  } else if (auto* early = std::get_if<Early>(&message)) {
    handle_early(*early, group);
  } else if (auto* batch = std::get_if<Batch>(&message)) {
    handle_batch(*batch, group);
  } else if (auto* end = std::get_if<FinishRequest>(&message)) {
    handle_finish(*end, group);
  } else if (auto* load = std::get_if<RuleLoad>(&message)) {
    (void)store_.record_rule_load(load->ok, load->hash, load->count, load->diagnostics);
  }
}

void StoreThread::handle_admit(Admit& request, GroupState& group) {
  auto result = store_.admit(request.file, request.arrival);
  if (result) {
    group.admitted.push_back(result->file_id);
    if (result->admission == store::Admission::kAudit) {
      ++group.unfinished;
      if (group.admit_deadline == GroupState::Clock::time_point{}) {
        group.admit_deadline = GroupState::Clock::now() + kLingerForFinish;
      }
      if (request.arrival != store::Arrival::kFresh) group.commit_soon = true;
    }
  }
  request.reply.set_value(result);
}

// Admission, records and end of a small file at once; it finishes in this group.
void StoreThread::handle_early(Early& early, GroupState& group) {
  audit::Report& report = early.audit.report;
  if (auto result = store_.admit(early.audit.file, store::Arrival::kFresh); !result) {
    report.disposition = audit::Disposition::kFailed;
    report.failure = "store: " + result.error().message();
  } else {
    group.admitted.push_back(result->file_id);
    if (audit::complete_admission(early.audit, *result)) {
      group.any_batch = true;
      for (const store::BatchRecord& record : early.audit.records) {
        if (auto counts = store_.record_batch(record); !counts) {
          group.failed.insert(record.file_id);
          break;
        }
      }
    }
  }
  const bool admit_failed = report.disposition == audit::Disposition::kFailed;
  early.finish.report = std::move(report);
  FileDone& done = group.finished.emplace_back();
  const bool store_failed = group.failed.contains(early.finish.report.file_id);
  if (store_failed) {
    early.finish.report.disposition = audit::Disposition::kFailed;
    early.finish.report.failure = "store: a batch could not be recorded";
  }
  prepare(early.finish, done, group.touched);
  if (admit_failed || store_failed) done.environment = true;
}

void StoreThread::handle_batch(Batch& batch, GroupState& group) {
  group.any_batch = true;
  if (group.failed.contains(batch.record.file_id)) return;
  if (auto counts = store_.record_batch(batch.record); !counts) {
    group.failed.insert(batch.record.file_id);
  }
}

void StoreThread::handle_finish(FinishRequest& end, GroupState& group) {
  if (group.unfinished > 0 && std::find(group.admitted.begin(), group.admitted.end(),
                                        end.report.file_id) != group.admitted.end()) {
    --group.unfinished;
  }
  FileDone& done = group.finished.emplace_back();
  const bool store_failed = group.failed.contains(end.report.file_id) &&
                            end.report.disposition != audit::Disposition::kInterrupted;
  if (store_failed) {
    end.report.disposition = audit::Disposition::kFailed;
    end.report.failure = "store: a batch could not be recorded";
  }
  prepare(end, done, group.touched);
  if (store_failed) done.environment = true;
}

void StoreThread::conclude(GroupState& group, bool committed) {
  static const CrashPoint kCrashPoint = crash_point();
  if (committed && kCrashPoint != CrashPoint::kNone) {
    const bool any_finished = !group.finished.empty();
    if ((kCrashPoint == CrashPoint::kAfterCommit && any_finished) ||
        (kCrashPoint == CrashPoint::kAfterBatch && group.any_batch && !any_finished)) {
      spdlog::warn("CLAIMAUDIT_CRASH_POINT: killing the daemon after a commit");
      ::raise(SIGKILL);
    }
  }
  if (!committed) {
    // Nothing of this group happened: forget its admissions, keep its files for a retry.
    for (const store::FileId id : group.admitted) store_.release(id);
    for (const store::FileId id : group.touched) store_.release(id);
    for (FileDone& done : group.finished) {
      if (!done.destination.empty()) {
        done.disposition = audit::Disposition::kFailed;
        done.environment = true;
        done.error = "store: commit failed";
        done.destination.clear();
      }
    }
  }
  for (FileDone& done : group.finished) {
    if (!done.destination.empty()) {
      if (auto moved = move_file(done.processing_path, done.destination); !moved) {
        // The commit stands; the next start finds the file in processing/ and finishes the move.
        spdlog::error("file={} cannot move to {}: {}", core::log_safe(done.name),
                      core::log_safe(done.destination.string()), moved.error().message());
        done.error = "move failed: " + moved.error().message();
        done.destination.clear();
      }
    }
    done.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - done.started)
            .count();
    on_done_(std::move(done));
  }
}

}  // namespace claimaudit::app
