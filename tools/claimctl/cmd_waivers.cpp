// claimctl waivers [--json]: every waiver, expired ones marked.
// claimctl waive RULE --scope payer_kind|billing_provider|code|claim --value V --owner O
//                --reason TEXT --expires YYYY-MM-DD: records a waiver (reviewers).
#include <time.h>

#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "core/date.hpp"
#include "core/icd10_code.hpp"
#include "daemon_client.hpp"

namespace claimaudit::claimctl {
namespace {

namespace json = boost::json;

int waivers_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help) {
    std::fputs("usage: claimctl waivers [--json] [--socket PATH]\n", stdout);
    return 0;
  }
  if (!only_known_arguments("waivers", options)) return core::to_int(core::ExitCode::kUsage);
  int exit_code = 0;
  const auto result = request("waivers", options, "GET", "/v1/waivers", "", exit_code);
  if (!result) return exit_code;
  if (options.json) {
    std::fputs(result->body.c_str(), stdout);
    return 0;
  }
  Table table({"ID", "RULE", "SCOPE", "VALUE", "OWNER", "EXPIRES", "BY", "REASON"});
  // The parsed document must outlive the loop: a range-for over a member of a temporary json
  // value reads freed memory (C++20 extends the life of the array reference, not of the value).
  const json::value body = json::parse(result->body);
  for (const auto& w : body.at("waivers").as_array()) {
    const bool expired = w.at("expired").as_bool();
    table.add({field(w, "id"), field(w, "rule_id"), field(w, "scope"), field(w, "value"),
               field(w, "owner"), field(w, "expires") + (expired ? " (expired)" : ""),
               field(w, "created_by"), field(w, "reason")});
  }
  std::fputs(table.render().c_str(), stdout);
  return 0;
}

constexpr const char* kWaiveUsage =
    "usage: claimctl waive RULE --scope payer_kind|billing_provider|code|claim --value V\n"
    "                      --owner WHO --reason TEXT --expires YYYY-MM-DD [--json]\n"
    "                      [--socket PATH]\n"
    "\n"
    "Waives RULE's findings in one scope through the --expires day (members of\n"
    "claimaudit-review). --value is a payer kind (workers_comp, medicare...), a billing NPI,\n"
    "a code (M62.830 or M62830; ICD-9-CM E880.9 or E8809) or a claim number. Waived\n"
    "findings stay recorded: claimctl findings marks them with *, --hide-waived leaves them\n"
    "out; expired waivers show in claimctl status.\n";

// The waiver's fields from the command line (RULE, --scope, --value ...) into `body`; false
// (after printing why) on an unknown option, a stray argument or a missing field.
bool parse_waiver_body(const std::vector<std::string>& args, json::object& body) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg.starts_with("--") && i + 1 < args.size()) {
      const std::string key = arg.substr(2) == "rule" ? "rule_id" : arg.substr(2);
      if (key != "scope" && key != "value" && key != "owner" && key != "reason" &&
          key != "expires" && key != "rule_id") {
        std::fprintf(stderr, "claimctl waive: unknown option '%s'\n%s", arg.c_str(), kWaiveUsage);
        return false;
      }
      body[key] = args[++i];
    } else if (!arg.starts_with("--") && !body.contains("rule_id")) {
      body["rule_id"] = arg;
    } else {
      std::fprintf(stderr, "claimctl waive: unexpected argument '%s'\n%s", arg.c_str(),
                   kWaiveUsage);
      return false;
    }
  }
  for (const char* key : {"rule_id", "scope", "value", "owner", "reason", "expires"}) {
    if (!body.contains(key) || body.at(key).as_string().empty()) {
      std::fprintf(stderr, "claimctl waive: %s is required\n%s",
                   std::string_view(key) == "rule_id" ? "RULE" : ("--" + std::string(key)).c_str(),
                   kWaiveUsage);
      return false;
    }
  }
  return true;
}

// Whether the scope is one and the expiry a date not in the past (a waiver that has already
// expired would never apply: it is a typo for a later year); prints why not.
bool waiver_is_valid(const json::object& body) {
  const std::string scope(body.at("scope").as_string());
  if (scope != "payer_kind" && scope != "billing_provider" && scope != "code" && scope != "claim") {
    std::fprintf(
        stderr,
        "claimctl waive: --scope must be payer_kind, billing_provider, code or claim, not '%s'\n",
        scope.c_str());
    return false;
  }
  const auto expires = core::parse_iso_date(body.at("expires").as_string());
  if (!expires) {
    std::fprintf(stderr, "claimctl waive: --expires must be a date YYYY-MM-DD, not '%s'\n",
                 body.at("expires").as_string().c_str());
    return false;
  }
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  const auto today =
      core::Date::from_civil(utc.tm_year + 1900, static_cast<unsigned>(utc.tm_mon + 1),
                             static_cast<unsigned>(utc.tm_mday));
  if (*expires < today) {
    std::fprintf(stderr, "claimctl waive: --expires %s is in the past (today is %s UTC)\n",
                 expires->iso().c_str(), today.iso().c_str());
    return false;
  }
  return true;
}

int waive_command(std::span<const std::string> args) {
  const auto options = parse_common(args);
  if (options.help) {
    std::fputs(kWaiveUsage, stdout);
    return 0;
  }
  // Everything the daemon would refuse is a bad command line, said here with the usage.
  json::object body;
  if (!parse_waiver_body(options.rest, body) || !waiver_is_valid(body)) {
    return core::to_int(core::ExitCode::kUsage);
  }
  const std::string scope(body.at("scope").as_string());
  if (scope == "code") {
    // Codes are stored normalised: M62.830 as the findings table shows it waives M62830, and
    // E880.9 (an ICD-9-CM E code, printed dotted after its fourth character) waives E8809.
    const std::string value(body.at("value").as_string());
    if (const auto code = core::normalize_diagnosis_code(value)) body["value"] = *code;
  }
  int exit_code = 0;
  const auto result =
      request("waive", options, "POST", "/v1/waivers", json::serialize(body), exit_code);
  if (!result) return exit_code;
  if (options.json) {
    std::fputs(result->body.c_str(), stdout);
    return 0;
  }
  const auto w = json::parse(result->body).at("waiver");
  std::printf("waiver %s: %s for %s=%s until %s (owner %s)\n", shown(w, "id").c_str(),
              shown(w, "rule_id").c_str(), shown(w, "scope").c_str(), shown(w, "value").c_str(),
              shown(w, "expires").c_str(), shown(w, "owner").c_str());
  return 0;
}

const CommandRegistration kWaivers{"waivers", "list waivers", waivers_command};
const CommandRegistration kWaive{"waive", "waive a rule for a scope until a date (reviewers)",
                                 waive_command};

}  // namespace
}  // namespace claimaudit::claimctl
