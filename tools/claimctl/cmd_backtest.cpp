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
    "Nothing is written: no database, no status change, no file.\n"
    "\n"
    "exit status: 0 compared; 1 the candidate rule set has errors; 64 bad command line;\n"
    "69 daemon not reachable; 77 permission denied; 78 no code data.\n";

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

int backtest(std::span<const std::string> args) {
  const CommonOptions common = parse_common(args);
  if (common.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  Options options;
  for (std::size_t i = 0; i < common.rest.size(); ++i) {
    const std::string& arg = common.rest[i];
    if ((arg == "--since" || arg == "--state-dir") && i + 1 < common.rest.size()) {
      (arg == "--since" ? options.since = common.rest[++i]
                        : options.state_dir = fs::path(common.rest[++i]));
    } else if (arg.starts_with("--since=")) {
      options.since = arg.substr(8);
    } else if (arg.starts_with("--state-dir=")) {
      options.state_dir = arg.substr(12);
    } else if (!arg.empty() && arg.front() == '-') {
      std::fprintf(stderr, "claimctl rules backtest: unknown option '%s'\n\n%s", arg.c_str(),
                   kUsage);
      return to_int(ExitCode::kUsage);
    } else {
      options.directories.emplace_back(arg);
    }
  }
  if (options.directories.empty()) {
    std::fprintf(stderr, "claimctl rules backtest: name the candidate rule directory\n\n%s",
                 kUsage);
    return to_int(ExitCode::kUsage);
  }
  if (options.since && !core::parse_iso_date(*options.since)) {
    std::fprintf(stderr, "claimctl rules backtest: --since needs a date YYYY-MM-DD, not '%s'\n",
                 options.since->c_str());
    return to_int(ExitCode::kUsage);
  }
  if (options.state_dir.empty()) options.state_dir = default_state_dir(common.socket);

  // The candidate rule set, loaded as the daemon loads its rule directories.
  std::unique_ptr<codes::CodeSet> code_set;
  std::unique_ptr<codes::EditLists> edits;
  try {
    code_set = std::make_unique<codes::CodeSet>(codes::CodeSet::load_default());
    edits = std::make_unique<codes::EditLists>(codes::EditLists::load_default());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "claimctl rules backtest: cannot load the code history: %s\n",
                 error.what());
    return to_int(ExitCode::kConfig);
  }
  rules::RuleLoadResult loaded = rules::load_rule_set(options.directories, *code_set, *edits);
  if (!loaded.rule_set) {
    std::fputs(rules::render_diagnostics(loaded).c_str(), stderr);
    std::fprintf(stderr, "claimctl rules backtest: the candidate rule set has errors\n");
    return to_int(ExitCode::kFindings);
  }
  const std::shared_ptr<const rules::RuleSet> rule_set = loaded.rule_set;

  // The archived files this user may read.
  std::vector<std::pair<std::string, std::string>> skipped;
  std::string list_error;
  const auto files = list_archive(options.state_dir, options.since, skipped, list_error);
  if (!list_error.empty()) {
    std::fprintf(stderr, "claimctl rules backtest: %s\n", list_error.c_str());
    return to_int(list_error.find("ermission") != std::string::npos ? ExitCode::kNoPermission
                                                                    : ExitCode::kConfig);
  }

  // Re-audit them, in this process, as the daemon would.
  std::map<std::string, Seen> candidate;  // By fingerprint; the first occurrence wins.
  std::set<std::string> claim_keys;
  std::set<std::string> names;
  json::array file_list;
  int claims = 0;
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
    claims += sink.claims;
    claim_keys.insert(sink.claim_keys.begin(), sink.claim_keys.end());
    for (auto& [fingerprint, seen] : sink.findings) candidate.emplace(fingerprint, seen);
    for (const std::string& name : recorded_names(job.name)) names.insert(name);
    file_list.emplace_back(json::object{
        {"path", file.relative}, {"claims", sink.claims}, {"findings", sink.findings.size()}});
  }

  // The findings on record for those files' claims, through the socket (read role only).
  std::map<std::string, Seen> recorded;
  for (const std::string& name : names) {
    int exit_code = 0;
    const auto result = request(
        "rules backtest", common, "GET",
        "/v1/findings?shadow=1&limit=all&file=" + status::percent_encode(name), "", exit_code);
    if (!result) return exit_code;
    const auto body = json::parse(result->body);
    for (const auto& f : body.at("findings").as_array()) {
      // Only the claims re-audited: another file recorded under the same name is not compared.
      if (!claim_keys.contains(field(f, "billing_npi") + "|" + field(f, "claim_id"))) continue;
      recorded.emplace(
          field(f, "fingerprint"),
          Seen{field(f, "rule_id"), field(f, "severity"), field(f, "mode"), field(f, "message"),
               field(f, "claim_id"), field(f, "file"), f.at("id").as_int64(), field(f, "status")});
    }
  }

  // The difference, by rule.
  std::map<std::string, RuleDiff> by_rule;
  RuleDiff totals;
  json::array added;
  json::array removed;
  json::array changed;
  for (const auto& [fingerprint, seen] : candidate) {
    const auto it = recorded.find(fingerprint);
    RuleDiff& rule = by_rule[seen.rule_id];
    if (it == recorded.end()) {
      ++rule.added;
      ++totals.added;
      added.emplace_back(seen_json(fingerprint, seen, false));
    } else if (it->second.severity != seen.severity || it->second.mode != seen.mode ||
               it->second.message != seen.message) {
      ++rule.changed;
      ++totals.changed;
      json::object change = seen_json(fingerprint, seen, false);
      change["id"] = it->second.id;
      change["before"] = {{"severity", it->second.severity},
                          {"mode", it->second.mode},
                          {"message", it->second.message}};
      changed.emplace_back(std::move(change));
    } else {
      ++rule.unchanged;
      ++totals.unchanged;
    }
  }
  for (const auto& [fingerprint, seen] : recorded) {
    if (candidate.contains(fingerprint)) continue;
    ++by_rule[seen.rule_id].removed;
    ++totals.removed;
    removed.emplace_back(seen_json(fingerprint, seen, true));
  }

  if (common.json) {
    json::array skipped_list;
    for (const auto& [path, reason] : skipped) {
      skipped_list.emplace_back(json::object{{"path", path}, {"reason", reason}});
    }
    json::array rule_list;
    for (const auto& [rule_id, diff] : by_rule) {
      rule_list.emplace_back(json::object{{"rule_id", rule_id},
                                          {"added", diff.added},
                                          {"removed", diff.removed},
                                          {"changed", diff.changed},
                                          {"unchanged", diff.unchanged}});
    }
    json::object body;
    body["rule_set_hash"] = rule_set->hash();
    body["state_dir"] = options.state_dir.string();
    body["since"] = options.since ? json::value(*options.since) : json::value(nullptr);
    body["files"] = std::move(file_list);
    body["skipped"] = std::move(skipped_list);
    body["claims"] = claims;
    body["totals"] = {{"added", totals.added},         {"removed", totals.removed},
                      {"changed", totals.changed},     {"unchanged", totals.unchanged},
                      {"candidate", candidate.size()}, {"recorded", recorded.size()}};
    body["rules"] = std::move(rule_list);
    body["added"] = std::move(added);
    body["removed"] = std::move(removed);
    body["changed"] = std::move(changed);
    std::printf("%s\n", json::serialize(body).c_str());
    return 0;
  }

  const std::size_t audited = file_list.size();
  std::printf("backtest of rule set %s on %zu archived file%s (%d claims) under %s\n",
              rule_set->hash().substr(0, 12).c_str(), audited, audited == 1 ? "" : "s", claims,
              options.state_dir.c_str());
  for (const auto& [path, reason] : skipped) {
    std::printf("skipped %s: %s\n", path.c_str(), reason.c_str());
  }
  if (by_rule.empty()) {
    std::printf("no findings, on record or from the candidate\n");
    return 0;
  }
  Table table({"RULE", "ADDED", "REMOVED", "CHANGED", "UNCHANGED"});
  table.set_flexible(0);
  for (const auto& [rule_id, diff] : by_rule) {
    table.add({rule_id, std::to_string(diff.added), std::to_string(diff.removed),
               std::to_string(diff.changed), std::to_string(diff.unchanged)});
  }
  table.add({"TOTAL", std::to_string(totals.added), std::to_string(totals.removed),
             std::to_string(totals.changed), std::to_string(totals.unchanged)});
  std::fputs(table.render().c_str(), stdout);
  return 0;
}

const RulesSubcommandRegistration kBacktest{
    "backtest", "re-audit archived files with a candidate rule set; diff against the record",
    backtest};

}  // namespace
}  // namespace claimaudit::claimctl

#endif  // CLAIMAUDIT_HAVE_RULES
