// Stages 2 and 3 of the rule loader: the collector (merge every file's items, reject duplicate
// ids and names, apply overrides and separate exceptions) and the compiler (lists to matchers,
// expressions through parse, check and compile, templates, tests), then the code index.
#include "rules/rule_set.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "core/icd10_code.hpp"
#include "core/json_text.hpp"
#include "core/sha256.hpp"
#include "rules/detail/rule_set_impl.hpp"
#include "rules/expr/compile.hpp"
#include "rules/expr/functions.hpp"
#include "rules/expr/parser.hpp"
#include "rules/expr/printer.hpp"
#include "rules/test_claim.hpp"

namespace claimaudit::rules {
namespace {

namespace fs = std::filesystem;
using expr::Issue;
using expr::NodePtr;

std::optional<model::FindingSeverity> parse_severity(const std::string& word) {
  if (word == "info") return model::FindingSeverity::kInfo;
  if (word == "warning") return model::FindingSeverity::kWarning;
  if (word == "error") return model::FindingSeverity::kError;
  return std::nullopt;
}

bool valid_name(const std::string& name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool valid_rule_id(const std::string& id) {
  std::size_t start = 0;
  int parts = 0;
  while (start <= id.size()) {
    const std::size_t dot = id.find('.', start);
    const std::string part =
        id.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty()) return false;
    if (parts == 0 ? !valid_name(part) : !std::all_of(part.begin(), part.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        })) {
      return false;
    }
    ++parts;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts >= 2;
}

// Template shorthands (docs/rules-language.md section 7).
std::string shorthand(const std::string& name, expr::Scope scope) {
  if (name == "dos") return "dos";
  if (name == "edition") return "edition()";
  if (name == "mce_version") return "mce_version()";
  if (scope == expr::Scope::kDiagnosis) {
    static const std::map<std::string, std::string> kTable = {
        {"code", "dx.code"},
        {"title", "title(dx.code)"},
        {"replacements", "replacements(dx.code)"},
        {"replacement", "replacements(dx.code)"},
        {"children", "children(dx.code)"},
        {"siblings", "specified_siblings(dx.code)"},
        {"first_valid", "first_valid(dx.code)"},
        {"last_valid", "last_valid(dx.code)"},
        {"expanded_on", "expanded_on(dx.code)"},
        {"status", "status_on(dx.code)"},
        {"classification", "classify(dx.code)"},
        {"placeholder_fix", "placeholder_fix(dx.code)"},
        {"seq", "dx.seq"}};
    if (auto it = kTable.find(name); it != kTable.end()) return it->second;
  }
  if (scope == expr::Scope::kLine) {
    static const std::map<std::string, std::string> kTable = {
        {"code", "first(line.diagnoses).code"},
        {"title", "title(first(line.diagnoses).code)"},
        {"seq", "line.seq"},
        {"line", "line.seq"},
        {"procedure", "line.procedure.code"}};
    if (auto it = kTable.find(name); it != kTable.end()) return it->second;
  }
  return {};
}

std::string trim(const std::string& text) {
  const auto start = text.find_first_not_of(" \t\n");
  if (start == std::string::npos) return {};
  const auto end = text.find_last_not_of(" \t\n");
  return text.substr(start, end - start + 1);
}

// A CARC: one to three digits.
bool is_carc(const std::string& v) {
  return !v.empty() && v.size() <= 3 &&
         std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A RARC: one or two capital letters, then one to four digits.
bool is_rarc(const std::string& v) {
  std::size_t letters = 0;
  while (letters < v.size() && v[letters] >= 'A' && v[letters] <= 'Z') ++letters;
  const std::size_t digits = v.size() - letters;
  return letters >= 1 && letters <= 2 && digits >= 1 && digits <= 4 &&
         std::all_of(v.begin() + static_cast<std::ptrdiff_t>(letters), v.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// Adds one applies_to value to the rule; false when `word` is not a value of `key`.
bool add_applies_to(const std::string& key, const std::string& word, CompiledRule& rule) {
  if (key == "claim_kinds") {
    auto kind = model::parse_claim_kind(word);
    if (!kind && word != "unknown") return false;
    rule.claim_kinds.push_back(kind.value_or(model::ClaimKind::kUnknown));
  } else if (key == "payer_kinds") {
    auto kind = model::parse_payer_kind(word);
    if (!kind) return false;
    rule.payer_kinds.push_back(*kind);
  } else if (key == "formats") {
    if (word != "x12" && word != "fhir" && word != "json") return false;
    rule.formats.push_back(word);
  } else if (key == "uses") {
    if (word == "claim") {
      rule.uses.push_back(model::ClaimUse::kClaim);
    } else if (word == "preauthorization") {
      rule.uses.push_back(model::ClaimUse::kPreauthorization);
    } else if (word == "predetermination") {
      rule.uses.push_back(model::ClaimUse::kPredetermination);
    } else {
      return false;
    }
  } else if (key == "code_systems") {
    if (word == "icd10cm") {
      rule.code_systems.push_back(model::CodeSystem::kIcd10Cm);
    } else if (word == "icd9cm") {
      rule.code_systems.push_back(model::CodeSystem::kIcd9Cm);
    } else if (word == "unknown") {
      rule.code_systems.push_back(model::CodeSystem::kUnknown);
    } else {
      return false;
    }
  }
  return true;
}

// The enumeration whose values an applies_to key takes (for did-you-mean).
expr::EnumId applies_to_enum(const std::string& key) {
  if (key == "claim_kinds") return expr::EnumId::kClaimKind;
  if (key == "payer_kinds") return expr::EnumId::kPayerKind;
  if (key == "formats") return expr::EnumId::kFormat;
  if (key == "uses") return expr::EnumId::kClaimUse;
  return expr::EnumId::kCodeSystem;
}

class Loader {
 public:
  Loader(const codes::CodeSet& codes, const codes::EditLists& edits)
      : codes_(codes), edits_(edits) {}

  RuleLoadResult load(const std::vector<fs::path>& directories, InlineTests run_tests) {
    auto impl = std::make_unique<RuleSet::Impl>();
    impl->codes = &codes_;
    impl->edits = &edits_;
    impl_ = impl.get();
    read_files(directories);
    std::vector<RuleFile> files;
    for (std::size_t i = 0; i < texts_.size(); ++i) {
      files.push_back(read_rule_file(texts_[i], static_cast<int>(i), issues_));
    }
    collect(files);
    build_lists();
    build_macros();
    for (RuleSpec* spec : rule_specs_) compile_rule(*spec);
    apply_overrides();
    warn_unused();
    const bool failed = std::any_of(issues_.begin(), issues_.end(), [](const LoadIssue& i) {
      return i.severity == core::Severity::kError;
    });
    RuleLoadResult result;
    std::shared_ptr<RuleSet> set;
    if (!failed) {
      finish(*impl);
      set = std::make_shared<RuleSet>(std::move(impl));
      if (run_tests == InlineTests::kRun) {
        for (const TestOutcome& outcome : run_inline_tests(*set)) {
          if (outcome.passed) continue;
          LoadIssue issue;
          issue.code = "E-RULE-TEST-FAILED";
          issue.message = "test '" + outcome.name + "' failed: " + outcome.detail;
          issue.rule_id = outcome.rule_id;
          issue.at =
              Position{file_index(outcome.where.file), outcome.where.line, outcome.where.column};
          issues_.push_back(std::move(issue));
        }
      }
    }
    const bool failed_now = std::any_of(issues_.begin(), issues_.end(), [](const LoadIssue& i) {
      return i.severity == core::Severity::kError;
    });
    if (!failed_now) result.rule_set = set;
    fill(result);
    return result;
  }

 private:
  int file_index(const std::string& name) const {
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) return static_cast<int>(i);
    }
    return 0;
  }

  void issue(std::string code, std::string message, Position at, int length = 1,
             std::string rule = {}, core::Severity severity = core::Severity::kError) {
    issues_.push_back(
        LoadIssue{severity, std::move(code), std::move(message), at, length, std::move(rule)});
  }

  void read_files(const std::vector<fs::path>& directories) {
    core::Sha256 hash;
    if (directories.empty()) issue("E-RULE-FILE", "no rule directory given", Position{-1, 0, 0});
    for (const fs::path& directory : directories) {
      std::error_code error;
      if (!fs::is_directory(directory, error)) {
        issue("E-RULE-FILE", "'" + directory.string() + "' is not a readable directory",
              Position{-1, 0, 0});
        continue;
      }
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(directory, error);
           !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        const fs::path& path = it->path();
        if (it->is_regular_file() && (path.extension() == ".yaml" || path.extension() == ".yml")) {
          found.push_back(fs::relative(path, directory));
        }
      }
      std::sort(found.begin(), found.end());
      for (const fs::path& relative : found) {
        std::ifstream in(directory / relative, std::ios::binary);
        std::stringstream buffer;
        buffer << in.rdbuf();
        if (!in.good() && !in.eof()) {
          issue("E-RULE-FILE", "cannot read '" + (directory / relative).string() + "'",
                Position{-1, 0, 0});
          continue;
        }
        std::string text = buffer.str();
        const std::string rel = relative.generic_string();
        hash.update(rel);
        hash.update(std::string_view("\0", 1));
        hash.update(std::to_string(text.size()));
        hash.update(std::string_view("\0", 1));
        hash.update(text);
        names_.push_back((directory / relative).generic_string());
        texts_.push_back(std::move(text));
      }
    }
    impl_->hash = core::to_hex(hash.finish());
  }

  // --- Collector -------------------------------------------------------------------------

  void collect(std::vector<RuleFile>& files) {
    std::map<std::string, Position> names;
    std::map<std::string, Position> ids;
    for (RuleFile& file : files) {
      for (ListSpec& list : file.lists) {
        if (claim_name(names, list.name, "list")) list_specs_.push_back(&list);
      }
      for (MacroSpec& macro : file.macros) {
        if (claim_name(names, macro.name, "macro")) macro_specs_.push_back(&macro);
      }
      for (RuleSpec& rule : file.rules) {
        if (claim_rule_id(ids, rule.id)) rule_specs_.push_back(&rule);
      }
      for (ExceptionSpec& exception : file.exceptions) exception_specs_.push_back(&exception);
      for (OverrideSpec& override_spec : file.overrides) override_specs_.push_back(&override_spec);
    }
    collect_exceptions(ids);
    collect_overrides(ids);
  }

  // Records a list or macro name in `names`; false (with an issue) when it is invalid or taken.
  bool claim_name(std::map<std::string, Position>& names, const Located& name, const char* what) {
    if (!valid_name(name.value)) {
      issue("E-RULE-ID",
            std::string(what) + " name '" + name.value +
                "' must be lower-case letters, digits and _ (starting with a letter)",
            name.at, static_cast<int>(std::max<std::size_t>(name.value.size(), 1)));
      return false;
    }
    auto [it, inserted] = names.emplace(name.value, name.at);
    if (!inserted) {
      issue("E-RULE-DUPLICATE-ID",
            std::string(what) + " '" + name.value + "' is already defined at " +
                names_[static_cast<std::size_t>(it->second.file)] + ":" +
                std::to_string(it->second.line),
            name.at, static_cast<int>(name.value.size()));
      return false;
    }
    return true;
  }

  // Records a rule id in `ids`; false (with an issue) when it is invalid or taken.
  bool claim_rule_id(std::map<std::string, Position>& ids, const Located& id) {
    if (!valid_rule_id(id.value)) {
      issue("E-RULE-ID",
            "rule id '" + id.value + "' must be dotted lower-case words, like dx.unspecified_site",
            id.at, static_cast<int>(std::max<std::size_t>(id.value.size(), 1)), id.value);
      return false;
    }
    auto [it, inserted] = ids.emplace(id.value, id.at);
    if (!inserted) {
      issue("E-RULE-DUPLICATE-ID",
            "rule '" + id.value + "' is already defined at " +
                names_[static_cast<std::size_t>(it->second.file)] + ":" +
                std::to_string(it->second.line) + " (to change a shipped rule, write an override)",
            id.at, static_cast<int>(id.value.size()), id.value);
      return false;
    }
    return true;
  }

  void collect_exceptions(const std::map<std::string, Position>& ids) {
    for (ExceptionSpec* exception : exception_specs_) {
      if (ids.count(exception->rule.value) == 0) {
        issue("E-RULE-OVERRIDE-TARGET",
              "exception '" + exception->name.value + "' names no rule: '" + exception->rule.value +
                  "'" + suggest_rule(exception->rule.value, ids),
              exception->rule.at, static_cast<int>(exception->rule.value.size()));
        continue;
      }
      extra_exceptions_[exception->rule.value].push_back(*exception);
    }
  }

  void collect_overrides(const std::map<std::string, Position>& ids) {
    for (OverrideSpec* spec : override_specs_) {
      const std::string& target = spec->target.value;
      const bool is_rule = ids.count(target) > 0;
      const bool is_list = std::any_of(list_specs_.begin(), list_specs_.end(),
                                       [&](const ListSpec* l) { return l->name.value == target; });
      if (!is_rule && !is_list) {
        issue("E-RULE-OVERRIDE-TARGET",
              "override names no rule or list: '" + target + "'" + suggest_rule(target, ids),
              spec->target.at, static_cast<int>(std::max<std::size_t>(target.size(), 1)));
        continue;
      }
      if (is_rule) {
        for (const ExceptionSpec& e : spec->exceptions) extra_exceptions_[target].push_back(e);
        for (const EscalationSpec& e : spec->escalate) extra_escalations_[target].push_back(e);
      } else {
        append_to_lists(*spec);
      }
    }
  }

  // An override of a list: its items and pairs go at the end of every list of that name.
  void append_to_lists(const OverrideSpec& spec) {
    for (ListSpec* list : list_specs_) {
      if (list->name.value != spec.target.value) continue;
      for (const Located& item : spec.append) list->items.push_back(item);
      for (const auto& pair : spec.append_pairs) list->pairs.push_back(pair);
    }
  }

  static std::string did_you_mean_text(const std::string& best) {
    if (best.empty()) return {};
    std::string text = " (did you mean '";
    text += best;
    text += "'?)";
    return text;
  }

  static std::string suggest_rule(const std::string& id,
                                  const std::map<std::string, Position>& ids) {
    std::vector<std::string> candidates;
    candidates.reserve(ids.size());
    for (const auto& [name, at] : ids) candidates.push_back(name);
    return did_you_mean_text(expr::did_you_mean(id, candidates));
  }

  // --- Compiler ---------------------------------------------------------------------------

  void build_lists() {
    auto definitions = std::make_shared<expr::Definitions>();
    for (ListSpec* spec : list_specs_) {
      expr::ListDefinition list;
      if (spec->type == "codes") {
        list = build_code_list(*spec);
      } else if (spec->type == "strings") {
        list = build_string_list(*spec);
      } else if (spec->type == "pairs") {
        list = build_pair_list(*spec);
      } else {
        issue("E-RULE-VALUE", "list type is codes, strings or pairs, not '" + spec->type + "'",
              spec->type_at, static_cast<int>(spec->type.size()));
        continue;
      }
      definitions->lists.emplace(spec->name.value, std::move(list));
    }
    definitions_ = definitions;
    impl_->definitions = definitions;
  }

  expr::ListDefinition build_code_list(const ListSpec& spec) {
    expr::ListDefinition list;
    list.kind = expr::ListDefinition::Kind::kCodes;
    auto matcher = std::make_shared<expr::CodeMatcher>();
    for (const Located& item : spec.items) {
      std::string message;
      auto pattern = expr::parse_code_pattern(item.value, &message);
      if (!pattern) {
        issue("E-RULE-CODE-LITERAL", message + " in list '" + spec.name.value + "'", item.at,
              static_cast<int>(std::max<std::size_t>(item.value.size(), 1)));
        continue;
      }
      if (pattern->kind == expr::CodePattern::Kind::kExact && !codes_.exists(pattern->first)) {
        issue("W-RULE-CODE-UNKNOWN",
              core::dotted_icd10(pattern->first) + " is in no ICD-10-CM edition (list '" +
                  spec.name.value + "')",
              item.at, static_cast<int>(item.value.size()), {}, core::Severity::kWarning);
      }
      matcher->add(std::move(*pattern));
    }
    if (!spec.pairs.empty()) {
      issue("E-RULE-LIST", "list '" + spec.name.value + "' holds pairs: give it 'type: pairs'",
            spec.pairs.front().first.at);
    }
    list.codes = std::move(matcher);
    return list;
  }

  static expr::ListDefinition build_string_list(const ListSpec& spec) {
    expr::ListDefinition list;
    list.kind = expr::ListDefinition::Kind::kStrings;
    auto strings = std::make_shared<std::vector<std::string>>();
    for (const Located& item : spec.items) strings->push_back(item.value);
    list.strings = std::move(strings);
    return list;
  }

  expr::ListDefinition build_pair_list(const ListSpec& spec) {
    expr::ListDefinition list;
    list.kind = expr::ListDefinition::Kind::kPairs;
    auto pairs = std::make_shared<expr::PairList>();
    for (const auto& [a, b] : spec.pairs) {
      std::string message;
      auto first = expr::parse_code_pattern(a.value, &message);
      if (!first) {
        issue("E-RULE-CODE-LITERAL", message, a.at, static_cast<int>(a.value.size()));
        continue;
      }
      auto second = expr::parse_code_pattern(b.value, &message);
      if (!second) {
        issue("E-RULE-CODE-LITERAL", message, b.at, static_cast<int>(b.value.size()));
        continue;
      }
      pairs->add(std::move(*first), std::move(*second));
    }
    if (!spec.items.empty()) {
      issue("E-RULE-LIST", "a pairs list holds [a, b] items", spec.items.front().at);
    }
    list.pairs = std::move(pairs);
    return list;
  }

  int add_source(const ExprText& text) {
    sources_.push_back(text);
    return static_cast<int>(sources_.size() - 1);
  }

  void add_issues(const expr::Issues& found, const std::string& rule) {
    for (const Issue& i : found) {
      const ExprText& source = sources_[static_cast<std::size_t>(i.source)];
      Position at = source.folded_or_quoted ? source.at : source.position_of(i.offset);
      int length = source.folded_or_quoted ? 1 : static_cast<int>(i.length);
      LoadIssue issue{i.severity, i.code, i.message, at, length, rule};
      // One problem inside a macro shows once, however many rules use the macro.
      const bool seen = std::any_of(issues_.begin(), issues_.end(), [&](const LoadIssue& o) {
        return o.code == issue.code && o.message == issue.message && o.at.file == at.file &&
               o.at.line == at.line && o.at.column == at.column;
      });
      if (!seen) issues_.push_back(std::move(issue));
    }
  }

  void build_macros() {
    auto* definitions = const_cast<expr::Definitions*>(definitions_.get());
    for (MacroSpec* spec : macro_specs_) {
      expr::Issues found;
      NodePtr body = expr::parse(spec->expr.text, add_source(spec->expr), found);
      add_issues(found, {});
      expr::MacroDefinition macro;
      std::set<std::string> seen;
      for (const Located& param : spec->params) {
        if (!valid_name(param.value) || !seen.insert(param.value).second) {
          issue("E-RULE-ID", "macro parameter '" + param.value + "' must be a new lower-case name",
                param.at, static_cast<int>(param.value.size()));
        }
        macro.params.push_back(param.value);
      }
      if (!body) continue;
      macro.body = std::move(body);
      definitions->macros.emplace(spec->name.value, std::move(macro));
    }
  }

  NodePtr compile_expression(const ExprText& text, expr::Checker& checker, const std::string& rule,
                             const char* condition_of, bool must_be_bool) {
    expr::Issues found;
    NodePtr node = expr::parse(text.text, add_source(text), found);
    if (node) {
      if (must_be_bool) {
        checker.check_condition(node, condition_of);
      } else {
        checker.check(node);
      }
      if (std::none_of(found.begin(), found.end(),
                       [](const Issue& i) { return i.severity == core::Severity::kError; })) {
        expr::compile(*node, found);
      }
    }
    add_issues(found, rule);
    return node;
  }

  std::optional<Template> compile_template(const ExprText& text, expr::Checker& checker,
                                           expr::Scope scope, const std::string& rule) {
    Template out;
    std::string literal;
    const std::string& s = text.text;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '{' && i + 1 < s.size() && s[i + 1] == '{') {
        literal += '{';
        ++i;
        continue;
      }
      if (s[i] == '}' && i + 1 < s.size() && s[i + 1] == '}') {
        literal += '}';
        ++i;
        continue;
      }
      if (s[i] == '}') {
        issue("E-RULE-TEMPLATE", "'}' without '{' (write '}}' for a brace)", text.position_of(i), 1,
              rule);
        return std::nullopt;
      }
      if (s[i] != '{') {
        literal += s[i];
        continue;
      }
      const std::size_t close = s.find('}', i + 1);
      if (close == std::string::npos) {
        issue("E-RULE-TEMPLATE", "'{' is not closed (write '{{' for a brace)", text.position_of(i),
              1, rule);
        return std::nullopt;
      }
      Template::Part part;
      part.literal = std::move(literal);
      literal.clear();
      if (!compile_placeholder(text, i, close, checker, scope, rule, part)) return std::nullopt;
      out.parts.push_back(std::move(part));
      i = close;
    }
    Template::Part tail;
    tail.literal = std::move(literal);
    out.parts.push_back(std::move(tail));
    return out;
  }

