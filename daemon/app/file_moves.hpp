// app/file_moves.hpp
//
// The file-system steps of a file's life: free names in archive/ and quarantine/, the rename
// that is the commit point, the quarantine reason file, and the same-file-system check made at
// start-up. Plain functions on paths; safe from any thread on different files.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/result.hpp"

namespace claimaudit::app {

// The longest file name Linux file systems take (NAME_MAX), in bytes.
inline constexpr std::size_t kNameMax = 255;
// What a quarantined file's reason file adds to its name.
inline constexpr std::string_view kReasonSuffix = ".reason.json";

struct FreeNameOptions {
  // The name must leave room for kReasonSuffix (quarantine/).
  bool reason_room = false;
  // NAME.reason.json must be free too: a new quarantine entry never takes another's reason.
  bool reason_free = false;
  // Names already promised to other files (not yet moved there): taken too. May be null.
  const std::set<std::filesystem::path>* reserved = nullptr;
};

// `stem` cut to at most `room` - suffix bytes (never inside a UTF-8 sequence), then `suffix`.
std::string fit_name(std::string_view stem, std::string_view suffix, std::size_t room);

// `directory / name`, or if taken `directory / "stem.N.ext"` with the smallest free N >= 1. A
// name longer than kNameMax (with the reason file's suffix, when asked) has its stem shortened,
// the extension kept, so that the rename and the reason file can be made.
std::filesystem::path free_name(const std::filesystem::path& directory, const std::string& name,
                                FreeNameOptions options = {});

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
