#include "audit/claim_record.hpp"

#include <algorithm>

#include "core/sha256.hpp"
#include "store/json_text.hpp"

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

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  void key(std::string_view name) {
    comma();
    store::append_json_string(out_, name);
    out_.push_back(':');
    first_ = true;  // The value that follows needs no comma.
    after_key_ = true;
  }
  void string(std::string_view value) {
    value_prefix();
    store::append_json_string(out_, value);
  }
  void number(long long value) {
    value_prefix();
    out_ += std::to_string(value);
  }
  void null() {
    value_prefix();
    out_ += "null";
  }
  void open(char bracket) {
    value_prefix();
    out_.push_back(bracket);
    first_ = true;
  }
  void close(char bracket) {
    out_.push_back(bracket);
    first_ = false;
  }
  void date(const std::optional<core::Date>& value) {
    if (value) {
      string(value->iso());
    } else {
      null();
    }
  }
  void range(const std::optional<model::DateRange>& value) {
    if (!value) {
      null();
      return;
    }
    open('{');
    key("from");
    string(value->from.iso());
    key("to");
    string(value->to.iso());
    close('}');
  }

 private:
  void comma() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  void value_prefix() {
    if (after_key_) {
      after_key_ = false;
      first_ = false;
      return;
    }
    comma();
  }
  std::string& out_;
  bool first_ = true;
  bool after_key_ = false;
};

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

std::string claim_json_without_phi(const model::Claim& claim) {
  std::string out;
  out.reserve(512 + 96 * claim.diagnoses.size() + 192 * claim.lines.size());
  JsonWriter json(out);
  json.open('{');
  json.key("format");
  json.string("claimaudit.claim/1");
  json.key("claim_id");
  json.string(claim.claim_id);
  json.key("kind");
  json.string(model::to_string(claim.kind));
  json.key("use");
  json.string(model::to_string(claim.use));
  json.key("frequency");
  json.string(claim.frequency_code);
  json.key("replaces");
  if (claim.replaces.empty()) {
    json.null();
  } else {
    json.string(claim.replaces);
  }
  json.key("billing_provider");
  json.open('{');
  json.key("npi");
  json.string(claim.billing_provider.npi);
  json.key("tax_id");
  json.string(claim.billing_provider.tax_id);
  json.close('}');
  json.key("payer");
  json.open('{');
  json.key("id");
  json.string(claim.payer.id);
  json.key("name");
  json.string(claim.payer.name);
  json.key("program");
  json.string(claim.payer.filing_indicator);
  json.close('}');
  json.key("payer_kind");
  json.string(model::to_string(claim.payer.kind));
  json.key("patient");  // PHI: never stored.
  json.open('{');
  json.close('}');
  if (!claim.place_of_service.empty()) {
    json.key("place_of_service");
    json.string(claim.place_of_service);
  }
  if (!claim.facility_type.empty()) {
    json.key("facility_type");
    json.string(claim.facility_type);
  }
  json.key("total_charge");
  json.string(claim.total_charge);
  json.key("onset_date");
  json.date(claim.onset_date);
  json.key("statement_period");
  json.range(claim.statement_period);
  if (claim.accident.cause != model::AccidentCause::kNone) {
    json.key("accident");
    json.open('{');
    json.key("cause");
    json.string(model::to_string(claim.accident.cause));
    json.key("date");
    json.date(claim.accident.date);
    json.key("state");
    json.string(claim.accident.state);
    json.close('}');
  }
  json.key("diagnoses");
  json.open('[');
  for (const model::Diagnosis& diagnosis : claim.diagnoses) {
    json.open('{');
    json.key("seq");
    json.number(diagnosis.seq);
    json.key("code");
    json.string(diagnosis.code.empty() ? diagnosis.raw : diagnosis.code);
    json.key("role");
    json.string(model::to_string(diagnosis.role));
    if (!diagnosis.qualifier.empty()) {
      json.key("qualifier");
      json.string(diagnosis.qualifier);
    }
    if (diagnosis.poa != 0) {
      json.key("poa");
      json.string(std::string(1, diagnosis.poa));
    }
    json.close('}');
  }
  json.close(']');
  json.key("lines");
  json.open('[');
  for (const model::ServiceLine& line : claim.lines) {
    json.open('{');
    json.key("seq");
    json.number(line.seq);
    json.key("procedure");
    json.open('{');
    json.key("system");
    json.string(line.procedure_qualifier);
    json.key("code");
    json.string(line.procedure_code);
    json.key("modifiers");
    json.open('[');
    for (const std::string& modifier : line.modifiers) json.string(modifier);
    json.close(']');
    json.close('}');
    if (!line.revenue_code.empty()) {
      json.key("revenue_code");
      json.string(line.revenue_code);
    }
    json.key("units");
    json.string(line.units);
    json.key("charge");
    json.string(line.charge);
    json.key("service_date");
    json.range(line.service_dates);
    json.key("dx_pointers");
    json.open('[');
    for (const int pointer : line.dx_pointers) json.number(pointer);
    json.close(']');
    if (!line.place_of_service.empty()) {
      json.key("place_of_service");
      json.string(line.place_of_service);
    }
    json.close('}');
  }
  json.close(']');
  json.close('}');
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
  record.claim_json = claim_json_without_phi(claim);
  record.diagnostics = claim.diagnostics;
  return record;
}

