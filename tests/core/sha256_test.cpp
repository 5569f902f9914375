#include "core/sha256.hpp"

#include <boost/test/unit_test.hpp>

namespace core = claimaudit::core;

BOOST_AUTO_TEST_SUITE(sha256)

BOOST_AUTO_TEST_CASE(matches_known_vectors) {
  BOOST_TEST(core::sha256_hex("") ==
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(core::sha256_hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(incremental_equals_one_shot) {
  core::Sha256 hasher;
  hasher.update("a");
  hasher.update("bc");
  BOOST_TEST(core::to_hex(hasher.finish()) == core::sha256_hex("abc"));
}

BOOST_AUTO_TEST_SUITE_END()
