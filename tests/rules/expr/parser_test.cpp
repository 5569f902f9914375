// Parser and printer: the printed form is the oracle (Falco's habit). Every accepted expression
// prints the same after print -> parse -> print, and parses to the same tree with its spaces
// swapped for newlines and tabs.
#include "rules/expr/parser.hpp"

#include <string>
#include <vector>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "rules/expr/printer.hpp"

namespace expr = claimaudit::rules::expr;

namespace {

std::string canonical(const std::string& text) {
  expr::Issues issues;
  auto node = expr::parse(text, 0, issues);
  if (!node) return "ERROR: " + (issues.empty() ? std::string("?") : issues.front().message);
  return expr::print(*node);
}

struct Case {
  const char* input;
  const char* printed;
};
std::ostream& operator<<(std::ostream& out, const Case& c) { return out << c.input; }

const std::vector<Case> kCases = {
    {"true", "true"},
    {"dx.code == \"M62.830\"", "dx.code == \"M62.830\""},
    {"a and b or c", "a and b or c"},
    {"a and (b or c)", "a and (b or c)"},
    {"(a and b) and c", "a and b and c"},
    {"a and (b and c)", "a and (b and c)"},
    {"not a and b", "not a and b"},
    {"not (a and b)", "not (a and b)"},
    {"not not a", "not not a"},
    {"x not in [1, 2,]", "x not in [1, 2]"},
    {"not x in L", "not x in L"},
    {"(not x) == y", "(not x) == y"},
    {"a - (b - c)", "a - (b - c)"},
    {"a - b - c", "a - b - c"},
    {"-(a + 1) < 3", "-(a + 1) < 3"},
    {"- -a", "--a"},
    {"(a == b) == c", "(a == b) == c"},
    {"s matches '^M62\\\\.83'", "s matches \"^M62\\\\.83\""},
    {"'it''s'",
     "ERROR: unexpected string \"s\" after a complete condition (missing 'and', 'or' or an "
     "operator?)"},
    {"any(claim.diagnoses, d, d.code in spasm and not is_external_cause(d.code))",
     "any(claim.diagnoses, d, d.code in spasm and not is_external_cause(d.code))"},
    {"count(distinct(map(claim.dates_of_service, d, edition(d)))) > 1",
     "count(distinct(map(claim.dates_of_service, d, edition(d)))) > 1"},
    {"(dx.code_system == \"icd9cm\" and dos >= date(\"2015-10-01\")) or "
     "(dx.code_system == \"icd10cm\" and dos < date(\"2015-10-01\"))",
     "dx.code_system == \"icd9cm\" and dos >= date(\"2015-10-01\") or "
     "dx.code_system == \"icd10cm\" and dos < date(\"2015-10-01\")"},
    {"f()", "f()"},
    {"[]", "[]"},
    {"x # comment\n and y", "x and y"},
    {"\"a\\\"b\\n\"", "\"a\\\"b\\n\""},
};

struct Broken {
  const char* input;
  const char* code;
  unsigned offset;
  const char* message;
};
std::ostream& operator<<(std::ostream& out, const Broken& c) { return out << c.input; }

const std::vector<Broken> kBroken = {
    {"", "E-RULE-SYNTAX", 0, "empty condition"},
    {"a and", "E-RULE-SYNTAX", 5, "condition ends too early: expected a value"},
    {"(a", "E-RULE-SYNTAX", 2, "expected ')' to close the '(', found end of condition"},
    {"a)", "E-RULE-SYNTAX", 1, "unexpected ')' after a complete condition (unbalanced ')')"},
    {"a = b", "E-RULE-SYNTAX", 2, "'=' is not an operator (did you mean '=='?)"},
    {"a && b", "E-RULE-SYNTAX", 2, "'&&' is not an operator (did you mean 'and'?)"},
    {"a < b < c", "E-RULE-SYNTAX", 6, "comparisons do not chain: write 'a < b and b < c'"},
    {"\"open", "E-RULE-SYNTAX", 0, "string not closed"},
    {"x matches y", "E-RULE-SYNTAX", 10, "'matches' needs a string pattern, found name 'y'"},
    {"a.", "E-RULE-SYNTAX", 2, "expected a field name after '.', found end of condition"},
    {"f(a,", "E-RULE-SYNTAX", 4, "condition ends too early: expected a value"},
    {"a $ b", "E-RULE-SYNTAX", 2, "unexpected character '$'"},
    {"62830A", "E-RULE-SYNTAX", 0,
     "'62830A' is neither a number nor a name (write codes as strings: \"62830A\")"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(parser)

BOOST_DATA_TEST_CASE(prints_canonical_form, boost::unit_test::data::make(kCases), c) {
  BOOST_TEST(canonical(c.input) == c.printed);
}

BOOST_DATA_TEST_CASE(round_trips_through_print, boost::unit_test::data::make(kCases), c) {
  const std::string once = canonical(c.input);
  if (once.rfind("ERROR", 0) == 0) return;
  BOOST_TEST(canonical(once) == once);
}

BOOST_DATA_TEST_CASE(ignores_whitespace_kind, boost::unit_test::data::make(kCases), c) {
  const std::string once = canonical(c.input);
  if (once.rfind("ERROR", 0) == 0) return;
  // Swap every space outside strings for a newline, then for a tab.
  for (const char replacement : {'\n', '\t'}) {
    std::string text = once;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '"' && (i == 0 || text[i - 1] != '\\')) in_string = !in_string;
      if (!in_string && text[i] == ' ') text[i] = replacement;
    }
    BOOST_TEST(canonical(text) == once);
  }
}

BOOST_DATA_TEST_CASE(reports_syntax_errors_with_offsets, boost::unit_test::data::make(kBroken), c) {
  expr::Issues issues;
  auto node = expr::parse(c.input, 7, issues);
  BOOST_TEST(!node);
  BOOST_REQUIRE_EQUAL(issues.size(), 1u);
  BOOST_TEST(issues[0].code == c.code);
  BOOST_TEST(issues[0].offset == c.offset);
  BOOST_TEST(issues[0].message == c.message);
  BOOST_TEST(issues[0].source == 7);
}

BOOST_AUTO_TEST_CASE(rejects_nesting_deeper_than_the_limit) {
  std::string ok = std::string(60, '(') + "a" + std::string(60, ')');
  expr::Issues issues;
  BOOST_TEST(expr::parse(ok, 0, issues) != nullptr);
  std::string deep = std::string(70, '(') + "a" + std::string(70, ')');
  BOOST_TEST(expr::parse(deep, 0, issues) == nullptr);
  BOOST_REQUIRE_EQUAL(issues.size(), 1u);
  BOOST_TEST(issues[0].code == "E-RULE-DEPTH");
  BOOST_TEST(issues[0].message == "condition nested deeper than 64 levels");
  std::string chain = "a";
  for (int i = 0; i < 100; ++i) chain = "not " + chain;
  issues.clear();
  BOOST_TEST(expr::parse(chain, 0, issues) == nullptr);
  BOOST_TEST(issues.at(0).code == "E-RULE-DEPTH");
}

BOOST_AUTO_TEST_CASE(rejects_texts_over_sixteen_kilobytes) {
  expr::Issues issues;
  BOOST_TEST(expr::parse(std::string(17000, 'a'), 0, issues) == nullptr);
  BOOST_TEST(issues.at(0).code == "E-RULE-DEPTH");
}

BOOST_AUTO_TEST_SUITE_END()
