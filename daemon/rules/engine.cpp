// The evaluation engine: applies a compiled rule set to one claim (rules::evaluate), and the
// same machinery for inline tests and `claimctl explain`.
#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>

#include "core/icd10_code.hpp"
#include "core/json_text.hpp"
#include "core/sha256.hpp"
#include "rules/detail/rule_set_impl.hpp"
#include "rules/expr/printer.hpp"
#include "rules/expr/program.hpp"

namespace claimaudit::rules {
namespace {

using expr::Value;

class FactCollector final : public expr::Tracer {
 public:
  void enter(const expr::Node&) override {}
  void leave(const expr::Node&, const Value&) override {}
  void fact(const expr::Fact& fact) override {
    if (std::find(facts.begin(), facts.end(), fact) == facts.end()) facts.push_back(fact);
  }
  bool wants_nodes() const override { return false; }
  std::vector<expr::Fact> facts;
};

class TraceRecorder final : public expr::Tracer {
 public:
  void enter(const expr::Node& node) override {
    steps.push_back(ExplainStep{depth_, expr::print(node), ""});
    open_.push_back(steps.size() - 1);
    ++depth_;
  }
  void leave(const expr::Node&, const Value& value) override {
    --depth_;
    steps[open_.back()].value = expr::render(value, true);
    open_.pop_back();
  }
  void fact(const expr::Fact& fact) override {
    const std::string text = expr::describe(fact);
    if (std::find(facts.begin(), facts.end(), text) == facts.end()) facts.push_back(text);
  }
  std::vector<ExplainStep> steps;
  std::vector<std::string> facts;

 private:
  int depth_ = 0;
  std::vector<std::size_t> open_;
};

using core::append_json_string;

void append_number(std::string& out, std::int64_t number) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  out.append(buffer, result.ptr);
}

// Appends `value` as JSON.
void append_json_value(std::string& out, const Value& value) {
  switch (value.kind) {
    case expr::ValueKind::kUnknown:
      out += "null";
      return;
    case expr::ValueKind::kBool:
      out += value.flag ? "true" : "false";
      return;
    case expr::ValueKind::kInt:
      append_number(out, value.number);
      return;
    case expr::ValueKind::kList: {
      out += '[';
      const std::size_t size = expr::list_size(value);
      for (std::size_t i = 0; i < size; ++i) {
        if (i > 0) out += ',';
        append_json_value(out, expr::list_at(value, i));
      }
      out += ']';
      return;
    }
    case expr::ValueKind::kString:
      append_json_string(out, value.text());
      return;
    default: {
      // Codes (dotted), dates, records: their message text, as a JSON string.
      thread_local std::string text;
      text.clear();
      expr::render_to(text, value);
      append_json_string(out, text);
      return;
    }
  }
}

std::string render_origin(const model::Origin& origin, const model::Claim& claim) {
  if (!origin.pointer.empty()) return origin.pointer;
  if (origin.segment == 0) return {};
  const std::string_view tag(origin.tag.data());
  std::string out;
  out.reserve(64);
  out += "ST ";
  out += claim.envelope.transaction_control;
  out += ", segment ";
  append_number(out, origin.segment);
  out += ' ';
  out += tag;
  if (origin.element > 0) {
    out += ", ";
    out += tag;
    if (origin.element < 10) out += '0';  // Two digits at least: HI01, SV107.
    append_number(out, origin.element);
    if (origin.component > 0) {
      out += '-';
      append_number(out, origin.component);
    }
  }
  if (origin.loop != nullptr) {
    out += " (loop ";
    out += origin.loop;
    out += ')';
  }
  return out;
}

struct Subject {
  const model::Diagnosis* diagnosis = nullptr;
  const model::ServiceLine* line = nullptr;
  std::optional<core::Date> date;
};

enum class Verdict { kFired, kPassed, kNotEvaluated, kSkipped };

// The code-guard memo (CompiledRule::guard): for a (code, epoch), one bit per guarded rule,
// clear when the rule's guard is false there. Two-way set-associative (the newest entry of a
// set first), per thread, forgotten when the rule set changes; an eviction only costs a
// recomputation.
class GuardMemo {
 public:
  // 16 bytes: (code, epoch) in `key`, (fiscal year, bits) in `value`. At most 48 guarded rules
  // (RuleSet::Impl::guarded).
  struct Entry {
    std::uint64_t key = 0;  // Packed code (7 bytes) << 8 | epoch; 0: empty.
    std::uint64_t value = 0;
  };
  // 2^16 sets of 2 entries: 2 MiB a thread, from calloc, so pages are only resident once a code
  // hashes into them.
  static constexpr int kSetBits = 16;

  // The current claim's answers by diagnosis index (rules run one after another over the
  // diagnoses), valid when `claim` is the memo's current claim number.
  struct Known {
    std::uint64_t claim = 0;
    std::int32_t day = 0;
    std::uint64_t bits = 0;
  };
  std::vector<Known> known;
  std::uint64_t claim = 0;  // Incremented for every claim.

  // The bits for (code, epoch, fiscal year), if memoised.
  std::optional<std::uint64_t> find(std::uint64_t key, std::uint16_t fiscal_year) const {
    const Entry* set = set_of(key);
    for (int way = 0; way < 2; ++way) {
      if (set[way].key == key && (set[way].value >> 48) == fiscal_year) {
        return set[way].value & kBitMask;
      }
    }
    return std::nullopt;
  }
  // Starts loading the set of `key` (the memo is larger than the caches: a claim's diagnoses
  // are looked up together, so their misses overlap instead of following one another).
  void prefetch(std::uint64_t key) const { __builtin_prefetch(set_of(key)); }
  void store(std::uint64_t key, std::uint16_t fiscal_year, std::uint64_t bits) {
    Entry* set = set_of(key);
    set[1] = set[0];
    set[0] = Entry{key, (std::uint64_t{fiscal_year} << 48) | (bits & kBitMask)};
  }
  // Empties the memo when `serial` (RuleSet::Impl::serial) is not the set it was filled for.
  void use_set(std::uint64_t serial) {
    if (serial == serial_) return;
    entries_.reset(static_cast<Entry*>(std::calloc(std::size_t{2} << kSetBits, sizeof(Entry))));
    if (!entries_) throw std::bad_alloc();
    serial_ = serial;
  }

