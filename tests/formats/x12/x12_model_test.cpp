// The X12 reader fills every model field it can, with its origin: the UHIN sample field by
// field, then small hand-made 837P and 837I transaction sets for the fields no sample carries
// (CLM11, DTP*431/439, NTE, PWK, POA, occurrence and condition codes, REF*F8).
#include <boost/test/unit_test.hpp>

#include "core/date.hpp"
#include "formats/location.hpp"
#include "formats/x12/x12_test_support.hpp"

namespace claimaudit::testing {
namespace {

using core::Date;

const std::string kIsa =
    "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *240101*1200*^*00501*"
    "000000001*0*T*:~";

// An interchange around one transaction set: `body` holds the segments after ST (without SE);
// SE01 is counted so no envelope diagnostic appears.
std::string interchange(const std::string& guide, const std::string& body) {
  std::size_t segments = 2;  // ST and SE.
  for (char c : body) segments += c == '~' ? 1 : 0;
  return kIsa + "GS*HC*S*R*20240101*1200*1*X*" + guide + "~ST*837*0001*" + guide + "~" + body +
         "SE*" + std::to_string(segments) + "*0001~GE*1*1~IEA*1*000000001~";
}

const std::string kHeader =
    "BHT*0019*00*1*20240101*1200*CH~NM1*41*2*SUBMITTER*****46*1~NM1*40*2*RECEIVER*****46*2~";
const std::string kProvider =
    "HL*1**20*1~NM1*85*2*CLINIC*****XX*1245319599~N3*1 MAIN ST~N4*TOWN*UT*84101~"
    "REF*EI*123456789~";

}  // namespace

BOOST_AUTO_TEST_SUITE(x12_model)

// DOMAIN 9.1: the one ICD-10 sample, every field the model has.
BOOST_AUTO_TEST_CASE(uhin_sample_field_by_field) {
  const X12Result result =
      read_x12_file(shared_dir() / "samples/x12/uhin-x12-parser-library/837.edi");
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  BOOST_TEST(result.diagnostics.empty());
  const model::Claim& c = result.claims[0];
  BOOST_TEST(c.claim_id == "1606");
  BOOST_TEST((c.kind == model::ClaimKind::kProfessional));
  BOOST_TEST(c.total_charge == "2");
  BOOST_TEST(c.place_of_service == "11");
  BOOST_TEST(c.facility_type == "");
  BOOST_TEST(c.frequency_code == "1");
  BOOST_TEST((c.frequency == model::Frequency::kOriginal));
  BOOST_TEST(c.replaces == "");
  BOOST_TEST(c.billing_provider.npi == "1245319599");
  BOOST_TEST(c.billing_provider.tax_id == "123456789");
  BOOST_TEST(formats::render_origin(c.billing_provider.origin, "800000372") ==
             "ST 800000372, segment 8 NM1, NM109 (loop 2010AA)");
  BOOST_TEST(c.payer.id == "FLHIN");
  BOOST_TEST(c.payer.name == "FLORIDA DIRECT UHIN PAYER");
  BOOST_TEST(c.payer.filing_indicator == "CI");
  BOOST_TEST((c.payer.kind == model::PayerKind::kCommercial));
  BOOST_TEST(formats::render_origin(c.payer.origin, "800000372") ==
             "ST 800000372, segment 13 SBR, SBR09 (loop 2000B)");
  BOOST_TEST(c.patient.member_id.reveal() == "601239742");
  BOOST_TEST(c.patient.last_name.reveal() == "MARQUARDT");
  BOOST_TEST(c.patient.first_name.reveal() == "RALPH");
  BOOST_TEST((c.patient.birth_date.reveal() == Date::from_civil(1946, 11, 11)));
  BOOST_TEST(c.patient.sex.reveal() == 'F');
  BOOST_TEST(formats::render_origin(c.patient.origin, "800000372") ==
             "ST 800000372, segment 17 DMG, DMG02 (loop 2010BA)");
  BOOST_TEST(c.envelope.interchange_control == "800000372");
  BOOST_TEST(c.envelope.group_control == "800000372");
  BOOST_TEST(c.envelope.transaction_control == "800000372");
  BOOST_TEST(c.envelope.guide == "005010X222A1");
  BOOST_TEST(c.envelope.hl_path == "1/2");
  BOOST_TEST(c.envelope.position == 0);
  BOOST_TEST(formats::render_origin(c.origin, "800000372") ==
             "ST 800000372, segment 19 CLM (loop 2300)");
  BOOST_TEST(c.origin.byte_offset == 749u);
  BOOST_TEST_REQUIRE(c.diagnoses.size() == 1u);
  const model::Diagnosis& dx = c.diagnoses[0];
  BOOST_TEST(dx.seq == 1);
  BOOST_TEST(dx.code == "R69");
  BOOST_TEST(dx.raw == "R69");
  BOOST_TEST(dx.qualifier == "ABK");
  BOOST_TEST((dx.role == model::DiagnosisRole::kPrincipal));
  BOOST_TEST((dx.code_system == model::CodeSystem::kIcd10Cm));
  BOOST_TEST(dx.poa == 0);
  // DOMAIN 2.7: "ST 800000372, segment 20 HI, HI01-2 (loop 2300)" is the code part of HI*ABK:R69.
  BOOST_TEST(formats::render_origin(dx.origin, c.envelope.transaction_control) ==
             "ST 800000372, segment 20 HI, HI01-2 (loop 2300)");
  BOOST_TEST(dx.origin.byte_offset == 780u);
  BOOST_TEST_REQUIRE(c.lines.size() == 1u);
  const model::ServiceLine& line = c.lines[0];
  BOOST_TEST(line.seq == 1);
  BOOST_TEST(line.procedure_qualifier == "HC");
  BOOST_TEST(line.procedure_code == "90834");
  BOOST_TEST(line.modifiers.empty());
  BOOST_TEST(line.charge == "2");
  BOOST_TEST(line.unit_basis == "UN");
  BOOST_TEST(line.units == "1");
  BOOST_TEST(line.dx_pointers == std::vector<int>{1});
  BOOST_TEST_REQUIRE(line.service_dates.has_value());
  BOOST_TEST((line.service_dates->from == Date::from_civil(2024, 8, 15)));
  BOOST_TEST((line.service_dates->to == Date::from_civil(2024, 8, 20)));
  BOOST_TEST(formats::render_origin(line.origin, "800000372") ==
             "ST 800000372, segment 21 LX, LX01 (loop 2400)");
  BOOST_TEST(c.diagnostics.empty());
}

BOOST_AUTO_TEST_CASE(professional_claim_fields) {
  const std::string body =
      kHeader + kProvider +
      "HL*2*1*22*0~SBR*P*18*GRP******WC~NM1*IL*1*DOE*JANE****MI*M123~DMG*D8*19800215*F~"
      "NM1*PR*2*WORKCOMP INC*****PI*WC01~"
      "CLM*PCN-7*155.5***11:B:7*Y*A*Y*Y*P*EM:AA::UT~DTP*431*D8*20240810~DTP*439*D8*20240809~"
      "PWK*OZ*BM***AC*CTRL1~REF*F8*PAYERCLAIM99~NTE*ADD*LIFTING BOXES AT WORK~"
      "HI*ABK:M62830*ABF:X500XXA*ABF:Y99.0~"
      "LX*1~SV1*HC:97140:GP:59*55*UN*1.5*11**1:2~DTP*472*D8*20240815~REF*6R*LINE-1~"
      "LX*2~SV1*HC:99213*100*UN*1***3~DTP*472*RD8*20240815-20240816~";
  const X12Result result = read_x12(interchange("005010X222A1", body));
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "W-X12-DOTTED-CODE");  // Y99.0
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST(c.claim_id == "PCN-7");
  BOOST_TEST(c.total_charge == "155.5");
  BOOST_TEST(c.frequency_code == "7");
  BOOST_TEST((c.frequency == model::Frequency::kReplacement));
  BOOST_TEST(c.replaces == "PAYERCLAIM99");
  BOOST_TEST((c.payer.kind == model::PayerKind::kWorkersComp));
  BOOST_TEST((c.accident.cause == model::AccidentCause::kEmployment));
  BOOST_TEST(c.accident.related_causes == (std::vector<std::string>{"EM", "AA"}));
  BOOST_TEST(c.accident.state == "UT");
  BOOST_TEST((c.accident.date == Date::from_civil(2024, 8, 9)));
  BOOST_TEST(formats::render_origin(c.accident.origin, "0001") ==
             "ST 0001, segment 15 CLM, CLM11 (loop 2300)");
  BOOST_TEST((c.onset_date == Date::from_civil(2024, 8, 10)));
  BOOST_TEST(c.has_attachment);
  BOOST_TEST_REQUIRE(c.notes.size() == 1u);
  BOOST_TEST(c.notes[0].kind == "ADD");
  BOOST_TEST(c.notes[0].text.reveal() == "LIFTING BOXES AT WORK");
  BOOST_TEST(formats::render_origin(c.notes[0].origin, "0001") ==
             "ST 0001, segment 20 NTE, NTE02 (loop 2300)");
  BOOST_TEST_REQUIRE(c.diagnoses.size() == 3u);
  BOOST_TEST(c.diagnoses[1].code == "X500XXA");
  BOOST_TEST((c.diagnoses[1].role == model::DiagnosisRole::kOther));
  BOOST_TEST(c.diagnoses[2].code == "Y990");  // Dotted on the wire: normalised.
  BOOST_TEST(c.diagnoses[2].raw == "Y99.0");
  BOOST_TEST(formats::render_origin(c.diagnoses[2].origin, "0001") ==
             "ST 0001, segment 21 HI, HI03-2 (loop 2300)");
  BOOST_TEST_REQUIRE(c.lines.size() == 2u);
  BOOST_TEST(c.lines[0].modifiers == (std::vector<std::string>{"GP", "59"}));
  BOOST_TEST(c.lines[0].units == "1.5");
  BOOST_TEST(c.lines[0].place_of_service == "11");
  BOOST_TEST(c.lines[0].dx_pointers == (std::vector<int>{1, 2}));
  BOOST_TEST(c.lines[0].control_number == "LINE-1");
  BOOST_TEST((c.lines[1].service_dates ==
              model::DateRange{Date::from_civil(2024, 8, 15), Date::from_civil(2024, 8, 16)}));
  BOOST_TEST(c.lines[1].dx_pointers == std::vector<int>{3});
}