  // The placeholder text[open + 1, close) into `part`: a special name, a shorthand or an
  // expression. False (with an issue) when the template cannot be compiled.
  bool compile_placeholder(const ExprText& text, std::size_t open, std::size_t close,
                           expr::Checker& checker, expr::Scope scope, const std::string& rule,
                           Template::Part& part) {
    ExprText inner = text.slice(open + 1, close - open - 1);
    const std::string name = trim(inner.text);
    if (name == "rule" || name == "severity" || name == "reason") {
      part.special = name;
      return true;
    }
    if (name.empty()) {
      issue("E-RULE-TEMPLATE", "empty placeholder '{}'", text.position_of(open), 2, rule);
      return false;
    }
    const std::string expansion = checker.is_declared(name) ? "" : shorthand(name, scope);
    if (!expansion.empty()) {
      ExprText replaced = inner;
      replaced.text = expansion;
      replaced.offsets.clear();
      replaced.at = text.position_of(open + 1);
      inner = replaced;
    }
    part.value = compile_expression(inner, checker, rule, "a placeholder", false);
    if (!part.value) return false;
    if (part.value->phi) {
      issue("E-RULE-PHI",
            "'" + name +
                "' reads patient data (PHI), which may not appear in a message or "
                "evidence",
            text.position_of(open + 1), static_cast<int>(close - open - 1), rule);
    }
    return true;
  }

