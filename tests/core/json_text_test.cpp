#include "core/json_text.hpp"

#include <cstdio>
#include <random>
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

// append_json_string checks eight bytes at a time: every byte value at every offset of texts
// longer and shorter than a word must give what escaping one character at a time gives.
BOOST_AUTO_TEST_CASE(word_at_a_time_scan_equals_byte_at_a_time) {
  const auto reference = [](const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"') {
        out += "\\\"";
      } else if (c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (byte < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(byte));
        out += escaped;
      } else {
        out += c;
      }
    }
    return out + "\"";
  };
  for (int value = 0; value < 256; ++value) {
    for (std::size_t size = 1; size <= 19; ++size) {
      for (std::size_t at = 0; at < size; ++at) {
        std::string text(size, 'a');
        text[at] = static_cast<char>(value);
        BOOST_TEST_REQUIRE(core::json_string(text) == reference(text),
                           "byte " << value << " at " << at << " of " << size);
      }
    }
  }
  std::mt19937 random(20261127);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(0, 70);
  for (int i = 0; i < 20000; ++i) {
    std::string text(length(random), '\0');
    for (char& c : text)
      c = static_cast<char>(byte(random) % 3 == 0 ? byte(random) : 'a' + byte(random) % 26);
    BOOST_TEST_REQUIRE(core::json_string(text) == reference(text));
  }
}

BOOST_AUTO_TEST_SUITE_END()
