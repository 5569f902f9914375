#include "rules/expr/claim_facts.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace claimaudit::rules::expr {

bool is_inpatient(const model::Claim& claim) {
  if (claim.kind != model::ClaimKind::kInstitutional) return false;
  if (claim.facility_type.size() >= 2) {
    // NUBC type of bill: the first digit is the type of facility, the second the bill
    // classification, whose meaning depends on the first. Inpatient: classification 1 or 2
    // (inpatient Part A, inpatient Part B) of a hospital (1x), skilled nursing facility (2x),
    // religious non-medical institution (4x) or intermediate care facility (6x), and the swing
    // beds of hospitals and SNFs (18x, 28x). Home health (3x) is never inpatient, and for
    // clinics (7x: 71x rural health, 72x dialysis...) and special facilities (8x: 81x/82x
    // hospice, 83x ASC...) the second digit names the kind of clinic or facility.
    const char facility = claim.facility_type[0];
    const char classification = claim.facility_type[1];
    switch (facility) {
      case '1':
      case '2':
        return classification == '1' || classification == '2' || classification == '8';
      case '4':
      case '6':
        return classification == '1' || classification == '2';
      default:
        return false;
    }
  }
  return claim.admission_date.has_value();
}

ClaimFacts compute_facts(const model::Claim& claim) {
  ClaimFacts facts;
  compute_facts(claim, facts);
  return facts;
}