  std::optional<core::Date> date_of(const Located& value, const std::string& rule) {
    auto date = core::parse_iso_date(value.value);
    if (!date) {
      issue("E-RULE-DATE", "'" + value.value + "' is not a real YYYY-MM-DD date", value.at,
            static_cast<int>(std::max<std::size_t>(value.value.size(), 1)), rule);
    }
    return date;
  }

  void code_history_warnings(const std::vector<expr::CodeUse>& uses, const CompiledRule& rule) {
    if (rule.effective_from && rule.effective_to && *rule.effective_from > *rule.effective_to) {
      return;  // E-RULE-DATE-ORDER already; no window to judge codes in.
    }
    const auto editions = codes_.editions();
    std::set<std::string> warned;
    for (const expr::CodeUse& use : uses) {
      if (!warned.insert(use.code).second) continue;
      const ExprText& source = sources_[static_cast<std::size_t>(use.source)];
      const Position at = source.folded_or_quoted ? source.at : source.position_of(use.offset);
      const CodeReach reach = code_reach(use.code, rule, editions);
      const std::string dotted = core::dotted_icd10(use.code);
      if (!reach.anywhere) {
        issue("W-RULE-CODE-UNKNOWN",
              dotted + " is in no ICD-10-CM edition inside the rule's effective window", at,
              static_cast<int>(use.length), rule.id, core::Severity::kWarning);
      } else if (reach.header_in != nullptr) {
        const codes::Edition& header_in = *reach.header_in;
        const std::string list = billable_children_text(use.code, header_in.valid_from);
        issue("W-RULE-CODE-HEADER",
              dotted + " is a header from " + header_in.valid_from.iso() + " (" + header_in.name +
                  ")" + (list.empty() ? "" : "; billable: " + list),
              at, static_cast<int>(use.length), rule.id, core::Severity::kWarning);
      }
    }
  }

