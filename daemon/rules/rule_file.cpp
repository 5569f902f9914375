#include "rules/rule_file.hpp"

#include <algorithm>
#include <set>

#include "rules/expr/issue.hpp"

namespace claimaudit::rules {
namespace {

class Reader {
 public:
  Reader(const std::string& text, int file, std::vector<LoadIssue>& issues)
      : text_(text), file_(file), issues_(issues) {}

  RuleFile read() {
    RuleFile out;
    std::vector<YAML::Node> documents;
    try {
      documents = YAML::LoadAll(text_);
    } catch (const YAML::Exception& error) {
      Position at{file_, error.mark.line + 1, error.mark.column + 1};
      if (error.mark.is_null()) at = Position{file_, 1, 1};
      issue("E-RULE-YAML", "YAML: " + error.msg, at);
      return out;
    }
    for (const YAML::Node& document : documents) {
      if (document.IsNull()) continue;
      if (!document.IsSequence()) {
        issue("E-RULE-ITEM",
              "a rule file is a list of items (each starting with '- rule:', '- list:', "
              "'- macro:', '- exception:' or '- override:')",
              pos(document));
        continue;
      }
      for (const YAML::Node& item : document) read_item(item, out);
    }
    return out;
  }

 private:
  Position pos(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return Position{file_, 1, 1};
    return Position{file_, mark.line + 1, mark.column + 1};
  }
  void issue(std::string code, std::string message, Position at, int length = 1,
             std::string rule = {}, core::Severity severity = core::Severity::kError) {
    issues_.push_back(LoadIssue{severity, std::move(code), std::move(message), at, length,
                                rule.empty() ? current_rule_ : std::move(rule)});
  }

  // Keys of a mapping item with their nodes; reports unknown and duplicate keys.
  std::vector<std::pair<Located, YAML::Node>> keys(const YAML::Node& map,
                                                   const std::vector<std::string>& allowed,
                                                   const char* what) {
    std::vector<std::pair<Located, YAML::Node>> out;
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node key = it->first;
      const std::string name = key.IsScalar() ? key.Scalar() : std::string();
      Located located{name, pos(key)};
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        const std::string best = expr::did_you_mean(name, allowed);
        issue("E-RULE-UNKNOWN-KEY",
              "unknown key '" + name + "' in " + what +
                  (best.empty() ? "" : " (did you mean '" + best + "'?)"),
              located.at, static_cast<int>(std::max<std::size_t>(name.size(), 1)));
        continue;
      }
      if (!seen.insert(name).second) {
        issue("E-RULE-UNKNOWN-KEY", "key '" + name + "' appears twice in " + what, located.at,
              static_cast<int>(name.size()));
        continue;
      }
      out.emplace_back(std::move(located), it->second);
    }
    return out;
  }

  bool scalar(const YAML::Node& node, const Located& key, std::string& out) {
    if (!node.IsScalar()) {
      issue("E-RULE-VALUE", "'" + key.value + "' must be a single value", pos(node));
      return false;
    }
    out = node.Scalar();
    return true;
  }
  Located located_scalar(const YAML::Node& node, const Located& key) {
    Located out{std::string(), pos(node)};
    scalar(node, key, out.value);
    return out;
  }
  std::optional<bool> boolean(const YAML::Node& node, const Located& key) {
    std::string value;
    if (!scalar(node, key, value)) return std::nullopt;
    if (value == "true") return true;
    if (value == "false") return false;
    issue("E-RULE-VALUE", "'" + key.value + "' must be true or false, not '" + value + "'",
          pos(node), static_cast<int>(value.size()));
    return std::nullopt;
  }
  std::vector<Located> scalar_list(const YAML::Node& node, const Located& key) {
    std::vector<Located> out;
    if (!node.IsSequence()) {
      issue("E-RULE-VALUE", "'" + key.value + "' must be a list", pos(node));
      return out;
    }
    for (const YAML::Node& element : node) {
      if (!element.IsScalar()) {
        issue("E-RULE-VALUE", "each element of '" + key.value + "' must be a single value",
              pos(element));
        continue;
      }
      out.push_back(Located{element.Scalar(), pos(element)});
    }
    return out;
  }

