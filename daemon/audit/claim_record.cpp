#include "audit/claim_record.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/json_text.hpp"
#include "core/sha256.hpp"
#include "store/claim_json_codec.hpp"

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

// Lower-case hex of a digest, as core::to_hex writes it, appended.
void append_hex(std::string& out, const core::Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  char hex[2 * std::tuple_size_v<core::Sha256Digest>];
  for (std::size_t i = 0; i < digest.size(); ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0x0f];
  }
  out.append(hex, sizeof hex);
}

// Decimal, as std::to_string writes it, appended.
void append_number(std::string& out, long long value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, static_cast<std::size_t>(result.ptr - digits));
}

// The claim JSON's bytes, written through a pointer into a buffer that is grown (rarely) before
// each piece instead of appended piece by piece: the fixed parts of the document (keys,
// punctuation) are literals copied whole, and values are checked once for characters that need
// an escape. The text is exactly what core::append_json_string and the key/value layout give.
class JsonOut {
 public:
  explicit JsonOut(std::string& buffer) : buffer_(buffer) {
    if (buffer_.size() < kInitial) buffer_.resize(kInitial);
    next_ = buffer_.data();
    end_ = next_ + buffer_.size();
  }
  // A literal: JSON punctuation and key names, copied as they are.
  template <std::size_t N>
  void literal(const char (&text)[N]) {
    room(N - 1);
    std::memcpy(next_, text, N - 1);
    next_ += N - 1;
  }
  void character(char c) {
    room(1);
    *next_++ = c;
  }
  // A JSON string value, quoted; escaped as core::append_json_string escapes it.
  void string(std::string_view value) {
    for (const char c : value) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
        escaped_.clear();
        core::append_json_string(escaped_, value);
        raw(escaped_);
        return;
      }
    }
    room(value.size() + 2);
    *next_++ = '"';
    std::memcpy(next_, value.data(), value.size());
    next_ += value.size();
    *next_++ = '"';
  }
  void number(long long value) {
    room(24);
    next_ = std::to_chars(next_, end_, value).ptr;
  }
  void date(core::Date value) { string(value.iso()); }
  void date(const std::optional<core::Date>& value) {
    if (value) {
      date(*value);
    } else {
      literal("null");
    }
  }
  void range(const std::optional<model::DateRange>& value) {
    if (!value) {
      literal("null");
      return;
    }
    literal("{\"from\":");
    date(value->from);
    literal(",\"to\":");
    date(value->to);
    character('}');
  }
  // The text written so far (valid until the next write).
  std::string_view text() const {
    return std::string_view(buffer_.data(), static_cast<std::size_t>(next_ - buffer_.data()));
  }

 private:
  static constexpr std::size_t kInitial = 4096;
  void room(std::size_t bytes) {
    if (static_cast<std::size_t>(end_ - next_) < bytes) grow(bytes);
  }
  void grow(std::size_t bytes) {
    const auto used = static_cast<std::size_t>(next_ - buffer_.data());
    buffer_.resize(std::max(2 * buffer_.size(), used + bytes));
    next_ = buffer_.data() + used;
    end_ = buffer_.data() + buffer_.size();
  }
  void raw(std::string_view text) {
    room(text.size());
    std::memcpy(next_, text.data(), text.size());
    next_ += text.size();
  }
  std::string& buffer_;
  char* next_ = nullptr;
  char* end_ = nullptr;
  std::string escaped_;
};

// Writes the claim JSON into `buffer` (its size is only ever grown: a buffer kept per thread
// stops allocating); returns the text.
// One element of "diagnoses".
void write_diagnosis(JsonOut& json, const model::Diagnosis& diagnosis) {
  json.literal("{\"seq\":");
  json.number(diagnosis.seq);
  json.literal(",\"code\":");
  json.string(diagnosis.code.empty() ? diagnosis.raw : diagnosis.code);
  json.literal(",\"role\":");
  json.string(model::to_string(diagnosis.role));
  // Only ICD-9-CM is named (the status socket dots its E codes its own way); absent means
  // ICD-10-CM or unknown, so the JSON of ICD-10 claims stays as it was.
  if (diagnosis.code_system == model::CodeSystem::kIcd9Cm) {
    json.literal(",\"code_system\":\"icd9cm\"");
  }
  if (!diagnosis.qualifier.empty()) {
    json.literal(",\"qualifier\":");
    json.string(diagnosis.qualifier);
  }
  if (diagnosis.poa != 0) {
    json.literal(",\"poa\":");
    json.string(std::string_view(&diagnosis.poa, 1));
  }
  json.character('}');
}

