// support/prometheus.hpp
//
// A small, strict parser of the Prometheus text exposition format 0.0.4, for tests: every
// sample must belong to a family announced by # HELP and # TYPE (in that order, once each),
// names and label names must be valid, label values properly escaped, values numbers,
// histogram buckets cumulative with a +Inf bucket equal to _count. Throws std::runtime_error
// naming the line on the first violation.
#pragma once

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace claimaudit::testing {

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct PromFamily {
  std::string type;
  std::string help;
  std::vector<PromSample> samples;
};

inline std::map<std::string, PromFamily> parse_prometheus(std::string_view text) {
  std::map<std::string, PromFamily> families;
  std::set<std::string> seen_series;
  std::string current;
  int line_number = 0;
  auto fail = [&](const std::string& why) {
    throw std::runtime_error("metrics line " + std::to_string(line_number) + ": " + why);
  };
  auto valid_name = [](std::string_view name, bool label) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      const char c = name[i];
      const bool alpha =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!label && c == ':');
      if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
  };
  if (!text.empty() && text.back() != '\n') throw std::runtime_error("metrics: no final newline");
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    ++line_number;
    if (line.empty()) fail("empty line");
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const bool help = line[2] == 'H';
      line.remove_prefix(7);
      const auto space = line.find(' ');
      if (space == std::string_view::npos) fail("no text after the name");
      const std::string name(line.substr(0, space));
      if (!valid_name(name, false)) fail("bad metric name " + name);
      auto& family = families[name];
      if (help) {
        if (!family.help.empty() || !family.type.empty()) fail("HELP repeated or after TYPE");
        family.help = std::string(line.substr(space + 1));
      } else {
        if (family.help.empty()) fail("TYPE before HELP for " + name);
        if (!family.type.empty()) fail("TYPE repeated for " + name);
        const auto type = line.substr(space + 1);
        if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
            type != "untyped") {
          fail("bad type " + std::string(type));
        }
        family.type = std::string(type);
        current = name;
      }
      continue;
    }
    if (line.starts_with("#")) fail("unexpected comment");
    PromSample sample;
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    sample.name = std::string(line.substr(0, i));
    if (!valid_name(sample.name, false)) fail("bad sample name " + sample.name);
    std::string series = sample.name;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (true) {
        if (i >= line.size()) fail("unterminated labels");
        if (line[i] == '}') {
          ++i;
          break;
        }
        const auto equals = line.find('=', i);
        if (equals == std::string_view::npos) fail("label without =");
        const std::string key(line.substr(i, equals - i));
        if (!valid_name(key, true)) fail("bad label name " + key);
        i = equals + 1;
        if (i >= line.size() || line[i] != '"') fail("label value not quoted");
        ++i;
        std::string value;
        while (true) {
          if (i >= line.size()) fail("unterminated label value");
          const char c = line[i++];
          if (c == '"') break;
          if (c == '\\') {
            if (i >= line.size()) fail("dangling escape");
            const char e = line[i++];
            if (e == 'n') {
              value += '\n';
            } else if (e == '\\' || e == '"') {
              value += e;
            } else {
              fail("bad escape");
            }
          } else if (c == '\n') {
            fail("raw newline in label");
          } else {
            value += c;
          }
        }
        if (sample.labels.count(key) != 0) fail("repeated label " + key);
        sample.labels[key] = value;
        series += "|" + key + "=" + value;
        if (i < line.size() && line[i] == ',') ++i;
      }
    }
    if (i >= line.size() || line[i] != ' ') fail("no value");
    const std::string value_text(line.substr(i + 1));
    if (value_text == "+Inf") {
      sample.value = INFINITY;
    } else if (value_text == "-Inf") {
      sample.value = -INFINITY;
    } else if (value_text == "NaN") {
      sample.value = NAN;
    } else {
      char* end_ptr = nullptr;
      sample.value = std::strtod(value_text.c_str(), &end_ptr);
      if (value_text.empty() || *end_ptr != '\0') fail("bad value '" + value_text + "'");
    }
    if (!seen_series.insert(series).second) fail("duplicate series " + series);
    // The sample must belong to the current family (histograms add suffixes).
    std::string base = sample.name;
    if (current.empty()) fail("sample before any TYPE");
    const auto& family = families[current];
    if (base != current) {
      bool ok = false;
      if (family.type == "histogram") {
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
          ok = ok || base == current + suffix;
        }
      }
      if (!ok) fail("sample " + base + " outside its family " + current);
    }
    if (family.type == "counter" && sample.value < 0) fail("negative counter");
    families[current].samples.push_back(std::move(sample));
  }
  // Histogram invariants, per series (the labels other than le): buckets cumulative, a +Inf
  // bucket equal to _count. A family with no series yet (no rule timed) is valid.
  for (const auto& [name, family] : families) {
    if (family.type.empty()) throw std::runtime_error("metrics: family " + name + " has no TYPE");
    if (family.type != "histogram") continue;
    struct Series {
      double previous = 0;
      double infinity = -1;
      double count = -1;
    };
    std::map<std::map<std::string, std::string>, Series> series;
    for (const auto& sample : family.samples) {
      auto labels = sample.labels;
      labels.erase("le");
      Series& one = series[labels];
      if (sample.name == name + "_bucket") {
        if (sample.labels.count("le") == 0) throw std::runtime_error("bucket without le");
        if (sample.value < one.previous) {
          throw std::runtime_error(name + ": buckets not cumulative");
        }
        one.previous = sample.value;
        if (sample.labels.at("le") == "+Inf") one.infinity = sample.value;
      } else if (sample.name == name + "_count") {
        one.count = sample.value;
      }
    }
    for (const auto& [labels, one] : series) {
      if (one.infinity < 0 || one.infinity != one.count) {
        throw std::runtime_error(name + ": +Inf bucket missing or not equal to _count");
      }
    }
  }
  return families;
}

}  // namespace claimaudit::testing
