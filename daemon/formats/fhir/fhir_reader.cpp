#include "formats/fhir/fhir_reader.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <deque>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/icd10_code.hpp"
#include "formats/detail/diagnosis_roles.hpp"
#include "formats/detail/json_text.hpp"
#include "formats/detail/procedure_code.hpp"

namespace claimaudit::formats::fhir {
namespace {

namespace bj = boost::json;

using detail::pointer_append;
using detail::type_word;

constexpr std::string_view kIcd10CmSystem = "http://hl7.org/fhir/sid/icd-10-cm";
constexpr std::string_view kIcd10WhoSystem = "http://hl7.org/fhir/sid/icd-10";
constexpr std::string_view kIcd9CmSystem = "http://hl7.org/fhir/sid/icd-9-cm";
// The OIDs FHIR R4 lists for the same code systems (terminologies-systems.html), as sent by
// systems that convert from CDA or v2.
constexpr std::string_view kIcd10CmOid = "urn:oid:2.16.840.1.113883.6.90";
constexpr std::string_view kIcd10WhoOid = "urn:oid:2.16.840.1.113883.6.3";
constexpr std::string_view kIcd9CmOid = "urn:oid:2.16.840.1.113883.6.103";
constexpr std::string_view kNpiSystem = "http://hl7.org/fhir/sid/us-npi";
// The NPI's OID, which R4's identifier registry lists beside the URI (identifier-registry.html),
// as systems that convert from CDA or v2 send it.
constexpr std::string_view kNpiOid = "urn:oid:2.16.840.1.113883.4.6";
constexpr std::string_view kTaxIdSystem = "urn:oid:2.16.840.1.113883.4.4";

// The ICD system a coding's `system` names, as one of the three canonical URIs above (empty when
// it names none). FHIR compares system URIs exactly, but senders write the ICD ones with https,
// a "www.", a trailing slash, upper case ("ICD-10-CM"), surrounding spaces, or an OID without
// its "urn:oid:" prefix; each of those still names the code system, and reading it as unknown
// would leave every diagnosis unaudited. `exact` tells whether the system was written as FHIR
// R4 lists it (the URI or its urn:oid: form).
struct IcdSystem {
  std::string_view canonical;
  bool exact = false;
};
IcdSystem icd_system(std::string_view system) {
  static constexpr std::array<std::array<std::string_view, 3>, 3> kSystems = {{
      {kIcd10CmSystem, kIcd10CmOid, "hl7.org/fhir/sid/icd-10-cm"},
      {kIcd10WhoSystem, kIcd10WhoOid, "hl7.org/fhir/sid/icd-10"},
      {kIcd9CmSystem, kIcd9CmOid, "hl7.org/fhir/sid/icd-9-cm"},
  }};
  for (const auto& row : kSystems) {
    if (system == row[0] || system == row[1]) return {row[0], true};
  }
  std::string text;
  for (char c : system) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    text += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view rest = text;
  for (std::string_view prefix : {"https://", "http://", "urn:oid:", "oid:"}) {
    if (rest.substr(0, prefix.size()) == prefix) {
      rest.remove_prefix(prefix.size());
      break;
    }
  }
  if (rest.substr(0, 4) == "www.") rest.remove_prefix(4);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  for (const auto& row : kSystems) {
    if (rest == row[2] || rest == row[1].substr(8)) return {row[0], false};
  }
  return {};
}

// A system URI for a message: printable ASCII, at most 80 characters.
std::string shown_system(std::string_view system) {
  std::string out;
  for (char c : system.substr(0, 80)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (system.size() > 80) out += "...";
  return out;
}

// A resource found by a reference, and where it sits in the document. `container` is the
// top-level resource (the Claim, or a Bundle entry's resource) whose `contained` list "#id"
// references inside `resource` resolve against (FHIR R4 2.3.0.8.1: contained resources share
// their container's scope).
struct Target {
  const bj::object* resource = nullptr;
  std::string pointer;
  const bj::object* container = nullptr;
  std::string container_pointer;
};

// What references can resolve to: Bundle entries (by fullUrl and by "Type/id").
struct Scope {
  bool in_bundle = false;
  std::map<std::string, Target, std::less<>> by_full_url;
  std::map<std::string, Target, std::less<>> by_type_and_id;
};

// Whether a normalised code (core::normalize_icd10) has the shape of an ICD-10-CM code: a
// letter, a digit, then letters and digits (M62830, C7A1, U071). Placeholders such as 654321 and
// ICD-9-CM codes (72210) do not.
bool icd10cm_shaped(std::string_view normalized) {
  return normalized.size() >= 3 && normalized[0] >= 'A' && normalized[0] <= 'Z' &&
         normalized[1] >= '0' && normalized[1] <= '9';
}

std::string_view string_member(const bj::object& object, std::string_view key) {
  const bj::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return value->get_string();
}

// Resolves `reference` found inside `from` (a Claim, a Bundle entry's resource, or a resource
// contained in one of them): "#id" against from's container, then fullUrls, then "Type/id".
std::optional<Target> resolve(std::string_view reference, const Scope& scope, const Target& from) {
  if (reference.empty()) return std::nullopt;
  if (reference.front() == '#') {
    if (from.container == nullptr) return std::nullopt;
    const bj::value* contained = from.container->if_contains("contained");
    if (contained == nullptr || !contained->is_array()) return std::nullopt;
    const std::string list_path = pointer_append(from.container_pointer, "contained");
    for (std::size_t i = 0; i < contained->get_array().size(); ++i) {
      const bj::object* entry = contained->get_array()[i].if_object();
      if (entry != nullptr && string_member(*entry, "id") == reference.substr(1)) {
        return Target{entry, pointer_append(list_path, i), from.container, from.container_pointer};
      }
    }
    return std::nullopt;
  }
  if (const auto found = scope.by_full_url.find(reference); found != scope.by_full_url.end()) {
    return found->second;
  }
  // "Type/id", or an absolute URL ending in "/Type/id" that is not a fullUrl.
  std::string_view tail = reference;
  if (const std::size_t history = tail.find("/_history/"); history != std::string_view::npos) {
    tail = tail.substr(0, history);
  }
  const std::size_t last = tail.rfind('/');
  if (last == std::string_view::npos || last == 0) return std::nullopt;
  const std::size_t before = tail.rfind('/', last - 1);
  const std::string_view key = before == std::string_view::npos ? tail : tail.substr(before + 1);
  if (const auto found = scope.by_type_and_id.find(key); found != scope.by_type_and_id.end()) {
    return found->second;
  }
  return std::nullopt;
}

// How a diagnostic names a reference without quoting it: ids may be medical record or member
// numbers (STYLE.md 5). "a Practitioner reference", "a contained (#id) reference".
std::string reference_kind(std::string_view reference) {
  if (reference.front() == '#') return "a contained (#id) reference";
  if (reference.rfind("urn:uuid:", 0) == 0) return "a urn:uuid reference";
  if (reference.rfind("urn:", 0) == 0) return "a urn reference";
  std::string_view tail = reference;
  if (const std::size_t history = tail.find("/_history/"); history != std::string_view::npos) {
    tail = tail.substr(0, history);
  }
  const std::size_t last = tail.rfind('/');
  if (last != std::string_view::npos && last > 0) {
    const std::size_t before = tail.rfind('/', last - 1);
    const std::string_view type =
        tail.substr(before == std::string_view::npos ? 0 : before + 1,
                    last - (before == std::string_view::npos ? 0 : before + 1));
    if (!type.empty() && type.front() >= 'A' && type.front() <= 'Z') {
      return (std::string_view("AEIOU").find(type.front()) != std::string_view::npos ? "an "
                                                                                     : "a ") +
             std::string(type) + " reference";
    }
  }
  return "a reference";
}

// Whether an unresolved reference is a problem: in a Bundle every reference should resolve; a
// bare Claim may point at resources on a server ("Patient/1"), but never at a missing contained
// resource or a urn:uuid (those only exist inside one document).
bool must_resolve(std::string_view reference, const Scope& scope) {
  if (reference.empty()) return false;
  if (reference.front() == '#' || reference.rfind("urn:uuid:", 0) == 0) return true;
  return scope.in_bundle;
}

std::optional<core::Date> date_prefix(std::string_view text) {
  // FHIR dateTime: the calendar date is the first 10 characters, followed by 'T' or nothing.
  if (text.size() > 10 && text[10] != 'T') return std::nullopt;
  return core::parse_iso_date(text.substr(0, 10));
}

// FHIR date and dateTime also allow a year ("2024") or a year and month ("2024-08"): valid,
// but naming no day, so no date of service.
bool is_partial_date(std::string_view text) {
  auto digits = [](std::string_view t) {
    return std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (text.size() == 4) return digits(text);
  if (text.size() != 7 || text[4] != '-' || !digits(text.substr(0, 4)) ||
      !digits(text.substr(5, 2))) {
    return false;
  }
  const int month = (text[5] - '0') * 10 + (text[6] - '0');
  return month >= 1 && month <= 12;
}

// Reads one Claim resource into the model. Errors make the claim unreadable (it is not
// yielded); warnings travel with it.
class ClaimReader {
 public:
  ClaimReader(const std::string& file_name, const Scope& scope, const ReadOptions& options)
      : file_name_(file_name), scope_(scope), options_(options) {}

  std::vector<core::Diagnostic> errors;    // Go to the batch when the claim is not yielded.
  std::vector<core::Diagnostic> warnings;  // Go with the claim.

  // `full_url` is the fullUrl of the Bundle entry holding the Claim (at `full_url_pointer`), ""
  // for a bare Claim or an entry without one.
  std::optional<model::Claim> read(const bj::object& resource, const std::string& pointer,
                                   std::string_view full_url = {},
                                   const std::string& full_url_pointer = {}) {
    check_r4_shape(resource, pointer);
    if (!errors.empty()) return std::nullopt;
    self_ = Target{&resource, pointer, &resource, pointer};
    model::Claim claim;
    claim.origin.pointer = pointer;
    claim.envelope.guide = "fhir-r4";
    read_identity(resource, pointer, claim);
    read_parties(resource, pointer, claim);
    read_diagnoses(resource, pointer, claim);
    read_items(resource, pointer, claim);
    settle_reversed_billable_period(claim);
    check_line_dates(claim);
    read_supporting_info(resource, pointer, claim);
    read_procedures(resource, pointer, claim);
    read_accident_and_related(resource, pointer, claim);
    check_references(resource, pointer);
    check_modifier_extensions(resource, pointer);
    if (claim.claim_id.empty()) claim_id_from_full_url(full_url, full_url_pointer, pointer, claim);
    if (claim.kind == model::ClaimKind::kUnknown && options_.default_claim_kind) {
      claim.kind = *options_.default_claim_kind;
    }
    if (claim.payer.kind == model::PayerKind::kUnknown && options_.default_payer_kind) {
      claim.payer.kind = *options_.default_payer_kind;
    }
    if (!errors.empty()) return std::nullopt;
    claim.diagnostics = std::move(warnings);
    return claim;
  }

 private:
  // Item service dates fall within the Claim's billablePeriod (as 837I line dates fall within
  // the statement period); an item outside it is dated wrong or belongs to another claim.
  void check_line_dates(const model::Claim& claim) {
    if (!claim.statement_period) return;
    const model::DateRange& period = *claim.statement_period;
    auto range = [](const model::DateRange& r) {
      return r.from == r.to ? r.from.iso() : r.from.iso() + ".." + r.to.iso();
    };
    for (const model::ServiceLine& line : claim.lines) {
      if (!line.service_dates) continue;
      if (period.from <= line.service_dates->from && line.service_dates->to <= period.to) continue;
      warning("W-FHIR-LINE-DATE", line.origin.pointer,
              "item " + std::to_string(line.seq) + " is dated " + range(*line.service_dates) +
                  ", outside the Claim's billablePeriod " + range(period));
    }
  }

  void error(std::string code, std::string path, std::string message) {
    errors.push_back(core::Diagnostic{core::Severity::kError,
                                      std::move(code),
                                      {file_name_, 0, 0, std::move(path)},
                                      std::move(message)});
  }
  void warning(std::string code, std::string path, std::string message) {
    warnings.push_back(core::Diagnostic{core::Severity::kWarning,
                                        std::move(code),
                                        {file_name_, 0, 0, std::move(path)},
                                        std::move(message)});
  }

  // A member of the expected JSON type, or nullptr. A wrong type is an error when the audit
  // needs the field (`needed`), else a warning and the field is ignored.
  const bj::value* typed(const bj::object& object, std::string_view key, const std::string& pointer,
                         bj::kind kind, bool needed) {
    const bj::value* value = object.if_contains(key);
    if (value == nullptr || value->is_null()) return nullptr;
    const bool ok = value->kind() == kind ||
                    (kind == bj::kind::int64 && (value->is_uint64() || whole(*value))) ||
                    (kind == bj::kind::double_ && (value->is_int64() || value->is_uint64()));
    if (ok) return value;
    std::string expected;
    switch (kind) {
      case bj::kind::object:
        expected = "an object";
        break;
      case bj::kind::array:
        expected = "an array";
        break;
      case bj::kind::string:
        expected = "a string";
        break;
      case bj::kind::int64:
        expected = "an integer";
        break;
      case bj::kind::double_:
        expected = "a number";
        break;
      default:
        expected = "a boolean";
        break;
    }
    const std::string path = pointer_append(pointer, key);
    const std::string message =
        "expected " + expected + ", found " + std::string(type_word(*value));
    if (needed) {
      error("E-FHIR-TYPE", path, message);
    } else {
      warning("W-FHIR-IGNORED", path, message + "; field ignored");
    }
    return nullptr;
  }
  // A JSON number written with a fraction or an exponent whose value is a whole number small
  // enough for any R4 integer (1.0, 2E0).
  static bool whole(const bj::value& value) {
    if (!value.is_double()) return false;
    const double number = value.get_double();
    return number >= -1e9 && number <= 1e9 && std::trunc(number) == number;
  }
  // The R4 integer `value` (at `path`) as int64. R4 JSON writes integers with neither a fraction
  // nor an exponent; a whole number written with one (1.0, as serialisers that type every number
  // as a float do) means that integer: read, and said (W-FHIR-INTEGER). nullopt for anything
  // else (a fraction, another JSON type, an integer beyond int64).
  std::optional<std::int64_t> as_integer(const bj::value& value, const std::string& path) {
    if (value.is_int64()) return value.get_int64();
    if (!whole(value)) return std::nullopt;
    const auto number = static_cast<std::int64_t>(value.get_double());
    warning("W-FHIR-INTEGER", path,
            "an R4 integer is written without a decimal point or exponent; read as " +
                std::to_string(number));
    return number;
  }
  // Quantity.value and Money.value of `object` (at `pointer`): an R4 decimal, a JSON number. A
  // string ("4000.00"), a boolean or an object is not valid R4 JSON: a located W-FHIR-IGNORED,
  // not a line that silently has no units or charge.
  std::optional<std::string> decimal_value(const bj::object& object, const std::string& pointer,
                                           bool money) {
    const bj::value* value = object.if_contains("value");
    if (value == nullptr || value->is_null()) return std::nullopt;
    auto text = money ? detail::money_text(*value) : detail::number_text(*value);
    if (!text) {
      warning("W-FHIR-IGNORED", pointer_append(pointer, "value"),
              "expected a number (an R4 decimal), found " + std::string(type_word(*value)) +
                  "; field ignored");
    }
    return text;
  }
  // An R4 choice element ([x]) takes one of its types. A document sending two (servicedDate
  // and servicedPeriod) is not valid R4; the reader reads `read` and says `other` is ignored.
  void one_choice(const bj::object& object, const std::string& pointer, std::string_view read,
                  std::string_view other) {
    const bj::value* first = object.if_contains(read);
    const bj::value* second = object.if_contains(other);
    if (first == nullptr || second == nullptr || first->is_null() || second->is_null()) return;
    warning("W-FHIR-IGNORED", pointer_append(pointer, other),
            std::string(other) + " is sent beside " + std::string(read) +
                ", but a choice element ([x]) takes one type; " + std::string(read) + " is read, " +
                std::string(other) + " ignored");
  }
  const bj::object* object_member(const bj::object& object, std::string_view key,
                                  const std::string& pointer, bool needed = false) {
    const bj::value* value = typed(object, key, pointer, bj::kind::object, needed);
    return value == nullptr ? nullptr : &value->get_object();
  }
  const bj::array* array_member(const bj::object& object, std::string_view key,
                                const std::string& pointer, bool needed = false) {
    const bj::value* value = typed(object, key, pointer, bj::kind::array, needed);
    return value == nullptr ? nullptr : &value->get_array();
  }
  std::optional<std::string> string_field(const bj::object& object, std::string_view key,
                                          const std::string& pointer, bool needed = false) {
    const bj::value* value = typed(object, key, pointer, bj::kind::string, needed);
    if (value == nullptr) return std::nullopt;
    return std::string(value->get_string());
  }

  // A calendar date. `needed` dates (dates of service) are errors when unreadable.
  // A partial date (year, or year and month) is valid FHIR: a warning, no date, and `partial`
  // set when given.
  std::optional<core::Date> date_field(const bj::object& object, std::string_view key,
                                       const std::string& pointer, bool needed,
                                       bool* partial = nullptr) {
    auto text = string_field(object, key, pointer, needed);
    if (!text) return std::nullopt;
    auto date = date_prefix(*text);
    if (!date) {
      const std::string path = pointer_append(pointer, key);
      if (is_partial_date(*text)) {
        warning("W-FHIR-DATE", path, "partial date (no day); not used as a date");
        if (partial != nullptr) *partial = true;
      } else if (needed) {
        error("E-FHIR-DATE", path, "expected a full date YYYY-MM-DD");
      } else {
        warning("W-FHIR-DATE", path, "not a full date YYYY-MM-DD; ignored");
      }
    }
    return date;
  }

  // The ends of a FHIR Period {start, end} that are full dates. A partial start, an unreadable
  // date or an end before the start is reported and gives neither end (`bad`).
  struct PeriodEnds {
    std::optional<core::Date> start;
    std::optional<core::Date> end;
    bool bad = false;
  };
  PeriodEnds period_ends(const bj::object& period, const std::string& path, bool needed) {
    PeriodEnds out;
    out.start = date_field(period, "start", path, needed);
    out.end = date_field(period, "end", path, needed);
    auto sent = [&](std::string_view key) {
      const bj::value* value = period.if_contains(key);
      return value != nullptr && !value->is_null();
    };
    // A partial or unreadable date (already reported) is no end to read.
    out.bad = (sent("start") && !out.start) || (sent("end") && !out.end);
    if (!out.bad && out.start && out.end && *out.end < *out.start) {
      if (needed) {
        error("E-FHIR-DATE", pointer_append(path, "end"), "period ends before it starts");
      } else {
        warning("W-FHIR-DATE", pointer_append(path, "end"), "period ends before it starts");
      }
      out.bad = true;
    }
    if (out.bad) {
      out.start.reset();
      out.end.reset();
    }
    return out;
  }

  // A FHIR Period read as a date range. Both ends must be known: R4 reads a Period without an
  // end as ongoing (or its end not known) and one without a start as having begun at an unknown
  // time, so a half-open period (or an empty one) is no range, and W-FHIR-PERIOD says what is
  // known and that no range was read. `unread` ends the message: where the dates come from
  // instead.
  std::optional<model::DateRange> period_field(const bj::object& object, std::string_view key,
                                               const std::string& pointer, bool needed,
                                               std::string_view unread = {}) {
    const bj::object* period = object_member(object, key, pointer, needed);
    if (period == nullptr) return std::nullopt;
    const std::string path = pointer_append(pointer, key);
    const PeriodEnds ends = period_ends(*period, path, needed);
    if (ends.bad) return std::nullopt;
    if (ends.start && ends.end) return model::DateRange{*ends.start, *ends.end};
    std::string message;
    if (ends.start) {
      message = std::string(key) + " starts " + ends.start->iso() +
                " and has no end: a FHIR Period without an end is ongoing or its end is not "
                "known, so it is not read as a date range (its end would be invented)";
    } else if (ends.end) {
      message = std::string(key) + " ends " + ends.end->iso() +
                " and has no start: a FHIR Period without a start began at a time not known, so "
                "it is not read as a date range (its start would be invented)";
    } else {
      message = std::string(key) + " has neither start nor end; no date read";
    }
    if (!unread.empty()) message += "; " + std::string(unread);
    warning("W-FHIR-PERIOD", path, std::move(message));
    return std::nullopt;
  }

  // The codings of a CodeableConcept, with their pointers.
  struct Coding {
    std::string system;
    std::string code;
    std::string pointer;  // Of the "code" member.
  };
  std::vector<Coding> codings(const bj::object& object, std::string_view key,
                              const std::string& pointer, bool needed = false) {
    if (object_member(object, key, pointer, needed) == nullptr) return {};
    return codings_of(object.at(key).get_object(), pointer_append(pointer, key), needed);
  }
  // The codings of the CodeableConcept `codeable` at `concept_path`.
  std::vector<Coding> codings_of(const bj::object& codeable, const std::string& concept_path,
                                 bool needed) {
    std::vector<Coding> out;
    const bj::array* list = array_member(codeable, "coding", concept_path, needed);
    if (list == nullptr) return out;
    const std::string list_path = pointer_append(concept_path, "coding");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      const bj::object* coding = (*list)[i].if_object();
      if (coding == nullptr) {
        if (needed) {
          error("E-FHIR-TYPE", path,
                "expected an object, found " + std::string(type_word((*list)[i])));
        }
        continue;
      }
      Coding entry;
      if (auto system = string_field(*coding, "system", path, needed)) entry.system = *system;
      if (auto code = string_field(*coding, "code", path, needed)) entry.code = *code;
      entry.pointer = pointer_append(path, "code");
      out.push_back(std::move(entry));
    }
    return out;
  }
  std::string first_code(const bj::object& object, std::string_view key,
                         const std::string& pointer) {
    for (const Coding& coding : codings(object, key, pointer)) {
      if (!coding.code.empty()) return coding.code;
    }
    return {};
  }

  // Pre-R4 (DSTU2/STU3, FHIR 1.x) shapes: reading them as R4 would half-parse the claim.
  // R4 (Extensibility, modifierExtension): an extension that may change the meaning of the
  // element holding it, which "cannot be safely ignored". The reader knows none, so each one in
  // the Claim (contained resources included) is a located warning: the claim is audited as if
  // it were absent, and a reviewer sees that this may be wrong.
  void check_modifier_extensions(const bj::object& object, const std::string& pointer) {
    for (const auto& member : object) {
      if (!member.value().is_object() && !member.value().is_array()) continue;
      const std::string path = pointer_append(pointer, member.key());
      if (member.key() == "modifierExtension" && member.value().is_array() &&
          !member.value().get_array().empty()) {
        std::string url;
        if (const bj::object* first = member.value().get_array()[0].if_object()) {
          url = std::string(string_member(*first, "url"));
        }
        warning("W-FHIR-MODIFIER-EXTENSION", path,
                "modifierExtension" + (url.empty() ? std::string() : " " + url) +
                    " may change the meaning of this element and is not understood; audited as "
                    "if it were absent");
        continue;
      }
      check_modifier_extensions(member.value(), path);
    }
  }
  void check_modifier_extensions(const bj::value& value, const std::string& pointer) {
    if (const bj::object* object = value.if_object()) {
      check_modifier_extensions(*object, pointer);
    } else if (const bj::array* array = value.if_array()) {
      for (std::size_t i = 0; i < array->size(); ++i) {
        if ((*array)[i].is_object() || (*array)[i].is_array()) {
          check_modifier_extensions((*array)[i], pointer_append(pointer, i));
        }
      }
    }
  }

  void not_r4(std::string path, std::string what) {
    error("E-FHIR-NOT-R4", std::move(path), "not FHIR R4: " + std::move(what));
  }

  void check_r4_shape(const bj::object& resource, const std::string& pointer) {
    if (resource.contains("organization")) {
      not_r4(pointer_append(pointer, "organization"),
             "Claim.organization (R4 names the submitter in Claim.provider)");
    }
    if (resource.contains("coverage")) {
      not_r4(pointer_append(pointer, "coverage"),
             "Claim.coverage (R4 lists coverages in Claim.insurance)");
    }
    if (const bj::value* type = resource.if_contains("type")) {
      if (type->is_object() && type->get_object().contains("code") &&
          !type->get_object().contains("coding")) {
        not_r4(pointer_append(pointer, "type"),
               "Claim.type is a bare Coding (R4: a CodeableConcept with \"coding\")");
      }
    }
    if (const bj::value* use = resource.if_contains("use"); use != nullptr && use->is_string()) {
      const std::string_view word = use->get_string();
      if (word == "complete" || word == "proposed" || word == "exploratory" || word == "other") {
        not_r4(pointer_append(pointer, "use"),
               "Claim.use \"" + std::string(word) +
                   "\" (R4: claim, preauthorization or predetermination)");
      }
    }
    check_r4_entries(resource, pointer);
  }

  // The members of Claim.diagnosis and Claim.item entries that R4 renamed.
  void check_r4_entries(const bj::object& resource, const std::string& pointer) {
    if (const bj::value* list = resource.if_contains("diagnosis"); list && list->is_array()) {
      for (std::size_t i = 0; i < list->get_array().size(); ++i) {
        const bj::object* entry = list->get_array()[i].if_object();
        if (entry != nullptr && entry->contains("diagnosis")) {
          not_r4(
              pointer_append(pointer_append(pointer_append(pointer, "diagnosis"), i), "diagnosis"),
              "Claim.diagnosis.diagnosis (R4: diagnosisCodeableConcept or "
              "diagnosisReference)");
        }
      }
    }
    if (const bj::value* list = resource.if_contains("item"); list && list->is_array()) {
      for (std::size_t i = 0; i < list->get_array().size(); ++i) {
        const bj::object* entry = list->get_array()[i].if_object();
        if (entry != nullptr && entry->contains("service")) {
          not_r4(pointer_append(pointer_append(pointer_append(pointer, "item"), i), "service"),
                 "Claim.item.service (R4: productOrService)");
        }
      }
    }
  }

  void read_identity(const bj::object& resource, const std::string& pointer, model::Claim& claim) {
    read_claim_id(resource, pointer, claim);
    static constexpr std::string_view kRequired[] = {
        "status", "type", "use", "patient", "created", "provider", "priority", "insurance"};
    for (const std::string_view key : kRequired) {
      if (!resource.contains(key)) {
        warning("W-FHIR-MISSING", pointer,
                "Claim." + std::string(key) + " is required in R4 and missing");
      }
    }
    const std::vector<Coding> types = codings(resource, "type", pointer);
    for (const Coding& coding : types) {
      if (auto kind = model::parse_claim_kind(coding.code)) {
        claim.kind = *kind;
        break;
      }
    }
    if (claim.kind == model::ClaimKind::kUnknown && !types.empty()) {
      warning("W-FHIR-UNKNOWN-CODE", pointer_append(pointer, "type"),
              "Claim.type is not professional, institutional, oral, vision or pharmacy");
    }
    read_use(resource, pointer, claim);
    read_type_of_bill(resource, pointer, claim);
    if (billable_period_reversed(resource)) {
      // Reported by settle_reversed_billable_period() once the items are read.
      reversed_billable_ = pointer_append(pointer_append(pointer, "billablePeriod"), "end");
    } else {
      claim.statement_period =
          period_field(resource, "billablePeriod", pointer, true,
                       "dates of service come from the items' servicedDate and servicedPeriod");
    }
    if (const bj::object* total = object_member(resource, "total", pointer)) {
      if (auto text = decimal_value(*total, pointer_append(pointer, "total"), true)) {
        claim.total_charge = *text;
      }
    }
  }

  // identifier[0].value, else id (else claim_id_from_full_url()).
  void read_claim_id(const bj::object& resource, const std::string& pointer, model::Claim& claim) {
    if (const bj::array* identifiers = array_member(resource, "identifier", pointer)) {
      if (!identifiers->empty() && (*identifiers)[0].is_object()) {
        claim.claim_id = string_member((*identifiers)[0].get_object(), "value");
      }
    }
    if (claim.claim_id.empty()) {
      if (auto id = string_field(resource, "id", pointer)) claim.claim_id = *id;
    }
  }

  // A Claim without identifier[0].value and id: the claim id keys the claim in the store (billing
  // NPI + claim id: duplicates, replacements and voids closing earlier findings) and in its
  // findings' fingerprints, so an empty one would make every such Claim of a billing provider
  // the same claim. The fullUrl of its Bundle entry is an identifier its sender gave it, the same
  // on a re-send, and is taken (with a warning); without one the Claim is not audited, since an
  // id made from the file's bytes or the Claim's position would change on a re-send.
  void claim_id_from_full_url(std::string_view full_url, const std::string& full_url_pointer,
                              const std::string& pointer, model::Claim& claim) {
    if (!full_url.empty()) {
      claim.claim_id = std::string(full_url);
      warning("W-FHIR-CLAIM-ID", pointer,
              "Claim has neither identifier[0].value nor id; its Bundle entry's fullUrl (" +
                  full_url_pointer + ") is taken as the claim id");
      return;
    }
    error("E-FHIR-CLAIM-ID", pointer,
          "Claim has neither identifier[0].value, id nor a Bundle entry fullUrl: no claim id to "
          "tell it from other claims (duplicates, replacements, voids); the claim is not "
          "audited");
  }

  void read_use(const bj::object& resource, const std::string& pointer, model::Claim& claim) {
    if (auto use = string_field(resource, "use", pointer)) {
      if (*use == "claim") {
        claim.use = model::ClaimUse::kClaim;
      } else if (*use == "preauthorization") {
        claim.use = model::ClaimUse::kPreauthorization;
      } else if (*use == "predetermination") {
        claim.use = model::ClaimUse::kPredetermination;
      } else {
        warning("W-FHIR-UNKNOWN-CODE", pointer_append(pointer, "use"),
                "Claim.use \"" + *use +
                    "\" is not claim, preauthorization or predetermination; "
                    "read as claim");
      }
    }
  }

  void read_type_of_bill(const bj::object& resource, const std::string& pointer,
                         model::Claim& claim) {
    // Type of bill (institutional): facility type + frequency, e.g. "831".
    // Systems: the NUBC one (https://www.nubc.org/CodeSystem/TypeOfBill, terminology.hl7.org)
    // and the one of the HL7 R4 example (https://www.cms.gov/codes/billtype).
    for (const Coding& coding : codings(resource, "subType", pointer)) {
      if (coding.system.find("billtype") == std::string::npos &&
          coding.system.find("TypeOfBill") == std::string::npos) {
        continue;
      }
      std::string_view code = coding.code;
      if (code.size() == 4 && code.front() == '0') code.remove_prefix(1);
      if (code.size() == 3 &&
          std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        claim.facility_type = std::string(code.substr(0, 2));
        claim.frequency_code = std::string(code.substr(2, 1));
        claim.frequency = model::frequency_from_code(claim.frequency_code);
      }
      break;
    }
  }

  // billablePeriod with two full dates, the end before the start.
  static bool billable_period_reversed(const bj::object& resource) {
    const bj::value* value = resource.if_contains("billablePeriod");
    if (value == nullptr || !value->is_object()) return false;
    const bj::object& period = value->get_object();
    const bj::value* start = period.if_contains("start");
    const bj::value* end = period.if_contains("end");
    if (start == nullptr || end == nullptr || !start->is_string() || !end->is_string()) {
      return false;
    }
    const auto from = date_prefix(start->get_string());
    const auto to = date_prefix(end->get_string());
    return from && to && *to < *from;
  }

  // A billablePeriod that ends before it starts dates nothing. When every item has its own
  // servicedDate or servicedPeriod the claim is dated by them (as professional claims are, line
  // by line, DOMAIN.md 4.1): a warning. Otherwise nothing dates the claim: an error.
  void settle_reversed_billable_period(const model::Claim& claim) {
    if (reversed_billable_.empty()) return;
    const bool items_dated =
        !claim.lines.empty() && std::all_of(claim.lines.begin(), claim.lines.end(),
                                            [](const auto& line) { return line.service_dates; });
    if (items_dated) {
      warning("W-FHIR-DATE", reversed_billable_,
              "period ends before it starts; billablePeriod not read: every item has its own "
              "servicedDate or servicedPeriod, which dates the claim");
    } else {
      error("E-FHIR-DATE", reversed_billable_, "period ends before it starts");
    }
    reversed_billable_.clear();
  }

  // The resource the Reference object `reference` (at `path`, inside `from`) names, when it is
  // one of `types`; `what` names the reference in messages ("Claim.patient"). A target of
  // another type is a warning and not used (reading a Patient's identifier as a payer id would
  // be a wrong value, and PHI). A target is remembered, so that the references inside it are
  // checked as the Claim's are. A dangling reference gives nullopt here; check_references()
  // reports it.
  std::optional<Target> target_of(const bj::object& reference, const std::string& path,
                                  const Target& from, std::initializer_list<std::string_view> types,
                                  std::string_view what) {
    auto target = resolve(string_member(reference, "reference"), scope_, from);
    if (!target) return std::nullopt;
    const std::string_view type = string_member(*target->resource, "resourceType");
    if (!type.empty() && std::find(types.begin(), types.end(), type) == types.end()) {
      std::string expected;
      for (const std::string_view allowed : types) {
        if (!expected.empty()) expected += " or ";
        expected += allowed;
      }
      warning("W-FHIR-REF-TYPE", pointer_append(path, "reference"),
              std::string(what) + " should name a " + expected + ", not a " + std::string(type) +
                  "; not used");
      return std::nullopt;
    }
    if (std::none_of(followed_.begin(), followed_.end(),
                     [&](const Target& seen) { return seen.pointer == target->pointer; })) {
      followed_.push_back(*target);
    }
    return target;
  }

  // The resource that holder.key (a Reference) names; `from` is the resource holding it.
  std::optional<Target> follow(const bj::object& holder, std::string_view key,
                               const std::string& pointer, const Target& from,
                               std::initializer_list<std::string_view> types,
                               std::string_view what) {
    const bj::object* reference = object_member(holder, key, pointer);
    if (reference == nullptr) return std::nullopt;
    return target_of(*reference, pointer_append(pointer, key), from, types, what);
  }

  // The resource type a Reference names: its target's, else Reference.type, else the "Type" of
  // a "Type/id" reference; empty if none says.
  static std::string referenced_type(const bj::object& reference, const Target* target) {
    if (target != nullptr) {
      const std::string_view type = string_member(*target->resource, "resourceType");
      if (!type.empty()) return std::string(type);
    }
    if (const std::string_view type = string_member(reference, "type"); !type.empty()) {
      return std::string(type);
    }
    std::string_view text = string_member(reference, "reference");
    if (const std::size_t history = text.find("/_history/"); history != std::string_view::npos) {
      text = text.substr(0, history);
    }
    const std::size_t last = text.rfind('/');
    if (last == std::string_view::npos || last == 0) return {};
    const std::size_t before = text.rfind('/', last - 1);
    return std::string(text.substr(before == std::string_view::npos ? 0 : before + 1,
                                   last - (before == std::string_view::npos ? 0 : before + 1)));
  }

  // Whether Identifier.type has a v2-0203 identifier type code `code` ("NPI", "TAX").
  static bool identifier_type_is(const bj::object& identifier, std::string_view code) {
    const bj::value* type = identifier.if_contains("type");
    const bj::value* list =
        type != nullptr && type->is_object() ? type->get_object().if_contains("coding") : nullptr;
    if (list == nullptr || !list->is_array()) return false;
    return std::any_of(
        list->get_array().begin(), list->get_array().end(), [&](const bj::value& coding) {
          if (!coding.is_object()) return false;
          const std::string_view system = string_member(coding.get_object(), "system");
          return string_member(coding.get_object(), "code") == code &&
                 (system.empty() || system == "http://terminology.hl7.org/CodeSystem/v2-0203");
        });
  }

  // NPI and tax id from an Organization/Practitioner, or from a logical reference's identifier:
  // by system (the NPI's URI or OID, the EIN's OID), or, for an identifier without a system, by
  // its v2-0203 type (NPI, TAX), which R4 gives the same meaning.
  void read_provider_ids(const bj::object& object, const std::string& pointer,
                         model::Provider& provider) {
    auto take = [&](const bj::object& identifier, const std::string& path) {
      const std::string_view system = string_member(identifier, "system");
      const std::string_view value = string_member(identifier, "value");
      if (value.empty()) return;
      const bool npi = system == kNpiSystem || system == kNpiOid ||
                       (system.empty() && identifier_type_is(identifier, "NPI"));
      const bool tax_id =
          system == kTaxIdSystem || (system.empty() && identifier_type_is(identifier, "TAX"));
      if (npi && provider.npi.empty()) {
        provider.npi = value;
        provider.origin.pointer = pointer_append(path, "value");
      } else if (tax_id && provider.tax_id.empty()) {
        provider.tax_id = value;
      }
    };
    if (const bj::value* identifier = object.if_contains("identifier")) {
      const std::string path = pointer_append(pointer, "identifier");
      if (identifier->is_object()) take(identifier->get_object(), path);
      if (identifier->is_array()) {
        for (std::size_t i = 0; i < identifier->get_array().size(); ++i) {
          if (const bj::object* entry = identifier->get_array()[i].if_object()) {
            take(*entry, pointer_append(path, i));
          }
        }
      }
    }
  }

  void read_parties(const bj::object& resource, const std::string& pointer, model::Claim& claim) {
    read_billing_provider(resource, pointer, claim);
    // Patient demographics (PHI: only into core::Phi fields, never into a message).
    if (auto patient = follow(resource, "patient", pointer, self_, {"Patient"}, "Claim.patient")) {
      read_patient(*patient->resource, patient->pointer, claim.patient);
    }
    read_payer(resource, pointer, claim);
  }

  void read_billing_provider(const bj::object& resource, const std::string& pointer,
                             model::Claim& claim) {
    if (const bj::object* reference = object_member(resource, "provider", pointer)) {
      const std::string path = pointer_append(pointer, "provider");
      claim.billing_provider.origin.pointer = path;
      read_provider_ids(*reference, path, claim.billing_provider);
      if (auto target =
              target_of(*reference, path, self_,
                        {"Practitioner", "PractitionerRole", "Organization"}, "Claim.provider")) {
        read_provider_ids(*target->resource, target->pointer, claim.billing_provider);
        if (string_member(*target->resource, "resourceType") == "PractitionerRole") {
          // A PractitionerRole is a practitioner at an organization; the NPI and tax id are
          // theirs (US Core PractitionerRole carries none of its own). The organization bills
          // (X12 2010AA is the group; the practitioner renders, 2310B), so its ids come first.
          const Target& role = *target;
          if (auto organization = follow(*role.resource, "organization", role.pointer, role,
                                         {"Organization"}, "PractitionerRole.organization")) {
            read_provider_ids(*organization->resource, organization->pointer,
                              claim.billing_provider);
          }
          if (auto practitioner = follow(*role.resource, "practitioner", role.pointer, role,
                                         {"Practitioner"}, "PractitionerRole.practitioner")) {
            read_provider_ids(*practitioner->resource, practitioner->pointer,
                              claim.billing_provider);
          }
        }
      }
    }
  }

  // The Patient `p` at `path` (PHI: only into core::Phi fields, never into a message).
  void read_patient(const bj::object& p, const std::string& path, model::Patient& patient) {
    patient.origin.pointer = path;
    if (const bj::value* birth = p.if_contains("birthDate"); birth && birth->is_string()) {
      if (auto date = core::parse_iso_date(birth->get_string())) {
        patient.birth_date = core::Phi<std::optional<core::Date>>(*date);
      } else {
        warning("W-FHIR-DATE", pointer_append(path, "birthDate"),
                "birthDate is not a full date YYYY-MM-DD; age edits cannot use it");
      }
    }
    const std::string_view gender = string_member(p, "gender");
    if (gender == "male") patient.sex = core::Phi<char>('M');
    if (gender == "female") patient.sex = core::Phi<char>('F');
    if (gender == "other" || gender == "unknown") patient.sex = core::Phi<char>('U');
    if (const bj::value* names = p.if_contains("name"); names && names->is_array()) {
      if (!names->get_array().empty() && names->get_array()[0].is_object()) {
        const bj::object& name = names->get_array()[0].get_object();
        patient.last_name = core::Phi<std::string>(std::string(string_member(name, "family")));
        if (const bj::value* given = name.if_contains("given"); given && given->is_array() &&
                                                                !given->get_array().empty() &&
                                                                given->get_array()[0].is_string()) {
          patient.first_name =
              core::Phi<std::string>(std::string(given->get_array()[0].get_string()));
        }
      }
    }
    if (const bj::value* ids = p.if_contains("identifier"); ids && ids->is_array()) {
      if (!ids->get_array().empty() && ids->get_array()[0].is_object()) {
        patient.member_id = core::Phi<std::string>(
            std::string(string_member(ids->get_array()[0].get_object(), "value")));
      }
    }
  }

  void payer_from_organization(const bj::object& organization, const std::string& pointer,
                               model::Payer& payer) {
    if (const bj::value* ids = organization.if_contains("identifier"); ids && ids->is_array()) {
      for (const bj::value& id : ids->get_array()) {
        if (id.is_object() && !string_member(id.get_object(), "value").empty()) {
          payer.id = string_member(id.get_object(), "value");
          break;
        }
      }
    }
    if (payer.name.empty()) payer.name = string_member(organization, "name");
    payer.origin.pointer = pointer;
  }

  // The payer named by a Reference(Organization | Patient | RelatedPerson) at `path` (R4
  // Coverage.payor; Claim.insurer is an Organization). A Patient or RelatedPerson is a self-pay
  // payer: their display and identifier are a person's name and number (PHI), so nothing of
  // them is read.
  void payer_from_reference(const bj::object& reference, const std::string& path,
                            const Target& from, std::string_view what, model::Payer& payer) {
    auto organization =
        target_of(reference, path, from, {"Organization", "Patient", "RelatedPerson"}, what);
    const std::string type = referenced_type(reference, organization ? &*organization : nullptr);
    payer.origin.pointer = path;
    if (type == "Patient" || type == "RelatedPerson") return;
    payer.name = string_member(reference, "display");
    if (const bj::value* id = reference.if_contains("identifier"); id && id->is_object()) {
      payer.id = string_member(id->get_object(), "value");
    }
    if (organization) {
      payer_from_organization(*organization->resource, organization->pointer, payer);
    }
  }

  // Coverage.type -> payer kind (R4: an example binding, so any of these systems is valid):
  // the X12 claim filing indicator (SBR09); the Source of Payment Typology (US Core
  // Coverage.type, https://nahdo.org/sopt); v3 ActCode coverage types. A coding without a system
  // is read_bare_coverage_type()'s.
  static void payer_kind_from_coverage_type(std::string_view system, std::string_view code,
                                            model::Payer& payer) {
    if (code.empty() || system.empty()) return;
    if (system.find("x12.org/005010/1032") != std::string_view::npos) {
      payer.filing_indicator = code;
      payer.kind = model::payer_kind_from_filing_indicator(code);
      return;
    }
    if (is_sopt_system(system)) {
      payer.kind = payer_kind_from_sopt(code);
      return;
    }
    if (system == "http://terminology.hl7.org/CodeSystem/v3-ActCode" ||
        system == "urn:oid:2.16.840.1.113883.5.4" || system == "http://hl7.org/fhir/v3/ActCode") {
      payer.kind = payer_kind_from_act_code(code);
    }
  }
  // The Source of Payment Typology (PHDSC/NAHDO): US Core's https://nahdo.org/sopt, its OID,
  // and the same URI with http, "www." or a trailing slash.
  static bool is_sopt_system(std::string_view system) {
    if (system == "urn:oid:2.16.840.1.113883.3.221.5") return true;
    for (std::string_view scheme : {"https://", "http://"}) {
      if (system.substr(0, scheme.size()) == scheme) system.remove_prefix(scheme.size());
    }
    if (system.substr(0, 4) == "www.") system.remove_prefix(4);
    if (!system.empty() && system.back() == '/') system.remove_suffix(1);
    return system == "nahdo.org/sopt";
  }
  // SOPT is hierarchical: the first digits are the category. 1 Medicare, 2 Medicaid, 311
  // TRICARE, 32 Veterans Affairs, 5 private insurance, 6 Blue Cross/Blue Shield, 7 managed care,
  // 95 workers' compensation, 96 auto insurance (incl. no-fault), 97 legal liability; 99 "no
  // typology code available" and 9999 "unavailable / no payer specified" say nothing; every
  // other code is a payer of another kind (other government, corrections, self-pay ...).
  static model::PayerKind payer_kind_from_sopt(std::string_view code) {
    auto starts = [&](std::string_view prefix) { return code.substr(0, prefix.size()) == prefix; };
    if (starts("1")) return model::PayerKind::kMedicare;
    if (starts("2")) return model::PayerKind::kMedicaid;
    if (starts("311")) return model::PayerKind::kTricare;
    if (starts("32")) return model::PayerKind::kVa;
    if (starts("5") || starts("6") || starts("7")) return model::PayerKind::kCommercial;
    if (starts("95")) return model::PayerKind::kWorkersComp;
    if (starts("96")) return model::PayerKind::kAuto;
    if (starts("97")) return model::PayerKind::kLiability;
    if (code == "99" || code == "9999") return model::PayerKind::kUnknown;
    return model::PayerKind::kOther;
  }
  // v3 ActCode coverage types (ActCoverageTypeCode). Managed care (MCPOL and its HMO, POS, PPO)
  // is commercial, as SBR09 HM, 13 and 12 are; disability insurance (DIS) as SBR09 DS. The
  // public programs and the other program types (charity, crime victim, government employee,
  // indigenous peoples, retiree ...) are payers of another kind. A health insurance type that
  // does not say who pays (EHCPOL, HIP, DENTAL, DRUGPOL, VISPOL ...) or a non-health line (LIFE,
  // PNC ...) says nothing: unknown.
  static model::PayerKind payer_kind_from_act_code(std::string_view code) {
    struct Row {
      std::string_view code;
      model::PayerKind kind;
    };
    using K = model::PayerKind;
    static constexpr Row kRows[] = {{"WCBPOL", K::kWorkersComp},
                                    {"AUTOPOL", K::kAuto},
                                    {"COL", K::kAuto},
                                    {"UNINSMOT", K::kAuto},
                                    {"UMBRL", K::kLiability},
                                    {"MILITARY", K::kTricare},
                                    {"VET", K::kVa},
                                    {"MCPOL", K::kCommercial},
                                    {"HMO", K::kCommercial},
                                    {"POS", K::kCommercial},
                                    {"PPO", K::kCommercial},
                                    {"DIS", K::kCommercial},
                                    {"PUBLICPOL", K::kOther},
                                    {"DENTPRG", K::kOther},
                                    {"DISEASEPRG", K::kOther},
                                    {"CANPRG", K::kOther},
                                    {"ENDRENAL", K::kOther},
                                    {"HIVAIDS", K::kOther},
                                    {"MANDPOL", K::kOther},
                                    {"MENTPRG", K::kOther},
                                    {"SAFNET", K::kOther},
                                    {"SUBPRG", K::kOther},
                                    {"SUBSIDIZ", K::kOther},
                                    {"SUBSIDMC", K::kOther},
                                    {"SUBSIDSUP", K::kOther},
                                    {"CHAR", K::kOther},
                                    {"CRIME", K::kOther},
                                    {"EAP", K::kOther},
                                    {"GOVEMP", K::kOther},
                                    {"HIRISK", K::kOther},
                                    {"IND", K::kOther},
                                    {"RETIRE", K::kOther},
                                    {"SOCIAL", K::kOther}};
    for (const Row& row : kRows) {
      if (row.code == code) return row.kind;
    }
    return K::kUnknown;
  }
  // A Coverage.type coding without a system, when no coding with one gave the payer kind. R4
  // (Coding.system) gives such a code no defined meaning, but the payer kind decides which rules
  // run: the SBR09 letter codes and the v3 ActCode coverage types (MCPOL, WCBPOL ...) share no
  // code, and no other coverage typology spells them, so a code of either is read as that
  // system's, and said (W-FHIR-CODE-SYSTEM, at the coding). Any other code (the two-digit SBR09
  // codes 11-17 are SOPT codes too) is not read: payer kind unknown, and said.
  void read_bare_coverage_type(const Coding& coding, model::Payer& payer) {
    const std::string& code = coding.code;
    const std::string path = coding.pointer.substr(0, coding.pointer.rfind('/'));
    std::string shown;
    for (char c : std::string_view(code).substr(0, 20)) shown += (c > 0x20 && c < 0x7f) ? c : '?';
    const std::string head = "Coverage.type code '" + shown +
                             "' has no system (R4: a code without a system has no defined meaning)";
    if (is_filing_indicator_letters(code)) {
      payer.filing_indicator = code;
      payer.kind = model::payer_kind_from_filing_indicator(code);
    } else {
      payer.kind = payer_kind_from_act_code(code);
      if (payer.kind == model::PayerKind::kUnknown && !is_act_coverage_type(code)) {
        warning("W-FHIR-CODE-SYSTEM", path,
                head +
                    " and is neither an X12 claim filing indicator letter code (SBR09) nor a v3 "
                    "ActCode coverage type; not read, payer kind unknown");
        return;
      }
    }
    warning("W-FHIR-CODE-SYSTEM", path,
            head + "; it is " +
                (is_filing_indicator_letters(code)
                     ? std::string("an X12 claim filing indicator code (SBR09)")
                     : std::string("a v3 ActCode coverage type")) +
                ", read as one: payer kind " + std::string(model::to_string(payer.kind)));
  }
  // The v3 ActCode coverage types payer_kind_from_act_code() reads as kUnknown: health and
  // other insurance lines that do not say who pays.
  static bool is_act_coverage_type(std::string_view code) {
    static constexpr std::string_view kCodes[] = {
        "EHCPOL",  "HSAPOL", "HIP",    "DENTAL", "DISEASE", "DRUGPOL", "LTC",
        "MENTPOL", "SUBPOL", "VISPOL", "EWB",    "FLEXP",   "LIFE",    "ANNU",
        "TLIFE",   "ULIFE",  "PNC",    "REI",    "SURPL"};
    return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
  }
  // The letter codes of SBR09 (the two-digit ones, 11-17, collide with other typologies).
  static bool is_filing_indicator_letters(std::string_view code) {
    static constexpr std::string_view kCodes[] = {"AM", "BL", "CH", "CI", "DS", "FI", "HM", "LM",
                                                  "MA", "MB", "MC", "OF", "TV", "VA", "WC", "ZZ"};
    return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
  }

  // Payer: the focal insurance's Coverage.payor (an Organization, or a logical reference),
  // else Claim.insurer.
  void read_payer(const bj::object& resource, const std::string& pointer, model::Claim& claim) {
    model::Payer& payer = claim.payer;
    std::string chosen_path;
    if (const bj::object* chosen = focal_insurance(resource, pointer, chosen_path)) {
      if (auto coverage = follow(*chosen, "coverage", chosen_path, self_, {"Coverage"},
                                 "Claim.insurance.coverage")) {
        read_coverage(*coverage, claim);
      }
    }
    if (payer.id.empty() && payer.name.empty()) {
      if (const bj::object* insurer = object_member(resource, "insurer", pointer)) {
        const std::string path = pointer_append(pointer, "insurer");
        payer_from_reference(*insurer, path, self_, "Claim.insurer", payer);
      }
    }
  }

  // The insurance entry marked focal, else the first one (its pointer in `path`); nullptr when
  // there is none.
  const bj::object* focal_insurance(const bj::object& resource, const std::string& pointer,
                                    std::string& path) {
    const bj::array* insurance = array_member(resource, "insurance", pointer);
    if (insurance == nullptr) return nullptr;
    const bj::object* chosen = nullptr;
    for (std::size_t i = 0; i < insurance->size(); ++i) {
      const bj::object* entry = (*insurance)[i].if_object();
      if (entry == nullptr) continue;
      const bj::value* focal = entry->if_contains("focal");
      const bool is_focal = focal != nullptr && focal->is_bool() && focal->get_bool();
      if (chosen == nullptr || is_focal) {
        chosen = entry;
        path = pointer_append(pointer_append(pointer, "insurance"), i);
        if (is_focal) break;
      }
    }
    return chosen;
  }

  // Coverage: the member id (subscriberId), the payer kind (type) and the payer (payor[0]).
  void read_coverage(const Target& coverage, model::Claim& claim) {
    model::Payer& payer = claim.payer;
    const bj::object& c = *coverage.resource;
    if (const bj::value* subscriber = c.if_contains("subscriberId");
        subscriber && subscriber->is_string()) {
      claim.patient.member_id = core::Phi<std::string>(std::string(subscriber->get_string()));
    }
    const std::vector<Coding> types = codings(c, "type", coverage.pointer);
    for (const Coding& coding : types) {
      payer_kind_from_coverage_type(coding.system, coding.code, payer);
      if (payer.kind != model::PayerKind::kUnknown) break;
    }
    if (payer.kind == model::PayerKind::kUnknown) {
      // The first coding without a system that is a known code, else the first one.
      const Coding* bare = nullptr;
      for (const Coding& coding : types) {
        if (!coding.system.empty() || coding.code.empty()) continue;
        if (bare == nullptr) bare = &coding;
        if (is_filing_indicator_letters(coding.code) || is_act_coverage_type(coding.code) ||
            payer_kind_from_act_code(coding.code) != model::PayerKind::kUnknown) {
          bare = &coding;
          break;
        }
      }
      if (bare != nullptr) read_bare_coverage_type(*bare, payer);
    }
    const bj::array* payors = array_member(c, "payor", coverage.pointer);
    if (payors == nullptr || payors->empty()) return;
    const std::string payor_path = pointer_append(pointer_append(coverage.pointer, "payor"), 0);
    if (const bj::object* payor = (*payors)[0].if_object()) {
      payer_from_reference(*payor, payor_path, coverage, "Coverage.payor", payer);
    } else {
      warning("W-FHIR-IGNORED", payor_path,
              "expected a Reference object, found " + std::string(type_word((*payors)[0])) +
                  "; field ignored");
    }
  }

  // Picks the coding an auditor reads: ICD-10-CM, then WHO ICD-10 (accepted as ICD-10-CM, the
  // URI kept in the qualifier so a rule can flag it), then ICD-9-CM, then the first coding.
  static const Coding* chosen_coding(const std::vector<Coding>& list) {
    for (const std::string_view system : {kIcd10CmSystem, kIcd10WhoSystem, kIcd9CmSystem}) {
      if (const Coding* coding = coding_in_system(list, system)) return coding;
    }
    // Else a coding without a system that is spelled like an ICD-10-CM code (a SNOMED CT or
    // local coding listed before it is not the one to bill), else the first with a code.
    for (const bool strict : {true, false}) {
      if (const Coding* coding = icd10_coding_without_system(list, strict)) return coding;
    }
    for (const Coding& coding : list) {
      if (!coding.code.empty()) return &coding;
    }
    return nullptr;
  }
  // The first coding with a code in the ICD system `system` (by its canonical URI).
  static const Coding* coding_in_system(const std::vector<Coding>& list, std::string_view system) {
    for (const Coding& coding : list) {
      if (icd_system(coding.system).canonical == system && !coding.code.empty()) return &coding;
    }
    return nullptr;
  }
  // The first coding without a system whose code normalises as an ICD-10 code (`strict`: and
  // has the shape of an ICD-10-CM one).
  static const Coding* icd10_coding_without_system(const std::vector<Coding>& list, bool strict) {
    for (const Coding& coding : list) {
      if (!coding.system.empty()) continue;
      const auto normalized = core::normalize_icd10(coding.code);
      if (normalized && (!strict || icd10cm_shaped(*normalized))) return &coding;
    }
    return nullptr;
  }

  // The diagnosis of the chosen coding of the CodeableConcept at `concept_path`.
  std::optional<model::Diagnosis> diagnosis_from(const std::vector<Coding>& list,
                                                 const std::string& concept_path) {
    const Coding* chosen = chosen_coding(list);
    if (chosen == nullptr) {
      warning("W-FHIR-CODE", concept_path, "no coding with a code; diagnosis skipped");
      return std::nullopt;
    }
    model::Diagnosis diagnosis;
    diagnosis.raw = chosen->code;
    diagnosis.qualifier = chosen->system;
    diagnosis.origin.pointer = chosen->pointer;
    const IcdSystem icd = icd_system(chosen->system);
    if (icd.canonical == kIcd10CmSystem || icd.canonical == kIcd10WhoSystem) {
      diagnosis.code_system = model::CodeSystem::kIcd10Cm;
    } else if (icd.canonical == kIcd9CmSystem) {
      diagnosis.code_system = model::CodeSystem::kIcd9Cm;
    }
    if (!icd.canonical.empty() && !icd.exact) {
      const std::string& code_path = chosen->pointer;
      warning("W-FHIR-CODE-SYSTEM", code_path.substr(0, code_path.rfind('/')) + "/system",
              "coding system '" + shown_system(chosen->system) + "' is not the FHIR URI " +
                  std::string(icd.canonical) +
                  " (code system URIs are compared exactly; receivers may reject it); read as " +
                  (icd.canonical == kIcd9CmSystem ? "ICD-9-CM" : "ICD-10-CM"));
    }
    if (diagnosis.code_system == model::CodeSystem::kUnknown && !chosen->system.empty()) {
      // SNOMED CT or a local system: no ICD code to audit.
      warning("W-FHIR-CODE", chosen->pointer,
              "diagnosis has no ICD-10-CM coding, only one in " + chosen->system +
                  "; kept as sent, not audited as ICD-10-CM");
      return diagnosis;
    }
    if (chosen->system.empty()) {
      // A coding without a system means nothing by the letter of FHIR, but US claims code
      // diagnoses in ICD-10-CM: one spelled like an ICD-10-CM code (a letter, a digit, then
      // letters and digits: M62.830, C7A.1, U07.1) is audited as one, and the rule
      // dx.code_system_uri notes the missing system. Anything else (the HL7 examples'
      // placeholders 654.321 and 123456, an ICD-9-CM-shaped 722.10) is kept as sent with code
      // system unknown, which the ICD-10-CM rules do not evaluate.
      const auto normalized = core::normalize_icd10(chosen->code);
      if (normalized && icd10cm_shaped(*normalized)) {
        diagnosis.code_system = model::CodeSystem::kIcd10Cm;
      } else {
        if (normalized) diagnosis.code = *normalized;
        warning("W-FHIR-CODE", chosen->pointer,
                "\"" + chosen->code +
                    "\" has no coding system and is not spelled like an ICD-10-CM code; kept as "
                    "sent, not audited as ICD-10-CM");
        return diagnosis;
      }
    }
    read_icd_code(*chosen, diagnosis);
    return diagnosis;
  }

  // The ICD code of `chosen`, normalised into diagnosis.code.
  void read_icd_code(const Coding& chosen, model::Diagnosis& diagnosis) {
    std::string spelled = chosen.code;
    // ICD-9-CM E codes put the dot after the fourth character (E880.9).
    if (diagnosis.code_system == model::CodeSystem::kIcd9Cm && spelled.size() == 6 &&
        (spelled[0] == 'E' || spelled[0] == 'e') && spelled[4] == '.') {
      spelled.erase(4, 1);
    }
    if (auto code = core::normalize_icd10(spelled)) {
      diagnosis.code = std::move(*code);
    } else {
      warning("W-FHIR-CODE", chosen.pointer,
              "\"" + chosen.code +
                  "\" is not spelled like an ICD-10-CM code; kept as sent for the audit");
    }
  }

  // diagnosis.type: a list of CodeableConcepts, each with any number of codings. R4's codes
  // (ex-diagnosistype) "principal" and "admitting", and the US claim types of the same binding
  // (CARIN C4BBClaimDiagnosisType: "externalcauseofinjury", "patientreasonforvisit"; the 837I
  // meaning of "other"/"secondary" is the default). Principal outranks the others when a
  // diagnosis has several; "discharge", "clinical"... name no claim role.
  std::optional<model::DiagnosisRole> role_of(const bj::object& entry, const std::string& path) {
    std::optional<model::DiagnosisRole> role;
    const bj::array* list = array_member(entry, "type", path);
    if (list == nullptr) return role;
    const std::string list_path = pointer_append(path, "type");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const bj::object* codeable = (*list)[i].if_object();
      if (codeable == nullptr) continue;
      for (const Coding& coding : codings_of(*codeable, pointer_append(list_path, i), false)) {
        if (coding.code == "principal") return model::DiagnosisRole::kPrincipal;
        if (role) continue;
        if (coding.code == "admitting") {
          role = model::DiagnosisRole::kAdmitting;
        } else if (coding.code == "externalcauseofinjury" || coding.code == "externalcause") {
          role = model::DiagnosisRole::kExternalCause;
        } else if (coding.code == "patientreasonforvisit") {
          role = model::DiagnosisRole::kReasonForVisit;
        }
      }
    }
    return role;
  }

  // A Claim.diagnosis entry read, before the list is put in sequence order.
  struct ReadDiagnosis {
    model::Diagnosis diagnosis;
    bool role_given = false;
    std::string path;
  };

  void read_diagnoses(const bj::object& resource, const std::string& pointer, model::Claim& claim) {
    const bj::array* list = array_member(resource, "diagnosis", pointer, true);
    if (list == nullptr) return;
    const std::string list_path = pointer_append(pointer, "diagnosis");
    std::vector<ReadDiagnosis> read;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      const bj::object* entry = (*list)[i].if_object();
      if (entry == nullptr) {
        error("E-FHIR-TYPE", path,
              "expected an object, found " + std::string(type_word((*list)[i])));
        continue;
      }
      std::optional<model::Diagnosis> diagnosis = entry_diagnosis(*entry, path);
      if (!diagnosis) {
        // A whole decimal (2.0) is that sequence here too, as as_integer() reads it.
        if (const bj::value* sequence = entry->if_contains("sequence");
            sequence != nullptr && (sequence->is_int64() || whole(*sequence))) {
          skipped_sequences_.push_back(sequence->is_int64()
                                           ? sequence->get_int64()
                                           : static_cast<std::int64_t>(sequence->get_double()));
        }
        continue;
      }
      read_sequence(*entry, path, i, *diagnosis);
      const std::optional<model::DiagnosisRole> role = role_of(*entry, path);
      const bool role_given = role.has_value();
      if (role) diagnosis->role = *role;
      read_present_on_admission(*entry, path, *diagnosis);
      read.push_back(ReadDiagnosis{std::move(*diagnosis), role_given, path});
    }
    // diagnosis.sequence is the order (R4: "to maintain the order of the diagnosis"), whatever
    // the array order: sequence 1 is the first-listed diagnosis.
    std::stable_sort(read.begin(), read.end(), [](const ReadDiagnosis& a, const ReadDiagnosis& b) {
      return a.diagnosis.seq < b.diagnosis.seq;
    });
    for (std::size_t i = 0; i < read.size(); ++i) {
      if (i > 0 && read[i].diagnosis.seq == read[i - 1].diagnosis.seq) {
        warning("W-FHIR-DX-SEQUENCE", pointer_append(read[i].path, "sequence"),
                "diagnosis.sequence " + std::to_string(read[i].diagnosis.seq) +
                    " is used twice; item.diagnosisSequence pointers to it are ambiguous");
      }
      role_given_.push_back(read[i].role_given);
      claim.diagnoses.push_back(std::move(read[i].diagnosis));
    }
    diagnosis_count_ = claim.diagnoses.size();
    // R4 ex-diagnosistype "principal" is the single most relevant diagnosis: a second one is read
    // as an other diagnosis (the X12 reader does the same with a second ABK).
    assert(claim.diagnoses.size() == read.size());
    for (const std::size_t i : detail::keep_one_principal(claim.diagnoses)) {
      const auto first = std::find_if(
          claim.diagnoses.begin(), claim.diagnoses.end(),
          [](const model::Diagnosis& d) { return d.role == model::DiagnosisRole::kPrincipal; });
      warning("W-FHIR-PRINCIPAL", pointer_append(read[i].path, "type"),
              "diagnosis.sequence " + std::to_string(claim.diagnoses[i].seq) +
                  " is typed principal after sequence " + std::to_string(first->seq) +
                  ": a claim has one principal diagnosis; read as an other diagnosis");
    }
    // Without a principal type, the lowest sequence is the principal one, as when a FHIR claim
    // is mapped to an 837.
    detail::infer_roles(claim.diagnoses, role_given_);
  }

