#include "model/claim.hpp"

#include <algorithm>
#include <utility>

namespace claimaudit::model {

std::string_view to_string(ClaimKind kind) {
  switch (kind) {
    case ClaimKind::kProfessional:
      return "professional";
    case ClaimKind::kInstitutional:
      return "institutional";
    case ClaimKind::kOral:
      return "oral";
    case ClaimKind::kVision:
      return "vision";
    case ClaimKind::kPharmacy:
      return "pharmacy";
    case ClaimKind::kUnknown:
      break;
  }
  return "unknown";
}

std::string_view to_string(ClaimUse use) {
  switch (use) {
    case ClaimUse::kClaim:
      return "claim";
    case ClaimUse::kPreauthorization:
      return "preauthorization";
    case ClaimUse::kPredetermination:
      return "predetermination";
  }
  return "claim";
}

std::string_view to_string(Frequency frequency) {
  switch (frequency) {
    case Frequency::kOriginal:
      return "original";
    case Frequency::kReplacement:
      return "replacement";
    case Frequency::kVoid:
      return "void";
    case Frequency::kOther:
      break;
  }
  return "other";
}

std::string_view to_string(PayerKind kind) {
  switch (kind) {
    case PayerKind::kMedicare:
      return "medicare";
    case PayerKind::kMedicaid:
      return "medicaid";
    case PayerKind::kCommercial:
      return "commercial";
    case PayerKind::kWorkersComp:
      return "workers_comp";
    case PayerKind::kAuto:
      return "auto";
    case PayerKind::kLiability:
      return "liability";
    case PayerKind::kTricare:
      return "tricare";
    case PayerKind::kVa:
      return "va";
    case PayerKind::kOther:
      return "other";
    case PayerKind::kUnknown:
      break;
  }
  return "unknown";
}

std::string_view to_string(DiagnosisRole role) {
  switch (role) {
    case DiagnosisRole::kPrincipal:
      return "principal";
    case DiagnosisRole::kOther:
      return "other";
    case DiagnosisRole::kAdmitting:
      return "admitting";
    case DiagnosisRole::kExternalCause:
      return "external_cause";
    case DiagnosisRole::kReasonForVisit:
      return "reason_for_visit";
  }
  return "other";
}

std::string_view to_string(CodeSystem system) {
  switch (system) {
    case CodeSystem::kIcd10Cm:
      return "icd10cm";
    case CodeSystem::kIcd9Cm:
      return "icd9cm";
    case CodeSystem::kUnknown:
      break;
  }
  return "unknown";
}

std::string_view to_string(AccidentCause cause) {
  switch (cause) {
    case AccidentCause::kAuto:
      return "auto";
    case AccidentCause::kEmployment:
      return "employment";
    case AccidentCause::kOther:
      return "other";
    case AccidentCause::kNone:
      break;
  }
  return "none";
}

std::string_view to_string(ProcedureSystem system) {
  switch (system) {
    case ProcedureSystem::kIcd10Pcs:
      return "icd10pcs";
    case ProcedureSystem::kIcd9Cm:
      return "icd9cm";
    case ProcedureSystem::kOther:
      break;
  }
  return "other";
}

namespace {
template <class Enum, std::size_t N>
std::optional<Enum> parse_word(std::string_view word, const Enum (&values)[N]) {
  for (Enum value : values) {
    if (to_string(value) == word) return value;
  }
  return std::nullopt;
}
}  // namespace

std::optional<ClaimKind> parse_claim_kind(std::string_view word) {
  static constexpr ClaimKind kAll[] = {ClaimKind::kProfessional, ClaimKind::kInstitutional,
                                       ClaimKind::kOral, ClaimKind::kVision, ClaimKind::kPharmacy};
  return parse_word(word, kAll);
}

std::optional<PayerKind> parse_payer_kind(std::string_view word) {
  static constexpr PayerKind kAll[] = {
      PayerKind::kMedicare,    PayerKind::kMedicaid, PayerKind::kCommercial,
      PayerKind::kWorkersComp, PayerKind::kAuto,     PayerKind::kLiability,
      PayerKind::kTricare,     PayerKind::kVa,       PayerKind::kOther};
  return parse_word(word, kAll);
}

std::optional<DiagnosisRole> parse_diagnosis_role(std::string_view word) {
  static constexpr DiagnosisRole kAll[] = {DiagnosisRole::kPrincipal, DiagnosisRole::kOther,
                                           DiagnosisRole::kAdmitting, DiagnosisRole::kExternalCause,
                                           DiagnosisRole::kReasonForVisit};
  return parse_word(word, kAll);
}

std::optional<AccidentCause> parse_accident_cause(std::string_view word) {
  static constexpr AccidentCause kAll[] = {AccidentCause::kAuto, AccidentCause::kEmployment,
                                           AccidentCause::kOther};
  return parse_word(word, kAll);
}

std::optional<ProcedureSystem> parse_procedure_system(std::string_view word) {
  static constexpr ProcedureSystem kAll[] = {ProcedureSystem::kIcd10Pcs, ProcedureSystem::kIcd9Cm,
                                             ProcedureSystem::kOther};
  return parse_word(word, kAll);
}

void add_occurrence(Claim& claim, Occurrence occurrence) {
  claim.occurrence_codes.push_back(occurrence.code);
  claim.occurrences.push_back(std::move(occurrence));
}

void add_occurrence_span(Claim& claim, OccurrenceSpan span) {
  claim.occurrence_codes.push_back(span.code);
  claim.occurrence_spans.push_back(std::move(span));
}

Frequency frequency_from_code(std::string_view code) {
  if (code == "1") return Frequency::kOriginal;
  if (code == "7") return Frequency::kReplacement;
  if (code == "8") return Frequency::kVoid;
  return Frequency::kOther;
}

PayerKind payer_kind_from_filing_indicator(std::string_view sbr09) {
  if (sbr09.empty()) return PayerKind::kUnknown;
  // Medicare: MA Part A, MB Part B, 16 Medicare HMO.
  if (sbr09 == "MA" || sbr09 == "MB" || sbr09 == "16") return PayerKind::kMedicare;
  if (sbr09 == "MC") return PayerKind::kMedicaid;
  if (sbr09 == "WC") return PayerKind::kWorkersComp;
  if (sbr09 == "AM") return PayerKind::kAuto;
  if (sbr09 == "LM") return PayerKind::kLiability;
  if (sbr09 == "CH") return PayerKind::kTricare;
  if (sbr09 == "VA") return PayerKind::kVa;
  // Commercial and managed care: CI commercial, BL BCBS, HM HMO, 12-15 PPO/POS/EPO/indemnity,
  // 17 dental maintenance, DS disability.
  if (sbr09 == "CI" || sbr09 == "BL" || sbr09 == "HM" || sbr09 == "12" || sbr09 == "13" ||
      sbr09 == "14" || sbr09 == "15" || sbr09 == "17" || sbr09 == "DS") {
    return PayerKind::kCommercial;
  }
  return PayerKind::kOther;
}

std::string claim_key(const Claim& claim) {
  const std::string& provider = claim.billing_provider.npi.empty() ? claim.billing_provider.tax_id
                                                                   : claim.billing_provider.npi;
  return provider + "|" + claim.claim_id;
}

core::Phi<std::optional<int>> age_on(const Claim& claim, core::Date date) {
  const auto& birth = claim.patient.birth_date.reveal();
  if (!birth) return core::Phi<std::optional<int>>(std::nullopt);
  return core::Phi<std::optional<int>>(core::age_in_years(*birth, date));
}

std::vector<core::Date> service_dates(const Claim& claim) {
  std::vector<core::Date> dates;
  for (const ServiceLine& line : claim.lines) {
    if (line.service_dates) dates.push_back(line.service_dates->from);
  }
  if (dates.empty() && claim.statement_period) dates.push_back(claim.statement_period->from);
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  return dates;
}

}  // namespace claimaudit::model
