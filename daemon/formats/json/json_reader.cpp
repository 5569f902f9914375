#include "formats/json/json_reader.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <set>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/icd10_code.hpp"
#include "formats/detail/diagnosis_roles.hpp"
#include "formats/detail/json_text.hpp"
#include "formats/detail/procedure_code.hpp"
#include "formats/json/claim_json.hpp"

namespace claimaudit::formats::json {
namespace {

namespace bj = boost::json;

using detail::pointer_append;
using detail::type_word;

constexpr std::string_view kClaimKeys[] = {"format",
                                           "claim_id",
                                           "kind",
                                           "use",
                                           "frequency",
                                           "replaces",
                                           "billing_provider",
                                           "payer",
                                           "payer_kind",
                                           "patient",
                                           "onset_date",
                                           "statement_period",
                                           "admission_date",
                                           "admission_type",
                                           "place_of_service",
                                           "facility_type",
                                           "total_charge",
                                           "accident",
                                           "occurrence_codes",
                                           "occurrences",
                                           "occurrence_spans",
                                           "value_codes",
                                           "condition_codes",
                                           "procedures",
                                           "diagnoses",
                                           "lines",
                                           "notes",
                                           "has_attachment"};

// SBR09 claim filing indicator codes (005010).
constexpr std::string_view kFilingIndicators[] = {"11", "12", "13", "14", "15", "16", "17", "AM",
                                                  "BL", "CH", "CI", "DS", "FI", "HM", "LM", "MA",
                                                  "MB", "MC", "OF", "TV", "VA", "WC", "ZZ"};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool all_alnum(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
}

// "12", "12.5", "0.25": unsigned decimal; `max_decimals` 0 = any.
bool is_decimal(std::string_view text, std::size_t max_decimals) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return all_digits(text);
  const std::string_view fraction = text.substr(dot + 1);
  if (!all_digits(text.substr(0, dot)) || !all_digits(fraction)) return false;
  return max_decimals == 0 || fraction.size() <= max_decimals;
}

// A claim frequency code (837 CLM05-3, the third character of the type of bill, NUBC): 1
// original, 7 replacement, 8 void, and the institutional ones the model keeps as "other": 0
// non-payment, 2-4 interim bills, 5 late charges, 9 final home health claim, and the letters
// A-Q of hospice and Medicare adjustments. 6 (adjustment) is retired.
bool is_frequency_code(std::string_view code) {
  if (code.size() != 1) return false;
  const char c = code[0];
  return (c >= '0' && c <= '9' && c != '6') ||
         (c >= 'A' && c <= 'Q' && c != 'L' && c != 'N' && c != 'O');
}

std::string quoted_list(std::initializer_list<std::string_view> words) {
  std::string out;
  for (const auto word : words) {
    if (!out.empty()) out += ", ";
    out += '"';
    out += word;
    out += '"';
  }
  return out;
}

std::optional<model::ClaimUse> parse_use(std::string_view word) {
  if (word == "claim") return model::ClaimUse::kClaim;
  if (word == "preauthorization") return model::ClaimUse::kPreauthorization;
  if (word == "predetermination") return model::ClaimUse::kPredetermination;
  return std::nullopt;
}

std::optional<model::CodeSystem> parse_code_system(std::string_view word) {
  if (word == "icd10cm") return model::CodeSystem::kIcd10Cm;
  if (word == "icd9cm") return model::CodeSystem::kIcd9Cm;
  if (word == "unknown") return model::CodeSystem::kUnknown;
  return std::nullopt;
}

model::Origin origin_at(std::string pointer) {
  model::Origin origin;
  origin.pointer = std::move(pointer);
  return origin;
}

// Reads one claim object. Every problem is an error diagnostic; the claim is good when none
// was added.
class ClaimParser {
 public:
  ClaimParser(const std::string& file_name, std::vector<core::Diagnostic>& diagnostics)
      : file_name_(file_name), diagnostics_(diagnostics) {}

  std::optional<model::Claim> parse(const bj::value& value, const std::string& pointer,
                                    const ReadOptions& options) {
    const std::size_t errors_before = error_count_;
    const bj::object* object = expect_object(value, pointer);
    if (object == nullptr) return std::nullopt;
    check_keys(*object, pointer, kClaimKeys);
    model::Claim claim;
    claim.origin = origin_at(pointer);
    claim.envelope.guide = kClaimFormat;
    if (const bj::value* format = object->if_contains("format")) {
      const std::string path = pointer_append(pointer, "format");
      if (auto text = expect_string(*format, path); text && *text != kClaimFormat) {
        error("E-JSON-FORMAT", path,
              "\"format\" must be \"claimaudit.claim/1\" (this reader knows no other version)");
      }
    }
    read_identity(*object, pointer, claim);
    read_parties(*object, pointer, claim);
    read_dates(*object, pointer, claim);
    read_accident(*object, pointer, claim);
    read_occurrences(*object, pointer, claim);
    read_procedures(*object, pointer, claim);
    read_diagnoses(*object, pointer, claim);
    read_lines(*object, pointer, claim);
    read_notes(*object, pointer, claim);
    if (auto flag = optional_bool(*object, "has_attachment", pointer)) claim.has_attachment = *flag;
    if (claim.kind == model::ClaimKind::kUnknown && options.default_claim_kind) {
      claim.kind = *options.default_claim_kind;
    }
    if (claim.payer.kind == model::PayerKind::kUnknown && options.default_payer_kind) {
      claim.payer.kind = *options.default_payer_kind;
    }
    if (error_count_ != errors_before) {
      // The claim is not read: its warnings travel with its errors.
      for (core::Diagnostic& warning : claim.diagnostics) {
        diagnostics_.push_back(std::move(warning));
      }
      return std::nullopt;
    }
    // Only a claim that is read keeps a dangling pointer for the audit.
    for (core::Diagnostic& warning : claim.diagnostics) {
      if (warning.code == "W-JSON-DX-POINTER") warning.message += "; kept for the audit";
    }
    return claim;
  }

  std::size_t error_count() const { return error_count_; }

  void error(std::string code, std::string path, std::string message) {
    diagnostics_.push_back(core::Diagnostic{core::Severity::kError,
                                            std::move(code),
                                            {file_name_, 0, 0, std::move(path)},
                                            std::move(message)});
    ++error_count_;
  }

