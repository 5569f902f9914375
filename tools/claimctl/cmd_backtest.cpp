// claimctl rules backtest DIR... [--since DATE] [--state-dir DIR] [--json] [--socket PATH]
//
// The evidence a compliance officer needs before enforcing a candidate rule set: re-audits, in
// this process, every archived file under the daemon's state directory that the caller may read
// (archive/YYYY-MM-DD/NAME, folders from --since on) with the rule set loaded from DIR... (exactly
// as the daemon loads its rule directories: the first is the pack, later ones local rules and
// overrides; the candidate replaces the daemon's whole set), runs the same audit::process_file as
// the daemon with a sink that only collects, fetches the findings on record for those files
// through the socket (GET /v1/findings?file=NAME&shadow=1&limit=all), and compares by finding
// fingerprint: added (only the candidate has it), removed (only the record has it), changed
// (both, with another severity, mode or message), unchanged. Never writes anything: no database,
// no POST, no file.
#ifdef CLAIMAUDIT_HAVE_RULES
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "audit/process_file.hpp"
#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "core/date.hpp"
#include "daemon_client.hpp"
#include "rules/rule_set.hpp"
#include "rules_subcommands.hpp"

namespace claimaudit::claimctl {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using core::ExitCode;
using core::to_int;

constexpr const char* kUsage =
    "usage: claimctl rules backtest DIR... [--since DATE] [--state-dir DIR] [--json]\n"
    "                                      [--socket PATH]\n"
    "\n"
    "Re-audits, in this process, the archived files of the daemon that you may read\n"
    "(STATE/archive/YYYY-MM-DD/*, folders dated DATE or later with --since) with the candidate\n"
    "rule set in DIR... and compares with the findings on record (fetched through the socket):\n"
    "added, removed, changed (severity, mode or message), unchanged, by rule.\n"
    "\n"
    "DIR... REPLACES the daemon's rule set: it is loaded like the daemon's rule_dirs, the first\n"
    "directory the pack (e.g. a copy of rules/default) and later ones local rules and overrides.\n"
    "To try one local change, name the shipped pack and your override directory.\n"
    "STATE: --state-dir, else $CLAIMAUDIT_STATE_DIR, else state_dir in\n"
    "/etc/claimaudit/claimauditd.yaml, else the socket's folder if it has archive/, else ./var.\n"
    "Files are read without their drop directory's default payer kind or claim type.\n"
    "claim.duplicate (the daemon's own finding for a claim sent again) is not compared.\n"
    "Nothing is written: no database, no status change, no file.\n"
    "\n"
    "exit status: 0 compared; 1 the candidate rule set has errors; 64 bad command line;\n"
    "69 daemon not reachable; 77 permission denied; 78 no code data.\n";

// The finding the daemon itself records for a claim sent again (docs/architecture.md, "Claims
// sent again"); no rule set holds it.
constexpr std::string_view kDaemonDuplicateRule = "claim.duplicate";

struct Options {
  std::vector<fs::path> directories;
  std::optional<std::string> since;
  fs::path state_dir;
};

// state_dir: from the daemon's config file (a top-level key), if any.
std::optional<fs::path> configured_state_dir(const fs::path& config) {
  std::ifstream in(config);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("state_dir:")) continue;
    std::string value = line.substr(10);
    if (const auto hash = value.find(" #"); hash != std::string::npos) value.erase(hash);
    value.erase(0, value.find_first_not_of(" \t\"'"));
    value.erase(value.find_last_not_of(" \t\"'\r") + 1);
    if (!value.empty()) return fs::path(value);
  }
  return std::nullopt;
}

