#include "app/finding_trace.hpp"

#include <algorithm>

#include "audit/claim_record.hpp"
#include "audit/file_source.hpp"
#include "formats/reader.hpp"

namespace claimaudit::app {
namespace {

std::string short_hash(const std::string& hash) { return hash.substr(0, 12); }

// The explanation of the subject the finding names: its diagnosis or line, else the claim.
bool same_subject(const rules::RuleExplanation& explanation, const FindingTraceRequest& request) {
  if (request.diagnosis_seq > 0) {
    return explanation.subject.starts_with("diagnosis " + std::to_string(request.diagnosis_seq) +
                                           " ");
  }
  if (request.line_seq > 0) {
    const std::string line = "line " + std::to_string(request.line_seq);
    return explanation.subject == line || explanation.subject.starts_with(line + ",");
  }
  return true;
}

// Reads the archived file again (with its drop directory's read defaults) and returns the claim
// with the recorded fingerprint; nullopt with `note` set if it cannot.
std::optional<model::Claim> read_claim(const FindingTraceRequest& request, const Config& config,
                                       std::string& note) {
  if (request.stored_path.empty()) {
    note = "the file's archived copy is not on record";
    return std::nullopt;
  }
  auto fd = audit::open_regular_file(config.state_dir / request.stored_path);
  if (!fd) {
    note = "cannot read the archived file " + request.stored_path + ": " + fd.error().message();
    return std::nullopt;
  }
  formats::ReadOptions options;
  for (const DropDirectory& drop : config.drop_dirs) {
    if (drop.name == request.drop_dir) {
      options.default_payer_kind = drop.payer_kind;
      options.default_claim_kind = drop.claim_kind;
    }
  }
  audit::FileSource source(*fd);
  auto reader =
      formats::open_reader(source, std::filesystem::path(request.stored_path).filename(), options);
  model::Batch batch;
  while (reader->next(batch)) {
    for (model::Claim& claim : batch.claims) {
      if (audit::claim_fingerprint(claim) == request.claim_fingerprint) return std::move(claim);
    }
    batch.claims.clear();
  }
  note = "the claim is no longer in the archived file " + request.stored_path;
  return std::nullopt;
}

bool is_rule_of(const rules::RuleSet& rules, const std::string& rule_id) {
  for (std::size_t i = 0; i < rules.loaded_rule_count(); ++i) {
    if (rules.loaded_rule_id(i) == rule_id) return true;
  }
  return false;
}

}  // namespace

FindingTrace trace_finding(const FindingTraceRequest& request, const rules::RuleSet& rules,
                           const Config& config) {
  if (request.rule_set_hash != rules.hash()) {
    return {std::nullopt, "rule set changed since the audit: the finding was made by rule set " +
                              short_hash(request.rule_set_hash) + ", the daemon now runs " +
                              short_hash(rules.hash()) +
                              "; run claimctl explain on the archived file with that rule set"};
  }
  if (!is_rule_of(rules, request.rule_id)) {
    return {std::nullopt, "'" + request.rule_id +
                              "' is recorded by the audit itself, not by a rule: it has no trace"};
  }
  std::string note;
  const auto claim = read_claim(request, config, note);
  if (!claim) return {std::nullopt, note};
  // The finding must come out of the claim again, or the trace would explain another decision.
  const auto findings = rules::evaluate(rules, *claim).findings;
  if (std::none_of(findings.begin(), findings.end(), [&](const model::Finding& finding) {
        return finding.fingerprint == request.fingerprint;
      })) {
    return {std::nullopt, "re-evaluating the archived claim with rule set " +
                              short_hash(rules.hash()) +
                              " no longer produces this finding (code data changed?)"};
  }
  for (rules::RuleExplanation& explanation : rules::explain(rules, *claim, request.rule_id)) {
    if (explanation.verdict == "fired" && same_subject(explanation, request)) {
      return {std::move(explanation), ""};
    }
  }
  return {std::nullopt, "the rule's trace names no fired subject for this finding"};
}

}  // namespace claimaudit::app