  const bj::object* expect_object(const bj::value& value, const std::string& path) {
    if (const bj::object* object = value.if_object()) return object;
    error("E-JSON-TYPE", path,
          std::string("expected an object, found ") + std::string(type_word(value)));
    return nullptr;
  }

  std::optional<std::string> expect_string(const bj::value& value, const std::string& path) {
    if (const bj::string* text = value.if_string()) return std::string(*text);
    error("E-JSON-TYPE", path,
          std::string("expected a string, found ") + std::string(type_word(value)));
    return std::nullopt;
  }

  template <std::size_t N>
  void check_keys(const bj::object& object, const std::string& pointer,
                  const std::string_view (&allowed)[N]) {
    for (const auto& member : object) {
      const std::string_view key = member.key();
      if (std::find(std::begin(allowed), std::end(allowed), key) != std::end(allowed)) continue;
      std::string message = "unknown field \"" + std::string(key) + "\"";
      std::string_view best;
      std::size_t best_distance = 3;
      for (const auto candidate : allowed) {
        const std::size_t distance = edit_distance(key, candidate);
        if (distance < best_distance) {
          best_distance = distance;
          best = candidate;
        }
      }
      if (!best.empty()) message += " (did you mean \"" + std::string(best) + "\"?)";
      error("E-JSON-UNKNOWN-FIELD", pointer_append(pointer, key), std::move(message));
    }
  }

  // A member that may be absent or null. Returns nullptr for both.
  static const bj::value* member(const bj::object& object, std::string_view key) {
    const bj::value* value = object.if_contains(key);
    if (value == nullptr || value->is_null()) return nullptr;
    return value;
  }

  std::optional<std::string> optional_string(const bj::object& object, std::string_view key,
                                             const std::string& pointer) {
    const bj::value* value = member(object, key);
    if (value == nullptr) return std::nullopt;
    return expect_string(*value, pointer_append(pointer, key));
  }

  // A string that must match `valid`; `what` completes "expected ...". `quote` says whether the
  // bad value may be repeated in the message (never for PHI).
  template <class Predicate>
  std::optional<std::string> checked_string(const bj::object& object, std::string_view key,
                                            const std::string& pointer, Predicate valid,
                                            std::string_view what, std::string_view code,
                                            bool quote = true) {
    auto text = optional_string(object, key, pointer);
    if (!text) return std::nullopt;
    if (!valid(*text)) {
      std::string message = "expected " + std::string(what);
      if (quote) message += ", found \"" + *text + "\"";
      error(std::string(code), pointer_append(pointer, key), std::move(message));
      return std::nullopt;
    }
    return text;
  }

  std::optional<bool> optional_bool(const bj::object& object, std::string_view key,
                                    const std::string& pointer) {
    const bj::value* value = member(object, key);
    if (value == nullptr) return std::nullopt;
    if (const bool* flag = value->if_bool()) return *flag;
    error("E-JSON-TYPE", pointer_append(pointer, key),
          std::string("expected a boolean, found ") + std::string(type_word(*value)));
    return std::nullopt;
  }

  std::optional<int> expect_positive_int(const bj::value& value, const std::string& path) {
    std::int64_t number = 0;
    if (value.is_int64()) {
      number = value.get_int64();
    } else if (value.is_uint64()) {
      number =
          value.get_uint64() > 1000000 ? 1000001 : static_cast<std::int64_t>(value.get_uint64());
    } else if (value.is_double() && std::isfinite(value.get_double()) &&
               std::trunc(value.get_double()) == value.get_double()) {
      // 2.0 is an integer to JSON Schema (2020-12 "integer": a number whose fractional part is
      // zero, so schemas/claim.schema.json accepts it), and Java and Python serialisers write
      // whole doubles that way.
      const double whole = value.get_double();
      number = whole < 0 ? 0 : whole > 1000000 ? 1000001 : static_cast<std::int64_t>(whole);
    } else {
      error("E-JSON-TYPE", path,
            std::string("expected an integer, found ") + std::string(type_word(value)));
      return std::nullopt;
    }
    if (number < 1 || number > 1000000) {
      error("E-JSON-VALUE", path, "expected an integer from 1 to 1000000");
      return std::nullopt;
    }
    return static_cast<int>(number);
  }

  std::optional<core::Date> optional_date(const bj::object& object, std::string_view key,
                                          const std::string& pointer, bool quote = true) {
    auto text = optional_string(object, key, pointer);
    if (!text) return std::nullopt;
    auto date = core::parse_iso_date(*text);
    if (!date) {
      std::string message = "expected a calendar date YYYY-MM-DD";
      if (quote) message += ", found \"" + *text + "\"";
      error("E-JSON-DATE", pointer_append(pointer, key), std::move(message));
    }
    return date;
  }

  // {"from": date, "to": date}; `to` defaults to `from` when `to_optional`.
  std::optional<model::DateRange> optional_range(const bj::object& object, std::string_view key,
                                                 const std::string& pointer, bool to_optional) {
    const bj::value* value = member(object, key);
    if (value == nullptr) return std::nullopt;
    const std::string path = pointer_append(pointer, key);
    const bj::object* range = expect_object(*value, path);
    if (range == nullptr) return std::nullopt;
    static constexpr std::string_view kKeys[] = {"from", "to"};
    check_keys(*range, path, kKeys);
    const std::size_t errors_before = error_count_;
    auto from = optional_date(*range, "from", path);
    auto to = optional_date(*range, "to", path);
    if (member(*range, "from") == nullptr) {
      error("E-JSON-MISSING", pointer_append(path, "from"), "missing required field \"from\"");
    }
    if (member(*range, "to") == nullptr && !to_optional) {
      error("E-JSON-MISSING", pointer_append(path, "to"), "missing required field \"to\"");
    }
    if (error_count_ != errors_before || !from) return std::nullopt;
    if (!to) to = from;
    if (*to < *from) {
      error("E-JSON-DATE", pointer_append(path, "to"), "\"to\" is before \"from\"");
      return std::nullopt;
    }
    return model::DateRange{*from, *to};
  }

  std::vector<std::string> string_array(const bj::object& object, std::string_view key,
                                        const std::string& pointer) {
    std::vector<std::string> out;
    const bj::value* value = member(object, key);
    if (value == nullptr) return out;
    const std::string path = pointer_append(pointer, key);
    const bj::array* array = value->if_array();
    if (array == nullptr) {
      error("E-JSON-TYPE", path,
            std::string("expected an array, found ") + std::string(type_word(*value)));
      return out;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (auto text = expect_string((*array)[i], pointer_append(path, i))) {
        if (text->empty()) {
          error("E-JSON-VALUE", pointer_append(path, i), "expected a non-empty string");
          continue;
        }
        out.push_back(std::move(*text));
      }
    }
    return out;
  }

