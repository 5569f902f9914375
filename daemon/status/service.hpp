// status/service.hpp
//
// Service: turns one parsed request into one response (routes, roles, JSON), without seeing a
// socket (STYLE.md 1, Asio examples: request_handler). The server reads the request, finds the
// caller's roles from SO_PEERCRED, then calls handle() on a database thread. Each call borrows
// one pair of SQLite connections (read-only queries, review writes) from a small pool, so any
// number of threads may call handle() at once.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "status/metrics.hpp"
#include "status/protocol.hpp"
#include "store/queries.hpp"
#include "store/review.hpp"

namespace claimaudit::status {

// Who is calling, from SO_PEERCRED and the group database.
struct Caller {
  uid_t uid = 0;
  std::string user;  // Login name; "uid:N" when the uid has no passwd entry.
  bool read = false;
  bool review = false;
  bool admin = false;
  bool allowed(Role role) const {
    return role == Role::kRead ? read : (role == Role::kReview ? review : admin);
  }
};

struct Request {
  Method method = Method::kGet;
  std::string target;
  std::string body;
  Caller caller;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string allow;  // The Allow header of a 405.
};

// The explanation trace of GET /v1/findings/{id}, recomputed on demand by the daemon (which owns
// the rule set and the archived files): status asks through a hook, since it may not use the
// rules engine itself (STYLE.md 2.3).
struct TraceRequest {
  std::int64_t finding_id = 0;
  std::string rule_id;
  std::string rule_set_hash;  // The set that made the finding.
  std::string fingerprint;    // The finding's.
  int diagnosis_seq = 0;
  int line_seq = 0;
  store::FindingSource source;
};
struct TraceStep {
  int depth = 0;           // 0: the rule's condition.
  std::string expression;  // Canonical text.
  std::string value;       // Its value as the engine rendered it.
};
struct Trace {
  std::string verdict;  // "fired".
  std::string subject;  // "diagnosis 1 M54.5, dos 2021-10-01"; empty for claim rules.
  std::string reason;   // The message the rule fired with.
  std::vector<TraceStep> steps;
  std::vector<std::string> facts;  // Code-history and edit-list facts used.
};
struct TraceAnswer {
  std::optional<Trace> trace;  // Null when it cannot be recomputed faithfully ...
  std::string note;            // ... and then why (never empty in that case).
};
// Called on a database thread, so it must be thread-safe.
using TraceHook = std::function<TraceAnswer(const TraceRequest&)>;

class Service {
 public:
  // `database` is opened lazily, once per pooled connection, so a database that does not exist
  // yet answers 503 instead of failing the daemon. `metrics` may be null.
  Service(std::filesystem::path database, store::ReviewOptions review, const Metrics* metrics);
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;
  ~Service();

  // Sets the hook GET /v1/findings/{id} recomputes the trace with (call before handle() runs;
  // without one the answer has "trace": null and a note saying so).
  void set_trace_hook(TraceHook hook) { trace_hook_ = std::move(hook); }

  // The route and role checks, without touching the database: a 4xx response if the request
  // is refused, nullopt (with `route` set) if it may proceed.
  std::optional<Response> admit(const Request& request, Route& route, Query& query) const;

  // Answers one admitted request. `snapshot` is used by /v1/status. Never throws: failures
  // of the environment become 503 with a JSON error.
  Response handle(const Request& request, const Route& route, const Query& query,
                  const StatusSnapshot& snapshot);

 private:
  struct Connections;
  std::unique_ptr<Connections> take();
  void give_back(std::unique_ptr<Connections> connections);

  Response metrics(Connections& db);
  Response status(Connections& db, const StatusSnapshot& snapshot);
  Response findings(Connections& db, const Query& query);
  Response finding(Connections& db, std::int64_t id);
  TraceAnswer explain_trace(const model::FindingRecord& finding,
                            const std::optional<store::FindingSource>& source) const;
  Response claim(Connections& db, const std::string& claim_id);
  Response rules(Connections& db, const StatusSnapshot& snapshot);
  Response waivers(Connections& db);
  Response add_waiver(Connections& db, const Request& request);
  Response change_status(Connections& db, const Request& request, std::int64_t id);
  Response report(Connections& db);

  std::filesystem::path database_;
  store::ReviewOptions review_options_;
  const Metrics* metrics_;
  TraceHook trace_hook_;
  std::mutex mutex_;  // Guards idle_.
  std::vector<std::unique_ptr<Connections>> idle_;
};

// Response helpers.
Response json_response(int status, const boost::json::value& body);
Response error_response(int status, std::string_view code, std::string_view message);

}  // namespace claimaudit::status
