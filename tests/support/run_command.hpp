// support/run_command.hpp
//
// Runs one shell command line (/bin/sh -c, through popen) the way the tests run the real
// claimctl and claimauditd binaries, and keeps what they compare: the exit status and the
// standard output. Standard error goes where the command line sends it: append " 2>&1" to keep
// it with the output, " 2>/dev/null" to drop it; run_command_split() keeps it apart in `err`.
// shell_quote() makes a path or argument safe to paste into the command line.
#pragma once

#include <stdio.h>
#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

#include "support/temp_dir.hpp"

namespace claimaudit::testing {

struct CommandOutput {
  int exit_code = -1;  // The command's exit status; -1 when a signal ended it.
  std::string out;     // Everything it wrote on standard output.
  std::string err;     // Standard error, filled by run_command_split() only.
};

// Runs `command` with /bin/sh and returns its exit status and standard output. Throws if the
// shell cannot be started.
inline CommandOutput run_command(const std::string& command) {
  CommandOutput output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  char buffer[65536];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.out.append(buffer, count);
  const int status = ::pclose(pipe);
  output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

// "'text'" with each ' written as '\'' : one shell word whatever `text` holds.
inline std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// run_command() with standard error kept apart, in `err`. `command` must not redirect
// standard error itself.
inline CommandOutput run_command_split(const std::string& command) {
  TempDir work;
  const auto err_path = work / "err";
  CommandOutput output = run_command("{ " + command + "; } 2>" + shell_quote(err_path.string()));
  output.err = read_file(err_path);
  return output;
}

}  // namespace claimaudit::testing
