// The HL tree applied to each claim (2000A billing provider -> 2000B subscriber -> 2000C
// patient), nested loops that must not leak into the claim, envelope checks as diagnostics, and
// one broken claim or transaction set never losing its neighbours.
#include <string>

#include <boost/test/unit_test.hpp>

#include "core/date.hpp"
#include "formats/x12/x12_test_support.hpp"

namespace claimaudit::testing {
namespace {

using core::Date;

std::string isa(const std::string& control = "000000001", const std::string& isa12 = "00501") {
  return "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *240101*1200*^*" +
         isa12 + "*" + control + "*0*T*:~";
}

// One ST with a correct SE01.
std::string st(const std::string& control, const std::string& body,
               const std::string& guide = "005010X222A1", const std::string& type = "837") {
  std::size_t segments = 2;
  for (char c : body) segments += c == '~' ? 1 : 0;
  return "ST*" + type + "*" + control + "*" + guide + "~" + body + "SE*" +
         std::to_string(segments) + "*" + control + "~";
}

std::string group(const std::string& control, const std::string& sets, int count,
                  const std::string& guide = "005010X222A1") {
  return "GS*HC*S*R*20240101*1200*" + control + "*X*" + guide + "~" + sets + "GE*" +
         std::to_string(count) + "*" + control + "~";
}

std::string claim(const std::string& id, const std::string& code = "M62830",
                  const std::string& date = "20240815") {
  return "CLM*" + id + "*10***11:B:1~HI*ABK:" + code +
         "~LX*1~SV1*HC:97140*10*UN*1***1~DTP*472*D8*" + date + "~";
}

const std::string kProvider = "HL*1**20*1~NM1*85*2*CLINIC*****XX*1111111111~REF*EI*111~";

}  // namespace

BOOST_AUTO_TEST_SUITE(x12_structure)

// DMG from 2010CA when 2000C exists, else from 2010BA (DOMAIN 2.2); the member id is the
// subscriber's; a new subscriber level resets what the previous one said.
BOOST_AUTO_TEST_CASE(hl_tree_applied_to_each_claim) {
  const std::string body =
      "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
      "HL*2*1*22*1~SBR*P**GRP******MB~NM1*IL*1*SUBLAST*SUBFIRST****MI*SUB1~DMG*D8*19500101*M~"
      "NM1*PR*2*MEDICARE*****PI*MCR~"
      "HL*3*2*23*0~PAT*19~NM1*QC*1*PATLAST*PATFIRST~DMG*D8*20100202*F~" +
      claim("CHILD-1") +
      "HL*4*1*22*0~SBR*P*18*******CI~NM1*IL*1*SELF*ONE****MI*SUB2~DMG*D8*19700303*U~"
      "NM1*PR*2*COMMERCIAL*****PI*COM~" +
      claim("SELF-1") + claim("SELF-2") +
      "HL*5**20*1~NM1*85*2*OTHER CLINIC*****XX*2222222222~"
      "HL*6*5*22*0~SBR*P*18*******MC~NM1*PR*2*MEDICAID*****PI*MCD~" +
      claim("NOSUB-1");
  const X12Result result = read_x12(isa() + group("1", st("0001", body), 1) + "IEA*1*000000001~");
  BOOST_TEST(claim_ids(result) == "CHILD-1,SELF-1,SELF-2,NOSUB-1");
  BOOST_TEST_REQUIRE(result.claims.size() == 4u);
  const auto& child = result.claims[0];
  BOOST_TEST(child.envelope.hl_path == "1/2/3");
  BOOST_TEST(child.patient.member_id.reveal() == "SUB1");
  BOOST_TEST(child.patient.last_name.reveal() == "PATLAST");
  BOOST_TEST((child.patient.birth_date.reveal() == Date::from_civil(2010, 2, 2)));
  BOOST_TEST(child.patient.sex.reveal() == 'F');
  BOOST_TEST(child.patient.origin.loop == std::string_view("2010CA"));
  BOOST_TEST(child.payer.id == "MCR");
  BOOST_TEST((child.payer.kind == model::PayerKind::kMedicare));
  BOOST_TEST(child.billing_provider.npi == "1111111111");
  for (std::size_t i : {1u, 2u}) {
    const auto& self = result.claims[i];
    BOOST_TEST(self.envelope.hl_path == "1/4");
    BOOST_TEST(self.patient.member_id.reveal() == "SUB2");
    BOOST_TEST(self.patient.last_name.reveal() == "SELF");
    BOOST_TEST((self.patient.birth_date.reveal() == Date::from_civil(1970, 3, 3)));
    BOOST_TEST(self.patient.sex.reveal() == 'U');
    BOOST_TEST(self.patient.origin.loop == std::string_view("2010BA"));
    BOOST_TEST(self.payer.id == "COM");
    BOOST_TEST(self.envelope.position == static_cast<int>(i));
  }
  const auto& nosub = result.claims[3];
  BOOST_TEST(nosub.envelope.hl_path == "5/6");
  BOOST_TEST(nosub.billing_provider.npi == "2222222222");
  BOOST_TEST(nosub.billing_provider.tax_id == "");
  BOOST_TEST(nosub.patient.member_id.reveal() == "");
  BOOST_TEST(!nosub.patient.birth_date.reveal().has_value());
  BOOST_TEST((nosub.payer.kind == model::PayerKind::kMedicaid));
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "W-X12-MISSING-SEGMENT");
  BOOST_TEST_REQUIRE(nosub.diagnostics.size() == 1u);
  BOOST_TEST(nosub.diagnostics[0].message ==
             "no subscriber name (NM1*IL, loop 2010BA) above this claim");
}

