// Segments out of the 5010 guides' order (005010X222A1, 005010X223A2), written for these tests:
// loop 2300 segments (DTP*431, REF*F8, HI, DTP*434, CL1, K3, DTP*435, HI*BH) after the claim's
// 2310x provider loops or after its 2400 lines, 2400 segments (DTP*472, REF*6R, SV1) after the
// line's 2420A provider loop, and a DTP*431 between the subscriber and the CLM. They were
// ignored without a word (the claim lost its onset, replacement link, diagnoses and statement
// period; a line its date), or, for HI after the lines, read without one. Now each is read
// where it belongs with W-X12-SEGMENT-ORDER at its position, or reported as not read. Also:
// 837I DTP*434 sent as D8 (the guide requires RD8) is read as one day with W-X12-DATE. Both
// files are fuzz seeds too (tests/fuzz/corpus/x12/). Also: a DMG after the CLM, and loop 2300's
// own segments out of their order (DTP after HI).
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "formats/x12/x12_test_support.hpp"

namespace claimaudit::testing {
namespace {

X12Result read_data(const std::string& name) {
  return read_x12(read_file(source_dir() / "tests/formats/data/x12" / name), name);
}

std::string codes(const model::Claim& claim) {
  std::string out;
  for (const auto& dx : claim.diagnoses) {
    if (!out.empty()) out += ' ';
    out += std::to_string(dx.seq) + ":" + dx.code;
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(x12_segment_order)

BOOST_AUTO_TEST_CASE(professional_claim_and_line_segments_after_nested_loops) {
  const std::string name = "professional-2300-segments-out-of-order.837";
  const X12Result result = read_data(name);
  BOOST_TEST(!result.summary.rejection.has_value());
  BOOST_REQUIRE_EQUAL(result.claims.size(), 1u);
  const model::Claim& c = result.claims[0];
  // DTP*431, REF*F8 and HI after 2310B; the 2330B REF*F8 stays the other payer's.
  BOOST_TEST(c.onset_date->iso() == "2024-08-10");
  BOOST_TEST(c.replaces == "PAYERCLAIM123");
  // HI after the lines (2420A) is the claim's second diagnosis.
  BOOST_TEST(codes(c) == "1:M62830 2:X500XXA");
  // Line 1: DTP*472 and REF*6R after its 2420A; line 2: SV1 after its 2420A is line 2's
  // service, not a third line.
  BOOST_TEST(service_dates(result) == "2024-08-15..2024-08-15 2024-08-16..2024-08-16");
  BOOST_REQUIRE_EQUAL(c.lines.size(), 2u);
  BOOST_TEST(c.lines[0].control_number == "LINE-1");
  BOOST_TEST(c.lines[1].procedure_code == "97110");
  BOOST_TEST(c.lines[1].dx_pointers == (std::vector<int>{1, 2}), boost::test_tools::per_element());

  const std::string at = name + ": ST 0001, segment ";
  const std::string claim_tail =
      " belongs to loop 2300 (claim information), but arrives after loop ";
  const std::string claim_why =
      ": the guides put the claim's segments before its 2310-2330 and 2400 loops; read as the "
      "claim's";
  const std::string line_why =
      " belongs to loop 2400 (service line), but arrives after loop 2420A: the guides put the "
      "line's segments before its 2410-2430 loops; read as the line's";
  const std::vector<std::string> expected = {
      at + "16 DTP (loop 2010BB): warning W-X12-SEGMENT-ORDER: DTP*431 is a claim segment "
           "(loop 2300), but arrives in loop 2010BB before any CLM: which claim it belongs to "
           "cannot be told; not read",
      at + "20 DTP (loop 2300): warning W-X12-SEGMENT-ORDER: DTP*431" + claim_tail + "2310B" +
          claim_why,
      at + "21 REF (loop 2300): warning W-X12-SEGMENT-ORDER: REF*F8" + claim_tail + "2310B" +
          claim_why,
      at + "22 HI (loop 2300): warning W-X12-SEGMENT-ORDER: HI" + claim_tail + "2310B" + claim_why,
      at + "31 DTP (loop 2400): warning W-X12-SEGMENT-ORDER: DTP*472" + line_why,
      at + "32 REF (loop 2400): warning W-X12-SEGMENT-ORDER: REF*6R" + line_why,
      at + "35 SV1 (loop 2400): warning W-X12-SEGMENT-ORDER: SV1" + line_why,
      at + "36 DTP (loop 2400): warning W-X12-SEGMENT-ORDER: DTP*472" + line_why,
      at + "37 HI (loop 2300): warning W-X12-SEGMENT-ORDER: HI" + claim_tail + "2420A" + claim_why,
  };
  BOOST_TEST(rendered(result.diagnostics) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(institutional_statement_dates_d8_and_out_of_order) {
  const std::string name = "institutional-2300-segments-out-of-order.837";
  const X12Result result = read_data(name);
  BOOST_TEST(!result.summary.rejection.has_value());
  BOOST_TEST(claim_ids(result) == "OUT-D8,OUT-LATE");
  BOOST_REQUIRE_EQUAL(result.claims.size(), 2u);
  // DTP*434*D8*20261010: one day, said; DTP*434, CL1 after 2310A; DTP*435 and HI*BH after the
  // line.
  BOOST_TEST(service_dates(result) ==
             "2026-10-10..2026-10-10 S2026-10-10..2026-10-10|"
             "2026-10-12..2026-10-12 S2026-10-12..2026-10-13");
  const model::Claim& late = result.claims[1];
  BOOST_TEST(late.admission_type == "3");
  BOOST_TEST(late.admission_date->iso() == "2026-10-12");
  BOOST_TEST(late.occurrence_codes == (std::vector<std::string>{"11"}),
             boost::test_tools::per_element());

  const std::string at = name + ": ST 0001, segment ";
  const std::string tail = " belongs to loop 2300 (claim information), but arrives after loop ";
  const std::string why =
      ": the guides put the claim's segments before its 2310-2330 and 2400 loops";
  const std::vector<std::string> expected = {
      at + "17 DTP, DTP02 (loop 2300): warning W-X12-DATE: DTP*434 (statement period) is sent as "
           "D8 (one date), but the 837I requires RD8 (CCYYMMDD-CCYYMMDD): read as the one-day "
           "period 2026-10-10..2026-10-10",
      at + "26 DTP (loop 2300): warning W-X12-SEGMENT-ORDER: DTP*434" + tail + "2310A" + why +
          "; read as the claim's",
      at + "27 CL1 (loop 2300): warning W-X12-SEGMENT-ORDER: CL1" + tail + "2310A" + why +
          "; read as the claim's",
      at + "28 K3 (loop 2300): warning W-X12-SEGMENT-ORDER: K3" + tail + "2310A" + why +
          "; not read (the audit does not use it in any position)",
      at + "32 DTP (loop 2300): warning W-X12-SEGMENT-ORDER: DTP*435" + tail + "2400" + why +
          "; read as the claim's",
      at + "33 HI (loop 2300): warning W-X12-SEGMENT-ORDER: HI" + tail + "2400" + why +
          "; read as the claim's",
  };
  BOOST_TEST(rendered(result.diagnostics) == expected, boost::test_tools::per_element());
}

// A DMG after the CLM (outside 2320, where 4010 senders put the other subscriber's): whose
// birth date and sex it gives cannot be told. It was ignored without a word; it is reported and
// not read, and the subscriber's DMG above the claim stays the patient's.
BOOST_AUTO_TEST_CASE(demographics_after_the_claim_are_reported_not_read) {
  const std::string name = "professional-2300-segments-out-of-order.837";
  std::string text = read_file(source_dir() / "tests/formats/data/x12" / name);
  const std::size_t clm = text.find("CLM*ORDER-P1*");
  BOOST_REQUIRE(clm != std::string::npos);
  text.insert(text.find('\n', clm) + 1, "DMG*D8*19990101*M~\n");
  const X12Result result = read_x12(text, name);
  BOOST_REQUIRE_EQUAL(result.claims.size(), 1u);
  BOOST_TEST(result.claims[0].patient.birth_date.reveal()->iso() == "1980-01-01");
  BOOST_TEST(result.claims[0].patient.sex.reveal() == 'F');
  std::vector<std::string> demographics;
  for (const auto& d : result.diagnostics) {
    if (d.message.rfind("DMG", 0) == 0) demographics.push_back(core::render(d));
  }
  BOOST_TEST(
      demographics ==
          (std::vector<std::string>{
              name +
              ": ST 0001, segment 18 DMG (loop 2300): warning W-X12-SEGMENT-ORDER: DMG "
              "belongs to loop 2010BA or 2010CA (subscriber or patient demographics), but "
              "arrives in loop 2300, after the CLM: whose birth date and sex it gives cannot "
              "be told; not read"}),
      boost::test_tools::per_element());
}

// Inside loop 2300 the guides give the segments an order too (CLM, DTP, CL1, PWK, CN1, AMT,
// REF, K3, NTE, CR1, CR2, CRC, HI, HCP). A DTP after the HI was read without a word; it is still
// read, with W-X12-SEGMENT-ORDER at its position. The next claim starts the order afresh.
BOOST_AUTO_TEST_CASE(claim_segments_out_of_order_inside_loop_2300) {
  const std::string name = "institutional-three-claims-one-subscriber.837";
  std::string text = read_file(source_dir() / "tests/formats/data/x12" / name);
  const std::string in_order = "DTP*434*RD8*20261010-20261010~\nHI*ABK:M545*BF:4019~\n";
  const std::size_t at = text.find(in_order);
  BOOST_REQUIRE(at != std::string::npos);
  text.replace(at, in_order.size(), "HI*ABK:M545*BF:4019~\nDTP*434*RD8*20261010-20261010~\n");
  const X12Result result = read_x12(text, name);
  BOOST_REQUIRE_EQUAL(result.claims.size(), 3u);
  BOOST_TEST(result.claims[2].statement_period->from.iso() == "2026-10-10");
  std::vector<std::string> order;
  for (const auto& d : result.diagnostics) {
    if (d.code == "W-X12-SEGMENT-ORDER") order.push_back(core::render(d));
  }
  BOOST_TEST(order == (std::vector<std::string>{
                          name + ": ST 2001, segment 48 DTP (loop 2300): warning "
                                 "W-X12-SEGMENT-ORDER: DTP arrives after HI in loop 2300, which "
                                 "the guides order CLM, DTP, CL1, PWK, CN1, AMT, REF, K3, NTE, "
                                 "CR1, CR2, CRC, HI, HCP; read as the claim's"}),
             boost::test_tools::per_element());
}

// A claim segment before the first HL: in no loop yet, named as the header (it said "loop 2000").
BOOST_AUTO_TEST_CASE(a_claim_segment_in_the_header) {
  const std::string name = "professional-2300-segments-out-of-order.837";
  std::string text = read_file(source_dir() / "tests/formats/data/x12" / name);
  const std::size_t bht = text.find("BHT*");
  BOOST_REQUIRE(bht != std::string::npos);
  text.insert(text.find('\n', bht) + 1, "HI*ABK:R69~\n");
  const X12Result result = read_x12(text, name);
  BOOST_REQUIRE_EQUAL(result.claims.size(), 1u);
  BOOST_TEST(result.claims[0].diagnoses.size() == 2u);
  BOOST_TEST_REQUIRE(!result.diagnostics.empty());
  BOOST_TEST(core::render(result.diagnostics[0]) ==
             name +
                 ": ST 0001, segment 3 HI: warning W-X12-SEGMENT-ORDER: HI is a claim segment "
                 "(loop 2300), but arrives in the header (before any HL) before any CLM: which "
                 "claim it belongs to cannot be told; not read");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
