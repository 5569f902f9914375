#include "model/review.hpp"

#include <array>
#include <utility>

namespace claimaudit::model {
namespace {

constexpr std::array<std::pair<FindingStatus, std::string_view>, 7> kStatusNames{{
    {FindingStatus::kOpen, "open"},
    {FindingStatus::kInReview, "in_review"},
    {FindingStatus::kCorrected, "corrected"},
    {FindingStatus::kWaived, "waived"},
    {FindingStatus::kFalsePositive, "false_positive"},
    {FindingStatus::kSuperseded, "superseded"},
    {FindingStatus::kReopened, "reopened"},
}};

constexpr std::array<std::pair<WaiverScope, std::string_view>, 4> kScopeNames{{
    {WaiverScope::kPayerKind, "payer_kind"},
    {WaiverScope::kBillingProvider, "billing_provider"},
    {WaiverScope::kCode, "code"},
    {WaiverScope::kClaim, "claim"},
}};

}  // namespace

std::string_view to_string(FindingStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "open";
}

std::optional<FindingStatus> parse_finding_status(std::string_view word) {
  for (const auto& [value, name] : kStatusNames) {
    if (name == word) return value;
  }
  return std::nullopt;
}

std::optional<FindingSeverity> parse_finding_severity(std::string_view word) {
  if (word == "info") return FindingSeverity::kInfo;
  if (word == "warning") return FindingSeverity::kWarning;
  if (word == "error") return FindingSeverity::kError;
  return std::nullopt;
}

std::optional<RuleMode> parse_rule_mode(std::string_view word) {
  if (word == "enforce") return RuleMode::kEnforce;
  if (word == "shadow") return RuleMode::kShadow;
  return std::nullopt;
}

bool is_closed(FindingStatus status) {
  return status == FindingStatus::kCorrected || status == FindingStatus::kWaived ||
         status == FindingStatus::kFalsePositive || status == FindingStatus::kSuperseded;
}

bool reviewer_may_change(FindingStatus from, FindingStatus to) {
  using enum FindingStatus;
  switch (from) {
    case kOpen:
    case kReopened:
      return to == kInReview;
    case kInReview:
      return to == kCorrected || to == kWaived || to == kFalsePositive || to == kOpen;
    case kCorrected:
    case kWaived:
    case kFalsePositive:
      return to == kReopened;
    case kSuperseded:
      return false;
  }
  return false;
}

bool note_required(FindingStatus to) {
  return to == FindingStatus::kWaived || to == FindingStatus::kFalsePositive;
}

std::string_view to_string(WaiverScope scope) {
  for (const auto& [value, name] : kScopeNames) {
    if (value == scope) return name;
  }
  return "claim";
}

std::optional<WaiverScope> parse_waiver_scope(std::string_view word) {
  for (const auto& [value, name] : kScopeNames) {
    if (name == word) return value;
  }
  return std::nullopt;
}

}  // namespace claimaudit::model