// 2320/2330 (other subscriber and payer), 2310 and 2420 providers: their SBR, NM1, DMG and
// REF*F8 (2330B), REF*G2 (2310B, 2420A) belong to those loops, not to the claim or line. (A
// REF*6R after a 2420A NM1 is the line's, out of order: x12_segment_order_test.)
BOOST_AUTO_TEST_CASE(nested_loops_do_not_leak_into_the_claim) {
  const std::string body =
      "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
      "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*MAIN~DMG*D8*19800101*F~"
      "NM1*PR*2*PRIMARY*****PI*PRI~"
      "CLM*C1*10***11:B:1~REF*F8*ORIGINAL~HI*ABK:M62830~"
      "NM1*82*1*RENDER*DOC****XX*3333333333~REF*G2*X~"
      "SBR*S*01*******MB~DMG*D8*19000101*M~NM1*IL*1*OTHER*SUB****MI*OTHER~"
      "NM1*PR*2*SECONDARY*****PI*SEC~REF*F8*OTHERCLAIM~NM1*85*2~"
      "LX*1~SV1*HC:97140*10*UN*1***1~DTP*472*D8*20240815~NM1*82*1*LINE*DOC****XX*4~"
      "REF*G2*NOT-THE-LINE~";
  const X12Result result = read_x12(isa() + group("1", st("0001", body), 1) + "IEA*1*000000001~");
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const auto& c = result.claims[0];
  BOOST_TEST(c.replaces == "ORIGINAL");
  BOOST_TEST(c.payer.id == "PRI");
  BOOST_TEST((c.payer.kind == model::PayerKind::kCommercial));
  BOOST_TEST(c.patient.member_id.reveal() == "MAIN");
  BOOST_TEST((c.patient.birth_date.reveal() == Date::from_civil(1980, 1, 1)));
  BOOST_TEST(c.billing_provider.npi == "1111111111");
  BOOST_TEST(c.lines[0].control_number == "");
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "");
}

