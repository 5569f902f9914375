#include "status/metrics.hpp"

#include <cmath>
#include <cstdio>

namespace claimaudit::status {
namespace {

std::string label(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + escape_label_value(value) + "\"";
}

std::string number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, std::string_view name, const std::string& labels,
            const std::string& value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

Metrics::Counter& Metrics::slot(std::map<LabelKey, std::unique_ptr<Counter>>& family,
                                const LabelKey& key) {
  std::lock_guard lock(mutex_);
  auto& entry = family[key];
  if (!entry) entry = std::make_unique<Counter>();
  return *entry;
}

void Metrics::count_file(std::string_view outcome) {
  slot(files_, label("outcome", outcome)).value.fetch_add(1);
}

void Metrics::count_claims(std::string_view outcome, std::uint64_t count) {
  slot(claims_, label("outcome", outcome)).value.fetch_add(count);
}

void Metrics::count_findings(std::string_view rule_id, std::string_view severity,
                             std::uint64_t count) {
  slot(findings_, label("rule", rule_id) + "," + label("severity", severity))
      .value.fetch_add(count);
}

void Metrics::count_not_evaluated(std::string_view rule_id, std::uint64_t count) {
  slot(not_evaluated_, label("rule", rule_id)).value.fetch_add(count);
}

void RuleTimeBatch::observe(std::size_t rule, std::uint64_t nanoseconds) {
  if (rule >= rules_.size()) rules_.resize(rule + 1);
  Rule& slot = rules_[rule];
  ++slot.count;
  slot.nanoseconds += nanoseconds;
  std::size_t bucket = 0;
  while (bucket < kRuleTimeBucketsNs.size() && nanoseconds > kRuleTimeBucketsNs[bucket]) ++bucket;
  ++slot.buckets[bucket];
}

void Metrics::add_rule_times(const RuleTimeBatch& batch,
                             const std::function<const std::string&(std::size_t)>& rule_id) {
  const auto& rules = batch.rules();
  for (std::size_t index = 0; index < rules.size(); ++index) {
    const RuleTimeBatch::Rule& rule = rules[index];
    if (rule.count == 0) continue;
    Timing* timing = nullptr;
    {
      std::lock_guard lock(mutex_);
      auto& entry = rule_time_[rule_id(index)];
      if (!entry) entry = std::make_unique<Timing>();
      timing = entry.get();
    }
    constexpr auto kRelaxed = std::memory_order_relaxed;
    timing->nanoseconds.fetch_add(rule.nanoseconds, kRelaxed);
    for (std::size_t b = 0; b < rule.buckets.size(); ++b) {
      if (rule.buckets[b] != 0) timing->buckets[b].fetch_add(rule.buckets[b], kRelaxed);
    }
    timing->count.fetch_add(rule.count, kRelaxed);
  }
}

void Metrics::observe_file_latency(double seconds) {
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) latency_buckets_[i].fetch_add(1);
  }
  latency_count_.fetch_add(1);
  latency_sum_ns_.fetch_add(static_cast<std::uint64_t>(std::llround(seconds * 1e9)));
}

void Metrics::count_reload_failure() { reload_failures_.fetch_add(1); }
void Metrics::count_reload() { reloads_.fetch_add(1); }
void Metrics::set_quarantined(std::int64_t files) { quarantined_.store(files); }

void Metrics::count_request(int http_status) {
  slot(requests_, label("code", std::to_string(http_status))).value.fetch_add(1);
}

void Metrics::count_rejected_connection() { rejected_connections_.fetch_add(1); }

std::map<std::string, std::int64_t> Metrics::not_evaluated() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::int64_t> out;
  for (const auto& [key, counter] : not_evaluated_) {
    // key is rule="id"; recover the id (escapes are rare in rule ids, which are dotted words).
    const auto id = key.substr(6, key.size() - 7);
    out[id] = static_cast<std::int64_t>(counter->value.load());
  }
  return out;
}

