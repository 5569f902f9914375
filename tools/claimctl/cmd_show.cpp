// claimctl show FINDING and claimctl claim CLAIM: one finding with its claim, explanation and
// audit trail; one claim with its findings. Codes, dates, ids and evidence only: the daemon
// never serves names, member ids, birth dates or claim notes.
#include <cstdio>
#include <string>

#include "command.hpp"
#include "daemon_client.hpp"

namespace claimaudit::claimctl {
namespace {

namespace json = boost::json;

// The rule's trace: each sub-expression it evaluated, or why there is none.
void print_trace(const json::value& explanation) {
  const auto& trace = explanation.at("trace");
  if (trace.is_object()) {
    // Each sub-expression the rule evaluated, indented by depth, with its value.
    const auto subject = shown(trace, "subject");
    std::printf("trace      %s%s%s\n", shown(trace, "verdict").c_str(), subject.empty() ? "" : ": ",
                subject.c_str());
    for (const auto& step : trace.at("steps").as_array()) {
      const auto depth = static_cast<std::size_t>(step.at("depth").as_int64());
      std::printf("  %s%s = %s\n", std::string(2 * depth, ' ').c_str(),
                  shown(step, "expression").c_str(), shown(step, "value").c_str());
    }
    for (const auto& fact : trace.at("facts").as_array()) {
      std::printf("  fact: %s\n", terminal_safe(text_of(fact)).c_str());
    }
  } else {
    const auto* note = explanation.as_object().if_contains("trace_note");
    std::printf("trace      none: %s\n",
                note != nullptr && note->is_string() ? text_of(*note).c_str() : "not recorded");
  }
}

// The other findings of the same claim.
void print_claim_findings(const json::array& others) {
  if (!others.empty()) {
    std::printf("same claim");
    for (const auto& o : others) {
      std::printf(" #%s %s (%s)", shown(o, "id").c_str(), shown(o, "rule_id").c_str(),
                  shown(o, "status").c_str());
    }
    std::printf("\n");
  }
}

// The finding's status changes.
void print_history(const json::array& events) {
  std::printf("history%s\n", events.empty() ? "    (no changes yet)" : "");
  for (const auto& e : events) {
    const auto reason = shown(e, "reason");
    const auto note = terminal_safe(one_line(field(e, "note")));
    std::printf("  %s  %-10s %s -> %s%s%s\n", shown(e, "at").c_str(), shown(e, "user").c_str(),
                shown(e, "old_status").c_str(), shown(e, "new_status").c_str(),
                reason.empty() ? "" : (" [" + reason + "]").c_str(),
                note.empty() ? "" : (": " + note).c_str());
  }
}

int show_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help || options.rest.size() != 1) {
    std::fputs("usage: claimctl show FINDING [--json] [--socket PATH]\n",
               options.help ? stdout : stderr);
    return options.help ? 0 : core::to_int(core::ExitCode::kUsage);
  }
  if (!only_known_arguments("show", options, 1) || !is_finding_id("show", options.rest[0])) {
    return core::to_int(core::ExitCode::kUsage);
  }
  int exit_code = 0;
  const auto result =
      request("show", options, "GET", "/v1/findings/" + status::percent_encode(options.rest[0]), "",
              exit_code);
  if (!result) return exit_code;
  if (options.json) {
    std::fputs(result->body.c_str(), stdout);
    return 0;
  }
  const auto body = json::parse(result->body);
  const auto& f = body.at("finding");
  const auto& c = body.at("claim");
  std::printf("finding %s  %s  %s\n", shown(f, "id").c_str(),
              paint(shown(f, "severity"), severity_colour(shown(f, "severity"))).c_str(),
              shown(f, "rule_id").c_str());
  std::printf("  %s\n", terminal_safe(one_line(field(f, "message"))).c_str());
  std::printf("status     %s%s\n", shown(f, "status").c_str(),
              shown(f, "assignee").empty() ? "" : (" (" + shown(f, "assignee") + ")").c_str());
  if (!field(f, "waiver_id").empty()) {
    std::printf("waiver     #%s covers it\n", shown(f, "waiver_id").c_str());
  }
  // Where the code sits on the claim: a diagnosis position or a service line (0 = none).
  const std::string diagnosis_seq = field(f, "diagnosis_seq");
  const std::string line_seq = field(f, "line_seq");
  std::string where = diagnosis_seq != "0" && !diagnosis_seq.empty() ? "diagnosis " + diagnosis_seq
                      : line_seq != "0" && !line_seq.empty()         ? "line " + line_seq
                                                                     : "the whole claim";
  std::printf("code       %s  (%s)\n", shown(f, "code").empty() ? "-" : shown(f, "code").c_str(),
              where.c_str());
  std::printf("where      %s: %s\n", shown(f, "file").c_str(), shown(f, "location").c_str());
  std::printf("predicts   %s\n", shown(f, "predicts").c_str());
  std::printf("rule       %s v%s, set %s, codes %s, mode %s\n", shown(f, "rule_id").c_str(),
              shown(f, "rule_version").c_str(), shown(f, "rule_set_hash").substr(0, 12).c_str(),
              shown(f, "code_edition").c_str(), shown(f, "mode").c_str());
  if (c.is_object()) {
    std::string diagnoses;
    for (const auto& d : c.at("diagnoses").as_array()) {
      diagnoses += (diagnoses.empty() ? "" : " ") + text_of(d);
    }
    std::printf("claim      %s  %s, %s, NPI %s, DOS %s..%s\n", shown(c, "claim_id").c_str(),
                shown(c, "claim_type").c_str(), shown(c, "payer_kind").c_str(),
                shown(c, "billing_npi").c_str(), shown(c, "service_from").c_str(),
                shown(c, "service_to").c_str());
    std::printf("diagnoses  %s\n", diagnoses.c_str());
  }
  std::printf("evidence   %s\n", json::serialize(body.at("explanation").at("evidence")).c_str());
  print_trace(body.at("explanation"));
  print_claim_findings(body.at("claim_findings").as_array());
  print_history(body.at("events").as_array());
  return 0;
}

