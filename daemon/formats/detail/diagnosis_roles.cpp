#include "formats/detail/diagnosis_roles.hpp"

#include <cassert>

namespace claimaudit::formats::detail {

bool is_external_cause(const model::Diagnosis& diagnosis) {
  if (diagnosis.code.empty()) return false;
  const char first = diagnosis.code.front();
  if (diagnosis.code_system == model::CodeSystem::kIcd9Cm) return first == 'E';
  return first == 'V' || first == 'W' || first == 'X' || first == 'Y';
}

void infer_roles(std::vector<model::Diagnosis>& diagnoses, const std::vector<bool>& role_given) {
  assert(role_given.size() == diagnoses.size());
  bool has_principal = false;
  for (std::size_t i = 0; i < diagnoses.size(); ++i) {
    if (role_given[i] && diagnoses[i].role == model::DiagnosisRole::kPrincipal) {
      has_principal = true;
    }
  }
  for (std::size_t i = 0; i < diagnoses.size(); ++i) {
    if (role_given[i]) continue;
    if (is_external_cause(diagnoses[i])) {
      diagnoses[i].role = model::DiagnosisRole::kExternalCause;
    } else if (!has_principal) {
      diagnoses[i].role = model::DiagnosisRole::kPrincipal;
      has_principal = true;
    } else {
      diagnoses[i].role = model::DiagnosisRole::kOther;
    }
  }
}

std::vector<std::size_t> keep_one_principal(std::vector<model::Diagnosis>& diagnoses) {
  std::vector<std::size_t> changed;
  bool seen = false;
  for (std::size_t i = 0; i < diagnoses.size(); ++i) {
    if (diagnoses[i].role != model::DiagnosisRole::kPrincipal) continue;
    if (seen) {
      diagnoses[i].role = model::DiagnosisRole::kOther;
      changed.push_back(i);
    }
    seen = true;
  }
  return changed;
}

}  // namespace claimaudit::formats::detail
