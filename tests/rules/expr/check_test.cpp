// The type checker: names, fields, functions, types, macros, lists; each mistake with its exact
// message and offset.
#include "rules/expr/check.hpp"

#include <string>
#include <vector>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "rules/expr/parser.hpp"
#include "rules/expr/printer.hpp"

namespace expr = claimaudit::rules::expr;

namespace {

expr::Definitions make_definitions() {
  expr::Definitions definitions;
  expr::ListDefinition spasm;
  auto matcher = std::make_shared<expr::CodeMatcher>();
  std::string error;
  matcher->add(*expr::parse_code_pattern("M62.830", &error));
  matcher->add(*expr::parse_code_pattern("S39.012*", &error));
  spasm.codes = matcher;
  definitions.lists.emplace("spasm_triggers", std::move(spasm));
  expr::ListDefinition modifiers;
  modifiers.kind = expr::ListDefinition::Kind::kStrings;
  modifiers.strings =
      std::make_shared<std::vector<std::string>>(std::vector<std::string>{"RT", "LT"});
  definitions.lists.emplace("laterality", std::move(modifiers));
  auto macro = [&](const char* name, const char* body, std::vector<std::string> params = {}) {
    expr::Issues issues;
    expr::MacroDefinition definition;
    definition.body = expr::parse(body, 99, issues);
    definition.params = std::move(params);
    definitions.macros.emplace(name, std::move(definition));
  };
  macro("has_external_cause", "any(claim.diagnoses, d, is_external_cause(d.code))");
  macro("loop_a", "loop_b");
  macro("loop_b", "loop_a");
  macro("lateral", "any(l.modifiers, m, m in laterality)", {"l"});
  return definitions;
}

struct Result {
  std::string type;
  std::vector<expr::Issue> issues;
};

Result check_text(const std::string& text, expr::Scope scope) {
  static const expr::Definitions definitions = make_definitions();
  expr::Issues issues;
  auto node = expr::parse(text, 0, issues);
  BOOST_REQUIRE_MESSAGE(node, text);
  expr::Checker checker(scope, definitions, issues);
  const expr::Type type = checker.check(node);
  return Result{expr::to_string(type), issues};
}

struct Good {
  const char* text;
  expr::Scope scope;
  const char* type;
};
std::ostream& operator<<(std::ostream& out, const Good& c) { return out << c.text; }

const std::vector<Good> kGood = {
    {"dx.code == \"M62.830\"", expr::Scope::kDiagnosis, "bool"},
    {"dx.code in spasm_triggers", expr::Scope::kDiagnosis, "bool"},
    {"dx.code in [\"V00-Y99\", \"M62.83*\"]", expr::Scope::kDiagnosis, "bool"},
    {"classify(dx.code) == \"stale\"", expr::Scope::kDiagnosis, "bool"},
    {"replacements(dx.code)", expr::Scope::kDiagnosis, "list<code>"},
    {"count(claim.diagnoses, d, d.seq > 1)", expr::Scope::kClaim, "int"},
    {"filter(claim.lines, l, \"RT\" in l.modifiers)", expr::Scope::kClaim, "list<line>"},
    {"map(claim.dates_of_service, d, edition(d))", expr::Scope::kClaim, "list<string>"},
    {"claim.onset_date - dos", expr::Scope::kClaim, "int"},
    {"dos + 30", expr::Scope::kClaim, "date"},
    {"has(claim.onset_date) and claim.onset_date > dos", expr::Scope::kClaim, "bool"},
    {"has_external_cause", expr::Scope::kClaim, "bool"},
    {"any(claim.lines, x, lateral(x))", expr::Scope::kClaim, "bool"},
    {"line.procedure.code in [\"97140\", \"97110\"]", expr::Scope::kLine, "bool"},
    {"in_range(dx.code, \"V00\", \"Y99\")", expr::Scope::kDiagnosis, "bool"},
    {"claim.payer.kind in [\"workers_comp\", \"auto\"]", expr::Scope::kClaim, "bool"},
    {"first(line.diagnoses).code", expr::Scope::kLine, "code"},
    {"age_edit(dx.code) == \"newborn\" and age != 0", expr::Scope::kDiagnosis, "bool"},
    {"dx.code matches \"^M62\"", expr::Scope::kDiagnosis, "bool"},
    {"if(dx.qualifier == \"\", \"\", \" (qualifier \")", expr::Scope::kDiagnosis, "string"},
    {"if(dx.seq == 1, [], replacements(dx.code))", expr::Scope::kDiagnosis, "list<code>"},
};

struct Bad {
  const char* text;
  expr::Scope scope;
  const char* code;
  unsigned offset;
  const char* message;
};
std::ostream& operator<<(std::ostream& out, const Bad& c) { return out << c.text; }

const std::vector<Bad> kBad = {
    {"any(claim.diagnoses, d, d.cod == \"M62.830\")", expr::Scope::kClaim, "E-RULE-UNKNOWN-FIELD",
     24, "unknown field 'd.cod' (did you mean 'code'?)"},
    {"any(claim.dx, d, true)", expr::Scope::kClaim, "E-RULE-UNKNOWN-FIELD", 4,
     "unknown field 'claim.dx' (did you mean 'diagnoses'?)"},
    {"dx.code == M62830", expr::Scope::kDiagnosis, "E-RULE-UNKNOWN-NAME", 11,
     "unknown name 'M62830' (write codes as strings: \"M62830\")"},
    {"dx.code == \"M62.830\"", expr::Scope::kClaim, "E-RULE-UNKNOWN-NAME", 0,
     "'dx' is bound only in diagnosis-scope rules (this rule has scope claim)"},
    {"spasm_trigers", expr::Scope::kClaim, "E-RULE-UNKNOWN-NAME", 0,
     "unknown name 'spasm_trigers' (did you mean 'spasm_triggers'?)"},
    {"valid(dx.code)", expr::Scope::kDiagnosis, "E-RULE-UNKNOWN-FUNCTION", 0,
     "unknown function 'valid' (did you mean 'valid_on'?)"},
    {"claim.kind == \"profesional\"", expr::Scope::kClaim, "E-RULE-TYPE", 14,
     "\"profesional\" is not one of professional, institutional, oral, vision, pharmacy, unknown "
     "(did you mean \"professional\"?)"},
    {"dx.seq == \"1\"", expr::Scope::kDiagnosis, "E-RULE-TYPE", 0,
     "cannot compare an int with a string"},
    {"dx.code < \"M62.830\"", expr::Scope::kDiagnosis, "E-RULE-TYPE", 0,
     "'<' compares numbers, dates or strings, not a code"},
    {"dx.code >= \"M62.830\"", expr::Scope::kDiagnosis, "E-RULE-TYPE", 0,
     "'>=' compares numbers, dates or strings, not a code"},
    {"dx.code == \"M62.83*\"", expr::Scope::kDiagnosis, "E-RULE-CODE-LITERAL", 11,
     "'M62.83*' is a code pattern; patterns are allowed only after 'in'"},
    {"dx.code == \"M62-830\"", expr::Scope::kDiagnosis, "E-RULE-CODE-LITERAL", 11,
     "'M62-830' is not a code range (write it like V00-Y99, the first end before the second)"},
    {"loop_a", expr::Scope::kClaim, "E-RULE-MACRO-CYCLE", 0,
     "macros use each other in a cycle: loop_a -> loop_b -> loop_a"},
    {"claim.lines", expr::Scope::kClaim, "", 0, ""},
    {"valid_on(dx.code, 3)", expr::Scope::kDiagnosis, "E-RULE-TYPE", 18,
     "valid_on()'s date must be a date, not an int"},
    {"join(dx.code, \", \") == \"\"", expr::Scope::kDiagnosis, "E-RULE-TYPE", 5,
     "join() needs a list first, not a code"},
    {"join(claim.diagnoses, 1) == \"\"", expr::Scope::kClaim, "E-RULE-TYPE", 22,
     "join()'s separator must be a string, not an int"},
    {"count(claim.diagnoses, d)", expr::Scope::kClaim, "E-RULE-ARGUMENTS", 0,
     "count() takes 3 argument(s), given 2"},
    {"dx.code in laterality", expr::Scope::kDiagnosis, "E-RULE-LIST", 0,
     "list 'laterality' holds strings; the value before 'in' is a code"},
    {"date(\"2021-02-30\") < dos", expr::Scope::kClaim, "E-RULE-DATE", 5,
     "\"2021-02-30\" is not a real YYYY-MM-DD date"},
    {"lateral(line, line)", expr::Scope::kLine, "E-RULE-ARGUMENTS", 0,
     "macro 'lateral' takes 1 argument(s), given 2"},
    {"any(claim.diagnoses, claim, true)", expr::Scope::kClaim, "E-RULE-DUPLICATE-ID", 21,
     "'claim' is already a name here; choose another element name"},
    {"not dx.seq", expr::Scope::kDiagnosis, "E-RULE-TYPE", 4,
     "the operand of 'not' must be a bool, not an int"},
    {"if(dx.seq, \"a\", \"b\")", expr::Scope::kDiagnosis, "E-RULE-TYPE", 3,
     "if()'s condition must be a bool, not an int"},
    {"if(true, dx.seq, \"1\")", expr::Scope::kDiagnosis, "E-RULE-TYPE", 17,
     "if()'s branches must have one type, not an int and a string"},
    {"if(true, 1)", expr::Scope::kDiagnosis, "E-RULE-ARGUMENTS", 0,
     "if() takes 3 argument(s), given 2"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(check)

BOOST_DATA_TEST_CASE(types_valid_expressions, boost::unit_test::data::make(kGood), c) {
  const Result result = check_text(c.text, c.scope);
  BOOST_TEST(result.issues.empty());
  for (const auto& issue : result.issues) BOOST_TEST_MESSAGE(issue.message);
  BOOST_TEST(result.type == c.type);
}

BOOST_DATA_TEST_CASE(reports_mistakes, boost::unit_test::data::make(kBad), c) {
  const Result result = check_text(c.text, c.scope);
  if (std::string(c.code).empty()) {
    BOOST_TEST(result.issues.empty());
    return;
  }
  BOOST_REQUIRE(!result.issues.empty());
  BOOST_TEST(result.issues[0].code == c.code);
  BOOST_TEST(result.issues[0].offset == c.offset);
  BOOST_TEST(result.issues[0].message == c.message);
}

BOOST_AUTO_TEST_CASE(normalises_code_literals_and_records_them) {
  static const expr::Definitions definitions = make_definitions();
  expr::Issues issues;
  auto node =
      expr::parse("dx.code == \"m62.830\" or dx.code in [\"M54.5\", \"V00-Y99\"]", 3, issues);
  expr::Checker checker(expr::Scope::kDiagnosis, definitions, issues);
  checker.check_condition(node, "'when'");
  BOOST_TEST(issues.empty());
  // Stored normalised (code_uses below), printed dotted in upper case; patterns as written.
  BOOST_TEST(expr::print(*node) == "dx.code == \"M62.830\" or dx.code in [\"M54.5\", \"V00-Y99\"]");
  BOOST_REQUIRE_EQUAL(checker.code_uses().size(), 2u);
  BOOST_TEST(checker.code_uses()[0].code == "M62830");
  BOOST_TEST(checker.code_uses()[0].offset == 11u);
  BOOST_TEST(checker.code_uses()[1].code == "M545");
}

BOOST_AUTO_TEST_CASE(requires_a_boolean_condition) {
  static const expr::Definitions definitions = make_definitions();
  expr::Issues issues;
  auto node = expr::parse("dx.seq + 1", 0, issues);
  expr::Checker checker(expr::Scope::kDiagnosis, definitions, issues);
  checker.check_condition(node, "'when'");
  BOOST_REQUIRE_EQUAL(issues.size(), 1u);
  BOOST_TEST(issues[0].code == "E-RULE-NOT-BOOL");
  BOOST_TEST(issues[0].message == "'when' must be true or false, but this is an int");
}

BOOST_AUTO_TEST_CASE(marks_phi_and_date_use) {
  static const expr::Definitions definitions = make_definitions();
  expr::Issues issues;
  auto node = expr::parse("claim.patient.sex == \"F\" and valid_on(dx.code)", 0, issues);
  expr::Checker checker(expr::Scope::kDiagnosis, definitions, issues);
  checker.check_condition(node, "'when'");
  BOOST_TEST(issues.empty());
  BOOST_TEST(node->phi);
  BOOST_TEST(node->needs_date);
}

BOOST_AUTO_TEST_SUITE_END()
