// app/finding_trace.hpp
//
// The explanation trace of a recorded finding, recomputed on demand for GET /v1/findings/{id}:
// the archived file is read again (with its drop directory's read defaults), the claim found by
// its fingerprint, and rules::explain run with the rule set in force -- but only when that is
// the very set that made the finding (same rule-set hash) and re-evaluating the claim still
// produces the finding's fingerprint. Otherwise there is no trace, and the note says why; a trace
// from another rule set would explain a decision nobody made.
//
// Thread-safety: a plain function of its arguments; any number may run at once. It reads one
// file; it never writes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "app/config.hpp"
#include "rules/rule_set.hpp"

namespace claimaudit::app {

struct FindingTraceRequest {
  std::string rule_id;
  std::string rule_set_hash;  // The set that made the finding.
  std::string fingerprint;    // The finding's.
  int diagnosis_seq = 0;
  int line_seq = 0;
  std::string stored_path;  // Relative to the state directory.
  std::string drop_dir;     // Its drop directory's name in the config.
  std::string claim_fingerprint;
  std::int64_t position = 0;  // The claim's 0-based index in the file (a hint).
};

struct FindingTrace {
  std::optional<rules::RuleExplanation> explanation;  // Verdict "fired", with steps and facts.
  std::string note;                                   // Why there is none; empty otherwise.
};

// Recomputes the trace with `rules` (the set in force). See the header comment.
FindingTrace trace_finding(const FindingTraceRequest& request, const rules::RuleSet& rules,
                           const Config& config);

}  // namespace claimaudit::app
