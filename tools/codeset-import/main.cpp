// codeset-import: builds the ICD-10-CM code history (data/codeset/*.tsv) and the edit lists
// (data/edits/*.tsv) from the official files (../shared/icd10cm, ../shared/edits), the explicit
// corrections file, and optionally a user's newer official release. Writes nothing unless every
// input parses and every check passes; then each file is written to a temporary name and renamed.
//
//   codeset-import --icd10cm DIR --edits DIR --corrections FILE --out DIR --edits-out DIR
//                  [--release NAME:FROM:TO:FILE]... [--quiet]
//
// Exit codes: 0 written; 1 input rejected (messages on stderr: file:line: what is wrong); 64 bad
// command line; 74 output could not be written.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "codes/history.hpp"
#include "codes/official_files.hpp"
#include "core/date.hpp"
#include "core/diagnostic.hpp"
#include "core/sha256.hpp"
#include "read_file.hpp"

namespace fs = std::filesystem;
using namespace claimaudit;
using codes::EditionSnapshot;
using codes::OrderEntry;

namespace {

constexpr int kRejected = 1;
constexpr int kUsage = 64;
constexpr int kCannotWrite = 74;

// Every shipped release, mapped explicitly (file names are inconsistent between years).
struct BuiltinEdition {
  const char* name;
  const char* file;  // Relative to the icd10cm folder; "" for derived editions.
  core::Date from;
  core::Date to;
  int billable;  // Count of billable codes (icd10cm/README.md).
};

constexpr core::Date d(int y, unsigned m, unsigned dd) { return core::Date::from_civil(y, m, dd); }

const BuiltinEdition kEditions[] = {
    {"fy2016", "fy2016/icd10cm_order_2016.txt.gz", d(2015, 10, 1), d(2016, 9, 30), 69823},
    {"fy2017", "fy2017/icd10cm_order_2017.txt.gz", d(2016, 10, 1), d(2017, 9, 30), 71486},
    {"fy2018", "fy2018/icd10cm_order_2018.txt.gz", d(2017, 10, 1), d(2018, 9, 30), 71704},
    {"fy2019", "fy2019/icd10cm_order_2019.txt.gz", d(2018, 10, 1), d(2019, 9, 30), 71932},
    {"fy2020", "fy2020/icd10cm_order_2020.txt.gz", d(2019, 10, 1), d(2020, 9, 30), 72184},
    {"fy2021-oct", "", d(2020, 10, 1), d(2020, 12, 31), 72616},
    {"fy2021", "fy2021/icd10cm_order_2021.txt.gz", d(2021, 1, 1), d(2021, 9, 30), 72621},
    {"fy2022", "fy2022/icd10cm-order-2022.txt.gz", d(2021, 10, 1), d(2022, 3, 31), 72748},
    {"fy2022-apr", "fy2022-apr/icd10cm_order_2022.txt.gz", d(2022, 4, 1), d(2022, 9, 30), 72750},
    {"fy2023", "fy2023/icd10cm-order-2023.txt.gz", d(2022, 10, 1), d(2023, 3, 31), 73639},
    {"fy2023-apr", "fy2023-apr/icd10cm_order_2023.txt.gz", d(2023, 4, 1), d(2023, 9, 30), 73674},
    {"fy2024", "fy2024/icd10cm-order-2024.txt.gz", d(2023, 10, 1), d(2024, 9, 30), 74044},
    {"fy2025", "fy2025/icd10cm_order_2025.txt.gz", d(2024, 10, 1), d(2025, 9, 30), 74260},
    {"fy2026", "fy2026/icd10cm_order_2026.txt.gz", d(2025, 10, 1), d(2026, 9, 30), 74719},
    {"fy2027-derived-makevision", "", d(2026, 10, 1), d(2027, 9, 30), 74879},
};

constexpr const char* kJanAddenda = "fy2021/icd10cm_order_addenda_2021.txt";
constexpr const char* kOctAddenda =
    "fy2021/cdc-oct2020-edition-addenda/icd10cm_order_addenda_2021.txt";
constexpr const char* kFy2027Dir = "fy2027-derived-makevision";

// Official files whose hash is published in icd10cm/README.md.
struct KnownHash {
  const char* file_name;
  const char* sha256;
};
const KnownHash kKnownHashes[] = {
    {"icd10cm_codes_2027.txt", "3c0583a38ee0e848f7dc0ac8ce88e8f001bbba8c6385ed825d44d46f6e5297c9"},
};

struct Release {
  std::string name;
  core::Date from;
  core::Date to;
  fs::path file;
};

struct Options {
  fs::path icd10cm;
  fs::path edits;
  fs::path corrections;
  fs::path out;
  fs::path edits_out;
  std::vector<Release> releases;
  bool quiet = false;
};

// Collects every problem; the import is rejected if there is any.
struct Problems {
  std::vector<std::string> lines;
  void add(std::string line) { lines.push_back(std::move(line)); }
  void add(const std::vector<core::Diagnostic>& diagnostics) {
    for (const auto& diag : diagnostics) add(core::render(diag));
  }
  bool any() const { return !lines.empty(); }
};

std::string usage() {
  return "usage: codeset-import --icd10cm DIR --edits DIR --corrections FILE --out DIR "
         "--edits-out DIR [--release NAME:FROM:TO:FILE]... [--quiet]\n";
}

// --release NAME:FROM:TO:FILE (FILE may itself contain ':').
std::optional<Release> parse_release(const std::string& value, std::string& error) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (int k = 0; k < 3; ++k) {
    const auto colon = value.find(':', start);
    if (colon == std::string::npos) break;
    parts.push_back(value.substr(start, colon - start));
    start = colon + 1;
  }
  if (parts.size() != 3 || start >= value.size()) {
    error = "--release expects NAME:FROM:TO:FILE, got '" + value + "'";
    return std::nullopt;
  }
  const auto from = core::parse_iso_date(parts[1]);
  const auto to = core::parse_iso_date(parts[2]);
  if (parts[0].empty() || !from || !to || *to < *from) {
    error = "--release '" + value + "': bad name or dates (YYYY-MM-DD, FROM <= TO)";
    return std::nullopt;
  }
  return Release{parts[0], *from, *to, value.substr(start)};
}

