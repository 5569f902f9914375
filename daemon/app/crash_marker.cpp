#include "app/crash_marker.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

namespace claimaudit::app::crash_marker {
namespace {

constexpr std::array kFatalSignals{SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

// Written once by arm() before any handler is installed; read only by the handler.
char g_marker_path[4096];
struct sigaction g_previous[std::size(kFatalSignals)];

void on_fatal_signal(int signal_number) {
  const int saved_errno = errno;
  const int fd = ::open(g_marker_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd >= 0) {
    // "signal NN\n" without snprintf (not async-signal-safe).
    char text[16] = "signal ";
    std::size_t length = 7;
    char digits[8];
    std::size_t count = 0;
    for (unsigned value = static_cast<unsigned>(signal_number); count == 0 || value != 0;
         value /= 10) {
      digits[count++] = static_cast<char>('0' + value % 10);
    }
    while (count > 0) text[length++] = digits[--count];
    text[length++] = '\n';
    [[maybe_unused]] const auto written = ::write(fd, text, length);
    ::close(fd);
  }
  // Hand the signal on: restore what handled it before and raise it again.
  for (std::size_t i = 0; i < kFatalSignals.size(); ++i) {
    if (kFatalSignals[i] == signal_number) ::sigaction(signal_number, &g_previous[i], nullptr);
  }
  errno = saved_errno;
  ::raise(signal_number);
}

}  // namespace

std::filesystem::path path(const std::filesystem::path& state_dir) {
  return state_dir / "claimauditd.crashed";
}

void arm(const std::filesystem::path& marker) {
  const std::string text = marker.string();
  if (text.size() >= sizeof g_marker_path) return;  // No marker rather than a truncated path.
  std::memcpy(g_marker_path, text.c_str(), text.size() + 1);
  for (std::size_t i = 0; i < kFatalSignals.size(); ++i) {
    struct sigaction action {};
    action.sa_handler = on_fatal_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_NODEFER;
    ::sigaction(kFatalSignals[i], &action, &g_previous[i]);
  }
}

std::optional<std::string> take(const std::filesystem::path& marker) {
  std::error_code error;
  if (!std::filesystem::exists(marker, error)) return std::nullopt;
  std::ifstream in(marker);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(marker, error);
  if (text.empty()) text = "unknown signal\n";
  return text;
}

}  // namespace claimaudit::app::crash_marker
