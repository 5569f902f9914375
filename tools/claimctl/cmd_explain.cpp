// claimctl explain FILE [--claim ID] [--rule ID] [--rules DIR]...
//
// For each claim of FILE (or only --claim ID) and each rule (or only --rule ID): fired, passed,
// not evaluated or not applicable, with the value of every sub-expression that decided it and
// the code-history facts it used: "why did this fire?" and "why did this not fire?". The trace
// may show the claim's own values (it goes only to whoever asked, STYLE.md 5).
#ifdef CLAIMAUDIT_HAVE_RULES
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "command.hpp"
#include "core/exit_code.hpp"
#include "core/log_safe.hpp"
#include "formats/reader.hpp"
#include "rules/rule_set.hpp"

namespace claimaudit::claimctl {
namespace {

using core::ExitCode;
using core::to_int;

constexpr const char* kUsage =
    "usage: claimctl explain FILE [--claim ID] [--rule ID] [--rules DIR]...\n"
    "\n"
    "Evaluates the rules (default: the shipped rules/default) on each claim of FILE and prints,\n"
    "per rule, whether it fired, passed, was not evaluated (and why) or does not apply, with the\n"
    "value of every sub-expression that decided it and the code-history facts it used.\n"
    "\n"
    "exit status: 0 ok; 1 a rule fired; 2 nothing auditable in FILE; 64 bad command line;\n"
    "78 bad rules or no code data.\n";

class StdioSource final : public formats::ByteSource {
 public:
  explicit StdioSource(std::FILE* file) : file_(file) {}
  StdioSource(const StdioSource&) = delete;
  StdioSource& operator=(const StdioSource&) = delete;
  ~StdioSource() override {
    if (file_ != nullptr && file_ != stdin) std::fclose(file_);
  }
  std::size_t read(char* buffer, std::size_t size) override {
    return file_ == nullptr ? 0 : std::fread(buffer, 1, size, file_);
  }

 private:
  std::FILE* file_;
};

struct ExplainOptions {
  std::string file;
  std::string claim_id;
  std::string rule_id;
  std::vector<std::filesystem::path> directories;
};

// Reads the command line into `options`; an exit status when the command ends here (--help,
// or a bad command line after printing why).
std::optional<int> parse_explain_args(std::span<const std::string> args, ExplainOptions& options) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "claimctl explain: %s needs a value\n\n%s", arg.c_str(), kUsage);
        return false;
      }
      out = args[++i];
      return true;
    };
    std::string directory;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--claim") {
      if (!value(options.claim_id)) return to_int(ExitCode::kUsage);
    } else if (arg == "--rule") {
      if (!value(options.rule_id)) return to_int(ExitCode::kUsage);
    } else if (arg == "--rules") {
      if (!value(directory)) return to_int(ExitCode::kUsage);
      options.directories.emplace_back(directory);
    } else if (!arg.empty() && arg.front() == '-' && arg != "-") {
      std::fprintf(stderr, "claimctl explain: unknown option '%s'\n\n%s", arg.c_str(), kUsage);
      return to_int(ExitCode::kUsage);
    } else if (options.file.empty()) {
      options.file = arg;
    } else {
      std::fprintf(stderr, "claimctl explain: one FILE only\n");
      return to_int(ExitCode::kUsage);
    }
  }
  if (options.file.empty()) {
    std::fputs(kUsage, stderr);
    return to_int(ExitCode::kUsage);
  }
  return std::nullopt;
}

// Whether --rule names an enabled rule; a mistyped or disabled --rule would otherwise print
// nothing and exit 0, as if it passed. Prints why not.
bool rule_is_enabled(const rules::RuleSet& rule_set, const std::string& rule_id) {
  const std::vector<std::string> enabled = rule_set.rule_ids();
  if (std::find(enabled.begin(), enabled.end(), rule_id) != enabled.end()) return true;
  bool disabled = false;
  for (std::size_t i = 0; i < rule_set.loaded_rule_count(); ++i) {
    disabled = disabled || rule_set.loaded_rule_id(i) == rule_id;
  }
  std::fprintf(stderr,
               disabled ? "claimctl explain: rule '%s' is disabled by an override\n"
                        : "claimctl explain: no rule '%s' in the rule set\n",
               rule_id.c_str());
  return false;
}

