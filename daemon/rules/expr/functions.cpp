#include "rules/expr/functions.hpp"

#include <array>
#include <cstddef>

namespace claimaudit::rules::expr {

namespace {

constexpr CodePurity kNever = CodePurity::kNever;
constexpr CodePurity kArguments = CodePurity::kArguments;
constexpr CodePurity kImplicitDate = CodePurity::kImplicitDate;

// name, id, code call, purity, records facts.
constexpr std::array kFunctions = {
    // lists and quantifiers
    FunctionInfo{"any", FunctionId::kAny, false, kNever, false},
    FunctionInfo{"all", FunctionId::kAll, false, kNever, false},
    FunctionInfo{"none", FunctionId::kNoneOf, false, kNever, false},
    FunctionInfo{"count", FunctionId::kCount, false, CodePurity::kWithoutPredicate, false},
    FunctionInfo{"filter", FunctionId::kFilter, false, kNever, false},
    FunctionInfo{"map", FunctionId::kMap, false, kNever, false},
    FunctionInfo{"distinct", FunctionId::kDistinct, false, kNever, false},
    FunctionInfo{"first", FunctionId::kFirst, false, kNever, false},
    FunctionInfo{"min", FunctionId::kMin, false, kNever, false},
    FunctionInfo{"max", FunctionId::kMax, false, kNever, false},
    FunctionInfo{"is_empty", FunctionId::kIsEmpty, false, kArguments, false},
    // strings, dates, presence
    FunctionInfo{"has", FunctionId::kHas, false, kNever, false},
    FunctionInfo{"starts_with", FunctionId::kStartsWith, false, kArguments, false},
    FunctionInfo{"ends_with", FunctionId::kEndsWith, false, kArguments, false},
    FunctionInfo{"contains", FunctionId::kContains, false, kArguments, false},
    FunctionInfo{"length", FunctionId::kLength, false, kArguments, false},
    FunctionInfo{"dotted", FunctionId::kDotted, false, kNever, false},
    FunctionInfo{"join", FunctionId::kJoin, false, kNever, false},
    FunctionInfo{"date", FunctionId::kDate, false, kNever, false},
    FunctionInfo{"year", FunctionId::kYear, false, kNever, false},
    FunctionInfo{"month", FunctionId::kMonth, false, kNever, false},
    FunctionInfo{"day", FunctionId::kDay, false, kNever, false},
    FunctionInfo{"days_between", FunctionId::kDaysBetween, false, kNever, false},
    // code history
    FunctionInfo{"valid_on", FunctionId::kValidOn, true, kImplicitDate, true},
    FunctionInfo{"status_on", FunctionId::kStatusOn, true, kImplicitDate, true},
    FunctionInfo{"classify", FunctionId::kClassify, true, kImplicitDate, true},
    FunctionInfo{"placeholder_fix", FunctionId::kPlaceholderFix, true, kNever, false},
    FunctionInfo{"is_header", FunctionId::kIsHeader, true, kImplicitDate, true},
    FunctionInfo{"exists", FunctionId::kExists, false, kArguments, false},
    FunctionInfo{"is_unspecified", FunctionId::kIsUnspecified, true, kImplicitDate, false},
    FunctionInfo{"specified_siblings", FunctionId::kSpecifiedSiblings, true, kImplicitDate, false},
    FunctionInfo{"replacements", FunctionId::kReplacements, true, kImplicitDate, true},
    FunctionInfo{"children", FunctionId::kChildren, true, kImplicitDate, false},
    FunctionInfo{"parent", FunctionId::kParent, false, kNever, false},
    FunctionInfo{"title", FunctionId::kTitle, true, kImplicitDate, false},
    FunctionInfo{"laterality", FunctionId::kLaterality, true, kImplicitDate, false},
    FunctionInfo{"first_valid", FunctionId::kFirstValid, false, kNever, false},
    FunctionInfo{"last_valid", FunctionId::kLastValid, true, kNever, false},
    FunctionInfo{"expanded_on", FunctionId::kExpandedOn, true, kNever, false},
    FunctionInfo{"edition", FunctionId::kEdition, false, kNever, false},
    FunctionInfo{"covered", FunctionId::kCovered, false, kNever, false},
    FunctionInfo{"is_external_cause", FunctionId::kIsExternalCause, false, kArguments, false},
    FunctionInfo{"in_range", FunctionId::kInRange, false, kArguments, false},
    FunctionInfo{"in_list", FunctionId::kInList, false, kArguments, false},
    FunctionInfo{"in_pairs", FunctionId::kInPairs, false, kNever, false},
    // MCE and POA
    FunctionInfo{"age_edit", FunctionId::kAgeEdit, true, kImplicitDate, true},
    FunctionInfo{"sex_edit", FunctionId::kSexEdit, true, kImplicitDate, true},
    FunctionInfo{"is_manifestation", FunctionId::kIsManifestation, true, kImplicitDate, true},
    FunctionInfo{"unacceptable_principal", FunctionId::kUnacceptablePrincipal, true, kImplicitDate,
                 true},
    FunctionInfo{"questionable_admission", FunctionId::kQuestionableAdmission, true, kImplicitDate,
                 true},
    FunctionInfo{"poa_exempt", FunctionId::kPoaExempt, true, kImplicitDate, true},
    FunctionInfo{"mce_version", FunctionId::kMceVersion, false, kNever, false},
    // choice
    FunctionInfo{"if", FunctionId::kIf, false, kNever, false},
};

// Row i is FunctionId i + 1: function_info() indexes the table.
constexpr bool in_id_order() {
  for (std::size_t i = 0; i < kFunctions.size(); ++i) {
    if (static_cast<std::size_t>(kFunctions[i].id) != i + 1) return false;
  }
  return static_cast<std::size_t>(FunctionId::kIf) == kFunctions.size();
}
static_assert(in_id_order(), "kFunctions must list every FunctionId once, in declaration order");

constexpr FunctionInfo kNoFunction{};

}  // namespace

std::span<const FunctionInfo> functions() { return kFunctions; }

const FunctionInfo& function_info(FunctionId id) {
  const auto index = static_cast<std::size_t>(id);
  return index == 0 || index > kFunctions.size() ? kNoFunction : kFunctions[index - 1];
}

}  // namespace claimaudit::rules::expr
