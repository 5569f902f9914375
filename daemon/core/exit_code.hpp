// core/exit_code.hpp
//
// Process exit codes, sysexits-style (STYLE.md 4). Editors and CI rely on them.
#pragma once

namespace claimaudit::core {

enum class ExitCode : int {
  kOk = 0,
  kFindings = 1,       // claimctl: findings at or above --fail-on, or errors printed.
  kFailure = 1,        // claimauditd: unexpected failure (systemd restarts it).
  kRejected = 2,       // claimctl: nothing auditable in an input file.
  kUsage = 64,         // Bad command line.
  kUnavailable = 69,   // Daemon not reachable.
  kInternal = 70,      // Internal error (a bug).
  kNoPermission = 77,  // The daemon refused the caller.
  kConfig = 78,        // Bad configuration, including a rule pack with errors at start-up.
};

constexpr int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace claimaudit::core
