// app/scheduling.hpp
//
// request_short_slice(): asks the kernel's fair scheduler (EEVDF, Linux 6.12 and later) for a
// short time slice for the calling thread and every thread it creates afterwards (the
// attribute is inherited). A task with a shorter slice gets an earlier virtual deadline, so when
// it wakes up (a file arrived, a store answer came, a commit finished) it preempts a CPU-bound
// task of another process instead of waiting for that task's slice to run out. It does not
// change the share of CPU time the daemon gets (its weight, its nice value). The daemon's work
// is a chain of short wake-ups (inotify loop, audit worker, store thread); on a busy host each
// would otherwise wait up to a default slice (about 3 ms on 2 cores) for a CPU.
// No privilege is needed; older kernels accept and ignore the attribute for SCHED_OTHER.
#pragma once

#include <chrono>

namespace claimaudit::app {

// The slice the daemon asks for (the kernel's minimum is 0.1 ms).
inline constexpr std::chrono::microseconds kDaemonSlice{100};

// Sets SCHED_OTHER with `slice` for the calling thread. Returns false (errno set) if the kernel
// refused it; the daemon then runs with the default slice.
bool request_short_slice(std::chrono::microseconds slice = kDaemonSlice);

}  // namespace claimaudit::app
