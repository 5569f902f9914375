#include "app/file_moves.hpp"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

#include <boost/json/serialize.hpp>

#include "formats/json/claim_json.hpp"

namespace claimaudit::app {
namespace {

core::ErrorCode last_error() { return core::ErrorCode(errno, boost::system::system_category()); }

}  // namespace

std::string fit_name(std::string_view stem, std::string_view suffix, std::size_t room) {
  std::size_t cut = room >= suffix.size() ? std::min(stem.size(), room - suffix.size()) : 0;
  // Never half a UTF-8 sequence: a continuation byte at the cut means its character is dropped.
  while (cut > 0 && cut < stem.size() && (static_cast<unsigned char>(stem[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  std::string fitted(stem.substr(0, cut));
  fitted += suffix;
  return fitted;
}

std::filesystem::path free_name(const std::filesystem::path& directory, const std::string& name,
                                FreeNameOptions options) {
  const std::size_t room = kNameMax - (options.reason_room ? kReasonSuffix.size() : 0);
  const auto taken = [&](const std::filesystem::path& candidate) {
    std::error_code error;
    if (std::filesystem::exists(std::filesystem::symlink_status(candidate, error))) return true;
    if (options.reason_free && std::filesystem::exists(std::filesystem::symlink_status(
                                   candidate.string() + std::string(kReasonSuffix), error))) {
      return true;
    }
    return options.reserved != nullptr && options.reserved->contains(candidate);
  };
  const std::filesystem::path as_path(name);
  std::string stem = as_path.stem().string();
  std::string extension = as_path.extension().string();
  if (extension.size() > room / 2) {  // Not an extension worth keeping whole: part of the name.
    stem = name;
    extension.clear();
  }
  std::filesystem::path candidate = directory / fit_name(stem, extension, room);
  for (int n = 1; taken(candidate); ++n) {
    candidate = directory / fit_name(stem, "." + std::to_string(n) + extension, room);
  }
  return candidate;
}

core::Result<void> move_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code error;
  std::filesystem::create_directories(to.parent_path(), error);
  if (error)
    return error.value() != 0 ? core::ErrorCode(error.value(), boost::system::system_category())
                              : core::ErrorCode();
  if (::rename(from.c_str(), to.c_str()) != 0) return last_error();
  return {};
}

core::Result<void> write_reason_file(const std::filesystem::path& path, const std::string& name,
                                     const std::vector<core::Diagnostic>& diagnostics) {
  boost::json::array errors;
  for (const core::Diagnostic& diagnostic : diagnostics) {
    errors.push_back(formats::json::diagnostic_to_json(diagnostic));
  }
  const std::string text =
      boost::json::serialize(boost::json::object{{"file", name}, {"errors", std::move(errors)}}) +
      "\n";
  std::error_code created;
  std::filesystem::create_directories(path.parent_path(), created);
  // A short temporary name beside it (NAME.tmp would not fit a NAME of 250 bytes or more).
  std::string temporary = (path.parent_path() / ".reason.XXXXXX").string();
  const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
  if (fd < 0) return last_error();
  ::fchmod(fd, 0640);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t count = ::write(fd, text.data() + written, text.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      const auto error = last_error();
      ::close(fd);
      ::unlink(temporary.c_str());
      return error;
    }
    written += static_cast<std::size_t>(count);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const auto error = last_error();
    ::unlink(temporary.c_str());
    return error;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const auto error = last_error();
    ::unlink(temporary.c_str());
    return error;
  }
  return {};
}

bool same_file_system(const std::filesystem::path& a, const std::filesystem::path& b) {
  struct stat first {};
  struct stat second {};
  if (::stat(a.c_str(), &first) != 0 || ::stat(b.c_str(), &second) != 0) return false;
  return first.st_dev == second.st_dev;
}

std::string today_utc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}

}  // namespace claimaudit::app