std::optional<Options> parse_args(int argc, char** argv, std::string& error) {
  static const std::map<std::string, fs::path Options::*> kPaths = {
      {"--icd10cm", &Options::icd10cm},         {"--edits", &Options::edits},
      {"--corrections", &Options::corrections}, {"--out", &Options::out},
      {"--edits-out", &Options::edits_out},
  };
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quiet") {
      options.quiet = true;
      continue;
    }
    const auto path = kPaths.find(arg);
    if (path == kPaths.end() && arg != "--release") {
      error = "unknown argument '" + arg + "'";
      return std::nullopt;
    }
    if (i + 1 >= argc) {
      error = arg + " needs a value";
      return std::nullopt;
    }
    const std::string value = argv[++i];
    if (path != kPaths.end()) {
      options.*(path->second) = value;
      continue;
    }
    auto release = parse_release(value, error);
    if (!release) return std::nullopt;
    options.releases.push_back(std::move(*release));
  }
  if (options.icd10cm.empty() || options.edits.empty() || options.corrections.empty() ||
      options.out.empty() || options.edits_out.empty()) {
    error = "--icd10cm, --edits, --corrections, --out and --edits-out are required";
    return std::nullopt;
  }
  return options;
}

// Plain or .gz, whichever exists.
fs::path locate(const fs::path& path) {
  if (fs::exists(path)) return path;
  if (path.extension() == ".gz") {
    auto plain = path;
    plain.replace_extension();
    if (fs::exists(plain)) return plain;
  } else {
    auto gz = path;
    gz += ".gz";
    if (fs::exists(gz)) return gz;
  }
  return path;
}

std::optional<std::string> read(const fs::path& path, const std::string& name, Problems& problems) {
  auto file = codeset_import::read_file_bytes(path, name);
  if (!file.error.empty()) {
    problems.add(file.error);
    return std::nullopt;
  }
  return std::move(file.bytes);
}

int count_billable(const std::vector<OrderEntry>& entries) {
  return static_cast<int>(std::count_if(entries.begin(), entries.end(),
                                        [](const OrderEntry& e) { return e.billable; }));
}

