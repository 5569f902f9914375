// Shared by the rules tests: the code history and edit lists the build generated (real data,
// loaded once), temporary rule directories, and claims built in C++.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "core/icd10_code.hpp"
#include "model/claim.hpp"
#include "rules/rule_set.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::testing {

inline const codes::CodeSet& code_set() {
  static const codes::CodeSet codes = codes::CodeSet::load(CLAIMAUDIT_CODESET_TABLE);
  return codes;
}

inline const codes::EditLists& edit_lists() {
  static const codes::EditLists lists = codes::EditLists::load(CLAIMAUDIT_CODESET_TABLE);
  return lists;
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

inline rules::RuleLoadResult load_text(const std::filesystem::path& directory,
                                       const std::string& text,
                                       rules::InlineTests tests = rules::InlineTests::kRun) {
  write_text(directory / "rules.yaml", text);
  return rules::load_rule_set({directory}, code_set(), edit_lists(), tests);
}

// A professional claim with one line on `date` pointing to every diagnosis.
inline model::Claim professional_claim(const std::vector<std::string>& codes, core::Date date) {
  model::Claim claim;
  claim.claim_id = "C1";
  claim.kind = model::ClaimKind::kProfessional;
  claim.frequency_code = "1";
  claim.billing_provider.npi = "1245319599";
  claim.patient.member_id = core::Phi<std::string>("M123");
  claim.envelope.guide = "005010X222A1";
  claim.envelope.transaction_control = "0001";
  int seq = 0;
  model::ServiceLine line;
  line.seq = 1;
  line.procedure_qualifier = "HC";
  line.procedure_code = "97140";
  line.service_dates = model::DateRange{date, date};
  for (const std::string& code : codes) {
    model::Diagnosis diagnosis;
    diagnosis.seq = ++seq;
    diagnosis.raw = code;
    diagnosis.code = core::normalize_icd10(code).value_or("");
    diagnosis.code_system = model::CodeSystem::kIcd10Cm;
    diagnosis.qualifier = seq == 1 ? "ABK" : "ABF";
    diagnosis.role = seq == 1 ? model::DiagnosisRole::kPrincipal : model::DiagnosisRole::kOther;
    diagnosis.origin.segment = 20;
    diagnosis.origin.tag = {'H', 'I', '\0', '\0'};
    diagnosis.origin.element = static_cast<std::uint16_t>(seq);
    diagnosis.origin.component = 2;
    diagnosis.origin.loop = "2300";
    claim.diagnoses.push_back(diagnosis);
    if (seq <= 4) line.dx_pointers.push_back(seq);
  }
  claim.lines.push_back(line);
  return claim;
}

}  // namespace claimaudit::testing
