// claimctl/findings_options.hpp
//
// The finding filters of `claimctl findings`, `export` and `review` (many at once), as command
// line options, turned into the API's query string and checked with status::parse_filter so
// the client and the daemon agree on every word.
#pragma once

#include <string>
#include <vector>

#include "status/protocol.hpp"

namespace claimaudit::claimctl {

inline constexpr const char* kFilterHelp =
    "filters (repeat or comma-separate the list ones):\n"
    "  --status S        open in_review corrected waived false_positive superseded reopened\n"
    "  --rule ID         --severity info|warning|error   --payer-kind WORD   --claim-type WORD\n"
    "  --from DATE --to DATE   first date of service, YYYY-MM-DD\n"
    "  --file NAME       --claim CLM01   --assignee USER   --shadow (include shadow rules)\n"
    "  --hide-waived     leave out findings an active waiver covers\n";

struct FilterOptions {
  status::Query query;
  std::vector<std::string> rest;  // Arguments that are not filters.
  std::string error;
};

inline FilterOptions parse_filter_options(const std::vector<std::string>& args) {
  FilterOptions out;
  static const std::vector<std::pair<std::string, std::string>> kValued{
      {"--status", "status"},
      {"--rule", "rule"},
      {"--severity", "severity"},
      {"--payer-kind", "payer_kind"},
      {"--claim-type", "claim_type"},
      {"--from", "from"},
      {"--to", "to"},
      {"--file", "file"},
      {"--claim", "claim"},
      {"--assignee", "assignee"},
      {"--limit", "limit"},
      {"--cursor", "cursor"}};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    bool matched = false;
    for (const auto& [option, key] : kValued) {
      if (arg == option) {
        if (i + 1 >= args.size()) {
          out.error = option + " needs a value";
          return out;
        }
        out.query.emplace(key, args[++i]);
        matched = true;
      } else if (arg.starts_with(option + "=")) {
        out.query.emplace(key, arg.substr(option.size() + 1));
        matched = true;
      }
      if (matched) break;
    }
    if (matched) continue;
    if (arg == "--shadow") {
      out.query.emplace("shadow", "1");
    } else if (arg == "--hide-waived") {
      out.query.emplace("waived", "0");
    } else {
      out.rest.push_back(arg);
    }
  }
  const auto parsed = status::parse_filter(out.query);
  if (!parsed.error.empty()) {
    out.error = parsed.error;
  } else if (parsed.filter.from && parsed.filter.to && *parsed.filter.to < *parsed.filter.from) {
    // An empty range is a typo, not an empty queue.
    out.error = "--from " + parsed.filter.from->iso() + " is after --to " + parsed.filter.to->iso();
  }
  return out;
}

}  // namespace claimaudit::claimctl
