#include "formats/x12/claim_builder.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "core/icd10_code.hpp"
#include "formats/detail/procedure_code.hpp"
#include "formats/location.hpp"

namespace claimaudit::formats::x12 {
namespace {

using model::ClaimKind;
using model::DiagnosisRole;

constexpr std::uint32_t tag_code(std::string_view tag) {
  std::uint32_t value = 0;
  for (char c : tag) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

constexpr std::uint32_t kHL = tag_code("HL");
constexpr std::uint32_t kNM1 = tag_code("NM1");
constexpr std::uint32_t kSBR = tag_code("SBR");
constexpr std::uint32_t kDMG = tag_code("DMG");
constexpr std::uint32_t kREF = tag_code("REF");
constexpr std::uint32_t kCLM = tag_code("CLM");
constexpr std::uint32_t kDTP = tag_code("DTP");
constexpr std::uint32_t kHI = tag_code("HI");
constexpr std::uint32_t kLX = tag_code("LX");
constexpr std::uint32_t kSV1 = tag_code("SV1");
constexpr std::uint32_t kSV2 = tag_code("SV2");
constexpr std::uint32_t kNTE = tag_code("NTE");
constexpr std::uint32_t kPWK = tag_code("PWK");
constexpr std::uint32_t kCL1 = tag_code("CL1");
constexpr std::uint32_t kLIN = tag_code("LIN");
constexpr std::uint32_t kSVD = tag_code("SVD");
constexpr std::uint32_t kPAT = tag_code("PAT");
constexpr std::uint32_t kCN1 = tag_code("CN1");
constexpr std::uint32_t kAMT = tag_code("AMT");
constexpr std::uint32_t kK3 = tag_code("K3");
constexpr std::uint32_t kCR1 = tag_code("CR1");
constexpr std::uint32_t kCR2 = tag_code("CR2");
constexpr std::uint32_t kCR3 = tag_code("CR3");
constexpr std::uint32_t kCRC = tag_code("CRC");
constexpr std::uint32_t kHCP = tag_code("HCP");
constexpr std::uint32_t kQTY = tag_code("QTY");
constexpr std::uint32_t kMEA = tag_code("MEA");
constexpr std::uint32_t kPS1 = tag_code("PS1");
constexpr std::uint32_t kSV5 = tag_code("SV5");

// DTP01 qualifiers the 5010 837P and 837I guides place only in loop 2300 (claim dates): onset
// 431, statement 434, admission 435, discharge 096, accident 439, acute manifestation 453, last
// menstrual period 484, disability 314/360/361, last worked 297, return to work 296, assumed and
// relinquished care 090/091, property and casualty first contact 444, repricer received 050.
bool claim_only_date(std::string_view qualifier) {
  if (qualifier.size() != 3) return false;
  switch (tag_code(qualifier)) {
    case tag_code("431"):
    case tag_code("434"):
    case tag_code("435"):
    case tag_code("096"):
    case tag_code("439"):
    case tag_code("453"):
    case tag_code("484"):
    case tag_code("314"):
    case tag_code("360"):
    case tag_code("361"):
    case tag_code("297"):
    case tag_code("296"):
    case tag_code("090"):
    case tag_code("091"):
    case tag_code("444"):
    case tag_code("050"):
      return true;
    default:
      return false;
  }
}

// The segments whose place misplaced() judges; every other one is where it arrives.
bool order_checked(std::uint32_t tag) {
  switch (tag) {
    case kHI:
    case kCL1:
    case kCR1:
    case kCR2:
    case kCR3:
    case kCN1:
    case kK3:
    case kCRC:
    case kPWK:
    case kAMT:
    case kREF:
    case kNTE:
    case kDTP:
    case kHCP:
    case kQTY:
    case kMEA:
    case kPS1:
    case kSV5:
    case kSV1:
    case kSV2:
    case kDMG:
      return true;
    default:
      return false;
  }
}

// A segment's place in loop 2300 as both guides order it (837P has no CL1, 837I no CR1/CR2),
// -1 for CLM and the segments of other loops.
int claim_rank(std::uint32_t tag) {
  switch (tag) {
    case kDTP:
      return 1;
    case kCL1:
      return 2;
    case kPWK:
      return 3;
    case kCN1:
      return 4;
    case kAMT:
      return 5;
    case kREF:
      return 6;
    case kK3:
      return 7;
    case kNTE:
      return 8;
    case kCR1:
      return 9;
    case kCR2:
      return 10;
    case kCRC:
      return 11;
    case kHI:
      return 12;
    case kHCP:
      return 13;
    default:
      return -1;
  }
}

// A segment's place in loop 2400 as the guides order it after LX: 837P SV1, SV5, PWK, CR1, CR3,
// CRC, DTP, QTY, MEA, CN1, REF, AMT, K3, NTE, PS1, HCP; 837I SV2, PWK, DTP, REF, AMT, NTE, HCP
// (the same order, fewer segments). -1 for the segments of other loops.
int line_rank(std::uint32_t tag) {
  // The segments every line has first (a switch over the 17 ids is a search).
  if (tag == kDTP) return 7;
  if (tag == kSV1 || tag == kSV2) return 1;
  switch (tag) {
    case kSV1:
    case kSV2:
      return 1;
    case kSV5:
      return 2;
    case kPWK:
      return 3;
    case kCR1:
      return 4;
    case kCR3:
      return 5;
    case kCRC:
      return 6;
    case kDTP:
      return 7;
    case kQTY:
      return 8;
    case kMEA:
      return 9;
    case kCN1:
      return 10;
    case kREF:
      return 11;
    case kAMT:
      return 12;
    case kK3:
      return 13;
    case kNTE:
      return 14;
    case kPS1:
      return 15;
    case kHCP:
      return 16;
    default:
      return -1;
  }
}

// REF01 qualifiers only loop 2300 carries (claim references: payer claim control number F8,
// clearinghouse trace D9, medical record number EA, authorization exception 4N, Medicare
// section 4081 F5, repriced claim 9A/9C, demonstration project P4, care plan oversight 1J,
// peer review authorization G4). The 2310x provider loops carry 0B, 1G, G2 and LU.
bool claim_only_reference(std::string_view qualifier) {
  if (qualifier.size() != 2) return false;
  switch (tag_code(qualifier)) {
    case tag_code("F8"):
    case tag_code("D9"):
    case tag_code("EA"):
    case tag_code("4N"):
    case tag_code("F5"):
    case tag_code("9A"):
    case tag_code("9C"):
    case tag_code("P4"):
    case tag_code("1J"):
    case tag_code("G4"):
      return true;
    default:
      return false;
  }
}

bool provider_reference(std::string_view qualifier) {
  return qualifier == "0B" || qualifier == "1G" || qualifier == "G2" || qualifier == "LU";
}

bool is_upper_or_digit(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_upper_or_digit(c) || (c >= 'a' && c <= 'z'); }

// A segment id: 2 or 3 upper-case letters or digits, starting with a letter.
bool valid_tag(std::string_view tag) {
  if (tag.size() < 2 || tag.size() > 3) return false;
  if (tag[0] < 'A' || tag[0] > 'Z') return false;
  return std::all_of(tag.begin(), tag.end(), is_upper_or_digit);
}

std::optional<core::Date> parse_date(std::string_view format, std::string_view value) {
  if (format == "D8") return core::parse_d8_date(value);
  if (format == "DT" && value.size() >= 8) return core::parse_d8_date(value.substr(0, 8));
  return std::nullopt;
}

// D8 "CCYYMMDD" (one day) or RD8 "CCYYMMDD-CCYYMMDD".
std::optional<model::DateRange> parse_range(std::string_view format, std::string_view value) {
  if (format == "D8") {
    const auto day = core::parse_d8_date(value);
    if (!day) return std::nullopt;
    return model::DateRange{*day, *day};
  }
  if (format == "RD8") {
    const std::size_t dash = value.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const auto from = core::parse_d8_date(value.substr(0, dash));
    const auto to = core::parse_d8_date(value.substr(dash + 1));
    if (!from || !to || *to < *from) return std::nullopt;
    return model::DateRange{*from, *to};
  }
  return std::nullopt;
}

struct Qualifier {
  enum class Family {
    kDiagnosis,
    kOccurrence,
    kOccurrenceSpan,
    kValue,
    kCondition,
    kProcedure,
    kIgnored,
    kUnknown
  };
  Family family = Family::kUnknown;
  DiagnosisRole role = DiagnosisRole::kOther;  // kProcedure: kPrincipal or kOther.
  model::CodeSystem system = model::CodeSystem::kUnknown;
  model::ProcedureSystem procedure_system = model::ProcedureSystem::kOther;
};

Qualifier classify(std::string_view q) {
  using F = Qualifier::Family;
  using S = model::CodeSystem;
  if (q == "ABK") return {F::kDiagnosis, DiagnosisRole::kPrincipal, S::kIcd10Cm};
  if (q == "ABF") return {F::kDiagnosis, DiagnosisRole::kOther, S::kIcd10Cm};
  if (q == "ABJ") return {F::kDiagnosis, DiagnosisRole::kAdmitting, S::kIcd10Cm};
  if (q == "APR") return {F::kDiagnosis, DiagnosisRole::kReasonForVisit, S::kIcd10Cm};
  if (q == "ABN") return {F::kDiagnosis, DiagnosisRole::kExternalCause, S::kIcd10Cm};
  if (q == "BK") return {F::kDiagnosis, DiagnosisRole::kPrincipal, S::kIcd9Cm};
  if (q == "BF") return {F::kDiagnosis, DiagnosisRole::kOther, S::kIcd9Cm};
  if (q == "BJ") return {F::kDiagnosis, DiagnosisRole::kAdmitting, S::kIcd9Cm};
  if (q == "PR") return {F::kDiagnosis, DiagnosisRole::kReasonForVisit, S::kIcd9Cm};
  if (q == "BN") return {F::kDiagnosis, DiagnosisRole::kExternalCause, S::kIcd9Cm};
  if (q == "BH") return {F::kOccurrence, DiagnosisRole::kOther, S::kUnknown};
  if (q == "BI") return {F::kOccurrenceSpan, DiagnosisRole::kOther, S::kUnknown};
  if (q == "BE") return {F::kValue, DiagnosisRole::kOther, S::kUnknown};
  if (q == "BG") return {F::kCondition, DiagnosisRole::kOther, S::kUnknown};
  // 837I principal procedure: BBR ICD-10-PCS, BR ICD-9-CM, CAH Advanced Billing Concepts;
  // other procedures: BBQ ICD-10-PCS, BQ ICD-9-CM.
  using P = model::ProcedureSystem;
  if (q == "BBR") return {F::kProcedure, DiagnosisRole::kPrincipal, S::kUnknown, P::kIcd10Pcs};
  if (q == "BBQ") return {F::kProcedure, DiagnosisRole::kOther, S::kUnknown, P::kIcd10Pcs};
  if (q == "BR") return {F::kProcedure, DiagnosisRole::kPrincipal, S::kUnknown, P::kIcd9Cm};
  if (q == "BQ") return {F::kProcedure, DiagnosisRole::kOther, S::kUnknown, P::kIcd9Cm};
  if (q == "CAH") return {F::kProcedure, DiagnosisRole::kPrincipal, S::kUnknown, P::kOther};
  // DRG, treatment codes, 4010 HCPCS procedures: not in the model.
  if (q == "DR" || q == "TC" || q == "BP" || q == "BO") {
    return {F::kIgnored, DiagnosisRole::kOther, S::kUnknown};
  }
  return {};
}

// A qualifier written in lower case ("abk"), upper-cased into `out`; empty when `q` has no
// lower-case letter or is longer than any HI qualifier.
std::string_view folded_qualifier(std::string_view q, std::array<char, 3>& out) {
  if (q.size() > out.size() ||
      std::none_of(q.begin(), q.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return {};
  }
  for (std::size_t i = 0; i < q.size(); ++i) {
    out[i] = q[i] >= 'a' && q[i] <= 'z' ? static_cast<char>(q[i] - 'a' + 'A') : q[i];
  }
  return {out.data(), q.size()};
}

// The qualifier's family, reading one in lower case as its upper-case form (add_diagnosis()
// reports it).
Qualifier classify_any_case(std::string_view q) {
  const Qualifier kind = classify(q);
  if (kind.family != Qualifier::Family::kUnknown) return kind;
  std::array<char, 3> buffer{};
  const std::string_view upper = folded_qualifier(q, buffer);
  return upper.empty() ? kind : classify(upper);
}

bool known_hi_qualifier(std::string_view q) {
  return classify_any_case(q).family != Qualifier::Family::kUnknown;
}

// The loop of a provider NM1 by its entity code: 2420x in a line (837I, 837P), 2310x in a claim
// (837I, 837P).
const char* institutional_line_provider_loop(std::string_view entity) {
  if (entity == "72") return "2420A";
  if (entity == "ZZ") return "2420B";
  if (entity == "82") return "2420C";
  if (entity == "DN") return "2420D";
  return "2420";
}

const char* professional_line_provider_loop(std::string_view entity) {
  if (entity == "82") return "2420A";
  if (entity == "QB") return "2420B";
  if (entity == "77") return "2420C";
  if (entity == "DQ") return "2420D";
  if (entity == "DK") return "2420E";
  if (entity == "DN" || entity == "P3") return "2420F";
  if (entity == "PW") return "2420G";
  if (entity == "45") return "2420H";
  return "2420";
}

const char* institutional_claim_provider_loop(std::string_view entity) {
  if (entity == "71") return "2310A";
  if (entity == "72") return "2310B";
  if (entity == "ZZ") return "2310C";
  if (entity == "82") return "2310D";
  if (entity == "77") return "2310E";
  if (entity == "DN") return "2310F";
  return "2310";
}

const char* professional_claim_provider_loop(std::string_view entity) {
  if (entity == "DN" || entity == "P3") return "2310A";
  if (entity == "82") return "2310B";
  if (entity == "77") return "2310C";
  if (entity == "DQ") return "2310D";
  if (entity == "PW") return "2310E";
  if (entity == "45") return "2310F";
  return "2310";
}

const char* provider_loop(ClaimKind kind, std::string_view entity, bool line) {
  const bool institutional = kind == ClaimKind::kInstitutional;
  if (line) {
    return institutional ? institutional_line_provider_loop(entity)
                         : professional_line_provider_loop(entity);
  }
  return institutional ? institutional_claim_provider_loop(entity)
                       : professional_claim_provider_loop(entity);
}

const char* other_payer_loop(ClaimKind kind, std::string_view entity) {
  if (entity == "IL") return "2330A";
  if (entity == "PR") return "2330B";
  if (kind == ClaimKind::kInstitutional) {
    if (entity == "71") return "2330C";
    if (entity == "72") return "2330D";
    if (entity == "ZZ") return "2330E";
    if (entity == "77") return "2330F";
    if (entity == "82") return "2330G";
    if (entity == "DN") return "2330H";
    if (entity == "85") return "2330I";
    return "2330";
  }
  if (entity == "DN" || entity == "P3") return "2330C";
  if (entity == "82") return "2330D";
  if (entity == "77") return "2330E";
  if (entity == "DQ") return "2330F";
  if (entity == "85") return "2330G";
  return "2330";
}

// A bounded, printable copy of a code value for messages (never used for PHI fields).
std::string printable(std::string_view value) {
  std::string out;
  for (char c : value.substr(0, 12)) out += (c > 0x20 && c < 0x7f) ? c : '?';
  if (value.size() > 12) out += "...";
  return out;
}

std::uint64_t parse_uint(std::string_view text) {
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return 0;
  return value;
}

}  // namespace

model::ClaimKind kind_from_guide(std::string_view guide) {
  if (guide.substr(0, 10) == "005010X222") return ClaimKind::kProfessional;
  if (guide.substr(0, 10) == "005010X223") return ClaimKind::kInstitutional;
  return ClaimKind::kUnknown;
}

ClaimBuilder::ClaimBuilder(std::string file_name, const ReadOptions& options)
    : file_name_(std::move(file_name)), options_(options) {}

void ClaimBuilder::begin(const TransactionContext& context, model::Batch& batch,
                         ComponentSeparator& separator) {
  context_ = context;
  batch_ = &batch;
  separator_ = &separator;
  component_ = separator.effective;
  scope_ = Scope::kHeader;
  loop_ = nullptr;
  previous_hl_ = 0;
  hl_sequence_reported_ = false;
  hl_parent_reported_ = false;
  provider_ = {};
  subscriber_ = {};
  patient_ = {};
  unknown_ = {};
  has_claim_ = false;
}

model::Origin ClaimBuilder::origin(const Segment& segment, int element, int component) const {
  model::Origin o;
  o.segment = segment.index();
  o.byte_offset = static_cast<std::uint32_t>(segment.offset());
  o.element = static_cast<std::uint16_t>(element);
  o.component = static_cast<std::uint16_t>(component);
  const std::string_view tag = segment.tag();
  std::memcpy(o.tag.data(), tag.data(), std::min<std::size_t>(tag.size(), 3));
  o.loop = loop_;
  return o;
}

core::Diagnostic ClaimBuilder::make_diagnostic(core::Severity severity, std::string_view code,
                                               const model::Origin& where,
                                               std::string message) const {
  core::Diagnostic diagnostic;
  diagnostic.severity = severity;
  diagnostic.code = std::string(code);
  diagnostic.where.file = file_name_;
  diagnostic.where.path = render_origin(where, context_.transaction_control);
  diagnostic.message = std::move(message);
  return diagnostic;
}

void ClaimBuilder::claim_diagnostic(core::Severity severity, std::string_view code,
                                    const model::Origin& where, std::string message) {
  if (!has_claim_) {
    batch_diagnostic(severity, code, where, std::move(message));
    return;
  }
  claim().diagnostics.push_back(make_diagnostic(severity, code, where, std::move(message)));
}

void ClaimBuilder::batch_diagnostic(core::Severity severity, std::string_view code,
                                    const model::Origin& where, std::string message) {
  batch_->diagnostics.push_back(make_diagnostic(severity, code, where, std::move(message)));
}

void ClaimBuilder::settle_separator(const Segment& segment, int element) {
  if (separator_->settled) return;
  const std::string_view value = segment.element(element);
  if (value.empty()) return;
  if (value.find(separator_->declared) != std::string_view::npos) {
    separator_->settled = true;
    separator_->effective = separator_->declared;
    component_ = separator_->effective;
    return;
  }
  for (char c : value) {
    if (is_alnum(c) || c == ' ' || c == '.' || c == '-') continue;
    separator_->settled = true;
    separator_->effective = c;
    component_ = c;
    batch_diagnostic(core::Severity::kWarning, "W-X12-COMPONENT-SEPARATOR",
                     origin(segment, element),
                     std::string("ISA16 declares '") + separator_->declared +
                         "' as the component separator, but the composites are written with '" + c +
                         "'; read with '" + c + "'");
    return;
  }
}

std::string_view ClaimBuilder::single(const Segment& segment, int element) {
  const std::string_view value = segment.element(element);
  const char repetition = separator_->repetition;
  if (repetition == 0 || repetition == component_) return value;
  const std::size_t at = value.find(repetition);
  if (at == std::string_view::npos) return value;
  model::Origin where = origin(segment, element);
  where.repetition = 2;
  const auto code = static_cast<unsigned char>(repetition);
  char shown[8];
  if (code > 0x20 && code < 0x7f) {
    std::snprintf(shown, sizeof shown, "'%c'", repetition);
  } else {
    std::snprintf(shown, sizeof shown, "0x%02X", static_cast<unsigned>(code));
  }
  claim_diagnostic(core::Severity::kWarning, "W-X12-REPETITION", where,
                   render_element(segment.tag(), element) + " holds the repetition separator " +
                       shown + " (ISA11), but " + render_element(segment.tag(), element) +
                       " does not repeat in the 5010 837 guides: the first repetition is read, "
                       "the rest ignored");
  return value.substr(0, at);
}

void ClaimBuilder::report_segment_id(const Segment& segment) {
  const std::string_view tag = segment.tag();
  const bool printable =
      tag.size() <= 4 && std::all_of(tag.begin(), tag.end(), is_alnum) && !tag.empty();
  model::Origin where = origin(segment, 0);
  where.tag = {};
  // An HI in lower case holds diagnoses: say that they are not read.
  const bool diagnoses =
      tag.size() == 2 && (tag[0] == 'h' || tag[0] == 'H') && (tag[1] == 'i' || tag[1] == 'I');
  claim_diagnostic(core::Severity::kWarning, "W-X12-SEGMENT-ID", where,
                   printable ? "segment id '" + std::string(tag) +
                                   "' is not 2-3 upper-case letters or digits; segment skipped" +
                                   (diagnoses ? " (the diagnosis codes it holds are not read)" : "")
                             : std::string("segment without a valid segment id; skipped"));
}

void ClaimBuilder::add(const Segment& segment) {
  const std::string_view tag = segment.tag();
  if (!valid_tag(tag)) {
    report_segment_id(segment);
    return;
  }
  const std::uint32_t code = tag_code(tag);
  // Every segment whose order inside loop 2300 or 2400 is checked is one misplaced() judges.
  const bool checked = order_checked(code);
  const Home home = checked ? misplaced(segment, code) : Home::kInPlace;
  if (home == Home::kInPlace) {
    if (checked && has_claim_) {
      if (scope_ == Scope::kClaim) {
        check_claim_order(segment, code);
      } else if (scope_ == Scope::kLine) {
        // The common case inline: a segment at or after the line's latest place.
        const int rank = line_rank(code);
        if (rank >= line_rank_) {
          line_rank_ = rank;
        } else if (rank >= 0) {
          check_line_order(segment, code, rank);
        }
      }
    }
    dispatch(segment, code);
    return;
  }
  report_misplaced(segment, home);
  if (home == Home::kBeforeClaim || home == Home::kDemographics) return;
  // Read where the guides put it, then go on in the loop it interrupted.
  const Scope scope = scope_;
  const char* loop = loop_;
  scope_ = home == Home::kClaim ? Scope::kClaim : Scope::kLine;
  loop_ = home == Home::kClaim ? "2300" : "2400";
  dispatch(segment, code);
  scope_ = scope;
  loop_ = loop;
}

void ClaimBuilder::check_claim_order(const Segment& segment, std::uint32_t tag) {
  static constexpr std::string_view kOrder[] = {"CLM", "DTP", "CL1", "PWK", "CN1", "AMT", "REF",
                                                "K3",  "NTE", "CR1", "CR2", "CRC", "HI",  "HCP"};
  const int rank = claim_rank(tag);
  if (rank < 0) return;
  if (rank >= claim_rank_) {
    claim_rank_ = rank;
    return;
  }
  model::Origin where = origin(segment, 0);
  claim_diagnostic(core::Severity::kWarning, "W-X12-SEGMENT-ORDER", where,
                   std::string(segment.tag()) + " arrives after " +
                       std::string(kOrder[claim_rank_]) +
                       " in loop 2300, which the guides order CLM, DTP, CL1, PWK, CN1, AMT, REF, "
                       "K3, NTE, CR1, CR2, CRC, HI, HCP; read as the claim's");
}

void ClaimBuilder::check_line_order(const Segment& segment, std::uint32_t tag, int rank) {
  static constexpr std::string_view kOrder[] = {"LX",  "SV1/SV2", "SV5", "PWK", "CR1", "CR3",
                                                "CRC", "DTP",     "QTY", "MEA", "CN1", "REF",
                                                "AMT", "K3",      "NTE", "PS1", "HCP"};
  // An SV1/SV2 after the line's service segment starts a new line (W-X12-MISSING-SEGMENT).
  if ((tag == kSV1 || tag == kSV2) && line_has_service_) {
    line_rank_ = rank;
    return;
  }
  claim_diagnostic(core::Severity::kWarning, "W-X12-SEGMENT-ORDER", origin(segment, 0),
                   std::string(segment.tag()) + " arrives after " +
                       std::string(kOrder[line_rank_]) +
                       " in loop 2400, which the guides order LX, SV1/SV2, SV5, PWK, CR1, CR3, "
                       "CRC, DTP, QTY, MEA, CN1, REF, AMT, K3, NTE, PS1, HCP; read as the line's");
}

namespace {

// Segments of loop 2300 in every loop after it (2310x, 2320/2330x, 2400 and below) in both
// guides: HI, CL1 (837I), CR2 (837P); in 837I also CN1, K3, CRC and CR1, which only the 837P
// repeats in 2400.
inline bool claim_loop_tag(std::uint32_t tag, bool institutional) {
  return tag == kHI || tag == kCL1 || tag == kCR2 ||
         (institutional && (tag == kCN1 || tag == kK3 || tag == kCRC || tag == kCR1));
}

// Segments 2300 shares with 2400 (837P: PWK CN1 AMT REF K3 NTE CR1 CRC DTP HCP).
inline bool shared_claim_line_tag(std::uint32_t tag) {
  return tag == kPWK || tag == kCN1 || tag == kAMT || tag == kREF || tag == kK3 || tag == kNTE ||
         tag == kCR1 || tag == kCRC || tag == kDTP || tag == kHCP;
}

// 2400 REFs (line item control number 6R, repricing 9B/9D, prior authorization G1, referral
// 9F, mammography EW, CLIA X4/F4, immunization batch BT); 2410/2420 use XZ VY 0B 1G G2 LU.
inline bool line_reference(std::string_view qualifier) {
  return qualifier == "6R" || qualifier == "9B" || qualifier == "9D" || qualifier == "G1" ||
         qualifier == "9F" || qualifier == "EW" || qualifier == "X4" || qualifier == "F4" ||
         qualifier == "BT";
}

// Segments of loop 2400 that its 2410-2440 loops do not carry.
inline bool line_loop_tag(std::uint32_t tag) {
  return tag == kPWK || tag == kCN1 || tag == kK3 || tag == kNTE || tag == kCR1 || tag == kCR3 ||
         tag == kCRC || tag == kHCP || tag == kQTY || tag == kMEA || tag == kPS1 || tag == kSV5;
}

}  // namespace

ClaimBuilder::Home ClaimBuilder::misplaced(const Segment& segment, std::uint32_t tag) const {
  // The common cases first: any of them in loop 2300, a line's own service segment.
  if (!has_claim_ && (tag == kDMG || tag == kREF)) return Home::kInPlace;  // 2010x loops.
  const bool in_claim = has_claim_ && tag != kDMG;
  if (in_claim && scope_ == Scope::kClaim) return Home::kInPlace;
  if (in_claim && scope_ == Scope::kLine) {
    if (tag == kSV1 || tag == kSV2) return Home::kInPlace;
    if (tag == kDTP) return claim_only_date(segment.element(1)) ? Home::kClaim : Home::kInPlace;
    if (tag == kREF) {
      return claim_only_reference(segment.element(1)) ? Home::kClaim : Home::kInPlace;
    }
  }
  const std::string_view qualifier = segment.element(1);
  const bool claim_tag = claim_loop_tag(tag, context_.guide_kind == ClaimKind::kInstitutional);
  const bool shared_tag = shared_claim_line_tag(tag);
  if (!has_claim_) return home_before_claim(tag, claim_tag, shared_tag);
  return home_in_claim(tag, qualifier, claim_tag, shared_tag);
}

ClaimBuilder::Home ClaimBuilder::home_in_claim(std::uint32_t tag, std::string_view qualifier,
                                               bool claim_tag, bool shared_tag) const {
  if (tag == kDMG && scope_ != Scope::kOtherSubscriber && scope_ != Scope::kSubscriber &&
      scope_ != Scope::kPatient) {
    return Home::kDemographics;
  }
  switch (scope_) {
    case Scope::kHeader:
    case Scope::kProvider:
    case Scope::kSubscriber:
    case Scope::kPatient:
    case Scope::kClaim:
      return Home::kInPlace;
    case Scope::kClaimProvider:
      // 2310x: NM1 PRV N3 N4 and REF with a provider id qualifier.
      if (tag == kREF) return provider_reference(qualifier) ? Home::kInPlace : Home::kClaim;
      return claim_tag || shared_tag ? Home::kClaim : Home::kInPlace;
    case Scope::kOtherSubscriber:
      // 2320: SBR CAS AMT OI MIA MOA; 2330x: NM1 N3 N4 PER REF and DTP*573 (2330B).
      if (tag == kDTP) return qualifier == "573" ? Home::kInPlace : Home::kClaim;
      if (tag == kAMT || tag == kREF) return Home::kInPlace;
      return claim_tag || shared_tag ? Home::kClaim : Home::kInPlace;
    case Scope::kLine:
    case Scope::kLineNested:
      break;
  }
  return home_after_line(tag, qualifier, claim_tag);
}

ClaimBuilder::Home ClaimBuilder::home_before_claim(std::uint32_t tag, bool claim_tag,
                                                   bool shared_tag) const {
  // Between an HL and its first CLM (2000x/2010x loops carry none of these, but REF): whose
  // claim it is cannot be told, so it is reported and not read.
  const bool before = scope_ == Scope::kProvider || scope_ == Scope::kSubscriber ||
                      scope_ == Scope::kPatient || (scope_ == Scope::kHeader && !unknown_.open);
  return before && (claim_tag || (shared_tag && tag != kREF)) ? Home::kBeforeClaim : Home::kInPlace;
}

ClaimBuilder::Home ClaimBuilder::home_after_line(std::uint32_t tag, std::string_view qualifier,
                                                 bool claim_tag) const {
  if (claim_tag) return Home::kClaim;
  if (tag == kDTP && claim_only_date(qualifier)) return Home::kClaim;
  if (tag == kREF && claim_only_reference(qualifier)) return Home::kClaim;
  if (scope_ == Scope::kLine) return Home::kInPlace;
  // 2410 LIN CTP REF; 2420x NM1 PRV N3 N4 REF; 2430 SVD CAS DTP*573 AMT; 2440 LQ FRM. A 2400
  // segment after them belongs to the line they are part of.
  if (tag == kDTP) return qualifier == "573" ? Home::kInPlace : Home::kLine;
  if (tag == kREF) return line_reference(qualifier) ? Home::kLine : Home::kInPlace;
  if ((tag == kSV1 || tag == kSV2) && has_line_ && !line_has_service_) return Home::kLine;
  return line_loop_tag(tag) ? Home::kLine : Home::kInPlace;
}

void ClaimBuilder::report_misplaced(const Segment& segment, Home home) {
  const std::string_view tag = segment.tag();
  std::string name(tag);
  if (tag == "DTP" || tag == "REF" || tag == "AMT" || tag == "NTE") {
    name += '*';
    name += printable(segment.element(1).substr(0, 3));
  }
  // Where the segment arrives: a loop, or the header before the first HL (no loop id yet).
  const std::string here =
      loop_ != nullptr ? "loop " + std::string(loop_) : std::string("the header (before any HL)");
  model::Origin where = origin(segment, 0);
  if (home == Home::kDemographics) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-SEGMENT-ORDER", where,
                     "DMG belongs to loop 2010BA or 2010CA (subscriber or patient demographics), "
                     "but arrives in " +
                         here +
                         ", after the CLM: whose birth date and sex it gives cannot be told; not "
                         "read");
    return;
  }
  if (home == Home::kBeforeClaim) {
    batch_diagnostic(core::Severity::kWarning, "W-X12-SEGMENT-ORDER", where,
                     name + " is a claim segment (loop 2300), but arrives in " + here +
                         " before any CLM: which claim it belongs to cannot be told; not read");
    return;
  }
  const bool claim = home == Home::kClaim;
  where.loop = claim ? "2300" : "2400";
  // What the reader does with it there (the audit reads HI, CL1, DTP, REF*F8, NTE, PWK, SV1
  // and SV2; the other segments are not read in any position).
  const std::uint32_t code = tag_code(tag);
  const std::string_view qualifier = segment.element(1);
  const bool read_date = claim ? qualifier == "472" || qualifier == "434" || qualifier == "431" ||
                                     qualifier == "439" || qualifier == "435"
                               : qualifier == "472";
  const bool read = code == kHI || code == kCL1 || code == kNTE || code == kPWK || code == kSV1 ||
                    code == kSV2 || (code == kDTP && read_date) ||
                    (code == kREF && qualifier == (claim ? "F8" : "6R"));
  claim_diagnostic(
      core::Severity::kWarning, "W-X12-SEGMENT-ORDER", where,
      name + " belongs to loop " + (claim ? "2300 (claim information)" : "2400 (service line)") +
          ", but arrives after " + here +
          (claim ? ": the guides put the claim's segments before its 2310-2330 and 2400 loops"
                 : ": the guides put the line's segments before its 2410-2430 loops") +
          (read ? claim ? "; read as the claim's" : "; read as the line's"
                : "; not read (the audit does not use it in any position)"));
}

void ClaimBuilder::dispatch(const Segment& segment, std::uint32_t tag) {
  switch (tag) {
    case kHL:
      on_hl(segment);
      return;
    case kNM1:
      on_nm1(segment);
      return;
    case kSBR:
      on_sbr(segment);
      return;
    case kDMG:
      on_dmg(segment);
      return;
    case kREF:
      on_ref(segment);
      return;
    case kCLM:
      on_clm(segment);
      return;
    case kDTP:
      on_dtp(segment);
      return;
    case kHI:
      on_hi(segment);
      return;
    case kLX:
      on_lx(segment);
      return;
    case kSV1:
      on_sv1(segment);
      return;
    case kSV2:
      on_sv2(segment);
      return;
    case kNTE:
      on_nte(segment);
      return;
    case kCL1:
      on_cl1(segment);
      return;
    case kPWK:
      if (has_claim_ && (scope_ == Scope::kClaim || scope_ == Scope::kLine)) {
        claim().has_attachment = true;
      }
      return;
    case kLIN:
      if (scope_ == Scope::kLine || scope_ == Scope::kLineNested) {
        scope_ = Scope::kLineNested;
        loop_ = "2410";
      }
      return;
    case kSVD:
      if (scope_ == Scope::kLine || scope_ == Scope::kLineNested) {
        scope_ = Scope::kLineNested;
        loop_ = "2430";
      }
      return;
    case kPAT:  // Not read (yet): like every segment the claim does not read.
    default:
      return;
  }
}

void ClaimBuilder::on_hl(const Segment& segment) {
  finish_claim(false);
  const std::string_view id = segment.element(1);
  const std::string_view parent = segment.element(2);
  const std::string_view level = segment.element(3);
  loop_ = level == "20" ? "2000A" : level == "22" ? "2000B" : level == "23" ? "2000C" : nullptr;
  check_hl_number(segment, id);
  // The level an unreadable HL stood for is unknown: a child of it has no known parent level.
  const bool under_unknown = !unknown_.hl_id.empty() && parent == unknown_.hl_id;
  if (level == "20" || level == "22" || level == "23") unknown_.open = false;
  if (level == "20") {
    enter_provider_level(segment, id, parent);
  } else if (level == "22") {
    enter_subscriber_level(segment, id, parent, under_unknown);
  } else if (level == "23") {
    enter_patient_level(segment, id, parent, under_unknown);
  } else {
    enter_unknown_level(segment, id, parent, level);
  }
}

void ClaimBuilder::check_hl_number(const Segment& segment, std::string_view id) {
  const std::uint64_t number = parse_uint(id);
  if (number == 0) {
    batch_diagnostic(core::Severity::kWarning, "W-X12-HL", origin(segment, 1),
                     "HL01 (hierarchical id) is missing or not a number");
  } else if (number != previous_hl_ + 1 && !hl_sequence_reported_) {
    hl_sequence_reported_ = true;
    batch_diagnostic(core::Severity::kWarning, "W-X12-HL", origin(segment, 1),
                     "HL01 is " + std::string(id) + " after HL " + std::to_string(previous_hl_) +
                         "; HL ids must count 1, 2, 3 ... (reported once per transaction set)");
  }
  if (number != 0) previous_hl_ = number;
}

void ClaimBuilder::enter_provider_level(const Segment& segment, std::string_view id,
                                        std::string_view parent) {
  unknown_ = {};
  scope_ = Scope::kProvider;
  provider_ = {};
  provider_.present = true;
  provider_.hl_id.assign(id);
  subscriber_ = {};
  patient_ = {};
  if (!parent.empty()) {
    batch_diagnostic(core::Severity::kWarning, "W-X12-HL", origin(segment, 2),
                     "HL02 must be empty on a billing provider level (HL03 20)");
  }
}

void ClaimBuilder::enter_subscriber_level(const Segment& segment, std::string_view id,
                                          std::string_view parent, bool under_unknown) {
  if (under_unknown) provider_ = {};
  scope_ = Scope::kSubscriber;
  subscriber_ = {};
  subscriber_.present = true;
  subscriber_.hl_id.assign(id);
  patient_ = {};
  if (!provider_.present) {
    batch_diagnostic(core::Severity::kWarning, "W-X12-HL", origin(segment, 3),
                     "subscriber level (HL03 22) without a billing provider level (HL03 20)");
  } else if (parent != provider_.hl_id && !hl_parent_reported_) {
    hl_parent_reported_ = true;
    batch_diagnostic(core::Severity::kWarning, "W-X12-HL", origin(segment, 2),
                     "HL02 parent " + printable(parent) +
                         " is not the billing provider level above (HL " + provider_.hl_id +
                         "); read as its child (reported once per transaction set)");
  }
}

void ClaimBuilder::enter_patient_level(const Segment& segment, std::string_view id,
                                       std::string_view parent, bool under_unknown) {
  if (under_unknown) subscriber_ = {};
  scope_ = Scope::kPatient;
  patient_ = {};
  patient_.present = true;
  patient_.hl_id.assign(id);
  if (!subscriber_.present) {
    batch_diagnostic(core::Severity::kWarning, "W-X12-HL", origin(segment, 3),
                     "patient level (HL03 23) without a subscriber level (HL03 22)");
  } else if (parent != subscriber_.hl_id && !hl_parent_reported_) {
    hl_parent_reported_ = true;
    batch_diagnostic(core::Severity::kWarning, "W-X12-HL", origin(segment, 2),
                     "HL02 parent " + printable(parent) +
                         " is not the subscriber level above (HL " + subscriber_.hl_id +
                         "); read as its child (reported once per transaction set)");
  }
}

void ClaimBuilder::enter_unknown_level(const Segment& segment, std::string_view id,
                                       std::string_view parent, std::string_view level) {
  // An unknown level: its segments belong to no claim until the next HL. Whatever it stood
  // for, a claim right under it must not take the member id, demographics or payer of the
  // subscriber and patient read before it; without a parent it was a top level, so neither
  // does the billing provider apply. The levels themselves stay for the siblings that follow.
  scope_ = Scope::kHeader;
  unknown_.open = true;
  unknown_.has_parent = !parent.empty();
  unknown_.hl_id.assign(id);
  batch_diagnostic(core::Severity::kWarning, "W-X12-HL", origin(segment, 3),
                   level.empty() ? std::string("HL03 (level code) is missing; level ignored")
                                 : "HL03 level code '" + std::string(level) +
                                       "' is not 20, 22 or 23; level ignored");
}

void ClaimBuilder::on_nm1(const Segment& segment) {
  const std::string_view entity = segment.element(1);
  switch (scope_) {
    case Scope::kHeader:
      loop_ = entity == "41" ? "1000A" : entity == "40" ? "1000B" : loop_;
      return;
    case Scope::kProvider:
      on_provider_nm1(segment, entity);
      return;
    case Scope::kSubscriber:
      on_subscriber_nm1(segment, entity);
      return;
    case Scope::kPatient:
      if (entity == "QC") {
        loop_ = "2010CA";
        patient_.demographics.last_name.reveal_mutable().assign(segment.element(3));
        patient_.demographics.first_name.reveal_mutable().assign(segment.element(4));
      }
      return;
    case Scope::kClaim:
    case Scope::kClaimProvider:
      scope_ = Scope::kClaimProvider;
      loop_ = provider_loop(context_.guide_kind, entity, false);
      return;
    case Scope::kOtherSubscriber:
      loop_ = other_payer_loop(context_.guide_kind, entity);
      return;
    case Scope::kLine:
    case Scope::kLineNested:
      scope_ = Scope::kLineNested;
      loop_ = provider_loop(context_.guide_kind, entity, true);
      return;
  }
}

void ClaimBuilder::on_provider_nm1(const Segment& segment, std::string_view entity) {
  if (entity == "85") {
    loop_ = "2010AA";
    if (provider_.has_name) {
      batch_diagnostic(core::Severity::kWarning, "W-X12-REPEATED-LOOP", origin(segment, 1),
                       "a second billing provider name (NM1*85, loop 2010AA) in HL " +
                           provider_.hl_id + "; the first is used");
      loop_ = "2010AA";
      return;
    }
    provider_.has_name = true;
    if (segment.element(8) == "XX") {
      provider_.provider.npi.assign(segment.element(9));
      provider_.provider.origin = origin(segment, 9);
    } else {
      provider_.provider.origin = origin(segment, 0);
    }
    return;
  }
  if (entity == "87") {
    loop_ = "2010AB";
    return;
  }
  if (entity == "PE") {
    loop_ = "2010AC";
    return;
  }
  loop_ = "2010A";
  batch_diagnostic(core::Severity::kWarning, "W-X12-ENTITY-CODE", origin(segment, 1),
                   "NM101 '" + std::string(entity.substr(0, 3)) +
                       "' is not a billing provider loop entity (85, 87 or PE)");
}

void ClaimBuilder::on_subscriber_nm1(const Segment& segment, std::string_view entity) {
  if (entity == "IL") {
    loop_ = "2010BA";
    subscriber_.has_name = true;
    subscriber_.member_id.reveal_mutable().assign(segment.element(9));
    subscriber_.demographics.last_name.reveal_mutable().assign(segment.element(3));
    subscriber_.demographics.first_name.reveal_mutable().assign(segment.element(4));
    return;
  }
  if (entity == "PR") {
    loop_ = "2010BB";
    subscriber_.has_payer = true;
    subscriber_.payer.id.assign(segment.element(9));
    subscriber_.payer.name.assign(segment.element(3));
    if (!subscriber_.has_sbr) subscriber_.payer.origin = origin(segment, 9);
  }
}

void ClaimBuilder::on_sbr(const Segment& segment) {
  if (scope_ == Scope::kSubscriber) {
    loop_ = "2000B";
    subscriber_.has_sbr = true;
    subscriber_.relationship.assign(segment.element(2));
    subscriber_.relationship_origin = origin(segment, 2);
    subscriber_.payer.filing_indicator.assign(segment.element(9));
    subscriber_.payer.kind = model::payer_kind_from_filing_indicator(segment.element(9));
    subscriber_.payer.origin = origin(segment, 9);
    if (segment.element(9).empty()) {
      batch_diagnostic(core::Severity::kWarning, "W-X12-MISSING-ELEMENT", origin(segment, 9),
                       "SBR09 (claim filing indicator) is missing; payer kind unknown");
    }
    return;
  }
  if (has_claim_) {
    scope_ = Scope::kOtherSubscriber;
    loop_ = "2320";
  }
}

void ClaimBuilder::on_dmg(const Segment& segment) {
  Demographics* target = nullptr;
  if (scope_ == Scope::kSubscriber && loop_ != nullptr && std::strcmp(loop_, "2010BA") == 0) {
    target = &subscriber_.demographics;
  } else if (scope_ == Scope::kPatient) {
    target = &patient_.demographics;
  }
  if (target == nullptr) return;
  target->origin = origin(segment, 2);
  const std::string_view format = segment.element(1);
  const std::string_view value = segment.element(2);
  if (!value.empty()) {
    const auto date = format == "D8" ? core::parse_d8_date(value) : std::nullopt;
    if (date) {
      target->birth_date = core::Phi<std::optional<core::Date>>(date);
    } else {
      batch_diagnostic(core::Severity::kWarning, "W-X12-DATE", origin(segment, 2),
                       "DMG02 birth date is not a D8 date (CCYYMMDD)");
    }
  }
  const std::string_view sex = segment.element(3);
  if (sex.size() == 1) target->sex = core::Phi<char>(sex[0]);
}

void ClaimBuilder::on_ref(const Segment& segment) {
  const std::string_view qualifier = segment.element(1);
  if (scope_ == Scope::kProvider) {
    if (qualifier == "EI" && loop_ != nullptr && std::strcmp(loop_, "2010AA") == 0 &&
        provider_.provider.tax_id.empty()) {
      provider_.provider.tax_id.assign(segment.element(2));
      if (provider_.provider.npi.empty()) provider_.provider.origin = origin(segment, 2);
    }
    return;
  }
  if (!has_claim_) return;
  if (scope_ == Scope::kClaim) {
    if (qualifier == "F8") claim().replaces.assign(segment.element(2));
    return;
  }
  if (scope_ == Scope::kLine && has_line_ && qualifier == "6R") {
    claim().lines.back().control_number.assign(segment.element(2));
  }
}

void ClaimBuilder::on_clm(const Segment& segment) {
  finish_claim(false);
  // Outside a subscriber or patient level: every claim there, not only the first.
  const bool outside = unknown_.open || (!subscriber_.present && !patient_.present);
  loop_ = "2300";
  scope_ = Scope::kClaim;
  model::Claim& c = batch_->claims.emplace_back();
  reuse(spares_.diagnoses, c.diagnoses);
  reuse(spares_.lines, c.lines);
  reset_claim_state();
  c.claim_id.assign(segment.element(1));
  c.total_charge.assign(segment.element(2));
  c.origin = origin(segment, 0);
  take_levels(segment, outside, c);
  read_clm05(segment, c);
  read_clm11(segment, c);
}

void ClaimBuilder::reset_claim_state() {
  has_claim_ = true;
  has_line_ = false;
  line_number_reported_ = false;
  line_has_service_ = false;
  line_has_date_ = false;
  has_hi_ = has_sv1_ = has_sv2_ = has_cl1_ = has_statement_ = false;
  dx_slots_ = 0;
  claim_rank_ = 0;
  line_rank_ = 0;
  claim_service_dates_.reset();
  reversed_statement_ = 0;
  facility_code_.clear();
}

void ClaimBuilder::take_levels(const Segment& segment, bool outside, model::Claim& c) {
  static const ProviderLevel kNoProvider;
  static const SubscriberLevel kNoSubscriber;
  static const PatientLevel kNoPatient;
  const ProviderLevel& provider_level =
      unknown_.open && !unknown_.has_parent ? kNoProvider : provider_;
  const SubscriberLevel& subscriber_level = unknown_.open ? kNoSubscriber : subscriber_;
  const PatientLevel& patient_level = unknown_.open ? kNoPatient : patient_;
  c.billing_provider = provider_level.provider;
  c.payer = subscriber_level.payer;
  c.patient.member_id = subscriber_level.member_id;
  // A claim right under 2000B is the subscriber's own, but an SBR02 other than 18 (a 4010-style
  // relationship code: 01 spouse, 19 child ...) says the patient is someone else, whose level
  // (2000C) is missing: the subscriber's name, birth date and sex are not the patient's, so
  // age and sex edits must not run on them. An empty SBR02 (every imsweb sample) is read as
  // the HL structure says: the subscriber is the patient.
  static const Demographics kNobody;
  const bool other_patient = !patient_level.present && subscriber_level.present &&
                             !subscriber_level.relationship.empty() &&
                             subscriber_level.relationship != "18";
  const Demographics& who = patient_level.present ? patient_level.demographics
                            : other_patient       ? kNobody
                                                  : subscriber_level.demographics;
  c.patient.last_name = who.last_name;
  c.patient.first_name = who.first_name;
  c.patient.birth_date = who.birth_date;
  c.patient.sex = who.sex;
  c.patient.origin = who.origin;
  c.envelope.interchange_control = context_.interchange_control;
  c.envelope.group_control = context_.group_control;
  c.envelope.transaction_control = context_.transaction_control;
  c.envelope.guide = context_.guide;
  c.envelope.hl_path = provider_level.hl_id;
  c.envelope.hl_path += '/';
  c.envelope.hl_path += subscriber_level.hl_id;
  if (patient_level.present) {
    c.envelope.hl_path += '/';
    c.envelope.hl_path += patient_level.hl_id;
  }
  c.envelope.position = position_;
  c.kind = context_.guide_kind;

  // Missing parts of the hierarchy above the claim.
  if (outside) {
    claim_diagnostic(core::Severity::kError, "E-X12-LOOP", origin(segment, 0),
                     "CLM outside a subscriber or patient level (HL03 22 or 23)");
  }
  if (!provider_level.has_name) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-SEGMENT", origin(segment, 0),
                     "no billing provider name (NM1*85, loop 2010AA) above this claim");
  }
  if (subscriber_level.present && !subscriber_level.has_sbr) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-SEGMENT", origin(segment, 0),
                     "no subscriber information (SBR, loop 2000B) above this claim");
  }
  if (subscriber_level.present && !subscriber_level.has_name) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-SEGMENT", origin(segment, 0),
                     "no subscriber name (NM1*IL, loop 2010BA) above this claim");
  }
  if (subscriber_level.present && !subscriber_level.has_payer) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-SEGMENT", origin(segment, 0),
                     "no payer name (NM1*PR, loop 2010BB) above this claim");
  }

  if (other_patient) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-PATIENT-LEVEL",
                     subscriber_level.relationship_origin,
                     "SBR02 '" + printable(subscriber_level.relationship) +
                         "' says the patient is not the subscriber (18), but this claim has no "
                         "patient level (HL03 23, loop 2000C): the subscriber's name, birth date "
                         "and sex are not used as the patient's");
  }
}

