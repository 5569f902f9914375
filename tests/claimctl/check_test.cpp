// Tests for `claimctl check` (tools/claimctl/cmd_check.cpp), run as the real binary: exit
// codes, the human line, PHI only with --show-phi, several files, standard input. The NDJSON
// output is pinned by tests/golden/check/.
#include <string>

#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::testing {
namespace {

using Run = CommandOutput;

// Runs `claimctl <arguments>` through the shell in `directory`; stderr is discarded.
Run claimctl(const std::string& arguments, const std::string& directory = ".") {
  return run_command("cd " + shell_quote(directory) + " && '" CLAIMCTL_BINARY "' " + arguments +
                     " 2>/dev/null");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(check)

BOOST_AUTO_TEST_CASE(bad_command_lines_exit_64) {
  BOOST_TEST(claimctl("check").exit_code == 64);
  BOOST_TEST(claimctl("check --frobnicate x.json").exit_code == 64);
  BOOST_TEST(claimctl("check --fail-on fatal x.json").exit_code == 64);
  BOOST_TEST(claimctl("check --fail-on").exit_code == 64);
  const Run help = claimctl("check --help");
  BOOST_TEST(help.exit_code == 0);
  BOOST_TEST(help.out.rfind("usage: claimctl check", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(prints_one_line_per_claim) {
  const Run run = claimctl("check examples/back-spasm.json", source_dir().string());
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.out ==
             "examples/back-spasm.json: claim 1606: professional, payer commercial, dx M62.830 "
             "X50.0XXA, dos 2024-08-15, 0 diagnostics\n");
}

// Regression (session 13): `claimctl check quarantine/*` printed the senders' file names and
// claim ids as they were: ESC sequences reached the terminal, a CR rewrote the line. The human
// lines escape control characters (as the daemon logs them); --json stays JSON.
BOOST_AUTO_TEST_CASE(names_and_claim_ids_print_with_control_characters_escaped) {
  TempDir dir;
  std::string claim = read_file(source_dir() / "docs/examples/back-spasm.json");
  const auto at = claim.find("SPASM-EX-1");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  claim.replace(at, 10, "C\\u001b]0;x\\u0007-1");
  const std::string name = "evil\x1b[2J\r.json";
  dir.write(name, claim);
  const Run run = claimctl("check " + shell_quote(name), dir.path().string());
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.out.find('\x1b') == std::string::npos, run.out);
  BOOST_TEST(run.out.find('\r') == std::string::npos, run.out);
  BOOST_TEST(run.out.rfind("evil\\x1B[2J\\r.json: claim C\\x1B]0;x\\x07-1: professional", 0) == 0u,
             run.out);
  const Run json = claimctl("check --json " + shell_quote(name), dir.path().string());
  BOOST_TEST(json.out.find("\"claim_id\":\"C\\u001b]0;x\\u0007-1\"") != std::string::npos,
             json.out);
}

BOOST_AUTO_TEST_CASE(lists_diagnostics_under_their_claim) {
  const Run run = claimctl(
      "check samples/fhir/davinci-pas-test-kit/missing_referenced_resource_request_bundle.json",
      shared_dir().string());
  // The shipped rules find no date of service (an error finding: exit 1) and say how many rules
  // could not run because of it.
  BOOST_TEST(run.exit_code == 1);
  BOOST_TEST(run.out ==
             "samples/fhir/davinci-pas-test-kit/missing_referenced_resource_request_bundle.json: "
             "claim 111099: professional preauthorization, payer unknown, dx G89.4, no date of "
             "service, 1 diagnostic, 1 finding\n"
             "  samples/fhir/davinci-pas-test-kit/missing_referenced_resource_request_bundle.json:"
             "111:28: /entry/0/resource/careTeam/0/provider/reference: warning "
             "W-FHIR-DANGLING-REF: a Practitioner reference resolves to no resource in this "
             "Bundle\n"
             "  error claim.no_service_date: Claim 111099 has no date of service (no line date "
             "and no statement period); date-based rules were not evaluated\n"
             "  14 rules not evaluated\n");
}

// A batch's warning about a Bundle entry or batch claim that is not audited (a cancelled Claim,
// a claimaudit JSON claim rejected for an error) prints on its own line, not under each claim
// that was audited: it was listed under FHIR-INST-001 as one of its own diagnostics (and in its
// NDJSON "diagnostics"). Warnings about the whole file stay under every claim.
BOOST_AUTO_TEST_CASE(notes_about_an_unaudited_entry_are_not_another_claims) {
  const std::string fhir = "tests/formats/data/fhir/bundle-active-and-cancelled.json";
  const Run text = claimctl("check " + fhir, source_dir().string());
  BOOST_TEST(text.exit_code == 0);
  const std::string first = fhir +
                            ":393:15: /entry/1/resource/status: warning W-FHIR-NOT-AUDITED: "
                            "Claim.status is \"cancelled\": the claim is not audited\n" +
                            fhir + ": claim FHIR-INST-001: institutional, payer medicare, dx ";
  BOOST_TEST(text.out.substr(0, first.size()) == first);
  BOOST_TEST(text.out.find("NOT-AUDITED", first.size()) == std::string::npos);
  BOOST_TEST(text.out.find("5 diagnostics") != std::string::npos);
  const Run json = claimctl("check --json " + fhir, source_dir().string());
  BOOST_TEST(json.out.rfind("{\"file\":\"" + fhir +
                                "\",\"diagnostic\":{\"severity\":\"warning\",\"code\":"
                                "\"W-FHIR-NOT-AUDITED\",\"where\":\"/entry/1/resource/status\"",
                            0) == 0u);
  BOOST_TEST(json.out.find("NOT-AUDITED", json.out.find('\n')) == std::string::npos);

  const std::string batch = "tests/formats/data/json/integral-doubles.json";
  const Run claims = claimctl("check " + batch, source_dir().string());
  BOOST_TEST(claims.exit_code == 0);
  BOOST_TEST(claims.out ==
             batch +
                 ":26:29: /claims/1/diagnoses/0/seq: error E-JSON-TYPE: expected an integer, "
                 "found a number\n" +
                 batch +
                 ": claim JD-1: professional, payer commercial, dx M54.50 M62.830 W11.XXXA, dos "
                 "2026-11-15, 0 diagnostics\n");
  // A rejected claim's own warning (a dangling pointer, not caused by its errors) prints with
  // its errors, before the audited claims, and none of them counts it.
  const std::string mixed = "tests/data/json/batch-mixed.json";
  const Run mixed_run = claimctl("check " + mixed, source_dir().string());
  const std::string pointer = mixed +
                              ":36:46: /claims/1/lines/0/dx_pointers/0: warning W-JSON-DX-POINTER: "
                              "dx pointer 2 names no diagnosis seq\n";
  BOOST_TEST(mixed_run.out.find(pointer) < mixed_run.out.find(": claim INST-0001"), mixed_run.out);
  BOOST_TEST(mixed_run.out.find(", 0 diagnostics, 1 finding\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(never_prints_phi_without_show_phi) {
  for (const std::string flags : {"", "--json"}) {
    const Run run = claimctl(
        "check " + flags + " examples/back-spasm.json tests/data/fhir/bundle-three-claims.json",
        source_dir().string());
    // 1: bundle-three-claims' item points to a diagnosis sequence the Claim lacks, an error
    // finding (line.pointer_invalid).
    BOOST_TEST(run.exit_code == 1);
    for (const std::string phi :
         {"1946-11-11", "lifting boxes", "1980-02-29", "W123456789", "Example", "\"sex\""}) {
      BOOST_TEST(run.out.find(phi) == std::string::npos, phi << " printed with flags " << flags);
    }
  }
  const Run shown =
      claimctl("check --json --show-phi examples/back-spasm.json", source_dir().string());
  BOOST_TEST(shown.out.find("\"birth_date\":\"1946-11-11\"") != std::string::npos);
  BOOST_TEST(shown.out.find("\"text\":\"lifting boxes at work\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_rejected_file_exits_2_and_the_others_are_still_checked) {
  TempDir dir;
  dir.write("garbage.txt", "hello");
  const Run run = claimctl("check --json garbage.txt missing.json " +
                               (source_dir() / "examples/back-spasm.json").string(),
                           dir.path().string());
  BOOST_TEST(run.exit_code == 2);
  const std::string first =
      "{\"file\":\"garbage.txt\",\"error\":{\"where\":\"\",\"code\":\"E-FORMAT-UNKNOWN\","
      "\"message\":\"not a claim file: no X12 ISA segment, and not a JSON object (FHIR or "
      "claimaudit.claim/1)\"}}\n"
      "{\"file\":\"missing.json\",\"error\":{\"where\":\"\",\"code\":\"E-FILE-OPEN\","
      "\"message\":\"cannot open: No such file or directory\"}}\n";
  BOOST_TEST(run.out.substr(0, first.size()) == first);
  BOOST_TEST(run.out.find("\"claim_id\":\"1606\"") != std::string::npos);
}

// Regression (session 10): --json repeated an interchange's warnings in the "diagnostics" of
// every claim in it. They are records of the file, printed once before its claims.
BOOST_AUTO_TEST_CASE(json_prints_batch_warnings_once_for_the_file) {
  const Run run = claimctl("check --json samples/x12/imsweb-x12-parser/837_5010/x12_valid.txt",
                           shared_dir().string());
  BOOST_TEST(run.exit_code == 0);
  const std::string file = "{\"file\":\"samples/x12/imsweb-x12-parser/837_5010/x12_valid.txt\",";
  const std::string note = file +
                           "\"diagnostic\":{\"severity\":\"warning\",\"code\":\"W-X12-"
                           "REPETITION-SEPARATOR\",\"where\":\"ISA 000000905, ISA11\",";
  BOOST_TEST(run.out.rfind(note, 0) == 0u, run.out.substr(0, 300));
  std::size_t count = 0;
  for (std::size_t at = run.out.find("W-X12-REPETITION-SEPARATOR"); at != std::string::npos;
       at = run.out.find("W-X12-REPETITION-SEPARATOR", at + 1)) {
    ++count;
  }
  BOOST_TEST(count == 1u);
  // Both claims follow, each with only its own diagnostic (the HI composite of its own loop).
  std::size_t claims = 0;
  for (std::size_t at = run.out.find(file + "\"claim\":"); at != std::string::npos;
       at = run.out.find(file + "\"claim\":", at + 1)) {
    ++claims;
    const std::size_t end = run.out.find('\n', at);
    const std::string record = run.out.substr(at, end - at);
    BOOST_TEST(record.find("W-X12-COMPOSITE-SPLIT") != std::string::npos);
    BOOST_TEST(record.find("W-X12-HL") == std::string::npos);
  }
  BOOST_TEST(claims == 2u);
}

// An ICD-9-CM E code prints dotted the ICD-9 way everywhere check prints it: the claim line,
// the claim JSON and (regression, session 10) a finding's "code", which was E88.09.
BOOST_AUTO_TEST_CASE(icd9_e_codes_print_dotted_the_icd9_way) {
  TempDir dir;
  dir.write("icd9.json", R"({"format": "claimaudit.claim/1", "claim_id": "N9",
    "kind": "professional", "frequency": "1", "payer": {"program": "CI"},
    "diagnoses": [{"seq": 1, "code": "812.1", "role": "principal", "code_system": "icd9cm"},
                  {"seq": 2, "code": "E880.9", "role": "external_cause", "code_system": "icd9cm"}],
    "lines": [{"seq": 1, "procedure": {"system": "CPT", "code": "99213"}, "units": "1",
               "charge": "80.00", "service_date": {"from": "2016-03-24", "to": "2016-03-24"},
               "dx_pointers": [1]}]})");
  const Run text = claimctl("check icd9.json", dir.path().string());
  BOOST_TEST(text.out.find("dx 812.1 E880.9,") != std::string::npos, text.out);
  const Run json = claimctl("check --json icd9.json", dir.path().string());
  BOOST_TEST(json.out.find(R"("code":"E880.9","role":"external_cause")") != std::string::npos,
             json.out);
  // The shipped pack finds ICD-9-CM codes sent after 2015-09-30 (dx.code_set_qualifier).
  BOOST_TEST(json.out.find(R"("code":"E880.9","diagnosis_seq":2)") != std::string::npos, json.out);
  BOOST_TEST(json.out.find("E88.09") == std::string::npos, json.out);
}

BOOST_AUTO_TEST_CASE(reads_standard_input) {
  const Run run = claimctl("check - < examples/back-spasm.json", source_dir().string());
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.out.rfind("-: claim 1606: professional", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(fail_on_never_and_no_findings_exit_0) {
  // The back-spasm example carries its external cause (X50.0XXA): the shipped rules find
  // nothing, so every --fail-on level exits 0.
  for (const std::string level : {"info", "warning", "error", "never"}) {
    BOOST_TEST(
        claimctl("check --fail-on " + level + " examples/back-spasm.json", source_dir().string())
            .exit_code == 0);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
