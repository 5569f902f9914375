#include "app/daemon.hpp"

#include <sys/stat.h>

#include <optional>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "app/crash_marker.hpp"
#include "app/file_moves.hpp"
#include "app/finding_trace.hpp"
#include "app/notify.hpp"
#include "audit/process_file.hpp"
#include "core/log_safe.hpp"
#ifdef CLAIMAUDIT_HAVE_STATUS
#include "status/metrics.hpp"
#include "status/status_server.hpp"
#endif

namespace claimaudit::app {
namespace {

constexpr std::size_t kMaxPending = 20000;  // Names kept in memory; beyond, rescan later.
// A failed file is retried after 1 s, doubled for each failure in a row up to 64 s: a full disk
// or a broken store is not asked again every second, with a log line each time.
constexpr auto kRetryDelay = std::chrono::seconds(1);
constexpr int kMaxRetryDoublings = 6;
constexpr auto kReloadDebounce = std::chrono::milliseconds(200);
// A file written in a drop folder this soon after one of the same name was taken from it is
// taken for more written to that file (Daemon::appended_after) when it does not begin as a
// document of its own (a fragment: quarantined, E-FILE-APPENDED). A writer that appends after
// closing does so within milliseconds to seconds. A sender that writes whole files in place
// under one name more often than this has them audited, each with W-FILE-WRITTEN-AFTER-TAKE.
constexpr auto kAppendWindow = std::chrono::seconds(10);
// Rule timing samples one claim in this many per file (the first included): with ~13 clock
// reads a claim at ~50 ns each (kvm-clock), timing every claim would cost a few per cent of the
// audit; one in eight keeps it well under one per cent and still fills the histogram.
constexpr int kRuleTimeEvery = 8;

codes::CodeSet load_codes() {
  try {
    return codes::CodeSet::load_default();
  } catch (const std::exception& error) {
    throw StartupError(core::ExitCode::kConfig,
                       std::string("cannot load the ICD-10-CM code set: ") + error.what());
  }
}

codes::EditLists load_edits() {
  try {
    return codes::EditLists::load_default();
  } catch (const std::exception& error) {
    throw StartupError(core::ExitCode::kConfig,
                       std::string("cannot load the edit lists: ") + error.what());
  }
}

std::vector<std::filesystem::path> drop_paths(const Config& config) {
  std::vector<std::filesystem::path> paths;
  for (const DropDirectory& drop : config.drop_dirs) paths.push_back(drop.path);
  return paths;
}

std::vector<std::string> rendered(const std::vector<core::Diagnostic>& diagnostics) {
  std::vector<std::string> lines;
  for (const core::Diagnostic& diagnostic : diagnostics) {
    if (diagnostic.severity == core::Severity::kError) lines.push_back(core::render(diagnostic));
  }
  return lines;
}

}  // namespace

Daemon::Daemon(Config config)
    : config_(std::move(config)),
      codes_(load_codes()),
      edits_(load_edits()),
      audit_pool_(static_cast<std::size_t>(std::max(config_.workers, 1))),
      watcher_(io_context_, drop_paths(config_), watch::DropWatcher::Mode::kReadyFiles,
               [this](watch::ReadyFile file) {
                 Pending item{std::move(file.path), file.directory, store::Arrival::kFresh, {}, {}};
                 if (!file.renamed_in) {
                   item.after_take = appended_after(file.directory, item.path.filename().string());
                 }
                 enqueue(std::move(item));
               }),
      signals_(io_context_),
      watchdog_timer_(io_context_),
      retry_timer_(io_context_),
      reload_timer_(io_context_),
      started_(std::chrono::steady_clock::now()) {
  status_.started_at = store::now_utc_iso();
  make_directories();
  for (const DropDirectory& drop : config_.drop_dirs) {
    if (!same_file_system(drop.path, config_.state_dir)) {
      throw StartupError(core::ExitCode::kConfig,
                         "drop directory " + drop.path.string() +
                             " is not on the same file system as the state directory " +
                             config_.state_dir.string() +
                             ": files are committed by rename(2), which cannot cross file "
                             "systems; move the drop directory or the state directory");
    }
  }
  auto loaded = rules::load_rule_set(config_.rule_dirs, codes_, edits_);
  if (!loaded.rule_set) {
    throw StartupError(core::ExitCode::kConfig, "the rule pack has errors; not starting",
                       std::move(loaded.diagnostics));
  }
  for (const core::Diagnostic& diagnostic : loaded.diagnostics) {
    spdlog::warn("{}", core::render(diagnostic));
  }
  rules_ = std::move(loaded.rule_set);
  // Did the previous daemon die of a fault (only then do its unfinished audits count against
  // their files), or was it stopped from outside?
  const auto marker = crash_marker::path(config_.state_dir);
  const auto crashed = crash_marker::take(marker);
  if (crashed) {
    spdlog::warn("the previous claimauditd died of a fatal signal ({})",
                 crashed->substr(0, crashed->find('\n')));
  }
  crash_marker::arm(marker);
  try {
    store_thread_ = std::make_unique<StoreThread>(
        config_,
        [this](FileDone done) {
          boost::asio::post(io_context_,
                            [this, done = std::move(done)]() mutable { on_done(std::move(done)); });
        },
        crashed.has_value());
  } catch (const std::exception& error) {
    throw StartupError(core::ExitCode::kFailure, error.what());
  }
  store_thread_->record_rule_load(true, rules_->hash(), static_cast<int>(rules_->rule_count()),
                                  loaded.diagnostics);
  status_.rule_set_hash = rules_->hash();
  status_.rule_count = static_cast<std::int64_t>(rules_->rule_count());
  status_.rules_loaded_at = store::now_utc_iso();
  for (const codes::Edition& edition : codes_.editions()) {
    status_.code_editions.push_back(edition.name);
  }
  spdlog::info("rules loaded: {} rules, rule set {}", rules_->rule_count(), rules_->hash());
#ifdef CLAIMAUDIT_HAVE_STATUS
  // Before any job can run (recovery starts jobs before the status server): workers feed it.
  metrics_ = std::make_shared<status::Metrics>();
#endif
}

Daemon::~Daemon() {
  stop_ = true;
  audit_pool_.join();
  if (store_thread_) store_thread_->stop();
}

void Daemon::make_directories() {
  std::vector<std::filesystem::path> directories{config_.state_dir, config_.processing_dir(),
                                                 config_.archive_dir(), config_.quarantine_dir()};
  for (const DropDirectory& drop : config_.drop_dirs) {
    directories.push_back(drop.path);
    directories.push_back(config_.processing_dir() / drop.name);
  }
  // The local override folder (the last rule directory) is created so edits there are watched.
  if (config_.rule_dirs.size() > 1) directories.push_back(config_.rule_dirs.back());
  for (const auto& directory : directories) {
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) {
      throw StartupError(core::ExitCode::kFailure,
                         "cannot create " + directory.string() + ": " + error.message());
    }
  }
}

