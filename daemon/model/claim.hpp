// model/claim.hpp
//
// The claim model every reader fills and every rule reads (DOMAIN.md 3.2). Plain values: copy,
// move and share them across threads freely. Codes are stored normalised (undotted, upper case,
// core::normalize_icd10) and printed dotted (core::dotted_icd10). Every field that a finding may
// point at keeps its Origin. PHI (names, member ids, birth dates, ages, sex, note text) is
// wrapped in core::Phi so it cannot reach a log by accident.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/diagnostic.hpp"
#include "core/phi.hpp"

namespace claimaudit::model {

// Where a field came from. X12 fields fill the segment fields (pointer empty); JSON and FHIR
// fields fill `pointer` (RFC 6901). Compact on purpose: the X12 reader fills one per field.
struct Origin {
  std::uint32_t segment =
      0;  // X12: 1-based index inside the ST (ST = 1, as SE01 counts); 0 = none.
  std::uint32_t byte_offset = 0;  // X12: offset of the segment's first byte in the file.
  std::uint16_t element = 0;      // 1-based element position; 0 = the whole segment.
  std::uint16_t component = 0;    // 1-based component inside a composite; 0 = none.
  std::uint16_t repetition = 0;   // 1-based repetition when ISA11 repeats are used; 0 = none.
  std::array<char, 4> tag{};      // Segment id, NUL-terminated: "HI".
  const char* loop = nullptr;     // Static string: "2300", "2400"; nullptr if unknown.
  std::string pointer;            // JSON/FHIR: "/entry/0/resource/diagnosis/1".

