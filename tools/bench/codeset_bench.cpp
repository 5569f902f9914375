// bench_codeset: the code-set targets of issue 4, on a Release build.
//   - load: CodeSet::load of the full history (every edition), median of repeated loads, and the
//     resident memory it adds (VmRSS before/after the first load, in a fresh process); baseline:
//     reading the same history from its text form (data/codeset/*.tsv), as a daemon without the
//     compact table would.
//   - lookups: status_on on a realistic mix (codes billable in FY2026, ~5% stale codes billable
//     only in other editions, ~5% unknown codes; dates uniform over 2014-2027), single core,
//     median of runs; baseline: std::unordered_map<std::string, intervals> holding the same
//     history, queried with the same keys and dates.
//
//   bench_codeset [--table FILE] [--text DIR] [--runs N]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "codes/code_set.hpp"
#include "codes/history.hpp"
#include "codes/mapped_table.hpp"
#include "core/date.hpp"

namespace fs = std::filesystem;
using namespace claimaudit;
using Clock = std::chrono::steady_clock;

namespace {

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const auto n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of this thread: on a shared 2-core machine the wall clock also counts the time other
// processes held the core; lookups per CPU-second is the one-core rate.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

fs::path find_text_dir() {
  std::error_code ec;
  auto dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  for (int up = 0; up < 8 && !dir.empty(); ++up) {
    if (fs::exists(dir / "data/codeset/editions.tsv")) return dir / "data/codeset";
    dir = dir.parent_path();
  }
  return {};
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The text form, parsed as the generator does.
std::size_t load_text(const fs::path& dir) {
  codes::CodeHistory history;
  std::vector<core::Diagnostic> diags;
  codes::read_editions_text(slurp(dir / "editions.tsv"), "editions.tsv", history, diags);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (name.starts_with("codes-")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) codes::read_codes_text(slurp(file), file.string(), history, diags);
  codes::finish_history(history, diags);
  return history.codes.size();
}

struct Query {
  std::string code;
  core::Date date;
};

struct BaselineInterval {
  std::int32_t from;
  std::int32_t to;
  bool billable;
};

// The same decision as CodeSet::status_on, over a std::unordered_map.
codes::Status baseline_status(
    const std::unordered_map<std::string, std::vector<BaselineInterval>>& map,
    const std::string& code, core::Date date, core::Date first, core::Date last) {
  if (date < first) return codes::Status::kBeforeIcd10;
  if (date > last) return codes::Status::kAfterCoverage;
  const auto it = map.find(code);
  if (it == map.end()) return codes::Status::kUnknown;
  const auto day = date.days();
  bool before = false;
  for (const auto& interval : it->second) {
    if (day < interval.from) break;
    if (day <= interval.to)
      return interval.billable ? codes::Status::kBillable : codes::Status::kHeader;
    before = true;
  }
  return before ? codes::Status::kDeleted : codes::Status::kNotYetValid;
}

using Baseline = std::unordered_map<std::string, std::vector<BaselineInterval>>;

struct Args {
  fs::path table_path;
  fs::path text_dir;
  int runs = 7;
};

Args parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--table") args.table_path = argv[i + 1];
    if (arg == "--text") args.text_dir = argv[i + 1];
    if (arg == "--runs") args.runs = std::max(5, std::atoi(argv[i + 1]));
  }
  if (args.table_path.empty()) args.table_path = codes::default_table_path();
  if (args.text_dir.empty()) args.text_dir = find_text_dir();
  return args;
}

// Wall and CPU seconds of repeated loads (the file is in the page cache: this is the in-process
// cost); nullopt when a load lost a code.
struct LoadTimes {
  std::vector<double> wall;
  std::vector<double> cpu;
};