// One element of "lines".
void write_line(JsonOut& json, const model::ServiceLine& line) {
  json.literal("{\"seq\":");
  json.number(line.seq);
  json.literal(",\"procedure\":{\"system\":");
  json.string(line.procedure_qualifier);
  json.literal(",\"code\":");
  json.string(line.procedure_code);
  json.literal(",\"modifiers\":[");
  bool first_modifier = true;
  for (const std::string& modifier : line.modifiers) {
    if (!first_modifier) json.character(',');
    first_modifier = false;
    json.string(modifier);
  }
  json.literal("]}");
  if (!line.revenue_code.empty()) {
    json.literal(",\"revenue_code\":");
    json.string(line.revenue_code);
  }
  json.literal(",\"units\":");
  json.string(line.units);
  json.literal(",\"charge\":");
  json.string(line.charge);
  json.literal(",\"service_date\":");
  json.range(line.service_dates);
  json.literal(",\"dx_pointers\":[");
  bool first_pointer = true;
  for (const int pointer : line.dx_pointers) {
    if (!first_pointer) json.character(',');
    first_pointer = false;
    json.number(pointer);
  }
  json.character(']');
  if (!line.place_of_service.empty()) {
    json.literal(",\"place_of_service\":");
    json.string(line.place_of_service);
  }
  json.character('}');
}

std::string_view write_claim_json(const model::Claim& claim, std::string& buffer) {
  JsonOut json(buffer);
  json.literal("{\"format\":\"claimaudit.claim/1\",\"claim_id\":");
  json.string(claim.claim_id);
  json.literal(",\"kind\":");
  json.string(model::to_string(claim.kind));
  json.literal(",\"use\":");
  json.string(model::to_string(claim.use));
  json.literal(",\"frequency\":");
  json.string(claim.frequency_code);
  json.literal(",\"replaces\":");
  if (claim.replaces.empty()) {
    json.literal("null");
  } else {
    json.string(claim.replaces);
  }
  json.literal(",\"billing_provider\":{\"npi\":");
  json.string(claim.billing_provider.npi);
  json.literal(",\"tax_id\":");
  json.string(claim.billing_provider.tax_id);
  json.literal("},\"payer\":{\"id\":");
  json.string(claim.payer.id);
  json.literal(",\"name\":");
  json.string(claim.payer.name);
  json.literal(",\"program\":");
  json.string(claim.payer.filing_indicator);
  json.literal("},\"payer_kind\":");
  json.string(model::to_string(claim.payer.kind));
  json.literal(",\"patient\":{}");  // PHI: never stored.
  if (!claim.place_of_service.empty()) {
    json.literal(",\"place_of_service\":");
    json.string(claim.place_of_service);
  }
  if (!claim.facility_type.empty()) {
    json.literal(",\"facility_type\":");
    json.string(claim.facility_type);
  }
  json.literal(",\"total_charge\":");
  json.string(claim.total_charge);
  json.literal(",\"onset_date\":");
  json.date(claim.onset_date);
  json.literal(",\"statement_period\":");
  json.range(claim.statement_period);
  if (claim.accident.cause != model::AccidentCause::kNone) {
    json.literal(",\"accident\":{\"cause\":");
    json.string(model::to_string(claim.accident.cause));
    json.literal(",\"date\":");
    json.date(claim.accident.date);
    json.literal(",\"state\":");
    json.string(claim.accident.state);
    json.character('}');
  }
  json.literal(",\"diagnoses\":[");
  bool first = true;
  for (const model::Diagnosis& diagnosis : claim.diagnoses) {
    if (!first) json.character(',');
    first = false;
    write_diagnosis(json, diagnosis);
  }
  json.literal("],\"lines\":[");
  first = true;
  for (const model::ServiceLine& line : claim.lines) {
    if (!first) json.character(',');
    first = false;
    write_line(json, line);
  }
  json.literal("]}");
  return json.text();
}

}  // namespace

std::string claim_fingerprint(const model::Claim& claim) {
  // The hashed text, built in a buffer kept per thread and hashed at once (core::sha256 reuses
  // one digest context per thread): the same bytes as hashing the parts one by one.
  thread_local std::string text;
  text.clear();
  const std::string& provider = claim.billing_provider.npi.empty() ? claim.billing_provider.tax_id
                                                                   : claim.billing_provider.npi;
  text.append(provider);
  text.push_back('\x1f');
  text.append(claim.claim_id);
  text.push_back('\x1f');
  text.append(claim.frequency_code);
  text.push_back('\x1f');
  if (const auto range = date_range(claim)) {
    text.append(range->from.iso());
    text.append("..", 2);
    text.append(range->to.iso());
  }
  text.push_back('\x1f');
  append_hex(text, core::sha256(claim.patient.member_id.reveal()));
  return core::to_hex(core::sha256(text));
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
  std::string buffer;
  return std::string(write_claim_json(claim, buffer));
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
  // The text is written into a buffer kept per thread; the record gets its zstd frame (one block
  // of the frame's size; store/claim_json_codec.hpp), or the text itself when no dictionary is
  // published yet (the store then compresses it).
  thread_local std::string buffer;
  const std::string_view json = write_claim_json(claim, buffer);
  if (!store::compress_claim_json(json, record.claim_json_zstd)) record.claim_json = json;
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
  thread_local std::string text;
  text.clear();
  text.append(claim_fingerprint);
  text.push_back('\x1f');
  text.append(finding.rule_id);
  text.push_back('\x1f');
  text.append(finding.code);
  text.push_back('\x1f');
  append_number(text, finding.diagnosis_seq);
  text.push_back('\x1f');
  append_number(text, finding.line_seq);
  return core::to_hex(core::sha256(text));
}

}  // namespace claimaudit::audit