BOOST_AUTO_TEST_CASE(institutional_claim_fields) {
  const std::string body =
      kHeader + kProvider +
      "HL*2*1*22*0~SBR*P*18*******MA~NM1*IL*1*DOE*JOHN****MI*1EG4~DMG*D8*19400101*M~"
      "NM1*PR*2*MEDICARE*****PI*MCR~"
      "CLM*INST-1*900***11:A:1**A*Y*Y~DTP*434*RD8*20240801-20240805~DTP*435*DT*202408010830~"
      "CL1*1*7*01~"
      "HI*ABK:M62830:::::::Y~HI*ABJ:R252~HI*APR:M545*APR:M6283~"
      "HI*ABF:S39012A:::::::N*ABN:X500XXA:::::::U*ABN:Y92009~"
      "HI*BH:01:D8:20240801~HI*BG:09~HI*BE:A2:::15.31~"
      "LX*1~SV2*0420*HC:97140:GP*120*UN*2~DTP*472*D8*20240802~";
  const X12Result result = read_x12(interchange("005010X223A2", body));
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "");
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST((c.kind == model::ClaimKind::kInstitutional));
  BOOST_TEST(c.facility_type == "11");
  BOOST_TEST(c.place_of_service == "");
  BOOST_TEST((c.payer.kind == model::PayerKind::kMedicare));
  BOOST_TEST((c.statement_period ==
              model::DateRange{Date::from_civil(2024, 8, 1), Date::from_civil(2024, 8, 5)}));
  BOOST_TEST((c.admission_date == Date::from_civil(2024, 8, 1)));
  BOOST_TEST(c.admission_type == "1");
  BOOST_TEST(c.occurrence_codes == std::vector<std::string>{"01"});
  BOOST_TEST(c.condition_codes == std::vector<std::string>{"09"});
  std::vector<std::string> got;
  for (const auto& dx : c.diagnoses) {
    got.push_back(std::to_string(dx.seq) + " " + dx.code + " " +
                  std::string(model::to_string(dx.role)) + " " +
                  (dx.poa ? std::string(1, dx.poa) : "-"));
  }
  const std::vector<std::string> expected = {
      "1 M62830 principal Y",       "2 R252 admitting -", "3 M545 reason_for_visit -",
      "4 M6283 reason_for_visit -", "5 S39012A other N",  "6 X500XXA external_cause U",
      "7 Y92009 external_cause -"};
  BOOST_TEST(got == expected, boost::test_tools::per_element());
  BOOST_TEST(formats::render_origin(c.diagnoses[5].origin, "0001") ==
             "ST 0001, segment 22 HI, HI02-2 (loop 2300)");
  BOOST_TEST_REQUIRE(c.lines.size() == 1u);
  BOOST_TEST(c.lines[0].revenue_code == "0420");
  BOOST_TEST(c.lines[0].procedure_code == "97140");
  BOOST_TEST(c.lines[0].modifiers == std::vector<std::string>{"GP"});
  BOOST_TEST(c.lines[0].charge == "120");
  BOOST_TEST(c.lines[0].units == "2");
  BOOST_TEST(c.lines[0].dx_pointers.empty());
}

