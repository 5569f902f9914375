#include "status/service.hpp"

#include <stdexcept>

#include <spdlog/spdlog.h>

namespace claimaudit::status {
namespace json = boost::json;

struct Service::Connections {
  std::unique_ptr<store::Queries> queries;
  std::unique_ptr<store::Review> review;
};

namespace {

// An environment failure (database missing, locked too long): 503, logged once here.
Response unavailable(const core::ErrorCode& error) {
  spdlog::warn("status: database error: {}", error.message());
  return error_response(503, "unavailable", "the database is not available: " + error.message());
}

int refusal_status(store::ReviewRefusal refusal) {
  switch (refusal) {
    case store::ReviewRefusal::kNotFound:
      return 404;
    case store::ReviewRefusal::kIllegalTransition:
    case store::ReviewRefusal::kStale:
      return 409;
    default:
      return 422;
  }
}

std::string_view refusal_code(store::ReviewRefusal refusal) {
  switch (refusal) {
    case store::ReviewRefusal::kNotFound:
      return "not_found";
    case store::ReviewRefusal::kIllegalTransition:
      return "illegal_transition";
    case store::ReviewRefusal::kStale:
      return "stale";
    case store::ReviewRefusal::kNoteRequired:
      return "note_required";
    case store::ReviewRefusal::kUnknownReason:
      return "unknown_reason";
    case store::ReviewRefusal::kBadWaiver:
      return "bad_waiver";
    case store::ReviewRefusal::kNone:
      break;
  }
  return "refused";
}

std::optional<json::value> parse_body(const std::string& body, Response& error) {
  boost::system::error_code ec;
  auto value = json::parse(body, ec);
  if (ec) {
    error = error_response(400, "bad_json", "the body is not valid JSON: " + ec.message());
    return std::nullopt;
  }
  return value;
}

}  // namespace

Response json_response(int status, const json::value& body) {
  Response response;
  response.status = status;
  response.body = json::serialize(body);
  response.body += '\n';
  return response;
}

Response error_response(int status, std::string_view code, std::string_view message) {
  Response response;
  response.status = status;
  response.body = error_body(status, code, message);
  return response;
}

Service::Service(std::filesystem::path database, store::ReviewOptions review,
                 const Metrics* metrics)
    : database_(std::move(database)), review_options_(std::move(review)), metrics_(metrics) {}

Service::~Service() = default;

std::unique_ptr<Service::Connections> Service::take() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connections = std::move(idle_.back());
      idle_.pop_back();
      return connections;
    }
  }
  auto connections = std::make_unique<Connections>();
  connections->queries = std::make_unique<store::Queries>(database_);
  connections->review = std::make_unique<store::Review>(database_, review_options_);
  return connections;
}

void Service::give_back(std::unique_ptr<Connections> connections) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connections));
}

std::optional<Response> Service::admit(const Request& request, Route& route, Query& query) const {
  auto target = parse_target(request.target);
  if (!target) return error_response(400, "bad_target", "the request target is malformed");
  auto match = match_route(request.method, target->path);
  if (!match.route) {
    auto response =
        error_response(match.http_status,
                       match.http_status == 405 ? "method_not_allowed" : "not_found", match.error);
    response.allow = match.allow;
    return response;
  }
  const Role role = required_role(match.route->kind);
  if (!request.caller.allowed(role)) {
    return error_response(403, "forbidden",
                          "user '" + request.caller.user + "' lacks the " +
                              std::string(to_string(role)) + " role for this request");
  }
  route = std::move(*match.route);
  query = std::move(target->query);
  return std::nullopt;
}