  // Whether a code is billable or a header in some edition inside the rule's effective window,
  // and the first such edition where it is a header.
  struct CodeReach {
    bool anywhere = false;
    const codes::Edition* header_in = nullptr;
  };

  CodeReach code_reach(const std::string& code, const CompiledRule& rule,
                       std::span<const codes::Edition> editions) const {
    CodeReach reach;
    for (const codes::Edition& edition : editions) {
      if (rule.effective_to && edition.valid_from > *rule.effective_to) continue;
      if (rule.effective_from && edition.valid_to < *rule.effective_from) continue;
      const codes::Status status = codes_.status_on(code, edition.valid_to);
      if (status == codes::Status::kBillable) reach.anywhere = true;
      if (status == codes::Status::kHeader) {
        reach.anywhere = true;
        if (reach.header_in == nullptr) reach.header_in = &edition;
      }
    }
    return reach;
  }

  // The first six billable children of a header code on `on`, dotted and comma-separated.
  std::string billable_children_text(const std::string& code, const core::Date& on) const {
    const auto children = codes_.billable_children(code, on);
    std::string list;
    for (std::size_t i = 0; i < children.size() && i < 6; ++i) {
      if (i > 0) list += ", ";
      list += core::dotted_icd10(children[i]);
    }
    return list;
  }

  void compile_rule(RuleSpec& spec) {
    const std::string& id = spec.id.value;
    auto rule = std::make_unique<CompiledRule>();
    rule->id = id;
    rule->version = spec.version.value;
    rule->title = spec.title;
    rule->description = spec.description;
    rule->at = spec.id.at;
    rule->enabled = spec.enabled;
    rule->references = spec.references;
    rule->tags = spec.tags;
    if (spec.version.value.empty()) {
      issue("E-RULE-VALUE", "'version' must not be empty", spec.version.at, 1, id);
    }
    if (!compile_scope(spec, *rule)) return;
    const auto severity = compile_severity(spec, *rule);
    compile_mode(spec, *rule);
    compile_window(spec, *rule);
    compile_applies_to(spec, *rule);
    rule->inpatient = spec.applies_inpatient;
    if (spec.predicts_carc || spec.predicts_rarc || !spec.predicts_label.empty()) {
      rule->predicts = predicts_text(spec);
    }
    // Expressions.
    expr::Checker checker(rule->scope, *definitions_, expr_issues_);
    compile_lets(spec, checker, *rule);
    rule->when = compile_expression(spec.when, checker, id, "'when'", true);
    if (rule->when) rule->needs_date = rule->needs_date || rule->when->needs_date;
    compile_escalations(spec, severity, checker, *rule);
    compile_exceptions(spec, checker, *rule);
    if (auto message = compile_template(spec.message, checker, rule->scope, id)) {
      rule->message = std::move(*message);
    }
    compile_evidence(spec, checker, *rule);
    add_issues(expr_issues_, id);
    expr_issues_.clear();
    rule->slot_count = checker.slot_count();
    code_history_warnings(checker.code_uses(), *rule);
    // Tests.
    for (const TestSpec& test : spec.tests) {
      if (auto compiled = compile_test(test, id)) rule->tests.push_back(std::move(*compiled));
    }
    warn_tests_missing(spec, *rule);
    index_rule(*rule);
    compiled_.push_back(std::move(rule));
  }

  // False (with an issue) when the scope is not claim, diagnosis or line: nothing else of the
  // rule can be checked then.
  bool compile_scope(const RuleSpec& spec, CompiledRule& rule) {
    if (spec.scope.value == "claim") {
      rule.scope = expr::Scope::kClaim;
    } else if (spec.scope.value == "diagnosis") {
      rule.scope = expr::Scope::kDiagnosis;
    } else if (spec.scope.value == "line") {
      rule.scope = expr::Scope::kLine;
    } else {
      const std::string best = expr::did_you_mean(spec.scope.value, {"claim", "diagnosis", "line"});
      issue("E-RULE-VALUE",
            "scope is claim, diagnosis or line, not '" + spec.scope.value + "'" +
                did_you_mean_text(best),
            spec.scope.at, static_cast<int>(std::max<std::size_t>(spec.scope.value.size(), 1)),
            rule.id);
      return false;
    }
    return true;
  }

  std::optional<model::FindingSeverity> compile_severity(const RuleSpec& spec, CompiledRule& rule) {
    auto severity = parse_severity(spec.severity.value);
    if (!severity) {
      const std::string best =
          expr::did_you_mean(spec.severity.value, {"info", "warning", "error"});
      issue("E-RULE-SEVERITY",
            "severity is info, warning or error, not '" + spec.severity.value + "'" +
                did_you_mean_text(best),
            spec.severity.at,
            static_cast<int>(std::max<std::size_t>(spec.severity.value.size(), 1)), rule.id);
    } else {
      rule.severity = *severity;
    }
    return severity;
  }

  void compile_mode(const RuleSpec& spec, CompiledRule& rule) {
    if (spec.mode.value == "enforce") {
      rule.mode = model::RuleMode::kEnforce;
    } else if (spec.mode.value == "shadow") {
      rule.mode = model::RuleMode::kShadow;
    } else {
      issue("E-RULE-VALUE", "mode is enforce or shadow, not '" + spec.mode.value + "'",
            spec.mode.at, static_cast<int>(std::max<std::size_t>(spec.mode.value.size(), 1)),
            rule.id);
    }
  }

  void compile_window(const RuleSpec& spec, CompiledRule& rule) {
    if (spec.effective_from) rule.effective_from = date_of(*spec.effective_from, rule.id);
    if (spec.effective_to) rule.effective_to = date_of(*spec.effective_to, rule.id);
    if (rule.effective_from && rule.effective_to && *rule.effective_from > *rule.effective_to) {
      issue("E-RULE-DATE-ORDER",
            "effective.from (" + rule.effective_from->iso() + ") is after effective.to (" +
                rule.effective_to->iso() + ")",
            spec.effective_to->at, static_cast<int>(spec.effective_to->value.size()), rule.id);
    }
  }

