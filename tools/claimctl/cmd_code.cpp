// claimctl code CODE [--on DATE] [--json]
//
// What a compliance officer types to settle an argument about one ICD-10-CM code: its status on
// a date of service, its whole history (one line per interval, with the file each comes from),
// the codes that replaced it, and the sources. Runs the code-set library in-process on the
// installed table (CLAIMAUDIT_CODESET overrides). Without --on it answers for today and says so.
// Exit: 0 answered (also for an unknown code: that is an answer); 64 bad command line or a text
// that cannot be a code; 78 the code-set table cannot be loaded.
#include <cstdio>
#include <ctime>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "codes/code_set.hpp"
#include "command.hpp"
#include "core/date.hpp"
#include "core/exit_code.hpp"
#include "core/icd10_code.hpp"
#include "core/json_text.hpp"

namespace claimaudit::claimctl {
namespace {

constexpr const char* kUsage =
    "usage: claimctl code CODE [--on YYYY-MM-DD] [--json]\n"
    "\n"
    "Shows an ICD-10-CM code's status on a date of service (billable, header, not_yet_valid,\n"
    "deleted, unknown, before_icd10, after_coverage), its whole history with the source file of\n"
    "each interval, and its replacement codes. CODE may be dotted or not, any case (M62.830,\n"
    "m62830). Without --on the date is today's. --json prints one JSON object.\n"
    "\n"
    "exit status: 0 answered; 64 bad command line; 78 the code-set table cannot be loaded.\n";

using core::json_string;

std::string json_codes(const std::vector<std::string>& codes) {
  std::string out = "[";
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i > 0) out += ",";
    out += json_string(core::dotted_icd10(codes[i]));
  }
  return out + "]";
}

std::string json_date(const std::optional<core::Date>& date) {
  return date ? json_string(date->iso()) : "null";
}

std::string dotted_list(const std::vector<std::string>& codes) {
  std::string out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i > 0) out += ", ";
    out += core::dotted_icd10(codes[i]);
  }
  return out;
}

core::Date today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return core::Date::from_civil(local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1),
                                static_cast<unsigned>(local.tm_mday));
}

std::string editions_text(const codes::Interval& interval) {
  return interval.edition == interval.last_edition
             ? interval.edition
             : interval.edition + ".." + interval.last_edition;
}

// One sentence on the status.
std::string explain(const codes::LookupResult& r) {
  using codes::Status;
  switch (r.status) {
    case Status::kBillable:
      return "billable: valid on a claim on this date";
    case Status::kHeader:
      if (r.expanded_on) {
        return "header (not billable): billable until " + r.last_valid->iso() +
               ", expanded into more specific codes on " + r.expanded_on->iso();
      }
      if (r.last_valid) return "header (not billable): billable until " + r.last_valid->iso();
      return "header (not billable): a category that needs more characters";
    case Status::kNotYetValid:
      return r.first_valid ? "not yet valid: billable from " + r.first_valid->iso()
                           : "not yet valid: appears only in a later edition (as a header)";
    case Status::kDeleted:
      return r.last_valid ? "deleted: last valid on " + r.last_valid->iso()
                          : "deleted: was a header in earlier editions";
    case Status::kUnknown:
      return "unknown: in no ICD-10-CM edition from FY2016 to FY2027";
    case Status::kBeforeIcd10:
      return "before ICD-10-CM: dates of service before 2015-10-01 use ICD-9-CM, which is not "
             "shipped";
    case Status::kAfterCoverage:
      return "after coverage: the newest loaded edition ends before this date";
  }
  return "";
}

struct CodeArgs {
  std::optional<std::string> code;
  std::optional<core::Date> on;
  bool json = false;
};

