#include "status/protocol.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace claimaudit::status {
namespace {

struct RouteRow {
  Method method;
  std::string path;
  int http_status;
  std::string kind;  // Expected route name, or "" when refused.
  std::string allow;
};

std::ostream& operator<<(std::ostream& out, const RouteRow& row) { return out << row.path; }

std::string name(RouteKind kind) {
  switch (kind) {
    case RouteKind::kStatus:
      return "status";
    case RouteKind::kMetrics:
      return "metrics";
    case RouteKind::kFindings:
      return "findings";
    case RouteKind::kFinding:
      return "finding";
    case RouteKind::kFindingStatus:
      return "finding_status";
    case RouteKind::kClaim:
      return "claim";
    case RouteKind::kRules:
      return "rules";
    case RouteKind::kReload:
      return "reload";
    case RouteKind::kWaivers:
      return "waivers";
    case RouteKind::kAddWaiver:
      return "add_waiver";
    case RouteKind::kReport:
      return "report";
  }
  return "?";
}

const RouteRow kRoutes[] = {
    {Method::kGet, "/v1/status", 200, "status", ""},
    {Method::kGet, "/v1/status/", 200, "status", ""},
    {Method::kPost, "/v1/status", 405, "", "GET"},
    {Method::kGet, "/v1/metrics", 200, "metrics", ""},
    {Method::kGet, "/v1/findings", 200, "findings", ""},
    {Method::kGet, "/v1/findings/42", 200, "finding", ""},
    {Method::kPost, "/v1/findings/42/status", 200, "finding_status", ""},
    {Method::kGet, "/v1/findings/42/status", 405, "", "POST"},
    {Method::kGet, "/v1/findings/0", 404, "", ""},
    {Method::kGet, "/v1/findings/-3", 404, "", ""},
    {Method::kGet, "/v1/findings/12x", 404, "", ""},
    {Method::kGet, "/v1/findings/42/other", 404, "", ""},
    {Method::kGet, "/v1/claims/CLM-1", 200, "claim", ""},
    {Method::kGet, "/v1/claims/", 404, "", ""},
    {Method::kGet, "/v1/rules", 200, "rules", ""},
    {Method::kPost, "/v1/reload", 200, "reload", ""},
    {Method::kGet, "/v1/reload", 405, "", "POST"},
    {Method::kGet, "/v1/waivers", 200, "waivers", ""},
    {Method::kPost, "/v1/waivers", 200, "add_waiver", ""},
    {Method::kOther, "/v1/waivers", 405, "", "GET, POST"},
    {Method::kGet, "/v1/report", 200, "report", ""},
    {Method::kGet, "/v2/status", 404, "", ""},
    {Method::kGet, "/", 404, "", ""},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(protocol)

BOOST_DATA_TEST_CASE(routes, boost::unit_test::data::make(kRoutes), row) {
  const auto match = match_route(row.method, row.path);
  BOOST_TEST(match.http_status == row.http_status);
  BOOST_TEST(match.allow == row.allow);
  BOOST_TEST((match.route ? name(match.route->kind) : std::string()) == row.kind);
}

BOOST_AUTO_TEST_CASE(route_parameters_and_roles) {
  const auto finding = match_route(Method::kPost, "/v1/findings/42/status");
  BOOST_TEST(finding.route->finding_id == 42);
  BOOST_TEST(to_string(required_role(finding.route->kind)) == "review");
  const auto target = parse_target("/v1/claims/CLM%2F7%20A");
  BOOST_REQUIRE(target.has_value());
  const auto claim = match_route(Method::kGet, target->path);
  BOOST_TEST(!claim.route.has_value());  // A decoded slash is not a claim id segment.
  const auto plain = match_route(Method::kGet, "/v1/claims/CLM 7");
  BOOST_TEST(plain.route->claim_id == "CLM 7");
  BOOST_TEST(to_string(required_role(RouteKind::kReload)) == "admin");
  BOOST_TEST(to_string(required_role(RouteKind::kAddWaiver)) == "review");
  BOOST_TEST(to_string(required_role(RouteKind::kFindings)) == "read");
}

BOOST_AUTO_TEST_CASE(targets) {
  const auto target = parse_target("/v1/findings?status=open,in_review&rule=dx.x&file=a%20b+c&x");
  BOOST_REQUIRE(target.has_value());
  BOOST_TEST(target->path == "/v1/findings");
  BOOST_TEST(target->query.size() == 4u);
  BOOST_TEST(target->query.find("file")->second == "a b c");
  BOOST_TEST(target->query.find("x")->second == "");
  BOOST_TEST(!parse_target("v1/status").has_value());
  BOOST_TEST(!parse_target("/v1/status?a=%4").has_value());
  BOOST_TEST(!parse_target("/v1/st%zzatus").has_value());
  BOOST_TEST(!parse_target("").has_value());
}

BOOST_AUTO_TEST_CASE(filters_round_trip) {
  model::FindingFilter filter;
  filter.statuses = {model::FindingStatus::kOpen, model::FindingStatus::kReopened};
  filter.rule_ids = {"dx.missing_precipitating_factor"};
  filter.severities = {model::FindingSeverity::kError};
  filter.payer_kinds = {model::PayerKind::kWorkersComp};
  filter.claim_kinds = {model::ClaimKind::kInstitutional};
  filter.from = core::Date::from_civil(2024, 1, 1);
  filter.to = core::Date::from_civil(2024, 12, 31);
  filter.file = "batch 0412.837";
  filter.claim_id = "CLM&1";
  filter.assignee = "ana";
  filter.include_shadow = true;
  filter.include_waived = false;
  filter.after_id = 77;
  filter.limit = 50;
  const std::string query = to_query_string(filter);
  BOOST_TEST(query ==
             "status=open&status=reopened&rule=dx.missing_precipitating_factor&severity=error&"
             "payer_kind=workers_comp&claim_type=institutional&from=2024-01-01&to=2024-12-31&"
             "file=batch%200412.837&claim=CLM%261&assignee=ana&shadow=1&waived=0&cursor=77&"
             "limit=50");
  const auto target = parse_target("/v1/findings?" + query);
  const auto parsed = parse_filter(target->query);
  BOOST_TEST(parsed.error == "");
  BOOST_TEST(to_query_string(parsed.filter) == query);
}

BOOST_AUTO_TEST_CASE(bad_filters) {
  const std::pair<std::string, std::string> rows[] = {
      {"status=closed", "unknown status 'closed'"},
      {"severity=fatal", "unknown severity 'fatal'"},
      {"payer_kind=medicare,bogus", "unknown payer kind 'bogus'"},
      {"claim_type=dental", "unknown claim type 'dental'"},
      {"from=2024-02-30", "from must be a date YYYY-MM-DD, not '2024-02-30'"},
      {"limit=0", "limit must be 1..1000 or 'all'"},
      {"limit=1001", "limit must be 1..1000 or 'all'"},
      {"cursor=abc", "bad cursor 'abc'"},
      {"sort=severity", "unknown filter 'sort'"},
  };
  for (const auto& [text, error] : rows) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(parse_filter(parse_target("/v1/findings?" + text)->query).error == error);
    }
  }
  BOOST_TEST(parse_filter(parse_target("/v1/findings?limit=all")->query).filter.limit == 0);
}