Response Service::handle(const Request& request, const Route& route, const Query& query,
                         const StatusSnapshot& snapshot) {
  std::unique_ptr<Connections> db;
  try {
    db = take();
  } catch (const std::runtime_error& error) {  // SQLite::Exception: the store could not open.
    spdlog::warn("status: cannot open the database: {}", error.what());
    return error_response(503, "unavailable", "the database is not available");
  }
  Response response;
  try {
    switch (route.kind) {
      case RouteKind::kMetrics:
        response = metrics(*db);
        break;
      case RouteKind::kStatus:
        response = status(*db, snapshot);
        break;
      case RouteKind::kFindings:
        response = findings(*db, query);
        break;
      case RouteKind::kFinding:
        response = finding(*db, route.finding_id);
        break;
      case RouteKind::kFindingStatus:
        response = change_status(*db, request, route.finding_id);
        break;
      case RouteKind::kClaim:
        response = claim(*db, route.claim_id);
        break;
      case RouteKind::kRules:
        response = rules(*db, snapshot);
        break;
      case RouteKind::kWaivers:
        response = waivers(*db);
        break;
      case RouteKind::kAddWaiver:
        response = add_waiver(*db, request);
        break;
      case RouteKind::kReport:
        response = report(*db);
        break;
      case RouteKind::kReload:
        response = error_response(500, "internal", "route handled elsewhere");
        break;
    }
  } catch (const std::exception& error) {
    // Containment: nothing escapes to the event loop. Statement preparation can still throw.
    spdlog::error("status: request failed: {}", error.what());
    response = error_response(500, "internal", "internal error");
  }
  give_back(std::move(db));
  return response;
}

Response Service::metrics(Connections& db) {
  Metrics::Recorded recorded;
  auto counts = db.queries->finding_counts();
  if (!counts) return unavailable(counts.error());
  for (auto& row : *counts) recorded.findings.emplace_back(row.rule_id, row.severity, row.count);
  auto totals = db.queries->totals(store::utc_today());
  if (!totals) return unavailable(totals.error());
  recorded.quarantined = totals->files_quarantined;
  Response response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  const Metrics empty;
  response.body = (metrics_ != nullptr ? *metrics_ : empty).render(&recorded);
  return response;
}

Response Service::status(Connections& db, const StatusSnapshot& snapshot) {
  const auto today = store::utc_today();
  StatusReport report;
  report.snapshot = snapshot;
  auto totals = db.queries->totals(today);
  if (!totals) return unavailable(totals.error());
  report.files = totals->files;
  report.files_archived = totals->files_archived;
  report.files_quarantined = totals->files_quarantined;
  report.files_in_progress = totals->files_in_progress;
  report.claims = totals->claims;
  report.findings = totals->findings;
  report.findings_open = totals->findings_open;
  auto waivers = db.queries->waivers(today);
  if (!waivers) return unavailable(waivers.error());
  for (auto& waiver : *waivers) {
    if (waiver.expired) report.expired_waivers.push_back(std::move(waiver));
  }
  return json_response(200, to_json(report));
}

Response Service::findings(Connections& db, const Query& query) {
  // format=csv: the same rows as RFC 4180 CSV (claimctl findings --csv, export --csv).
  Query filters = query;
  bool csv = false;
  if (const auto format = filters.find("format"); format != filters.end()) {
    if (format->second != "csv" && format->second != "json") {
      return error_response(400, "bad_filter",
                            "format is csv or json, not '" + format->second + "'");
    }
    csv = format->second == "csv";
    filters.erase("format");
  }
  auto parsed = parse_filter(filters);
  if (!parsed.error.empty()) return error_response(400, "bad_filter", parsed.error);
  // Each row is written out as it is read: an export asks for every finding, and holding them
  // all (records, then a JSON DOM) costs more in page faults than the query itself. The JSON
  // bytes are those json::serialize gives for {"count", "findings", "next_cursor"}.
  Response response;
  std::string rows;
  std::size_t count = 0;
  if (csv) {
    response.content_type = "text/csv; charset=utf-8; header=present";
    append_csv_row(rows, csv_columns());
  }
  const auto next = db.queries->each_finding(parsed.filter, store::utc_today(),
                                             [&](const model::FindingRecord& finding) {
                                               if (csv) {
                                                 append_csv_row(rows, csv_fields(finding));
                                               } else {
                                                 if (count > 0) rows += ',';
                                                 rows += json::serialize(to_json(finding));
                                               }
                                               ++count;
                                             });
  if (!next) return unavailable(next.error());
  if (csv) {
    response.body = std::move(rows);
    return response;
  }
  auto& out = response.body;
  out.reserve(rows.size() + 64);
  out += "{\"count\":";
  out += std::to_string(count);
  out += ",\"findings\":[";
  out += rows;
  out += "],\"next_cursor\":";
  out += *next > 0 ? json::serialize(json::value(std::to_string(*next))) : std::string("null");
  out += "}\n";
  return response;
}

