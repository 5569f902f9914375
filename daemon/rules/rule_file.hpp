// rules/rule_file.hpp
//
// Stage 1 of the rule loader (reader): one YAML rule file to position-aware specs, with no
// knowledge of other files. Every value keeps where it came from (1-based line and column); an
// expression keeps a map from each of its bytes to the file position, so errors deep inside a
// multi-line `when` point at the right character (STYLE.md 4). Problems become diagnostics;
// nothing throws. Specs are plain values.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/diagnostic.hpp"

namespace claimaudit::rules {

struct Position {
  int file = 0;  // Index into the loader's file table.
  int line = 0;  // 1-based.
  int column = 0;
};

// An expression or template text and where each byte of it sits in the file.
struct ExprText {
  std::string text;
  Position at;                               // The first character (or the scalar's mark).
  std::vector<std::pair<int, int>> offsets;  // (line, column) per byte; empty: all at `at`.
  bool folded_or_quoted = false;

  Position position_of(std::size_t offset) const;
  // The text of [offset, offset + length) as its own ExprText (template placeholders).
  ExprText slice(std::size_t offset, std::size_t length) const;
};

struct Located {
  std::string value;
  Position at;
};

struct ListSpec {
  Located name;
  std::string type = "codes";
  Position type_at;
  std::vector<Located> items;                      // codes, strings
  std::vector<std::pair<Located, Located>> pairs;  // pairs
};

struct MacroSpec {
  Located name;
  std::vector<Located> params;
  ExprText expr;
};

struct EscalationSpec {
  ExprText when;
  Located severity;
  std::string reason;
};

struct ExceptionSpec {
  Located name;
  Located rule;  // Separate exception items only.
  ExprText when;
  std::string description;
};

struct TestSpec {
  std::string name;
  Position at;
  YAML::Node claim;
  Position claim_at;
  std::optional<Located> dos;
  Located expect;
  std::optional<Located> message;
  std::optional<Located> severity;
  std::optional<int> findings;
  std::optional<int> seq;
};

struct RuleSpec {
  Located id;
  Located version;
  std::string title;
  std::string description;
  Located scope;
  std::vector<std::pair<Located, ExprText>> lets;
  ExprText when;
  Located severity;
  std::vector<EscalationSpec> escalate;
  std::optional<Located> predicts_carc;
  std::optional<Located> predicts_rarc;
  std::string predicts_label;
  ExprText message;
  std::vector<std::pair<Located, ExprText>> evidence_fields;
  std::optional<ExprText> evidence_source;
  std::optional<Located> effective_from;
  std::optional<Located> effective_to;
  std::map<std::string, std::vector<Located>> applies_to;  // key -> values
  std::optional<bool> applies_inpatient;
  Located mode;
  bool enabled = true;
  std::vector<std::string> references;
  std::vector<std::string> tags;
  std::vector<ExceptionSpec> exceptions;
  std::vector<TestSpec> tests;
};

struct OverrideSpec {
  Located target;
  std::optional<Located> severity;
  std::optional<Located> mode;
  std::optional<bool> enabled;
  std::vector<EscalationSpec> escalate;
  std::vector<ExceptionSpec> exceptions;
  std::vector<Located> append;
  std::vector<std::pair<Located, Located>> append_pairs;
};

struct RuleFile {
  std::vector<ListSpec> lists;
  std::vector<MacroSpec> macros;
  std::vector<RuleSpec> rules;
  std::vector<ExceptionSpec> exceptions;
  std::vector<OverrideSpec> overrides;
};

// A diagnostic of the loader, before it is rendered: where, how wide, which rule.
struct LoadIssue {
  core::Severity severity = core::Severity::kError;
  std::string code;
  std::string message;
  Position at;
  int length = 1;
  std::string rule_id;
};

// Reads one file's text (already loaded; `file` is its index). Appends problems to `issues`.
RuleFile read_rule_file(const std::string& text, int file, std::vector<LoadIssue>& issues);

}  // namespace claimaudit::rules
