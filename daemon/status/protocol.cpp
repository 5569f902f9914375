#include "status/protocol.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "core/icd10_code.hpp"

namespace claimaudit::status {
namespace json = boost::json;
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty() || text.size() > 18) return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// Values of a repeatable, comma-separated key.
std::vector<std::string> values_of(const Query& query, const std::string& key) {
  std::vector<std::string> values;
  auto [first, last] = query.equal_range(key);
  for (auto it = first; it != last; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto part = rest.substr(0, comma);
      if (!part.empty()) values.emplace_back(part);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return values;
}

std::string single(const Query& query, const std::string& key) {
  const auto it = query.find(key);
  return it == query.end() ? std::string() : it->second;
}

json::value optional_date(const std::optional<core::Date>& date) {
  return date ? json::value(date->iso()) : json::value(nullptr);
}

json::value evidence_value(const std::string& evidence) {
  if (evidence.empty()) return json::object();
  boost::system::error_code ec;
  auto parsed = json::parse(evidence, ec);
  if (ec) return json::value(evidence);
  return parsed;
}

// Field readers for from_json: each returns false and sets `error` naming the field.
class Reader {
 public:
  Reader(const json::value& value, std::string& error) : error_(error) {
    object_ = value.if_object();
    if (object_ == nullptr) error_ = "expected a JSON object";
  }
  bool ok() const { return object_ != nullptr && error_.empty(); }

  std::string string(std::string_view key, bool required = false) {
    if (!ok()) return {};
    const auto* found = object_->if_contains(key);
    if (found == nullptr || found->is_null()) {
      if (required) error_ = "missing field '" + std::string(key) + "'";
      return {};
    }
    if (const auto* s = found->if_string()) return std::string(*s);
    error_ = "field '" + std::string(key) + "' must be a string";
    return {};
  }
  std::int64_t integer(std::string_view key) {
    if (!ok()) return 0;
    const auto* found = object_->if_contains(key);
    if (found == nullptr || found->is_null()) return 0;
    if (const auto* i = found->if_int64()) return *i;
    if (const auto* u = found->if_uint64()) return static_cast<std::int64_t>(*u);
    error_ = "field '" + std::string(key) + "' must be an integer";
    return 0;
  }
  bool has(std::string_view key) const {
    return object_ != nullptr && object_->if_contains(key) != nullptr &&
           !object_->at(key).is_null();
  }
  const json::value* raw(std::string_view key) const {
    return object_ == nullptr ? nullptr : object_->if_contains(key);
  }
  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

 private:
  const json::object* object_ = nullptr;
  std::string& error_;
};

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::kRead:
      return "read";
    case Role::kReview:
      return "review";
    case Role::kAdmin:
      return "admin";
  }
  return "read";
}

std::optional<Target> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  Target result;
  const auto question = target.find('?');
  auto path = percent_decode(target.substr(0, question), false);
  if (!path) return std::nullopt;
  result.path = std::move(*path);
  if (question == std::string_view::npos) return result;
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    if (!pair.empty()) {
      const auto equals = pair.find('=');
      auto key = percent_decode(pair.substr(0, equals), true);
      auto value = equals == std::string_view::npos ? std::optional<std::string>(std::string())
                                                    : percent_decode(pair.substr(equals + 1), true);
      if (!key || !value) return std::nullopt;
      result.query.emplace(std::move(*key), std::move(*value));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return result;
}

