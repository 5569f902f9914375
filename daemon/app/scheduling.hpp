// app/scheduling.hpp
//
// Time slices for the threads on the path of a small file. The kernel's fair scheduler (EEVDF,
// Linux 6.12 and later) lets a thread ask for a shorter slice than its default (about 1.4 ms on
// 2 cores): it then gets an earlier virtual deadline, so when it wakes up (a file arrived, a
// small file's records reached the store thread) it preempts a CPU-bound task of another
// process instead of waiting for that task's slice to run out. Its share of CPU time (weight,
// nice value) does not change. A thread doing long work (a big file's audit, a big group's
// commit) keeps the default slice: a short one would only switch it out more often.
// No privilege is needed; older kernels accept and ignore the attribute for SCHED_OTHER.
#pragma once

#include <chrono>

namespace claimaudit::app {

// The slice of the loop thread, and of a worker or the store thread while it handles small
// files (the kernel's minimum is 0.1 ms).
inline constexpr std::chrono::microseconds kShortSlice{100};
// Zero: the kernel's default slice.
inline constexpr std::chrono::microseconds kDefaultSlice{0};

// Sets the calling thread's slice (SCHED_OTHER, its nice value kept), unless it already has
// it. Returns false (errno set) if the kernel refused; the thread keeps its slice.
bool set_thread_slice(std::chrono::microseconds slice);

}  // namespace claimaudit::app
