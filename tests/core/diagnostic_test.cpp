#include "core/diagnostic.hpp"

#include <boost/test/unit_test.hpp>

namespace core = claimaudit::core;

BOOST_AUTO_TEST_SUITE(diagnostic)

BOOST_AUTO_TEST_CASE(renders_x12_location_without_line) {
  const core::Diagnostic d{
      core::Severity::kError,
      "E-X12-COMPOSITE",
      {"inbox/batch-0412.837", 0, 0, "ST 0001, segment 57 HI, HI01-2 (loop 2300)"},
      "qualifier without a code"};
  BOOST_TEST(core::render(d) ==
             "inbox/batch-0412.837: ST 0001, segment 57 HI, HI01-2 (loop 2300): error "
             "E-X12-COMPOSITE: qualifier without a code");
}

BOOST_AUTO_TEST_CASE(renders_rule_error_with_caret) {
  const std::string source =
      "rules:\n  - id: x\n    when: any(claim.dx, d, d.code == \"M62.830\")\n";
  const core::Diagnostic d{core::Severity::kError,
                           "E-RULE-UNKNOWN-FIELD",
                           {"rules/default/stale_codes.yaml", 3, 15, ""},
                           "unknown field 'claim.dx' (did you mean 'claim.diagnoses'?)"};
  BOOST_TEST(core::render_with_source(d, source, 8) ==
             "rules/default/stale_codes.yaml:3:15: error E-RULE-UNKNOWN-FIELD: unknown field "
             "'claim.dx' (did you mean 'claim.diagnoses'?)\n"
             "    3 |     when: any(claim.dx, d, d.code == \"M62.830\")\n"
             "      |               ^~~~~~~~");
}

BOOST_AUTO_TEST_CASE(has_errors_ignores_warnings) {
  std::vector<core::Diagnostic> list{{core::Severity::kWarning, "W-X", {}, "w"}};
  BOOST_TEST(!core::has_errors(list));
  list.push_back({core::Severity::kError, "E-X", {}, "e"});
  BOOST_TEST(core::has_errors(list));
}

BOOST_AUTO_TEST_SUITE_END()
