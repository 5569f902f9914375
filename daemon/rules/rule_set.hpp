// rules/rule_set.hpp
//
// A compiled, immutable set of audit rules. Built once from rule files, then shared read-only:
// any number of threads may evaluate claims against one RuleSet.
//
// NOTE(issue 5): this header is the contract the daemon (issue 6) and claimctl code against.
// The rules-engine work implements it and may extend it; keep what is here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "core/diagnostic.hpp"
#include "model/claim.hpp"
#include "model/finding.hpp"

namespace claimaudit::rules {

class RuleSet;

// What the loader knows about one diagnostic beyond core::Diagnostic (parallel to
// RuleLoadResult::diagnostics): the rule it belongs to, how many characters to underline, and
// the source line.
struct RuleDiagnosticDetail {
  std::string rule_id;  // Empty when the problem is in no rule (a list, a macro, the file).
  int length = 1;
  std::string snippet;  // The source line, without its line break.
};

struct RuleLoadResult {
  std::shared_ptr<const RuleSet> rule_set;     // Null if diagnostics contain an error.
  std::vector<core::Diagnostic> diagnostics;   // Errors and warnings, in file order.
  std::vector<RuleDiagnosticDetail> details;   // One per diagnostic (added for issue 5).
  std::map<std::string, std::string> sources;  // File display name -> text, for rendering.
};

// Every diagnostic as `file:line:col: severity CODE: message`, the source line and a caret
// (STYLE.md 4), one after the other, each ending in a newline.
std::string render_diagnostics(const RuleLoadResult& result);
// The load result as one JSON object: {"ok", "rule_set_hash", "rules", "diagnostics": [{
// "severity", "code", "file", "line", "column", "rule", "message", "snippet"}]}.
std::string to_json(const RuleLoadResult& result);

enum class InlineTests { kRun, kSkip };

// The shipped pack: $CLAIMAUDIT_RULES_DIR if set; else, walking up from the running executable,
// rules/default (a build tree inside the repository) or share/claimaudit/rules (an installed
// prefix: /usr/bin/claimctl finds /usr/share/claimaudit/rules); else
// /usr/share/claimaudit/rules. Empty if none exists.
std::filesystem::path default_rule_directory();

// Reads and compiles every *.yaml file under each directory (recursively, in path order; later
// directories hold local overrides), then runs each rule's inline tests. Never throws for bad
// rule files: each problem becomes a diagnostic, and any error means no rule set. `codes` and
// `edits` must outlive the returned RuleSet.
RuleLoadResult load_rule_set(const std::vector<std::filesystem::path>& directories,
                             const codes::CodeSet& codes, const codes::EditLists& edits);
// As above; InlineTests::kSkip leaves the tests to run_inline_tests() (claimctl rules test).
RuleLoadResult load_rule_set(const std::vector<std::filesystem::path>& directories,
                             const codes::CodeSet& codes, const codes::EditLists& edits,
                             InlineTests tests);

// One inline test's result.
struct TestOutcome {
  std::string rule_id;
  std::string name;
  core::SourceLocation where;  // The test's position in its file.
  bool passed = false;
  std::string detail;  // Why it failed: "expected fire, got pass".
};
// Runs every inline test of every rule (enabled or not), in rule order.
std::vector<TestOutcome> run_inline_tests(const RuleSet& rule_set);

// `claimctl explain`: one rule's verdict on one claim and the trace that decided it.
struct ExplainStep {
  int depth = 0;           // Nesting below the rule's condition (0 = the condition itself).
  std::string expression;  // Canonical text of the sub-expression.
  std::string value;       // Its value: true, "stale", [M54.50, M54.51], unknown (reason)...
};
struct RuleExplanation {
  std::string rule_id;
  std::string verdict;  // "fired", "passed", "not evaluated", "not applicable".
  std::string subject;  // "diagnosis 1 M54.5, dos 2021-10-01"; empty for claim rules.
  std::string reason;   // Not evaluated / not applicable: why; fired: the message.
  std::vector<ExplainStep> steps;
  std::vector<std::string> facts;  // Code-history and edit-list facts used.
};
// Explains every enabled rule (or only `rule_id` when not empty) on `claim`.
std::vector<RuleExplanation> explain(const RuleSet& rule_set, const model::Claim& claim,
                                     const std::string& rule_id = {});

// Why a rule produced no verdict on a claim.
struct NotEvaluated {
  std::string rule_id;
  std::string reason;  // "no date of service", "diagnosis code unreadable"...
};

struct Evaluation {
  std::vector<model::Finding> findings;     // Enforce and shadow findings, in rule order.
  std::vector<NotEvaluated> not_evaluated;  // Never silently "clean".
};

// Evaluates every applicable rule on `claim`, choosing rules and code-set edition by the claim's
// own dates of service (never the wall clock). Synchronous, thread-safe, deterministic: the same
// claim and rule set give byte-identical findings.
Evaluation evaluate(const RuleSet& rule_set, const model::Claim& claim);

// One rule's evaluation time on one claim, for the daemon's per-rule metrics.
struct RuleTime {
  std::size_t rule = 0;           // Index in the set: RuleSet::loaded_rule_id(rule) names it.
  std::uint64_t nanoseconds = 0;  // steady_clock, over all of the rule's subjects on the claim.
};
// As above, and when `times` is not null appends one RuleTime per rule it ran on the claim, in
// evaluation order (rules whose applies_to excludes the claim are not timed; their check is
// counted with the next rule). The clock is read once per rule; null `times` reads it never.
Evaluation evaluate(const RuleSet& rule_set, const model::Claim& claim,
                    std::vector<RuleTime>* times);

// Call before evaluating claims[next] when claims are evaluated in order: starts loading the
// memory the next few claims' evaluations will read (each claim and its diagnosis and line
// arrays are separate allocations, cold by the time a large batch reaches them; so are the
// code-set records of their codes), in steps a claim apart so that no step waits for the load
// before it. A hint only: it changes no result.
void prefetch_ahead(const RuleSet& rule_set, std::span<const model::Claim> claims,
                    std::size_t next) noexcept;

// The rule set in force, for a daemon that reloads on SIGHUP: reload() swaps a new set in only
// when it loaded without errors, so a broken pack leaves the last good set running. current()
// and reload() may be called from any thread; in-flight evaluations keep the set they began with.
class RuleSetSlot {
 public:
  RuleSetSlot() = default;
  RuleSetSlot(const RuleSetSlot&) = delete;
  RuleSetSlot& operator=(const RuleSetSlot&) = delete;
  ~RuleSetSlot() = default;

  // Null until a first successful reload().
  std::shared_ptr<const RuleSet> current() const;
  // Loads the directories; on success the new set replaces the current one. The result is
  // returned either way (its diagnostics say why a set was refused).
  RuleLoadResult reload(const std::vector<std::filesystem::path>& directories,
                        const codes::CodeSet& codes, const codes::EditLists& edits);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const RuleSet> current_;
};

class RuleSet {
 public:
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;
  ~RuleSet();

  // SHA-256 (hex) over the loaded files' paths and bytes: the "rule-set version".
  const std::string& hash() const;
  std::size_t rule_count() const;
  // Ids of the enabled rules, in evaluation order.
  std::vector<std::string> rule_ids() const;
  // Every loaded rule, enabled or not, by index (RuleTime::rule): how many, and the id of one.
  std::size_t loaded_rule_count() const;
  const std::string& loaded_rule_id(std::size_t index) const;

  struct Impl;
  explicit RuleSet(std::unique_ptr<Impl> impl);
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace claimaudit::rules
