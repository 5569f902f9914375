// rules/test_claim.hpp
//
// Inline test claims: a claimaudit.claim/1 claim (DOMAIN.md 3.2) written as YAML in a rule's
// `tests`, with defaults for the fields a test rarely cares about, read by the JSON claim reader
// (formats/json) so tests see exactly what a real JSON claim would give.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/date.hpp"
#include "model/claim.hpp"

namespace claimaudit::rules {

// Builds the claim. `dos`, when given and the claim has no lines, adds one line on that date
// pointing to every diagnosis. Problems (messages naming the JSON pointer) go to `errors`.
std::optional<model::Claim> build_test_claim(const YAML::Node& fragment,
                                             std::optional<core::Date> dos,
                                             std::vector<std::string>& errors);

}  // namespace claimaudit::rules
