// Delimiters come from the ISA (DOMAIN.md 2.1): element = 4th character, repetition = ISA11
// when usable, component = ISA16, segment terminator = 106th character; white space between
// segments is skipped; BOM stripped; UTF-16 and wrong-length ISAs rejected with one reason.
#include <string>

#include <boost/test/unit_test.hpp>

#include "formats/x12/isa.hpp"
#include "formats/x12/x12_test_support.hpp"

namespace claimaudit::testing {
namespace {

using formats::x12::parse_isa;

// A minimal valid 837P interchange written with the given delimiters; `between` goes after each
// segment terminator (a newline, CRLF, indentation ...).
std::string sample(char element, char component, char segment, char repetition = '^',
                   const std::string& between = "") {
  std::string isa =
      "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *240101*1200*" +
      std::string(1, repetition) + "*00501*000000001*0*T*" + std::string(1, component);
  std::string body =
      "GS*HC*S*R*20240101*1200*1*X*005010X222A1|ST*837*0001*005010X222A1|"
      "BHT*0019*00*1*20240101*1200*CH|HL*1**20*1|NM1*85*2*CLINIC*****XX*1245319599|"
      "HL*2*1*22*0|SBR*P*18*******CI|NM1*IL*1*DOE*JANE****MI*M1|NM1*PR*2*PAYER*****PI*P1|"
      "CLM*C1*10***11:B:1|HI*ABK:M62830*ABF:X500XXA|LX*1|SV1*HC:97140:GP*10*UN*1***1:2|"
      "DTP*472*D8*20240815|SE*14*0001|GE*1*1|IEA*1*000000001|";
  std::string out;
  for (char c : isa) out += c == '*' ? element : c;
  out += segment;
  out += between;
  for (char c : body) {
    if (c == '*') {
      out += element;
    } else if (c == ':') {
      out += component;
    } else if (c == '|') {
      out += segment;
      out += between;
    } else {
      out += c;
    }
  }
  return out;
}

// Two spaces before every segment terminator after the ISA (the ISA is fixed-length).
std::string spaces_before_terminators(const std::string& text) {
  std::string out = text.substr(0, 106);
  for (char c : text.substr(106)) {
    if (c == '~') out += "  ";
    out += c;
  }
  return out;
}

void expect_one_clean_claim(const X12Result& result) {
  BOOST_TEST(result.summary.claims == 1);
  BOOST_TEST(!result.summary.rejection.has_value());
  BOOST_TEST(claim_ids(result) == "C1");
  BOOST_TEST(diagnosis_codes(result) == "M62830 X500XXA");
  BOOST_TEST(service_dates(result) == "2024-08-15..2024-08-15");
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "");
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  BOOST_TEST(result.claims[0].lines[0].modifiers == std::vector<std::string>{"GP"});
  BOOST_TEST(result.claims[0].lines[0].dx_pointers == (std::vector<int>{1, 2}));
  BOOST_TEST(result.claims[0].frequency_code == "1");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(x12_delimiters)

BOOST_AUTO_TEST_CASE(isa_positions) {
  const auto result = parse_isa(sample('*', ':', '~'));
  BOOST_TEST_REQUIRE(result.ok);
  BOOST_TEST(result.delimiters.element == '*');
  BOOST_TEST(result.delimiters.component == ':');
  BOOST_TEST(result.delimiters.segment == '~');
  BOOST_TEST(result.delimiters.repetition == '^');
  BOOST_TEST(result.unusable_repetition == 0);
}

// ISA11 is a repetition separator only when it is punctuation distinct from the others.
BOOST_AUTO_TEST_CASE(isa11_rules) {
  struct Row {
    char isa11;
    char repetition;
    char unusable;
  };
  // Control characters other than white space are usable (0x1E is the ASCII record separator
  // some senders pick); TAB and LF are not.
  const Row rows[] = {{'^', '^', 0},       {'|', '|', 0},       {'U', 0, 'U'},   {'`', 0, '`'},
                      {':', 0, ':'},       {'~', 0, '~'},       {' ', 0, ' '},   {'{', '{', 0},
                      {'\x1E', '\x1E', 0}, {'\x01', '\x01', 0}, {'\t', 0, '\t'}, {'\n', 0, '\n'}};
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT("ISA11 '" << row.isa11 << "'") {
      const auto result = parse_isa(sample('*', ':', '~', row.isa11));
      BOOST_TEST_REQUIRE(result.ok);
      BOOST_TEST(result.delimiters.repetition == row.repetition);
      BOOST_TEST(result.unusable_repetition == row.unusable);
    }
  }
}

// imsweb x12_bad_first_line.txt: ISA02 has 9 characters, so every delimiter position shifts.
BOOST_AUTO_TEST_CASE(wrong_length_isa_is_rejected) {
  std::string text = sample('*', ':', '~');
  text.erase(7, 1);  // ISA02 "          " -> 9 spaces.
  const auto isa = parse_isa(text);
  BOOST_TEST(!isa.ok);
  BOOST_TEST(isa.error_code == "E-X12-ISA-LENGTH");
  BOOST_TEST(isa.error_element == 2);
  const X12Result result = read_x12(text);
  BOOST_TEST(result.claims.empty());
  BOOST_TEST_REQUIRE(result.summary.rejection.has_value());
  BOOST_TEST(core::render(*result.summary.rejection) ==
             "test.837: ISA, ISA02: error E-X12-ISA-LENGTH: the ISA must be exactly 106 "
             "characters with fixed-width elements, but ISA02 is 9 characters, expected 10, so "
             "its delimiters cannot be read");
}

BOOST_AUTO_TEST_CASE(bad_delimiters_are_rejected) {
  struct Row {
    std::string text;
    std::string code;
  };
  const Row rows[] = {
      {sample('*', '~', '~'), "E-X12-DELIMITERS"},  // component == segment.
      {sample('*', 'A', '~'), "E-X12-DELIMITERS"},  // a letter.
      {"ISA", "E-X12-ISA-LENGTH"},
      {sample('*', ':', '~').substr(0, 90), "E-X12-ISA-LENGTH"},  // Truncated inside the ISA.
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.text.substr(0, 20)) {
      const X12Result result = read_x12(row.text);
      BOOST_TEST_REQUIRE(result.summary.rejection.has_value());
      BOOST_TEST(result.summary.rejection->code == row.code);
    }
  }
}