  bool empty() const { return segment == 0 && pointer.empty(); }
  friend bool operator==(const Origin& a, const Origin& b) {
    return a.segment == b.segment && a.byte_offset == b.byte_offset && a.element == b.element &&
           a.component == b.component && a.repetition == b.repetition && a.tag == b.tag &&
           a.pointer == b.pointer;
  }
};

enum class ClaimKind { kUnknown, kProfessional, kInstitutional, kOral, kVision, kPharmacy };
enum class ClaimUse { kClaim, kPreauthorization, kPredetermination };
enum class Frequency { kOriginal, kReplacement, kVoid, kOther };
enum class PayerKind {
  kUnknown,
  kMedicare,
  kMedicaid,
  kCommercial,
  kWorkersComp,
  kAuto,
  kLiability,
  kTricare,
  kVa,
  kOther
};
enum class DiagnosisRole { kPrincipal, kOther, kAdmitting, kExternalCause, kReasonForVisit };
enum class CodeSystem { kIcd10Cm, kIcd9Cm, kUnknown };
enum class AccidentCause { kNone, kAuto, kEmployment, kOther };

// Stable lower-case words, as in the JSON claim format: "professional", "workers_comp" ...
std::string_view to_string(ClaimKind kind);
std::string_view to_string(ClaimUse use);
std::string_view to_string(Frequency frequency);
std::string_view to_string(PayerKind kind);
std::string_view to_string(DiagnosisRole role);
std::string_view to_string(CodeSystem system);
std::string_view to_string(AccidentCause cause);

std::optional<ClaimKind> parse_claim_kind(std::string_view word);
std::optional<PayerKind> parse_payer_kind(std::string_view word);
std::optional<DiagnosisRole> parse_diagnosis_role(std::string_view word);
std::optional<AccidentCause> parse_accident_cause(std::string_view word);

// CLM05-3 / JSON "frequency": "1" original, "7" replacement, "8" void, anything else kOther.
Frequency frequency_from_code(std::string_view code);
// SBR09 claim filing indicator -> payer kind (DOMAIN.md 2.2/3.2). Unknown values -> kOther;
// empty -> kUnknown.
PayerKind payer_kind_from_filing_indicator(std::string_view sbr09);

struct Provider {
  std::string npi;
  std::string tax_id;
  Origin origin;
};

struct Payer {
  std::string id;                // 2010BB NM109 / Coverage.payor identifier.
  std::string name;              // Payer organisation name (not PHI).
  std::string filing_indicator;  // SBR09 raw ("MB", "WC"...); JSON "program".
  PayerKind kind = PayerKind::kUnknown;
  Origin origin;
};

struct Patient {
  core::Phi<std::string> member_id;
  core::Phi<std::string> last_name;
  core::Phi<std::string> first_name;
  core::Phi<std::optional<core::Date>> birth_date;
  core::Phi<char> sex;  // 'F', 'M', 'U' or 0 when absent.
  Origin origin;        // The DMG (or Patient resource) the demographics came from.
};

struct Accident {
  AccidentCause cause = AccidentCause::kNone;  // The first related cause, for rules.
  std::vector<std::string> related_causes;     // CLM11-1..3 raw ("AA", "EM", "OA").
  std::optional<core::Date> date;              // DTP*439 / FHIR accident.date.
  std::string state;                           // CLM11-4 / FHIR locationAddress.state.
  Origin origin;
};

struct Diagnosis {
  int seq = 0;       // 1-based position in the claim's list (X12 HI order; FHIR sequence).
  std::string code;  // Normalised ("M62830"); empty when the value was unreadable.
  std::string raw;   // As sent.
  DiagnosisRole role = DiagnosisRole::kOther;
  CodeSystem code_system = CodeSystem::kUnknown;
  std::string qualifier;  // X12 qualifier ("ABK", "BF"); FHIR coding system URI.
  char poa = 0;           // 837I/FHIR present on admission: 'Y','N','U','W','1'; 0 = absent.
  Origin origin;
};

struct DateRange {
  core::Date from;
  core::Date to;
  friend bool operator==(const DateRange&, const DateRange&) = default;
};

// CPT/HCPCS modifiers are upper-case letters and digits ("RT", "F7", "25"): the X12 and
// claimaudit JSON readers upper-case what a sender wrote in lower case, as they do diagnosis
// codes, so that rules comparing with "RT" see "rt" too. The FHIR reader does so for modifiers
// coded in CPT or HCPCS or without a system; other systems keep their case (they may be
// case-sensitive local ones, e.g. "rooh" in the HL7 vision example).
inline void upper_case_modifier(std::string& modifier) {
  for (char& c : modifier) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
}

struct ServiceLine {
  int seq = 0;                      // LX01 / item.sequence.
  std::string procedure_qualifier;  // "HC", "CPT", "HCPCS", "CDT", system URI...
  std::string procedure_code;
  std::vector<std::string> modifiers;
  std::string revenue_code;                // 837I SV201 / FHIR item.revenue.
  std::string units;                       // Decimal string as sent ("1", "0.5").
  std::string unit_basis;                  // "UN", "MJ", "DA".
  std::string charge;                      // Decimal string as sent.
  std::optional<DateRange> service_dates;  // DTP*472 / servicedDate / servicedPeriod.
  std::vector<int> dx_pointers;            // Diagnosis seq values (X12 positions, FHIR resolved).
  std::string place_of_service;            // SV105 / locationCodeableConcept.
  std::vector<std::string> body_sites;     // FHIR item.bodySite codes.
  std::string control_number;              // REF*6R.
  Origin origin;                           // The LX (or item) of the line.
};

// 837I HI BH (HIxx-2 code, HIxx-4 D8 date) / FHIR supportingInfo category "occurrence".
// NUBC occurrence codes: 01-06 say an accident happened (DOMAIN.md 2.4, 4.6).
struct Occurrence {
  std::string code;
  std::optional<core::Date> date;
  Origin origin;  // The code (HIxx-2 / the supportingInfo's code).
};

// 837I HI BI (HIxx-2 code, HIxx-4 RD8 range) / FHIR supportingInfo "occurrencespan".
struct OccurrenceSpan {
  std::string code;
  std::optional<DateRange> period;
  Origin origin;
};

// 837I HI BE (HIxx-2 code, HIxx-5 amount) / FHIR supportingInfo "value".
struct ValueCode {
  std::string code;
  std::string amount;  // Decimal string as sent; empty when none.
  Origin origin;
};

enum class ProcedureSystem { kIcd10Pcs, kIcd9Cm, kOther };

// 837I HI BBR/BR/CAH (principal) and BBQ/BQ (other) / FHIR Claim.procedure.
struct Procedure {
  int seq = 0;       // 1-based position among the claim's procedures / procedure.sequence.
  std::string code;  // Upper case, without a decimal point ("0SG00ZZ"); raw when unreadable.
  std::string raw;   // As sent.
  bool principal = false;
  ProcedureSystem system = ProcedureSystem::kOther;
  std::string qualifier;  // X12 qualifier ("BBR"); FHIR coding system URI.
  std::optional<core::Date> date;
  Origin origin;
};

struct Note {
  std::string kind;  // NTE01 ("ADD", "DCP"...), FHIR supportingInfo category.
  core::Phi<std::string> text;
  Origin origin;
};

// Where a claim sits in its file; identity within the file (DOMAIN.md 2.6).
struct Envelope {
  std::string interchange_control;  // ISA13.
  std::string group_control;        // GS06.
  std::string transaction_control;  // ST02.
  std::string guide;                // GS08/ST03 ("005010X222A1"), "fhir-r4", "claimaudit.claim/1".
  std::string hl_path;              // "1/2" or "1/2/3".
  int position = 0;                 // 0-based index of the claim in its file.
};

struct Claim {
  std::string claim_id;  // CLM01 / identifier[0].value / claim_id.
  ClaimKind kind = ClaimKind::kUnknown;
  ClaimUse use = ClaimUse::kClaim;
  std::string frequency_code;  // CLM05-3 raw.
  Frequency frequency = Frequency::kOriginal;
  std::string replaces;  // REF*F8 payer claim control number / FHIR related claim.
  Provider billing_provider;
  Payer payer;
  Patient patient;
  std::string place_of_service;  // 837P CLM05-1.
  std::string facility_type;     // 837I CLM05-1 (type of bill = facility type + frequency).
  std::string total_charge;      // CLM02.
  Accident accident;
  std::optional<core::Date> onset_date;       // DTP*431 / supportingInfo onset.
  std::optional<DateRange> statement_period;  // 837I DTP*434 / billablePeriod.
  std::optional<core::Date> admission_date;   // 837I DTP*435.
  std::string admission_type;                 // 837I CL1-1.
  // The occurrence and occurrence span codes (HI BH and BI) in the order sent: what rules read
  // (claim.occurrence_codes). Readers fill it through add_occurrence()/add_occurrence_span().
  std::vector<std::string> occurrence_codes;
  std::vector<Occurrence> occurrences;           // 837I HI BH.
  std::vector<OccurrenceSpan> occurrence_spans;  // 837I HI BI.
  std::vector<ValueCode> value_codes;            // 837I HI BE.
  std::vector<std::string> condition_codes;      // HI BG codes.
  std::vector<Procedure> procedures;             // 837I HI BBR/BBQ (BR/BQ, CAH).
  std::vector<Diagnosis> diagnoses;
  std::vector<ServiceLine> lines;
  std::vector<Note> notes;
  bool has_attachment = false;  // PWK present.
  Envelope envelope;
  Origin origin;                              // The CLM segment / Claim resource.
  std::vector<core::Diagnostic> diagnostics;  // Problems inside this claim that did not stop it.
};

// A batch: what a reader yields at a time. X12: one ST; JSON/FHIR: one document.
struct Batch {
  std::vector<Claim> claims;
  std::vector<core::Diagnostic> diagnostics;  // Problems of the batch (envelope, a lost claim).
};

// Append an occurrence (span) and its code to claim.occurrence_codes, keeping the two in step.
void add_occurrence(Claim& claim, Occurrence occurrence);
void add_occurrence_span(Claim& claim, OccurrenceSpan span);

std::string_view to_string(ProcedureSystem system);  // "icd10pcs", "icd9cm", "other".
std::optional<ProcedureSystem> parse_procedure_system(std::string_view word);

// The claim's key across files (DOMAIN.md 2.6): billing provider (NPI, else tax id) + CLM01.
std::string claim_key(const Claim& claim);

// Age in whole years on `date`, if the birth date is known. PHI.
core::Phi<std::optional<int>> age_on(const Claim& claim, core::Date date);

// The claim's dates of service: every line's from-date, else the statement period (through
// date for institutional inpatient is the rule engine's choice, not the model's).
std::vector<core::Date> service_dates(const Claim& claim);

}  // namespace claimaudit::model