 private:
  static constexpr std::uint64_t kBitMask = (std::uint64_t{1} << 48) - 1;
  Entry* set_of(std::uint64_t key) const {
    return &entries_[2 *
                     static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - kSetBits))];
  }
  struct Free {
    void operator()(Entry* entries) const { std::free(entries); }
  };
  std::unique_ptr<Entry[], Free> entries_;
  std::uint64_t serial_ = 0;
};

class Runner {
 public:
  // `context` is the evaluation scratch (a fresh one, or the engine's per-thread one); the
  // Runner starts it on this claim: empty arena, no cached answers, no tracer.
  Runner(const RuleSet::Impl& set, const expr::ClaimFacts& facts, expr::Context& context,
         GuardMemo* memo = nullptr)
      : set_(set), facts_(facts), claim_(*facts.claim), context_(context), memo_(memo) {
    if (memo_ != nullptr) {
      ++memo_->claim;
      if (memo_->known.size() < claim_.diagnoses.size()) {
        memo_->known.resize(claim_.diagnoses.size());
      }
    }
    context_.codes = set.codes;
    context_.edits = set.edits;
    context_.facts = &facts_;
    context_.tracer = nullptr;
    context_.clear_arena();
  }

  static bool applies(const CompiledRule& rule, const model::Claim& claim,
                      const expr::ClaimFacts& facts) {
    if (rule.applies_always) return true;
    auto contains = [](const auto& list, const auto& value) {
      return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
    };
    if (!contains(rule.claim_kinds, claim.kind)) return false;
    if (!contains(rule.payer_kinds, claim.payer.kind)) return false;
    if (!contains(rule.uses, claim.use)) return false;
    if (!rule.formats.empty() &&
        std::find(rule.formats.begin(), rule.formats.end(), facts.format) == rule.formats.end()) {
      return false;
    }
    if (rule.inpatient && *rule.inpatient != facts.inpatient) return false;
    return true;
  }

  // Where run() builds a finding (reused rule after rule; a fired one is moved out).
  model::Finding& finding() { return finding_; }

  // Runs the rule on one subject and one date. On kFired, `finding` is filled.
  Verdict run(const CompiledRule& rule, const Subject& subject, model::Finding& finding,
              std::string& reason, expr::Tracer* tracer) {
    if (subject.date) {
      if ((rule.effective_from && *subject.date < *rule.effective_from) ||
          (rule.effective_to && *subject.date > *rule.effective_to)) {
        reason = "date of service " + subject.date->iso() + " outside the rule's effective window";
        return Verdict::kSkipped;
      }
    } else if (rule.needs_date || rule.effective_from || rule.effective_to) {
      reason = "no date of service";
      return Verdict::kNotEvaluated;
    }
    if (!guard_allows(rule, subject)) return Verdict::kPassed;
    prepare(rule, subject);
    context_.tracer = tracer;
    const std::uint64_t fact_sites = context_.fact_sites;
    const Value when = expr::evaluate(*rule.when, context_);
    const bool facts_seen = context_.fact_sites != fact_sites;
    context_.tracer = nullptr;
    if (when.is_unknown()) {
      reason = std::string(when.text());
      return Verdict::kNotEvaluated;
    }
    if (!when.flag) return Verdict::kPassed;
    for (const CompiledException& exception : rule.exceptions) {
      if (expr::evaluate(*exception.when, context_).is_true()) {
        reason = "exception '" + exception.name + "' applies";
        return Verdict::kPassed;
      }
    }
    build_finding(rule, subject, facts_seen, finding);
    return Verdict::kFired;
  }

 private:
  void prepare(const CompiledRule& rule, const Subject& subject) {
    context_.reset_slots(static_cast<std::size_t>(rule.slot_count), rule.let_slots);
    // The let table changes only with the rule (subjects of one rule come one after another).
    if (&rule != let_rule_ || context_.let_nodes.size() < context_.slots.size()) {
      if (context_.let_nodes.size() < context_.slots.size()) {
        context_.let_nodes.resize(context_.slots.size());
      }
      std::fill(context_.let_nodes.begin(), context_.let_nodes.end(), nullptr);
      for (std::size_t i = 0; i < rule.lets.size(); ++i) {
        context_.let_nodes[static_cast<std::size_t>(rule.let_slots[i])] = rule.lets[i].second.get();
      }
      let_rule_ = &rule;
    }
    auto& slots = context_.slots;
    slots[static_cast<std::size_t>(expr::Variable::kClaim)] =
        Value::record_of(expr::TypeKind::kClaim, &claim_);
    slots[static_cast<std::size_t>(expr::Variable::kDiagnosis)] =
        subject.diagnosis ? Value::record_of(expr::TypeKind::kDiagnosis, subject.diagnosis)
                          : Value::unknown("no diagnosis");
    slots[static_cast<std::size_t>(expr::Variable::kLine)] =
        subject.line ? Value::record_of(expr::TypeKind::kLine, subject.line)
                     : Value::unknown("no line");
    slots[static_cast<std::size_t>(expr::Variable::kDateOfService)] =
        subject.date ? Value::date(*subject.date) : Value::unknown("no date of service");
    slots[static_cast<std::size_t>(expr::Variable::kAge)] = age_on(subject.date);
  }

  // The patient's age on the date (claims mostly have one date: the last answer is kept).
  Value age_on(const std::optional<core::Date>& date) {
    if (!date) return Value::unknown("no date of service");
    const auto& birth = claim_.patient.birth_date.reveal();
    if (!birth) return Value::unknown("claim.patient.birth_date is absent");
    if (!age_known_ || age_day_ != date->days()) {
      age_ = core::age_in_years(*birth, *date);
      age_day_ = date->days();
      age_known_ = true;
    }
    return Value::integer(age_);
  }

