#include "app/scheduling.hpp"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

namespace claimaudit::app {
namespace {

// struct sched_attr of sched_setattr(2) (the first version: 48 bytes); glibc has no wrapper.
struct SchedAttr {
  std::uint32_t size;
  std::uint32_t sched_policy;
  std::uint64_t sched_flags;
  std::int32_t sched_nice;
  std::uint32_t sched_priority;
  std::uint64_t sched_runtime;  // SCHED_OTHER: the slice in ns, 0 the default (Linux 6.12).
  std::uint64_t sched_deadline;
  std::uint64_t sched_period;
};

}  // namespace

bool set_thread_slice(std::chrono::microseconds slice) {
  thread_local std::chrono::microseconds current = kDefaultSlice;  // A new thread's.
  if (slice == current) return true;
  SchedAttr attr{};
  attr.size = sizeof attr;
  attr.sched_policy = SCHED_OTHER;
  attr.sched_nice = ::getpriority(PRIO_PROCESS, 0);  // This thread's (Linux).
  attr.sched_runtime = static_cast<std::uint64_t>(std::chrono::nanoseconds(slice).count());
  if (::syscall(SYS_sched_setattr, 0, &attr, 0) != 0) return false;
  current = slice;
  return true;
}

}  // namespace claimaudit::app