void Daemon::recover() {
  // Files left in processing/ by a daemon that stopped are audited again, first.
  std::error_code error;
  for (std::size_t index = 0; index < config_.drop_dirs.size(); ++index) {
    const auto folder = config_.processing_dir() / config_.drop_dirs[index].name;
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::directory_iterator(folder, error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
      if (it->is_regular_file(error)) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (auto& file : files) {
      spdlog::info("file={} recovered from processing/", core::log_safe(file.filename().string()));
      enqueue(Pending{std::move(file), index, store::Arrival::kRecovered, {}, {}});
    }
  }
}

void Daemon::enqueue(Pending item) {
  if (stopping_) return;
  if (pending_paths_.contains(item.path)) return;
  if (pending_.size() >= kMaxPending) {
    rescan_needed_ = true;  // The file stays in its drop directory; a later scan finds it.
    return;
  }
  pending_paths_.insert(item.path);
  pending_.push_back(std::move(item));
  pump();
}

void Daemon::pump() {
  while (!stopping_ && in_flight_ < config_.max_in_flight && !pending_.empty()) {
    Pending item = std::move(pending_.front());
    pending_.pop_front();
    pending_paths_.erase(item.path);
    if (item.arrival == store::Arrival::kFresh) {
      // The rename makes the file ours: a second event or a rescan can no longer pick it.
      const auto folder = config_.processing_dir() / config_.drop_dirs[item.drop_index].name;
      // The name as dropped stays the file's name (records, archive, quarantine), also when
      // an earlier file of that name is still in processing/ and this one is renamed there.
      item.name = item.path.filename().string();
      const auto target = free_name(folder, item.name);
      if (auto moved = move_file(item.path, target); !moved) {
        if (moved.error() != boost::system::errc::no_such_file_or_directory) {
          spdlog::error("file={} cannot move into processing/: {}",
                        core::log_safe(item.path.filename().string()), moved.error().message());
          status_.last_error = "cannot move a file into processing/: " + moved.error().message();
        }
        continue;
      }
      item.path = target;
      remember_taken(item.drop_index, item.name);
    }
    start_job(item);
  }
  if (pending_.empty() && rescan_needed_ && !stopping_) {
    rescan_needed_ = false;
    watcher_.rescan();
  }
}

std::optional<std::chrono::milliseconds> Daemon::appended_after(std::size_t drop,
                                                                const std::string& name) const {
  const auto found = taken_.find({drop, name});
  if (found == taken_.end()) return std::nullopt;
  const auto since = std::chrono::steady_clock::now() - found->second;
  if (since > kAppendWindow) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(since);
}

void Daemon::remember_taken(std::size_t drop, const std::string& name) {
  const auto now = std::chrono::steady_clock::now();
  if (taken_.size() >= 1024) {
    std::erase_if(taken_, [now](const auto& entry) { return now - entry.second > kAppendWindow; });
  }
  taken_[{drop, name}] = now;
}

void Daemon::start_job(const Pending& item) {
  ++in_flight_;
  const DropDirectory& drop = config_.drop_dirs[item.drop_index];
  audit::Job job;
  job.path = item.path;
  job.name = item.name.empty() ? item.path.filename().string() : item.name;
  job.drop_dir = drop.name;
  job.read_options.default_payer_kind = drop.payer_kind;
  job.read_options.default_claim_kind = drop.claim_kind;
  job.arrival = item.arrival;
  job.rules = rules_;  // Pinned: a reload during the audit does not touch this file.
  job.stop = &stop_;
  if (item.after_take) {
    appended_[item.path] = *item.after_take;
    const auto after = std::to_string(item.after_take->count());
    spdlog::warn(
        "file={} was written in drop directory {} {} ms after a file of that name was taken "
        "from it: if it does not begin as a document of its own, it is more written to that "
        "file after it was closed, and quarantined",
        core::log_safe(job.name), drop.name, after);
    // The same file's two readings, decided by process_file() from its first bytes: the rest
    // of the earlier file (a fragment: refused), or a document of its own (audited, and said).
    const std::string when = "written in the drop folder " + after +
                             " ms after claimauditd took a file of the same name from it";
    auto said = [&job, &when](core::Severity severity, const char* code, std::string rest) {
      return core::Diagnostic{severity, code, {job.name, 0, 0, ""}, when + std::move(rest)};
    };
    job.refusal = said(
        core::Severity::kError, "E-FILE-APPENDED",
        ": most likely the rest of that file, written after it was closed (a writer that "
        "appends, such as >>, or closes and re-opens it), so it is not audited as a file of its "
        "own, and the file taken before may be incomplete (see its findings and diagnostics). "
        "Writers must write elsewhere (or as NAME.tmp or NAME.part) and rename the finished file "
        "into the drop folder. If this is a whole claim file, move it back into the drop folder");
    job.refusal_unless_document = said(
        core::Severity::kWarning, "W-FILE-WRITTEN-AFTER-TAKE",
        "; it begins as a document of its own, so it was audited as one. If it was written to "
        "the earlier file after that was closed (a writer that appends, such as >>), the earlier "
        "file may be incomplete (see its diagnostics). Writers should write elsewhere (or as "
        "NAME.tmp or NAME.part) and rename the finished file into the drop folder");
  }
  const auto started = std::chrono::steady_clock::now();
  boost::asio::post(
      audit_pool_, [this, job = std::move(job), drop_index = item.drop_index, started]() mutable {
        audit::Report report;
#ifdef CLAIMAUDIT_HAVE_STATUS
        // Rule timings go to this job's own batch (no lock on the evaluation path) and into
        // the shared metrics once, below.
        status::RuleTimeBatch rule_times;
        job.rule_time_every = kRuleTimeEvery;
        job.rule_times = [&rule_times](std::span<const rules::RuleTime> times) {
          for (const rules::RuleTime& time : times) rule_times.observe(time.rule, time.nanoseconds);
        };
#endif
        std::optional<audit::EarlyAudit> early;
        if (stop_.load()) {
          report.disposition = audit::Disposition::kInterrupted;
        } else if (job.arrival == store::Arrival::kFresh &&
                   (early = audit::audit_first(job)).has_value()) {
          // A small file, audited already: admission, records and end go in one hand-off.
        } else {
          try {
            report = audit::process_file(job, *store_thread_);
          } catch (const std::exception& error) {
            // Before admission (process_file catches later failures itself): nothing recorded.
            report.disposition = audit::Disposition::kFailed;
            report.failure = std::string("internal error: ") + error.what();
          }
        }
#ifdef CLAIMAUDIT_HAVE_STATUS
        job.rule_times = nullptr;
        if (!rule_times.empty()) {
          const rules::RuleSet& set = *job.rules;
          metrics_->add_rule_times(rule_times, [&set](std::size_t index) -> const std::string& {
            return set.loaded_rule_id(index);
          });
        }
#endif
        FinishRequest request{job.path, job.name, drop_index, std::move(report), started};
        request.arrival = job.arrival;
        if (early) {
          store_thread_->finish_early(std::move(*early), std::move(request));
        } else {
          store_thread_->finish(std::move(request));
        }
      });
}

namespace {

// The status counter of a file's disposition.
void count_file(DaemonStatus& status, audit::Disposition disposition) {
  switch (disposition) {
    case audit::Disposition::kArchived:
      ++status.files_archived;
      break;
    case audit::Disposition::kQuarantined:
    case audit::Disposition::kPoison:
      ++status.files_quarantined;
      break;
    case audit::Disposition::kDuplicate:
    case audit::Disposition::kFinished:
      ++status.files_duplicate;
      break;
    case audit::Disposition::kFailed:
      ++status.files_failed;
      break;
    case audit::Disposition::kGone:
    case audit::Disposition::kInterrupted:
      break;
  }
}

}  // namespace

void Daemon::on_done(FileDone done) {
  --in_flight_;
  count_file(status_, done.disposition);
  status_.claims += done.claims;
  status_.findings += done.findings;
#ifdef CLAIMAUDIT_HAVE_STATUS
  if (metrics_ && done.disposition != audit::Disposition::kInterrupted &&
      done.disposition != audit::Disposition::kGone) {
    metrics_->count_file(audit::to_string(done.disposition));
    metrics_->count_claims("read", static_cast<std::uint64_t>(done.claims));
    metrics_->observe_file_latency(done.milliseconds / 1000.0);
    metrics_->set_quarantined(status_.files_quarantined);
  }
#endif
  if (done.disposition == audit::Disposition::kFailed) {
    retry_later(done);  // Reads appended_ first.
  } else if (done.disposition != audit::Disposition::kInterrupted) {
    if (done.disposition != audit::Disposition::kGone) failures_in_a_row_ = 0;
    // An archived file's findings as the queue has them: the store adds claim.duplicate for a
    // claim already audited from another file, which the audit itself could not know.
    const int findings =
        done.disposition == audit::Disposition::kArchived ? done.recorded_findings : done.findings;
    spdlog::info(
        "file={} claims={} findings={} disposition={} attempts={} ms={:.1f}{}{}",
        core::log_safe(done.name), done.claims, findings, audit::to_string(done.disposition),
        done.attempts, done.milliseconds, done.destination.empty() ? "" : " to=",
        done.destination.empty()
            ? std::string()
            : core::log_safe(done.destination.lexically_relative(config_.state_dir).string()));
  }
  appended_.erase(done.processing_path);
  publish_status();
  pump();
}

void Daemon::retry_later(const FileDone& done) {
  spdlog::warn("file={} audit failed (attempt {}): {}; retrying", core::log_safe(done.name),
               done.attempts, core::log_safe(done.error));
  status_.last_error = done.name + ": " + done.error;
  if (stopping_) return;
  // A failure of the store or the file system is not the file's: its retry is not an attempt.
  // A file quarantined as E-FILE-APPENDED stays one on its retry.
  const auto appended = appended_.find(done.processing_path);
  retry_.push_back(Pending{
      done.processing_path, done.drop_index,
      done.environment ? store::Arrival::kRetried : store::Arrival::kRecovered, done.name,
      appended == appended_.end() ? std::nullopt
                                  : std::optional<std::chrono::milliseconds>(appended->second)});
  const int doublings = std::min(failures_in_a_row_++, kMaxRetryDoublings);
  if (retry_.size() != 1) return;
  retry_timer_.expires_after(kRetryDelay * (1 << doublings));
  retry_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopping_) return;
    auto items = std::move(retry_);
    retry_.clear();
    for (auto& retry : items) enqueue(std::move(retry));
  });
}