  const bj::array* optional_array(const bj::object& object, std::string_view key,
                                  const std::string& pointer) {
    const bj::value* value = member(object, key);
    if (value == nullptr) return nullptr;
    if (const bj::array* array = value->if_array()) return array;
    error("E-JSON-TYPE", pointer_append(pointer, key),
          std::string("expected an array, found ") + std::string(type_word(*value)));
    return nullptr;
  }

 private:
  void read_identity(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    if (member(object, "claim_id") == nullptr) {
      error("E-JSON-MISSING", pointer_append(pointer, "claim_id"),
            "missing required field \"claim_id\"");
    } else if (auto id = optional_string(object, "claim_id", pointer)) {
      if (id->empty() || id->size() > 80) {
        error("E-JSON-VALUE", pointer_append(pointer, "claim_id"), "expected 1 to 80 characters");
      } else {
        claim.claim_id = std::move(*id);
      }
    }
    if (auto kind = optional_string(object, "kind", pointer)) {
      if (auto parsed = model::parse_claim_kind(*kind)) {
        claim.kind = *parsed;
      } else {
        error("E-JSON-ENUM", pointer_append(pointer, "kind"),
              "unknown kind \"" + *kind + "\"; expected one of " +
                  quoted_list({"professional", "institutional", "oral", "vision", "pharmacy"}));
      }
    }
    if (auto use = optional_string(object, "use", pointer)) {
      if (auto parsed = parse_use(*use)) {
        claim.use = *parsed;
      } else {
        error("E-JSON-ENUM", pointer_append(pointer, "use"),
              "unknown use \"" + *use + "\"; expected one of " +
                  quoted_list({"claim", "preauthorization", "predetermination"}));
      }
    }
    if (auto frequency = optional_string(object, "frequency", pointer)) {
      if (is_frequency_code(*frequency)) {
        claim.frequency_code = *frequency;
        claim.frequency = model::frequency_from_code(*frequency);
      } else {
        error("E-JSON-ENUM", pointer_append(pointer, "frequency"),
              "unknown frequency \"" + *frequency + "\"; expected one of " +
                  quoted_list({"1", "7", "8"}) +
                  " or another claim frequency code of the type of bill (0, 2-5, 9, A-Q)");
      }
    }
    if (auto replaces = optional_string(object, "replaces", pointer)) {
      claim.replaces = std::move(*replaces);
    }
  }

  void read_parties(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    read_billing_provider(object, pointer, claim);
    read_payer(object, pointer, claim);
    read_payer_kind(object, pointer, claim);
    read_patient(object, pointer, claim);
  }

  void read_billing_provider(const bj::object& object, const std::string& pointer,
                             model::Claim& claim) {
    if (const bj::value* value = member(object, "billing_provider")) {
      const std::string path = pointer_append(pointer, "billing_provider");
      if (const bj::object* provider = expect_object(*value, path)) {
        static constexpr std::string_view kKeys[] = {"npi", "tax_id"};
        check_keys(*provider, path, kKeys);
        claim.billing_provider.origin = origin_at(path);
        auto npi = checked_string(
            *provider, "npi", path,
            [](std::string_view t) { return t.size() == 10 && all_digits(t); }, "a 10-digit NPI",
            "E-JSON-VALUE");
        if (npi) claim.billing_provider.npi = std::move(*npi);
        auto tax_id = checked_string(
            *provider, "tax_id", path,
            [](std::string_view t) { return t.size() == 9 && all_digits(t); }, "a 9-digit tax id",
            "E-JSON-VALUE");
        if (tax_id) claim.billing_provider.tax_id = std::move(*tax_id);
      }
    }
  }

  void read_payer(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    if (const bj::value* value = member(object, "payer")) {
      const std::string path = pointer_append(pointer, "payer");
      if (const bj::object* payer = expect_object(*value, path)) {
        static constexpr std::string_view kKeys[] = {"id", "name", "program"};
        check_keys(*payer, path, kKeys);
        claim.payer.origin = origin_at(path);
        if (auto id = optional_string(*payer, "id", path)) claim.payer.id = std::move(*id);
        if (auto name = optional_string(*payer, "name", path)) claim.payer.name = std::move(*name);
        auto program = checked_string(
            *payer, "program", path,
            [](std::string_view t) {
              return std::find(std::begin(kFilingIndicators), std::end(kFilingIndicators), t) !=
                     std::end(kFilingIndicators);
            },
            "an SBR09 claim filing indicator code (\"MB\", \"MC\", \"CI\", \"WC\" ...)",
            "E-JSON-ENUM");
        if (program) {
          claim.payer.filing_indicator = *program;
          claim.payer.kind = model::payer_kind_from_filing_indicator(*program);
        }
      }
    }
  }

  // "payer_kind", after "payer" (whose program gives the kind when it has one).
  void read_payer_kind(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    if (auto kind = optional_string(object, "payer_kind", pointer)) {
      const std::string path = pointer_append(pointer, "payer_kind");
      if (auto parsed = model::parse_payer_kind(*kind)) {
        if (!claim.payer.filing_indicator.empty() && claim.payer.kind != *parsed) {
          error("E-JSON-VALUE", path,
                "payer_kind \"" + *kind + "\" contradicts payer.program \"" +
                    claim.payer.filing_indicator + "\" (" +
                    std::string(model::to_string(claim.payer.kind)) + ")");
        } else {
          claim.payer.kind = *parsed;
        }
      } else {
        error("E-JSON-ENUM", path,
              "unknown payer_kind \"" + *kind + "\"; expected one of " +
                  quoted_list({"medicare", "medicaid", "commercial", "workers_comp", "auto",
                               "liability", "tricare", "va", "other"}));
      }
    }
  }

