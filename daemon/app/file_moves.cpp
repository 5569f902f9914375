#include "app/file_moves.hpp"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

std::filesystem::path free_name(const std::filesystem::path& directory, const std::string& name) {
  std::error_code error;
  std::filesystem::path candidate = directory / name;
  if (!std::filesystem::exists(std::filesystem::symlink_status(candidate, error))) return candidate;
  const std::filesystem::path as_path(name);
  const std::string stem = as_path.stem().string();
  const std::string extension = as_path.extension().string();
  for (int n = 1;; ++n) {
    std::string numbered = stem;
    numbered += '.';
    numbered += std::to_string(n);
    numbered += extension;
    candidate = directory / numbered;
    if (!std::filesystem::exists(std::filesystem::symlink_status(candidate, error))) {
      return candidate;
    }
  }
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
  const std::filesystem::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return last_error();
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t count = ::write(fd, text.data() + written, text.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      const auto error = last_error();
      ::close(fd);
      return error;
    }
    written += static_cast<std::size_t>(count);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return last_error();
  if (::rename(temporary.c_str(), path.c_str()) != 0) return last_error();
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