fs::path default_state_dir(const fs::path& socket) {
  if (const char* env = std::getenv("CLAIMAUDIT_STATE_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  if (auto configured = configured_state_dir("/etc/claimaudit/claimauditd.yaml")) {
    return *configured;
  }
  std::error_code ignored;
  if (!socket.empty() && fs::is_directory(socket.parent_path() / "archive", ignored)) {
    return socket.parent_path();
  }
  return "./var";
}

// What the candidate produced, and what is on record, for one fingerprint.
struct Seen {
  std::string rule_id;
  std::string severity;
  std::string mode;
  std::string message;
  std::string claim_id;
  std::string file;
  std::int64_t id = 0;  // Recorded findings: the finding's id.
  std::string status;   // Recorded findings: its review status.
};

// A sink that audits nothing into any store: it admits every file and keeps the findings.
class CollectingSink final : public audit::Sink {
 public:
  explicit CollectingSink(std::string file) : file_(std::move(file)) {}

  core::Result<store::Admitted> admit(const store::IncomingFile&, store::Arrival) override {
    store::Admitted admitted;
    admitted.admission = store::Admission::kAudit;
    admitted.attempts = 1;
    return admitted;
  }

  void record(store::BatchRecord batch) override {
    for (const store::ClaimRecord& claim : batch.claims) {
      ++claims;
      claim_keys.insert(claim.claim_key);
      for (const model::Finding& finding : claim.findings) {
        findings.push_back({finding.fingerprint,
                            Seen{finding.rule_id, std::string(model::to_string(finding.severity)),
                                 std::string(model::to_string(finding.mode)), finding.message,
                                 claim.claim_id, file_, 0, ""}});
      }
    }
  }

  int claims = 0;
  std::set<std::string> claim_keys;  // model::claim_key: "NPI|CLM01".
  std::vector<std::pair<std::string, Seen>> findings;

 private:
  std::string file_;
};

struct ArchivedFile {
  fs::path path;         // Absolute.
  std::string relative;  // "archive/2026-11-26/claims-1.json".
};

// archive/YYYY-MM-DD/* in date and name order, from `since` on. Unreadable folders and files
// land in `skipped` with the reason.
std::vector<ArchivedFile> list_archive(const fs::path& state_dir,
                                       const std::optional<std::string>& since,
                                       std::vector<std::pair<std::string, std::string>>& skipped,
                                       std::string& error) {
  std::vector<ArchivedFile> files;
  const fs::path archive = state_dir / "archive";
  std::error_code code;
  std::vector<fs::path> days;
  for (auto it = fs::directory_iterator(archive, code); !code && it != fs::directory_iterator();
       it.increment(code)) {
    const std::string name = it->path().filename().string();
    if (!core::parse_iso_date(name) || !it->is_directory(code)) continue;
    if (since && name < *since) continue;
    days.push_back(it->path());
  }
  if (code) {
    error = "cannot list " + archive.string() + ": " + code.message();
    return files;
  }
  std::sort(days.begin(), days.end());
  for (const fs::path& day : days) {
    std::vector<fs::path> names;
    std::error_code day_error;
    for (auto it = fs::directory_iterator(day, day_error);
         !day_error && it != fs::directory_iterator(); it.increment(day_error)) {
      std::error_code ignored;
      if (it->is_regular_file(ignored) && !it->is_symlink(ignored)) names.push_back(it->path());
    }
    const std::string day_name = "archive/" + day.filename().string();
    if (day_error) {
      skipped.emplace_back(day_name, day_error.message());
      continue;
    }
    std::sort(names.begin(), names.end());
    for (const fs::path& path : names) {
      const std::string relative = day_name + "/" + path.filename().string();
      if (::access(path.c_str(), R_OK) != 0) {
        skipped.emplace_back(relative, "permission denied");
        continue;
      }
      files.push_back({path, relative});
    }
  }
  return files;
}

// The names the daemon may have recorded a file under: the archived name, and without the
// ".N" a name collision in archive/ or processing/ added ("claims.1.json" -> "claims.json").
std::vector<std::string> recorded_names(const std::string& archived) {
  std::vector<std::string> names{archived};
  const fs::path path(archived);
  const fs::path stem = path.stem();
  const std::string counter = stem.extension().string();
  if (counter.size() > 1 && std::all_of(counter.begin() + 1, counter.end(),
                                        [](char c) { return c >= '0' && c <= '9'; })) {
    names.push_back(stem.stem().string() + path.extension().string());
  }
  return names;
}

struct RuleDiff {
  int added = 0;
  int removed = 0;
  int changed = 0;
  int unchanged = 0;
};

json::object seen_json(const std::string& fingerprint, const Seen& seen, bool recorded) {
  json::object o;
  if (recorded) o["id"] = seen.id;
  o["fingerprint"] = fingerprint;
  o["rule_id"] = seen.rule_id;
  o["severity"] = seen.severity;
  o["mode"] = seen.mode;
  o["message"] = seen.message;
  o["claim_id"] = seen.claim_id;
  o["file"] = seen.file;
  if (recorded) o["status"] = seen.status;
  return o;
}

// The command line after `rules backtest`; `exit_code` is set when it is refused.
std::optional<Options> parse_options(const CommonOptions& common, int& exit_code) {
  Options options;
  exit_code = to_int(ExitCode::kUsage);
  for (std::size_t i = 0; i < common.rest.size(); ++i) {
    const std::string& arg = common.rest[i];
    if (arg == "--since" && i + 1 < common.rest.size()) {
      options.since = common.rest[++i];
    } else if (arg == "--state-dir" && i + 1 < common.rest.size()) {
      options.state_dir = common.rest[++i];
    } else if (arg.starts_with("--since=")) {
      options.since = arg.substr(8);
    } else if (arg.starts_with("--state-dir=")) {
      options.state_dir = arg.substr(12);
    } else if (!arg.empty() && arg.front() == '-') {
      std::fprintf(stderr, "claimctl rules backtest: unknown option '%s'\n\n%s", arg.c_str(),
                   kUsage);
      return std::nullopt;
    } else {
      options.directories.emplace_back(arg);
    }
  }
  if (options.directories.empty()) {
    std::fprintf(stderr, "claimctl rules backtest: name the candidate rule directory\n\n%s",
                 kUsage);
    return std::nullopt;
  }
  if (options.since && !core::parse_iso_date(*options.since)) {
    std::fprintf(stderr, "claimctl rules backtest: --since needs a date YYYY-MM-DD, not '%s'\n",
                 options.since->c_str());
    return std::nullopt;
  }
  if (options.state_dir.empty()) options.state_dir = default_state_dir(common.socket);
  exit_code = 0;
  return options;
}

// The code data and the candidate set, loaded as the daemon loads its rule directories (inline
// tests run: a pack whose tests fail is refused, as the daemon would refuse it).
struct Candidate {
  std::unique_ptr<codes::CodeSet> codes;
  std::unique_ptr<codes::EditLists> edits;
  std::shared_ptr<const rules::RuleSet> rules;
};

std::optional<Candidate> load_candidate(const Options& options, int& exit_code) {
  Candidate candidate;
  try {
    candidate.codes = std::make_unique<codes::CodeSet>(codes::CodeSet::load_default());
    candidate.edits = std::make_unique<codes::EditLists>(codes::EditLists::load_default());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "claimctl rules backtest: cannot load the code history: %s\n",
                 error.what());
    exit_code = to_int(ExitCode::kConfig);
    return std::nullopt;
  }
  rules::RuleLoadResult loaded =
      rules::load_rule_set(options.directories, *candidate.codes, *candidate.edits);
  if (!loaded.rule_set) {
    std::fputs(rules::render_diagnostics(loaded).c_str(), stderr);
    std::fprintf(stderr, "claimctl rules backtest: the candidate rule set has errors\n");
    exit_code = to_int(ExitCode::kFindings);
    return std::nullopt;
  }
  candidate.rules = std::move(loaded.rule_set);
  return candidate;
}

