// claimctl: the command-line tool for compliance officers, revenue-cycle staff and admins.
// One-shot commands (check, explain, code, rules lint|test) run the library in-process; live
// data (findings, review, status) goes through the daemon's socket.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "command.hpp"
#include "core/exit_code.hpp"

namespace {

void print_usage(std::FILE* out) {
  std::fprintf(out, "usage: claimctl COMMAND [ARGS...]\n\ncommands:\n");
  for (const auto& command : claimaudit::claimctl::commands()) {
    std::fprintf(out, "  %-10s %s\n", command.name.c_str(), command.summary.c_str());
  }
  std::fprintf(out, "\n`claimctl COMMAND --help` describes one command.\n");
}

}  // namespace

int main(int argc, char** argv) {
  using claimaudit::core::ExitCode;
  using claimaudit::core::to_int;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(args.empty() ? stderr : stdout);
    return to_int(args.empty() ? ExitCode::kUsage : ExitCode::kOk);
  }
  if (args[0] == "--version") {
    std::printf("claimctl %s\n", CLAIMAUDIT_VERSION);
    return 0;
  }
  // --socket PATH is every daemon command's: without its PATH it would be read as an unknown
  // argument of the command, which hides the mistake.
  if (args.size() > 1 && args.back() == "--socket") {
    std::fprintf(stderr, "claimctl %s: --socket needs a value (the daemon's socket path)\n",
                 args[0].c_str());
    return to_int(ExitCode::kUsage);
  }
  for (const auto& command : claimaudit::claimctl::commands()) {
    if (command.name == args[0]) {
      try {
        return command.run(std::span<const std::string>(args).subspan(1));
      } catch (const std::exception& error) {
        std::fprintf(stderr, "claimctl %s: internal error: %s\n", args[0].c_str(), error.what());
        return to_int(ExitCode::kInternal);
      }
    }
  }
  std::fprintf(stderr, "claimctl: unknown command '%s'\n\n", args[0].c_str());
  print_usage(stderr);
  return to_int(ExitCode::kUsage);
}