void ClaimBuilder::read_clm05(const Segment& segment, model::Claim& c) {
  // CLM05 (C023): CLM05-1 facility code value (837P place of service, 837I facility type code),
  // CLM05-2 its qualifier (B place of service, A uniform billing facility type), CLM05-3 claim
  // frequency type code. All three are required in both guides.
  settle_separator(segment, 5);
  const std::string_view clm05 = single(segment, 5);
  has_clm05_ = !clm05.empty();
  facility_qualifier_.clear();
  if (clm05.empty()) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-ELEMENT", origin(segment, 5),
                     "CLM05 (facility code, qualifier, frequency) is missing");
  } else {
    std::string_view parts[3];
    const int count = split_components(clm05, component_, parts, 3);
    facility_code_.assign(parts[0]);
    if (parts[0].empty()) {
      claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-ELEMENT", origin(segment, 5, 1),
                       "CLM05-1 (place of service, or facility type code on an institutional "
                       "claim) is missing");
    }
    const std::string_view qualifier = count >= 2 ? parts[1] : std::string_view{};
    if (qualifier == "A" || qualifier == "B") {
      facility_qualifier_.assign(qualifier);
      facility_qualifier_origin_ = origin(segment, 5, 2);
    } else if (qualifier.empty()) {
      claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-ELEMENT", origin(segment, 5, 2),
                       "CLM05-2 (facility code qualifier: B place of service on 837P, A facility "
                       "type on 837I) is missing");
    } else {
      claim_diagnostic(core::Severity::kWarning, "W-X12-CODE-VALUE", origin(segment, 5, 2),
                       "CLM05-2 '" + printable(qualifier) +
                           "' is not a facility code qualifier (B place of service on 837P, A "
                           "facility type on 837I)" +
                           (count == 2 ? std::string("; CLM05 has 2 components, not 3") : ""));
    }
    if (count >= 3 && !parts[2].empty()) {
      c.frequency_code.assign(parts[2]);
      c.frequency = model::frequency_from_code(parts[2]);
    } else {
      claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-ELEMENT", origin(segment, 5, 3),
                       "CLM05-3 (claim frequency code) is missing");
    }
  }
}

