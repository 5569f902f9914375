#include "model/finding.hpp"

namespace claimaudit::model {

std::string_view to_string(FindingSeverity severity) {
  switch (severity) {
    case FindingSeverity::kInfo:
      return "info";
    case FindingSeverity::kWarning:
      return "warning";
    case FindingSeverity::kError:
      return "error";
  }
  return "error";
}

std::string_view to_string(RuleMode mode) {
  return mode == RuleMode::kShadow ? "shadow" : "enforce";
}

}  // namespace claimaudit::model