namespace {

// Sets match.route to `kind`, or the 405 answer when `allow` does not admit the method. A POST
// to the waivers list adds a waiver.
void admit(RouteMatch& match, Method method, RouteKind kind, std::string_view allow) {
  const bool get = allow == "GET";
  const bool either = allow == "GET, POST";
  if (either ? method == Method::kOther
             : (get ? method != Method::kGet : method != Method::kPost)) {
    match.http_status = 405;
    match.error = "method not allowed; use " + std::string(allow);
    match.allow = std::string(allow);
    return;
  }
  Route route;
  route.kind = kind;
  if (either && method == Method::kPost && kind == RouteKind::kWaivers) {
    route.kind = RouteKind::kAddWaiver;
  }
  match.route = std::move(route);
}

void not_found(RouteMatch& match, std::string_view path) {
  match.http_status = 404;
  match.error = "no such endpoint: " + std::string(path.substr(0, 200));
}

struct FixedRoute {
  std::string_view path;  // After the API prefix.
  RouteKind kind;
  std::string_view allow;
};

constexpr FixedRoute kFixedRoutes[] = {
    {"status", RouteKind::kStatus, "GET"},     {"metrics", RouteKind::kMetrics, "GET"},
    {"findings", RouteKind::kFindings, "GET"}, {"rules", RouteKind::kRules, "GET"},
    {"reload", RouteKind::kReload, "POST"},    {"waivers", RouteKind::kWaivers, "GET, POST"},
    {"report", RouteKind::kReport, "GET"},
};

// findings/{id} and findings/{id}/status; `tail` follows "findings/".
void match_finding(RouteMatch& match, Method method, std::string_view path, std::string_view tail) {
  const auto slash = tail.find('/');
  const auto id = parse_id(tail.substr(0, slash));
  if (id && slash == std::string_view::npos) {
    admit(match, method, RouteKind::kFinding, "GET");
  } else if (id && tail.substr(slash) == "/status") {
    admit(match, method, RouteKind::kFindingStatus, "POST");
  } else {
    not_found(match, path);
  }
  if (match.route) match.route->finding_id = *id;
}

}  // namespace

RouteMatch match_route(Method method, std::string_view path) {
  RouteMatch match;
  if (!path.starts_with(kApiPrefix)) {
    not_found(match, path);
    return match;
  }
  std::string_view rest = path.substr(kApiPrefix.size());
  if (rest.ends_with('/') && rest.size() > 1) rest.remove_suffix(1);
  for (const FixedRoute& fixed : kFixedRoutes) {
    if (rest == fixed.path) {
      admit(match, method, fixed.kind, fixed.allow);
      return match;
    }
  }
  if (rest.starts_with("findings/")) {
    match_finding(match, method, path, rest.substr(9));
  } else if (rest.starts_with("claims/") && rest.size() > 7 &&
             rest.substr(7).find('/') == std::string_view::npos) {
    admit(match, method, RouteKind::kClaim, "GET");
    if (match.route) match.route->claim_id = std::string(rest.substr(7));
  } else {
    not_found(match, path);
  }
  return match;
}

Role required_role(RouteKind kind) {
  switch (kind) {
    case RouteKind::kFindingStatus:
    case RouteKind::kAddWaiver:
      return Role::kReview;
    case RouteKind::kReload:
      return Role::kAdmin;
    default:
      return Role::kRead;
  }
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  return out;
}

std::string to_query_string(const model::FindingFilter& filter) {
  std::string out;
  auto add = [&](std::string_view key, std::string_view value) {
    out += out.empty() ? "" : "&";
    out += key;
    out += '=';
    out += percent_encode(value);
  };
  for (auto s : filter.statuses) add("status", model::to_string(s));
  for (const auto& r : filter.rule_ids) add("rule", r);
  for (auto s : filter.severities) add("severity", model::to_string(s));
  for (auto p : filter.payer_kinds) add("payer_kind", model::to_string(p));
  for (auto k : filter.claim_kinds) add("claim_type", model::to_string(k));
  if (filter.from) add("from", filter.from->iso());
  if (filter.to) add("to", filter.to->iso());
  if (!filter.file.empty()) add("file", filter.file);
  if (!filter.claim_id.empty()) add("claim", filter.claim_id);
  if (!filter.assignee.empty()) add("assignee", filter.assignee);
  if (filter.include_shadow) add("shadow", "1");
  if (!filter.include_waived) add("waived", "0");
  if (filter.after_id > 0) add("cursor", std::to_string(filter.after_id));
  add("limit", filter.limit == 0 ? std::string("all") : std::to_string(filter.limit));
  return out;
}