// --on DATE or --on=DATE at args[i] into `out`; false (with a message) when it is missing or
// not a date.
bool parse_on(std::span<const std::string> args, std::size_t& i, CodeArgs& out) {
  const auto& arg = args[i];
  std::string value;
  if (arg == "--on") {
    if (i + 1 >= args.size()) {
      std::fprintf(stderr, "claimctl code: --on needs a date (YYYY-MM-DD)\n%s", kUsage);
      return false;
    }
    value = args[++i];
  } else {
    value = arg.substr(5);
  }
  out.on = core::parse_iso_date(value);
  if (!out.on) {
    std::fprintf(stderr, "claimctl code: '%s' is not a date; expected YYYY-MM-DD\n", value.c_str());
    return false;
  }
  return true;
}

// The command line into `out`; an exit code when it ends the command.
std::optional<int> parse_code_args(std::span<const std::string> args, CodeArgs& out) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return core::to_int(core::ExitCode::kOk);
    }
    if (arg == "--json") {
      out.json = true;
    } else if (arg == "--on" || arg.starts_with("--on=")) {
      if (!parse_on(args, i, out)) return core::to_int(core::ExitCode::kUsage);
    } else if (arg.starts_with("--")) {
      std::fprintf(stderr, "claimctl code: unknown option '%s'\n%s", arg.c_str(), kUsage);
      return core::to_int(core::ExitCode::kUsage);
    } else if (out.code) {
      std::fprintf(stderr, "claimctl code: one code at a time ('%s' and '%s')\n", out.code->c_str(),
                   arg.c_str());
      return core::to_int(core::ExitCode::kUsage);
    } else {
      out.code = arg;
    }
  }
  if (!out.code) {
    std::fprintf(stderr, "claimctl code: which code?\n%s", kUsage);
    return core::to_int(core::ExitCode::kUsage);
  }
  return std::nullopt;
}

// Everything the command reports on one code.
struct CodeReport {
  std::string normalized;
  std::string dotted;
  core::Date date;
  bool is_today = false;
  codes::LookupResult result;
  std::vector<codes::Interval> history;
  const codes::Edition* edition = nullptr;
  std::vector<std::string> sources;  // The files it comes from, first seen first.
};

std::vector<std::string> sources_of(const codes::CodeSet& set, const CodeReport& report) {
  std::vector<std::string> sources;
  std::set<std::string> seen;
  auto add = [&](const std::string& source) {
    if (!source.empty() && seen.insert(source).second) sources.push_back(source);
  };
  if (report.edition != nullptr) add(report.edition->source);
  for (const auto& interval : report.history) {
    add(interval.source);
    // Every edition the interval spans.
    bool inside = false;
    for (const auto& e : set.editions()) {
      if (e.name == interval.edition && !interval.from_correction) inside = true;
      if (inside) add(e.source);
      if (e.name == interval.last_edition) inside = false;
    }
  }
  return sources;
}

void print_json(const codes::CodeSet& set, const CodeReport& report) {
  const auto& result = report.result;
  const auto* edition = report.edition;
  std::string out = "{";
  out += "\"code\":" + json_string(report.dotted);
  out += ",\"normalized\":" + json_string(report.normalized);
  out += ",\"date\":" + json_string(report.date.iso());
  out += ",\"date_is_today\":" + std::string(report.is_today ? "true" : "false");
  out += ",\"status\":" + json_string(codes::to_string(result.status));
  out += ",\"explanation\":" + json_string(explain(result));
  out += ",\"title\":" + json_string(result.title);
  out += ",\"edition\":" + (edition != nullptr ? json_string(edition->name) : "null");
  out += ",\"edition_source\":" + (edition != nullptr ? json_string(edition->source) : "null");
  out += ",\"first_valid\":" + json_date(result.first_valid);
  out += ",\"last_valid\":" + json_date(result.last_valid);
  out += ",\"expanded_on\":" + json_date(result.expanded_on);
  out += ",\"replacements\":" + json_codes(result.replacements);
  out += ",\"children\":" + json_codes(result.children);
  out += ",\"parent\":" + json_string(core::dotted_icd10(set.parent(report.normalized)));
  out += ",\"history\":[";
  for (std::size_t i = 0; i < report.history.size(); ++i) {
    const auto& h = report.history[i];
    if (i > 0) out += ",";
    out += "{\"from\":" + json_string(h.from.iso()) + ",\"to\":" + json_string(h.to.iso()) +
           ",\"kind\":" + json_string(h.billable ? "billable" : "header") +
           ",\"first_edition\":" + json_string(h.edition) +
           ",\"last_edition\":" + json_string(h.last_edition) +
           ",\"title\":" + json_string(h.title) +

           ",\"source\":" + json_string(h.source) +
           ",\"from_correction\":" + (h.from_correction ? "true" : "false") +
           ",\"successors\":" + json_codes(h.successors) + "}";
  }
  out += "],\"sources\":[";
  for (std::size_t i = 0; i < report.sources.size(); ++i) {
    if (i > 0) out += ",";
    out += json_string(report.sources[i]);
  }
  out += "]}\n";
  std::fputs(out.c_str(), stdout);
}