namespace {

// A string's heap block (none while it fits the small-string buffer).
std::size_t heap_bytes(const std::string& text) {
  return text.capacity() > 15 ? text.capacity() + 1 : 0;
}

std::size_t diagnostic_bytes(const std::vector<core::Diagnostic>& diagnostics) {
  std::size_t bytes = diagnostics.capacity() * sizeof(core::Diagnostic);
  for (const core::Diagnostic& diagnostic : diagnostics) {
    bytes += heap_bytes(diagnostic.code) + heap_bytes(diagnostic.message) +
             heap_bytes(diagnostic.where.file) + heap_bytes(diagnostic.where.path);
  }
  return bytes;
}

}  // namespace

std::size_t estimated_bytes(const store::ClaimRecord& record) {
  std::size_t bytes = sizeof(store::ClaimRecord) + heap_bytes(record.fingerprint) +
                      heap_bytes(record.claim_key) + heap_bytes(record.billing_provider) +
                      heap_bytes(record.claim_id) + heap_bytes(record.frequency_code) +
                      heap_bytes(record.replaces) + heap_bytes(record.filing_indicator) +
                      heap_bytes(record.payer_id) + heap_bytes(record.interchange_control) +
                      heap_bytes(record.group_control) + heap_bytes(record.transaction_control) +
                      heap_bytes(record.claim_json) + heap_bytes(record.claim_json_zstd) +
                      diagnostic_bytes(record.diagnostics) +
                      record.findings.capacity() * sizeof(model::Finding);
  for (const model::Finding& finding : record.findings) {
    bytes +=
        heap_bytes(finding.rule_id) + heap_bytes(finding.code) +
        heap_bytes(finding.origin.pointer) + heap_bytes(finding.location) +
        heap_bytes(finding.message) + heap_bytes(finding.evidence_json) +
        heap_bytes(finding.predicts) + heap_bytes(finding.fingerprint) +
        heap_bytes(finding.provenance.rule_version) + heap_bytes(finding.provenance.rule_set_hash) +
        heap_bytes(finding.provenance.code_edition) + heap_bytes(finding.provenance.engine_version);
  }
  return bytes;
}

std::string finding_fingerprint(const std::string& claim_fingerprint,
                                const model::Finding& finding) {
  return core::sha256_hex(claim_fingerprint + "\x1f" + finding.rule_id + "\x1f" + finding.code +
                          "\x1f" + std::to_string(finding.diagnosis_seq) + "\x1f" +
                          std::to_string(finding.line_seq));
}

}  // namespace claimaudit::audit
