// bench_daemon: claimauditd end to end, on a Release build, with the workload of
// ../shared/bench/ (gen837p.py, 100,000 synthetic 837P claims, FY2026 codes on 2025 dates).
//
//   start-up   fork to READY=1 (sd_notify on a socket this program owns), median and max of 5
//   throughput the 100k claims split into files of 5,000, 100 and 1 claims (the 1-claim run uses
//              the first --single N claims, default 10,000: also the "10,000-file burst"), all
//              renamed into the inbox at once; time from the first rename until every file is
//              committed and moved; claims/s, findings/s, and the daemon's peak RSS (VmHWM)
//   big file   the whole 100k-claim file as one drop: time and peak RSS
//   latency    a steady 50 files/s of 1-claim and of 1,000-claim files; rename into the inbox to
//              the file's arrival in archive/ (the move follows the durable commit), p50/p99/max
//   store      the store's own write path (Store::record_batch, claims with findings) against
//              SQLite's batched prepared INSERT of the same rows into the same schema, same run
//
//   bench_daemon [--single N] [--latency-files N] [--skip-throughput] [--skip-latency]
//                [--only 5000|100|1|100000]... [--repeat N] [--skip-store] [--skip-startup]
//                [--daemon PATH] [--config PATH]
// --config passes a claimauditd configuration file (e.g. `store_cache_mib: 32`); --state-dir
// still puts everything under the benchmark's own state directories.
// --only keeps the named throughput runs (claims per file; 100000 is the whole file as one
// drop); --repeat N runs each throughput run N times and prints every run and the median.
// Files are generated once into $CLAIMAUDIT_BENCH_DIR (default <build>/bench-data).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/claim_json_codec.hpp"
#include "store/store.hpp"
#include "workload.hpp"

namespace {

using namespace claimaudit;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

long vm_hwm_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// The --config file handed to every daemon, if any.
std::string& config_path() {
  static std::string path;
  return path;
}

class Daemon {
 public:
  Daemon(fs::path binary, fs::path state) : binary_(std::move(binary)), state_(std::move(state)) {
    fs::create_directories(state_);
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  ~Daemon() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  // Returns seconds from fork to READY=1.
  double start() {
    const fs::path notify = state_.parent_path() / (state_.filename().string() + ".notify");
    fs::remove(notify);
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, notify.c_str(), sizeof(address.sun_path) - 1);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) std::exit(70);
    const std::string env = "NOTIFY_SOCKET=" + notify.string();
    const std::string log = (state_.parent_path() / (state_.filename().string() + ".log")).string();
    const auto started = Clock::now();
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::putenv(const_cast<char*>(env.c_str()));
      if (config_path().empty()) {
        ::execl(binary_.c_str(), binary_.c_str(), "--state-dir", state_.c_str(), "--log-level",
                "warn", static_cast<char*>(nullptr));
      } else {
        ::execl(binary_.c_str(), binary_.c_str(), "--state-dir", state_.c_str(), "--log-level",
                "warn", "--config", config_path().c_str(), static_cast<char*>(nullptr));
      }
      ::_exit(127);
    }
    char buffer[512];
    for (;;) {
      pollfd ready{fd, POLLIN, 0};
      if (::poll(&ready, 1, 60000) <= 0) {
        std::fprintf(stderr, "claimauditd did not become ready; see %s\n", log.c_str());
        std::exit(70);
      }
      const ssize_t size = ::recv(fd, buffer, sizeof buffer, 0);
      if (size > 0 && std::string_view(buffer, static_cast<std::size_t>(size)).find("READY=1") !=
                          std::string_view::npos) {
        break;
      }
    }
    const double elapsed = seconds_since(started);
    ::close(fd);
    return elapsed;
  }

  int stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  pid_t pid() const { return pid_; }
  const fs::path& state() const { return state_; }

 private:
  fs::path binary_;
  fs::path state_;
  pid_t pid_ = -1;
};

