// status/integration/daemon_harness.hpp
//
// The real claimauditd on a temporary state directory (started with --state-dir, waited for on
// its socket, stopped with SIGTERM), files dropped with write-then-rename, and claimctl command
// lines for support/run_command.hpp: what the status integration tests of issue 7 share.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "status/client.hpp"
#include "support/run_command.hpp"

namespace claimaudit::testing {

inline const std::filesystem::path kDaemonBinary =
    std::filesystem::path(CLAIMAUDIT_BINARY_DIR) / "daemon/app/claimauditd";
inline const std::filesystem::path kClaimctlBinary =
    std::filesystem::path(CLAIMAUDIT_BINARY_DIR) / "tools/claimctl/claimctl";

class DaemonProcess {
 public:
  // `config_text`, if not empty, is written to STATE/claimauditd.yaml and passed as --config.
  explicit DaemonProcess(const std::filesystem::path& state, const std::string& config_text = "")
      : state_(state) {
    using namespace std::chrono_literals;
    std::filesystem::create_directories(state_);
    std::vector<std::string> args{kDaemonBinary.string(), "--state-dir", state_.string()};
    if (!config_text.empty()) {
      const auto config = state_ / "claimauditd.yaml";
      std::ofstream(config) << config_text;
      args.insert(args.begin() + 1, {"--config", config.string()});
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      const auto log = (state_ / "daemon.log").string();
      std::freopen(log.c_str(), "w", stderr);
      std::vector<char*> argv;
      argv.reserve(args.size() + 1);
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (status::call(socket(), "GET", "/v1/status", {}, 1s).status == 200) return;
      std::this_thread::sleep_for(20ms);
    }
    throw std::runtime_error("claimauditd did not answer on " + socket().string());
  }
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;
  ~DaemonProcess() { stop(); }

  int stop() {
    if (pid_ <= 0) return exit_;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
    exit_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_;
  }
  const std::filesystem::path& state() const { return state_; }
  std::filesystem::path socket() const { return state_ / "claimauditd.sock"; }

  void drop(const std::string& name, std::string_view bytes) const {
    const auto hidden = state_ / "inbox" / ("." + name + ".tmp");
    std::ofstream(hidden, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::filesystem::rename(hidden, state_ / "inbox" / name);
  }

  // GET `target`, parsed; throws unless 200.
  boost::json::value get(const std::string& target) const {
    const auto result = status::call(socket(), "GET", target);
    if (result.status != 200) {
      throw std::runtime_error(target + ": " + std::to_string(result.status) + " " + result.body);
    }
    return boost::json::parse(result.body);
  }

  // Polls until the files are archived with at least `count` findings on record.
  boost::json::value wait_findings(std::size_t count) const {
    using namespace std::chrono_literals;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    for (;;) {
      const auto result = status::call(socket(), "GET", "/v1/findings?limit=all&shadow=1");
      if (result.status == 200) {
        auto body = boost::json::parse(result.body);
        if (body.at("findings").as_array().size() >= count && !processing()) return body;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("findings did not arrive");
      }
      std::this_thread::sleep_for(50ms);
    }
  }

 private:
  // True while a file is still in inbox/ or processing/ (not yet moved to archive/).
  bool processing() const {
    std::error_code ignored;
    for (const auto& folder : {state_ / "inbox", state_ / "processing" / "inbox"}) {
      for (auto it = std::filesystem::directory_iterator(folder, ignored);
           !ignored && it != std::filesystem::directory_iterator(); it.increment(ignored)) {
        if (it->is_regular_file(ignored)) return true;
      }
    }
    return false;
  }

  std::filesystem::path state_;
  pid_t pid_ = 0;
  int exit_ = -1;
};

// "claimctl ARGS --socket SOCKET".
inline std::string claimctl_command(const DaemonProcess& daemon, const std::string& args) {
  return kClaimctlBinary.string() + " " + args + " --socket " + daemon.socket().string();
}

}  // namespace claimaudit::testing
