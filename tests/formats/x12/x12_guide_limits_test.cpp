// 837I and 837P interchanges written for these tests from the 5010 guides (005010X223A2,
// 005010X222A1), in shapes a payer's front end meets and the samples lack: three institutional
// claims under one subscriber (CL1, DTP*434 RD8, DTP*435 DT, ABK/ABJ/ABN/ABF with POA in
// component 9, BH/BI/BE/BG, an ICD-9 BK/BF claim and an ICD-10/ICD-9 mixture with a second
// principal); professional ambulance (CR1, CRC, NM1*PW/45, QTY) and anesthesia (MJ minutes)
// claims with LX numbering gaps and repeats, SV107 pointers 0, repeated and more than 4, RD8
// line ranges (one reversed), and a claim with HI01 not principal and 14 diagnoses. Both files
// are fuzz seeds too (tests/fuzz/corpus/x12/). Each diagnostic is compared in full.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "formats/x12/x12_test_support.hpp"

namespace claimaudit::testing {
namespace {

std::string data(const std::string& name) {
  return read_file(source_dir() / "tests/formats/data/x12" / name);
}

// "seq:code:role[/poa]" for each diagnosis.
std::string diagnoses(const model::Claim& claim) {
  std::string out;
  for (const auto& dx : claim.diagnoses) {
    if (!out.empty()) out += ' ';
    out += std::to_string(dx.seq) + ":" + dx.code + ":" + std::string(model::to_string(dx.role));
    if (dx.poa != 0) out += std::string("/") + dx.poa;
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(x12_guide_limits)

// 837I: a claim has one principal diagnosis. OUTPT-003 sends HI*ABK:M545*BF:4019 and then
// HI*BK:7242: the BK was a second principal, silently, so principal-only edits (MCE
// unacceptable principal) ran on both. It is now an other diagnosis, with W-X12-PRINCIPAL.
BOOST_AUTO_TEST_CASE(institutional_claims_under_one_subscriber) {
  const std::string name = "institutional-three-claims-one-subscriber.837";
  const X12Result result = read_x12(data(name), name);
  BOOST_TEST(!result.summary.rejection.has_value());
  BOOST_TEST(claim_ids(result) == "INPT-001,INPT-002,OUTPT-003");
  BOOST_TEST(result.batch_sizes == std::vector<std::size_t>{3});
  BOOST_REQUIRE_EQUAL(result.claims.size(), 3u);

  const model::Claim& inpatient = result.claims[0];
  BOOST_TEST(model::to_string(inpatient.kind) == "institutional");
  BOOST_TEST(inpatient.facility_type == "11");
  BOOST_TEST(inpatient.admission_type == "1");
  BOOST_TEST(inpatient.admission_date->iso() == "2026-10-01");
  BOOST_TEST(inpatient.statement_period->from.iso() == "2026-10-01");
  BOOST_TEST(inpatient.statement_period->to.iso() == "2026-10-05");
  BOOST_TEST(diagnoses(inpatient) ==
             "1:S72001A:principal/Y 2:R52:admitting 3:W010XXA:external_cause/Y "
             "4:Y92009:external_cause 5:I10:other/Y 6:E119:other/N 7:Z87891:other");
  BOOST_TEST(inpatient.occurrence_codes == (std::vector<std::string>{"11", "01", "71"}),
             boost::test_tools::per_element());
  BOOST_TEST(inpatient.condition_codes == std::vector<std::string>{"17"});
  BOOST_TEST(model::to_string(inpatient.payer.kind) == "medicare");
  BOOST_TEST(inpatient.patient.birth_date.reveal()->iso() == "1945-01-01");
  BOOST_REQUIRE_EQUAL(inpatient.lines.size(), 2u);
  BOOST_TEST(inpatient.lines[0].revenue_code == "0120");
  BOOST_TEST(inpatient.lines[0].unit_basis == "DA");
  BOOST_TEST(inpatient.lines[0].service_dates->from.iso() == "2026-10-01");
  BOOST_TEST(inpatient.lines[0].service_dates->to.iso() == "2026-10-04");
  BOOST_TEST(inpatient.lines[1].procedure_code == "27236");

  const model::Claim& icd9 = result.claims[1];
  BOOST_TEST(diagnoses(icd9) == "1:82021:principal/Y 2:4019:other/N");
  BOOST_TEST(model::to_string(icd9.diagnoses[0].code_system) == "icd9cm");
  BOOST_TEST(icd9.admission_type == "3");
  BOOST_TEST(icd9.facility_type == "13");

  const model::Claim& mixed = result.claims[2];
  BOOST_TEST(diagnoses(mixed) == "1:M545:principal 2:4019:other 3:7242:other");
  BOOST_TEST(mixed.diagnoses[2].qualifier == "BK");
  BOOST_TEST(mixed.statement_period->from.iso() == "2026-10-10");

  const std::vector<std::string> expected = {
      name +
      ": ST 2001, segment 49 HI, HI01-2 (loop 2300): warning W-X12-PRINCIPAL: HI01 "
      "qualifier BK names a second principal diagnosis (diagnosis 3), after diagnosis 1 "
      "(ABK): a claim has one; read as an other diagnosis"};
  BOOST_TEST(rendered(result.diagnostics) == expected, boost::test_tools::per_element());
}

// 837P: LX01 counts 1, 2, 3 in each claim (a gap and a repeat were silent; a repeat makes two
// lines one number for line findings); HI01 is the principal diagnosis (ABK/BK) and HI holds
// 12 diagnoses at most (a second principal and diagnoses 13-14 were silent); a reversed RD8
// range is named as such.
BOOST_AUTO_TEST_CASE(professional_line_numbers_pointers_and_diagnosis_limits) {
  const std::string name = "professional-ambulance-anesthesia-limits.837";
  const X12Result result = read_x12(data(name), name);
  BOOST_TEST(!result.summary.rejection.has_value());
  BOOST_TEST(claim_ids(result) == "AMB-001,ANES-002,MANY-003");
  BOOST_REQUIRE_EQUAL(result.claims.size(), 3u);

  const model::Claim& ambulance = result.claims[0];
  BOOST_TEST(model::to_string(ambulance.accident.cause) == "auto");
  BOOST_TEST(ambulance.accident.state == "UT");
  BOOST_TEST(ambulance.accident.date->iso() == "2026-11-15");
  BOOST_TEST(ambulance.place_of_service == "41");
  BOOST_REQUIRE_EQUAL(ambulance.lines.size(), 2u);
  BOOST_TEST(ambulance.lines[0].seq == 1);
  BOOST_TEST(ambulance.lines[1].seq == 3);
  BOOST_TEST(ambulance.lines[0].modifiers == std::vector<std::string>{"RH"});
  BOOST_TEST(ambulance.lines[1].dx_pointers == std::vector<int>{1});
  BOOST_TEST(ambulance.lines[1].units == "12");

  const model::Claim& anesthesia = result.claims[1];
  BOOST_REQUIRE_EQUAL(anesthesia.lines.size(), 3u);
  BOOST_TEST(anesthesia.lines[0].unit_basis == "MJ");
  BOOST_TEST(anesthesia.lines[0].units == "95");
  BOOST_TEST(anesthesia.lines[0].modifiers == (std::vector<std::string>{"AA", "QK"}),
             boost::test_tools::per_element());
  BOOST_TEST(anesthesia.lines[0].dx_pointers == (std::vector<int>{1, 2, 3, 4}),
             boost::test_tools::per_element());
  BOOST_TEST(anesthesia.lines[1].dx_pointers == (std::vector<int>{2, 2, 1}),
             boost::test_tools::per_element());
  BOOST_TEST(anesthesia.lines[1].service_dates->from.iso() == "2026-11-12");
  BOOST_TEST(anesthesia.lines[1].service_dates->to.iso() == "2026-11-14");
  BOOST_TEST(!anesthesia.lines[2].service_dates.has_value());

  const model::Claim& many = result.claims[2];
  BOOST_TEST(many.diagnoses.size() == 14u);
  BOOST_TEST(diagnoses(many).substr(0, 33) == "1:R519:other 2:M5450:principal 3:");
  BOOST_TEST(many.diagnoses[13].code == "Z7984");
  BOOST_TEST(model::to_string(many.diagnoses[13].role) == "other");
  BOOST_REQUIRE_EQUAL(many.lines.size(), 2u);
  BOOST_TEST(many.lines[1].seq == 1);

  const std::string at = name + ": ST 3001, segment ";
  const std::vector<std::string> expected = {
      at + "30 LX, LX01 (loop 2400): warning W-X12-LINE-NUMBER: LX01 is 3 on the claim's line 2: "
           "service lines are numbered 1, 2, 3 ... within each claim; kept as sent (reported once "
           "per claim)",
      at + "31 SV1, SV107-2 (loop 2400): warning W-X12-POINTER: SV107-2 diagnosis pointer '0' is "
           "not a number from 1 to 12 (HI01 to HI12); skipped",
      at + "37 SV1, SV107-5 (loop 2400): warning W-X12-POINTER: SV107 holds more than 4 "
           "diagnosis pointers (SV107-1 to SV107-4); the rest are skipped",
      at + "44 DTP, DTP03 (loop 2400): error E-X12-DATE: DTP*472 service date: DTP02 'RD8' with "
           "a DTP03 range that ends before it starts (CCYYMMDD-CCYYMMDD, earlier date first)",
      at + "51 LX, LX01 (loop 2400): warning W-X12-LINE-NUMBER: LX01 is 1 on the claim's line 2: "
           "service lines are numbered 1, 2, 3 ... within each claim; 1 is already an earlier "
           "line's number, so line findings cannot tell the two apart; kept as sent (reported "
           "once per claim)",
      at + "52 SV1, SV107-1 (loop 2400): warning W-X12-POINTER: SV107-1 diagnosis pointer 13 is "
           "beyond 12: a pointer names a position from 1 to 12 (HI01 to HI12) in the claim's "
           "diagnosis list; kept, it points at no diagnosis",
      at + "47 HI, HI02-2 (loop 2300): warning W-X12-PRINCIPAL: HI02 qualifier ABK names a second "
           "principal diagnosis (diagnosis 14), after diagnosis 2 (ABK): a claim has one; read as "
           "an other diagnosis",
      at + "46 HI, HI01-2 (loop 2300): warning W-X12-PRINCIPAL: HI01 qualifier ABF is not a "
           "principal diagnosis qualifier (ABK, or BK for ICD-9-CM): on an 837P HI01 is the "
           "principal diagnosis; diagnosis 2 (ABK) is marked principal instead",
      at + "47 HI, HI01-2 (loop 2300): warning W-X12-DX-COUNT: diagnosis 13: an 837P carries at "
           "most 12 diagnoses (HI01-HI12 of one HI), this claim has 2 more; they are audited, "
           "but no SV107 pointer can name them and a payer's front end rejects the claim",
  };
  BOOST_TEST(rendered(result.diagnostics) == expected, boost::test_tools::per_element());
}

// 837I without any ABK/BK: the Principal Diagnosis HI is required.
BOOST_AUTO_TEST_CASE(institutional_claim_without_a_principal) {
  std::string text = data("institutional-three-claims-one-subscriber.837");
  const std::string principal = "HI*ABK:S72001A:::::::Y~\n";
  text.replace(text.find(principal), principal.size(), "");
  text.replace(text.find("SE*53*"), 6, "SE*52*");
  const X12Result result = read_x12(text, "i.837");
  BOOST_REQUIRE_EQUAL(result.claims.size(), 3u);
  BOOST_TEST(diagnoses(result.claims[0]).substr(0, 15) == "1:R52:admitting");
  const std::vector<std::string> expected = {
      "i.837: ST 2001, segment 24 HI, HI01-2 (loop 2300): warning W-X12-PRINCIPAL: no principal "
      "diagnosis (HI*ABK, or BK for ICD-9-CM): the 837I requires the Principal Diagnosis HI; the "
      "claim's diagnoses are all other roles",
      "i.837: ST 2001, segment 48 HI, HI01-2 (loop 2300): warning W-X12-PRINCIPAL: HI01 "
      "qualifier BK names a second principal diagnosis (diagnosis 3), after diagnosis 1 (ABK): a "
      "claim has one; read as an other diagnosis"};
  BOOST_TEST(rendered(result.diagnostics) == expected, boost::test_tools::per_element());
}

// 837I line dates (DTP*472) fall within the statement period (DTP*434): a line dated after it
// was read without a word.
BOOST_AUTO_TEST_CASE(institutional_line_dated_outside_the_statement_period) {
  std::string text = data("institutional-three-claims-one-subscriber.837");
  const std::string date = "DTP*472*D8*20261002~";
  text.replace(text.find(date), date.size(), "DTP*472*D8*20261009~");
  const std::string range = "DTP*472*RD8*20261001-20261004~";
  text.replace(text.find(range), range.size(), "DTP*472*RD8*20260930-20261004~");
  const X12Result result = read_x12(text, "i.837");
  BOOST_REQUIRE_EQUAL(result.claims.size(), 3u);
  BOOST_TEST(result.claims[0].lines[1].service_dates->from.iso() == "2026-10-09");
  const std::vector<std::string> expected = {
      "i.837: ST 2001, segment 33 LX, LX01 (loop 2400): warning W-X12-LINE-DATE: service line 1 "
      "is dated 2026-09-30..2026-10-04 (DTP*472), outside the statement period "
      "2026-10-01..2026-10-05 (DTP*434); 1 more line(s) of the claim too",
      "i.837: ST 2001, segment 49 HI, HI01-2 (loop 2300): warning W-X12-PRINCIPAL: HI01 "
      "qualifier BK names a second principal diagnosis (diagnosis 3), after diagnosis 1 (ABK): a "
      "claim has one; read as an other diagnosis"};
  BOOST_TEST(rendered(result.diagnostics) == expected, boost::test_tools::per_element());
}

// A UTF-8 byte-order mark and CR LF after every segment (Windows editors) read exactly as the
// plain file: same claims, same diagnostics.
BOOST_AUTO_TEST_CASE(bom_and_crlf_read_as_the_plain_file) {
  for (const char* name : {"institutional-three-claims-one-subscriber.837",
                           "professional-ambulance-anesthesia-limits.837"}) {
    BOOST_TEST_CONTEXT(name) {
      const std::string plain = data(name);
      std::string windows = "\xEF\xBB\xBF";
      for (char c : plain) {
        if (c == '\n') windows += '\r';
        windows += c;
      }
      const X12Result a = read_x12(plain, name);
      const X12Result b = read_x12(windows, name);
      BOOST_TEST(claims_json(a) == claims_json(b));
      BOOST_TEST(rendered(a.diagnostics) == rendered(b.diagnostics),
                 boost::test_tools::per_element());
    }
  }
}

// Envelope segments out of their place after the IEA (a second group without its ISA, a trailing
// text line): located by byte offset and segment id. The location read "GS, GS".
BOOST_AUTO_TEST_CASE(segments_after_the_interchange_are_located_by_byte) {
  const std::string plain = data("professional-ambulance-anesthesia-limits.837");
  const std::string text = plain +
                           "GS*HC*SUBMITTER02*RECEIVER02*20261127*1451*302*X*005010X222A1~\n"
                           "GE*0*302~\nIEA*1*000000302~\nnot x12\n";
  const X12Result result = read_x12(text, "t.837");
  BOOST_TEST(result.claims.size() == 3u);
  const std::size_t gs = plain.size();
  const std::size_t iea = text.find("IEA*1*000000302");
  const std::vector<std::string> tail = {
      "t.837: byte " + std::to_string(gs) +
          ", GS: warning W-X12-UNEXPECTED-SEGMENT: GS outside an interchange (no ISA before it)",
      "t.837: byte " + std::to_string(iea) +
          ", IEA: warning W-X12-UNEXPECTED-SEGMENT: IEA without an ISA",
      "t.837: byte " + std::to_string(iea + 17) +
          ": warning W-X12-UNEXPECTED-SEGMENT: segment without an id outside a transaction set "
          "(ST..SE); skipped",
  };
  const std::vector<std::string> all = rendered(result.diagnostics);
  BOOST_REQUIRE_GE(all.size(), tail.size());
  const std::vector<std::string> last(all.end() - static_cast<std::ptrdiff_t>(tail.size()),
                                      all.end());
  BOOST_TEST(last == tail, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