std::int64_t query(const fs::path& database, const std::string& sql) {
  SQLite::Database db(database.string(), SQLite::OPEN_READONLY);
  db.setBusyTimeout(5000);
  return db.execAndGet(sql).getInt64();
}

// CPU time of a process's threads, in seconds (schedstat: nanoseconds on a CPU), by role: the
// store thread and the checkpointer are named ("ca-store", "ca-checkpoint"), the event loop is
// the main thread, and the rest are the audit workers (plus the idle rule-reload thread).
struct ThreadCpu {
  double workers = 0;
  double store = 0;
  double loop = 0;
  double other = 0;  // The checkpointer.
};

ThreadCpu thread_cpu(pid_t pid) {
  ThreadCpu cpu;
  const fs::path tasks = "/proc/" + std::to_string(pid) + "/task";
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(tasks, error)) {
    std::string comm = slurp(entry.path() / "comm");
    while (!comm.empty() && comm.back() == '\n') comm.pop_back();
    const double seconds =
        static_cast<double>(std::atoll(slurp(entry.path() / "schedstat").c_str())) / 1e9;
    if (comm == "ca-store") {
      cpu.store += seconds;
    } else if (comm == "ca-checkpoint") {
      cpu.other += seconds;
    } else if (entry.path().filename() == std::to_string(pid)) {
      cpu.loop += seconds;
    } else {
      cpu.workers += seconds;
    }
  }
  return cpu;
}

struct Throughput {
  double seconds = 0;
  std::int64_t claims = 0;
  std::int64_t findings = 0;
  long peak_rss_kib = 0;
  ThreadCpu cpu;
};

