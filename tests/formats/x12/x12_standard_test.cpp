// The X12 reader against the 5010 837P (005010X222A1) and 837I (005010X223A2) guides on shapes
// no sample file carries: CLM05 (C023) read with a repetition separator, a different component
// separator, a missing or wrong CLM05-2 and frequency 7/8 with REF*F8; SV107 (C004) pointers
// 1-12; empty HI elements before a diagnosis; 837I POA values and procedure, occurrence, value
// and condition qualifiers; SBR02 against the patient level; numeric envelope counts and control
// numbers written with leading zeros. Each diagnostic is compared in full, so its text is part of
// the contract.
#include <boost/test/unit_test.hpp>

#include "core/date.hpp"
#include "formats/location.hpp"
#include "formats/x12/x12_test_support.hpp"

namespace claimaudit::testing {
namespace {

using core::Date;

// ISA11 '^' (a usable repetition separator), ISA16 `component`.
std::string isa(char component = ':') {
  return std::string(
             "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *240101*1200*^*"
             "00501*000000001*0*T*") +
         component + "~";
}

// One interchange, one group, one transaction set; SE01 counted (no envelope diagnostic).
std::string interchange(const std::string& guide, const std::string& body, char component = ':') {
  std::size_t segments = 2;
  for (char c : body) segments += c == '~' ? 1 : 0;
  return isa(component) + "GS*HC*S*R*20240101*1200*1*X*" + guide + "~ST*837*0001*" + guide + "~" +
         body + "SE*" + std::to_string(segments) + "*0001~GE*1*1~IEA*1*000000001~";
}

// BHT, 1000A/B, 2000A/2010AA, 2000B/2010BA/2010BB (the subscriber is the patient): 11 segments,
// so the CLM is segment 13 of the set.
const std::string kAbove =
    "BHT*0019*00*1*20240101*1200*CH~NM1*41*2*SUBMITTER*****46*1~NM1*40*2*RECEIVER*****46*2~"
    "HL*1**20*1~NM1*85*2*CLINIC*****XX*1245319599~REF*EI*123456789~"
    "HL*2*1*22*0~SBR*P*18*GRP******CI~NM1*IL*1*DOE*JANE****MI*M123~DMG*D8*19800215*F~"
    "NM1*PR*2*PAYER*****PI*P1~";
const std::string kLine = "LX*1~SV1*HC:97140*100*UN*1***1~DTP*472*D8*20240815~";

std::vector<std::string> messages(const X12Result& result) { return rendered(result.diagnostics); }

}  // namespace

BOOST_AUTO_TEST_SUITE(x12_standard)

// CLM05 is not a repeating element (max use 1 in both guides). With ISA11 '^', a CLM05 written
// 11:B:1^11:B:7 was split on ':' only, so CLM05-3 read "1^11" (frequency "other"): the first
// repetition is now read and the rest reported.
BOOST_AUTO_TEST_CASE(clm05_with_a_repetition_separator) {
  const X12Result result = read_x12(
      interchange("005010X222A1",
                  kAbove + "CLM*R1*100***11:B:1^11:B:7*Y*A*Y*Y*P*OA^AA~HI*ABK:M62830~" + kLine));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST(c.place_of_service == "11");
  BOOST_TEST(c.frequency_code == "1");
  BOOST_TEST((c.frequency == model::Frequency::kOriginal));
  BOOST_TEST(c.accident.related_causes == std::vector<std::string>{"OA"});
  const std::vector<std::string> expected = {
      "test.837: ST 0001, segment 13 CLM, CLM05 repetition 2 (loop 2300): warning "
      "W-X12-REPETITION: CLM05 holds the repetition separator '^' (ISA11), but CLM05 does not "
      "repeat in the 5010 837 guides: the first repetition is read, the rest ignored",
      "test.837: ST 0001, segment 13 CLM, CLM11 repetition 2 (loop 2300): warning "
      "W-X12-REPETITION: CLM11 holds the repetition separator '^' (ISA11), but CLM11 does not "
      "repeat in the 5010 837 guides: the first repetition is read, the rest ignored"};
  BOOST_TEST(messages(result) == expected, boost::test_tools::per_element());
}

// HI, SV101 and SV107 do not repeat either: a repetition never becomes part of a code.
BOOST_AUTO_TEST_CASE(hi_and_sv1_with_a_repetition_separator) {
  const X12Result result = read_x12(
      interchange("005010X222A1", kAbove + "CLM*R2*100***11:B:1~HI*ABK:M62830^ABF:M545*ABF:M6283~"
                                           "LX*1~SV1*HC:97140:GP^HC:97110*100*UN*1***1:2^3~"
                                           "DTP*472*D8*20240815~"));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST(diagnosis_codes(result) == "M62830 M6283");
  BOOST_TEST(c.diagnoses[1].seq == 2);
  BOOST_TEST(c.lines[0].procedure_code == "97140");
  BOOST_TEST(c.lines[0].modifiers == std::vector<std::string>{"GP"});
  BOOST_TEST(c.lines[0].dx_pointers == (std::vector<int>{1, 2}));
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "W-X12-REPETITION x3");
}