namespace {

json::object to_json(const Trace& trace) {
  json::array steps;
  for (const TraceStep& step : trace.steps) {
    steps.emplace_back(json::object{
        {"depth", step.depth}, {"expression", step.expression}, {"value", step.value}});
  }
  json::array facts;
  for (const std::string& fact : trace.facts) facts.emplace_back(fact);
  return json::object{{"verdict", trace.verdict},
                      {"subject", trace.subject},
                      {"reason", trace.reason},
                      {"steps", std::move(steps)},
                      {"facts", std::move(facts)}};
}

}  // namespace

TraceAnswer Service::explain_trace(const model::FindingRecord& finding,
                                   const std::optional<store::FindingSource>& source) const {
  if (!trace_hook_) return {std::nullopt, "this daemon does not recompute explanation traces"};
  if (!source) return {std::nullopt, "the finding's claim and file are not on record"};
  TraceRequest request;
  request.finding_id = finding.id;
  request.rule_id = finding.rule_id;
  request.rule_set_hash = finding.rule_set_hash;
  request.fingerprint = finding.fingerprint;
  request.diagnosis_seq = finding.diagnosis_seq;
  request.line_seq = finding.line_seq;
  request.source = *source;
  TraceAnswer answer = trace_hook_(request);
  if (!answer.trace && answer.note.empty()) answer.note = "no trace";
  return answer;
}

Response Service::finding(Connections& db, std::int64_t id) {
  const auto today = store::utc_today();
  auto record = db.queries->finding(id, today);
  if (!record) return unavailable(record.error());
  if (!*record) return error_response(404, "not_found", "no finding " + std::to_string(id));
  auto events = db.queries->events(id);
  if (!events) return unavailable(events.error());
  auto claim = db.queries->claim_by_row((*record)->claim_row);
  if (!claim) return unavailable(claim.error());
  auto siblings = db.queries->claim_findings((*record)->claim_row, today);
  if (!siblings) return unavailable(siblings.error());
  json::object body;
  body["finding"] = to_json(**record);
  body["claim"] = *claim ? json::value(to_json(**claim)) : json::value(nullptr);
  // The explanation: evidence carries the code-history facts and official source the rule
  // cited; the trace is recomputed by the daemon from the archived file, and only with the very
  // rule set that made the finding (docs/status-protocol.md, "The explanation trace").
  const auto& evidence = body["finding"].as_object()["evidence"];
  auto source = db.queries->finding_source(id);
  if (!source) return unavailable(source.error());
  const TraceAnswer traced = explain_trace(**record, *source);
  body["explanation"] = {
      {"rule_id", (*record)->rule_id},
      {"rule_version", (*record)->rule_version},
      {"rule_set_hash", (*record)->rule_set_hash},
      {"code_edition", (*record)->code_edition},
      {"location", (*record)->location},
      {"evidence", evidence},
      {"trace", traced.trace ? json::value(to_json(*traced.trace)) : json::value(nullptr)},
      {"trace_note", traced.note.empty() ? json::value(nullptr) : json::value(traced.note)}};
  json::array trail;
  for (const auto& event : *events) trail.emplace_back(to_json(event));
  body["events"] = std::move(trail);
  json::array others;
  for (const auto& other : *siblings) {
    if (other.id != id) {
      others.emplace_back(json::object{{"id", other.id},
                                       {"rule_id", other.rule_id},
                                       {"status", model::to_string(other.status)},
                                       {"code", finding_code_text(other)}});
    }
  }
  body["claim_findings"] = std::move(others);
  return json_response(200, body);
}

Response Service::claim(Connections& db, const std::string& claim_id) {
  const auto today = store::utc_today();
  auto claims = db.queries->claims(claim_id);
  if (!claims) return unavailable(claims.error());
  if (claims->empty()) return error_response(404, "not_found", "no claim " + claim_id);
  json::array items;
  for (const auto& claim : *claims) {
    auto findings = db.queries->claim_findings(claim.id, today);
    if (!findings) return unavailable(findings.error());
    json::object item = to_json(claim);
    json::array list;
    for (const auto& finding : *findings) list.emplace_back(to_json(finding));
    item["findings"] = std::move(list);
    items.emplace_back(std::move(item));
  }
  json::object body;
  body["claims"] = std::move(items);
  return json_response(200, body);
}