BOOST_AUTO_TEST_CASE(envelope_checks_are_diagnostics) {
  struct Row {
    const char* name;
    std::string text;
    const char* diagnostics;
  };
  const std::string body = "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
                           "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                           "NM1*PR*2*P*****PI*P~" +
                           claim("C1");
  const std::string good_st = st("0001", body);
  std::string bad_se = good_st;
  bad_se.replace(bad_se.find("SE*"), 5, "SE*99");
  const Row rows[] = {
      {"clean", isa() + group("1", good_st, 1) + "IEA*1*000000001~", ""},
      {"SE01 wrong", isa() + group("1", bad_se, 1) + "IEA*1*000000001~", "W-X12-SE-COUNT"},
      {"SE02 wrong",
       isa() + group("1", good_st.substr(0, good_st.size() - 5) + "0002~", 1) + "IEA*1*000000001~",
       "W-X12-SE-CONTROL"},
      {"GE01 and GE02 wrong",
       isa() + "GS*HC*S*R*20240101*1200*7*X*005010X222A1~" + good_st + "GE*3*8~IEA*1*000000001~",
       "W-X12-GE-CONTROL, W-X12-GE-COUNT"},
      {"IEA wrong", isa() + group("1", good_st, 1) + "IEA*2*000000009~",
       "W-X12-IEA-CONTROL, W-X12-IEA-COUNT"},
      {"no GE, no IEA", isa() + "GS*HC*S*R*20240101*1200*1*X*005010X222A1~" + good_st,
       "W-X12-MISSING-TRAILER x2"},
      {"ISA12 00401 around a 5010 guide",
       isa("000000001", "00401") + group("1", good_st, 1) + "IEA*1*000000001~",
       "W-X12-ISA-VERSION"},
      {"segment outside ST", isa() + group("1", good_st + "NTE*ADD*STRAY~", 1) + "IEA*1*000000001~",
       "W-X12-UNEXPECTED-SEGMENT"},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.name) {
      const X12Result result = read_x12(row.text);
      BOOST_TEST(claim_ids(result) == "C1");
      BOOST_TEST(!result.summary.rejection.has_value());
      BOOST_TEST(diagnostic_codes(result.diagnostics) == row.diagnostics);
    }
  }
}

BOOST_AUTO_TEST_CASE(exact_envelope_messages) {
  const std::string body = "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
                           "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                           "NM1*PR*2*P*****PI*P~" +
                           claim("C1");
  std::string set = st("0001", body);
  set.replace(set.find("SE*"), 5, "SE*25");
  const X12Result result = read_x12(isa() + "GS*HC*S*R*20240101*1200*7*X*005010X222A1~" + set +
                                    "GE*2*8~IEA*1*000000002~");
  std::vector<std::string> rendered;
  for (const auto& d : result.diagnostics) rendered.push_back(core::render(d));
  const std::vector<std::string> expected = {
      "test.837: ST 0001, segment 15 SE, SE01: warning W-X12-SE-COUNT: SE01 says 25 segments, "
      "the transaction set has 15 (ST to SE inclusive)",
      "test.837: GS 7, GE01: warning W-X12-GE-COUNT: GE01 says 2 transaction sets, the group has "
      "1",
      "test.837: GS 7, GE02: warning W-X12-GE-CONTROL: GE02 '8' differs from GS06 '7'",
      "test.837: ISA 000000001, IEA02: warning W-X12-IEA-CONTROL: IEA02 '000000002' differs from "
      "ISA13 '000000001'"};
  BOOST_TEST(rendered == expected, boost::test_tools::per_element());
}

// Several interchanges (with different delimiters), groups and sets: one batch per ST.
BOOST_AUTO_TEST_CASE(several_isa_gs_st) {
  const std::string body1 = "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
                            "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                            "NM1*PR*2*P*****PI*P~";
  const std::string first =
      isa("000000001") +
      group("1", st("0001", body1 + claim("A1")) + st("0002", body1 + claim("A2") + claim("A3")),
            2) +
      group("2", st("0003", body1 + claim("A4")), 1) + "IEA*2*000000001~";
  std::string second =
      isa("000000002") + group("3", st("0004", body1 + claim("B1", "R69")), 1) + "IEA*1*000000002~";
  for (char& c : second) {
    if (c == '*') {
      c = '|';
    } else if (c == '~') {
      c = '\n';
    } else if (c == ':') {
      c = '>';
    }
  }
  second[104] = '>';
  const X12Result result = read_x12(first + "\n" + second);
  BOOST_TEST(claim_ids(result) == "A1,A2,A3,A4,B1");
  BOOST_TEST(result.batch_sizes == (std::vector<std::size_t>{1, 2, 1, 1}));
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "");
  BOOST_TEST_REQUIRE(result.claims.size() == 5u);
  BOOST_TEST(result.claims[3].envelope.group_control == "2");
  BOOST_TEST(result.claims[3].envelope.transaction_control == "0003");
  BOOST_TEST(result.claims[4].envelope.interchange_control == "000000002");
  BOOST_TEST(result.claims[4].diagnoses[0].code == "R69");
  BOOST_TEST(result.claims[4].envelope.position == 4);
}

