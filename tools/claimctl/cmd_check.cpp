// claimctl check [--json] [--show-phi] [--fail-on SEVERITY] [--rules DIR]... FILE...
//
// The one-shot audit entry point: reads each file in-process (format detected from content),
// prints one line per claim, or with --json one NDJSON record per claim:
//   {"file":..., "claim":{...}, "diagnostics":[...], "findings":[...]}
// and for a rejected file or claim {"file":..., "error":{"where","code","message"}}.
// Warnings of a batch that yielded no claim print as {"file":..., "diagnostic":{...}}, and so do
// a batch's warnings about a Bundle entry or batch claim that is not audited (a cancelled Claim,
// a claim rejected for an error): they are not listed under the claims that were. With --json,
// the file-wide ones (an X12 interchange's or transaction's, /format) print so too, once, before
// the claims: a claim record's "diagnostics" are those of its own entry.
// Exit: 0 ok, 1 findings at or above --fail-on, 2 a file had nothing auditable (this wins over
// 1), 64 usage, 78 rules or code data that cannot be loaded. PHI is printed only with
// --show-phi. Findings come from the rules engine (issue 5): the shipped rules/default unless
// --rules names directories (later ones hold local rules and overrides).
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "command.hpp"
#include "core/date.hpp"
#include "core/exit_code.hpp"
#include "core/icd10_code.hpp"
#include "core/log_safe.hpp"
#include "formats/json/claim_json.hpp"
#include "formats/reader.hpp"
#include "model/finding.hpp"
#ifdef CLAIMAUDIT_HAVE_RULES
#include "codes/code_set.hpp"
#include "codes/edits.hpp"
#include "rules/rule_set.hpp"
#endif