// Stages the files inside the state dir (same file system), renames them all into the inbox
// and waits until every file is done and moved.
Throughput run_throughput(const fs::path& binary, const fs::path& work, const std::string& label,
                          const std::vector<std::string>& files) {
  const fs::path state = work / ("state-" + label);
  fs::remove_all(state);
  Daemon daemon(binary, state);
  daemon.start();
  const fs::path staging = state / "staging";
  fs::create_directories(staging);
  for (std::size_t i = 0; i < files.size(); ++i) {
    write_file(staging / ("f" + std::to_string(i) + ".837"), files[i]);
  }
  ::sync();
  const auto started = Clock::now();
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string name = "f" + std::to_string(i) + ".837";
    fs::rename(staging / name, state / "inbox" / name);
  }
  const fs::path database = state / "claimaudit.db";
  const auto total = static_cast<std::int64_t>(files.size());
  for (;;) {
    if (query(database, "SELECT count(*) FROM files WHERE state = 'done'") == total) {
      bool moved = true;
      for (const auto& entry : fs::recursive_directory_iterator(state / "processing")) {
        if (entry.is_regular_file()) moved = false;
      }
      if (moved) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Throughput result;
  result.seconds = seconds_since(started);
  result.peak_rss_kib = vm_hwm_kib(daemon.pid());
  result.cpu = thread_cpu(daemon.pid());
  result.claims = query(database, "SELECT count(*) FROM claims");
  result.findings = query(database, "SELECT count(*) FROM findings");
  daemon.stop();
  fs::remove_all(state);
  return result;
}

struct Latency {
  double p50 = 0;
  double p99 = 0;
  double max = 0;
  std::size_t files = 0;
};

Latency run_latency(const fs::path& binary, const fs::path& work, const std::string& label,
                    const std::vector<std::string>& files) {
  const fs::path state = work / ("state-latency-" + label);
  fs::remove_all(state);
  Daemon daemon(binary, state);
  daemon.start();
  const fs::path staging = state / "staging";
  fs::create_directories(staging);
  for (std::size_t i = 0; i < files.size(); ++i) {
    write_file(staging / ("l" + std::to_string(i) + ".837"), files[i]);
  }
  ::sync();
  // The archive folder of today, watched for the moves that follow each commit.
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char day[16];
  std::strftime(day, sizeof day, "%Y-%m-%d", &parts);
  const fs::path archive = state / "archive" / day;
  fs::create_directories(archive);
  const int inotify = ::inotify_init1(IN_CLOEXEC);
  ::inotify_add_watch(inotify, archive.c_str(), IN_MOVED_TO);
  std::map<std::string, Clock::time_point> arrived;
  std::mutex mutex;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    std::vector<char> buffer(std::size_t{64} * 1024);
    while (!done) {
      pollfd ready{inotify, POLLIN, 0};
      if (::poll(&ready, 1, 100) <= 0) continue;
      const ssize_t size = ::read(inotify, buffer.data(), buffer.size());
      const auto at = Clock::now();
      for (ssize_t offset = 0; offset < size;) {
        inotify_event event{};
        std::memcpy(&event, buffer.data() + offset, sizeof event);
        const std::string name(buffer.data() + offset + sizeof event);
        offset += static_cast<ssize_t>(sizeof event + event.len);
        std::lock_guard lock(mutex);
        arrived[name] = at;
      }
    }
  });
  std::vector<Clock::time_point> renamed(files.size());
  const auto period = std::chrono::milliseconds(20);  // 50 files/s.
  auto next = Clock::now();
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::this_thread::sleep_until(next);
    next += period;
    const std::string name = "l" + std::to_string(i) + ".837";
    renamed[i] = Clock::now();
    fs::rename(staging / name, state / "inbox" / name);
  }
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < deadline) {
    {
      std::lock_guard lock(mutex);
      if (arrived.size() >= files.size()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  done = true;
  reader.join();
  ::close(inotify);
  std::vector<double> latencies;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto it = arrived.find("l" + std::to_string(i) + ".837");
    if (it == arrived.end()) continue;
    latencies.push_back(std::chrono::duration<double, std::milli>(it->second - renamed[i]).count());
  }
  daemon.stop();
  fs::remove_all(state);
  Latency result;
  result.files = latencies.size();
  if (latencies.empty()) return result;
  std::sort(latencies.begin(), latencies.end());
  auto at = [&](double q) {
    return latencies[std::min(latencies.size() - 1,
                              static_cast<std::size_t>(q * static_cast<double>(latencies.size())))];
  };
  result.p50 = at(0.50);
  result.p99 = at(0.99);
  result.max = latencies.back();
  return result;
}

// The store's write path against raw batched SQLite inserts of the same rows, same schema.
void run_store(const fs::path& work) {
  constexpr int kClaims = 10000;
  constexpr int kFindingsPerClaim = 5;
  constexpr int kPerTransaction = 5000;  // Findings per batch / transaction.
  std::mt19937_64 random(7);
  auto hex = [&random] {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(64, '0');
    for (char& c : out) c = kDigits[random() % 16];
    return out;
  };
  auto make_finding = [&](int claim, int index) {
    model::Finding finding;
    finding.rule_id = "dx.stale_code";
    finding.severity = model::FindingSeverity::kError;
    finding.code = "M545";
    finding.diagnosis_seq = index + 1;
    finding.location = "ST 0001, segment 20 HI, HI01-2 (loop 2300)";
    finding.message = "M54.5 (Low back pain) is not billable on 2025-01-02 (fy2025: header)";
    finding.evidence_json = R"({"code":"M545","dos":"2025-01-02","edition":"fy2025"})";
    finding.fingerprint = hex();
    finding.provenance = {"1", "ruleset", "fy2025", "0.1.0"};
    (void)claim;
    return finding;
  };
  // Store::record_batch.
  double store_rate = 0;
  {
    const fs::path path = work / "store-bench.db";
    fs::remove(path);
    store::Store store(path);
    const auto admitted = store.admit({"bench", "inbox", hex(), 1}, store::Arrival::kFresh);
    const auto started = Clock::now();
    int claim = 0;
    while (claim < kClaims) {
      store::BatchRecord batch;
      batch.file_id = admitted->file_id;
      batch.rule_set_hash = "ruleset";
      for (int i = 0; i < kPerTransaction / kFindingsPerClaim && claim < kClaims; ++i, ++claim) {
        store::ClaimRecord record;
        record.fingerprint = hex();
        record.claim_id = "PCN" + std::to_string(claim);
        record.billing_provider = "1234567893";
        record.claim_key = "1234567893|" + record.claim_id;
        record.claim_json = R"({"format":"claimaudit.claim/1","claim_id":"x"})";
        for (int f = 0; f < kFindingsPerClaim; ++f)
          record.findings.push_back(make_finding(claim, f));
        batch.claims.push_back(std::move(record));
      }
      if (!store.record_batch(batch)) std::exit(70);
    }
    store_rate = kClaims * kFindingsPerClaim / seconds_since(started);
  }
  // Raw SQLite: the same rows, prepared INSERTs, one transaction per 5,000 findings.
  double raw_rate = 0;
  {
    const fs::path path = work / "raw-bench.db";
    fs::remove(path);
    { store::Store schema(path); }  // Same schema, same pragmas below.
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec(
        "INSERT INTO files (name, sha256, size, received, state) VALUES ('b', 'x', 1, 'now', "
        "'in_progress')");
    SQLite::Statement claim_insert(
        db,
        "INSERT INTO claims (fingerprint, claim_key, billing_provider, claim_id, frequency, "
        "kind, use, payer_kind, file_id, position, claim_json, rule_set_hash, audited, "
        "claim_json_zstd) VALUES (?, ?, '1234567893', ?, 'original', 'professional', 'claim', "
        "'commercial', 1, 0, '', 'ruleset', 'now', ?)");
    // The store keeps the claim JSON as a zstd frame (migration 0005): the same bytes here,
    // compressed once (the store compresses each claim's).
    auto dictionary = store::read_claim_json_dictionary(db);
    if (!dictionary) std::exit(70);
    store::ClaimJsonCodec codec(*dictionary);
    const std::string frame(codec.compress(R"({"format":"claimaudit.claim/1","claim_id":"x"})"));
    SQLite::Statement finding_insert(
        db,
        "INSERT INTO findings (fingerprint, claim_ref, file_id, rule_id, rule_version, "
        "rule_set_hash, severity, mode, code, diagnosis_seq, location, message, evidence, "
        "created, updated, code_edition, engine_version) VALUES (?, ?, 1, 'dx.stale_code', "
        "'1', 'ruleset', 'error', 'enforce', 'M545', ?, ?, ?, ?, 'now', 'now', 'fy2025', "
        "'0.1.0')");
    const auto started = Clock::now();
    int claim = 0;
    while (claim < kClaims) {
      SQLite::Transaction transaction(db);
      for (int i = 0; i < kPerTransaction / kFindingsPerClaim && claim < kClaims; ++i, ++claim) {
        claim_insert.bind(1, hex());
        claim_insert.bind(2, "1234567893|PCN" + std::to_string(claim));
        claim_insert.bind(3, "PCN" + std::to_string(claim));
        claim_insert.bindNoCopy(4, frame.data(), static_cast<int>(frame.size()));
        claim_insert.exec();
        claim_insert.reset();
        const auto row = db.getLastInsertRowid();
        for (int f = 0; f < kFindingsPerClaim; ++f) {
          const model::Finding finding = make_finding(claim, f);
          finding_insert.bind(1, finding.fingerprint);
          finding_insert.bind(2, row);
          finding_insert.bind(3, finding.diagnosis_seq);
          finding_insert.bind(4, finding.location);
          finding_insert.bind(5, finding.message);
          finding_insert.bind(6, finding.evidence_json);
          finding_insert.exec();
          finding_insert.reset();
        }
      }
      transaction.commit();
    }
    raw_rate = kClaims * kFindingsPerClaim / seconds_since(started);
  }
  std::printf(
      "store writes: Store::record_batch %.0f findings/s (+ their claims); raw batched "
      "SQLite INSERT %.0f findings/s; ratio %.2f (target >= 0.50)\n",
      store_rate, raw_rate, store_rate / raw_rate);
}

struct Args {
  std::size_t single = 10000;
  std::size_t latency_files = 500;
  bool throughput = true;
  bool latency = true;
  bool store_run = true;
  bool startup_run = true;
  int repeat = 1;
  std::vector<std::size_t> only;
  fs::path binary = fs::path(CLAIMAUDIT_BINARY_DIR) / "daemon/app/claimauditd";
};

// The flags that take no value; false for any other argument.
bool skip_flag(std::string_view arg, Args& args) {
  if (arg == "--skip-throughput") {
    args.throughput = false;
  } else if (arg == "--skip-latency") {
    args.latency = false;
  } else if (arg == "--skip-store") {
    args.store_run = false;
  } else if (arg == "--skip-startup") {
    args.startup_run = false;
  } else {
    return false;
  }
  return true;
}

// nullopt on a usage error (the usage is printed).
std::optional<Args> parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (skip_flag(arg, args)) continue;
    const bool has_value = i + 1 < argc;
    if (arg == "--single" && has_value) {
      args.single = static_cast<std::size_t>(std::atol(argv[++i]));
    } else if (arg == "--latency-files" && has_value) {
      args.latency_files = static_cast<std::size_t>(std::atol(argv[++i]));
    } else if (arg == "--only" && has_value) {
      args.only.push_back(static_cast<std::size_t>(std::atol(argv[++i])));
    } else if (arg == "--config" && has_value) {
      config_path() = fs::absolute(argv[++i]).string();
    } else if (arg == "--daemon" && has_value) {
      args.binary = argv[++i];
    } else if (arg == "--repeat" && has_value) {
      args.repeat = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr,
                   "usage: bench_daemon [--single N] [--latency-files N] [--skip-throughput] "
                   "[--skip-latency] [--only 5000|100|1|100000]... [--repeat N] [--skip-store] "
                   "[--skip-startup] [--daemon PATH] [--config PATH]\n");
      return std::nullopt;
    }
  }
  return args;
}

