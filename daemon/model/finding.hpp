// model/finding.hpp
//
// Finding: one rule's verdict on one claim (or one diagnosis / line of it). Produced by
// rules::evaluate, stored by store/, served by status/. Plain value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/claim.hpp"

namespace claimaudit::model {

enum class FindingSeverity { kInfo, kWarning, kError };
enum class RuleMode { kEnforce, kShadow };

std::string_view to_string(FindingSeverity severity);
std::string_view to_string(RuleMode mode);

struct Provenance {
  std::string rule_version;    // The rule's own `version`.
  std::string rule_set_hash;   // SHA-256 over the loaded rule files (hex).
  std::string code_edition;    // Code-set edition used for the date of service ("fy2026").
  std::string engine_version;  // CLAIMAUDIT_VERSION.
  friend bool operator==(const Provenance&, const Provenance&) = default;
};

struct Finding {
  std::string rule_id;  // "dx.stale_code".
  FindingSeverity severity = FindingSeverity::kWarning;
  RuleMode mode = RuleMode::kEnforce;
  std::string code;           // The code involved, normalised ("M545"); empty for claim rules.
  int diagnosis_seq = 0;      // Diagnosis position the finding points at; 0 = none.
  int line_seq = 0;           // Service line (LX01) the finding points at; 0 = none.
  Origin origin;              // Exact field in the file.
  std::string location;       // Rendered origin: "ST 0001, segment 20 HI, HI01-2 (loop 2300)".
  std::string message;        // Rendered template; codes dotted; never PHI.
  std::string evidence_json;  // Small JSON object: facts and the official source cited.
  std::string predicts;       // Predicted denial label ("CARC 146").
  std::string fingerprint;    // Hex SHA-256 of claim key + rule + code + position (DOMAIN.md 2.6).
  Provenance provenance;
  friend bool operator==(const Finding&, const Finding&) = default;
};

}  // namespace claimaudit::model