  void compile_applies_to(const RuleSpec& spec, CompiledRule& rule) {
    for (const auto& [key, values] : spec.applies_to) {
      for (const Located& value : values) {
        const std::string& word = value.value;
        if (add_applies_to(key, word, rule)) continue;
        std::string message = "'";
        message += word;
        message += "' is not a value of applies_to.";
        message += key;
        message +=
            did_you_mean_text(expr::did_you_mean(word, expr::enum_values(applies_to_enum(key))));
        issue("E-RULE-VALUE", message, value.at,
              static_cast<int>(std::max<std::size_t>(word.size(), 1)), rule.id);
      }
    }
    if (rule.code_systems.empty()) rule.code_systems.push_back(model::CodeSystem::kIcd10Cm);
  }

  // "CARC 146, RARC M76: label", with an issue for a malformed CARC or RARC.
  std::string predicts_text(const RuleSpec& spec) {
    const std::string& id = spec.id.value;
    std::string text;
    if (spec.predicts_carc) {
      if (!is_carc(spec.predicts_carc->value)) {
        issue("E-RULE-PREDICTS",
              "CARC '" + spec.predicts_carc->value + "' is not a number like 146",
              spec.predicts_carc->at, static_cast<int>(spec.predicts_carc->value.size()), id);
      }
      text = "CARC " + spec.predicts_carc->value;
    }
    if (spec.predicts_rarc) {
      if (!is_rarc(spec.predicts_rarc->value)) {
        issue("E-RULE-PREDICTS",
              "RARC '" + spec.predicts_rarc->value + "' is not a remark code like M76 or MA63",
              spec.predicts_rarc->at, static_cast<int>(spec.predicts_rarc->value.size()), id);
      }
      if (!text.empty()) text += ", ";
      text += "RARC ";
      text += spec.predicts_rarc->value;
    }
    if (!spec.predicts_label.empty()) {
      if (!text.empty()) text += ": ";
      text += spec.predicts_label;
    }
    return text;
  }

  void compile_lets(const RuleSpec& spec, expr::Checker& checker, CompiledRule& rule) {
    const std::string& id = spec.id.value;
    for (const auto& [name, text] : spec.lets) {
      if (!valid_name(name.value) || checker.is_declared(name.value)) {
        issue("E-RULE-ID",
              "let name '" + name.value +
                  "' must be a new lower-case name (not a variable, "
                  "list or macro)",
              name.at, static_cast<int>(std::max<std::size_t>(name.value.size(), 1)), id);
        continue;
      }
      NodePtr node = compile_expression(text, checker, id, "a let value", false);
      if (!node) continue;
      const int slot = checker.declare_let(name.value, node->type);
      rule.let_slots.push_back(slot);
      rule.needs_date = rule.needs_date || node->needs_date;
      rule.lets.emplace_back(name.value, std::move(node));
    }
  }

  void compile_escalations(const RuleSpec& spec,
                           const std::optional<model::FindingSeverity>& severity,
                           expr::Checker& checker, CompiledRule& rule) {
    const std::string& id = spec.id.value;
    auto escalations = spec.escalate;
    for (const EscalationSpec& extra : extra_escalations_[id]) escalations.push_back(extra);
    for (const EscalationSpec& escalation : escalations) {
      CompiledEscalation compiled;
      compiled.when = compile_expression(escalation.when, checker, id, "'escalate.when'", true);
      compiled.reason = escalation.reason;
      auto level = parse_severity(escalation.severity.value);
      if (!level) {
        issue("E-RULE-SEVERITY",
              "severity is info, warning or error, not '" + escalation.severity.value + "'",
              escalation.severity.at,
              static_cast<int>(std::max<std::size_t>(escalation.severity.value.size(), 1)), id);
      } else if (severity && *level <= *severity) {
        issue("E-RULE-SEVERITY",
              "an escalation must raise the severity above '" + spec.severity.value +
                  "', not to '" + escalation.severity.value + "'",
              escalation.severity.at, static_cast<int>(escalation.severity.value.size()), id);
      } else {
        compiled.severity = *level;
      }
      if (compiled.when) rule.escalate.push_back(std::move(compiled));
    }
  }

  void compile_exceptions(const RuleSpec& spec, expr::Checker& checker, CompiledRule& rule) {
    const std::string& id = spec.id.value;
    auto exceptions = spec.exceptions;
    for (const ExceptionSpec& extra : extra_exceptions_[id]) exceptions.push_back(extra);
    for (const ExceptionSpec& exception : exceptions) {
      CompiledException compiled;
      compiled.name = exception.name.value;
      compiled.when =
          compile_expression(exception.when, checker, id, "an exception's 'when'", true);
      if (compiled.when) rule.exceptions.push_back(std::move(compiled));
    }
  }

  void compile_evidence(const RuleSpec& spec, expr::Checker& checker, CompiledRule& rule) {
    const std::string& id = spec.id.value;
    for (const auto& [name, text] : spec.evidence_fields) {
      NodePtr node = compile_expression(text, checker, id, "an evidence field", false);
      if (!node) continue;
      if (node->phi) {
        issue("E-RULE-PHI", "evidence field '" + name.value + "' reads patient data (PHI)", text.at,
              1, id);
      }
      std::string json_key = rule.evidence_fields.empty() ? "" : ",";
      core::append_json_string(json_key, name.value);
      json_key += ':';
      rule.evidence_fields.push_back({name.value, std::move(json_key), std::move(node)});
    }
    if (spec.evidence_source) {
      rule.evidence_source = compile_template(*spec.evidence_source, checker, rule.scope, id);
    }
  }

  // One inline test; nullopt (with an issue) when its date or claim is unusable.
  std::optional<CompiledTest> compile_test(const TestSpec& test, const std::string& id) {
    CompiledTest compiled;
    compiled.name = test.name;
    compiled.at = test.at;
    compiled.expect = test.expect.value;
    if (test.message) compiled.message = test.message->value;
    if (test.severity) {
      compiled.severity = parse_severity(test.severity->value);
      if (!compiled.severity) {
        issue("E-RULE-TEST", "test severity is info, warning or error", test.severity->at, 1, id);
      }
    }
    compiled.findings = test.findings;
    compiled.seq = test.seq;
    std::optional<core::Date> dos;
    if (test.dos) {
      dos = core::parse_iso_date(test.dos->value);
      if (!dos) {
        issue("E-RULE-TEST", "test 'dos' '" + test.dos->value + "' is not a YYYY-MM-DD date",
              test.dos->at, static_cast<int>(test.dos->value.size()), id);
        return std::nullopt;
      }
    }
    std::vector<std::string> errors;
    auto claim = build_test_claim(test.claim, dos, errors);
    if (!claim || !errors.empty()) {
      issue("E-RULE-TEST",
            "test '" + test.name + "': the claim is not a valid claimaudit.claim/1 claim: " +
                (errors.empty() ? std::string("unreadable") : errors.front()),
            test.claim_at, 1, id);
      return std::nullopt;
    }
    compiled.claim = std::make_shared<const model::Claim>(std::move(*claim));
    return compiled;
  }

  void warn_tests_missing(const RuleSpec& spec, const CompiledRule& rule) {
    const std::string& id = spec.id.value;
    bool fires = false;
    bool passes = false;
    for (const CompiledTest& test : rule.tests) {
      fires = fires || test.expect == "fire";
      passes = passes || test.expect == "pass";
    }
    const bool rule_has_errors =
        std::any_of(issues_.begin(), issues_.end(), [&](const LoadIssue& i) {
          return i.severity == core::Severity::kError && i.rule_id == id;
        });
    if ((!fires || !passes) && !rule_has_errors) {
      issue("W-RULE-TESTS-MISSING",
            "rule '" + id + "' needs at least one test that fires and one that passes", spec.id.at,
            static_cast<int>(id.size()), id, core::Severity::kWarning);
    }
  }

