// bench_parse: X12 837P parse throughput and memory on the synthetic batches of
// ../shared/bench/gen837p.py (1k, 10k, 100k claims, FY2026 codes; ../shared/bench/README.md).
//
// For each file: the output is first checked against the generator's --truth file (claim ids,
// diagnosis codes, procedure codes, in order); then, over N runs (default 7), the median time to
// read the file from disk into the full claim model (x12::open_reader, every batch drained), and
// the median time of the raw ceiling on the same bytes: the segment scanner plus the element
// split of every segment, nothing else. Peak RSS (VmHWM) is measured in a fresh child process
// per file that only streams that file through the reader. Files are generated once into
// $CLAIMAUDIT_BENCH_DIR (default <build>/bench-data).
//
//   bench_parse [--runs N] [--claims 1000,10000,100000]
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "formats/reader.hpp"
#include "formats/x12/segment.hpp"
#include "formats/x12/segment_scanner.hpp"
#include "formats/x12/x12_reader.hpp"
#include "workload.hpp"

namespace {

using namespace claimaudit;
namespace fs = std::filesystem;

// Reads a file descriptor in the sizes the reader asks for (256 KiB).
class FdSource final : public formats::ByteSource {
 public:
  explicit FdSource(const fs::path& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) {
      std::perror(path.c_str());
      std::exit(70);
    }
  }
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;
  ~FdSource() override { ::close(fd_); }
  std::size_t read(char* buffer, std::size_t size) override {
    for (;;) {
      const ssize_t count = ::read(fd_, buffer, size);
      if (count >= 0) return static_cast<std::size_t>(count);
      if (errno != EINTR) return 0;
    }
  }

 private:
  int fd_;
};

struct Truth {
  std::string id;
  std::vector<std::string> dx;
  std::vector<std::string> px;
};

// The generator's truth lines have one fixed shape: {"id":"..","dx":["..",..],"px":[..]}.
std::vector<std::string> strings_after(std::string_view line, std::string_view key) {
  std::vector<std::string> out;
  std::size_t at = line.find(key);
  if (at == std::string_view::npos) return out;
  at = line.find('[', at);
  const std::size_t end = line.find(']', at);
  std::size_t quote = line.find('"', at);
  while (quote != std::string_view::npos && quote < end) {
    const std::size_t close = line.find('"', quote + 1);
    out.emplace_back(line.substr(quote + 1, close - quote - 1));
    quote = line.find('"', close + 1);
  }
  return out;
}

std::vector<Truth> load_truth(const fs::path& path) {
  std::vector<Truth> truth;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    Truth t;
    const std::size_t at = line.find("\"id\":\"") + 6;
    t.id = line.substr(at, line.find('"', at) - at);
    t.dx = strings_after(line, "\"dx\"");
    t.px = strings_after(line, "\"px\"");
    truth.push_back(std::move(t));
  }
  return truth;
}

