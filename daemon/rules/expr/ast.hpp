// rules/expr/ast.hpp
//
// The syntax tree of a rule condition (docs/rules-language.md section 4). The parser builds it,
// the checker annotates it in place (types, resolved names, fields, functions), the compiler
// attaches run-time data (regexes, code matchers, constants) and the program evaluates it. Once
// compiled, a tree is immutable and may be evaluated from any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/date.hpp"

namespace re2 {
class RE2;
}

namespace claimaudit::rules::expr {

class CodeMatcher;
class LiteralRegex;
class PairList;

enum class NodeKind {
  kBool,    // true / false
  kInt,     // 42
  kString,  // "RT" (a code literal once the checker says so)
  kName,    // an identifier
  kField,   // child.name
  kCall,    // name(args...)
  kList,    // [a, b]
  kUnary,   // not x, -x
  kBinary,  // x op y
};

enum class Op {
  kNone,
  kOr,
  kAnd,
  kNot,
  kNegate,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kAdd,
  kSubtract,
  kIn,
  kNotIn,
  kMatches,
};

// Value types of the language. Enumerations are strings with a fixed value set (EnumId).
enum class TypeKind : std::uint8_t {
  kError,  // The checker already reported a problem below this node.
  kBool,
  kInt,
  kString,
  kCode,
  kDate,
  kClaim,
  kDiagnosis,
  kLine,
  kPatient,
  kPayer,
  kProvider,
  kAccident,
  kProcedure,
  kPeriod,
  kNote,
  kList,
  kEmptyList,  // [] before its element type is known.
};

enum class EnumId {
  kNone,
  kClaimKind,
  kClaimUse,
  kFormat,
  kFrequencyKind,
  kPayerKind,
  kDiagnosisRole,
  kCodeSystem,
  kAccidentCause,
  kStatus,
  kClassification,
  kAgeEdit,
  kSexEdit,
  kLaterality,
};

struct Type {
  TypeKind kind = TypeKind::kError;
  TypeKind element = TypeKind::kError;  // For kList.
  EnumId enumeration = EnumId::kNone;   // For kString (and list<string>) enumerations.