BOOST_AUTO_TEST_CASE(icd9_qualifiers_and_unreadable_codes) {
  const std::string body =
      kHeader + kProvider +
      "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JOHN****MI*1~NM1*PR*2*P*****PI*P~"
      "CLM*C1*10***11:B:1~HI*BK:8842*BN:E986.0*BF:12-34*ABF:~"
      "LX*1~SV1*HC:99213*10*UN*1***1~DTP*472*D8*20100101~";
  const X12Result result = read_x12(interchange("005010X222A1", body));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST_REQUIRE(c.diagnoses.size() == 3u);
  BOOST_TEST((c.diagnoses[0].code_system == model::CodeSystem::kIcd9Cm));
  BOOST_TEST(c.diagnoses[1].code == "E9860");  // ICD-9 E code: dot after the fourth character.
  BOOST_TEST((c.diagnoses[1].role == model::DiagnosisRole::kExternalCause));
  BOOST_TEST(c.diagnoses[2].code == "");
  BOOST_TEST(c.diagnoses[2].raw == "12-34");
  std::vector<std::string> rendered;
  for (const auto& d : c.diagnostics) rendered.push_back(core::render(d));
  // BN (ICD-9-CM external cause) is an 837I qualifier: on this 837P it is read with its role
  // and reported.
  const std::vector<std::string> expected = {
      "test.837: ST 0001, segment 15 HI, HI03-2 (loop 2300): error E-X12-DX-CODE: HI03-2 is not "
      "a diagnosis code (3 to 7 letters or digits); kept raw",
      "test.837: ST 0001, segment 15 HI, HI04-2 (loop 2300): error E-X12-COMPOSITE: HI04-2: "
      "qualifier ABF without a code",
      "test.837: ST 0001, segment 15 HI, HI02-1 (loop 2300): warning W-X12-HI-QUALIFIER: HI02-1 "
      "qualifier BN (external cause) is an 837I qualifier; the 837P takes ABK/BK and ABF/BF: "
      "read with that role"};
  BOOST_TEST(rendered == expected, boost::test_tools::per_element());
}

