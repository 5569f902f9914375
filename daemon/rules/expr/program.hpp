// rules/expr/program.hpp
//
// Evaluates a checked and compiled tree against one claim. The tree is immutable and shared;
// every evaluation has its own Context (variable slots, lazily computed `let` values, an arena
// for computed strings and lists, a small cache of code-history answers), so any number of
// threads may evaluate the same tree at once, each with its own Context.
//
// A Tracer sees every evaluated node and its value, and every code-history or edit-list fact a
// function used: the "why did this fire" trace of `claimctl explain` and the `facts` of a
// finding's evidence.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "rules/expr/ast.hpp"
#include "rules/expr/claim_facts.hpp"
#include "rules/expr/value.hpp"

namespace claimaudit::rules::expr {

// One code-history or edit-list answer a function used.
struct Fact {
  std::string code;     // Normalised.
  core::Date date;      // The date of service asked about.
  std::string status;   // "billable", "header"...; for edit lists: "listed" / "not_listed".
  std::string edition;  // "fy2022"; for edit lists the list version ("MCE v37 (FY2020)").
  std::string detail;   // "billable until 2021-09-30; replacements M54.50, M54.51, M54.59".
  friend bool operator==(const Fact&, const Fact&) = default;
};

// "M54.5 on 2021-10-01: header (fy2022); billable until 2021-09-30; ...".
std::string describe(const Fact& fact);

class Tracer {
 public:
  Tracer() = default;
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;
  virtual ~Tracer() = default;
  virtual void enter(const Node& node) = 0;
  virtual void leave(const Node& node, const Value& value) = 0;
  virtual void fact(const Fact& fact) = 0;
};

struct Context {
  const codes::CodeSet* codes = nullptr;
  const codes::EditLists* edits = nullptr;
  const ClaimFacts* facts = nullptr;
  std::vector<Value> slots;              // Indexed by Node::slot.
  std::vector<const Node*> let_nodes;    // Indexed by slot; the `let` expression, else null.
  std::vector<unsigned char> let_state;  // 0 not computed, 1 computing, 2 done.
  Tracer* tracer = nullptr;

  std::deque<std::string> strings;       // Arena: computed strings.
  std::deque<std::vector<Value>> lists;  // Arena: computed lists.
  struct CachedStatus {
    std::string code;
    std::int32_t date;
    codes::Status status;
  };
  std::vector<CachedStatus> status_cache;

  std::string_view keep(std::string text);
  // Resets the per-scope-item state (slots, let values) but keeps the arena and caches.
  void reset_slots(std::size_t count);
  void clear_arena();
};

Value evaluate(const Node& node, Context& context);

}  // namespace claimaudit::rules::expr
