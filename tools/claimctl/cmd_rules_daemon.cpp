// claimctl rules list | stats [--json]: the daemon's loaded rule set and, per rule, how often
// it fired and what reviewers made of it (fired, corrected, waived, false positive, not
// evaluated). `claimctl rules --stats` is `rules stats`.
#include <cstdio>
#include <string>

#include "daemon_client.hpp"
#include "rules_subcommands.hpp"

namespace claimaudit::claimctl {
namespace {

namespace json = boost::json;

int rules_from_daemon(std::span<const std::string> args, bool stats) {
  const auto options = parse_common(args);
  if (options.help) {
    std::fputs("usage: claimctl rules list|stats [--json] [--socket PATH]\n", stdout);
    return 0;
  }
  if (!only_known_arguments(stats ? "rules stats" : "rules list", options)) {
    return core::to_int(core::ExitCode::kUsage);
  }
  int exit_code = 0;
  const auto result = request("rules", options, "GET", "/v1/rules", "", exit_code);
  if (!result) return exit_code;
  if (options.json) {
    std::fputs(result->body.c_str(), stdout);
    return 0;
  }
  const auto body = json::parse(result->body);
  const auto& set = body.at("rule_set");
  std::printf("rule set %s: %s rules, loaded %s\n", shown(set, "version").substr(0, 12).c_str(),
              shown(set, "count").c_str(), shown(set, "loaded_at").c_str());
  if (!stats) {
    Table table({"RULE", "FIRED"});
    table.set_flexible(0);
    for (const auto& r : body.at("rules").as_array()) {
      table.add({field(r, "rule_id"), field(r, "fired")});
    }
    std::fputs(table.render().c_str(), stdout);
    return 0;
  }
  Table table({"RULE", "FIRED", "CORRECTED", "WAIVED", "FALSE+", "N/E"});
  table.set_flexible(0);
  for (const auto& r : body.at("rules").as_array()) {
    table.add({field(r, "rule_id"), field(r, "fired"), field(r, "corrected"), field(r, "waived"),
               field(r, "false_positive"), field(r, "not_evaluated")});
  }
  std::fputs(table.render().c_str(), stdout);
  return 0;
}

const RulesSubcommandRegistration kList{
    "list", "rules the daemon has loaded, with their finding counts",
    [](std::span<const std::string> args) { return rules_from_daemon(args, false); }};
const RulesSubcommandRegistration kStats{
    "stats", "per rule: fired, corrected, waived, false positive, not evaluated",
    [](std::span<const std::string> args) { return rules_from_daemon(args, true); }};
const RulesSubcommandRegistration kStatsFlag{
    "--stats", "same as stats",
    [](std::span<const std::string> args) { return rules_from_daemon(args, true); }};

}  // namespace
}  // namespace claimaudit::claimctl
