#include "formats/fhir/fhir_reader.hpp"

namespace claimaudit::formats::fhir {
namespace {

// Placeholder until the FHIR reader lands (same session, issue 3).
class PlaceholderReader final : public BatchReader {
 public:
  explicit PlaceholderReader(std::string file_name) {
    summary_.format = Format::kFhir;
    summary_.rejection = core::Diagnostic{core::Severity::kError,
                                          "E-FHIR-UNSUPPORTED",
                                          {std::move(file_name), 0, 0, ""},
                                          "FHIR reader not built yet"};
  }
  bool next(model::Batch& batch) override {
    batch = {};
    return false;
  }
  const FileSummary& summary() const override { return summary_; }

 private:
  FileSummary summary_;
};

}  // namespace

std::unique_ptr<BatchReader> open_reader(ByteSource& /*source*/, std::string file_name,
                                         const ReadOptions& /*options*/) {
  return std::make_unique<PlaceholderReader>(std::move(file_name));
}

}  // namespace claimaudit::formats::fhir