namespace claimaudit::claimctl {
namespace {

// The Bundle entry or batch claim a JSON-pointer location is about: the deepest "/entry/N" or
// "/claims/N" prefix ("/entry/1/resource/entry/2" for a Claim in a nested Bundle), or empty for
// a location about the whole file (X12 places, "/format", "/type").
std::string_view pointer_scope(std::string_view path) {
  if (path.empty() || path.front() != '/') return {};
  std::size_t scope_end = 0;
  std::size_t at = 0;
  while (at < path.size()) {
    const std::size_t next = path.find('/', at + 1);
    const std::string_view token = path.substr(
        at + 1, next == std::string_view::npos ? std::string_view::npos : next - at - 1);
    if (next == std::string_view::npos) break;
    if (token == "entry" || token == "claims") {
      const std::size_t after = path.find('/', next + 1);
      const std::string_view index = path.substr(
          next + 1, after == std::string_view::npos ? std::string_view::npos : after - next - 1);
      if (!index.empty() && index.find_first_not_of("0123456789") == std::string_view::npos) {
        scope_end = after == std::string_view::npos ? path.size() : after;
      }
    }
    at = next;
  }
  return path.substr(0, scope_end);
}

bool pointer_within(std::string_view pointer, std::string_view prefix) {
  return pointer.substr(0, prefix.size()) == prefix &&
         (pointer.size() == prefix.size() || pointer[prefix.size()] == '/');
}

// The batch notes that concern `claim`: those about the Bundle entry or batch claim the claim
// was read from, and with `file_wide` every note about the whole file.
std::vector<core::Diagnostic> notes_for(const model::Claim& claim,
                                        const std::vector<core::Diagnostic>& notes,
                                        bool file_wide) {
  std::vector<core::Diagnostic> out;
  for (const auto& note : notes) {
    const std::string_view scope = pointer_scope(note.where.path);
    if (scope.empty() ? file_wide : pointer_within(claim.origin.pointer, scope)) {
      out.push_back(note);
    }
  }
  return out;
}

using formats::json::ShowPhi;

constexpr const char* kUsage =
    "usage: claimctl check [--json] [--show-phi] [--fail-on info|warning|error|never]\n"
    "                      [--rules DIR]... FILE...\n"
    "\n"
    "Reads each claim file (X12 837P/837I, FHIR R4 Claim or Bundle, claimaudit.claim/1 JSON;\n"
    "the format is detected from the content, '-' is standard input) and prints one line per\n"
    "claim, or NDJSON records with --json. PHI (names, member ids, birth dates, sex, notes) is\n"
    "left out unless --show-phi is given. Each claim is audited with the rules of --rules DIR\n"
    "(repeatable; default: the shipped rules/default) and its findings are printed.\n"
    "\n"
    "exit status: 0 ok; 1 findings at or above --fail-on (default error); 2 a file had nothing\n"
    "auditable; 64 bad command line; 78 rules or code data that cannot be loaded.\n";

struct CheckOptions {
  bool json = false;
  ShowPhi show_phi = ShowPhi::kNo;
  std::optional<model::FindingSeverity> fail_on = model::FindingSeverity::kError;
  std::vector<std::string> files;
  std::vector<std::string> rule_directories;
};

// Reads a file (or standard input) through stdio.
class FileSource final : public formats::ByteSource {
 public:
  explicit FileSource(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  ~FileSource() override {
    if (owned_ && file_ != nullptr) std::fclose(file_);
  }
  std::size_t read(char* buffer, std::size_t size) override {
    return std::fread(buffer, 1, size, file_);
  }
  bool failed() const { return std::ferror(file_) != 0; }

 private:
  std::FILE* file_;
  bool owned_;
};

std::optional<model::FindingSeverity> parse_fail_on(std::string_view word, bool& ok) {
  ok = true;
  if (word == "info") return model::FindingSeverity::kInfo;
  if (word == "warning") return model::FindingSeverity::kWarning;
  if (word == "error") return model::FindingSeverity::kError;
  if (word == "never") return std::nullopt;
  ok = false;
  return std::nullopt;
}

// --fail-on SEVERITY or --fail-on=SEVERITY at args[i]; false (after printing why) when it is
// missing or not a severity.
bool parse_fail_on_option(std::span<const std::string> args, std::size_t& i,
                          CheckOptions& options) {
  const std::string& arg = args[i];
  std::string word;
  if (arg == "--fail-on") {
    if (i + 1 >= args.size()) {
      std::fprintf(stderr, "claimctl check: --fail-on needs a severity\n");
      return false;
    }
    word = args[++i];
  } else {
    word = arg.substr(std::strlen("--fail-on="));
  }
  bool ok = false;
  options.fail_on = parse_fail_on(word, ok);
  if (!ok) {
    std::fprintf(stderr,
                 "claimctl check: --fail-on takes info, warning, error or never, not '%s'\n",
                 word.c_str());
    return false;
  }
  return true;
}

// Returns false (after printing why) on a bad command line.
bool parse_arguments(std::span<const std::string> args, CheckOptions& options, bool& help) {
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg == "-" || arg.empty() || arg.front() != '-') {
      options.files.push_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (arg == "--help" || arg == "-h") {
      help = true;
      return true;
    } else if (arg == "--json") {
      options.json = true;
    } else if (arg == "--rules") {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "claimctl check: --rules needs a directory\n");
        return false;
      }
      options.rule_directories.push_back(args[++i]);
    } else if (arg == "--show-phi") {
      options.show_phi = ShowPhi::kYes;
    } else if (arg == "--fail-on" || arg.rfind("--fail-on=", 0) == 0) {
      if (!parse_fail_on_option(args, i, options)) return false;
    } else {
      std::fprintf(stderr, "claimctl check: unknown option '%s'\n", arg.c_str());
      return false;
    }
  }
  if (options.files.empty()) {
    std::fprintf(stderr, "claimctl check: no FILE given\n");
    return false;
  }
  return true;
}

int severity_rank(model::FindingSeverity severity) {
  switch (severity) {
    case model::FindingSeverity::kInfo:
      return 0;
    case model::FindingSeverity::kWarning:
      return 1;
    case model::FindingSeverity::kError:
      return 2;
  }
  return 2;
}