void sort_entries(std::vector<OrderEntry>& entries) {
  std::sort(entries.begin(), entries.end(),
            [](const OrderEntry& a, const OrderEntry& b) { return a.code < b.code; });
}

// A key that is equal for the same addenda line in both addenda files.
std::string addenda_key(const codes::AddendaLine& l) {
  return std::to_string(static_cast<int>(l.action)) + (l.entry.billable ? "1" : "0") +
         l.entry.code + '\t' + l.entry.long_title;
}

// The lines of `lines` that `others` lacks (each line of `others` matches one line at most).
std::vector<codes::AddendaLine> unmatched_lines(const std::vector<codes::AddendaLine>& lines,
                                                const std::vector<codes::AddendaLine>& others) {
  std::multiset<std::string> keys;
  for (const auto& l : others) keys.insert(addenda_key(l));
  std::vector<codes::AddendaLine> out;
  for (const auto& l : lines) {
    const auto it = keys.find(addenda_key(l));
    if (it == keys.end()) {
      out.push_back(l);
    } else {
      keys.erase(it);
    }
  }
  return out;
}

const char* const kActions[] = {"Add", "Delete", "Revise from", "Revise to"};

// Undoes one addenda line of January 2021 on `entries`.
void undo_line(const codes::AddendaLine& l, std::map<std::string, OrderEntry>& entries) {
  using Action = codes::AddendaLine::Action;
  switch (l.action) {
    case Action::kAdd:
      if (auto found = entries.find(l.entry.code);
          found != entries.end() && found->second.billable == l.entry.billable) {
        entries.erase(found);
      }
      break;
    case Action::kDelete:
      entries[l.entry.code] = l.entry;
      break;
    case Action::kReviseFrom:
      if (auto found = entries.find(l.entry.code); found != entries.end()) {
        found->second.short_title = l.entry.short_title;
        found->second.long_title = l.entry.long_title;
      }
      break;
    case Action::kReviseTo:
      break;
  }
}

// Applies one addenda line of October 2020 to `entries`.
void apply_line(const codes::AddendaLine& l, std::map<std::string, OrderEntry>& entries) {
  using Action = codes::AddendaLine::Action;
  switch (l.action) {
    case Action::kAdd:
      entries[l.entry.code] = l.entry;
      break;
    case Action::kDelete:
      entries.erase(l.entry.code);
      break;
    case Action::kReviseTo:
      if (auto found = entries.find(l.entry.code); found != entries.end()) {
        found->second.short_title = l.entry.short_title;
        found->second.long_title = l.entry.long_title;
      }
      break;
    case Action::kReviseFrom:
      break;
  }
}

// The October 2020 edition: the January 2021 file with the lines that only the January addenda
// have undone (and any October-only lines applied).
std::vector<OrderEntry> undo_january_2021(const std::vector<OrderEntry>& january,
                                          const std::vector<codes::AddendaLine>& jan_lines,
                                          const std::vector<codes::AddendaLine>& oct_lines,
                                          std::vector<std::string>& report) {
  const std::vector<codes::AddendaLine> jan_only = unmatched_lines(jan_lines, oct_lines);
  const std::vector<codes::AddendaLine> oct_only = unmatched_lines(oct_lines, jan_lines);
  std::map<std::string, OrderEntry> entries;
  for (const auto& e : january) entries[e.code] = e;
  for (auto it = jan_only.rbegin(); it != jan_only.rend(); ++it) {
    const auto& l = *it;
    report.push_back(std::string("fy2021-oct: undo January-only '") +
                     kActions[static_cast<int>(l.action)] + " " + (l.entry.billable ? "1 " : "0 ") +
                     l.entry.code + "' (" + kJanAddenda + ":" + std::to_string(l.entry.line) + ")");
    undo_line(l, entries);
  }
  for (const auto& l : oct_only) {
    report.push_back(std::string("fy2021-oct: apply October-only '") +
                     kActions[static_cast<int>(l.action)] + " " + l.entry.code + "'");
    apply_line(l, entries);
  }
  std::vector<OrderEntry> out;
  out.reserve(entries.size());
  for (auto& [code, entry] : entries) out.push_back(std::move(entry));
  return out;
}

