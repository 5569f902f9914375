// Streaming: the reader pulls the source in chunks, keeps one transaction set's claims, and gives
// the same result whatever sizes the source hands out (a terminator exactly at a chunk's end
// included). A generated multi-megabyte interchange is produced lazily, so the file never exists
// in memory as a whole.
#include <algorithm>
#include <string>

#include <boost/test/unit_test.hpp>

#include "formats/x12/segment_scanner.hpp"
#include "formats/x12/x12_test_support.hpp"

namespace claimaudit::testing {
namespace {

// Hands out at most `limit` bytes per read.
class ChunkedSource final : public formats::ByteSource {
 public:
  ChunkedSource(std::string_view bytes, std::size_t limit) : bytes_(bytes), limit_(limit) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t count = std::min({size, limit_, bytes_.size()});
    std::copy_n(bytes_.data(), count, buffer);
    bytes_.remove_prefix(count);
    return count;
  }

 private:
  std::string_view bytes_;
  std::size_t limit_;
};

// An interchange of `sets` transaction sets with `claims` claims each, generated one ST at a
// time as it is read.
class GeneratedSource final : public formats::ByteSource {
 public:
  GeneratedSource(int sets, int claims) : sets_(sets), claims_(claims) {
    pending_ =
        "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *240101*1200*^*"
        "00501*000000001*0*T*:~\nGS*HC*S*R*20240101*1200*1*X*005010X222A1~\n";
  }
  std::size_t read(char* buffer, std::size_t size) override {
    while (offset_ == pending_.size()) {
      if (!refill()) return 0;
    }
    const std::size_t count = std::min(size, pending_.size() - offset_);
    std::copy_n(pending_.data() + offset_, count, buffer);
    offset_ += count;
    produced_ += count;
    return count;
  }
  std::size_t produced() const { return produced_; }

 private:
  bool refill() {
    pending_.clear();
    offset_ = 0;
    if (set_ == sets_) {
      if (done_) return false;
      done_ = true;
      pending_ = "GE*" + std::to_string(sets_) + "*1~\nIEA*1*000000001~\n";
      return true;
    }
    ++set_;
    const std::string control = std::to_string(set_);
    int segments = 0;
    auto add = [&](const std::string& segment) {
      pending_ += segment;
      pending_ += "~\n";
      ++segments;
    };
    add("ST*837*" + control + "*005010X222A1");
    add("BHT*0019*00*1*20240101*1200*CH");
    add("HL*1**20*1");
    add("NM1*85*2*CLINIC*****XX*1245319599");
    for (int i = 0; i < claims_; ++i) {
      const std::string id = "S" + control + "C" + std::to_string(i);
      add("HL*" + std::to_string(i + 2) + "*1*22*0");
      add("SBR*P*18*******CI");
      add("NM1*IL*1*LAST*FIRST****MI*M" + std::to_string(i));
      add("DMG*D8*19700101*F");
      add("NM1*PR*2*PAYER*****PI*P1");
      add("CLM*" + id + "*100***11:B:1*Y*A*Y*Y");
      add("HI*ABK:M62830*ABF:X500XXA*ABF:Y9289");
      add("LX*1");
      add("SV1*HC:97140:GP*100*UN*1***1:2:3");
      add("DTP*472*D8*20240815");
    }
    add("SE*" + std::to_string(segments + 1) + "*" + control);
    return true;
  }

