// formats/json/json_reader.hpp
//
// Reader for claimaudit's own JSON claim format, claimaudit.claim/1 (DOMAIN.md 3.2; the exact
// grammar is schemas/claim.schema.json): one claim object, or a batch
// {"format": "claimaudit.claim/1", "claims": [...]}. Strict: a wrong type, an unknown field or
// enum word, a bad date or code is an error diagnostic at its JSON pointer (with line and column
// when read from text), and the claim that holds it is not yielded; the other claims of a batch
// still are. Codes are normalised (core::normalize_icd10). Every field keeps its pointer in
// model::Origin. One document is one batch. Nothing throws for bad input. A reader object is used
// by one thread; the free functions are thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "core/diagnostic.hpp"
#include "formats/reader.hpp"
#include "model/claim.hpp"

namespace claimaudit::formats::json {

// `source` must outlive the reader. Never null; a file with nothing readable yields nothing and
// reports its rejection in summary().
std::unique_ptr<BatchReader> open_reader(ByteSource& source, std::string file_name,
                                         const ReadOptions& options = {});

// Reads one claim object that is already parsed, e.g. a rule's inline test written in YAML and
// converted to JSON. `pointer` is the object's own location ("/tests/0/claim"); every origin and
// diagnostic path starts with it. "format" is optional here. Appends problems to `diagnostics`
// (file name `file_name`, no line or column: the caller knows where its value came from).
// Returns the claim when there was no error (warnings allowed), nullopt otherwise.
std::optional<model::Claim> read_claim(const boost::json::value& value, std::string_view pointer,
                                       const std::string& file_name,
                                       std::vector<core::Diagnostic>& diagnostics,
                                       const ReadOptions& options = {});

}  // namespace claimaudit::formats::json
