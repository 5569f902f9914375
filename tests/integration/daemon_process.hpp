// integration/daemon_process.hpp
//
// DaemonProcess: the real claimauditd binary, started for one test with --state-dir in a
// temporary folder and NOTIFY_SOCKET pointing at a datagram socket the test owns, so start-up
// waits for the daemon's own READY=1 (and exercises sd_notify). Helpers drop fixtures by
// write-then-rename, poll for a condition against a deadline (never a fixed sleep), and query
// the daemon's SQLite database read-only. Used by one test thread.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

namespace claimaudit::testing {

using namespace std::chrono_literals;

// Polls `condition` every 10 ms until it holds or `deadline` passes. Returns whether it held.
inline bool wait_until(const std::function<bool()>& condition,
                       std::chrono::milliseconds deadline = 60s) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

// Writes `bytes` to `directory/.name.tmp`, then renames it to `directory/name`.
inline void drop_file(const std::filesystem::path& directory, const std::string& name,
                      const std::string& bytes) {
  const auto temporary = directory / ("." + name + ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::filesystem::rename(temporary, directory / name);
}

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Number of regular files directly in `directory` (recursively when asked).
inline int count_files(const std::filesystem::path& directory, bool recursive = false) {
  std::error_code error;
  int count = 0;
  if (recursive) {
    for (auto it = std::filesystem::recursive_directory_iterator(directory, error);
         !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
      if (it->is_regular_file()) ++count;
    }
  } else {
    for (auto it = std::filesystem::directory_iterator(directory, error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
      if (it->is_regular_file()) ++count;
    }
  }
  return count;
}

class DaemonProcess {
 public:
  // Does not start it: see start().
  DaemonProcess(std::filesystem::path state_dir, std::vector<std::string> extra_arguments = {})
      : state_dir_(std::move(state_dir)), extra_arguments_(std::move(extra_arguments)) {
    std::filesystem::create_directories(state_dir_);
  }
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;
  ~DaemonProcess() {
    if (pid_ > 0) kill();
    close_notify();
  }

  static std::filesystem::path binary() { return CLAIMAUDITD_PATH; }

  const std::filesystem::path& state_dir() const { return state_dir_; }
  std::filesystem::path inbox() const { return state_dir_ / "inbox"; }
  std::filesystem::path database() const { return state_dir_ / "claimaudit.db"; }
  std::filesystem::path log_path() const { return state_dir_.parent_path() / "claimauditd.log"; }
  std::string log() const { return slurp(log_path()); }
  pid_t pid() const { return pid_; }

  // Starts claimauditd with `environment` added (NAME=value) and waits for READY=1. Returns
  // false if the process exited first or the deadline passed (exit_code() then tells).
  bool start(std::vector<std::string> environment = {}, std::chrono::milliseconds deadline = 30s) {
    open_notify();
    std::vector<std::string> arguments = wrapper_;
    arguments.insert(arguments.end(), {binary().string(), "--state-dir", state_dir_.string()});
    // A developer may point every test daemon at another config (other rule directories).
    if (const char* config = std::getenv("CLAIMAUDIT_INTEGRATION_CONFIG")) {
      arguments.insert(arguments.end(), {"--config", config});
    }
    arguments.insert(arguments.end(), extra_arguments_.begin(), extra_arguments_.end());
    environment.push_back("NOTIFY_SOCKET=" + notify_path_.string());
    const std::string log = log_path().string();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      for (const std::string& entry : environment) ::putenv(const_cast<char*>(entry.c_str()));
      std::vector<char*> argv;
      for (std::string& argument : arguments) argv.push_back(argument.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ready_at_.reset();
    const auto started = std::chrono::steady_clock::now();
    const auto end = started + deadline;
    while (std::chrono::steady_clock::now() < end) {
      if (auto message = receive(50ms)) {
        notifications_.push_back(*message);
        if (message->find("READY=1") != std::string::npos) {
          ready_at_ = std::chrono::steady_clock::now() - started;
          return true;
        }
      }
      if (reap(WNOHANG)) return false;
    }
    return false;
  }

  // Runs the daemon through `command` (an absolute path and its arguments, e.g. setpriv to run
  // it as another user), and lets that user send READY=1 to the test's socket.
  void set_wrapper(std::vector<std::string> command) { wrapper_ = std::move(command); }

  // Time from fork to READY=1 of the last start().
  std::optional<std::chrono::steady_clock::duration> ready_after() const { return ready_at_; }

  void signal(int number) {
    if (pid_ > 0) ::kill(pid_, number);
  }

  // SIGTERM, then waits for the exit. Returns the exit code (128 + signal if killed), or -1 if
  // it did not exit within `deadline` (then it is killed).
  int stop(std::chrono::milliseconds deadline = 30s) {
    signal(SIGTERM);
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end) {
      if (reap(WNOHANG)) return exit_code_;
      std::this_thread::sleep_for(5ms);
    }
    kill();
    return -1;
  }

  // SIGKILL and reap.
  void kill() {
    signal(SIGKILL);
    reap(0);
  }

  // Waits for the process to exit by itself (start-up failures). Returns the exit code.
  int wait_exit(std::chrono::milliseconds deadline = 30s) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end) {
      if (reap(WNOHANG)) return exit_code_;
      std::this_thread::sleep_for(5ms);
    }
    kill();
    return -1;
  }

  int exit_code() const { return exit_code_; }
  const std::vector<std::string>& notifications() const { return notifications_; }

  // Drains notifications that arrived since (STATUS=, STOPPING=1).
  void collect_notifications() {
    while (auto message = receive(0ms)) notifications_.push_back(*message);
  }

 private:
  bool reap(int options) {
    if (pid_ <= 0) return true;
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, options);
    if (done != pid_) return false;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
    return true;
  }

