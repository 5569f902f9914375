// rules/detail/rule_set_impl.hpp
//
// The compiled form of a rule set, shared by the loader (which builds it), the engine (which
// evaluates it) and the tools (inline tests, explain). Immutable once built.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "model/finding.hpp"
#include "rules/expr/ast.hpp"
#include "rules/expr/check.hpp"
#include "rules/expr/program.hpp"
#include "rules/rule_file.hpp"
#include "rules/rule_set.hpp"

namespace claimaudit::rules {

struct Template {
  struct Part {
    std::string literal;  // Text before the placeholder (or the whole text for the last part).
    expr::NodePtr value;  // Null for a trailing literal or a special field.
    std::string special;  // "rule", "severity", "reason".
  };
  std::vector<Part> parts;
};

struct CompiledEscalation {
  expr::NodePtr when;
  model::FindingSeverity severity = model::FindingSeverity::kWarning;
  std::string reason;
};

struct CompiledException {
  std::string name;
  expr::NodePtr when;
};

struct CompiledTest {
  std::string name;
  Position at;
  std::shared_ptr<const model::Claim> claim;
  std::string expect;  // fire | pass | not_evaluated
  std::optional<std::string> message;
  std::optional<model::FindingSeverity> severity;
  std::optional<int> findings;
  std::optional<int> seq;
};

struct CompiledRule {
  std::string id;
  std::string version;
  std::string title;
  std::string description;
  Position at;
  expr::Scope scope = expr::Scope::kClaim;
  std::vector<std::pair<std::string, expr::NodePtr>> lets;  // In slot order.
  std::vector<int> let_slots;
  expr::NodePtr when;
  model::FindingSeverity severity = model::FindingSeverity::kWarning;
  std::vector<CompiledEscalation> escalate;
  std::vector<CompiledException> exceptions;
  std::string predicts;  // "CARC 146, RARC M76: dx not valid for DOS"
  Template message;
  struct EvidenceField {
    std::string name;
    std::string json_key;  // `"name":` as JSON, after a comma unless first (the engine's text).
    expr::NodePtr value;
  };
  std::vector<EvidenceField> evidence_fields;
  std::optional<Template> evidence_source;
  std::optional<core::Date> effective_from;
  std::optional<core::Date> effective_to;
  std::vector<model::ClaimKind> claim_kinds;    // Empty: any.
  std::vector<model::PayerKind> payer_kinds;    // Empty: any.
  std::vector<std::string> formats;             // Empty: any.
  std::vector<model::ClaimUse> uses;            // Empty: any.
  std::vector<model::CodeSystem> code_systems;  // Diagnosis scope; default {kIcd10Cm}.
  std::optional<bool> inpatient;
  // Set by the loader when claim_kinds, payer_kinds, formats and uses are empty and `inpatient`
  // is unset: the rule applies to every claim (the engine then skips the test).
  bool applies_always = false;
  model::RuleMode mode = model::RuleMode::kEnforce;
  bool enabled = true;
  // A local override changed `severity`: the rule's inline tests, written for the shipped
  // severity, then check everything but the severity.
  bool severity_overridden = false;
  std::vector<std::string> references;
  std::vector<std::string> tags;
  std::vector<CompiledTest> tests;
  int slot_count = expr::kFirstFreeSlot;
  bool needs_date = false;  // `when` (or a let it uses) reads dos or a code-set function.
  // `when` (or a let it uses) calls a function that records code-history or edit-list facts
  // (the evidence's "facts"); when false, a finding's facts are known to be empty.
  bool when_records_facts = true;

  // Index (diagnosis scope): the rule can only fire on codes these keys admit.
  bool indexed = false;
  std::vector<std::string> index_keys;  // Code prefixes (exact codes, prefixes, categories).
  int index_bit =
      -1;  // Its bit in the engine's per-(code, epoch) memo (Impl::memo_indexed), or -1.

