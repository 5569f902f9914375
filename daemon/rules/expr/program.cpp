#include "rules/expr/program.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <re2/re2.h>

#include "codes/table_format.hpp"
#include "core/icd10_code.hpp"
#include "rules/expr/code_matcher.hpp"
#include "rules/expr/literal_regex.hpp"

namespace claimaudit::rules::expr {
namespace {

using model::Claim;
using model::Diagnosis;
using model::ServiceLine;

std::string_view one_char(char c) {
  static const auto kTable = [] {
    std::array<std::string, 256> strings;
    for (int i = 0; i < 256; ++i)
      strings[static_cast<std::size_t>(i)] = std::string(1, static_cast<char>(i));
    return strings;
  }();
  return kTable[static_cast<unsigned char>(c)];
}

std::size_t index_in(const Diagnosis* diagnosis, const Claim& claim) {
  return static_cast<std::size_t>(diagnosis - claim.diagnoses.data());
}
std::size_t index_in(const ServiceLine* line, const Claim& claim) {
  return static_cast<std::size_t>(line - claim.lines.data());
}

Value field_of(const Node& node, const Value& object, Context& context) {
  const ClaimFacts& facts = *context.facts;
  const Claim& claim = *facts.claim;
  switch (node.field) {
    case FieldId::kClaimId:
      return Value::string(claim.claim_id);
    case FieldId::kClaimKind:
      return Value::string(model::to_string(claim.kind));
    case FieldId::kClaimUse:
      return Value::string(model::to_string(claim.use));
    case FieldId::kClaimFormat:
      return Value::string(facts.format);
    case FieldId::kClaimGuide:
      return Value::string(claim.envelope.guide);
    case FieldId::kClaimFrequency:
      return Value::string(claim.frequency_code);
    case FieldId::kClaimFrequencyKind:
      return Value::string(model::to_string(claim.frequency));
    case FieldId::kClaimReplaces:
      return Value::string(claim.replaces);
    case FieldId::kClaimBillingProvider:
      return Value::record_of(TypeKind::kProvider, &claim.billing_provider);
    case FieldId::kClaimPayer:
      return Value::record_of(TypeKind::kPayer, &claim.payer);
    case FieldId::kClaimPatient:
      return Value::record_of(TypeKind::kPatient, &claim.patient);
    case FieldId::kClaimPlaceOfService:
      return Value::string(claim.place_of_service);
    case FieldId::kClaimFacilityType:
      return Value::string(claim.facility_type);
    case FieldId::kClaimInpatient:
      return Value::boolean(facts.inpatient);
    case FieldId::kClaimTotalCharge:
      return Value::string(claim.total_charge);
    case FieldId::kClaimAccident:
      return Value::record_of(TypeKind::kAccident, &claim.accident);
    case FieldId::kClaimOnsetDate:
      return claim.onset_date ? Value::date(*claim.onset_date)
                              : Value::unknown("claim.onset_date is absent");
    case FieldId::kClaimStatementPeriod:
      return claim.statement_period ? Value::record_of(TypeKind::kPeriod, &*claim.statement_period)
                                    : Value::unknown("claim.statement_period is absent");
    case FieldId::kClaimAdmissionDate:
      return claim.admission_date ? Value::date(*claim.admission_date)
                                  : Value::unknown("claim.admission_date is absent");
    case FieldId::kClaimAdmissionType:
      return Value::string(claim.admission_type);
    case FieldId::kClaimOccurrenceCodes:
      return Value::list_of(TypeKind::kString, ListKind::kStrings, &claim.occurrence_codes);
    case FieldId::kClaimConditionCodes:
      return Value::list_of(TypeKind::kString, ListKind::kStrings, &claim.condition_codes);
    case FieldId::kClaimDiagnoses:
      return Value::list_of(TypeKind::kDiagnosis, ListKind::kDiagnoses, &claim.diagnoses);
    case FieldId::kClaimLines:
      return Value::list_of(TypeKind::kLine, ListKind::kLines, &claim.lines);
    case FieldId::kClaimNotes:
      return Value::list_of(TypeKind::kNote, ListKind::kNotes, &claim.notes);
    case FieldId::kClaimHasNotes:
      return Value::boolean(!claim.notes.empty());
    case FieldId::kClaimHasAttachment:
      return Value::boolean(claim.has_attachment);
    case FieldId::kClaimDatesOfService:
      return Value::list_of(TypeKind::kDate, ListKind::kDates, &facts.dates_of_service);
    case FieldId::kClaimProblemCodes:
      return Value::list_of(TypeKind::kString, ListKind::kStrings, &facts.problem_codes);
    case FieldId::kProviderNpi:
      return Value::string(static_cast<const model::Provider*>(object.pointer)->npi);
    case FieldId::kProviderTaxId:
      return Value::string(static_cast<const model::Provider*>(object.pointer)->tax_id);
    case FieldId::kPayerId:
      return Value::string(static_cast<const model::Payer*>(object.pointer)->id);
    case FieldId::kPayerName:
      return Value::string(static_cast<const model::Payer*>(object.pointer)->name);
    case FieldId::kPayerProgram:
      return Value::string(static_cast<const model::Payer*>(object.pointer)->filing_indicator);
    case FieldId::kPayerKind:
      return Value::string(
          model::to_string(static_cast<const model::Payer*>(object.pointer)->kind));
    case FieldId::kPatientSex: {
      const char sex = static_cast<const model::Patient*>(object.pointer)->sex.reveal();
      return sex == 0 ? Value::unknown("claim.patient.sex is absent")
                      : Value::string(one_char(sex));
    }
    case FieldId::kPatientBirthDate: {
      const auto& birth = static_cast<const model::Patient*>(object.pointer)->birth_date.reveal();
      return birth ? Value::date(*birth) : Value::unknown("claim.patient.birth_date is absent");
    }
    case FieldId::kAccidentCause:
      return Value::string(
          model::to_string(static_cast<const model::Accident*>(object.pointer)->cause));
    case FieldId::kAccidentRelatedCauses:
      return Value::list_of(TypeKind::kString, ListKind::kStrings,
                            &static_cast<const model::Accident*>(object.pointer)->related_causes);
    case FieldId::kAccidentDate: {
      const auto& date = static_cast<const model::Accident*>(object.pointer)->date;
      return date ? Value::date(*date) : Value::unknown("claim.accident.date is absent");
    }
    case FieldId::kAccidentState:
      return Value::string(static_cast<const model::Accident*>(object.pointer)->state);
    case FieldId::kPeriodFrom:
      return Value::date(static_cast<const model::DateRange*>(object.pointer)->from);
    case FieldId::kPeriodTo:
      return Value::date(static_cast<const model::DateRange*>(object.pointer)->to);
    case FieldId::kDiagnosisSeq:
      return Value::integer(static_cast<const Diagnosis*>(object.pointer)->seq);
    case FieldId::kDiagnosisCode: {
      const auto* diagnosis = static_cast<const Diagnosis*>(object.pointer);
      if (diagnosis->code.empty()) return Value::unknown("diagnosis code unreadable");
      return Value::code(diagnosis->code, diagnosis->code_system == model::CodeSystem::kIcd9Cm);
    }
    case FieldId::kDiagnosisRaw:
      return Value::string(static_cast<const Diagnosis*>(object.pointer)->raw);
    case FieldId::kDiagnosisRole:
      return Value::string(model::to_string(static_cast<const Diagnosis*>(object.pointer)->role));
    case FieldId::kDiagnosisCodeSystem:
      return Value::string(
          model::to_string(static_cast<const Diagnosis*>(object.pointer)->code_system));
    case FieldId::kDiagnosisQualifier:
      return Value::string(static_cast<const Diagnosis*>(object.pointer)->qualifier);
    case FieldId::kDiagnosisPoa: {
      const char poa = static_cast<const Diagnosis*>(object.pointer)->poa;
      return poa == 0 ? Value::unknown("dx.poa is absent") : Value::string(one_char(poa));
    }
    case FieldId::kDiagnosisLines: {
      const auto* diagnosis = static_cast<const Diagnosis*>(object.pointer);
      return Value::list_of(TypeKind::kLine, ListKind::kLineRefs,
                            &facts.diagnosis_lines[index_in(diagnosis, claim)]);
    }
    case FieldId::kDiagnosisFirstListed:
      return Value::boolean(static_cast<const Diagnosis*>(object.pointer)->seq == 1);
    case FieldId::kDiagnosisFirstSeq: {
      const int first =
          facts.first_seq[index_in(static_cast<const Diagnosis*>(object.pointer), claim)];
      return first < 0 ? Value::unknown("diagnosis code unreadable") : Value::integer(first);
    }
    case FieldId::kLineSeq:
      return Value::integer(static_cast<const ServiceLine*>(object.pointer)->seq);
    case FieldId::kLineProcedure:
      return Value::record_of(TypeKind::kProcedure, object.pointer);
    case FieldId::kLineModifiers:
      return Value::list_of(TypeKind::kString, ListKind::kStrings,
                            &static_cast<const ServiceLine*>(object.pointer)->modifiers);
    case FieldId::kLineRevenueCode:
      return Value::string(static_cast<const ServiceLine*>(object.pointer)->revenue_code);
    case FieldId::kLineUnits:
      return Value::string(static_cast<const ServiceLine*>(object.pointer)->units);
    case FieldId::kLineUnitBasis:
      return Value::string(static_cast<const ServiceLine*>(object.pointer)->unit_basis);
    case FieldId::kLineCharge:
      return Value::string(static_cast<const ServiceLine*>(object.pointer)->charge);
    case FieldId::kLineServiceDate: {
      const auto& dates = static_cast<const ServiceLine*>(object.pointer)->service_dates;
      return dates ? Value::record_of(TypeKind::kPeriod, &*dates)
                   : Value::unknown("line.service_date is absent");
    }
    case FieldId::kLineDxPointers:
      return Value::list_of(TypeKind::kInt, ListKind::kInts,
                            &static_cast<const ServiceLine*>(object.pointer)->dx_pointers);
    case FieldId::kLineDiagnoses: {
      const auto* line = static_cast<const ServiceLine*>(object.pointer);
      return Value::list_of(TypeKind::kDiagnosis, ListKind::kDiagnosisRefs,
                            &facts.line_diagnoses[index_in(line, claim)]);
    }
    case FieldId::kLinePlaceOfService:
      return Value::string(static_cast<const ServiceLine*>(object.pointer)->place_of_service);
    case FieldId::kLineBodySites:
      return Value::list_of(TypeKind::kString, ListKind::kStrings,
                            &static_cast<const ServiceLine*>(object.pointer)->body_sites);
    case FieldId::kLineControlNumber:
      return Value::string(static_cast<const ServiceLine*>(object.pointer)->control_number);
    case FieldId::kProcedureCode:
      return Value::string(static_cast<const ServiceLine*>(object.pointer)->procedure_code);
    case FieldId::kProcedureQualifier:
      return Value::string(static_cast<const ServiceLine*>(object.pointer)->procedure_qualifier);
    case FieldId::kNoteKind:
      return Value::string(static_cast<const model::Note*>(object.pointer)->kind);
    case FieldId::kNone:
      break;
  }
  return Value::unknown("field not available");
}

int compare(const Value& a, const Value& b) {
  switch (a.kind) {
    case ValueKind::kInt:
    case ValueKind::kDate:
      return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
    default: {
      const int c = a.text().compare(b.text());
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
  }
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

class Evaluator {
 public:
  explicit Evaluator(Context& context)
      : context_(context),
        node_tracer_(context.tracer != nullptr && context.tracer->wants_nodes() ? context.tracer
                                                                                : nullptr) {}

  // Every case either returns at once or ends in a call in tail position, so eval() itself
  // needs no stack frame: the cases that evaluate children and then do more work are
  // functions of their own (never inlined here).
  Value eval(const Node& node) {
    if (node_tracer_ != nullptr) return eval_traced(node);
    // The compiler's shortcuts (FastPath): leaves, a variable's field, and/or, comparisons,
    // `in` a list, quantifiers are nearly all of the nodes a rule set evaluates.
    switch (node.fast) {
      case FastPath::kNone:
        break;
      case FastPath::kSlot:
        return context_.slots[static_cast<std::size_t>(node.slot)];
      case FastPath::kString:
        return Value::string(node.text);
      case FastPath::kCode:
        return Value::code(node.text);
      case FastPath::kInt:
        return Value::integer(node.number);
      case FastPath::kSlotField: {
        const Value& object = context_.slots[static_cast<std::size_t>(node.children[0]->slot)];
        if (object.is_unknown()) return object;
        return field_of(node, object, context_);
      }
      case FastPath::kSlotCode: {
        const Value& object = context_.slots[static_cast<std::size_t>(node.children[0]->slot)];
        if (object.is_unknown()) return object;
        const auto* diagnosis = static_cast<const model::Diagnosis*>(object.pointer);
        if (diagnosis->code.empty()) return Value::unknown("diagnosis code unreadable");
        return Value::code(diagnosis->code, diagnosis->code_system == model::CodeSystem::kIcd9Cm);
      }
      case FastPath::kLet: {
        const auto slot = static_cast<std::size_t>(node.slot);
        if (context_.let_state[slot] == 2) return context_.slots[slot];
        return eval_name(node);
      }
      case FastPath::kAnd:
        return eval_and(node);
      case FastPath::kOr:
        return eval_or(node);
      case FastPath::kCompareText:
        return eval_compare_text(node);
      case FastPath::kNot:
        return eval_not(node);
      case FastPath::kInMatcher:
      case FastPath::kInStrings:
        return eval_in_list(node);
      case FastPath::kEqual:
        return eval_equal(node);
      case FastPath::kQuantifier:
        return eval_quantifier(node);
      case FastPath::kIsEmpty:
        return eval_is_empty(node);
      case FastPath::kConstList:
        return Value::list_of(node.type.element, ListKind::kValues, node.constant_list.get());
      case FastPath::kTextCall:
        return eval_text_call(node);
      case FastPath::kCodeCall:
        return eval_code_call(node);
    }
    return eval_node(node);
  }

 private:
  [[gnu::noinline]] Value eval_traced(const Node& node) {
    node_tracer_->enter(node);
    const Value value = eval_node(node);
    node_tracer_->leave(node, value);
    return value;
  }

  // The FastPath cases that work after evaluating a child: each gives exactly what the general
  // path (eval_node) gives for its node.
  [[gnu::noinline]] Value eval_and(const Node& node) {
    const Value left = eval(*node.children[0]);
    if (left.is_false()) return left;
    const Value right = eval(*node.children[1]);
    if (right.is_false()) return right;
    if (left.is_unknown()) return left;
    return right;
  }
  [[gnu::noinline]] Value eval_or(const Node& node) {
    const Value left = eval(*node.children[0]);
    if (left.is_true()) return left;
    const Value right = eval(*node.children[1]);
    if (right.is_true()) return right;
    if (left.is_unknown()) return left;
    return right;
  }
  [[gnu::noinline]] Value eval_compare_text(const Node& node) {
    const Value left = eval(*node.children[0]);
    if (left.is_unknown()) return left;
    const Node& literal = *node.children[1];
    const bool same = left.kind == (literal.code_literal ? ValueKind::kCode : ValueKind::kString) &&
                      left.text() == std::string_view(literal.text);
    return Value::boolean(same == (node.op == Op::kEqual));
  }
  [[gnu::noinline]] Value eval_not(const Node& node) {
    const Value operand = eval(*node.children[0]);
    if (operand.is_unknown()) return operand;
    return Value::boolean(!operand.flag);
  }
  [[gnu::noinline]] Value eval_in_list(const Node& node) {
    const Value left = eval(*node.children[0]);
    if (left.is_unknown()) return left;
    const bool found = node.fast == FastPath::kInMatcher
                           ? node.matcher->matches(left.text())
                           : std::find(node.strings->begin(), node.strings->end(), left.text()) !=
                                 node.strings->end();
    return Value::boolean(found == (node.op == Op::kIn));
  }
  [[gnu::noinline]] Value eval_equal(const Node& node) {
    const Value left = eval(*node.children[0]);
    if (left.is_unknown()) return left;
    const Value right = eval(*node.children[1]);
    if (right.is_unknown()) return right;
    return Value::boolean(equal(left, right) == (node.op == Op::kEqual));
  }
  [[gnu::noinline]] Value eval_is_empty(const Node& node) {
    const Value list = eval(*node.children[0]);
    if (list.is_unknown()) return list;
    return Value::boolean(list_size(list) == 0);
  }

  Value eval_node(const Node& node) {
    switch (node.kind) {
      case NodeKind::kBool:
        return Value::boolean(node.number != 0);
      case NodeKind::kInt:
        return Value::integer(node.number);
      case NodeKind::kString:
        return node.code_literal ? Value::code(node.text) : Value::string(node.text);
      case NodeKind::kName:
        return eval_name(node);
      case NodeKind::kField: {
        const Value object = eval(*node.children[0]);
        if (object.is_unknown()) return object;
        return field_of(node, object, context_);
      }
      case NodeKind::kCall:
        return eval_call(node);
      case NodeKind::kList: {
        std::vector<Value>& out = context_.new_list();
        out.reserve(node.children.size());
        for (const auto& child : node.children) {
          const Value value = eval(*child);
          if (value.is_unknown()) return value;
          out.push_back(value);
        }
        return Value::list_of(node.type.element, ListKind::kValues, &out);
      }
      case NodeKind::kUnary: {
        const Value operand = eval(*node.children[0]);
        if (operand.is_unknown()) return operand;
        if (node.op == Op::kNot) return Value::boolean(!operand.flag);
        return Value::integer(-operand.number);
      }
      case NodeKind::kBinary:
        return eval_binary(node);
    }
    return Value::unknown("bad node");
  }

  [[gnu::noinline]] Value eval_name(const Node& node) {
    switch (node.name_kind) {
      case NameKind::kLet: {
        const auto slot = static_cast<std::size_t>(node.slot);
        if (context_.let_state[slot] == 2) return context_.slots[slot];
        if (context_.let_state[slot] == 1) return Value::unknown("let cycle");
        context_.let_state[slot] = 1;
        const Value value = eval(*context_.let_nodes[slot]);
        context_.slots[slot] = value;
        context_.let_state[slot] = 2;
        return value;
      }
      case NameKind::kVariable:
      case NameKind::kLoopVariable:
        return context_.slots[static_cast<std::size_t>(node.slot)];
      default:
        return Value::unknown("unresolved name");
    }
  }

  Value eval_matches(const Node& node) {
    const Value left = eval(*node.children[0]);
    if (left.is_unknown()) return left;
    if (node.literal_regex) {
      if (const auto matched = node.literal_regex->match(left.text())) {
        return Value::boolean(*matched);
      }
    }
    return Value::boolean(
        RE2::PartialMatch(re2::StringPiece(left.text().data(), left.text().size()), *node.regex));
  }

  Value eval_binary(const Node& node) {
    switch (node.op) {
      case Op::kAnd:
        return eval_and(node);
      case Op::kOr:
        return eval_or(node);
      case Op::kIn:
      case Op::kNotIn: {
        const Value result = eval_in(node);
        if (result.is_unknown() || node.op == Op::kIn) return result;
        return Value::boolean(!result.flag);
      }
      case Op::kMatches:
        return eval_matches(node);
      default:
        break;
    }
    const Value left = eval(*node.children[0]);
    if (left.is_unknown()) return left;
    const Value right = eval(*node.children[1]);
    if (right.is_unknown()) return right;
    switch (node.op) {
      case Op::kEqual:
        return Value::boolean(equal(left, right));
      case Op::kNotEqual:
        return Value::boolean(!equal(left, right));
      case Op::kLess:
        return Value::boolean(compare(left, right) < 0);
      case Op::kLessEqual:
        return Value::boolean(compare(left, right) <= 0);
      case Op::kGreater:
        return Value::boolean(compare(left, right) > 0);
      case Op::kGreaterEqual:
        return Value::boolean(compare(left, right) >= 0);
      case Op::kAdd:
        if (left.kind == ValueKind::kDate) {
          return Value::date(
              core::Date::from_days(static_cast<std::int32_t>(left.number + right.number)));
        }
        return Value::integer(left.number + right.number);
      case Op::kSubtract:
        if (left.kind == ValueKind::kDate && right.kind == ValueKind::kDate) {
          return Value::integer(left.number - right.number);
        }
        if (left.kind == ValueKind::kDate) {
          return Value::date(
              core::Date::from_days(static_cast<std::int32_t>(left.number - right.number)));
        }
        return Value::integer(left.number - right.number);
      default:
        return Value::unknown("bad operator");
    }
  }

  Value eval_in(const Node& node) {
    const Value left = eval(*node.children[0]);
    if (left.is_unknown()) return left;
    if (node.matcher) return Value::boolean(node.matcher->matches(left.text()));
    if (node.strings) {
      return Value::boolean(std::find(node.strings->begin(), node.strings->end(), left.text()) !=
                            node.strings->end());
    }
    const Value list = eval(*node.children[1]);
    if (list.is_unknown()) return list;
    const std::size_t size = list_size(list);
    for (std::size_t i = 0; i < size; ++i) {
      if (equal(left, list_at(list, i))) return Value::boolean(true);
    }
    return Value::boolean(false);
  }

  // Quantifiers: any/all/none/count/filter/map.
  [[gnu::noinline]] Value eval_quantifier(const Node& node) {
    const Value list = eval(*node.children[0]);
    if (list.is_unknown()) return list;
    const std::size_t size = list_size(list);
    const auto slot = static_cast<std::size_t>(node.slot);
    const Node& body = *node.children[2];
    Value unknown;
    bool saw_unknown = false;
    std::int64_t count = 0;
    std::vector<Value>* out = nullptr;
    if (makes_list(node.function)) out = &context_.new_list();
    for (std::size_t i = 0; i < size; ++i) {
      const Value element = list_at(list, i);
      context_.slots[slot] = element;
      const Value value = eval(body);
      if (value.is_unknown()) {
        keep_first_unknown(unknown, saw_unknown, value);
        if (collects(node.function)) return value;
        continue;
      }
      switch (node.function) {
        case FunctionId::kAny:
          if (value.flag) return Value::boolean(true);
          break;
        case FunctionId::kNoneOf:
          if (value.flag) return Value::boolean(false);
          break;
        case FunctionId::kAll:
          if (!value.flag) return Value::boolean(false);
          break;
        case FunctionId::kCount:
          count += static_cast<std::int64_t>(value.flag);
          break;
        case FunctionId::kFilter:
          if (value.flag) out->push_back(element);
          break;
        case FunctionId::kMap:
          out->push_back(value);
          break;
        default:
          break;
      }
    }
    if (saw_unknown) return unknown;
    return quantifier_result(node, count, out);
  }

  // eval_quantifier(): the quantifiers that stop at an unknown element (they collect or count).
  [[gnu::always_inline]] static bool collects(FunctionId function) {
    return function == FunctionId::kMap || function == FunctionId::kFilter ||
           function == FunctionId::kCount;
  }

  // eval_quantifier()'s filter/map: they make a list.
  [[gnu::always_inline]] static bool makes_list(FunctionId function) {
    return function == FunctionId::kFilter || function == FunctionId::kMap;
  }

  // eval_quantifier(): keeps the first unknown element's value.
  [[gnu::always_inline]] static void keep_first_unknown(Value& unknown, bool& saw_unknown,
                                                        const Value& value) {
    if (!saw_unknown) unknown = value;
    saw_unknown = true;
  }

  // eval_quantifier()'s result when every element was known and none decided it.
  [[gnu::always_inline]] static Value quantifier_result(const Node& node, std::int64_t count,
                                                        std::vector<Value>* out) {
    switch (node.function) {
      case FunctionId::kAny:
        return Value::boolean(false);
      case FunctionId::kNoneOf:
      case FunctionId::kAll:
        return Value::boolean(true);
      case FunctionId::kCount:
        return Value::integer(count);
      default:
        return Value::list_of(node.type.element, ListKind::kValues, out);
    }
  }

  // The date a code-set function asks about: its second argument, else dos.
  Value date_argument(const Node& node, std::size_t index) {
    if (node.children.size() > index) return eval(*node.children[index]);
    return context_.slots[static_cast<std::size_t>(Variable::kDateOfService)];
  }

  codes::Status status_of(std::string_view code, core::Date date) {
    Context::CachedStatus* cached = nullptr;
    return status_of(code, date, cached);
  }

  // As above; `cached` points at the cache entry afterwards (null when not cached).
  codes::Status status_of(std::string_view code, core::Date date, Context::CachedStatus*& cached) {
    using Cached = Context::CachedStatus;
    cached = nullptr;
    if (code.size() > std::tuple_size_v<decltype(Cached::code)>) {
      return context_.codes->status_on(code, date);
    }
    for (Cached& entry : context_.status_cache) {
      if (entry.date == date.days() && entry.size == code.size() &&
          std::string_view(entry.code.data(), entry.size) == code) {
        cached = &entry;
        return entry.status;
      }
    }
    const codes::Status status = context_.codes->status_on(code, date);
    if (context_.status_cache.size() < 64) {
      Cached& entry = context_.status_cache.emplace_back();
      std::copy(code.begin(), code.end(), entry.code.begin());
      entry.size = static_cast<std::uint8_t>(code.size());
      entry.date = date.days();
      entry.status = status;
      entry.classified = {};
      cached = &entry;
    }
    return status;
  }

  const codes::Edition* edition_for(core::Date date) {
    if (!context_.edition_known || context_.edition_day != date.days()) {
      context_.edition = context_.codes->edition_for(date);
      context_.edition_day = date.days();
      context_.edition_known = true;
    }
    return context_.edition;
  }

  void record_fact(std::string_view code, core::Date date) {
    ++context_.fact_sites;
    if (context_.tracer == nullptr) return;
    const codes::LookupResult result = context_.codes->lookup(code, date);
    Fact fact;
    fact.code = std::string(code);
    fact.date = date;
    fact.status = std::string(codes::to_string(result.status));
    fact.edition = result.edition;
    std::string detail;
    auto add = [&](const std::string& part) { detail += (detail.empty() ? "" : "; ") + part; };
    if (result.first_valid && result.status == codes::Status::kNotYetValid) {
      add("valid from " + result.first_valid->iso());
    }
    if (result.last_valid) add("billable until " + result.last_valid->iso());
    if (result.expanded_on) add("header since " + result.expanded_on->iso());
    auto join = [](const std::vector<std::string>& codes) {
      std::string out;
      for (const auto& c : codes) out += (out.empty() ? "" : ", ") + core::dotted_icd10(c);
      return out;
    };
    if (!result.replacements.empty()) add("replacements " + join(result.replacements));
    if (!result.children.empty() && result.children.size() <= 12) {
      add("children " + join(result.children));
    }
    fact.detail = std::move(detail);
    context_.tracer->fact(fact);
  }

  // Call only with a tracer (the caller builds `version` and `what` only then).
  void record_edit_fact(std::string_view code, core::Date date, const std::string& version,
                        bool listed, std::string_view what) {
    Fact fact;
    fact.code = std::string(code);
    fact.date = date;
    fact.status = listed ? "listed" : "not_listed";
    fact.edition = version;
    fact.detail = std::string(what);
    context_.tracer->fact(fact);
  }

  // Evaluates (code [, date]) and checks that the code set can answer. Returns false with
  // `unknown` set when it cannot.
  bool code_and_date(const Node& node, Value& code, core::Date& date, Value& unknown) {
    code = eval(*node.children[0]);
    if (code.is_unknown()) {
      unknown = code;
      return false;
    }
    const Value date_value = date_argument(node, 1);
    if (date_value.is_unknown()) {
      unknown = date_value;
      return false;
    }
    if (code.flag) {
      unknown = Value::unknown("ICD-9-CM code set not shipped");
      return false;
    }
    date = date_value.as_date();
    if (edition_for(date) == nullptr) {
      unknown = Value::unknown(context_.keep("no code-set edition covers " + date.iso()));
      return false;
    }
    return true;
  }

  Value codes_list(const std::vector<std::string>& codes) {
    std::vector<Value>& out = context_.new_list();
    out.reserve(codes.size());
    for (const std::string& code : codes) out.push_back(Value::code(context_.keep_copy(code)));
    return Value::list_of(TypeKind::kCode, ListKind::kValues, &out);
  }

  // specified_siblings() through the Context's memo (the same family is asked about again and
  // again across claims; the answer is a pure function of code and epoch).
  Value specified_siblings(std::string_view code, core::Date date) {
    const std::uint64_t key = code_epoch_key(*context_.codes, code, date);
    if (key == 0) return codes_list(context_.codes->specified_siblings(code, date));
    auto& memo = context_.siblings_memo;
    if (memo.codes_serial != context_.codes->serial()) {
      memo.clear();
      memo.codes_serial = context_.codes->serial();
    }
    const Context::SiblingsMemo::Slot* slot = memo.find(key);
    if (slot == nullptr) {
      const std::vector<std::string> siblings = context_.codes->specified_siblings(code, date);
      slot = memo.insert(key, siblings);
      if (slot == nullptr) return codes_list(siblings);
    }
    Value list =
        Value::list_of(TypeKind::kCode, ListKind::kValueSpan, memo.values.data() + slot->first);
    list.size = slot->count;
    return list;
  }

  // DOMAIN.md 4.3, step 3: "X500A" -> "X500XXA" when that is billable.
  std::string placeholder_candidate(std::string_view code, core::Date date) {
    if (code.size() < 4 || code.size() > 6) return {};
    const char last = code.back();
    if (last < 'A' || last > 'Z') return {};
    std::string stem(code.substr(0, code.size() - 1));
    if (stem.size() >= 6) return {};
    while (stem.size() < 6) stem += 'X';
    stem += last;
    return status_of(stem, date) == codes::Status::kBillable ? stem : std::string();
  }

  std::string_view classify(std::string_view code, core::Date date) {
    Context::CachedStatus* cached = nullptr;
    if (status_of(code, date, cached) == codes::Status::kBillable) return "billable";
    record_fact(code, date);
    if (cached != nullptr && !cached->classified.empty()) return cached->classified;
    std::string_view answer = "invalid";
    switch (context_.codes->classify_not_billable(code, date).kind) {
      case codes::NotBillable::kBillable:
        answer = "billable";
        break;
      case codes::NotBillable::kStale:
        answer = "stale";
        break;
      case codes::NotBillable::kSeventhCharacter:
      case codes::NotBillable::kPlaceholderMissing:
        answer = "seventh_character";
        break;
      case codes::NotBillable::kHeader:
        answer = "header";
        break;
      case codes::NotBillable::kInvalid:
      case codes::NotBillable::kOutsideCoverage:
        break;
    }
    if (cached != nullptr) cached->classified = answer;
    return answer;
  }

  // eval_call()'s join(list, separator).
  Value eval_join(const Node& node) {
    const Value list = eval(*node.children[0]);
    if (list.is_unknown()) return list;
    const Value separator = eval(*node.children[1]);
    if (separator.is_unknown()) return separator;
    std::string out;
    const std::size_t size = list_size(list);
    for (std::size_t i = 0; i < size; ++i) {
      if (i > 0) out += separator.text();
      render_to(out, list_at(list, i));
    }
    return Value::string(context_.keep(std::move(out)));
  }

  // eval_call()'s list helpers: distinct/first/min/max/is_empty.
  Value eval_list_helper(const Node& node) {
    const Value list = eval(*node.children[0]);
    if (list.is_unknown()) return list;
    const std::size_t size = list_size(list);
    switch (node.function) {
      case FunctionId::kIsEmpty:
        return Value::boolean(size == 0);
      case FunctionId::kFirst:
        return size == 0 ? Value::unknown("first() of an empty list") : list_at(list, 0);
      case FunctionId::kDistinct: {
        std::vector<Value>& out = context_.new_list();
        for (std::size_t i = 0; i < size; ++i) {
          const Value element = list_at(list, i);
          if (std::none_of(out.begin(), out.end(),
                           [&](const Value& seen) { return equal(seen, element); })) {
            out.push_back(element);
          }
        }
        return Value::list_of(list.record, ListKind::kValues, &out);
      }
      default: {
        if (size == 0) return Value::unknown("min()/max() of an empty list");
        Value best = list_at(list, 0);
        for (std::size_t i = 1; i < size; ++i) {
          const Value element = list_at(list, i);
          const bool better = node.function == FunctionId::kMin ? element.number < best.number
                                                                : element.number > best.number;
          if (better) best = element;
        }
        return best;
      }
    }
  }

  // eval_call()'s exists/parent/first_valid of a code.
  Value eval_code_lookup(const Node& node) {
    const Value code = eval(*node.children[0]);
    if (code.is_unknown()) return code;
    if (code.flag) return Value::unknown("ICD-9-CM code set not shipped");
    if (node.function == FunctionId::kExists) {
      return Value::boolean(context_.codes->exists(code.text()));
    }
    if (node.function == FunctionId::kParent) {
      std::string parent = context_.codes->parent(code.text());
      if (parent.empty()) return Value::unknown("a category has no parent");
      return Value::code(context_.keep(std::move(parent)));
    }
    for (const codes::Interval& interval : context_.codes->history(code.text())) {
      if (interval.billable) return Value::date(interval.from);
    }
    return Value::unknown("never billable");
  }

  // eval_call()'s edition/covered/mce_version of a date.
  Value eval_edition_call(const Node& node) {
    const Value date = date_argument(node, 0);
    if (date.is_unknown()) return date;
    const codes::Edition* edition = edition_for(date.as_date());
    if (node.function == FunctionId::kCovered) return Value::boolean(edition != nullptr);
    if (node.function == FunctionId::kEdition) {
      if (edition == nullptr) {
        return Value::unknown(context_.keep("no code-set edition covers " + date.as_date().iso()));
      }
      return Value::string(edition->name);
    }
    std::string version;
    context_.edits->mce_version(date.as_date(), version);
    return Value::string(context_.keep(std::move(version)));
  }

  // eval_value_call()'s year/month/day of a date.
  Value eval_date_part(const Node& node) {
    const Value date = eval(*node.children[0]);
    if (date.is_unknown()) return date;
    const core::Date d = date.as_date();
    return Value::integer(node.function == FunctionId::kYear    ? d.year()
                          : node.function == FunctionId::kMonth ? static_cast<int>(d.month())
                                                                : static_cast<int>(d.day()));
  }

  // eval_value_call()'s is_external_cause(code): a V, W, X or Y code.
  Value eval_is_external_cause(const Node& node) {
    const Value code = eval(*node.children[0]);
    if (code.is_unknown()) return code;
    if (code.flag) return Value::unknown("ICD-9-CM code set not shipped");
    const char first = code.text().empty() ? '\0' : code.text().front();
    return Value::boolean(first == 'V' || first == 'W' || first == 'X' || first == 'Y');
  }

  // eval_call()'s functions of plain values, and the code-set ones (eval_code_call()).
  Value eval_value_call(const Node& node) {
    // Functions of plain values: evaluate the arguments first.
    switch (node.function) {
      case FunctionId::kStartsWith:
      case FunctionId::kEndsWith:
      case FunctionId::kContains:
        return eval_text_call(node);
      case FunctionId::kLength: {
        const Value text = eval(*node.children[0]);
        if (text.is_unknown()) return text;
        return Value::integer(static_cast<std::int64_t>(text.text().size()));
      }
      case FunctionId::kDotted: {
        const Value code = eval(*node.children[0]);
        if (code.is_unknown()) return code;
        const bool icd9 = code.kind == ValueKind::kCode && code.flag;
        return Value::string(context_.keep(core::dotted_code(code.text(), icd9)));
      }
      case FunctionId::kYear:
      case FunctionId::kMonth:
      case FunctionId::kDay:
        return eval_date_part(node);
      case FunctionId::kDaysBetween: {
        const Value a = eval(*node.children[0]);
        if (a.is_unknown()) return a;
        const Value b = eval(*node.children[1]);
        if (b.is_unknown()) return b;
        return Value::integer(b.number - a.number);
      }
      case FunctionId::kIsExternalCause:
        return eval_is_external_cause(node);
      case FunctionId::kInRange:
      case FunctionId::kInList: {
        const Value code = eval(*node.children[0]);
        if (code.is_unknown()) return code;
        return Value::boolean(node.matcher->matches(code.text()));
      }
      case FunctionId::kInPairs: {
        const Value a = eval(*node.children[1]);
        if (a.is_unknown()) return a;
        const Value b = eval(*node.children[2]);
        if (b.is_unknown()) return b;
        return Value::boolean(node.pairs->matches(a.text(), b.text()));
      }
      case FunctionId::kExists:
      case FunctionId::kParent:
      case FunctionId::kFirstValid:
        return eval_code_lookup(node);
      case FunctionId::kEdition:
      case FunctionId::kCovered:
      case FunctionId::kMceVersion:
        return eval_edition_call(node);
      default:
        break;
    }
    return eval_code_call(node);
  }

  [[gnu::noinline]] Value eval_call(const Node& node) {
    switch (node.function) {
      case FunctionId::kAny:
      case FunctionId::kAll:
      case FunctionId::kNoneOf:
      case FunctionId::kFilter:
      case FunctionId::kMap:
        return eval_quantifier(node);
      case FunctionId::kCount: {
        if (node.children.size() == 3) return eval_quantifier(node);
        const Value list = eval(*node.children[0]);
        if (list.is_unknown()) return list;
        return Value::integer(static_cast<std::int64_t>(list_size(list)));
      }
      case FunctionId::kHas: {
        const Value value = eval(*node.children[0]);
        return Value::boolean(!value.is_unknown());
      }
      case FunctionId::kDate:
        return Value::date(node.date_value);
      case FunctionId::kJoin:
        return eval_join(node);
      case FunctionId::kIf: {
        // Only the branch taken is evaluated.
        const Value condition = eval(*node.children[0]);
        if (condition.is_unknown()) return condition;
        return eval(*node.children[condition.flag ? 1 : 2]);
      }
      default:
        break;
    }
    // List helpers.
    if (node.function == FunctionId::kDistinct || node.function == FunctionId::kFirst ||
        node.function == FunctionId::kMin || node.function == FunctionId::kMax ||
        node.function == FunctionId::kIsEmpty) {
      return eval_list_helper(node);
    }
    return eval_value_call(node);
  }

  [[gnu::noinline]] Value eval_text_call(const Node& node) {
    const Value text = eval(*node.children[0]);
    if (text.is_unknown()) return text;
    const Value part = eval(*node.children[1]);
    if (part.is_unknown()) return part;
    if (node.function == FunctionId::kStartsWith) {
      return Value::boolean(starts_with(text.text(), part.text()));
    }
    if (node.function == FunctionId::kEndsWith) {
      return Value::boolean(text.text().size() >= part.text().size() &&
                            text.text().substr(text.text().size() - part.text().size()) ==
                                part.text());
    }
    return Value::boolean(text.text().find(part.text()) != std::string_view::npos);
  }

  // Code-set and edit-list functions of (code [, date]).
  [[gnu::noinline]] Value eval_code_call(const Node& node) {
    Value code;
    core::Date date;
    Value unknown;
    if (!code_and_date(node, code, date, unknown)) return unknown;
    const std::string_view c = code.text();
    switch (node.function) {
      case FunctionId::kValidOn: {
        const codes::Status status = status_of(c, date);
        if (status != codes::Status::kBillable) record_fact(c, date);
        return Value::boolean(status == codes::Status::kBillable);
      }
      case FunctionId::kStatusOn: {
        const codes::Status status = status_of(c, date);
        if (status != codes::Status::kBillable) record_fact(c, date);
        return Value::string(codes::to_string(status));
      }
      case FunctionId::kIsHeader: {
        const codes::Status status = status_of(c, date);
        if (status == codes::Status::kHeader) record_fact(c, date);
        return Value::boolean(status == codes::Status::kHeader);
      }
      case FunctionId::kClassify:
        return Value::string(classify(c, date));
      case FunctionId::kPlaceholderFix: {
        std::string fixed = placeholder_candidate(c, date);
        if (fixed.empty()) return Value::unknown("no placeholder-X correction applies");
        return Value::code(context_.keep(std::move(fixed)));
      }
      case FunctionId::kIsUnspecified:
        return Value::boolean(context_.codes->is_unspecified_site(c, date));
      case FunctionId::kSpecifiedSiblings:
        return specified_siblings(c, date);
      case FunctionId::kReplacements: {
        record_fact(c, date);
        return codes_list(context_.codes->lookup(c, date).replacements);
      }
      case FunctionId::kChildren:
        return codes_list(context_.codes->billable_children(c, date));
      case FunctionId::kLaterality:
        return Value::string(codes::to_string(context_.codes->laterality(c, date)));
      case FunctionId::kTitle: {
        // A code in no edition has no title; say so ("S39.012X (not an ICD-10-CM code)") rather
        // than print an empty one.
        const std::string_view title = context_.codes->lookup_title(c, date);
        return Value::string(title.empty() ? std::string_view("not an ICD-10-CM code") : title);
      }
      case FunctionId::kLastValid:
      case FunctionId::kExpandedOn: {
        const codes::LookupResult result = context_.codes->lookup(c, date);
        const auto& value =
            node.function == FunctionId::kLastValid ? result.last_valid : result.expanded_on;
        if (!value) return Value::unknown("no such date in the code history");
        return Value::date(*value);
      }
      case FunctionId::kAgeEdit:
        return eval_age_edit(c, date);
      case FunctionId::kSexEdit:
        return eval_sex_edit(c, date);
      case FunctionId::kIsManifestation:
      case FunctionId::kUnacceptablePrincipal:
      case FunctionId::kQuestionableAdmission:
      case FunctionId::kPoaExempt:
        return eval_edit_list(node, c, date);
      default:
        break;
    }
    return Value::unknown("unknown function");
  }

  // eval_code_call()'s age_edit(): the MCE age edit's name.
  [[gnu::always_inline]] Value eval_age_edit(std::string_view c, core::Date date) {
    const codes::AgeEdit edit = context_.edits->age_edit_only(c, date);
    static constexpr std::array<std::string_view, 5> kNames = {"none", "newborn", "pediatric",
                                                               "maternity", "adult"};
    const std::string_view name = kNames[static_cast<std::size_t>(edit)];
    if (edit != codes::AgeEdit::kNone) ++context_.fact_sites;
    if (edit != codes::AgeEdit::kNone && context_.tracer != nullptr) {
      std::string version;
      context_.edits->age_edit(c, date, &version);
      record_edit_fact(c, date, version, true, "age edit: " + std::string(name));
    }
    return Value::string(name);
  }

  // eval_code_call()'s sex_edit(): the MCE sex edit's name.
  [[gnu::always_inline]] Value eval_sex_edit(std::string_view c, core::Date date) {
    const codes::SexEdit edit = context_.edits->sex_edit_only(c, date);
    static constexpr std::array<std::string_view, 3> kNames = {"none", "female_only", "male_only"};
    const std::string_view name = kNames[static_cast<std::size_t>(edit)];
    if (edit != codes::SexEdit::kNone) ++context_.fact_sites;
    if (edit != codes::SexEdit::kNone && context_.tracer != nullptr) {
      std::string version;
      context_.edits->sex_edit(c, date, &version);
      record_edit_fact(c, date, version, true, "sex edit: " + std::string(name));
    }
    return Value::string(name);
  }

  // eval_code_call()'s edit-list membership functions (is_manifestation() and the like).
  [[gnu::always_inline]] Value eval_edit_list(const Node& node, std::string_view c,
                                              core::Date date) {
    using List = codes::EditLists::List;
    List list;
    std::string_view what;
    switch (node.function) {
      case FunctionId::kIsManifestation:
        list = List::kManifestation;
        what = "MCE manifestation list";
        break;
      case FunctionId::kUnacceptablePrincipal:
        list = List::kUnacceptablePrincipal;
        what = "MCE unacceptable principal diagnosis list";
        break;
      case FunctionId::kQuestionableAdmission:
        list = List::kQuestionableAdmission;
        what = "MCE questionable admission list";
        break;
      default:
        list = List::kPoaExempt;
        what = "POA-exempt list";
        break;
    }
    const bool listed = context_.edits->listed(list, c, date);
    ++context_.fact_sites;
    if (context_.tracer != nullptr) {
      record_edit_fact(c, date, context_.edits->list_version(list, date), listed, what);
    }
    return Value::boolean(listed);
  }

  Context& context_;
  Tracer* node_tracer_;  // The tracer when it wants every node (enter/leave), else null.
};

}  // namespace

std::size_t list_size(const Value& list) {
  switch (list.list) {
    case ListKind::kDiagnoses:
      return static_cast<const std::vector<Diagnosis>*>(list.pointer)->size();
    case ListKind::kLines:
      return static_cast<const std::vector<ServiceLine>*>(list.pointer)->size();
    case ListKind::kNotes:
      return static_cast<const std::vector<model::Note>*>(list.pointer)->size();
    case ListKind::kDiagnosisRefs:
      return static_cast<const std::vector<const Diagnosis*>*>(list.pointer)->size();
    case ListKind::kLineRefs:
      return static_cast<const std::vector<const ServiceLine*>*>(list.pointer)->size();
    case ListKind::kStrings:
      return static_cast<const std::vector<std::string>*>(list.pointer)->size();
    case ListKind::kInts:
      return static_cast<const std::vector<int>*>(list.pointer)->size();
    case ListKind::kDates:
      return static_cast<const std::vector<core::Date>*>(list.pointer)->size();
    case ListKind::kValues:
      return static_cast<const std::vector<Value>*>(list.pointer)->size();
    case ListKind::kValueSpan:
      return list.size;
    case ListKind::kNone:
      break;
  }
  return 0;
}

Value list_at(const Value& list, std::size_t i) {
  switch (list.list) {
    case ListKind::kDiagnoses:
      return Value::record_of(TypeKind::kDiagnosis,
                              &(*static_cast<const std::vector<Diagnosis>*>(list.pointer))[i]);
    case ListKind::kLines:
      return Value::record_of(TypeKind::kLine,
                              &(*static_cast<const std::vector<ServiceLine>*>(list.pointer))[i]);
    case ListKind::kNotes:
      return Value::record_of(TypeKind::kNote,
                              &(*static_cast<const std::vector<model::Note>*>(list.pointer))[i]);
    case ListKind::kDiagnosisRefs:
      return Value::record_of(
          TypeKind::kDiagnosis,
          (*static_cast<const std::vector<const Diagnosis*>*>(list.pointer))[i]);
    case ListKind::kLineRefs:
      return Value::record_of(
          TypeKind::kLine, (*static_cast<const std::vector<const ServiceLine*>*>(list.pointer))[i]);
    case ListKind::kStrings:
      return Value::string((*static_cast<const std::vector<std::string>*>(list.pointer))[i]);
    case ListKind::kInts:
      return Value::integer((*static_cast<const std::vector<int>*>(list.pointer))[i]);
    case ListKind::kDates:
      return Value::date((*static_cast<const std::vector<core::Date>*>(list.pointer))[i]);
    case ListKind::kValues:
      return (*static_cast<const std::vector<Value>*>(list.pointer))[i];
    case ListKind::kValueSpan:
      return static_cast<const Value*>(list.pointer)[i];
    case ListKind::kNone:
      break;
  }
  return Value::unknown("bad list");
}

bool equal(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::kBool:
      return a.flag == b.flag;
    case ValueKind::kInt:
    case ValueKind::kDate:
      return a.number == b.number;
    case ValueKind::kString:
    case ValueKind::kCode:
      return a.text() == b.text();
    case ValueKind::kRecord:
      return a.pointer == b.pointer;
    default:
      return false;
  }
}

namespace {

void append_dotted(std::string& out, std::string_view code, bool icd9) {
  const std::size_t dot = icd9 ? core::icd9_dot_position(code) : 3;
  if (code.size() <= dot) {
    out += code;
    return;
  }
  out += code.substr(0, dot);
  out += '.';
  out += code.substr(dot);
}

void append_integer(std::string& out, std::int64_t number) {
  char buffer[24];
  const auto result = std::to_chars(std::begin(buffer), std::end(buffer), number);
  out.append(buffer, result.ptr);
}

// A diagnosis as its dotted code, a line as "line N", a period as "from..to", other records as
// their type's name.
void render_record_to(std::string& out, const Value& value) {
  switch (value.record) {
    case TypeKind::kDiagnosis: {
      const auto* diagnosis = static_cast<const Diagnosis*>(value.pointer);
      if (diagnosis->code.empty()) {
        out += diagnosis->raw;
      } else {
        append_dotted(out, diagnosis->code, diagnosis->code_system == model::CodeSystem::kIcd9Cm);
      }
      return;
    }
    case TypeKind::kLine:
      out += "line ";
      append_integer(out, static_cast<const ServiceLine*>(value.pointer)->seq);
      return;
    case TypeKind::kPeriod: {
      const auto* period = static_cast<const model::DateRange*>(value.pointer);
      out += period->from.iso();
      out += "..";
      out += period->to.iso();
      return;
    }
    default:
      out += to_string(Type::of(value.record));
      return;
  }
}

}  // namespace

void render_to(std::string& out, const Value& value, bool quote_strings) {
  switch (value.kind) {
    case ValueKind::kUnknown:
      if (quote_strings) {
        out += "unknown (";
        out += value.text();
        out += ')';
      } else {
        out += "unknown";
      }
      return;
    case ValueKind::kBool:
      out += value.flag ? "true" : "false";
      return;
    case ValueKind::kInt:
      append_integer(out, value.number);
      return;
    case ValueKind::kString:
      if (quote_strings) out += '"';
      out += value.text();
      if (quote_strings) out += '"';
      return;
    case ValueKind::kCode:
      append_dotted(out, value.text(), value.flag);  // flag: the code is ICD-9-CM.
      return;
    case ValueKind::kDate:
      out += value.as_date().iso();
      return;
    case ValueKind::kRecord:
      render_record_to(out, value);
      return;
    case ValueKind::kList: {
      const std::size_t size = list_size(value);
      if (size == 0) {
        out += quote_strings ? "[]" : "none";
        return;
      }
      if (quote_strings) out += '[';
      for (std::size_t i = 0; i < size; ++i) {
        if (i > 0) out += ", ";
        render_to(out, list_at(value, i), quote_strings);
      }
      if (quote_strings) out += ']';
      return;
    }
  }
}

std::string render(const Value& value, bool quote_strings) {
  std::string out;
  render_to(out, value, quote_strings);
  return out;
}

std::string describe(const Fact& fact) {
  std::string out = core::dotted_icd10(fact.code) + " on " + fact.date.iso() + ": " + fact.status;
  if (!fact.edition.empty()) out += " (" + fact.edition + ")";
  if (!fact.detail.empty()) out += "; " + fact.detail;
  return out;
}

std::string_view Context::keep(std::string text) {
  if (strings_used < strings.size()) {
    std::string& slot = strings[strings_used++];
    if (slot.capacity() >= text.size()) {
      slot.assign(text);
    } else {
      slot = std::move(text);
    }
    return slot;
  }
  ++strings_used;
  return strings.emplace_back(std::move(text));
}

std::string_view Context::keep_copy(std::string_view text) {
  if (strings_used < strings.size()) {
    std::string& slot = strings[strings_used++];
    slot.assign(text);
    return slot;
  }
  ++strings_used;
  return strings.emplace_back(text);
}

std::vector<Value>& Context::new_list() {
  if (lists_used < lists.size()) {
    std::vector<Value>& list = lists[lists_used++];
    list.clear();
    return list;
  }
  ++lists_used;
  return lists.emplace_back();
}

void Context::reset_slots(std::size_t count, std::span<const int> let_slots) {
  if (slots.size() < count) slots.resize(count);
  if (let_state.size() < count) let_state.resize(count);
  for (const int slot : let_slots) let_state[static_cast<std::size_t>(slot)] = 0;
}

const Context::SiblingsMemo::Slot* Context::SiblingsMemo::find(std::uint64_t key) const {
  if (slots.empty()) return nullptr;
  const std::size_t mask = slots.size() - 1;
  for (std::size_t i = (key * 0x9E3779B97F4A7C15ull) >> 40;; ++i) {
    const Slot& slot = slots[i & mask];
    if (slot.key == key) return &slot;
    if (slot.key == 0) return nullptr;
  }
}

const Context::SiblingsMemo::Slot* Context::SiblingsMemo::insert(
    std::uint64_t key, const std::vector<std::string>& siblings) {
  if (slots.empty()) {
    slots.assign(kSlots, Slot{});
    values.reserve(kCodes);
    chars.reserve(kCodes);
  }
  if (used >= kSlots * 3 / 4 || chars.size() + siblings.size() > kCodes) return nullptr;
  for (const std::string& code : siblings) {
    if (code.size() > 7) return nullptr;
  }
  const std::size_t mask = slots.size() - 1;
  std::size_t i = (key * 0x9E3779B97F4A7C15ull) >> 40;
  while (slots[i & mask].key != 0) ++i;
  Slot& slot = slots[i & mask];
  slot.key = key;
  slot.first = static_cast<std::uint32_t>(values.size());
  slot.count = static_cast<std::uint32_t>(siblings.size());
  for (const std::string& code : siblings) {
    std::array<char, 8>& cell = chars.emplace_back();
    std::copy(code.begin(), code.end(), cell.begin());
    values.push_back(Value::code(std::string_view(cell.data(), code.size())));
  }
  ++used;
  return &slot;
}

void Context::SiblingsMemo::clear() {
  if (!slots.empty()) std::fill(slots.begin(), slots.end(), Slot{});
  values.clear();
  chars.clear();
  used = 0;
}

void Context::clear_arena() {
  // Between claims: the only time the siblings memo may drop answers (a claim's lists point
  // into it).
  if (siblings_memo.used >= SiblingsMemo::kSlots / 2 ||
      siblings_memo.chars.size() >= SiblingsMemo::kCodes / 2) {
    siblings_memo.clear();
  }
  strings_used = 0;
  lists_used = 0;
  status_cache.clear();
  edition_known = false;
}

Value evaluate(const Node& node, Context& context) { return Evaluator(context).eval(node); }

std::uint64_t code_epoch_key(std::string_view code, std::uint32_t epoch) {
  if (code.empty() || code.size() > 7 || epoch > 0xFF) return 0;
  static constexpr auto kCodeChar = [] {
    std::array<bool, 256> table{};
    for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = true;
    for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
    return table;
  }();
  for (const char c : code) {
    if (!kCodeChar[static_cast<unsigned char>(c)]) return 0;
  }
  return codes::table::pack_code(code) | epoch;
}

std::uint64_t code_epoch_key(const codes::CodeSet& codes, std::string_view code, core::Date date) {
  if (code.empty() || code.size() > 7) return 0;
  return code_epoch_key(code, codes.epoch_of(date));
}

}  // namespace claimaudit::rules::expr
