#include "rules/test_claim.hpp"

#include <boost/json.hpp>

#include "formats/json/json_reader.hpp"

namespace claimaudit::rules {
namespace {

bool is_integer(const std::string& text) {
  if (text.empty() || text.size() > 9) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// YAML to JSON. Plain scalars: true/false/null keep their meaning, and whole numbers stay numbers
// only where the claim format has numbers (seq, dx_pointers); everything else is a string, so
// `frequency: 1` and `code: 0001` read as the format's strings.
boost::json::value to_json(const YAML::Node& node, const std::string& key) {
  if (node.IsMap()) {
    boost::json::object object;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string name = it->first.Scalar();
      object[name] = to_json(it->second, name);
    }
    return object;
  }
  if (node.IsSequence()) {
    boost::json::array array;
    for (const YAML::Node& element : node) array.push_back(to_json(element, key));
    return array;
  }
  if (node.IsNull()) return nullptr;
  const std::string& text = node.Scalar();
  if (node.Tag() == "?") {
    if (text == "true") return true;
    if (text == "false") return false;
    if (text == "null" || text == "~") return nullptr;
    if ((key == "seq" || key == "dx_pointers") && is_integer(text)) {
      return static_cast<std::int64_t>(std::stoll(text));
    }
  }
  return boost::json::string(text);
}

}  // namespace

std::optional<model::Claim> build_test_claim(const YAML::Node& fragment,
                                             std::optional<core::Date> dos,
                                             std::vector<std::string>& errors) {
  boost::json::value value = to_json(fragment, "");
  boost::json::object& object = value.as_object();
  if (!object.contains("claim_id")) object["claim_id"] = "test";
  if (!object.contains("kind")) object["kind"] = "professional";
  if (!object.contains("frequency")) object["frequency"] = "1";
  if (!object.contains("billing_provider")) {
    object["billing_provider"] = boost::json::object{{"npi", "1234567893"}};
  }
  if (!object.contains("diagnoses")) object["diagnoses"] = boost::json::array();
  if (dos && !object.contains("lines")) {
    boost::json::array pointers;
    for (const auto& diagnosis : object["diagnoses"].as_array()) {
      if (diagnosis.is_object() && diagnosis.as_object().contains("seq")) {
        pointers.push_back(diagnosis.as_object().at("seq"));
      }
    }
    if (pointers.size() > 12) pointers.resize(12);
    boost::json::object line{
        {"seq", 1},
        {"procedure", boost::json::object{{"system", "CPT"}, {"code", "99213"}}},
        {"units", "1"},
        {"charge", "100.00"},
        {"service_date", boost::json::object{{"from", dos->iso()}, {"to", dos->iso()}}},
        {"dx_pointers", pointers}};
    object["lines"] = boost::json::array{line};
  }
  std::vector<core::Diagnostic> diagnostics;
  auto claim = formats::json::read_claim(value, "", "test", diagnostics);
  for (const core::Diagnostic& diagnostic : diagnostics) {
    if (diagnostic.severity != core::Severity::kError) continue;
    errors.push_back(diagnostic.where.path + ": " + diagnostic.message);
  }
  if (claim) claim->envelope.guide = "claimaudit.claim/1";
  return claim;
}

}  // namespace claimaudit::rules
