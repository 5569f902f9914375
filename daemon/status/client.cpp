#include "status/client.hpp"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cstring>
#include <optional>

namespace claimaudit::status {
namespace {

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

ClientResult failure(ClientError error, std::string message) {
  ClientResult result;
  result.error = error;
  result.message = std::move(message);
  return result;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Connects `fd` to the daemon's socket; a failure result when it cannot.
std::optional<ClientResult> connect_to(const Descriptor& fd, const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
    return std::nullopt;
  }
  const int error = errno;
  if (error == ENOENT || error == ECONNREFUSED || error == ENOTDIR) {
    return failure(ClientError::kNotRunning, "the daemon is not running (no answer on " + path +
                                                 ": " + std::strerror(error) + ")");
  }
  if (error == EACCES || error == EPERM) {
    return failure(ClientError::kPermission,
                   "permission denied on " + path +
                       " (is your user in the claimaudit group? log in again after adding it)");
  }
  return failure(ClientError::kIo, "cannot connect to " + path + ": " + std::strerror(error));
}

std::string http_request(std::string_view method, std::string_view target, std::string_view body) {
  std::string request;
  request.reserve(256 + body.size());
  request += method;
  request += ' ';
  request += target;
  request += " HTTP/1.1\r\nHost: claimauditd\r\nUser-Agent: claimctl/" CLAIMAUDIT_VERSION
             "\r\nAccept: application/json\r\nConnection: close\r\n";
  if (!body.empty() || method == "POST") {
    request += "Content-Type: application/json\r\nContent-Length: ";
    request += std::to_string(body.size());
    request += "\r\n";
  }
  request += "\r\n";
  request += body;
  return request;
}

void send_all(const Descriptor& fd, const std::string& request) {
  std::size_t sent = 0;
  while (sent < request.size()) {
    const auto n = ::send(fd.get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      // The daemon may answer (503, 431) and close before reading everything: read anyway.
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
}

// The Content-Length of lower-cased headers, or npos.
std::size_t content_length_of(const std::string& headers) {
  const auto at = headers.find("\r\ncontent-length:");
  if (at == std::string::npos) return std::string::npos;
  auto start = at + 17;
  while (start < headers.size() && headers[start] == ' ') ++start;
  std::size_t value = 0;
  const auto [end, error] =
      std::from_chars(headers.data() + start, headers.data() + headers.size(), value);
  (void)end;
  return error == std::errc() ? value : std::string::npos;
}

// An answer read so far: where its headers end and how long its body is (npos: not known yet).
struct Answer {
  std::string text;
  std::size_t header_end = std::string::npos;
  std::size_t content_length = std::string::npos;

  void append(const char* data, std::size_t size) {
    text.append(data, size);
    if (header_end != std::string::npos) return;
    header_end = text.find("\r\n\r\n");
    if (header_end != std::string::npos) {
      content_length = content_length_of(lower(std::string_view(text).substr(0, header_end)));
    }
  }
  bool complete() const {
    return header_end != std::string::npos && content_length != std::string::npos &&
           text.size() >= header_end + 4 + content_length;
  }
};

// Reads until the daemon closes, the answer is complete or the deadline passes; a failure
// result on a timeout or a read error.
std::optional<ClientResult> read_answer(const Descriptor& fd,
                                        std::chrono::steady_clock::time_point deadline,
                                        Answer& answer) {
  char buffer[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return failure(ClientError::kTimeout, "the daemon did not answer in time");
    pollfd poll_fd{fd.get(), POLLIN, 0};
    const int ready = ::poll(&poll_fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return failure(ClientError::kTimeout, "the daemon did not answer in time");
    const auto n = ::recv(fd.get(), buffer, sizeof buffer, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ECONNRESET && answer.header_end != std::string::npos) break;
      return failure(ClientError::kIo, std::string("read failed: ") + std::strerror(errno));
    }
    if (n == 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
    if (answer.complete()) break;
  }
  return std::nullopt;
}

ClientResult parse_answer(const Answer& answer) {
  const std::string& text = answer.text;
  if (answer.header_end == std::string::npos || !text.starts_with("HTTP/1.")) {
    return failure(ClientError::kProtocol, "the daemon's answer is not HTTP");
  }
  ClientResult result;
  const auto space = text.find(' ');
  int status = 0;
  std::from_chars(text.data() + space + 1, text.data() + space + 4, status);
  result.status = status;
  const std::string headers = lower(std::string_view(text).substr(0, answer.header_end));
  if (const auto at = headers.find("\r\ncontent-type:"); at != std::string::npos) {
    auto start = at + 15;
    while (start < headers.size() && headers[start] == ' ') ++start;
    result.content_type = headers.substr(start, headers.find("\r\n", start) - start);
  }
  result.body = text.substr(answer.header_end + 4, answer.content_length);
  return result;
}

}  // namespace

ClientResult call(const std::filesystem::path& socket_path, std::string_view method,
                  std::string_view target, std::string_view body,
                  std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::string path = socket_path.string();
  if (path.size() >= sizeof sockaddr_un::sun_path) {
    return failure(ClientError::kIo, "socket path too long: " + path);
  }
  Descriptor fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return failure(ClientError::kIo, std::strerror(errno));
  if (auto failed = connect_to(fd, path)) return std::move(*failed);
  send_all(fd, http_request(method, target, body));
  Answer answer;
  if (auto failed = read_answer(fd, deadline, answer)) return std::move(*failed);
  return parse_answer(answer);
}

}  // namespace claimaudit::status
