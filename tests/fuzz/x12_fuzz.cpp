// libFuzzer target for the X12 reader: any bytes through StringSource + x12::open_reader, every
// batch drained, the summary read. The reader must not crash, hang or leak on any input; it may
// reject it. Built as a replay binary everywhere and as a fuzzer with the `fuzz` preset.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "formats/location.hpp"
#include "formats/reader.hpp"
#include "formats/x12/x12_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace claimaudit;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  formats::StringSource source(bytes);
  auto reader = formats::x12::open_reader(source, "fuzz.837", {});
  model::Batch batch;
  std::size_t claims = 0;
  while (reader->next(batch)) {
    for (const auto& claim : batch.claims) {
      ++claims;
      // Render every origin, as claimctl would.
      (void)formats::render_origin(claim.origin, claim.envelope.transaction_control);
      for (const auto& dx : claim.diagnoses) {
        (void)formats::render_origin(dx.origin, claim.envelope.transaction_control);
      }
    }
  }
  const auto& summary = reader->summary();
  if (summary.rejection && claims != 0) __builtin_trap();  // Rejected means nothing auditable.
  if (static_cast<std::size_t>(summary.claims) != claims) __builtin_trap();
  return 0;
}