// A body that writes its composites with the character ISA11 declares as the repetition
// separator uses it as the component separator: it settles as such (W-X12-COMPONENT-SEPARATOR)
// and nothing is cut at it as a repetition. Frequency 8 (void) with REF*F8.
BOOST_AUTO_TEST_CASE(repetition_character_used_as_component_separator) {
  const X12Result result = read_x12(interchange(
      "005010X222A1", kAbove + "CLM*V1*100***11^B^8~REF*F8*PAYER-CCN-77~HI*ABK^M62830~"
                               "LX*1~SV1*HC^97140^RT*100*UN*1***1~DTP*472*D8*20240815~"));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST(c.place_of_service == "11");
  BOOST_TEST(c.frequency_code == "8");
  BOOST_TEST((c.frequency == model::Frequency::kVoid));
  BOOST_TEST(c.replaces == "PAYER-CCN-77");
  BOOST_TEST(diagnosis_codes(result) == "M62830");
  BOOST_TEST(c.lines[0].modifiers == std::vector<std::string>{"RT"});
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "W-X12-COMPONENT-SEPARATOR");
}

// ISA16 '>' declared and used, frequency 7 with REF*F8; then ISA16 ':' declared but '>' written.
BOOST_AUTO_TEST_CASE(clm05_frequency_with_either_component_separator) {
  const std::string body = kAbove +
                           "CLM*F7*100***21>B>7~REF*F8*ORIG-1~HI*ABK>M62830~"
                           "LX*1~SV1*HC>97140*100*UN*1***1~DTP*472*D8*20240815~";
  for (const char declared : {'>', ':'}) {
    BOOST_TEST_CONTEXT("ISA16 " << declared) {
      const X12Result result = read_x12(interchange("005010X222A1", body, declared));
      BOOST_TEST_REQUIRE(result.claims.size() == 1u);
      const model::Claim& c = result.claims[0];
      BOOST_TEST(c.place_of_service == "21");
      BOOST_TEST(c.frequency_code == "7");
      BOOST_TEST((c.frequency == model::Frequency::kReplacement));
      BOOST_TEST(c.replaces == "ORIG-1");
      BOOST_TEST(diagnostic_codes(result.diagnostics) ==
                 (declared == ':' ? "W-X12-COMPONENT-SEPARATOR" : ""));
    }
  }
}

// CLM05-2 is required: B (place of service) on 837P, A (facility type code) on 837I. A missing,
// unknown or other-guide qualifier is reported; CLM05-1 and CLM05-3 are read where they stand.
BOOST_AUTO_TEST_CASE(clm05_qualifier) {
  struct Row {
    const char* name;
    const char* guide;
    const char* clm05;
    const char* place_or_facility;
    const char* frequency;
    std::vector<std::string> diagnostics;
  };
  const std::string where = "test.837: ST 0001, segment 13 CLM, ";
  const Row rows[] = {
      {"837P 11:B:1", "005010X222A1", "11:B:1", "11", "1", {}},
      {"837I 13:A:7", "005010X223A2", "13:A:7", "13", "7", {}},
      {"CLM05-2 empty",
       "005010X222A1",
       "11::1",
       "11",
       "1",
       {where + "CLM05-2 (loop 2300): warning W-X12-MISSING-ELEMENT: CLM05-2 (facility code "
                "qualifier: B place of service on 837P, A facility type on 837I) is missing"}},
      {"CLM05-2 left out",
       "005010X222A1",
       "11:7",
       "11",
       "",
       {where + "CLM05-2 (loop 2300): warning W-X12-CODE-VALUE: CLM05-2 '7' is not a facility "
                "code qualifier (B place of service on 837P, A facility type on 837I); CLM05 has "
                "2 components, not 3",
        where + "CLM05-3 (loop 2300): warning W-X12-MISSING-ELEMENT: CLM05-3 (claim frequency "
                "code) is missing"}},
      {"CLM05-3 empty",
       "005010X222A1",
       "11:B:",
       "11",
       "",
       {where + "CLM05-3 (loop 2300): warning W-X12-MISSING-ELEMENT: CLM05-3 (claim frequency "
                "code) is missing"}},
      {"CLM05-1 empty",
       "005010X222A1",
       ":B:1",
       "",
       "1",
       {where + "CLM05-1 (loop 2300): warning W-X12-MISSING-ELEMENT: CLM05-1 (place of service, "
                "or facility type code on an institutional claim) is missing"}},
      {"837I with B",
       "005010X223A2",
       "11:B:1",
       "11",
       "1",
       {where + "CLM05-2 (loop 2300): warning W-X12-CODE-VALUE: CLM05-2 is 'B' (place of service) "
                "on this institutional claim, which takes 'A' (facility type code); CLM05-1 is "
                "read as its facility type"}},
      {"837P with A",
       "005010X222A1",
       "11:A:1",
       "11",
       "1",
       {where + "CLM05-2 (loop 2300): warning W-X12-CODE-VALUE: CLM05-2 is 'A' (facility type "
                "code) on this professional claim, which takes 'B' (place of service); CLM05-1 is "
                "read as its place of service"}},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.name) {
      const bool institutional = std::string_view(row.guide) == "005010X223A2";
      const std::string tail = institutional
                                   ? "DTP*434*RD8*20240801-20240805~HI*ABK:M62830:::::::Y~"
                                     "LX*1~SV2*0420*HC:97140*120*UN*2~"
                                   : "HI*ABK:M62830~" + kLine;
      const X12Result result = read_x12(
          interchange(row.guide, kAbove + "CLM*Q1*100***" + row.clm05 + "*Y*A*Y*Y~" + tail));
      BOOST_TEST_REQUIRE(result.claims.size() == 1u);
      const model::Claim& c = result.claims[0];
      BOOST_TEST((institutional ? c.facility_type : c.place_of_service) == row.place_or_facility);
      BOOST_TEST(c.frequency_code == row.frequency);
      BOOST_TEST(messages(result) == row.diagnostics, boost::test_tools::per_element());
    }
  }
}

