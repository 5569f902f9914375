#include "formats/x12/x12_reader.hpp"

namespace claimaudit::formats::x12 {
namespace {

// Placeholder (issue 3): rejects every file until the real reader replaces this file.
class PlaceholderReader final : public BatchReader {
 public:
  explicit PlaceholderReader(std::string file_name) {
    summary_.format = Format::kX12;
    summary_.rejection = core::Diagnostic{core::Severity::kError,
                                          "E-X12-UNSUPPORTED",
                                          {std::move(file_name), 0, 0, ""},
                                          "X12 reader not built yet"};
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

}  // namespace claimaudit::formats::x12