  // An expression scalar with a per-byte position map (STYLE.md 4).
  ExprText expression(const YAML::Node& node, const Located& key, bool condition = true) {
    ExprText out;
    out.at = pos(node);
    if (!node.IsScalar()) {
      issue("E-RULE-VALUE", "'" + key.value + "' must be an expression (a string)", pos(node));
      return out;
    }
    out.text = node.Scalar();
    const YAML::Mark mark = node.Mark();
    if (mark.is_null() || mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text_.size()) {
      return out;
    }
    std::size_t at = static_cast<std::size_t>(mark.pos);
    const char style = text_[at];
    if (!condition && (style == '"' || style == '\'')) {
      ++at;
    } else if (style == '>' || style == '"' || style == '\'') {
      out.folded_or_quoted = true;
      if (style != '>') out.at.column += 1;
      issue("W-RULE-CONDITION-STYLE",
            std::string("write '") + key.value +
                "' as a plain or literal (|) scalar: YAML rewrites the whitespace of a " +
                (style == '>' ? "folded" : "quoted") +
                " one, so errors inside it point at its first character",
            pos(node), 1, {}, core::Severity::kWarning);
      return out;
    }
    if (style == '|' || (!condition && style == '>')) {
      const std::size_t newline = text_.find('\n', at);
      if (newline == std::string::npos) return out;
      at = newline + 1;
    }
    map_offsets(out, mark, at);
    return out;
  }