int claim_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help || options.rest.size() != 1) {
    std::fputs("usage: claimctl claim CLAIM_ID [--json] [--socket PATH]\n",
               options.help ? stdout : stderr);
    return options.help ? 0 : core::to_int(core::ExitCode::kUsage);
  }
  if (!only_known_arguments("claim", options, 1)) return core::to_int(core::ExitCode::kUsage);
  int exit_code = 0;
  const auto result =
      request("claim", options, "GET", "/v1/claims/" + status::percent_encode(options.rest[0]), "",
              exit_code);
  if (!result) return exit_code;
  if (options.json) {
    std::fputs(result->body.c_str(), stdout);
    return 0;
  }
  const auto body = json::parse(result->body);
  for (const auto& c : body.at("claims").as_array()) {
    std::string diagnoses;
    for (const auto& d : c.at("diagnoses").as_array()) {
      diagnoses += (diagnoses.empty() ? "" : " ") + text_of(d);
    }
    std::printf("claim %s  %s, %s, frequency %s, NPI %s, DOS %s..%s\n",
                shown(c, "claim_id").c_str(), shown(c, "claim_type").c_str(),
                shown(c, "payer_kind").c_str(), shown(c, "frequency_code").c_str(),
                shown(c, "billing_npi").c_str(), shown(c, "service_from").c_str(),
                shown(c, "service_to").c_str());
    // The store counts claims in a file from 0; people count from 1.
    const auto position = c.at("position").is_int64() ? c.at("position").as_int64() + 1 : 0;
    std::printf("file  %s (claim %lld of the file)\n", shown(c, "file").c_str(),
                static_cast<long long>(position));
    std::printf("dx    %s\n", diagnoses.c_str());
    Table table({"ID", "STATUS", "SEV", "RULE", "CODE"});
    table.set_colour(2, severity_colour);
    for (const auto& f : c.at("findings").as_array()) {
      table.add({field(f, "id"), field(f, "status"), field(f, "severity"), field(f, "rule_id"),
                 field(f, "code")},
                field(f, "message"));
    }
    if (c.at("findings").as_array().empty()) {
      std::printf("no findings on this claim\n");
    } else {
      std::fputs(table.render().c_str(), stdout);
    }
  }
  return 0;
}

const CommandRegistration kShow{"show", "show one finding with its claim and history",
                                show_command};
const CommandRegistration kClaim{"claim", "show one claim and its findings", claim_command};

}  // namespace
}  // namespace claimaudit::claimctl