BOOST_AUTO_TEST_CASE(finding_json_round_trip) {
  model::FindingRecord f;
  f.id = 9;
  f.rule_id = "dx.stale_code";
  f.rule_version = "2";
  f.rule_set_hash = "ab";
  f.severity = model::FindingSeverity::kError;
  f.mode = model::RuleMode::kShadow;
  f.status = model::FindingStatus::kInReview;
  f.assignee = "ana";
  f.code = "M545";
  f.diagnosis_seq = 2;
  f.line_seq = 1;
  f.location = "ST 0001, segment 20 HI, HI01-2 (loop 2300)";
  f.message = "M54.5 is a header from 2021-10-01";
  f.evidence_json = R"({"edition":"fy2022"})";
  f.predicts = "CARC 146";
  f.fingerprint = "ff";
  f.code_edition = "fy2022";
  f.created_at = "2026-11-26T10:00:00Z";
  f.updated_at = "2026-11-26T10:05:00Z";
  f.claim_row = 4;
  f.claim_id = "CLM-4";
  f.billing_npi = "1234567893";
  f.payer_kind = model::PayerKind::kMedicare;
  f.claim_kind = model::ClaimKind::kProfessional;
  f.service_date = core::Date::from_civil(2021, 10, 1);
  f.file_id = 3;
  f.file_name = "batch.837";
  f.waiver_id = 5;
  const auto json = boost::json::value(to_json(f));
  BOOST_TEST(json.at("evidence").at("edition").as_string() == "fy2022");
  std::string error;
  const auto back = finding_from_json(json, error);
  BOOST_TEST(error == "");
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST(boost::json::serialize(to_json(*back)) == boost::json::serialize(json));
  BOOST_TEST(back->evidence_json == f.evidence_json);
  BOOST_TEST(csv_fields(*back) == csv_fields(f));
  BOOST_TEST(csv_fields(f).size() == csv_columns().size());
}

// RFC 4180 quoting, and no formula for a spreadsheet to run: a field from a submitter's file
// that starts with = + - @ (or a tab or CR) gets a leading apostrophe inside quotes.
BOOST_AUTO_TEST_CASE(csv_rows_quote_and_defuse_formulas) {
  std::string out;
  append_csv_row(out, {"plain", "a,b", "say \"hi\"", "two\nlines", "", "M62.830", "2024-08-15"});
  append_csv_row(out,
                 {"=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)", "\t=1", "a=b", "12-3"});
  BOOST_TEST(
      out ==
      "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,M62.830,2024-08-15\r\n"
      "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'+1\",\"'-2\",\"'@SUM(A1)\",\"'\t=1\",a=b,"
      "12-3\r\n");
}