  void read_patient(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    if (const bj::value* value = member(object, "patient")) {
      const std::string path = pointer_append(pointer, "patient");
      if (const bj::object* patient = expect_object(*value, path)) {
        static constexpr std::string_view kKeys[] = {"member_id", "last_name", "first_name",
                                                     "birth_date", "sex"};
        check_keys(*patient, path, kKeys);
        claim.patient.origin = origin_at(path);
        // PHI: messages below never repeat the value.
        if (auto id = optional_string(*patient, "member_id", path)) {
          claim.patient.member_id = core::Phi<std::string>(std::move(*id));
        }
        if (auto last = optional_string(*patient, "last_name", path)) {
          claim.patient.last_name = core::Phi<std::string>(std::move(*last));
        }
        if (auto first = optional_string(*patient, "first_name", path)) {
          claim.patient.first_name = core::Phi<std::string>(std::move(*first));
        }
        if (auto birth = optional_date(*patient, "birth_date", path, /*quote=*/false)) {
          claim.patient.birth_date = core::Phi<std::optional<core::Date>>(*birth);
        }
        auto sex = checked_string(
            *patient, "sex", path,
            [](std::string_view t) { return t == "F" || t == "M" || t == "U"; },
            "one of \"F\", \"M\", \"U\"", "E-JSON-ENUM", /*quote=*/false);
        if (sex) claim.patient.sex = core::Phi<char>(sex->front());
      }
    }
  }

  void read_dates(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    claim.onset_date = optional_date(object, "onset_date", pointer);
    claim.statement_period = optional_range(object, "statement_period", pointer, false);
    claim.admission_date = optional_date(object, "admission_date", pointer);
    if (auto type = optional_string(object, "admission_type", pointer)) {
      claim.admission_type = std::move(*type);
    }
    auto pos = checked_string(
        object, "place_of_service", pointer,
        [](std::string_view t) { return t.size() == 2 && all_digits(t); },
        "a 2-digit place of service code", "E-JSON-VALUE");
    if (pos) claim.place_of_service = std::move(*pos);
    auto facility = checked_string(
        object, "facility_type", pointer,
        [](std::string_view t) { return t.size() == 2 && all_digits(t); },
        "a 2-digit facility type code", "E-JSON-VALUE");
    if (facility) claim.facility_type = std::move(*facility);
    auto total = checked_string(
        object, "total_charge", pointer, [](std::string_view t) { return is_decimal(t, 2); },
        "an amount as a decimal string (\"55.00\")", "E-JSON-VALUE");
    if (total) claim.total_charge = std::move(*total);
    claim.condition_codes = string_array(object, "condition_codes", pointer);
  }

  // An entry's "code": a non-empty string, required.
  std::optional<std::string> required_code(const bj::object& entry, const std::string& path) {
    if (member(entry, "code") == nullptr) {
      error("E-JSON-MISSING", pointer_append(path, "code"), "missing required field \"code\"");
      return std::nullopt;
    }
    auto code = optional_string(entry, "code", path);
    if (code && code->empty()) {
      error("E-JSON-VALUE", pointer_append(path, "code"), "expected a non-empty string");
      return std::nullopt;
    }
    return code;
  }

  // "occurrences" [{code, date}], "occurrence_spans" [{code, period}], "value_codes"
  // [{code, amount}] (837I HI BH, BI, BE). "occurrence_codes" (the codes alone, as rules read
  // them) is read as sent when the two lists hold none (older documents send only it); beside
  // them it is their codes again, and must name the same codes.
  void read_occurrences(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    std::vector<std::string> codes = string_array(object, "occurrence_codes", pointer);
    read_occurrence_list(object, pointer, claim);
    read_occurrence_span_list(object, pointer, claim);
    if (claim.occurrence_codes.empty()) {
      claim.occurrence_codes = std::move(codes);
    } else if (member(object, "occurrence_codes") != nullptr) {
      std::vector<std::string> derived = claim.occurrence_codes;
      std::sort(derived.begin(), derived.end());
      std::sort(codes.begin(), codes.end());
      if (codes != derived) {
        error("E-JSON-VALUE", pointer_append(pointer, "occurrence_codes"),
              "occurrence_codes holds the codes of occurrences and occurrence_spans; it names "
              "other codes than they do (send one or the other, or the same codes)");
      }
    }
    read_value_codes(object, pointer, claim);
  }

  // "occurrences": [{code, date}].
  void read_occurrence_list(const bj::object& object, const std::string& pointer,
                            model::Claim& claim) {
    const bj::array* array = optional_array(object, "occurrences", pointer);
    if (array == nullptr) return;
    const std::string list_path = pointer_append(pointer, "occurrences");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      const bj::object* entry = expect_object((*array)[i], path);
      if (entry == nullptr) continue;
      static constexpr std::string_view kKeys[] = {"code", "date"};
      check_keys(*entry, path, kKeys);
      auto code = required_code(*entry, path);
      auto date = optional_date(*entry, "date", path);
      if (!code) continue;
      model::add_occurrence(claim, model::Occurrence{std::move(*code), date,
                                                     origin_at(pointer_append(path, "code"))});
    }
  }