  // Fills out.offsets (and out.at) by walking the value and the file from `at` together;
  // whitespace in the file that the value folded away (indentation, line breaks) is skipped.
  // Leaves them as they are when the two part ways.
  void map_offsets(ExprText& out, const YAML::Mark& mark, std::size_t at) const {
    int line = mark.line + 1;
    int column = mark.column + 1;
    // Recompute line/column at `at` from the mark.
    for (std::size_t i = static_cast<std::size_t>(mark.pos); i < at; ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::size_t file_at = at;
    std::vector<std::pair<int, int>> offsets;
    offsets.reserve(out.text.size());
    auto advance = [&]() {
      if (text_[file_at] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
      ++file_at;
    };
    for (std::size_t v = 0; v < out.text.size(); ++v) {
      const char wanted = out.text[v];
      while (file_at < text_.size() && text_[file_at] != wanted &&
             (text_[file_at] == ' ' || text_[file_at] == '\t' || text_[file_at] == '\n' ||
              text_[file_at] == '\r')) {
        advance();
      }
      if (file_at >= text_.size() || text_[file_at] != wanted) {
        if (wanted == ' ' || wanted == '\n' || wanted == '\t') {
          offsets.emplace_back(line, column);
          continue;  // Folded whitespace with no counterpart.
        }
        return;  // Give up: every offset maps to the start.
      }
      offsets.emplace_back(line, column);
      advance();
    }
    out.offsets = std::move(offsets);
    if (!out.offsets.empty()) {
      out.at.line = out.offsets.front().first;
      out.at.column = out.offsets.front().second;
    }
  }

  std::vector<EscalationSpec> escalations(const YAML::Node& node, const Located& key) {
    std::vector<EscalationSpec> out;
    if (!node.IsSequence()) {
      issue("E-RULE-VALUE", "'escalate' must be a list of {when, severity, reason}", pos(node));
      return out;
    }
    for (const YAML::Node& entry : node) {
      if (!entry.IsMap()) {
        issue("E-RULE-VALUE", "each 'escalate' entry is a mapping with when and severity",
              pos(entry));
        continue;
      }
      EscalationSpec spec;
      bool has_when = false;
      bool has_severity = false;
      for (auto& [k, v] : keys(entry, {"when", "severity", "reason"}, "an escalate entry")) {
        if (k.value == "when") {
          spec.when = expression(v, k);
          has_when = true;
        } else if (k.value == "severity") {
          spec.severity = located_scalar(v, k);
          has_severity = true;
        } else {
          scalar(v, k, spec.reason);
        }
      }
      if (!has_when || !has_severity) {
        issue("E-RULE-MISSING-KEY",
              std::string("an escalate entry needs '") + (has_when ? "severity" : "when") + "'",
              pos(entry));
        continue;
      }
      (void)key;
      out.push_back(std::move(spec));
    }
    return out;
  }

  std::vector<ExceptionSpec> inline_exceptions(const YAML::Node& node) {
    std::vector<ExceptionSpec> out;
    if (!node.IsSequence()) {
      issue("E-RULE-VALUE", "'exceptions' must be a list of {name, when}", pos(node));
      return out;
    }
    for (const YAML::Node& entry : node) {
      if (!entry.IsMap()) {
        issue("E-RULE-VALUE", "each exception is a mapping with name and when", pos(entry));
        continue;
      }
      ExceptionSpec spec;
      bool has_when = false;
      bool has_name = false;
      for (auto& [k, v] : keys(entry, {"name", "when", "description"}, "an exception")) {
        if (k.value == "name") {
          spec.name = located_scalar(v, k);
          has_name = true;
        } else if (k.value == "when") {
          spec.when = expression(v, k);
          has_when = true;
        } else {
          scalar(v, k, spec.description);
        }
      }
      if (!has_when || !has_name) {
        issue("E-RULE-MISSING-KEY",
              std::string("an exception needs '") + (has_name ? "when" : "name") + "'", pos(entry));
        continue;
      }
      out.push_back(std::move(spec));
    }
    return out;
  }

  std::vector<TestSpec> tests(const YAML::Node& node) {
    std::vector<TestSpec> out;
    if (!node.IsSequence()) {
      issue("E-RULE-TEST", "'tests' must be a list", pos(node));
      return out;
    }
    for (const YAML::Node& entry : node) {
      if (!entry.IsMap()) {
        issue("E-RULE-TEST", "each test is a mapping with name, claim and expect", pos(entry));
        continue;
      }
      if (auto spec = read_test(entry)) out.push_back(std::move(*spec));
    }
    return out;
  }

  // One test mapping; nullopt (with an issue) when it lacks its claim or expectation.
  std::optional<TestSpec> read_test(const YAML::Node& entry) {
    TestSpec spec;
    spec.at = pos(entry);
    bool has_claim = false;
    bool has_expect = false;
    for (auto& [k, v] :
         keys(entry, {"name", "claim", "dos", "expect", "message", "severity", "findings", "at"},
              "a test")) {
      if (k.value == "name") {
        scalar(v, k, spec.name);
      } else if (k.value == "claim") {
        if (read_test_claim(v, spec)) has_claim = true;
      } else if (k.value == "dos") {
        spec.dos = located_scalar(v, k);
      } else if (k.value == "expect") {
        spec.expect = located_scalar(v, k);
        has_expect = true;
        check_expect(spec.expect);
      } else if (k.value == "message") {
        spec.message = located_scalar(v, k);
      } else if (k.value == "severity") {
        spec.severity = located_scalar(v, k);
      } else {
        read_test_number(v, k, spec);
      }
    }
    if (!has_claim || !has_expect) {
      issue("E-RULE-TEST", std::string("a test needs '") + (has_claim ? "expect" : "claim") + "'",
            spec.at);
      return std::nullopt;
    }
    return spec;
  }

  bool read_test_claim(const YAML::Node& value, TestSpec& spec) {
    if (!value.IsMap()) {
      issue("E-RULE-TEST", "a test's 'claim' is a claim written as a YAML mapping", pos(value));
      return false;
    }
    spec.claim = value;
    spec.claim_at = pos(value);
    return true;
  }

  void check_expect(const Located& expect) {
    if (expect.value != "fire" && expect.value != "pass" && expect.value != "not_evaluated") {
      issue("E-RULE-TEST", "'expect' is fire, pass or not_evaluated, not '" + expect.value + "'",
            expect.at, static_cast<int>(expect.value.size()));
    }
  }

  // `findings` or `at` (the diagnosis or line seq): a whole number.
  void read_test_number(const YAML::Node& value, const Located& key, TestSpec& spec) {
    std::string number;
    if (!scalar(value, key, number)) return;
    try {
      std::size_t used = 0;
      const int parsed = std::stoi(number, &used);
      if (used != number.size() || parsed < 0) throw std::invalid_argument(number);
      (key.value == "findings" ? spec.findings : spec.seq) = parsed;
    } catch (const std::exception&) {
      issue("E-RULE-TEST", "'" + key.value + "' must be a whole number", pos(value));
    }
  }

  void read_list(const YAML::Node& item, RuleFile& out) {
    ListSpec spec;
    bool has_items = false;
    for (auto& [k, v] : keys(item, {"list", "type", "description", "items"}, "a list")) {
      if (k.value == "list") {
        spec.name = located_scalar(v, k);
      } else if (k.value == "type") {
        scalar(v, k, spec.type);
        spec.type_at = pos(v);
      } else if (k.value == "items") {
        has_items = true;
        if (!v.IsSequence()) {
          issue("E-RULE-VALUE", "'items' must be a list", pos(v));
          continue;
        }
        for (const YAML::Node& element : v) {
          if (element.IsScalar()) {
            spec.items.push_back(Located{element.Scalar(), pos(element)});
          } else if (element.IsSequence() && element.size() == 2 && element[0].IsScalar() &&
                     element[1].IsScalar()) {
            spec.pairs.emplace_back(Located{element[0].Scalar(), pos(element[0])},
                                    Located{element[1].Scalar(), pos(element[1])});
          } else {
            issue("E-RULE-VALUE", "a list item is a value, or a pair [a, b] in a pairs list",
                  pos(element));
          }
        }
      }
    }
    if (!has_items)
      issue("E-RULE-MISSING-KEY", "list '" + spec.name.value + "' needs 'items'", pos(item));
    out.lists.push_back(std::move(spec));
  }

  void read_macro(const YAML::Node& item, RuleFile& out) {
    MacroSpec spec;
    bool has_expr = false;
    for (auto& [k, v] : keys(item, {"macro", "description", "params", "expr"}, "a macro")) {
      if (k.value == "macro") {
        spec.name = located_scalar(v, k);
      } else if (k.value == "params") {
        spec.params = scalar_list(v, k);
      } else if (k.value == "expr") {
        spec.expr = expression(v, k);
        has_expr = true;
      }
    }
    if (!has_expr) {
      issue("E-RULE-MISSING-KEY", "macro '" + spec.name.value + "' needs 'expr'", pos(item));
      return;
    }
    out.macros.push_back(std::move(spec));
  }

  void read_rule(const YAML::Node& item, RuleFile& out) {
    RuleSpec spec;
    spec.mode = Located{"enforce", pos(item)};
    static const std::vector<std::string> kAllowed = {
        "rule",       "version",  "title",     "description", "scope",
        "let",        "when",     "severity",  "escalate",    "predicts",
        "message",    "evidence", "effective", "applies_to",  "mode",
        "references", "tags",     "enabled",   "exceptions",  "tests"};
    if (item["rule"] && item["rule"].IsScalar()) current_rule_ = item["rule"].Scalar();
    std::set<std::string> present;
    for (auto& [k, v] : keys(item, kAllowed, "a rule")) {
      present.insert(k.value);
      read_rule_key(k, v, spec);
    }
    bool complete = true;
    for (const char* required : {"version", "title", "scope", "when", "severity", "message"}) {
      if (present.count(required) == 0) {
        issue("E-RULE-MISSING-KEY", "rule '" + spec.id.value + "' needs '" + required + "'",
              pos(item));
        complete = false;
      }
    }
    current_rule_.clear();
    if (complete) out.rules.push_back(std::move(spec));
  }

  // One key of a rule item.
  void read_rule_key(const Located& k, const YAML::Node& v, RuleSpec& spec) {
    const std::string& key = k.value;
    if (key == "rule") {
      spec.id = located_scalar(v, k);
    } else if (key == "version") {
      spec.version = located_scalar(v, k);
    } else if (key == "title") {
      scalar(v, k, spec.title);
    } else if (key == "description") {
      scalar(v, k, spec.description);
    } else if (key == "scope") {
      spec.scope = located_scalar(v, k);
    } else if (key == "let") {
      read_lets(v, spec);
    } else if (key == "when") {
      spec.when = expression(v, k);
    } else if (key == "severity") {
      spec.severity = located_scalar(v, k);
    } else if (key == "escalate") {
      spec.escalate = escalations(v, k);
    } else if (key == "predicts") {
      read_predicts(v, spec);
    } else if (key == "message") {
      spec.message = expression(v, k, false);
    } else if (key == "evidence") {
      read_evidence(v, spec);
    } else if (key == "effective") {
      read_effective(v, spec);
    } else if (key == "applies_to") {
      read_applies_to(v, spec);
    } else if (key == "mode") {
      spec.mode = located_scalar(v, k);
    } else if (key == "references") {
      for (const Located& reference : scalar_list(v, k)) spec.references.push_back(reference.value);
    } else if (key == "tags") {
      for (const Located& tag : scalar_list(v, k)) spec.tags.push_back(tag.value);
    } else if (key == "enabled") {
      spec.enabled = boolean(v, k).value_or(true);
    } else if (key == "exceptions") {
      spec.exceptions = inline_exceptions(v);
    } else if (key == "tests") {
      spec.tests = tests(v);
    }
  }

  // A mapping of names to expressions (`let`, `evidence.fields`), in file order.
  void named_expressions(const YAML::Node& map, std::vector<std::pair<Located, ExprText>>& out) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      Located name{it->first.IsScalar() ? it->first.Scalar() : "", pos(it->first)};
      out.emplace_back(name, expression(it->second, name));
    }
  }