void ClaimBuilder::read_clm11(const Segment& segment, model::Claim& c) {
  // CLM11: related causes (837P).
  const std::string_view clm11 = single(segment, 11);
  if (!clm11.empty()) {
    std::string_view parts[5];
    const int count = split_components(clm11, component_, parts, 5);
    c.accident.origin = origin(segment, 11);
    for (int i = 0; i < count && i < 3; ++i) {
      if (parts[i].empty()) continue;
      c.accident.related_causes.emplace_back(parts[i]);
      if (c.accident.cause == model::AccidentCause::kNone) {
        if (parts[i] == "AA") {
          c.accident.cause = model::AccidentCause::kAuto;
        } else if (parts[i] == "EM") {
          c.accident.cause = model::AccidentCause::kEmployment;
        } else if (parts[i] == "OA") {
          c.accident.cause = model::AccidentCause::kOther;
        }
      }
    }
    if (count >= 4) c.accident.state.assign(parts[3]);
  }
}

void ClaimBuilder::on_dtp(const Segment& segment) {
  if (!has_claim_) return;
  const std::string_view qualifier = segment.element(1);
  if (scope_ == Scope::kLine) {
    if (qualifier != "472" || !has_line_) return;
    line_has_date_ = true;
    const auto range = parse_range(segment.element(2), segment.element(3));
    if (!range) {
      report_bad_date(segment, "service date");
      return;
    }
    claim().lines.back().service_dates = range;
    return;
  }
  if (scope_ != Scope::kClaim) return;
  if (qualifier == "472") {
    const auto range = parse_range(segment.element(2), segment.element(3));
    if (!range) {
      report_bad_date(segment, "service date");
      return;
    }
    claim_service_dates_ = range;
    claim_diagnostic(core::Severity::kWarning, "W-X12-CLAIM-DATE", origin(segment, 1),
                     "DTP*472 (service date) in loop 2300: the 5010 guides carry it on each line "
                     "(loop 2400); used for the lines without their own DTP*472");
  } else if (qualifier == "434") {
    read_statement_period(segment);
  } else if (qualifier == "431" || qualifier == "439" || qualifier == "435") {
    read_claim_date(segment);
  }
}

