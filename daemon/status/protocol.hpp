// status/protocol.hpp
//
// The status socket's protocol, without any I/O (STYLE.md 2.2: no Asio here), shared by the
// daemon's server and by claimctl: the routes under /v1/, the role each needs, query strings,
// and the JSON shapes of every body (Boost.JSON), both directions. docs/status-protocol.md
// describes the same shapes for curl users. Pure functions of their arguments; thread-safe.
//
// Nothing here carries PHI except review notes (FindingEvent::note), which the server serves
// only to callers with read access: no names, member ids, addresses, birth dates or claim note
// text exist in any of these types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/date.hpp"
#include "model/review.hpp"

namespace claimaudit::status {

inline constexpr std::string_view kApiPrefix = "/v1/";

enum class Method { kGet, kPost, kOther };

enum class RouteKind {
  kStatus,         // GET  /v1/status
  kMetrics,        // GET  /v1/metrics            (Prometheus text format 0.0.4)
  kFindings,       // GET  /v1/findings?...
  kFinding,        // GET  /v1/findings/{id}
  kFindingStatus,  // POST /v1/findings/{id}/status
  kClaim,          // GET  /v1/claims/{claim_id}
  kRules,          // GET  /v1/rules
  kReload,         // POST /v1/reload
  kWaivers,        // GET  /v1/waivers
  kAddWaiver,      // POST /v1/waivers
  kReport,         // GET  /v1/report
};

// Who may do what (group names are configurable in the server's options).
enum class Role { kRead, kReview, kAdmin };
std::string_view to_string(Role role);

struct Route {
  RouteKind kind = RouteKind::kStatus;
  std::int64_t finding_id = 0;  // kFinding, kFindingStatus.
  std::string claim_id;         // kClaim (percent-decoded).
};

// The result of matching a request line: a route, or an HTTP status (404, 405) and message.
struct RouteMatch {
  std::optional<Route> route;
  int http_status = 200;
  std::string error;
  std::string allow;  // For 405: the method the path accepts ("GET", "POST", "GET, POST").
};

using Query = std::multimap<std::string, std::string>;

// Splits a request target into its percent-decoded path and query. nullopt if the target is
// not origin-form or a percent escape is malformed.
struct Target {
  std::string path;
  Query query;
};
std::optional<Target> parse_target(std::string_view target);

RouteMatch match_route(Method method, std::string_view path);
Role required_role(RouteKind kind);

std::string percent_encode(std::string_view text);

// Findings filters <-> query string. Keys: status, rule, severity, payer_kind, claim_type
// (each repeatable or comma-separated), from, to (YYYY-MM-DD, first date of service), file,
// claim, assignee, shadow (include|only|exclude... "1" includes shadow findings), waived
// ("0" hides findings under an active waiver), cursor, limit (1..1000; "all" is 0 = no limit).
std::string to_query_string(const model::FindingFilter& filter);
struct FilterParse {
  model::FindingFilter filter;
  std::string error;  // Empty on success: "unknown status 'closed'".
};
FilterParse parse_filter(const Query& query);
inline constexpr int kMaxPageSize = 1000;

// The daemon's state as app sees it, copied for each /v1/status answer.
struct StatusSnapshot {
  std::string version;  // CLAIMAUDIT_VERSION.
  std::int64_t uptime_seconds = 0;
  std::string started_at;  // UTC ISO 8601.
  std::string rule_set_hash;
  std::int64_t rule_count = 0;
  std::string rules_loaded_at;
  std::vector<std::string> rule_load_errors;  // Rendered diagnostics of the last failed reload.
  std::int64_t reload_failures = 0;
  std::vector<std::string> code_editions;  // "fy2016" ... "fy2026".
  std::int64_t inbox_depth = 0;            // Files waiting in the drop folders.
  std::int64_t processing_depth = 0;       // Files being audited.
  std::int64_t store_queue_depth = 0;      // Batches waiting for the store thread.
  std::string last_error;                  // Last environment error, without PHI.
  // Per-rule "not evaluated" counts since start (RuleCounts::not_evaluated).
  std::map<std::string, std::int64_t> not_evaluated;
};

// Database totals, waivers and the snapshot, as served by /v1/status.
struct StatusReport {
  StatusSnapshot snapshot;
  std::int64_t files = 0;
  std::int64_t files_archived = 0;
  std::int64_t files_quarantined = 0;
  std::int64_t files_in_progress = 0;
  std::int64_t claims = 0;
  std::int64_t findings = 0;
  std::int64_t findings_open = 0;
  std::vector<model::Waiver> expired_waivers;
};

// POST /v1/findings/{id}/status body: {"status": "...", "note": "...", "reason": "...",
// "expected": "..."}.
struct StatusChangeRequest {
  model::FindingStatus status = model::FindingStatus::kInReview;
  std::string note;
  std::string reason_code;
  std::optional<model::FindingStatus> expected_from;
};

// A finding's code as every output prints it (DOMAIN.md 1 and 4.3: stored normalised, printed
// dotted): a diagnosis finding's ICD-10-CM code dotted after the third character ("M62.830"),
// an ICD-9-CM one (code_system) the ICD-9 way ("E880.9", "V01.0"), any other finding's code (a
// line's CPT/HCPCS procedure or revenue code: "97140", "J1100") as it is. The code system comes
// from where the finding points, never from the code's letters.
std::string finding_code_text(const model::FindingRecord& finding);

// JSON bodies. to_json never fails; from_json returns nullopt (and sets `error`) on a value of
// the wrong shape, naming the field.
boost::json::object to_json(const model::FindingRecord& finding);
boost::json::object to_json(const model::FindingEvent& event);
boost::json::object to_json(const model::ClaimRecord& claim);
boost::json::object to_json(const model::Waiver& waiver);
boost::json::object to_json(const model::RuleCounts& counts);
boost::json::object to_json(const StatusReport& report);
boost::json::object to_json(const StatusChangeRequest& request);

std::optional<model::FindingRecord> finding_from_json(const boost::json::value& value,
                                                      std::string& error);
std::optional<model::FindingEvent> event_from_json(const boost::json::value& value,
                                                   std::string& error);
std::optional<model::Waiver> waiver_from_json(const boost::json::value& value, std::string& error);
std::optional<StatusChangeRequest> status_change_from_json(const boost::json::value& value,
                                                           std::string& error);

// {"error": {"status": 403, "code": "forbidden", "message": "..."}}.
std::string error_body(int http_status, std::string_view code, std::string_view message);

// The body of an error answer: code and message (empty if the body is not an error body).
struct ErrorInfo {
  int http_status = 0;
  std::string code;
  std::string message;
};
ErrorInfo parse_error_body(std::string_view body);

// The finding's CSV columns (claimctl findings --csv, export --csv), and one record as fields.
const std::vector<std::string>& csv_columns();
std::vector<std::string> csv_fields(const model::FindingRecord& finding);
// Appends one RFC 4180 record: fields with a comma, quote, CR or LF are quoted, quotes doubled;
// CRLF line ends. A field that starts with = + - @, a tab or a CR (a formula to a spreadsheet)
// is quoted with a leading apostrophe: "'=1+1".
void append_csv_row(std::string& out, const std::vector<std::string>& fields);

}  // namespace claimaudit::status
