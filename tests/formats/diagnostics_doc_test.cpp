// Every diagnostic code the JSON, FHIR and detection code can emit is listed in
// docs/diagnostics.md (STYLE.md 4: codes are stable and documented).
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include <boost/test/unit_test.hpp>

#include "support/temp_dir.hpp"

namespace claimaudit::testing {

BOOST_AUTO_TEST_SUITE(diagnostics_doc)

BOOST_AUTO_TEST_CASE(every_json_fhir_and_format_code_is_documented) {
  const std::string doc = read_file(source_dir() / "docs/diagnostics.md");
  const std::regex code_literal("\"([EWN]-(JSON|FHIR|FORMAT|FILE)-[A-Z0-9-]+)\"");
  std::set<std::string> codes;
  for (const char* folder :
       {"daemon/formats/json", "daemon/formats/fhir", "daemon/formats/detail"}) {
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() / folder)) {
      const std::string text = read_file(entry.path());
      for (auto it = std::sregex_iterator(text.begin(), text.end(), code_literal);
           it != std::sregex_iterator(); ++it) {
        codes.insert((*it)[1]);
      }
    }
  }
  for (const char* file : {"daemon/formats/reader.cpp", "tools/claimctl/cmd_check.cpp"}) {
    const std::string text = read_file(source_dir() / file);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), code_literal);
         it != std::sregex_iterator(); ++it) {
      codes.insert((*it)[1]);
    }
  }
  BOOST_TEST(codes.size() >= 20u);
  for (const std::string& code : codes) {
    BOOST_TEST(doc.find("`" + code + "`") != std::string::npos,
               code << " is not in docs/diagnostics.md");
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