void ClaimBuilder::report_bad_date(const Segment& segment, std::string_view what) {
  const std::string_view qualifier = segment.element(1);
  const std::string_view format = segment.element(2);
  const std::string_view value = segment.element(3);
  // An RD8 range of two valid dates: either it ends before it starts, or it is a valid range
  // where the qualifier takes one date (DTP*431*RD8). Say which, not "invalid".
  const std::size_t dash = format == "RD8" ? value.find('-') : std::string_view::npos;
  const auto from =
      dash != std::string_view::npos ? core::parse_d8_date(value.substr(0, dash)) : std::nullopt;
  const auto to =
      dash != std::string_view::npos ? core::parse_d8_date(value.substr(dash + 1)) : std::nullopt;
  const bool reversed = from && to && *to < *from;
  const bool one_date_wanted = from && to && !reversed;
  claim_diagnostic(
      core::Severity::kError, "E-X12-DATE", origin(segment, one_date_wanted ? 2 : 3),
      "DTP*" + std::string(qualifier) + " " + std::string(what) + ": DTP02 '" +
          std::string(format.substr(0, 3)) +
          (one_date_wanted ? "' names a date range, but DTP*" + std::string(qualifier) +
                                 " takes one date (D8, CCYYMMDD); not read"
           : reversed ? std::string("' with a DTP03 range that ends before it starts "
                                    "(CCYYMMDD-CCYYMMDD, earlier date first)")
                      : std::string("' with DTP03 that is not a valid date") +
                            (format == "RD8" ? " range (CCYYMMDD-CCYYMMDD)" : " (CCYYMMDD)")));
}

