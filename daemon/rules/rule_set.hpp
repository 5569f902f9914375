// rules/rule_set.hpp
//
// A compiled, immutable set of audit rules. Built once from rule files, then shared read-only:
// any number of threads may evaluate claims against one RuleSet.
//
// NOTE(issue 5): this header is the contract the daemon (issue 6) and claimctl code against.
// The rules-engine work implements it and may extend it; keep what is here.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "core/diagnostic.hpp"
#include "model/claim.hpp"
#include "model/finding.hpp"

namespace claimaudit::rules {

class RuleSet;

struct RuleLoadResult {
  std::shared_ptr<const RuleSet> rule_set;    // Null if diagnostics contain an error.
  std::vector<core::Diagnostic> diagnostics;  // Errors and warnings, in file order.
};

// Reads and compiles every *.yaml file under each directory (recursively, in path order; later
// directories hold local overrides), then runs each rule's inline tests. Never throws for bad
// rule files: each problem becomes a diagnostic, and any error means no rule set. `codes` and
// `edits` must outlive the returned RuleSet.
RuleLoadResult load_rule_set(const std::vector<std::filesystem::path>& directories,
                             const codes::CodeSet& codes, const codes::EditLists& edits);

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

  struct Impl;
  explicit RuleSet(std::unique_ptr<Impl> impl);
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace claimaudit::rules