  int sets_;
  int claims_;
  int set_ = 0;
  bool done_ = false;
  std::string pending_;
  std::size_t offset_ = 0;
  std::size_t produced_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(x12_streaming)

// 60 transaction sets x 250 claims: one batch per ST, every claim, in order, no diagnostics.
BOOST_AUTO_TEST_CASE(generated_interchange_one_batch_per_st) {
  GeneratedSource source(60, 250);
  auto reader = formats::x12::open_reader(source, "big.837", {});
  model::Batch batch;
  int batches = 0;
  int claims = 0;
  while (reader->next(batch)) {
    ++batches;
    BOOST_TEST_REQUIRE(batch.claims.size() == 250u);
    BOOST_TEST(batch.diagnostics.empty());
    BOOST_TEST(batch.claims.front().claim_id == "S" + std::to_string(batches) + "C0");
    BOOST_TEST(batch.claims.back().claim_id == "S" + std::to_string(batches) + "C249");
    BOOST_TEST(batch.claims.back().diagnoses.size() == 3u);
    BOOST_TEST(batch.claims.back().envelope.position == claims + 249);
    claims += static_cast<int>(batch.claims.size());
  }
  BOOST_TEST(batches == 60);
  BOOST_TEST(claims == 15000);
  BOOST_TEST(reader->summary().claims == 15000);
  BOOST_TEST(reader->summary().batches == 60);
  BOOST_TEST(!reader->summary().rejection.has_value());
  BOOST_TEST(source.produced() > 3'500'000u);
}

// The scanner's buffer does not grow with the input: two chunks, whatever the file size.
BOOST_AUTO_TEST_CASE(scanner_memory_is_bounded) {
  GeneratedSource source(40, 250);
  formats::x12::SegmentScanner scanner(source, 64 * 1024);
  formats::x12::RawSegment raw;
  formats::x12::ScanError error;
  std::size_t segments = 0;
  while (scanner.next(raw, error) == formats::x12::SegmentScanner::Status::kSegment) ++segments;
  BOOST_TEST(segments == 2u + 40u * (5u + 250u * 10u) + 2u);
  BOOST_TEST(scanner.buffer_capacity() == 2u * 64u * 1024u);
  BOOST_TEST(scanner.consumed() == source.produced());
}

// Any read size gives the same claims and diagnostics as reading the file at once.
BOOST_AUTO_TEST_CASE(read_size_does_not_matter) {
  const char* files[] = {
      "x12/uhin-x12-parser-library/837.edi",
      "x12/oopfactory-x12/_837P_5010/ST1309-XX.txt",
      "x12/imsweb-x12-parser/837_5010/x12_complex.txt",
      "x12/imsweb-x12-parser/837_5010/x12_valid_different_separators.txt",
      "x12/linuxforhealth-x12/837_005010X222A2/demo.example6.837",
      "x12/staedi/sample837-small.edi",
  };
  for (const char* file : files) {
    const std::string bytes = read_file(shared_dir() / "samples" / file);
    const X12Result whole = read_x12(bytes);
    for (std::size_t limit : {1u, 2u, 3u, 7u, 105u, 106u, 107u, 1000u}) {
      BOOST_TEST_CONTEXT(file << " read " << limit) {
        ChunkedSource source(bytes, limit);
        auto reader = formats::x12::open_reader(source, "test.837", {});
        model::Batch batch;
        X12Result chunked;
        while (reader->next(batch)) {
          for (auto& d : batch.diagnostics) chunked.diagnostics.push_back(d);
          for (auto& claim : batch.claims) {
            for (auto& d : claim.diagnostics) chunked.diagnostics.push_back(d);
            chunked.claims.push_back(std::move(claim));
          }
        }
        chunked.summary = reader->summary();
        BOOST_TEST(claim_ids(chunked) == claim_ids(whole));
        BOOST_TEST(diagnosis_codes(chunked) == diagnosis_codes(whole));
        BOOST_TEST(service_dates(chunked) == service_dates(whole));
        BOOST_TEST(rendered(chunked.diagnostics) == rendered(whole.diagnostics),
                   boost::test_tools::per_element());
        BOOST_TEST((chunked.summary.rejection == whole.summary.rejection));
      }
    }
  }
}

// A segment longer than the limit (1 MiB) without a terminator is skipped with an error; the
// claim around it is kept.
BOOST_AUTO_TEST_CASE(oversized_segment_is_skipped) {
  const std::string text =
      "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *240101*1200*^*00501*"
      "000000001*0*T*:~GS*HC*S*R*20240101*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~"
      "HL*1**20*1~NM1*85*2*C*****XX*1~HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*A*B****MI*1~"
      "NM1*PR*2*P*****PI*P~CLM*C1*10***11:B:1~NTE*ADD*" +
      std::string(1200 * 1024, 'A') +
      "~HI*ABK:R69~LX*1~SV1*HC:99213*10*UN*1***1~DTP*472*D8*20240101~SE*14*0001~GE*1*1~"
      "IEA*1*000000001~";
  const X12Result result = read_x12(text);
  BOOST_TEST(claim_ids(result) == "C1");
  BOOST_TEST(diagnosis_codes(result) == "R69");
  BOOST_TEST(diagnostic_codes(result.diagnostics) == "E-X12-SEGMENT-LENGTH");
  BOOST_TEST_REQUIRE(result.claims.size() == 1u);
  BOOST_TEST(result.claims[0].notes.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::testing