// FY2027: FY2026 with the four derived change lists applied.
std::vector<OrderEntry> apply_fy2027(const std::vector<OrderEntry>& fy2026,
                                     const codes::ChangeLists& lists, Problems& problems) {
  std::map<std::string, OrderEntry> entries;
  for (const auto& e : fy2026) entries[e.code] = e;
  const std::string dir = kFy2027Dir;
  for (const auto& e : lists.deleted) {
    if (entries.erase(e.code) == 0) {
      problems.add(dir + "/deleted.csv:" + std::to_string(e.line) + ": " + e.code +
                   " is not in FY2026");
    }
  }
  for (const auto& e : lists.billable_to_header) {
    auto it = entries.find(e.code);
    if (it == entries.end() || !it->second.billable) {
      problems.add(dir + "/billable-status-changes.csv:" + std::to_string(e.line) + ": " + e.code +
                   " is not billable in FY2026");
      continue;
    }
    it->second.billable = false;
  }
  for (const auto& e : lists.added) {
    if (entries.contains(e.code)) {
      problems.add(dir + "/added.csv:" + std::to_string(e.line) + ": " + e.code +
                   " is already in FY2026");
      continue;
    }
    auto entry = e;
    if (entry.short_title.empty()) entry.short_title = entry.long_title;
    entries[e.code] = entry;
  }
  for (const auto& e : lists.revised) {
    auto it = entries.find(e.code);
    if (it == entries.end()) {
      problems.add(dir + "/revised.csv:" + std::to_string(e.line) + ": " + e.code +
                   " is not in FY2026");
      continue;
    }
    it->second.long_title = e.long_title;
    if (!e.short_title.empty()) it->second.short_title = e.short_title;
  }
  std::vector<OrderEntry> out;
  out.reserve(entries.size());
  for (auto& [code, entry] : entries) out.push_back(std::move(entry));
  return out;
}

// A codes file lists billable codes only: keep the previous edition's headers that still head a
// billable code, turn formerly billable codes that now head others into headers, and keep the
// previous short title when the long title did not change.
std::vector<OrderEntry> complete_codes_file(std::vector<OrderEntry> billable,
                                            const std::vector<OrderEntry>& previous) {
  std::map<std::string, const OrderEntry*> before;
  for (const auto& e : previous) before[e.code] = &e;
  std::set<std::string> prefixes;
  for (const auto& e : billable) {
    for (std::size_t len = 3; len < e.code.size(); ++len) prefixes.insert(e.code.substr(0, len));
  }
  std::set<std::string> present;
  for (auto& e : billable) {
    present.insert(e.code);
    const auto it = before.find(e.code);
    e.short_title = it != before.end() && it->second->long_title == e.long_title
                        ? it->second->short_title
                        : e.long_title;
  }
  for (const auto& e : previous) {
    if (!present.contains(e.code) && prefixes.contains(e.code)) {
      auto header = e;
      header.billable = false;
      billable.push_back(header);
    }
  }
  return billable;
}

bool write_atomically(const fs::path& target, const std::string& content, std::string& error) {
  auto temp = target;
  temp += ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) {
      error = temp.string() + ": cannot create";
      return false;
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.flush()) {
      error = temp.string() + ": write failed";
      return false;
    }
  }
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) {
    error = target.string() + ": cannot rename into place: " + ec.message();
    return false;
  }
  return true;
}

std::optional<std::vector<OrderEntry>> read_order(const Options& options,
                                                  const std::string& relative, Problems& problems) {
  const auto path = locate(options.icd10cm / relative);
  const auto name = fs::relative(path, options.icd10cm).generic_string();
  const auto bytes = read(path, name, problems);
  if (!bytes) return std::nullopt;
  auto parsed = codes::parse_order_file(*bytes, name);
  if (!parsed.diagnostics.empty()) {
    problems.add(parsed.diagnostics);
    return std::nullopt;
  }
  return std::move(parsed.entries);
}