// One rule's verdict on one claim, with its trace and facts.
void print_explanation(const model::Claim& claim, const rules::RuleExplanation& explanation) {
  // The claim's text (its id, the values the rule saw) with control characters as escapes.
  using core::log_safe;
  std::printf(
      "claim %s: %s%s: %s", log_safe(claim.claim_id).c_str(), explanation.rule_id.c_str(),
      explanation.subject.empty() ? "" : (" (" + log_safe(explanation.subject) + ")").c_str(),
      explanation.verdict.c_str());
  if (!explanation.reason.empty()) std::printf(": %s", log_safe(explanation.reason).c_str());
  std::printf("\n");
  for (const rules::ExplainStep& step : explanation.steps) {
    std::printf("%*s%s = %s\n", 4 + 2 * step.depth, "", step.expression.c_str(),
                log_safe(step.value).c_str());
  }
  for (const std::string& fact : explanation.facts) {
    std::printf("    fact: %s\n", log_safe(fact).c_str());
  }
}

// Explains the claims of the open file; the exit status.
int explain_file(formats::ByteSource& source, const ExplainOptions& options,
                 const rules::RuleSet& rule_set) {
  auto reader = formats::open_reader(source, options.file);
  model::Batch batch;
  bool fired = false;
  bool any_claim = false;
  std::vector<std::string> seen_ids;  // The first claim numbers of FILE, to say what --claim takes.
  while (reader->next(batch)) {
    for (const model::Claim& claim : batch.claims) {
      if (seen_ids.size() < 10) seen_ids.push_back(claim.claim_id);
      if (!options.claim_id.empty() && claim.claim_id != options.claim_id) continue;
      any_claim = true;
      for (const rules::RuleExplanation& explanation :
           rules::explain(rule_set, claim, options.rule_id)) {
        fired = fired || explanation.verdict == "fired";
        print_explanation(claim, explanation);
      }
    }
  }
  if (!any_claim) {
    std::string known;
    for (const std::string& id : seen_ids) known += (known.empty() ? "" : ", ") + id;
    std::fprintf(stderr, "claimctl explain: no claim%s in %s%s\n",
                 options.claim_id.empty() ? "" : (" " + options.claim_id).c_str(),
                 options.file.c_str(), known.empty() ? "" : ("; its claims: " + known).c_str());
    return to_int(ExitCode::kRejected);
  }
  return fired ? to_int(ExitCode::kFindings) : 0;
}

int run(std::span<const std::string> args) {
  ExplainOptions options;
  if (const auto status = parse_explain_args(args, options)) return *status;
  if (options.directories.empty()) options.directories.push_back(rules::default_rule_directory());
  std::unique_ptr<codes::CodeSet> codes;
  std::unique_ptr<codes::EditLists> edits;
  try {
    codes = std::make_unique<codes::CodeSet>(codes::CodeSet::load_default());
    edits = std::make_unique<codes::EditLists>(codes::EditLists::load_default());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "claimctl explain: cannot load the code history: %s\n", error.what());
    return to_int(ExitCode::kConfig);
  }
  const rules::RuleLoadResult loaded = rules::load_rule_set(options.directories, *codes, *edits);
  if (!loaded.rule_set) {
    std::fputs(rules::render_diagnostics(loaded).c_str(), stderr);
    return to_int(ExitCode::kConfig);
  }
  if (!options.rule_id.empty() && !rule_is_enabled(*loaded.rule_set, options.rule_id)) {
    return to_int(ExitCode::kUsage);
  }
  std::FILE* handle = options.file == "-" ? stdin : std::fopen(options.file.c_str(), "rb");
  if (handle == nullptr) {
    std::fprintf(stderr, "claimctl explain: cannot open %s: %s\n",
                 core::log_safe(options.file).c_str(), std::strerror(errno));
    return to_int(ExitCode::kRejected);
  }
  StdioSource source(handle);
  return explain_file(source, options, *loaded.rule_set);
}

const CommandRegistration kRegistration{"explain", "explain why each rule fired or not on a claim",
                                        run};

}  // namespace
}  // namespace claimaudit::claimctl

#endif  // CLAIMAUDIT_HAVE_RULES
