// formats/detail/diagnosis_roles.hpp
//
// The diagnosis roles the JSON and FHIR readers infer when the input names none (DOMAIN.md 3.1,
// 3.2): external causes by code, and the first-listed remaining diagnosis as principal. Pure
// functions; thread-safe.
#pragma once

#include <vector>

#include "model/claim.hpp"

namespace claimaudit::formats::detail {

// An external cause code: ICD-10-CM V00-Y99 (also when the code system is unknown), ICD-9-CM
// E800-E999 (ICD-9-CM V codes are status codes, not causes).
bool is_external_cause(const model::Diagnosis& diagnosis);

// `diagnoses` in first-listed order; role_given[i] says whether diagnosis i's role came from the
// input. The others become external causes (is_external_cause), else the first of them becomes
// principal unless a given role already is, else other.
void infer_roles(std::vector<model::Diagnosis>& diagnoses, const std::vector<bool>& role_given);

// A claim has one principal diagnosis. `diagnoses` in first-listed order: a principal after the
// first becomes kOther (as the X12 reader reads a second ABK), so principal-only edits judge the
// one the sender listed first. Returns the positions of those changed, for the reader to report.
std::vector<std::size_t> keep_one_principal(std::vector<model::Diagnosis>& diagnoses);

}  // namespace claimaudit::formats::detail
