// Code patterns and pair lists (rules/expr/code_matcher.hpp): a pair list finds its candidate
// pairs by the first code's prefixes; the answer must be the plain "any pair matches both".
#include "rules/expr/code_matcher.hpp"

#include <random>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace claimaudit::rules::expr {
namespace {

CodePattern pattern(const char* text) {
  std::string error;
  const auto parsed = parse_code_pattern(text, &error);
  BOOST_REQUIRE_MESSAGE(parsed, text << ": " << error);
  return *parsed;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(code_matcher)

BOOST_AUTO_TEST_CASE(pair_list_matches_exact_prefix_and_range_firsts) {
  PairList pairs;
  pairs.add(pattern("M40*"), pattern("Q76.4*"));
  pairs.add(pattern("M40*"), pattern("M41*"));
  pairs.add(pattern("M40.0*"), pattern("M42*"));
  pairs.add(pattern("M54.50"), pattern("M54.16"));
  pairs.add(pattern("S33-S34"), pattern("M62.830"));
  BOOST_TEST(pairs.matches("M4000", "Q764"));       // M40* (two pairs share the first)
  BOOST_TEST(pairs.matches("M4000", "M4112"));      // the second pair of M40*
  BOOST_TEST(pairs.matches("M4000", "M4200"));      // M40.0*
  BOOST_TEST(!pairs.matches("M4010", "M4200"));     // M40.1 is not under M40.0*
  BOOST_TEST(pairs.matches("M5450", "M5416"));      // exact first
  BOOST_TEST(!pairs.matches("M54500", "M5416"));    // exact means exact
  BOOST_TEST(pairs.matches("S335XXA", "M62830"));   // range first
  BOOST_TEST(!pairs.matches("M62830", "S335XXA"));  // not reciprocal
  BOOST_TEST(!pairs.matches("", "M4112"));
}

BOOST_AUTO_TEST_CASE(pair_list_answers_as_a_linear_scan_would) {
  // Random pairs over a small alphabet (many shared prefixes), random codes: the indexed
  // lookup must agree with trying every pair.
  std::mt19937 random(20261127);
  const std::string alphabet = "AB01";
  const auto code = [&](std::size_t length) {
    std::string out;
    for (std::size_t i = 0; i < length; ++i) out += alphabet[random() % alphabet.size()];
    return out;
  };
  PairList pairs;
  std::vector<std::pair<CodePattern, CodePattern>> all;
  for (int i = 0; i < 60; ++i) {
    CodePattern first;
    const int kind = static_cast<int>(random() % 3);
    first.kind = kind == 0   ? CodePattern::Kind::kExact
                 : kind == 1 ? CodePattern::Kind::kPrefix
                             : CodePattern::Kind::kRange;
    first.first = code(1 + random() % 3);
    if (first.kind == CodePattern::Kind::kRange) first.last = first.first + "B";
    CodePattern second;
    second.kind = CodePattern::Kind::kPrefix;
    second.first = code(1 + random() % 2);
    pairs.add(first, second);
    all.emplace_back(first, second);
  }
  int matched = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::string a = code(1 + random() % 4);
    const std::string b = code(1 + random() % 3);
    bool expected = false;
    for (const auto& [first, second] : all) {
      expected = expected || (first.matches(a) && second.matches(b));
    }
    BOOST_TEST_INFO(a << " " << b);
    BOOST_TEST(pairs.matches(a, b) == expected);
    matched += expected ? 1 : 0;
  }
  BOOST_TEST(matched > 500);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::rules::expr
