// 837P and 837I interchanges written by hand from the 5010 implementation guides (DOMAIN.md 2),
// in shapes the shipped samples do not have: two interchanges with different delimiters in one
// file ('*' ':' '^' '~' then '|' '!' '^' and newline-terminated), 2000C patients with several
// claims, replacement and void claims (CLM05-3 7/8 with REF*F8), a 50-line 837P claim and a
// 60-line 837I claim, HI with ABK/ABF/ABJ/APR/ABN and POA, BBR/BBQ/BH/BE/BG codes, SV2 revenue
// lines, PWK/NTE/K3, DTP*472 ranges, 2320/2330B other-payer loops whose REF*F8 and DTP*573 are
// not the claim's, 2410/2420A/2430 line loops, and a second 2000A billing provider. The files
// are also fuzz seeds (tests/fuzz/corpus/x12/).
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "formats/x12/x12_test_support.hpp"

namespace claimaudit::testing {
namespace {

X12Result read_seed(const std::string& name) {
  return read_x12_file(source_dir() / "tests/fuzz/corpus/x12" / name);
}

std::string roles(const model::Claim& claim) {
  std::string out;
  for (const auto& dx : claim.diagnoses) {
    if (!out.empty()) out += ' ';
    out += std::string(model::to_string(dx.role)) + ":" + dx.qualifier;
    if (dx.poa != 0) out += std::string("/") + dx.poa;
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(x12_unseen)

BOOST_AUTO_TEST_CASE(two_interchanges_with_different_delimiters_in_one_file) {
  const X12Result result = read_seed("two-interchanges-pipe-bang-newline.x12");
  BOOST_TEST(!result.summary.rejection.has_value());
  BOOST_TEST(claim_ids(result) == "PCN-A,PCN-B,PCN-C,PCN-D,ICN-1,ICN-2");
  BOOST_TEST(result.batch_sizes == (std::vector<std::size_t>{4, 1, 1}),
             boost::test_tools::per_element());
  BOOST_TEST(result.diagnostics.empty());
  BOOST_REQUIRE_EQUAL(result.claims.size(), 6u);

  // 2000C patient (SBR02 empty, PAT*19): the patient's demographics, the subscriber's member id.
  const model::Claim& a = result.claims[0];
  BOOST_TEST(a.patient.first_name.reveal() == "JANE");
  BOOST_TEST(a.patient.birth_date.reveal()->iso() == "2010-03-15");
  BOOST_TEST(a.patient.sex.reveal() == 'F');
  BOOST_TEST(a.patient.member_id.reveal() == "MEM001");
  BOOST_TEST(a.envelope.hl_path == "1/2/3");
  BOOST_TEST(a.envelope.interchange_control == "000000101");
  BOOST_TEST(a.billing_provider.npi == "1245319599");
  BOOST_TEST(model::to_string(a.accident.cause) == "employment");
  BOOST_TEST(a.accident.state == "UT");
  BOOST_TEST(a.onset_date->iso() == "2024-08-01");
  BOOST_TEST(a.has_attachment);
  BOOST_REQUIRE_EQUAL(a.notes.size(), 1u);
  BOOST_TEST(a.notes[0].kind == "ADD");
  BOOST_TEST(roles(a) == "principal:ABK other:ABF other:ABF other:ABF");
  BOOST_REQUIRE_EQUAL(a.lines.size(), 2u);
  BOOST_TEST(a.lines[0].modifiers == (std::vector<std::string>{"GP", "59"}),
             boost::test_tools::per_element());
  BOOST_TEST(a.lines[0].control_number == "LINE-1");
  BOOST_TEST(a.lines[1].dx_pointers == (std::vector<int>{2, 3, 1}),
             boost::test_tools::per_element());
  BOOST_TEST(a.lines[1].service_dates->from.iso() == "2024-08-15");
  BOOST_TEST(a.lines[1].service_dates->to.iso() == "2024-08-16");

  // A replacement and a void of earlier claims, same patient.
  BOOST_TEST(model::to_string(result.claims[1].frequency) == "replacement");
  BOOST_TEST(result.claims[1].replaces == "PAYERCLAIM123");
  BOOST_TEST(model::to_string(result.claims[2].frequency) == "void");
  BOOST_TEST(result.claims[2].replaces == "PAYERCLAIM999");
  BOOST_TEST(result.claims[2].patient.first_name.reveal() == "JANE");

  // The subscriber is the patient (SBR02 18): 12 diagnoses, 50 lines, SV107 1..12.
  const model::Claim& d = result.claims[3];
  BOOST_TEST(d.envelope.hl_path == "1/4");
  BOOST_TEST(d.patient.first_name.reveal() == "RICHARD");
  BOOST_TEST(model::to_string(d.payer.kind) == "medicare");
  BOOST_TEST(d.diagnoses.size() == 12u);
  BOOST_REQUIRE_EQUAL(d.lines.size(), 50u);
  BOOST_TEST(d.lines[49].seq == 50);
  BOOST_TEST(d.lines[49].dx_pointers == (std::vector<int>{2}), boost::test_tools::per_element());
  BOOST_TEST(d.lines[49].service_dates->from.iso() == "2024-09-22");

  // The second interchange: '|' elements, '!' components, newline terminators, 837I.
  const model::Claim& i = result.claims[4];
  BOOST_TEST(model::to_string(i.kind) == "institutional");
  BOOST_TEST(i.envelope.interchange_control == "000000102");
  BOOST_TEST(i.envelope.transaction_control == "20001");
  BOOST_TEST(i.facility_type == "11");
  BOOST_TEST(i.statement_period->from.iso() == "2024-08-10");
  BOOST_TEST(i.statement_period->to.iso() == "2024-08-15");
  BOOST_TEST(i.admission_date->iso() == "2024-08-10");
  BOOST_TEST(i.admission_type == "1");
  BOOST_TEST(roles(i) ==
             "principal:ABK/Y admitting:ABJ reason_for_visit:APR reason_for_visit:APR "
             "external_cause:ABN/Y external_cause:ABN other:ABF/Y other:ABF/N other:ABF/Y");
  // BBR/BBQ (ICD-10-PCS procedures) are no diagnoses; BH is an occurrence code, BG a condition.
  BOOST_TEST(i.occurrence_codes == (std::vector<std::string>{"11"}),
             boost::test_tools::per_element());
  BOOST_TEST(i.condition_codes == (std::vector<std::string>{"01"}),
             boost::test_tools::per_element());
  BOOST_TEST(i.notes.size() == 2u);
  BOOST_REQUIRE_EQUAL(i.lines.size(), 60u);
  BOOST_TEST(i.lines[0].revenue_code == "0120");
  BOOST_TEST(i.lines[0].procedure_code == "");
  BOOST_TEST(i.lines[0].unit_basis == "DA");
  BOOST_TEST(i.lines[1].revenue_code == "0360");
  BOOST_TEST(i.lines[1].procedure_code == "27236");
  BOOST_TEST(i.lines[1].modifiers == (std::vector<std::string>{"RT"}),
             boost::test_tools::per_element());
  BOOST_TEST(result.claims[5].claim_id == "ICN-2");
  BOOST_TEST(result.claims[5].lines.size() == 3u);
}

BOOST_AUTO_TEST_CASE(other_payer_and_line_loops_do_not_leak_into_the_claim) {
  const X12Result result = read_seed("cob-line-loops-two-billing-providers.x12");
  BOOST_TEST(claim_ids(result) == "COB-1,SECOND-1");
  // HI*ABK:M54.50 and HI*ABK:M62.830: read without their dots, each with a warning. The first
  // line's PWK comes after its NTE (the 837P orders PWK before DTP and NTE in loop 2400).
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "W-X12-DOTTED-CODE x2, W-X12-SEGMENT-ORDER");
  BOOST_REQUIRE_EQUAL(result.claims.size(), 2u);
  const model::Claim& cob = result.claims[0];
  // 2330B REF*F8 is the other payer's claim number, not a replaced claim's; 2330B and 2430
  // DTP*573 (adjudication dates) are not service dates.
  BOOST_TEST(model::to_string(cob.frequency) == "original");
  BOOST_TEST(cob.replaces == "");
  BOOST_TEST(cob.payer.id == "PAYER1");
  BOOST_TEST(cob.patient.member_id.reveal() == "MEM001");
  BOOST_REQUIRE_EQUAL(cob.lines.size(), 1u);
  BOOST_TEST(cob.lines[0].service_dates->from.iso() == "2024-08-15");
  BOOST_TEST(cob.lines[0].place_of_service == "11");
  // SV107 4 names no HI position: kept for line.pointer_invalid.
  BOOST_TEST(cob.lines[0].dx_pointers == (std::vector<int>{1, 2, 3, 4}),
             boost::test_tools::per_element());
  BOOST_TEST(diagnosis_codes(result) == "M5450 M62830 R52|M62830");
  BOOST_TEST(cob.condition_codes == (std::vector<std::string>{"01"}),
             boost::test_tools::per_element());
  // The second 2000A names another billing provider for the claims under it.
  BOOST_TEST(result.claims[1].billing_provider.npi == "1003000126");
  BOOST_TEST(result.claims[1].billing_provider.tax_id == "987654321");
  BOOST_TEST(result.claims[1].envelope.hl_path == "3/4");
}

BOOST_AUTO_TEST_CASE(an_institutional_claim_with_two_hi_abf_segments_and_120_lines) {
  const X12Result result = read_seed("institutional-25-dx-120-lines.x12");
  BOOST_TEST(claim_ids(result) == "INST-7");
  BOOST_TEST(result.diagnostics.empty());
  BOOST_REQUIRE_EQUAL(result.claims.size(), 1u);
  const model::Claim& claim = result.claims[0];
  BOOST_TEST(model::to_string(claim.frequency) == "replacement");
  BOOST_TEST(claim.replaces == "ORIGICN555");
  BOOST_TEST(claim.patient.first_name.reveal() == "MARY");
  // ABK then 2 x 12 ABF (HI*DR, the DRG, is no diagnosis).
  BOOST_REQUIRE_EQUAL(claim.diagnoses.size(), 25u);
  BOOST_TEST(claim.diagnoses[24].seq == 25);
  BOOST_TEST(claim.diagnoses[24].code == "Z8673");
  BOOST_TEST(claim.diagnoses[24].poa == 'N');
  BOOST_TEST(claim.occurrence_codes == (std::vector<std::string>{"70", "11", "01"}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.condition_codes == (std::vector<std::string>{"01", "39"}),
             boost::test_tools::per_element());
  BOOST_TEST(claim.lines.size() == 120u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