namespace {

// The steps of compute_facts(), in its order; inlined into it (the engine calls it once a claim).

[[gnu::always_inline]] inline std::string_view claim_format(const std::string& guide) {
  return guide == "fhir-r4"                                     ? "fhir"
         : guide.rfind("claimaudit", 0) == 0 || guide == "json" ? "json"
                                                                : "x12";
}

// Each line's date of service (its own, else the claim's fallback), the claim's distinct dates
// of service in ascending order (the fallback when no line has one), and the claim-scope date.
[[gnu::always_inline]] inline void collect_dates_of_service(const model::Claim& claim,
                                                            std::optional<core::Date> fallback,
                                                            ClaimFacts& facts) {
  facts.line_dates.reserve(claim.lines.size());
  for (const model::ServiceLine& line : claim.lines) {
    std::optional<core::Date> date = fallback;
    if (line.service_dates) date = line.service_dates->from;
    facts.line_dates.push_back(date);
    if (date) facts.dates_of_service.push_back(*date);
  }
  if (facts.dates_of_service.empty() && fallback) facts.dates_of_service.push_back(*fallback);
  std::sort(facts.dates_of_service.begin(), facts.dates_of_service.end());
  facts.dates_of_service.erase(
      std::unique(facts.dates_of_service.begin(), facts.dates_of_service.end()),
      facts.dates_of_service.end());
  if (facts.inpatient && fallback) {
    facts.claim_date = fallback;
  } else if (!facts.dates_of_service.empty()) {
    facts.claim_date = facts.dates_of_service.front();
  }
}

// The per-diagnosis and per-line tables only grow, so that a Context reused claim after claim
// keeps the inner vectors' memory (entries past this claim's counts are stale; every reader
// indexes by the claim's own positions). Clear what a previous claim left.
[[gnu::always_inline]] inline void reset_pointer_tables(std::size_t dx_count,
                                                        std::size_t line_count, ClaimFacts& facts) {
  if (facts.diagnosis_lines.size() < dx_count) facts.diagnosis_lines.resize(dx_count);
  if (facts.diagnosis_dates.size() < dx_count) facts.diagnosis_dates.resize(dx_count);
  if (facts.line_diagnoses.size() < line_count) facts.line_diagnoses.resize(line_count);
  for (std::size_t d = 0; d < dx_count; ++d) {
    facts.diagnosis_lines[d].clear();
    facts.diagnosis_dates[d].clear();
  }
  for (std::size_t l = 0; l < line_count; ++l) facts.line_diagnoses[l].clear();
}

// Every line's diagnosis pointers resolved to diagnoses: the line's diagnoses, each diagnosis's
// lines, and each diagnosis's dates (its lines' dates, unsorted here).
[[gnu::always_inline]] inline void resolve_pointers(const model::Claim& claim, ClaimFacts& facts) {
  const std::size_t dx_count = claim.diagnoses.size();
  // The first diagnosis with each small seq (pointers are 1-12 in X12), so a pointer is resolved
  // without scanning the diagnoses; other seqs are looked up by scanning.
  constexpr int kDirect = 32;
  std::array<int, kDirect> by_seq;
  by_seq.fill(-1);
  for (std::size_t d = dx_count; d-- > 0;) {
    const int seq = claim.diagnoses[d].seq;
    if (seq >= 0 && seq < kDirect) by_seq[static_cast<std::size_t>(seq)] = static_cast<int>(d);
  }
  const auto resolve = [&](int pointer) -> int {
    if (pointer >= 0 && pointer < kDirect) return by_seq[static_cast<std::size_t>(pointer)];
    for (std::size_t d = 0; d < dx_count; ++d) {
      if (claim.diagnoses[d].seq == pointer) return static_cast<int>(d);
    }
    return -1;
  };
  for (std::size_t l = 0; l < claim.lines.size(); ++l) {
    const model::ServiceLine& line = claim.lines[l];
    for (const int pointer : line.dx_pointers) {
      const int found = resolve(pointer);
      if (found < 0) continue;
      const auto d = static_cast<std::size_t>(found);
      facts.line_diagnoses[l].push_back(&claim.diagnoses[d]);
      auto& lines = facts.diagnosis_lines[d];
      if (lines.empty() || lines.back() != &line) lines.push_back(&line);
      if (facts.line_dates[l]) facts.diagnosis_dates[d].push_back(*facts.line_dates[l]);
    }
  }
}

// Each diagnosis's dates settled: the fallback date alone on an inpatient claim, the claim's
// dates of service when no line points to it, else its lines' dates, distinct and ascending.
[[gnu::always_inline]] inline void settle_diagnosis_dates(std::size_t dx_count,
                                                          std::optional<core::Date> fallback,
                                                          ClaimFacts& facts) {
  for (std::size_t d = 0; d < dx_count; ++d) {
    auto& dates = facts.diagnosis_dates[d];
    if (facts.inpatient) {
      dates.clear();
      if (fallback) dates.push_back(*fallback);
      continue;
    }
    if (dates.empty()) {
      dates = facts.dates_of_service;  // Already distinct and ascending.
    } else if (dates.size() > 1) {
      std::sort(dates.begin(), dates.end());
      dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    }
  }
}

// `dx.first_seq` of every diagnosis (ClaimFacts::first_seq).
[[gnu::always_inline]] inline void compute_first_seqs(const model::Claim& claim,
                                                      ClaimFacts& facts) {
  const std::size_t dx_count = claim.diagnoses.size();
  facts.first_seq.assign(dx_count, 0);
  // The codes packed into words with their length, so that the pairs below compare two words
  // instead of two strings (a code longer than a word is compared as a string).
  constexpr std::size_t kPacked = 32;
  std::array<std::uint64_t, kPacked> packed{};
  const bool pack = dx_count <= kPacked;
  if (pack) {
    for (std::size_t d = 0; d < dx_count; ++d) {
      const std::string& code = claim.diagnoses[d].code;
      std::uint64_t word = 0;
      if (code.size() < 8) {
        std::memcpy(&word, code.data(), code.size());
        word = (word << 8) | code.size();
      } else {
        word = ~std::uint64_t{0};  // Never equal as a word: compared as strings.
      }
      packed[d] = word;
    }
  }
  const auto same_code = [&](std::size_t a, std::size_t b) {
    if (pack && (packed[a] != ~std::uint64_t{0} || packed[b] != ~std::uint64_t{0})) {
      return packed[a] == packed[b];
    }
    return claim.diagnoses[a].code == claim.diagnoses[b].code;
  };
  for (std::size_t d = 0; d < dx_count; ++d) {
    const model::Diagnosis& diagnosis = claim.diagnoses[d];
    int first = diagnosis.seq;
    bool unreadable = false;
    for (std::size_t o = 0; o < dx_count; ++o) {
      const model::Diagnosis& other = claim.diagnoses[o];
      if (other.seq >= diagnosis.seq) continue;
      if (other.code.empty() || diagnosis.code.empty()) {
        unreadable = true;
      } else if (same_code(o, d)) {
        first = std::min(first, other.seq);
      }
    }
    facts.first_seq[d] = first == diagnosis.seq && unreadable ? -1 : first;
  }
}

}  // namespace

void compute_facts(const model::Claim& claim, ClaimFacts& facts) {
  facts.claim = &claim;
  facts.inpatient = is_inpatient(claim);
  facts.format = claim_format(claim.envelope.guide);
  facts.claim_date.reset();
  facts.dates_of_service.clear();
  facts.line_dates.clear();
  facts.problem_codes.clear();
  std::optional<core::Date> fallback;
  if (claim.statement_period) {
    fallback = facts.inpatient ? claim.statement_period->to : claim.statement_period->from;
  }
  collect_dates_of_service(claim, fallback, facts);
  const std::size_t dx_count = claim.diagnoses.size();
  reset_pointer_tables(dx_count, claim.lines.size(), facts);
  resolve_pointers(claim, facts);
  settle_diagnosis_dates(dx_count, fallback, facts);
  compute_first_seqs(claim, facts);
  for (const core::Diagnostic& diagnostic : claim.diagnostics) {
    facts.problem_codes.push_back(diagnostic.code);
  }
}

}  // namespace claimaudit::rules::expr
