// claimctl/daemon_client.hpp
//
// What every claimctl command that talks to the daemon shares: the socket path (--socket,
// $CLAIMAUDIT_SOCKET, the configured path, else ./var/claimauditd.sock), one request with the
// exit codes of STYLE.md 4 (69 not running, 77 permission denied), aligned tables that fit 80
// columns (colour only on a terminal, NO_COLOR honoured), and RFC 4180 CSV. Header-only so the
// globbed cmd_*.cpp files need no CMake change.
#pragma once

#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/exit_code.hpp"
#include "core/log_safe.hpp"
#include "status/client.hpp"
#include "status/protocol.hpp"

namespace claimaudit::claimctl {

// Text the daemon answered with, made safe for a terminal: file names, claim ids, locations and
// messages are the senders' text, and a control character in them (ESC starting an escape
// sequence, a CR rewriting the line) is printed as an escape ("\x1B", "\r"), as the daemon logs
// them (core::log_safe). Human output only: --json and --csv give the text as it is (escaped by
// JSON, quoted by CSV).
inline std::string terminal_safe(std::string_view text) { return core::log_safe(text); }

// The configured socket path: `path:` under `socket:` in the daemon's config file.
inline std::optional<std::filesystem::path> configured_socket(const std::filesystem::path& config) {
  std::ifstream in(config);
  if (!in) return std::nullopt;
  std::string line;
  bool in_socket = false;
  while (std::getline(in, line)) {
    if (line.starts_with("socket:")) {
      in_socket = true;
      continue;
    }
    if (in_socket && !line.empty() && line[0] != ' ' && line[0] != '#') in_socket = false;
    const auto at = line.find("path:");
    if (in_socket && at != std::string::npos) {
      std::string value = line.substr(at + 5);
      value.erase(0, value.find_first_not_of(" \t\""));
      value.erase(value.find_last_not_of(" \t\"\r") + 1);
      if (!value.empty()) return std::filesystem::path(value);
    }
  }
  return std::nullopt;
}

inline std::filesystem::path default_socket() {
  if (const char* env = std::getenv("CLAIMAUDIT_SOCKET"); env != nullptr && *env != '\0') {
    return env;
  }
  if (auto configured = configured_socket("/etc/claimaudit/claimauditd.yaml")) return *configured;
  std::error_code ignored;
  if (std::filesystem::exists("./var/claimauditd.sock", ignored)) return "./var/claimauditd.sock";
  if (std::filesystem::exists("/run/claimaudit/claimauditd.sock", ignored)) {
    return "/run/claimaudit/claimauditd.sock";
  }
  return "./var/claimauditd.sock";
}

// Options every socket command accepts; the rest stay in `rest`.
struct CommonOptions {
  std::filesystem::path socket;
  bool json = false;
  bool csv = false;
  bool help = false;
  std::vector<std::string> rest;
};

inline CommonOptions parse_common(std::span<const std::string> args) {
  CommonOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--socket" && i + 1 < args.size()) {
      options.socket = args[++i];
    } else if (args[i].starts_with("--socket=")) {
      options.socket = args[i].substr(9);
    } else if (args[i] == "--json") {
      options.json = true;
    } else if (args[i] == "--csv") {
      options.csv = true;
    } else if (args[i] == "--help" || args[i] == "-h") {
      options.help = true;
    } else {
      options.rest.push_back(args[i]);
    }
  }
  if (options.socket.empty()) options.socket = default_socket();
  return options;
}

// Refuses what a command does not take: an argument left in `rest` beyond the first
// `positional`, or both --json and --csv. Prints one line on stderr naming it and returns false
// (the caller exits 64, STYLE.md 4); a mistyped option must never run the command anyway.
inline bool only_known_arguments(const std::string& command, const CommonOptions& options,
                                 std::size_t positional = 0) {
  if (options.json && options.csv) {
    std::fprintf(stderr, "claimctl %s: --json and --csv cannot be used together\n",
                 command.c_str());
    return false;
  }
  if (options.rest.size() <= positional) return true;
  const std::string& extra = options.rest[positional];
  std::fprintf(stderr, "claimctl %s: %s '%s' (see claimctl %s --help)\n", command.c_str(),
               extra.starts_with("-") ? "unknown option" : "unexpected argument", extra.c_str(),
               command.c_str());
  return false;
}

// A finding id as the ID column of `claimctl findings` shows it: digits only. Prints why on
// stderr and returns false otherwise.
inline bool is_finding_id(const std::string& command, const std::string& text) {
  if (!text.empty() && text.size() <= 18 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return true;
  }
  std::fprintf(stderr,
               "claimctl %s: '%s' is not a finding id (the number in the ID column of claimctl "
               "findings)\n",
               command.c_str(), text.c_str());
  return false;
}

// Checks an answer. On failure prints one clear line to stderr, sets `exit_code` and returns
// false.
inline bool check(const std::string& command, const status::ClientResult& result, int& exit_code) {
  using core::ExitCode;
  if (!result.ok()) {
    std::fprintf(stderr, "claimctl %s: %s\n", command.c_str(), result.message.c_str());
    exit_code =
        core::to_int(result.error == status::ClientError::kPermission ? ExitCode::kNoPermission
                                                                      : ExitCode::kUnavailable);
    if (result.error == status::ClientError::kNotRunning) {
      std::fprintf(stderr,
                   "  start it with `claimauditd` (or `systemctl start claimauditd`), or "
                   "name another socket with --socket PATH\n");
    }
    return false;
  }
  if (result.status >= 400) {
    const auto error = status::parse_error_body(result.body);
    const std::string message = terminal_safe(error.message.empty() ? result.body : error.message);
    std::fprintf(stderr, "claimctl %s: %s\n", command.c_str(), message.c_str());
    exit_code = result.status == 403   ? core::to_int(ExitCode::kNoPermission)
                : result.status == 503 ? core::to_int(ExitCode::kUnavailable)
                : result.status >= 500 ? core::to_int(ExitCode::kInternal)
                                       : core::to_int(ExitCode::kRejected);
    if (result.status == 404 || result.status == 400 || result.status == 422 ||
        result.status == 409) {
      exit_code = result.status == 400 ? core::to_int(ExitCode::kUsage) : 1;
    }
    return false;
  }
  exit_code = 0;
  return true;
}