  void open_notify() {
    close_notify();
    notify_path_ = state_dir_.parent_path() / "notify.sock";
    std::filesystem::remove(notify_path_);
    notify_fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, notify_path_.c_str(), sizeof(address.sun_path) - 1);
    if (::bind(notify_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("cannot bind " + notify_path_.string());
    }
    if (!wrapper_.empty()) ::chmod(notify_path_.c_str(), 0666);
  }

  void close_notify() {
    if (notify_fd_ >= 0) ::close(notify_fd_);
    notify_fd_ = -1;
  }

  std::optional<std::string> receive(std::chrono::milliseconds timeout) {
    pollfd ready{notify_fd_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    char buffer[4096];
    const ssize_t size = ::recv(notify_fd_, buffer, sizeof buffer, 0);
    if (size <= 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(size));
  }

  std::filesystem::path state_dir_;
  std::vector<std::string> extra_arguments_;
  std::vector<std::string> wrapper_;
  std::filesystem::path notify_path_;
  int notify_fd_ = -1;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::vector<std::string> notifications_;
  std::optional<std::chrono::steady_clock::duration> ready_at_;
};

// Read-only queries on the daemon's database (WAL: safe while it runs).
class Sql {
 public:
  explicit Sql(const std::filesystem::path& database)
      : database_(database.string(), SQLite::OPEN_READONLY) {
    database_.setBusyTimeout(5000);
  }
  std::int64_t integer(const std::string& sql) { return database_.execAndGet(sql).getInt64(); }
  std::string text(const std::string& sql) {
    auto column = database_.execAndGet(sql);
    return column.isNull() ? std::string("NULL") : column.getString();
  }

 private:
  SQLite::Database database_;
};

// One value from a fresh connection (the daemon may have created the file since).
inline std::int64_t sql_integer(const std::filesystem::path& database, const std::string& sql) {
  return Sql(database).integer(sql);
}
inline std::string sql_text(const std::filesystem::path& database, const std::string& sql) {
  return Sql(database).text(sql);
}

}  // namespace claimaudit::testing