// Checks every claim against the truth file; returns the number of mismatches (prints the first).
int verify(const fs::path& file, const std::vector<Truth>& truth) {
  FdSource source(file);
  auto reader = formats::x12::open_reader(source, file.filename().string(), {});
  model::Batch batch;
  std::size_t index = 0;
  int mismatches = 0;
  auto mismatch = [&](const std::string& what) {
    if (mismatches++ == 0) std::printf("  MISMATCH claim %zu: %s\n", index, what.c_str());
  };
  while (reader->next(batch)) {
    for (const auto& claim : batch.claims) {
      if (index >= truth.size()) {
        mismatch("more claims than the truth file");
        ++index;
        continue;
      }
      const Truth& t = truth[index];
      if (claim.claim_id != t.id) mismatch("id " + claim.claim_id + " != " + t.id);
      std::vector<std::string> dx;
      for (const auto& d : claim.diagnoses) dx.push_back(d.code);
      if (dx != t.dx) mismatch("diagnoses of " + t.id);
      std::vector<std::string> px;
      for (const auto& l : claim.lines) px.push_back(l.procedure_code);
      if (px != t.px) mismatch("procedures of " + t.id);
      ++index;
    }
  }
  if (index != truth.size()) mismatch("claim count " + std::to_string(index));
  if (reader->summary().rejection) mismatch("rejected: " + reader->summary().rejection->message);
  return mismatches;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// CPU time of this thread: on a shared machine (other builds running) wall time measures the
// neighbours too; both are printed.
double thread_cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Full model: every claim built, every batch drained. Returns claims read.
std::size_t parse_full(const fs::path& file) {
  FdSource source(file);
  auto reader = formats::x12::open_reader(source, file.filename().string(), {});
  model::Batch batch;
  std::size_t claims = 0;
  while (reader->next(batch)) claims += batch.claims.size();
  return claims;
}

// Ceiling: segments and elements only. Returns elements seen (so nothing is optimised away).
std::size_t split_only(const fs::path& file) {
  FdSource source(file);
  formats::x12::SegmentScanner scanner(source);
  formats::x12::Segment segment;
  formats::x12::RawSegment raw;
  formats::x12::ScanError error;
  std::size_t elements = 0;
  while (scanner.next(raw, error) == formats::x12::SegmentScanner::Status::kSegment) {
    segment.assign(raw.text, raw.offset, 0, scanner.delimiters().element);
    elements += static_cast<std::size_t>(segment.size());
  }
  return elements;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

long vm_hwm_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

// Peak RSS of a fresh process that streams `file` through the reader.
long child_peak_rss_kib(const fs::path& file) {
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  const std::string command = "'" + self + "' --rss-child '" + file.string() + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  long kib = -1;
  if (std::fscanf(pipe, "%ld", &kib) != 1) kib = -1;
  ::pclose(pipe);
  return kib;
}

// "1000,10000,100000" to its numbers.
std::vector<int> parse_sizes(const std::string& list) {
  std::vector<int> sizes;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = list.find(',', start);
    sizes.push_back(std::atoi(list.substr(start, comma - start).c_str()));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return sizes;
}

// The rows of one workload size (wall and CPU); returns its failures (mismatches against the
// truth, and runs where the raw split read nothing).
int bench_size(const fs::path& dir, int claims, int runs) {
  int failures = 0;
  fs::path truth_path;
  const fs::path file = bench::ensure_workload(dir, claims, &truth_path);
  const double megabytes = static_cast<double>(fs::file_size(file)) / 1e6;
  const int mismatches = verify(file, load_truth(truth_path));
  failures += mismatches;
  std::vector<double> full;
  std::vector<double> split;
  std::vector<double> full_cpu;
  std::vector<double> split_cpu;
  std::size_t read = 0;
  for (int run = 0; run < runs; ++run) {
    auto start = std::chrono::steady_clock::now();
    double cpu = thread_cpu_seconds();
    read = parse_full(file);
    full.push_back(seconds_since(start));
    full_cpu.push_back(thread_cpu_seconds() - cpu);
    start = std::chrono::steady_clock::now();
    cpu = thread_cpu_seconds();
    const std::size_t elements = split_only(file);
    split.push_back(seconds_since(start));
    split_cpu.push_back(thread_cpu_seconds() - cpu);
    if (elements == 0) ++failures;
  }
  const long rss = child_peak_rss_kib(file);
  const double count = static_cast<double>(read);
  for (const bool wall : {true, false}) {
    const double full_s = median(wall ? full : full_cpu);
    const double split_s = median(wall ? split : split_cpu);
    std::printf("%-22s %5s %6.1f %9zu %12.0f %9.1f %12.0f %9.1f %7.2f %7.1f MiB %s\n",
                file.filename().c_str(), wall ? "wall" : "cpu", megabytes, read, count / full_s,
                megabytes / full_s, count / split_s, megabytes / split_s, split_s / full_s,
                static_cast<double>(rss) / 1024.0, mismatches == 0 ? "ok" : "MISMATCH");
  }
  return failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--rss-child") {
    const std::size_t claims = parse_full(argv[2]);
    std::printf("%ld %zu\n", vm_hwm_kib(), claims);
    return 0;
  }
  int runs = 7;
  std::vector<int> sizes = {1000, 10000, 100000};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--claims" && i + 1 < argc) {
      sizes = parse_sizes(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: bench_parse [--runs N] [--claims 1000,10000,100000]\n");
      return 64;
    }
  }
  const char* env_dir = std::getenv("CLAIMAUDIT_BENCH_DIR");
  const fs::path dir =
      env_dir != nullptr ? fs::path(env_dir) : fs::path(CLAIMAUDIT_BINARY_DIR) / "bench-data";
  std::printf("X12 837P parse benchmark: median of %d runs, file read from disk (page cache)\n",
              runs);
  std::printf("%-22s %5s %6s %9s %12s %9s %12s %9s %7s %11s %s\n", "file", "time", "MB", "claims",
              "claims/s", "MB/s", "split cl/s", "split MB/s", "ratio", "peak RSS", "truth");
  int failures = 0;
  for (int claims : sizes) failures += bench_size(dir, claims, runs);
  std::printf(
      "wall: elapsed time; cpu: this thread's CPU time (excludes time lost to other processes)\n"
      "ratio = full-model speed / raw split speed (the ceiling), same file, same run\n"
      "peak RSS: VmHWM of a fresh process streaming only that file through the reader\n");
  return failures == 0 ? 0 : 1;
}