  // The diagnosis of a Claim.diagnosis entry: from its diagnosisCodeableConcept, or from the
  // Condition its diagnosisReference names; nullopt (with a warning) when it has neither.
  std::optional<model::Diagnosis> entry_diagnosis(const bj::object& entry,
                                                  const std::string& path) {
    one_choice(entry, path, "diagnosisCodeableConcept", "diagnosisReference");
    if (entry.contains("diagnosisCodeableConcept")) {
      return diagnosis_from(codings(entry, "diagnosisCodeableConcept", path, true),
                            pointer_append(path, "diagnosisCodeableConcept"));
    }
    if (const bj::object* reference = object_member(entry, "diagnosisReference", path, true)) {
      const std::string reference_path = pointer_append(path, "diagnosisReference");
      if (auto condition = target_of(*reference, reference_path, self_, {"Condition"},
                                     "diagnosis.diagnosisReference")) {
        return diagnosis_from(codings(*condition->resource, "code", condition->pointer),
                              pointer_append(condition->pointer, "code"));
      }
      if (!resolve(string_member(*reference, "reference"), scope_, self_)) {
        warning("W-FHIR-CODE", reference_path,
                "diagnosisReference does not resolve to a Condition in this document; "
                "diagnosis skipped");
      }
      return std::nullopt;
    }
    warning("W-FHIR-CODE", path,
            "diagnosis has neither diagnosisCodeableConcept nor diagnosisReference; skipped");
    return std::nullopt;
  }