void ClaimBuilder::read_statement_period(const Segment& segment) {
  const std::string_view format = segment.element(2);
  const std::string_view value = segment.element(3);
  model::Claim& c = claim();
  has_statement_ = true;
  const auto range = parse_range(format, value);
  if (!range) {
    report_bad_date(segment, "statement period");
    // A reversed range of two valid dates: an error unless every line brings its own date of
    // service (finish_claim() decides, when the lines are known).
    const std::size_t dash = format == "RD8" ? value.find('-') : std::string_view::npos;
    if (dash != std::string_view::npos && core::parse_d8_date(value.substr(0, dash)) &&
        core::parse_d8_date(value.substr(dash + 1))) {
      reversed_statement_ = c.diagnostics.size();
    }
    return;
  }
  c.statement_period = range;
  if (format == "D8") {
    // 837I DTP*434 (statement from-through dates) takes RD8 only. One date is readable as a
    // one-day period, which is what an outpatient one-day claim means; said, because a
    // payer's front end rejects it and an inpatient stay is longer than one day.
    claim_diagnostic(core::Severity::kWarning, "W-X12-DATE", origin(segment, 2),
                     "DTP*434 (statement period) is sent as D8 (one date), but the 837I "
                     "requires RD8 (CCYYMMDD-CCYYMMDD): read as the one-day period " +
                         range->from.iso() + ".." + range->to.iso());
  }
}

void ClaimBuilder::read_claim_date(const Segment& segment) {
  const std::string_view qualifier = segment.element(1);
  const std::string_view format = segment.element(2);
  const char* what = qualifier == "431"   ? "onset of current illness"
                     : qualifier == "439" ? "accident date"
                                          : "admission date";
  const auto date = parse_date(format, segment.element(3));
  if (!date) {
    report_bad_date(segment, what);
    return;
  }
  // DT (CCYYMMDDHHMM) is the 837I's admission date and hour; every other claim date of the
  // guides, and the 837P's admission date, is D8. Read as its date, and said.
  if (format == "DT" && (qualifier != "435" || context_.guide_kind == ClaimKind::kProfessional)) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-DATE", origin(segment, 2),
                     "DTP*" + std::string(qualifier) + " (" + what +
                         ") is sent as DT (date and time), but the " +
                         (context_.guide_kind == ClaimKind::kProfessional ? "837P" : "guide") +
                         " takes D8 (CCYYMMDD) here: read as the date " + date->iso());
  }
  model::Claim& c = claim();
  if (qualifier == "431") {
    c.onset_date = date;
  } else if (qualifier == "439") {
    c.accident.date = date;
  } else {
    c.admission_date = date;
  }
}

void ClaimBuilder::on_cl1(const Segment& segment) {
  if (!has_claim_ || (scope_ != Scope::kClaim && scope_ != Scope::kClaimProvider)) return;
  has_cl1_ = true;
  claim().admission_type.assign(segment.element(1));
}

void ClaimBuilder::on_nte(const Segment& segment) {
  if (!has_claim_ || (scope_ != Scope::kClaim && scope_ != Scope::kLine)) return;
  model::Note& note = claim().notes.emplace_back();
  note.kind.assign(segment.element(1));
  note.text.reveal_mutable().assign(segment.element(2));
  note.origin = origin(segment, 2);
}