// A 999 and a 4010 set next to an 837: their errors travel with the file, the claims are read.
BOOST_AUTO_TEST_CASE(unreadable_sets_beside_readable_ones) {
  const std::string body = "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
                           "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                           "NM1*PR*2*P*****PI*P~" +
                           claim("C1");
  const std::string text = isa() + "GS*FA*S*R*20240101*1200*1*X*005010X231A1~" +
                           st("0001", "AK1*HC*1~", "005010X231A1", "999") + "GE*1*1~" +
                           group("2", st("0002", body, "004010X098A1"), 1, "004010X098A1") +
                           group("3", st("0003", body), 1) + "IEA*3*000000001~";
  const X12Result result = read_x12(text);
  BOOST_TEST(claim_ids(result) == "C1");
  BOOST_TEST(!result.summary.rejection.has_value());
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "E-X12-UNSUPPORTED-VERSION, E-X12-WRONG-TYPE");
  BOOST_TEST(result.batch_sizes == std::vector<std::size_t>{1});
}

// A claim without CLM01 is dropped with an error; its neighbours are kept.
BOOST_AUTO_TEST_CASE(broken_claim_keeps_its_neighbours) {
  const std::string body = "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
                           "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                           "NM1*PR*2*P*****PI*P~" +
                           claim("C1") + claim("") + claim("C3", "M62.830.1");
  const X12Result result = read_x12(isa() + group("1", st("0001", body), 1) + "IEA*1*000000001~");
  BOOST_TEST(claim_ids(result) == "C1,C3");
  BOOST_TEST(diagnosis_codes(result) == "M62830|?M62.830.1");
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "E-X12-CLAIM-ID, E-X12-DX-CODE");
  BOOST_TEST(result.claims[1].envelope.position == 1);
  BOOST_TEST(!result.summary.rejection.has_value());
}

// The only claim has no CLM01: the file is rejected for that (DOMAIN 2.1, docs/diagnostics.md:
// "the first error met is the reason"), not with E-X12-NO-CLAIMS "no transaction set holds a
// CLM segment", which the file contradicts.
BOOST_AUTO_TEST_CASE(a_file_whose_one_claim_has_no_id_is_rejected_for_that) {
  const std::string body = "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
                           "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                           "NM1*PR*2*P*****PI*P~" +
                           claim("");
  const X12Result result = read_x12(isa() + group("1", st("0001", body), 1) + "IEA*1*000000001~");
  BOOST_TEST(result.claims.empty());
  BOOST_REQUIRE(result.summary.rejection.has_value());
  BOOST_TEST(core::render(*result.summary.rejection) ==
             "test.837: ST 0001, segment 10 CLM (loop 2300): error E-X12-CLAIM-ID: CLM01 (patient "
             "control number) is missing; the claim cannot be identified and is skipped");
}

// DTP*431 (onset) and DTP*439 (accident) take one date (D8). A valid RD8 range there was
// reported as "a DTP03 range that ends before it starts"; it is named for what it is.
BOOST_AUTO_TEST_CASE(a_range_where_one_date_is_wanted) {
  const std::string body = "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
                           "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                           "NM1*PR*2*P*****PI*P~CLM*C1*10***11:B:1~DTP*431*RD8*20240801-20240805~"
                           "DTP*439*RD8*20240805-20240801~HI*ABK:M62830~LX*1~"
                           "SV1*HC:97140*10*UN*1***1~DTP*472*D8*20240815~";
  const X12Result result = read_x12(isa() + group("1", st("0001", body), 1) + "IEA*1*000000001~");
  BOOST_REQUIRE_EQUAL(result.claims.size(), 1u);
  BOOST_TEST(!result.claims[0].onset_date.has_value());
  BOOST_TEST(rendered(result.diagnostics) ==
                 (std::vector<std::string>{
                     "test.837: ST 0001, segment 11 DTP, DTP02 (loop 2300): error E-X12-DATE: "
                     "DTP*431 onset of current illness: DTP02 'RD8' names a date range, but "
                     "DTP*431 takes one date (D8, CCYYMMDD); not read",
                     "test.837: ST 0001, segment 12 DTP, DTP03 (loop 2300): error E-X12-DATE: "
                     "DTP*439 accident date: DTP02 'RD8' with a DTP03 range that ends before it "
                     "starts (CCYYMMDD-CCYYMMDD, earlier date first)"}),
             boost::test_tools::per_element());
}