// A finding's code prints by its code system, never by its first letter: a diagnosis code
// dotted after the third character, a line's HCPCS or CPT code as it is (J1100 is not J11.00),
// the same in the API's JSON and in the CSV export; JSON read back gives the stored form.
BOOST_AUTO_TEST_CASE(finding_codes_print_by_code_system) {
  struct Row {
    std::string code;
    int diagnosis_seq;
    int line_seq;
    std::string printed;
  };
  const std::vector<Row> rows{{"M62830", 1, 0, "M62.830"},   {"I10", 2, 0, "I10"},
                              {"W1849XA", 2, 0, "W18.49XA"}, {"J1100", 0, 1, "J1100"},
                              {"97140", 0, 2, "97140"},      {"", 0, 0, ""}};
  const auto code_column = static_cast<std::size_t>(
      std::find(csv_columns().begin(), csv_columns().end(), "code") - csv_columns().begin());
  for (const auto& row : rows) {
    model::FindingRecord f;
    f.rule_id = "dx.stale_code";
    f.code = row.code;
    f.diagnosis_seq = row.diagnosis_seq;
    f.line_seq = row.line_seq;
    BOOST_TEST(finding_code_text(f) == row.printed);
    const boost::json::value json = to_json(f);
    BOOST_TEST(json.at("code").as_string() == row.printed);
    BOOST_TEST(csv_fields(f).at(code_column) == row.printed);
    std::string error;
    const auto back = finding_from_json(json, error);
    BOOST_REQUIRE(back.has_value());
    BOOST_TEST(back->code == row.code);
  }
}

// Regression (session 10): an ICD-9-CM E code was dotted the ICD-10 way (E88.09 for E880.9).
BOOST_AUTO_TEST_CASE(icd9_codes_print_dotted_the_icd9_way) {
  struct Row {
    std::string code;
    model::CodeSystem system;
    std::string printed;
  };
  const std::vector<Row> rows{{"E8809", model::CodeSystem::kIcd9Cm, "E880.9"},
                              {"E912", model::CodeSystem::kIcd9Cm, "E912"},
                              {"E119", model::CodeSystem::kUnknown, "E11.9"},
                              {"V010", model::CodeSystem::kIcd9Cm, "V01.0"},
                              {"25000", model::CodeSystem::kIcd9Cm, "250.00"},
                              {"E1165", model::CodeSystem::kUnknown, "E11.65"}};
  model::ClaimRecord claim;
  std::vector<std::string> printed;
  for (const auto& row : rows) {
    model::FindingRecord f;
    f.rule_id = "dx.code_set_qualifier";
    f.code = row.code;
    f.diagnosis_seq = 1;
    f.code_system = row.system;
    BOOST_TEST(finding_code_text(f) == row.printed);
    const boost::json::value json = to_json(f);
    BOOST_TEST(json.at("code").as_string() == row.printed);
    std::string error;
    const auto back = finding_from_json(json, error);
    BOOST_REQUIRE(back.has_value());
    BOOST_TEST(back->code == row.code);
    BOOST_TEST(finding_code_text(*back) == row.printed);
    claim.diagnoses.push_back(row.code);
    claim.diagnosis_code_systems.push_back(row.system);
    printed.push_back(row.printed);
  }
  std::vector<std::string> diagnoses;
  const boost::json::object claim_json = to_json(claim);
  for (const auto& code : claim_json.at("diagnoses").as_array()) {
    diagnoses.emplace_back(code.as_string());
  }
  BOOST_TEST(diagnoses == printed, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(status_change_bodies) {
  std::string error;
  auto request = status_change_from_json(
      boost::json::parse(R"({"status":"waived","note":"payer ok","reason":"payer_policy"})"),
      error);
  BOOST_REQUIRE(request.has_value());
  BOOST_TEST(model::to_string(request->status) == "waived");
  BOOST_TEST(request->reason_code == "payer_policy");
  BOOST_TEST(!status_change_from_json(boost::json::parse(R"({"status":"done"})"), error));
  BOOST_TEST(error == "unknown status 'done'");
  error.clear();
  BOOST_TEST(!status_change_from_json(boost::json::parse(R"({"note":"x"})"), error));
  BOOST_TEST(error == "missing field 'status'");
  error.clear();
  BOOST_TEST(!status_change_from_json(boost::json::parse(R"([1])"), error));
  BOOST_TEST(error == "expected a JSON object");
  error.clear();
  BOOST_TEST(!status_change_from_json(boost::json::parse(R"({"status":3})"), error));
  BOOST_TEST(error == "field 'status' must be a string");
}

BOOST_AUTO_TEST_CASE(error_bodies) {
  const auto body = error_body(403, "forbidden", "no \"read\" role");
  BOOST_TEST(body ==
             "{\"error\":{\"status\":403,\"code\":\"forbidden\",\"message\":\"no "
             "\\\"read\\\" role\"}}\n");
  const auto info = parse_error_body(body);
  BOOST_TEST(info.http_status == 403);
  BOOST_TEST(info.code == "forbidden");
  BOOST_TEST(info.message == "no \"read\" role");
  BOOST_TEST(parse_error_body("{}").code == "");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::status