  // diagnosis.sequence of the entry at position `index` (its position + 1 when it has none).
  void read_sequence(const bj::object& entry, const std::string& path, std::size_t index,
                     model::Diagnosis& diagnosis) {
    if (const bj::value* sequence = typed(entry, "sequence", path, bj::kind::int64, true)) {
      const std::int64_t value =
          as_integer(*sequence, pointer_append(path, "sequence")).value_or(0);
      if (value >= 1 && value <= 100000) {
        diagnosis.seq = static_cast<int>(value);
      } else {
        error("E-FHIR-TYPE", pointer_append(path, "sequence"),
              "expected a positive integer sequence");
      }
    } else if (!entry.contains("sequence")) {
      warning(
          "W-FHIR-MISSING", path,
          "diagnosis.sequence is required in R4; position " + std::to_string(index + 1) + " used");
      diagnosis.seq = static_cast<int>(index + 1);
    }
  }

  // diagnosis.onAdmission: y, n, u, w or 1 (any case) is the POA indicator.
  void read_present_on_admission(const bj::object& entry, const std::string& path,
                                 model::Diagnosis& diagnosis) {
    const std::string poa = first_code(entry, "onAdmission", path);
    if (poa.size() == 1 && std::string_view("yYnNuUwW1").find(poa[0]) != std::string::npos) {
      diagnosis.poa =
          poa[0] >= 'a' && poa[0] <= 'z' ? static_cast<char>(poa[0] - 'a' + 'A') : poa[0];
    } else if (!poa.empty()) {
      warning("W-FHIR-UNKNOWN-CODE", pointer_append(path, "onAdmission"),
              "onAdmission \"" + poa + "\" is not y, n, u, w or 1; ignored");
    }
  }