  // "occurrence_spans": [{code, period}].
  void read_occurrence_span_list(const bj::object& object, const std::string& pointer,
                                 model::Claim& claim) {
    const bj::array* array = optional_array(object, "occurrence_spans", pointer);
    if (array == nullptr) return;
    const std::string list_path = pointer_append(pointer, "occurrence_spans");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      const bj::object* entry = expect_object((*array)[i], path);
      if (entry == nullptr) continue;
      static constexpr std::string_view kKeys[] = {"code", "period"};
      check_keys(*entry, path, kKeys);
      auto code = required_code(*entry, path);
      auto period = optional_range(*entry, "period", path, false);
      if (!code) continue;
      model::add_occurrence_span(
          claim,
          model::OccurrenceSpan{std::move(*code), period, origin_at(pointer_append(path, "code"))});
    }
  }

  // "value_codes": [{code, amount}]; the amount a decimal string, negative allowed.
  void read_value_codes(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    const bj::array* array = optional_array(object, "value_codes", pointer);
    if (array == nullptr) return;
    const std::string list_path = pointer_append(pointer, "value_codes");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      const bj::object* entry = expect_object((*array)[i], path);
      if (entry == nullptr) continue;
      static constexpr std::string_view kKeys[] = {"code", "amount"};
      check_keys(*entry, path, kKeys);
      auto code = required_code(*entry, path);
      auto amount = checked_string(
          *entry, "amount", path,
          [](std::string_view t) {
            if (!t.empty() && t.front() == '-') t.remove_prefix(1);
            return is_decimal(t, 0);
          },
          "an amount as a decimal string (\"4\", \"1250.00\")", "E-JSON-VALUE");
      if (!code) continue;
      claim.value_codes.push_back(model::ValueCode{std::move(*code), amount.value_or(""),
                                                   origin_at(pointer_append(path, "code"))});
    }
  }

  // "procedures" [{seq, code, system, role, qualifier, date}] (837I HI BBR/BBQ, FHIR
  // Claim.procedure).
  void read_procedures(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    const bj::array* array = optional_array(object, "procedures", pointer);
    if (array == nullptr) return;
    const std::string list_path = pointer_append(pointer, "procedures");
    std::set<int> seen;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      const bj::object* entry = expect_object((*array)[i], path);
      if (entry == nullptr) continue;
      static constexpr std::string_view kKeys[] = {"seq",  "code",      "system",
                                                   "role", "qualifier", "date"};
      check_keys(*entry, path, kKeys);
      model::Procedure procedure;
      procedure.seq = static_cast<int>(i) + 1;
      if (const bj::value* seq = member(*entry, "seq")) {
        if (auto number = expect_positive_int(*seq, pointer_append(path, "seq"))) {
          procedure.seq = *number;
        }
      }
      if (!seen.insert(procedure.seq).second) {
        error("E-JSON-VALUE", pointer_append(path, "seq"),
              "duplicate procedure seq " + std::to_string(procedure.seq));
      }
      auto code = required_code(*entry, path);
      read_procedure_system_and_role(*entry, path, procedure);
      if (auto qualifier = optional_string(*entry, "qualifier", path)) {
        procedure.qualifier = std::move(*qualifier);
      }
      procedure.date = optional_date(*entry, "date", path);
      if (!code) continue;
      procedure.raw = *code;
      procedure.code = detail::procedure_code(*code);
      procedure.origin = origin_at(pointer_append(path, "code"));
      claim.procedures.push_back(std::move(procedure));
    }
  }

  // A procedures entry's "system" and "role".
  void read_procedure_system_and_role(const bj::object& entry, const std::string& path,
                                      model::Procedure& procedure) {
    if (auto system = optional_string(entry, "system", path)) {
      if (auto parsed = model::parse_procedure_system(*system)) {
        procedure.system = *parsed;
      } else {
        error("E-JSON-ENUM", pointer_append(path, "system"),
              "unknown procedure system \"" + *system + "\"; expected one of " +
                  quoted_list({"icd10pcs", "icd9cm", "other"}));
      }
    }
    if (auto role = optional_string(entry, "role", path)) {
      if (*role == "principal" || *role == "other") {
        procedure.principal = *role == "principal";
      } else {
        error("E-JSON-ENUM", pointer_append(path, "role"),
              "unknown procedure role \"" + *role + "\"; expected one of " +
                  quoted_list({"principal", "other"}));
      }
    }
  }

  void read_accident(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    const bj::value* value = member(object, "accident");
    if (value == nullptr) return;
    const std::string path = pointer_append(pointer, "accident");
    const bj::object* accident = expect_object(*value, path);
    if (accident == nullptr) return;
    static constexpr std::string_view kKeys[] = {"cause", "date", "state", "related_causes"};
    check_keys(*accident, path, kKeys);
    claim.accident.origin = origin_at(path);
    if (auto cause = optional_string(*accident, "cause", path)) {
      if (auto parsed = model::parse_accident_cause(*cause)) {
        claim.accident.cause = *parsed;
      } else {
        error("E-JSON-ENUM", pointer_append(path, "cause"),
              "unknown accident cause \"" + *cause + "\"; expected one of " +
                  quoted_list({"auto", "employment", "other"}));
      }
    }
    claim.accident.date = optional_date(*accident, "date", path);
    auto state = checked_string(
        *accident, "state", path,
        [](std::string_view t) {
          return t.size() == 2 && t[0] >= 'A' && t[0] <= 'Z' && t[1] >= 'A' && t[1] <= 'Z';
        },
        "a 2-letter state code", "E-JSON-VALUE");
    if (state) claim.accident.state = std::move(*state);
    const std::size_t errors_before = error_count_;
    auto causes = string_array(*accident, "related_causes", path);
    for (std::size_t i = 0; i < causes.size(); ++i) {
      if (causes[i] != "AA" && causes[i] != "EM" && causes[i] != "OA") {
        error("E-JSON-ENUM", pointer_append(pointer_append(path, "related_causes"), i),
              "unknown related cause \"" + causes[i] + "\"; expected one of " +
                  quoted_list({"AA", "EM", "OA"}));
      }
    }
    if (error_count_ != errors_before) return;
    // Without a cause, the first related cause gives it, as the X12 reader takes it from CLM11
    // (AA auto, EM employment, OA other), so rules see the same claim in either format.
    if (member(*accident, "cause") == nullptr && !causes.empty()) {
      claim.accident.cause = causes.front() == "AA"   ? model::AccidentCause::kAuto
                             : causes.front() == "EM" ? model::AccidentCause::kEmployment
                                                      : model::AccidentCause::kOther;
    }
    claim.accident.related_causes = std::move(causes);
  }

  void read_diagnoses(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    // Whether every diagnosis seq is known (pointers are checked against them only then).
    const bj::value* member_value = member(object, "diagnoses");
    all_seqs_known_ = member_value == nullptr || member_value->is_array();
    const bj::array* array = optional_array(object, "diagnoses", pointer);
    if (array == nullptr) return;
    const std::string list_path = pointer_append(pointer, "diagnoses");
    std::set<int> seen;
    std::vector<bool> role_given;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      const bj::object* entry = expect_object((*array)[i], path);
      if (entry == nullptr) {
        all_seqs_known_ = false;
        continue;
      }
      static constexpr std::string_view kKeys[] = {"seq", "code",        "role",
                                                   "poa", "code_system", "qualifier"};
      check_keys(*entry, path, kKeys);
      model::Diagnosis diagnosis;
      read_diagnosis_seq(*entry, path, seen, diagnosis);
      read_diagnosis_code(*entry, path, diagnosis);
      const bool has_role = read_diagnosis_role(*entry, path, diagnosis);
      auto poa = checked_string(
          *entry, "poa", path,
          [](std::string_view t) {
            return t == "Y" || t == "N" || t == "U" || t == "W" || t == "1";
          },
          "one of \"Y\", \"N\", \"U\", \"W\", \"1\"", "E-JSON-ENUM");
      if (poa) diagnosis.poa = poa->front();
      diagnosis.code_system = model::CodeSystem::kIcd10Cm;
      if (auto system = optional_string(*entry, "code_system", path)) {
        if (auto parsed = parse_code_system(*system)) {
          diagnosis.code_system = *parsed;
        } else {
          error("E-JSON-ENUM", pointer_append(path, "code_system"),
                "unknown code_system \"" + *system + "\"; expected one of " +
                    quoted_list({"icd10cm", "icd9cm", "unknown"}));
        }
      }
      if (auto qualifier = optional_string(*entry, "qualifier", path)) {
        diagnosis.qualifier = std::move(*qualifier);
      }
      role_given.push_back(has_role);
      claim.diagnoses.push_back(std::move(diagnosis));
    }
    const std::vector<bool> sorted_given = sort_diagnoses_by_seq(claim, role_given);
    demote_later_principals(claim);
    // Entries without a role: the first one (lowest seq) is principal unless another entry says
    // so (as on a CMS-1500, where diagnosis A is the primary one).
    detail::infer_roles(claim.diagnoses, sorted_given);
  }

  // A diagnoses entry's "seq" (required; distinct in the list).
  void read_diagnosis_seq(const bj::object& entry, const std::string& path, std::set<int>& seen,
                          model::Diagnosis& diagnosis) {
    if (const bj::value* seq = member(entry, "seq")) {
      if (auto number = expect_positive_int(*seq, pointer_append(path, "seq"))) {
        if (!seen.insert(*number).second) {
          error("E-JSON-VALUE", pointer_append(path, "seq"),
                "duplicate diagnosis seq " + std::to_string(*number));
        }
        diagnosis.seq = *number;
      } else {
        all_seqs_known_ = false;
      }
    } else {
      all_seqs_known_ = false;
      error("E-JSON-MISSING", pointer_append(path, "seq"), "missing required field \"seq\"");
    }
  }

  // A diagnoses entry's "code" (required), as written and normalised, and its origin.
  void read_diagnosis_code(const bj::object& entry, const std::string& path,
                           model::Diagnosis& diagnosis) {
    const std::string code_path = pointer_append(path, "code");
    diagnosis.origin = origin_at(code_path);
    if (member(entry, "code") == nullptr) {
      error("E-JSON-MISSING", code_path, "missing required field \"code\"");
    } else if (auto raw = optional_string(entry, "code", path)) {
      diagnosis.raw = *raw;
      // An ICD-9-CM E code takes its dot after the fourth character (E849.0), as
      // claim_to_json() prints it.
      std::string spelled = *raw;
      const bj::value* system = member(entry, "code_system");
      const std::size_t first = spelled.find_first_not_of(" \t");
      if (system != nullptr && system->is_string() && system->get_string() == "icd9cm" &&
          first != std::string::npos && spelled.size() > first + 5 &&
          (spelled[first] == 'E' || spelled[first] == 'e') && spelled[first + 4] == '.') {
        spelled.erase(first + 4, 1);
      }
      if (auto code = core::normalize_icd10(spelled)) {
        diagnosis.code = std::move(*code);
      } else {
        error("E-JSON-CODE", code_path,
              "\"" + *raw +
                  "\" is not spelled like an ICD-10-CM code (3 to 7 letters and "
                  "digits, one optional dot after the third)");
      }
    }
  }

  // A diagnoses entry's "role"; true when it gives a known one.
  bool read_diagnosis_role(const bj::object& entry, const std::string& path,
                           model::Diagnosis& diagnosis) {
    if (auto role = optional_string(entry, "role", path)) {
      if (auto parsed = model::parse_diagnosis_role(*role)) {
        diagnosis.role = *parsed;
        return true;
      }
      error("E-JSON-ENUM", pointer_append(path, "role"),
            "unknown role \"" + *role + "\"; expected one of " +
                quoted_list(
                    {"principal", "admitting", "reason_for_visit", "external_cause", "other"}));
    }
    return false;
  }

  // seq is the diagnosis's position (seq 1 is first-listed, as rules read it), whatever the
  // array order: keeps the list in seq order. Returns `role_given` in the same order.
  static std::vector<bool> sort_diagnoses_by_seq(model::Claim& claim,
                                                 const std::vector<bool>& role_given) {
    std::vector<std::size_t> order(claim.diagnoses.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return claim.diagnoses[a].seq < claim.diagnoses[b].seq;
    });
    std::vector<model::Diagnosis> sorted;
    std::vector<bool> sorted_given;
    for (const std::size_t i : order) {
      sorted.push_back(std::move(claim.diagnoses[i]));
      sorted_given.push_back(role_given[i]);
    }
    claim.diagnoses = std::move(sorted);
    return sorted_given;
  }

  // One principal a claim: a later "principal" is read as "other", as the X12 and FHIR readers
  // read a second ABK or principal type, so principal-only edits judge the first-listed one.
  void demote_later_principals(model::Claim& claim) {
    for (const std::size_t i : detail::keep_one_principal(claim.diagnoses)) {
      std::string role_path = claim.diagnoses[i].origin.pointer;  // ".../diagnoses/N/code".
      assert(role_path.ends_with("/code"));
      role_path.replace(role_path.size() - 4, 4, "role");
      const auto first = std::find_if(
          claim.diagnoses.begin(), claim.diagnoses.end(),
          [](const model::Diagnosis& d) { return d.role == model::DiagnosisRole::kPrincipal; });
      claim.diagnostics.push_back(core::Diagnostic{
          core::Severity::kWarning,
          "W-JSON-PRINCIPAL",
          {file_name_, 0, 0, role_path},
          "diagnosis seq " + std::to_string(claim.diagnoses[i].seq) +
              " is a second principal diagnosis (after seq " + std::to_string(first->seq) +
              "): a claim has one; read as \"other\""});
    }
  }

  void read_lines(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    const bj::array* array = optional_array(object, "lines", pointer);
    if (array == nullptr) return;
    const std::string list_path = pointer_append(pointer, "lines");
    std::set<int> seen;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      const bj::object* entry = expect_object((*array)[i], path);
      if (entry == nullptr) continue;
      static constexpr std::string_view kKeys[] = {
          "seq",          "procedure",     "revenue_code",
          "units",        "unit_basis",    "charge",
          "service_date", "dx_pointers",   "place_of_service",
          "body_sites",   "control_number"};
      check_keys(*entry, path, kKeys);
      model::ServiceLine line;
      line.origin = origin_at(path);
      read_line_seq(*entry, path, seen, line);
      read_procedure(*entry, path, line);
      auto revenue = checked_string(
          *entry, "revenue_code", path,
          [](std::string_view t) { return (t.size() == 3 || t.size() == 4) && all_digits(t); },
          "a 3- or 4-digit revenue code", "E-JSON-VALUE");
      if (revenue) line.revenue_code = std::move(*revenue);
      auto units = checked_string(
          *entry, "units", path, [](std::string_view t) { return is_decimal(t, 0); },
          "units as a decimal string (\"1\", \"0.5\")", "E-JSON-VALUE");
      if (units) line.units = std::move(*units);
      if (auto basis = optional_string(*entry, "unit_basis", path)) {
        line.unit_basis = std::move(*basis);
      }
      auto charge = checked_string(
          *entry, "charge", path, [](std::string_view t) { return is_decimal(t, 2); },
          "an amount as a decimal string (\"55.00\")", "E-JSON-VALUE");
      if (charge) line.charge = std::move(*charge);
      line.service_dates = optional_range(*entry, "service_date", path, true);
      read_dx_pointers(*entry, path, claim, line);
      auto pos = checked_string(
          *entry, "place_of_service", path,
          [](std::string_view t) { return t.size() == 2 && all_digits(t); },
          "a 2-digit place of service code", "E-JSON-VALUE");
      if (pos) line.place_of_service = std::move(*pos);
      line.body_sites = string_array(*entry, "body_sites", path);
      if (auto control = optional_string(*entry, "control_number", path)) {
        line.control_number = std::move(*control);
      }
      claim.lines.push_back(std::move(line));
    }
  }

  // A lines entry's "seq" (required; distinct in the list).
  void read_line_seq(const bj::object& entry, const std::string& path, std::set<int>& seen,
                     model::ServiceLine& line) {
    if (const bj::value* seq = member(entry, "seq")) {
      if (auto number = expect_positive_int(*seq, pointer_append(path, "seq"))) {
        if (!seen.insert(*number).second) {
          error("E-JSON-VALUE", pointer_append(path, "seq"),
                "duplicate line seq " + std::to_string(*number));
        }
        line.seq = *number;
      }
    } else {
      error("E-JSON-MISSING", pointer_append(path, "seq"), "missing required field \"seq\"");
    }
  }

  // A lines entry's "dx_pointers", after the claim's diagnoses are read.
  void read_dx_pointers(const bj::object& entry, const std::string& path, model::Claim& claim,
                        model::ServiceLine& line) {
    const bj::array* pointers = optional_array(entry, "dx_pointers", path);
    if (pointers == nullptr) return;
    const std::string pointers_path = pointer_append(path, "dx_pointers");
    for (std::size_t p = 0; p < pointers->size(); ++p) {
      const std::string item_path = pointer_append(pointers_path, p);
      auto number = expect_positive_int((*pointers)[p], item_path);
      if (!number) continue;
      const bool known = std::any_of(claim.diagnoses.begin(), claim.diagnoses.end(),
                                     [&](const model::Diagnosis& d) { return d.seq == *number; });
      if (!known && all_seqs_known_) {
        // Kept, as the X12 reader keeps an SV107 position beyond the HI list and the FHIR
        // reader a diagnosisSequence matching no diagnosis: the line is wrong, the claim is
        // readable, and the rule line.pointer_invalid reports the line. When a diagnosis's
        // seq could not be read (an error that rejects the claim), the pointer may name it:
        // a warning would only repeat that error, so none is given.
        claim.diagnostics.push_back(
            core::Diagnostic{core::Severity::kWarning,
                             "W-JSON-DX-POINTER",
                             {file_name_, 0, 0, item_path},
                             "dx pointer " + std::to_string(*number) + " names no diagnosis seq"});
      }
      line.dx_pointers.push_back(*number);
    }
  }

  void read_procedure(const bj::object& entry, const std::string& path, model::ServiceLine& line) {
    const bj::value* value = member(entry, "procedure");
    if (value == nullptr) return;
    const std::string procedure_path = pointer_append(path, "procedure");
    const bj::object* procedure = expect_object(*value, procedure_path);
    if (procedure == nullptr) return;
    static constexpr std::string_view kKeys[] = {"system", "code", "modifiers"};
    check_keys(*procedure, procedure_path, kKeys);
    if (auto system = optional_string(*procedure, "system", procedure_path)) {
      line.procedure_qualifier = std::move(*system);
    }
    auto code = checked_string(
        *procedure, "code", procedure_path,
        [](std::string_view t) { return t.size() <= 48 && all_alnum(t); },
        "a procedure code of letters and digits", "E-JSON-CODE");
    if (code) line.procedure_code = std::move(*code);
    const std::size_t errors_before = error_count_;
    auto modifiers = string_array(*procedure, "modifiers", procedure_path);
    for (std::size_t m = 0; m < modifiers.size(); ++m) {
      if (modifiers[m].size() != 2 || !all_alnum(modifiers[m])) {
        error("E-JSON-CODE", pointer_append(pointer_append(procedure_path, "modifiers"), m),
              "expected a 2-character modifier, found \"" + modifiers[m] + "\"");
      }
    }
    if (modifiers.size() > 4) {
      error("E-JSON-VALUE", pointer_append(procedure_path, "modifiers"),
            "at most 4 modifiers per line");
    }
    for (std::string& modifier : modifiers) model::upper_case_modifier(modifier);
    if (error_count_ == errors_before) line.modifiers = std::move(modifiers);
  }

  void read_notes(const bj::object& object, const std::string& pointer, model::Claim& claim) {
    const bj::array* array = optional_array(object, "notes", pointer);
    if (array == nullptr) return;
    const std::string list_path = pointer_append(pointer, "notes");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string path = pointer_append(list_path, i);
      const bj::object* entry = expect_object((*array)[i], path);
      if (entry == nullptr) continue;
      static constexpr std::string_view kKeys[] = {"kind", "text"};
      check_keys(*entry, path, kKeys);
      model::Note note;
      note.origin = origin_at(path);
      if (auto kind = optional_string(*entry, "kind", path)) note.kind = std::move(*kind);
      if (auto text = optional_string(*entry, "text", path)) {
        note.text = core::Phi<std::string>(std::move(*text));
      }
      claim.notes.push_back(std::move(note));
    }
  }

  const std::string& file_name_;
  std::vector<core::Diagnostic>& diagnostics_;
  std::size_t error_count_ = 0;
  bool all_seqs_known_ = true;  // Every diagnosis seq of the claim being read was readable.
};

