#include "audit/process_file.hpp"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include <spdlog/spdlog.h>

#include "audit/claim_record.hpp"
#include "audit/file_source.hpp"
#include "core/sha256.hpp"
#include "formats/detail/detect.hpp"
#include "rules/rule_set.hpp"

namespace claimaudit::audit {
namespace {

constexpr std::size_t kReadChunk = std::size_t{256} * 1024;
// Records handed to the sink at once, at most (see read_and_evaluate).
constexpr std::size_t kPartBytes = std::size_t{256} * 1024;

struct Hashed {
  std::string sha256;
  std::int64_t size = 0;
  std::string head;  // The first bytes, for formats::detect(), when asked for.
};

core::Result<Hashed> hash_file(const std::filesystem::path& path, bool keep_head = false) {
  auto fd = open_regular_file(path);
  if (!fd) return fd.error();
  FileSource source(*fd);
  core::Sha256 hasher;
  // Not zeroed: only the pages a read touches are ever faulted in.
  const auto buffer = std::make_unique_for_overwrite<char[]>(kReadChunk);
  Hashed hashed;
  for (;;) {
    const std::size_t count = source.read(buffer.get(), kReadChunk);
    if (count == 0) break;
    hasher.update(std::string_view(buffer.get(), count));
    hashed.size += static_cast<std::int64_t>(count);
    if (keep_head && hashed.head.size() < formats::detail::kDetectHeadSize) {
      hashed.head.append(buffer.get(),
                         std::min(count, formats::detail::kDetectHeadSize - hashed.head.size()));
    }
  }
  if (source.error()) return *source.error();
  hashed.sha256 = core::to_hex(hasher.finish());
  return hashed;
}

// Why a file the daemon may not read is quarantined: its mode and owner against the daemon's
// user (numbers only), and what to do.
core::Diagnostic unreadable(const Job& job) {
  std::string message = "cannot read the file: permission denied";
  struct stat info {};
  if (::stat(job.path.c_str(), &info) == 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    message += " (mode " + std::string(mode) + ", owner uid " + std::to_string(info.st_uid) +
               " gid " + std::to_string(info.st_gid) + "; claimauditd runs as uid " +
               std::to_string(::geteuid()) + ")";
  }
  message +=
      "; make it readable by the daemon's user (e.g. chmod g+r with the claimaudit group) and "
      "move it back into the drop folder";
  return core::Diagnostic{
      core::Severity::kError, "E-FILE-UNREADABLE", {job.name, 0, 0, ""}, std::move(message)};
}

model::Finding duplicate_finding(const model::Claim& first, const model::Claim& again,
                                 const std::string& first_fingerprint,
                                 const std::string& rule_set_hash) {
  model::Finding finding;
  finding.rule_id = "claim.duplicate";
  finding.severity = model::FindingSeverity::kWarning;
  finding.origin = again.origin;
  finding.location = render_origin(again.origin, again.envelope);
  // Positions count from 1 in the message, as claimctl counts a file's claims; the evidence
  // and the fingerprint keep the model's 0-based index.
  finding.message = "claim " + model::claim_key(again) + " appears again as claim " +
                    std::to_string(again.envelope.position + 1) +
                    " of the file, in the same batch; it was audited once, as claim " +
                    std::to_string(first.envelope.position + 1);
  finding.evidence_json = "{\"first_position\":" + std::to_string(first.envelope.position) +
                          ",\"again_position\":" + std::to_string(again.envelope.position) + "}";
  finding.predicts = "CARC 18";
  finding.fingerprint = core::sha256_hex(first_fingerprint + "\x1f" + "claim.duplicate\x1f" +
                                         std::to_string(again.envelope.position));
  finding.provenance.rule_version = "1";
  finding.provenance.rule_set_hash = rule_set_hash;
  finding.provenance.engine_version = CLAIMAUDIT_VERSION;
  return finding;
}

void keep(std::vector<core::Diagnostic>& into, const std::vector<core::Diagnostic>& from) {
  for (const core::Diagnostic& diagnostic : from) {
    if (into.size() >= kMaxReportedDiagnostics) return;
    into.push_back(diagnostic);
  }
}

// The first copy of each claim of a batch, by claim key (model::claim_key(): billing provider,
// "|", CLM01), found without building the keys: an open-addressing table of claim indexes over
// a hash of the key's bytes, its memory reused from batch to batch.
class FirstCopies {
 public:
  // first[i]: the index of the first claim whose key equals claim i's.
  void find(const std::vector<model::Claim>& claims, std::vector<std::size_t>& first) {
    const std::size_t count = claims.size();
    first.resize(count);
    std::size_t size = 16;
    while (size < 2 * count) size *= 2;
    slots_.assign(size, 0);
    const std::size_t mask = size - 1;
    for (std::size_t index = 0; index < count; ++index) {
      const model::Claim& claim = claims[index];
      std::size_t slot = static_cast<std::size_t>(key_hash(claim)) & mask;
      for (;;) {
        const std::uint32_t taken = slots_[slot];
        if (taken == 0) {
          slots_[slot] = static_cast<std::uint32_t>(index + 1);
          first[index] = index;
          break;
        }
        if (same_key(claims[taken - 1], claim)) {
          first[index] = taken - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }

 private:
  static std::string_view provider(const model::Claim& claim) {
    return claim.billing_provider.npi.empty() ? claim.billing_provider.tax_id
                                              : claim.billing_provider.npi;
  }
  // FNV-1a over the key's bytes: provider, '|', CLM01.
  static std::uint64_t key_hash(const model::Claim& claim) {
    std::uint64_t hash = 14695981039346656037ULL;
    const auto add = [&hash](char c) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ULL;
    };
    for (const char c : provider(claim)) add(c);
    add('|');
    for (const char c : claim.claim_id) add(c);
    return hash;
  }
  // model::claim_key(a) == model::claim_key(b), compared piece by piece.
  static bool same_key(const model::Claim& a, const model::Claim& b) {
    const std::string_view a_provider = provider(a);
    const std::string_view b_provider = provider(b);
    if (a_provider.size() == b_provider.size()) {
      return a_provider == b_provider && a.claim_id == b.claim_id;
    }
    // Different splits of the same text ("x|y" + "|" + "z" and "x" + "|" + "y|z"): rare.
    return model::claim_key(a) == model::claim_key(b);
  }

  std::vector<std::uint32_t> slots_;  // Claim index + 1; 0: empty.
};

// The claims vector of the reader's batches, kept per worker thread from one file to the next
// (emptied; at most kKeptClaims slots, 10 MB: a 5,000-claim transaction set's 8,192). A fresh
// vector per file grew by doubling into newly mapped memory, and writing each claim into it took
// a page fault about every three claims (perf: most of the daemon's page faults, on this VM's
// costly faults), and moved every claim at each doubling.
constexpr std::size_t kKeptClaims = 8192;

class KeptClaims {
 public:
  explicit KeptClaims(std::vector<model::Claim>& claims) : claims_(claims) { claims_.swap(kept()); }
  KeptClaims(const KeptClaims&) = delete;
  KeptClaims& operator=(const KeptClaims&) = delete;
  ~KeptClaims() {
    claims_.clear();
    if (claims_.capacity() <= kKeptClaims) kept().swap(claims_);
  }

 private:
  static std::vector<model::Claim>& kept() {
    thread_local std::vector<model::Claim> claims;
    return claims;
  }
  std::vector<model::Claim>& claims_;
};

// Steps (b) to (d) of an admitted file, from `source`; `read_error` (may be null) tells after
// the last batch whether the input ended on a read error.
void read_and_evaluate(const Job& job, formats::ByteSource& source,
                       const std::optional<core::ErrorCode>* read_error, Sink& sink,
                       Report& report);

// The store's answer, applied to the report: true for kAudit (the audit goes on).
bool apply_admission(const std::string& name, const store::Admitted& admitted, Report& report) {
  report.file_id = admitted.file_id;
  report.attempts = admitted.attempts;
  report.outcome = admitted.outcome;
  switch (admitted.admission) {
    case store::Admission::kDuplicate:
      report.disposition = Disposition::kDuplicate;
      return false;
    case store::Admission::kFinished:
      report.disposition = Disposition::kFinished;
      return false;
    case store::Admission::kPoison:
      report.disposition = Disposition::kPoison;
      report.diagnostics.push_back(
          {core::Severity::kError,
           "E-INTERNAL",
           {name, 0, 0, ""},
           "internal error: the audit of this file failed " +
               std::to_string(admitted.attempts - 1) +
               " time(s) (it threw, or the daemon died of a fault during it) and was cut short " +
               std::to_string(admitted.interruptions) +
               " time(s) by the daemon being killed; not retried"});
      return false;
    case store::Admission::kAudit:
      return true;
  }
  return false;
}

// The sink of an early audit: keeps the records; there is no store to ask.
class Collector final : public Sink {
 public:
  explicit Collector(std::vector<store::BatchRecord>& records) : records_(records) {}
  core::Result<store::Admitted> admit(const store::IncomingFile&, store::Arrival) override {
    return core::ErrorCode(EINVAL, boost::system::system_category());
  }
  void record(store::BatchRecord batch) override { records_.push_back(std::move(batch)); }

 private:
  std::vector<store::BatchRecord>& records_;
};

}  // namespace

std::string_view to_string(Disposition disposition) {
  switch (disposition) {
    case Disposition::kArchived:
      return "archived";
    case Disposition::kQuarantined:
      return "quarantined";
    case Disposition::kDuplicate:
      return "duplicate";
    case Disposition::kFinished:
      return "finished";
    case Disposition::kPoison:
      return "poison";
    case Disposition::kGone:
      return "gone";
    case Disposition::kFailed:
      return "failed";
    case Disposition::kInterrupted:
      return "interrupted";
  }
  return "failed";
}

Report process_file(const Job& job, Sink& sink) {
  Report report;
  // (a) Hash: identity by bytes, before anything is recorded.
  const auto hashed = hash_file(job.path, job.refusal_unless_document.has_value());
  if (!hashed) {
    if (hashed.error() == boost::system::errc::no_such_file_or_directory) {
      report.disposition = Disposition::kGone;
    } else if (hashed.error() == boost::system::errc::permission_denied ||
               hashed.error() == boost::system::errc::operation_not_permitted) {
      // Retrying cannot help until someone changes the file's rights: quarantined with the
      // reason (not recorded in the store: there are no bytes to identify it by).
      report.disposition = Disposition::kQuarantined;
      report.diagnostics.push_back(unreadable(job));
    } else {
      // EIO and the like: the disk's failure, retried without counting it against the file.
      report.disposition = Disposition::kFailed;
      report.failure = "cannot read: " + hashed.error().message();
      report.environment = true;
    }
    return report;
  }
  report.sha256 = hashed->sha256;
  report.size = hashed->size;

  const auto admitted = sink.admit(
      store::IncomingFile{job.name, job.drop_dir, hashed->sha256, hashed->size}, job.arrival);
  if (!admitted) {
    report.disposition = Disposition::kFailed;
    report.failure = "store: " + admitted.error().message();
    return report;
  }
  if (!apply_admission(job.name, *admitted, report)) return report;
  if (job.refusal) {
    if (!job.refusal_unless_document ||
        formats::detect(hashed->head) == formats::Format::kUnknown) {
      report.diagnostics.push_back(*job.refusal);
      report.disposition = Disposition::kQuarantined;
      return report;
    }
    // It begins as a document of its own (an interchange, a FHIR resource, our JSON): a sender
    // that reuses one name, or whole documents appended one after another. Audited, and said.
    report.diagnostics.push_back(*job.refusal_unless_document);
  }

  try {
    // (b) Detect and read, streaming.
    auto fd = open_regular_file(job.path);
    if (!fd) {
      report.disposition = fd.error() == boost::system::errc::no_such_file_or_directory
                               ? Disposition::kGone
                               : Disposition::kFailed;
      report.failure = "cannot open: " + fd.error().message();
      report.environment = true;
      return report;
    }
    FileSource source(*fd);
    if (consume_read_fault(job.name)) {
      source.fail_with(core::ErrorCode(EIO, boost::system::system_category()));
    }
    read_and_evaluate(job, source, &source.error(), sink, report);
  } catch (const std::exception& error) {
    // A bug (or memory exhaustion): counted as a failed attempt; twice makes the file poison.
    report.disposition = Disposition::kFailed;
    report.failure = std::string("internal error: ") + error.what();
  }
  return report;
}

std::optional<EarlyAudit> audit_first(const Job& job, std::int64_t max_bytes) {
  if (read_fault_pending(job.name)) return std::nullopt;  // process_file() takes the fault.
  if (job.refusal) return std::nullopt;                   // Not read: process_file() says why.
  auto fd = open_regular_file(job.path);
  if (!fd) return std::nullopt;
  FileSource source(*fd);
  struct stat info {};
  if (::fstat(*fd, &info) != 0 || info.st_size > max_bytes) return std::nullopt;
  // One byte more than its size: a file that grew since is read to its end (or found too big).
  std::string bytes(static_cast<std::size_t>(info.st_size) + 1, '\0');
  std::size_t size = 0;
  for (;;) {
    if (size == bytes.size()) {
      if (size > static_cast<std::size_t>(max_bytes)) return std::nullopt;
      bytes.resize(std::min(2 * size, static_cast<std::size_t>(max_bytes) + 1));
    }
    const std::size_t count = source.read(bytes.data() + size, bytes.size() - size);
    if (count == 0) break;
    size += count;
  }
  if (source.error() || size > static_cast<std::size_t>(max_bytes)) return std::nullopt;
  bytes.resize(size);
  EarlyAudit audit;
  audit.file = store::IncomingFile{job.name, job.drop_dir, core::sha256_hex(bytes),
                                   static_cast<std::int64_t>(size)};
  audit.report.sha256 = audit.file.sha256;
  audit.report.size = audit.file.size;
  try {
    formats::StringSource memory(bytes);
    Collector collector(audit.records);
    read_and_evaluate(job, memory, nullptr, collector, audit.report);
  } catch (const std::exception&) {
    return std::nullopt;  // process_file() runs it again, admitted, and counts the failure.
  }
  if (audit.report.disposition != Disposition::kArchived &&
      audit.report.disposition != Disposition::kQuarantined) {
    return std::nullopt;
  }
  return audit;
}

bool complete_admission(EarlyAudit& audit, const store::Admitted& admitted) {
  if (admitted.admission != store::Admission::kAudit) {
    // Reported as process_file() would have: nothing of the audit counts.
    Report report;
    report.sha256 = audit.file.sha256;
    report.size = audit.file.size;
    audit.report = std::move(report);
    audit.records.clear();
    apply_admission(audit.file.name, admitted, audit.report);
    return false;
  }
  const Disposition audited = audit.report.disposition;
  apply_admission(audit.file.name, admitted, audit.report);
  audit.report.disposition = audited;
  for (store::BatchRecord& record : audit.records) record.file_id = admitted.file_id;
  return true;
}

namespace {

// Every rule_time_every-th claim's rule times go to job.rule_times (when set).
class RuleTimer {
 public:
  explicit RuleTimer(const Job& job) : job_(job), every_(std::max(job.rule_time_every, 1)) {}
  // Where the next claim's evaluation records its rule times; nullptr: untimed.
  std::vector<rules::RuleTime>* next() {
    if (job_.rule_times && until_timed_-- == 0) {
      until_timed_ = every_ - 1;
      return &times_;
    }
    return nullptr;
  }
  // Hands the times recorded through `timed` (next()'s answer) on.
  void hand_on(const std::vector<rules::RuleTime>* timed) {
    if (timed == nullptr) return;
    job_.rule_times(times_);
    times_.clear();
  }