void ClaimBuilder::add_diagnosis(const Segment& segment, int element, const HiParts& sent,
                                 int code_component) {
  const Qualifier kind = classify(sent.qualifier);
  if (kind.family == Qualifier::Family::kUnknown &&
      add_with_folded_qualifier(segment, element, sent, code_component)) {
    return;
  }
  const HiParts& parts = sent;
  const std::string_view qualifier = parts.qualifier;
  const std::string_view code = parts.code;
  const std::string_view poa = parts.poa;
  model::Claim& c = claim();
  auto hi = [&] { return render_element("HI", element, code_component); };
  if (kind.family == Qualifier::Family::kDiagnosis || kind.family == Qualifier::Family::kUnknown) {
    ++dx_slots_;
  }
  switch (kind.family) {
    case Qualifier::Family::kIgnored:
      return;
    case Qualifier::Family::kUnknown:
      claim_diagnostic(core::Severity::kWarning, "W-X12-HI-QUALIFIER",
                       origin(segment, element, code_component == 0 ? 0 : 1),
                       render_element("HI", element, code_component == 0 ? 0 : 1) + " qualifier '" +
                           std::string(qualifier.substr(0, 3)) +
                           "' is not a diagnosis, occurrence or condition code qualifier; skipped");
      return;
    case Qualifier::Family::kOccurrence:
    case Qualifier::Family::kOccurrenceSpan:
    case Qualifier::Family::kValue:
    case Qualifier::Family::kProcedure:
      add_hi_event(segment, element, parts, code_component, static_cast<int>(kind.family));
      return;
    case Qualifier::Family::kCondition:
      if (!code.empty()) c.condition_codes.emplace_back(code);
      return;
    case Qualifier::Family::kDiagnosis:
      break;
  }
  if (code.empty()) {
    claim_diagnostic(core::Severity::kError, "E-X12-COMPOSITE",
                     origin(segment, element, code_component),
                     hi() + ": qualifier " + std::string(qualifier) + " without a code");
    return;
  }
  model::Diagnosis& dx = c.diagnoses.emplace_back();
  dx.seq = dx_slots_;
  dx.raw.assign(code);
  dx.role = kind.role;
  dx.code_system = kind.system;
  dx.qualifier.assign(qualifier);
  dx.origin = origin(segment, element, code_component);
  std::string_view text = code;
  std::string icd9_e;
  if (kind.system == model::CodeSystem::kIcd9Cm && text.size() > 5 && text[0] == 'E' &&
      text[4] == '.') {
    // ICD-9-CM E codes carry their dot after the fourth character (E986.0).
    icd9_e = std::string(text.substr(0, 4)) + std::string(text.substr(5));
    text = icd9_e;
  }
  if (auto normalized = core::normalize_icd10(text)) {
    if (kind.system == model::CodeSystem::kIcd10Cm && text.find('.') != std::string_view::npos) {
      // The implementation guides send ICD codes without their decimal point; many payers
      // reject a claim that has one. Read as meant, and said.
      claim_diagnostic(core::Severity::kWarning, "W-X12-DOTTED-CODE", dx.origin,
                       hi() + " " + std::string(code) +
                           " carries a decimal point; X12 sends ICD-10-CM codes without it (" +
                           *normalized + "), and payers may reject it: read as " +
                           core::dotted_icd10(*normalized));
    }
    dx.code = std::move(*normalized);
  } else {
    claim_diagnostic(core::Severity::kError, "E-X12-DX-CODE", dx.origin,
                     hi() + " is not a diagnosis code (3 to 7 letters or digits); kept raw");
  }
  if (!poa.empty()) read_present_on_admission(segment, element, poa, dx);
}

bool ClaimBuilder::add_with_folded_qualifier(const Segment& segment, int element,
                                             const HiParts& sent, int code_component) {
  // X12 code values are case-sensitive: "abk" is not in the guide's list, and a payer's front
  // end rejects it. What it means is plain, so it is read as meant, and said; its diagnosis
  // is not lost.
  std::array<char, 3> buffer{};
  const std::string_view upper = folded_qualifier(sent.qualifier, buffer);
  if (upper.empty() || classify(upper).family == Qualifier::Family::kUnknown) return false;
  const int at = code_component == 0 ? 0 : 1;
  claim_diagnostic(core::Severity::kWarning, "W-X12-HI-QUALIFIER", origin(segment, element, at),
                   render_element("HI", element, at) + " qualifier '" +
                       std::string(sent.qualifier) +
                       "' is in lower case; X12 code values are case-sensitive and the "
                       "guide's is " +
                       std::string(upper) + " (payers reject '" + std::string(sent.qualifier) +
                       "'): read as " + std::string(upper));
  HiParts parts = sent;
  parts.qualifier = upper;
  add_diagnosis(segment, element, parts, code_component);
  return true;
}

void ClaimBuilder::read_present_on_admission(const Segment& segment, int element,
                                             std::string_view poa, model::Diagnosis& dx) {
  const char flag = poa[0];
  if (poa.size() == 1 &&
      (flag == 'Y' || flag == 'N' || flag == 'U' || flag == 'W' || flag == '1')) {
    dx.poa = flag;
  } else {
    claim_diagnostic(core::Severity::kWarning, "W-X12-POA", origin(segment, element, 9),
                     render_element("HI", element, 9) +
                         " present-on-admission indicator is not Y, N, U, W or 1");
  }
}

std::optional<core::Date> ClaimBuilder::hi_date(const Segment& segment, int element,
                                                const HiParts& parts, std::string_view what) {
  if (parts.format == "D8") {
    if (auto date = core::parse_d8_date(parts.date)) return date;
  }
  const bool format_wrong = !parts.format.empty() && parts.format != "D8";
  const int at = format_wrong || parts.format.empty() ? 3 : 4;
  claim_diagnostic(core::Severity::kWarning, "W-X12-DATE", origin(segment, element, at),
                   render_element("HI", element, at) + " " + std::string(what) +
                       (parts.format.empty() && parts.date.empty()
                            ? std::string(" is sent without its date (C022-03 D8, C022-04 "
                                          "CCYYMMDD)")
                        : format_wrong ? " date format '" + std::string(parts.format.substr(0, 3)) +
                                             "' is not D8 (CCYYMMDD)"
                                       : std::string(" date is not a valid D8 date (CCYYMMDD)")) +
                       ": the code is kept without a date");
  return std::nullopt;
}

std::optional<model::DateRange> ClaimBuilder::hi_range(const Segment& segment, int element,
                                                       const HiParts& parts,
                                                       std::string_view what) {
  if (parts.format == "RD8") {
    if (auto range = parse_range(parts.format, parts.date)) return range;
  }
  const bool format_wrong = !parts.format.empty() && parts.format != "RD8";
  const int at = format_wrong || parts.format.empty() ? 3 : 4;
  std::string problem;
  if (parts.format.empty() && parts.date.empty()) {
    problem = " is sent without its dates (C022-03 RD8, C022-04 CCYYMMDD-CCYYMMDD)";
  } else if (format_wrong) {
    problem = " date format '" + std::string(parts.format.substr(0, 3)) +
              "' is not RD8 (CCYYMMDD-CCYYMMDD)";
  } else {
    const std::size_t dash = parts.date.find('-');
    const auto from = dash != std::string_view::npos
                          ? core::parse_d8_date(parts.date.substr(0, dash))
                          : std::nullopt;
    const auto to = dash != std::string_view::npos
                        ? core::parse_d8_date(parts.date.substr(dash + 1))
                        : std::nullopt;
    problem = from && to ? std::string(" range ends before it starts (earlier date first)")
                         : std::string(" range is not a valid RD8 range (CCYYMMDD-CCYYMMDD)");
  }
  claim_diagnostic(core::Severity::kWarning, "W-X12-DATE", origin(segment, element, at),
                   render_element("HI", element, at) + " " + std::string(what) + problem +
                       ": the code is kept without dates");
  return std::nullopt;
}

namespace {

// ICD-10-PCS: 7 characters, digits and letters other than I and O. ICD-9-CM procedures: 3 or 4
// digits (sent without the decimal point after the second).
bool valid_procedure_code(model::ProcedureSystem system, std::string_view code) {
  switch (system) {
    case model::ProcedureSystem::kIcd10Pcs:
      return code.size() == 7 && std::all_of(code.begin(), code.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O');
             });
    case model::ProcedureSystem::kIcd9Cm:
      return (code.size() == 3 || code.size() == 4) &&
             std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
    case model::ProcedureSystem::kOther:
      break;
  }
  return !code.empty();
}

}  // namespace

void ClaimBuilder::add_hi_event(const Segment& segment, int element, const HiParts& parts,
                                int code_component, int family) {
  using F = Qualifier::Family;
  model::Claim& c = claim();
  const std::string qualifier(parts.qualifier);
  if (parts.code.empty()) {
    claim_diagnostic(core::Severity::kError, "E-X12-COMPOSITE",
                     origin(segment, element, code_component),
                     render_element("HI", element, code_component) + ": qualifier " + qualifier +
                         " without a code");
    return;
  }
  const model::Origin where = origin(segment, element, code_component);
  switch (static_cast<F>(family)) {
    case F::kOccurrence: {
      model::Occurrence occurrence;
      occurrence.code.assign(parts.code);
      occurrence.origin = where;
      occurrence.date = hi_date(segment, element, parts, "occurrence code " + occurrence.code);
      model::add_occurrence(c, std::move(occurrence));
      return;
    }
    case F::kOccurrenceSpan: {
      model::OccurrenceSpan span;
      span.code.assign(parts.code);
      span.origin = where;
      span.period = hi_range(segment, element, parts, "occurrence span code " + span.code);
      model::add_occurrence_span(c, std::move(span));
      return;
    }
    case F::kValue: {
      model::ValueCode& value = c.value_codes.emplace_back();
      value.code.assign(parts.code);
      value.amount.assign(parts.amount);
      value.origin = where;
      if (parts.amount.empty()) {
        claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-ELEMENT",
                         origin(segment, element, 5),
                         render_element("HI", element, 5) + " value code " + value.code +
                             " is sent without its amount (C022-05, required with BE)");
      }
      return;
    }
    case F::kProcedure: {
      const Qualifier kind = classify(parts.qualifier);
      model::Procedure& procedure = c.procedures.emplace_back();
      procedure.seq = static_cast<int>(c.procedures.size());
      procedure.raw.assign(parts.code);
      procedure.principal = kind.role == DiagnosisRole::kPrincipal;
      procedure.system = kind.procedure_system;
      procedure.qualifier = qualifier;
      procedure.origin = where;
      procedure.code = detail::procedure_code(parts.code);
      if (!valid_procedure_code(procedure.system, procedure.code)) {
        claim_diagnostic(core::Severity::kWarning, "W-X12-PX-CODE", where,
                         render_element("HI", element, code_component) + " (qualifier " +
                             qualifier + ") is not " +
                             (procedure.system == model::ProcedureSystem::kIcd10Pcs
                                  ? "an ICD-10-PCS code (7 letters or digits, no I or O)"
                                  : "an ICD-9-CM procedure code (3 or 4 digits)") +
                             "; kept as sent");
        procedure.code = procedure.raw;
      }
      procedure.date = hi_date(segment, element, parts, "procedure " + procedure.raw);
      return;
    }
    default:
      return;
  }
}

void ClaimBuilder::on_hi(const Segment& segment) {
  if (!has_claim_) return;
  has_hi_ = true;
  const int count = segment.size();
  for (int i = 1; i <= count; ++i) settle_separator(segment, i);
  bool split_reported = false;
  bool gap_reported = false;
  claim().diagnoses.reserve(claim().diagnoses.size() + static_cast<std::size_t>(count));
  for (int i = 1; i <= count; ++i) {
    const std::string_view value = single(segment, i);
    if (value.empty()) {
      if (!hold_hi_position(segment, i, gap_reported)) break;
      continue;
    }
    if (value.find(component_) == std::string_view::npos) {
      i += read_bare_hi_qualifier(segment, i, value, split_reported);
      continue;
    }
    std::string_view parts[9];
    const int n = split_components(value, component_, parts, 9);
    add_diagnosis(segment, i,
                  HiParts{parts[0], parts[1], parts[2], parts[3], parts[4],
                          n >= 9 ? parts[8] : std::string_view{}},
                  2);
  }
}

