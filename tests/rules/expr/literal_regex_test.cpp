// LiteralRegex (rules/expr/literal_regex.hpp) answers exactly as RE2::PartialMatch for the
// patterns it accepts, and accepts none it cannot answer.
#include "rules/expr/literal_regex.hpp"

#include <optional>
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

// LiteralRegex::match() as a printable value: 1 match, 0 no match, -1 "ask RE2".
int answer(const std::optional<bool>& matched) {
  if (!matched) return -1;
  return *matched ? 1 : 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(literal_regex)

BOOST_AUTO_TEST_CASE(accepts_literal_sequences_and_classes_only) {
  for (const char* accepted : {"A$",
                               "[ABC]$",
                               "[DEFGHJKMNPQR]$",
                               "^M62\\.83[0-9]$",
                               "^S",
                               "XA",
                               "",
                               "^$",
                               "$",
                               "[A-Z0-9]",
                               "a-b",
                               "\\[x\\]",
                               "^http://hl7",
                               "(?i)\\bsequela\\b",
                               "(?i)\\b(left|bilateral)\\b",
                               "(A)",
                               "(?i)\\b(first|second|third) trimester\\b",
                               "^(?:A|B1)$",
                               "x\\by",
                               "(?i)[a-c]"}) {
    BOOST_TEST_INFO(accepted);
    BOOST_TEST(LiteralRegex::parse(accepted).has_value());
  }
  for (const char* refused :
       {"A|B",  "A*",       "A+$",   "A?",    "A{2}",      ".",
        "^M.*", "[^A]",     "\\d",   "[A-]",  "[-A]",      "[]",
        "[A",   "A$B",      "x^",    "\\w+",  "é",         "[Z-A]",
        "\\",   "(A|B)(C)", "((A))", "(A|)",  "(A|B)*",    "(A",
        "A)",   "\\B",      "(?i)é", "(?s)A", "(?i)(?i)A", "(?i)trimester.*trimester"}) {
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
      BOOST_TEST(answer(literal->match(text)) == (re2_partial(pattern, text) ? 1 : 0));
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
      BOOST_TEST(answer(literal->match(text)) == (expected ? 1 : 0));
      matched += expected ? 1 : 0;
    }
  }
  BOOST_TEST(accepted > 1500);
  BOOST_TEST(matched > 3000);
}

BOOST_AUTO_TEST_CASE(title_patterns_answer_as_re2) {
  const std::vector<std::string> patterns = {"(?i)\\bbilateral\\b",
                                             "(?i)\\bright\\b",
                                             "(?i)\\b(left|bilateral)\\b",
                                             "(?i)\\b(right|left|bilateral)\\b",
                                             "(?i)\\bsequela\\b",
                                             "(?i)\\b(first|second|third) trimester\\b",
                                             "(?i)\\bin diseases classified elsewhere\\b"};
  const std::vector<std::string> texts = {"Primary osteoarthritis, right knee",
                                          "Primary osteoarthritis, bilateral knee",
                                          "Cataract, LEFT eye",
                                          "Copyright notice",
                                          "Leftover",
                                          "right",
                                          "right-sided",
                                          "upright_left",
                                          "left_",
                                          "",
                                          "Strain of lower back, sequela",
                                          "Sequelae of stroke",
                                          "Pre-eclampsia, first trimester",
                                          "Pre-eclampsia, first  trimester",
                                          "Pre-eclampsia, FIRST TRIMESTER",
                                          "Arthropathy in diseases classified elsewhere",
                                          "Arthropathy in diseases classified elsewhere2",
                                          "\xC5\xBF"
                                          "equela",  // U+017F LONG S: RE2 folds it to s under (?i)
                                          "Sj\xC3\xB6gren, right eye"};
  for (const std::string& pattern : patterns) {
    const auto literal = LiteralRegex::parse(pattern);
    BOOST_REQUIRE(literal);
    for (const std::string& text : texts) {
      BOOST_TEST_INFO(pattern << " on '" << text << "'");
      const auto answer = literal->match(text);
      // A match is certain; no match in non-ASCII text under (?i) is left to RE2.
      const bool ascii = text.find_first_of("\xC3\xC5") == std::string::npos;
      BOOST_TEST(answer.has_value() == (ascii || answer.value_or(false)));
      if (answer) BOOST_TEST(*answer == re2_partial(pattern, text));
    }
  }
}

BOOST_AUTO_TEST_CASE(random_grouped_patterns_answer_as_re2) {
  std::mt19937 random(20261128);
  const auto pick = [&](const std::string& from) { return from[random() % from.size()]; };
  const auto piece = [&] {
    std::string out;
    const int items = static_cast<int>(random() % 3);
    for (int k = 0; k < items; ++k) {
      switch (random() % 5) {
        case 0:
          out += "\\b";
          break;
        case 1:
          out += "[a-b]";
          break;
        default:
          out += pick("aAb _1");
      }
    }
    return out;
  };
  int accepted = 0;
  int matched = 0;
  for (int n = 0; n < 3000; ++n) {
    std::string pattern;
    if (random() % 2 == 0) pattern += "(?i)";
    if (random() % 4 == 0) pattern += '^';
    pattern += piece();
    if (random() % 2 == 0) {
      pattern += random() % 2 == 0 ? "(" : "(?:";
      const int alternatives = 1 + static_cast<int>(random() % 3);
      for (int k = 0; k < alternatives; ++k) {
        if (k > 0) pattern += '|';
        pattern += piece();
      }
      pattern += ')';
      pattern += piece();
    }
    if (random() % 4 == 0) pattern += '$';
    RE2::Options options;
    options.set_log_errors(false);
    if (!RE2(pattern, options).ok()) continue;
    const auto literal = LiteralRegex::parse(pattern);
    if (!literal) continue;
    ++accepted;
    for (int t = 0; t < 10; ++t) {
      std::string text;
      const int length = static_cast<int>(random() % 7);
      for (int k = 0; k < length; ++k) text += pick("aAbB _1-");
      const bool expected = re2_partial(pattern, text);
      BOOST_TEST_INFO(pattern << " on '" << text << "'");
      BOOST_TEST(answer(literal->match(text)) == (expected ? 1 : 0));
      matched += expected ? 1 : 0;
    }
  }
  BOOST_TEST(accepted > 1500);
  BOOST_TEST(matched > 2000);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::rules::expr
