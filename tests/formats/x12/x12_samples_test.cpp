// Every X12 file under ../shared/samples/x12 read through x12::open_reader: claim count, claim
// ids, diagnosis codes in order, dates of service, the diagnostic codes reported, or the exact
// rejection. Expected values follow samples/INDEX.md and DOMAIN.md 9; where the reader disagrees
// with INDEX.md, the row's comment says which is right and why. Recurring facts of the imsweb
// files, so they are not repeated per row: ISA11 'U' (W-X12-REPETITION-SEPARATOR), a wrong SE01
// (W-X12-SE-COUNT), HI written as HI*BK*8901*BF*87200 (W-X12-COMPOSITE-SPLIT, read as BK:8901,
// BF:87200), HL ids that repeat or name a parent that does not exist (W-X12-HL), and LX line
// numbers that run on from one claim to the next (LX*2 for a claim's first line) instead of
// starting at 1 in each claim (W-X12-LINE-NUMBER).
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "formats/x12/x12_test_support.hpp"

namespace claimaudit::testing {
namespace {

struct SampleRow {
  const char* path;  // Under ../shared/samples.
  std::size_t claims;
  const char* ids;
  const char* diagnoses;
  const char* dates;
  const char* diagnostics;
  const char* rejection_code;
  const char* rejection_where;
  const char* rejection_message;
};

// clang-format off
const SampleRow kSamples[] = {
    // A 999 acknowledgment, not a claim file (INDEX: wrong transaction type).
    {"x12/imsweb-x12-parser/837_5010/x12_999_accepted.txt", 0,
     "",
     "",
     "",
     "",
     "E-X12-WRONG-TYPE", "ST 0001, segment 1 ST, ST01",
     "wrong transaction type: ST01 is '999' (an implementation acknowledgment), not 837 (health care claim)"},
    // 999 with a '|' component separator: still rejected on ST01.
    {"x12/imsweb-x12-parser/837_5010/x12_999_rejected.txt", 0,
     "",
     "",
     "",
     "",
     "E-X12-WRONG-TYPE", "ST 95832987, segment 1 ST, ST01",
     "wrong transaction type: ST01 is '999' (an implementation acknowledgment), not 837 (health care claim)"},
    // HI*BK:1739** is a well-formed composite with empty trailing elements: no composite diagnostic.
    {"x12/imsweb-x12-parser/837_5010/x12_ambiguous_loop.txt", 1,
     "A37YH556",
     "1739",
     "2005-03-14..2005-03-25",
     "W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    // INDEX counts 2 claims in the body, but its ISA02 has 9 characters, so the ISA is 105 long and
    // every fixed-position delimiter is shifted. DOMAIN 2.1 says quarantine with a clear reason: we
    // follow DOMAIN (reading on would mean guessing the delimiters of an interchange that states them
    // wrongly).
    {"x12/imsweb-x12-parser/837_5010/x12_bad_first_line.txt", 0,
     "",
     "",
     "",
     "",
     "E-X12-ISA-LENGTH", "ISA, ISA02",
     "the ISA must be exactly 106 characters with fixed-width elements, but ISA02 is 9 characters, expected 10, so its delimiters cannot be read"},
    // "*IC*..", "Nd4", "NM31" are skipped with W-X12-SEGMENT-ID; losing NM31 (the NM1*IL) costs the
    // first claim its subscriber name.
    {"x12/imsweb-x12-parser/837_5010/x12_bad_segment_identifier.txt", 2,
     "A37YH556,A37YH667",
     "8901 87200 5559|1987 4134 5559",
     "2005-03-14..2005-03-25|2005-03-22..2005-03-25",
     "W-X12-COMPOSITE-SPLIT x2, W-X12-HL x2, W-X12-LINE-NUMBER, W-X12-MISSING-SEGMENT, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT, W-X12-SEGMENT-ID x3",
     "", "",
     ""},
    // NM1*117 instead of NM1*85: both claims lose their billing provider NPI and tax id.
    {"x12/imsweb-x12-parser/837_5010/x12_bad_valid_code.txt", 2,
     "A37YH556,A37YH667",
     "8901 87200 5559|1987 4134 5559",
     "2005-03-14..2005-03-25|2005-03-22..2005-03-25",
     "W-X12-COMPOSITE-SPLIT x2, W-X12-ENTITY-CODE, W-X12-HL x2, W-X12-LINE-NUMBER, W-X12-MISSING-SEGMENT x2, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    // 2 ST, 6 claims; 2320/2330 loops (other payers) must not overwrite the claim's subscriber, payer
    // or billing provider; GE01 says 1 but the group has 2 sets.
    {"x12/imsweb-x12-parser/837_5010/x12_complex.txt", 6,
     "A37YH556,A37YH667,A37YH668,A37YH556,A37YH667,A37YH668",
     "8901 87200 5559|1987 4134 5559|1988 4134 5559|8901 87200 5559|1987 4134 5559|1989 4134 5559",
     "2015-03-30..2015-03-30 2015-03-31..2015-03-31|2016-03-24..2016-03-24|2017-06-23..2017-06-23 2017-06-24..2017-06-24|2015-03-30..2015-03-30 2015-03-31..2015-03-31|2016-03-24..2016-03-24|2017-06-23..2017-06-23 2017-06-24..2017-06-24",
     "W-X12-COMPOSITE-SPLIT x6, W-X12-GE-COUNT, W-X12-HL x4, W-X12-LINE-NUMBER x4, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT x2",
     "", "",
     ""},
    {"x12/imsweb-x12-parser/837_5010/x12_loop_errors1_exceeds_max_1_parent.txt", 1,
     "A37YH556",
     "8901 87200 5559",
     "2005-03-14..2005-03-25",
     "W-X12-COMPOSITE-SPLIT, W-X12-REPEATED-LOOP, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    {"x12/imsweb-x12-parser/837_5010/x12_loop_errors2_exceeds_max_repeats_multiple_parents.txt", 2,
     "A37YH556,A37YH556",
     "8901 87200 5559|8901 87200 5559",
     "2005-03-14..2005-03-25|2005-03-14..2005-03-25",
     "W-X12-COMPOSITE-SPLIT x2, W-X12-HL, W-X12-REPEATED-LOOP, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    {"x12/imsweb-x12-parser/837_5010/x12_loop_errors3_missing_loops.txt", 1,
     "A37YH556",
     "8901 87200 5559",
     "2005-03-14..2005-03-25",
     "W-X12-COMPOSITE-SPLIT, W-X12-MISSING-SEGMENT, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    // CLM05 missing on the second claim: no place of service or frequency.
    {"x12/imsweb-x12-parser/837_5010/x12_missing_elements.txt", 2,
     "A37YH556,A37YH667",
     "8901 87200 5559|1987 4134 5559",
     "2005-03-14..2005-03-25|2005-03-22..2005-03-25",
     "W-X12-COMPOSITE-SPLIT x2, W-X12-HL x2, W-X12-LINE-NUMBER, W-X12-MISSING-ELEMENT, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    {"x12/imsweb-x12-parser/837_5010/x12_missing_required_loop_in_one_repeat.txt", 2,
     "A37YH667,A37YH556",
     "1987 4134 5559|8901 87200 5559",
     "2005-03-22..2005-03-25|2005-03-14..2005-03-25",
     "W-X12-COMPOSITE-SPLIT x2, W-X12-HL x2, W-X12-LINE-NUMBER, W-X12-MISSING-SEGMENT, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    // Two claims lack LX: their SV1 still becomes a line (W-X12-MISSING-SEGMENT); DTP*472*RD9 is
    // not a date format (E-X12-DATE) and leaves that line without a date.
    {"x12/imsweb-x12-parser/837_5010/x12_missing_required_loops_mult_repeats.txt", 5,
     "A37YH556,A37YH667,A37YH556,A37YH556,A37YH556",
     "8901 87200 5559|1987 4134 5559|8901 87200 5559|8901 87200 5559|8901 87200 5559",
     "2005-03-14..2005-03-25|-|2005-03-14..2005-03-25|2005-03-14..2005-03-25|2005-03-14..2005-03-25",
     "E-X12-DATE, W-X12-COMPOSITE-SPLIT x5, W-X12-HL x2, W-X12-MISSING-SEGMENT x2, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    {"x12/imsweb-x12-parser/837_5010/x12_multiple_gs.txt", 6,
     "A37YH556,A37YH667,A37YH556,A37YH667,A37YH556,A37YH667",
     "8901 87200 5559|1987 4134 5559|8901 87200 5559|1987 4134 5559|8901 87200 5559|1987 4134 5559",
     "2005-03-14..2005-03-25|2005-03-22..2005-03-25|2005-03-14..2005-03-25|2001-05-23..2001-06-01|2005-03-14..2005-03-25|2001-05-23..2001-06-01",
     "W-X12-COMPOSITE-SPLIT x6, W-X12-HL x6, W-X12-IEA-COUNT, W-X12-LINE-NUMBER x3, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT x3",
     "", "",
     ""},
    {"x12/imsweb-x12-parser/837_5010/x12_multiple_st.txt", 4,
     "A37YH556,A37YH667,A37YH556,A37YH667",
     "8901 87200 5559|1987 4134 5559|8901 87200 5559|1987 4134 5559",
     "2005-03-14..2005-03-25|2005-03-22..2005-03-25|2005-03-14..2005-03-25|2005-03-22..2005-03-25",
     "W-X12-COMPOSITE-SPLIT x4, W-X12-GE-COUNT, W-X12-HL x4, W-X12-LINE-NUMBER x2, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT x2",
     "", "",
     ""},
    {"x12/imsweb-x12-parser/837_5010/x12_no_errors.txt", 2,
     "A37YH556,A37YH556",
     "8901 87200 5559|8901 87200 5559",
     "2005-03-14..2005-03-25|2005-03-14..2005-03-25",
     "W-X12-COMPOSITE-SPLIT x2, W-X12-HL, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    // Starts at GS: no ISA, so no delimiters (INDEX: quarantine "no ISA"; it counts the 2 claims of
    // the body).
    {"x12/imsweb-x12-parser/837_5010/x12_no_isa_line.txt", 0,
     "",
     "",
     "",
     "",
     "E-X12-NO-ISA", "byte 0",
     "the file does not start with an ISA segment (it starts with 'GS')"},
    // No HI at all: the claim is kept, with W-X12-MISSING-SEGMENT.
    {"x12/imsweb-x12-parser/837_5010/x12_segment_errors.txt", 1,
     "A37YH556",
     "",
     "2005-03-14..2005-03-25",
     "W-X12-MISSING-SEGMENT, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    {"x12/imsweb-x12-parser/837_5010/x12_valid.txt", 2,
     "A37YH556,A37YH667",
     "8901 87200 5559|1987 4134 5559",
     "2005-03-14..2005-03-25|2005-03-22..2005-03-25",
     "W-X12-COMPOSITE-SPLIT x2, W-X12-HL x2, W-X12-LINE-NUMBER, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    {"x12/imsweb-x12-parser/837_5010/x12_valid_different_separators.txt", 2,
     "A37YH556,A37YH667",
     "8901 87200 5559|1987 4134 5559",
     "2005-03-14..2005-03-25|2005-03-22..2005-03-25",
     "W-X12-COMPOSITE-SPLIT x2, W-X12-HL x2, W-X12-LINE-NUMBER, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    // ICD-9 qualifier on a 2020 DOS: the reader keeps it (code_system icd9cm); the rules judge it.
    {"x12/imsweb-x12-parser/837_5010/x12_writer_test.txt", 1,
     "A37YH556",
     "1739",
     "2020-05-24..2020-05-28",
     "W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    // 837I: CL1, DTP*434 (sent as D8: one day), stray spaces and two segments on one line.
    {"x12/imsweb-x12-parser/837_5010/x223-test.txt", 1,
     "A37YH556",
     "1739",
     "2005-03-14..2005-03-25 S2012-03-30..2012-03-30",
     // CLM05 is 11:B:1 on an 837I claim (CL1, DTP*434, SV2): CLM05-2 B is the 837P place-of-
     // service qualifier; 837I takes A (facility type code). The line (DTP*472 2005-03-14..25)
     // lies outside the statement period (DTP*434 2012-03-30): W-X12-LINE-DATE. DTP*434 is D8,
     // where the 837I requires RD8: W-X12-DATE.
     "W-X12-CODE-VALUE, W-X12-DATE, W-X12-LINE-DATE, W-X12-REPETITION-SEPARATOR, W-X12-SE-COUNT",
     "", "",
     ""},
    // 4010 guides inside a 00501 envelope: unsupported version (INDEX counts the body's claim; DOMAIN
    // 9.1 calls these version-mismatch negatives).
    {"x12/linuxforhealth-x12/837_004010X096A1/automobile-accident.837", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 1, GS08",
     "GS08 '004010X096A1' is a 4010 guide: unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    {"x12/linuxforhealth-x12/837_004010X096A1/homeowners.837", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 1, GS08",
     "GS08 '004010X096A1' is a 4010 guide: unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    {"x12/linuxforhealth-x12/837_004010X096A1/institutional-ppo-repriced.837", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 1, GS08",
     "GS08 '004010X096A1' is a 4010 guide: unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    {"x12/linuxforhealth-x12/837_004010X096A1/institutional.837", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 1, GS08",
     "GS08 '004010X096A1' is a 4010 guide: unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    {"x12/linuxforhealth-x12/837_004010X098A1/coordination-of-benefits.837", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 1, GS08",
     "GS08 '004010X098A1' is a 4010 guide: unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    {"x12/linuxforhealth-x12/837_004010X098A1/dependent-commercial-insurance-01.837", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 1, GS08",
     "GS08 '004010X098A1' is a 4010 guide: unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    {"x12/linuxforhealth-x12/837_004010X098A1/dependent-commercial-insurance-02.837", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 1, GS08",
     "GS08 '004010X098A1' is a 4010 guide: unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    {"x12/linuxforhealth-x12/837_004010X098A1/dependent-commercial-insurance-03.837", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 1, GS08",
     "GS08 '004010X098A1' is a 4010 guide: unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    {"x12/linuxforhealth-x12/837_004010X098A1/patient-is-dependent.837", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 1, GS08",
     "GS08 '004010X098A1' is a 4010 guide: unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    {"x12/linuxforhealth-x12/837_004010X098A1/patient-is-subscriber.837", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 1, GS08",
     "GS08 '004010X098A1' is a 4010 guide: unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    // CLM05 is 41::1: CLM05-2 (required, B on 837P) is empty.
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.ambulance.example5.837", 1,
     "051068",
     "8628 E8888 9592 8540",
     "2005-02-08..2005-02-08 2005-02-08..2005-02-08 2005-02-08..2005-02-08 2005-02-08..2005-02-08",
     "W-X12-MISSING-ELEMENT",
     "", "",
     ""},
    // ISA16 ':' but the body writes '>' (DOMAIN 9.1): detected and read with '>'.
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.cob.2ndary.example4.837", 1,
     "125WILL",
     "7215",
     "2005-02-15..2005-02-15",
     "W-X12-COMPONENT-SEPARATOR",
     "", "",
     ""},
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.cob.example3.A.837", 1,
     "26407789",
     "4779 2724 2780 53081",
     "2005-10-03..2005-10-03 2005-10-03..2005-10-03 2005-10-03..2005-10-03",
     "",
     "", "",
     ""},
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.cob.example3.B.837", 1,
     "26407789",
     "4779 2724 2780 53081",
     "2005-10-03..2005-10-03 2005-10-03..2005-10-03 2005-10-03..2005-10-03",
     "",
     "", "",
     ""},
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.cob.example3.C.837", 1,
     "26407789",
     "4779 2724 2780 53081",
     "2005-10-03..2005-10-03 2005-10-03..2005-10-03 2005-10-03..2005-10-03",
     "",
     "", "",
     ""},
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.cob.example4.837", 1,
     "101KEN6055",
     "71516 71906",
     "2005-01-19..2005-01-19",
     "",
     "", "",
     ""},
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.drug.example10.1.837", 1,
     "CLMNO12345",
     "03591",
     "2004-07-11..2004-07-11 2004-07-11..2004-07-11",
     "",
     "", "",
     ""},
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.drug.example10.2.837", 1,
     "CLMNO12345",
     "4659",
     "2004-02-01..2004-02-07 2004-02-01..2004-02-07 2004-02-01..2004-02-07 2004-02-01..2004-02-07 2004-02-01..2004-02-07 2004-02-01..2004-02-07",
     "",
     "", "",
     ""},
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.example1.837", 1,
     "26463774",
     "0340 V7389",
     "2006-10-03..2006-10-03 2006-10-03..2006-10-03 2006-10-10..2006-10-10 2006-10-10..2006-10-10",
     "",
     "", "",
     ""},
    // ':'/'>' mismatch.
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.example11.837", 1,
     "ABC123-RI",
     "496 25000",
     "2005-05-14..2005-05-14 2005-05-14..2005-05-14",
     "W-X12-COMPONENT-SEPARATOR",
     "", "",
     ""},
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.example2.837", 1,
     "26462967",
     "0340 V7389",
     "2006-10-03..2006-10-03 2006-10-03..2006-10-03 2006-10-10..2006-10-10 2006-10-10..2006-10-10",
     "",
     "", "",
     ""},
    // Chiropractic SV1*HC>98940 with the ':'/'>' mismatch.
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.example6.837", 1,
     "125WILL",
     "7215",
     "2005-02-15..2005-02-15",
     "W-X12-COMPONENT-SEPARATOR",
     "", "",
     ""},
    {"x12/linuxforhealth-x12/837_005010X222A2/demo.example8.837", 1,
     "SMI123",
     "436 3449",
     "2005-03-21..2005-03-21",
     "",
     "", "",
     ""},
    // DTP*434*D8 (the 837I requires RD8): read as one day, W-X12-DATE.
    {"x12/linuxforhealth-x12/837_005010X223A3/institutional-claim.837i", 1,
     "756048Q",
     "3669 4019 79431",
     "1996-09-11..1996-09-11 1996-09-11..1996-09-11 S1996-09-11..1996-09-11",
     "W-X12-DATE",
     "", "",
     ""},
    // ':'/'>' mismatch in an 837I.
    {"x12/linuxforhealth-x12/837_005010X223A3/out-of-network-repriced-claim.837i", 1,
     "W392-49141",
     "53081",
     "2005-06-17..2005-06-17 S2005-06-17..2005-06-17",
     "W-X12-COMPONENT-SEPARATOR",
     "", "",
     ""},
    {"x12/linuxforhealth-x12/837_005010X223A3/two-claims-single-provider.837i", 2,
     "756048Q,756049Q",
     "3669 4019 79431|30000",
     "2005-03-15..2005-03-15 2005-03-15..2005-03-15 S2005-03-15..2005-03-15|2005-04-01..2005-04-01 S2005-04-01..2005-04-01",
     "",
     "", "",
     ""},
    {"x12/linuxforhealth-x12/demo-file/demo.837", 1,
     "26463774",
     "0340 V7389",
     "2006-10-03..2006-10-03 2006-10-03..2006-10-03 2006-10-10..2006-10-10 2006-10-10..2006-10-10",
     "",
     "", "",
     ""},
    // DTP*434*D8 (the 837I requires RD8): read as one day, W-X12-DATE.
    {"x12/linuxforhealth-x12/demo-file/demo.837i", 1,
     "756048Q",
     "3669 4019 79431",
     "1996-09-11..1996-09-11 1996-09-11..1996-09-11 S1996-09-11..1996-09-11",
     "W-X12-DATE",
     "", "",
     ""},
    // 4010 837I, ISA12 00401: unsupported version.
    {"x12/oopfactory-x12/_837I_4010/Spec_4.1.1_InstitutionalClaim.txt", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 31, GS08",
     "GS08 '004010X096A1' is a 4010 guide (ISA12 '00401'): unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    // 837I content under GS08 005010X222 (ST03 says 005010X223): guide mismatch warning; ISA11 and
    // ISA16 are both '^', so there is no repetition separator, and the body uses ':'. DTP*434*D8.
    {"x12/oopfactory-x12/_837I_5010/Spec_3.1.1.txt", 1,
     "756048Q",
     "3669 4019 79431",
     "1996-09-11..1996-09-11 1996-09-11..1996-09-11 S1996-09-11..1996-09-11",
     "W-X12-COMPONENT-SEPARATOR, W-X12-DATE, W-X12-GUIDE-MISMATCH, W-X12-REPETITION-SEPARATOR",
     "", "",
     ""},
    // 837I content under GS08 005010X222.
    {"x12/oopfactory-x12/_837I_5010/Spec_3.1.2_TwoClaimsForTheSameProvider.txt", 2,
     "756048Q,756049Q",
     "3669 4019 79431|30000",
     "2005-03-15..2005-03-15 2005-03-15..2005-03-15 S2005-03-15..2005-03-15|2005-04-01..2005-04-01 S2005-04-01..2005-04-01",
     "W-X12-GUIDE-MISMATCH",
     "", "",
     ""},
    // 837I content under GS08 005010X222, and ':' declared but '>' written.
    {"x12/oopfactory-x12/_837I_5010/Spec_3.1.4_OutOfNetworkRepricedClaim.txt", 1,
     "W392-49141",
     "53081",
     "2005-06-17..2005-06-17 S2005-06-17..2005-06-17",
     "W-X12-COMPONENT-SEPARATOR, W-X12-GUIDE-MISMATCH",
     "", "",
     ""},
    // Fully masked 4010 batch (GS08 999999X999X9, ISA12 99999): unsupported version.
    {"x12/oopfactory-x12/_837P_4010/837_DeIdent_03.dat", 0,
     "",
     "",
     "",
     "",
     "E-X12-UNSUPPORTED-VERSION", "GS 9999999, GS08",
     "GS08 '999999X999X9' is not a 5010 guide (ISA12 '99999'): unsupported version; only 5010 837P (005010X222...) and 837I (005010X223...) are read"},
    // The second claim's SBR lacks one '*' (SBR08 = CI, SBR09 empty): W-X12-MISSING-ELEMENT.
    {"x12/oopfactory-x12/_837P_5010/Example1_2_And_3_Combined.txt", 3,
     "26463774,26407789,26462967",
     "0340 V7389|4779 2724 2780 53081|0340 V7389",
     "2006-10-03..2006-10-03 2006-10-03..2006-10-03 2006-10-10..2006-10-10 2006-10-10..2006-10-10|2005-10-03..2005-10-03 2005-10-03..2005-10-03 2005-10-03..2005-10-03|2006-10-03..2006-10-03 2006-10-03..2006-10-03 2006-10-10..2006-10-10 2006-10-10..2006-10-10",
     "W-X12-MISSING-ELEMENT",
     "", "",
     ""},
    {"x12/oopfactory-x12/_837P_5010/Example1_HealthInsurance.txt", 1,
     "26463774",
     "0340 V7389",
     "2006-10-03..2006-10-03 2006-10-03..2006-10-03 2006-10-10..2006-10-10 2006-10-10..2006-10-25",
     "",
     "", "",
     ""},
    {"x12/oopfactory-x12/_837P_5010/Example2_Encounter.txt", 1,
     "26462967",
     "0340 V7389",
     "2006-10-03..2006-10-03 2006-10-03..2006-10-03 2006-10-10..2006-10-10 2006-10-10..2006-10-10",
     "",
     "", "",
     ""},
    // '>' declared and used; masked values (CLM05-3 frequency 9); no HI.
    {"x12/oopfactory-x12/_837P_5010/MedicaidExample.txt", 5,
     "9999,9999,9999,9999,9999",
     "||||",
     "2011-12-12..2011-12-12 2011-12-12..2011-12-12|2011-12-13..2011-12-13 2011-12-13..2011-12-13|2011-12-14..2011-12-14 2011-12-14..2011-12-14|2011-12-12..2011-12-12 2011-12-12..2011-12-12|2011-12-14..2011-12-14 2011-12-14..2011-12-14",
     // Masked data: CLM05 is 99>X>9, and X is not a CLM05-2 qualifier (B or A).
     "W-X12-CODE-VALUE x5, W-X12-MISSING-SEGMENT x5",
     "", "",
     ""},
    // CR is the segment terminator (LF and indentation skipped), BOM, 2000C patient.
    {"x12/oopfactory-x12/_837P_5010/ST1309-XX.txt", 1,
     "B330004Y",
     "84500",
     "2013-03-12..2013-03-12 2013-03-12..2013-03-12",
     "",
     "", "",
     ""},
    // UTF-16LE without a BOM.
    {"x12/oopfactory-x12/_837P_5010/UnicodeExample.txt", 0,
     "",
     "",
     "",
     "",
     "E-X12-ENCODING", "byte 0",
     "the file is UTF-16 or binary (NUL bytes between the first characters); X12 must be ASCII or UTF-8"},
    // ST/BHT/REF only.
    {"x12/staedi/837-header-ref-only.edi", 0,
     "",
     "",
     "",
     "",
     "E-X12-NO-CLAIMS", "",
     "no claims: no transaction set holds a CLM segment"},
    // Only HL segments (bare "HL" included): nothing to audit.
    {"x12/staedi/sample837-HL-nested.edi", 0,
     "",
     "",
     "",
     "",
     "E-X12-NO-CLAIMS", "",
     "no claims: no transaction set holds a CLM segment"},
    // ISA12 00402, newline terminators, two header-only ST: "no claims" (DOMAIN 9.1) rather than
    // "unsupported version", because the GS08 guide (005010X222) is readable; the reader decides the
    // version from GS08/ST03 and only warns about ISA12.
    {"x12/staedi/sample837-small.edi", 0,
     "",
     "",
     "",
     "",
     "E-X12-NO-CLAIMS", "",
     "no claims: no transaction set holds a CLM segment"},
    // The ICD-10 sample (DOMAIN 9.1): a clean claim, correct SE01, no diagnostic at all.
    {"x12/uhin-x12-parser-library/837.edi", 1,
     "1606",
     "R69",
     "2024-08-15..2024-08-20",
     "",
     "", "",
     ""},
};
// clang-format on

}  // namespace

