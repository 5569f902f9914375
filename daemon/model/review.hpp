// model/review.hpp
//
// The review vocabulary (DOMAIN.md 7.1): a finding's status, the transitions a reviewer may
// make, and the plain values the store's read-only queries return and the status socket serves
// (finding and claim records, status events, waivers, rule counts). No PHI lives here: records
// carry codes, dates, claim ids, evidence and review notes, never names, member ids, birth
// dates or claim note text. Plain values; thread-safe as any value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "model/claim.hpp"
#include "model/finding.hpp"

namespace claimaudit::model {

enum class FindingStatus {
  kOpen,           // New finding, set by the audit.
  kInReview,       // Taken by a reviewer (the assignee).
  kCorrected,      // Fixed: by a reviewer, or automatically when a replacement no longer has it.
  kWaived,         // Sent as it is, risk accepted: note required.
  kFalsePositive,  // The rule misjudged the claim: note required.
  kSuperseded,     // Replaced or voided claim: automatic only.
  kReopened,       // A closed finding needs another look.
};

// "open", "in_review", "corrected", "waived", "false_positive", "superseded", "reopened".
std::string_view to_string(FindingStatus status);
std::optional<FindingStatus> parse_finding_status(std::string_view word);
std::optional<FindingSeverity> parse_finding_severity(std::string_view word);
std::optional<RuleMode> parse_rule_mode(std::string_view word);

// True for corrected, waived, false_positive and superseded.
bool is_closed(FindingStatus status);

// Whether a reviewer (not the daemon) may move a finding from `from` to `to`:
//   open, reopened        -> in_review
//   in_review             -> corrected | waived | false_positive | open (hand back)
//   corrected, waived, false_positive -> reopened
// superseded is set only by the daemon, and nothing moves to the status it already has.
bool reviewer_may_change(FindingStatus from, FindingStatus to);

// Whether a change to `to` needs a note (waived, false_positive).
bool note_required(FindingStatus to);

// One row of the append-only audit trail.
struct FindingEvent {
  std::int64_t id = 0;
  std::int64_t finding_id = 0;
  std::string at;  // UTC, "2026-11-26T15:04:05Z".
  std::string user;
  std::optional<FindingStatus> old_status;  // nullopt for the event that created the finding.
  FindingStatus new_status = FindingStatus::kOpen;
  std::string note;         // Reviewer text; may contain PHI: never logged.
  std::string reason_code;  // From the configured list; empty if none.
};

// A finding as the store holds it, with the claim context a work queue needs.
struct FindingRecord {
  std::int64_t id = 0;
  std::string rule_id;
  std::string rule_version;
  std::string rule_set_hash;
  FindingSeverity severity = FindingSeverity::kWarning;
  RuleMode mode = RuleMode::kEnforce;
  FindingStatus status = FindingStatus::kOpen;
  std::string assignee;  // Unix user who took it in review; empty if none.
  std::string code;      // Normalised; empty for claim-level rules.
  int diagnosis_seq = 0;
  int line_seq = 0;
  std::string location;
  std::string message;
  std::string evidence_json;
  std::string predicts;
  std::string fingerprint;
  std::string code_edition;
  std::string created_at;  // UTC ISO 8601.
  std::string updated_at;  // UTC ISO 8601: last status change.
  // Claim context.
  std::int64_t claim_row = 0;  // The claims table's id.
  std::string claim_id;        // CLM01.
  std::string billing_npi;
  PayerKind payer_kind = PayerKind::kUnknown;
  ClaimKind claim_kind = ClaimKind::kUnknown;
  std::optional<core::Date> service_date;  // First date of service.
  std::int64_t file_id = 0;
  std::string file_name;
  std::optional<std::int64_t> waiver_id;  // The active waiver covering it, if any.
  // A diagnosis finding's code system, from its claim: kIcd9Cm for an ICD-9-CM code that
  // ICD-9-CM dots elsewhere than ICD-10-CM (an E code: E880.9, not E88.09; E912, not E91.2);
  // kUnknown otherwise (every other code prints the same in both).
  CodeSystem code_system = CodeSystem::kUnknown;
};

// A claim as the store holds it: identity, dates, payer, file. No patient data.
struct ClaimRecord {
  std::int64_t id = 0;
  std::string claim_id;
  std::string claim_key;
  ClaimKind kind = ClaimKind::kUnknown;
  PayerKind payer_kind = PayerKind::kUnknown;
  std::string frequency_code;
  std::string billing_npi;
  std::optional<core::Date> service_from;
  std::optional<core::Date> service_to;
  std::string total_charge;
  std::int64_t file_id = 0;
  std::string file_name;
  int position = 0;
  std::vector<std::string> diagnoses;  // Normalised codes in claim order.
  // Parallel to `diagnoses`: kIcd9Cm for a code sent as ICD-9-CM, else kUnknown (ICD-10-CM, or
  // a row written before the claim JSON recorded the code system of ICD-9-CM codes).
  std::vector<CodeSystem> diagnosis_code_systems;
};

// What a waiver covers: one rule, within one scope.
enum class WaiverScope { kPayerKind, kBillingProvider, kCode, kClaim };
// "payer_kind", "billing_provider", "code", "claim".
std::string_view to_string(WaiverScope scope);
std::optional<WaiverScope> parse_waiver_scope(std::string_view word);

struct Waiver {
  std::int64_t id = 0;
  std::string rule_id;
  WaiverScope scope = WaiverScope::kClaim;
  std::string value;  // The payer kind word, the NPI, the normalised code, or the claim id.
  std::string owner;
  std::string reason;
  core::Date expires;      // Last day it applies (inclusive).
  std::string created_by;  // Unix user.
  std::string created_at;  // UTC ISO 8601.
  bool expired = false;    // expires < today when read.
};

// What a work queue asks for. Empty vectors mean "any". Dates bound the claim's first date of
// service, inclusive. Findings of shadow rules and findings covered by an active waiver are
// left out unless asked for.
struct FindingFilter {
  std::vector<FindingStatus> statuses;
  std::vector<std::string> rule_ids;
  std::vector<FindingSeverity> severities;
  std::vector<PayerKind> payer_kinds;
  std::vector<ClaimKind> claim_kinds;
  std::optional<core::Date> from;
  std::optional<core::Date> to;
  std::string file;      // File name as recorded (exact).
  std::string claim_id;  // CLM01 (exact).
  std::string assignee;
  bool include_shadow = false;
  bool include_waived = true;
  std::int64_t after_id = 0;  // Cursor: findings with a larger id.
  int limit = 100;            // Page size; 0 = no limit (exports).
};

// Per-rule counts over the findings on record.
struct RuleCounts {
  std::string rule_id;
  std::int64_t fired = 0;  // All findings of the rule.
  std::int64_t open = 0;   // open, in_review, reopened.
  std::int64_t corrected = 0;
  std::int64_t waived = 0;
  std::int64_t false_positive = 0;
  std::int64_t superseded = 0;
  std::int64_t shadow = 0;  // Findings recorded in shadow mode.
  std::int64_t not_evaluated = 0;
};

}  // namespace claimaudit::model