// SV107 (C004): SV107-1 required, up to 4 pointers, each a position 1-12 in the HI list. The
// warning said "1 to 12" while 13-99 passed silently; now 13-99 are reported (and kept, so the
// pointer rule sees they resolve to nothing), anything else is skipped with its value shown.
BOOST_AUTO_TEST_CASE(sv107_pointers) {
  struct Row {
    const char* sv107;
    std::vector<int> pointers;
    std::vector<std::string> diagnostics;
  };
  const std::string where = "test.837: ST 0001, segment 16 SV1, ";
  const Row rows[] = {
      {"1:2:3:4", {1, 2, 3, 4}, {}},
      {"12", {12}, {}},
      {"01", {1}, {}},
      {"1:13",
       {1, 13},
       {where + "SV107-2 (loop 2400): warning W-X12-POINTER: SV107-2 diagnosis pointer 13 is "
                "beyond 12: a pointer names a position from 1 to 12 (HI01 to HI12) in the claim's "
                "diagnosis list; kept, it points at no diagnosis"}},
      {"0:A:2:123",
       {2},
       {where + "SV107-1 (loop 2400): warning W-X12-POINTER: SV107-1 diagnosis pointer '0' is not "
                "a number from 1 to 12 (HI01 to HI12); skipped",
        where + "SV107-2 (loop 2400): warning W-X12-POINTER: SV107-2 diagnosis pointer 'A' is not "
                "a number from 1 to 12 (HI01 to HI12); skipped",
        where + "SV107-4 (loop 2400): warning W-X12-POINTER: SV107-4 diagnosis pointer '123' is "
                "not a number from 1 to 12 (HI01 to HI12); skipped"}},
      {":2",
       {2},
       {where + "SV107-1 (loop 2400): warning W-X12-POINTER: SV107-1 (the line's first diagnosis "
                "pointer) is empty"}},
      {"1:2:3:4:5",
       {1, 2, 3, 4},
       {where + "SV107-5 (loop 2400): warning W-X12-POINTER: SV107 holds more than 4 diagnosis "
                "pointers (SV107-1 to SV107-4); the rest are skipped"}},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT("SV107 " << row.sv107) {
      const X12Result result =
          read_x12(interchange("005010X222A1", kAbove +
                                                   "CLM*S1*100***11:B:1~"
                                                   "HI*ABK:M62830*ABF:M545*ABF:M6283*ABF:R252~"
                                                   "LX*1~SV1*HC:97140*100*UN*1***" +
                                                   row.sv107 + "~DTP*472*D8*20240815~"));
      BOOST_TEST_REQUIRE(result.claims.size() == 1u);
      BOOST_TEST(result.claims[0].lines[0].dx_pointers == row.pointers);
      BOOST_TEST(messages(result) == row.diagnostics, boost::test_tools::per_element());
    }
  }
}

// SV107 points at HI01..HI12 by position. An empty element before a later diagnosis holds its
// position: in HI*ABK:M62830**ABF:M545, M545 is HI03, so pointer 3 names it (it was numbered 2,
// and pointer 2 resolved to it). Trailing empty elements hold none.
BOOST_AUTO_TEST_CASE(empty_hi_element_keeps_the_positions_after_it) {
  const X12Result result =
      read_x12(interchange("005010X222A1", kAbove + "CLM*G1*100***11:B:1~HI*ABK:M62830**ABF:M545**~"
                                                    "LX*1~SV1*HC:97140*100*UN*1***1:3~"
                                                    "DTP*472*D8*20240815~"));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST_REQUIRE(c.diagnoses.size() == 2u);
  BOOST_TEST(c.diagnoses[0].seq == 1);
  BOOST_TEST(c.diagnoses[1].seq == 3);
  BOOST_TEST(formats::render_origin(c.diagnoses[1].origin, "0001") ==
             "ST 0001, segment 14 HI, HI03-2 (loop 2300)");
  const std::vector<std::string> expected = {
      "test.837: ST 0001, segment 14 HI, HI02 (loop 2300): warning W-X12-MISSING-ELEMENT: HI02 "
      "is empty, but a diagnosis follows it: the diagnoses after it keep their HI position (HI03 "
      "is diagnosis 3, as SV107 pointers count)"};
  BOOST_TEST(messages(result) == expected, boost::test_tools::per_element());
}

