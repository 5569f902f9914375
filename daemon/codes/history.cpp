#include "codes/history.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "core/icd10_code.hpp"

namespace claimaudit::codes {
namespace {

core::Diagnostic error(const std::string& file, int line, std::string code, std::string message) {
  core::Diagnostic d;
  d.code = std::move(code);
  d.where.file = file;
  d.where.line = line;
  d.message = std::move(message);
  return d;
}

// Calls fn(line_number, line) for each line without its line end.
template <class Fn>
void for_each_line(std::string_view bytes, Fn&& fn) {
  int n = 0;
  while (!bytes.empty()) {
    ++n;
    auto end = bytes.find('\n');
    auto line = bytes.substr(0, end);
    bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(n, line);
  }
}

// The per-code working form: titles interned, dates as day numbers.
struct Segment {
  std::int32_t from;
  std::int32_t to;
  bool billable;
  std::uint32_t short_title;
  std::uint32_t long_title;
  std::uint16_t first_edition;
  std::uint16_t last_edition;
  int correction_line;
};

class TitlePool {
 public:
  std::uint32_t intern(const std::string& title) {
    const auto [it, inserted] = ids_.try_emplace(title, static_cast<std::uint32_t>(titles_.size()));
    if (inserted) titles_.push_back(title);
    return it->second;
  }
  const std::string& at(std::uint32_t id) const { return titles_[id]; }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<std::string> titles_;
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string state_name(Correction::State state) {
  switch (state) {
    case Correction::State::kBillable:
      return "billable";
    case Correction::State::kHeader:
      return "header";
    case Correction::State::kAbsent:
      return "absent";
  }
  return "?";
}

std::string versions_text(const std::set<int>& versions) {
  std::string text;
  auto it = versions.begin();
  while (it != versions.end()) {
    int first = *it;
    int last = first;
    ++it;
    while (it != versions.end() && *it == last + 1) {
      last = *it;
      ++it;
    }
    if (!text.empty()) text += ',';
    text += std::to_string(first);
    if (last != first) text += '-' + std::to_string(last);
  }
  return text;
}

}  // namespace

std::vector<Correction> parse_corrections(std::string_view bytes, const std::string& file_name,
                                          std::vector<core::Diagnostic>& diagnostics) {
  std::vector<Correction> out;
  for_each_line(bytes, [&](int n, std::string_view line) {
    if (line.empty() || line.front() == '#') return;
    const auto cols = split_tab_columns(line);
    auto fail = [&](std::string message) {
      diagnostics.push_back(error(file_name, n, "E-CODESET-CORRECTION", std::move(message)));
    };
    if (cols.size() != 5) {
      fail("expected 5 tab-separated columns: code, from, to, state, citation");
      return;
    }
    Correction c;
    c.line = n;
    const auto code = core::normalize_icd10(cols[0]);
    const auto from = core::parse_iso_date(cols[1]);
    const auto to = core::parse_iso_date(cols[2]);
    if (!code || !from || !to || *to < *from) {
      fail("bad code or date range");
      return;
    }
    c.code = *code;
    c.from = *from;
    c.to = *to;
    if (cols[3] == "billable") {
      c.state = Correction::State::kBillable;
    } else if (cols[3] == "header") {
      c.state = Correction::State::kHeader;
    } else if (cols[3] == "absent") {
      c.state = Correction::State::kAbsent;
    } else {
      fail("state must be billable, header or absent");
      return;
    }
    c.citation.assign(cols[4]);
    if (c.citation.empty()) {
      fail("every correction must cite its source");
      return;
    }
    out.push_back(std::move(c));
  });
  return out;
}

namespace {

// The steps of build_history over one code table: segments per code, each naming the editions
// (or the correction) it comes from.
class HistoryBuilder {
 public:
  explicit HistoryBuilder(const std::vector<EditionSnapshot>& editions) : editions_(editions) {
    codes_.reserve(120000);
  }

