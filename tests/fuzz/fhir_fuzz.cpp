// libFuzzer target for the FHIR R4 reader: any bytes through StringSource + fhir::open_reader,
// every batch drained and every claim printed with claim_to_json (the path claimctl check
// takes). No crash, hang or leak; the reader may reject the input. Built as a replay binary
// everywhere and as a fuzzer with the `fuzz` preset.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/json/serialize.hpp>

#include "formats/fhir/fhir_reader.hpp"
#include "formats/json/claim_json.hpp"
#include "formats/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace claimaudit;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  formats::StringSource source(bytes);
  auto reader = formats::fhir::open_reader(source, "fuzz.json", {});
  model::Batch batch;
  std::size_t claims = 0;
  while (reader->next(batch)) {
    for (const auto& claim : batch.claims) {
      ++claims;
      (void)boost::json::serialize(
          formats::json::claim_to_json(claim, formats::json::ShowPhi::kYes));
      for (const auto& diagnostic : claim.diagnostics) {
        // Warnings only: an error would have kept the claim back.
        if (diagnostic.severity == core::Severity::kError) __builtin_trap();
      }
    }
    for (const auto& diagnostic : batch.diagnostics) {
      (void)boost::json::serialize(formats::json::diagnostic_to_json(diagnostic));
    }
  }
  const auto& summary = reader->summary();
  if (summary.rejection && claims != 0) __builtin_trap();
  if (static_cast<std::size_t>(summary.claims) != claims) __builtin_trap();
  return 0;
}
