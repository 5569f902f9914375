// claimctl review FINDING --status S [--note TEXT] [--reason CODE]
// claimctl review [filters] --status S [--note TEXT] [--reason CODE] [--yes]
// Changes the status of one finding, or of every finding a filter selects (after showing the
// count and asking, unless --yes). The daemon checks every transition (DOMAIN.md 7.1) and
// records the caller's Unix user; a bulk change applies only to findings still in the status
// they were listed with.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "command.hpp"
#include "daemon_client.hpp"
#include "findings_options.hpp"

namespace claimaudit::claimctl {
namespace {

namespace json = boost::json;

constexpr const char* kUsage =
    "usage: claimctl review FINDING --status S [--note TEXT] [--reason CODE]\n"
    "       claimctl review [filters] --status S [--note TEXT] [--reason CODE] [--yes]\n"
    "S: in_review (take it), corrected, waived (note required), false_positive (note required),\n"
    "reopened, open (hand back). --reason goes with waived. --socket PATH names the daemon.\n";

int review_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help) {
    std::printf("%s%s", kUsage, kFilterHelp);
    return 0;
  }
  // Pull out the review options; the rest are a finding id or filters.
  std::vector<std::string> rest;
  status::StatusChangeRequest change;
  std::string status_word;
  bool yes = false;
  for (std::size_t i = 0; i < options.rest.size(); ++i) {
    const auto& arg = options.rest[i];
    auto value = [&](std::string& target) {
      if (i + 1 >= options.rest.size()) return false;
      target = options.rest[++i];
      return true;
    };
    bool ok = true;
    if (arg == "--status") {
      ok = value(status_word);
    } else if (arg == "--note") {
      ok = value(change.note);
    } else if (arg == "--reason") {
      ok = value(change.reason_code);
    } else if (arg == "--yes" || arg == "-y") {
      yes = true;
    } else {
      rest.push_back(arg);
    }
    if (!ok) {
      std::fprintf(stderr, "claimctl review: %s needs a value\n", arg.c_str());
      return core::to_int(core::ExitCode::kUsage);
    }
  }
  const auto status = model::parse_finding_status(status_word);
  if (!status) {
    std::fprintf(stderr,
                 "claimctl review: --status must be one of in_review, corrected, waived, "
                 "false_positive, reopened, open\n%s",
                 kUsage);
    return core::to_int(core::ExitCode::kUsage);
  }
  change.status = *status;
  int exit_code = 0;
  if (rest.size() == 1 && !rest[0].starts_with("-")) {
    if (!is_finding_id("review", rest[0])) return core::to_int(core::ExitCode::kUsage);
    const auto result = request("review", options, "POST",
                                "/v1/findings/" + status::percent_encode(rest[0]) + "/status",
                                json::serialize(status::to_json(change)), exit_code);
    if (!result) return exit_code;
    if (options.json) {
      std::fputs(result->body.c_str(), stdout);
      return 0;
    }
    const auto body = json::parse(result->body);
    const auto& event = body.at("event");
    std::printf("finding %s: %s -> %s by %s at %s\n", rest[0].c_str(),
                field(event, "old_status").c_str(), field(event, "new_status").c_str(),
                field(event, "user").c_str(), field(event, "at").c_str());
    return 0;
  }
  // Many at once, from a filter.
  auto filters = parse_filter_options(rest);
  if (!filters.error.empty() || !filters.rest.empty() || filters.query.empty()) {
    std::fprintf(stderr, "claimctl review: %s\n%s",
                 !filters.error.empty()  ? filters.error.c_str()
                 : !filters.rest.empty() ? ("unexpected argument '" + filters.rest[0] + "'").c_str()
                                         : "name a finding or give at least one filter",
                 kUsage);
    return core::to_int(core::ExitCode::kUsage);
  }
  if (!yes && ::isatty(STDIN_FILENO) != 1) {
    // Nobody to ask: a script must say --yes (it read a "no" from the pipe and exited 1).
    std::fprintf(stderr,
                 "claimctl review: a change from a filter needs --yes when there is no terminal "
                 "to confirm at\n");
    return core::to_int(core::ExitCode::kUsage);
  }
  auto parsed = status::parse_filter(filters.query);
  parsed.filter.limit = 0;
  const auto listed =
      request("review", options, "GET", "/v1/findings?" + status::to_query_string(parsed.filter),
              "", exit_code);
  if (!listed) return exit_code;
  const auto body = json::parse(listed->body);
  const auto& findings = body.at("findings").as_array();
  if (findings.empty()) {
    std::printf("no finding matches; nothing changed\n");
    return 0;
  }
  std::printf("%zu finding%s will change to %s.\n", findings.size(),
              findings.size() == 1 ? "" : "s", status_word.c_str());
  if (!yes) {
    std::printf("Proceed? [y/N] ");
    std::fflush(stdout);
    std::string answer;
    if (!std::getline(std::cin, answer) || (answer != "y" && answer != "Y" && answer != "yes")) {
      std::printf("nothing changed\n");
      return 1;
    }
  }
  int changed = 0;
  int refused = 0;
  for (const auto& f : findings) {
    auto one = change;
    one.expected_from = model::parse_finding_status(field(f, "status"));
    const auto result =
        status::call(options.socket, "POST", "/v1/findings/" + field(f, "id") + "/status",
                     json::serialize(status::to_json(one)));
    if (result.ok() && result.status == 200) {
      ++changed;
    } else {
      ++refused;
      const auto error = status::parse_error_body(result.body);
      std::fprintf(stderr, "finding %s: %s\n", field(f, "id").c_str(),
                   result.ok() ? error.message.c_str() : result.message.c_str());
      if (!result.ok() || result.status == 403) {
        check("review", result, exit_code);
        return exit_code;
      }
    }
  }
  std::printf("%d changed, %d refused\n", changed, refused);
  return refused == 0 ? 0 : 1;
}

const CommandRegistration kReview{"review", "change the status of findings (reviewers)",
                                  review_command};

}  // namespace
}  // namespace claimaudit::claimctl