  // The code index: a diagnosis rule whose `when` is a conjunction with a code test on dx.code.
  static bool is_dx_code(const expr::Node& node) {
    return node.kind == expr::NodeKind::kField && node.field == expr::FieldId::kDiagnosisCode &&
           node.children[0]->kind == expr::NodeKind::kName &&
           node.children[0]->name_kind == expr::NameKind::kVariable &&
           node.children[0]->slot == static_cast<int>(expr::Variable::kDiagnosis);
  }

  static void category_keys(const std::string& first, const std::string& last,
                            std::vector<std::string>& keys, bool& ok) {
    static const std::string kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const std::string low = first.substr(0, std::min<std::size_t>(3, first.size()));
    const std::string high = last.substr(0, std::min<std::size_t>(3, last.size()));
    if (low.size() < 3 || high.size() < 3) {
      ok = false;
      return;
    }
    std::size_t produced = 0;
    for (char a = low[0]; a <= high[0]; ++a) {
      for (const char b : kAlphabet) {
        for (const char c : kAlphabet) {
          const std::string key{a, b, c};
          if (key < low || key > high) continue;
          keys.push_back(key);
          if (++produced > 4000) {
            ok = false;
            return;
          }
        }
      }
    }
  }

  static bool keys_of(const expr::Node& node, std::vector<std::string>& keys) {
    using expr::FunctionId;
    using expr::NodeKind;
    if (node.kind == NodeKind::kBinary && node.op == expr::Op::kAnd) {
      std::vector<std::string> left;
      if (keys_of(*node.children[0], left)) {
        keys = std::move(left);
        return true;
      }
      return keys_of(*node.children[1], keys);
    }
    if (node.kind == NodeKind::kBinary && node.op == expr::Op::kIn && node.matcher &&
        is_dx_code(*node.children[0])) {
      return keys_of_matcher(*node.matcher, keys);
    }
    if (node.kind == NodeKind::kBinary && node.op == expr::Op::kEqual) {
      return keys_of_equal(node, keys);
    }
    if (node.kind == NodeKind::kCall && !node.children.empty() && is_dx_code(*node.children[0])) {
      if ((node.function == FunctionId::kInList || node.function == FunctionId::kInRange) &&
          node.matcher) {
        return keys_of_matcher(*node.matcher, keys);
      }
      if (node.function == FunctionId::kIsExternalCause) {
        keys = {"V", "W", "X", "Y"};
        return true;
      }
    }
    return false;
  }

  // The keys of `dx.code in [...]` or in_list/in_range: exact codes and prefixes as they are,
  // ranges as categories; false when a range is too wide to index.
  static bool keys_of_matcher(const expr::CodeMatcher& matcher, std::vector<std::string>& keys) {
    bool ok = true;
    for (const expr::CodePattern& pattern : matcher.patterns()) {
      if (pattern.kind == expr::CodePattern::Kind::kRange) {
        category_keys(pattern.first, pattern.last, keys, ok);
      } else {
        keys.push_back(pattern.first);
      }
    }
    return ok;
  }

  // The key of `dx.code == "X"` (either side).
  static bool keys_of_equal(const expr::Node& node, std::vector<std::string>& keys) {
    for (int side = 0; side < 2; ++side) {
      if (is_dx_code(*node.children[side]) && node.children[1 - side]->code_literal) {
        keys.push_back(node.children[1 - side]->text);
        return true;
      }
    }
    return false;
  }

  // Whether evaluating `node` can record a fact (program.cpp: record_fact, record_edit_fact),
  // following `let` names into their expressions.
  static bool records_facts(const expr::Node& node, const CompiledRule& rule,
                            std::vector<int>& seen_lets) {
    if (node.kind == expr::NodeKind::kCall && expr::function_info(node.function).records_facts) {
      return true;
    }
    if (node.kind == expr::NodeKind::kName && node.name_kind == expr::NameKind::kLet) {
      if (std::find(seen_lets.begin(), seen_lets.end(), node.slot) != seen_lets.end()) {
        return false;
      }
      seen_lets.push_back(node.slot);
      for (std::size_t i = 0; i < rule.lets.size(); ++i) {
        if (rule.let_slots[i] == node.slot && rule.lets[i].second &&
            records_facts(*rule.lets[i].second, rule, seen_lets)) {
          return true;
        }
      }
      // A let slot not found among the rule's lets: be safe.
      return std::find(rule.let_slots.begin(), rule.let_slots.end(), node.slot) ==
             rule.let_slots.end();
    }
    for (const auto& child : node.children) {
      if (child && records_facts(*child, rule, seen_lets)) return true;
    }
    return false;
  }

  // Code guards (CompiledRule::guard). A node is code-pure when its value depends on nothing
  // but the diagnosis code and the code-set epoch of the date of service: literals, list names,
  // `dx.code`, lets that are code-pure, operators over code-pure operands, and the code-set and
  // edit-list functions called with the implicit date (dos). Those functions answer from the
  // code history and the MCE/POA lists, which change only where an edition or a fiscal year
  // begins (tests/rules/guard_test.cpp checks that), so (code, epoch) decides them.
  static const expr::Node* let_of(const CompiledRule& rule, int slot) {
    for (std::size_t i = 0; i < rule.lets.size(); ++i) {
      if (rule.let_slots[i] == slot) return rule.lets[i].second.get();
    }
    return nullptr;
  }

  static bool code_pure(const expr::Node& node, const CompiledRule& rule, int depth) {
    using expr::NodeKind;
    if (depth > 64) return false;
    auto children_pure = [&] {
      return std::all_of(node.children.begin(), node.children.end(), [&](const auto& child) {
        return child && code_pure(*child, rule, depth + 1);
      });
    };
    switch (node.kind) {
      case NodeKind::kBool:
      case NodeKind::kInt:
      case NodeKind::kString:
        return true;
      case NodeKind::kName:
        if (node.name_kind == expr::NameKind::kList) return true;
        if (node.name_kind == expr::NameKind::kLet) {
          const expr::Node* let = let_of(rule, node.slot);
          return let != nullptr && code_pure(*let, rule, depth + 1);
        }
        return false;
      case NodeKind::kField:
        return is_dx_code(node);
      case NodeKind::kList:
      case NodeKind::kUnary:
      case NodeKind::kBinary:
        return children_pure();
      case NodeKind::kCall:
        switch (expr::function_info(node.function).purity) {
          case expr::CodePurity::kImplicitDate:      // No explicit date.
          case expr::CodePurity::kWithoutPredicate:  // count(list), no predicate.
            return node.children.size() == 1 && children_pure();
          case expr::CodePurity::kArguments:
            return children_pure();
          case expr::CodePurity::kNever:
            return false;
        }
        return false;
    }
    return false;
  }

  // Appends the guard of `node` (postfix) to `out`; false when it has none.
  static bool guard_of(const expr::Node& node, const CompiledRule& rule,
                       std::vector<CompiledRule::GuardStep>& out, int depth) {
    using Step = CompiledRule::GuardStep;
    if (depth > 64) return false;
    if (node.type.kind == expr::TypeKind::kBool && code_pure(node, rule, 0)) {
      out.push_back(Step{Step::Kind::kAtom, &node});
      return true;
    }
    if (node.kind == expr::NodeKind::kBinary &&
        (node.op == expr::Op::kAnd || node.op == expr::Op::kOr)) {
      std::vector<Step> left;
      std::vector<Step> right;
      const bool has_left = guard_of(*node.children[0], rule, left, depth + 1);
      const bool has_right = guard_of(*node.children[1], rule, right, depth + 1);
      // `a and b` is false when either is; `a or b` only when both are.
      if (node.op == expr::Op::kOr && !(has_left && has_right)) return false;
      if (!has_left && !has_right) return false;
      out.insert(out.end(), left.begin(), left.end());
      out.insert(out.end(), right.begin(), right.end());
      if (has_left && has_right) {
        out.push_back(
            Step{node.op == expr::Op::kAnd ? Step::Kind::kAnd : Step::Kind::kOr, nullptr});
      }
      return true;
    }
    if (node.kind == expr::NodeKind::kName && node.name_kind == expr::NameKind::kLet) {
      const expr::Node* let = let_of(rule, node.slot);
      return let != nullptr && guard_of(*let, rule, out, depth + 1);
    }
    return false;
  }