void print_text(const CodeReport& report) {
  const auto& result = report.result;
  const auto* edition = report.edition;
  std::printf("%s", report.dotted.c_str());
  if (!result.title.empty()) std::printf("  %s", result.title.c_str());
  std::printf("\n");
  std::printf("on %s%s", report.date.iso().c_str(),
              report.is_today ? " (today; use --on DATE for another)" : "");
  if (edition != nullptr)
    std::printf(", edition %s (%s)", edition->name.c_str(), edition->source.c_str());
  std::printf(":\n  %s\n", explain(result).c_str());
  if (!result.replacements.empty()) {
    std::printf("  replaced by: %s\n", dotted_list(result.replacements).c_str());
  }
  if (!result.children.empty() && result.children != result.replacements) {
    std::printf("  billable codes under it: %s\n", dotted_list(result.children).c_str());
  }
  if (report.history.empty()) {
    std::printf("history: none (the code appears in no edition)\n");
    return;
  }
  std::printf("history:\n");
  for (const auto& h : report.history) {
    std::printf("  %s..%s  %-8s  %-40s  %s  [%s]\n", h.from.iso().c_str(), h.to.iso().c_str(),
                h.billable ? "billable" : "header", editions_text(h).c_str(), h.title.c_str(),
                h.source.c_str());
    if (!h.successors.empty()) {
      std::printf("      replaced from %s by %s\n", h.to.next_day().iso().c_str(),
                  dotted_list(h.successors).c_str());
    }
  }
  std::printf("sources (under the icd10cm release folder; corrections.tsv is data/codeset/):\n");
  for (const auto& source : report.sources) std::printf("  %s\n", source.c_str());
}

int run_code(std::span<const std::string> args) {
  CodeArgs parsed;
  if (const auto exit_code = parse_code_args(args, parsed)) return *exit_code;
  const auto normalized = core::normalize_icd10(*parsed.code);
  if (!normalized) {
    std::fprintf(stderr,
                 "claimctl code: '%s' is not an ICD-10-CM code: expected 3 to 7 letters or digits, "
                 "with an optional dot after the third (M62.830, m62830)\n",
                 parsed.code->c_str());
    return core::to_int(core::ExitCode::kUsage);
  }
  CodeReport report;
  report.normalized = *normalized;
  report.is_today = !parsed.on;
  report.date = parsed.on ? *parsed.on : today();

  std::optional<codes::CodeSet> set;
  try {
    set.emplace(codes::CodeSet::load_default());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "claimctl code: cannot load the code set: %s\n", e.what());
    return core::to_int(core::ExitCode::kConfig);
  }
  report.result = set->lookup(*normalized, report.date);
  report.history = set->history(*normalized);
  report.edition = set->edition_for(report.date);
  report.sources = sources_of(*set, report);
  report.dotted = core::dotted_icd10(*normalized);
  if (parsed.json) {
    print_json(*set, report);
  } else {
    print_text(report);
  }
  return core::to_int(core::ExitCode::kOk);
}

const CommandRegistration kRegistration{
    "code", "status, history and replacements of an ICD-10-CM code on a date", run_code};

}  // namespace
}  // namespace claimaudit::claimctl
