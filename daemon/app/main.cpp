// claimauditd: the claim-audit daemon. Command line (program_options); everything else comes
// from the config file (app/config.hpp) or the embedded default under ./var.
#include <csignal>
#include <iostream>

#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include "app/config.hpp"
#include "app/daemon.hpp"
#include "app/logging.hpp"
#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "core/exit_code.hpp"
#include "rules/rule_set.hpp"

namespace {

namespace po = boost::program_options;
using claimaudit::core::ExitCode;
using claimaudit::core::to_int;

void print_diagnostics(const std::vector<claimaudit::core::Diagnostic>& diagnostics) {
  for (const auto& diagnostic : diagnostics) {
    std::cerr << claimaudit::core::render(diagnostic) << "\n";
  }
}

// --check-config: the rule pack must compile too, since the daemon would refuse it.
int check_rules(const claimaudit::app::Config& config) {
  try {
    const auto codes = claimaudit::codes::CodeSet::load_default();
    const auto edits = claimaudit::codes::EditLists::load_default();
    // The local override folder need not exist yet (the daemon creates it): leave it out.
    std::vector<std::filesystem::path> directories;
    for (std::size_t i = 0; i < config.rule_dirs.size(); ++i) {
      std::error_code error;
      if (i == 0 || std::filesystem::is_directory(config.rule_dirs[i], error)) {
        directories.push_back(config.rule_dirs[i]);
      }
    }
    const auto loaded = claimaudit::rules::load_rule_set(directories, codes, edits);
    print_diagnostics(loaded.diagnostics);
    if (!loaded.rule_set) {
      std::cerr << "claimauditd: the rule pack has errors\n";
      return to_int(ExitCode::kConfig);
    }
    std::cout << "# rules: " << loaded.rule_set->rule_count() << " rules, rule set "
              << loaded.rule_set->hash() << "\n";
    return to_int(ExitCode::kOk);
  } catch (const std::exception& error) {
    std::cerr << "claimauditd: " << error.what() << "\n";
    return to_int(ExitCode::kConfig);
  }
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description options("claimauditd options");
  options.add_options()("help,h", "print this help and exit")("version",
                                                              "print the version and exit")(
      "config,c", po::value<std::string>(),
      "read the configuration from FILE (default: the embedded default, state under ./var)")(
      "state-dir", po::value<std::string>(),
      "put inbox/, processing/, archive/, quarantine/, the database and the socket under DIR")(
      "check-config",
      "validate the configuration and the rule pack, print the effective "
      "configuration, and exit")(
      "log-level", po::value<std::string>(),
      "trace, debug, info, warn, error, critical or off (overrides the config)");
  po::variables_map arguments;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).run(), arguments);
    po::notify(arguments);
  } catch (const po::error& error) {
    std::cerr << "claimauditd: " << error.what() << "\n" << options;
    return to_int(ExitCode::kUsage);
  }
  if (arguments.count("help") != 0) {
    std::cout << "usage: claimauditd [--config FILE] [--state-dir DIR] [--log-level LEVEL] "
                 "[--check-config]\n"
              << options;
    return to_int(ExitCode::kOk);
  }
  if (arguments.count("version") != 0) {
    std::cout << "claimauditd " << CLAIMAUDIT_VERSION << "\n";
    return to_int(ExitCode::kOk);
  }

  claimaudit::app::Config config = claimaudit::app::default_config();
  if (arguments.count("config") != 0) {
    auto loaded = claimaudit::app::load_config(arguments["config"].as<std::string>());
    print_diagnostics(loaded.diagnostics);
    if (!loaded.config) return to_int(ExitCode::kConfig);
    config = std::move(*loaded.config);
  }
  std::optional<std::filesystem::path> state_dir;
  if (arguments.count("state-dir") != 0) state_dir = arguments["state-dir"].as<std::string>();
  claimaudit::app::resolve(config, state_dir);
  if (arguments.count("log-level") != 0) {
    const std::string level = arguments["log-level"].as<std::string>();
    if (spdlog::level::from_str(level) == spdlog::level::off && level != "off") {
      std::cerr << "claimauditd: --log-level: '" << level << "' is not a level\n";
      return to_int(ExitCode::kUsage);
    }
    config.log_level = level;
  }

  if (arguments.count("check-config") != 0) {
    std::cout << claimaudit::app::describe(config);
    return check_rules(config);
  }

  claimaudit::app::setup_logging(config.log_target, config.log_level);
  // The drop watcher asks whether a file still has a writer by taking a read lease and letting
  // it go at once (watch/drop_watcher.cpp). A writer that opens the file in between breaks the
  // lease, and the kernel then sends the lease holder SIGIO, whose default action ends the
  // process. The lease is let go right away in any case, so the notice is not needed.
  ::signal(SIGIO, SIG_IGN);
  try {
    claimaudit::app::Daemon daemon(config);
    return daemon.run();
  } catch (const claimaudit::app::StartupError& error) {
    print_diagnostics(error.diagnostics());
    std::cerr << "claimauditd: " << error.what() << "\n";
    spdlog::critical("not starting: {}", error.what());
    return to_int(error.code());
  } catch (const std::exception& error) {
    std::cerr << "claimauditd: " << error.what() << "\n";
    spdlog::critical("failed: {}", error.what());
    return to_int(ExitCode::kFailure);
  }
}
