// audit/claim_record.hpp
//
// Turns a parsed model::Claim into what the store records: its identity, the claim fingerprint
// (DOMAIN.md 2.6), and the claim as claimaudit.claim/1 JSON without PHI (no names, member id,
// birth date, sex or note text; "patient" is an empty object). Written directly rather than
// through formats/json/claim_json.hpp: audit/ may not use Boost.JSON, and this is the hot path
// (one per claim). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "model/claim.hpp"
#include "model/finding.hpp"
#include "store/store.hpp"

namespace claimaudit::audit {

// Hex SHA-256 over billing provider (NPI, else tax id), CLM01, frequency code, the date-of-service
// range and a SHA-256 of the patient's member id. Never the file's bytes.
std::string claim_fingerprint(const model::Claim& claim);

// "ST 0001, segment 20 HI, HI01-2 (loop 2300)" for X12 origins, the JSON pointer otherwise,
// "" for an empty origin.
std::string render_origin(const model::Origin& origin, const model::Envelope& envelope);

// The claim in claimaudit.claim/1 field names (as claimctl check --json), minus every PHI field.
std::string claim_json_without_phi(const model::Claim& claim);

// Everything but findings; `position` comes from the claim's envelope. The claim JSON is
// compressed into claim_json_zstd (store::compress_claim_json) when a dictionary is published,
// and claim_json is then empty; else claim_json holds the text.
store::ClaimRecord make_claim_record(const model::Claim& claim);

// Roughly the heap and object bytes a record holds (its strings, findings and diagnostics):
// what the daemon counts to bound the records waiting for the store.
std::size_t estimated_bytes(const store::ClaimRecord& record);

// A fingerprint for a finding the engine left without one: claim fingerprint + rule + code +
// diagnosis and line position.
std::string finding_fingerprint(const std::string& claim_fingerprint,
                                const model::Finding& finding);

}  // namespace claimaudit::audit