  void read_supporting_info(const bj::object& resource, const std::string& pointer,
                            model::Claim& claim) {
    const bj::array* list = array_member(resource, "supportingInfo", pointer);
    if (list == nullptr) return;
    const std::string list_path = pointer_append(pointer, "supportingInfo");
    // Diagnoses from supportingInfo get sequences above every diagnosis.sequence and every
    // item.diagnosisSequence, so that no pointer (a dangling one included) names them.
    int next_seq = 0;
    for (const auto& diagnosis : claim.diagnoses) next_seq = std::max(next_seq, diagnosis.seq);
    for (const auto& line : claim.lines) {
      for (const int sequence : line.dx_pointers) next_seq = std::max(next_seq, sequence);
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      if (const bj::object* entry = (*list)[i].if_object()) {
        read_supporting_entry(*entry, path, next_seq, claim);
      }
    }
  }

  // One supportingInfo entry, by its category.
  void read_supporting_entry(const bj::object& entry, const std::string& path, int& next_seq,
                             model::Claim& claim) {
    const std::string category = category_of(entry, path);
    if (category == "onset") {
      // 837P DTP*431.
      if (auto date = timing_start(entry, path)) claim.onset_date = date;
    } else if (category == "hospitalized" || category == "admissionperiod") {
      // The period of the hospitalization (CMS-1500 box 18, 837P/837I DTP*435; CARIN BB's
      // admissionperiod): its start is the admission date. A valueBoolean alone says yes or no
      // and gives no date.
      if (auto date = timing_start(entry, path); date && !claim.admission_date) {
        claim.admission_date = date;
      }
    } else if (category == "admtype") {
      // CARIN BB admtype: UB-04 FL 14 priority (type) of admission, 837I CL101.
      if (std::string code = first_code(entry, "code", path);
          !code.empty() && claim.admission_type.empty()) {
        claim.admission_type = std::move(code);
      }
    } else if (category == "info") {
      read_info_note(entry, path, claim);
    } else if (category == "occurrence" || category == "occurrencecode") {
      read_occurrence_info(entry, path, claim);
    } else if (category == "occurrencespan" || category == "occurrencespancode") {
      read_occurrence_span_info(entry, path, claim);
    } else if (category == "value" || category == "valuecode") {
      read_value_info(entry, path, claim);
    } else if (category == "externalcause" || category == "patientreasonforvisit") {
      auto diagnosis = diagnosis_from(codings(entry, "code", path), pointer_append(path, "code"));
      if (!diagnosis) return;
      diagnosis->seq = ++next_seq;
      diagnosis->role = category == "externalcause" ? model::DiagnosisRole::kExternalCause
                                                    : model::DiagnosisRole::kReasonForVisit;
      claim.diagnoses.push_back(std::move(*diagnosis));
    }
  }