  // 1. Every edition's entries become one-edition segments.
  void add_editions(CodeHistory& history) {
    for (std::size_t e = 0; e < editions_.size(); ++e) {
      const auto& edition = editions_[e];
      if (e > 0 && editions_[e - 1].to.next_day() != edition.from) {
        throw std::invalid_argument("edition windows are not contiguous at " + edition.name);
      }
      EditionSummary summary{edition.name, edition.from, edition.to, 0, 0, edition.source};
      for (const auto& entry : edition.entries) {
        (entry.billable ? summary.billable : summary.headers) += 1;
        codes_[entry.code].push_back(
            Segment{edition.from.days(), edition.to.days(), entry.billable,
                    titles_.intern(entry.short_title), titles_.intern(entry.long_title),
                    static_cast<std::uint16_t>(e), static_cast<std::uint16_t>(e), 0});
      }
      history.editions.push_back(std::move(summary));
    }
  }

  // 2. A correction overrides the files over its range; parts that already agree keep their
  //    source, so the report can say "confirmed".
  void apply(const Correction& c, std::vector<std::string>& report) {
    auto& segs = codes_[c.code];
    CorrectionRun run(c);
    nearest_titles(segs, run);
    std::vector<std::pair<std::int32_t, std::int32_t>> agreeing;
    for (const auto& s : segs) keep_or_cut(s, run, agreeing);
    if (run.want_present) fill_gaps(agreeing, run);
    std::sort(run.kept.begin(), run.kept.end(),
              [](const Segment& a, const Segment& b) { return a.from < b.from; });
    segs = std::move(run.kept);
    std::string line = "corrections.tsv:" + std::to_string(c.line) + ": " +
                       core::dotted_icd10(c.code) + " " + state_name(c.state) + " " + c.from.iso() +
                       ".." + c.to.iso() + ": ";
    if (run.changed_days == 0) {
      line += "confirmed (the files already say so)";
    } else {
      line += "applied (" + std::to_string(run.changed_days) + " days changed)";
    }
    report.push_back(std::move(line));
    if (segs.empty()) codes_.erase(c.code);
  }

  // 3. Merge adjacent segments with the same flag and titles (never across a correction).
  void merge() {
    keys_.reserve(codes_.size());
    for (auto& [code, segs] : codes_) {
      keys_.push_back(code);
      std::sort(segs.begin(), segs.end(),
                [](const Segment& a, const Segment& b) { return a.from < b.from; });
      std::vector<Segment> merged;
      for (const auto& s : segs) {
        if (!merged.empty() && continues(merged.back(), s)) {
          merged.back().to = s.to;
          merged.back().last_edition = s.last_edition;
          continue;
        }
        merged.push_back(s);
      }
      segs = std::move(merged);
    }
    std::sort(keys_.begin(), keys_.end());
  }

  // 4. Output with parents and successors.
  void output(CodeHistory& history) {
    const std::int32_t coverage_end = editions_.empty() ? 0 : editions_.back().to.days();
    history.codes.reserve(keys_.size());
    for (const auto& code : keys_) {
      const auto& segs = codes_[code];
      CodeHistoryEntry entry;
      entry.code = code;
      for (std::size_t len = code.size() - 1; len >= 3; --len) {
        const auto prefix = code.substr(0, len);
        if (codes_.contains(prefix)) {
          entry.parent = prefix;
          break;
        }
      }
      for (const auto& s : segs) {
        HistoryInterval interval = interval_of(s);
        if (s.billable && s.to < coverage_end && !billable_on(code, s.to + 1)) {
          interval.successors = successors_of(code, s.to + 1);
        }
        entry.intervals.push_back(std::move(interval));
      }
      history.codes.push_back(std::move(entry));
    }
  }

 private:
  // One correction being applied.
  struct CorrectionRun {
    explicit CorrectionRun(const Correction& correction)
        : c(correction),
          from(correction.from.days()),
          to(correction.to.days()),
          want_present(correction.state != Correction::State::kAbsent),
          want_billable(correction.state == Correction::State::kBillable) {}
    const Correction& c;
    std::int32_t from;
    std::int32_t to;
    bool want_present;
    bool want_billable;
    std::uint32_t short_title = 0;
    std::uint32_t long_title = 0;
    std::vector<Segment> kept;
    int changed_days = 0;
  };

  std::uint16_t edition_at(std::int32_t day) const {
    for (std::size_t e = 0; e < editions_.size(); ++e) {
      if (editions_[e].from.days() <= day && day <= editions_[e].to.days()) {
        return static_cast<std::uint16_t>(e);
      }
    }
    return 0;
  }