// 837I: POA (C022-09) on ABK/ABF/ABN, each 5010 value and blank; "1" (the 4010 exempt flag,
// no 5010 value) is kept so the POA rule reports it; ICD-10-PCS (BBR/BBQ) and ICD-9 (BR/BQ)
// procedures and value codes (BE) neither become diagnoses nor take a diagnosis position;
// occurrence (BH), occurrence span (BI) and
// condition (BG) codes are kept; DTP*434 RD8 statement, DTP*435 D8 admission, DTP*472 on lines
// as D8 and RD8. BQ:8856 comes without the procedure date the 837I requires (W-X12-DATE).
BOOST_AUTO_TEST_CASE(institutional_qualifiers_and_poa) {
  const std::string body =
      kAbove +
      "CLM*I1*900***11:A:1**A*Y*Y~DTP*434*RD8*20240801-20240805~DTP*435*D8*20240801~"
      "CL1*2*1*01~"
      "HI*ABK:I214:::::::Y~HI*ABJ:R079~HI*APR:R0789~"
      "HI*ABF:E119:::::::N*ABF:I10:::::::U*ABF:Z7984:::::::W*ABF:E785:::::::1*ABF:Z87891~"
      "HI*ABN:W010XXA:::::::Y*ABN:Y92009~"
      "HI*BBR:02703ZZ:D8:20240802*BBQ:B2111ZZ:D8:20240801~HI*BR:3606:D8:20100802*BQ:8856~"
      "HI*BH:11:D8:20240731~HI*BI:74:RD8:20240701-20240705~HI*BE:80:::4~HI*BG:39*BG:A1~"
      "LX*1~SV2*0450*HC:99285:25*900*UN*1~DTP*472*D8*20240801~"
      "LX*2~SV2*0120**3000*DA*4~DTP*472*RD8*20240801-20240804~";
  const X12Result result = read_x12(interchange("005010X223A2", body));
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "W-X12-DATE");
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  std::vector<std::string> got;
  for (const auto& dx : c.diagnoses) {
    got.push_back(std::to_string(dx.seq) + " " + dx.qualifier + " " + dx.code + " " +
                  (dx.poa ? std::string(1, dx.poa) : "-"));
  }
  const std::vector<std::string> expected = {
      "1 ABK I214 Y",  "2 ABJ R079 -", "3 APR R0789 -",  "4 ABF E119 N",    "5 ABF I10 U",
      "6 ABF Z7984 W", "7 ABF E785 1", "8 ABF Z87891 -", "9 ABN W010XXA Y", "10 ABN Y92009 -"};
  BOOST_TEST(got == expected, boost::test_tools::per_element());
  BOOST_TEST(c.occurrence_codes == (std::vector<std::string>{"11", "74"}));
  BOOST_TEST(c.condition_codes == (std::vector<std::string>{"39", "A1"}));
  BOOST_TEST((c.statement_period ==
              model::DateRange{Date::from_civil(2024, 8, 1), Date::from_civil(2024, 8, 5)}));
  BOOST_TEST((c.admission_date == Date::from_civil(2024, 8, 1)));
  BOOST_TEST(c.admission_type == "2");
  BOOST_TEST(c.facility_type == "11");
  BOOST_TEST_REQUIRE(c.lines.size() == 2u);
  BOOST_TEST(c.lines[0].revenue_code == "0450");
  BOOST_TEST(c.lines[0].procedure_code == "99285");
  BOOST_TEST(c.lines[0].modifiers == std::vector<std::string>{"25"});
  BOOST_TEST((c.lines[0].service_dates ==
              model::DateRange{Date::from_civil(2024, 8, 1), Date::from_civil(2024, 8, 1)}));
  BOOST_TEST(c.lines[1].revenue_code == "0120");
  BOOST_TEST(c.lines[1].procedure_code == "");
  BOOST_TEST(c.lines[1].unit_basis == "DA");
  BOOST_TEST(c.lines[1].units == "4");
  BOOST_TEST((c.lines[1].service_dates ==
              model::DateRange{Date::from_civil(2024, 8, 1), Date::from_civil(2024, 8, 4)}));
}

