// claimctl findings [filters] [--json|--csv] and claimctl export --csv [filters]: the work
// queue, as a table that fits 80 columns, the API's JSON unchanged, or RFC 4180 CSV.
#include <cstdio>
#include <string>

#include "command.hpp"
#include "daemon_client.hpp"
#include "findings_options.hpp"

namespace claimaudit::claimctl {
namespace {

namespace json = boost::json;

std::string target_for(const status::FilterParse& parsed) {
  return "/v1/findings?" + status::to_query_string(parsed.filter);
}

// Writes the CSV of every finding matching `query` (all pages in one answer). The daemon writes
// the CSV itself (GET /v1/findings?format=csv), row by row as it reads them, so an export of a
// large queue is one pass with nothing parsed here.
int write_csv(const std::string& command, const CommonOptions& options, status::Query query) {
  query.erase("limit");
  query.erase("cursor");
  auto parsed = status::parse_filter(query);
  parsed.filter.limit = 0;
  int exit_code = 0;
  auto target = target_for(parsed);
  target += target.ends_with('?') ? "format=csv" : "&format=csv";
  const auto result = request(command, options, "GET", target, "", exit_code);
  if (!result) return exit_code;
  if (!result->content_type.starts_with("text/csv")) {
    std::fprintf(stderr, "claimctl %s: the daemon did not answer with CSV (%s)\n", command.c_str(),
                 result->content_type.c_str());
    return core::to_int(core::ExitCode::kInternal);
  }
  std::fwrite(result->body.data(), 1, result->body.size(), stdout);
  return 0;
}

int findings_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help) {
    std::printf(
        "usage: claimctl findings [filters] [--limit N] [--cursor C] [--json|--csv] [--socket "
        "PATH]\n"
        "The work queue, 50 findings a page (--limit 1..1000 or all; the last line gives the\n"
        "--cursor of the next page); --csv writes every matching finding as RFC 4180 CSV.\n%s",
        kFilterHelp);
    return 0;
  }
  // The filters are checked below; here only --json with --csv.
  if (!only_known_arguments("findings", options, options.rest.size())) {
    return core::to_int(core::ExitCode::kUsage);
  }
  auto filters = parse_filter_options(options.rest);
  if (!filters.error.empty() || !filters.rest.empty()) {
    std::fprintf(stderr, "claimctl findings: %s\n",
                 filters.error.empty() ? ("unexpected argument '" + filters.rest[0] + "'").c_str()
                                       : filters.error.c_str());
    return core::to_int(core::ExitCode::kUsage);
  }
  if (options.csv) return write_csv("findings", options, filters.query);
  auto parsed = status::parse_filter(filters.query);
  if (filters.query.count("limit") == 0) parsed.filter.limit = 50;
  int exit_code = 0;
  const auto result = request("findings", options, "GET", target_for(parsed), "", exit_code);
  if (!result) return exit_code;
  if (options.json) {
    std::fputs(result->body.c_str(), stdout);
    return 0;
  }
  const json::value body = json::parse(result->body);
  if (body.at("findings").as_array().empty()) {
    // An empty queue says so in words, not as a bare header row.
    std::printf("no findings%s\n", filters.query.empty() ? "" : " match these filters");
    return 0;
  }
  Table table({"ID", "STATUS", "SEV", "RULE", "CODE", "CLAIM", "DOS"});
  table.set_colour(2, severity_colour);
  table.set_flexible(3);
  bool any_waived = false;
  for (const auto& f : body.at("findings").as_array()) {
    std::string status = field(f, "status");
    if (!field(f, "waiver_id").empty()) {
      status += "*";
      any_waived = true;
    }
    table.add({field(f, "id"), status, field(f, "severity"), field(f, "rule_id"), field(f, "code"),
               field(f, "claim_id"), field(f, "service_date")},
              field(f, "message"));
  }
  std::fputs(table.render().c_str(), stdout);
  const auto count = body.at("count").as_int64();
  std::printf("%lld finding%s", static_cast<long long>(count), count == 1 ? "" : "s");
  if (!body.at("next_cursor").is_null()) {
    std::printf("; more with --cursor %s", shown(body, "next_cursor").c_str());
  }
  std::printf("%s\n", any_waived ? " (* = covered by a waiver)" : "");
  return 0;
}

int export_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help || !options.csv) {
    std::printf("usage: claimctl export --csv [filters] [--socket PATH] > findings.csv\n%s",
                kFilterHelp);
    return options.help ? 0 : core::to_int(core::ExitCode::kUsage);
  }
  auto filters = parse_filter_options(options.rest);
  if (!filters.error.empty() || !filters.rest.empty()) {
    std::fprintf(stderr, "claimctl export: %s\n",
                 filters.error.empty() ? ("unexpected argument '" + filters.rest[0] + "'").c_str()
                                       : filters.error.c_str());
    return core::to_int(core::ExitCode::kUsage);
  }
  // An export is the whole record: shadow findings included unless filtered.
  if (filters.query.count("shadow") == 0) filters.query.emplace("shadow", "1");
  return write_csv("export", options, filters.query);
}

const CommandRegistration kFindings{"findings", "list findings from the daemon's work queue",
                                    findings_command};
const CommandRegistration kExport{"export", "export findings as RFC 4180 CSV", export_command};

}  // namespace
}  // namespace claimaudit::claimctl