  // True when `node` reads the diagnosis (the `dx` variable) only as dx.code_system or
  // dx.qualifier (CompiledRule::verdict_by_dx_system).
  static bool reads_dx_system_only(const expr::Node& node, const CompiledRule& rule,
                                   std::vector<int>& seen_lets, int depth) {
    using expr::FieldId;
    using expr::NameKind;
    using expr::NodeKind;
    if (depth > 64) return false;
    const auto is_dx = [](const expr::Node& name) {
      return name.kind == NodeKind::kName && name.name_kind == NameKind::kVariable &&
             name.slot == static_cast<int>(expr::Variable::kDiagnosis);
    };
    if (node.kind == NodeKind::kField &&
        (node.field == FieldId::kDiagnosisCodeSystem ||
         node.field == FieldId::kDiagnosisQualifier) &&
        !node.children.empty() && node.children[0] && is_dx(*node.children[0])) {
      return true;
    }
    if (is_dx(node)) return false;
    if (node.kind == NodeKind::kName && node.name_kind == NameKind::kLet) {
      if (std::find(seen_lets.begin(), seen_lets.end(), node.slot) != seen_lets.end()) return true;
      seen_lets.push_back(node.slot);
      const expr::Node* let = let_of(rule, node.slot);
      return let == nullptr || reads_dx_system_only(*let, rule, seen_lets, depth + 1);
    }
    return std::all_of(node.children.begin(), node.children.end(), [&](const auto& child) {
      return !child || reads_dx_system_only(*child, rule, seen_lets, depth + 1);
    });
  }

  static void index_rule(CompiledRule& rule) {
    if (rule.when) {
      std::vector<int> seen_lets;
      rule.when_records_facts = records_facts(*rule.when, rule, seen_lets);
    }
    if (rule.scope != expr::Scope::kDiagnosis || !rule.when) return;
    {
      std::vector<int> seen_lets;
      bool shared = reads_dx_system_only(*rule.when, rule, seen_lets, 0);
      for (const CompiledException& exception : rule.exceptions) {
        shared =
            shared && exception.when && reads_dx_system_only(*exception.when, rule, seen_lets, 0);
      }
      rule.verdict_by_dx_system = shared;
    }
    if (!guard_of(*rule.when, rule, rule.guard, 0) || rule.guard.size() > 63) rule.guard.clear();
    std::vector<std::string> keys;
    if (keys_of(*rule.when, keys) && !keys.empty()) {
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      rule.indexed = true;
      rule.index_keys = std::move(keys);
    }
  }

  void apply_overrides() {
    for (OverrideSpec* spec : override_specs_) {
      for (auto& rule : compiled_) {
        if (rule->id == spec->target.value) apply_override(*spec, *rule);
      }
    }
  }

  void apply_override(const OverrideSpec& spec, CompiledRule& rule) {
    if (spec.enabled) rule.enabled = *spec.enabled;
    if (spec.severity) {
      auto severity = parse_severity(spec.severity->value);
      if (!severity) {
        issue("E-RULE-SEVERITY",
              "severity is info, warning or error, not '" + spec.severity->value + "'",
              spec.severity->at, static_cast<int>(spec.severity->value.size()), rule.id);
      } else {
        rule.severity = *severity;
        rule.severity_overridden = true;
      }
    }
    if (spec.mode) {
      if (spec.mode->value == "enforce" || spec.mode->value == "shadow") {
        rule.mode =
            spec.mode->value == "enforce" ? model::RuleMode::kEnforce : model::RuleMode::kShadow;
      } else {
        issue("E-RULE-VALUE", "mode is enforce or shadow, not '" + spec.mode->value + "'",
              spec.mode->at, static_cast<int>(spec.mode->value.size()), rule.id);
      }
    }
  }

  void warn_unused() {
    for (ListSpec* spec : list_specs_) {
      auto it = definitions_->lists.find(spec->name.value);
      if (it != definitions_->lists.end() && !it->second.used) {
        issue("W-RULE-UNUSED", "list '" + spec->name.value + "' is used by no rule", spec->name.at,
              static_cast<int>(spec->name.value.size()), {}, core::Severity::kWarning);
      }
    }
    for (MacroSpec* spec : macro_specs_) {
      auto it = definitions_->macros.find(spec->name.value);
      if (it != definitions_->macros.end() && !it->second.used) {
        issue("W-RULE-UNUSED", "macro '" + spec->name.value + "' is used by no rule", spec->name.at,
              static_cast<int>(spec->name.value.size()), {}, core::Severity::kWarning);
      }
    }
  }

  // The engine memoises guard answers in 48 bits (engine.cpp GuardMemo).
  static constexpr std::size_t kMaxGuardedRules = 48;

  void finish(RuleSet::Impl& impl) {
    impl.files = names_;
    impl.texts = texts_;
    for (auto& rule : compiled_) impl.rules.push_back(std::move(rule));
    sort_by_scope(impl);
    assign_memo_bits(impl);
    static std::atomic<std::uint64_t> serials{0};
    impl.serial = ++serials;
    impl.always = impl.claim_rules;
    impl.always.insert(impl.always.end(), impl.line_rules.begin(), impl.line_rules.end());
    impl.always.insert(impl.always.end(), impl.unindexed_diagnosis_rules.begin(),
                       impl.unindexed_diagnosis_rules.end());
    std::sort(impl.always.begin(), impl.always.end());
    for (const auto& [key, rules] : impl.index) impl.index_key_lengths.push_back(key.size());
    std::sort(impl.index_key_lengths.begin(), impl.index_key_lengths.end());
    impl.index_key_lengths.erase(
        std::unique(impl.index_key_lengths.begin(), impl.index_key_lengths.end()),
        impl.index_key_lengths.end());
  }

  // The enabled rules, and each in its scope's list (diagnosis rules in the code index or not).
  static void sort_by_scope(RuleSet::Impl& impl) {
    for (std::size_t i = 0; i < impl.rules.size(); ++i) {
      CompiledRule& rule = *impl.rules[i];
      if (!rule.enabled) continue;
      impl.enabled.push_back(i);
      rule.applies_always = rule.claim_kinds.empty() && rule.payer_kinds.empty() &&
                            rule.uses.empty() && rule.formats.empty() && !rule.inpatient;
      switch (rule.scope) {
        case expr::Scope::kClaim:
          impl.claim_rules.push_back(i);
          break;
        case expr::Scope::kLine:
          impl.line_rules.push_back(i);
          break;
        case expr::Scope::kDiagnosis:
          if (rule.indexed) {
            for (const std::string& key : rule.index_keys) impl.index[key].push_back(i);
          } else {
            impl.unindexed_diagnosis_rules.push_back(i);
          }
          break;
      }
    }
  }

