// libFuzzer target for the claimaudit.claim/1 reader and the claim serialiser: any bytes through
// StringSource + json::open_reader, every batch drained, every claim printed with claim_to_json
// and read back with read_claim (which must accept what the serialiser wrote when the claim's
// codes were readable), and content detection on the same bytes. No crash, hang or leak; the
// reader may reject the input. Built as a replay binary everywhere and as a fuzzer with the
// `fuzz` preset.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <boost/json/serialize.hpp>

#include "formats/json/claim_json.hpp"
#include "formats/json/json_reader.hpp"
#include "formats/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace claimaudit;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)formats::detect(bytes.substr(0, 4096));
  formats::StringSource source(bytes);
  auto reader = formats::json::open_reader(source, "fuzz.json", {});
  model::Batch batch;
  std::size_t claims = 0;
  while (reader->next(batch)) {
    for (const auto& claim : batch.claims) {
      ++claims;
      const boost::json::object printed =
          formats::json::claim_to_json(claim, formats::json::ShowPhi::kYes);
      (void)boost::json::serialize(printed);
      std::vector<core::Diagnostic> diagnostics;
      const auto again = formats::json::read_claim(printed, "", "fuzz.json", diagnostics);
      // What the JSON reader accepted, printed, must read back.
      if (!again) __builtin_trap();
      if (boost::json::serialize(formats::json::claim_to_json(
              *again, formats::json::ShowPhi::kYes)) != boost::json::serialize(printed)) {
        __builtin_trap();
      }
    }
  }
  const auto& summary = reader->summary();
  if (summary.rejection && claims != 0) __builtin_trap();
  if (static_cast<std::size_t>(summary.claims) != claims) __builtin_trap();
  return 0;
}