// Input cut inside a transaction set: the claims read so far are kept, flagged.
BOOST_AUTO_TEST_CASE(truncated_input) {
  const std::string body = "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
                           "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                           "NM1*PR*2*P*****PI*P~" +
                           claim("C1") + "CLM*C2*10***11:B:1~HI*ABK:R6";
  const X12Result result = read_x12(isa() + "GS*HC*S*R*20240101*1200*1*X*005010X222A1~" +
                                    "ST*837*0001*005010X222A1~" + body);
  BOOST_TEST(claim_ids(result) == "C1,C2");
  BOOST_TEST(diagnosis_codes(result) == "M62830|?R6");  // Cut inside the code.
  // C2 lacks lines and the file its GE and IEA because the input ends: E-X12-TRUNCATED (on the
  // batch and on C2) says so, and no W-X12-MISSING-SEGMENT or W-X12-MISSING-TRAILER repeats it.
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "E-X12-DX-CODE, E-X12-TRUNCATED x2");
  BOOST_REQUIRE_EQUAL(result.claims.size(), 2u);
  BOOST_TEST(rendered(result.claims[1].diagnostics) ==
                 (std::vector<std::string>{
                     "test.837: ST 0001, segment 16 HI, HI01-2 (loop 2300): error E-X12-DX-CODE: "
                     "HI01-2 is not a diagnosis code (3 to 7 letters or digits); kept raw",
                     "test.837: ST 0001, segment 15 CLM (loop 2300): error E-X12-TRUNCATED: the "
                     "input ends inside this claim's transaction set (no SE); the claim may be "
                     "incomplete"}),
             boost::test_tools::per_element());
  // Truncated before any claim: nothing auditable.
  const X12Result early = read_x12(isa() + "GS*HC*S*R*20240101*1200*1*X*005010X222A1~" +
                                   "ST*837*0001*005010X222A1~BHT*0019*00*1*2024");
  BOOST_TEST_REQUIRE(early.summary.rejection.has_value());
  BOOST_TEST(core::render(*early.summary.rejection) ==
             "test.837: ST 0001: error E-X12-TRUNCATED: the input ends inside transaction set "
             "0001 (no SE)");
}

// staedi sample837-HL-nested.edi style: HL levels without claims, bare HL segments.
BOOST_AUTO_TEST_CASE(odd_hl_nesting_is_reported_once) {
  const std::string body = "BHT*0019*00*1*20240101*1200*CH~HL~" + kProvider +
                           "HL*7*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                           "NM1*PR*2*P*****PI*P~" +
                           claim("C1") + "HL*3*9*22*0~SBR*P*18*******CI~" + claim("C2");
  const X12Result result = read_x12(isa() + group("1", st("0001", body), 1) + "IEA*1*000000001~");
  BOOST_TEST(claim_ids(result) == "C1,C2");
  std::vector<std::string> messages;
  for (const auto& d : result.diagnostics) {
    if (d.code == "W-X12-HL") messages.push_back(d.where.path + ": " + d.message);
  }
  const std::vector<std::string> expected = {
      "ST 0001, segment 3 HL, HL01: HL01 (hierarchical id) is missing or not a number",
      "ST 0001, segment 3 HL, HL03: HL03 (level code) is missing; level ignored",
      "ST 0001, segment 7 HL, HL01 (loop 2000B): HL01 is 7 after HL 1; HL ids must count 1, 2, "
      "3 ... (reported once per transaction set)",
      "ST 0001, segment 16 HL, HL02 (loop 2000B): HL02 parent 9 is not the billing provider "
      "level above (HL 1); read as its child (reported once per transaction set)"};
  BOOST_TEST(messages == expected, boost::test_tools::per_element());
}