  // Titles for inserted parts: the nearest segment's.
  void nearest_titles(const std::vector<Segment>& segs, CorrectionRun& run) {
    run.short_title = titles_.intern("");
    run.long_title = run.short_title;
    std::int32_t best = INT32_MAX;
    for (const auto& s : segs) {
      const std::int32_t distance =
          s.to < run.from ? run.from - s.to : (s.from > run.to ? s.from - run.to : 0);
      if (distance < best) {
        best = distance;
        run.short_title = s.short_title;
        run.long_title = s.long_title;
      }
    }
  }

  // Keeps a segment outside the range or agreeing with the correction (noting the agreeing
  // days); keeps the parts of a disagreeing one outside the range.
  void keep_or_cut(const Segment& s, CorrectionRun& run,
                   std::vector<std::pair<std::int32_t, std::int32_t>>& agreeing) const {
    if (s.to < run.from || s.from > run.to) {
      run.kept.push_back(s);
      return;
    }
    if (run.want_present && s.billable == run.want_billable) {
      run.kept.push_back(s);
      agreeing.emplace_back(std::max(s.from, run.from), std::min(s.to, run.to));
      return;
    }
    run.changed_days += std::min(s.to, run.to) - std::max(s.from, run.from) + 1;
    if (s.from < run.from) {
      Segment left = s;
      left.to = run.from - 1;
      left.last_edition = edition_at(left.to);
      run.kept.push_back(left);
    }
    if (s.to > run.to) {
      Segment right = s;
      right.from = run.to + 1;
      right.first_edition = edition_at(right.from);
      run.kept.push_back(right);
    }
  }

  // The correction's own segments over the days of its range no kept segment agrees on.
  void fill_gaps(std::vector<std::pair<std::int32_t, std::int32_t>>& agreeing,
                 CorrectionRun& run) const {
    std::sort(agreeing.begin(), agreeing.end());
    std::int32_t cursor = run.from;
    for (const auto& [a, b] : agreeing) {
      if (a > cursor) add_gap(cursor, a - 1, run);
      cursor = std::max(cursor, b + 1);
    }
    if (cursor <= run.to) add_gap(cursor, run.to, run);
  }

  // Split at edition boundaries so each part names its covering edition.
  void add_gap(std::int32_t gap_from, std::int32_t gap_to, CorrectionRun& run) const {
    while (gap_from <= gap_to) {
      const auto e = edition_at(gap_from);
      const std::int32_t part_to = std::min(gap_to, editions_[e].to.days());
      run.kept.push_back(Segment{gap_from, part_to, run.want_billable, run.short_title,
                                 run.long_title, e, e, run.c.line});
      run.changed_days += part_to - gap_from + 1;
      gap_from = part_to + 1;
    }
  }

  static bool continues(const Segment& last, const Segment& s) {
    return last.to + 1 == s.from && last.billable == s.billable &&
           last.short_title == s.short_title && last.long_title == s.long_title &&
           last.correction_line == 0 && s.correction_line == 0;
  }

  bool billable_on(const std::string& code, std::int32_t day) const {
    const auto it = codes_.find(code);
    if (it == codes_.end()) return false;
    for (const auto& s : it->second) {
      if (s.from <= day && day <= s.to) return s.billable;
    }
    return false;
  }

  HistoryInterval interval_of(const Segment& s) const {
    HistoryInterval interval;
    interval.from = core::Date::from_days(s.from);
    interval.to = core::Date::from_days(s.to);
    interval.billable = s.billable;
    interval.short_title = titles_.at(s.short_title);
    interval.long_title = titles_.at(s.long_title);
    interval.first_edition = editions_[s.first_edition].name;
    interval.last_edition = editions_[s.last_edition].name;
    interval.correction_line = s.correction_line;
    return interval;
  }

