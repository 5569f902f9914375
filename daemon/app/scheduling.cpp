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
  std::uint64_t sched_runtime;  // For SCHED_OTHER: the requested slice, in ns (Linux 6.12).
  std::uint64_t sched_deadline;
  std::uint64_t sched_period;
};

}  // namespace

bool request_short_slice(std::chrono::microseconds slice) {
  SchedAttr attr{};
  attr.size = sizeof attr;
  attr.sched_policy = SCHED_OTHER;
  // The current nice value is kept: sched_setattr sets it from sched_nice.
  attr.sched_nice = ::getpriority(PRIO_PROCESS, 0);
  attr.sched_runtime = static_cast<std::uint64_t>(std::chrono::nanoseconds(slice).count());
  return ::syscall(SYS_sched_setattr, 0, &attr, 0) == 0;
}

}  // namespace claimaudit::app
