// tools/bench/workload.hpp
//
// The benchmarks' shared workload: the synthetic 837P batch of ../shared/bench/gen837p.py
// (FY2026 billable codes, dates of service in January 2025; ../shared/bench/README.md), generated
// once into a cache directory and reused by bench_parse, bench_rules and bench_daemon.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace claimaudit::bench {

// DIR/p837-N.edi with its truth file DIR/p837-N.truth.jsonl, generated when either is missing.
// Exits 70 when the generator fails (the benchmark cannot run without its workload).
inline std::filesystem::path ensure_workload(const std::filesystem::path& dir, int claims,
                                             std::filesystem::path* truth_out = nullptr) {
  namespace fs = std::filesystem;
  const std::string stem = "p837-" + std::to_string(claims);
  fs::path file = dir / (stem + ".edi");
  const fs::path truth = dir / (stem + ".truth.jsonl");
  if (truth_out != nullptr) *truth_out = truth;
  if (fs::exists(file) && fs::exists(truth)) return file;
  fs::create_directories(dir);
  const fs::path shared = CLAIMAUDIT_SHARED_DIR;
  const std::string command = "python3 '" + (shared / "bench/gen837p.py").string() + "' --claims " +
                              std::to_string(claims) + " --icd '" +
                              (shared / "icd10cm/fy2026/icd10cm_order_2026.txt.gz").string() +
                              "' --out '" + file.string() + "' --truth '" + truth.string() +
                              "' > /dev/null";
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "generator failed: %s\n", command.c_str());
    std::exit(70);
  }
  return file;
}

// The segments of an X12 text whose segments end with '~' (without the terminators).
inline std::vector<std::string_view> x12_segments(const std::string& text) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('~', start);
    if (end == std::string::npos) break;
    segments.push_back(std::string_view(text).substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

// The generator's 837P taken apart: its envelope, the first ST up to 2010AA, and each claim's
// segments from its 2000B HL on.
struct X12Claims {
  std::string isa;
  std::string gs;
  std::vector<std::string_view> prefix;  // ST .. 2010AA of the first ST.
  std::vector<std::vector<std::string_view>> claims;
};

inline X12Claims x12_claims(const std::vector<std::string_view>& segments) {
  X12Claims out;
  bool in_prefix = false;
  bool have_prefix = false;
  for (const std::string_view segment : segments) {
    if (segment.starts_with("ISA")) {
      out.isa = std::string(segment);
    } else if (segment.starts_with("GS*")) {
      out.gs = std::string(segment);
    } else if (segment.starts_with("ST*")) {
      in_prefix = !have_prefix;
      if (in_prefix) out.prefix.push_back(segment);
    } else if (segment.starts_with("SE*") || segment.starts_with("GE*") ||
               segment.starts_with("IEA*")) {
      in_prefix = false;
    } else if (segment.starts_with("HL*") && segment.ends_with("*22*0")) {
      if (in_prefix) have_prefix = true;
      in_prefix = false;
      out.claims.emplace_back();
      out.claims.back().push_back(segment);
    } else if (in_prefix) {
      out.prefix.push_back(segment);
    } else if (!out.claims.empty()) {
      out.claims.back().push_back(segment);
    }
  }
  return out;
}

// One interchange of claims [first, last) with a correct SE01 and consecutive HL ids.
inline std::string x12_file(const X12Claims& parts, std::size_t first, std::size_t last) {
  std::string out = parts.isa;
  out += '~';
  out += parts.gs;
  out += '~';
  int count = 0;
  for (const auto segment : parts.prefix) {
    out.append(segment);
    out += "~";
    ++count;
  }
  int hl = 2;
  for (std::size_t i = first; i < last; ++i) {
    out += "HL*" + std::to_string(hl++) + "*1*22*0~";
    ++count;
    for (std::size_t s = 1; s < parts.claims[i].size(); ++s) {
      out.append(parts.claims[i][s]);
      out += "~";
      ++count;
    }
  }
  out += "SE*" + std::to_string(count + 1) + "*0001~GE*1*1~IEA*1*000000001~";
  return out;
}

// Splits the generator's 837P (segments end with '~', one 2000A billing provider per ST, each
// claim its own 2000B "HL*n*1*22*0" loop) into files of `per_file` claims, each a complete
// interchange with a correct SE01 and consecutive HL ids.
inline std::vector<std::string> split_x12(const std::string& text, std::size_t per_file,
                                          std::size_t max_claims) {
  const std::vector<std::string_view> segments = x12_segments(text);
  X12Claims parts = x12_claims(segments);
  if (parts.claims.size() > max_claims) parts.claims.resize(max_claims);
  std::vector<std::string> files;
  for (std::size_t first = 0; first < parts.claims.size(); first += per_file) {
    files.push_back(x12_file(parts, first, std::min(parts.claims.size(), first + per_file)));
  }
  return files;
}

}  // namespace claimaudit::bench
