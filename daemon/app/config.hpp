// app/config.hpp
//
// The daemon's configuration: a YAML file (/etc/claimaudit/claimauditd.yaml in production, given
// with --config), or the embedded default that puts everything under ./var. Problems in the file
// are diagnostics located file:line:col (1-based), all of them, not only the first. The command
// line's --state-dir overrides the state directory and everything that defaults under it.
// Plain values; read once at start-up (SIGHUP reloads rules, not the config).
//
// File format (every key optional; the defaults are the ones below):
//   state_dir: /var/lib/claimaudit
//   drop_dirs:
//     - path: /var/lib/claimaudit/inbox   # relative paths (here and in rule_dirs, socket) are
//                                         # relative to state_dir
//       name: inbox                       # how records name it; default: the folder's name
//       payer_kind: workers_comp          # default for files that do not say (model words)
//       claim_kind: professional
//   rule_dirs: [/usr/share/claimaudit/rules, /etc/claimaudit/rules.d]
//   workers: 2
//   batch_size: 5000
//   max_in_flight: 8
//   store_cache_mib: 8                    # SQLite page cache of the store (counts in the RSS)
//   log_level: info
//   log_target: auto
//   socket:
//     path: /run/claimaudit/claimauditd.sock
//     group: claimaudit
//     read_group: claimaudit                # roles (docs/status-protocol.md)
//     review_group: claimaudit-review
//     admin_group: claimaudit-admin
//     max_connections: 64
//     reason_codes: [payer_policy, clinical_judgement, documentation, contract_terms, other]
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "model/claim.hpp"

namespace claimaudit::app {

struct DropDirectory {
  std::filesystem::path path;                  // Default: <state_dir>/inbox.
  std::string name;                            // Default: the last component of `path` ("inbox").
  std::optional<model::PayerKind> payer_kind;  // Default: none (the file's own value).
  std::optional<model::ClaimKind> claim_kind;  // Default: none.
};

enum class LogTarget { kAuto, kStderr, kJournald };  // kAuto: journald when JOURNAL_STREAM is set.

struct Config {
  std::filesystem::path state_dir = "var";  // Default "./var"; inbox, processing/, archive/,
                                            // quarantine/, the database and socket live here.
  std::vector<DropDirectory> drop_dirs;     // Default: one, <state_dir>/inbox.
  // Default: the shipped pack (the source tree's rules/default for a build, else
  // /usr/share/claimaudit/rules), then local overrides <state_dir>/rules.d. Later dirs override.
  std::vector<std::filesystem::path> rule_dirs;
  int workers = 0;        // Audit threads. Default 0 = the number of cores.
  int batch_size = 5000;  // Most claims the store commits in one transaction group.
  int max_in_flight = 0;  // Files moved to processing/ and not yet finished. 0 = 2 x workers.
  // The store's SQLite page cache. 8 MiB keeps the daemon under 96 MiB auditing a 100k-claim
  // file; 32 MiB holds a 5,000-claim group without spilling pages (+26 MiB of RSS).
  int store_cache_mib = 8;
  std::string log_level = "info";  // trace, debug, info, warn, error, critical, off.
  LogTarget log_target = LogTarget::kAuto;
  std::filesystem::path socket_path;  // Default: <state_dir>/claimauditd.sock.
  std::string socket_group;           // Group owning the socket (0660). Default: none (ours).
  // Roles on the socket (issue 7): group names, and the reason codes a waived status may carry.
  std::string read_group = "claimaudit";           // Default "claimaudit".
  std::string review_group = "claimaudit-review";  // Default "claimaudit-review".
  std::string admin_group = "claimaudit-admin";    // Default "claimaudit-admin".
  int max_connections = 64;                        // Default 64; beyond it: 503 and close.
  std::vector<std::string> reason_codes{"payer_policy", "clinical_judgement", "documentation",
                                        "contract_terms", "other"};  // Default: these five.
  std::filesystem::path source;  // The file it came from; empty for the embedded default.

  // Derived locations.
  std::filesystem::path processing_dir() const { return state_dir / "processing"; }
  std::filesystem::path archive_dir() const { return state_dir / "archive"; }
  std::filesystem::path quarantine_dir() const { return state_dir / "quarantine"; }
  std::filesystem::path database_path() const { return state_dir / "claimaudit.db"; }
};

struct ConfigResult {
  std::optional<Config> config;               // Set when diagnostics hold no error.
  std::vector<core::Diagnostic> diagnostics;  // Located "file:line:col".
};

// Reads a YAML config file. Defaults are not yet filled in: call resolve().
ConfigResult load_config(const std::filesystem::path& path);
// Parses YAML text; `file_name` names it in diagnostics.
ConfigResult parse_config(std::string_view text, const std::string& file_name);

// The embedded default (nothing set), to be resolve()d.
Config default_config();

// Fills every unset field from the state directory (optionally overriding it with
// `state_dir_override`) and the machine; makes relative drop paths relative to the state dir.
void resolve(Config& config, const std::optional<std::filesystem::path>& state_dir_override);

// The effective configuration as YAML, for --check-config.
std::string describe(const Config& config);

}  // namespace claimaudit::app
