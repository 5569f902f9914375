// app/daemon.hpp
//
// Daemon: claimauditd itself. It owns the event loop and every part, in build order (member
// order is teardown order; the comments say why), and wires them as STYLE.md 2.4-2.5 describe:
// the watcher reports ready files on the loop; the loop moves each into processing/ (the
// rename that makes it ours), captures the current rule set and posts a job to the audit pool
// while fewer than max_in_flight files are in hand (back-pressure: the rest wait in their drop
// directory, as names only); the job runs audit::process_file with the store thread as its
// sink; the store thread commits and then moves the file; the loop logs one line per file.
//
// Start-up failures throw StartupError (main maps it to the exit code). run() returns on
// SIGTERM/SIGINT after finishing the claims in hand and committing them. Not copyable; all
// methods except the constructor run on the loop's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/config.hpp"
#include "app/store_thread.hpp"
#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "core/exit_code.hpp"
#include "rules/rule_set.hpp"
#include "store/store.hpp"
#include "watch/drop_watcher.hpp"

namespace claimaudit::status {
class Metrics;
}

namespace claimaudit::app {

// A start-up failure: the message (and diagnostics, e.g. every rule error) go to stderr.
class StartupError : public std::runtime_error {
 public:
  StartupError(core::ExitCode code, const std::string& message,
               std::vector<core::Diagnostic> diagnostics = {})
      : std::runtime_error(message), code_(code), diagnostics_(std::move(diagnostics)) {}
  core::ExitCode code() const { return code_; }
  const std::vector<core::Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  core::ExitCode code_;
  std::vector<core::Diagnostic> diagnostics_;
};

// The daemon's state, copied for status answers and sd_notify STATUS= lines. The status server
// (issue 7) turns it into its status::StatusSnapshot.
struct DaemonStatus {
  std::string started_at;  // UTC ISO-8601.
  std::int64_t uptime_seconds = 0;
  std::string rule_set_hash;
  std::int64_t rule_count = 0;
  std::string rules_loaded_at;
  std::vector<std::string> rule_load_errors;  // Rendered, of the last failed load; else empty.
  std::int64_t reload_failures = 0;
  std::vector<std::string> code_editions;
  std::int64_t inbox_depth = 0;       // Ready files waiting for a slot.
  std::int64_t processing_depth = 0;  // Files in hand.
  std::int64_t store_queue_depth = 0;
  std::int64_t files_archived = 0;  // Since start.
  std::int64_t files_quarantined = 0;
  std::int64_t files_duplicate = 0;
  std::int64_t files_failed = 0;
  std::int64_t claims = 0;
  std::int64_t findings = 0;
  std::string last_error;  // Without PHI.
};

struct ReloadOutcome {
  bool ok = false;
  std::string rule_set_hash;        // In force after the attempt.
  std::vector<std::string> errors;  // Rendered diagnostics when !ok.
};

class Daemon {
 public:
  // Creates the state folders, checks every drop directory shares the state directory's file
  // system, opens the store, loads the code set and the rules. Throws StartupError: kConfig for
  // a bad rule pack (with every diagnostic), a drop directory elsewhere, a missing code set;
  // kFailure for an environment failure.
  explicit Daemon(Config config);
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  ~Daemon();

  // Recovers processing/, starts watching, sends READY=1, runs the loop until SIGTERM/SIGINT,
  // then stops cleanly. Returns the exit code (0).
  int run();

  DaemonStatus status() const;
  // Reloads the rules off the loop; `done` (may be empty) is called on the loop with the outcome.
  void reload_rules(std::function<void(ReloadOutcome)> done);

 private:
  struct Pending {
    std::filesystem::path path;
    std::size_t drop_index = 0;
    store::Arrival arrival = store::Arrival::kFresh;
    // The name as dropped, when `path` (in processing/) had to take another (a file of that
    // name still there); empty: path's own name.
    std::string name;
    // Written in the drop folder this long after a file of the same name was taken from it:
    // most likely the rest of that file (see appended_after()).
    std::optional<std::chrono::milliseconds> after_take;
  };

