// claimctl as revenue-cycle staff meet it on the first day: the real claimctl against the real
// claimauditd (tests/status/integration/daemon_harness.hpp) on a database filled the way the
// store records findings (tests/status/fixture.hpp). An empty queue, no daemon, codes printed
// by their code system in the table, show, JSON and CSV, CSV quoting of messages with commas,
// quotes and line breaks, the review trail, a waiver written with the dotted code the table
// shows, and bad command lines (exit 64, one line naming the problem, nothing sent).
#include <time.h>

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "status/fixture.hpp"
#include "status/integration/daemon_harness.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::testing {
namespace {

namespace json = boost::json;

// "claimctl ARGS --socket SOCKET", standard error apart.
CommandOutput claimctl(const DaemonProcess& daemon, const std::string& args) {
  return run_command_split(claimctl_command(daemon, args));
}

// A state directory whose database holds one claim with a diagnosis finding (M62830, diagnosis
// 1), a line finding on HCPCS J1100 (line 1) and one on CPT 97140 (line 2).
struct Queue {
  TempDir dir;
  std::filesystem::path state = dir / "state";
  std::int64_t diagnosis_finding = 0;
  std::int64_t hcpcs_finding = 0;
  std::int64_t cpt_finding = 0;

  explicit Queue(const std::string& message = "M62.830 has no external cause code") {
    std::filesystem::create_directories(state);
    create_database(state / "claimaudit.db");
    Filler fill(state / "claimaudit.db");
    const auto file = fill.file("week.837");
    const auto claim = fill.claim(file, "CLM-7");
    diagnosis_finding = fill.finding(claim, "dx.missing_precipitating_factor", "warning", "M62830",
                                     "enforce", message);
    hcpcs_finding = fill.finding(claim, "line.drug_units", "error", "J1100", "enforce",
                                 "J1100 billed without units");
    cpt_finding = fill.finding(claim, "line.modifier", "info", "97140", "enforce",
                               "97140 without a therapy modifier");
    fill.db().exec("UPDATE findings SET diagnosis_seq = 0, line_seq = 1 WHERE id = " +
                   std::to_string(hcpcs_finding));
    fill.db().exec("UPDATE findings SET diagnosis_seq = 0, line_seq = 2 WHERE id = " +
                   std::to_string(cpt_finding));
  }
};

// The CSV records of `text` (RFC 4180: quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      records.back().push_back(std::move(field));
      field.clear();
      records.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (records.back().empty()) records.pop_back();
  return records;
}

// The value of `column` in every data record.
std::vector<std::string> csv_column(const std::string& text, const std::string& column) {
  const auto records = parse_csv(text);
  std::vector<std::string> out;
  if (records.empty()) return out;
  std::size_t at = 0;
  while (at < records[0].size() && records[0][at] != column) ++at;
  for (std::size_t r = 1; r < records.size(); ++r) out.push_back(records[r].at(at));
  return out;
}

// Today's date in UTC, YYYY-MM-DD.
std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(claimctl_queue)

BOOST_AUTO_TEST_CASE(an_empty_queue_says_so) {
  TempDir dir;
  const DaemonProcess daemon(dir / "state");
  const auto table = claimctl(daemon, "findings");
  BOOST_TEST(table.exit_code == 0);
  BOOST_TEST(table.out == "no findings\n");
  BOOST_TEST(claimctl(daemon, "findings --rule dx.stale_code").out ==
             "no findings match these filters\n");
  const auto csv = claimctl(daemon, "export --csv");
  BOOST_TEST(csv.exit_code == 0);
  BOOST_TEST(csv.out ==
             "id,status,severity,rule_id,code,claim_id,claim_type,payer_kind,service_date,file,"
             "location,message,assignee,mode,waiver_id,created_at,updated_at\r\n");
}

BOOST_AUTO_TEST_CASE(no_daemon_is_exit_69_with_what_to_do) {
  TempDir dir;
  const auto run = run_command_split(kClaimctlBinary.string() + " findings --socket " +
                                     (dir / "missing.sock").string());
  BOOST_TEST(run.exit_code == 69);
  BOOST_TEST(run.out == "");
  BOOST_TEST(run.err.find("claimctl findings: the daemon is not running") == 0u, run.err);
  BOOST_TEST(run.err.find("name another socket with --socket PATH") != std::string::npos);
}