// 837I (005010X223A2) HI composites that are no diagnoses keep what they say: occurrence codes
// (BH) with their D8 dates, occurrence spans (BI) with their RD8 ranges, value codes (BE) with
// their amounts (C022-05), principal and other procedures (BBR/BBQ ICD-10-PCS, BR/BQ ICD-9-CM)
// with their dates. They were dropped (value codes, procedures) or kept as bare codes (BH, BI).
// A date or amount that is missing or unreadable is reported where it stands; the code is kept.
BOOST_AUTO_TEST_CASE(institutional_occurrence_value_and_procedure_codes_keep_their_data) {
  const std::string body =
      kAbove +
      "CLM*I2*900***11:A:1**A*Y*Y~DTP*434*RD8*20240801-20240805~DTP*435*D8*20240801~"
      "CL1*2*1*01~HI*ABK:S72001A:::::::Y~"
      "HI*BBR:0SRR0J9:D8:20240802*BBQ:b2111zz:D8:20240801~HI*BQ:8856:D8:20100802*BQ:8856X~"
      "HI*BH:04:D8:20240731*BH:11*BH:05:D8:20241331~"
      "HI*BI:74:RD8:20240701-20240705*BI:70:RD8:20240705-20240701~"
      "HI*BE:80:::4*BE:A3:::1250.00*BE:01~"
      "LX*1~SV2*0450*HC:99285*900*UN*1~DTP*472*D8*20240801~";
  const X12Result result = read_x12(interchange("005010X223A2", body));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST(diagnosis_codes(result) == "S72001A");
  std::vector<std::string> got;
  for (const auto& o : c.occurrences) {
    got.push_back(o.code + " " + (o.date ? o.date->iso() : "-") + " " +
                  formats::render_origin(o.origin, "0001"));
  }
  BOOST_TEST(
      got == (std::vector<std::string>{"04 2024-07-31 ST 0001, segment 20 HI, HI01-2 (loop 2300)",
                                       "11 - ST 0001, segment 20 HI, HI02-2 (loop 2300)",
                                       "05 - ST 0001, segment 20 HI, HI03-2 (loop 2300)"}),
      boost::test_tools::per_element());
  got.clear();
  for (const auto& span : c.occurrence_spans) {
    got.push_back(span.code + " " +
                  (span.period ? span.period->from.iso() + ".." + span.period->to.iso() : "-"));
  }
  BOOST_TEST(got == (std::vector<std::string>{"74 2024-07-01..2024-07-05", "70 -"}),
             boost::test_tools::per_element());
  // What rules read: the occurrence and span codes in the order sent (as before).
  BOOST_TEST(c.occurrence_codes == (std::vector<std::string>{"04", "11", "05", "74", "70"}),
             boost::test_tools::per_element());
  got.clear();
  for (const auto& value : c.value_codes) got.push_back(value.code + " " + value.amount);
  BOOST_TEST(got == (std::vector<std::string>{"80 4", "A3 1250.00", "01 "}),
             boost::test_tools::per_element());
  got.clear();
  for (const auto& px : c.procedures) {
    got.push_back(std::to_string(px.seq) + " " + px.qualifier + " " + px.code + " " +
                  std::string(model::to_string(px.system)) + " " +
                  (px.principal ? "principal" : "other") + " " + (px.date ? px.date->iso() : "-"));
  }
  BOOST_TEST(got == (std::vector<std::string>{"1 BBR 0SRR0J9 icd10pcs principal 2024-08-02",
                                              "2 BBQ B2111ZZ icd10pcs other 2024-08-01",
                                              "3 BQ 8856 icd9cm other 2010-08-02",
                                              "4 BQ 8856X icd9cm other -"}),
             boost::test_tools::per_element());
  const std::string where = "test.837: ST 0001, segment ";
  BOOST_TEST(
      messages(result) ==
          (std::vector<std::string>{
              where + "19 HI, HI02-2 (loop 2300): warning W-X12-PX-CODE: "
                      "HI02-2 (qualifier BQ) is not an ICD-9-CM "
                      "procedure code (3 or 4 digits); kept as sent",
              where + "19 HI, HI02-3 (loop 2300): warning W-X12-DATE: "
                      "HI02-3 procedure 8856X is sent without its "
                      "date (C022-03 D8, C022-04 CCYYMMDD): the code is kept without a date",
              where + "20 HI, HI02-3 (loop 2300): warning W-X12-DATE: "
                      "HI02-3 occurrence code 11 is sent without "
                      "its date (C022-03 D8, C022-04 CCYYMMDD): the code is kept without a "
                      "date",
              where + "20 HI, HI03-4 (loop 2300): warning W-X12-DATE: "
                      "HI03-4 occurrence code 05 date is not a "
                      "valid D8 date (CCYYMMDD): the code is kept without a date",
              where + "21 HI, HI02-4 (loop 2300): warning W-X12-DATE: "
                      "HI02-4 occurrence span code 70 range ends "
                      "before it starts (earlier date first): the code is kept without dates",
              where + "22 HI, HI03-5 (loop 2300): warning W-X12-MISSING-ELEMENT: "
                      "HI03-5 value code 01 is sent without its "
                      "amount (C022-05, required with BE)"}),
      boost::test_tools::per_element());
}

// A DTP*434 statement period that ends before it starts was an error on the claim even when
// every line carried its own DTP*472. The lines date the claim then: a warning, the period not
// read. When a line has no date of its own, nothing dates it, and the error stays.
BOOST_AUTO_TEST_CASE(reversed_statement_period_with_dated_lines) {
  const std::string claim =
      kAbove + "CLM*I3*900***13:A:1**A*Y*Y~DTP*434*RD8*20240805-20240801~CL1*2*1*01~HI*ABK:I10~";
  const std::string dated =
      "LX*1~SV2*0450*HC:99285*900*UN*1~DTP*472*D8*20240801~"
      "LX*2~SV2*0300*HC:80053*50*UN*1~DTP*472*RD8*20240801-20240802~";
  const std::string expected =
      "test.837: ST 0001, segment 14 DTP, DTP03 (loop 2300): warning W-X12-DATE: DTP*434 "
      "statement period: DTP02 'RD8' with a DTP03 range that ends before it starts "
      "(CCYYMMDD-CCYYMMDD, earlier date first); not read: every service line has its own date "
      "of service (DTP*472), which dates the claim";
  const X12Result read = read_x12(interchange("005010X223A2", claim + dated));
  BOOST_TEST_REQUIRE(read.claims.size() == 1u);
  BOOST_TEST(!read.claims[0].statement_period.has_value());
  BOOST_TEST(messages(read) == std::vector<std::string>{expected},
             boost::test_tools::per_element());

  const X12Result undated = read_x12(
      interchange("005010X223A2", claim + "LX*1~SV2*0450*HC:99285*900*UN*1~DTP*472*D8*20240801~"
                                          "LX*2~SV2*0300*HC:80053*50*UN*1~"));
  BOOST_TEST_REQUIRE(undated.claims.size() == 1u);
  BOOST_TEST(diagnostic_codes(undated.diagnostics) == "E-X12-DATE");
}

