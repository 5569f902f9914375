#include "formats/json/claim_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "core/icd10_code.hpp"

namespace claimaudit::formats::json {
namespace {

boost::json::value text_or_null(std::string_view text) {
  if (text.empty()) return nullptr;
  return boost::json::value(text);
}

boost::json::value date_or_null(const std::optional<core::Date>& date) {
  if (!date) return nullptr;
  return boost::json::value(date->iso());
}

boost::json::value range_or_null(const std::optional<model::DateRange>& range) {
  if (!range) return nullptr;
  return boost::json::object{{"from", range->from.iso()}, {"to", range->to.iso()}};
}

boost::json::array strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const auto& value : values) out.emplace_back(value);
  return out;
}

// The frequency code as the JSON format spells it: the raw CLM05-3 when there is one, else the
// code the derived meaning stands for (FHIR has no frequency code, only `related`).
boost::json::value frequency_value(const model::Claim& claim) {
  if (!claim.frequency_code.empty()) return boost::json::value(claim.frequency_code);
  switch (claim.frequency) {
    case model::Frequency::kOriginal:
      return "1";
    case model::Frequency::kReplacement:
      return "7";
    case model::Frequency::kVoid:
      return "8";
    case model::Frequency::kOther:
      break;
  }
  return nullptr;
}

boost::json::value patient_value(const model::Patient& patient, ShowPhi show_phi) {
  if (show_phi == ShowPhi::kNo) return boost::json::object{};
  const char sex = patient.sex.reveal();
  const bool empty = patient.member_id.reveal().empty() && patient.last_name.reveal().empty() &&
                     patient.first_name.reveal().empty() && !patient.birth_date.reveal() &&
                     sex == 0;
  if (empty) return nullptr;
  return boost::json::object{
      {"member_id", text_or_null(patient.member_id.reveal())},
      {"last_name", text_or_null(patient.last_name.reveal())},
      {"first_name", text_or_null(patient.first_name.reveal())},
      {"birth_date", date_or_null(patient.birth_date.reveal())},
      {"sex", sex == 0 ? boost::json::value(nullptr) : boost::json::value(std::string(1, sex))}};
}

boost::json::value accident_value(const model::Accident& accident) {
  if (accident.cause == model::AccidentCause::kNone && !accident.date && accident.state.empty() &&
      accident.related_causes.empty()) {
    return nullptr;
  }
  return boost::json::object{{"cause", accident.cause == model::AccidentCause::kNone
                                           ? boost::json::value(nullptr)
                                           : boost::json::value(model::to_string(accident.cause))},
                             {"date", date_or_null(accident.date)},
                             {"state", text_or_null(accident.state)},
                             {"related_causes", strings(accident.related_causes)}};
}

boost::json::object diagnosis_value(const model::Diagnosis& diagnosis) {
  const std::string code =
      diagnosis.code.empty()
          ? diagnosis.raw
          : core::dotted_code(diagnosis.code, diagnosis.code_system == model::CodeSystem::kIcd9Cm);
  return boost::json::object{
      {"seq", diagnosis.seq},
      {"code", code},
      {"role", model::to_string(diagnosis.role)},
      {"poa", diagnosis.poa == 0 ? boost::json::value(nullptr)
                                 : boost::json::value(std::string(1, diagnosis.poa))},
      {"code_system", model::to_string(diagnosis.code_system)},
      {"qualifier", text_or_null(diagnosis.qualifier)}};
}

boost::json::object line_value(const model::ServiceLine& line) {
  boost::json::value procedure = nullptr;
  if (!line.procedure_code.empty() || !line.procedure_qualifier.empty() ||
      !line.modifiers.empty()) {
    procedure = boost::json::object{{"system", text_or_null(line.procedure_qualifier)},
                                    {"code", text_or_null(line.procedure_code)},
                                    {"modifiers", strings(line.modifiers)}};
  }
  boost::json::array pointers;
  for (const int pointer : line.dx_pointers) pointers.emplace_back(pointer);
  return boost::json::object{{"seq", line.seq},
                             {"procedure", std::move(procedure)},
                             {"revenue_code", text_or_null(line.revenue_code)},
                             {"units", text_or_null(line.units)},
                             {"unit_basis", text_or_null(line.unit_basis)},
                             {"charge", text_or_null(line.charge)},
                             {"service_date", range_or_null(line.service_dates)},
                             {"dx_pointers", std::move(pointers)},
                             {"place_of_service", text_or_null(line.place_of_service)},
                             {"body_sites", strings(line.body_sites)},
                             {"control_number", text_or_null(line.control_number)}};
}

}  // namespace

