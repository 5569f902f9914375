// `claimctl code` end to end: the real binary, finding the build tree's table by itself.
#include <string>

#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"

using claimaudit::testing::CommandOutput;
using claimaudit::testing::run_command_split;

namespace {

// Runs `claimctl code <args>`; standard output and standard error apart.
CommandOutput claimctl(const std::string& args) {
  return run_command_split(std::string(CLAIMCTL) + " code " + args);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(claimctl_code)

BOOST_AUTO_TEST_CASE(text_history_of_m54_5) {
  const auto run = claimctl("M54.5 --on 2024-03-01");
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.err == "");
  const std::string expected =
      "M54.5  Low back pain\n"
      "on 2024-03-01, edition fy2024 (fy2024/icd10cm-order-2024.txt.gz):\n"
      "  header (not billable): billable until 2021-09-30, expanded into more specific codes on "
      "2021-10-01\n"
      "  replaced by: M54.50, M54.51, M54.59\n"
      "history:\n"
      "  2015-10-01..2021-09-30  billable  fy2016..fy2021                            Low back "
      "pain  [fy2016/icd10cm_order_2016.txt.gz]\n"
      "      replaced from 2021-10-01 by M54.50, M54.51, M54.59\n"
      "  2021-10-01..2027-09-30  header    fy2022..fy2027-derived-makevision         Low back "
      "pain  [fy2022/icd10cm-order-2022.txt.gz]\n";
  BOOST_TEST(run.out.substr(0, expected.size()) == expected);
  BOOST_TEST(run.out.find("\nsources (") != std::string::npos);
  BOOST_TEST(run.out.find("\n  fy2021/icd10cm_order_2021.txt.gz\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_for_an_unknown_code) {
  const auto run = claimctl("M62.839 --on 2024-01-01 --json");
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(
      run.out ==
      "{\"code\":\"M62.839\",\"normalized\":\"M62839\",\"date\":\"2024-01-01\","
      "\"date_is_today\":false,\"status\":\"unknown\",\"explanation\":\"unknown: in no "
      "ICD-10-CM edition from FY2016 to FY2027\",\"title\":\"\",\"edition\":\"fy2024\","
      "\"edition_source\":\"fy2024/icd10cm-order-2024.txt.gz\",\"first_valid\":null,"
      "\"last_valid\":null,\"expanded_on\":null,\"replacements\":[],\"children\":[],"
      "\"parent\":\"M62.83\",\"history\":[],\"sources\":[\"fy2024/icd10cm-order-2024.txt.gz\"]}\n");
}

BOOST_AUTO_TEST_CASE(json_status_values) {
  struct Row {
    const char* args;
    const char* status;
  };
  const Row rows[] = {
      {"M62.830 --on 2024-01-01", "billable"},      {"M62.83 --on 2024-01-01", "header"},
      {"U07.1 --on 2020-03-31", "not_yet_valid"},   {"T81.4XXA --on 2019-01-01", "deleted"},
      {"M62839 --on 2019-01-01", "unknown"},        {"M62830 --on 2014-08-16", "before_icd10"},
      {"M62830 --on=2027-10-01", "after_coverage"},
  };
  for (const auto& row : rows) {
    const auto run = claimctl(std::string(row.args) + " --json");
    BOOST_TEST(run.exit_code == 0, row.args);
    BOOST_TEST(run.out.find(std::string("\"status\":\"") + row.status + "\"") != std::string::npos,
               row.args << ": " << run.out);
  }
  const auto deleted = claimctl("T81.4XXA --on 2019-01-01 --json");
  BOOST_TEST(deleted.out.find("\"replacements\":[\"T81.40XA\",\"T81.41XA\",\"T81.42XA\","
                              "\"T81.43XA\",\"T81.44XA\",\"T81.49XA\"]") != std::string::npos);
  BOOST_TEST(deleted.out.find("\"last_valid\":\"2018-09-30\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(accepts_the_usual_spellings) {
  for (const char* spelling : {"M62.830", "m62830", "' M62.830 '"}) {
    const auto run = claimctl(std::string(spelling) + " --on 2024-01-01 --json");
    BOOST_TEST(run.exit_code == 0, spelling);
    BOOST_TEST(run.out.starts_with("{\"code\":\"M62.830\",\"normalized\":\"M62830\""), spelling);
  }
}

BOOST_AUTO_TEST_CASE(without_a_date_it_answers_for_today_and_says_so) {
  const auto run = claimctl("M62.830");
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.out.find(" (today; use --on DATE for another)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rejects_garbage_with_exit_64) {
  const auto bad = claimctl("'M62-830'");
  BOOST_TEST(bad.exit_code == 64);
  BOOST_TEST(bad.out == "");
  BOOST_TEST(bad.err ==
             "claimctl code: 'M62-830' is not an ICD-10-CM code: expected 3 to 7 letters or "
             "digits, with an optional dot after the third (M62.830, m62830)\n");
  BOOST_TEST(claimctl("M62.830 --on 2024-02-30").exit_code == 64);
  BOOST_TEST(claimctl("M62.830 --on").exit_code == 64);
  BOOST_TEST(claimctl("").exit_code == 64);
  BOOST_TEST(claimctl("M62.830 M54.5").exit_code == 64);
  BOOST_TEST(claimctl("M62.830 --frobnicate").exit_code == 64);
}

BOOST_AUTO_TEST_CASE(missing_table_is_a_configuration_error) {
  const auto run = claimctl("M62.830 --on 2024-01-01");
  BOOST_TEST(run.exit_code == 0);
  ::setenv("CLAIMAUDIT_CODESET", "/nonexistent/codeset.bin", 1);
  const auto missing = claimctl("M62.830 --on 2024-01-01");
  ::unsetenv("CLAIMAUDIT_CODESET");
  BOOST_TEST(missing.exit_code == 78);
  BOOST_TEST(missing.err ==
             "claimctl code: cannot load the code set: /nonexistent/codeset.bin: cannot open "
             "code-set table: No such file or directory\n");
}

BOOST_AUTO_TEST_SUITE_END()