// X12 code values are case-sensitive: an HI qualifier in lower case ("abf") is not in the
// guide's list, and it was skipped as an unknown qualifier, losing its diagnosis (SV107 pointer 2
// then named nothing). Its meaning is plain: read as ABF, and said at HI02-1; bare qualifiers in
// lower case pair with their codes too. An unknown qualifier stays skipped, with its warning;
// a segment id in lower case is skipped, and says so.
BOOST_AUTO_TEST_CASE(hi_qualifiers_in_lower_case) {
  const X12Result result =
      read_x12(interchange("005010X222A1", kAbove + "CLM*L1*100***11:B:1*Y*A*Y*Y~"
                                                    "HI*ABK:M62830*abf:m6283*xyz:R52~"
                                                    "LX*1~SV1*HC:97140*100*UN*1***1:2~"
                                                    "DTP*472*D8*20240815~"));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST(diagnosis_codes(result) == "M62830 M6283");
  BOOST_TEST(c.diagnoses.at(1).seq == 2);
  BOOST_TEST(c.diagnoses.at(1).qualifier == "ABF");
  BOOST_TEST((c.diagnoses.at(1).code_system == model::CodeSystem::kIcd10Cm));
  const std::string where = "test.837: ST 0001, segment 14 HI, ";
  BOOST_TEST(messages(result) ==
                 (std::vector<std::string>{
                     where + "HI02-1 (loop 2300): warning W-X12-HI-QUALIFIER: HI02-1 qualifier "
                             "'abf' is in lower case; X12 code values are case-sensitive and the "
                             "guide's is ABF (payers reject 'abf'): read as ABF",
                     where + "HI03-1 (loop 2300): warning W-X12-HI-QUALIFIER: HI03-1 qualifier "
                             "'xyz' is not a diagnosis, occurrence or condition code qualifier; "
                             "skipped"}),
             boost::test_tools::per_element());

  const X12Result split = read_x12(
      interchange("005010X222A1", kAbove + "CLM*L2*100***11:B:1*Y*A*Y*Y~HI*abk*M6283~" + kLine));
  BOOST_TEST_REQUIRE(split.claims.size() == 1u);
  BOOST_TEST(diagnosis_codes(split) == "M6283");
  BOOST_TEST((split.claims[0].diagnoses.at(0).role == model::DiagnosisRole::kPrincipal));
  BOOST_TEST(diagnostic_codes(split.diagnostics) == "W-X12-COMPOSITE-SPLIT, W-X12-HI-QUALIFIER");

  const X12Result segment = read_x12(
      interchange("005010X222A1", kAbove + "CLM*L3*100***11:B:1*Y*A*Y*Y~hi*ABK:M6283~" + kLine));
  BOOST_TEST_REQUIRE(segment.claims.size() == 1u);
  BOOST_TEST(messages(segment).at(0) ==
             "test.837: ST 0001, segment 14 (loop 2300): warning W-X12-SEGMENT-ID: segment id 'hi' "
             "is not 2-3 "
             "upper-case letters or digits; segment skipped (the diagnosis codes it holds are not "
             "read)");
}

// DTP*435 takes DT (CCYYMMDDHHMM) on the 837I only; the 837P's admission date, and every other
// claim date, is D8. A DT on the 837P was read without a word: it is read as its date, with
// W-X12-DATE at DTP02. Inside loop 2400 the guides order the line's segments (LX, SV1/SV2, SV5,
// PWK, CR1, CR3, CRC, DTP, QTY, MEA, CN1, REF, AMT, K3, NTE, PS1, HCP) as they do loop 2300's;
// a DTP*472 after the line's REF and NTE was read without a word: still read as the line's
// date, with W-X12-SEGMENT-ORDER at its position. Each line starts the order afresh.
BOOST_AUTO_TEST_CASE(admission_date_format_and_line_segment_order) {
  const X12Result professional = read_x12(interchange(
      "005010X222A1", kAbove + "CLM*O1*100***11:B:1*Y*A*Y*Y~DTP*435*DT*202408141030~HI*ABK:M62830~"
                               "LX*1~SV1*HC:97140*100*UN*1***1~REF*6R*L1~NTE*ADD*NOTE~"
                               "DTP*472*D8*20240815~"
                               "LX*2~SV1*HC:97110*40*UN*1***1~DTP*472*D8*20240816~REF*6R*L2~"));
  BOOST_TEST_REQUIRE(professional.claims.size() == 1u);
  const model::Claim& c = professional.claims[0];
  BOOST_TEST(c.admission_date->iso() == "2024-08-14");
  BOOST_TEST_REQUIRE(c.lines.size() == 2u);
  BOOST_TEST(c.lines[0].service_dates->from.iso() == "2024-08-15");
  BOOST_TEST(c.lines[0].control_number == "L1");
  const std::string where = "test.837: ST 0001, segment ";
  BOOST_TEST(messages(professional) ==
                 (std::vector<std::string>{
                     where + "14 DTP, DTP02 (loop 2300): warning W-X12-DATE: DTP*435 (admission "
                             "date) is sent as DT (date and time), but the 837P takes D8 "
                             "(CCYYMMDD) here: read as the date 2024-08-14",
                     where + "20 DTP (loop 2400): warning W-X12-SEGMENT-ORDER: DTP arrives after "
                             "NTE in loop 2400, which the guides order LX, SV1/SV2, SV5, PWK, "
                             "CR1, CR3, CRC, DTP, QTY, MEA, CN1, REF, AMT, K3, NTE, PS1, HCP; "
                             "read as the line's"}),
             boost::test_tools::per_element());

  const X12Result institutional = read_x12(interchange(
      "005010X223A2", kAbove + "CLM*I9*900***11:A:1**A*Y*Y~DTP*434*RD8*20240801-20240805~"
                               "DTP*435*DT*202408010830~CL1*2*1*01~HI*ABK:I10~"
                               "LX*1~SV2*0450*HC:99285*900*UN*1~DTP*472*D8*20240801~REF*6R*L1~"));
  BOOST_TEST_REQUIRE(institutional.claims.size() == 1u);
  BOOST_TEST(institutional.claims[0].admission_date->iso() == "2024-08-01");
  BOOST_TEST(messages(institutional).empty());
}