// One request, checked.
inline std::optional<status::ClientResult> request(const std::string& command,
                                                   const CommonOptions& options,
                                                   std::string_view method, std::string_view target,
                                                   std::string_view body, int& exit_code) {
  auto result = status::call(options.socket, method, target, body);
  if (!check(command, result, exit_code)) return std::nullopt;
  return result;
}

inline bool use_colour() {
  const char* no_colour = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_colour == nullptr || *no_colour == '\0');
}

inline std::string paint(std::string_view text, std::string_view sgr) {
  if (!use_colour() || sgr.empty()) return std::string(text);
  return "\x1b[" + std::string(sgr) + "m" + std::string(text) + "\x1b[0m";
}

inline std::string_view severity_colour(std::string_view severity) {
  if (severity == "error") return "31";
  if (severity == "warning") return "33";
  return "";
}

// `text` with each CR, LF or tab turned into a space: one line on a terminal.
inline std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

// An aligned table. Columns shrink from the last flexible one so a row fits `width`.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  // A row, and optionally a detail line printed under it (indented, cut to the width).
  // Line breaks and tabs in a cell (a rule message written as a YAML block) print as spaces, so
  // one finding stays one row.
  // Other control characters print as escapes (terminal_safe).
  void add(std::vector<std::string> row, std::string detail = {}) {
    for (auto& cell : row) cell = terminal_safe(one_line(std::move(cell)));
    rows_.push_back(std::move(row));
    details_.push_back(terminal_safe(one_line(std::move(detail))));
  }
  // The column to shrink first when too wide (default: the last).
  void set_flexible(std::size_t column) { flexible_ = column; }
  void set_colour(std::size_t column, std::string_view (*colour)(std::string_view)) {
    colour_column_ = column;
    colour_ = colour;
  }

  std::string render(std::size_t width = 80) const {
    const std::vector<std::size_t> widths = column_widths(width);
    std::string out;
    render_line(out, headers_, widths, true);
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      render_line(out, rows_[r], widths, false);
      if (!details_[r].empty()) {
        std::string detail = "    " + details_[r];
        if (detail.size() > width) detail = detail.substr(0, width - 3) + "...";
        out += detail;
        out += '\n';
      }
    }
    return out;
  }

 private:
  // Each column as wide as its widest cell, the flexible one shrunk (to 8 at least) to fit.
  std::vector<std::size_t> column_widths(std::size_t width) const {
    std::vector<std::size_t> widths(headers_.size());
    for (std::size_t c = 0; c < headers_.size(); ++c) widths[c] = headers_[c].size();
    for (const auto& row : rows_) {
      for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c) {
        widths[c] = std::max(widths[c], row[c].size());
      }
    }
    std::size_t total = 0;
    for (auto w : widths) total += w + 2;
    if (total > 0) total -= 2;
    const std::size_t flex = flexible_.value_or(widths.empty() ? 0 : widths.size() - 1);
    if (total > width && flex < widths.size()) {
      const std::size_t over = total - width;
      widths[flex] = widths[flex] > over + 8 ? widths[flex] - over : 8;
    }
    return widths;
  }

  // One row (or the header, in bold), cells cut to their widths, trailing spaces dropped.
  void render_line(std::string& out, const std::vector<std::string>& cells,
                   const std::vector<std::size_t>& widths, bool header) const {
    std::string text;
    for (std::size_t c = 0; c < widths.size(); ++c) {
      std::string cell = c < cells.size() ? cells[c] : std::string();
      if (cell.size() > widths[c]) cell = cell.substr(0, widths[c] - 3) + "...";
      const std::size_t pad = widths[c] - cell.size();
      if (header) {
        cell = paint(cell, "1");
      } else if (colour_ && c == colour_column_) {
        cell = paint(cell, colour_(cell));
      }
      text += cell;
      if (c + 1 < widths.size()) text += std::string(pad + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text;
    out += '\n';
  }

  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string> details_;
  std::optional<std::size_t> flexible_;
  std::size_t colour_column_ = 0;
  std::string_view (*colour_)(std::string_view) = nullptr;
};

using status::append_csv_row;

inline std::string text_of(const boost::json::value& value) {
  if (value.is_string()) return std::string(value.as_string());
  if (value.is_null()) return "";
  if (value.is_int64()) return std::to_string(value.as_int64());
  return boost::json::serialize(value);
}

inline std::string field(const boost::json::value& object, std::string_view key) {
  if (!object.is_object()) return "";
  const auto* found = object.as_object().if_contains(key);
  return found == nullptr ? std::string() : text_of(*found);
}

// field() for a line printed to a human (terminal_safe).
inline std::string shown(const boost::json::value& object, std::string_view key) {
  return terminal_safe(field(object, key));
}

}  // namespace claimaudit::claimctl