void Daemon::publish_status() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_status_notify_ < std::chrono::seconds(1)) return;
  last_status_notify_ = now;
  notify_status(std::to_string(status_.files_archived) + " files archived, " +
                std::to_string(status_.files_quarantined) + " quarantined, " +
                std::to_string(status_.claims) + " claims; " + std::to_string(in_flight_) +
                " in hand, " + std::to_string(pending_.size()) + " waiting");
}

DaemonStatus Daemon::status() const {
  DaemonStatus copy = status_;
  copy.uptime_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_)
          .count();
  copy.inbox_depth = static_cast<std::int64_t>(pending_.size());
  copy.processing_depth = in_flight_;
  copy.store_queue_depth = static_cast<std::int64_t>(store_thread_->queue_depth());
  return copy;
}

void Daemon::reload_rules(std::function<void(ReloadOutcome)> done) {
  if (done) reload_waiters_.push_back(std::move(done));
  if (reloading_) {
    reload_again_ = true;
    return;
  }
  reloading_ = true;
  boost::asio::post(reload_pool_, [this] {
    auto result = rules::load_rule_set(config_.rule_dirs, codes_, edits_);
    boost::asio::post(io_context_, [this, result = std::move(result)]() mutable {
      on_rules_loaded(std::move(result));
    });
  });
}