// Reads a whole document into one batch.
class JsonReader final : public BatchReader {
 public:
  JsonReader(ByteSource& source, std::string file_name, ReadOptions options)
      : source_(source), file_name_(std::move(file_name)), options_(options) {
    summary_.format = Format::kClaimJson;
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
    read_document(document, batch);
    detail::locate_batch(document.text, batch);
    summary_.claims = static_cast<int>(batch.claims.size());
    if (batch.claims.empty()) {
      if (!summary_.rejection) summary_.rejection = nothing_readable(batch.diagnostics);
      // The errors of the claims that could not be read still travel as one batch.
      if (batch.diagnostics.empty()) return false;
    }
    summary_.batches = 1;
    return true;
  }

  const FileSummary& summary() const override { return summary_; }

 private:
  // The document's root, or nullptr when it is not a claimaudit.claim/1 object (the rejection
  // set).
  const bj::object* claim_document_root(const detail::JsonDocument& document) {
    const bj::object* root = document.root.if_object();
    if (root == nullptr) {
      summary_.rejection =
          core::Diagnostic{core::Severity::kError,
                           "E-JSON-TYPE",
                           {file_name_, 1, 1, ""},
                           std::string("expected a claimaudit.claim/1 object, found ") +
                               std::string(type_word(document.root))};
      return nullptr;
    }
    const bj::value* format = root->if_contains("format");
    if (format == nullptr || !format->is_string() || format->get_string() != kClaimFormat) {
      core::Diagnostic rejection{core::Severity::kError,
                                 "E-JSON-FORMAT",
                                 {file_name_, 0, 0, "/format"},
                                 format == nullptr ? "missing \"format\": \"claimaudit.claim/1\""
                                                   : "\"format\" must be \"claimaudit.claim/1\""};
      if (format == nullptr) rejection.where.path.clear();
      const auto position = detail::locate_pointer(document.text, rejection.where.path);
      rejection.where.line = format == nullptr ? 1 : position.line;
      rejection.where.column = format == nullptr ? 1 : position.column;
      summary_.rejection = std::move(rejection);
      return nullptr;
    }
    return root;
  }

