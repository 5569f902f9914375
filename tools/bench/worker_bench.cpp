// bench_worker: what one claimauditd worker thread spends per claim outside the store: the
// whole audit::process_file (hash, read, parse, records with the claim JSON compressed, rules,
// findings' fingerprints), one file after the other as a daemon worker takes them, on the
// 100k-claim workload of ../shared/bench/ split as bench_daemon splits it (20 files of 5,000
// claims; --per-file), with the shipped rule pack and the build's code history, into a sink
// that admits every file and hands the records to a second thread (as the daemon's store thread
// takes them), which only frees them. A Store opened on a scratch database publishes the claim
// JSON dictionary, as the daemon's does. The figure is the worker thread's own CPU time per
// claim (CLOCK_THREAD_CPUTIME_ID), median of --runs; wall time follows the machine's load, this
// does not much.
//
// It also prints a SHA-256 over every byte the worker hands on (each record's fields, the
// claim JSON, findings and diagnostics): a change meant to be invisible must leave it as it
// was. --digest FILE... prints the digest of other files (the shared samples) instead of timing.
//
// --store: the second thread writes the records into a real Store (a fresh database per run,
// 8 MiB of page cache as the daemon's default), as the daemon's store thread does: admission,
// groups of up to 5,000 claims (batch_size) committed at once, finish_file at each file's end.
// Its CPU time per claim is printed too; tools/bench/store-icount counts its instructions.
//
//   bench_worker [--runs N] [--claims N] [--per-file N] [--store] [--digest FILE...]
// --claims picks the workload (100000 default; 10000 is small enough for
// tools/bench/worker-icount under valgrind); --per-file the claims per file (5000 default).
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <spdlog/spdlog.h>

#include "audit/process_file.hpp"
#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "core/sha256.hpp"
#include "rules/rule_set.hpp"
#include "store/store.hpp"
#include "workload.hpp"

namespace {

using namespace claimaudit;
namespace fs = std::filesystem;

double thread_cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Every field the store receives, in order, separated so that shifted bytes change the hash.
class Digest {
 public:
  void text(std::string_view value) {
    hasher_.update(value);
    hasher_.update(std::string_view("\x1e", 1));
  }
  void number(long long value) { text(std::to_string(value)); }
  void diagnostics(const std::vector<core::Diagnostic>& list) {
    number(static_cast<long long>(list.size()));
    for (const core::Diagnostic& d : list) {
      number(static_cast<int>(d.severity));
      text(d.code);
      text(d.where.file);
      number(d.where.line);
      number(d.where.column);
      text(d.where.path);
      text(d.message);
    }
  }
  void origin(const model::Origin& o) {
    number(o.segment);
    number(o.byte_offset);
    number(o.element);
    number(o.component);
    number(o.repetition);
    text(std::string_view(o.tag.data()));
    text(o.loop != nullptr ? o.loop : "-");
    text(o.pointer);
  }
  void batch(const store::BatchRecord& batch) {
    number(batch.file_id);
    text(batch.rule_set_hash);
    diagnostics(batch.diagnostics);
    number(static_cast<long long>(batch.claims.size()));
    for (const store::ClaimRecord& r : batch.claims) {
      text(r.fingerprint);
      text(r.claim_key);
      text(r.billing_provider);
      text(r.claim_id);
      number(static_cast<int>(r.frequency));
      text(r.frequency_code);
      text(r.replaces);
      number(static_cast<int>(r.kind));
      number(static_cast<int>(r.use));
      number(static_cast<int>(r.payer_kind));
      text(r.filing_indicator);
      text(r.payer_id);
      text(r.service_from ? r.service_from->iso() : "-");
      text(r.service_to ? r.service_to->iso() : "-");
      number(r.position);
      text(r.interchange_control);
      text(r.group_control);
      text(r.transaction_control);
      text(r.claim_json);
      text(r.claim_json_zstd);
      diagnostics(r.diagnostics);
      number(static_cast<long long>(r.findings.size()));
      for (const model::Finding& f : r.findings) {
        text(f.rule_id);
        number(static_cast<int>(f.severity));
        number(static_cast<int>(f.mode));
        text(f.code);
        number(f.diagnosis_seq);
        number(f.line_seq);
        origin(f.origin);
        text(f.location);
        text(f.message);
        text(f.evidence_json);
        text(f.predicts);
        text(f.fingerprint);
        text(f.provenance.rule_version);
        text(f.provenance.rule_set_hash);
        text(f.provenance.code_edition);
        text(f.provenance.engine_version);
      }
    }
  }
  std::string finish() { return core::to_hex(hasher_.finish()); }