// Two patients (2000C) under one subscriber, a subscriber who is the patient beside them, and a
// second billing provider: every claim takes the levels above it, and only those.
BOOST_AUTO_TEST_CASE(patients_and_subscribers_under_several_providers) {
  const std::string body =
      "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
      "HL*2*1*22*1~SBR*P**GRP******MB~NM1*IL*1*SUBLAST*SUBFIRST****MI*SUB1~DMG*D8*19500101*M~"
      "NM1*PR*2*MEDICARE*****PI*MCR~"
      "HL*3*2*23*0~PAT*19~NM1*QC*1*KID*ONE~DMG*D8*20100202*F~" +
      claim("K1-A") + claim("K1-B") + "HL*4*2*23*0~PAT*01~NM1*QC*1*SPOUSE*TWO~DMG*D8*19520303*F~" +
      claim("SP-A") +
      "HL*5*1*22*0~SBR*P*18*******CI~NM1*IL*1*SELF*THREE****MI*SUB2~DMG*D8*19900101*M~"
      "NM1*PR*2*COMMERCIAL*****PI*COM~" +
      claim("SELF-A") + "HL*6**20*1~NM1*85*1*DOC*JOHN****XX*2222222222~" +
      "HL*7*6*22*1~SBR*P**G******MC~NM1*IL*1*MOM*FOUR****MI*SUB3~NM1*PR*2*MEDICAID*****PI*MCD~"
      "HL*8*7*23*0~PAT*19~NM1*QC*1*BABY*FIVE~DMG*D8*20200505*U~" +
      claim("BABY-A");
  const X12Result result = read_x12(isa() + group("1", st("0001", body), 1) + "IEA*1*000000001~");
  BOOST_TEST(claim_ids(result) == "K1-A,K1-B,SP-A,SELF-A,BABY-A");
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "");
  std::vector<std::string> got;
  for (const auto& c : result.claims) {
    const auto birth = c.patient.birth_date.reveal();
    got.push_back(c.claim_id + " " + c.envelope.hl_path + " " + c.billing_provider.npi + " " +
                  c.payer.id + " " + c.patient.member_id.reveal() + " " +
                  c.patient.last_name.reveal() + " " + (birth ? birth->iso() : "-") + " " +
                  c.patient.sex.reveal() + " " + c.patient.origin.loop);
  }
  const std::vector<std::string> expected = {
      "K1-A 1/2/3 1111111111 MCR SUB1 KID 2010-02-02 F 2010CA",
      "K1-B 1/2/3 1111111111 MCR SUB1 KID 2010-02-02 F 2010CA",
      "SP-A 1/2/4 1111111111 MCR SUB1 SPOUSE 1952-03-03 F 2010CA",
      "SELF-A 1/5 1111111111 COM SUB2 SELF 1990-01-01 M 2010BA",
      "BABY-A 6/7/8 2222222222 MCD SUB3 BABY 2020-05-05 U 2010CA"};
  BOOST_TEST(got == expected, boost::test_tools::per_element());
}

