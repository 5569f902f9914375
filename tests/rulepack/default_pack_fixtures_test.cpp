// Acceptance (issue 5, line 3): the real `claimctl check --json` with the shipped pack
// (rules/default) on derived 837P/837I claims gives exactly the expected findings, by rule id,
// diagnosis and severity, and no other finding. The claims are the shipped sample shapes with
// ICD-10 back-spasm diagnoses swapped into HI and the dates moved
// (tests/data/derived/README.md documents each file's derivation).
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::testing {
namespace {

// rule id, dotted code, diagnosis position, severity.
using Expected = std::tuple<std::string, std::string, int, std::string>;

struct CheckRun {
  int exit_status = -1;
  std::vector<Expected> findings;
  std::vector<std::string> errors;  // Rejections and error diagnostics of the file.
  int claims = 0;
};

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

std::filesystem::path fixture_path(const std::string& fixture) {
  return source_dir() / "tests" / "data" / "derived" / fixture;
}

CheckRun run_check(const std::filesystem::path& file) {
  BOOST_REQUIRE_MESSAGE(std::filesystem::exists(file), file.string());
  const std::string command = quoted(CLAIMAUDIT_CLAIMCTL) + " check --json --fail-on never " +
                              quoted(file) + " --rules " +
                              quoted(source_dir() / "rules" / "default") + " 2>&1";
  const CommandOutput output = run_command(command);
  CheckRun run;
  run.exit_status = output.exit_code;
  std::istringstream lines(output.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    const boost::json::value record = boost::json::parse(line, ec);
    BOOST_REQUIRE_MESSAGE(!ec && record.is_object(), "not an NDJSON record: " << line);
    const auto& object = record.as_object();
    if (object.contains("error")) {
      run.errors.push_back(boost::json::serialize(object.at("error")));
      continue;
    }
    if (!object.contains("claim")) continue;
    ++run.claims;
    for (const auto& diagnostic : object.at("diagnostics").as_array()) {
      if (diagnostic.at("severity").as_string() == "error") {
        run.errors.push_back(boost::json::serialize(diagnostic));
      }
    }
    for (const auto& finding : object.at("findings").as_array()) {
      const auto& f = finding.as_object();
      const std::string code =
          f.at("code").is_string() ? std::string(f.at("code").as_string()) : "";
      run.findings.emplace_back(std::string(f.at("rule_id").as_string()), code,
                                static_cast<int>(f.at("diagnosis_seq").to_number<std::int64_t>()),
                                std::string(f.at("severity").as_string()));
    }
  }
  std::sort(run.findings.begin(), run.findings.end());
  return run;
}

void expect_findings(const std::string& fixture, std::vector<Expected> expected) {
  const CheckRun run = run_check(fixture_path(fixture));
  BOOST_TEST_CONTEXT(fixture) {
    BOOST_TEST(run.exit_status == 0);
    BOOST_TEST(run.claims == 1);
    BOOST_TEST(run.errors.empty(), "errors: " << (run.errors.empty() ? "" : run.errors.front()));
    std::sort(expected.begin(), expected.end());
    BOOST_TEST(run.findings.size() == expected.size());
    for (std::size_t i = 0; i < std::min(run.findings.size(), expected.size()); ++i) {
      const auto& [rule, code, seq, severity] = run.findings[i];
      const auto& [want_rule, want_code, want_seq, want_severity] = expected[i];
      BOOST_TEST(rule == want_rule);
      BOOST_TEST(code == want_code);
      BOOST_TEST(seq == want_seq);
      BOOST_TEST(severity == want_severity);
    }
    for (const auto& [rule, code, seq, severity] : run.findings) {
      BOOST_TEST_MESSAGE(fixture << ": " << rule << " " << code << " #" << seq << " " << severity);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(default_pack_fixtures)

BOOST_AUTO_TEST_CASE(m62830_alone_lacks_a_precipitating_factor) {
  expect_findings("p_m62830_alone.837",
                  {{"dx.missing_precipitating_factor", "M62.830", 1, "info"}});
}

BOOST_AUTO_TEST_CASE(m62830_with_w1849xa_is_clean) { expect_findings("p_m62830_w1849xa.837", {}); }

BOOST_AUTO_TEST_CASE(workers_comp_and_clm11_em_escalate_to_warning) {
  expect_findings("p_m62830_wc_em.837",
                  {{"dx.missing_precipitating_factor", "M62.830", 1, "warning"}});
}

BOOST_AUTO_TEST_CASE(m62831_is_a_valid_calf_code) {
  // No dx.invalid_code: M62.831 is muscle spasm of calf. It is a spasm trigger like M62.830.
  expect_findings("p_m62831_calf.837", {{"dx.missing_precipitating_factor", "M62.831", 1, "info"}});
}

BOOST_AUTO_TEST_CASE(m62839_never_existed) {
  expect_findings("p_m62839_invalid.837", {{"dx.invalid_code", "M62.839", 1, "error"}});
}

BOOST_AUTO_TEST_CASE(m545_on_2021_09_30_is_billable) { expect_findings("p_m545_20210930.837", {}); }

BOOST_AUTO_TEST_CASE(m545_on_2021_10_01_is_stale) {
  expect_findings("p_m545_20211001.837", {{"dx.stale_code", "M54.5", 1, "error"}});
}

BOOST_AUTO_TEST_CASE(m6283_is_a_header) {
  expect_findings("p_m6283_header.837", {{"dx.header_code", "M62.83", 1, "error"}});
}

BOOST_AUTO_TEST_CASE(x500xxa_before_fy2017_is_not_yet_valid) {
  expect_findings("p_x500xxa_20160930.837", {{"dx.stale_code", "X50.0XXA", 2, "error"}});
}

BOOST_AUTO_TEST_CASE(inpatient_837i_without_poa) {
  expect_findings("i_m62830_no_poa.837",
                  {{"dx.poa_indicator", "M62.830", 1, "warning"},
                   {"dx.missing_precipitating_factor", "M62.830", 1, "info"}});
}

BOOST_AUTO_TEST_CASE(the_uhin_sample_is_a_clean_claim) {
  // R69 is type-unspecified: dx.unspecified_site must not fire (DOMAIN.md 9.1).
  const auto sample = shared_dir() / "samples" / "x12" / "uhin-x12-parser-library" / "837.edi";
  if (!std::filesystem::exists(sample)) {
    BOOST_TEST_MESSAGE("skipped: " << sample << " missing");
    return;
  }
  const CheckRun run = run_check(sample);
  BOOST_TEST(run.exit_status == 0);
  BOOST_TEST(run.claims == 1);
  BOOST_TEST(run.findings.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