  // A free-text note (NTE): the entry's valueString. PHI, kept wrapped.
  void read_info_note(const bj::object& entry, const std::string& path, model::Claim& claim) {
    if (auto text = string_field(entry, "valueString", path)) {
      model::Note note;
      note.kind = "info";
      note.text = core::Phi<std::string>(std::move(*text));
      note.origin.pointer = pointer_append(path, "valueString");
      claim.notes.push_back(std::move(note));
    }
  }

  // The code of an occurrence, occurrence span or value entry; empty (and said) when it has
  // none.
  std::string supporting_code(const bj::object& entry, const std::string& path,
                              std::string_view category) {
    std::string code = first_code(entry, "code", path);
    if (code.empty()) {
      warning("W-FHIR-MISSING", pointer_append(path, "code"),
              "supportingInfo category " + std::string(category) + " without a code; not read");
    }
    return code;
  }

  // 837I HI BH / UB-04 FL 31-34: a NUBC occurrence code and its date.
  void read_occurrence_info(const bj::object& entry, const std::string& path, model::Claim& claim) {
    std::string code = supporting_code(entry, path, "occurrence");
    if (code.empty()) return;
    model::Occurrence occurrence;
    occurrence.code = std::move(code);
    occurrence.origin.pointer = pointer_append(path, "code");
    occurrence.date = timing_start(entry, path);
    model::add_occurrence(claim, std::move(occurrence));
  }