  // The code-set edition in force on `date`, through the evaluator's cache of the last answer.
  const codes::Edition* edition_for(core::Date date) {
    if (!context_.edition_known || context_.edition_day != date.days()) {
      context_.edition = set_.codes->edition_for(date);
      context_.edition_day = date.days();
      context_.edition_known = true;
    }
    return context_.edition;
  }

  // The claim's part of every finding fingerprint (DOMAIN.md 2.6: claim key, member-id hash,
  // frequency, first and last date of service, each followed by the separator), hashed once
  // per claim and only when a rule fires.
  const core::Sha256Prefixed& fingerprint_prefix() {
    if (fingerprint_prefix_) return *fingerprint_prefix_;
    const char separator = '\x1f';
    std::string key = model::claim_key(claim_);
    key += separator;
    key += core::sha256_hex(claim_.patient.member_id.reveal());
    key += separator;
    key += claim_.frequency_code;
    key += separator;
    if (!facts_.dates_of_service.empty()) key += facts_.dates_of_service.front().iso();
    key += separator;
    if (!facts_.dates_of_service.empty()) key += facts_.dates_of_service.back().iso();
    key += separator;
    return fingerprint_prefix_.emplace(key);
  }

  // Appends the rendered template to `out`.
  void render_template_to(std::string& out, const Template& text, const CompiledRule& rule,
                          model::FindingSeverity severity, std::string_view reason) {
    for (const Template::Part& part : text.parts) {
      out += part.literal;
      if (part.value) {
        expr::render_to(out, expr::evaluate(*part.value, context_));
      } else if (part.special == "rule") {
        out += rule.id;
      } else if (part.special == "severity") {
        out += model::to_string(severity);
      } else if (part.special == "reason") {
        out += reason;
      }
    }
  }

  // `facts_seen`: the evaluation of `when` that fired reached a place that records a fact
  // (expr::Context::fact_sites); without one, re-running it for the evidence would record none.
  [[gnu::noinline]] void build_finding(const CompiledRule& rule, const Subject& subject,
                                       bool facts_seen, model::Finding& finding) {
    model::FindingSeverity severity = rule.severity;
    std::string_view reason;  // The escalation's, which the rule owns.
    for (const CompiledEscalation& escalation : rule.escalate) {
      if (escalation.severity > severity && expr::evaluate(*escalation.when, context_).is_true()) {
        severity = escalation.severity;
        reason = escalation.reason;
      }
    }
    // Every field is set: `finding` may hold an earlier finding, or what a move left of it.
    finding.rule_id = rule.id;
    finding.severity = severity;
    finding.mode = rule.mode;
    finding.code.clear();
    finding.diagnosis_seq = 0;
    finding.line_seq = 0;
    if (subject.diagnosis) {
      finding.code = subject.diagnosis->code;
      finding.diagnosis_seq = subject.diagnosis->seq;
      finding.origin = subject.diagnosis->origin;
    } else if (subject.line) {
      finding.code = subject.line->procedure_code;
      finding.line_seq = subject.line->seq;
      finding.origin = subject.line->origin;
    } else {
      finding.origin = claim_.origin;
    }
    finding.location = render_origin(finding.origin, claim_);
    finding.message.clear();
    finding.message.reserve(128);
    render_template_to(finding.message, rule.message, rule, severity, reason);
    finding.predicts = rule.predicts;
    finding.evidence_json.clear();
    append_evidence(finding.evidence_json, rule, severity, reason, facts_seen);
    finding.fingerprint = fingerprint(rule, finding);
    finding.provenance.rule_version = rule.version;
    finding.provenance.rule_set_hash = set_.hash;
    finding.provenance.code_edition.clear();
    if (subject.date) {
      if (const codes::Edition* edition = edition_for(*subject.date)) {
        finding.provenance.code_edition = edition->name;
      }
    }
    finding.provenance.engine_version = CLAIMAUDIT_VERSION;
  }

  // The evidence JSON: fields, source, and the facts the condition used (collected by
  // re-running it; a condition that can record no fact, or whose evaluation reached no place
  // that records one, is not re-run: its facts are empty).
  void append_evidence(std::string& evidence, const CompiledRule& rule,
                       model::FindingSeverity severity, std::string_view reason, bool facts_seen) {
    collector_.facts.clear();
    if (rule.when_records_facts && facts_seen) {
      context_.tracer = &collector_;
      std::fill(context_.let_state.begin(), context_.let_state.end(), 0);
      expr::evaluate(*rule.when, context_);
      context_.tracer = nullptr;
    }
    evidence.reserve(256);
    evidence += "{\"fields\":{";
    for (const CompiledRule::EvidenceField& field : rule.evidence_fields) {
      evidence += field.json_key;
      append_json_value(evidence, expr::evaluate(*field.value, context_));
    }
    evidence += '}';
    if (rule.evidence_source) {
      evidence += ",\"source\":";
      text_.clear();
      render_template_to(text_, *rule.evidence_source, rule, severity, reason);
      append_json_string(evidence, text_);
    }
    evidence += ",\"facts\":[";
    for (std::size_t i = 0; i < collector_.facts.size(); ++i) {
      const expr::Fact& fact = collector_.facts[i];
      if (i > 0) evidence += ',';
      evidence += "{\"code\":";
      append_json_string(evidence, core::dotted_icd10(fact.code));
      evidence += ",\"date\":";
      append_json_string(evidence, fact.date.iso());
      evidence += ",\"status\":";
      append_json_string(evidence, fact.status);
      evidence += ",\"edition\":";
      append_json_string(evidence, fact.edition);
      evidence += ",\"detail\":";
      append_json_string(evidence, fact.detail);
      evidence += '}';
    }
    evidence += "]}";
  }

