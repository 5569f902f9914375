// The status server in-process, over a real Unix socket, with a real database: what curl and
// claimctl see (routes, roles, JSON errors), and the limits that keep a misbehaving client
// from disturbing the daemon.
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "status/client.hpp"
#include "status/fixture.hpp"
#include "status/status_server.hpp"
#include "support/prometheus.hpp"

namespace claimaudit::status {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

struct Server {
  testing::TempDir dir;
  std::filesystem::path database = dir / "claimaudit.db";
  std::filesystem::path socket = dir / "claimauditd.sock";
  Metrics metrics;
  boost::asio::io_context io;
  std::unique_ptr<StatusServer> server;
  std::thread thread;
  StatusSnapshot snapshot;
  int reloads = 0;

  explicit Server(std::function<void(ServerOptions&)> tweak = {}) {
    testing::create_database(database);
    ServerOptions options;
    options.socket_path = socket;
    options.database = database;
    if (tweak) tweak(options);
    ServerHooks hooks;
    snapshot.version = "0.1.0";
    snapshot.rule_set_hash = "abc123";
    snapshot.rule_count = 14;
    snapshot.code_editions = {"fy2024", "fy2025"};
    snapshot.not_evaluated = {{"dx.poa_indicator", 3}};
    hooks.snapshot = [this] { return snapshot; };
    hooks.reload = [this](std::function<void(ReloadResult)> done) {
      ++reloads;
      // Finish from another thread, as the daemon's reload does.
      std::thread([done] {
        ReloadResult result;
        result.ok = false;
        result.rule_set_hash = "abc123";
        result.errors = {"rules/local/x.yaml:3:7: error E-RULE-UNKNOWN-FIELD: unknown field"};
        done(result);
      }).detach();
    };
    server = std::make_unique<StatusServer>(io, options, std::move(hooks), &metrics);
    server->start();
    thread = std::thread([this] { io.run(); });
  }
  ~Server() {
    boost::asio::post(io, [this] { server->stop(); });
    thread.join();
    server.reset();
  }

