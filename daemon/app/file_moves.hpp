// app/file_moves.hpp
//
// The file-system steps of a file's life: free names in archive/ and quarantine/, the rename
// that is the commit point, the quarantine reason file, and the same-file-system check made at
// start-up. Plain functions on paths; safe from any thread on different files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"

namespace claimaudit::app {

// `directory / name`, or if taken `directory / "stem.N.ext"` with the smallest free N >= 1.
std::filesystem::path free_name(const std::filesystem::path& directory, const std::string& name);

// rename(2) `from` to `to`, creating `to`'s parent folder first. Never copies.
core::Result<void> move_file(const std::filesystem::path& from, const std::filesystem::path& to);

// Writes `path` (NAME.reason.json) durably: {"file": NAME, "errors": [{"severity", "code",
// "where", "message"}...]} with the fields of claimctl check --json errors. Never PHI.
core::Result<void> write_reason_file(const std::filesystem::path& path, const std::string& name,
                                     const std::vector<core::Diagnostic>& diagnostics);

// True if both paths (which must exist) are on one file system (same st_dev).
bool same_file_system(const std::filesystem::path& a, const std::filesystem::path& b);

// "2026-11-26" (UTC): the archive folder of today.
std::string today_utc();

}  // namespace claimaudit::app