  // 837I HI BI / UB-04 FL 35-36: a NUBC occurrence span code and its from-through dates.
  void read_occurrence_span_info(const bj::object& entry, const std::string& path,
                                 model::Claim& claim) {
    std::string code = supporting_code(entry, path, "occurrencespan");
    if (code.empty()) return;
    model::OccurrenceSpan span;
    span.code = std::move(code);
    span.origin.pointer = pointer_append(path, "code");
    one_choice(entry, path, "timingPeriod", "timingDate");
    if (entry.contains("timingPeriod")) {
      span.period = period_field(entry, "timingPeriod", path, false, "the code is kept");
    } else if (auto date = date_field(entry, "timingDate", path, false)) {
      span.period = model::DateRange{*date, *date};
    }
    model::add_occurrence_span(claim, std::move(span));
  }

  // 837I HI BE / UB-04 FL 39-41: a NUBC value code and its amount.
  void read_value_info(const bj::object& entry, const std::string& path, model::Claim& claim) {
    std::string code = supporting_code(entry, path, "value");
    if (code.empty()) return;
    model::ValueCode& value = claim.value_codes.emplace_back();
    value.code = std::move(code);
    value.origin.pointer = pointer_append(path, "code");
    if (const bj::object* quantity = object_member(entry, "valueQuantity", path)) {
      if (auto amount = decimal_value(*quantity, pointer_append(path, "valueQuantity"), false)) {
        value.amount = std::move(*amount);
      }
    }
  }

  // Claim.procedure (837I HI BBR/BBQ): sequence, type (principal by the CARIN BB type
  // "principal" or the R4 example type "primary"), date, procedureCodeableConcept. A procedure
  // given only by a text or a Procedure reference has no code to read and is left out.
  void read_procedures(const bj::object& resource, const std::string& pointer,
                       model::Claim& claim) {
    const bj::array* list = array_member(resource, "procedure", pointer);
    if (list == nullptr) return;
    const std::string list_path = pointer_append(pointer, "procedure");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      const bj::object* entry = (*list)[i].if_object();
      if (entry == nullptr) continue;
      if (auto procedure = procedure_from(*entry, path, claim.procedures.size() + 1)) {
        claim.procedures.push_back(std::move(*procedure));
      }
    }
  }

  // One Claim.procedure entry (`position` is its 1-based place, the seq when it has no
  // sequence), or nullopt when it has no code.
  std::optional<model::Procedure> procedure_from(const bj::object& entry, const std::string& path,
                                                 std::size_t position) {
    const std::vector<Coding> list_codings = codings(entry, "procedureCodeableConcept", path);
    const auto coding = std::find_if(list_codings.begin(), list_codings.end(),
                                     [](const Coding& c) { return !c.code.empty(); });
    if (coding == list_codings.end()) {
      // Codings without a code say that one was meant; a text alone (the HL7 oral example's
      // "Resection of gum ...") or a Procedure reference has no code to keep.
      if (!list_codings.empty()) {
        warning("W-FHIR-MISSING", pointer_append(path, "procedureCodeableConcept"),
                "procedure coding without a code; not read");
      }
      return std::nullopt;
    }
    model::Procedure procedure;
    procedure.seq = static_cast<int>(position);
    if (const bj::value* sequence = typed(entry, "sequence", path, bj::kind::int64, false)) {
      // R4 positiveInt. An integer beyond int64 (parsed as uint64) threw here: an internal error
      // that failed the whole file.
      const std::int64_t value =
          as_integer(*sequence, pointer_append(path, "sequence")).value_or(0);
      if (value >= 1 && value <= 100000) {
        procedure.seq = static_cast<int>(value);
      } else {
        warning(
            "W-FHIR-IGNORED", pointer_append(path, "sequence"),
            "expected a positive integer sequence; position " + std::to_string(position) + " used");
      }
    }
    procedure.raw = coding->code;
    procedure.code = detail::procedure_code(coding->code);
    procedure.qualifier = coding->system;
    procedure.system = procedure_code_system(coding->system);
    procedure.origin.pointer = coding->pointer;
    procedure.principal = principal_procedure(entry, path);
    procedure.date = date_field(entry, "date", path, false);
    return procedure;
  }

  // ICD-10-PCS and ICD-9-CM (volume 3) by their FHIR URIs and OIDs.
  static model::ProcedureSystem procedure_code_system(std::string_view system) {
    if (system == "http://www.cms.gov/Medicare/Coding/ICD10" ||
        system == "http://hl7.org/fhir/sid/icd-10-pcs" ||
        system == "urn:oid:2.16.840.1.113883.6.4") {
      return model::ProcedureSystem::kIcd10Pcs;
    }
    if (system == "http://hl7.org/fhir/sid/icd-9-cm" ||
        system == "urn:oid:2.16.840.1.113883.6.104") {
      return model::ProcedureSystem::kIcd9Cm;
    }
    return model::ProcedureSystem::kOther;
  }

  // procedure.type names the principal procedure: CARIN BB's "principal" or the R4 example
  // type "primary", in any of its codings.
  bool principal_procedure(const bj::object& entry, const std::string& path) {
    const bj::array* types = array_member(entry, "type", path);
    if (types == nullptr) return false;
    for (std::size_t t = 0; t < types->size(); ++t) {
      const bj::object* type = (*types)[t].if_object();
      if (type == nullptr) continue;
      for (const Coding& kind :
           codings_of(*type, pointer_append(pointer_append(path, "type"), t), false)) {
        if (kind.code == "principal" || kind.code == "primary") return true;
      }
    }
    return false;
  }

  // supportingInfo.category in lower case: R4's codes (claiminformationcategory) are "onset",
  // "hospitalized", "employmentimpacted"...; senders also write the displays ("Hospitalized",
  // "EmploymentImpacted"). The first coding with a code.
  std::string category_of(const bj::object& entry, const std::string& path) {
    std::string code = first_code(entry, "category", path);
    for (char& c : code) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return code;
  }

  // supportingInfo.timingDate, or the start of timingPeriod.
  std::optional<core::Date> timing_start(const bj::object& entry, const std::string& path) {
    one_choice(entry, path, "timingDate", "timingPeriod");
    if (entry.contains("timingDate")) return date_field(entry, "timingDate", path, false);
    // The onset is the period's start; a period without an end still started then.
    const bj::object* period = object_member(entry, "timingPeriod", path);
    if (period == nullptr) return std::nullopt;
    const std::string period_path = pointer_append(path, "timingPeriod");
    const PeriodEnds ends = period_ends(*period, period_path, false);
    if (!ends.start && ends.end) {
      warning("W-FHIR-PERIOD", period_path,
              "timingPeriod ends " + ends.end->iso() +
                  " and has no start: when it began is not known; no date read");
    }
    return ends.start;
  }

  // CPT and HCPCS by their FHIR URIs and the OIDs of the same code systems (FHIR R4
  // terminologies-systems.html: CPT 2.16.840.1.113883.6.12; HCPCS 6.285, and 6.14 for HCPCS
  // Level II).
  static std::string procedure_system(std::string_view system) {
    if (system == "http://www.ama-assn.org/go/cpt" || system == "urn:oid:2.16.840.1.113883.6.12") {
      return "CPT";
    }
    if (system.find("HCPCSReleaseCodeSets") != std::string_view::npos ||
        system == "urn:oid:2.16.840.1.113883.6.285" || system == "urn:oid:2.16.840.1.113883.6.14") {
      return "HCPCS";
    }
    if (system == "http://www.ada.org/cdt" || system == "http://ada.org/cdt") return "CDT";
    return std::string(system);
  }

