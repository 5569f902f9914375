// formats/fhir/fhir_reader.hpp
//
// Reader for FHIR R4 Claim resources (DOMAIN.md 3.1): a bare Claim, or a Bundle of any type
// holding one or more (also inside Bundles nested in its entries). References are resolved to
// contained resources ("#id", inside the resource holding the reference), to entries of the
// Bundle holding the Claim ("Type/id", absolute URLs) and to "urn:uuid:" fullUrls; Patient,
// Organization/Practitioner (NPI), Coverage (payor) fill the model. Diagnoses are kept in
// diagnosis.sequence order. Every field keeps its JSON pointer in model::Origin. One document is
// one batch; a Claim that cannot be read (a pre-R4 shape, a wrong type in a field the audit
// needs, a repeated key) is an error diagnostic in the batch and the others still yield; a
// cancelled or entered-in-error Claim is skipped with a warning. A dangling reference is a
// warning on its claim. Nothing throws for bad input. A reader object is used by one thread.
#pragma once

#include <memory>
#include <string>

#include "formats/reader.hpp"

namespace claimaudit::formats::fhir {

// `source` must outlive the reader. Never null.
std::unique_ptr<BatchReader> open_reader(ByteSource& source, std::string file_name,
                                         const ReadOptions& options = {});

}  // namespace claimaudit::formats::fhir