bool ClaimBuilder::hold_hi_position(const Segment& segment, int i, bool& gap_reported) {
  // An empty element before a later diagnosis keeps its position: an 837P SV107 pointer
  // names HI01..HI12 by position, so HI*ABK:A**ABF:B puts B at 3, not 2. Trailing empty
  // elements (HI*BK:1739**) hold no position.
  const int count = segment.size();
  int next = i + 1;
  while (next <= count && segment.element(next).empty()) ++next;
  if (next > count) return false;
  // A diagnosis or an unknown qualifier after the gap (both hold a position, as in
  // add_diagnosis); occurrence, condition, value and procedure codes do not.
  const Qualifier::Family after =
      classify_any_case(component(segment.element(next), component_, 1)).family;
  if (after != Qualifier::Family::kDiagnosis && after != Qualifier::Family::kUnknown) return true;
  ++dx_slots_;
  if (!gap_reported) {
    gap_reported = true;
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-ELEMENT", origin(segment, i),
                     render_element("HI", i) +
                         " is empty, but a diagnosis follows it: the diagnoses after it keep "
                         "their HI position (" +
                         render_element("HI", next) + " is diagnosis " +
                         std::to_string(dx_slots_ + next - i) + ", as SV107 pointers count)");
  }
  return true;
}

int ClaimBuilder::read_bare_hi_qualifier(const Segment& segment, int i, std::string_view value,
                                         bool& split_reported) {
  // A qualifier alone. imsweb writes HI*BK*8901*BF*87200: qualifier and code in separate
  // elements. Pair it with the next element when that is a bare code.
  const std::string_view next = single(segment, i + 1);
  if (known_hi_qualifier(value) && !next.empty() &&
      next.find(component_) == std::string_view::npos && !known_hi_qualifier(next)) {
    if (!split_reported) {
      split_reported = true;
      claim_diagnostic(core::Severity::kWarning, "W-X12-COMPOSITE-SPLIT", origin(segment, i),
                       render_element("HI", i) + " holds qualifier " + std::string(value) +
                           " without a component separator and " + render_element("HI", i + 1) +
                           " its code: each bare qualifier in this HI is read together with "
                           "the element after it");
    }
    add_diagnosis(segment, i + 1, HiParts{value, next, {}, {}, {}, {}}, 0);
    return 1;
  }
  const Qualifier::Family family = classify_any_case(value).family;
  if (family == Qualifier::Family::kDiagnosis || family == Qualifier::Family::kUnknown) {
    ++dx_slots_;
  }
  if (known_hi_qualifier(value)) {
    claim_diagnostic(
        core::Severity::kError, "E-X12-COMPOSITE", origin(segment, i),
        render_element("HI", i) + ": qualifier " + std::string(value) + " without a code");
  } else {
    claim_diagnostic(core::Severity::kError, "E-X12-COMPOSITE", origin(segment, i),
                     render_element("HI", i) +
                         " is not a composite (qualifier, component separator, code); "
                         "skipped");
  }
  return 0;
}

void ClaimBuilder::date_line_from_claim() {
  if (!has_line_ || line_has_date_ || !claim_service_dates_) return;
  claim().lines.back().service_dates = claim_service_dates_;
  line_has_date_ = true;
}

model::ServiceLine& ClaimBuilder::start_line(const Segment& segment, int seq) {
  date_line_from_claim();
  model::Claim& c = claim();
  if (has_line_ && !line_has_date_ && c.kind != ClaimKind::kInstitutional &&
      context_.guide_kind != ClaimKind::kInstitutional && line_has_service_ && !has_sv2_) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-SEGMENT", c.lines.back().origin,
                     "service line " + std::to_string(c.lines.back().seq) +
                         " has no service date (DTP*472, loop 2400)");
  }
  if (c.lines.capacity() == 0) c.lines.reserve(4);
  model::ServiceLine& line = c.lines.emplace_back();
  line.seq = seq;
  line.origin = origin(segment, seq > 0 && segment.tag() == "LX" ? 1 : 0);
  has_line_ = true;
  line_has_service_ = false;
  line_has_date_ = false;
  return line;
}

void ClaimBuilder::on_lx(const Segment& segment) {
  if (!has_claim_) return;
  line_rank_ = 0;
  scope_ = Scope::kLine;
  loop_ = "2400";
  const std::uint64_t number = parse_uint(segment.element(1));
  int seq = static_cast<int>(std::min<std::uint64_t>(number, 1000000));
  const int expected = static_cast<int>(claim().lines.size()) + 1;
  if (seq == 0) {
    seq = expected;
    claim_diagnostic(
        core::Severity::kWarning, "W-X12-MISSING-ELEMENT", origin(segment, 1),
        "LX01 (line number) is missing or not a number; numbered " + std::to_string(seq));
  } else if (seq != expected && !line_number_reported_) {
    // LX01 starts at 1 and counts up by 1 in each claim (both guides); the line's number is
    // what remittances and line findings name it by, so it is kept as sent. A gap means a line
    // may have been lost on the way; a repeat makes two lines one number.
    line_number_reported_ = true;
    const auto& lines = claim().lines;
    const bool repeated = std::any_of(lines.begin(), lines.end(),
                                      [seq](const model::ServiceLine& l) { return l.seq == seq; });
    claim_diagnostic(core::Severity::kWarning, "W-X12-LINE-NUMBER", origin(segment, 1),
                     "LX01 is " + std::to_string(seq) + " on the claim's line " +
                         std::to_string(expected) +
                         ": service lines are numbered 1, 2, 3 ... within each claim" +
                         (repeated ? "; " + std::to_string(seq) +
                                         " is already an earlier line's number, so line findings "
                                         "cannot tell the two apart"
                                   : std::string()) +
                         "; kept as sent (reported once per claim)");
  }
  start_line(segment, seq);
}

void ClaimBuilder::on_sv1(const Segment& segment) {
  if (!has_claim_) return;
  has_sv1_ = true;
  if (scope_ != Scope::kLine || !has_line_ || line_has_service_) {
    scope_ = Scope::kLine;
    loop_ = "2400";
    const int seq = static_cast<int>(claim().lines.size()) + 1;
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-SEGMENT", origin(segment, 0),
                     "SV1 without its LX (loop 2400); read as line " + std::to_string(seq));
    start_line(segment, seq);
  }
  line_has_service_ = true;
  settle_separator(segment, 1);
  model::ServiceLine& line = claim().lines.back();
  std::string_view parts[7];
  const int n = split_components(single(segment, 1), component_, parts, 7);
  line.procedure_qualifier.assign(parts[0]);
  if (n >= 2) line.procedure_code.assign(parts[1]);
  if (n > 2) reuse(spares_.modifiers, line.modifiers);
  for (int i = 2; i < n && i < 6; ++i) {
    if (!parts[i].empty()) model::upper_case_modifier(line.modifiers.emplace_back(parts[i]));
  }
  if (line.procedure_code.empty()) {
    claim_diagnostic(core::Severity::kError, "E-X12-COMPOSITE", origin(segment, 1, 2),
                     "SV101-2 (procedure code) is missing");
  }
  line.charge.assign(segment.element(2));
  line.unit_basis.assign(segment.element(3));
  line.units.assign(segment.element(4));
  line.place_of_service.assign(segment.element(5));
  // SV107 (C004): up to 4 diagnosis code pointers, SV107-1 required; each is a position in the
  // claim's HI diagnosis list, 1 (HI01) to 12 (HI12).
  const std::string_view pointers = single(segment, 7);
  if (!pointers.empty()) read_sv107(segment, pointers, line);
}

void ClaimBuilder::read_sv107(const Segment& segment, std::string_view pointers,
                              model::ServiceLine& line) {
  std::string_view values[5];
  const int count = split_components(pointers, component_, values, 5);
  reuse(spares_.pointers, line.dx_pointers);
  for (int i = 0; i < count && i < 4; ++i) {
    const std::string_view value = values[i];
    if (value.empty()) {
      if (i == 0) {
        claim_diagnostic(core::Severity::kWarning, "W-X12-POINTER", origin(segment, 7, 1),
                         "SV107-1 (the line's first diagnosis pointer) is empty");
      }
      continue;
    }
    const std::uint64_t pointer = value.size() <= 2 ? parse_uint(value) : 0;
    if (pointer == 0) {
      claim_diagnostic(core::Severity::kWarning, "W-X12-POINTER", origin(segment, 7, i + 1),
                       render_element("SV1", 7, i + 1) + " diagnosis pointer '" + printable(value) +
                           "' is not a number from 1 to 12 (HI01 to HI12); skipped");
      continue;
    }
    if (pointer > 12) {
      claim_diagnostic(core::Severity::kWarning, "W-X12-POINTER", origin(segment, 7, i + 1),
                       render_element("SV1", 7, i + 1) + " diagnosis pointer " +
                           std::to_string(pointer) +
                           " is beyond 12: a pointer names a position from 1 to 12 (HI01 to "
                           "HI12) in the claim's diagnosis list; kept, it points at no "
                           "diagnosis");
    }
    line.dx_pointers.push_back(static_cast<int>(pointer));
  }
  if (count > 4) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-POINTER", origin(segment, 7, 5),
                     "SV107 holds more than 4 diagnosis pointers (SV107-1 to SV107-4); the rest "
                     "are skipped");
  }
}

void ClaimBuilder::on_sv2(const Segment& segment) {
  if (!has_claim_) return;
  has_sv2_ = true;
  if (scope_ != Scope::kLine || !has_line_ || line_has_service_) {
    scope_ = Scope::kLine;
    loop_ = "2400";
    const int seq = static_cast<int>(claim().lines.size()) + 1;
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-SEGMENT", origin(segment, 0),
                     "SV2 without its LX (loop 2400); read as line " + std::to_string(seq));
    start_line(segment, seq);
  }
  line_has_service_ = true;
  settle_separator(segment, 2);
  model::ServiceLine& line = claim().lines.back();
  line.revenue_code.assign(segment.element(1));
  const std::string_view procedure = single(segment, 2);
  if (!procedure.empty()) {
    std::string_view parts[7];
    const int n = split_components(procedure, component_, parts, 7);
    line.procedure_qualifier.assign(parts[0]);
    if (n >= 2) line.procedure_code.assign(parts[1]);
    for (int i = 2; i < n && i < 6; ++i) {
      if (!parts[i].empty()) model::upper_case_modifier(line.modifiers.emplace_back(parts[i]));
    }
  }
  line.charge.assign(segment.element(3));
  line.unit_basis.assign(segment.element(4));
  line.units.assign(segment.element(5));
}

void ClaimBuilder::finish_claim(bool truncated) {
  if (!has_claim_) return;
  date_line_from_claim();
  model::Claim& c = claim();
  settle_kind(c);
  settle_facility_code(c);
  if (c.payer.kind == model::PayerKind::kUnknown && options_.default_payer_kind) {
    c.payer.kind = *options_.default_payer_kind;
  }
  check_principal_and_count(c);
  if (c.kind == ClaimKind::kProfessional) report_institutional_codes(c);
  check_line_dates(c);
  settle_reversed_statement(c);
  // What a claim cut off by the end of input lacks (HI, lines, dates) is what E-X12-TRUNCATED
  // says it may lack: no warnings that only repeat it.
  if (!truncated) report_missing_segments(c);
  if (truncated) {
    claim_diagnostic(core::Severity::kError, "E-X12-TRUNCATED", c.origin,
                     "the input ends inside this claim's transaction set (no SE); the claim may "
                     "be incomplete");
  }
  has_claim_ = false;
  if (c.claim_id.empty()) {
    batch_diagnostic(core::Severity::kError, "E-X12-CLAIM-ID", c.origin,
                     "CLM01 (patient control number) is missing; the claim cannot be identified "
                     "and is skipped");
    batch_->claims.pop_back();
    return;
  }
  ++position_;
}

void ClaimBuilder::settle_kind(model::Claim& c) {
  // Claim kind: the guide names one, the content decides (oopfactory sends 837I claims under
  // an 837P guide id).
  const bool institutional = has_sv2_ || has_cl1_ || has_statement_;
  const bool professional = has_sv1_ && !institutional;
  ClaimKind content = institutional  ? ClaimKind::kInstitutional
                      : professional ? ClaimKind::kProfessional
                                     : ClaimKind::kUnknown;
  if (content != ClaimKind::kUnknown && context_.guide_kind != ClaimKind::kUnknown &&
      content != context_.guide_kind) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-GUIDE-MISMATCH", c.origin,
                     std::string("the guide ") + context_.guide + " is " +
                         std::string(model::to_string(context_.guide_kind)) +
                         ", but the claim is " + std::string(model::to_string(content)) + " (" +
                         (has_sv2_         ? "SV2"
                          : has_cl1_       ? "CL1"
                          : has_statement_ ? "DTP*434"
                                           : "SV1") +
                         "); read as " + std::string(model::to_string(content)));
  }
  if (content != ClaimKind::kUnknown) {
    c.kind = content;
  } else if (c.kind == ClaimKind::kUnknown && options_.default_claim_kind) {
    c.kind = *options_.default_claim_kind;
  }
}