// imsweb writes HI*BK*8901*BF*87200*BF:5559: each bare qualifier is paired with the element
// after it; the code's origin is that element (no component).
BOOST_AUTO_TEST_CASE(split_composite_recovery) {
  const std::string body =
      kHeader + kProvider +
      "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JOHN****MI*1~NM1*PR*2*P*****PI*P~"
      "CLM*C1*10***11:B:1~HI*BK*8901*BF*87200*BF:5559~"
      "LX*1~SV1*HC:99213*10*UN*1***1:2:3~DTP*472*D8*20100101~";
  const X12Result result = read_x12(interchange("005010X222A1", body));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST(diagnosis_codes(result) == "8901 87200 5559");
  BOOST_TEST(formats::render_origin(c.diagnoses[1].origin, "0001") ==
             "ST 0001, segment 15 HI, HI04 (loop 2300)");
  BOOST_TEST(formats::render_origin(c.diagnoses[2].origin, "0001") ==
             "ST 0001, segment 15 HI, HI05-2 (loop 2300)");
  BOOST_TEST_REQUIRE(c.diagnostics.size() == 1u);
  BOOST_TEST(core::render(c.diagnostics[0]) ==
             "test.837: ST 0001, segment 15 HI, HI01 (loop 2300): warning W-X12-COMPOSITE-SPLIT: "
             "HI01 holds qualifier BK without a component separator and HI02 its code: each bare "
             "qualifier in this HI is read together with the element after it");
}

