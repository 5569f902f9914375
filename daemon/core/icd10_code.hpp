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

// Where an ICD-9-CM code takes its dot: after the fourth character of an E code (E849.0), after
// the third otherwise (250.00, V22.0).
std::size_t icd9_dot_position(std::string_view normalized);
// "E8490" -> "E849.0", "25000" -> "250.00"; codes with nothing after the dot unchanged.
std::string dotted_icd9(std::string_view normalized);
// dotted_icd9() for an ICD-9-CM code, else dotted_icd10().
std::string dotted_code(std::string_view normalized, bool icd9);

// A diagnosis code a person typed, in either spelling the product prints: normalize_icd10(), or
// an ICD-9-CM E code dotted after its fourth character ("E880.9", "e849.0" -> "E8809", "E8490";
// no ICD-10-CM code has a dot there, so the reading is unambiguous). The reverse of
// dotted_code(). nullopt when neither spelling fits.
std::optional<std::string> normalize_diagnosis_code(std::string_view text);

}  // namespace claimaudit::core
