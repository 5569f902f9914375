// bench_rules: rules evaluation cost per claim on the 100k-claim synthetic 837P batch
// (../shared/bench/gen837p.py, seed 837, FY2026 codes, DOS January 2025; parsed once with the
// X12 reader and kept in memory, so only evaluation is timed).
//
// Packs, each timed over every claim, median of N runs (default 5), this thread's CPU time:
//   baseline   one claim rule that never fires (the fixed cost of evaluate() per claim)
//   default    the shipped rules/default (rules::default_rule_directory())
//   gen-10, gen-100, gen-1000   generated diagnosis rules, each testing dx.code against three
//              codes drawn from the code history, then classify() (the kind of rule a site writes)
// and the ratio of each to the baseline. Growth with the rule count is printed as the ratio of
// the medians of the generated packs measured in this run: gen-1000 / gen-10 (100 x the rules)
// and gen-1000 / gen-100 (10 x the rules); sub-linear growth shows as ratios far below 100 and
// 10 (the code index skips rules whose codes cannot match). Each pack's cost includes the fixed
// per-claim cost the baseline shows. Findings are counted so the work is not optimised away.
//
//   bench_rules [--runs N] [--claims N] [--pack NAME]... [--dump DIR] [--per-rule] [--rules DIR]
// --pack: only these packs (for profiling; the baseline is always run). --dump: also write
// every finding and not-evaluated result of each pack to DIR/<pack>.txt, all fields, to prove
// that a faster engine gives byte-identical results (diff two dumps). --per-rule: after each
// pack, every rule's share of its time (one extra pass with the engine's per-rule clock).
// --rules: also a pack "custom" loaded from DIR (one rule file cut out of the default pack, to
// profile it alone).
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "core/icd10_code.hpp"
#include "formats/reader.hpp"
#include "formats/x12/x12_reader.hpp"
#include "rules/rule_set.hpp"
#include "workload.hpp"

namespace {

using namespace claimaudit;
namespace fs = std::filesystem;

class FileSource final : public formats::ByteSource {
 public:
  explicit FileSource(const fs::path& path) : in_(path, std::ios::binary) {}
  std::size_t read(char* buffer, std::size_t size) override {
    in_.read(buffer, static_cast<std::streamsize>(size));
    return static_cast<std::size_t>(in_.gcount());
  }

 private:
  std::ifstream in_;
};

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::vector<model::Claim> read_claims(const fs::path& file) {
  FileSource source(file);
  auto reader = formats::x12::open_reader(source, file.filename().string(), {});
  std::vector<model::Claim> claims;
  model::Batch batch;
  while (reader->next(batch)) {
    for (auto& claim : batch.claims) claims.push_back(std::move(claim));
    batch.claims.clear();
  }
  return claims;
}

std::string generated_pack(int count, const codes::CodeSet& codes) {
  const std::vector<std::string> all = codes.all_codes();
  std::string out;
  std::uint64_t state = 837;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33);
  };
  for (int i = 0; i < count; ++i) {
    out += "- rule: gen.rule_" + std::to_string(i) +
           "\n  version: \"1\"\n  title: generated\n"
           "  scope: diagnosis\n  when: dx.code in [";
    for (int k = 0; k < 3; ++k) {
      out += (k > 0 ? ", \"" : "\"") + core::dotted_icd10(all[next() % all.size()]) + "\"";
    }
    out +=
        "] and classify(dx.code) != \"invalid\"\n  severity: info\n"
        "  message: \"{code} matched generated rule " +
        std::to_string(i) + "\"\n";
  }
  return out;
}

struct Measure {
  std::string name;
  std::size_t rules = 0;
  double median_cpu = 0;
  std::size_t findings = 0;
  std::size_t not_evaluated = 0;
};

