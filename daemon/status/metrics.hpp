// status/metrics.hpp
//
// Metrics: the counters and histograms /v1/metrics serves, in Prometheus text format 0.0.4.
// app owns one Metrics and increments it as files finish (audit and watch never see it: they
// return results and app counts them, keeping the arrows of STYLE.md 2.3). Every method is
// thread-safe: counters are atomics, labelled families sit behind one mutex taken only to find
// or create a label's slot. Per-rule evaluation times are gathered by each audit job in its own
// RuleTimeBatch (no lock, no atomic on the evaluation path) and merged once when the job ends.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace claimaudit::status {

// Upper bounds of the rule evaluation time histogram (one rule on one claim), nanoseconds.
inline constexpr std::array<std::uint64_t, 10> kRuleTimeBucketsNs{
    1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 1'000'000, 10'000'000};

// One audit job's rule timings: plain counters owned by the job's worker thread, indexed by
// the rule's index in its set (rules::RuleTime::rule). Not thread-safe; Metrics merges it.
class RuleTimeBatch {
 public:
  struct Rule {
    std::uint64_t count = 0;
    std::uint64_t nanoseconds = 0;
    std::array<std::uint64_t, kRuleTimeBucketsNs.size() + 1> buckets{};  // Last: above all.
  };
  // One evaluation of rule `rule` that took `nanoseconds`.
  void observe(std::size_t rule, std::uint64_t nanoseconds);
  bool empty() const { return rules_.empty(); }
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::vector<Rule> rules_;  // By rule index; grows on demand.
};

class Metrics {
 public:
  // Upper bounds of the file latency histogram, seconds (from drop to committed findings).
  static constexpr std::array<double, 12> kLatencyBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                          0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

  // A file finished: outcome "archived", "quarantined", "duplicate" or "failed".
  void count_file(std::string_view outcome);
  // Claims of a file: outcome "audited", "rejected" (unreadable), "duplicate".
  void count_claims(std::string_view outcome, std::uint64_t count);
  // Findings recorded, by rule and severity ("info", "warning", "error").
  void count_findings(std::string_view rule_id, std::string_view severity, std::uint64_t count);
  // A rule could not be evaluated on a claim (rules::NotEvaluated).
  void count_not_evaluated(std::string_view rule_id, std::uint64_t count);
  // Merges one job's rule timings; `rule_id` names a rule index of the job's rule set. Takes the
  // mutex once per rule of the batch; the counts are relaxed atomics.
  void add_rule_times(const RuleTimeBatch& batch,
                      const std::function<const std::string&(std::size_t)>& rule_id);
  // Seconds from the file's arrival to its last commit.
  void observe_file_latency(double seconds);
  void count_reload_failure();
  void count_reload();
  // Files currently in quarantine/ (a gauge app sets).
  void set_quarantined(std::int64_t files);
  // Requests answered by the status socket, by HTTP status.
  void count_request(int http_status);
  void count_rejected_connection();

  std::int64_t reload_failures() const { return reload_failures_.load(); }
  // Current not-evaluated counts, by rule.
  std::map<std::string, std::int64_t> not_evaluated() const;

  // What the database holds, read at scrape time: findings by rule and severity (the store
  // never deletes one, so the totals only grow) and files in quarantine.
  struct Recorded {
    std::vector<std::tuple<std::string, std::string, std::int64_t>> findings;  // rule, severity.
    std::int64_t quarantined = 0;
  };
  // The whole exposition, every family with # HELP and # TYPE, labels escaped. With `recorded`,
  // findings and quarantine come from it instead of the in-memory counters.
  std::string render(const Recorded* recorded = nullptr) const;

 private:
  struct Counter {
    std::atomic<std::uint64_t> value{0};
  };
  struct Timing {  // claimaudit_rule_eval_seconds{rule}: non-cumulative buckets.
    std::atomic<std::uint64_t> nanoseconds{0};
    std::atomic<std::uint64_t> count{0};
    std::array<std::atomic<std::uint64_t>, kRuleTimeBucketsNs.size() + 1> buckets{};
  };
  using LabelKey = std::string;  // Rendered label set: rule="x",severity="y".
  Counter& slot(std::map<LabelKey, std::unique_ptr<Counter>>& family, const LabelKey& key);

  mutable std::mutex mutex_;  // Guards the maps' structure; slots are atomics.
  std::map<LabelKey, std::unique_ptr<Counter>> files_;
  std::map<LabelKey, std::unique_ptr<Counter>> claims_;
  std::map<LabelKey, std::unique_ptr<Counter>> findings_;
  std::map<LabelKey, std::unique_ptr<Counter>> not_evaluated_;
  std::map<LabelKey, std::unique_ptr<Counter>> requests_;
  std::map<std::string, std::unique_ptr<Timing>> rule_time_;  // By rule id.
  std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size()> latency_buckets_{};
  std::atomic<std::uint64_t> latency_count_{0};
  std::atomic<std::uint64_t> latency_sum_ns_{0};
  std::atomic<std::int64_t> reload_failures_{0};
  std::atomic<std::int64_t> reloads_{0};
  std::atomic<std::int64_t> quarantined_{0};
  std::atomic<std::uint64_t> rejected_connections_{0};
};

// Label value escaping of the text format: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace claimaudit::status