// FY2027 from FY2026 and the derived change lists.
std::vector<OrderEntry> derive_fy2027(const Options& options, const std::vector<OrderEntry>& fy2026,
                                      Problems& problems) {
  codes::ChangeLists lists;
  std::vector<core::Diagnostic> diags;
  for (const char* kind : {"added", "deleted", "billable-status-changes", "revised"}) {
    const auto relative = std::string(kFy2027Dir) + "/" + kind + ".csv";
    if (const auto bytes = read(options.icd10cm / relative, relative, problems)) {
      codes::parse_change_list(*bytes, relative, kind, lists, diags);
    }
  }
  problems.add(diags);
  return apply_fy2027(fy2026, lists, problems);
}

struct BuiltinEditions {
  std::vector<EditionSnapshot> editions;  // fy2021-oct still empty.
  std::vector<OrderEntry> fy2021_january;
};

BuiltinEditions read_builtin_editions(const Options& options, Problems& problems) {
  BuiltinEditions out;
  std::vector<OrderEntry> fy2026;
  for (const auto& builtin : kEditions) {
    EditionSnapshot edition{builtin.name, builtin.from, builtin.to, builtin.file, {}};
    const std::string name = builtin.name;
    if (name == "fy2021-oct") {
      // Filled after fy2021 is read (fill_october_2020).
      out.editions.push_back(std::move(edition));
      continue;
    }
    if (name == "fy2027-derived-makevision") {
      edition.entries = derive_fy2027(options, fy2026, problems);
      edition.source = "fy2026/icd10cm_order_2026.txt.gz + " + std::string(kFy2027Dir) +
                       "/{added,deleted,billable-status-changes,revised}.csv";
    } else {
      auto entries = read_order(options, builtin.file, problems);
      if (!entries) continue;
      edition.entries = std::move(*entries);
      edition.source =
          fs::relative(locate(options.icd10cm / builtin.file), options.icd10cm).generic_string();
    }
    if (name == "fy2021") out.fy2021_january = edition.entries;
    if (name == "fy2026") fy2026 = edition.entries;
    out.editions.push_back(std::move(edition));
  }
  return out;
}

// The October 2020 edition.
void fill_october_2020(const Options& options, const std::vector<OrderEntry>& fy2021_january,
                       std::vector<EditionSnapshot>& editions, Problems& problems,
                       std::vector<std::string>& report) {
  std::vector<core::Diagnostic> diags;
  const auto jan = read(options.icd10cm / kJanAddenda, kJanAddenda, problems);
  const auto oct = read(options.icd10cm / kOctAddenda, kOctAddenda, problems);
  if (jan && oct && !fy2021_january.empty()) {
    const auto jan_lines = codes::parse_order_addenda(*jan, kJanAddenda, diags);
    const auto oct_lines = codes::parse_order_addenda(*oct, kOctAddenda, diags);
    for (auto& edition : editions) {
      if (edition.name != "fy2021-oct") continue;
      edition.entries = undo_january_2021(fy2021_january, jan_lines, oct_lines, report);
      edition.source = "fy2021/icd10cm_order_2021.txt.gz with the January 2021 changes undone (" +
                       std::string(kJanAddenda) + " vs " + kOctAddenda + ")";
    }
  }
  problems.add(diags);
}

// Counts: a file cut at a line boundary still parses, but not to the published count.
void check_counts(const std::vector<EditionSnapshot>& editions, Problems& problems) {
  for (const auto& builtin : kEditions) {
    for (const auto& edition : editions) {
      if (edition.name != builtin.name || edition.entries.empty()) continue;
      const int billable = count_billable(edition.entries);
      if (billable == builtin.billable) continue;
      const int last_line = edition.entries.back().line;
      problems.add(edition.source + ":" + std::to_string(last_line) + ": " +
                   std::to_string(billable) + " billable codes, the release has " +
                   std::to_string(builtin.billable) +
                   " (icd10cm/README.md): the file is truncated or altered");
    }
  }
}

// A release whose official hash is published must have it.
void verify_known_hash(const Release& release, const std::string& bytes, Problems& problems,
                       std::vector<std::string>& report) {
  for (const auto& known : kKnownHashes) {
    auto plain = release.file.filename();
    if (plain.extension() == ".gz") plain.replace_extension();
    if (plain != known.file_name) continue;
    const auto digest = core::sha256_hex(bytes);
    if (digest != known.sha256) {
      problems.add(release.file.string() + ": SHA-256 " + digest + " does not match the " +
                   "published " + known.sha256 + " (icd10cm/README.md)");
      continue;
    }
    report.push_back(release.file.string() + ": SHA-256 verified against icd10cm/README.md");
  }
}

