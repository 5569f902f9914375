// app/crash_marker.hpp
//
// Tells, at start-up, whether the previous claimauditd died of a fault of its own (a fatal
// signal: SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT — a bug, or a file that trips one) or was
// stopped from outside (SIGKILL, a power cut, the OOM killer), so that only the first kind counts
// against the files it was auditing (store::kMaxAttempts; issue 6, poison files).
//
// arm() installs handlers for the fatal signals that write the marker file (open/write/close
// only: async-signal-safe) and then hand the signal to whatever handled it before (the default
// action, or a sanitizer's report), so the process still dies as it would have. take() reads and
// removes the marker left by the previous process.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace claimaudit::app::crash_marker {

// The marker's path under the state directory.
std::filesystem::path path(const std::filesystem::path& state_dir);

// Installs the fatal-signal handlers writing the marker at `marker`. Once per process.
void arm(const std::filesystem::path& marker);

// The marker's contents ("signal 11\n") if the previous process left one; removes it.
std::optional<std::string> take(const std::filesystem::path& marker);

}  // namespace claimaudit::app::crash_marker
