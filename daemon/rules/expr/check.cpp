#include "rules/expr/check.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/date.hpp"
#include "core/icd10_code.hpp"
#include "rules/expr/functions.hpp"
#include "rules/expr/printer.hpp"

namespace claimaudit::rules::expr {
namespace {

struct FieldInfo {
  TypeKind owner;
  const char* name;
  FieldId id;
  Type type;
  bool phi = false;
};

Type scalar(TypeKind kind) { return Type::of(kind); }
Type enumeration(EnumId id) { return Type{TypeKind::kString, TypeKind::kError, id}; }
Type list(TypeKind element) { return Type::list_of(element); }

const std::vector<FieldInfo>& fields() {
  static const std::vector<FieldInfo> kTable = {
      {TypeKind::kClaim, "id", FieldId::kClaimId, scalar(TypeKind::kString)},
      {TypeKind::kClaim, "kind", FieldId::kClaimKind, enumeration(EnumId::kClaimKind)},
      {TypeKind::kClaim, "use", FieldId::kClaimUse, enumeration(EnumId::kClaimUse)},
      {TypeKind::kClaim, "format", FieldId::kClaimFormat, enumeration(EnumId::kFormat)},
      {TypeKind::kClaim, "guide", FieldId::kClaimGuide, scalar(TypeKind::kString)},
      {TypeKind::kClaim, "frequency", FieldId::kClaimFrequency, scalar(TypeKind::kString)},
      {TypeKind::kClaim, "frequency_kind", FieldId::kClaimFrequencyKind,
       enumeration(EnumId::kFrequencyKind)},
      {TypeKind::kClaim, "replaces", FieldId::kClaimReplaces, scalar(TypeKind::kString)},
      {TypeKind::kClaim, "billing_provider", FieldId::kClaimBillingProvider,
       scalar(TypeKind::kProvider)},
      {TypeKind::kClaim, "payer", FieldId::kClaimPayer, scalar(TypeKind::kPayer)},
      {TypeKind::kClaim, "patient", FieldId::kClaimPatient, scalar(TypeKind::kPatient)},
      {TypeKind::kClaim, "place_of_service", FieldId::kClaimPlaceOfService,
       scalar(TypeKind::kString)},
      {TypeKind::kClaim, "facility_type", FieldId::kClaimFacilityType, scalar(TypeKind::kString)},
      {TypeKind::kClaim, "inpatient", FieldId::kClaimInpatient, scalar(TypeKind::kBool)},
      {TypeKind::kClaim, "total_charge", FieldId::kClaimTotalCharge, scalar(TypeKind::kString)},
      {TypeKind::kClaim, "accident", FieldId::kClaimAccident, scalar(TypeKind::kAccident)},
      {TypeKind::kClaim, "onset_date", FieldId::kClaimOnsetDate, scalar(TypeKind::kDate)},
      {TypeKind::kClaim, "statement_period", FieldId::kClaimStatementPeriod,
       scalar(TypeKind::kPeriod)},
      {TypeKind::kClaim, "admission_date", FieldId::kClaimAdmissionDate, scalar(TypeKind::kDate)},
      {TypeKind::kClaim, "admission_type", FieldId::kClaimAdmissionType, scalar(TypeKind::kString)},
      {TypeKind::kClaim, "occurrence_codes", FieldId::kClaimOccurrenceCodes,
       list(TypeKind::kString)},
      {TypeKind::kClaim, "condition_codes", FieldId::kClaimConditionCodes, list(TypeKind::kString)},
      {TypeKind::kClaim, "diagnoses", FieldId::kClaimDiagnoses, list(TypeKind::kDiagnosis)},
      {TypeKind::kClaim, "lines", FieldId::kClaimLines, list(TypeKind::kLine)},
      {TypeKind::kClaim, "notes", FieldId::kClaimNotes, list(TypeKind::kNote)},
      {TypeKind::kClaim, "has_notes", FieldId::kClaimHasNotes, scalar(TypeKind::kBool)},
      {TypeKind::kClaim, "has_attachment", FieldId::kClaimHasAttachment, scalar(TypeKind::kBool)},
      {TypeKind::kClaim, "dates_of_service", FieldId::kClaimDatesOfService, list(TypeKind::kDate)},
      {TypeKind::kClaim, "problem_codes", FieldId::kClaimProblemCodes, list(TypeKind::kString)},
      {TypeKind::kProvider, "npi", FieldId::kProviderNpi, scalar(TypeKind::kString)},
      {TypeKind::kProvider, "tax_id", FieldId::kProviderTaxId, scalar(TypeKind::kString)},
      {TypeKind::kPayer, "id", FieldId::kPayerId, scalar(TypeKind::kString)},
      {TypeKind::kPayer, "name", FieldId::kPayerName, scalar(TypeKind::kString)},
      {TypeKind::kPayer, "program", FieldId::kPayerProgram, scalar(TypeKind::kString)},
      {TypeKind::kPayer, "kind", FieldId::kPayerKind, enumeration(EnumId::kPayerKind)},
      {TypeKind::kPatient, "sex", FieldId::kPatientSex, scalar(TypeKind::kString), true},
      {TypeKind::kPatient, "birth_date", FieldId::kPatientBirthDate, scalar(TypeKind::kDate), true},
      {TypeKind::kAccident, "cause", FieldId::kAccidentCause, enumeration(EnumId::kAccidentCause)},
      {TypeKind::kAccident, "related_causes", FieldId::kAccidentRelatedCauses,
       list(TypeKind::kString)},
      {TypeKind::kAccident, "date", FieldId::kAccidentDate, scalar(TypeKind::kDate)},
      {TypeKind::kAccident, "state", FieldId::kAccidentState, scalar(TypeKind::kString)},
      {TypeKind::kPeriod, "from", FieldId::kPeriodFrom, scalar(TypeKind::kDate)},
      {TypeKind::kPeriod, "to", FieldId::kPeriodTo, scalar(TypeKind::kDate)},
      {TypeKind::kDiagnosis, "seq", FieldId::kDiagnosisSeq, scalar(TypeKind::kInt)},
      {TypeKind::kDiagnosis, "code", FieldId::kDiagnosisCode, scalar(TypeKind::kCode)},
      {TypeKind::kDiagnosis, "raw", FieldId::kDiagnosisRaw, scalar(TypeKind::kString)},
      {TypeKind::kDiagnosis, "role", FieldId::kDiagnosisRole, enumeration(EnumId::kDiagnosisRole)},
      {TypeKind::kDiagnosis, "code_system", FieldId::kDiagnosisCodeSystem,
       enumeration(EnumId::kCodeSystem)},
      {TypeKind::kDiagnosis, "qualifier", FieldId::kDiagnosisQualifier, scalar(TypeKind::kString)},
      {TypeKind::kDiagnosis, "poa", FieldId::kDiagnosisPoa, scalar(TypeKind::kString)},
      {TypeKind::kDiagnosis, "lines", FieldId::kDiagnosisLines, list(TypeKind::kLine)},
      {TypeKind::kDiagnosis, "first_listed", FieldId::kDiagnosisFirstListed,
       scalar(TypeKind::kBool)},
      {TypeKind::kDiagnosis, "first_seq", FieldId::kDiagnosisFirstSeq, scalar(TypeKind::kInt)},
      {TypeKind::kLine, "seq", FieldId::kLineSeq, scalar(TypeKind::kInt)},
      {TypeKind::kLine, "procedure", FieldId::kLineProcedure, scalar(TypeKind::kProcedure)},
      {TypeKind::kLine, "modifiers", FieldId::kLineModifiers, list(TypeKind::kString)},
      {TypeKind::kLine, "revenue_code", FieldId::kLineRevenueCode, scalar(TypeKind::kString)},
      {TypeKind::kLine, "units", FieldId::kLineUnits, scalar(TypeKind::kString)},
      {TypeKind::kLine, "unit_basis", FieldId::kLineUnitBasis, scalar(TypeKind::kString)},
      {TypeKind::kLine, "charge", FieldId::kLineCharge, scalar(TypeKind::kString)},
      {TypeKind::kLine, "service_date", FieldId::kLineServiceDate, scalar(TypeKind::kPeriod)},
      {TypeKind::kLine, "dx_pointers", FieldId::kLineDxPointers, list(TypeKind::kInt)},
      {TypeKind::kLine, "diagnoses", FieldId::kLineDiagnoses, list(TypeKind::kDiagnosis)},
      {TypeKind::kLine, "place_of_service", FieldId::kLinePlaceOfService,
       scalar(TypeKind::kString)},
      {TypeKind::kLine, "body_sites", FieldId::kLineBodySites, list(TypeKind::kString)},
      {TypeKind::kLine, "control_number", FieldId::kLineControlNumber, scalar(TypeKind::kString)},
      {TypeKind::kProcedure, "code", FieldId::kProcedureCode, scalar(TypeKind::kString)},
      {TypeKind::kProcedure, "qualifier", FieldId::kProcedureQualifier, scalar(TypeKind::kString)},
      {TypeKind::kNote, "kind", FieldId::kNoteKind, scalar(TypeKind::kString)},
  };
  return kTable;
}

bool is_scalar(TypeKind kind) {
  return kind == TypeKind::kBool || kind == TypeKind::kInt || kind == TypeKind::kString ||
         kind == TypeKind::kCode || kind == TypeKind::kDate;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "an int", "a string".
std::string a(const Type& type) {
  const std::string name = to_string(type);
  const bool vowel = !name.empty() && std::string("aeiou").find(name[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + name;
}

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string best = did_you_mean(word, candidates);
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

}  // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    // A prefix ("diag" for "diagnoses") is a good guess too.
    if (candidate.size() > word.size() && word.size() >= 3 &&
        candidate.compare(0, word.size(), word) == 0) {
      distance = std::min<std::size_t>(distance, 1);
    }
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string_view to_string(Scope scope) {
  switch (scope) {
    case Scope::kClaim:
      return "claim";
    case Scope::kDiagnosis:
      return "diagnosis";
    case Scope::kLine:
      return "line";
  }
  return "claim";
}

std::string to_string(const Type& type) {
  switch (type.kind) {
    case TypeKind::kError:
      return "error";
    case TypeKind::kBool:
      return "bool";
    case TypeKind::kInt:
      return "int";
    case TypeKind::kString:
      return "string";
    case TypeKind::kCode:
      return "code";
    case TypeKind::kDate:
      return "date";
    case TypeKind::kClaim:
      return "claim";
    case TypeKind::kDiagnosis:
      return "diagnosis";
    case TypeKind::kLine:
      return "line";
    case TypeKind::kPatient:
      return "patient";
    case TypeKind::kPayer:
      return "payer";
    case TypeKind::kProvider:
      return "provider";
    case TypeKind::kAccident:
      return "accident";
    case TypeKind::kProcedure:
      return "procedure";
    case TypeKind::kPeriod:
      return "period";
    case TypeKind::kNote:
      return "note";
    case TypeKind::kList:
      return "list<" + to_string(Type::of(type.element)) + ">";
    case TypeKind::kEmptyList:
      return "empty list";
  }
  return "error";
}

const std::vector<std::string>& enum_values(EnumId id) {
  static const std::vector<std::string> kNone;
  static const std::vector<std::string> kClaimKind = {"professional", "institutional", "oral",
                                                      "vision",       "pharmacy",      "unknown"};
  static const std::vector<std::string> kClaimUse = {"claim", "preauthorization",
                                                     "predetermination"};
  static const std::vector<std::string> kFormat = {"x12", "fhir", "json"};
  static const std::vector<std::string> kFrequency = {"original", "replacement", "void", "other"};
  static const std::vector<std::string> kPayer = {
      "medicare",  "medicaid", "commercial", "workers_comp", "auto",
      "liability", "tricare",  "va",         "other",        "unknown"};
  static const std::vector<std::string> kRole = {"principal", "admitting", "reason_for_visit",
                                                 "external_cause", "other"};
  static const std::vector<std::string> kSystem = {"icd10cm", "icd9cm", "unknown"};
  static const std::vector<std::string> kCause = {"none", "auto", "employment", "other"};
  static const std::vector<std::string> kStatus = {"billable",      "header",  "not_yet_valid",
                                                   "deleted",       "unknown", "before_icd10",
                                                   "after_coverage"};
  static const std::vector<std::string> kClassification = {"billable", "stale", "seventh_character",
                                                           "header", "invalid"};
  static const std::vector<std::string> kAge = {"none", "newborn", "pediatric", "maternity",
                                                "adult"};
  static const std::vector<std::string> kSex = {"none", "female_only", "male_only"};
  static const std::vector<std::string> kSide = {"none", "right", "left", "bilateral",
                                                 "unspecified"};
  switch (id) {
    case EnumId::kNone:
      return kNone;
    case EnumId::kClaimKind:
      return kClaimKind;
    case EnumId::kClaimUse:
      return kClaimUse;
    case EnumId::kFormat:
      return kFormat;
    case EnumId::kFrequencyKind:
      return kFrequency;
    case EnumId::kPayerKind:
      return kPayer;
    case EnumId::kDiagnosisRole:
      return kRole;
    case EnumId::kCodeSystem:
      return kSystem;
    case EnumId::kAccidentCause:
      return kCause;
    case EnumId::kStatus:
      return kStatus;
    case EnumId::kClassification:
      return kClassification;
    case EnumId::kAgeEdit:
      return kAge;
    case EnumId::kSexEdit:
      return kSex;
    case EnumId::kLaterality:
      return kSide;
  }
  return kNone;
}

Node::~Node() = default;

NodePtr clone_syntax(const Node& node) {
  auto copy = std::make_unique<Node>();
  copy->kind = node.kind;
  copy->op = node.op;
  copy->text = node.text;
  copy->number = node.number;
  copy->offset = node.offset;
  copy->length = node.length;
  copy->source = node.source;
  for (const auto& child : node.children) copy->children.push_back(clone_syntax(*child));
  return copy;
}

Checker::Checker(Scope scope, const Definitions& definitions, Issues& issues)
    : scope_(scope), definitions_(definitions), issues_(issues) {}

int Checker::declare_let(const std::string& name, const Type& type) {
  const int slot = next_slot_++;
  lets_.push_back(Let{name, type, slot});
  return slot;
}

bool Checker::is_declared(const std::string& name) const {
  if (name == "claim" || name == "dx" || name == "line" || name == "dos" || name == "age") {
    return true;
  }
  if (definitions_.lists.count(name) > 0 || definitions_.macros.count(name) > 0) return true;
  return std::any_of(lets_.begin(), lets_.end(), [&](const Let& let) { return let.name == name; });
}

Type Checker::check(NodePtr& root) { return visit(root); }

void Checker::check_condition(NodePtr& root, const char* what) {
  const Type type = visit(root);
  if (!type.is_error() && type.kind != TypeKind::kBool) {
    error(*root, "E-RULE-NOT-BOOL",
          std::string(what) + " must be true or false, but this is " + a(type));
  }
}

void Checker::error(const Node& node, std::string code, std::string message) {
  issues_.push_back(Issue{core::Severity::kError, std::move(code), std::move(message), node.source,
                          node.offset, node.length});
}

void Checker::propagate(Node& node) {
  for (const auto& child : node.children) {
    node.phi = node.phi || child->phi;
    node.needs_date = node.needs_date || child->needs_date;
  }
}

bool Checker::coerce_code_literal(Node& node, const Type& actual) {
  if (node.kind != NodeKind::kString || actual.kind != TypeKind::kString) return false;
  std::string message;
  auto pattern = parse_code_pattern(node.text, &message);
  if (!pattern) {
    error(node, "E-RULE-CODE-LITERAL", message);
  } else if (pattern->kind != CodePattern::Kind::kExact) {
    error(node, "E-RULE-CODE-LITERAL",
          "'" + node.text + "' is a code pattern; patterns are allowed only after 'in'");
  } else {
    node.text = pattern->first;
    code_uses_.push_back(CodeUse{pattern->first, node.source, node.offset, node.length});
  }
  node.code_literal = true;
  node.type = Type::of(TypeKind::kCode);
  return true;
}

void Checker::check_enum_literal(const Type& enum_type, Node& literal) {
  if (enum_type.enumeration == EnumId::kNone || literal.kind != NodeKind::kString) return;
  const auto& values = enum_values(enum_type.enumeration);
  if (std::find(values.begin(), values.end(), literal.text) != values.end()) return;
  std::string list;
  for (const auto& value : values) list += (list.empty() ? "" : ", ") + value;
  const std::string best = did_you_mean(literal.text, values);
  error(literal, "E-RULE-TYPE",
        "\"" + literal.text + "\" is not one of " + list +
            (best.empty() ? "" : " (did you mean \"" + best + "\"?)"));
}

bool Checker::expect_type(Node& node, const Type& actual, TypeKind wanted, const char* what) {
  if (actual.is_error()) return false;
  if (wanted == TypeKind::kCode && coerce_code_literal(node, actual)) return true;
  if (actual.kind == wanted) return true;
  error(node, "E-RULE-TYPE",
        std::string(what) + " must be " + a(Type::of(wanted)) + ", not " + a(actual));
  return false;
}

Type Checker::visit(NodePtr& node) {
  Type type;
  switch (node->kind) {
    case NodeKind::kBool:
      type = Type::of(TypeKind::kBool);
      break;
    case NodeKind::kInt:
      type = Type::of(TypeKind::kInt);
      break;
    case NodeKind::kString:
      type = Type::of(TypeKind::kString);
      break;
    case NodeKind::kName:
      return visit_name(node);  // May replace the node (macro).
    case NodeKind::kField:
      type = visit_field(*node);
      break;
    case NodeKind::kCall:
      return visit_call(node);
    case NodeKind::kList:
      type = visit_list(*node);
      break;
    case NodeKind::kUnary:
      type = visit_unary(*node);
      break;
    case NodeKind::kBinary:
      type = visit_binary(*node);
      break;
  }
  node->type = type;
  propagate(*node);
  return type;
}

Type Checker::visit_name(NodePtr& node) {
  const std::string& name = node->text;
  for (auto it = loop_.rbegin(); it != loop_.rend(); ++it) {
    if (it->name == name) {
      node->name_kind = NameKind::kLoopVariable;
      node->slot = it->slot;
      node->type = it->type;
      return node->type;
    }
  }
  for (const Let& let : lets_) {
    if (let.name == name) {
      node->name_kind = NameKind::kLet;
      node->slot = let.slot;
      node->type = let.type;
      return node->type;
    }
  }
  if (auto type = visit_variable(*node)) return *type;
  if (auto macro = definitions_.macros.find(name); macro != definitions_.macros.end()) {
    if (!macro->second.params.empty()) {
      error(*node, "E-RULE-ARGUMENTS",
            "macro '" + name + "' takes " + std::to_string(macro->second.params.size()) +
                " argument(s): write " + name + "(...)");
      return node->type = Type{};
    }
    return expand_macro(node, name, macro->second);
  }
  if (auto found = definitions_.lists.find(name); found != definitions_.lists.end()) {
    found->second.used = true;
    error(*node, "E-RULE-LIST",
          "list '" + name + "' can only be used after 'in' or in in_list()/in_pairs()");
    return node->type = Type{};
  }
  return unknown_name(*node);
}

// The built-in variables (claim, dos, age, dx, line); nullopt for any other name.
std::optional<Type> Checker::visit_variable(Node& node) {
  const std::string& name = node.text;
  auto variable = [&](Variable v, TypeKind kind) {
    node.name_kind = NameKind::kVariable;
    node.slot = static_cast<int>(v);
    node.type = Type::of(kind);
    return node.type;
  };
  if (name == "claim") return variable(Variable::kClaim, TypeKind::kClaim);
  if (name == "dos") {
    node.needs_date = true;
    return variable(Variable::kDateOfService, TypeKind::kDate);
  }
  if (name == "age") {
    node.needs_date = true;
    node.phi = true;
    return variable(Variable::kAge, TypeKind::kInt);
  }
  if (name == "dx") {
    if (scope_ == Scope::kDiagnosis) return variable(Variable::kDiagnosis, TypeKind::kDiagnosis);
    error(node, "E-RULE-UNKNOWN-NAME",
          "'dx' is bound only in diagnosis-scope rules (this rule has scope " +
              std::string(to_string(scope_)) + ")");
    return node.type = Type{};
  }
  if (name == "line") {
    if (scope_ == Scope::kLine) return variable(Variable::kLine, TypeKind::kLine);
    error(node, "E-RULE-UNKNOWN-NAME",
          "'line' is bound only in line-scope rules (this rule has scope " +
              std::string(to_string(scope_)) + ")");
    return node.type = Type{};
  }
  return std::nullopt;
}

// E-RULE-UNKNOWN-NAME with the nearest name in scope, or a hint for an unquoted code.
Type Checker::unknown_name(Node& node) {
  const std::string& name = node.text;
  std::vector<std::string> candidates = {"claim", "dos", "age"};
  if (scope_ == Scope::kDiagnosis) candidates.push_back("dx");
  if (scope_ == Scope::kLine) candidates.push_back("line");
  for (const auto& loop : loop_) candidates.push_back(loop.name);
  for (const auto& let : lets_) candidates.push_back(let.name);
  for (const auto& [macro_name, macro] : definitions_.macros) candidates.push_back(macro_name);
  for (const auto& [list_name, list] : definitions_.lists) candidates.push_back(list_name);
  const bool looks_like_code =
      core::normalize_icd10(name).has_value() &&
      std::any_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
  error(node, "E-RULE-UNKNOWN-NAME",
        "unknown name '" + name + "'" +
            (looks_like_code ? " (write codes as strings: \"" + name + "\")"
                             : suggestion(name, candidates)));
  return node.type = Type{};
}

Type Checker::expand_macro(NodePtr& node, const std::string& name, const MacroDefinition& macro) {
  macro.used = true;
  if (std::find(macro_stack_.begin(), macro_stack_.end(), name) != macro_stack_.end()) {
    std::string cycle;
    for (const auto& entry : macro_stack_) cycle += entry + " -> ";
    error(*node, "E-RULE-MACRO-CYCLE", "macros use each other in a cycle: " + cycle + name);
    node->type = Type{};
    return node->type;
  }
  NodePtr expansion = clone_syntax(*macro.body);
  if (!macro.params.empty()) {
    // Substitute parameters by the argument syntax (the call's children).
    std::vector<NodePtr> arguments = std::move(node->children);
    auto substitute = [&](auto& self, NodePtr& current) -> void {
      if (current->kind == NodeKind::kName) {
        for (std::size_t i = 0; i < macro.params.size(); ++i) {
          if (current->text == macro.params[i]) {
            current = clone_syntax(*arguments[i]);
            return;
          }
        }
      }
      for (auto& child : current->children) self(self, child);
    };
    substitute(substitute, expansion);
  }
  macro_stack_.push_back(name);
  const Type type = visit(expansion);
  macro_stack_.pop_back();
  node = std::move(expansion);
  return type;
}

Type Checker::visit_field(Node& node) {
  NodePtr& object = node.children[0];
  const Type owner = visit(object);
  if (owner.is_error()) return Type{};
  std::vector<std::string> candidates;
  for (const FieldInfo& info : fields()) {
    if (info.owner != owner.kind) continue;
    if (node.text == info.name) {
      node.field = info.id;
      node.phi = info.phi;
      return info.type;
    }
    candidates.push_back(info.name);
  }
  if (candidates.empty()) {
    error(node, "E-RULE-UNKNOWN-FIELD", "" + a(owner) + " has no fields ('" + node.text + "')");
    return Type{};
  }
  static const std::vector<std::pair<std::string, std::string>> kAliases = {
      {"dx", "diagnoses"},         {"dxs", "diagnoses"},
      {"diagnosis", "diagnoses"},  {"line", "lines"},
      {"modifier", "modifiers"},   {"pointers", "dx_pointers"},
      {"dos", "dates_of_service"}, {"procedure_code", "procedure"},
      {"sex", "patient"}};
  std::string best = did_you_mean(node.text, candidates);
  for (const auto& [alias, target] : kAliases) {
    if (node.text == alias &&
        std::find(candidates.begin(), candidates.end(), target) != candidates.end()) {
      best = target;
    }
  }
  error(node, "E-RULE-UNKNOWN-FIELD",
        "unknown field '" + print(node) + "'" +
            (best.empty() ? " (" + a(owner) + " has no such field)"
                          : " (did you mean '" + best + "'?)"));
  return Type{};
}

Type Checker::visit_list(Node& node) {
  Type element = Type::of(TypeKind::kEmptyList);
  bool error_seen = false;
  for (auto& child : node.children) {
    const Type type = visit(child);
    if (type.is_error()) {
      error_seen = true;
      continue;
    }
    if (!is_scalar(type.kind)) {
      error(*child, "E-RULE-TYPE", "list literals hold plain values, not " + a(type));
      error_seen = true;
      continue;
    }
    if (element.kind == TypeKind::kEmptyList) {
      element = type;
    } else if (element.kind != type.kind) {
      error(
          *child, "E-RULE-TYPE",
          "list elements must share one type: " + to_string(element) + " then " + to_string(type));
      error_seen = true;
    }
  }
  if (error_seen) return Type{};
  if (element.kind == TypeKind::kEmptyList) return element;
  Type type = Type::list_of(element.kind);
  type.enumeration = element.enumeration;
  return type;
}

Type Checker::visit_unary(Node& node) {
  const Type operand = visit(node.children[0]);
  if (node.op == Op::kNot) {
    if (expect_type(*node.children[0], operand, TypeKind::kBool, "the operand of 'not'")) {
      return Type::of(TypeKind::kBool);
    }
    return Type{};
  }
  if (expect_type(*node.children[0], operand, TypeKind::kInt, "the operand of '-'")) {
    return Type::of(TypeKind::kInt);
  }
  return Type{};
}

Type Checker::visit_binary(Node& node) {
  if (node.op == Op::kIn || node.op == Op::kNotIn) return visit_in(node);
  Node& left_node = *node.children[0];
  Node& right_node = *node.children[1];
  const Type left = visit(node.children[0]);
  if (node.op == Op::kMatches) return visit_matches(node, left);
  const Type right = visit(node.children[1]);
  if (left.is_error() || right.is_error()) return Type{};
  switch (node.op) {
    case Op::kAnd:
    case Op::kOr: {
      const bool ok_left = expect_type(left_node, left, TypeKind::kBool, "each side of and/or");
      const bool ok_right = expect_type(right_node, right, TypeKind::kBool, "each side of and/or");
      return ok_left && ok_right ? Type::of(TypeKind::kBool) : Type{};
    }
    case Op::kEqual:
    case Op::kNotEqual:
    case Op::kLess:
    case Op::kLessEqual:
    case Op::kGreater:
    case Op::kGreaterEqual:
      return check_comparison(node, left, right);
    case Op::kAdd:
    case Op::kSubtract:
      return check_arithmetic(node, left, right);
    default:
      break;
  }
  return Type{};
}

// `left matches "regex"`: the right side is a pattern string, checked when compiled.
Type Checker::visit_matches(Node& node, const Type& left) {
  if (left.is_error()) return Type{};
  if (left.kind != TypeKind::kString && left.kind != TypeKind::kCode) {
    error(*node.children[0], "E-RULE-TYPE",
          "'matches' needs a string or code on its left, not " + a(left));
    return Type{};
  }
  node.children[1]->type = Type::of(TypeKind::kString);
  return Type::of(TypeKind::kBool);
}

// ==, !=, <, <=, >, >= over two values of one plain type.
Type Checker::check_comparison(Node& node, Type left, Type right) {
  Node& left_node = *node.children[0];
  Node& right_node = *node.children[1];
  // A string literal beside a code is a code literal.
  if (left.kind == TypeKind::kCode && coerce_code_literal(right_node, right)) right = left;
  if (right.kind == TypeKind::kCode && coerce_code_literal(left_node, left)) left = right;
  const bool ordering = node.op != Op::kEqual && node.op != Op::kNotEqual;
  if (!is_scalar(left.kind) || !is_scalar(right.kind) || left.kind != right.kind) {
    error(node, "E-RULE-TYPE", "cannot compare " + a(left) + " with " + a(right));
    return Type{};
  }
  if (ordering && (left.kind == TypeKind::kBool || left.kind == TypeKind::kCode)) {
    error(node, "E-RULE-TYPE",
          "'" + to_string(node.op) + "' compares numbers, dates or strings, not " + a(left));
    return Type{};
  }
  if (left.kind == TypeKind::kString) {
    check_enum_literal(left, right_node);
    check_enum_literal(right, left_node);
  }
  return Type::of(TypeKind::kBool);
}

// + and -: numbers, a date and a number of days, or (-) two dates.
Type Checker::check_arithmetic(Node& node, const Type& left, const Type& right) {
  if (left.kind == TypeKind::kInt && right.kind == TypeKind::kInt) {
    return Type::of(TypeKind::kInt);
  }
  if (left.kind == TypeKind::kDate && right.kind == TypeKind::kInt) {
    return Type::of(TypeKind::kDate);
  }
  if (node.op == Op::kSubtract && left.kind == TypeKind::kDate && right.kind == TypeKind::kDate) {
    return Type::of(TypeKind::kInt);
  }
  error(node, "E-RULE-TYPE",
        "cannot " + std::string(node.op == Op::kAdd ? "add " : "subtract ") + a(right) +
            (node.op == Op::kAdd ? " to " : " from ") + a(left));
  return Type{};
}

Type Checker::visit_in(Node& node) {
  Node& right_node = *node.children[1];
  const Type left = visit(node.children[0]);
  // A list name.
  if (right_node.kind == NodeKind::kName && definitions_.lists.count(right_node.text) > 0 &&
      std::none_of(loop_.begin(), loop_.end(),
                   [&](const LoopVariable& v) { return v.name == right_node.text; })) {
    return check_in_list_name(node, left);
  }
  // A literal list of code patterns.
  if (left.kind == TypeKind::kCode && right_node.kind == NodeKind::kList &&
      std::all_of(right_node.children.begin(), right_node.children.end(),
                  [](const NodePtr& child) { return child->kind == NodeKind::kString; })) {
    return check_in_code_literals(node);
  }
  Type right = visit(node.children[1]);
  if (left.is_error() || right.is_error()) return Type{};
  if (right.kind == TypeKind::kEmptyList) return Type::of(TypeKind::kBool);
  if (right.kind != TypeKind::kList) {
    error(right_node, "E-RULE-TYPE", "'in' needs a list on its right, not " + a(right));
    return Type{};
  }
  if (right.element == TypeKind::kCode && right_node.kind == NodeKind::kList) {
    for (auto& child : right_node.children) coerce_code_literal(*child, child->type);
  }
  if (left.kind != right.element || !is_scalar(left.kind)) {
    error(node, "E-RULE-TYPE", "cannot look for " + a(left) + " in " + a(right));
    return Type{};
  }
  if (left.kind == TypeKind::kString && right_node.kind == NodeKind::kList) {
    for (auto& child : right_node.children) check_enum_literal(left, *child);
  }
  return Type::of(TypeKind::kBool);
}

// `value in list_name`: a codes or strings list of the definitions.
Type Checker::check_in_list_name(Node& node, const Type& left) {
  Node& left_node = *node.children[0];
  Node& right_node = *node.children[1];
  const ListDefinition& list = definitions_.lists.at(right_node.text);
  list.used = true;
  right_node.name_kind = NameKind::kList;
  if (left.is_error()) return Type{};
  if (list.kind == ListDefinition::Kind::kCodes) {
    if (!expect_type(left_node, left, TypeKind::kCode, "the value before 'in' a codes list")) {
      return Type{};
    }
    node.matcher = list.codes;
    return Type::of(TypeKind::kBool);
  }
  if (list.kind == ListDefinition::Kind::kStrings) {
    if (left.kind != TypeKind::kString) {
      error(left_node, "E-RULE-LIST",
            "list '" + right_node.text + "' holds strings; the value before 'in' is " + a(left));
      return Type{};
    }
    node.strings = list.strings;
    return Type::of(TypeKind::kBool);
  }
  error(right_node, "E-RULE-LIST",
        "list '" + right_node.text + "' holds pairs: use in_pairs(" + right_node.text + ", a, b)");
  return Type{};
}

// `code in ["A00", "B2*", ...]`: the strings are code patterns, matched by one matcher.
Type Checker::check_in_code_literals(Node& node) {
  Node& right_node = *node.children[1];
  auto matcher = std::make_shared<CodeMatcher>();
  bool ok = true;
  for (auto& child : right_node.children) {
    std::string message;
    auto pattern = parse_code_pattern(child->text, &message);
    child->code_literal = true;
    child->type = Type::of(TypeKind::kCode);
    if (!pattern) {
      error(*child, "E-RULE-CODE-LITERAL", message);
      ok = false;
      continue;
    }
    if (pattern->kind == CodePattern::Kind::kExact) {
      code_uses_.push_back(CodeUse{pattern->first, child->source, child->offset, child->length});
    }
    child->text = pattern->kind == CodePattern::Kind::kExact ? pattern->first : child->text;
    matcher->add(std::move(*pattern));
  }
  right_node.type = Type::list_of(TypeKind::kCode);
  if (!ok) return Type{};
  node.matcher = std::move(matcher);
  return Type::of(TypeKind::kBool);
}

Type Checker::visit_call(NodePtr& node) {
  const std::string& name = node->text;
  if (auto macro = definitions_.macros.find(name); macro != definitions_.macros.end()) {
    if (macro->second.params.size() != node->children.size()) {
      error(*node, "E-RULE-ARGUMENTS",
            "macro '" + name + "' takes " + std::to_string(macro->second.params.size()) +
                " argument(s), given " + std::to_string(node->children.size()));
      macro->second.used = true;
      node->type = Type{};
      return node->type;
    }
    return expand_macro(node, name, macro->second);
  }
  for (const FunctionInfo& info : functions()) {
    if (name == info.name) {
      node->function = info.id;
      break;
    }
  }
  if (node->function == FunctionId::kNone) {
    std::vector<std::string> candidates;
    for (const FunctionInfo& info : functions()) candidates.emplace_back(info.name);
    for (const auto& [macro_name, macro] : definitions_.macros) {
      if (!macro.params.empty()) candidates.push_back(macro_name);
    }
    error(*node, "E-RULE-UNKNOWN-FUNCTION",
          "unknown function '" + name + "'" + suggestion(name, candidates));
    node->type = Type{};
    return node->type;
  }
  node->type = check_function(*node);
  propagate(*node);
  return node->type;
}

// A call of a built-in function: arity, argument types, and the result type. One case per group
// of functions that share a signature.
Type Checker::check_function(Node& node) {
  switch (node.function) {
    case FunctionId::kAny:
    case FunctionId::kAll:
    case FunctionId::kNoneOf:
    case FunctionId::kCount:
    case FunctionId::kFilter:
    case FunctionId::kMap:
      return check_loop_function(node);
    case FunctionId::kDistinct:
    case FunctionId::kFirst:
    case FunctionId::kMin:
    case FunctionId::kMax:
    case FunctionId::kIsEmpty:
      return check_list_function(node);
    case FunctionId::kHas:
      return check_has(node);
    case FunctionId::kStartsWith:
    case FunctionId::kEndsWith:
    case FunctionId::kContains:
      return check_text_function(node);
    case FunctionId::kLength:
      return check_length(node);
    case FunctionId::kDotted:
      return check_one_argument(node, TypeKind::kCode, "dotted()'s argument",
                                Type::of(TypeKind::kString));
    case FunctionId::kJoin:
      return check_join(node);
    case FunctionId::kDate:
      return check_date_literal(node);
    case FunctionId::kYear:
    case FunctionId::kMonth:
    case FunctionId::kDay:
      return check_one_argument(node, TypeKind::kDate, node.text + "()'s argument",
                                Type::of(TypeKind::kInt));
    case FunctionId::kDaysBetween:
      return check_days_between(node);
    case FunctionId::kValidOn:
    case FunctionId::kIsHeader:
    case FunctionId::kIsUnspecified:
    case FunctionId::kIsManifestation:
    case FunctionId::kUnacceptablePrincipal:
    case FunctionId::kQuestionableAdmission:
    case FunctionId::kPoaExempt:
      return check_code_function(node, Type::of(TypeKind::kBool));
    case FunctionId::kStatusOn:
      return check_code_function(node, enumeration(EnumId::kStatus));
    case FunctionId::kClassify:
      return check_code_function(node, enumeration(EnumId::kClassification));
    case FunctionId::kAgeEdit:
      return check_code_function(node, enumeration(EnumId::kAgeEdit));
    case FunctionId::kSexEdit:
      return check_code_function(node, enumeration(EnumId::kSexEdit));
    case FunctionId::kLaterality:
      return check_code_function(node, enumeration(EnumId::kLaterality));
    case FunctionId::kPlaceholderFix:
      return check_code_function(node, Type::of(TypeKind::kCode));
    case FunctionId::kSpecifiedSiblings:
    case FunctionId::kReplacements:
    case FunctionId::kChildren:
      return check_code_function(node, Type::list_of(TypeKind::kCode));
    case FunctionId::kTitle:
      return check_code_function(node, Type::of(TypeKind::kString));
    case FunctionId::kLastValid:
    case FunctionId::kExpandedOn:
      return check_code_function(node, Type::of(TypeKind::kDate));
    case FunctionId::kExists:
    case FunctionId::kIsExternalCause:
      return check_one_argument(node, TypeKind::kCode, node.text + "()'s argument",
                                Type::of(TypeKind::kBool));
    case FunctionId::kParent:
      return check_one_argument(node, TypeKind::kCode, "parent()'s argument",
                                Type::of(TypeKind::kCode));
    case FunctionId::kFirstValid:
      return check_one_argument(node, TypeKind::kCode, "first_valid()'s argument",
                                Type::of(TypeKind::kDate));
    case FunctionId::kEdition:
      return check_date_function(node, Type::of(TypeKind::kString));
    case FunctionId::kCovered:
      return check_date_function(node, Type::of(TypeKind::kBool));
    case FunctionId::kMceVersion:
      return check_date_function(node, Type::of(TypeKind::kString));
    case FunctionId::kIf:
      return check_if(node);
    case FunctionId::kInRange:
      return check_in_range(node);
    case FunctionId::kInList:
    case FunctionId::kInPairs:
      return check_in_list(node);
    case FunctionId::kNone:
      break;
  }
  return Type{};
}

// E-RULE-ARGUMENTS unless the call has low..high arguments.
bool Checker::arity(Node& node, std::size_t low, std::size_t high) {
  const std::size_t given = node.children.size();
  if (given >= low && given <= high) return true;
  std::string expected =
      low == high ? std::to_string(low) : std::to_string(low) + " or " + std::to_string(high);
  error(node, "E-RULE-ARGUMENTS",
        node.text + "() takes " + expected + " argument(s), given " + std::to_string(given));
  return false;
}

// Visits argument `index` and requires type `kind`.
bool Checker::check_argument(Node& node, std::size_t index, TypeKind kind, const char* what) {
  const Type type = visit(node.children[index]);
  return expect_type(*node.children[index], type, kind, what);
}

// Functions of one argument of type `kind`.
Type Checker::check_one_argument(Node& node, TypeKind kind, const std::string& what, Type result) {
  if (!arity(node, 1, 1)) return Type{};
  return check_argument(node, 0, kind, what.c_str()) ? result : Type{};
}

// days_between(date, date).
Type Checker::check_days_between(Node& node) {
  if (!arity(node, 2, 2)) return Type{};
  const bool a = check_argument(node, 0, TypeKind::kDate, "days_between()'s first argument");
  const bool b = check_argument(node, 1, TypeKind::kDate, "days_between()'s second argument");
  return a && b ? Type::of(TypeKind::kInt) : Type{};
}

// Code-set functions: (code [, date]); without a date they read dos.
Type Checker::check_code_function(Node& node, Type result) {
  if (!arity(node, 1, 2)) return Type{};
  const std::string& name = node.text;
  bool ok = check_argument(node, 0, TypeKind::kCode, (name + "()'s first argument").c_str());
  if (node.children.size() == 2) {
    ok = check_argument(node, 1, TypeKind::kDate, (name + "()'s date").c_str()) && ok;
  } else {
    node.needs_date = true;
  }
  return ok ? result : Type{};
}

// Functions of an optional date, dos without it.
Type Checker::check_date_function(Node& node, Type result) {
  if (!arity(node, 0, 1)) return Type{};
  if (node.children.empty()) {
    node.needs_date = true;
    return result;
  }
  return check_argument(node, 0, TypeKind::kDate, (node.text + "()'s argument").c_str()) ? result
                                                                                         : Type{};
}

// any, all, none_of, count, filter, map: (list, element name, body).
Type Checker::check_loop_function(Node& node) {
  auto& args = node.children;
  const std::string& name = node.text;
  if (node.function == FunctionId::kCount && args.size() == 1) return check_count_of_list(node);
  if (!arity(node, 3, 3)) return Type{};
  const Type list_type = visit(args[0]);
  if (args[1]->kind != NodeKind::kName) {
    error(*args[1], "E-RULE-SYNTAX",
          name + "()'s second argument names each element, like d in " + name +
              "(claim.diagnoses, d, d.code == \"M62.830\")");
    return Type{};
  }
  if (list_type.is_error()) return Type{};
  if (list_type.kind != TypeKind::kList) {
    error(*args[0], "E-RULE-TYPE", name + "() needs a list first, not " + a(list_type));
    return Type{};
  }
  if (is_declared(args[1]->text)) {
    error(*args[1], "E-RULE-DUPLICATE-ID",
          "'" + args[1]->text + "' is already a name here; choose another element name");
    return Type{};
  }
  const int slot = next_slot_++;
  Type element = Type::of(list_type.element);
  element.enumeration = list_type.enumeration;
  args[1]->name_kind = NameKind::kLoopVariable;
  args[1]->slot = slot;
  args[1]->type = element;
  node.slot = slot;
  loop_.push_back(LoopVariable{args[1]->text, element, slot});
  const Type body = visit(args[2]);
  loop_.pop_back();
  if (body.is_error()) return Type{};
  if (node.function == FunctionId::kMap) {
    if (!is_scalar(body.kind)) {
      error(*args[2], "E-RULE-TYPE", "map() produces plain values, not " + a(body));
      return Type{};
    }
    Type result = Type::list_of(body.kind);
    result.enumeration = body.enumeration;
    return result;
  }
  if (!expect_type(*args[2], body, TypeKind::kBool, (name + "()'s condition").c_str())) {
    return Type{};
  }
  if (node.function == FunctionId::kFilter) return list_type;
  if (node.function == FunctionId::kCount) return Type::of(TypeKind::kInt);
  return Type::of(TypeKind::kBool);
}

// count(list): the length of a list.
Type Checker::check_count_of_list(Node& node) {
  const Type list_type = visit(node.children[0]);
  if (list_type.is_error()) return Type{};
  if (list_type.kind != TypeKind::kList && list_type.kind != TypeKind::kEmptyList) {
    error(*node.children[0], "E-RULE-TYPE", "count() needs a list, not " + a(list_type));
    return Type{};
  }
  return Type::of(TypeKind::kInt);
}

// distinct, first, min, max, is_empty: (list).
Type Checker::check_list_function(Node& node) {
  if (!arity(node, 1, 1)) return Type{};
  const Type list_type = visit(node.children[0]);
  if (list_type.is_error()) return Type{};
  if (list_type.kind == TypeKind::kEmptyList) {
    return node.function == FunctionId::kIsEmpty ? Type::of(TypeKind::kBool) : list_type;
  }
  Node& list = *node.children[0];
  if (list_type.kind != TypeKind::kList) {
    error(list, "E-RULE-TYPE", node.text + "() needs a list, not " + a(list_type));
    return Type{};
  }
  Type element = Type::of(list_type.element);
  element.enumeration = list_type.enumeration;
  switch (node.function) {
    case FunctionId::kIsEmpty:
      return Type::of(TypeKind::kBool);
    case FunctionId::kFirst:
      return element;
    case FunctionId::kDistinct:
      if (!is_scalar(element.kind)) {
        error(list, "E-RULE-TYPE", "distinct() needs a list of plain values");
        return Type{};
      }
      return list_type;
    default:
      if (element.kind != TypeKind::kInt && element.kind != TypeKind::kDate) {
        error(list, "E-RULE-TYPE",
              node.text + "() needs a list of numbers or dates, not " + a(list_type));
        return Type{};
      }
      return element;
  }
}

// has(field): whether an optional field (or dos, age) is present.
Type Checker::check_has(Node& node) {
  if (!arity(node, 1, 1)) return Type{};
  Node& target = *node.children[0];
  const bool selectable =
      target.kind == NodeKind::kField ||
      (target.kind == NodeKind::kName && (target.text == "dos" || target.text == "age"));
  const Type type = visit(node.children[0]);
  if (type.is_error()) return Type{};
  if (!selectable) {
    error(target, "E-RULE-TYPE", "has() takes a field, like has(claim.onset_date)");
    return Type{};
  }
  return Type::of(TypeKind::kBool);
}

// starts_with, ends_with, contains: (string or code, string).
Type Checker::check_text_function(Node& node) {
  if (!arity(node, 2, 2)) return Type{};
  const std::string& name = node.text;
  const Type text = visit(node.children[0]);
  bool ok = !text.is_error();
  if (ok && text.kind != TypeKind::kString && text.kind != TypeKind::kCode) {
    error(*node.children[0], "E-RULE-TYPE",
          name + "() needs a string or code first, not " + a(text));
    ok = false;
  }
  ok = check_argument(node, 1, TypeKind::kString, (name + "()'s second argument").c_str()) && ok;
  return ok ? Type::of(TypeKind::kBool) : Type{};
}

// join(list, separator): the elements rendered as templates render them.
Type Checker::check_join(Node& node) {
  if (!arity(node, 2, 2)) return Type{};
  const Type list = visit(node.children[0]);
  bool ok = !list.is_error();
  if (ok && list.kind != TypeKind::kList && list.kind != TypeKind::kEmptyList) {
    error(*node.children[0], "E-RULE-TYPE", "join() needs a list first, not " + a(list));
    ok = false;
  }
  ok = check_argument(node, 1, TypeKind::kString, "join()'s separator") && ok;
  return ok ? Type::of(TypeKind::kString) : Type{};
}

// length(string or code).
Type Checker::check_length(Node& node) {
  if (!arity(node, 1, 1)) return Type{};
  const Type text = visit(node.children[0]);
  if (text.is_error()) return Type{};
  if (text.kind != TypeKind::kString && text.kind != TypeKind::kCode) {
    error(*node.children[0], "E-RULE-TYPE", "length() needs a string or code, not " + a(text));
    return Type{};
  }
  return Type::of(TypeKind::kInt);
}

// date("YYYY-MM-DD"): a literal, parsed now.
Type Checker::check_date_literal(Node& node) {
  if (!arity(node, 1, 1)) return Type{};
  Node& literal = *node.children[0];
  visit(node.children[0]);
  if (literal.kind != NodeKind::kString) {
    error(literal, "E-RULE-TYPE", "date() takes a literal like date(\"2021-10-01\")");
    return Type{};
  }
  auto parsed = core::parse_iso_date(literal.text);
  if (!parsed) {
    error(literal, "E-RULE-DATE", "\"" + literal.text + "\" is not a real YYYY-MM-DD date");
    return Type{};
  }
  node.date_value = *parsed;
  return Type::of(TypeKind::kDate);
}

// if(condition, then, else): both branches of one type (an empty list takes the other's).
Type Checker::check_if(Node& node) {
  if (!arity(node, 3, 3)) return Type{};
  auto& args = node.children;
  const bool condition = check_argument(node, 0, TypeKind::kBool, "if()'s condition");
  const Type then_type = visit(args[1]);
  const Type else_type = visit(args[2]);
  if (!condition || then_type.is_error() || else_type.is_error()) return Type{};
  if (then_type.kind == TypeKind::kEmptyList) return else_type;
  if (else_type.kind == TypeKind::kEmptyList) return then_type;
  if (then_type.kind != else_type.kind || then_type.element != else_type.element) {
    error(*args[2], "E-RULE-TYPE",
          "if()'s branches must have one type, not " + a(then_type) + " and " + a(else_type));
    return Type{};
  }
  Type result = then_type;
  if (then_type.enumeration != else_type.enumeration) result.enumeration = EnumId::kNone;
  return result;
}

// in_range(code, "A00", "B99"): literal ends, made into one range matcher.
Type Checker::check_in_range(Node& node) {
  if (!arity(node, 3, 3)) return Type{};
  auto& args = node.children;
  bool ok = check_argument(node, 0, TypeKind::kCode, "in_range()'s first argument");
  auto matcher = std::make_shared<CodeMatcher>();
  std::string ends[2];
  for (std::size_t i = 1; i < 3; ++i) {
    visit(args[i]);
    if (args[i]->kind != NodeKind::kString) {
      error(*args[i], "E-RULE-TYPE", "in_range() takes literal range ends, like \"V00\"");
      ok = false;
      continue;
    }
    std::string message;
    auto pattern = parse_code_pattern(args[i]->text + "*", &message);
    if (!pattern) {
      error(*args[i], "E-RULE-CODE-LITERAL",
            "'" + args[i]->text + "' cannot start a code (letters and digits, up to 7)");
      ok = false;
      continue;
    }
    ends[i - 1] = pattern->first;
  }
  if (!ok) return Type{};
  if (ends[1] < ends[0]) {
    error(node, "E-RULE-CODE-LITERAL", "in_range(): the first end comes after the second");
    return Type{};
  }
  matcher->add(CodePattern{CodePattern::Kind::kRange, ends[0], ends[1]});
  node.matcher = std::move(matcher);
  return Type::of(TypeKind::kBool);
}

// in_list(code, list) and in_pairs(list, a, b): a named codes or pairs list.
Type Checker::check_in_list(Node& node) {
  auto& args = node.children;
  const std::string& name = node.text;
  const bool pairs = node.function == FunctionId::kInPairs;
  if (!arity(node, pairs ? 3 : 2, pairs ? 3 : 2)) return Type{};
  Node& list_name = *args[pairs ? 0 : 1];
  bool ok = true;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].get() == &list_name) continue;
    ok = check_argument(node, i, TypeKind::kCode, (name + "()'s code argument").c_str()) && ok;
  }
  auto found = list_name.kind == NodeKind::kName ? definitions_.lists.find(list_name.text)
                                                 : definitions_.lists.end();
  if (found == definitions_.lists.end()) {
    std::vector<std::string> candidates;
    for (const auto& [list, definition] : definitions_.lists) candidates.push_back(list);
    error(list_name, "E-RULE-UNKNOWN-NAME",
          list_name.kind == NodeKind::kName
              ? "unknown list '" + list_name.text + "'" + suggestion(list_name.text, candidates)
              : name + "() needs the name of a list");
    return Type{};
  }
  found->second.used = true;
  list_name.name_kind = NameKind::kList;
  const auto wanted = pairs ? ListDefinition::Kind::kPairs : ListDefinition::Kind::kCodes;
  if (found->second.kind != wanted) {
    error(list_name, "E-RULE-LIST",
          "list '" + list_name.text + "' is not a " + (pairs ? "pairs" : "codes") + " list");
    return Type{};
  }
  if (pairs) {
    node.pairs = found->second.pairs;
  } else {
    node.matcher = found->second.codes;
  }
  return ok ? Type::of(TypeKind::kBool) : Type{};
}

}  // namespace claimaudit::rules::expr
