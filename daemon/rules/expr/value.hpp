// rules/expr/value.hpp
//
// Value: what an expression evaluates to. Small and trivially copyable: strings and lists
// point into the claim (which outlives the evaluation) or into the evaluation Context's arena.
// An unknown value carries the reason it is unknown (docs/rules-language.md section 4.4).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "rules/expr/ast.hpp"

namespace claimaudit::rules::expr {

enum class ValueKind : std::uint8_t {
  kUnknown,
  kBool,
  kInt,
  kString,
  kCode,
  kDate,
  kRecord,
  kList
};

enum class ListKind : std::uint8_t {
  kNone,
  kDiagnoses,      // const std::vector<model::Diagnosis>*
  kLines,          // const std::vector<model::ServiceLine>*
  kNotes,          // const std::vector<model::Note>*
  kDiagnosisRefs,  // const std::vector<const model::Diagnosis*>*
  kLineRefs,       // const std::vector<const model::ServiceLine*>*
  kStrings,        // const std::vector<std::string>*
  kInts,           // const std::vector<int>*
  kDates,          // const std::vector<core::Date>*
  kValues,         // const std::vector<Value>* (arena)
  kValueSpan,      // const Value* to `size` values (Context::SiblingsMemo)
};

// 16 bytes, returned in registers: the evaluator passes Values by value at every node.
struct Value {
  ValueKind kind = ValueKind::kUnknown;
  TypeKind record = TypeKind::kError;  // kRecord: which record; kList: the element type.
  ListKind list = ListKind::kNone;
  bool flag = false;       // kBool value; kCode: the code is ICD-9-CM.
  std::uint32_t size = 0;  // kString, kCode, kUnknown: the length of the text; kValueSpan: count.
  union {
    std::int64_t number = 0;  // kInt value; kDate: days since 1970-01-01.
    const void* pointer;      // kRecord, kList.
    const char* chars;        // kString, kCode (normalised); kUnknown: the reason.
  };

  std::string_view text() const {
    return kind == ValueKind::kString || kind == ValueKind::kCode || kind == ValueKind::kUnknown
               ? std::string_view(chars, size)
               : std::string_view();
  }
  void set_text(std::string_view s) {
    chars = s.data();
    size = static_cast<std::uint32_t>(s.size());
  }

  static Value unknown(std::string_view reason) {
    Value v;
    v.set_text(reason);
    return v;
  }
  static Value boolean(bool b) {
    Value v;
    v.kind = ValueKind::kBool;
    v.flag = b;
    return v;
  }
  static Value integer(std::int64_t n) {
    Value v;
    v.kind = ValueKind::kInt;
    v.number = n;
    return v;
  }
  static Value string(std::string_view s) {
    Value v;
    v.kind = ValueKind::kString;
    v.set_text(s);
    return v;
  }
  static Value code(std::string_view c, bool icd9 = false) {
    Value v;
    v.kind = ValueKind::kCode;
    v.set_text(c);
    v.flag = icd9;
    return v;
  }
  static Value date(core::Date d) {
    Value v;
    v.kind = ValueKind::kDate;
    v.number = d.days();
    return v;
  }
  static Value record_of(TypeKind type, const void* pointer) {
    Value v;
    v.kind = ValueKind::kRecord;
    v.record = type;
    v.pointer = pointer;
    return v;
  }
  static Value list_of(TypeKind element, ListKind list, const void* pointer) {
    Value v;
    v.kind = ValueKind::kList;
    v.record = element;
    v.list = list;
    v.pointer = pointer;
    return v;
  }

  bool is_unknown() const { return kind == ValueKind::kUnknown; }
  bool is_true() const { return kind == ValueKind::kBool && flag; }
  bool is_false() const { return kind == ValueKind::kBool && !flag; }
  core::Date as_date() const { return core::Date::from_days(static_cast<std::int32_t>(number)); }
};

std::size_t list_size(const Value& list);
Value list_at(const Value& list, std::size_t index);

// Text for messages and traces: codes dotted, dates ISO, lists joined with ", " ("none" when
// empty), a diagnosis as its dotted code, a line as "line N", unknown as "unknown". Strings are
// quoted when `quote_strings` (traces), bare otherwise (messages).
std::string render(const Value& value, bool quote_strings = false);
// The same, appended to `out`.
void render_to(std::string& out, const Value& value, bool quote_strings = false);

// Equality of two known scalar values of one type.
bool equal(const Value& a, const Value& b);

static_assert(sizeof(Value) == 16);

}  // namespace claimaudit::rules::expr