void run_startups(const fs::path& binary, const fs::path& work) {
  std::vector<double> startups;
  for (int i = 0; i < 5; ++i) {
    const fs::path state = work / "state-startup";
    fs::remove_all(state);
    Daemon daemon(binary, state);
    startups.push_back(daemon.start() * 1000);
    daemon.stop();
  }
  std::sort(startups.begin(), startups.end());
  std::printf("start-up to READY=1: median %.0f ms, max %.0f ms (target <= 250 ms)\n", startups[2],
              startups.back());
}

// One throughput row (files of `per_file` claims), `repeat` times, with the medians.
void run_throughput_row(const Args& args, const fs::path& work, const std::string& workload,
                        std::size_t per_file, std::size_t claims) {
  const int repeat = args.repeat;
  // The whole file is the generator's own (20 transaction sets of 5,000 claims, as senders
  // split a batch); split_x12 would make it one transaction set of 100,000 claims, which a
  // reader streaming one transaction set at a time must hold whole.
  const auto files = per_file == 100000 ? std::vector<std::string>{workload}
                                        : bench::split_x12(workload, per_file, claims);
  const std::string label =
      per_file == 100000 ? "one 100k-claim file" : std::to_string(per_file) + "-claim files";
  std::vector<double> rates;
  std::vector<double> rss;
  std::vector<double> worker_us;  // Worker threads' CPU per claim.
  std::vector<double> store_us;   // Store thread's CPU per claim.
  for (int round = 0; round < repeat; ++round) {
    const Throughput result = run_throughput(args.binary, work, std::to_string(per_file), files);
    rates.push_back(static_cast<double>(result.claims) / result.seconds);
    rss.push_back(static_cast<double>(result.peak_rss_kib) / 1024.0);
    std::printf("%-28s %8zu %8.2f %10lld %10.0f %11.0f %7.1f MiB\n", label.c_str(), files.size(),
                result.seconds, static_cast<long long>(result.claims), rates.back(),
                static_cast<double>(result.findings) / result.seconds, rss.back());
    const auto per_claim = [&result](double seconds) {
      return seconds * 1e6 / static_cast<double>(std::max<std::int64_t>(result.claims, 1));
    };
    worker_us.push_back(per_claim(result.cpu.workers));
    store_us.push_back(per_claim(result.cpu.store));
    std::printf("%-28s CPU us/claim: workers %.2f, store %.2f, loop %.2f, checkpoint %.2f\n", "",
                worker_us.back(), store_us.back(), per_claim(result.cpu.loop),
                per_claim(result.cpu.other));
    std::fflush(stdout);
  }
  if (repeat > 1) {
    std::sort(rates.begin(), rates.end());
    std::sort(rss.begin(), rss.end());
    std::sort(worker_us.begin(), worker_us.end());
    std::sort(store_us.begin(), store_us.end());
    std::printf(
        "%-28s median of %d: %.0f claims/s, peak RSS %.1f MiB, CPU us/claim: workers %.2f, "
        "store %.2f\n",
        label.c_str(), repeat, rates[rates.size() / 2], rss[rss.size() / 2],
        worker_us[worker_us.size() / 2], store_us[store_us.size() / 2]);
  }
}