// J1100 is a HCPCS drug code: it was shown as "J11.00" because the table dotted every code
// that starts with a letter. Only diagnosis codes take a dot, in every output.
BOOST_AUTO_TEST_CASE(codes_print_by_code_system_in_every_output) {
  const Queue queue;
  const DaemonProcess daemon(queue.state);
  const auto table = claimctl(daemon, "findings");
  BOOST_TEST(table.exit_code == 0);
  BOOST_TEST(table.out.find(" M62.830 ") != std::string::npos, table.out);
  BOOST_TEST(table.out.find(" J1100 ") != std::string::npos, table.out);
  BOOST_TEST(table.out.find(" 97140 ") != std::string::npos, table.out);
  BOOST_TEST(table.out.find("J11.00") == std::string::npos, table.out);
  BOOST_TEST(table.out.find("971.40") == std::string::npos, table.out);

  const auto csv = claimctl(daemon, "findings --csv");
  BOOST_TEST(csv_column(csv.out, "code") == (std::vector<std::string>{"M62.830", "J1100", "97140"}),
             boost::test_tools::per_element());

  const auto listed = json::parse(claimctl(daemon, "findings --json").out);
  std::vector<std::string> codes;
  for (const auto& f : listed.at("findings").as_array()) {
    codes.emplace_back(f.at("code").as_string());
  }
  BOOST_TEST(codes == (std::vector<std::string>{"M62.830", "J1100", "97140"}),
             boost::test_tools::per_element());

  const auto shown = claimctl(daemon, "show " + std::to_string(queue.hcpcs_finding));
  BOOST_TEST(shown.exit_code == 0);
  BOOST_TEST(shown.out.find("\ncode       J1100  (line 1)\n") != std::string::npos, shown.out);
  BOOST_TEST(shown.out.find(" #" + std::to_string(queue.diagnosis_finding) +
                            " dx.missing_precipitating_factor (open)") != std::string::npos);
  const auto claim = claimctl(daemon, "claim CLM-7");
  BOOST_TEST(claim.out.find("\ndx    M62.830 W18.49XA\n") != std::string::npos, claim.out);
  BOOST_TEST(claim.out.find("J11.00") == std::string::npos, claim.out);
}

BOOST_AUTO_TEST_CASE(csv_quotes_commas_quotes_and_line_breaks_and_the_table_stays_one_line) {
  const std::string message = "M62.830, \"back\" spasm\nsee the note, line 2";
  const Queue queue(message);
  const DaemonProcess daemon(queue.state);
  const auto csv = claimctl(daemon, "export --csv");
  BOOST_TEST(csv.exit_code == 0);
  BOOST_TEST(
      csv.out.find("\"M62.830, \"\"back\"\" spasm\nsee the note, line 2\"") != std::string::npos,
      csv.out);
  BOOST_TEST(csv_column(csv.out, "message").at(0) == message);
  BOOST_TEST(parse_csv(csv.out).size() == 4u);
  const auto table = claimctl(daemon, "findings --rule dx.missing_precipitating_factor");
  BOOST_TEST(
      table.out.find("    M62.830, \"back\" spasm see the note, line 2\n") != std::string::npos,
      table.out);
}