void print_line(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

// A line of the human output: file names (perhaps a sender's: claimctl check quarantine/*) and
// claim text with control characters printed as escapes (core::log_safe), line breaks kept.
// The NDJSON lines are JSON's own escaping.
void print_human(std::string_view text) {
  std::string safe;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find('\n', start);
    safe += core::log_safe(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    safe += '\n';
    start = end + 1;
  }
  print_line(safe);
}

// The service dates of a claim in one phrase: "dos 2024-08-15", "dos 2024-08-15..2024-08-20".
std::string dates_phrase(const model::Claim& claim) {
  std::optional<core::Date> from;
  std::optional<core::Date> to;
  for (const auto& line : claim.lines) {
    if (!line.service_dates) continue;
    if (!from || line.service_dates->from < *from) from = line.service_dates->from;
    if (!to || line.service_dates->to > *to) to = line.service_dates->to;
  }
  if (!from && claim.statement_period) {
    from = claim.statement_period->from;
    to = claim.statement_period->to;
  }
  if (!from) return "no date of service";
  if (*to == *from) return "dos " + from->iso();
  return "dos " + from->iso() + ".." + to->iso();
}

std::string claim_line(const std::string& file, const model::Claim& claim,
                       std::size_t diagnostic_count, std::size_t finding_count) {
  std::string out = file + ": claim " + (claim.claim_id.empty() ? "(no id)" : claim.claim_id) +
                    ": " + std::string(model::to_string(claim.kind));
  if (claim.use != model::ClaimUse::kClaim) out += " " + std::string(model::to_string(claim.use));
  out += ", payer " + std::string(model::to_string(claim.payer.kind)) + ", dx";
  if (claim.diagnoses.empty()) out += " none";
  for (const auto& diagnosis : claim.diagnoses) {
    out += ' ';
    out += diagnosis.code.empty()
               ? diagnosis.raw
               : core::dotted_code(diagnosis.code,
                                   diagnosis.code_system == model::CodeSystem::kIcd9Cm);
  }
  out += ", " + dates_phrase(claim);
  out += ", " + std::to_string(diagnostic_count) +
         (diagnostic_count == 1 ? " diagnostic" : " diagnostics");
  if (finding_count > 0) {
    out += ", " + std::to_string(finding_count) + (finding_count == 1 ? " finding" : " findings");
  }
  return out;
}

// Prints one file's records; returns whether the file was rejected (nothing auditable) and
// raises `worst_finding`.
class FileChecker {
 public:
  FileChecker(const CheckOptions& options, int& worst_finding)
      : options_(options), worst_finding_(worst_finding) {}

#ifdef CLAIMAUDIT_HAVE_RULES
  void set_rules(const rules::RuleSet* rule_set) { rule_set_ = rule_set; }
#endif

  // The NDJSON record of one audited claim. Adding the rules engine means passing its
  // findings here.
  boost::json::object claim_record(const std::string& file, const model::Claim& claim,
                                   const std::vector<core::Diagnostic>& diagnostics,
                                   const std::vector<model::Finding>& findings) const {
    boost::json::array diagnostic_array;
    for (const auto& diagnostic : diagnostics) {
      diagnostic_array.emplace_back(formats::json::diagnostic_to_json(diagnostic));
    }
    boost::json::array finding_array;
    for (const auto& finding : findings) {
      finding_array.emplace_back(formats::json::finding_to_json(finding, &claim));
    }
    return boost::json::object{{"file", file},
                               {"claim", formats::json::claim_to_json(claim, options_.show_phi)},
                               {"diagnostics", std::move(diagnostic_array)},
                               {"findings", std::move(finding_array)}};
  }

  static boost::json::object error_record(const std::string& file,
                                          const core::Diagnostic& diagnostic) {
    return boost::json::object{
        {"file", file},
        {"error", boost::json::object{{"where", formats::json::where_text(diagnostic.where)},
                                      {"code", diagnostic.code},
                                      {"message", diagnostic.message}}}};
  }

  bool check(const std::string& file) {
    std::FILE* handle = file == "-" ? stdin : std::fopen(file.c_str(), "rb");
    if (handle == nullptr) {
      report_error(file, core::Diagnostic{core::Severity::kError,
                                          "E-FILE-OPEN",
                                          {file, 0, 0, ""},
                                          std::string("cannot open: ") + std::strerror(errno)});
      return true;
    }
    FileSource source(handle, file != "-");
    auto reader = formats::open_reader(source, file);
    model::Batch batch;
    std::vector<core::Diagnostic> printed_errors;
    std::vector<core::Diagnostic> printed_notes;
    while (reader->next(batch)) {
      std::vector<core::Diagnostic> batch_notes;
      for (const auto& diagnostic : batch.diagnostics) {
        if (diagnostic.severity == core::Severity::kError) {
          report_error(file, diagnostic);
          printed_errors.push_back(diagnostic);
        } else {
          batch_notes.push_back(diagnostic);
        }
      }
      // Notes of the file that no audited claim owns print on their own: an entry's that was not
      // audited, and with --json also the file-wide ones (an X12 envelope's, /format), once
      // before the claims instead of in every claim's "diagnostics".
      std::vector<core::Diagnostic> unclaimed;
      for (const auto& note : batch_notes) {
        const std::string_view scope = pointer_scope(note.where.path);
        if (scope.empty() && !batch.claims.empty() && !options_.json) continue;
        const bool owned =
            std::any_of(batch.claims.begin(), batch.claims.end(), [scope](const model::Claim& c) {
              return !scope.empty() && pointer_within(c.origin.pointer, scope);
            });
        if (!owned) unclaimed.push_back(note);
      }
      print_notes(file, unclaimed, printed_notes);
      for (const auto& claim : batch.claims) {
        check_claim(file, claim, notes_for(claim, batch_notes, !options_.json));
      }
    }
    if (source.failed()) {
      report_error(file, core::Diagnostic{core::Severity::kError,
                                          "E-FILE-READ",
                                          {file, 0, 0, ""},
                                          "read error: " + std::string(std::strerror(errno))});
      return true;
    }
    const auto& rejection = reader->summary().rejection;
    if (!rejection) return false;
    if (std::find(printed_errors.begin(), printed_errors.end(), *rejection) ==
        printed_errors.end()) {
      report_error(file, *rejection);
    }
    return true;
  }

 private:
  // One claim: its diagnostics (after the batch's notes), and its findings when rules are loaded.
  void check_claim(const std::string& file, const model::Claim& claim,
                   const std::vector<core::Diagnostic>& batch_notes) {
    std::vector<core::Diagnostic> diagnostics = batch_notes;
    diagnostics.insert(diagnostics.end(), claim.diagnostics.begin(), claim.diagnostics.end());
    std::vector<model::Finding> findings;
    std::size_t not_evaluated = 0;
#ifdef CLAIMAUDIT_HAVE_RULES
    if (rule_set_ != nullptr) {
      rules::Evaluation evaluation = rules::evaluate(*rule_set_, claim);
      findings = std::move(evaluation.findings);
      not_evaluated = evaluation.not_evaluated.size();
    }
#endif
    for (const auto& finding : findings) {
      worst_finding_ = std::max(worst_finding_, severity_rank(finding.severity));
    }
    if (options_.json) {
      print_line(boost::json::serialize(claim_record(file, claim, diagnostics, findings)));
      return;
    }
    print_human(claim_line(file, claim, diagnostics.size(), findings.size()));
    for (const auto& diagnostic : diagnostics) print_human("  " + core::render(diagnostic));
    for (const auto& finding : findings) print_human(finding_line(finding));
    if (not_evaluated > 0) {
      print_line("  " + std::to_string(not_evaluated) + (not_evaluated == 1 ? " rule" : " rules") +
                 " not evaluated");
    }
  }

  static std::string finding_line(const model::Finding& finding) {
    std::string line =
        "  " + std::string(model::to_string(finding.severity)) + " " + finding.rule_id;
    if (finding.diagnosis_seq > 0) {
      line += " (diagnosis " + std::to_string(finding.diagnosis_seq) + ")";
    } else if (finding.line_seq > 0) {
      line += " (line " + std::to_string(finding.line_seq) + ")";
    }
    if (finding.mode == model::RuleMode::kShadow) line += " [shadow]";
    return line + ": " + finding.message;
  }

  // Notes no claim is printed with; one the file already printed (`printed`) is not repeated.
  void print_notes(const std::string& file, const std::vector<core::Diagnostic>& notes,
                   std::vector<core::Diagnostic>& printed) const {
    for (const auto& diagnostic : notes) {
      if (std::find(printed.begin(), printed.end(), diagnostic) != printed.end()) continue;
      printed.push_back(diagnostic);
      if (options_.json) {
        print_line(boost::json::serialize(boost::json::object{
            {"file", file}, {"diagnostic", formats::json::diagnostic_to_json(diagnostic)}}));
      } else {
        print_human(core::render(diagnostic));
      }
    }
  }

  void report_error(const std::string& file, const core::Diagnostic& diagnostic) const {
    if (options_.json) {
      print_line(boost::json::serialize(error_record(file, diagnostic)));
    } else {
      print_human(core::render(diagnostic));
    }
  }

  const CheckOptions& options_;
  int& worst_finding_;
#ifdef CLAIMAUDIT_HAVE_RULES
  const rules::RuleSet* rule_set_ = nullptr;
#endif
};

int run_check(std::span<const std::string> args) {
  CheckOptions options;
  bool help = false;
  if (!parse_arguments(args, options, help)) {
    std::fputs(kUsage, stderr);
    return core::to_int(core::ExitCode::kUsage);
  }
  if (help) {
    std::fputs(kUsage, stdout);
    return core::to_int(core::ExitCode::kOk);
  }
  int worst_finding = -1;
  bool rejected = false;
  FileChecker checker(options, worst_finding);
#ifdef CLAIMAUDIT_HAVE_RULES
  std::unique_ptr<codes::CodeSet> code_set;
  std::unique_ptr<codes::EditLists> edit_lists;
  try {
    code_set = std::make_unique<codes::CodeSet>(codes::CodeSet::load_default());
    edit_lists = std::make_unique<codes::EditLists>(codes::EditLists::load_default());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "claimctl check: cannot load the code history: %s\n", error.what());
    return core::to_int(core::ExitCode::kConfig);
  }
  std::vector<std::filesystem::path> directories(options.rule_directories.begin(),
                                                 options.rule_directories.end());
  if (directories.empty()) {
    const auto shipped = rules::default_rule_directory();
    if (shipped.empty()) {
      std::fprintf(stderr, "claimctl check: no rules/default found; use --rules DIR\n");
      return core::to_int(core::ExitCode::kConfig);
    }
    directories.push_back(shipped);
  }
  const rules::RuleLoadResult loaded = rules::load_rule_set(directories, *code_set, *edit_lists);
  if (!loaded.rule_set) {
    std::fputs(rules::render_diagnostics(loaded).c_str(), stderr);
    return core::to_int(core::ExitCode::kConfig);
  }
  checker.set_rules(loaded.rule_set.get());
#endif
  for (const auto& file : options.files) {
    if (checker.check(file)) rejected = true;
  }
  std::fflush(stdout);
  if (rejected) return core::to_int(core::ExitCode::kRejected);
  if (options.fail_on && worst_finding >= severity_rank(*options.fail_on)) {
    return core::to_int(core::ExitCode::kFindings);
  }
  return core::to_int(core::ExitCode::kOk);
}

const CommandRegistration kRegistration{
    "check", "audit claim files in-process (X12 837, FHIR R4, claimaudit JSON)", run_check};

}  // namespace
}  // namespace claimaudit::claimctl