// What re-auditing the archived files with the candidate produced.
struct Reaudit {
  std::map<std::string, Seen> findings;  // By fingerprint; the first occurrence wins.
  std::set<std::string> claim_keys;      // Of every claim read.
  std::set<std::string> names;           // The names the files may be recorded under.
  json::array files;                     // {path, claims, findings} per file audited.
  int claims = 0;
};

Reaudit reaudit(const std::vector<ArchivedFile>& files,
                const std::shared_ptr<const rules::RuleSet>& rule_set,
                std::vector<std::pair<std::string, std::string>>& skipped) {
  Reaudit out;
  for (const ArchivedFile& file : files) {
    audit::Job job;
    job.path = file.path;
    job.name = file.path.filename().string();
    job.rules = rule_set;
    CollectingSink sink(file.relative);
    const audit::Report report = audit::process_file(job, sink);
    if (report.disposition == audit::Disposition::kFailed ||
        report.disposition == audit::Disposition::kGone) {
      skipped.emplace_back(file.relative, report.failure.empty() ? "gone" : report.failure);
      continue;
    }
    out.claims += sink.claims;
    out.claim_keys.insert(sink.claim_keys.begin(), sink.claim_keys.end());
    for (auto& [fingerprint, seen] : sink.findings) out.findings.emplace(fingerprint, seen);
    for (const std::string& name : recorded_names(job.name)) out.names.insert(name);
    out.files.emplace_back(json::object{
        {"path", file.relative}, {"claims", sink.claims}, {"findings", sink.findings.size()}});
  }
  return out;
}