  // item.modifier: one code per CodeableConcept (the first coding with a code). CPT and HCPCS
  // modifiers, and modifiers sent without a system, are upper-cased as the X12 and claimaudit
  // JSON readers do ("rt" -> "RT"); other systems may be case-sensitive local ones ("rooh" of
  // http://terminology.hl7.org/CodeSystem/modifiers) and keep their case.
  std::vector<std::string> modifiers_of(const bj::object& item, const std::string& path) {
    std::vector<std::string> out;
    const bj::array* list = array_member(item, "modifier", path);
    if (list == nullptr) return out;
    const std::string list_path = pointer_append(path, "modifier");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const bj::object* codeable = (*list)[i].if_object();
      if (codeable == nullptr) continue;
      for (const Coding& coding : codings_of(*codeable, pointer_append(list_path, i), false)) {
        if (coding.code.empty()) continue;
        std::string code = coding.code;
        const std::string system = procedure_system(coding.system);
        if (coding.system.empty() || system == "CPT" || system == "HCPCS") {
          model::upper_case_modifier(code);
        }
        out.push_back(std::move(code));
        break;
      }
    }
    return out;
  }

  void read_items(const bj::object& resource, const std::string& pointer, model::Claim& claim) {
    const bj::array* list = array_member(resource, "item", pointer, true);
    if (list == nullptr) return;
    const std::string list_path = pointer_append(pointer, "item");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      const bj::object* item = (*list)[i].if_object();
      if (item == nullptr) {
        error("E-FHIR-TYPE", path,
              "expected an object, found " + std::string(type_word((*list)[i])));
        continue;
      }
      claim.lines.push_back(read_item(*item, path, i, claim));
    }
  }

  // Claim.item[index] at `path`; its diagnosisSequence values are checked against the claim's
  // diagnoses.
  model::ServiceLine read_item(const bj::object& item, const std::string& path, std::size_t index,
                               const model::Claim& claim) {
    model::ServiceLine line;
    line.origin.pointer = path;
    line.seq = static_cast<int>(index + 1);
    if (const bj::value* sequence = typed(item, "sequence", path, bj::kind::int64, true)) {
      const std::int64_t value =
          as_integer(*sequence, pointer_append(path, "sequence")).value_or(0);
      if (value >= 1 && value <= 100000) {
        line.seq = static_cast<int>(value);
      } else {
        error("E-FHIR-TYPE", pointer_append(path, "sequence"),
              "expected a positive integer sequence");
      }
    }
    read_product(item, path, line);
    line.modifiers = modifiers_of(item, path);
    if (const bj::object* quantity = object_member(item, "quantity", path)) {
      if (auto text = decimal_value(*quantity, pointer_append(path, "quantity"), false)) {
        line.units = *text;
      }
      line.unit_basis = string_member(*quantity, "code");
    }
    if (const bj::object* net = object_member(item, "net", path)) {
      if (auto text = decimal_value(*net, pointer_append(path, "net"), true)) line.charge = *text;
    }
    line.service_dates = item_service_dates(item, path);
    line.place_of_service = first_code(item, "locationCodeableConcept", path);
    line.revenue_code = first_code(item, "revenue", path);
    if (item.contains("bodySite")) {
      for (const Coding& coding : codings(item, "bodySite", path)) {
        if (!coding.code.empty()) line.body_sites.push_back(coding.code);
      }
    }
    if (const bj::array* pointers = array_member(item, "diagnosisSequence", path, true)) {
      const std::string pointers_path = pointer_append(path, "diagnosisSequence");
      for (std::size_t p = 0; p < pointers->size(); ++p) {
        if (auto sequence = diagnosis_pointer(item, path, p, pointer_append(pointers_path, p),
                                              (*pointers)[p], claim)) {
          line.dx_pointers.push_back(*sequence);
        }
      }
    }
    note_details(item, path);
    return line;
  }

  // The billing code: a CPT, HCPCS or CDT coding when there is one (a local code may be listed
  // first), else the first coding with a code.
  void read_product(const bj::object& item, const std::string& path, model::ServiceLine& line) {
    const std::vector<Coding> products = codings(item, "productOrService", path, true);
    const Coding* product = nullptr;
    for (const Coding& coding : products) {
      if (coding.code.empty()) continue;
      const std::string system = procedure_system(coding.system);
      if (system == "CPT" || system == "HCPCS" || system == "CDT") {
        product = &coding;
        break;
      }
      if (product == nullptr) product = &coding;
    }
    if (product != nullptr) {
      line.procedure_qualifier = procedure_system(product->system);
      line.procedure_code = product->code;
    }
  }

  // item.servicedDate as one day, else item.servicedPeriod when it has both ends.
  std::optional<model::DateRange> item_service_dates(const bj::object& item,
                                                     const std::string& path) {
    one_choice(item, path, "servicedDate", "servicedPeriod");
    if (const bj::value* serviced = item.if_contains("servicedDate");
        serviced != nullptr && !serviced->is_null()) {
      if (auto date = date_field(item, "servicedDate", path, true)) {
        return model::DateRange{*date, *date};
      }
      return std::nullopt;
    }
    return period_field(item, "servicedPeriod", path, true,
                        "the item has no date of service of its own (it takes the Claim's "
                        "billablePeriod when that has both ends)");
  }

  // item.diagnosisSequence[index] (`value`, at `entry_path`): the diagnosis sequence it names,
  // or nullopt when it names none that the audit can use (each said).
  std::optional<int> diagnosis_pointer(const bj::object& item, const std::string& path,
                                       std::size_t index, const std::string& entry_path,
                                       const bj::value& value, const model::Claim& claim) {
    if (value.is_null()) {
      // R4 JSON writes an array entry that has only extensions as null, with the extensions at
      // the same index of "_diagnosisSequence": no pointer, nothing wrong. A null without them
      // is not valid R4; it names no diagnosis either.
      const bj::array* extensions = array_member(item, "_diagnosisSequence", path, false);
      const bool extended =
          extensions != nullptr && index < extensions->size() && (*extensions)[index].is_object();
      if (!extended) {
        warning("W-FHIR-IGNORED", entry_path,
                "null in diagnosisSequence without an extension at the same index of "
                "_diagnosisSequence (R4 JSON writes null only there); no pointer read");
      }
      return std::nullopt;
    }
    const std::optional<std::int64_t> number = as_integer(value, entry_path);
    if (!number) {
      error("E-FHIR-TYPE", entry_path,
            "expected an integer, found " + std::string(type_word(value)));
      return std::nullopt;
    }
    const std::int64_t sequence = *number;
    if (sequence < 1 || sequence > 100000) {
      warning("W-FHIR-DX-SEQUENCE", entry_path,
              "diagnosisSequence is not a positive integer; pointer dropped");
      return std::nullopt;
    }
    const bool known = std::any_of(claim.diagnoses.begin(),
                                   claim.diagnoses.begin() + static_cast<long>(diagnosis_count_),
                                   [&](const model::Diagnosis& d) { return d.seq == sequence; });
    if (!known) {
      // A pointer to a diagnosis that is there but has no code we could read is dropped (the
      // line does point to a diagnosis). One to a sequence the Claim lacks is kept, as X12 keeps
      // an SV107 position beyond the HI list: the line is wrong, and the audit's pointer rule
      // (line.pointer_invalid) reports it as it does for an 837P.
      const bool skipped = std::find(skipped_sequences_.begin(), skipped_sequences_.end(),
                                     sequence) != skipped_sequences_.end();
      warning("W-FHIR-DX-SEQUENCE", entry_path,
              "diagnosisSequence " + std::to_string(sequence) +
                  (skipped ? " points to a diagnosis without a usable code; pointer dropped"
                           : " matches no diagnosis.sequence; kept for the audit"));
      if (skipped) return std::nullopt;
    }
    return static_cast<int>(sequence);
  }

  // Claim.item.detail (and detail.subDetail) itemise what the item bills: the frame, lenses and
  // tint of a pair of glasses, the ingredients of a compound, a package's parts. The item is
  // the billed line (its productOrService, modifiers, net and diagnosisSequence are what an
  // 837 line carries; details have no diagnosis pointers), so details do not become lines of
  // their own, which would bill their amounts twice. Their codes are not audited: say so.
  void note_details(const bj::object& item, const std::string& path) {
    const bj::array* details = array_member(item, "detail", path);
    if (details == nullptr || details->empty()) return;
    std::size_t sub_details = 0;
    for (const bj::value& detail : *details) {
      if (const bj::object* object = detail.if_object()) {
        if (const bj::value* list = object->if_contains("subDetail");
            list != nullptr && list->is_array()) {
          sub_details += list->get_array().size();
        }
      }
    }
    const std::size_t count = details->size();
    warning("W-FHIR-DETAIL", pointer_append(path, "detail"),
            std::to_string(count) + (count == 1 ? " detail" : " details") +
                (sub_details == 0 ? std::string()
                                  : " (" + std::to_string(sub_details) +
                                        (sub_details == 1 ? " subDetail)" : " subDetails)")) +
                " itemise this item; their codes are not audited, the item's productOrService "
                "and modifiers are");
  }

  // Claim.accident (R4: date 1..1, type from v3 ActIncidentCode, location). The type fills the
  // cause and the related causes the X12 reader takes from CLM11 (MVA motor vehicle -> AA auto,
  // WPA workplace -> EM employment, SCHOOL, SPT sporting and any other -> OA other accident);
  // X12 CLM11 codes (AA, EM, OA) sent as the type are read as themselves. An accident without
  // a type names no cause, as DTP*439 without CLM11; without a date either it is still an
  // accident (other).
  void read_accident(const bj::object& accident, const std::string& path, model::Accident& out) {
    out.origin.pointer = path;
    out.date = date_field(accident, "date", path, false);
    std::string related;
    bool typed_at_all = false;
    for (const Coding& coding : codings(accident, "type", path)) {
      if (coding.code.empty()) continue;
      typed_at_all = true;
      if (coding.code == "MVA" || coding.code == "AA") {
        related = "AA";
      } else if (coding.code == "WPA" || coding.code == "EM") {
        related = "EM";
      } else if (coding.code == "OA" || coding.code == "SCHOOL" || coding.code == "SPT") {
        related = "OA";
      } else {
        continue;
      }
      break;
    }
    if (related.empty() && (typed_at_all || !out.date)) related = "OA";
    if (!related.empty()) {
      out.related_causes.push_back(related);
      out.cause = related == "AA"   ? model::AccidentCause::kAuto
                  : related == "EM" ? model::AccidentCause::kEmployment
                                    : model::AccidentCause::kOther;
    }
    if (const bj::object* address = object_member(accident, "locationAddress", path)) {
      out.state = string_member(*address, "state");
    } else if (auto location = follow(accident, "locationReference", path, self_, {"Location"},
                                      "Claim.accident.locationReference")) {
      if (const bj::value* where = location->resource->if_contains("address");
          where != nullptr && where->is_object()) {
        out.state = string_member(where->get_object(), "state");
      }
    }
  }

  void read_accident_and_related(const bj::object& resource, const std::string& pointer,
                                 model::Claim& claim) {
    if (const bj::object* accident = object_member(resource, "accident", pointer)) {
      read_accident(*accident, pointer_append(pointer, "accident"), claim.accident);
    }
    if (const bj::array* related = array_member(resource, "related", pointer)) {
      for (std::size_t i = 0; i < related->size(); ++i) {
        const bj::object* entry = (*related)[i].if_object();
        if (entry == nullptr) continue;
        const std::string path = pointer_append(pointer_append(pointer, "related"), i);
        if (first_code(*entry, "relationship", path) != "prior") continue;
        read_prior_claim(*entry, path, claim);
        break;
      }
    }
  }

  // The first Claim.related entry with relationship "prior".
  void read_prior_claim(const bj::object& entry, const std::string& path, model::Claim& claim) {
    // A prior claim makes this one a replacement, unless a type of bill (subType) gave the
    // frequency itself: xx8 void, xx7 replacement, xx2-xx5 interim bills after a prior one.
    if (claim.frequency_code.empty()) {
      claim.frequency = model::Frequency::kReplacement;
    }
    if (const bj::object* prior = object_member(entry, "claim", path)) {
      if (const bj::value* id = prior->if_contains("identifier"); id && id->is_object()) {
        claim.replaces = string_member(id->get_object(), "value");
      }
      if (claim.replaces.empty()) claim.replaces = string_member(*prior, "reference");
    }
    if (claim.replaces.empty()) {
      if (const bj::object* reference = object_member(entry, "reference", path)) {
        claim.replaces = string_member(*reference, "value");
      }
    }
  }

  // Every reference inside the Claim (contained resources aside) that should resolve and does
  // not is a warning at its pointer.
  // So is every such reference inside the resources the Claim was read from (its Patient,
  // Coverage, payor, provider, Conditions, accident Location), which name their own targets:
  // a Coverage whose payor is missing leaves the payer unknown, and says where.
  void check_references(const bj::object& resource, const std::string& pointer) {
    walk_references(resource, pointer, /*top=*/true, self_, {});
    for (const Target& target : followed_) {
      if (target.pointer == pointer) continue;
      const std::string_view type = string_member(*target.resource, "resourceType");
      walk_references(*target.resource, target.pointer, /*top=*/true, target,
                      type.empty() ? std::string("a referenced resource")
                                   : "the " + std::string(type) + " the Claim refers to");
    }
  }
  void walk_references(const bj::value& value, const std::string& pointer, bool top,
                       const Target& from, const std::string& inside) {
    if (const bj::object* object = value.if_object()) {
      for (const auto& member : *object) {
        if (top && member.key() == "contained") continue;
        const std::string path = pointer_append(pointer, member.key());
        if (member.key() == "reference" && member.value().is_string()) {
          check_reference(member.value().get_string(), path, from, inside);
          continue;
        }
        walk_references(member.value(), path, false, from, inside);
      }
    } else if (const bj::array* array = value.if_array()) {
      for (std::size_t i = 0; i < array->size(); ++i) {
        walk_references((*array)[i], pointer_append(pointer, i), false, from, inside);
      }
    }
  }

  // A reference (at `path`) that should resolve and does not is a warning.
  void check_reference(std::string_view reference, const std::string& path, const Target& from,
                       const std::string& inside) {
    if (must_resolve(reference, scope_) && !resolve(reference, scope_, from)) {
      warning("W-FHIR-DANGLING-REF", path,
              reference_kind(reference) + (inside.empty() ? "" : " in " + inside) +
                  " resolves to no resource in " +
                  (scope_.in_bundle ? "this Bundle" : "this document"));
    }
  }

  const std::string& file_name_;
  const Scope& scope_;
  const ReadOptions& options_;
  std::vector<bool> role_given_;                 // Per diagnosis: its type set the role.
  std::vector<std::int64_t> skipped_sequences_;  // Of diagnoses skipped for want of a code.
  std::string reversed_billable_;    // Pointer of a reversed billablePeriod's end; "" = none.
  std::size_t diagnosis_count_ = 0;  // Entries from Claim.diagnosis (targets of pointers).
  std::vector<Target> followed_;     // Resources the claim was read from, in reading order.
  Target self_;                      // The Claim being read.
};

// Bundles inside Bundle entries (a collection of PAS request Bundles) are read this deep.
constexpr int kMaxBundleDepth = 4;

class FhirReader final : public BatchReader {
 public:
  FhirReader(ByteSource& source, std::string file_name, ReadOptions options)
      : source_(source), file_name_(std::move(file_name)), options_(options) {
    summary_.format = Format::kFhir;
  }

  bool next(model::Batch& batch) override {
    batch = {};
    if (done_) return false;
    done_ = true;
    detail::JsonDocument document = detail::read_json_document(source_, file_name_);
    if (document.error) {
      summary_.rejection = std::move(document.error);
      return false;
    }
    read_document(document.root, document.duplicate_keys, batch);
    detail::locate_batch(document.text, batch);
    if (summary_.rejection && summary_.rejection->where.line == 0 &&
        !summary_.rejection->where.path.empty()) {
      const auto position = detail::locate_pointer(document.text, summary_.rejection->where.path);
      summary_.rejection->where.line = position.line;
      summary_.rejection->where.column = position.column;
    }
    summary_.claims = static_cast<int>(batch.claims.size());
    if (batch.claims.empty()) {
      if (!summary_.rejection) {
        for (const auto& diagnostic : batch.diagnostics) {
          if (diagnostic.severity == core::Severity::kError) {
            summary_.rejection = diagnostic;
            break;
          }
        }
      }
      if (batch.diagnostics.empty()) return false;
    }
    summary_.batches = 1;
    return true;
  }

  const FileSummary& summary() const override { return summary_; }

 private:
  void reject(std::string code, std::string path, std::string message) {
    summary_.rejection = core::Diagnostic{core::Severity::kError,
                                          std::move(code),
                                          {file_name_, 0, 0, std::move(path)},
                                          std::move(message)};
  }

  struct FoundClaim {
    const bj::object* resource = nullptr;
    std::string pointer;
    const Scope* scope = nullptr;  // Of the Bundle holding the Claim.
    std::string_view full_url;     // Of the Bundle entry holding the Claim ("" if none).
    std::string full_url_pointer;  // Where full_url is.
  };

