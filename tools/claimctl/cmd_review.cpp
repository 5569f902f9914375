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
#include <vector>

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

// The review options pulled out of the command line; `rest` is a finding id or filters.
struct ReviewArgs {
  std::vector<std::string> rest;
  status::StatusChangeRequest change;
  std::string status_word;
  bool yes = false;
};

// Fills `review` from `args`; false (after printing why) when an option lacks its value or the
// status is not one.
bool parse_review_args(const std::vector<std::string>& args, ReviewArgs& review) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    auto value = [&](std::string& target) {
      if (i + 1 >= args.size()) return false;
      target = args[++i];
      return true;
    };
    bool ok = true;
    if (arg == "--status") {
      ok = value(review.status_word);
    } else if (arg == "--note") {
      ok = value(review.change.note);
    } else if (arg == "--reason") {
      ok = value(review.change.reason_code);
    } else if (arg == "--yes" || arg == "-y") {
      review.yes = true;
    } else {
      review.rest.push_back(arg);
    }
    if (!ok) {
      std::fprintf(stderr, "claimctl review: %s needs a value\n", arg.c_str());
      return false;
    }
  }
  const auto status = model::parse_finding_status(review.status_word);
  if (!status) {
    std::fprintf(stderr,
                 "claimctl review: --status must be one of in_review, corrected, waived, "
                 "false_positive, reopened, open\n%s",
                 kUsage);
    return false;
  }
  review.change.status = *status;
  return true;
}

// One finding by id; the exit status.
int review_one(const CommonOptions& options, const std::string& id,
               const status::StatusChangeRequest& change) {
  if (!is_finding_id("review", id)) return core::to_int(core::ExitCode::kUsage);
  int exit_code = 0;
  const auto result =
      request("review", options, "POST", "/v1/findings/" + status::percent_encode(id) + "/status",
              json::serialize(status::to_json(change)), exit_code);
  if (!result) return exit_code;
  if (options.json) {
    std::fputs(result->body.c_str(), stdout);
    return 0;
  }
  const auto body = json::parse(result->body);
  const auto& event = body.at("event");
  std::printf("finding %s: %s -> %s by %s at %s\n", id.c_str(), shown(event, "old_status").c_str(),
              shown(event, "new_status").c_str(), shown(event, "user").c_str(),
              shown(event, "at").c_str());
  return 0;
}

// Asks whether to change `count` findings; false (after saying nothing changed) unless the
// answer is yes.
bool confirm_change(std::size_t count, const std::string& status_word) {
  std::printf("%zu finding%s will change to %s.\n", count, count == 1 ? "" : "s",
              status_word.c_str());
  std::printf("Proceed? [y/N] ");
  std::fflush(stdout);
  std::string answer;
  if (!std::getline(std::cin, answer) || (answer != "y" && answer != "Y" && answer != "yes")) {
    std::printf("nothing changed\n");
    return false;
  }
  return true;
}

// Every finding `query` selects, each only if still in the status it was listed with; the exit
// status.
int review_many(const CommonOptions& options, const status::Query& query,
                const ReviewArgs& review) {
  int exit_code = 0;
  auto parsed = status::parse_filter(query);
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
  if (review.yes) {
    std::printf("%zu finding%s will change to %s.\n", findings.size(),
                findings.size() == 1 ? "" : "s", review.status_word.c_str());
  } else if (!confirm_change(findings.size(), review.status_word)) {
    return 1;
  }
  int changed = 0;
  int refused = 0;
  for (const auto& f : findings) {
    auto one = review.change;
    one.expected_from = model::parse_finding_status(field(f, "status"));
    const auto result =
        status::call(options.socket, "POST", "/v1/findings/" + field(f, "id") + "/status",
                     json::serialize(status::to_json(one)));
    if (result.ok() && result.status == 200) {
      ++changed;
      continue;
    }
    ++refused;
    const auto error = status::parse_error_body(result.body);
    std::fprintf(stderr, "finding %s: %s\n", field(f, "id").c_str(),
                 result.ok() ? error.message.c_str() : result.message.c_str());
    if (!result.ok() || result.status == 403) {
      check("review", result, exit_code);
      return exit_code;
    }
  }
  std::printf("%d changed, %d refused\n", changed, refused);
  return refused == 0 ? 0 : 1;
}

int review_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help) {
    std::printf("%s%s", kUsage, kFilterHelp);
    return 0;
  }
  ReviewArgs review;
  if (!parse_review_args(options.rest, review)) return core::to_int(core::ExitCode::kUsage);
  const auto& rest = review.rest;
  if (rest.size() == 1 && !rest[0].starts_with("-"))
    return review_one(options, rest[0], review.change);
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
  if (!review.yes && ::isatty(STDIN_FILENO) != 1) {
    // Nobody to ask: a script must say --yes (it read a "no" from the pipe and exited 1).
    std::fprintf(stderr,
                 "claimctl review: a change from a filter needs --yes when there is no terminal "
                 "to confirm at\n");
    return core::to_int(core::ExitCode::kUsage);
  }
  return review_many(options, filters.query, review);
}

const CommandRegistration kReview{"review", "change the status of findings (reviewers)",
                                  review_command};

}  // namespace
}  // namespace claimaudit::claimctl