// The editions a release leaves: those it replaces go, those it overlaps are truncated.
std::vector<EditionSnapshot> make_room(const Release& release,
                                       std::vector<EditionSnapshot> editions, Problems& problems,
                                       std::vector<std::string>& report) {
  std::vector<EditionSnapshot> kept;
  for (auto& edition : editions) {
    if (edition.to < release.from || edition.from > release.to) {
      kept.push_back(std::move(edition));
      continue;
    }
    if (edition.from < release.from && edition.to > release.to) {
      problems.add("--release " + release.name + ": its window lies inside " + edition.name +
                   "; give a window that starts or ends with it");
      kept.push_back(std::move(edition));
      continue;
    }
    if (edition.from < release.from) {
      edition.to = release.from.previous_day();
      kept.push_back(std::move(edition));
    } else if (edition.to > release.to) {
      edition.from = release.to.next_day();
      kept.push_back(std::move(edition));
    } else {
      report.push_back("--release " + release.name + " replaces " + edition.name);
    }
  }
  return kept;
}

void sort_by_start(std::vector<EditionSnapshot>& editions) {
  std::sort(editions.begin(), editions.end(),
            [](const EditionSnapshot& a, const EditionSnapshot& b) { return a.from < b.from; });
}

void add_release(const Release& release, std::vector<EditionSnapshot>& editions, Problems& problems,
                 std::vector<std::string>& report) {
  const auto display = release.file.filename().string();
  const auto bytes = read(release.file, release.file.string(), problems);
  if (!bytes) return;
  verify_known_hash(release, *bytes, problems, report);
  const bool order_format = bytes->size() > 6 &&
                            std::isdigit(static_cast<unsigned char>((*bytes)[0])) &&
                            (*bytes)[5] == ' ';
  auto parsed = order_format ? codes::parse_order_file(*bytes, release.file.string())
                             : codes::parse_codes_file(*bytes, release.file.string());
  if (!parsed.diagnostics.empty()) {
    problems.add(parsed.diagnostics);
    return;
  }
  editions = make_room(release, std::move(editions), problems, report);
  sort_by_start(editions);
  const EditionSnapshot* previous = nullptr;
  for (const auto& edition : editions) {
    if (edition.to < release.from) previous = &edition;
  }
  EditionSnapshot added{release.name, release.from, release.to, display, {}};
  added.entries = order_format || previous == nullptr
                      ? std::move(parsed.entries)
                      : complete_codes_file(std::move(parsed.entries), previous->entries);
  report.push_back(
      "--release " + release.name + ": " + std::to_string(count_billable(added.entries)) +
      " billable codes from " + release.file.string() +
      (order_format ? "" : " (codes file: headers carried from the previous edition)"));
  editions.push_back(std::move(added));
  sort_by_start(editions);
  for (std::size_t i = 1; i < editions.size(); ++i) {
    if (editions[i - 1].to.next_day() != editions[i].from) {
      problems.add("--release " + release.name + ": leaves a gap or overlap between " +
                   editions[i - 1].name + " and " + editions[i].name);
    }
  }
}

std::vector<codes::Correction> read_corrections(const Options& options, Problems& problems) {
  std::vector<codes::Correction> corrections;
  const auto name = options.corrections.filename().string();
  if (const auto bytes = read(options.corrections, name, problems)) {
    std::vector<core::Diagnostic> diags;
    corrections = codes::parse_corrections(*bytes, name, diags);
    problems.add(diags);
  }
  return corrections;
}