  static Type of(TypeKind kind) { return Type{kind, TypeKind::kError, EnumId::kNone}; }
  static Type list_of(TypeKind element) { return Type{TypeKind::kList, element, EnumId::kNone}; }
  bool is_error() const { return kind == TypeKind::kError; }
  friend bool operator==(const Type&, const Type&) = default;
};

// Human name of a type: "bool", "list<diagnosis>".
std::string to_string(const Type& type);
// The fixed values of an enumeration ("professional", "institutional", ...).
const std::vector<std::string>& enum_values(EnumId id);

// Every field reachable from a condition (docs/rules-language.md section 5).
enum class FieldId {
  kNone,
  // claim
  kClaimId,
  kClaimKind,
  kClaimUse,
  kClaimFormat,
  kClaimGuide,
  kClaimFrequency,
  kClaimFrequencyKind,
  kClaimReplaces,
  kClaimBillingProvider,
  kClaimPayer,
  kClaimPatient,
  kClaimPlaceOfService,
  kClaimFacilityType,
  kClaimInpatient,
  kClaimTotalCharge,
  kClaimAccident,
  kClaimOnsetDate,
  kClaimStatementPeriod,
  kClaimAdmissionDate,
  kClaimAdmissionType,
  kClaimOccurrenceCodes,
  kClaimConditionCodes,
  kClaimDiagnoses,
  kClaimLines,
  kClaimNotes,
  kClaimHasNotes,
  kClaimHasAttachment,
  kClaimDatesOfService,
  kClaimProblemCodes,
  // provider
  kProviderNpi,
  kProviderTaxId,
  // payer
  kPayerId,
  kPayerName,
  kPayerProgram,
  kPayerKind,
  // patient (PHI)
  kPatientSex,
  kPatientBirthDate,
  // accident
  kAccidentCause,
  kAccidentRelatedCauses,
  kAccidentDate,
  kAccidentState,
  // period
  kPeriodFrom,
  kPeriodTo,
  // diagnosis
  kDiagnosisSeq,
  kDiagnosisCode,
  kDiagnosisRaw,
  kDiagnosisRole,
  kDiagnosisCodeSystem,
  kDiagnosisQualifier,
  kDiagnosisPoa,
  kDiagnosisLines,
  kDiagnosisFirstListed,
  kDiagnosisFirstSeq,
  // line
  kLineSeq,
  kLineProcedure,
  kLineModifiers,
  kLineRevenueCode,
  kLineUnits,
  kLineUnitBasis,
  kLineCharge,
  kLineServiceDate,
  kLineDxPointers,
  kLineDiagnoses,
  kLinePlaceOfService,
  kLineBodySites,
  kLineControlNumber,
  // procedure
  kProcedureCode,
  kProcedureQualifier,
  // note
  kNoteKind,
};

enum class FunctionId {
  kNone,
  // lists and quantifiers
  kAny,
  kAll,
  kNoneOf,
  kCount,
  kFilter,
  kMap,
  kDistinct,
  kFirst,
  kMin,
  kMax,
  kIsEmpty,
  // strings, dates, presence
  kHas,
  kStartsWith,
  kEndsWith,
  kContains,
  kLength,
  kDotted,
  kJoin,
  kDate,
  kYear,
  kMonth,
  kDay,
  kDaysBetween,
  // code history
  kValidOn,
  kStatusOn,
  kClassify,
  kPlaceholderFix,
  kIsHeader,
  kExists,
  kIsUnspecified,
  kSpecifiedSiblings,
  kReplacements,
  kChildren,
  kParent,
  kTitle,
  kLaterality,
  kFirstValid,
  kLastValid,
  kExpandedOn,
  kEdition,
  kCovered,
  kIsExternalCause,
  kInRange,
  kInList,
  kInPairs,
  // MCE and POA
  kAgeEdit,
  kSexEdit,
  kIsManifestation,
  kUnacceptablePrincipal,
  kQuestionableAdmission,
  kPoaExempt,
  kMceVersion,
  // choice
  kIf,
};

// Scope variables, in slot order.
enum class Variable { kClaim = 0, kDiagnosis = 1, kLine = 2, kDateOfService = 3, kAge = 4 };
inline constexpr int kFirstFreeSlot = 5;

// The evaluator's shortcut for a node (set by the compiler; kNone: the general path). Each
// gives exactly the general path's value, without its recursion and dispatch.
enum class FastPath : std::uint8_t {
  kNone,
  kSlot,         // A variable or loop variable: its slot.
  kString,       // A string literal.
  kCode,         // A code literal.
  kInt,          // An integer literal.
  kSlotField,    // variable.field
  kAnd,          // x and y
  kOr,           // x or y
  kCompareText,  // x == "literal", x != "literal" (string or code literal)
  kLet,          // A `let` name: its slot once computed.
  kSlotCode,     // variable.code of a diagnosis variable (dx.code, o.code)
  kNot,          // not x
  kInMatcher,    // x in / not in a code list or a literal list of codes (Node::matcher)
  kInStrings,    // x in / not in a strings list (Node::strings)
  kEqual,        // x == y, x != y (neither a literal)
  kQuantifier,   // any/all/none/filter/map(list, v, body), count(list, v, body)
  kIsEmpty,      // is_empty(list)
  kConstList,    // [literal, ...]: Node::constant_list, built once by the compiler
  kTextCall,     // starts_with / ends_with / contains(text, part)
  kCodeCall,     // a code-set or edit-list function of (code [, date]): title(c), valid_on(c)...
};

struct Value;  // rules/expr/value.hpp

// What a kName node turned out to be.
enum class NameKind { kUnresolved, kVariable, kLet, kLoopVariable, kList };

struct Node {
  NodeKind kind = NodeKind::kBool;
  Op op = Op::kNone;
  std::string text;          // Identifier, field, function name, or string literal value.
  std::int64_t number = 0;   // kInt value; kBool: 0/1.
  std::uint32_t offset = 0;  // Byte offset of the node's first character in its source text.
  std::uint32_t length = 1;  // Characters to underline in a diagnostic.
  int source = 0;            // Which source text (the loader's table; macros keep their own).
  std::vector<std::unique_ptr<Node>> children;

  // Set by the checker.
  Type type;
  NameKind name_kind = NameKind::kUnresolved;
  int slot = -1;  // kName: variable / let / loop variable slot.
  FieldId field = FieldId::kNone;
  FunctionId function = FunctionId::kNone;
  bool phi = false;           // Reads PHI somewhere below.
  bool code_literal = false;  // kString used as a code (text holds the normalised code).
  bool needs_date = false;    // Uses dos (directly or through a code-set function) below.

  // Set by the compiler.
  FastPath fast = FastPath::kNone;
  std::shared_ptr<const re2::RE2> regex;              // kMatches.
  std::shared_ptr<const LiteralRegex> literal_regex;  // kMatches, when the pattern allows.
  std::shared_ptr<const CodeMatcher> matcher;         // `in` over codes: literal list or list name.
  std::shared_ptr<const std::vector<std::string>> strings;  // `in` over a strings list name.
  std::shared_ptr<const PairList> pairs;                    // in_pairs.
  core::Date date_value;                                    // date("...") constant.
  // kList of literals only: their values, made once (they point into the children's text).
  std::shared_ptr<const std::vector<Value>> constant_list;

  Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  ~Node();
};

using NodePtr = std::unique_ptr<Node>;

// A deep copy of the syntax (not the checker's or compiler's annotations), with `source` kept.
NodePtr clone_syntax(const Node& node);

}  // namespace claimaudit::rules::expr