  void read_lets(const YAML::Node& v, RuleSpec& spec) {
    if (!v.IsMap()) {
      issue("E-RULE-VALUE", "'let' maps names to expressions", pos(v));
      return;
    }
    named_expressions(v, spec.lets);
  }

  void read_predicts(const YAML::Node& v, RuleSpec& spec) {
    if (!v.IsMap()) {
      issue("E-RULE-PREDICTS", "'predicts' is a mapping: {carc, rarc, label}", pos(v));
      return;
    }
    for (auto& [pk, pv] : keys(v, {"carc", "rarc", "label"}, "'predicts'")) {
      if (pk.value == "carc") spec.predicts_carc = located_scalar(pv, pk);
      if (pk.value == "rarc") spec.predicts_rarc = located_scalar(pv, pk);
      if (pk.value == "label") scalar(pv, pk, spec.predicts_label);
    }
  }

  void read_evidence(const YAML::Node& v, RuleSpec& spec) {
    if (!v.IsMap()) {
      issue("E-RULE-VALUE", "'evidence' is a mapping: {fields, source}", pos(v));
      return;
    }
    for (auto& [ek, ev] : keys(v, {"fields", "source"}, "'evidence'")) {
      if (ek.value == "source") {
        spec.evidence_source = expression(ev, ek, false);
        continue;
      }
      if (!ev.IsMap()) {
        issue("E-RULE-VALUE", "'evidence.fields' maps names to expressions", pos(ev));
        continue;
      }
      named_expressions(ev, spec.evidence_fields);
    }
  }

