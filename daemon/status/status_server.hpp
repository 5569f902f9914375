// status/status_server.hpp
//
// StatusServer: HTTP/1.1 with JSON bodies over a Unix stream socket (Boost.Beast on the
// daemon's io_context), so `curl --unix-socket` works as well as claimctl. One coroutine per
// client owns its socket (Asio's cpp20 echo_server plus local/stream_server). The caller's uid
// comes from SO_PEERCRED and its groups from getgrouplist(); roles: read (the read group, or
// any of the other two), review (the review group), admin (the admin group); root has all.
//
// Robustness: bounded header bytes, header count and body; a deadline for each request (slow
// clients are dropped); a cap on concurrent connections (beyond it: 503 and close); malformed
// requests get a 4xx JSON error. Database work runs on the server's own small thread pool,
// never on the loop, so a long export does not delay /v1/status or the watcher.
//
// Threading: construct, start() and stop() on the loop's thread (or before run()); the hooks
// are called on the loop. The destructor stops, joins the database threads and unlinks the
// socket path.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "status/metrics.hpp"
#include "status/protocol.hpp"
#include "status/service.hpp"
#include "store/review.hpp"

namespace claimaudit::status {

struct ServerOptions {
  std::filesystem::path socket_path;  // Required. Default in app/config: <state>/claimauditd.sock.
  std::filesystem::path database;     // Required: the daemon's SQLite file.
  std::string read_group = "claimaudit";           // Default "claimaudit".
  std::string review_group = "claimaudit-review";  // Default "claimaudit-review".
  std::string admin_group = "claimaudit-admin";    // Default "claimaudit-admin".
  std::string socket_group = "claimaudit";         // Group owner of the socket file, if it exists.
  unsigned socket_mode = 0660;                     // Default 0660.
  std::size_t max_connections = 64;                // Default 64; beyond it: 503 and close.
  std::size_t max_header_bytes = std::size_t{16} * 1024;  // Default 16 KiB; beyond it: 431.
  std::size_t max_header_fields = 64;                     // Default 64; beyond it: 431.
  std::size_t max_body_bytes = std::size_t{64} * 1024;    // Default 64 KiB; beyond it: 413.
  std::chrono::milliseconds request_timeout{10'000};      // Default 10 s for a whole request.
  std::chrono::milliseconds idle_timeout{30'000};  // Default 30 s between keep-alive requests.
  std::size_t database_threads = 2;                // Default 2.
  store::ReviewOptions review;                     // Reason codes for waived.
};

struct ReloadResult {
  bool ok = false;
  std::string rule_set_hash;        // The set in force after the attempt.
  std::vector<std::string> errors;  // Rendered diagnostics when !ok.
};

struct ServerHooks {
  // Copies the daemon's state. Called on the loop. Default: an empty snapshot.
  std::function<StatusSnapshot()> snapshot;
  // Starts a rule reload and calls `done` once with its outcome (from any thread). Called on
  // the loop. Default: none (reload answers 501).
  std::function<void(std::function<void(ReloadResult)> done)> reload;
  // Recomputes a finding's explanation trace (GET /v1/findings/{id}). Called on a database
  // thread: must be thread-safe. Default: none ("trace": null with a note).
  TraceHook trace;
};

class StatusServer {
 public:
  // `metrics` may be null; if not, it must outlive the server.
  StatusServer(boost::asio::io_context& io_context, ServerOptions options, ServerHooks hooks,
               Metrics* metrics);
  StatusServer(const StatusServer&) = delete;
  StatusServer& operator=(const StatusServer&) = delete;
  ~StatusServer();

  // Binds the socket (replacing a stale socket file no one listens on), sets its mode and
  // group, and starts accepting. Throws std::system_error (with the path) if the path is in
  // use by a live daemon or cannot be bound: a start-up failure.
  void start();
  // Stops accepting and closes every client connection; pending handlers end with
  // operation_aborted. Idempotent.
  void stop();

  const std::filesystem::path& socket_path() const;
  std::size_t active_connections() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

// The roles of a peer: its uid's passwd entry and groups, checked against `options`' names.
Caller identify_caller(uid_t uid, gid_t gid, const ServerOptions& options);

}  // namespace claimaudit::status
