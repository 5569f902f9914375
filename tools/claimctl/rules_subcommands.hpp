// claimctl/rules_subcommands.hpp
//
// `claimctl rules` has in-process subcommands (lint, test: cmd_rules.cpp) and daemon ones
// (list, stats: cmd_rules_daemon.cpp). A file adds a subcommand by defining a static
// RulesSubcommandRegistration; cmd_rules.cpp dispatches any verb it does not own to this list.
#pragma once

#include <string>
#include <vector>

#include "command.hpp"

namespace claimaudit::claimctl {

struct RulesSubcommand {
  std::string name;
  std::string summary;
  CommandFunction run;  // Arguments after the verb.
};

inline std::vector<RulesSubcommand>& rules_subcommands() {
  static std::vector<RulesSubcommand> subcommands;
  return subcommands;
}

struct RulesSubcommandRegistration {
  RulesSubcommandRegistration(std::string name, std::string summary, CommandFunction run) {
    rules_subcommands().push_back({std::move(name), std::move(summary), std::move(run)});
  }
};

}  // namespace claimaudit::claimctl