// The guides send ICD-10-CM codes without their decimal point: a dotted one is read as meant,
// with a warning at its component (payers may reject it). ICD-9-CM E codes keep theirs.
BOOST_AUTO_TEST_CASE(dotted_icd10_code_is_read_with_a_warning) {
  const std::string body =
      kHeader + kProvider +
      "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JOHN****MI*1~NM1*PR*2*P*****PI*P~"
      "CLM*C1*10***11:B:1~HI*ABK:M54.50*ABF:M62830~"
      "LX*1~SV1*HC:99213*10*UN*1***1:2~DTP*472*D8*20240815~";
  const X12Result result = read_x12(interchange("005010X222A1", body));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST(diagnosis_codes(result) == "M5450 M62830");
  BOOST_TEST_REQUIRE(c.diagnostics.size() == 1u);
  BOOST_TEST(core::render(c.diagnostics[0]) ==
             "test.837: ST 0001, segment 15 HI, HI01-2 (loop 2300): warning W-X12-DOTTED-CODE: "
             "HI01-2 M54.50 carries a decimal point; X12 sends ICD-10-CM codes without it "
             "(M5450), and payers may reject it: read as M54.50");
}

// oopfactory: 837I content under an 837P guide. The content decides, with a warning.
BOOST_AUTO_TEST_CASE(content_decides_the_claim_kind) {
  const std::string body =
      kHeader + kProvider +
      "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JOHN****MI*1~NM1*PR*2*P*****PI*P~"
      "CLM*C1*10***13:A:1~DTP*434*RD8*20240101-20240102~HI*ABK:R69~"
      "LX*1~SV2*0300*HC:81099*10*UN*1~";
  const X12Result result = read_x12(interchange("005010X222A1", body));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  BOOST_TEST((result.claims[0].kind == model::ClaimKind::kInstitutional));
  BOOST_TEST(result.claims[0].facility_type == "13");
  BOOST_TEST_REQUIRE(result.diagnostics.size() == 1u);
  BOOST_TEST(core::render(result.diagnostics[0]) ==
             "test.837: ST 0001, segment 14 CLM (loop 2300): warning W-X12-GUIDE-MISMATCH: the "
             "guide 005010X222A1 is professional, but the claim is institutional (SV2); read as "
             "institutional");
}

BOOST_AUTO_TEST_CASE(read_options_fill_what_the_file_leaves_empty) {
  const std::string body = kHeader + kProvider +
                           "HL*2*1*22*0~SBR*P*18~NM1*IL*1*DOE*JOHN****MI*1~NM1*PR*2*P*****PI*P~"
                           "CLM*C1*10***11:B:1~HI*ABK:R69~";
  formats::ReadOptions options;
  options.default_payer_kind = model::PayerKind::kMedicaid;
  options.default_claim_kind = model::ClaimKind::kProfessional;
  const X12Result result = read_x12(interchange("005010", body), "test.837", options);
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  BOOST_TEST((result.claims[0].kind == model::ClaimKind::kProfessional));
  BOOST_TEST((result.claims[0].payer.kind == model::PayerKind::kMedicaid));
  BOOST_TEST(diagnostic_codes(result.diagnostics) ==
             "W-X12-MISSING-ELEMENT, W-X12-MISSING-SEGMENT");
}

