// core/icd10_code.hpp
//
// ICD-10-CM code spelling: normalise once at the reader boundary (trim, upper-case, drop the
// dot after the third character) and print dotted everywhere. Whether a code exists is the code
// history's answer (codes/), not a pattern's. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace claimaudit::core {

// "M62.830", "m62830", " M62.830 " -> "M62830". nullopt when, after trimming and dropping one
// dot after the third character, the text is not 3 to 7 ASCII letters or digits.
std::optional<std::string> normalize_icd10(std::string_view text);

// "M62830" -> "M62.830"; codes of 3 characters or fewer are returned unchanged.
std::string dotted_icd10(std::string_view normalized);

}  // namespace claimaudit::core