// An HL whose level code cannot be read: the claims under it must not take the member id,
// demographics or payer of the subscriber and patient read before it, nor a level that names
// it as parent; a valid sibling level after it still has its own parents.
BOOST_AUTO_TEST_CASE(claim_under_an_unreadable_level_takes_nothing_from_above) {
  const std::string body =
      "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
      "HL*2*1*22*1~SBR*P**GRP******MB~NM1*IL*1*SUBLAST*SUBFIRST****MI*SUB1~DMG*D8*19500101*M~"
      "NM1*PR*2*MEDICARE*****PI*MCR~HL*3*2*23*0~PAT*19~NM1*QC*1*KID*ONE~DMG*D8*20100202*F~" +
      claim("KID-A") + "HL*4*2*2Y*0~PAT*19~NM1*QC*1*LOST*TWO~DMG*D8*20110303*M~" + claim("LOST-A") +
      claim("LOST-A2") + "HL*5*2*23*0~PAT*19~NM1*QC*1*SIBLING*THREE~DMG*D8*20120404*F~" +
      claim("SIB-A") +
      "HL*6*1*2X*1~SBR*P*18*******CI~NM1*IL*1*OTHER*SIX****MI*SUB9~DMG*D8*19900101*M~"
      "NM1*PR*2*COMMERCIAL*****PI*COM~HL*7*6*23*0~PAT*19~NM1*QC*1*ORPHAN*FOUR~"
      "DMG*D8*20130505*M~" +
      claim("ORPHAN-A") + "HL*8**2O*1~" + claim("LOST-B");
  const X12Result result = read_x12(isa() + group("1", st("0001", body), 1) + "IEA*1*000000001~");
  BOOST_TEST(claim_ids(result) == "KID-A,LOST-A,LOST-A2,SIB-A,ORPHAN-A,LOST-B");
  std::vector<std::string> got;
  for (const auto& c : result.claims) {
    const auto birth = c.patient.birth_date.reveal();
    got.push_back(c.claim_id + " [" + c.billing_provider.npi + "] [" + c.payer.id + "] [" +
                  c.patient.member_id.reveal() + "] [" + c.patient.last_name.reveal() + "] " +
                  (birth ? birth->iso() : "-") +
                  (c.patient.sex.reveal() != 0 ? std::string(1, c.patient.sex.reveal()) : "-"));
  }
  const std::vector<std::string> expected = {
      "KID-A [1111111111] [MCR] [SUB1] [KID] 2010-02-02F",
      "LOST-A [1111111111] [] [] [] --",
      "LOST-A2 [1111111111] [] [] [] --",
      "SIB-A [1111111111] [MCR] [SUB1] [SIBLING] 2012-04-04F",
      "ORPHAN-A [1111111111] [] [] [ORPHAN] 2013-05-05M",
      "LOST-B [] [] [] [] --"};
  BOOST_TEST(got == expected, boost::test_tools::per_element());
  std::vector<std::string> messages;
  for (const auto& d : result.diagnostics) messages.push_back(d.where.path + ": " + d.message);
  const std::vector<std::string> expected_messages = {
      "ST 0001, segment 20 HL, HL03: HL03 level code '2Y' is not 20, 22 or 23; level ignored",
      "ST 0001, segment 43 HL, HL03: HL03 level code '2X' is not 20, 22 or 23; level ignored",
      // Messages split over lines on purpose (checked: no comma missing).
      // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
      "ST 0001, segment 48 HL, HL03 (loop 2000C): patient level (HL03 23) without a subscriber "
      "level (HL03 22)",
      "ST 0001, segment 57 HL, HL03: HL03 level code '2O' is not 20, 22 or 23; level ignored",
      "ST 0001, segment 24 CLM (loop 2300): CLM outside a subscriber or patient level (HL03 22 "
      "or 23)",
      "ST 0001, segment 29 CLM (loop 2300): CLM outside a subscriber or patient level (HL03 22 "
      "or 23)",
      "ST 0001, segment 58 CLM (loop 2300): CLM outside a subscriber or patient level (HL03 22 "
      "or 23)",
      "ST 0001, segment 58 CLM (loop 2300): no billing provider name (NM1*85, loop 2010AA) above "
      "this claim"};
  BOOST_TEST(messages == expected_messages, boost::test_tools::per_element());
}

// A transaction set without its SE, followed by the next ST: both sets' claims are kept, the
// error names the set.
BOOST_AUTO_TEST_CASE(missing_se_before_the_next_set) {
  const std::string body = "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
                           "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                           "NM1*PR*2*P*****PI*P~";
  std::string first = st("0001", body + claim("A1"));
  first.erase(first.find("SE*"));
  const X12Result result =
      read_x12(isa() + group("1", first + st("0002", body + claim("A2")), 2) + "IEA*1*000000001~");
  BOOST_TEST(claim_ids(result) == "A1,A2");
  BOOST_TEST(result.batch_sizes == (std::vector<std::size_t>{1, 1}));
  const std::vector<std::string> expected = {
      "test.837: ST 0001: error E-X12-MISSING-SE: transaction set 0001 has no SE before ST"};
  BOOST_TEST(rendered(result.diagnostics) == expected, boost::test_tools::per_element());
}