void Daemon::on_rules_loaded(rules::RuleLoadResult result) {
  reloading_ = false;
  ReloadOutcome outcome;
  if (result.rule_set) {
    outcome.ok = true;
    if (result.rule_set->hash() != rules_->hash()) {
      {
        std::lock_guard lock(rules_mutex_);
        rules_ = std::move(result.rule_set);  // Files that start from now on use the new set.
      }
      spdlog::info("rules reloaded: {} rules, rule set {}", rules_->rule_count(), rules_->hash());
      status_.rules_loaded_at = store::now_utc_iso();
    } else {
      spdlog::info("rules reloaded: unchanged, rule set {}", rules_->hash());
    }
    status_.rule_set_hash = rules_->hash();
    status_.rule_count = static_cast<std::int64_t>(rules_->rule_count());
    status_.rule_load_errors.clear();
#ifdef CLAIMAUDIT_HAVE_STATUS
    if (metrics_) metrics_->count_reload();
#endif
    store_thread_->record_rule_load(true, rules_->hash(), static_cast<int>(rules_->rule_count()),
                                    result.diagnostics);
  } else {
    ++status_.reload_failures;
#ifdef CLAIMAUDIT_HAVE_STATUS
    if (metrics_) metrics_->count_reload_failure();
#endif
    status_.rule_load_errors = rendered(result.diagnostics);
    outcome.errors = status_.rule_load_errors;
    spdlog::error("rules reload failed; still using rule set {}", rules_->hash());
    for (const std::string& line : status_.rule_load_errors) spdlog::error("{}", line);
    store_thread_->record_rule_load(false, "", 0, result.diagnostics);
  }
  outcome.rule_set_hash = rules_->hash();
  auto waiters = std::move(reload_waiters_);
  reload_waiters_.clear();
  for (auto& waiter : waiters) waiter(outcome);
  if (reload_again_ && !stopping_) {
    reload_again_ = false;
    reload_rules({});
  }
}

