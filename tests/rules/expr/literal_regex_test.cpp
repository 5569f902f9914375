// LiteralRegex (rules/expr/literal_regex.hpp) answers exactly as RE2::PartialMatch for the
// patterns it accepts, and accepts none it cannot answer.
#include "rules/expr/literal_regex.hpp"

#include <random>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <re2/re2.h>

namespace claimaudit::rules::expr {
namespace {

bool re2_partial(const std::string& pattern, const std::string& text) {
  RE2::Options options;
  options.set_log_errors(false);
  const RE2 regex(pattern, options);
  BOOST_REQUIRE_MESSAGE(regex.ok(), pattern);
  return RE2::PartialMatch(text, regex);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(literal_regex)

BOOST_AUTO_TEST_CASE(accepts_literal_sequences_and_classes_only) {
  for (const char* accepted : {"A$", "[ABC]$", "[DEFGHJKMNPQR]$", "^M62\\.83[0-9]$", "^S", "XA", "",
                               "^$", "$", "[A-Z0-9]", "a-b", "\\[x\\]", "^http://hl7"}) {
    BOOST_TEST_INFO(accepted);
    BOOST_TEST(LiteralRegex::parse(accepted).has_value());
  }
  for (const char* refused :
       {"A|B",  "A*",   "A+$", "A?", "A{2}", ".",  "^M.*", "[^A]", "\\d",   "(A)",
        "[A-]", "[-A]", "[]",  "[A", "A$B",  "x^", "\\w+", "é",    "[Z-A]", "\\"}) {
    BOOST_TEST_INFO(refused);
    BOOST_TEST(!LiteralRegex::parse(refused).has_value());
  }
}

BOOST_AUTO_TEST_CASE(the_shipped_patterns_answer_as_re2) {
  const std::vector<std::string> patterns = {"A$", "[ABC]$", "D$", "[DEFGHJKMNPQR]$", "S$"};
  const std::vector<std::string> texts = {"W1830XA", "S335XXA", "S335XXD", "S335XXS", "W18",
                                          "",        "A",       "AS",      "S32001B", "s335xxa"};
  for (const std::string& pattern : patterns) {
    const auto literal = LiteralRegex::parse(pattern);
    BOOST_REQUIRE(literal);
    for (const std::string& text : texts) {
      BOOST_TEST_INFO(pattern << " on '" << text << "'");
      BOOST_TEST(literal->partial_match(text) == re2_partial(pattern, text));
    }
  }
}

BOOST_AUTO_TEST_CASE(random_patterns_answer_as_re2) {
  std::mt19937 random(20261127);
  const std::string alphabet = "AB01.-";
  const auto pick = [&](const std::string& from) { return from[random() % from.size()]; };
  int accepted = 0;
  int matched = 0;
  for (int n = 0; n < 3000; ++n) {
    std::string pattern;
    if (random() % 3 == 0) pattern += '^';
    const int items = static_cast<int>(random() % 4);
    for (int k = 0; k < items; ++k) {
      switch (random() % 4) {
        case 0:
          pattern += '[';
          pattern += pick("AB01");
          if (random() % 2 == 0) {
            pattern += '-';
            pattern += pick("B1");
          }
          pattern += ']';
          break;
        case 1:
          pattern += "\\.";
          break;
        default:
          pattern += pick("AB01-");
      }
    }
    if (random() % 3 == 0) pattern += '$';
    RE2::Options options;
    options.set_log_errors(false);
    if (!RE2(pattern, options).ok()) continue;  // "[1-0]"-like ranges
    const auto literal = LiteralRegex::parse(pattern);
    if (!literal) continue;
    ++accepted;
    for (int t = 0; t < 10; ++t) {
      std::string text;
      const int length = static_cast<int>(random() % 6);
      for (int k = 0; k < length; ++k) text += pick(alphabet);
      if (random() % 20 == 0) text += "\xC3\xA9";  // non-ASCII
      const bool expected = re2_partial(pattern, text);
      BOOST_TEST_INFO(pattern << " on '" << text << "'");
      BOOST_TEST(literal->partial_match(text) == expected);
      matched += expected ? 1 : 0;
    }
  }
  BOOST_TEST(accepted > 1500);
  BOOST_TEST(matched > 3000);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::rules::expr
