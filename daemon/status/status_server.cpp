#include "status/status_server.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <list>
#include <mutex>
#include <system_error>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

namespace claimaudit::status {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Local = asio::local::stream_protocol;
using Stream = beast::basic_stream<Local>;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// The canned answer to a connection over the cap: written without waiting, then closed.
constexpr std::string_view kBusyResponse =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    "Connection: close\r\nContent-Length: 85\r\n\r\n"
    "{\"error\":{\"status\":503,\"code\":\"busy\",\"message\":\"too many connections; retry "
    "later\"}}\n";

std::optional<gid_t> group_id(const std::string& name) {
  if (name.empty()) return std::nullopt;
  std::vector<char> buffer(16384);
  group entry{};
  group* result = nullptr;
  if (getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &result) != 0 ||
      result == nullptr) {
    return std::nullopt;
  }
  return result->gr_gid;
}

}  // namespace

Caller identify_caller(uid_t uid, gid_t gid, const ServerOptions& options) {
  Caller caller;
  caller.uid = uid;
  std::vector<gid_t> groups{gid};
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* result = nullptr;
  if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &result) == 0 && result != nullptr) {
    caller.user = result->pw_name;
    int count = 64;
    std::vector<gid_t> list(static_cast<std::size_t>(count));
    if (getgrouplist(result->pw_name, result->pw_gid, list.data(), &count) == -1) {
      list.resize(static_cast<std::size_t>(count));
      getgrouplist(result->pw_name, result->pw_gid, list.data(), &count);
    }
    list.resize(static_cast<std::size_t>(std::max(count, 0)));
    groups.insert(groups.end(), list.begin(), list.end());
  } else {
    caller.user = "uid:" + std::to_string(uid);
  }
  auto member = [&](const std::string& name) {
    const auto id = group_id(name);
    return id && std::find(groups.begin(), groups.end(), *id) != groups.end();
  };
  const bool root = uid == 0;
  caller.admin = root || member(options.admin_group);
  caller.review = root || member(options.review_group);
  caller.read = root || caller.admin || caller.review || member(options.read_group);
  return caller;
}

struct StatusServer::State {
  State(asio::io_context& io, ServerOptions opts, ServerHooks h, Metrics* m)
      : io_context(io),
        options(std::move(opts)),
        hooks(std::move(h)),
        metrics(m),
        acceptor(io),
        db_pool(std::max<std::size_t>(options.database_threads, 1)),
        service(options.database, options.review, m) {
    service.set_trace_hook(hooks.trace);
  }

  asio::io_context& io_context;
  ServerOptions options;
  ServerHooks hooks;
  Metrics* metrics;
  Local::acceptor acceptor;
  asio::thread_pool db_pool;
  Service service;
  std::atomic<std::size_t> active{0};
  bool stopped = false;
  bool bound = false;
  std::list<Stream*> streams;  // Live client streams, so stop() can close them. Loop only.
};

namespace {

using StatePtr = std::shared_ptr<StatusServer::State>;

Method to_method(http::verb verb) {
  if (verb == http::verb::get || verb == http::verb::head) return Method::kGet;
  if (verb == http::verb::post) return Method::kPost;
  return Method::kOther;
}

http::response<http::string_body> to_http(Response&& response, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(response.status), version};
  out.set(http::field::server, "claimauditd/" CLAIMAUDIT_VERSION);
  out.set(http::field::content_type, response.content_type);
  out.set(http::field::cache_control, "no-store");
  if (!response.allow.empty()) out.set(http::field::allow, response.allow);
  out.keep_alive(keep_alive);
  out.body() = std::move(response.body);
  out.prepare_payload();
  return out;
}