void run_throughputs(const Args& args, const fs::path& work, const std::string& workload) {
  std::printf("%-28s %8s %8s %10s %10s %11s %10s\n", "throughput", "files", "seconds", "claims",
              "claims/s", "findings/s", "peak RSS");
  const std::vector<std::pair<std::size_t, std::size_t>> runs = {
      {5000, 100000}, {100, 100000}, {1, args.single}, {100000, 100000}};
  for (const auto& [per_file, claims] : runs) {
    const auto& only = args.only;
    if (!only.empty() && std::find(only.begin(), only.end(), per_file) == only.end()) continue;
    run_throughput_row(args, work, workload, per_file, claims);
  }
}

void run_latencies(const Args& args, const fs::path& work, const std::string& workload) {
  for (const std::size_t per_file : {std::size_t{1}, std::size_t{1000}}) {
    const std::size_t count =
        per_file == 1 ? args.latency_files : std::min<std::size_t>(args.latency_files, 100);
    const auto files = bench::split_x12(workload, per_file, per_file * count);
    const Latency result = run_latency(args.binary, work, std::to_string(per_file), files);
    std::printf(
        "latency rename->commit, 50 files/s, %4zu-claim files (%zu files): p50 %.2f ms, "
        "p99 %.2f ms, max %.2f ms (target p99 <= %s)\n",
        per_file, result.files, result.p50, result.p99, result.max,
        per_file == 1 ? "5 ms" : "25 ms");
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = parse_args(argc, argv);
  if (!args) return 64;
  const char* env_dir = std::getenv("CLAIMAUDIT_BENCH_DIR");
  const fs::path data =
      env_dir != nullptr ? fs::path(env_dir) : fs::path(CLAIMAUDIT_BINARY_DIR) / "bench-data";
  const fs::path work = data / "daemon-bench";
  fs::create_directories(work);
  const std::string workload = slurp(bench::ensure_workload(data, 100000));
  std::printf("claimauditd benchmark (%s), workload %s: 100,000 claims, %.1f MB\n",
              args->binary.c_str(), (data / "p837-100000.edi").c_str(),
              static_cast<double>(workload.size()) / 1e6);
  if (args->startup_run) run_startups(args->binary, work);
  if (args->store_run) run_store(work);
  if (args->throughput) run_throughputs(*args, work, workload);
  if (args->latency) run_latencies(*args, work, workload);
  return 0;
}
