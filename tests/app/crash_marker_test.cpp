// The crash marker (app/crash_marker.hpp): a process that dies of a fatal signal leaves the
// marker behind, and still dies of it; a process killed with SIGKILL leaves none.
#include "app/crash_marker.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "support/temp_dir.hpp"

namespace claimaudit::app {
namespace {

using claimaudit::testing::TempDir;

// Runs `die` in a child process that armed the marker first; returns its wait status.
template <class F>
int in_child(const std::filesystem::path& marker, F die) {
  const pid_t child = ::fork();
  if (child == 0) {
    // The test framework's own handlers would catch the signal: start from the defaults.
    for (const int signal_number : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) {
      ::signal(signal_number, SIG_DFL);
    }
    crash_marker::arm(marker);
    die();
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return status;
}

BOOST_AUTO_TEST_SUITE(crash_marker_suite)

BOOST_AUTO_TEST_CASE(a_fatal_signal_leaves_the_marker_and_still_kills) {
  TempDir dir;
  const auto marker = crash_marker::path(dir.path());
  BOOST_TEST(marker.filename().string() == "claimauditd.crashed");
  const int status = in_child(marker, [] { ::raise(SIGABRT); });
  BOOST_TEST(WIFSIGNALED(status));
  BOOST_TEST(WTERMSIG(status) == SIGABRT);
  const auto taken = crash_marker::take(marker);
  BOOST_TEST_REQUIRE(taken.has_value());
  BOOST_TEST(*taken == "signal 6\n");
  BOOST_TEST(!std::filesystem::exists(marker));  // Taken once.
  BOOST_TEST(!crash_marker::take(marker).has_value());
}

BOOST_AUTO_TEST_CASE(sigkill_leaves_no_marker) {
  TempDir dir;
  const auto marker = crash_marker::path(dir.path());
  const int status = in_child(marker, [] { ::raise(SIGKILL); });
  BOOST_TEST(WIFSIGNALED(status));
  BOOST_TEST(WTERMSIG(status) == SIGKILL);
  BOOST_TEST(!crash_marker::take(marker).has_value());
}

BOOST_AUTO_TEST_CASE(a_clean_exit_leaves_no_marker) {
  TempDir dir;
  const auto marker = crash_marker::path(dir.path());
  const int status = in_child(marker, [] {});
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(!crash_marker::take(marker).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimaudit::app