namespace {

// Appends each comma-separated value of `key`, parsed; false (with `error`) at the first that
// does not parse.
template <typename T, typename Parse>
bool parse_each(const Query& query, const std::string& key, const char* what, Parse parse,
                std::vector<T>& out, std::string& error) {
  for (const auto& word : values_of(query, key)) {
    const auto value = parse(word);
    if (!value) {
      error = std::string("unknown ") + what + " '" + word + "'";
      return false;
    }
    out.push_back(*value);
  }
  return true;
}

// from and to: dates.
bool parse_dates(const Query& query, model::FindingFilter& filter, std::string& error) {
  for (const auto* key : {"from", "to"}) {
    const auto word = single(query, key);
    if (word.empty()) continue;
    const auto date = core::parse_iso_date(word);
    if (!date) {
      error = std::string(key) + " must be a date YYYY-MM-DD, not '" + word + "'";
      return false;
    }
    (std::string_view(key) == "from" ? filter.from : filter.to) = date;
  }
  return true;
}

// cursor (an id) and limit (1..kMaxPageSize or all).
bool parse_page(const Query& query, model::FindingFilter& filter, std::string& error) {
  const auto cursor = single(query, "cursor");
  if (!cursor.empty()) {
    const auto id = parse_id(cursor);
    if (!id) {
      error = "bad cursor '" + cursor + "'";
      return false;
    }
    filter.after_id = *id;
  }
  const auto limit = single(query, "limit");
  if (limit == "all") {
    filter.limit = 0;
  } else if (!limit.empty()) {
    const auto value = parse_id(limit);
    if (!value || *value > kMaxPageSize) {
      error = "limit must be 1.." + std::to_string(kMaxPageSize) + " or 'all'";
      return false;
    }
    filter.limit = static_cast<int>(*value);
  }
  return true;
}

}  // namespace

FilterParse parse_filter(const Query& query) {
  static const std::vector<std::string> kKeys{
      "status", "rule",  "severity", "payer_kind", "claim_type", "from",   "to",
      "file",   "claim", "assignee", "shadow",     "waived",     "cursor", "limit"};
  FilterParse result;
  auto& filter = result.filter;
  for (const auto& [key, value] : query) {
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      result.error = "unknown filter '" + key + "'";
      return result;
    }
  }
  auto& error = result.error;
  if (!parse_each(
          query, "status", "status",
          [](const std::string& word) { return model::parse_finding_status(word); },
          filter.statuses, error)) {
    return result;
  }
  filter.rule_ids = values_of(query, "rule");
  if (!parse_each(
          query, "severity", "severity",
          [](const std::string& word) { return model::parse_finding_severity(word); },
          filter.severities, error) ||
      !parse_each(
          query, "payer_kind", "payer kind",
          [](const std::string& word) { return model::parse_payer_kind(word); }, filter.payer_kinds,
          error) ||
      !parse_each(
          query, "claim_type", "claim type",
          [](const std::string& word) { return model::parse_claim_kind(word); }, filter.claim_kinds,
          error) ||
      !parse_dates(query, filter, error)) {
    return result;
  }
  filter.file = single(query, "file");
  filter.claim_id = single(query, "claim");
  filter.assignee = single(query, "assignee");
  const auto shadow = single(query, "shadow");
  filter.include_shadow = shadow == "1" || shadow == "true";
  const auto waived = single(query, "waived");
  filter.include_waived = !(waived == "0" || waived == "false");
  parse_page(query, filter, error);
  return result;
}

std::string finding_code_text(const model::FindingRecord& finding) {
  if (finding.diagnosis_seq <= 0 || finding.code.find('.') != std::string::npos) {
    return finding.code;
  }
  return core::dotted_code(finding.code, finding.code_system == model::CodeSystem::kIcd9Cm);
}

json::object to_json(const model::FindingRecord& f) {
  json::object o(28);  // Every key below: no rehash on the way.
  o["id"] = f.id;
  o["rule_id"] = f.rule_id;
  o["rule_version"] = f.rule_version;
  o["rule_set_hash"] = f.rule_set_hash;
  o["severity"] = model::to_string(f.severity);
  o["mode"] = model::to_string(f.mode);
  o["status"] = model::to_string(f.status);
  o["assignee"] = f.assignee;
  o["code"] = finding_code_text(f);
  o["diagnosis_seq"] = f.diagnosis_seq;
  o["line_seq"] = f.line_seq;
  o["location"] = f.location;
  o["message"] = f.message;
  o["evidence"] = evidence_value(f.evidence_json);
  o["predicts"] = f.predicts;
  o["fingerprint"] = f.fingerprint;
  o["code_edition"] = f.code_edition;
  o["created_at"] = f.created_at;
  o["updated_at"] = f.updated_at;
  o["claim_row"] = f.claim_row;
  o["claim_id"] = f.claim_id;
  o["billing_npi"] = f.billing_npi;
  o["payer_kind"] = model::to_string(f.payer_kind);
  o["claim_type"] = model::to_string(f.claim_kind);
  o["service_date"] = optional_date(f.service_date);
  o["file_id"] = f.file_id;
  o["file"] = f.file_name;
  o["waiver_id"] = f.waiver_id ? json::value(*f.waiver_id) : json::value(nullptr);
  return o;
}

