// claimctl/command.hpp
//
// How a claimctl subcommand plugs in: a cmd_<name>.cpp file defines a function and a static
// CommandRegistration naming it. main() looks the first argument up in the registry.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace claimaudit::claimctl {

// Arguments after the command name. Returns the process exit code (core::ExitCode).
using CommandFunction = std::function<int(std::span<const std::string> args)>;

struct Command {
  std::string name;     // "check", "code", "rules".
  std::string summary;  // One line for `claimctl --help`.
  CommandFunction run;
};

// Registered commands, sorted by name.
const std::vector<Command>& commands();

struct CommandRegistration {
  CommandRegistration(std::string name, std::string summary, CommandFunction run);
};

}  // namespace claimaudit::claimctl