// Regression (session 13): a file name, a claim id and a location are the sender's text, and
// claimctl printed them as they were: a dropped file named with ESC sequences cleared the
// reviewer's screen or recoloured it, a CR rewrote the line. Human output prints control
// characters as escapes (core::log_safe, as the daemon logs them); --json and --csv keep the
// text as it is (JSON escapes it, CSV quotes it).
BOOST_AUTO_TEST_CASE(names_and_claim_ids_with_control_characters_print_escaped) {
  TempDir dir;
  const auto state = dir / "state";
  std::filesystem::create_directories(state);
  create_database(state / "claimaudit.db");
  const std::string name = "week\x1b[2J\r.837";
  const std::string claim_id = "CLM\x1b]0;owned\x07-1";
  std::int64_t finding = 0;
  {
    Filler fill(state / "claimaudit.db");
    const auto file = fill.file(name);
    const auto claim = fill.claim(file, claim_id);
    finding = fill.finding(claim, "dx.invalid_code", "error", "M62839", "enforce",
                           "M62.839 is not an ICD-10-CM code");
  }
  const DaemonProcess daemon(state);
  const auto no_controls = [](const std::string& text) {
    return text.find('\x1b') == std::string::npos && text.find('\r') == std::string::npos &&
           text.find('\x07') == std::string::npos;
  };
  const auto claim = claimctl(daemon, "claim " + shell_quote(claim_id));
  BOOST_TEST(claim.exit_code == 0, claim.err);
  BOOST_TEST(no_controls(claim.out), claim.out);
  BOOST_TEST(claim.out.find("claim CLM\\x1B]0;owned\\x07-1  ") != std::string::npos, claim.out);
  BOOST_TEST(claim.out.find("file  week\\x1B[2J\\r.837 (claim 1 of the file)") != std::string::npos,
             claim.out);
  const auto show = claimctl(daemon, "show " + std::to_string(finding));
  BOOST_TEST(show.exit_code == 0, show.err);
  BOOST_TEST(no_controls(show.out), show.out);
  BOOST_TEST(show.out.find("where      week\\x1B[2J\\r.837: ") != std::string::npos, show.out);
  const auto table = claimctl(daemon, "findings");
  BOOST_TEST(table.exit_code == 0, table.err);
  BOOST_TEST(no_controls(table.out), table.out);
  BOOST_TEST(table.out.find("CLM\\x1B]0;owned\\x07-1") != std::string::npos, table.out);
  // The CSV keeps the text as it is, quoted where it must be.
  const auto csv = claimctl(daemon, "export --csv");
  BOOST_TEST(csv.exit_code == 0, csv.err);
  BOOST_TEST(csv_column(csv.out, "file").at(0) == name);
  BOOST_TEST(csv_column(csv.out, "claim_id").at(0) == claim_id);
  BOOST_TEST(parse_csv(csv.out).size() == 2u);
}

BOOST_AUTO_TEST_CASE(status_changes_leave_a_trail_and_a_dotted_code_waiver_applies) {
  const Queue queue;
  const DaemonProcess daemon(queue.state);
  const std::string id = std::to_string(queue.diagnosis_finding);
  const auto refused = claimctl(daemon, "review " + id + " --status corrected");
  BOOST_TEST(refused.exit_code == 1);
  BOOST_TEST(refused.err == "claimctl review: cannot change a finding from open to corrected\n");
  const auto taken = claimctl(daemon, "review " + id + " --status in_review");
  BOOST_TEST(taken.exit_code == 0);
  BOOST_TEST(taken.out.find("finding " + id + ": open -> in_review by root at ") == 0u, taken.out);
  const auto done =
      claimctl(daemon, "review " + id + " --status corrected --note 'recoded M62.830, resent'");
  BOOST_TEST(done.exit_code == 0);
  const auto trail = claimctl(daemon, "show " + id);
  BOOST_TEST(trail.out.find("\nhistory\n  ") != std::string::npos, trail.out);
  BOOST_TEST(trail.out.find("status     corrected (root)\n") != std::string::npos, trail.out);
  BOOST_TEST(trail.out.find("  root       open -> in_review\n") != std::string::npos, trail.out);
  BOOST_TEST(trail.out.find("  root       in_review -> corrected: recoded M62.830, resent\n") !=
                 std::string::npos,
             trail.out);

  // The table shows M62.830; a waiver written that way covers the finding stored as M62830.
  const Queue other;
  const DaemonProcess second(other.state);
  const auto waived = claimctl(second,
                               "waive dx.missing_precipitating_factor --scope code --value "
                               "M62.830 --owner ana --reason 'payer accepts' --expires 2099-12-31");
  BOOST_TEST(waived.exit_code == 0, waived.err);
  const auto table = claimctl(second, "findings");
  BOOST_TEST(table.out.find("\n" + std::to_string(other.diagnosis_finding) +
                            "   open*   warning  dx.missing_precipitating_factor  M62.830") !=
                 std::string::npos,
             table.out);
  BOOST_TEST(table.out.find("(* = covered by a waiver)\n") != std::string::npos);
  const auto shown = json::parse(claimctl(second, "findings --hide-waived --json").out);
  BOOST_TEST(shown.at("count").as_int64() == 2);
  for (const auto& f : shown.at("findings").as_array()) {
    BOOST_TEST(f.at("id").as_int64() != other.diagnosis_finding);
  }
}