  // The codes billable on `next` that take over from `code`: its descendants, and for a
  // 7-character code the same 7th character under its stem.
  std::vector<std::string> successors_of(const std::string& code, std::int32_t next) const {
    std::set<std::string> successors;
    auto scan = [&](const std::string& prefix, auto&& accept) {
      for (auto it = std::lower_bound(keys_.begin(), keys_.end(), prefix);
           it != keys_.end() && starts_with(*it, prefix); ++it) {
        if (*it != code && accept(*it) && billable_on(*it, next)) successors.insert(*it);
      }
    };
    scan(code, [](const std::string&) { return true; });
    if (code.size() == 7) {
      std::string stem = code.substr(0, 6);
      while (stem.size() > 3 && stem.back() == 'X') stem.pop_back();
      const char seventh = code[6];
      scan(stem,
           [&](const std::string& other) { return other.size() == 7 && other[6] == seventh; });
    }
    return {successors.begin(), successors.end()};
  }

  const std::vector<EditionSnapshot>& editions_;
  TitlePool titles_;
  std::unordered_map<std::string, std::vector<Segment>> codes_;
  std::vector<std::string> keys_;
};

}  // namespace

CodeHistory build_history(const std::vector<EditionSnapshot>& editions,
                          const std::vector<Correction>& corrections,
                          std::vector<std::string>& report) {
  CodeHistory history;
  HistoryBuilder builder(editions);
  builder.add_editions(history);
  for (const auto& c : corrections) builder.apply(c, report);
  builder.merge();
  builder.output(history);
  return history;
}

namespace {

TextFile editions_file(const CodeHistory& history) {
  TextFile editions{"editions.tsv", ""};
  editions.content = "edition\tfrom\tto\tbillable\theaders\tsource\n";
  for (const auto& e : history.editions) {
    editions.content += e.name + '\t' + e.from.iso() + '\t' + e.to.iso() + '\t' +
                        std::to_string(e.billable) + '\t' + std::to_string(e.headers) + '\t' +
                        e.source + '\n';
  }
  return editions;
}

// One line of a codes-*.tsv file.
void append_interval(std::string& out, const std::string& dotted, const std::string& parent,
                     const HistoryInterval& i) {
  out += dotted;
  out += '\t';
  out += i.from.iso();
  out += '\t';
  out += i.to.iso();
  out += i.billable ? "\tbillable\t" : "\theader\t";
  if (i.correction_line > 0) {
    out += "corrections.tsv:" + std::to_string(i.correction_line);
  } else {
    out += i.first_edition;
    if (i.last_edition != i.first_edition) out += ".." + i.last_edition;
  }
  out += '\t';
  out += parent;
  out += '\t';
  for (std::size_t k = 0; k < i.successors.size(); ++k) {
    if (k > 0) out += ',';
    out += core::dotted_icd10(i.successors[k]);
  }
  out += '\t';
  if (i.short_title != i.long_title) out += i.short_title;
  out += '\t';
  out += i.long_title;
  out += '\n';
}

}  // namespace

std::vector<TextFile> write_history_text(const CodeHistory& history) {
  std::vector<TextFile> files;
  files.push_back(editions_file(history));
  static constexpr std::string_view kHeader =
      "code\tfrom\tto\tkind\tsource\tparent\tsuccessors\tshort_title\tlong_title\n";
  // Lines grouped by first character, then by first two.
  std::map<std::string, std::string> by_two;
  for (const auto& entry : history.codes) {
    auto& out = by_two[entry.code.substr(0, 2)];
    const auto dotted = core::dotted_icd10(entry.code);
    const auto parent = entry.parent.empty() ? std::string() : core::dotted_icd10(entry.parent);
    for (const auto& i : entry.intervals) append_interval(out, dotted, parent, i);
  }
  std::map<char, std::vector<std::pair<std::string, std::string*>>> by_letter;
  for (auto& [two, text] : by_two) by_letter[two[0]].emplace_back(two, &text);
  for (auto& [letter, parts] : by_letter) {
    std::size_t total = 0;
    for (const auto& part : parts) total += part.second->size();
    if (total + kHeader.size() <= kMaxTextFileBytes) {
      TextFile file{std::string("codes-") + letter + ".tsv", std::string(kHeader)};
      for (const auto& part : parts) file.content += *part.second;
      files.push_back(std::move(file));
    } else {
      for (const auto& part : parts) {
        files.push_back(
            TextFile{"codes-" + part.first + ".tsv", std::string(kHeader) + *part.second});
      }
    }
  }
  return files;
}

void read_editions_text(std::string_view bytes, const std::string& file_name, CodeHistory& history,
                        std::vector<core::Diagnostic>& diagnostics) {
  for_each_line(bytes, [&](int n, std::string_view line) {
    if (n == 1 || line.empty()) return;
    const auto cols = split_tab_columns(line);
    EditionSummary e;
    std::optional<core::Date> from, to;
    if (cols.size() == 6) {
      from = core::parse_iso_date(cols[1]);
      to = core::parse_iso_date(cols[2]);
    }
    if (!from || !to) {
      diagnostics.push_back(error(file_name, n, "E-CODESET-TEXT", "bad editions line"));
      return;
    }
    e.name.assign(cols[0]);
    e.from = *from;
    e.to = *to;
    e.billable = std::stoi(std::string(cols[3]));
    e.headers = std::stoi(std::string(cols[4]));
    e.source.assign(cols[5]);
    history.editions.push_back(std::move(e));
  });
}

namespace {

// The source column: a correction line (its covering editions found by date) or editions
// "first..last". False for an edition the history does not have.
bool read_source(std::string_view source, const CodeHistory& history,
                 const std::unordered_map<std::string, std::size_t>& edition_index,
                 HistoryInterval& i) {
  if (starts_with(source, "corrections.tsv:")) {
    i.correction_line = std::stoi(std::string(source.substr(16)));
    // The covering editions.
    for (const auto& e : history.editions) {
      if (e.from <= i.from && i.from <= e.to) i.first_edition = e.name;
      if (e.from <= i.to && i.to <= e.to) i.last_edition = e.name;
    }
    return true;
  }
  const auto dots = source.find("..");
  i.first_edition.assign(source.substr(0, dots));
  i.last_edition.assign(dots == std::string_view::npos ? source : source.substr(dots + 2));
  return edition_index.contains(i.first_edition) && edition_index.contains(i.last_edition);
}

// A comma-separated list of codes, appended normalised; false at a bad one.
bool read_successors(std::string_view column, std::vector<std::string>& out) {
  std::size_t start = 0;
  while (true) {
    const auto comma = column.find(',', start);
    const auto item = column.substr(start, comma == std::string_view::npos ? comma : comma - start);
    const auto successor = core::normalize_icd10(item);
    if (!successor) return false;
    out.push_back(*successor);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return true;
}

}  // namespace

namespace {

// One line of a codes-*.tsv file into `history` (appending to its last code when the code is
// the same); a problem becomes a diagnostic.
void read_codes_line(int n, std::string_view line, const std::string& file_name,
                     const std::unordered_map<std::string, std::size_t>& edition_index,
                     CodeHistory& history, std::vector<core::Diagnostic>& diagnostics) {
  if (n == 1 || line.empty()) return;
  auto fail = [&](std::string message) {
    diagnostics.push_back(error(file_name, n, "E-CODESET-TEXT", std::move(message)));
  };
  const auto cols = split_tab_columns(line);
  if (cols.size() != 9) {
    fail("expected 9 tab-separated columns");
    return;
  }
  const auto code = core::normalize_icd10(cols[0]);
  const auto from = core::parse_iso_date(cols[1]);
  const auto to = core::parse_iso_date(cols[2]);
  if (!code || !from || !to || *to < *from || (cols[3] != "billable" && cols[3] != "header")) {
    fail("bad code, dates or kind");
    return;
  }
  if (history.codes.empty() || history.codes.back().code != *code) {
    CodeHistoryEntry entry;
    entry.code = *code;
    if (!cols[5].empty()) {
      const auto parent = core::normalize_icd10(cols[5]);
      if (!parent) {
        fail("bad parent");
        return;
      }
      entry.parent = *parent;
    }
    history.codes.push_back(std::move(entry));
  }
  HistoryInterval i;
  i.from = *from;
  i.to = *to;
  i.billable = cols[3] == "billable";
  if (!read_source(cols[4], history, edition_index, i)) {
    fail("unknown edition in source column");
    return;
  }
  if (!cols[6].empty() && !read_successors(cols[6], i.successors)) {
    fail("bad successor code");
    return;
  }
  i.long_title.assign(cols[8]);
  i.short_title = cols[7].empty() ? i.long_title : std::string(cols[7]);
  history.codes.back().intervals.push_back(std::move(i));
}

}  // namespace

void read_codes_text(std::string_view bytes, const std::string& file_name, CodeHistory& history,
                     std::vector<core::Diagnostic>& diagnostics) {
  std::unordered_map<std::string, std::size_t> edition_index;
  for (std::size_t i = 0; i < history.editions.size(); ++i) {
    edition_index[history.editions[i].name] = i;
  }
  for_each_line(bytes, [&](int n, std::string_view line) {
    read_codes_line(n, line, file_name, edition_index, history, diagnostics);
  });
}

void finish_history(CodeHistory& history, std::vector<core::Diagnostic>& diagnostics) {
  std::sort(history.codes.begin(), history.codes.end(),
            [](const CodeHistoryEntry& a, const CodeHistoryEntry& b) { return a.code < b.code; });
  for (std::size_t k = 0; k < history.codes.size(); ++k) {
    const auto& entry = history.codes[k];
    if (k > 0 && history.codes[k - 1].code == entry.code) {
      diagnostics.push_back(error("codes-*.tsv", 0, "E-CODESET-TEXT",
                                  "code " + entry.code + " appears in two places"));
    }
    for (std::size_t i = 1; i < entry.intervals.size(); ++i) {
      if (entry.intervals[i].from <= entry.intervals[i - 1].to) {
        diagnostics.push_back(error("codes-*.tsv", 0, "E-CODESET-TEXT",
                                    "intervals of " + entry.code + " overlap or are out of order"));
      }
    }
  }
}

std::vector<TextFile> write_edits_text(const EditTables& tables) {
  std::map<std::pair<std::string, std::string>, std::set<int>> grouped;
  for (const auto& row : tables.mce) grouped[{row.edit, row.code}].insert(row.version);
  TextFile mce{"mce.tsv", "edit\tcode\tmce_versions\n"};
  for (const auto& [key, versions] : grouped) {
    mce.content +=
        key.first + '\t' + core::dotted_icd10(key.second) + '\t' + versions_text(versions) + '\n';
  }
  TextFile poa{"poa-exempt-fy" + std::to_string(tables.poa_year) + ".tsv", "code\n"};
  auto codes = tables.poa_exempt;
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  for (const auto& code : codes) poa.content += core::dotted_icd10(code) + '\n';
  return {std::move(mce), std::move(poa)};
}

void read_mce_text(std::string_view bytes, const std::string& file_name, EditTables& tables,
                   std::vector<core::Diagnostic>& diagnostics) {
  for_each_line(bytes, [&](int n, std::string_view line) {
    if (n == 1 || line.empty()) return;
    const auto cols = split_tab_columns(line);
    const auto code = cols.size() == 3 ? core::normalize_icd10(cols[1]) : std::nullopt;
    if (!code) {
      diagnostics.push_back(error(file_name, n, "E-EDITS-TEXT", "bad mce line"));
      return;
    }
    // "33-37" or "33,35-37".
    std::size_t start = 0;
    const auto versions = cols[2];
    while (start < versions.size()) {
      auto comma = versions.find(',', start);
      if (comma == std::string_view::npos) comma = versions.size();
      const auto item = versions.substr(start, comma - start);
      const auto dash = item.find('-');
      const int first = std::stoi(std::string(item.substr(0, dash)));
      const int last =
          dash == std::string_view::npos ? first : std::stoi(std::string(item.substr(dash + 1)));
      for (int v = first; v <= last; ++v)
        tables.mce.push_back(MceRow{v, std::string(cols[0]), *code});
      start = comma + 1;
    }
  });
}

void read_poa_text(std::string_view bytes, const std::string& file_name, EditTables& tables,
                   std::vector<core::Diagnostic>& diagnostics) {
  for_each_line(bytes, [&](int n, std::string_view line) {
    if (n == 1 || line.empty()) return;
    const auto code = core::normalize_icd10(line);
    if (!code) {
      diagnostics.push_back(error(file_name, n, "E-EDITS-TEXT", "bad code"));
      return;
    }
    tables.poa_exempt.push_back(*code);
  });
}

}  // namespace claimaudit::codes
