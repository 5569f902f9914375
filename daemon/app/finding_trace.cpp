#include "app/finding_trace.hpp"

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

}  // namespace

FindingTrace trace_finding(const FindingTraceRequest& request, const rules::RuleSet& rules,
                           const Config& config) {
  if (request.rule_set_hash != rules.hash()) {
    return {std::nullopt, "rule set changed since the audit: the finding was made by rule set " +
                              short_hash(request.rule_set_hash) + ", the daemon now runs " +
                              short_hash(rules.hash()) +
                              "; run claimctl explain on the archived file with that rule set"};
  }
  bool known = false;
  for (std::size_t i = 0; i < rules.loaded_rule_count() && !known; ++i) {
    known = rules.loaded_rule_id(i) == request.rule_id;
  }
  if (!known) {
    return {std::nullopt, "'" + request.rule_id +
                              "' is recorded by the audit itself, not by a rule: it has no trace"};
  }
  if (request.stored_path.empty()) {
    return {std::nullopt, "the file's archived copy is not on record"};
  }
  const std::filesystem::path path = config.state_dir / request.stored_path;
  auto fd = audit::open_regular_file(path);
  if (!fd) {
    return {std::nullopt,
            "cannot read the archived file " + request.stored_path + ": " + fd.error().message()};
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
    for (const model::Claim& claim : batch.claims) {
      if (audit::claim_fingerprint(claim) != request.claim_fingerprint) continue;
      // The claim: the finding must come out of it again, or the trace would explain another.
      bool reproduced = false;
      for (const model::Finding& finding : rules::evaluate(rules, claim).findings) {
        reproduced = reproduced || finding.fingerprint == request.fingerprint;
      }
      if (!reproduced) {
        return {std::nullopt, "re-evaluating the archived claim with rule set " +
                                  short_hash(rules.hash()) +
                                  " no longer produces this finding (code data changed?)"};
      }
      for (rules::RuleExplanation& explanation : rules::explain(rules, claim, request.rule_id)) {
        if (explanation.verdict == "fired" && same_subject(explanation, request)) {
          return {std::move(explanation), ""};
        }
      }
      return {std::nullopt, "the rule's trace names no fired subject for this finding"};
    }
    batch.claims.clear();
  }
  return {std::nullopt, "the claim is no longer in the archived file " + request.stored_path};
}

}  // namespace claimaudit::app