// An ICD-9-CM E code prints dotted after its fourth character (E880.9); a waiver written as
// printed covers the finding stored as E8809 (the dot was kept, so it matched nothing).
BOOST_AUTO_TEST_CASE(an_icd9_e_code_waiver_written_as_printed_applies) {
  TempDir dir;
  const auto state = dir / "state";
  std::filesystem::create_directories(state);
  create_database(state / "claimaudit.db");
  std::int64_t e_code = 0;
  {
    Filler fill(state / "claimaudit.db");
    const auto claim = fill.claim(fill.file("old.837"), "CLM-9");
    e_code = fill.finding(claim, "dx.code_set_qualifier", "warning", "E8809", "enforce",
                          "ICD-9-CM code after 2015-09-30");
  }
  const DaemonProcess daemon(state);
  const auto waived =
      claimctl(daemon,
               "waive dx.code_set_qualifier --scope code --value E880.9 --owner ana --reason "
               "'old claims' --expires 2099-12-31 --json");
  BOOST_TEST(waived.exit_code == 0, waived.err);
  BOOST_TEST(json::parse(waived.out).at("waiver").at("value").as_string() == "E8809", waived.out);
  const auto shown = json::parse(claimctl(daemon, "findings --json").out);
  BOOST_REQUIRE_EQUAL(shown.at("findings").as_array().size(), 1u);
  const auto& finding = shown.at("findings").at(0);
  BOOST_TEST(finding.at("id").as_int64() == e_code);
  BOOST_TEST(finding.at("waiver_id").is_int64(), json::serialize(finding));
}

BOOST_AUTO_TEST_CASE(backtest_does_not_count_the_daemons_duplicate_finding_as_removed) {
  TempDir dir;
  const DaemonProcess daemon(dir / "state");
  daemon.drop("a.837", read_file(source_dir() / "tests/data/derived/p_m62839_invalid.837"));
  daemon.wait_findings(1);
  daemon.drop("b.json", read_file(source_dir() / "examples/back-spasm.json"));
  const auto recorded = daemon.wait_findings(2);
  BOOST_TEST(recorded.at("findings").at(1).at("rule_id").as_string() == "claim.duplicate");
  // The claim as the daemon stored it (codes normalised), printed dotted, counted from 1.
  const auto claim = claimctl(daemon, "claim 1606");
  BOOST_TEST(
      claim.out.find("\nfile  a.837 (claim 1 of the file)\ndx    M62.839\n") != std::string::npos,
      claim.out);
  BOOST_TEST(claim.out.find("\nfile  b.json (claim 1 of the file)\ndx    M62.830 X50.0XXA\n") !=
                 std::string::npos,
             claim.out);
  const auto run = claimctl(daemon, "rules backtest " + (source_dir() / "rules/default").string() +
                                        " --state-dir " + daemon.state().string() + " --json");
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const auto body = json::parse(run.out);
  BOOST_TEST(body.at("totals").at("removed").as_int64() == 0);
  BOOST_TEST(body.at("totals").at("unchanged").as_int64() == 1);
  BOOST_TEST(body.at("totals").at("recorded").as_int64() == 1);
}

// The README's "Try it": both example files dropped, the queue and the JSON claim print exactly
// what its "What you should see" block says. The two examples shared claim number 1606, so the
// second was flagged claim.duplicate on the first day.
BOOST_AUTO_TEST_CASE(the_readme_quick_start_prints_what_the_readme_says) {
  const std::string readme = read_file(source_dir() / "README.md");
  const auto heading = readme.find("What you should see");
  BOOST_REQUIRE(heading != std::string::npos);
  const auto start = readme.find("```\n", heading) + 4;
  const std::string expected = readme.substr(start, readme.find("```", start) - start);
  TempDir dir;
  const DaemonProcess daemon(dir / "state");
  daemon.drop("a.837", read_file(source_dir() / "tests/data/derived/p_m62839_invalid.837"));
  daemon.drop("b.json", read_file(source_dir() / "docs/examples/back-spasm.json"));
  daemon.wait_findings(1);
  const auto queue = claimctl(daemon, "findings");
  const auto claim = claimctl(daemon, "claim SPASM-EX-1");
  BOOST_TEST(queue.exit_code == 0);
  BOOST_TEST(claim.exit_code == 0);
  // The block ends with the sqlite3 line, which this test does not run.
  BOOST_TEST(expected.substr(0, expected.rfind("dx.invalid_code|")) == queue.out + claim.out);
}