  ClientResult get(const std::string& target) { return call(socket, "GET", target); }
  ClientResult post(const std::string& target, const std::string& body) {
    return call(socket, "POST", target, body);
  }
};

json::value body_of(const ClientResult& result) { return json::parse(result.body); }

std::string error_code_of(const ClientResult& result) { return parse_error_body(result.body).code; }

// A raw client for the abuse cases.
int connect_raw(const std::filesystem::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Everything until the peer closes, or the deadline.
std::string read_until_close(int fd, std::chrono::milliseconds deadline) {
  std::string out;
  const auto until = std::chrono::steady_clock::now() + deadline;
  char buffer[8192];
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

std::string status_line(const std::string& answer) { return answer.substr(0, answer.find("\r\n")); }

void fill_queue(const std::filesystem::path& database) {
  testing::Filler fill(database);
  const auto file = fill.file("batch-0412.837");
  const auto a = fill.claim(file, "CLM-1", "workers_comp");
  const auto b = fill.claim(file, "CLM-2", "medicare", "institutional", "2024-09-02");
  fill.finding(a, "dx.missing_precipitating_factor", "warning", "M62830");
  fill.finding(a, "dx.unspecified_site", "info", "M54.50");
  fill.finding(b, "dx.poa_indicator", "error", "I10");
  fill.finding(b, "dx.shadow_test", "info", "I10", "shadow");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(status_server)

BOOST_AUTO_TEST_CASE(serves_findings_claims_rules_and_status) {
  Server server;
  fill_queue(server.database);

  const auto list = server.get("/v1/findings");
  BOOST_TEST(list.ok());
  BOOST_TEST(list.status == 200);
  BOOST_TEST(list.content_type == "application/json");
  const auto body = body_of(list);
  BOOST_TEST(body.at("count").as_int64() == 3);  // The shadow finding is not in the queue.
  BOOST_TEST(body.at("findings").at(0).at("rule_id").as_string() ==
             "dx.missing_precipitating_factor");
  BOOST_TEST(body.at("findings").at(0).at("payer_kind").as_string() == "workers_comp");
  BOOST_TEST(body.at("next_cursor").is_null());

  const auto page = body_of(server.get("/v1/findings?limit=2&shadow=1"));
  BOOST_TEST(page.at("count").as_int64() == 2);
  BOOST_TEST(page.at("next_cursor").as_string() == "2");
  const auto rest = body_of(server.get("/v1/findings?limit=2&shadow=1&cursor=2"));
  BOOST_TEST(rest.at("count").as_int64() == 2);
  BOOST_TEST(rest.at("findings").at(1).at("mode").as_string() == "shadow");

  const auto filtered = body_of(server.get("/v1/findings?severity=error&payer_kind=medicare"));
  BOOST_TEST(filtered.at("count").as_int64() == 1);
  BOOST_TEST(filtered.at("findings").at(0).at("code").as_string() == "I10");

  const auto detail = body_of(server.get("/v1/findings/1"));
  BOOST_TEST(detail.at("finding").at("id").as_int64() == 1);
  BOOST_TEST(detail.at("claim").at("claim_id").as_string() == "CLM-1");
  BOOST_TEST(detail.at("claim").at("diagnoses") == json::parse(R"(["M62.830","W18.49XA"])"));
  BOOST_TEST(detail.at("explanation").at("evidence").at("source").as_string() ==
             "fy2025 order file");
  BOOST_TEST(detail.at("claim_findings").as_array().size() == 1u);
  BOOST_TEST(detail.at("events").as_array().empty());
  // No trace hook here (the daemon sets one): no trace, and the answer says why.
  BOOST_TEST(detail.at("explanation").at("trace").is_null());
  BOOST_TEST(detail.at("explanation").at("trace_note").as_string() ==
             "this daemon does not recompute explanation traces");

  const auto claim = body_of(server.get("/v1/claims/CLM-2"));
  BOOST_TEST(claim.at("claims").at(0).at("findings").as_array().size() == 2u);
  BOOST_TEST(server.get("/v1/claims/NOPE").status == 404);
  BOOST_TEST(server.get("/v1/findings/99").status == 404);

  const auto rules = body_of(server.get("/v1/rules"));
  BOOST_TEST(rules.at("rule_set").at("count").as_int64() == 14);
  BOOST_TEST(rules.at("rules").as_array().size() == 4u);
  BOOST_TEST(rules.at("rules").at(1).at("rule_id").as_string() == "dx.poa_indicator");
  BOOST_TEST(rules.at("rules").at(1).at("not_evaluated").as_int64() == 3);

  const auto status = body_of(server.get("/v1/status"));
  BOOST_TEST(status.at("version").as_string() == "0.1.0");
  BOOST_TEST(status.at("rules").at("version").as_string() == "abc123");
  BOOST_TEST(status.at("counts").at("claims").as_int64() == 2);
  BOOST_TEST(status.at("counts").at("findings").as_int64() == 4);
  BOOST_TEST(status.at("counts").at("findings_open").as_int64() == 3);
  BOOST_TEST(status.at("code_editions") == json::parse(R"(["fy2024","fy2025"])"));

  // Nothing that looks like patient data is ever in a body.
  for (const auto* target : {"/v1/findings?limit=all", "/v1/findings/1", "/v1/claims/CLM-1"}) {
    const auto text = server.get(target).body;
    for (const auto* word : {"patient", "member", "birth", "first_name", "last_name", "notes"}) {
      BOOST_TEST_CONTEXT(target << " " << word) {
        BOOST_TEST(text.find(word) == std::string::npos);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(review_changes_are_recorded_with_the_caller_and_checked) {
  Server server;
  fill_queue(server.database);
  const auto taken = server.post("/v1/findings/1/status", R"({"status":"in_review"})");
  BOOST_TEST(taken.status == 200);
  const auto event = body_of(taken).at("event");
  BOOST_TEST(event.at("user").as_string() == "root");
  BOOST_TEST(event.at("old_status").as_string() == "open");
  BOOST_TEST(event.at("new_status").as_string() == "in_review");
  BOOST_TEST(body_of(taken).at("finding").at("assignee").as_string() == "root");

  const auto illegal = server.post("/v1/findings/2/status", R"({"status":"corrected"})");
  BOOST_TEST(illegal.status == 409);
  BOOST_TEST(error_code_of(illegal) == "illegal_transition");
  BOOST_TEST(parse_error_body(illegal.body).message ==
             "cannot change a finding from open to corrected");

  const auto no_note = server.post("/v1/findings/1/status", R"({"status":"false_positive"})");
  BOOST_TEST(no_note.status == 422);
  BOOST_TEST(error_code_of(no_note) == "note_required");
  const auto bad_reason = server.post("/v1/findings/1/status",
                                      R"({"status":"waived","note":"ok","reason":"felt like it"})");
  BOOST_TEST(bad_reason.status == 422);
  BOOST_TEST(error_code_of(bad_reason) == "unknown_reason");
  const auto waived = server.post(
      "/v1/findings/1/status", R"({"status":"waived","note":"WC board","reason":"payer_policy"})");
  BOOST_TEST(waived.status == 200);

  const auto detail = body_of(server.get("/v1/findings/1"));
  BOOST_TEST(detail.at("events").as_array().size() == 2u);
  BOOST_TEST(detail.at("events").at(1).at("note").as_string() == "WC board");
  BOOST_TEST(detail.at("events").at(1).at("reason").as_string() == "payer_policy");
  BOOST_TEST(server.post("/v1/findings/77/status", R"({"status":"in_review"})").status == 404);

  const auto waiver = server.post(
      "/v1/waivers", R"({"rule_id":"dx.poa_indicator","scope":"claim","value":"CLM-2",)"
                     R"("owner":"compliance","reason":"exempt facility","expires":"2099-12-31"})");
  BOOST_TEST(waiver.status == 201);
  BOOST_TEST(body_of(waiver).at("waiver").at("created_by").as_string() == "root");
  BOOST_TEST(body_of(server.get("/v1/findings/3")).at("finding").at("waiver_id").as_int64() ==
             body_of(waiver).at("waiver").at("id").as_int64());
  // waived=0 hides what an active waiver covers (finding 3); finding 1 was waived by hand.
  BOOST_TEST(body_of(server.get("/v1/findings?waived=0")).at("count").as_int64() == 2);
  const auto expired = server.post(
      "/v1/waivers", R"({"rule_id":"x","scope":"code","value":"I10","owner":"o","reason":"r",)"
                     R"("expires":"2001-01-01"})");
  BOOST_TEST(expired.status == 422);
  BOOST_TEST(server.post("/v1/waivers", R"({"rule_id":"x"})").status == 422);
}

BOOST_AUTO_TEST_CASE(malformed_requests_get_json_errors) {
  Server server;
  struct Row {
    std::string method, target, body;
    int status;
    std::string code;
  };
  const Row rows[] = {
      {"GET", "/v1/nothing", "", 404, "not_found"},
      {"GET", "/status", "", 404, "not_found"},
      {"DELETE", "/v1/findings/1", "", 405, "method_not_allowed"},
      {"PUT", "/v1/status", "", 405, "method_not_allowed"},
      {"POST", "/v1/findings/1/status", "{not json", 400, "bad_json"},
      {"POST", "/v1/findings/1/status", "[]", 422, "bad_request"},
      {"POST", "/v1/findings/1/status", R"({"status":"closed"})", 422, "bad_request"},
      {"POST", "/v1/waivers", "\xff\xfe", 400, "bad_json"},
      {"GET", "/v1/findings?status=closed", "", 400, "bad_filter"},
      {"GET", "/v1/findings?limit=5000", "", 400, "bad_filter"},
      {"GET", "/v1/findings/%zz", "", 400, "bad_target"},
  };
  for (const auto& row : rows) {
    BOOST_TEST_CONTEXT(row.method << " " << row.target) {
      const auto result = call(server.socket, row.method, row.target, row.body);
      BOOST_TEST(result.status == row.status);
      BOOST_TEST(result.content_type == "application/json");
      BOOST_TEST(error_code_of(result) == row.code);
    }
  }
  // 405 names the allowed method.
  const int fd = connect_raw(server.socket);
  send_all(fd, "GET /v1/reload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto answer = read_until_close(fd, 2s);
  ::close(fd);
  BOOST_TEST(status_line(answer) == "HTTP/1.1 405 Method Not Allowed");
  BOOST_TEST(answer.find("\r\nAllow: POST\r\n") != std::string::npos);
  // Garbage that is not HTTP at all.
  const int junk = connect_raw(server.socket);
  send_all(junk, "\x16\x03\x01 hello\r\n\r\n");
  BOOST_TEST(status_line(read_until_close(junk, 2s)) == "HTTP/1.1 400 Bad Request");
  ::close(junk);
  BOOST_TEST(server.get("/v1/status").status == 200);
}

BOOST_AUTO_TEST_CASE(oversized_and_slow_requests_are_cut_off) {
  Server server([](ServerOptions& options) {
    options.request_timeout = 300ms;
    options.max_body_bytes = 1024;
  });
  // 1 MiB of headers.
  {
    const int fd = connect_raw(server.socket);
    std::string request = "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Big: ";
    request += std::string(1 << 20, 'a');
    request += "\r\n\r\n";
    std::thread writer([fd, request] { send_all(fd, request); });
    const auto answer = read_until_close(fd, 3s);
    ::shutdown(fd, SHUT_RDWR);
    writer.join();
    ::close(fd);
    BOOST_TEST(status_line(answer) == "HTTP/1.1 431 Request Header Fields Too Large");
  }
  // Too many header fields, each small.
  {
    const int fd = connect_raw(server.socket);
    std::string request = "GET /v1/status HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 100; ++i) request += "X-" + std::to_string(i) + ": 1\r\n";
    request += "Connection: close\r\n\r\n";
    send_all(fd, request);
    BOOST_TEST(status_line(read_until_close(fd, 2s)) ==
               "HTTP/1.1 431 Request Header Fields Too Large");
    ::close(fd);
  }
  // A body over the limit.
  {
    const auto result = call(server.socket, "POST", "/v1/waivers", std::string(4096, ' '));
    BOOST_TEST(result.status == 413);
  }
  // A slow client (half a request line, then nothing) is dropped after the timeout.
  {
    const int fd = connect_raw(server.socket);
    send_all(fd, "GET /v1/sta");
    const auto start = std::chrono::steady_clock::now();
    const auto answer = read_until_close(fd, 3s);
    const auto waited = std::chrono::steady_clock::now() - start;
    ::close(fd);
    BOOST_TEST(answer == "");
    BOOST_TEST(waited < 2s);
  }
  // A half-closed client still gets its answer.
  {
    const int fd = connect_raw(server.socket);
    send_all(fd, "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
    ::shutdown(fd, SHUT_WR);
    BOOST_TEST(status_line(read_until_close(fd, 2s)) == "HTTP/1.1 200 OK");
    ::close(fd);
  }
  // The session releases its slot just after it closes the socket: allow it that moment.
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (server.server->active_connections() != 0u && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  BOOST_TEST(server.server->active_connections() == 0u);
}

BOOST_AUTO_TEST_CASE(connections_over_the_cap_get_503_and_close) {
  Server server([](ServerOptions& options) { options.max_connections = 4; });
  std::vector<int> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(connect_raw(server.socket));
  // Let the server accept them.
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (server.server->active_connections() < 4 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  BOOST_TEST(server.server->active_connections() == 4u);
  const auto refused = server.get("/v1/status");
  BOOST_TEST(refused.status == 503);
  BOOST_TEST(error_code_of(refused) == "busy");
  for (const int fd : idle) ::close(fd);
  const auto until = std::chrono::steady_clock::now() + 2s;
  while (server.server->active_connections() > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(5ms);
  }
  BOOST_TEST(server.get("/v1/status").status == 200);
  const auto metrics = testing::parse_prometheus(server.get("/v1/metrics").body);
  BOOST_TEST(metrics.at("claimaudit_status_rejected_connections_total").samples.at(0).value == 1);
}

BOOST_AUTO_TEST_CASE(metrics_parse_strictly) {
  Server server;
  server.metrics.count_file("archived");
  server.metrics.count_file("quarantined");
  server.metrics.count_claims("audited", 212);
  fill_queue(server.database);
  {
    testing::Filler fill(server.database);
    fill.finding(fill.claim(fill.file("odd.837"), "CLM-9"), "weird\"rule\\x", "info");
  }
  server.metrics.observe_file_latency(0.003);
  server.metrics.observe_file_latency(0.2);
  server.metrics.observe_file_latency(30);
  {
    // Two jobs' rule timings (rule indexes 0 and 1 of their set), merged.
    const std::vector<std::string> ids{"dx.stale_code", "dx.unspecified_site"};
    RuleTimeBatch job;
    job.observe(0, 500);
    job.observe(0, 3'000);
    job.observe(1, 2'000'000);
    server.metrics.add_rule_times(job, [&](std::size_t i) -> const std::string& { return ids[i]; });
    RuleTimeBatch again;
    again.observe(0, 20'000'000);
    server.metrics.add_rule_times(again,
                                  [&](std::size_t i) -> const std::string& { return ids[i]; });
  }
  server.metrics.count_reload_failure();
  server.metrics.set_quarantined(1);
  const auto result = server.get("/v1/metrics");
  BOOST_TEST(result.status == 200);
  BOOST_TEST(result.content_type == "text/plain; version=0.0.4; charset=utf-8");
  const auto families = testing::parse_prometheus(result.body);
  const auto& findings = families.at("claimaudit_findings_total");
  BOOST_TEST(findings.type == "counter");
  // From the database: every finding on record, by rule and severity.
  BOOST_REQUIRE(findings.samples.size() == 5u);
  BOOST_TEST(findings.samples[0].labels.at("rule") == "dx.missing_precipitating_factor");
  BOOST_TEST(findings.samples[0].labels.at("severity") == "warning");
  BOOST_TEST(findings.samples[0].value == 1);
  BOOST_TEST(findings.samples[4].labels.at("rule") == "weird\"rule\\x");
  const auto& latency = families.at("claimaudit_file_latency_seconds");
  BOOST_TEST(latency.type == "histogram");
  BOOST_TEST(latency.samples.back().value == 3);  // _count
  BOOST_TEST(families.at("claimaudit_rule_reload_failures_total").samples.at(0).value == 1);
  BOOST_TEST(families.at("claimaudit_quarantined_files").samples.at(0).value == 0);
  // Per-rule evaluation time: one histogram series per rule, cumulative buckets.
  const auto& rule_time = families.at("claimaudit_rule_eval_seconds");
  BOOST_TEST(rule_time.type == "histogram");
  std::map<std::string, double> stale;
  for (const auto& sample : rule_time.samples) {
    if (sample.labels.at("rule") != "dx.stale_code") continue;
    const auto le = sample.labels.count("le") ? sample.labels.at("le") : std::string();
    stale[sample.name + (le.empty() ? "" : "@" + le)] = sample.value;
  }
  BOOST_TEST(stale.at("claimaudit_rule_eval_seconds_bucket@1e-06") == 1);
  BOOST_TEST(stale.at("claimaudit_rule_eval_seconds_bucket@5e-06") == 2);
  BOOST_TEST(stale.at("claimaudit_rule_eval_seconds_bucket@0.01") == 2);
  BOOST_TEST(stale.at("claimaudit_rule_eval_seconds_bucket@+Inf") == 3);
  BOOST_TEST(stale.at("claimaudit_rule_eval_seconds_count") == 3);
  BOOST_TEST(stale.at("claimaudit_rule_eval_seconds_sum") == 0.0200035,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(rule_time.samples.size() == 2 * (kRuleTimeBucketsNs.size() + 3));
  BOOST_TEST(families.at("claimaudit_files_total").samples.size() == 2u);
  // The parser is strict: it refuses what a sloppy exporter might write.
  BOOST_CHECK_THROW(testing::parse_prometheus("x 1\n"), std::runtime_error);
  BOOST_CHECK_THROW(testing::parse_prometheus("# HELP x h\n# TYPE x counter\nx{a=\"1} 2\n"),
                    std::runtime_error);
  BOOST_CHECK_THROW(testing::parse_prometheus("# HELP x h\n# TYPE x counter\nx one\n"),
                    std::runtime_error);
}

BOOST_AUTO_TEST_CASE(reload_goes_through_the_hook) {
  Server server;
  const auto result = server.post("/v1/reload", "");
  BOOST_TEST(result.status == 422);
  const auto body = body_of(result);
  BOOST_TEST(body.at("ok").as_bool() == false);
  BOOST_TEST(body.at("errors").at(0).as_string() ==
             "rules/local/x.yaml:3:7: error E-RULE-UNKNOWN-FIELD: unknown field");
  BOOST_TEST(server.reloads == 1);
}

BOOST_AUTO_TEST_CASE(socket_mode_and_peer_roles) {
  if (::geteuid() != 0) {
    BOOST_TEST_MESSAGE("not root: the permission cases need another uid; skipped");
    return;
  }
  const passwd* nobody = ::getpwnam("nobody");
  BOOST_REQUIRE(nobody != nullptr);
  const uid_t uid = nobody->pw_uid;
  const gid_t gid = nobody->pw_gid;
  // As `nobody`, in a child: the exit code says what the client saw.
  auto as_nobody = [&](const std::filesystem::path& socket, const char* method,
                       const char* target) {
    const pid_t child = ::fork();
    if (child == 0) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) ::_exit(90);
      const auto result = call(socket, method, target);
      if (result.error == ClientError::kPermission) ::_exit(77);
      if (!result.ok()) ::_exit(69);
      ::_exit(result.status == 403 ? 43 : (result.status == 200 ? 20 : 1));
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  {
    Server server;
    struct stat info {};
    BOOST_REQUIRE(::stat(server.socket.c_str(), &info) == 0);
    BOOST_TEST((info.st_mode & 0777) == 0660u);
    // The folder must let nobody reach the socket file; the file's mode is what refuses.
    std::filesystem::permissions(
        server.dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::others_exec);
    BOOST_TEST(as_nobody(server.socket, "GET", "/v1/status") == 77);
  }
  {
    Server server([](ServerOptions& options) { options.socket_mode = 0666; });
    std::filesystem::permissions(
        server.dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::others_exec);
    fill_queue(server.database);
    BOOST_TEST(as_nobody(server.socket, "GET", "/v1/findings") == 43);
    BOOST_TEST(as_nobody(server.socket, "POST", "/v1/reload") == 43);
  }
  ServerOptions options;
  const auto caller = identify_caller(uid, gid, options);
  BOOST_TEST(caller.user == "nobody");
  BOOST_TEST(!caller.read);
  const auto root = identify_caller(0, 0, options);
  BOOST_TEST(root.read);
  BOOST_TEST(root.review);
  BOOST_TEST(root.admin);
  BOOST_TEST(identify_caller(4242424, 4242424, options).user == "uid:4242424");
}

BOOST_AUTO_TEST_CASE(a_stale_socket_file_is_replaced_and_a_live_one_refused) {
  testing::TempDir dir;
  testing::create_database(dir / "db");
  boost::asio::io_context io;
  ServerOptions options;
  options.socket_path = dir / "s.sock";
  options.database = dir / "db";
  {
    StatusServer first(io, options, {}, nullptr);
    first.start();
    StatusServer second(io, options, {}, nullptr);
    BOOST_CHECK_THROW(second.start(), std::system_error);
    first.stop();
  }
  BOOST_TEST(!std::filesystem::exists(options.socket_path));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimaudit::status