  // The fingerprint (DOMAIN.md 2.6): claim identity, never file bytes.
  std::string fingerprint(const CompiledRule& rule, const model::Finding& finding) {
    const char separator = '\x1f';
    std::string& key = text_;  // After the claim's part.
    key.assign(rule.id);
    key += separator;
    key += finding.code;
    key += separator;
    append_number(key, finding.diagnosis_seq);
    key += separator;
    append_number(key, finding.line_seq);
    return core::to_hex(fingerprint_prefix().digest(key));
  }

  // False when the rule's code guard is false for the subject's code and date: `when` would be
  // false too. True without a guard, a memo, or a code the memo can key.
  bool guard_allows(const CompiledRule& rule, const Subject& subject) {
    if (rule.guard_bit < 0 || memo_ == nullptr || subject.diagnosis == nullptr || !subject.date) {
      return true;
    }
    const auto d = static_cast<std::size_t>(subject.diagnosis - claim_.diagnoses.data());
    if (d >= claim_.diagnoses.size()) return true;
    return ((known_bits(d, *subject.date) >> rule.guard_bit) & 1U) != 0;
  }

 public:
  // The guard bits of diagnosis `d` over all of its dates of service: a rule's bit is clear when
  // its guard is false on every date (the engine then skips the rule on that diagnosis). All
  // bits set without a memo or without a date.
  // Prefetches the memo entries diagnosis_guard_bits() will read (first date of each code).
  void prefetch_guards() {
    if (memo_ == nullptr || (set_.guarded.empty() && set_.memo_indexed.empty())) return;
    for (std::size_t d = 0; d < claim_.diagnoses.size(); ++d) {
      const model::Diagnosis& diagnosis = claim_.diagnoses[d];
      const auto& dates = facts_.diagnosis_dates[d];
      if (dates.empty() || diagnosis.code_system != model::CodeSystem::kIcd10Cm) continue;
      const std::uint64_t key = memo_key(diagnosis.code, dates.front());
      if (key != 0) memo_->prefetch(key);
    }
  }

  // With Impl::memo_indexed, the bits of the indexed rules say which of them the code's
  // prefixes admit (all of them for an unreadable or non-ICD-10-CM code, as the index does).
  std::uint64_t diagnosis_guard_bits(std::size_t d) {
    constexpr std::uint64_t kAll = ~std::uint64_t{0};
    if (set_.guarded.empty() && set_.memo_indexed.empty()) return kAll;
    const auto& dates = facts_.diagnosis_dates[d];
    if (memo_ == nullptr || dates.empty()) return unmemoised_bits(claim_.diagnoses[d]);
    std::uint64_t bits = 0;
    for (const core::Date date : dates) bits |= known_bits(d, date);
    return bits;
  }

 private:
  // Rules run one after another over the diagnoses: keep each diagnosis's bits for the claim.
  std::uint64_t known_bits(std::size_t d, core::Date date) {
    GuardMemo::Known& known = memo_->known[d];
    if (known.claim != memo_->claim || known.day != date.days()) {
      known.bits = guard_bits(claim_.diagnoses[d], date);
      known.claim = memo_->claim;
      known.day = date.days();
    }
    return known.bits;
  }

  // expr::code_epoch_key() with the last date's epoch kept (a claim's diagnoses mostly share
  // one date of service; each is keyed twice, to prefetch and to look up).
  std::uint64_t memo_key(std::string_view code, core::Date date) {
    if (!epoch_known_ || epoch_day_ != date.days()) {
      epoch_ = set_.codes->epoch_of(date);
      epoch_day_ = date.days();
      epoch_known_ = true;
    }
    return expr::code_epoch_key(code, epoch_);
  }

  // Every guard allowed, the indexed rules' bits exact: for a diagnosis the memo cannot key.
  std::uint64_t unmemoised_bits(const model::Diagnosis& diagnosis) const {
    constexpr std::uint64_t kAll = ~std::uint64_t{0};
    if (diagnosis.code.empty() || diagnosis.code_system != model::CodeSystem::kIcd10Cm) return kAll;
    return ~set_.indexed_mask | index_bits(diagnosis.code);
  }

  // The bits of the Impl::memo_indexed rules whose index keys admit `code` (one of its prefixes).
  std::uint64_t index_bits(std::string_view code) const {
    std::uint64_t bits = 0;
    for (const std::size_t length : set_.index_key_lengths) {
      if (length > code.size()) break;
      auto it = set_.index.find(code.substr(0, length));
      if (it == set_.index.end()) continue;
      for (const std::size_t r : it->second) {
        const int bit = set_.rules[r]->index_bit;
        if (bit >= 0) bits |= std::uint64_t{1} << bit;
      }
    }
    return bits;
  }

  std::uint64_t guard_bits(const model::Diagnosis& diagnosis, core::Date date) {
    constexpr std::uint64_t kAll = ~std::uint64_t{0};
    if (diagnosis.code_system != model::CodeSystem::kIcd10Cm) return kAll;
    const std::uint64_t key = memo_key(diagnosis.code, date);
    if (key == 0) return unmemoised_bits(diagnosis);
    const auto fiscal_year = static_cast<std::uint16_t>(date.fiscal_year());
    if (const auto known = memo_->find(key, fiscal_year)) return *known;
    std::uint64_t bits = set_.memo_indexed.empty() ? 0 : index_bits(diagnosis.code);
    Subject subject;
    subject.diagnosis = &diagnosis;
    subject.date = date;
    for (std::size_t bit = 0; bit < set_.guarded.size(); ++bit) {
      const CompiledRule& rule = *set_.rules[set_.guarded[bit]];
      prepare(rule, subject);
      std::array<bool, 64> stack{};  // true: the guard may hold (true or unknown).
      std::size_t top = 0;
      for (const CompiledRule::GuardStep& step : rule.guard) {
        switch (step.kind) {
          case CompiledRule::GuardStep::Kind::kAtom:
            stack[top++] = !expr::evaluate(*step.atom, context_).is_false();
            break;
          case CompiledRule::GuardStep::Kind::kAnd:
            --top;
            stack[top - 1] = stack[top - 1] && stack[top];
            break;
          case CompiledRule::GuardStep::Kind::kOr:
            --top;
            stack[top - 1] = stack[top - 1] || stack[top];
            break;
        }
      }
      if (top == 1 && stack[0]) bits |= std::uint64_t{1} << bit;
      if (top != 1) bits |= std::uint64_t{1} << bit;  // Malformed guard: never skip.
    }
    memo_->store(key, fiscal_year, bits);
    return bits;
  }