asio::awaitable<ReloadResult> await_reload(StatePtr state) {
  auto initiation = [state](auto handler) {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    state->hooks.reload([shared](ReloadResult result) {
      auto executor = asio::get_associated_executor(*shared);
      asio::dispatch(executor, [shared, result = std::move(result)]() mutable {
        (*shared)(std::move(result));
      });
    });
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(ReloadResult)>(
      initiation, asio::use_awaitable);
}

asio::awaitable<Response> run_service(StatePtr state, Request request, Route route, Query query,
                                      StatusSnapshot snapshot) {
  co_return state->service.handle(request, route, query, snapshot);
}

asio::awaitable<Response> answer(StatePtr state, Request request) {
  Route route;
  Query query;
  if (auto refused = state->service.admit(request, route, query)) co_return *refused;
  if (route.kind == RouteKind::kReload) {
    if (!state->hooks.reload) {
      co_return error_response(501, "not_implemented", "this daemon cannot reload rules");
    }
    const auto result = co_await await_reload(state);
    boost::json::array errors;
    for (const auto& error : result.errors) errors.emplace_back(error);
    co_return json_response(
        result.ok ? 200 : 422,
        boost::json::object{
            {"ok", result.ok}, {"rule_set", result.rule_set_hash}, {"errors", std::move(errors)}});
  }
  StatusSnapshot snapshot;
  if (state->hooks.snapshot &&
      (route.kind == RouteKind::kStatus || route.kind == RouteKind::kRules)) {
    snapshot = state->hooks.snapshot();
  }
  // Database work leaves the loop; the coroutine resumes on the loop when it is done. (A plain
  // coroutine function, not a capturing lambda: GCC 12 mishandles lambda-coroutine captures.)
  co_return co_await asio::co_spawn(state->db_pool,
                                    run_service(state, std::move(request), std::move(route),
                                                std::move(query), std::move(snapshot)),
                                    asio::use_awaitable);
}

// Releases a connection slot when the session coroutine ends, however it ends.
struct SessionGuard {
  StatePtr state;
  std::list<Stream*>::iterator position;
  SessionGuard(StatePtr s, Stream* stream) : state(std::move(s)) {
    position = state->streams.insert(state->streams.end(), stream);
  }
  SessionGuard(const SessionGuard&) = delete;
  SessionGuard& operator=(const SessionGuard&) = delete;
  ~SessionGuard() {
    state->streams.erase(position);
    state->active.fetch_sub(1);
  }
};

using HttpRequest = http::request<http::string_body>;

// A read error after which no answer is due: the client went away, was too slow, or the daemon
// is stopping.
bool client_gone(const beast::error_code& error) {
  return error == http::error::end_of_stream || error == beast::error::timeout ||
         error == asio::error::operation_aborted || error == asio::error::eof ||
         error == asio::error::connection_reset || error == asio::error::broken_pipe;
}

// The answer to a request that could not be read.
Response read_error_response(const beast::error_code& error) {
  if (error == http::error::header_limit || error == http::error::buffer_overflow) {
    return error_response(431, "headers_too_large", "request headers are too large");
  }
  if (error == http::error::body_limit) {
    return error_response(413, "body_too_large", "request body is too large");
  }
  return error_response(400, "bad_request", "malformed HTTP request");
}

std::size_t field_count(const HttpRequest& message) {
  std::size_t fields = 0;
  for (auto it = message.begin(); it != message.end(); ++it) ++fields;
  return fields;
}

// The service's answer to a request read whole (its body moves out of `message`); a HEAD's
// answer has no body.
asio::awaitable<Response> answer_message(StatePtr state, HttpRequest& message, Caller caller) {
  Request request;
  request.method = to_method(message.method());
  request.target = std::string(message.target());
  request.body = std::move(message.body());
  request.caller = std::move(caller);
  Response response = co_await answer(std::move(state), std::move(request));
  if (message.method() == http::verb::head) response.body.clear();
  co_return response;
}

// False when the connection closes after this answer: a client error on a request that could
// not be read, or the daemon stopping.
bool stays_open(const Response& response, const beast::error_code& read_error,
                const StatusServer::State& state) {
  if (response.status >= 400 && response.status < 500 && read_error) return false;
  return !state.stopped;
}

asio::awaitable<void> session(StatePtr state, Stream stream, Caller caller) {
  SessionGuard guard(state, &stream);
  const auto& options = state->options;
  beast::flat_buffer buffer;  // Bounded by the parser's header and body limits.
  bool first = true;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    stream.expires_after(first ? options.request_timeout : options.idle_timeout);
    first = false;
    auto [read_error, bytes] = co_await http::async_read(stream, buffer, parser, kUseTuple);
    (void)bytes;
    Response response;
    bool keep_alive = false;
    unsigned version = 11;
    if (client_gone(read_error)) {
      break;  // The client went away, was too slow, or the daemon is stopping: no answer due.
    }
    if (read_error) {
      response = read_error_response(read_error);
    } else {
      auto& message = parser.get();
      version = message.version();
      keep_alive = message.keep_alive();
      if (field_count(message) > options.max_header_fields) {
        response = error_response(431, "too_many_headers", "too many request headers");
        keep_alive = false;
      } else {
        response = co_await answer_message(state, message, caller);
      }
    }
    if (state->metrics != nullptr) state->metrics->count_request(response.status);
    if (!stays_open(response, read_error, *state)) keep_alive = false;
    auto out = to_http(std::move(response), version, keep_alive);
    stream.expires_after(options.request_timeout);
    auto [write_error, written] = co_await http::async_write(stream, out, kUseTuple);
    (void)written;
    if (write_error || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(Local::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
}

void reject_busy(const StatePtr& state, Local::socket socket) {
  if (state->metrics != nullptr) state->metrics->count_rejected_connection();
  boost::system::error_code ignored;
  socket.non_blocking(true, ignored);
  socket.write_some(asio::buffer(kBusyResponse.data(), kBusyResponse.size()), ignored);
  socket.shutdown(Local::socket::shutdown_send, ignored);
  socket.close(ignored);
}

asio::awaitable<void> accept_loop(StatePtr state) {
  asio::steady_timer backoff(state->io_context);
  while (!state->stopped) {
    auto [error, socket] = co_await state->acceptor.async_accept(kUseTuple);
    if (error == asio::error::operation_aborted || state->stopped) break;
    if (error) {
      // Out of descriptors (EMFILE) and the like: the listener stays up; back off briefly.
      spdlog::warn("status: accept failed: {}", error.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kUseTuple);
      continue;
    }
    if (state->active.load() >= state->options.max_connections) {
      reject_busy(state, std::move(socket));
      continue;
    }
    ucred credentials{};
    socklen_t length = sizeof credentials;
    if (getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    Caller caller = identify_caller(credentials.uid, credentials.gid, state->options);
    state->active.fetch_add(1);
    asio::co_spawn(state->io_context, session(state, Stream(std::move(socket)), std::move(caller)),
                   asio::detached);
  }
}

}  // namespace

StatusServer::StatusServer(asio::io_context& io_context, ServerOptions options, ServerHooks hooks,
                           Metrics* metrics)
    : state_(std::make_shared<State>(io_context, std::move(options), std::move(hooks), metrics)) {}

StatusServer::~StatusServer() {
  stop();
  state_->db_pool.join();
  if (state_->bound) {
    std::error_code ignored;
    std::filesystem::remove(state_->options.socket_path, ignored);
  }
}

void StatusServer::start() {
  const auto& path = state_->options.socket_path;
  std::error_code status_error;
  const auto status = std::filesystem::symlink_status(path, status_error);
  if (!status_error && status.type() == std::filesystem::file_type::socket) {
    // A socket file: stale if nobody answers on it.
    Local::socket probe(state_->io_context);
    boost::system::error_code connect_error;
    probe.connect(Local::endpoint(path.string()), connect_error);
    if (!connect_error) {
      throw std::system_error(std::make_error_code(std::errc::address_in_use),
                              "status socket " + path.string() + " is in use by a running daemon");
    }
    std::filesystem::remove(path);
  }
  auto& acceptor = state_->acceptor;
  acceptor.open(Local());
  acceptor.bind(Local::endpoint(path.string()));
  state_->bound = true;
  if (::chmod(path.c_str(), state_->options.socket_mode) != 0) {
    throw std::system_error(errno, std::generic_category(), "chmod " + path.string());
  }
  if (const auto gid = group_id(state_->options.socket_group)) {
    if (::chown(path.c_str(), static_cast<uid_t>(-1), *gid) != 0) {
      spdlog::warn("status: cannot give {} to group {}: {}", path.string(),
                   state_->options.socket_group, std::strerror(errno));
    }
  } else if (::geteuid() == 0 && !state_->options.socket_group.empty()) {
    spdlog::warn("status: group {} does not exist; {} keeps its group",
                 state_->options.socket_group, path.string());
  }
  acceptor.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(state_->io_context, accept_loop(state_), asio::detached);
  spdlog::info("status: listening on {}", path.string());
}

void StatusServer::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
  for (auto* stream : state_->streams) stream->socket().close(ignored);
}

const std::filesystem::path& StatusServer::socket_path() const {
  return state_->options.socket_path;
}

std::size_t StatusServer::active_connections() const { return state_->active.load(); }

}  // namespace claimaudit::status