 private:
  core::Sha256 hasher_;
};

// Admits every file; hands each batch to a thread that digests (when asked) and frees it, so
// the worker thread's time is what the daemon's worker spends.
class Sink final : public audit::Sink {
 public:
  // `store` (may be null): the database the second thread writes the records into.
  explicit Sink(bool digesting, store::Store* store = nullptr)
      : digest_(digesting), store_(store), thread_([this] { run(); }) {}
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  ~Sink() override {
    {
      const std::lock_guard lock(mutex_);
      done_ = true;
    }
    ready_.notify_one();
    thread_.join();
  }
  core::Result<store::Admitted> admit(const store::IncomingFile& file,
                                      store::Arrival arrival) override {
    if (store_ != nullptr) {
      // On the store's thread, as the daemon's store thread admits files.
      std::unique_lock lock(mutex_);
      std::optional<core::Result<store::Admitted>> answer;
      queue_.push_back(Work{Admit{file, arrival, &answer}});
      lock.unlock();
      ready_.notify_one();
      lock.lock();
      room_.wait(lock, [&] { return answer.has_value(); });
      return *answer;
    }
    store::Admitted admitted;
    admitted.admission = store::Admission::kAudit;
    admitted.file_id = 1;
    admitted.attempts = 1;
    return admitted;
  }
  void record(store::BatchRecord batch) override {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [this] { return queue_.size() < 8; });  // Back-pressure, as the daemon's.
    queue_.push_back(Work{std::move(batch)});
    lock.unlock();
    ready_.notify_one();
  }
  // The end of a file: finish_file on the store's thread (with --store).
  void finish(store::FileId file_id, const std::string& rule_set_hash) {
    if (store_ == nullptr) return;
    store::FileFinish end;
    end.file_id = file_id;
    end.format = "x12";
    end.rule_set_hash = rule_set_hash;
    end.stored_path = "archive/f";
    {
      const std::lock_guard lock(mutex_);
      queue_.push_back(Work{std::move(end)});
    }
    ready_.notify_one();
  }
  // Waits until every batch handed on so far is digested and freed (and, with --store, the
  // last group committed).
  void drain() {
    std::unique_lock lock(mutex_);
    if (store_ != nullptr) {
      queue_.push_back(Work{Flush{}});
      ready_.notify_one();
    }
    room_.wait(lock, [this] { return queue_.empty() && !busy_; });
  }
  // drain(), then the digest of all batches (and of what the caller added after drain()).
  std::string finish() {
    drain();
    return digest_ ? digest.finish() : std::string();
  }
  Digest digest;
  // The second thread's CPU time so far (after drain(): all of it).
  double cpu() {
    const std::lock_guard lock(mutex_);
    return cpu_;
  }