  const RuleSet::Impl& set_;
  const expr::ClaimFacts& facts_;
  const model::Claim& claim_;
  expr::Context& context_;
  GuardMemo* memo_ = nullptr;
  bool epoch_known_ = false;
  std::int32_t epoch_day_ = 0;
  std::uint32_t epoch_ = 0;
  model::Finding finding_;
  std::optional<core::Sha256Prefixed> fingerprint_prefix_;
  FactCollector collector_;  // build_finding()'s, reused finding after finding.
  std::string text_;         // build_finding()'s scratch text (evidence source, fingerprint key).
  const CompiledRule* let_rule_ = nullptr;  // Whose lets context_.let_nodes holds.
  bool age_known_ = false;
  std::int32_t age_day_ = 0;
  int age_ = 0;
};

std::string code_system_reason(model::CodeSystem system) {
  return system == model::CodeSystem::kIcd9Cm ? "ICD-9-CM code set not shipped"
                                              : "code system unknown";
}

// Runs one rule over its subjects. `diagnoses` limits diagnosis scope (null: all).
// `on_subject` (optional) sees every subject's verdict, for explain.
// run_rule() without a trace: plain evaluation.
struct NoTrace {
  expr::Tracer* tracer() const { return nullptr; }
  void operator()(const Subject&, Verdict, const std::string&, const model::Finding*) const {}
};

// CompiledRule::verdict_by_dx_system: "passed" verdicts by (code system, qualifier, date),
// reused for this claim's other diagnoses (plain evaluation only: a trace shows every one).
class PassedVerdicts {
 public:
  bool contains(const model::Diagnosis& diagnosis, std::int32_t day) const {
    for (std::size_t i = 0; i < count_; ++i) {
      if (passed_[i].day == day && passed_[i].system == diagnosis.code_system &&
          passed_[i].qualifier == diagnosis.qualifier) {
        return true;
      }
    }
    return false;
  }
  void remember(const model::Diagnosis& diagnosis, std::int32_t day) {
    if (count_ < passed_.size()) {
      passed_[count_++] = Passed{diagnosis.code_system, diagnosis.qualifier, day};
    }
  }

 private:
  struct Passed {
    model::CodeSystem system;
    std::string_view qualifier;
    std::int32_t day;
  };
  std::array<Passed, 8> passed_;  // The first count_ are set.
  std::size_t count_ = 0;
};

// run_diagnosis_rule() on diagnosis `d`, on each of its dates until the rule fires.
// `share`: reuse (and record) the "passed" verdicts in `passed`.
template <class OnSubject, class Attempt, class Note>
void run_on_diagnosis(const CompiledRule& rule, const model::Claim& claim,
                      const expr::ClaimFacts& facts, std::size_t d, bool share,
                      PassedVerdicts& passed, Evaluation& out, model::Finding& finding,
                      OnSubject& on_subject, Attempt& attempt, Note& note) {
  const model::Diagnosis& diagnosis = claim.diagnoses[d];
  const auto label = [&] { return "diagnosis " + std::to_string(diagnosis.seq) + ": "; };
  if (std::find(rule.code_systems.begin(), rule.code_systems.end(), diagnosis.code_system) ==
      rule.code_systems.end()) {
    note(label() + code_system_reason(diagnosis.code_system));
    Subject subject;
    subject.diagnosis = &diagnosis;
    on_subject(subject, Verdict::kNotEvaluated, code_system_reason(diagnosis.code_system), nullptr);
    return;
  }
  Subject subject;
  subject.diagnosis = &diagnosis;
  const auto& dates = facts.diagnosis_dates[d];
  if (dates.empty()) {
    if (attempt(subject, label) == Verdict::kFired) out.findings.push_back(std::move(finding));
    return;
  }
  for (const core::Date date : dates) {
    subject.date = date;
    if (share && passed.contains(diagnosis, date.days())) continue;
    const Verdict verdict = attempt(subject, label);
    if (verdict == Verdict::kFired) {
      out.findings.push_back(std::move(finding));
      return;
    }
    if (share && verdict == Verdict::kPassed) passed.remember(diagnosis, date.days());
  }
}

// run_rule()'s diagnosis scope: every diagnosis in `diagnoses` (null: all), each on its dates.
// `attempt` and `note` are run_rule()'s: they run a subject and keep the first reason.
template <class OnSubject, class Attempt, class Note>
void run_diagnosis_rule(const CompiledRule& rule, const model::Claim& claim,
                        const expr::ClaimFacts& facts, const std::vector<std::size_t>* diagnoses,
                        Evaluation& out, model::Finding& finding, OnSubject& on_subject,
                        Attempt& attempt, Note& note) {
  PassedVerdicts passed;
  constexpr bool kPlain = std::is_same_v<std::decay_t<OnSubject>, NoTrace>;
  const bool share = kPlain && rule.verdict_by_dx_system;
  if (diagnoses != nullptr) {
    for (const std::size_t d : *diagnoses) {
      run_on_diagnosis(rule, claim, facts, d, share, passed, out, finding, on_subject, attempt,
                       note);
    }
  } else {
    for (std::size_t d = 0; d < claim.diagnoses.size(); ++d) {
      run_on_diagnosis(rule, claim, facts, d, share, passed, out, finding, on_subject, attempt,
                       note);
    }
  }
}

