#include "core/sha256.hpp"

#include <string>

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

// Block boundaries on both sides: a prefix that ends inside, at and past a 64-byte block, and
// rests that finish in the same block or spill into the next one (padding included).
BOOST_AUTO_TEST_CASE(prefixed_equals_one_shot) {
  for (const std::size_t prefix_size : {0, 1, 55, 56, 63, 64, 65, 112, 128, 200}) {
    const std::string prefix(prefix_size, 'p');
    const core::Sha256Prefixed hasher(prefix);
    for (const std::size_t rest_size : {0, 1, 8, 30, 64, 100}) {
      const std::string rest(rest_size, 'r');
      BOOST_TEST(core::to_hex(hasher.digest(rest)) == core::sha256_hex(prefix + rest),
                 "prefix " << prefix_size << ", rest " << rest_size);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