boost::json::object claim_to_json(const model::Claim& claim, ShowPhi show_phi) {
  boost::json::object out;
  out["format"] = kClaimFormat;
  out["claim_id"] = claim.claim_id;
  out["kind"] = claim.kind == model::ClaimKind::kUnknown
                    ? boost::json::value(nullptr)
                    : boost::json::value(model::to_string(claim.kind));
  out["use"] = model::to_string(claim.use);
  out["frequency"] = frequency_value(claim);
  out["replaces"] = text_or_null(claim.replaces);
  if (claim.billing_provider.npi.empty() && claim.billing_provider.tax_id.empty()) {
    out["billing_provider"] = nullptr;
  } else {
    out["billing_provider"] =
        boost::json::object{{"npi", text_or_null(claim.billing_provider.npi)},
                            {"tax_id", text_or_null(claim.billing_provider.tax_id)}};
  }
  if (claim.payer.id.empty() && claim.payer.name.empty() && claim.payer.filing_indicator.empty()) {
    out["payer"] = nullptr;
  } else {
    out["payer"] = boost::json::object{{"id", text_or_null(claim.payer.id)},
                                       {"name", text_or_null(claim.payer.name)},
                                       {"program", text_or_null(claim.payer.filing_indicator)}};
  }
  out["payer_kind"] = claim.payer.kind == model::PayerKind::kUnknown
                          ? boost::json::value(nullptr)
                          : boost::json::value(model::to_string(claim.payer.kind));
  out["patient"] = patient_value(claim.patient, show_phi);
  out["onset_date"] = date_or_null(claim.onset_date);
  out["statement_period"] = range_or_null(claim.statement_period);
  out["admission_date"] = date_or_null(claim.admission_date);
  out["admission_type"] = text_or_null(claim.admission_type);
  out["place_of_service"] = text_or_null(claim.place_of_service);
  out["facility_type"] = text_or_null(claim.facility_type);
  out["total_charge"] = text_or_null(claim.total_charge);
  out["accident"] = accident_value(claim.accident);
  out["occurrence_codes"] = strings(claim.occurrence_codes);
  boost::json::array occurrences;
  for (const auto& occurrence : claim.occurrences) {
    occurrences.emplace_back(
        boost::json::object{{"code", occurrence.code}, {"date", date_or_null(occurrence.date)}});
  }
  out["occurrences"] = std::move(occurrences);
  boost::json::array spans;
  for (const auto& span : claim.occurrence_spans) {
    spans.emplace_back(
        boost::json::object{{"code", span.code}, {"period", range_or_null(span.period)}});
  }
  out["occurrence_spans"] = std::move(spans);
  boost::json::array values;
  for (const auto& value : claim.value_codes) {
    values.emplace_back(
        boost::json::object{{"code", value.code}, {"amount", text_or_null(value.amount)}});
  }
  out["value_codes"] = std::move(values);
  out["condition_codes"] = strings(claim.condition_codes);
  boost::json::array procedures;
  for (const auto& procedure : claim.procedures) {
    procedures.emplace_back(
        boost::json::object{{"seq", procedure.seq},
                            {"code", procedure.code},
                            {"system", model::to_string(procedure.system)},
                            {"role", procedure.principal ? "principal" : "other"},
                            {"qualifier", text_or_null(procedure.qualifier)},
                            {"date", date_or_null(procedure.date)}});
  }
  out["procedures"] = std::move(procedures);
  boost::json::array diagnoses;
  for (const auto& diagnosis : claim.diagnoses) diagnoses.emplace_back(diagnosis_value(diagnosis));
  out["diagnoses"] = std::move(diagnoses);
  boost::json::array lines;
  for (const auto& line : claim.lines) lines.emplace_back(line_value(line));
  out["lines"] = std::move(lines);
  boost::json::array notes;
  for (const auto& note : claim.notes) {
    boost::json::object value{{"kind", text_or_null(note.kind)}};
    if (show_phi == ShowPhi::kYes) value["text"] = note.text.reveal();
    notes.emplace_back(std::move(value));
  }
  out["notes"] = std::move(notes);
  out["has_attachment"] = claim.has_attachment;
  return out;
}

std::string where_text(const core::SourceLocation& where) {
  if (!where.path.empty()) return where.path;
  if (where.line > 0) {
    std::string out = "line " + std::to_string(where.line);
    if (where.column > 0) out += ", column " + std::to_string(where.column);
    return out;
  }
  return {};
}

boost::json::object finding_to_json(const model::Finding& finding, const model::Claim* claim) {
  bool icd9 = false;
  if (claim != nullptr && finding.diagnosis_seq > 0) {
    for (const auto& diagnosis : claim->diagnoses) {
      if (diagnosis.seq == finding.diagnosis_seq) {
        icd9 = diagnosis.code_system == model::CodeSystem::kIcd9Cm;
      }
    }
  }
  return boost::json::object{
      {"rule_id", finding.rule_id},
      {"severity", model::to_string(finding.severity)},
      {"mode", model::to_string(finding.mode)},
      // A diagnosis finding's code is dotted by its code system; a line finding's is the
      // line's procedure code, printed as it is.
      {"code", finding.code.empty() ? boost::json::value(nullptr)
               : finding.diagnosis_seq > 0
                   ? boost::json::value(core::dotted_code(finding.code, icd9))
                   : boost::json::value(finding.code)},
      {"diagnosis_seq", finding.diagnosis_seq},
      {"line_seq", finding.line_seq},
      {"where", finding.location.empty() ? finding.origin.pointer : finding.location},
      {"message", finding.message},
      {"predicts", text_or_null(finding.predicts)},
      {"fingerprint", finding.fingerprint}};
}

boost::json::object diagnostic_to_json(const core::Diagnostic& diagnostic) {
  return boost::json::object{{"severity", core::to_string(diagnostic.severity)},
                             {"code", diagnostic.code},
                             {"where", where_text(diagnostic.where)},
                             {"message", diagnostic.message}};
}

}  // namespace claimaudit::formats::json