codes::EditTables read_edit_tables(const Options& options, Problems& problems) {
  codes::EditTables edit_tables;
  std::vector<core::Diagnostic> diags;
  for (int version = 33; version <= 37; ++version) {
    const auto relative =
        "mce-simple-code-edits-nlindner/MCE_Simple_Code_Edits_v" + std::to_string(version) + ".txt";
    if (const auto bytes = read(options.edits / relative, relative, problems)) {
      auto rows = codes::parse_mce_file(*bytes, relative, diags);
      edit_tables.mce.insert(edit_tables.mce.end(), rows.begin(), rows.end());
    }
  }
  const std::string poa = "poa-exempt/POAexemptCodesFY26.txt";
  if (const auto bytes = read(options.edits / poa, poa, problems)) {
    edit_tables.poa_exempt = codes::parse_poa_exempt_file(*bytes, poa, diags);
  }
  problems.add(diags);
  return edit_tables;
}

// Every file under a temporary name, renamed into place; stale codes-*.tsv removed. 0, or
// kCannotWrite (with a message on stderr).
int write_outputs(const Options& options, const std::vector<codes::TextFile>& files,
                  const std::vector<codes::TextFile>& edit_files) {
  std::error_code ec;
  fs::create_directories(options.out, ec);
  fs::create_directories(options.edits_out, ec);
  std::string error;
  std::set<std::string> written;
  for (const auto& file : files) {
    if (!write_atomically(options.out / file.name, file.content, error)) {
      std::fprintf(stderr, "codeset-import: %s\n", error.c_str());
      return kCannotWrite;
    }
    written.insert(file.name);
  }
  for (const auto& file : edit_files) {
    if (!write_atomically(options.edits_out / file.name, file.content, error)) {
      std::fprintf(stderr, "codeset-import: %s\n", error.c_str());
      return kCannotWrite;
    }
  }
  for (const auto& entry : fs::directory_iterator(options.out, ec)) {
    const auto name = entry.path().filename().string();
    if (name.starts_with("codes-") && name.ends_with(".tsv") && !written.contains(name)) {
      fs::remove(entry.path(), ec);
    }
  }
  return 0;
}

void print_summary(const Options& options, const codes::CodeHistory& history,
                   const std::vector<std::string>& report, std::size_t file_count,
                   std::size_t edit_file_count) {
  for (const auto& e : history.editions) {
    std::printf("%-26s %s..%s %6d billable %6d headers  %s\n", e.name.c_str(), e.from.iso().c_str(),
                e.to.iso().c_str(), e.billable, e.headers, e.source.c_str());
  }
  for (const auto& line : report) std::printf("%s\n", line.c_str());
  std::size_t intervals = 0;
  for (const auto& c : history.codes) intervals += c.intervals.size();
  std::printf("%zu codes, %zu intervals; wrote %zu files to %s and %zu to %s\n",
              history.codes.size(), intervals, file_count, options.out.string().c_str(),
              edit_file_count, options.edits_out.string().c_str());
}

int run(const Options& options) {
  Problems problems;
  std::vector<std::string> report;
  BuiltinEditions builtins = read_builtin_editions(options, problems);
  std::vector<EditionSnapshot> editions = std::move(builtins.editions);
  fill_october_2020(options, builtins.fy2021_january, editions, problems, report);
  check_counts(editions, problems);
  for (const auto& release : options.releases) add_release(release, editions, problems, report);
  const std::vector<codes::Correction> corrections = read_corrections(options, problems);
  const codes::EditTables edit_tables = read_edit_tables(options, problems);
  if (problems.any()) {
    for (const auto& line : problems.lines)
      std::fprintf(stderr, "codeset-import: %s\n", line.c_str());
    std::fprintf(stderr, "codeset-import: rejected; nothing written\n");
    return kRejected;
  }
  for (auto& edition : editions) sort_entries(edition.entries);
  codes::CodeHistory history;
  try {
    history = codes::build_history(editions, corrections, report);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "codeset-import: %s\nrejected; nothing written\n", e.what());
    return kRejected;
  }
  const auto files = codes::write_history_text(history);
  const auto edit_files = codes::write_edits_text(edit_tables);
  if (const int status = write_outputs(options, files, edit_files); status != 0) return status;
  if (!options.quiet) print_summary(options, history, report, files.size(), edit_files.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string error;
  const auto options = parse_args(argc, argv, error);
  if (!options) {
    std::fprintf(stderr, "codeset-import: %s\n%s", error.c_str(), usage().c_str());
    return kUsage;
  }
  try {
    return run(*options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "codeset-import: internal error: %s\n", e.what());
    return 70;
  }
}