BOOST_AUTO_TEST_SUITE(x12_samples)

BOOST_AUTO_TEST_CASE(every_sample_file_has_a_row) {
  std::set<std::string> listed;
  for (const auto& row : kSamples) listed.insert(row.path);
  listed.insert("x12/imsweb-x12-parser/837_5010/x12_many_claims.txt");  // Its own test below.
  std::set<std::string> found;
  const auto root = shared_dir() / "samples";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "x12")) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (name.rfind("LICENSE", 0) == 0 || name == "License.html") continue;
    found.insert(std::filesystem::relative(entry.path(), root).string());
  }
  BOOST_TEST(found == listed, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(each_sample_reads_as_listed) {
  for (const auto& row : kSamples) {
    BOOST_TEST_CONTEXT(row.path) {
      const X12Result result = read_x12_file(shared_dir() / "samples" / row.path);
      BOOST_TEST(result.claims.size() == row.claims);
      BOOST_TEST(result.summary.claims == static_cast<int>(row.claims));
      BOOST_TEST(claim_ids(result) == row.ids);
      BOOST_TEST(diagnosis_codes(result) == row.diagnoses);
      BOOST_TEST(service_dates(result) == row.dates);
      BOOST_TEST(diagnostic_codes(result.diagnostics) == row.diagnostics);
      if (std::string_view(row.rejection_code).empty()) {
        BOOST_TEST(!result.summary.rejection.has_value());
      } else {
        BOOST_TEST_REQUIRE(result.summary.rejection.has_value());
        BOOST_TEST(result.summary.rejection->code == row.rejection_code);
        BOOST_TEST(result.summary.rejection->where.path == row.rejection_where);
        BOOST_TEST(result.summary.rejection->message == row.rejection_message);
        BOOST_TEST(result.summary.rejection->where.file ==
                   std::filesystem::path(row.path).filename().string());
        BOOST_TEST(result.summary.batches == 0);
      }
    }
  }
}

// One ST with 820 claims (INDEX: volume): the pair A37YH556/A37YH667 repeated 410 times.
BOOST_AUTO_TEST_CASE(many_claims) {
  const X12Result result =
      read_x12_file(shared_dir() / "samples/x12/imsweb-x12-parser/837_5010/x12_many_claims.txt");
  BOOST_TEST_REQUIRE(result.claims.size() == 820u);
  BOOST_TEST(result.batch_sizes == std::vector<std::size_t>{820});
  for (std::size_t i = 0; i < result.claims.size(); ++i) {
    const auto& claim = result.claims[i];
    BOOST_TEST_CONTEXT("claim " << i) {
      BOOST_TEST(claim.claim_id == (i % 2 == 0 ? "A37YH556" : "A37YH667"));
      BOOST_TEST(claim.envelope.position == static_cast<int>(i));
      BOOST_TEST(claim.diagnoses.size() == 3u);
      BOOST_TEST(claim.lines.size() == 1u);
    }
  }
  BOOST_TEST(diagnostic_codes(result.diagnostics) ==
             "W-X12-COMPOSITE-SPLIT x820, W-X12-HL x2, W-X12-LINE-NUMBER x410, "
             "W-X12-REPETITION-SEPARATOR, "
             "W-X12-SE-COUNT");
  BOOST_TEST(!result.summary.rejection.has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