 private:
  void run() {
    pthread_setname_np(pthread_self(), "bench-store");
    const double started = thread_cpu_seconds();
    std::unique_lock lock(mutex_);
    for (;;) {
      ready_.wait(lock, [this] { return done_ || !queue_.empty(); });
      if (queue_.empty()) return;
      Work work = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      lock.unlock();
      room_.notify_all();
      handle(work, lock);
      work = {};
      lock.lock();
      cpu_ = thread_cpu_seconds() - started;
      busy_ = false;
      room_.notify_all();
    }
  }
  static void fail(const char* what) {
    std::fprintf(stderr, "bench_worker: store: %s failed\n", what);
    std::exit(70);
  }
  // Commits the open group (the lock held on entry and exit, released around the commit).
  void commit(std::unique_lock<std::mutex>& lock) {
    lock.unlock();
    if (!group_->group.commit()) fail("commit");
    group_.reset();
    group_claims_ = 0;
    lock.lock();
  }
  struct Admit {
    store::IncomingFile file;
    store::Arrival arrival;
    std::optional<core::Result<store::Admitted>>* answer;
  };
  struct Flush {};
  using Work = std::variant<store::BatchRecord, Admit, store::FileFinish, Flush>;
  // A Group in an optional (it can be neither copied nor moved).
  struct OpenGroup {
    explicit OpenGroup(store::Store& store) : group(store.group()) {}
    store::Store::Group group;
  };
  // One piece of work, the lock released on entry and exit.
  void handle(Work& work, std::unique_lock<std::mutex>& lock) {
    if (auto* batch = std::get_if<store::BatchRecord>(&work)) {
      record(*batch, lock);
    } else if (auto* admit = std::get_if<Admit>(&work)) {
      if (!group_) group_.emplace(*store_);
      auto answer = store_->admit(admit->file, admit->arrival);
      lock.lock();
      admit->answer->emplace(answer);
      lock.unlock();
    } else if (std::holds_alternative<Flush>(work)) {
      if (group_) {
        lock.lock();
        commit(lock);
        lock.unlock();
      }
    } else if (auto* end = std::get_if<store::FileFinish>(&work)) {
      if (!group_) group_.emplace(*store_);
      if (!store_->finish_file(*end)) fail("finish_file");
    }
  }
  // A batch into the digest and the open group, committed every kGroupClaims claims.
  void record(const store::BatchRecord& batch, std::unique_lock<std::mutex>& lock) {
    if (digest_) digest.batch(batch);
    if (store_ == nullptr) return;
    if (!group_) group_.emplace(*store_);
    if (!store_->record_batch(batch)) fail("record_batch");
    group_claims_ += batch.claims.size();
    if (group_claims_ >= kGroupClaims) {
      lock.lock();
      commit(lock);
      lock.unlock();
    }
  }
  static constexpr std::size_t kGroupClaims = 5000;  // The daemon's default batch_size.
  bool digest_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable room_;
  store::Store* store_;
  std::optional<OpenGroup> group_;
  std::size_t group_claims_ = 0;
  std::deque<Work> queue_;
  bool busy_ = false;
  bool done_ = false;
  double cpu_ = 0;
  std::thread thread_;
};

audit::Job job_for(const fs::path& path, std::shared_ptr<const rules::RuleSet> rules) {
  audit::Job job;
  job.path = path;
  job.name = path.filename().string();
  job.drop_dir = "inbox";
  job.rules = std::move(rules);
  return job;
}

struct Args {
  int runs = 5;
  int claim_count = 100000;
  std::size_t per_file = 5000;
  std::vector<fs::path> digest_files;
  bool with_store = false;
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
    } else if (arg == "--per-file" && has_value) {
      args.per_file = static_cast<std::size_t>(std::max(1, std::atoi(argv[++i])));
    } else if (arg == "--store") {
      args.with_store = true;
    } else if (arg == "--digest") {
      while (i + 1 < argc) args.digest_files.emplace_back(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: bench_worker [--runs N] [--claims N] [--per-file N] [--store] "
                   "[--digest FILE...]\n");
      return std::nullopt;
    }
  }
  return args;
}