  void read_effective(const YAML::Node& v, RuleSpec& spec) {
    if (!v.IsMap()) {
      issue("E-RULE-VALUE", "'effective' is a mapping: {from, to}", pos(v));
      return;
    }
    for (auto& [ek, ev] : keys(v, {"from", "to"}, "'effective'")) {
      (ek.value == "from" ? spec.effective_from : spec.effective_to) = located_scalar(ev, ek);
    }
  }

  void read_applies_to(const YAML::Node& v, RuleSpec& spec) {
    if (!v.IsMap()) {
      issue("E-RULE-VALUE", "'applies_to' is a mapping", pos(v));
      return;
    }
    for (auto& [ak, av] :
         keys(v, {"claim_kinds", "payer_kinds", "formats", "uses", "code_systems", "inpatient"},
              "'applies_to'")) {
      if (ak.value == "inpatient") {
        spec.applies_inpatient = boolean(av, ak);
      } else {
        spec.applies_to[ak.value] = scalar_list(av, ak);
      }
    }
  }

  void read_exception(const YAML::Node& item, RuleFile& out) {
    ExceptionSpec spec;
    bool has_rule = false;
    bool has_when = false;
    for (auto& [k, v] : keys(item, {"exception", "rule", "when", "description"}, "an exception")) {
      if (k.value == "exception") {
        spec.name = located_scalar(v, k);
      } else if (k.value == "rule") {
        spec.rule = located_scalar(v, k);
        has_rule = true;
      } else if (k.value == "when") {
        spec.when = expression(v, k);
        has_when = true;
      } else {
        scalar(v, k, spec.description);
      }
    }
    if (!has_rule || !has_when) {
      issue("E-RULE-MISSING-KEY",
            "exception '" + spec.name.value + "' needs '" + (has_rule ? "when" : "rule") + "'",
            pos(item));
      return;
    }
    out.exceptions.push_back(std::move(spec));
  }