json::object to_json(const model::FindingEvent& e) {
  json::object o;
  o["id"] = e.id;
  o["finding_id"] = e.finding_id;
  o["at"] = e.at;
  o["user"] = e.user;
  o["old_status"] =
      e.old_status ? json::value(model::to_string(*e.old_status)) : json::value(nullptr);
  o["new_status"] = model::to_string(e.new_status);
  o["note"] = e.note;
  o["reason"] = e.reason_code;
  return o;
}

json::object to_json(const model::ClaimRecord& c) {
  json::object o;
  o["id"] = c.id;
  o["claim_id"] = c.claim_id;
  o["claim_key"] = c.claim_key;
  o["claim_type"] = model::to_string(c.kind);
  o["payer_kind"] = model::to_string(c.payer_kind);
  o["frequency_code"] = c.frequency_code;
  o["billing_npi"] = c.billing_npi;
  o["service_from"] = optional_date(c.service_from);
  o["service_to"] = optional_date(c.service_to);
  o["total_charge"] = c.total_charge;
  o["file_id"] = c.file_id;
  o["file"] = c.file_name;
  o["position"] = c.position;
  json::array diagnoses;
  // Diagnosis codes print dotted by their code system (finding_code_text); the store holds
  // them normalised.
  for (std::size_t i = 0; i < c.diagnoses.size(); ++i) {
    const std::string& code = c.diagnoses[i];
    const bool icd9 = i < c.diagnosis_code_systems.size() &&
                      c.diagnosis_code_systems[i] == model::CodeSystem::kIcd9Cm;
    diagnoses.emplace_back(code.find('.') == std::string::npos ? core::dotted_code(code, icd9)
                                                               : code);
  }
  o["diagnoses"] = std::move(diagnoses);
  return o;
}

json::object to_json(const model::Waiver& w) {
  json::object o;
  o["id"] = w.id;
  o["rule_id"] = w.rule_id;
  o["scope"] = model::to_string(w.scope);
  o["value"] = w.value;
  o["owner"] = w.owner;
  o["reason"] = w.reason;
  o["expires"] = w.expires.iso();
  o["created_by"] = w.created_by;
  o["created_at"] = w.created_at;
  o["expired"] = w.expired;
  return o;
}

json::object to_json(const model::RuleCounts& r) {
  json::object o;
  o["rule_id"] = r.rule_id;
  o["fired"] = r.fired;
  o["open"] = r.open;
  o["corrected"] = r.corrected;
  o["waived"] = r.waived;
  o["false_positive"] = r.false_positive;
  o["superseded"] = r.superseded;
  o["shadow"] = r.shadow;
  o["not_evaluated"] = r.not_evaluated;
  return o;
}

json::object to_json(const StatusReport& r) {
  const auto& s = r.snapshot;
  json::object o;
  o["version"] = s.version;
  o["uptime_seconds"] = s.uptime_seconds;
  o["started_at"] = s.started_at;
  json::array errors;
  for (const auto& e : s.rule_load_errors) errors.emplace_back(e);
  o["rules"] = {{"version", s.rule_set_hash},
                {"count", s.rule_count},
                {"loaded_at", s.rules_loaded_at},
                {"load_errors", std::move(errors)},
                {"reload_failures", s.reload_failures}};
  json::array editions;
  for (const auto& e : s.code_editions) editions.emplace_back(e);
  o["code_editions"] = std::move(editions);
  o["queues"] = {
      {"inbox", s.inbox_depth}, {"processing", s.processing_depth}, {"store", s.store_queue_depth}};
  o["counts"] = {{"files", r.files},
                 {"files_archived", r.files_archived},
                 {"files_quarantined", r.files_quarantined},
                 {"files_in_progress", r.files_in_progress},
                 {"claims", r.claims},
                 {"findings", r.findings},
                 {"findings_open", r.findings_open}};
  json::array expired;
  for (const auto& w : r.expired_waivers) expired.emplace_back(to_json(w));
  o["expired_waivers"] = std::move(expired);
  o["last_error"] = s.last_error;
  return o;
}