void ClaimBuilder::settle_facility_code(model::Claim& c) {
  const char expected_qualifier = c.kind == ClaimKind::kInstitutional  ? 'A'
                                  : c.kind == ClaimKind::kProfessional ? 'B'
                                                                       : '\0';
  if (!facility_qualifier_.empty() && expected_qualifier != '\0' &&
      facility_qualifier_[0] != expected_qualifier) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-CODE-VALUE", facility_qualifier_origin_,
                     "CLM05-2 is '" + facility_qualifier_ + "' (" +
                         (expected_qualifier == 'A' ? "place of service" : "facility type code") +
                         ") on this " + std::string(model::to_string(c.kind)) +
                         " claim, which takes '" + expected_qualifier + "' (" +
                         (expected_qualifier == 'A' ? "facility type code" : "place of service") +
                         "); CLM05-1 is read as its " +
                         (expected_qualifier == 'A' ? "facility type" : "place of service"));
  }
  if (c.kind == ClaimKind::kInstitutional) {
    c.facility_type = std::move(facility_code_);
  } else {
    c.place_of_service = std::move(facility_code_);
  }
}

void ClaimBuilder::report_missing_segments(const model::Claim& c) {
  if (!has_hi_) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-SEGMENT", c.origin,
                     "no HI segment: the claim has no diagnosis codes (loop 2300)");
  }
  if (c.kind == ClaimKind::kInstitutional && !has_statement_) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-SEGMENT", c.origin,
                     "no statement period (DTP*434, loop 2300) on an institutional claim");
  }
  if (c.kind == ClaimKind::kProfessional) {
    if (has_line_ && !line_has_date_ && line_has_service_) {
      claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-SEGMENT", c.lines.back().origin,
                       "service line " + std::to_string(c.lines.back().seq) +
                           " has no service date (DTP*472, loop 2400)");
    }
  }
  if (c.lines.empty()) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-MISSING-SEGMENT", c.origin,
                     "the claim has no service lines (LX, loop 2400)");
  }
}

void ClaimBuilder::check_principal_and_count(model::Claim& c) {
  const model::Diagnosis* principal = keep_one_principal(c);
  if (c.kind == ClaimKind::kInstitutional && principal == nullptr && !c.diagnoses.empty()) {
    claim_diagnostic(core::Severity::kWarning, "W-X12-PRINCIPAL", c.diagnoses.front().origin,
                     "no principal diagnosis (HI*ABK, or BK for ICD-9-CM): the 837I requires the "
                     "Principal Diagnosis HI; the claim's diagnoses are all other roles");
  }
  if (c.kind != ClaimKind::kProfessional || c.diagnoses.empty()) return;
  report_837i_diagnosis_qualifiers(c);
  check_professional_principal_and_count(c, principal);
}

const model::Diagnosis* ClaimBuilder::keep_one_principal(model::Claim& c) {
  // One principal diagnosis a claim (ABK, or BK for ICD-9-CM): 837P HI01, the one 837I
  // Principal Diagnosis HI. A later one (HI*ABK:A*ABK:B, a second HI*ABK) is read as another
  // diagnosis, so the principal-only edits judge the principal the sender put first.
  const model::Diagnosis* principal = nullptr;
  for (model::Diagnosis& dx : c.diagnoses) {
    if (dx.role != DiagnosisRole::kPrincipal) continue;
    if (principal == nullptr) {
      principal = &dx;
      continue;
    }
    dx.role = DiagnosisRole::kOther;
    claim_diagnostic(core::Severity::kWarning, "W-X12-PRINCIPAL", dx.origin,
                     render_element("HI", dx.origin.element) + " qualifier " + dx.qualifier +
                         " names a second principal diagnosis (diagnosis " +
                         std::to_string(dx.seq) + "), after diagnosis " +
                         std::to_string(principal->seq) + " (" + principal->qualifier +
                         "): a claim has one; read as an other diagnosis");
  }
  return principal;
}

void ClaimBuilder::report_837i_diagnosis_qualifiers(const model::Claim& c) {
  // 837P HI carries ABK/BK (HI01) and ABF/BF: the admitting, reason-for-visit and external-cause
  // qualifiers are the 837I's. Read with the role they name, and said.
  for (const model::Diagnosis& dx : c.diagnoses) {
    const char* role = dx.role == DiagnosisRole::kAdmitting        ? "admitting"
                       : dx.role == DiagnosisRole::kReasonForVisit ? "reason for visit"
                       : dx.role == DiagnosisRole::kExternalCause  ? "external cause"
                                                                   : nullptr;
    if (role == nullptr) continue;
    model::Origin where = dx.origin;
    if (where.component != 0) where.component = 1;
    claim_diagnostic(
        core::Severity::kWarning, "W-X12-HI-QUALIFIER", where,
        render_element("HI", where.element, where.component) + " qualifier " + dx.qualifier + " (" +
            role + ") is an 837I qualifier; the 837P takes ABK/BK and ABF/BF: read with that role");
  }
}

void ClaimBuilder::check_professional_principal_and_count(const model::Claim& c,
                                                          const model::Diagnosis* principal) {
  // 837P: HI01 is the principal (first-listed) diagnosis, qualifier ABK or BK; HI02-HI12 are
  // ABF or BF. Diagnoses keep their roles as sent; the rules take HI01 as first-listed anyway.
  const model::Diagnosis& first = c.diagnoses.front();
  if (first.seq == 1 && first.role != DiagnosisRole::kPrincipal) {
    claim_diagnostic(
        core::Severity::kWarning, "W-X12-PRINCIPAL", first.origin,
        "HI01 qualifier " + first.qualifier +
            " is not a principal diagnosis qualifier (ABK, or BK for ICD-9-CM): on an "
            "837P HI01 is the principal diagnosis" +
            (principal != nullptr ? "; diagnosis " + std::to_string(principal->seq) + " (" +
                                        principal->qualifier + ") is marked principal instead"
                                  : std::string()));
  }
  // 837P: one HI with HI01-HI12, so 12 diagnoses at most, and SV107 names only those.
  const auto beyond = std::find_if(c.diagnoses.begin(), c.diagnoses.end(),
                                   [](const model::Diagnosis& dx) { return dx.seq > 12; });
  if (beyond != c.diagnoses.end()) {
    const auto extra = std::count_if(c.diagnoses.begin(), c.diagnoses.end(),
                                     [](const model::Diagnosis& dx) { return dx.seq > 12; });
    claim_diagnostic(core::Severity::kWarning, "W-X12-DX-COUNT", beyond->origin,
                     "diagnosis " + std::to_string(beyond->seq) +
                         ": an 837P carries at most 12 diagnoses (HI01-HI12 of one HI), this "
                         "claim has " +
                         std::to_string(extra) +
                         " more; they are audited, but no SV107 pointer can name them and a "
                         "payer's front end rejects the claim");
  }
}

void ClaimBuilder::report_institutional_codes(const model::Claim& c) {
  // 005010X222A1's HI carries diagnoses (ABK/BK, ABF/BF), anesthesia related procedures (BP/BO)
  // and condition codes (BG): occurrence, occurrence span and value codes and ICD procedures are
  // the 837I's. Kept as sent (the rules read occurrence codes on any claim), and said.
  auto report = [&](const model::Origin& code_origin, std::string_view qualifier,
                    std::string_view what) {
    model::Origin where = code_origin;
    if (where.component != 0) where.component = 1;
    claim_diagnostic(core::Severity::kWarning, "W-X12-HI-QUALIFIER", where,
                     render_element("HI", where.element, where.component) + " qualifier " +
                         std::string(qualifier) + " (" + std::string(what) +
                         ") is an 837I qualifier; the 837P's HI takes diagnoses (ABK/BK, "
                         "ABF/BF), anesthesia related procedures (BP/BO) and condition codes "
                         "(BG): kept as sent");
  };
  for (const model::Occurrence& o : c.occurrences) report(o.origin, "BH", "occurrence code");
  for (const model::OccurrenceSpan& o : c.occurrence_spans) {
    report(o.origin, "BI", "occurrence span code");
  }
  for (const model::ValueCode& v : c.value_codes) report(v.origin, "BE", "value code");
  for (const model::Procedure& p : c.procedures) report(p.origin, p.qualifier, "procedure");
}

void ClaimBuilder::settle_reversed_statement(model::Claim& c) {
  if (reversed_statement_ == 0 || reversed_statement_ > c.diagnostics.size()) return;
  core::Diagnostic& reported = c.diagnostics[reversed_statement_ - 1];
  reversed_statement_ = 0;
  const bool lines_dated =
      !c.lines.empty() && std::all_of(c.lines.begin(), c.lines.end(), [](const auto& line) {
        return line.service_dates.has_value();
      });
  if (!lines_dated) return;
  // Each line dates itself (DTP*472), so the claim's dates of service are known without the
  // statement period: read, and said, rather than an error on the whole claim.
  reported.severity = core::Severity::kWarning;
  reported.code = "W-X12-DATE";
  reported.message +=
      "; not read: every service line has its own date of service (DTP*472), which dates the "
      "claim";
}

void ClaimBuilder::check_line_dates(const model::Claim& c) {
  // UB-04 / 837I: line service dates (DTP*472) fall within the statement covers period
  // (DTP*434); a line outside it is dated wrong, or belongs to another claim. Once per claim.
  if (!c.statement_period) return;
  const model::DateRange& period = *c.statement_period;
  const model::ServiceLine* first = nullptr;
  int outside = 0;
  for (const model::ServiceLine& line : c.lines) {
    if (!line.service_dates) continue;
    if (line.service_dates->from < period.from || period.to < line.service_dates->to) {
      if (first == nullptr) first = &line;
      ++outside;
    }
  }
  if (first == nullptr) return;
  auto range = [](const model::DateRange& r) {
    return r.from == r.to ? r.from.iso() : r.from.iso() + ".." + r.to.iso();
  };
  claim_diagnostic(
      core::Severity::kWarning, "W-X12-LINE-DATE", first->origin,
      "service line " + std::to_string(first->seq) + " is dated " + range(*first->service_dates) +
          " (DTP*472), outside the statement period " + range(period) + " (DTP*434)" +
          (outside > 1 ? "; " + std::to_string(outside - 1) + " more line(s) of the claim too"
                       : std::string()));
}

void ClaimBuilder::recycle(model::Batch& batch) {
  // Keep the containers of the claims the caller is done with, emptied, for the next claims:
  // in steady state a batch then builds without allocating. Bounded by one batch's claims.
  for (model::Claim& claim : batch.claims) {
    for (model::ServiceLine& line : claim.lines) {
      if (line.modifiers.capacity() != 0) {
        line.modifiers.clear();
        spares_.modifiers.push_back(std::move(line.modifiers));
      }
      if (line.dx_pointers.capacity() != 0) {
        line.dx_pointers.clear();
        spares_.pointers.push_back(std::move(line.dx_pointers));
      }
    }
    if (claim.lines.capacity() != 0) {
      claim.lines.clear();
      spares_.lines.push_back(std::move(claim.lines));
    }
    if (claim.diagnoses.capacity() != 0) {
      claim.diagnoses.clear();
      spares_.diagnoses.push_back(std::move(claim.diagnoses));
    }
  }
  batch.claims.clear();
  batch.diagnostics.clear();
}

void ClaimBuilder::end(bool truncated) {
  finish_claim(truncated);
  batch_ = nullptr;
}

}  // namespace claimaudit::formats::x12