std::optional<LoadTimes> time_loads(const fs::path& table_path, int runs) {
  LoadTimes times;
  for (int r = 0; r < std::max(runs, 10); ++r) {
    const auto start = Clock::now();
    const double cpu = thread_cpu_seconds();
    auto again = codes::CodeSet::load(table_path);
    times.cpu.push_back(thread_cpu_seconds() - cpu);
    times.wall.push_back(seconds_since(start));
    if (!again.exists("M62830")) return std::nullopt;
  }
  return times;
}

// The baseline's load: the text history, three times; `codes` is how many codes it holds.
std::vector<double> time_text_loads(const fs::path& text_dir, std::size_t& codes) {
  std::vector<double> times;
  if (text_dir.empty()) return times;
  for (int r = 0; r < 3; ++r) {
    const auto start = Clock::now();
    codes = load_text(text_dir);
    times.push_back(seconds_since(start));
  }
  return times;
}

// 90% codes billable in FY2026, 5% stale codes, 5% (mostly) not codes; dates uniform.
std::vector<Query> make_queries(const codes::CodeSet& set, const std::vector<std::string>& all) {
  const core::Date fy2026 = core::Date::from_civil(2025, 10, 1);
  std::vector<std::string> current, stale;
  for (const auto& code : all) {
    if (set.status_on(code, fy2026) == codes::Status::kBillable) {
      current.push_back(code);
    } else if (set.first_valid(code)) {
      stale.push_back(code);
    }
  }
  std::mt19937_64 rng(837);
  const int first_day = core::Date::from_civil(2014, 1, 1).days();
  const int last_day = core::Date::from_civil(2027, 12, 31).days();
  std::uniform_int_distribution<int> day_of(first_day, last_day);
  std::uniform_int_distribution<int> percent(0, 99);
  constexpr std::size_t kQueries = 1 << 20;
  std::vector<Query> queries;
  queries.reserve(kQueries);
  for (std::size_t i = 0; i < kQueries; ++i) {
    const int p = percent(rng);
    std::string code;
    if (p < 90) {
      code = current[rng() % current.size()];
    } else if (p < 95) {
      code = stale[rng() % stale.size()];
    } else {
      code = current[rng() % current.size()];
      // Mostly not a code.
      if (code.size() < 7) {
        code += '9';
      } else {
        code.resize(6);
        code += 'Q';
      }
    }
    queries.push_back(Query{std::move(code), core::Date::from_days(day_of(rng))});
  }
  return queries;
}

Baseline make_baseline(const codes::CodeSet& set, const std::vector<std::string>& all) {
  Baseline baseline;
  baseline.reserve(all.size());
  for (const auto& code : all) {
    auto& list = baseline[code];
    for (const auto& h : set.history(code))
      list.push_back({h.from.days(), h.to.days(), h.billable});
  }
  return baseline;
}

// Both must agree on every query; prints the mix of answers. False on a mismatch.
bool check_mix(const codes::CodeSet& set, const Baseline& baseline,
               const std::vector<Query>& queries) {
  const auto first = set.coverage_from();
  const auto last = set.coverage_to();
  std::size_t histogram[7] = {};
  for (const auto& q : queries) {
    const auto ours = set.status_on(q.code, q.date);
    if (ours != baseline_status(baseline, q.code, q.date, first, last)) {
      std::fprintf(stderr, "mismatch on %s %s\n", q.code.c_str(), q.date.iso().c_str());
      return false;
    }
    ++histogram[static_cast<int>(ours)];
  }
  std::printf("mix: %zu queries:", queries.size());
  for (int s = 0; s < 7; ++s) {
    std::printf(" %s %.1f%%", std::string(codes::to_string(static_cast<codes::Status>(s))).c_str(),
                100.0 * static_cast<double>(histogram[s]) / static_cast<double>(queries.size()));
  }
  std::printf("\n");
  return true;
}

