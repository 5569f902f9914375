// rules/expr/claim_facts.hpp
//
// ClaimFacts: what the rules derive once per claim before evaluating any rule: the dates of
// service chosen by DOMAIN.md 4.1 (per line for professional claims, the through date for
// inpatient claims), which lines point to which diagnoses, the claim's format. Built by
// compute_facts(); a plain value that borrows the claim (the claim must outlive it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "model/claim.hpp"

namespace claimaudit::rules::expr {

struct ClaimFacts {
  const model::Claim* claim = nullptr;
  bool inpatient = false;
  std::string_view format;                            // "x12", "fhir", "json".
  std::optional<core::Date> claim_date;               // The claim-scope date of service.
  std::vector<core::Date> dates_of_service;           // Distinct, ascending.
  std::vector<std::optional<core::Date>> line_dates;  // Per line index.
  // The next three are indexed by the claim's diagnosis / line positions; when reused for
  // another claim they may hold more entries than it has (stale past its counts).
  std::vector<std::vector<core::Date>> diagnosis_dates;                 // Per diagnosis index.
  std::vector<std::vector<const model::ServiceLine*>> diagnosis_lines;  // Lines pointing to it.
  std::vector<std::vector<const model::Diagnosis*>> line_diagnoses;     // Resolved pointers.
  std::vector<std::string> problem_codes;  // Reader diagnostics on the claim.
  // Per diagnosis index: the lowest seq of a diagnosis with the same code (its own when it is
  // the first); -1 when that cannot be known (no earlier equal code, but an unreadable code is
  // involved: its own, or an earlier diagnosis's). `dx.first_seq`.
  std::vector<int> first_seq;
};

ClaimFacts compute_facts(const model::Claim& claim);
// The same into `facts`, reusing its memory (the engine keeps one per thread).
void compute_facts(const model::Claim& claim, ClaimFacts& facts);

// True for an institutional claim whose type of bill (CLM05-1, facility type and bill
// classification) is an inpatient one: 11x, 12x, 18x, 21x, 22x, 28x, 41x, 42x, 61x, 62x (not
// 71x/72x clinics or 81x/82x hospice, whose second digit means something else); without a
// type of bill, one that has an admission date.
bool is_inpatient(const model::Claim& claim);

}  // namespace claimaudit::rules::expr