// The workload split into files of `per_file` claims under `work`.
std::vector<fs::path> write_parts(const fs::path& source, const fs::path& work,
                                  std::size_t per_file, int claim_count) {
  std::vector<fs::path> files;
  std::ifstream in(source, std::ios::binary);
  const std::string workload((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  const auto parts = bench::split_x12(workload, per_file, static_cast<std::size_t>(claim_count));
  for (std::size_t i = 0; i < parts.size(); ++i) {
    files.push_back(work / ("f" + std::to_string(i) + ".837"));
    std::ofstream(files.back(), std::ios::binary) << parts[i];
  }
  return files;
}

// The records digest of each file, one line each.
void print_digests(const std::vector<fs::path>& digest_files,
                   const std::shared_ptr<const rules::RuleSet>& rule_set) {
  for (const fs::path& file : digest_files) {
    Sink sink(true);
    const audit::Report report = audit::process_file(job_for(file, rule_set), sink);
    sink.drain();  // The digest is the sink thread's until then.
    sink.digest.text(audit::to_string(report.disposition));
    sink.digest.number(report.claims);
    sink.digest.number(report.findings);
    sink.digest.diagnostics(report.diagnostics);
    sink.digest.diagnostics(report.batch_diagnostics);
    std::printf("%s  %s\n", sink.finish().c_str(), file.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = parse_args(argc, argv);
  if (!args) return 64;
  const int runs = args->runs;
  const int claim_count = args->claim_count;
  const std::size_t per_file = args->per_file;
  const bool with_store = args->with_store;
  spdlog::set_level(spdlog::level::warn);  // The scratch store's migrations.
  const codes::CodeSet codes = codes::CodeSet::load_default();
  const codes::EditLists edits = codes::EditLists::load_default();
  auto loaded = rules::load_rule_set({rules::default_rule_directory()}, codes, edits,
                                     rules::InlineTests::kSkip);
  if (!loaded.rule_set) {
    std::fputs(rules::render_diagnostics(loaded).c_str(), stderr);
    return 78;
  }
  const std::shared_ptr<const rules::RuleSet> rule_set = loaded.rule_set;
  const char* env_dir = std::getenv("CLAIMAUDIT_BENCH_DIR");
  const fs::path dir =
      env_dir != nullptr ? fs::path(env_dir) : fs::path(CLAIMAUDIT_BINARY_DIR) / "bench-data";
  // One folder per process: two builds may be measured side by side.
  const fs::path work = dir / ("worker-bench-" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  // Publishes the claim JSON dictionary to compress_claim_json(), as the daemon's store does.
  auto dictionary_source = std::make_unique<store::Store>(work / "scratch.db");
  const auto clean_up = [&] {
    dictionary_source.reset();
    fs::remove_all(work);
  };

  if (!args->digest_files.empty()) {
    print_digests(args->digest_files, rule_set);
    clean_up();
    return 0;
  }

  const fs::path source = bench::ensure_workload(dir, claim_count);
  const std::vector<fs::path> files = write_parts(source, work, per_file, claim_count);
  std::printf(
      "worker benchmark: process_file on %zu files of %zu claims (%s), shipped rules, "
      "CPU time of the worker thread, median of %d runs%s\n",
      files.size(), per_file, source.filename().c_str(), runs,
      with_store ? "; records written into a Store" : "");
  std::vector<double> per_claim;
  std::vector<double> store_per_claim;
  for (int run = 0; run <= runs; ++run) {
    const bool digest = run == 0;  // The first run digests (and warms up); the rest are timed.
    // A fresh database per run: the same files are new to it (not duplicates).
    std::unique_ptr<store::Store> database;
    if (with_store) {
      database = std::make_unique<store::Store>(work / ("store-" + std::to_string(run) + ".db"));
    }
    Sink sink(digest, database.get());
    int claims = 0;
    int findings = 0;
    const double started = thread_cpu_seconds();
    for (const fs::path& file : files) {
      const audit::Report report = audit::process_file(job_for(file, rule_set), sink);
      if (report.disposition != audit::Disposition::kArchived) {
        std::fprintf(stderr, "unexpected report for %s: %s\n", file.c_str(),
                     std::string(audit::to_string(report.disposition)).c_str());
        return 70;
      }
      claims += report.claims;
      findings += report.findings;
      sink.finish(report.file_id, report.rule_set_hash);
    }
    const double cpu = thread_cpu_seconds() - started;
    const std::string hex = sink.finish();
    const double store_cpu = sink.cpu();
    if (claims != claim_count) {
      std::fprintf(stderr, "unexpected claim count: %d\n", claims);
      return 70;
    }
    if (digest) {
      std::printf("records digest %s (%d claims, %d findings)\n", hex.c_str(), claims, findings);
      continue;
    }
    per_claim.push_back(cpu * 1e6 / claims);
    std::printf("run %d: %.3f s CPU, %.2f us/claim", run, cpu, per_claim.back());
    if (with_store) {
      store_per_claim.push_back(store_cpu * 1e6 / claims);
      std::printf("; store thread %.3f s CPU, %.2f us/claim", store_cpu, store_per_claim.back());
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  clean_up();
  std::sort(per_claim.begin(), per_claim.end());
  std::printf("median: %.2f us/claim (%.0f claims/s of one worker's CPU)\n",
              per_claim[per_claim.size() / 2], 1e6 / per_claim[per_claim.size() / 2]);
  if (with_store) {
    std::sort(store_per_claim.begin(), store_per_claim.end());
    std::printf("store thread median: %.2f us/claim\n",
                store_per_claim[store_per_claim.size() / 2]);
  }
  return 0;
}