BOOST_AUTO_TEST_CASE(bad_command_lines_exit_64_and_name_the_problem) {
  const Queue queue;
  const DaemonProcess daemon(queue.state);
  struct Row {
    std::string args;
    std::string err;  // The first line of standard error.
  };
  const std::vector<Row> rows{
      {"findings --bogus", "claimctl findings: unexpected argument '--bogus'"},
      {"findings --json --csv", "claimctl findings: --json and --csv cannot be used together"},
      {"findings --status opne", "claimctl findings: unknown status 'opne'"},
      {"findings --from 2024-09-01 --to 2024-01-01",
       "claimctl findings: --from 2024-09-01 is after --to 2024-01-01"},
      {"review --rule line.modifier --status in_review < /dev/null",
       "claimctl review: a change from a filter needs --yes when there is no terminal to "
       "confirm at"},
      {"show abc",
       "claimctl show: 'abc' is not a finding id (the number in the ID column of claimctl "
       "findings)"},
      {"review 1x --status in_review",
       "claimctl review: '1x' is not a finding id (the number in the ID column of claimctl "
       "findings)"},
      {"reload --bogus", "claimctl reload: unknown option '--bogus' (see claimctl reload --help)"},
      {"metrics now", "claimctl metrics: unexpected argument 'now' (see claimctl metrics --help)"},
      {"waivers --all", "claimctl waivers: unknown option '--all' (see claimctl waivers --help)"},
      {"rules list --bogus",
       "claimctl rules list: unknown option '--bogus' (see claimctl rules list --help)"},
      {"report rules extra",
       "claimctl report rules: unexpected argument 'extra' (see claimctl report rules --help)"},
      {"waive dx.stale_code --scope code --value M54.5 --reason r --expires 2099-01-01",
       "claimctl waive: --owner is required"},
      {"waive dx.stale_code --scope planet --value M54.5 --owner o --reason r --expires "
       "2099-01-01",
       "claimctl waive: --scope must be payer_kind, billing_provider, code or claim, not 'planet'"},
      {"waive dx.stale_code --scope code --value M54.5 --owner o --reason r --expires soon",
       "claimctl waive: --expires must be a date YYYY-MM-DD, not 'soon'"},
      {"waive dx.stale_code --scope code --value M54.5 --owner o --reason r --expires 2020-12-31",
       "claimctl waive: --expires 2020-12-31 is in the past (today is " + today_utc() + " UTC)"},
  };
  for (const auto& row : rows) {
    const auto run = claimctl(daemon, row.args);
    BOOST_TEST(run.exit_code == 64, row.args);
    BOOST_TEST(run.err.substr(0, run.err.find('\n')) == row.err, row.args);
    BOOST_TEST(run.out == "", row.args);
  }
  // Regression (session 12): a --socket without its path was "unknown option '--socket'"
  // (status) or "unexpected argument '--socket'" (findings), which hid the mistake.
  for (const std::string command : {"status", "findings"}) {
    const auto run =
        run_command_split(kClaimctlBinary.string() + " " + command + " --status open --socket");
    BOOST_TEST(run.exit_code == 64, command);
    BOOST_TEST(
        run.err == "claimctl " + command + ": --socket needs a value (the daemon's socket path)\n",
        command);
  }
  // Nothing reached the daemon: no reload, no waiver.
  BOOST_TEST(claimctl(daemon, "waivers").out.find("dx.stale_code") == std::string::npos);
  BOOST_TEST(claimctl(daemon, "metrics").out.find("\nclaimaudit_rule_reloads_total 0\n") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