// 005010X222A1's HI takes diagnoses, anesthesia related procedures (BP/BO) and condition codes
// (BG); occurrence (BH), span (BI) and value (BE) codes and ICD procedures (BBR ...) are the
// 837I's. On an 837P they are kept as sent (occurrence code 04 still escalates the external
// cause rule) and each is reported at its qualifier; they were taken without a word.
BOOST_AUTO_TEST_CASE(institutional_hi_codes_on_a_professional_claim) {
  const X12Result result = read_x12(
      interchange("005010X222A1", kAbove +
                                      "CLM*P9*100***11:B:1*Y*A*Y*Y~HI*ABK:M62830~"
                                      "HI*BH:04:D8:20240814*BBR:0SG00ZZ:D8:20240815*BG:01~" +
                                      kLine));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST(c.occurrence_codes == std::vector<std::string>{"04"});
  BOOST_TEST(c.procedures.size() == 1u);
  BOOST_TEST(c.condition_codes == std::vector<std::string>{"01"});
  const std::string where = "test.837: ST 0001, segment 15 HI, ";
  BOOST_TEST(messages(result) ==
                 (std::vector<std::string>{
                     where + "HI01-1 (loop 2300): warning W-X12-HI-QUALIFIER: HI01-1 qualifier BH "
                             "(occurrence code) is an 837I qualifier; the 837P's HI takes "
                             "diagnoses (ABK/BK, ABF/BF), anesthesia related procedures (BP/BO) "
                             "and condition codes (BG): kept as sent",
                     where + "HI02-1 (loop 2300): warning W-X12-HI-QUALIFIER: HI02-1 qualifier "
                             "BBR (procedure) is an 837I qualifier; the 837P's HI takes diagnoses "
                             "(ABK/BK, ABF/BF), anesthesia related procedures (BP/BO) and "
                             "condition codes (BG): kept as sent"}),
             boost::test_tools::per_element());
}

// 2000B SBR02 is 18 when the subscriber is the patient (the guides leave it empty otherwise, the
// patient then being in 2000C). A claim right under 2000B whose SBR02 names another relationship
// (19 child) has lost its patient level: the subscriber's demographics were used as the
// patient's, so age and sex edits ran on the wrong person. An empty SBR02 keeps them.
BOOST_AUTO_TEST_CASE(subscriber_demographics_only_for_the_subscriber) {
  struct Row {
    const char* sbr02;
    bool subscriber_is_patient;
  };
  for (const Row row : {Row{"18", true}, Row{"", true}, Row{"19", false}}) {
    BOOST_TEST_CONTEXT("SBR02 '" << row.sbr02 << "'") {
      std::string above = kAbove;
      above.replace(above.find("SBR*P*18*"), 9, std::string("SBR*P*") + row.sbr02 + "*");
      const X12Result result = read_x12(
          interchange("005010X222A1", above + "CLM*D1*100***11:B:1~HI*ABK:M62830~" + kLine));
      BOOST_TEST_REQUIRE(result.claims.size() == 1u);
      const model::Patient& patient = result.claims[0].patient;
      BOOST_TEST(patient.member_id.reveal() == "M123");
      if (row.subscriber_is_patient) {
        BOOST_TEST((patient.birth_date.reveal() == Date::from_civil(1980, 2, 15)));
        BOOST_TEST(patient.sex.reveal() == 'F');
        BOOST_TEST(patient.last_name.reveal() == "DOE");
        BOOST_TEST(messages(result).empty());
      } else {
        BOOST_TEST(!patient.birth_date.reveal().has_value());
        BOOST_TEST(patient.sex.reveal() == 0);
        BOOST_TEST(patient.last_name.reveal() == "");
        const std::vector<std::string> expected = {
            "test.837: ST 0001, segment 9 SBR, SBR02 (loop 2000B): warning W-X12-PATIENT-LEVEL: "
            "SBR02 '19' says the patient is not the subscriber (18), but this claim has no "
            "patient level (HL03 23, loop 2000C): the subscriber's name, birth date and sex are "
            "not used as the patient's"};
        BOOST_TEST(messages(result) == expected, boost::test_tools::per_element());
      }
    }
  }
}