  // Indexes the entries of `bundle` (at `pointer`) in a new scope and collects its Claims, and
  // those of Bundles nested in its entries, whose references resolve inside their own Bundle.
  void walk_bundle(const bj::object& bundle, const std::string& pointer, std::deque<Scope>& scopes,
                   int depth, std::vector<FoundClaim>& claims, std::size_t& resources,
                   model::Batch& batch) {
    Scope& scope = depth == 0 ? scopes.front() : scopes.emplace_back();
    scope.in_bundle = true;
    const bj::value* entries = bundle.if_contains("entry");
    if (entries == nullptr || !entries->is_array()) return;
    const std::string list_path = pointer_append(pointer, "entry");
    std::vector<std::pair<const bj::object*, std::string>> nested;
    // A history Bundle lists versions of resources, newest first, deleted ones as entries
    // without a resource (R4 http.html#history): only the newest version of a Claim is the
    // claim; an older one, or one deleted since, is not audited. Resources are named by fullUrl,
    // else by request.url ("Claim/a").
    const bool history = string_member(bundle, "type") == "history";
    std::map<std::string, std::size_t, std::less<>> newest;  // History: identity -> entry index.
    for (std::size_t i = 0; i < entries->get_array().size(); ++i) {
      const std::string entry_path = pointer_append(list_path, i);
      const bj::object* entry = entries->get_array()[i].if_object();
      const bj::value* resource_value = entry == nullptr ? nullptr : entry->if_contains("resource");
      if (history && entry != nullptr &&
          superseded(entries->get_array(), i, entry_path, newest, batch)) {
        continue;
      }
      if (resource_value == nullptr || !resource_value->is_object()) {
        // A deleted entry of a history Bundle, or a response without a resource.
        batch.diagnostics.push_back(
            core::Diagnostic{core::Severity::kWarning,
                             "W-FHIR-IGNORED",
                             {file_name_, 0, 0, entry_path},
                             "Bundle entry without a resource object; ignored"});
        continue;
      }
      const bj::object& resource = resource_value->get_object();
      const std::string resource_path = pointer_append(entry_path, "resource");
      index_entry(*entry, resource, resource_path, scope);
      const std::string_view resource_type = string_member(resource, "resourceType");
      const std::string_view search_mode = search_mode_of(*entry);
      if (resource_type == "Claim" && (search_mode == "include" || search_mode == "outcome")) {
        batch.diagnostics.push_back(core::Diagnostic{
            core::Severity::kWarning,
            "W-FHIR-NOT-AUDITED",
            {file_name_, 0, 0, pointer_append(pointer_append(entry_path, "search"), "mode")},
            "Bundle entry has search.mode \"" + std::string(search_mode) +
                "\": the Claim supports the search results and is not audited"});
        ++included_claims_;
      } else if (resource_type == "Claim") {
        claims.push_back(FoundClaim{&resource, resource_path, &scope,
                                    string_member(*entry, "fullUrl"),
                                    pointer_append(entry_path, "fullUrl")});
      } else if (resource_type == "Bundle" && depth < kMaxBundleDepth) {
        nested.emplace_back(&resource, resource_path);
      } else {
        other_resource(resource_type, resource_path, depth, batch);
        ++resources;
      }
    }
    for (const auto& [inner, inner_path] : nested) {
      walk_bundle(*inner, inner_path, scopes, depth + 1, claims, resources, batch);
    }
  }

  // A history Bundle's entry is named by its fullUrl, else its resource's "Type/id", else its
  // request.url ("Claim/a"); "" when it has none of them.
  static std::string history_identity(const bj::object& entry, const bj::object* resource) {
    std::string key(string_member(entry, "fullUrl"));
    if (key.empty() && resource != nullptr && !string_member(*resource, "id").empty()) {
      key = std::string(string_member(*resource, "resourceType")) + "/" +
            std::string(string_member(*resource, "id"));
    }
    if (key.empty()) {
      if (const bj::value* request = entry.if_contains("request");
          request != nullptr && request->is_object()) {
        key = std::string(string_member(request->get_object(), "url"));
      }
    }
    return key;
  }

  // Whether entry `index` (an object) of a history Bundle's `entries` is an older version of a
  // Claim listed before it (the warning given); `newest` maps each identity to its newest
  // entry.
  bool superseded(const bj::array& entries, std::size_t index, const std::string& entry_path,
                  std::map<std::string, std::size_t, std::less<>>& newest, model::Batch& batch) {
    const bj::object& entry = entries[index].get_object();
    const bj::value* resource_value = entry.if_contains("resource");
    const bj::object* resource = resource_value != nullptr ? resource_value->if_object() : nullptr;
    const std::string key = history_identity(entry, resource);
    if (key.empty()) return false;
    const auto [at, first] = newest.emplace(key, index);
    if (first || resource == nullptr || string_member(*resource, "resourceType") != "Claim") {
      return false;
    }
    batch.diagnostics.push_back(
        core::Diagnostic{core::Severity::kWarning,
                         "W-FHIR-NOT-AUDITED",
                         {file_name_, 0, 0, entry_path},
                         "an older version of the Claim in entry " + std::to_string(at->second) +
                             " of this history Bundle (newest first)" +
                             (entries[at->second].is_object() &&
                                      !entries[at->second].get_object().contains("resource")
                                  ? ", which deleted it"
                                  : "") +
                             ": not audited"});
    ++superseded_claims_;
    return true;
  }

  // Makes the resource of a Bundle entry a target of references: by the entry's fullUrl and by
  // its "Type/id".
  static void index_entry(const bj::object& entry, const bj::object& resource,
                          const std::string& resource_path, Scope& scope) {
    const Target target{&resource, resource_path, &resource, resource_path};
    const std::string_view full_url = string_member(entry, "fullUrl");
    if (!full_url.empty()) scope.by_full_url.emplace(std::string(full_url), target);
    const std::string_view resource_type = string_member(resource, "resourceType");
    const std::string_view id = string_member(resource, "id");
    if (!resource_type.empty() && !id.empty()) {
      scope.by_type_and_id.emplace(std::string(resource_type) + "/" + std::string(id), target);
    }
  }

  // In a searchset Bundle the matches are the results; entries with search.mode "include"
  // (added by _include / _revinclude) or "outcome" support them, as a Claim included with
  // the ExplanationOfBenefit that names it does: such a Claim can be referred to, and is
  // not audited. (Only a searchset may have entry.search, bdl-2; the mode is obeyed in any
  // Bundle.)
  static std::string_view search_mode_of(const bj::object& entry) {
    if (const bj::value* search = entry.if_contains("search");
        search != nullptr && search->is_object()) {
      return string_member(search->get_object(), "mode");
    }
    return {};
  }

  // A Bundle entry's resource that is neither a Claim nor a Bundle read: a Bundle nested too
  // deep, or one without a resourceType, either of which may hold a Claim, is a warning rather
  // than dropped unseen.
  void other_resource(std::string_view resource_type, const std::string& resource_path, int depth,
                      model::Batch& batch) {
    if (resource_type == "Bundle") {
      batch.diagnostics.push_back(core::Diagnostic{
          core::Severity::kWarning,
          "W-FHIR-IGNORED",
          {file_name_, 0, 0, resource_path},
          "Bundle nested " + std::to_string(depth + 1) + " deep; Bundles are read up to " +
              std::to_string(kMaxBundleDepth) + " deep, so its entries are not read"});
    } else if (resource_type.empty()) {
      batch.diagnostics.push_back(
          core::Diagnostic{core::Severity::kWarning,
                           "W-FHIR-IGNORED",
                           {file_name_, 0, 0, resource_path},
                           "Bundle entry resource without a resourceType; ignored"});
    }
  }

  void read_document(const bj::value& root_value, const std::vector<std::string>& duplicate_keys,
                     model::Batch& batch) {
    const bj::object* root = root_value.if_object();
    if (root == nullptr) {
      reject("E-FHIR-TYPE", "", "expected a FHIR resource (a JSON object)");
      return;
    }
    const bj::value* type = root->if_contains("resourceType");
    if (type == nullptr || !type->is_string()) {
      reject("E-FHIR-TYPE", "/resourceType", "resourceType must be a string");
      return;
    }
    std::deque<Scope> scopes(1);  // One per Bundle; a deque keeps them where claims point.
    std::vector<FoundClaim> claims;
    if (type->get_string() == "Claim") {
      claims.push_back(FoundClaim{root, "", &scopes.front(), {}, {}});
    } else if (type->get_string() == "Bundle") {
      if (!find_bundle_claims(*root, scopes, claims, batch)) return;
    } else {
      reject("E-FHIR-NO-CLAIM", "/resourceType",
             "no Claim in input: resourceType is \"" + std::string(type->get_string()) +
                 "\" (expected Claim or a Bundle of Claims)");
      return;
    }
    std::vector<bool> ambiguous(claims.size(), false);
    if (!note_duplicate_keys(duplicate_keys, claims, ambiguous, batch)) return;
    read_claims(claims, ambiguous, batch);
  }

  // The Claims to audit of the Bundle `root`; false (the document rejected) when there is none.
  bool find_bundle_claims(const bj::object& root, std::deque<Scope>& scopes,
                          std::vector<FoundClaim>& claims, model::Batch& batch) {
    const bj::value* entries = root.if_contains("entry");
    if (entries != nullptr && !entries->is_array()) {
      reject("E-FHIR-TYPE", "/entry", "Bundle.entry must be an array");
      return false;
    }
    std::size_t resources = 0;
    walk_bundle(root, "", scopes, 0, claims, resources, batch);
    if (claims.empty() && included_claims_ != 0) {
      reject("E-FHIR-NO-CLAIM", "/entry",
             "no Claim to audit: the Bundle's " + std::to_string(included_claims_) +
                 (included_claims_ == 1 ? " Claim is a search include"
                                        : " Claims are search includes") +
                 " (search.mode \"include\"), not a search match");
      return false;
    }
    if (claims.empty() && superseded_claims_ != 0) {
      reject("E-FHIR-NO-CLAIM", "/entry",
             "no Claim to audit: the history Bundle's " + std::to_string(superseded_claims_) +
                 (superseded_claims_ == 1 ? " Claim is an older version"
                                          : " Claims are older versions") +
                 " of a Claim deleted since");
      return false;
    }
    if (claims.empty()) {
      reject("E-FHIR-NO-CLAIM", "/entry",
             resources == 0 ? "no Claim in input: the Bundle has no entries"
                            : "no Claim in input: the Bundle holds " + std::to_string(resources) +
                                  (resources == 1 ? " resource" : " resources") + ", none a Claim");
      return false;
    }
    return true;
  }

  // A repeated key leaves the parser's choice of value in force (RFC 8259: unpredictable): a
  // Claim with one is not audited (marked in `ambiguous`); one anywhere else may feed every
  // Claim, so the whole document is not read (false).
  bool note_duplicate_keys(const std::vector<std::string>& duplicate_keys,
                           const std::vector<FoundClaim>& claims, std::vector<bool>& ambiguous,
                           model::Batch& batch) {
    for (const std::string& duplicate : duplicate_keys) {
      const auto claim = std::find_if(claims.begin(), claims.end(), [&](const FoundClaim& found) {
        return detail::pointer_within(duplicate, found.pointer);
      });
      if (claim == claims.end()) {
        reject("E-JSON-DUPLICATE-KEY", duplicate,
               "key repeated in one object (which value counts is undefined); the document is "
               "ambiguous and not read");
        return false;
      }
      ambiguous[static_cast<std::size_t>(claim - claims.begin())] = true;
      batch.diagnostics.push_back(core::Diagnostic{
          core::Severity::kError,
          "E-JSON-DUPLICATE-KEY",
          {file_name_, 0, 0, duplicate},
          "key repeated in one object (which value counts is undefined); the claim is not "
          "audited"});
    }
    return true;
  }

  // Reads every claim found that is not ambiguous into the batch.
  void read_claims(const std::vector<FoundClaim>& claims, const std::vector<bool>& ambiguous,
                   model::Batch& batch) {
    std::size_t withdrawn = 0;
    for (std::size_t index = 0; index < claims.size(); ++index) {
      if (ambiguous[index]) continue;
      const bj::object* resource = claims[index].resource;
      const std::string& pointer = claims[index].pointer;
      // A claim withdrawn by its sender, or recorded by mistake, is not sent to anyone: findings
      // on it would be noise. (A draft is audited: checking claims before they go out is the
      // point.)
      const std::string_view status = string_member(*resource, "status");
      if (status == "cancelled" || status == "entered-in-error") {
        batch.diagnostics.push_back(core::Diagnostic{
            core::Severity::kWarning,
            "W-FHIR-NOT-AUDITED",
            {file_name_, 0, 0, pointer_append(pointer, "status")},
            "Claim.status is \"" + std::string(status) + "\": the claim is not audited"});
        ++withdrawn;
        continue;
      }
      ClaimReader reader(file_name_, *claims[index].scope, options_);
      if (auto claim = reader.read(*resource, pointer, claims[index].full_url,
                                   claims[index].full_url_pointer)) {
        claim->envelope.position = static_cast<int>(batch.claims.size());
        batch.claims.push_back(std::move(*claim));
      } else {
        for (auto& diagnostic : reader.errors) batch.diagnostics.push_back(std::move(diagnostic));
      }
    }
    if (withdrawn == claims.size()) {
      reject("E-FHIR-NO-CLAIM",
             claims.size() == 1 ? pointer_append(claims[0].pointer, "status") : "",
             "no Claim to audit: " +
                 (claims.size() == 1 ? std::string("the Claim is")
                                     : "all " + std::to_string(claims.size()) + " Claims are") +
                 " cancelled or entered-in-error");
    }
  }

  ByteSource& source_;
  std::string file_name_;
  ReadOptions options_;
  FileSummary summary_;
  std::size_t included_claims_ = 0;    // Claims in search.mode "include"/"outcome" entries.
  std::size_t superseded_claims_ = 0;  // Older versions of a Claim in a history Bundle.
  bool done_ = false;
};

}  // namespace

std::unique_ptr<BatchReader> open_reader(ByteSource& source, std::string file_name,
                                         const ReadOptions& options) {
  return std::make_unique<FhirReader>(source, std::move(file_name), options);
}

}  // namespace claimaudit::formats::fhir