  // The index of the claim that holds the repeated key at `duplicate` (a pointer), or nullopt
  // when it is outside every claim of a batch document.
  static std::optional<std::size_t> claim_holding(const std::string& duplicate, bool is_batch) {
    if (!is_batch) return 0;
    if (duplicate.rfind("/claims/", 0) != 0) return std::nullopt;
    std::size_t value = 0;
    const char* first = duplicate.data() + 8;
    const char* last = duplicate.data() + duplicate.size();
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec == std::errc() && end != first && end != last && *end == '/') return value;
    return std::nullopt;
  }

  void read_document(const detail::JsonDocument& document, model::Batch& batch) {
    ClaimParser parser(file_name_, batch.diagnostics);
    const bj::object* root = claim_document_root(document);
    if (root == nullptr) return;
    // A repeated key: the parser kept one of the values (RFC 8259: which one is unpredictable).
    // The claim that holds it is not read; one outside every claim (a second "claims") makes
    // the whole document ambiguous.
    const bool is_batch = root->contains("claims");
    std::set<std::size_t> ambiguous;
    for (const std::string& duplicate : document.duplicate_keys) {
      const std::optional<std::size_t> index = claim_holding(duplicate, is_batch);
      if (!index) {
        summary_.rejection = core::Diagnostic{
            core::Severity::kError,
            "E-JSON-DUPLICATE-KEY",
            {file_name_, 0, 0, duplicate},
            "key repeated in one object (which value counts is undefined); the document is "
            "ambiguous and not read"};
        const auto position = detail::locate_pointer(document.text, duplicate);
        summary_.rejection->where.line = position.line;
        summary_.rejection->where.column = position.column;
        return;
      }
      parser.error("E-JSON-DUPLICATE-KEY", duplicate,
                   "key repeated in one object (which value counts is undefined); the claim is "
                   "not read");
      ambiguous.insert(*index);
    }
    if (!is_batch) {
      if (!ambiguous.empty()) return;
      if (auto claim = parser.parse(document.root, "", options_)) {
        batch.claims.push_back(std::move(*claim));
      }
      return;
    }
    static constexpr std::string_view kBatchKeys[] = {"format", "claims"};
    parser.check_keys(*root, "", kBatchKeys);
    const bj::value& claims = root->at("claims");
    const bj::array* array = claims.if_array();
    if (array == nullptr) {
      parser.error("E-JSON-TYPE", "/claims",
                   std::string("expected an array, found ") + std::string(type_word(claims)));
      return;
    }
    if (array->empty()) {
      summary_.rejection = core::Diagnostic{core::Severity::kError,
                                            "E-JSON-NO-CLAIMS",
                                            {file_name_, 0, 0, "/claims"},
                                            "no claims in input (\"claims\" is empty)"};
      return;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (ambiguous.contains(i)) continue;
      if (auto claim = parser.parse((*array)[i], detail::pointer_append("/claims", i), options_)) {
        claim->envelope.position = static_cast<int>(batch.claims.size());
        batch.claims.push_back(std::move(*claim));
      }
    }
  }

  core::Diagnostic nothing_readable(const std::vector<core::Diagnostic>& diagnostics) const {
    std::size_t errors = 0;
    const core::Diagnostic* first = nullptr;
    for (const auto& diagnostic : diagnostics) {
      if (diagnostic.severity != core::Severity::kError) continue;
      if (first == nullptr) first = &diagnostic;
      ++errors;
    }
    if (errors == 1) return *first;
    return core::Diagnostic{
        core::Severity::kError,
        "E-JSON-NO-CLAIMS",
        {file_name_, 0, 0, ""},
        "no readable claim: " + std::to_string(errors) + " errors (the first at " +
            (first != nullptr ? json::where_text(first->where) : std::string("?")) + ")"};
  }

  ByteSource& source_;
  std::string file_name_;
  ReadOptions options_;
  FileSummary summary_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<BatchReader> open_reader(ByteSource& source, std::string file_name,
                                         const ReadOptions& options) {
  return std::make_unique<JsonReader>(source, std::move(file_name), options);
}

std::optional<model::Claim> read_claim(const boost::json::value& value, std::string_view pointer,
                                       const std::string& file_name,
                                       std::vector<core::Diagnostic>& diagnostics,
                                       const ReadOptions& options) {
  ClaimParser parser(file_name, diagnostics);
  return parser.parse(value, std::string(pointer), options);
}

}  // namespace claimaudit::formats::json
