#include "command.hpp"

#include <algorithm>

namespace claimaudit::claimctl {
namespace {
std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}
}  // namespace

const std::vector<Command>& commands() { return registry(); }

CommandRegistration::CommandRegistration(std::string name, std::string summary,
                                         CommandFunction run) {
  auto& all = registry();
  all.push_back(Command{std::move(name), std::move(summary), std::move(run)});
  std::sort(all.begin(), all.end(),
            [](const Command& a, const Command& b) { return a.name < b.name; });
}

}  // namespace claimaudit::claimctl
