// formats/x12/x12_test_support.hpp
//
// Helpers for the X12 reader tests: read a whole file (or a string) through x12::open_reader and
// summarise what came out as plain strings that a table row can compare exactly.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/serialize.hpp>

#include "core/diagnostic.hpp"
#include "formats/json/claim_json.hpp"
#include "formats/reader.hpp"
#include "formats/x12/x12_reader.hpp"
#include "model/claim.hpp"
#include "support/temp_dir.hpp"

namespace claimaudit::testing {

struct X12Result {
  std::vector<model::Claim> claims;
  std::vector<core::Diagnostic> diagnostics;  // Batch diagnostics, then each claim's, in order.
  std::vector<std::size_t> batch_sizes;       // Claims per yielded batch.
  formats::FileSummary summary;
};

inline X12Result read_x12(std::string_view bytes, std::string file_name = "test.837",
                          const formats::ReadOptions& options = {}) {
  X12Result result;
  formats::StringSource source(bytes);
  auto reader = formats::x12::open_reader(source, std::move(file_name), options);
  model::Batch batch;
  while (reader->next(batch)) {
    result.batch_sizes.push_back(batch.claims.size());
    for (auto& d : batch.diagnostics) result.diagnostics.push_back(d);
    for (auto& claim : batch.claims) {
      for (auto& d : claim.diagnostics) result.diagnostics.push_back(d);
      result.claims.push_back(std::move(claim));
    }
  }
  result.summary = reader->summary();
  return result;
}

inline X12Result read_x12_file(const std::filesystem::path& path) {
  const std::string bytes = read_file(path);
  return read_x12(bytes, path.filename().string());
}

// "A,B,C": claim ids in order.
inline std::string claim_ids(const X12Result& result) {
  std::string out;
  for (const auto& claim : result.claims) {
    if (!out.empty()) out += ',';
    out += claim.claim_id;
  }
  return out;
}

// "8901 87200 5559|1987 4134 5559": each claim's normalised diagnosis codes in order.
inline std::string diagnosis_codes(const X12Result& result) {
  std::string out;
  for (std::size_t i = 0; i < result.claims.size(); ++i) {
    if (i > 0) out += '|';
    std::string codes;
    for (const auto& dx : result.claims[i].diagnoses) {
      if (!codes.empty()) codes += ' ';
      codes += dx.code.empty() ? "?" + dx.raw : dx.code;
    }
    out += codes;
  }
  return out;
}

// "2005-03-14..2005-03-25|S1996-09-11..1996-09-11": each claim's line service dates (one entry
// per line, "-" for a line without one), then "S"+statement period when there is one.
inline std::string service_dates(const X12Result& result) {
  std::string out;
  for (std::size_t i = 0; i < result.claims.size(); ++i) {
    if (i > 0) out += '|';
    const auto& claim = result.claims[i];
    std::string dates;
    for (const auto& line : claim.lines) {
      if (!dates.empty()) dates += ' ';
      dates += line.service_dates
                   ? line.service_dates->from.iso() + ".." + line.service_dates->to.iso()
                   : std::string("-");
    }
    if (claim.statement_period) {
      if (!dates.empty()) dates += ' ';
      dates += "S" + claim.statement_period->from.iso() + ".." + claim.statement_period->to.iso();
    }
    out += dates;
  }
  return out;
}

// "W-X12-SE-COUNT, W-X12-COMPOSITE-SPLIT x2": diagnostic codes with counts, sorted by code.
inline std::string diagnostic_codes(const std::vector<core::Diagnostic>& diagnostics) {
  std::map<std::string, int> counts;
  for (const auto& d : diagnostics) ++counts[d.code];
  std::string out;
  for (const auto& [code, count] : counts) {
    if (!out.empty()) out += ", ";
    out += code;
    if (count > 1) out += " x" + std::to_string(count);
  }
  return out;
}

// Each diagnostic rendered on one line (core::render), for exact comparisons.
inline std::vector<std::string> rendered(const std::vector<core::Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(core::render(d));
  return out;
}

// Every claim as claimaudit.claim/1 JSON with PHI, one per line: what a reading yields.
inline std::string claims_json(const X12Result& result) {
  std::string out;
  for (const auto& claim : result.claims) {
    out +=
        boost::json::serialize(formats::json::claim_to_json(claim, formats::json::ShowPhi::kYes));
    out += '\n';
  }
  return out;
}

}  // namespace claimaudit::testing