// The findings on record for the re-audited claims, through the socket (read role only).
std::optional<std::map<std::string, Seen>> fetch_recorded(const CommonOptions& common,
                                                          const Reaudit& candidate,
                                                          int& exit_code) {
  std::map<std::string, Seen> recorded;
  for (const std::string& name : candidate.names) {
    const auto result = request(
        "rules backtest", common, "GET",
        "/v1/findings?shadow=1&limit=all&file=" + status::percent_encode(name), "", exit_code);
    if (!result) return std::nullopt;
    const auto body = json::parse(result->body);
    for (const auto& f : body.at("findings").as_array()) {
      // Only the claims re-audited: another file recorded under the same name is not compared.
      if (!candidate.claim_keys.contains(field(f, "billing_npi") + "|" + field(f, "claim_id"))) {
        continue;
      }
      // claim.duplicate is the daemon's own finding across files, not a rule of any set: a
      // re-audit of one file cannot make it, so it is no "removed" finding of the candidate.
      if (field(f, "rule_id") == kDaemonDuplicateRule) continue;
      recorded.emplace(
          field(f, "fingerprint"),
          Seen{field(f, "rule_id"), field(f, "severity"), field(f, "mode"), field(f, "message"),
               field(f, "claim_id"), field(f, "file"), f.at("id").as_int64(), field(f, "status")});
    }
  }
  return recorded;
}

struct Difference {
  std::map<std::string, RuleDiff> by_rule;
  RuleDiff totals;
  json::array added;
  json::array removed;
  json::array changed;
};

Difference compare(const std::map<std::string, Seen>& candidate,
                   const std::map<std::string, Seen>& recorded) {
  Difference out;
  for (const auto& [fingerprint, seen] : candidate) {
    const auto it = recorded.find(fingerprint);
    RuleDiff& rule = out.by_rule[seen.rule_id];
    if (it == recorded.end()) {
      ++rule.added;
      ++out.totals.added;
      out.added.emplace_back(seen_json(fingerprint, seen, false));
    } else if (it->second.severity != seen.severity || it->second.mode != seen.mode ||
               it->second.message != seen.message) {
      ++rule.changed;
      ++out.totals.changed;
      json::object change = seen_json(fingerprint, seen, false);
      change["id"] = it->second.id;
      change["before"] = {{"severity", it->second.severity},
                          {"mode", it->second.mode},
                          {"message", it->second.message}};
      out.changed.emplace_back(std::move(change));
    } else {
      ++rule.unchanged;
      ++out.totals.unchanged;
    }
  }
  for (const auto& [fingerprint, seen] : recorded) {
    if (candidate.contains(fingerprint)) continue;
    ++out.by_rule[seen.rule_id].removed;
    ++out.totals.removed;
    out.removed.emplace_back(seen_json(fingerprint, seen, true));
  }
  return out;
}