// SE01, GE01 and IEA01 are counts and GS06/GE02, ISA13/IEA02 control numbers of type N0: "04"
// is 4. Written with leading zeros they were reported as mismatches; a real mismatch still is.
BOOST_AUTO_TEST_CASE(numeric_envelope_values_with_leading_zeros) {
  const std::string body = kAbove + "CLM*N1*100***11:B:1~HI*ABK:M62830~" + kLine;
  std::size_t segments = 2;
  for (char c : body) segments += c == '~' ? 1 : 0;
  const std::string count = std::to_string(segments);
  auto file = [&](const std::string& se01, const std::string& gs06, const std::string& ge,
                  const std::string& iea) {
    return isa() + "GS*HC*S*R*20240101*1200*" + gs06 + "*X*005010X222A1~ST*837*0001~" + body +
           "SE*" + se01 + "*0001~GE*" + ge + "~IEA*" + iea + "~";
  };
  const X12Result padded = read_x12(file("00" + count, "000000007", "01*7", "0001*000000001"));
  BOOST_TEST_REQUIRE(padded.claims.size() == 1u);
  BOOST_TEST(messages(padded).empty());
  const X12Result wrong = read_x12(file("0" + std::to_string(segments + 1), "7", "02*8", "1*2"));
  BOOST_TEST_REQUIRE(wrong.claims.size() == 1u);
  BOOST_TEST(diagnostic_codes(wrong.diagnostics) ==
             "W-X12-GE-CONTROL, W-X12-GE-COUNT, W-X12-IEA-CONTROL, W-X12-SE-COUNT");
}

// Files "wrapped" at a fixed line width (80-column records) break segments, the ISA included,
// anywhere with CR LF. CR and LF are never X12 data: the reader drops them inside segments and
// reads the ISA without them, so a wrapped file reads exactly as the unwrapped one. It used to be
// rejected (E-X12-ISA-LENGTH) or to read codes and names with line breaks inside them. Widths
// 104 and 105 put the break just before ISA16 and just before the segment terminator.
BOOST_AUTO_TEST_CASE(wrapped_files_read_as_unwrapped) {
  for (const char* name :
       {"uhin-x12-parser-library/837.edi", "imsweb-x12-parser/837_5010/x12_complex.txt",
        "imsweb-x12-parser/837_5010/x223-test.txt", "linuxforhealth-x12/demo-file/demo.837i"}) {
    std::string flat;
    for (char c : read_file(shared_dir() / "samples/x12" / name)) {
      if (c != '\r' && c != '\n') flat += c;
    }
    const X12Result expected = read_x12(flat);
    BOOST_TEST_REQUIRE(!expected.claims.empty());
    // Session 9: CR alone (old Mac line ends) was kept inside segments, so codes read as
    // "M6\r2830" and a wrapped CLM lost its claim.
    for (const std::string line_end : {"\r\n", "\n", "\r"}) {
      for (const std::size_t width : {80u, 64u, 104u, 105u, 106u}) {
        BOOST_TEST_CONTEXT(name << " wrapped at " << width << " with "
                                << (line_end == "\r"   ? "CR"
                                    : line_end == "\n" ? "LF"
                                                       : "CR LF")) {
          std::string wrapped;
          for (std::size_t i = 0; i < flat.size(); i += width) {
            wrapped += flat.substr(i, width) + line_end;
          }
          const X12Result result = read_x12(wrapped);
          BOOST_TEST(claims_json(result) == claims_json(expected));
          BOOST_TEST(messages(result) == messages(expected), boost::test_tools::per_element());
        }
      }
    }
  }
}

// A segment terminator that is itself a line break (CR, LF; CR LF reads as CR and a skipped LF)
// reads as the same file terminated by "~", whatever the line ends are.
BOOST_AUTO_TEST_CASE(line_break_terminators_read_as_tilde_terminators) {
  for (const char* name :
       {"uhin-x12-parser-library/837.edi", "imsweb-x12-parser/837_5010/x12_complex.txt",
        "linuxforhealth-x12/demo-file/demo.837i"}) {
    std::string flat;
    for (char c : read_file(shared_dir() / "samples/x12" / name)) {
      if (c != '\r' && c != '\n') flat += c;
    }
    const X12Result expected = read_x12(flat);
    BOOST_TEST_REQUIRE(!expected.claims.empty());
    for (const std::string terminator : {"\r", "\n", "\r\n"}) {
      BOOST_TEST_CONTEXT(name << " terminated by "
                              << (terminator == "\r"   ? "CR"
                                  : terminator == "\n" ? "LF"
                                                       : "CR LF")) {
        std::string text;
        for (char c : flat) {
          if (c == '~') {
            text += terminator;
          } else {
            text += c;
          }
        }
        const X12Result result = read_x12(text);
        BOOST_TEST(claims_json(result) == claims_json(expected));
        BOOST_TEST(messages(result).size() == messages(expected).size());
      }
    }
  }
}

// A line break inside a short ISA (a broken header, not a wrapped one) keeps its rejection.
BOOST_AUTO_TEST_CASE(line_break_in_a_short_isa_is_still_rejected) {
  const std::string text =
      "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *240101*1200*^*00501*"
      "000000001*0*T\r\nGS*HC*S*R*20240101*1200*1*X*005010X222A1~ST*837*0001~SE*2*0001~";
  const X12Result result = read_x12(text);
  BOOST_TEST(result.claims.empty());
  BOOST_TEST_REQUIRE(result.summary.rejection.has_value());
  BOOST_TEST(result.summary.rejection->code == "E-X12-ISA-LENGTH");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