  // Code guard (diagnosis scope): a necessary condition of `when` that depends on the diagnosis
  // code and the code-set epoch of the date of service only (docs/rules-language.md section 9), in
  // postfix: atoms are boolean sub-expressions of `when` or of its lets. When the guard is
  // false, `when` is false, so the engine may skip the rule on that diagnosis; the answer is
  // memoised per (code, epoch) across claims. Empty: no guard.
  struct GuardStep {
    enum class Kind { kAtom, kAnd, kOr } kind = Kind::kAtom;
    const expr::Node* atom = nullptr;
  };
  std::vector<GuardStep> guard;
  int guard_bit = -1;  // Its bit in the engine's per-(code, epoch) memo, or -1.

  // Diagnosis scope: `when`, its lets and the exceptions read the diagnosis only through
  // dx.code_system and dx.qualifier (never its code, position or lines), so two diagnoses of one
  // claim with equal code system, qualifier and date of service get the same verdict; the engine
  // evaluates such a rule once per distinct (code system, qualifier, date) of a claim and reuses
  // a "passed" verdict for the others (a firing or unevaluable one is evaluated per diagnosis).
  bool verdict_by_dx_system = false;
};

struct RuleSet::Impl {
  std::string hash;
  const codes::CodeSet* codes = nullptr;
  const codes::EditLists* edits = nullptr;
  std::vector<std::unique_ptr<CompiledRule>> rules;  // Enabled and disabled, in load order.
  std::vector<std::size_t> enabled;                  // Indexes of enabled rules.
  std::shared_ptr<const expr::Definitions> definitions;
  std::vector<std::string> files;  // Display names, by file index.
  std::vector<std::string> texts;  // File texts (for diagnostics).

  // Diagnosis-scope index: code prefix -> enabled rule indexes (into `rules`).
  // Transparent hash: the engine looks codes' prefixes up as string_views, without copies.
  struct KeyHash {
    using is_transparent = void;  // NOLINT(readability-identifier-naming): the standard's name.
    // Keys are code prefixes (at most 7 characters): packed into a word and mixed, cheaper
    // than a byte-wise hash for the handful of lookups every diagnosis makes.
    std::size_t operator()(std::string_view key) const noexcept {
      if (key.size() > 8) return std::hash<std::string_view>{}(key);
      std::uint64_t word = key.size();
      for (const char c : key) word = (word << 8) | static_cast<unsigned char>(c);
      return static_cast<std::size_t>((word * 0x9E3779B97F4A7C15ull) >> 17);
    }
  };
  std::unordered_map<std::string, std::vector<std::size_t>, KeyHash, std::equal_to<>> index;
  std::vector<std::size_t> unindexed_diagnosis_rules;
  std::vector<std::size_t> claim_rules;
  std::vector<std::size_t> line_rules;
  // Claim, line and unindexed diagnosis rules (run on every claim), ascending.
  std::vector<std::size_t> always;
  // The distinct lengths of the index keys, ascending (the only prefixes worth looking up).
  std::vector<std::size_t> index_key_lengths;
  // Enabled unindexed rules with a code guard (the index already filters the others), by guard bit
  // (at most 48: the engine's memo holds 48 bits).
  std::vector<std::size_t> guarded;
  // Enabled indexed rules by index bit (the bits after the guarded rules'), when all of them fit
  // in the memo's 48 bits with the guards; else empty. The engine then memoises which indexed
  // rules a code's prefixes admit along with the guards, instead of looking the prefixes up in
  // `index` for every diagnosis. `indexed_mask`: their bits.
  std::vector<std::size_t> memo_indexed;
  std::uint64_t indexed_mask = 0;
  // Unique for the life of the process (the engine's guard memo is keyed by it, not by the
  // address, which a later rule set may reuse).
  std::uint64_t serial = 0;

  const CompiledRule* find(const std::string& id) const;
};

// Evaluates one rule on a claim (the engine's unit; inline tests and explain use it too).
// `tracer` may be null.
void evaluate_rule(const RuleSet::Impl& set, const CompiledRule& rule, const model::Claim& claim,
                   Evaluation& out, expr::Tracer* tracer = nullptr);

}  // namespace claimaudit::rules
