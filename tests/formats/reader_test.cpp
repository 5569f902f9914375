// Tests for formats/reader.hpp: content detection and open_reader()'s hand-off.
#include "formats/reader.hpp"

#include <string>
#include <vector>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "support/temp_dir.hpp"

namespace claimaudit::formats {
namespace {

// Hands out at most `chunk` bytes per read, so the head/rest seam of open_reader() falls inside
// tokens.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string_view bytes, std::size_t chunk) : bytes_(bytes), chunk_(chunk) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t count = std::min({size, chunk_, bytes_.size()});
    std::copy_n(bytes_.data(), count, buffer);
    bytes_.remove_prefix(count);
    return count;
  }

 private:
  std::string_view bytes_;
  std::size_t chunk_;
};

struct DetectCase {
  std::string name;
  std::string head;
  Format expected;
};
std::ostream& operator<<(std::ostream& out, const DetectCase& c) { return out << c.name; }

const std::vector<DetectCase> kDetectCases = {
    {"isa", "ISA*00*          *00*", Format::kX12},
    {"isa_after_bom_and_space", "\xEF\xBB\xBF\r\n  ISA*00*", Format::kX12},
    {"starts_at_gs", "GS*HC*SENDER*RECEIVER*20240815", Format::kX12},
    {"fhir_claim", "{\"resourceType\": \"Claim\", \"id\": \"1\"}", Format::kFhir},
    {"fhir_after_other_keys", "{\"id\": {\"a\": [1, \"resourceType\"]}, \"resourceType\": \"B\"}",
     Format::kFhir},
    {"fhir_truncated_head", "{\n  \"resourceType\" : \"Bundle\",\n  \"entry\": [ {\"res",
     Format::kFhir},
    {"claim_json", "{\"format\": \"claimaudit.claim/1\", \"claim_id\": \"1\"}", Format::kClaimJson},
    {"claim_json_batch_without_format_first", "{\"claims\": [], \"format\": \"x\"}",
     Format::kUnknown},
    {"claim_json_claims_only", "{\"claims\": []}", Format::kClaimJson},
    {"nested_resource_type_only", "{\"a\": {\"resourceType\": \"Claim\"}}", Format::kUnknown},
    {"other_json", "{\"hello\": 1}", Format::kUnknown},
    {"json_array", "[{\"resourceType\": \"Claim\"}]", Format::kUnknown},
    {"empty", "", Format::kUnknown},
    {"text", "hello world", Format::kUnknown},
    {"utf16le_no_bom", std::string("I\0S\0A\0*\0", 8), Format::kUnknown},
    {"utf16le_bom", std::string("\xFF\xFE{\0", 4), Format::kUnknown},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(reader)

BOOST_DATA_TEST_CASE(detects_format_from_content, boost::unit_test::data::make(kDetectCases),
                     sample) {
  BOOST_TEST(to_string(detect(sample.head)) == to_string(sample.expected));
}

BOOST_AUTO_TEST_CASE(rejects_utf16_sample_with_its_own_reason) {
  const std::string bytes = testing::read_file(
      testing::shared_dir() / "samples/x12/oopfactory-x12/_837P_5010/UnicodeExample.txt");
  StringSource source(bytes);
  auto reader = open_reader(source, "UnicodeExample.txt");
  model::Batch batch;
  BOOST_TEST(!reader->next(batch));
  const FileSummary& summary = reader->summary();
  BOOST_TEST(to_string(summary.format) == "unknown");
  BOOST_TEST(summary.claims == 0);
  BOOST_REQUIRE(summary.rejection.has_value());
  BOOST_TEST(core::render(*summary.rejection) ==
             "UnicodeExample.txt: error E-FORMAT-UNKNOWN: file is encoded in UTF-16LE; claim "
             "files must be ASCII or UTF-8 (convert it, e.g. with iconv, and drop it again)");
}

BOOST_AUTO_TEST_CASE(rejects_empty_and_unknown_files) {
  StringSource empty("");
  auto reader = open_reader(empty, "empty.txt");
  model::Batch batch;
  BOOST_TEST(!reader->next(batch));
  BOOST_REQUIRE(reader->summary().rejection.has_value());
  BOOST_TEST(core::render(*reader->summary().rejection) ==
             "empty.txt: error E-FORMAT-UNKNOWN: file is empty");

  StringSource other("{\"hello\": [1, 2]}");
  auto other_reader = open_reader(other, "other.json");
  BOOST_TEST(!other_reader->next(batch));
  BOOST_REQUIRE(other_reader->summary().rejection.has_value());
  BOOST_TEST(other_reader->summary().rejection->message ==
             "JSON object with neither a FHIR \"resourceType\" nor \"format\": "
             "\"claimaudit.claim/1\" near its start");
}

// Compressed files, archives and documents are named as such, with what to drop instead: the
// gzip case is a real 837 compressed with gzip (header bytes of RFC 1952, any compression level).
BOOST_AUTO_TEST_CASE(names_compressed_archived_and_document_files) {
  const std::string edi =
      testing::read_file(testing::shared_dir() / "samples/x12/uhin-x12-parser-library/837.edi");
  BOOST_REQUIRE(edi.substr(0, 3) == "ISA");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03", 10) + edi, "gzip-compressed"},
      {std::string("PK\x03\x04\x14\x00\x00\x00", 8) + "837.edi", "a ZIP archive"},
      {std::string("\x28\xB5\x2F\xFD\x04\x58", 6), "zstd-compressed"},
      {"BZh91AY&SY", "bzip2-compressed"},
      {std::string("\xFD"
                   "7zXZ\x00\x00",
                   7),
       "xz-compressed"},
      {std::string("7z\xBC\xAF\x27\x1C\x00\x04", 8), "a 7-Zip archive"},
      {"%PDF-1.7\n%\xE2\xE3", "a PDF document"},
  };
  for (const auto& [bytes, kind] : cases) {
    StringSource source(bytes);
    auto reader = open_reader(source, "drop.bin");
    model::Batch batch;
    BOOST_TEST(!reader->next(batch));
    BOOST_REQUIRE(reader->summary().rejection.has_value());
    BOOST_TEST(core::render(*reader->summary().rejection) ==
               "drop.bin: error E-FORMAT-UNKNOWN: file is " + kind +
                   "; drop the claim file itself (an X12 837, FHIR JSON or claimaudit.claim/1 "
                   "JSON), uncompressed and one per file");
  }
  // Text that merely starts with "PK" or "BZ" is not taken for an archive.
  BOOST_TEST(to_string(detect("PKG report")) == "unknown");
  BOOST_TEST(to_string(detect(edi)) == "x12");
}

BOOST_AUTO_TEST_CASE(hands_the_whole_file_to_the_detected_reader) {
  // Longer than the 4 KiB head, delivered 7 bytes at a time: the reader must see every byte.
  std::string text = "{\"format\": \"claimaudit.claim/1\", \"claims\": [";
  for (int i = 0; i < 200; ++i) {
    if (i > 0) text += ",";
    text += "{\"claim_id\": \"C" + std::to_string(i) +
            "\", \"kind\": \"professional\", \"diagnoses\": [{\"seq\": 1, \"code\": \"M62830\"}]}";
  }
  text += "]}";
  BOOST_REQUIRE(text.size() > 8192);
  TrickleSource source(text, 7);
  auto reader = open_reader(source, "many.json");
  model::Batch batch;
  BOOST_REQUIRE(reader->next(batch));
  BOOST_TEST(batch.claims.size() == 200u);
  BOOST_TEST(batch.claims.back().claim_id == "C199");
  BOOST_TEST(batch.diagnostics.empty());
  BOOST_TEST(!reader->next(batch));
  BOOST_TEST(to_string(reader->summary().format) == "claimaudit-json");
  BOOST_TEST(reader->summary().claims == 200);
  BOOST_TEST(!reader->summary().rejection.has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::formats