// status_on against the baseline, alternating, `runs` times.
void time_lookups(const codes::CodeSet& set, const Baseline& baseline,
                  const std::vector<Query>& queries, int runs) {
  const auto first = set.coverage_from();
  const auto last = set.coverage_to();
  constexpr int kPasses = 8;
  const double n = static_cast<double>(kPasses * queries.size());
  std::vector<double> ours_cpu, base_cpu, ours_wall, base_wall;
  volatile std::size_t sink = 0;
  for (int r = 0; r < runs; ++r) {
    auto start = Clock::now();
    double cpu = thread_cpu_seconds();
    std::size_t acc = 0;
    for (int pass = 0; pass < kPasses; ++pass) {
      for (const auto& q : queries) acc += static_cast<std::size_t>(set.status_on(q.code, q.date));
    }
    ours_cpu.push_back(n / (thread_cpu_seconds() - cpu));
    ours_wall.push_back(n / seconds_since(start));
    sink = sink + acc;
    start = Clock::now();
    cpu = thread_cpu_seconds();
    acc = 0;
    for (int pass = 0; pass < kPasses; ++pass) {
      for (const auto& q : queries) {
        acc += static_cast<std::size_t>(baseline_status(baseline, q.code, q.date, first, last));
      }
    }
    base_cpu.push_back(n / (thread_cpu_seconds() - cpu));
    base_wall.push_back(n / seconds_since(start));
    sink = sink + acc;
  }
  std::printf(
      "status_on: median of %d runs of %.0f lookups: %.1f M lookups per CPU-second on one "
      "core (target >= 10 M/s); %.1f M/s by wall clock\n",
      runs, n, median(ours_cpu) / 1e6, median(ours_wall) / 1e6);
  std::printf(
      "baseline std::unordered_map<std::string, intervals>: %.1f M per CPU-second, %.1f M/s "
      "by wall clock -> ratio %.2fx (CPU)\n",
      median(base_cpu) / 1e6, median(base_wall) / 1e6, median(ours_cpu) / median(base_cpu));
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  const fs::path& table_path = args.table_path;
  std::printf("table: %s (%ju bytes)\n", table_path.c_str(),
              static_cast<std::uintmax_t>(fs::file_size(table_path)));

  // 1. Resident memory added by the first load, in this fresh process.
  const long rss_before = rss_kib();
  auto first_start = Clock::now();
  auto set = codes::CodeSet::load(table_path);
  const double first_load = seconds_since(first_start);
  const long rss_after = rss_kib();

  // 2. Load time, repeated (the file is in the page cache: this is the in-process cost).
  const auto loads = time_loads(table_path, args.runs);
  if (!loads) return 1;
  std::size_t text_codes = 0;
  const std::vector<double> text_times = time_text_loads(args.text_dir, text_codes);
  const auto all = set.all_codes();
  std::size_t intervals = 0;
  for (const auto& code : all) intervals += set.history(code).size();
  std::printf("history: %zu codes, %zu intervals, %zu editions (%s .. %s)\n", all.size(), intervals,
              set.editions().size(), set.coverage_from().iso().c_str(),
              set.coverage_to().iso().c_str());
  std::printf(
      "load: first %.2f ms; median of %zu loads %.2f ms CPU time, %.2f ms wall (target "
      "<= 50 ms)\n",
      first_load * 1e3, loads->wall.size(), median(loads->cpu) * 1e3, median(loads->wall) * 1e3);
  std::printf("load RSS added: %.1f MiB (VmRSS %ld -> %ld KiB; target <= 20 MiB)\n",
              static_cast<double>(rss_after - rss_before) / 1024.0, rss_before, rss_after);
  if (!text_times.empty()) {
    std::printf(
        "baseline: parse the text history (%zu codes, data/codeset/*.tsv): median %.1f ms "
        "-> compact table is %.0fx faster\n",
        text_codes, median(text_times) * 1e3, median(text_times) / median(loads->wall));
  }

  // 3. The query mix.
  const std::vector<Query> queries = make_queries(set, all);
  const Baseline baseline = make_baseline(set, all);
  if (!check_mix(set, baseline, queries)) return 1;
  time_lookups(set, baseline, queries, args.runs);
  return 0;
}