void dump(const fs::path& file, const rules::RuleSet& set,
          const std::vector<model::Claim>& claims) {
  std::ofstream out(file, std::ios::binary);
  for (const auto& claim : claims) {
    const rules::Evaluation evaluation = rules::evaluate(set, claim);
    for (const model::Finding& f : evaluation.findings) {
      out << claim.claim_id << '\t' << f.rule_id << '\t' << model::to_string(f.severity) << '\t'
          << static_cast<int>(f.mode) << '\t' << f.code << '\t' << f.diagnosis_seq << '\t'
          << f.line_seq << '\t' << f.location << '\t' << f.message << '\t' << f.evidence_json
          << '\t' << f.predicts << '\t' << f.fingerprint << '\t' << f.provenance.rule_version
          << '\t' << f.provenance.rule_set_hash << '\t' << f.provenance.code_edition << '\t'
          << f.provenance.engine_version << '\n';
    }
    for (const rules::NotEvaluated& n : evaluation.not_evaluated) {
      out << claim.claim_id << "\tnot evaluated\t" << n.rule_id << '\t' << n.reason << '\n';
    }
  }
}

Measure measure(const std::string& name, const rules::RuleSet& set,
                const std::vector<model::Claim>& claims, int runs) {
  Measure m;
  m.name = name;
  m.rules = set.rule_count();
  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    std::size_t findings = 0;
    std::size_t not_evaluated = 0;
    const double start = cpu_seconds();
    for (std::size_t i = 0; i < claims.size(); ++i) {
      rules::prefetch_ahead(set, claims, i);  // As audit::process_file does.
      const rules::Evaluation evaluation = rules::evaluate(set, claims[i]);
      findings += evaluation.findings.size();
      not_evaluated += evaluation.not_evaluated.size();
    }
    times.push_back(cpu_seconds() - start);
    m.findings = findings;
    m.not_evaluated = not_evaluated;
  }
  std::sort(times.begin(), times.end());
  m.median_cpu = times[times.size() / 2];
  return m;
}

// One pass with the engine's per-rule clock (rules::evaluate with RuleTime): each rule's share of
// the pack's time, slowest first. The clock reads add a little to every rule.
void per_rule(const std::string& name, const rules::RuleSet& set,
              const std::vector<model::Claim>& claims) {
  std::vector<std::uint64_t> total;
  std::vector<rules::RuleTime> times;
  for (const auto& claim : claims) {
    times.clear();
    const rules::Evaluation evaluation = rules::evaluate(set, claim, &times);
    for (const rules::RuleTime& t : times) {
      if (t.rule >= total.size()) total.resize(t.rule + 1);
      total[t.rule] += t.nanoseconds;
    }
  }
  std::vector<std::size_t> order(total.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return total[a] > total[b]; });
  std::printf("per rule, %s (wall time between the engine's clock reads, one pass):\n",
              name.c_str());
  for (const std::size_t r : order) {
    if (total[r] == 0) continue;
    std::printf("  %-36s %9.3f us/claim\n", set.loaded_rule_id(r).c_str(),
                static_cast<double>(total[r]) / 1e3 / static_cast<double>(claims.size()));
  }
}

std::shared_ptr<const rules::RuleSet> load(const std::vector<fs::path>& dirs,
                                           const codes::CodeSet& codes,
                                           const codes::EditLists& edits) {
  auto result = rules::load_rule_set(dirs, codes, edits, rules::InlineTests::kSkip);
  if (!result.rule_set) {
    std::fputs(rules::render_diagnostics(result).c_str(), stderr);
    std::exit(78);
  }
  return result.rule_set;
}

struct Args {
  int runs = 5;
  int claim_count = 100000;
  std::vector<std::string> only;
  fs::path custom_dir;
  bool by_rule = false;
  fs::path dump_dir;
};

// nullopt on a usage error (the usage is printed).
std::optional<Args> parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--runs" && has_value) {
      args.runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--claims" && has_value) {
      args.claim_count = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--dump" && has_value) {
      args.dump_dir = argv[++i];
    } else if (arg == "--per-rule") {
      args.by_rule = true;
    } else if (arg == "--pack" && has_value) {
      args.only.emplace_back(argv[++i]);
    } else if (arg == "--rules" && has_value) {
      args.custom_dir = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: bench_rules [--runs N] [--claims N] [--pack NAME]... [--dump DIR] "
                   "[--per-rule] [--rules DIR]\n");
      return std::nullopt;
    }
  }
  return args;
}

