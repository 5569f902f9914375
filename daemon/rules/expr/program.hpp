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

#include <array>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
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
  // False for a tracer that only collects facts: the evaluator then skips enter/leave.
  virtual bool wants_nodes() const { return true; }
};

struct Context {
  const codes::CodeSet* codes = nullptr;
  const codes::EditLists* edits = nullptr;
  const ClaimFacts* facts = nullptr;
  std::vector<Value> slots;              // Indexed by Node::slot.
  std::vector<const Node*> let_nodes;    // Indexed by slot; the `let` expression, else null.
  std::vector<unsigned char> let_state;  // 0 not computed, 1 computing, 2 done.
  Tracer* tracer = nullptr;
  // Counts the places an evaluation reached where a tracer would have been given a fact, with
  // or without a tracer: an evaluation that left it unchanged records no fact when re-run with
  // one (the engine then skips that re-run for a finding's evidence).
  std::uint64_t fact_sites = 0;

  // Arena: computed strings and lists. clear_arena() marks them free without releasing their
  // memory, so a Context reused claim after claim (the engine keeps one per thread) stops
  // allocating once warm. Deques: what keep() and new_list() return stays put.
  std::deque<std::string> strings;
  std::deque<std::vector<Value>> lists;
  std::size_t strings_used = 0;
  std::size_t lists_used = 0;
  // Code-set answers already given on this claim (pure functions of code and date).
  struct CachedStatus {
    std::array<char, 8> code;  // Normalised codes are at most 7 characters.
    std::uint8_t size;
    std::int32_t date;
    codes::Status status;
    std::string_view classified;  // classify()'s answer once asked (a static string), else empty.
  };
  std::vector<CachedStatus> status_cache;
  // The last edition_for() answer.
  std::int32_t edition_day = 0;
  const codes::Edition* edition = nullptr;
  bool edition_known = false;

  // specified_siblings() answers by code_epoch_key(), across claims, for the code set whose
  // serial is `codes_serial`: an open-addressing table whose answers are ready-made lists (a
  // kValueSpan into `values`, whose codes point into `chars`). Neither vector ever grows past
  // the capacity reserved on first use, so what a claim was given stays put until the next
  // claim; the memo is emptied only between claims (clear_arena), once half full.
  struct SiblingsMemo {
    static constexpr std::size_t kSlots = std::size_t{1} << 15;  // A power of two.
    static constexpr std::size_t kCodes = std::size_t{1} << 17;  // Sibling codes held.
    struct Slot {
      std::uint64_t key = 0;  // code_epoch_key(); 0: empty.
      std::uint32_t first = 0;
      std::uint32_t count = 0;
    };
    std::vector<Slot> slots;
    std::vector<Value> values;
    std::vector<std::array<char, 8>> chars;  // One code each (at most 7 characters).
    std::size_t used = 0;                    // Slots taken.
    std::uint64_t codes_serial = 0;
    // The answer for `key`, if memoised.
    const Slot* find(std::uint64_t key) const;
    // Memoises `siblings` for `key`; null when the memo has no room left before the next claim.
    const Slot* insert(std::uint64_t key, const std::vector<std::string>& siblings);
    void clear();
  };
  SiblingsMemo siblings_memo;

  std::string_view keep(std::string text);
  // Copies `text` into the arena.
  std::string_view keep_copy(std::string_view text);
  // An empty list in the arena.
  std::vector<Value>& new_list();
  // Resets the per-scope-item state (at least `count` slots; the `let` values of `let_slots`,
  // the only ones the next evaluation can read) but keeps the arena and caches.
  void reset_slots(std::size_t count, std::span<const int> let_slots);
  // Frees the arena for reuse (keeping its memory) and forgets the cached code-set answers.
  void clear_arena();
};

Value evaluate(const Node& node, Context& context);

// A memo key for a code-set answer about (code, date): the normalised code packed into the high
// 7 bytes, the date's epoch (codes::CodeSet::epoch_of: equal epochs, equal answers) in the low
// byte. 0 when the code is not a 1-7 character normalised code or the epoch does not fit.
std::uint64_t code_epoch_key(const codes::CodeSet& codes, std::string_view code, core::Date date);
// The same with the epoch (codes::CodeSet::epoch_of) already known.
std::uint64_t code_epoch_key(std::string_view code, std::uint32_t epoch);

}  // namespace claimaudit::rules::expr