void Daemon::wait_for_signal() {
  signals_.async_wait([this](const boost::system::error_code& error, int signal_number) {
    if (error) return;  // operation_aborted: shutting down.
    if (signal_number == SIGHUP) {
      spdlog::info("SIGHUP: reloading rules");
      reload_rules({});
      wait_for_signal();
      return;
    }
    spdlog::info("signal {}: finishing the claims in hand", signal_number);
    begin_shutdown();
  });
}

void Daemon::begin_shutdown() {
  if (stopping_) return;
  stopping_ = true;
  stop_ = true;
  notify_stopping();
  watcher_.stop();
  if (rule_watcher_) rule_watcher_->stop();
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  watchdog_timer_.cancel();
  retry_timer_.cancel();
  reload_timer_.cancel();
  status_server_.reset();
  io_context_.stop();
}

void Daemon::arm_watchdog() {
  const auto interval = watchdog_interval();
  if (!interval) return;
  watchdog_timer_.expires_after(*interval);
  watchdog_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopping_) return;
    notify_watchdog();
    arm_watchdog();
  });
}

int Daemon::run() {
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  signals_.add(SIGHUP);
  wait_for_signal();
  recover();
  // A drop directory that cannot be watched (mounted over, unmounted) shows in the status until
  // it is watched again; an error said since (a failed move, a failed audit) is left as it is.
  watcher_.set_problem_handler([this](std::size_t index, std::string problem) {
    if (!problem.empty()) {
      status_.last_error = problem;
      drop_problems_[index] = std::move(problem);
    } else if (const auto said = drop_problems_.find(index); said != drop_problems_.end()) {
      const bool shown = status_.last_error == said->second;
      drop_problems_.erase(said);
      if (shown) {
        status_.last_error =
            drop_problems_.empty() ? std::string() : drop_problems_.begin()->second;
      }
    }
    publish_status();
  });
  try {
    watcher_.start();
  } catch (const std::system_error& error) {
    throw StartupError(core::ExitCode::kFailure, error.what());
  }
  rule_watcher_ = std::make_unique<watch::DropWatcher>(
      io_context_, config_.rule_dirs, watch::DropWatcher::Mode::kChanges,
      watch::DropWatcher::ReadyHandler{}, [this] {
        reload_timer_.expires_after(kReloadDebounce);
        reload_timer_.async_wait([this](const boost::system::error_code& error) {
          if (error || stopping_) return;
          spdlog::info("rule directory changed: reloading rules");
          reload_rules({});
        });
      });
  rule_watcher_->start();
  start_status_server();
  arm_watchdog();
  notify_ready();
  spdlog::info("claimauditd {} ready: state {}, {} drop director{}, {} workers", CLAIMAUDIT_VERSION,
               config_.state_dir.string(), config_.drop_dirs.size(),
               config_.drop_dirs.size() == 1 ? "y" : "ies", config_.workers);
  io_context_.run();

  // Shutdown: jobs stop between batches; everything they handed over is committed and moved.
  const auto stopping_since = std::chrono::steady_clock::now();
  audit_pool_.join();
  store_thread_->stop();
  io_context_.restart();
  io_context_.poll();  // The last completions: their log lines.
  spdlog::info("claimauditd stopped in {} ms",
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - stopping_since)
                   .count());
  return core::to_int(core::ExitCode::kOk);
}