void print_json(const Options& options, const rules::RuleSet& rule_set, Reaudit& candidate,
                std::size_t recorded,
                const std::vector<std::pair<std::string, std::string>>& skipped,
                Difference& difference) {
  json::array skipped_list;
  for (const auto& [path, reason] : skipped) {
    skipped_list.emplace_back(json::object{{"path", path}, {"reason", reason}});
  }
  json::array rule_list;
  for (const auto& [rule_id, diff] : difference.by_rule) {
    rule_list.emplace_back(json::object{{"rule_id", rule_id},
                                        {"added", diff.added},
                                        {"removed", diff.removed},
                                        {"changed", diff.changed},
                                        {"unchanged", diff.unchanged}});
  }
  const RuleDiff& totals = difference.totals;
  json::object body;
  body["rule_set_hash"] = rule_set.hash();
  body["state_dir"] = options.state_dir.string();
  body["since"] = options.since ? json::value(*options.since) : json::value(nullptr);
  body["files"] = std::move(candidate.files);
  body["skipped"] = std::move(skipped_list);
  body["claims"] = candidate.claims;
  body["totals"] = {{"added", totals.added},
                    {"removed", totals.removed},
                    {"changed", totals.changed},
                    {"unchanged", totals.unchanged},
                    {"candidate", candidate.findings.size()},
                    {"recorded", recorded}};
  body["rules"] = std::move(rule_list);
  body["added"] = std::move(difference.added);
  body["removed"] = std::move(difference.removed);
  body["changed"] = std::move(difference.changed);
  std::printf("%s\n", json::serialize(body).c_str());
}

void print_table(const Options& options, const rules::RuleSet& rule_set, const Reaudit& candidate,
                 const std::vector<std::pair<std::string, std::string>>& skipped,
                 const Difference& difference) {
  const std::size_t audited = candidate.files.size();
  std::printf("backtest of rule set %s on %zu archived file%s (%d claims) under %s\n",
              rule_set.hash().substr(0, 12).c_str(), audited, audited == 1 ? "" : "s",
              candidate.claims, options.state_dir.c_str());
  for (const auto& [path, reason] : skipped) {
    std::printf("skipped %s: %s\n", terminal_safe(path).c_str(), terminal_safe(reason).c_str());
  }
  if (difference.by_rule.empty()) {
    std::printf("no findings, on record or from the candidate\n");
    return;
  }
  Table table({"RULE", "ADDED", "REMOVED", "CHANGED", "UNCHANGED"});
  table.set_flexible(0);
  auto row = [&table](const std::string& name, const RuleDiff& diff) {
    table.add({name, std::to_string(diff.added), std::to_string(diff.removed),
               std::to_string(diff.changed), std::to_string(diff.unchanged)});
  };
  for (const auto& [rule_id, diff] : difference.by_rule) row(rule_id, diff);
  row("TOTAL", difference.totals);
  std::fputs(table.render().c_str(), stdout);
}

int backtest(std::span<const std::string> args) {
  const CommonOptions common = parse_common(args);
  if (common.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  int exit_code = 0;
  const auto options = parse_options(common, exit_code);
  if (!options) return exit_code;
  const auto loaded = load_candidate(*options, exit_code);
  if (!loaded) return exit_code;

  // The archived files this user may read, re-audited in this process as the daemon would.
  std::vector<std::pair<std::string, std::string>> skipped;
  std::string list_error;
  const auto files = list_archive(options->state_dir, options->since, skipped, list_error);
  if (!list_error.empty()) {
    std::fprintf(stderr, "claimctl rules backtest: %s\n", list_error.c_str());
    return to_int(list_error.find("ermission") != std::string::npos ? ExitCode::kNoPermission
                                                                    : ExitCode::kConfig);
  }
  Reaudit candidate = reaudit(files, loaded->rules, skipped);
  const auto recorded = fetch_recorded(common, candidate, exit_code);
  if (!recorded) return exit_code;
  Difference difference = compare(candidate.findings, *recorded);
  if (common.json) {
    print_json(*options, *loaded->rules, candidate, recorded->size(), skipped, difference);
  } else {
    print_table(*options, *loaded->rules, candidate, skipped, difference);
  }
  return 0;
}

const RulesSubcommandRegistration kBacktest{
    "backtest", "re-audit archived files with a candidate rule set; diff against the record",
    backtest};

}  // namespace
}  // namespace claimaudit::claimctl

#endif  // CLAIMAUDIT_HAVE_RULES
