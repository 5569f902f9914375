// claimctl status | metrics | reload: the daemon's health, its Prometheus metrics, and a rule
// reload (admins), all through the status socket.
#include <cstdio>
#include <string>

#include "command.hpp"
#include "daemon_client.hpp"

namespace claimaudit::claimctl {
namespace {

namespace json = boost::json;

constexpr const char* kStatusUsage =
    "usage: claimctl status [--json] [--socket PATH]\n"
    "Shows the running daemon: version, uptime, rule set, code editions, queues, counts, expired\n"
    "waivers and the last error.\n";

int status_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help) {
    std::fputs(kStatusUsage, stdout);
    return 0;
  }
  if (!only_known_arguments("status", options)) return core::to_int(core::ExitCode::kUsage);
  int exit_code = 0;
  const auto result = request("status", options, "GET", "/v1/status", "", exit_code);
  if (!result) return exit_code;
  if (options.json) {
    std::fputs(result->body.c_str(), stdout);
    return 0;
  }
  const auto body = json::parse(result->body);
  const auto& rules = body.at("rules");
  const auto& counts = body.at("counts");
  const auto& queues = body.at("queues");
  std::string editions;
  for (const auto& e : body.at("code_editions").as_array()) {
    editions += (editions.empty() ? "" : " ") + text_of(e);
  }
  const auto uptime = body.at("uptime_seconds").as_int64();
  std::printf("claimauditd %s, up %lldh%02lldm (since %s)\n", shown(body, "version").c_str(),
              static_cast<long long>(uptime / 3600), static_cast<long long>(uptime / 60 % 60),
              shown(body, "started_at").c_str());
  std::printf("rules      %s rules, set %s, loaded %s\n", shown(rules, "count").c_str(),
              shown(rules, "version").substr(0, 12).c_str(), shown(rules, "loaded_at").c_str());
  if (!rules.at("load_errors").as_array().empty()) {
    std::printf("%s (the previous set stays in force):\n",
                paint("last reload failed", "31").c_str());
    for (const auto& e : rules.at("load_errors").as_array()) {
      std::printf("  %s\n", terminal_safe(text_of(e)).c_str());
    }
  }
  std::printf("codes      %s\n", editions.empty() ? "(none)" : editions.c_str());
  std::printf("queues     inbox %s, processing %s, store %s\n", shown(queues, "inbox").c_str(),
              shown(queues, "processing").c_str(), shown(queues, "store").c_str());
  // The rest of the files are duplicate drops (same bytes as a file already audited): said, so
  // that the parts add up to the total.
  const auto count_of = [&counts](const char* key) {
    const auto& value = counts.at(key);
    return value.is_int64() ? value.as_int64()
                            : static_cast<std::int64_t>(value.to_number<double>());
  };
  const std::int64_t duplicates = count_of("files") - count_of("files_archived") -
                                  count_of("files_quarantined") - count_of("files_in_progress");
  std::printf("files      %s (archived %s, quarantined %s, duplicate %lld, in progress %s)\n",
              shown(counts, "files").c_str(), shown(counts, "files_archived").c_str(),
              shown(counts, "files_quarantined").c_str(), static_cast<long long>(duplicates),
              shown(counts, "files_in_progress").c_str());
  std::printf("claims     %s\n", shown(counts, "claims").c_str());
  std::printf("findings   %s, %s open in the work queue\n", shown(counts, "findings").c_str(),
              shown(counts, "findings_open").c_str());
  const auto& expired = body.at("expired_waivers").as_array();
  if (!expired.empty()) {
    std::printf("%s:\n", paint("expired waivers", "33").c_str());
    for (const auto& w : expired) {
      std::printf("  #%s %s %s=%s (owner %s) expired %s\n", shown(w, "id").c_str(),
                  shown(w, "rule_id").c_str(), shown(w, "scope").c_str(), shown(w, "value").c_str(),
                  shown(w, "owner").c_str(), shown(w, "expires").c_str());
    }
  }
  const auto last_error = shown(body, "last_error");
  if (!last_error.empty()) std::printf("last error %s\n", last_error.c_str());
  return 0;
}

int metrics_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help) {
    std::fputs("usage: claimctl metrics [--socket PATH]\nPrints /v1/metrics (Prometheus text).\n",
               stdout);
    return 0;
  }
  if (!only_known_arguments("metrics", options)) return core::to_int(core::ExitCode::kUsage);
  int exit_code = 0;
  const auto result = request("metrics", options, "GET", "/v1/metrics", "", exit_code);
  if (!result) return exit_code;
  std::fputs(result->body.c_str(), stdout);
  return 0;
}

int reload_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help) {
    std::fputs(
        "usage: claimctl reload [--json] [--socket PATH]\n"
        "Asks the daemon to reload its rules (root or claimaudit-admin). A rule set with errors\n"
        "is refused and the running one stays.\n",
        stdout);
    return 0;
  }
  if (!only_known_arguments("reload", options)) return core::to_int(core::ExitCode::kUsage);
  auto result = status::call(options.socket, "POST", "/v1/reload", "{}");
  int exit_code = 0;
  if (!(result.ok() && result.status == 422) && !check("reload", result, exit_code)) {
    return exit_code;
  }
  if (options.json) {
    std::fputs(result.body.c_str(), stdout);
    return result.status == 200 ? 0 : 1;
  }
  const auto body = json::parse(result.body);
  if (result.status == 200) {
    std::printf("rules reloaded: set %s\n", shown(body, "rule_set").substr(0, 12).c_str());
    return 0;
  }
  std::printf("reload refused; set %s stays in force:\n",
              shown(body, "rule_set").substr(0, 12).c_str());
  for (const auto& e : body.at("errors").as_array()) {
    std::printf("%s\n", terminal_safe(text_of(e)).c_str());
  }
  return 1;
}

const CommandRegistration kStatus{"status", "show the running daemon's state", status_command};
const CommandRegistration kMetrics{"metrics", "print the daemon's Prometheus metrics",
                                   metrics_command};
const CommandRegistration kReload{"reload", "reload the daemon's rules (admins)", reload_command};

}  // namespace
}  // namespace claimaudit::claimctl