template <class OnSubject>
void run_rule(Runner& runner, const CompiledRule& rule, const model::Claim& claim,
              const expr::ClaimFacts& facts, const std::vector<std::size_t>* diagnoses,
              Evaluation& out, OnSubject&& on_subject) {
  std::string not_evaluated;
  auto note = [&](const std::string& reason) {
    if (not_evaluated.empty()) not_evaluated = reason;
  };
  model::Finding& finding = runner.finding();
  // `label` makes the "diagnosis 2: " prefix, only when a subject is not evaluated.
  auto attempt = [&](const Subject& subject, auto&& label) {
    std::string reason;
    expr::Tracer* tracer = on_subject.tracer();
    const Verdict verdict = runner.run(rule, subject, finding, reason, tracer);
    on_subject(subject, verdict, reason, verdict == Verdict::kFired ? &finding : nullptr);
    if (verdict == Verdict::kNotEvaluated) note(label() + reason);
    return verdict;
  };
  switch (rule.scope) {
    case expr::Scope::kClaim: {
      Subject subject;
      subject.date = facts.claim_date;
      if (attempt(subject, [] { return std::string(); }) == Verdict::kFired) {
        out.findings.push_back(std::move(finding));
      }
      break;
    }
    case expr::Scope::kLine:
      for (std::size_t l = 0; l < claim.lines.size(); ++l) {
        Subject subject;
        subject.line = &claim.lines[l];
        subject.date = facts.line_dates[l];
        const auto label = [&] { return "line " + std::to_string(claim.lines[l].seq) + ": "; };
        // Runner::build_finding sets every field of `finding` before it is read again.
        // NOLINTNEXTLINE(bugprone-use-after-move)
        if (attempt(subject, label) == Verdict::kFired) out.findings.push_back(std::move(finding));
      }
      break;
    case expr::Scope::kDiagnosis:
      run_diagnosis_rule(rule, claim, facts, diagnoses, out, finding, on_subject, attempt, note);
      break;
  }
  if (!not_evaluated.empty()) out.not_evaluated.push_back(NotEvaluated{rule.id, not_evaluated});
}

}  // namespace

void evaluate_rule(const RuleSet::Impl& set, const CompiledRule& rule, const model::Claim& claim,
                   Evaluation& out, expr::Tracer*) {
  const expr::ClaimFacts facts = expr::compute_facts(claim);
  if (!Runner::applies(rule, claim, facts)) return;
  expr::Context context;
  Runner runner(set, facts, context);
  run_rule(runner, rule, claim, facts, nullptr, out, NoTrace{});
}

namespace {

// What evaluate() needs per claim besides the result, kept per thread and reused claim after
// claim so that steady-state evaluation allocates (almost) nothing but its findings. Only the
// thread that owns it touches it: the rule set itself stays shared and read-only.
struct Scratch {
  expr::ClaimFacts facts;
  expr::Context context;
  std::vector<std::pair<std::size_t, std::size_t>> work;  // (rule, diagnosis) pairs.
  std::vector<std::size_t> order;
  std::vector<std::size_t> diagnoses;
  std::vector<std::uint64_t> guard_bits;  // Per diagnosis index (Runner::diagnosis_guard_bits).
  GuardMemo guards;
  bool busy = false;
};

// evaluate_with() with the memo index: the guard bits hold the index's answers, so the order is
// the rules that always run and the indexed ones that some diagnosis admits, in rule order.
void order_by_guard_bits(const RuleSet::Impl& set, std::uint64_t admitted,
                         std::vector<std::size_t>& order) {
  for (const std::size_t r : set.enabled) {
    const int bit = set.rules[r]->index_bit;
    if (bit < 0 || ((admitted >> bit) & 1U) != 0) order.push_back(r);
  }
}

// evaluate_with() with the code index: the (rule, diagnosis) pairs the code index admits, sorted.
void collect_indexed_work(const RuleSet::Impl& set, const model::Claim& claim,
                          std::vector<std::pair<std::size_t, std::size_t>>& work) {
  for (std::size_t d = 0; d < claim.diagnoses.size(); ++d) {
    const std::string& code = claim.diagnoses[d].code;
    // An unreadable or non-ICD-10 code: every rule reports it as not evaluated, indexed or not,
    // so the index never changes what a claim's result says.
    if (code.empty() || claim.diagnoses[d].code_system != model::CodeSystem::kIcd10Cm) {
      for (const auto& [key, rules] : set.index) {
        for (const std::size_t r : rules) work.emplace_back(r, d);
      }
    }
    for (const std::size_t length : set.index_key_lengths) {
      if (length > code.size()) break;
      auto it = set.index.find(std::string_view(code).substr(0, length));
      if (it == set.index.end()) continue;
      for (const std::size_t r : it->second) work.emplace_back(r, d);
    }
  }
  std::sort(work.begin(), work.end());
  work.erase(std::unique(work.begin(), work.end()), work.end());
}

// Rule order with the code index: the rules that always run, merged with the indexed ones that
// got work.
void order_by_work(const RuleSet::Impl& set,
                   const std::vector<std::pair<std::size_t, std::size_t>>& work,
                   std::vector<std::size_t>& order) {
  auto always = set.always.begin();
  auto cursor = work.begin();
  while (always != set.always.end() || cursor != work.end()) {
    if (cursor == work.end() || (always != set.always.end() && *always < cursor->first)) {
      order.push_back(*always++);
    } else {
      const std::size_t r = cursor->first;
      order.push_back(r);
      while (cursor != work.end() && cursor->first == r) ++cursor;
    }
  }
}

// The diagnoses an indexed or guarded diagnosis rule `r` runs on: the index's (memo bits or
// `cursor`'s pairs, else all), less those on which its code guard is false on every date.
void select_diagnoses(const CompiledRule& rule, std::size_t r, const model::Claim& claim,
                      const std::vector<std::uint64_t>& guard_bits,
                      const std::vector<std::pair<std::size_t, std::size_t>>& work,
                      std::vector<std::pair<std::size_t, std::size_t>>::const_iterator& cursor,
                      std::vector<std::size_t>& diagnoses) {
  diagnoses.clear();
  if (rule.index_bit >= 0) {
    for (std::size_t d = 0; d < claim.diagnoses.size(); ++d) {
      if (((guard_bits[d] >> rule.index_bit) & 1U) != 0) diagnoses.push_back(d);
    }
  } else if (rule.indexed) {
    while (cursor != work.end() && cursor->first < r) ++cursor;
    while (cursor != work.end() && cursor->first == r) diagnoses.push_back((cursor++)->second);
  } else {
    for (std::size_t d = 0; d < claim.diagnoses.size(); ++d) diagnoses.push_back(d);
  }
  // The guard: skip the diagnoses on which the rule's code guard is false on every date.
  if (rule.guard_bit >= 0) {
    std::erase_if(diagnoses,
                  [&](std::size_t d) { return ((guard_bits[d] >> rule.guard_bit) & 1U) == 0; });
  }
}

void evaluate_with(const RuleSet::Impl& set, const model::Claim& claim, Scratch& scratch,
                   Evaluation& out, std::vector<RuleTime>* times) {
  expr::ClaimFacts& facts = scratch.facts;
  expr::compute_facts(claim, facts);
  scratch.guards.use_set(set.serial);
  Runner runner(set, facts, scratch.context, &scratch.guards);
  runner.prefetch_guards();
  auto& diagnoses = scratch.diagnoses;
  auto& guard_bits = scratch.guard_bits;
  guard_bits.clear();
  std::uint64_t admitted = 0;  // With memo_indexed: the indexed rules some diagnosis admits.
  for (std::size_t d = 0; d < claim.diagnoses.size(); ++d) {
    guard_bits.push_back(runner.diagnosis_guard_bits(d));
    admitted |= guard_bits.back();
  }
  auto& work = scratch.work;
  work.clear();
  auto& order = scratch.order;
  order.clear();
  if (!set.memo_indexed.empty()) {
    order_by_guard_bits(set, admitted, order);
  } else {
    // Indexed diagnosis rules: the (rule, diagnosis) pairs the code index admits. Every other
    // rule runs on the whole claim (unindexed diagnosis rules: on every diagnosis, in order).
    collect_indexed_work(set, claim, work);
    order_by_work(set, work, order);
  }
  std::vector<std::pair<std::size_t, std::size_t>>::const_iterator cursor = work.begin();
  // Metrics: one clock read per rule run, each rule's time the gap since the previous read.
  using Clock = std::chrono::steady_clock;
  Clock::time_point last = times != nullptr ? Clock::now() : Clock::time_point{};
  for (const std::size_t r : order) {
    const CompiledRule& rule = *set.rules[r];
    if (!Runner::applies(rule, claim, facts)) continue;
    if (rule.scope == expr::Scope::kDiagnosis && (rule.indexed || rule.guard_bit >= 0)) {
      select_diagnoses(rule, r, claim, guard_bits, work, cursor, diagnoses);
      if (!diagnoses.empty()) run_rule(runner, rule, claim, facts, &diagnoses, out, NoTrace{});
    } else {
      run_rule(runner, rule, claim, facts, nullptr, out, NoTrace{});
    }
    if (times != nullptr) {
      const Clock::time_point now = Clock::now();
      times->push_back(RuleTime{
          r, static_cast<std::uint64_t>(
                 std::chrono::duration_cast<std::chrono::nanoseconds>(now - last).count())});
      last = now;
    }
  }
}

}  // namespace