json::object to_json(const StatusChangeRequest& request) {
  json::object o;
  o["status"] = model::to_string(request.status);
  if (!request.note.empty()) o["note"] = request.note;
  if (!request.reason_code.empty()) o["reason"] = request.reason_code;
  if (request.expected_from) o["expected"] = model::to_string(*request.expected_from);
  return o;
}

std::optional<model::FindingRecord> finding_from_json(const json::value& value,
                                                      std::string& error) {
  Reader in(value, error);
  model::FindingRecord f;
  f.id = in.integer("id");
  f.rule_id = in.string("rule_id", true);
  f.rule_version = in.string("rule_version");
  f.rule_set_hash = in.string("rule_set_hash");
  const auto severity = model::parse_finding_severity(in.string("severity", true));
  const auto mode = model::parse_rule_mode(in.string("mode", true));
  const auto status = model::parse_finding_status(in.string("status", true));
  if (in.ok() && (!severity || !mode || !status)) in.fail("bad severity, mode or status");
  if (severity) f.severity = *severity;
  if (mode) f.mode = *mode;
  if (status) f.status = *status;
  f.assignee = in.string("assignee");
  f.code = in.string("code");
  f.diagnosis_seq = static_cast<int>(in.integer("diagnosis_seq"));
  // The JSON carries a diagnosis code dotted; the record holds it normalised. An ICD-9-CM E
  // code is the one spelling dotted after its fourth character (E880.9), or of four characters
  // without a dot (E912; ICD-10-CM's would be E91.2).
  if (f.diagnosis_seq > 0) {
    const auto dot = f.code.find('.');
    if (f.code.size() >= 4 && f.code[0] == 'E' &&
        (dot == 4 || (dot == std::string::npos && f.code.size() == 4))) {
      if (dot != std::string::npos) f.code.erase(dot, 1);
      f.code_system = model::CodeSystem::kIcd9Cm;
    } else {
      f.code = core::normalize_icd10(f.code).value_or(f.code);
    }
  }
  f.line_seq = static_cast<int>(in.integer("line_seq"));
  f.location = in.string("location");
  f.message = in.string("message");
  if (const auto* evidence = in.raw("evidence"); evidence != nullptr) {
    if (const auto* s = evidence->if_string()) {
      f.evidence_json = std::string(*s);
    } else if (const auto* o = evidence->if_object(); o == nullptr || !o->empty()) {
      f.evidence_json = json::serialize(*evidence);
    }
  }
  f.predicts = in.string("predicts");
  f.fingerprint = in.string("fingerprint");
  f.code_edition = in.string("code_edition");
  f.created_at = in.string("created_at");
  f.updated_at = in.string("updated_at");
  f.claim_row = in.integer("claim_row");
  f.claim_id = in.string("claim_id");
  f.billing_npi = in.string("billing_npi");
  f.payer_kind =
      model::parse_payer_kind(in.string("payer_kind")).value_or(model::PayerKind::kUnknown);
  f.claim_kind =
      model::parse_claim_kind(in.string("claim_type")).value_or(model::ClaimKind::kUnknown);
  f.service_date = core::parse_iso_date(in.string("service_date"));
  f.file_id = in.integer("file_id");
  f.file_name = in.string("file");
  if (in.has("waiver_id")) f.waiver_id = in.integer("waiver_id");
  if (!in.ok()) return std::nullopt;
  return f;
}

std::optional<model::FindingEvent> event_from_json(const json::value& value, std::string& error) {
  Reader in(value, error);
  model::FindingEvent e;
  e.id = in.integer("id");
  e.finding_id = in.integer("finding_id");
  e.at = in.string("at");
  e.user = in.string("user");
  e.old_status = model::parse_finding_status(in.string("old_status"));
  const auto status = model::parse_finding_status(in.string("new_status", true));
  if (in.ok() && !status) in.fail("bad new_status");
  if (status) e.new_status = *status;
  e.note = in.string("note");
  e.reason_code = in.string("reason");
  if (!in.ok()) return std::nullopt;
  return e;
}

