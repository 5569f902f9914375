// The specified_siblings() memo (rules/expr/program.hpp, Context::SiblingsMemo): answers come
// back as they went in, lists handed out stay valid until the memo is emptied between claims,
// and a full memo declines new answers instead of moving the old ones.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "rules/expr/program.hpp"

namespace claimaudit::rules::expr {

BOOST_AUTO_TEST_SUITE(siblings_memo)

BOOST_AUTO_TEST_CASE(answers_round_trip_and_stay_put_until_cleared) {
  Context context;
  auto& memo = context.siblings_memo;
  BOOST_TEST(memo.find(1) == nullptr);
  const auto* first = memo.insert(7, {"M5441", "M5442"});
  BOOST_REQUIRE(first != nullptr);
  const auto* empty = memo.insert(8, {});
  BOOST_REQUIRE(empty != nullptr);
  BOOST_TEST(empty->count == 0U);
  BOOST_TEST(memo.find(7) == first);
  BOOST_TEST(first->count == 2U);
  const Value* values = memo.values.data() + first->first;
  BOOST_TEST(values[0].text() == "M5441");
  BOOST_TEST(values[1].text() == "M5442");
  BOOST_TEST((values[1].kind == ValueKind::kCode));
  // As a list value: what the evaluator returns.
  Value list = Value::list_of(TypeKind::kCode, ListKind::kValueSpan, values);
  list.size = first->count;
  BOOST_TEST(list_size(list) == 2U);
  BOOST_TEST(list_at(list, 1).text() == "M5442");
  // Thousands more answers (colliding slots included) move nothing already handed out.
  for (std::uint64_t key = 100; key < 10'100; ++key) {
    BOOST_REQUIRE(memo.insert(key, {"A000", "B000", "C000"}) != nullptr);
  }
  BOOST_TEST(values[0].text() == "M5441");
  BOOST_TEST(memo.find(7)->first == first->first);
  BOOST_TEST(memo.find(5'000)->count == 3U);
  // Below half full, a new claim keeps the answers; past it, the memo starts empty.
  context.clear_arena();
  BOOST_TEST(memo.find(7) != nullptr);
  for (std::uint64_t key = 20'000; memo.used < Context::SiblingsMemo::kSlots / 2; ++key) {
    BOOST_REQUIRE(memo.insert(key, {"D000"}) != nullptr);
  }
  context.clear_arena();
  BOOST_TEST(memo.find(7) == nullptr);
  BOOST_TEST(memo.used == 0U);
}

BOOST_AUTO_TEST_CASE(a_full_memo_declines_instead_of_growing) {
  Context context;
  auto& memo = context.siblings_memo;
  const std::vector<std::string> many(1000, "S42361D");
  std::uint64_t key = 1;
  while (memo.chars.size() + many.size() <= Context::SiblingsMemo::kCodes) {
    BOOST_REQUIRE(memo.insert(key++, many) != nullptr);
  }
  const Value* data = memo.values.data();
  BOOST_TEST(memo.insert(key, many) == nullptr);
  BOOST_TEST(memo.values.data() == data);
  BOOST_TEST(memo.insert(key + 1, {"M5441"}) != nullptr);  // A small one still fits.
  // A code longer than a normalised ICD-10-CM code is never memoised.
  BOOST_TEST(memo.insert(key + 2, {"M54411234"}) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::rules::expr