// The table of packs, then how the cost per claim grows from gen-10 and gen-100 to gen-1000.
void print_results(const std::vector<Measure>& results, std::size_t claim_count) {
  std::printf("%-10s %6s %12s %14s %10s %10s %14s\n", "pack", "rules", "cpu s", "claims/s",
              "us/claim", "x base", "findings");
  const double base = results.front().median_cpu;
  for (const Measure& m : results) {
    std::printf("%-10s %6zu %12.3f %14.0f %10.3f %10.2f %14zu\n", m.name.c_str(), m.rules,
                m.median_cpu, static_cast<double>(claim_count) / m.median_cpu,
                m.median_cpu * 1e6 / static_cast<double>(claim_count), m.median_cpu / base,
                m.findings);
  }
  auto find = [&](const std::string& name) -> const Measure* {
    for (const Measure& m : results) {
      if (m.name == name) return &m;
    }
    return nullptr;
  };
  const Measure* g1000 = find("gen-1000");
  for (const char* smaller : {"gen-10", "gen-100"}) {
    const Measure* g = find(smaller);
    if (g == nullptr || g1000 == nullptr) continue;
    std::printf("rules x%zu (%s -> gen-1000): cost per claim x%.2f (medians of this run)\n",
                g1000->rules / std::max<std::size_t>(1, g->rules), smaller,
                g1000->median_cpu / g->median_cpu);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = parse_args(argc, argv);
  if (!args) return 64;
  const int runs = args->runs;
  const int claim_count = args->claim_count;
  const std::vector<std::string>& only = args->only;
  const fs::path& custom_dir = args->custom_dir;
  const bool by_rule = args->by_rule;
  const fs::path& dump_dir = args->dump_dir;
  const char* env_dir = std::getenv("CLAIMAUDIT_BENCH_DIR");
  const fs::path dir =
      env_dir != nullptr ? fs::path(env_dir) : fs::path(CLAIMAUDIT_BINARY_DIR) / "bench-data";
  const fs::path file = bench::ensure_workload(dir, claim_count);
  const std::vector<model::Claim> claims = read_claims(file);
  const codes::CodeSet codes = codes::CodeSet::load_default();
  const codes::EditLists edits = codes::EditLists::load_default();

  const fs::path work = dir / "rules-bench";
  fs::remove_all(work);
  auto write = [&](const std::string& name, const std::string& text) {
    fs::create_directories(work / name);
    std::ofstream(work / name / "rules.yaml", std::ios::binary) << text;
    return work / name;
  };
  const auto baseline = load({write("baseline",
                                    "- rule: claim.never\n  version: \"1\"\n  title: never\n"
                                    "  scope: claim\n  when: false\n  severity: info\n"
                                    "  message: never\n")},
                             codes, edits);
  const fs::path shipped = rules::default_rule_directory();
  auto wanted = [&](const std::string& name) {
    return only.empty() || std::find(only.begin(), only.end(), name) != only.end();
  };
  std::vector<Measure> results;
  std::printf(
      "rules evaluation benchmark: %zu claims from %s, median of %d runs, CPU time of "
      "one thread\n",
      claims.size(), file.filename().c_str(), runs);
  auto run = [&](const std::string& name, const rules::RuleSet& set) {
    if (!dump_dir.empty()) {
      fs::create_directories(dump_dir);
      dump(dump_dir / (name + ".txt"), set, claims);
    }
    results.push_back(measure(name, set, claims, runs));
    if (by_rule) per_rule(name, set, claims);
  };
  run("baseline", *baseline);
  if (!shipped.empty() && wanted("default")) run("default", *load({shipped}, codes, edits));
  if (!custom_dir.empty()) run("custom", *load({custom_dir}, codes, edits));
  for (const int count : {10, 100, 1000}) {
    if (!wanted("gen-" + std::to_string(count))) continue;
    const auto set =
        load({write("gen-" + std::to_string(count), generated_pack(count, codes))}, codes, edits);
    run("gen-" + std::to_string(count), *set);
  }
  print_results(results, claims.size());
  return 0;
}
