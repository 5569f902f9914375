// free_name() and fit_name(): names in archive/ and quarantine/ that the file system takes
// (NAME_MAX, with room for NAME.reason.json), never cut inside a UTF-8 character, never taking a
// name (or a reason file) another file holds or was promised.
#include "app/file_moves.hpp"

#include <set>

#include <boost/test/unit_test.hpp>

#include "support/temp_dir.hpp"

namespace claimaudit::app {

using claimaudit::testing::TempDir;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(file_moves)

BOOST_AUTO_TEST_CASE(fit_name_cuts_the_stem_at_a_character_boundary) {
  BOOST_TEST(fit_name("short", ".json", 255) == "short.json");
  BOOST_TEST(fit_name("abcdef", ".1.x", 8) == "abcd.1.x");
  // "é" is two bytes: a cut in its middle drops it whole.
  BOOST_TEST(fit_name("ab\xC3\xA9z", ".x", 5) == "ab.x");
  BOOST_TEST(fit_name("ab\xC3\xA9z", ".x", 6) == "ab\xC3\xA9.x");
}

BOOST_AUTO_TEST_CASE(free_name_fits_name_max_and_numbers_collisions) {
  TempDir temp;
  const std::string longest = std::string(250, 'L') + ".json";
  BOOST_TEST(free_name(temp.path(), longest).filename().string() == longest);
  temp.write(longest, "x");
  const std::string second = free_name(temp.path(), longest).filename().string();
  BOOST_TEST(second.size() == kNameMax);
  BOOST_TEST(second.ends_with(".1.json"));

  // In quarantine/: room for ".reason.json", and a reason file alone keeps its name taken.
  const std::string quarantined =
      free_name(temp.path(), longest, FreeNameOptions{true, true, nullptr}).filename().string();
  BOOST_TEST(quarantined.size() + kReasonSuffix.size() == kNameMax);
  temp.write("bad.json.reason.json", "{}");
  BOOST_TEST(free_name(temp.path(), "bad.json", FreeNameOptions{true, true, nullptr}).filename() ==
             "bad.1.json");
  BOOST_TEST(free_name(temp.path(), "bad.json", FreeNameOptions{true, false, nullptr}).filename() ==
             "bad.json");

  // A name promised to another file of the same group is taken too.
  const std::set<fs::path> reserved{temp / "a.837", temp / "a.1.837"};
  BOOST_TEST(free_name(temp.path(), "a.837", FreeNameOptions{false, false, &reserved}).filename() ==
             "a.2.837");
}

BOOST_AUTO_TEST_CASE(a_reason_file_fits_beside_the_longest_quarantined_name) {
  TempDir temp;
  const fs::path file =
      free_name(temp.path(), std::string(250, 'Q') + ".json", FreeNameOptions{true, true, nullptr});
  const fs::path reason = file.string() + std::string(kReasonSuffix);
  BOOST_TEST_REQUIRE(write_reason_file(reason, "q.json", {}).has_value());
  BOOST_TEST(fs::exists(reason));
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(temp.path())) ++entries;
  BOOST_TEST(entries == 1);  // No temporary left behind.
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::app