namespace {

void prefetch_bytes(const void* data, std::size_t bytes) noexcept {
  constexpr std::size_t kLine = 64;
  const auto* first = static_cast<const char*>(data);
  for (std::size_t offset = 0; offset < bytes; offset += kLine) __builtin_prefetch(first + offset);
}

}  // namespace

void prefetch_ahead(const RuleSet& rule_set, std::span<const model::Claim> claims,
                    std::size_t next) noexcept {
  // Five claims ahead: the claim itself. Four: its arrays (their addresses are in the claim,
  // prefetched a claim ago). Three: what its lines point to, and the code-set hash slots of its
  // diagnosis codes (inside the diagnosis array). Two: the codes' records. One: their intervals.
  const auto at = [&](std::size_t ahead) -> const model::Claim* {
    return next + ahead < claims.size() ? &claims[next + ahead] : nullptr;
  };
  using Step = codes::CodeSet::PrefetchStep;
  const codes::CodeSet* codes = rule_set.impl().codes;
  const auto prefetch_codes = [&](const model::Claim* claim, Step step) {
    if (claim == nullptr || codes == nullptr) return;
    for (const model::Diagnosis& diagnosis : claim->diagnoses)
      codes->prefetch(diagnosis.code, step);
  };
  if (const model::Claim* claim = at(5)) prefetch_bytes(claim, sizeof(model::Claim));
  if (const model::Claim* claim = at(4)) {
    prefetch_bytes(claim->diagnoses.data(), claim->diagnoses.size() * sizeof(model::Diagnosis));
    prefetch_bytes(claim->lines.data(), claim->lines.size() * sizeof(model::ServiceLine));
  }
  if (const model::Claim* claim = at(3)) {
    for (const model::ServiceLine& line : claim->lines) {
      __builtin_prefetch(line.dx_pointers.data());
      if (!line.modifiers.empty()) __builtin_prefetch(line.modifiers.data());
    }
    prefetch_codes(claim, Step::kSlot);
  }
  prefetch_codes(at(2), Step::kRecord);
  prefetch_codes(at(1), Step::kIntervals);
}

Evaluation evaluate(const RuleSet& rule_set, const model::Claim& claim) {
  return evaluate(rule_set, claim, nullptr);
}

Evaluation evaluate(const RuleSet& rule_set, const model::Claim& claim,
                    std::vector<RuleTime>* times) {
  thread_local Scratch scratch;
  Evaluation out;
  if (scratch.busy) {
    // Re-entered on this thread (never in practice): use a scratch of its own.
    Scratch own;
    evaluate_with(rule_set.impl(), claim, own, out, times);
    return out;
  }
  struct Busy {
    bool& flag;
    explicit Busy(bool& f) : flag(f) { flag = true; }
    Busy(const Busy&) = delete;
    Busy& operator=(const Busy&) = delete;
    ~Busy() { flag = false; }
  } busy(scratch.busy);
  evaluate_with(rule_set.impl(), claim, scratch, out, times);
  return out;
}