std::string Metrics::render(const Recorded* recorded) const {
  std::lock_guard lock(mutex_);
  std::string out;
  auto family = [&](std::string_view name, std::string_view help,
                    const std::map<LabelKey, std::unique_ptr<Counter>>& values) {
    header(out, name, "counter", help);
    for (const auto& [labels, counter] : values) {
      sample(out, name, labels, std::to_string(counter->value.load()));
    }
  };
  family("claimaudit_files_total", "Files processed, by outcome.", files_);
  family("claimaudit_claims_total", "Claims processed, by outcome.", claims_);
  if (recorded != nullptr) {
    header(out, "claimaudit_findings_total", "counter", "Findings recorded, by rule and severity.");
    for (const auto& [rule, severity, count] : recorded->findings) {
      sample(out, "claimaudit_findings_total",
             label("rule", rule) + "," + label("severity", severity), std::to_string(count));
    }
  } else {
    family("claimaudit_findings_total", "Findings recorded, by rule and severity.", findings_);
  }
  family("claimaudit_rule_not_evaluated_total", "Claims a rule could not evaluate, by rule.",
         not_evaluated_);
  header(out, "claimaudit_file_latency_seconds", "histogram",
         "Seconds from a file's arrival to the commit of its findings.");
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    sample(out, "claimaudit_file_latency_seconds_bucket", label("le", number(kLatencyBuckets[i])),
           std::to_string(latency_buckets_[i].load()));
  }
  sample(out, "claimaudit_file_latency_seconds_bucket", label("le", "+Inf"),
         std::to_string(latency_count_.load()));
  sample(out, "claimaudit_file_latency_seconds_sum", "",
         number(static_cast<double>(latency_sum_ns_.load()) / 1e9));
  sample(out, "claimaudit_file_latency_seconds_count", "", std::to_string(latency_count_.load()));
  header(out, "claimaudit_rule_eval_seconds", "histogram",
         "Seconds to evaluate one rule on one claim, by rule (a sample of the claims).");
  for (const auto& [rule, timing] : rule_time_) {
    // Buckets first, then the count: a scrape racing a merge may see a bucket ahead of the
    // count, never a count ahead of +Inf, so +Inf is the bucket total and stays cumulative.
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < timing->buckets.size(); ++b) {
      cumulative += timing->buckets[b].load(std::memory_order_relaxed);
      const std::string bound = b < kRuleTimeBucketsNs.size()
                                    ? number(static_cast<double>(kRuleTimeBucketsNs[b]) / 1e9)
                                    : std::string("+Inf");
      sample(out, "claimaudit_rule_eval_seconds_bucket",
             label("rule", rule) + "," + label("le", bound), std::to_string(cumulative));
    }
    sample(out, "claimaudit_rule_eval_seconds_sum", label("rule", rule),
           number(static_cast<double>(timing->nanoseconds.load(std::memory_order_relaxed)) / 1e9));
    sample(out, "claimaudit_rule_eval_seconds_count", label("rule", rule),
           std::to_string(cumulative));
  }
  header(out, "claimaudit_quarantined_files", "gauge", "Files in quarantine.");
  sample(out, "claimaudit_quarantined_files", "",
         std::to_string(recorded != nullptr ? recorded->quarantined : quarantined_.load()));
  header(out, "claimaudit_rule_reloads_total", "counter", "Rule sets swapped in by a reload.");
  sample(out, "claimaudit_rule_reloads_total", "", std::to_string(reloads_.load()));
  header(out, "claimaudit_rule_reload_failures_total", "counter",
         "Reloads refused because the new rule set had errors.");
  sample(out, "claimaudit_rule_reload_failures_total", "", std::to_string(reload_failures_.load()));
  family("claimaudit_status_requests_total", "Status socket requests answered, by HTTP status.",
         requests_);
  header(out, "claimaudit_status_rejected_connections_total", "counter",
         "Status socket connections refused over the connection cap.");
  sample(out, "claimaudit_status_rejected_connections_total", "",
         std::to_string(rejected_connections_.load()));
  return out;
}

}  // namespace claimaudit::status
