#include "core/json_text.hpp"

#include <string>

#include <boost/test/unit_test.hpp>

namespace core = claimaudit::core;

BOOST_AUTO_TEST_SUITE(json_text)

BOOST_AUTO_TEST_CASE(plain_text_is_quoted_unchanged) {
  BOOST_TEST(core::json_string("") == "\"\"");
  BOOST_TEST(core::json_string("M62.830 (Muscle spasm of back)") ==
             "\"M62.830 (Muscle spasm of back)\"");
  BOOST_TEST(core::json_string("caf\xc3\xa9") == "\"caf\xc3\xa9\"");  // UTF-8 passes through.
}

BOOST_AUTO_TEST_CASE(every_escape_at_start_middle_and_end) {
  BOOST_TEST(core::json_string("\"a\\b\"") == R"("\"a\\b\"")");
  BOOST_TEST(core::json_string("x\ny\rz\t") == R"("x\ny\rz\t")");
  BOOST_TEST(core::json_string(std::string("\x01"
                                           "a"
                                           "\x1f",
                                           3)) == R"("\u0001a\u001f")");
  BOOST_TEST(core::json_string(std::string("\0", 1)) == R"("\u0000")");
}

BOOST_AUTO_TEST_CASE(appends_after_existing_text) {
  std::string out = "{\"k\":";
  core::append_json_string(out, "v\"w");
  BOOST_TEST(out == R"({"k":"v\"w")");
}

BOOST_AUTO_TEST_SUITE_END()