namespace {

// run_inline_tests(): the findings a test looks at (those on its subject, if it names one).
std::vector<const model::Finding*> test_findings(const CompiledRule& rule, const CompiledTest& test,
                                                 const Evaluation& evaluation) {
  std::vector<const model::Finding*> findings;
  for (const model::Finding& finding : evaluation.findings) {
    if (test.seq && (rule.scope == expr::Scope::kLine ? finding.line_seq : finding.diagnosis_seq) !=
                        *test.seq) {
      continue;
    }
    findings.push_back(&finding);
  }
  return findings;
}

// run_inline_tests(): why a test failed (empty: it passed).
std::string test_failure(const CompiledRule& rule, const CompiledTest& test,
                         const Evaluation& evaluation,
                         const std::vector<const model::Finding*>& findings) {
  std::string got = !findings.empty()                   ? "fire"
                    : !evaluation.not_evaluated.empty() ? "not_evaluated"
                                                        : "pass";
  std::string detail;
  if (got != test.expect) {
    detail = "expected " + test.expect + ", got " + got;
    if (got == "not_evaluated") detail += " (" + evaluation.not_evaluated.front().reason + ")";
    if (got == "fire") detail += " (\"" + findings.front()->message + "\")";
  } else if (test.message && !findings.empty() && findings.front()->message != *test.message) {
    detail =
        "expected message \"" + *test.message + "\", got \"" + findings.front()->message + "\"";
  } else if (test.severity && !rule.severity_overridden && !findings.empty() &&
             findings.front()->severity != *test.severity) {
    detail = "expected severity " + std::string(model::to_string(*test.severity)) + ", got " +
             std::string(model::to_string(findings.front()->severity));
  } else if (test.findings && static_cast<int>(findings.size()) != *test.findings) {
    detail = "expected " + std::to_string(*test.findings) + " finding(s), got " +
             std::to_string(findings.size());
  }
  return detail;
}

}  // namespace

std::vector<TestOutcome> run_inline_tests(const RuleSet& rule_set) {
  const RuleSet::Impl& set = rule_set.impl();
  std::vector<TestOutcome> outcomes;
  for (const auto& rule : set.rules) {
    for (const CompiledTest& test : rule->tests) {
      TestOutcome outcome;
      outcome.rule_id = rule->id;
      outcome.name = test.name;
      outcome.where.file = set.files[static_cast<std::size_t>(test.at.file)];
      outcome.where.line = test.at.line;
      outcome.where.column = test.at.column;
      Evaluation evaluation;
      evaluate_rule(set, *rule, *test.claim, evaluation);
      const std::vector<const model::Finding*> findings = test_findings(*rule, test, evaluation);
      std::string detail = test_failure(*rule, test, evaluation, findings);
      outcome.passed = detail.empty();
      outcome.detail = std::move(detail);
      outcomes.push_back(std::move(outcome));
    }
  }
  return outcomes;
}

namespace {

// explain(): how a subject reads ("diagnosis 2 E11.9, dos 2026-01-05").
std::string describe_subject(const Subject& subject) {
  std::string text;
  if (subject.diagnosis) {
    text = "diagnosis " + std::to_string(subject.diagnosis->seq) + " " +
           (subject.diagnosis->code.empty()
                ? subject.diagnosis->raw
                : core::dotted_code(subject.diagnosis->code,
                                    subject.diagnosis->code_system == model::CodeSystem::kIcd9Cm));
  } else if (subject.line) {
    text = "line " + std::to_string(subject.line->seq);
  }
  if (subject.date) text += (text.empty() ? "" : ", ") + std::string("dos ") + subject.date->iso();
  return text;
}

const char* verdict_name(Verdict verdict) {
  return verdict == Verdict::kFired          ? "fired"
         : verdict == Verdict::kPassed       ? "passed"
         : verdict == Verdict::kNotEvaluated ? "not evaluated"
                                             : "not applicable";
}

// explain()'s run_rule() observer: one explanation per subject, with its trace.
struct Explainer {
  const CompiledRule& rule;
  std::vector<RuleExplanation>& out;
  std::unique_ptr<TraceRecorder> recorder = std::make_unique<TraceRecorder>();
  expr::Tracer* tracer() {
    recorder = std::make_unique<TraceRecorder>();
    return recorder.get();
  }
  void operator()(const Subject& subject, Verdict verdict, const std::string& reason,
                  const model::Finding* finding) {
    RuleExplanation explanation;
    explanation.rule_id = rule.id;
    explanation.verdict = verdict_name(verdict);
    explanation.subject = describe_subject(subject);
    explanation.reason = finding != nullptr ? finding->message : reason;
    explanation.steps = std::move(recorder->steps);
    explanation.facts = std::move(recorder->facts);
    recorder = std::make_unique<TraceRecorder>();
    out.push_back(std::move(explanation));
  }
};

}  // namespace

std::vector<RuleExplanation> explain(const RuleSet& rule_set, const model::Claim& claim,
                                     const std::string& rule_id) {
  const RuleSet::Impl& set = rule_set.impl();
  std::vector<RuleExplanation> out;
  const expr::ClaimFacts facts = expr::compute_facts(claim);
  expr::Context context;
  Runner runner(set, facts, context);
  for (const std::size_t r : set.enabled) {
    const CompiledRule& rule = *set.rules[r];
    if (!rule_id.empty() && rule.id != rule_id) continue;
    if (!Runner::applies(rule, claim, facts)) {
      RuleExplanation explanation;
      explanation.rule_id = rule.id;
      explanation.verdict = "not applicable";
      explanation.reason = "applies_to excludes this claim";
      out.push_back(std::move(explanation));
      continue;
    }
    Explainer explainer{rule, out};
    Evaluation ignored;
    run_rule(runner, rule, claim, facts, nullptr, ignored, explainer);
  }
  return out;
}

}  // namespace claimaudit::rules
