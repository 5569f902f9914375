// rules/expr/check.hpp
//
// The type checker: resolves every name (scope variables, let names, loop variables, macros,
// lists), field and function of a parsed condition against the claim model, expands macros,
// and annotates the tree with types. Every problem is an Issue (unknown field with a
// did-you-mean, type mismatch, unknown list or macro, macro cycle ...). Runs once at load;
// one Checker per rule, not shared between threads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rules/expr/ast.hpp"
#include "rules/expr/code_matcher.hpp"
#include "rules/expr/issue.hpp"

namespace claimaudit::rules::expr {

enum class Scope { kClaim, kDiagnosis, kLine };
std::string_view to_string(Scope scope);

struct ListDefinition {
  enum class Kind { kCodes, kStrings, kPairs };
  Kind kind = Kind::kCodes;
  std::shared_ptr<const CodeMatcher> codes;
  std::shared_ptr<const std::vector<std::string>> strings;
  std::shared_ptr<const PairList> pairs;
  mutable bool used = false;
};

struct MacroDefinition {
  std::vector<std::string> params;
  NodePtr body;  // Parsed, unchecked syntax; cloned at each use.
  mutable bool used = false;
};

// A code literal met while checking, for the loader's code-history warnings.
struct CodeUse {
  std::string code;  // Normalised.
  int source = 0;
  std::uint32_t offset = 0;
  std::uint32_t length = 1;
};

struct Definitions {
  std::map<std::string, ListDefinition> lists;
  std::map<std::string, MacroDefinition> macros;
};

class Checker {
 public:
  Checker(Scope scope, const Definitions& definitions, Issues& issues);

  // Declares a `let` name with the checked expression's type; returns its slot.
  int declare_let(const std::string& name, const Type& type);
  bool is_declared(const std::string& name) const;

  // Checks `root` in place (it may be replaced by a macro expansion) and returns its type.
  Type check(NodePtr& root);
  // Checks and requires bool (E-RULE-NOT-BOOL).
  void check_condition(NodePtr& root, const char* what);

  // Slots a frame needs to evaluate everything checked so far.
  int slot_count() const { return next_slot_; }
  const std::vector<CodeUse>& code_uses() const { return code_uses_; }

 private:
  struct LoopVariable {
    std::string name;
    Type type;
    int slot;
  };
  struct Let {
    std::string name;
    Type type;
    int slot;
  };

  Type visit(NodePtr& node);
  Type visit_name(NodePtr& node);
  Type visit_field(Node& node);
  Type visit_call(NodePtr& node);
  Type visit_unary(Node& node);
  Type visit_binary(Node& node);
  Type visit_in(Node& node);
  Type visit_list(Node& node);
  Type check_function(Node& node);
  std::optional<Type> visit_variable(Node& node);
  Type unknown_name(Node& node);
  Type visit_matches(Node& node, const Type& left);
  Type check_comparison(Node& node, Type left, Type right);
  Type check_arithmetic(Node& node, const Type& left, const Type& right);
  Type check_in_list_name(Node& node, const Type& left);
  Type check_in_code_literals(Node& node);
  bool arity(Node& node, std::size_t low, std::size_t high);
  bool check_argument(Node& node, std::size_t index, TypeKind kind, const char* what);
  Type check_code_function(Node& node, Type result);
  Type check_one_argument(Node& node, TypeKind kind, const std::string& what, Type result);
  Type check_days_between(Node& node);
  Type check_date_function(Node& node, Type result);
  Type check_loop_function(Node& node);
  Type check_count_of_list(Node& node);
  Type check_list_function(Node& node);
  Type check_has(Node& node);
  Type check_text_function(Node& node);
  Type check_join(Node& node);
  Type check_length(Node& node);
  Type check_date_literal(Node& node);
  Type check_if(Node& node);
  Type check_in_range(Node& node);
  Type check_in_list(Node& node);
  Type expand_macro(NodePtr& node, const std::string& name, const MacroDefinition& macro);

  void error(const Node& node, std::string code, std::string message);
  bool expect_type(Node& node, const Type& actual, TypeKind wanted, const char* what);
  bool coerce_code_literal(Node& node, const Type& actual);
  void check_enum_literal(const Type& enum_type, Node& literal);
  void propagate(Node& node);

  Scope scope_;
  const Definitions& definitions_;
  Issues& issues_;
  std::vector<Let> lets_;
  std::vector<LoopVariable> loop_;
  std::vector<std::string> macro_stack_;
  std::vector<CodeUse> code_uses_;
  int next_slot_ = kFirstFreeSlot;
};

}  // namespace claimaudit::rules::expr