// 837P at its limits: 12 HI codes (dotted, lower case), four modifiers (one in lower case,
// read upper-case), four pointers, a two-digit pointer, D8 and RD8 line dates.
BOOST_AUTO_TEST_CASE(professional_twelve_codes_four_modifiers_four_pointers) {
  const std::string body =
      kHeader + kProvider +
      "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JOHN****MI*1~NM1*PR*2*P*****PI*P~"
      "CLM*P12*150***11:B:1~HI*ABK:M62830*ABF:m62.838*ABF:R25.2*ABF:M5450*ABF:G8929*"
      "ABF:X500XXA*ABF:Y92009*ABF:Y990*ABF:S39012A*ABF:M47816*ABF:M5126*ABF:m48.06~"
      "LX*1~SV1*HC:99213:25:rt:LT:59:OFFICE VISIT*100*UN*1***1:2:3:4~DTP*472*D8*20240815~"
      "LX*2~SV1*HC:97140*50*UN*2***12:11~DTP*472*RD8*20240815-20240817~";
  const X12Result result = read_x12(interchange("005010X222A1", body));
  // m62.838, R25.2, m48.06: read without their dots, each with a warning.
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "W-X12-DOTTED-CODE x3");
  BOOST_TEST(diagnosis_codes(result) ==
             "M62830 M62838 R252 M5450 G8929 X500XXA Y92009 Y990 S39012A M47816 M5126 M4806");
  BOOST_TEST(service_dates(result) == "2024-08-15..2024-08-15 2024-08-15..2024-08-17");
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  std::vector<int> seqs;
  for (const auto& dx : c.diagnoses) seqs.push_back(dx.seq);
  BOOST_TEST(seqs == (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  BOOST_TEST(c.diagnoses[1].raw == "m62.838");
  BOOST_TEST(formats::render_origin(c.diagnoses[11].origin, "0001") ==
             "ST 0001, segment 15 HI, HI12-2 (loop 2300)");
  BOOST_TEST_REQUIRE(c.lines.size() == 2u);
  BOOST_TEST(c.lines[0].procedure_code == "99213");
  BOOST_TEST(c.lines[0].modifiers == (std::vector<std::string>{"25", "RT", "LT", "59"}));
  BOOST_TEST(c.lines[0].dx_pointers == (std::vector<int>{1, 2, 3, 4}));
  BOOST_TEST(c.lines[1].seq == 2);
  BOOST_TEST(c.lines[1].dx_pointers == (std::vector<int>{12, 11}));
}

// An unreadable HI element keeps its place: the codes after it keep their HI position as seq,
// so SV107 pointers (positions HI01..HI12) still name the code the sender meant.
BOOST_AUTO_TEST_CASE(unreadable_hi_elements_keep_their_position) {
  const std::string body =
      kHeader + kProvider +
      "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JOHN****MI*1~NM1*PR*2*P*****PI*P~"
      "CLM*C1*10***11:B:1~HI*ABK:M62830*ABF:*ABX:R252*M5450*ABF:G8929*BG:09~"
      "LX*1~SV1*HC:99213*10*UN*1***5:1~DTP*472*D8*20240815~";
  const X12Result result = read_x12(interchange("005010X222A1", body));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  std::vector<std::string> got;
  for (const auto& dx : c.diagnoses) got.push_back(std::to_string(dx.seq) + " " + dx.code);
  BOOST_TEST(got == (std::vector<std::string>{"1 M62830", "5 G8929"}),
             boost::test_tools::per_element());
  BOOST_TEST(c.condition_codes == std::vector<std::string>{"09"});
  BOOST_TEST(c.lines[0].dx_pointers == (std::vector<int>{5, 1}));
  const std::vector<std::string> expected = {
      "test.837: ST 0001, segment 15 HI, HI02-2 (loop 2300): error E-X12-COMPOSITE: HI02-2: "
      "qualifier ABF without a code",
      "test.837: ST 0001, segment 15 HI, HI03-1 (loop 2300): warning W-X12-HI-QUALIFIER: HI03-1 "
      "qualifier 'ABX' is not a diagnosis, occurrence or condition code qualifier; skipped",
      "test.837: ST 0001, segment 15 HI, HI04 (loop 2300): error E-X12-COMPOSITE: HI04 is not a "
      "composite (qualifier, component separator, code); skipped"};
  BOOST_TEST(rendered(c.diagnostics) == expected, boost::test_tools::per_element());
}

// 837I with ICD-9-CM qualifiers (BK principal, BJ admitting, PR reason for visit, BN external
// cause, BF other), a replacement (CLM05-3 7) with REF*F8, lines with and without HCPCS.
BOOST_AUTO_TEST_CASE(institutional_icd9_replacement) {
  const std::string body =
      kHeader + kProvider +
      "HL*2*1*22*0~SBR*P*18*******MA~NM1*IL*1*DOE*JOHN****MI*1EG4~NM1*PR*2*MEDICARE*****PI*MCR~"
      "CLM*I9*900***11:A:7**A*Y*Y~DTP*434*RD8*20130928-20131003~CL1*1*7*01~REF*F8*ORIG9~"
      "HI*BK:82021~HI*BJ:82021~HI*PR:7295~HI*BN:E888.9~HI*BF:4019*BF:25000~"
      "LX*1~SV2*0120**3000*DA*5~LX*2~SV2*0360*HC:27130:RT*9000*UN*1~DTP*472*D8*20130929~";
  const X12Result result = read_x12(interchange("005010X223A2", body));
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "");
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  const model::Claim& c = result.claims[0];
  BOOST_TEST((c.kind == model::ClaimKind::kInstitutional));
  BOOST_TEST(c.facility_type == "11");
  BOOST_TEST(c.frequency_code == "7");
  BOOST_TEST((c.frequency == model::Frequency::kReplacement));
  BOOST_TEST(c.replaces == "ORIG9");
  std::vector<std::string> got;
  for (const auto& dx : c.diagnoses) {
    got.push_back(std::to_string(dx.seq) + " " + dx.code + " " +
                  std::string(model::to_string(dx.role)) + " " +
                  std::string(model::to_string(dx.code_system)));
  }
  const std::vector<std::string> expected = {
      "1 82021 principal icd9cm",      "2 82021 admitting icd9cm", "3 7295 reason_for_visit icd9cm",
      "4 E8889 external_cause icd9cm", "5 4019 other icd9cm",      "6 25000 other icd9cm"};
  BOOST_TEST(got == expected, boost::test_tools::per_element());
  BOOST_TEST(service_dates(result) == "- 2013-09-29..2013-09-29 S2013-09-28..2013-10-03");
  BOOST_TEST_REQUIRE(c.lines.size() == 2u);
  BOOST_TEST(c.lines[0].revenue_code == "0120");
  BOOST_TEST(c.lines[0].procedure_code == "");
  BOOST_TEST(c.lines[0].unit_basis == "DA");
  BOOST_TEST(c.lines[1].procedure_code == "27130");
  BOOST_TEST(c.lines[1].modifiers == std::vector<std::string>{"RT"});
}

