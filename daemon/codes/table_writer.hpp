// codes/table_writer.hpp
//
// Turns the code history and edit lists (read from their text form) into the bytes of the compact
// table (table_format.hpp). Used by the build's generator only. Pure; thread-safe.
#pragma once

#include <string>

#include "codes/history.hpp"

namespace claimaudit::codes {

// The whole codeset.bin. Throws std::invalid_argument if the history is inconsistent (a
// successor or parent that is not a code, more than 65535 successors on one interval).
std::string build_table(const CodeHistory& history, const EditTables& edits);

}  // namespace claimaudit::codes