std::optional<model::Waiver> waiver_from_json(const json::value& value, std::string& error) {
  Reader in(value, error);
  model::Waiver w;
  w.id = in.integer("id");
  w.rule_id = in.string("rule_id", true);
  const auto scope_word = in.string("scope", true);
  const auto scope = model::parse_waiver_scope(scope_word);
  if (in.ok() && !scope) {
    in.fail("scope must be payer_kind, billing_provider, code or claim");
  }
  if (scope) w.scope = *scope;
  w.value = in.string("value", true);
  w.owner = in.string("owner", true);
  w.reason = in.string("reason", true);
  const auto expires_word = in.string("expires", true);
  const auto expires = core::parse_iso_date(expires_word);
  if (in.ok() && !expires) in.fail("expires must be a date YYYY-MM-DD");
  if (expires) w.expires = *expires;
  w.created_by = in.string("created_by");
  w.created_at = in.string("created_at");
  if (const auto* expired = in.raw("expired"); expired != nullptr && expired->is_bool()) {
    w.expired = expired->as_bool();
  }
  if (!in.ok()) return std::nullopt;
  return w;
}

std::optional<StatusChangeRequest> status_change_from_json(const json::value& value,
                                                           std::string& error) {
  Reader in(value, error);
  StatusChangeRequest request;
  const auto word = in.string("status", true);
  const auto status = model::parse_finding_status(word);
  if (in.ok() && !status) in.fail("unknown status '" + word + "'");
  if (status) request.status = *status;
  request.note = in.string("note");
  request.reason_code = in.string("reason");
  const auto expected = in.string("expected");
  if (!expected.empty()) {
    request.expected_from = model::parse_finding_status(expected);
    if (!request.expected_from) in.fail("unknown status '" + expected + "' in 'expected'");
  }
  if (!in.ok()) return std::nullopt;
  return request;
}

std::string error_body(int http_status, std::string_view code, std::string_view message) {
  json::object inner;
  inner["status"] = http_status;
  inner["code"] = code;
  inner["message"] = message;
  json::object outer;
  outer["error"] = std::move(inner);
  return json::serialize(outer) + "\n";
}

ErrorInfo parse_error_body(std::string_view body) {
  ErrorInfo info;
  boost::system::error_code ec;
  const auto value = json::parse(body, ec);
  if (ec || !value.is_object()) return info;
  const auto* error = value.as_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return info;
  const auto& o = error->as_object();
  if (const auto* s = o.if_contains("status"); s != nullptr && s->is_int64()) {
    info.http_status = static_cast<int>(s->as_int64());
  }
  if (const auto* c = o.if_contains("code"); c != nullptr && c->is_string()) {
    info.code = std::string(c->as_string());
  }
  if (const auto* m = o.if_contains("message"); m != nullptr && m->is_string()) {
    info.message = std::string(m->as_string());
  }
  return info;
}

const std::vector<std::string>& csv_columns() {
  static const std::vector<std::string> kColumns{
      "id",         "status",     "severity",     "rule_id",    "code",      "claim_id",
      "claim_type", "payer_kind", "service_date", "file",       "location",  "message",
      "assignee",   "mode",       "waiver_id",    "created_at", "updated_at"};
  return kColumns;
}

void append_csv_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    const auto& field = fields[i];
    // A spreadsheet reads a cell that starts with = + - @ (or a tab or CR before one) as a
    // formula: a claim number or a message from a submitter's file could run one (OWASP "CSV
    // injection"). Such a field gets a leading apostrophe, which spreadsheets show as text.
    const bool formula = !field.empty() &&
                         std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos;
    if (!formula && field.find_first_of(",\"\r\n") == std::string::npos) {
      out += field;
      continue;
    }
    out += '"';
    if (formula) out += '\'';
    for (const char c : field) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
}

std::vector<std::string> csv_fields(const model::FindingRecord& f) {
  return {std::to_string(f.id),
          std::string(model::to_string(f.status)),
          std::string(model::to_string(f.severity)),
          f.rule_id,
          finding_code_text(f),
          f.claim_id,
          std::string(model::to_string(f.claim_kind)),
          std::string(model::to_string(f.payer_kind)),
          f.service_date ? f.service_date->iso() : std::string(),
          f.file_name,
          f.location,
          f.message,
          f.assignee,
          std::string(model::to_string(f.mode)),
          f.waiver_id ? std::to_string(*f.waiver_id) : std::string(),
          f.created_at,
          f.updated_at};
}

}  // namespace claimaudit::status