  // How long ago a file named `name` was taken from drop directory `drop`, if within
  // kAppendWindow: a file written there so soon after under the same name is most likely more
  // written to the file that was taken (a writer that appends after closing, `>>`, or closes
  // and re-opens), not a file of its own.
  std::optional<std::chrono::milliseconds> appended_after(std::size_t drop,
                                                          const std::string& name) const;
  void remember_taken(std::size_t drop, const std::string& name);
  void make_directories();
  void recover();
  void enqueue(Pending item);
  void pump();
  void start_job(const Pending& item);
  void on_done(FileDone done);
  // on_done of a failed file: logged, and retried after kRetryDelay unless stopping.
  void retry_later(const FileDone& done);
  void on_rules_loaded(rules::RuleLoadResult result);
  void wait_for_signal();
  void begin_shutdown();
  void arm_watchdog();
  void start_status_server();
  void publish_status();

  Config config_;                       // Read once; SIGHUP reloads rules, not config.
  codes::CodeSet codes_;                // Before every rule set: they borrow it.
  codes::EditLists edits_;              // Likewise.
  boost::asio::io_context io_context_;  // Run by the thread that calls run().
  std::unique_ptr<StoreThread>
      store_thread_;                     // Owns the Store; after io_context_, which it posts to.
  boost::asio::thread_pool audit_pool_;  // After the store thread: workers call into it.
  boost::asio::thread_pool reload_pool_{1};  // Compiles rule sets off the loop.
  // ~thread_pool() stops and DROPS queued work: run() joins audit_pool_ and then stops the
  // store thread, so every finished audit is committed before anything is destroyed.
  watch::DropWatcher watcher_;  // Holds a reference to io_context_.
  std::unique_ptr<watch::DropWatcher> rule_watcher_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer watchdog_timer_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer reload_timer_;       // Debounces rule-directory changes.
  std::shared_ptr<const rules::RuleSet> rules_;  // Swapped on the loop; jobs capture a copy.
  // Guards rules_ against the swap for readers off the loop (the status server's trace hook);
  // the loop itself reads rules_ without it, being its only writer.
  mutable std::mutex rules_mutex_;
  std::atomic<bool> stop_{false};  // Seen by jobs between batches.

  // Files in hand (in processing/) quarantined as E-FILE-APPENDED, with Pending::after_take.
  std::map<std::filesystem::path, std::chrono::milliseconds> appended_;
  // Names taken from the drop directories in the last kAppendWindow, and when.
  std::map<std::pair<std::size_t, std::string>, std::chrono::steady_clock::time_point> taken_;
  std::deque<Pending> pending_;
  std::set<std::filesystem::path> pending_paths_;
  std::vector<Pending> retry_;  // Failed files waiting for retry_timer_.
  int failures_in_a_row_ = 0;   // Failed files since the last one that finished: the backoff.
  bool rescan_needed_ = false;  // pending_ was full: scan again when it drains.
  int in_flight_ = 0;
  bool stopping_ = false;
  bool reloading_ = false;
  bool reload_again_ = false;
  std::vector<std::function<void(ReloadOutcome)>> reload_waiters_;
  DaemonStatus status_;
  // Drop directories not watched now, by index, with the problem the watcher said: shown as
  // status_.last_error until that directory is watched again (then, if last_error is still
  // that problem, the problem of another one still not watched, or nothing).
  std::map<std::size_t, std::string> drop_problems_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_status_notify_{};
  // The status server (issue 7, when built): created on the loop before READY=1 with status()
  // and reload_rules() as its hooks. Last member, destroyed first: it unlinks the socket.
  std::shared_ptr<void> status_server_;
  // The counters /v1/metrics serves; on_done() feeds them. Shared with the status server.
  std::shared_ptr<status::Metrics> metrics_;
};

}  // namespace claimaudit::app