// One broken segment in each of several claims: every claim is kept and audited, each
// diagnostic names the segment and element, and the good claims around them carry none.
BOOST_AUTO_TEST_CASE(broken_segments_among_good_claims) {
  const std::string head = "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
                           "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                           "NM1*PR*2*P*****PI*P~";
  const std::string line = "LX*1~SV1*HC:97140*10*UN*1***1~";
  const std::string body =
      head + claim("GOOD-1") + "CLM*BAD-DATE*10***11:B:1~HI*ABK:M62830~" + line +
      "DTP*472*D8*20241345~" + "CLM*BAD-HI*10***11:B:1~HI*ABK:M62830*ABF~" + line +
      "DTP*472*D8*20240815~" + "CLM*BAD-SV1*10***11:B:1~HI*ABK:M62830~LX*1~SV1*HC*10*UN*1***1~" +
      "DTP*472*D8*20240815~" + "CLM*BAD-ID*10***11:B:1~H@I*ABK:M62830~" + line +
      "DTP*472*D8*20240815~" + claim("GOOD-2");
  const X12Result result = read_x12(isa() + group("1", st("0001", body), 1) + "IEA*1*000000001~");
  BOOST_TEST(claim_ids(result) == "GOOD-1,BAD-DATE,BAD-HI,BAD-SV1,BAD-ID,GOOD-2");
  BOOST_TEST(diagnosis_codes(result) == "M62830|M62830|M62830|M62830||M62830");
  const std::vector<std::string> expected = {
      // Messages split over lines on purpose (checked: no comma missing).
      // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
      "test.837: ST 0001, segment 19 DTP, DTP03 (loop 2400): error E-X12-DATE: DTP*472 service "
      "date: DTP02 'D8' with DTP03 that is not a valid date (CCYYMMDD)",
      "test.837: ST 0001, segment 21 HI, HI02 (loop 2300): error E-X12-COMPOSITE: HI02: "
      "qualifier ABF without a code",
      "test.837: ST 0001, segment 28 SV1, SV101-2 (loop 2400): error E-X12-COMPOSITE: SV101-2 "
      "(procedure code) is missing",
      "test.837: ST 0001, segment 31 (loop 2300): warning W-X12-SEGMENT-ID: segment without a "
      "valid segment id; skipped",
      "test.837: ST 0001, segment 30 CLM (loop 2300): warning W-X12-MISSING-SEGMENT: no HI "
      "segment: the claim has no diagnosis codes (loop 2300)"};
  BOOST_TEST(rendered(result.diagnostics) == expected, boost::test_tools::per_element());
  BOOST_TEST(result.claims.front().diagnostics.empty());
  BOOST_TEST(result.claims.back().diagnostics.empty());
}

// Three interchanges, the middle one's ISA too short (ISA02 9 characters): that interchange is
// skipped with one error; the ones before and after it are read.
BOOST_AUTO_TEST_CASE(unreadable_later_isa_skips_only_its_interchange) {
  const std::string body = "BHT*0019*00*1*20240101*1200*CH~" + kProvider +
                           "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
                           "NM1*PR*2*P*****PI*P~";
  std::string broken =
      isa("000000002") + group("2", st("0002", body + claim("B1")), 1) + "IEA*1*000000002~\n";
  broken.erase(7, 1);
  const X12Result result =
      read_x12(isa("000000001") + group("1", st("0001", body + claim("A1")), 1) +
               "IEA*1*000000001~\n" + broken + isa("000000003") +
               group("3", st("0003", body + claim("C1")), 1) + "IEA*1*000000003~\n");
  BOOST_TEST(claim_ids(result) == "A1,C1");
  BOOST_TEST(!result.summary.rejection.has_value());
  const std::vector<std::string> expected = {
      "test.837: ISA, ISA02: error E-X12-ISA-LENGTH: the ISA must be exactly 106 characters with "
      "fixed-width elements, but ISA02 is 9 characters, expected 10, so its delimiters cannot be "
      "read; this interchange is skipped up to the next ISA"};
  BOOST_TEST(rendered(result.diagnostics) == expected, boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(result.claims.size() == 2u);
  BOOST_TEST(result.claims[1].envelope.interchange_control == "000000003");
}

// A file of other X12 transactions (an 835 remittance) has nothing auditable: one reason.
BOOST_AUTO_TEST_CASE(remittance_file_is_rejected) {
  const std::string text = isa() + "GS*HP*S*R*20240101*1200*1*X*005010X221A1~" +
                           st("0001", "BPR*I*100*C*ACH~TRN*1*12345*1512345678~CLP*PCN1*1*100*80~",
                              "005010X221A1", "835") +
                           "GE*1*1~IEA*1*000000001~";
  const X12Result result = read_x12(text);
  BOOST_TEST(result.claims.empty());
  BOOST_TEST_REQUIRE(result.summary.rejection.has_value());
  BOOST_TEST(core::render(*result.summary.rejection) ==
             "test.837: ST 0001, segment 1 ST, ST01: error E-X12-WRONG-TYPE: wrong transaction "
             "type: ST01 is '835', not 837 (health care claim)");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