// Delimiter sets and what may stand between segments.
BOOST_AUTO_TEST_CASE(delimiters_and_white_space) {
  struct Row {
    const char* name;
    std::string text;
  };
  const Row rows[] = {
      {"standard", sample('*', ':', '~')},
      {"LF after each segment", sample('*', ':', '~', '^', "\n")},
      {"CRLF after each segment", sample('*', ':', '~', '^', "\r\n")},
      {"indented", sample('*', ':', '~', '^', "\r\n      ")},
      {"newline terminator", sample('*', '>', '\n')},
      {"CR terminator then LF", sample('*', ':', '\r', '^', "\n  ")},
      {"imsweb ~ ^ _", sample('~', '^', '_', 'U')},
      {"pipe and bang", sample('|', '!', '\n', '^')},
      {"pipe, greater-than, newline", sample('|', '>', '\n', '^')},
      {"pipe, greater-than, newline then CR LF", sample('|', '>', '\n', '^', "\r\n")},
      {"UTF-8 BOM", "\xEF\xBB\xBF" + sample('*', ':', '~')},
      {"leading white space", "\r\n  " + sample('*', ':', '~')},
      {"two segments on one line", sample('*', ':', '~', '^', " ")},
      {"caret element, brace repetition", sample('^', ':', '~', '{')},
      {"caret component, brace repetition", sample('*', '^', '~', '{')},
      {"apostrophe terminator", sample('*', ':', '\'')},
      {"apostrophe terminator then CRLF", sample('*', ':', '\'', '^', "\r\n")},
      {"control characters", sample('\x1D', '\x1F', '\x1C', '\x1E')},
      {"no terminator after IEA",
       sample('*', ':', '~').substr(0, sample('*', ':', '~').size() - 1)},
      {"white space after IEA", sample('*', ':', '~', '^', "\n") + "  \r\n\t\n"},
      {"spaces before each terminator", spaces_before_terminators(sample('*', ':', '~'))},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.name) {
      X12Result result = read_x12(row.text);
      if (std::string_view(row.name) == "imsweb ~ ^ _") {
        // ISA11 'U': said once, nothing split on it.
        BOOST_TEST(diagnostic_codes(result.diagnostics) == "W-X12-REPETITION-SEPARATOR");
        result.diagnostics.clear();
      }
      expect_one_clean_claim(result);
    }
  }
}

