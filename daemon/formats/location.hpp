// formats/location.hpp
//
// Human form of a model::Origin, the way a biller finds the spot in a claim file (DOMAIN.md
// 2.7): "ST 0001, segment 17 HI, HI01-2 (loop 2300)". JSON and FHIR origins carry an RFC 6901
// pointer, which is printed as is. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "model/claim.hpp"

namespace claimaudit::formats {

// X12: "ST <st_control>, segment <n> <TAG>[, <TAG><ee>[-<c>]][ repetition <r>][ (loop <id>)]".
// Element numbers have two digits (HI01), the component follows a dash (HI01-2), element 0
// names the whole segment. JSON/FHIR: the pointer ("/claims/0/diagnoses/1"). An empty origin
// gives "".
std::string render_origin(const model::Origin& origin, std::string_view st_control);

// "HI01-2", "CLM05", "HL" (element 0): the element reference alone, for messages.
std::string render_element(std::string_view tag, int element, int component = 0);

}  // namespace claimaudit::formats
