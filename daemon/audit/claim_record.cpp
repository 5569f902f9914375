#include "audit/claim_record.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>

#include "core/sha256.hpp"
#include "formats/json/claim_json.hpp"

namespace claimaudit::audit {
namespace {

std::optional<model::DateRange> date_range(const model::Claim& claim) {
  std::optional<model::DateRange> range;
  auto widen = [&range](core::Date from, core::Date to) {
    if (!range) {
      range = model::DateRange{from, to};
    } else {
      range->from = std::min(range->from, from);
      range->to = std::max(range->to, to);
    }
  };
  for (const model::ServiceLine& line : claim.lines) {
    if (line.service_dates) widen(line.service_dates->from, line.service_dates->to);
  }
  if (!range && claim.statement_period) {
    widen(claim.statement_period->from, claim.statement_period->to);
  }
  return range;
}

}  // namespace

std::string claim_fingerprint(const model::Claim& claim) {
  const auto range = date_range(claim);
  core::Sha256 hasher;
  const std::string& provider = claim.billing_provider.npi.empty() ? claim.billing_provider.tax_id
                                                                   : claim.billing_provider.npi;
  hasher.update(provider);
  hasher.update("\x1f");
  hasher.update(claim.claim_id);
  hasher.update("\x1f");
  hasher.update(claim.frequency_code);
  hasher.update("\x1f");
  hasher.update(range ? range->from.iso() + ".." + range->to.iso() : std::string());
  hasher.update("\x1f");
  hasher.update(core::sha256_hex(claim.patient.member_id.reveal()));
  return core::to_hex(hasher.finish());
}

std::string render_origin(const model::Origin& origin, const model::Envelope& envelope) {
  if (!origin.pointer.empty()) return origin.pointer;
  if (origin.segment == 0) return "";
  std::string out = "ST " + envelope.transaction_control + ", segment " +
                    std::to_string(origin.segment) + " " + std::string(origin.tag.data());
  if (origin.element > 0) {
    out += ", " + std::string(origin.tag.data());
    if (origin.element < 10) out += "0";
    out += std::to_string(origin.element);
    if (origin.component > 0) out += "-" + std::to_string(origin.component);
  }
  if (origin.loop != nullptr) out += std::string(" (loop ") + origin.loop + ")";
  return out;
}

store::ClaimRecord make_claim_record(const model::Claim& claim) {
  store::ClaimRecord record;
  record.fingerprint = claim_fingerprint(claim);
  record.claim_key = model::claim_key(claim);
  record.billing_provider = claim.billing_provider.npi.empty() ? claim.billing_provider.tax_id
                                                               : claim.billing_provider.npi;
  record.claim_id = claim.claim_id;
  record.frequency = claim.frequency;
  record.frequency_code = claim.frequency_code;
  record.replaces = claim.replaces;
  record.kind = claim.kind;
  record.use = claim.use;
  record.payer_kind = claim.payer.kind;
  record.filing_indicator = claim.payer.filing_indicator;
  record.payer_id = claim.payer.id;
  if (const auto range = date_range(claim)) {
    record.service_from = range->from;
    record.service_to = range->to;
  }
  record.position = claim.envelope.position;
  record.interchange_control = claim.envelope.interchange_control;
  record.group_control = claim.envelope.group_control;
  record.transaction_control = claim.envelope.transaction_control;
  record.claim_json =
      boost::json::serialize(formats::json::claim_to_json(claim, formats::json::ShowPhi::kNo));
  record.diagnostics = claim.diagnostics;
  return record;
}

std::string finding_fingerprint(const std::string& claim_fingerprint,
                                const model::Finding& finding) {
  return core::sha256_hex(claim_fingerprint + "\x1f" + finding.rule_id + "\x1f" + finding.code +
                          "\x1f" + std::to_string(finding.diagnosis_seq) + "\x1f" +
                          std::to_string(finding.line_seq));
}

}  // namespace claimaudit::audit