// DTP*472 in loop 2300 is not in the 5010 guides (4010 habit): it dates the lines that have no
// DTP*472 of their own, with a warning. A claim with no service date anywhere keeps none.
BOOST_AUTO_TEST_CASE(claim_level_service_date_and_none_at_all) {
  const std::string body =
      kHeader + kProvider +
      "HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JOHN****MI*1~NM1*PR*2*P*****PI*P~"
      "CLM*CLAIM-DATE*10***11:B:1~DTP*472*RD8*20240815-20240816~HI*ABK:M62830~"
      "LX*1~SV1*HC:97140*10*UN*1***1~LX*2~SV1*HC:97110*10*UN*1***1~DTP*472*D8*20240820~"
      "CLM*NO-DATE*10***11:B:1~HI*ABK:M62830~LX*1~SV1*HC:97140*10*UN*1***1~";
  const X12Result result = read_x12(interchange("005010X222A1", body));
  BOOST_TEST(claim_ids(result) == "CLAIM-DATE,NO-DATE");
  BOOST_TEST(service_dates(result) == "2024-08-15..2024-08-16 2024-08-20..2024-08-20|-");
  const std::vector<std::string> expected = {
      "test.837: ST 0001, segment 15 DTP, DTP01 (loop 2300): warning W-X12-CLAIM-DATE: DTP*472 "
      "(service date) in loop 2300: the 5010 guides carry it on each line (loop 2400); used for "
      "the lines without their own DTP*472",
      "test.837: ST 0001, segment 24 LX, LX01 (loop 2400): warning W-X12-MISSING-SEGMENT: service "
      "line 1 has no service date (DTP*472, loop 2400)"};
  BOOST_TEST(rendered(result.diagnostics) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