  void read_override(const YAML::Node& item, RuleFile& out) {
    OverrideSpec spec;
    for (auto& [k, v] : keys(item,
                             {"override", "description", "enabled", "severity", "mode", "escalate",
                              "exceptions", "append"},
                             "an override")) {
      if (k.value == "override") {
        spec.target = located_scalar(v, k);
      } else if (k.value == "enabled") {
        spec.enabled = boolean(v, k);
      } else if (k.value == "severity") {
        spec.severity = located_scalar(v, k);
      } else if (k.value == "mode") {
        spec.mode = located_scalar(v, k);
      } else if (k.value == "escalate") {
        spec.escalate = escalations(v, k);
      } else if (k.value == "exceptions") {
        spec.exceptions = inline_exceptions(v);
      } else if (k.value == "append") {
        if (!v.IsSequence()) {
          issue("E-RULE-VALUE", "'append' must be a list", pos(v));
          continue;
        }
        for (const YAML::Node& element : v) {
          if (element.IsScalar()) {
            spec.append.push_back(Located{element.Scalar(), pos(element)});
          } else if (element.IsSequence() && element.size() == 2) {
            spec.append_pairs.emplace_back(Located{element[0].Scalar(), pos(element[0])},
                                           Located{element[1].Scalar(), pos(element[1])});
          }
        }
      }
    }
    out.overrides.push_back(std::move(spec));
  }

  void read_item(const YAML::Node& item, RuleFile& out) {
    if (!item.IsMap()) {
      issue("E-RULE-ITEM",
            "an item is a mapping starting with rule, list, macro, exception or override",
            pos(item));
      return;
    }
    static const std::vector<std::string> kKinds = {"list", "macro", "rule", "exception",
                                                    "override"};
    std::vector<std::string> found;
    for (auto it = item.begin(); it != item.end(); ++it) {
      if (it->first.IsScalar() &&
          std::find(kKinds.begin(), kKinds.end(), it->first.Scalar()) != kKinds.end()) {
        found.push_back(it->first.Scalar());
      }
    }
    // `rule:` inside an exception names its rule, not the item's kind.
    if (found.size() == 2 && std::find(found.begin(), found.end(), "exception") != found.end() &&
        std::find(found.begin(), found.end(), "rule") != found.end()) {
      found = {"exception"};
    }
    if (found.size() != 1) {
      issue("E-RULE-ITEM",
            found.empty()
                ? "an item needs one of the keys rule, list, macro, exception, override"
                : "an item has more than one kind key (" + found[0] + ", " + found[1] + ")",
            pos(item));
      return;
    }
    const std::string& kind = found.front();
    if (kind == "list") read_list(item, out);
    if (kind == "macro") read_macro(item, out);
    if (kind == "rule") read_rule(item, out);
    if (kind == "exception") read_exception(item, out);
    if (kind == "override") read_override(item, out);
  }

  const std::string& text_;
  int file_;
  std::vector<LoadIssue>& issues_;
  std::string current_rule_;
};

}  // namespace

Position ExprText::position_of(std::size_t offset) const {
  if (offsets.empty()) return at;
  if (offset >= offsets.size()) {
    Position p = at;
    p.line = offsets.back().first;
    p.column = offsets.back().second + 1;
    return p;
  }
  return Position{at.file, offsets[offset].first, offsets[offset].second};
}

ExprText ExprText::slice(std::size_t offset, std::size_t length) const {
  ExprText out;
  out.text = text.substr(offset, length);
  out.at = position_of(offset);
  out.folded_or_quoted = folded_or_quoted;
  if (!offsets.empty()) {
    for (std::size_t i = offset; i < offset + length && i < offsets.size(); ++i) {
      out.offsets.push_back(offsets[i]);
    }
  }
  return out;
}

RuleFile read_rule_file(const std::string& text, int file, std::vector<LoadIssue>& issues) {
  return Reader(text, file, issues).read();
}

}  // namespace claimaudit::rules
