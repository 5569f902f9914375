// support/read_text.hpp
//
// Reads an input held in memory the way the daemon reads a file (formats::open_reader detects
// the format from the bytes) and keeps what the format tests compare: every claim of every
// batch, the batch diagnostics (as they are and as core::render() prints them), the rejection
// (rendered, "" when the file was readable) and the file summary.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"
#include "formats/reader.hpp"
#include "model/claim.hpp"

namespace claimaudit::testing {

struct ReadText {
  std::vector<model::Claim> claims;
  std::vector<core::Diagnostic> diagnostics;  // The batches' diagnostics, in order.
  std::vector<std::string> batch;             // The same, each as core::render() prints it.
  std::string rejection;                      // core::render() of the rejection, or "".
  formats::FileSummary summary;
};

inline ReadText read_text(const std::string& text, const std::string& name) {
  formats::StringSource source(text);
  auto reader = formats::open_reader(source, name);
  ReadText out;
  model::Batch batch;
  while (reader->next(batch)) {
    for (auto& claim : batch.claims) out.claims.push_back(std::move(claim));
    for (auto& diagnostic : batch.diagnostics) {
      out.batch.push_back(core::render(diagnostic));
      out.diagnostics.push_back(std::move(diagnostic));
    }
  }
  out.summary = reader->summary();
  if (out.summary.rejection) out.rejection = core::render(*out.summary.rejection);
  return out;
}

// core::render() of each diagnostic.
inline std::vector<std::string> rendered(const std::vector<core::Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  out.reserve(diagnostics.size());
  for (const auto& diagnostic : diagnostics) out.push_back(core::render(diagnostic));
  return out;
}

}  // namespace claimaudit::testing
