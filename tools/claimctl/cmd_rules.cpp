// claimctl rules lint [--json] [DIR...]   every load diagnostic; exit 1 on any error
// claimctl rules test [--rule ID] [DIR...] every inline test; exit 1 on a failure
//
// DIR defaults to the shipped pack (rules::default_rule_directory()); later directories hold
// local rules and overrides. The code history and edit lists are the installed ones.
#ifdef CLAIMAUDIT_HAVE_RULES
#include <cstdio>
#include <string>
#include <vector>

#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "command.hpp"
#include "core/exit_code.hpp"
#include "rules/rule_set.hpp"
#include "rules_subcommands.hpp"

namespace claimaudit::claimctl {
namespace {

using core::ExitCode;
using core::to_int;

constexpr const char* kUsage =
    "usage: claimctl rules lint [--json] [DIR...]\n"
    "       claimctl rules test [--rule ID] [DIR...]\n"
    "       claimctl rules list|stats [--json]   (from the running daemon)\n"
    "       claimctl rules backtest DIR... [--since DATE] [--json]   (see rules backtest --help)\n"
    "\n"
    "lint loads the rule directories (default: the shipped rules/default) and prints every error\n"
    "and warning as file:line:col with the source line and a caret (--json: one JSON object).\n"
    "test runs every rule's inline tests and prints each failure with the file:line of the test.\n"
    "\n"
    "exit status: 0 ok; 1 errors or failed tests; 64 bad command line; 78 no code data.\n";

struct Data {
  codes::CodeSet codes;
  codes::EditLists edits;
};

std::unique_ptr<Data> load_data() {
  try {
    return std::make_unique<Data>(
        Data{codes::CodeSet::load_default(), codes::EditLists::load_default()});
  } catch (const std::exception& error) {
    std::fprintf(stderr, "claimctl rules: cannot load the code history: %s\n", error.what());
    return nullptr;
  }
}

int lint(const std::vector<std::filesystem::path>& directories, bool json) {
  auto data = load_data();
  if (!data) return to_int(ExitCode::kConfig);
  const rules::RuleLoadResult result =
      rules::load_rule_set(directories, data->codes, data->edits, rules::InlineTests::kRun);
  if (json) {
    std::printf("%s\n", rules::to_json(result).c_str());
  } else {
    std::fputs(rules::render_diagnostics(result).c_str(), stdout);
    std::size_t errors = 0;
    std::size_t warnings = 0;
    for (const auto& diagnostic : result.diagnostics) {
      (diagnostic.severity == core::Severity::kError ? errors : warnings) += 1;
    }
    auto plural = [](std::size_t n) { return n == 1 ? "" : "s"; };
    if (result.rule_set) {
      const std::size_t rules = result.rule_set->rule_count();
      std::printf("%zu rule%s loaded, %zu warning%s; rule-set %s\n", rules, plural(rules), warnings,
                  plural(warnings), result.rule_set->hash().c_str());
    } else {
      std::printf("%zu error%s, %zu warning%s: rule set rejected\n", errors, plural(errors),
                  warnings, plural(warnings));
    }
  }
  return result.rule_set ? 0 : to_int(ExitCode::kFindings);
}

int test(const std::vector<std::filesystem::path>& directories, const std::string& only) {
  auto data = load_data();
  if (!data) return to_int(ExitCode::kConfig);
  const rules::RuleLoadResult result =
      rules::load_rule_set(directories, data->codes, data->edits, rules::InlineTests::kSkip);
  if (!result.rule_set) {
    std::fputs(rules::render_diagnostics(result).c_str(), stdout);
    std::printf("0 passed, 0 failed: rule set rejected\n");
    return to_int(ExitCode::kFindings);
  }
  if (!only.empty()) {
    // A mistyped --rule would otherwise print "0 passed, 0 failed" and exit 0, as if it passed.
    bool known = false;
    for (std::size_t i = 0; i < result.rule_set->loaded_rule_count(); ++i) {
      known = known || result.rule_set->loaded_rule_id(i) == only;
    }
    if (!known) {
      std::fprintf(stderr, "claimctl rules test: no rule '%s' in the rule set\n", only.c_str());
      return to_int(ExitCode::kUsage);
    }
  }
  std::size_t passed = 0;
  std::size_t failed = 0;
  for (const rules::TestOutcome& outcome : rules::run_inline_tests(*result.rule_set)) {
    if (!only.empty() && outcome.rule_id != only) continue;
    if (outcome.passed) {
      ++passed;
      continue;
    }
    ++failed;
    std::printf("%s: FAIL %s: %s: %s\n", core::render_location(outcome.where).c_str(),
                outcome.rule_id.c_str(), outcome.name.c_str(), outcome.detail.c_str());
  }
  std::printf("%zu passed, %zu failed\n", passed, failed);
  return failed == 0 ? 0 : to_int(ExitCode::kFindings);
}

int run(std::span<const std::string> args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return to_int(args.empty() ? ExitCode::kUsage : ExitCode::kOk);
  }
  const std::string& verb = args[0];
  if (verb != "lint" && verb != "test") {
    for (const auto& sub : rules_subcommands()) {
      if (sub.name == verb) return sub.run(args.subspan(1));
    }
    std::fprintf(stderr, "claimctl rules: unknown subcommand '%s'\n\n%s", verb.c_str(), kUsage);
    return to_int(ExitCode::kUsage);
  }
  bool json = false;
  std::string only;
  std::vector<std::filesystem::path> directories;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--json" && verb == "lint") {
      json = true;
    } else if (arg == "--rule" && verb == "test") {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "claimctl rules test: --rule needs a rule id\n");
        return to_int(ExitCode::kUsage);
      }
      only = args[++i];
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (!arg.empty() && arg.front() == '-') {
      std::fprintf(stderr, "claimctl rules %s: unknown option '%s'\n", verb.c_str(), arg.c_str());
      return to_int(ExitCode::kUsage);
    } else {
      directories.emplace_back(arg);
    }
  }
  if (directories.empty()) {
    const auto shipped = rules::default_rule_directory();
    if (shipped.empty()) {
      std::fprintf(stderr, "claimctl rules: no rules/default found; name a directory\n");
      return to_int(ExitCode::kConfig);
    }
    directories.push_back(shipped);
  }
  return verb == "lint" ? lint(directories, json) : test(directories, only);
}

const CommandRegistration kRegistration{
    "rules", "lint or test rule files; list, stats or backtest rule sets", run};

}  // namespace
}  // namespace claimaudit::claimctl

#endif  // CLAIMAUDIT_HAVE_RULES
