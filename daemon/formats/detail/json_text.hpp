// formats/detail/json_text.hpp
//
// What the JSON and FHIR readers share: reading a whole document from a ByteSource, parsing it
// with Boost.JSON (error_code overloads only: nothing throws), turning a parse failure into a
// located diagnostic, RFC 6901 pointers, finding the line and column of a pointer in the text,
// and printing JSON numbers as the decimal strings the model keeps. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "core/diagnostic.hpp"
#include "formats/reader.hpp"

namespace claimaudit::formats::detail {

// Larger documents are rejected rather than read (a JSON or FHIR file is one batch in memory).
inline constexpr std::size_t kMaxJsonDocumentBytes = 256u << 20;

struct JsonDocument {
  std::string text;                       // The bytes as read.
  boost::json::value root;                // Null when `error` is set.
  std::optional<core::Diagnostic> error;  // E-JSON-SYNTAX / -TOO-LARGE / -TOO-DEEP, line:column.
  // Pointers of members whose key repeats an earlier key of the same object (the parser keeps
  // only the last value, so the document is ambiguous there), in text order, at most 100.
  std::vector<std::string> duplicate_keys;
};

// Reads `source` to the end and parses it. A UTF-8 byte order mark is skipped.
JsonDocument read_json_document(ByteSource& source, const std::string& file_name);

// The members of valid JSON `text` whose key repeats an earlier key of the same object: their
// pointers ("/entry/3/resource/status"), in text order, at most `limit`. Keys are compared as
// written (an escaped spelling of the same key is not caught).
std::vector<std::string> find_duplicate_keys(std::string_view text, std::size_t limit = 100);

// Whether `pointer` is `prefix` or lies below it ("/entry/1/x" is below "/entry/1", not below
// "/entry/10"; everything is below "").
bool pointer_within(std::string_view pointer, std::string_view prefix);

// "/a~1b" for ("", "a/b"): appends one escaped reference token.
std::string pointer_append(std::string_view pointer, std::string_view token);
std::string pointer_append(std::string_view pointer, std::size_t index);

// 1-based line and column of the value `pointer` names in `text`, or {0, 0} if it is not there.
struct TextPosition {
  int line = 0;
  int column = 0;
};
TextPosition locate_pointer(std::string_view text, std::string_view pointer);
TextPosition position_of_offset(std::string_view text, std::size_t offset);

// Fills line/column of every diagnostic that has a pointer path and no line yet (one that names
// a missing member gets the position of the object that should hold it), with one walk over
// `text` however many there are. locate_diagnostics() takes at most `limit` of `diagnostics`;
// locate_batch() takes the batch's and every claim's.
void locate_diagnostics(std::string_view text, std::vector<core::Diagnostic>& diagnostics,
                        std::size_t limit = 200);
void locate_batch(std::string_view text, model::Batch& batch);
void locate_all(std::string_view text, const std::vector<core::Diagnostic*>& diagnostics);

// A JSON number as a decimal string: integers exactly, doubles in their shortest round-trip
// form ("135.57", "12500"). nullopt if `value` is not a number.
std::optional<std::string> number_text(const boost::json::value& value);

// A money amount: two decimals when that is exact ("12500.00", "235.40"), else number_text().
std::optional<std::string> money_text(const boost::json::value& value);

// The JSON type word for messages: "a string", "an object", "null" ...
std::string_view type_word(const boost::json::value& value);

}  // namespace claimaudit::formats::detail