 private:
  const Job& job_;
  const int every_;
  int until_timed_ = 0;  // Claims to evaluate untimed before the next timed one.
  std::vector<rules::RuleTime> times_;
};

// The record of claims[index] with its findings, and a claim.duplicate finding for each of its
// `repeats` in the batch.
store::ClaimRecord audit_claim(const rules::RuleSet& rule_set,
                               const std::vector<model::Claim>& claims, std::size_t index,
                               const std::vector<std::size_t>& repeats, RuleTimer& timer,
                               Report& report) {
  const model::Claim& claim = claims[index];
  // The JSON reaches the store compressed (make_claim_record): the store thread is the
  // pipeline's serial stage.
  store::ClaimRecord claim_record = make_claim_record(claim);
  // (d) Evaluate with the set captured at job start.
  std::vector<rules::RuleTime>* timed = timer.next();
  rules::Evaluation evaluation = rules::evaluate(rule_set, claim, timed);
  timer.hand_on(timed);
  for (model::Finding& finding : evaluation.findings) {
    if (finding.fingerprint.empty()) {
      finding.fingerprint = finding_fingerprint(claim_record.fingerprint, finding);
    }
    if (finding.provenance.rule_set_hash.empty()) {
      finding.provenance.rule_set_hash = report.rule_set_hash;
    }
  }
  report.findings += static_cast<int>(evaluation.findings.size());
  claim_record.findings = std::move(evaluation.findings);
  for (const std::size_t repeat : repeats) {
    claim_record.findings.push_back(
        duplicate_finding(claim, claims[repeat], claim_record.fingerprint, report.rule_set_hash));
    ++report.findings;
  }
  return claim_record;
}

void conclude(const Job& job, const formats::FileSummary& summary, Report& report);

void read_and_evaluate(const Job& job, formats::ByteSource& source,
                       const std::optional<core::ErrorCode>* read_error, Sink& sink,
                       Report& report) {
  const rules::RuleSet& rule_set = *job.rules;
  report.rule_set_hash = rule_set.hash();
  auto reader = formats::open_reader(source, job.name, job.read_options);
  model::Batch batch;
  const KeptClaims kept_claims(batch.claims);
  FirstCopies first_copies;
  std::vector<std::size_t> first;  // For each claim of the batch: the index of its first copy.
  std::vector<std::vector<std::size_t>> again;  // For a first copy: the indexes of its repeats.
  RuleTimer timer(job);
  while (reader->next(batch)) {
    if (job.stop != nullptr && job.stop->load(std::memory_order_relaxed)) {
      report.disposition = Disposition::kInterrupted;
      return;
    }
    ++report.batches;
    // A reader batch (one X12 transaction set: up to thousands of claims) goes to the sink in
    // parts of about kPartBytes, each claim's parsed form freed once its record is made, so
    // the memory a big transaction set holds is its parsed claims plus one part, not that
    // plus all its records. Parts of one batch are recorded in order; a crash between them is
    // a re-run that adds only the claims not yet recorded (fingerprints).
    store::BatchRecord record;
    record.file_id = report.file_id;
    record.rule_set_hash = report.rule_set_hash;
    record.diagnostics = std::move(batch.diagnostics);
    keep(report.batch_diagnostics, record.diagnostics);
    std::size_t part_bytes = 0;
    // DOMAIN.md 2.6: one claim sent twice in a batch is audited once, and reported on the
    // first copy. The copies are known before any part is handed on.
    const std::size_t count = batch.claims.size();
    first_copies.find(batch.claims, first);
    again.assign(count, {});
    for (std::size_t index = 0; index < count; ++index) {
      if (first[index] != index) again[first[index]].push_back(index);
    }
    // (c) Only the claims that could be read are here; broken ones are diagnostics.
    for (std::size_t index = 0; index < count; ++index) {
      rules::prefetch_ahead(rule_set, batch.claims, index);
      ++report.claims;
      if (first[index] != index) {
        batch.claims[index] = model::Claim();  // Its finding was made with its first copy.
        continue;
      }
      store::ClaimRecord claim_record =
          audit_claim(rule_set, batch.claims, index, again[index], timer, report);
      batch.claims[index] = model::Claim();
      part_bytes += estimated_bytes(claim_record);
      record.claims.push_back(std::move(claim_record));
      ++report.audited;
      if (part_bytes >= kPartBytes && index + 1 < count) {
        store::BatchRecord next;
        next.file_id = record.file_id;
        next.rule_set_hash = record.rule_set_hash;
        sink.record(std::move(record));
        record = std::move(next);
        part_bytes = 0;
      }
    }
    batch.claims.clear();
    sink.record(std::move(record));
  }
  if (read_error != nullptr && *read_error) {
    report.disposition = Disposition::kFailed;
    report.failure = "read error: " + (*read_error)->message();
    report.environment = true;
    return;
  }
  conclude(job, reader->summary(), report);
}

// The file's disposition once every batch is read: quarantined when no claim could be read.
void conclude(const Job& job, const formats::FileSummary& summary, Report& report) {
  report.format = summary.format;
  if (summary.rejection) {
    report.diagnostics.insert(report.diagnostics.begin(), *summary.rejection);
  }
  if (report.claims == 0) {
    if (!summary.rejection) {
      report.diagnostics.insert(report.diagnostics.begin(),
                                core::Diagnostic{core::Severity::kError,
                                                 "E-FILE-NO-CLAIMS",
                                                 {job.name, 0, 0, ""},
                                                 "no claim in the file could be read"});
    }
    report.disposition = Disposition::kQuarantined;
  } else {
    report.disposition = Disposition::kArchived;
  }
}

}  // namespace

}  // namespace claimaudit::audit