void Daemon::start_status_server() {
#ifdef CLAIMAUDIT_HAVE_STATUS
  status::ServerOptions options;
  options.socket_path = config_.socket_path;
  options.database = config_.database_path();
  options.socket_group = config_.socket_group;
  options.read_group = config_.read_group;
  options.review_group = config_.review_group;
  options.admin_group = config_.admin_group;
  options.max_connections = static_cast<std::size_t>(config_.max_connections);
  options.review.reason_codes = config_.reason_codes;
  status::ServerHooks hooks;
  hooks.snapshot = [this] {
    const DaemonStatus state = status();
    status::StatusSnapshot snapshot;
    snapshot.version = CLAIMAUDIT_VERSION;
    snapshot.uptime_seconds = state.uptime_seconds;
    snapshot.started_at = state.started_at;
    snapshot.rule_set_hash = state.rule_set_hash;
    snapshot.rule_count = state.rule_count;
    snapshot.rules_loaded_at = state.rules_loaded_at;
    snapshot.rule_load_errors = state.rule_load_errors;
    snapshot.reload_failures = state.reload_failures;
    snapshot.code_editions = state.code_editions;
    snapshot.inbox_depth = state.inbox_depth;
    snapshot.processing_depth = state.processing_depth;
    snapshot.store_queue_depth = state.store_queue_depth;
    snapshot.last_error = state.last_error;
    if (metrics_) snapshot.not_evaluated = metrics_->not_evaluated();
    return snapshot;
  };
  hooks.reload = [this](std::function<void(status::ReloadResult)> done) {
    reload_rules([done = std::move(done)](const ReloadOutcome& outcome) {
      done(status::ReloadResult{outcome.ok, outcome.rule_set_hash, outcome.errors});
    });
  };
  hooks.trace = [this](const status::TraceRequest& request) {
    std::shared_ptr<const rules::RuleSet> current;
    {
      std::lock_guard lock(rules_mutex_);
      current = rules_;
    }
    FindingTraceRequest input;
    input.rule_id = request.rule_id;
    input.rule_set_hash = request.rule_set_hash;
    input.fingerprint = request.fingerprint;
    input.diagnosis_seq = request.diagnosis_seq;
    input.line_seq = request.line_seq;
    input.stored_path = request.source.stored_path;
    input.drop_dir = request.source.drop_dir;
    input.claim_fingerprint = request.source.claim_fingerprint;
    input.position = request.source.position;
    FindingTrace traced = trace_finding(input, *current, config_);
    status::TraceAnswer answer;
    answer.note = std::move(traced.note);
    if (traced.explanation) {
      status::Trace trace;
      trace.verdict = traced.explanation->verdict;
      trace.subject = traced.explanation->subject;
      trace.reason = traced.explanation->reason;
      for (const rules::ExplainStep& step : traced.explanation->steps) {
        trace.steps.push_back({step.depth, step.expression, step.value});
      }
      trace.facts = std::move(traced.explanation->facts);
      answer.trace = std::move(trace);
    }
    return answer;
  };
  if (!metrics_) metrics_ = std::make_shared<status::Metrics>();
  auto server = std::make_shared<status::StatusServer>(io_context_, std::move(options),
                                                       std::move(hooks), metrics_.get());
  try {
    server->start();
  } catch (const std::exception& error) {
    throw StartupError(core::ExitCode::kFailure,
                       std::string("cannot open the status socket: ") + error.what());
  }
  status_server_ = std::move(server);
#endif
}

}  // namespace claimaudit::app