  // The bits of the engine's per-(code, epoch) memo: guarded rules first, then indexed rules
  // when all of them fit.
  static void assign_memo_bits(RuleSet::Impl& impl) {
    for (const std::size_t i : impl.enabled) {
      CompiledRule& rule = *impl.rules[i];
      if (rule.guard.empty() || rule.indexed || impl.guarded.size() >= kMaxGuardedRules) continue;
      rule.guard_bit = static_cast<int>(impl.guarded.size());
      impl.guarded.push_back(i);
    }
    {
      std::vector<std::size_t> indexed;
      for (const std::size_t i : impl.enabled) {
        if (impl.rules[i]->indexed) indexed.push_back(i);
      }
      if (!indexed.empty() && impl.guarded.size() + indexed.size() <= kMaxGuardedRules) {
        for (const std::size_t i : indexed) {
          const auto bit = impl.guarded.size() + impl.memo_indexed.size();
          impl.rules[i]->index_bit = static_cast<int>(bit);
          impl.indexed_mask |= std::uint64_t{1} << bit;
          impl.memo_indexed.push_back(i);
        }
      }
    }
  }

  void fill(RuleLoadResult& result) {
    std::stable_sort(issues_.begin(), issues_.end(), [](const LoadIssue& a, const LoadIssue& b) {
      return std::tie(a.at.file, a.at.line, a.at.column) <
             std::tie(b.at.file, b.at.line, b.at.column);
    });
    for (std::size_t i = 0; i < names_.size(); ++i) result.sources[names_[i]] = texts_[i];
    for (const LoadIssue& issue : issues_) {
      core::Diagnostic diagnostic;
      diagnostic.severity = issue.severity;
      diagnostic.code = issue.code;
      diagnostic.message = issue.message;
      RuleDiagnosticDetail detail;
      detail.rule_id = issue.rule_id;
      detail.length = issue.length;
      if (issue.at.file >= 0 && static_cast<std::size_t>(issue.at.file) < names_.size()) {
        diagnostic.where.file = names_[static_cast<std::size_t>(issue.at.file)];
        diagnostic.where.line = issue.at.line;
        diagnostic.where.column = issue.at.column;
        detail.snippet = line_of(texts_[static_cast<std::size_t>(issue.at.file)], issue.at.line);
      }
      result.diagnostics.push_back(std::move(diagnostic));
      result.details.push_back(std::move(detail));
    }
  }

  // Line `line` (1-based) of `text` without its line end; empty when there is no such line.
  static std::string line_of(const std::string& text, int line) {
    std::size_t start = 0;
    for (int at = 1; at < line && start != std::string::npos; ++at) {
      start = text.find('\n', start);
      if (start != std::string::npos) ++start;
    }
    if (start == std::string::npos || line <= 0) return {};
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string snippet = text.substr(start, end - start);
    if (!snippet.empty() && snippet.back() == '\r') snippet.pop_back();
    return snippet;
  }

  const codes::CodeSet& codes_;
  const codes::EditLists& edits_;
  RuleSet::Impl* impl_ = nullptr;
  std::vector<std::string> names_;
  std::vector<std::string> texts_;
  std::vector<LoadIssue> issues_;
  expr::Issues expr_issues_;
  std::vector<ExprText> sources_;
  std::vector<ListSpec*> list_specs_;
  std::vector<MacroSpec*> macro_specs_;
  std::vector<RuleSpec*> rule_specs_;
  std::vector<ExceptionSpec*> exception_specs_;
  std::vector<OverrideSpec*> override_specs_;
  std::map<std::string, std::vector<ExceptionSpec>> extra_exceptions_;
  std::map<std::string, std::vector<EscalationSpec>> extra_escalations_;
  std::shared_ptr<const expr::Definitions> definitions_;
  std::vector<std::unique_ptr<CompiledRule>> compiled_;
};

using core::json_string;

}  // namespace

RuleSet::RuleSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RuleSet::~RuleSet() = default;
const std::string& RuleSet::hash() const { return impl_->hash; }
std::size_t RuleSet::rule_count() const { return impl_->enabled.size(); }
std::size_t RuleSet::loaded_rule_count() const { return impl_->rules.size(); }
const std::string& RuleSet::loaded_rule_id(std::size_t index) const {
  return impl_->rules.at(index)->id;
}
std::vector<std::string> RuleSet::rule_ids() const {
  std::vector<std::string> ids;
  for (const std::size_t i : impl_->enabled) ids.push_back(impl_->rules[i]->id);
  return ids;
}

const CompiledRule* RuleSet::Impl::find(const std::string& id) const {
  for (const auto& rule : rules) {
    if (rule->id == id) return rule.get();
  }
  return nullptr;
}

fs::path default_rule_directory() {
  std::error_code error;
  if (const char* configured = std::getenv("CLAIMAUDIT_RULES_DIR"); configured && *configured) {
    return configured;
  }
  fs::path here = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    for (fs::path dir = here.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      // A build run in place (the source tree's pack), or an installed prefix.
      for (fs::path candidate :
           {dir / "rules" / "default", dir / "share" / "claimaudit" / "rules"}) {
        if (fs::is_directory(candidate, error)) return candidate;
      }
    }
  }
  fs::path installed = "/usr/share/claimaudit/rules";
  if (fs::is_directory(installed, error)) return installed;
  return {};
}

RuleLoadResult load_rule_set(const std::vector<fs::path>& directories, const codes::CodeSet& codes,
                             const codes::EditLists& edits, InlineTests tests) {
  return Loader(codes, edits).load(directories, tests);
}

RuleLoadResult load_rule_set(const std::vector<fs::path>& directories, const codes::CodeSet& codes,
                             const codes::EditLists& edits) {
  return load_rule_set(directories, codes, edits, InlineTests::kRun);
}

std::shared_ptr<const RuleSet> RuleSetSlot::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

RuleLoadResult RuleSetSlot::reload(const std::vector<fs::path>& directories,
                                   const codes::CodeSet& codes, const codes::EditLists& edits) {
  RuleLoadResult result = load_rule_set(directories, codes, edits);
  if (result.rule_set) {
    std::lock_guard<std::mutex> lock(mutex_);
    current_ = result.rule_set;
  }
  return result;
}

std::string render_diagnostics(const RuleLoadResult& result) {
  std::string out;
  for (std::size_t i = 0; i < result.diagnostics.size(); ++i) {
    const core::Diagnostic& diagnostic = result.diagnostics[i];
    const int length = i < result.details.size() ? result.details[i].length : 1;
    auto source = result.sources.find(diagnostic.where.file);
    if (source != result.sources.end()) {
      out += core::render_with_source(diagnostic, source->second, length);
    } else {
      out += core::render(diagnostic);
    }
    out += '\n';
  }
  return out;
}

std::string to_json(const RuleLoadResult& result) {
  std::string out = "{\"ok\":";
  out += result.rule_set ? "true" : "false";
  out += ",\"rule_set_hash\":";
  out += result.rule_set ? json_string(result.rule_set->hash()) : "null";
  out += ",\"rules\":" + std::to_string(result.rule_set ? result.rule_set->rule_count() : 0);
  out += ",\"diagnostics\":[";
  for (std::size_t i = 0; i < result.diagnostics.size(); ++i) {
    const core::Diagnostic& d = result.diagnostics[i];
    const RuleDiagnosticDetail detail =
        i < result.details.size() ? result.details[i] : RuleDiagnosticDetail{};
    if (i > 0) out += ',';
    out += "{\"severity\":" + json_string(core::to_string(d.severity));
    out += ",\"code\":" + json_string(d.code);
    out += ",\"file\":" + json_string(d.where.file);
    out += ",\"line\":" + std::to_string(d.where.line);
    out += ",\"column\":" + std::to_string(d.where.column);
    out += ",\"length\":" + std::to_string(detail.length);
    out +=
        ",\"rule\":" + (detail.rule_id.empty() ? std::string("null") : json_string(detail.rule_id));
    out += ",\"message\":" + json_string(d.message);
    out += ",\"snippet\":" + json_string(detail.snippet) + "}";
  }
  out += "]}";
  return out;
}

}  // namespace claimaudit::rules