Response Service::rules(Connections& db, const StatusSnapshot& snapshot) {
  auto counts = db.queries->rule_counts(store::utc_today());
  if (!counts) return unavailable(counts.error());
  json::array items;
  for (auto& row : *counts) {
    if (const auto it = snapshot.not_evaluated.find(row.rule_id);
        it != snapshot.not_evaluated.end()) {
      row.not_evaluated = it->second;
    }
    items.emplace_back(to_json(row));
  }
  // Rules that never fired but could not be evaluated still show up.
  for (const auto& [rule_id, count] : snapshot.not_evaluated) {
    bool seen = false;
    for (const auto& row : *counts) seen = seen || row.rule_id == rule_id;
    if (!seen) {
      model::RuleCounts row;
      row.rule_id = rule_id;
      row.not_evaluated = count;
      items.emplace_back(to_json(row));
    }
  }
  json::object body;
  body["rule_set"] = {{"version", snapshot.rule_set_hash},
                      {"count", snapshot.rule_count},
                      {"loaded_at", snapshot.rules_loaded_at}};
  body["rules"] = std::move(items);
  return json_response(200, body);
}

Response Service::waivers(Connections& db) {
  auto waivers = db.queries->waivers(store::utc_today());
  if (!waivers) return unavailable(waivers.error());
  json::array items;
  for (const auto& waiver : *waivers) items.emplace_back(to_json(waiver));
  json::object body;
  body["waivers"] = std::move(items);
  return json_response(200, body);
}

Response Service::add_waiver(Connections& db, const Request& request) {
  Response error;
  auto value = parse_body(request.body, error);
  if (!value) return error;
  std::string message;
  auto waiver = waiver_from_json(*value, message);
  if (!waiver) return error_response(422, "bad_waiver", message);
  auto outcome = db.review->add_waiver(std::move(*waiver), request.caller.user, store::utc_today(),
                                       store::utc_now());
  if (!outcome) return unavailable(outcome.error());
  if (!outcome->ok()) {
    return error_response(refusal_status(outcome->refusal), refusal_code(outcome->refusal),
                          outcome->message);
  }
  spdlog::info("status: waiver {} for rule {} added by {}", outcome->waiver.id,
               outcome->waiver.rule_id, request.caller.user);
  return json_response(201, json::object{{"waiver", to_json(outcome->waiver)}});
}

Response Service::change_status(Connections& db, const Request& request, std::int64_t id) {
  Response error;
  auto value = parse_body(request.body, error);
  if (!value) return error;
  std::string message;
  auto change = status_change_from_json(*value, message);
  if (!change) return error_response(422, "bad_request", message);
  store::StatusChange apply;
  apply.finding_id = id;
  apply.to = change->status;
  apply.note = change->note;
  apply.reason_code = change->reason_code;
  apply.user = request.caller.user;
  apply.expected_from = change->expected_from;
  auto outcome = db.review->change_status(apply, store::utc_now());
  if (!outcome) return unavailable(outcome.error());
  if (!outcome->ok()) {
    return error_response(refusal_status(outcome->refusal), refusal_code(outcome->refusal),
                          outcome->message);
  }
  // The note may hold PHI: log who and what, never the note.
  spdlog::info("status: finding {} {} -> {} by {}", id,
               model::to_string(outcome->event.old_status.value_or(model::FindingStatus::kOpen)),
               model::to_string(outcome->event.new_status), request.caller.user);
  auto record = db.queries->finding(id, store::utc_today());
  json::object body;
  body["event"] = to_json(outcome->event);
  if (record && *record) body["finding"] = to_json(**record);
  return json_response(200, body);
}

Response Service::report(Connections& db) {
  auto rows = db.queries->report();
  if (!rows) return unavailable(rows.error());
  auto waivers = db.queries->waivers(store::utc_today());
  if (!waivers) return unavailable(waivers.error());
  json::array items;
  for (const auto& row : *rows) {
    items.emplace_back(json::object{{"rule_id", row.rule_id},
                                    {"payer_kind", row.payer_kind},
                                    {"month", row.month},
                                    {"mode", row.mode},
                                    {"findings", row.findings},
                                    {"false_positive", row.false_positive},
                                    {"waived", row.waived},
                                    {"corrected", row.corrected}});
  }
  json::array expired;
  for (const auto& waiver : *waivers) {
    if (waiver.expired) expired.emplace_back(to_json(waiver));
  }
  json::object body;
  body["rows"] = std::move(items);
  body["expired_waivers"] = std::move(expired);
  return json_response(200, body);
}

}  // namespace claimaudit::status
