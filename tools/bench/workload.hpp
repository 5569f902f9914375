// tools/bench/workload.hpp
//
// The benchmarks' shared workload: the synthetic 837P batch of ../shared/bench/gen837p.py
// (FY2026 billable codes, dates of service in January 2025; ../shared/bench/README.md), generated
// once into a cache directory and reused by bench_parse, bench_rules and bench_daemon.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace claimaudit::bench {

// DIR/p837-N.edi with its truth file DIR/p837-N.truth.jsonl, generated when either is missing.
// Exits 70 when the generator fails (the benchmark cannot run without its workload).
inline std::filesystem::path ensure_workload(const std::filesystem::path& dir, int claims,
                                             std::filesystem::path* truth_out = nullptr) {
  namespace fs = std::filesystem;
  const std::string stem = "p837-" + std::to_string(claims);
  const fs::path file = dir / (stem + ".edi");
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

}  // namespace claimaudit::bench
