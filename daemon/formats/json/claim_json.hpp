// formats/json/claim_json.hpp
//
// The one place a model::Claim becomes JSON: `claimctl check --json`, the daemon's store and the
// status socket all print claims through claim_to_json(), with the field names of the
// claimaudit.claim/1 input format (DOMAIN.md 3.2, schemas/claim.schema.json) plus the derived
// `payer_kind`. Codes are printed dotted. Absent values are null, so every key is always there.
// PHI (patient names, member id, birth date, sex, note text) is left out unless the caller
// passes ShowPhi::kYes. The output of claim_to_json(claim, ShowPhi::kYes) reads back through
// json::read_claim() to the same claim (origins aside). Pure functions; thread-safe.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "core/diagnostic.hpp"
#include "model/claim.hpp"
#include "model/finding.hpp"

namespace claimaudit::formats::json {

inline constexpr const char* kClaimFormat = "claimaudit.claim/1";

enum class ShowPhi { kNo, kYes };

// The claim as a claimaudit.claim/1 object (with "format"). Without ShowPhi::kYes, "patient" is
// an empty object and notes carry only their kind.
boost::json::object claim_to_json(const model::Claim& claim, ShowPhi show_phi);

// {"severity": "warning", "code": "W-FHIR-DANGLING-REF", "where": "...", "message": "..."}.
// Diagnostics never hold PHI, so there is no flag.
boost::json::object diagnostic_to_json(const core::Diagnostic& diagnostic);

// {"rule_id", "severity", "mode", "code" (dotted or null), "diagnosis_seq", "line_seq", "where",
// "message", "predicts", "fingerprint"}: findings never hold PHI (model/finding.hpp). With the
// finding's `claim`, a diagnosis finding's code is dotted by its diagnosis's code system (an
// ICD-9-CM E code: E880.9); without it, as ICD-10-CM.
boost::json::object finding_to_json(const model::Finding& finding,
                                    const model::Claim* claim = nullptr);

// The "where" string of diagnostic_to_json(): the structural path (JSON pointer, X12 position),
// else "line L, column C" when only a text position is known, else "".
std::string where_text(const core::SourceLocation& where);

}  // namespace claimaudit::formats::json
