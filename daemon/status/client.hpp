// status/client.hpp
//
// A small blocking HTTP/1.1 client for the status socket (plain POSIX sockets, no Asio), used
// by claimctl and the tests. One request per connection ("Connection: close"). Thread-safe:
// no shared state.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace claimaudit::status {

enum class ClientError {
  kNone,
  kNotRunning,  // No socket file, or nobody listening on it (ENOENT, ECONNREFUSED).
  kPermission,  // The socket file refused us (EACCES): not in the socket's group.
  kTimeout,     // No complete answer before the deadline.
  kProtocol,    // The answer was not HTTP/1.1 we understand.
  kIo,          // Any other socket error.
};

struct ClientResult {
  ClientError error = ClientError::kNone;
  std::string message;  // What went wrong, for a human; empty on success.
  int status = 0;       // HTTP status.
  std::string content_type;
  std::string body;
  bool ok() const { return error == ClientError::kNone; }
};

// Sends one request and reads the whole answer. `body`, if not empty, goes as JSON.
ClientResult call(const std::filesystem::path& socket, std::string_view method,
                  std::string_view target, std::string_view body = {},
                  std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace claimaudit::status
