// claimctl report [--json]: findings by rule, payer kind and month of service; false-positive
// rate per rule; what shadow rules would have flagged; expired waivers.
// claimctl report rules [--json]: per rule, findings, reviewer outcomes and precision
// (1 - false-positive share of the reviewed findings).
#include <cstdio>
#include <map>
#include <string>

#include "command.hpp"
#include "daemon_client.hpp"

namespace claimaudit::claimctl {
namespace {

namespace json = boost::json;

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "-";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.1f%%",
                100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buffer;
}

int report_rules(const CommonOptions& options) {
  int exit_code = 0;
  const auto result = request("report", options, "GET", "/v1/rules", "", exit_code);
  if (!result) return exit_code;
  if (options.json) {
    std::fputs(result->body.c_str(), stdout);
    return 0;
  }
  const auto body = json::parse(result->body);
  Table table({"RULE", "FIRED", "OPEN", "CORR", "WAIVED", "FALSE+", "SHADOW", "N/E", "PRECISION"});
  table.set_flexible(0);
  for (const auto& r : body.at("rules").as_array()) {
    const auto fp = r.at("false_positive").as_int64();
    const auto reviewed = r.at("corrected").as_int64() + r.at("waived").as_int64() + fp;
    table.add({field(r, "rule_id"), field(r, "fired"), field(r, "open"), field(r, "corrected"),
               field(r, "waived"), field(r, "false_positive"), field(r, "shadow"),
               field(r, "not_evaluated"), reviewed == 0 ? "-" : percent(reviewed - fp, reviewed)});
  }
  std::fputs(table.render().c_str(), stdout);
  std::printf("precision = 1 - false positives / reviewed (corrected + waived + false positive)\n");
  return 0;
}

int report_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help) {
    std::fputs(
        "usage: claimctl report [--json]          by rule, payer kind and month\n"
        "       claimctl report rules [--json]    per-rule outcomes and precision\n",
        stdout);
    return 0;
  }
  const bool rules_report = !options.rest.empty() && options.rest[0] == "rules";
  if (!rules_report && !options.rest.empty()) {
    std::fprintf(stderr, "claimctl report: unknown report '%s'\n", options.rest[0].c_str());
    return core::to_int(core::ExitCode::kUsage);
  }
  if (!only_known_arguments(rules_report ? "report rules" : "report", options,
                            rules_report ? 1 : 0)) {
    return core::to_int(core::ExitCode::kUsage);
  }
  if (rules_report) return report_rules(options);
  int exit_code = 0;
  const auto result = request("report", options, "GET", "/v1/report", "", exit_code);
  if (!result) return exit_code;
  if (options.json) {
    std::fputs(result->body.c_str(), stdout);
    return 0;
  }
  const auto body = json::parse(result->body);
  Table cells({"RULE", "PAYER", "MONTH", "FINDINGS", "FALSE+", "WAIVED", "CORR"});
  cells.set_flexible(0);
  struct Totals {
    std::int64_t findings = 0, false_positive = 0, shadow = 0;
  };
  std::map<std::string, Totals> per_rule;
  for (const auto& r : body.at("rows").as_array()) {
    auto& totals = per_rule[field(r, "rule_id")];
    if (field(r, "mode") == "shadow") {
      totals.shadow += r.at("findings").as_int64();
      continue;
    }
    totals.findings += r.at("findings").as_int64();
    totals.false_positive += r.at("false_positive").as_int64();
    cells.add({field(r, "rule_id"), field(r, "payer_kind"), field(r, "month"), field(r, "findings"),
               field(r, "false_positive"), field(r, "waived"), field(r, "corrected")});
  }
  std::printf("findings by rule, payer kind and month of service (enforced rules)\n");
  std::fputs(cells.render().c_str(), stdout);
  Table rules({"RULE", "FINDINGS", "FALSE+ RATE", "SHADOW WOULD FLAG"});
  rules.set_flexible(0);
  for (const auto& [rule, totals] : per_rule) {
    rules.add({rule, std::to_string(totals.findings),
               percent(totals.false_positive, totals.findings), std::to_string(totals.shadow)});
  }
  std::printf("\nper rule\n");
  std::fputs(rules.render().c_str(), stdout);
  const auto& expired = body.at("expired_waivers").as_array();
  if (!expired.empty()) {
    std::printf("\nexpired waivers (no longer applied)\n");
    for (const auto& w : expired) {
      std::printf("  #%s %s %s=%s owner %s, expired %s\n", shown(w, "id").c_str(),
                  shown(w, "rule_id").c_str(), shown(w, "scope").c_str(), shown(w, "value").c_str(),
                  shown(w, "owner").c_str(), shown(w, "expires").c_str());
    }
  }
  return 0;
}

const CommandRegistration kReport{"report", "findings by rule, payer and month; rule quality",
                                  report_command};

}  // namespace
}  // namespace claimaudit::claimctl