// ISA11 'U' must never split SV103 "UN".
BOOST_AUTO_TEST_CASE(unusable_repetition_separator_splits_nothing) {
  const X12Result result = read_x12(sample('*', ':', '~', 'U'));
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  BOOST_TEST(result.claims[0].lines[0].unit_basis == "UN");
  BOOST_TEST_REQUIRE(result.diagnostics.size() == 1u);
  BOOST_TEST(core::render(result.diagnostics[0]) ==
             "test.837: ISA 000000001, ISA11: warning W-X12-REPETITION-SEPARATOR: ISA11 'U' is "
             "not a repetition separator (the 4010 convention, or a character equal to another "
             "delimiter): the interchange is read without one");
}

// DOMAIN 9.1: ISA16 says ':' but the body writes '>'. Detected on the first composite (CLM05),
// reported once, and every composite read with '>'.
BOOST_AUTO_TEST_CASE(declared_component_separator_not_used) {
  std::string text = sample('*', '>', '~');
  text[104] = ':';  // ISA16 declares ':'.
  const X12Result result = read_x12(text);
  BOOST_TEST(diagnosis_codes(result) == "M62830 X500XXA");
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  BOOST_TEST(result.claims[0].place_of_service == "11");
  BOOST_TEST(result.claims[0].lines[0].procedure_code == "97140");
  BOOST_TEST_REQUIRE(result.diagnostics.size() == 1u);
  BOOST_TEST(core::render(result.diagnostics[0]) ==
             "test.837: ST 0001, segment 9 CLM, CLM05 (loop 2300): warning "
             "W-X12-COMPONENT-SEPARATOR: ISA16 declares ':' as the component separator, but the "
             "composites are written with '>'; read with '>'");
}

BOOST_AUTO_TEST_CASE(encodings_and_empty_input) {
  std::string utf16_bom = "\xFF\xFE";
  std::string utf16_plain;
  for (char c : sample('*', ':', '~')) {
    utf16_bom += c;
    utf16_bom += '\0';
    utf16_plain += c;
    utf16_plain += '\0';
  }
  struct Row {
    const char* name;
    std::string text;
    const char* code;
    const char* message;
  };
  const Row rows[] = {
      {"UTF-16LE with BOM", utf16_bom, "E-X12-ENCODING",
       "the file is UTF-16 (byte-order mark); X12 must be ASCII or UTF-8"},
      {"UTF-16LE without BOM", utf16_plain, "E-X12-ENCODING",
       "the file is UTF-16 or binary (NUL bytes between the first characters); X12 must be ASCII "
       "or UTF-8"},
      {"empty", "", "E-X12-EMPTY", "the file holds no X12 segments"},
      {"white space only", " \r\n\t\n", "E-X12-EMPTY", "the file holds no X12 segments"},
      {"BOM only", "\xEF\xBB\xBF", "E-X12-EMPTY", "the file holds no X12 segments"},
      {"starts at GS", "GS*HC*S*R~ST*837*1~", "E-X12-NO-ISA",
       "the file does not start with an ISA segment (it starts with 'GS')"},
      {"JSON", "{\"format\":1}", "E-X12-NO-ISA", "the file does not start with an ISA segment"},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.name) {
      const X12Result result = read_x12(row.text);
      BOOST_TEST(result.claims.empty());
      BOOST_TEST(result.batch_sizes.empty());
      BOOST_TEST_REQUIRE(result.summary.rejection.has_value());
      BOOST_TEST(result.summary.rejection->code == row.code);
      BOOST_TEST(result.summary.rejection->message == row.message);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
