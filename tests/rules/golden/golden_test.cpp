// Golden suite of broken rule files (STYLE.md 6): each tests/golden/rules/<name>.yaml is loaded
// alone and its rendered diagnostics (file:line:col: severity CODE: message, the source line
// and a caret) must equal <name>.expected byte for byte. CLAIMAUDIT_UPDATE_GOLDEN=1 rewrites
// the .expected files; review the diff like code.
#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "rules/rules_fixture.hpp"

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(golden_rules)

BOOST_AUTO_TEST_CASE(broken_rule_files_give_their_exact_diagnostics) {
  const fs::path folder = fs::path(CLAIMAUDIT_SOURCE_DIR) / "tests/golden/rules";
  const bool update = std::getenv("CLAIMAUDIT_UPDATE_GOLDEN") != nullptr;
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".yaml") cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  BOOST_TEST(cases.size() >= 20u);
  std::set<std::string> codes;
  for (const fs::path& yaml : cases) {
    claimaudit::testing::TempDir temp;
    const fs::path directory = temp.path() / "golden";
    fs::create_directories(directory);
    fs::copy_file(yaml, directory / yaml.filename());
    const auto result = claimaudit::rules::load_rule_set(
        {directory}, claimaudit::testing::code_set(), claimaudit::testing::edit_lists());
    // Name the file as the repository does, not as the temporary folder does.
    const std::string rendered =
        replace_all(claimaudit::rules::render_diagnostics(result), directory.generic_string() + "/",
                    "tests/golden/rules/");
    BOOST_TEST_CONTEXT(yaml.filename().string()) {
      BOOST_TEST(!result.rule_set);  // Every golden file is broken.
      fs::path expected = yaml;
      expected.replace_extension(".expected");
      if (update) {
        std::ofstream(expected, std::ios::binary) << rendered;
      } else {
        BOOST_TEST(rendered == read(expected));
      }
      for (const auto& diagnostic : result.diagnostics) {
        if (diagnostic.severity == claimaudit::core::Severity::kError)
          codes.insert(diagnostic.code);
      }
    }
  }
  // Distinct mistakes: the suite covers many different error codes, not one twenty times.
  BOOST_TEST(codes.size() >= 15u);
}

BOOST_AUTO_TEST_SUITE_END()
