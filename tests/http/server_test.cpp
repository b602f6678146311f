// A real Server on an ephemeral port, driven over real sockets.
#include "http/server.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "http/json_body.hpp"
#include "http/metrics.hpp"
#include "http/openapi.hpp"
#include "http/static_files.hpp"
#include "test_client.hpp"

namespace cairn::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ClientResponse;
using testing::Connection;
using testing::Fetch;

std::string BigJsonText() {
  json items = json::array();
  for (int i = 0; i < 200; ++i) items.push_back({{"id", "item_" + std::to_string(i)}, {"n", i}});
  return json{{"items", items}}.dump();
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cairn_http_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "web" / "assets");
    Write(dir_ / "web" / "index.html", "<!doctype html><title>Cairn</title>");
    Write(dir_ / "web" / "assets" / "app.3f9a.js", "console.log('cairn');");
    Write(dir_ / "secret.txt", "top secret");
    file_text_.resize(10000);
    for (std::size_t i = 0; i < file_text_.size(); ++i) file_text_[i] = static_cast<char>('a' + i % 26);
    Write(dir_ / "evidence.bin", file_text_);

    log_sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    logger_ = std::make_shared<spdlog::logger>("access_test", log_sink_);
    logger_->set_pattern("%v");
    error_logger_ = std::make_shared<spdlog::logger>("error_test", log_sink_);
    error_logger_->set_pattern("%v");
    previous_default_ = spdlog::default_logger();
    spdlog::set_default_logger(error_logger_);
  }

  void TearDown() override {
    StopServer();
    spdlog::set_default_logger(previous_default_);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static void Write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  void AddTestRoutes() {
    router_.Add({"GET", "/echo/{id}", [](Request& req) {
                   json query = json::object();
                   for (const auto& [k, v] : req.query) query[k] = v;
                   return JsonResponse(200, {{"id", req.Param("id")},
                                             {"path", req.path},
                                             {"query", query},
                                             {"request_id", req.request_id},
                                             {"user", req.principal ? req.principal->user_id : ""}});
                 },
                 "public"});
    router_.Add({"DELETE", "/echo/{id}", [](Request&) { return NoContentResponse(); }, "public"});
    router_.Add({"POST", "/items",
                 [](Request& req) {
                   auto body = ParseJsonBody(req);
                   if (!body) return ProblemResponse(body.error());
                   JsonReader in(*body);
                   auto title = in.RequiredString("title", 10);
                   auto count = in.OptionalInt("count", 1, 5);
                   auto kind = in.OptionalEnum("kind", {"rubric", "evidence"});
                   auto meta = in.OptionalObject("meta");
                   if (meta) meta->OptionalString("note", 20);
                   if (auto done = in.Finish(); !done) return ProblemResponse(done.error());
                   return JsonResponse(201, {{"title", title}, {"count", count.value_or(1)}});
                 },
                 "public", 1024});
    router_.Add({"GET", "/boom", [](Request&) -> Response {
                   throw std::runtime_error("database password is hunter2");
                 },
                 "public"});
    router_.Add({"GET", "/big", [](Request&) {
                   return TextResponse(200, BigJsonText(), kJsonType);
                 },
                 "public"});
    router_.Add({"GET", "/private", [](Request& req) {
                   return JsonResponse(200, {{"user", req.principal->user_id}});
                 },
                 "authenticated"});
    router_.Add({"GET", "/evidence", [this](Request&) {
                   return FileResponse((dir_ / "evidence.bin").string(), "application/octet-stream");
                 },
                 "public"});
    router_.Add({"GET", "/slow", [this](Request&) {
                   slow_started_.set_value();
                   std::this_thread::sleep_for(std::chrono::milliseconds(700));
                   return TextResponse(200, "finished");
                 },
                 "public"});
  }

  // Authentication and the policy check, as the identity module's middleware will do them.
  std::vector<Middleware> TestMiddleware() {
    return {
        [this](Request& req, const Route&) -> std::optional<Response> {
          middleware_calls_++;
          if (auto user = req.headers.Get("X-Test-User")) {
            core::identity::Principal principal;
            principal.user_id = *user;
            req.principal = principal;
          }
          return std::nullopt;
        },
        [](Request& req, const Route& route) -> std::optional<Response> {
          if (route.policy == "authenticated" && !req.principal)
            return ProblemResponse(core::Error::Unauthenticated("sign in first"));
          return std::nullopt;
        },
    };
  }

  void StartServer(ServerOptions options = {}) {
    options.port = 0;
    options.handle_signals = false;
    options.worker_threads = 2;
    options.access_log = logger_;
    AddTestRoutes();
    server_ = std::make_unique<Server>(options, router_, TestMiddleware());
    AddOperationalRoutes(router_, *server_);
    AddOpenApiRoute(router_);
    StaticFilesOptions statics;
    statics.root = (dir_ / "web").string();
    AddStaticRoutes(router_, statics);
    port_ = server_->port();
    thread_ = std::thread([this] { server_->Run(); });
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  std::string Log() {
    logger_->flush();
    return log_.str();
  }

  static void ExpectProblem(const ClientResponse& r, int status) {
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.Header("Content-Type").value_or(""), "application/problem+json");
    auto body = json::parse(r.body);
    EXPECT_EQ(body["status"], status);
    EXPECT_TRUE(body["type"].get<std::string>().starts_with("urn:cairn:problem:"));
    EXPECT_FALSE(body["title"].get<std::string>().empty());
    EXPECT_EQ(body["request_id"], r.Header("X-Request-Id").value_or("missing"));
    EXPECT_TRUE(ValidateSchema(OpenApiDocument(), {{"$ref", "#/components/schemas/Problem"}}, body)
                    .empty())
        << r.body;
  }

  fs::path dir_;
  std::string file_text_;
  Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  unsigned short port_ = 0;
  std::ostringstream log_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> log_sink_;
  std::shared_ptr<spdlog::logger> logger_, error_logger_, previous_default_;
  std::atomic<int> middleware_calls_{0};
  std::promise<void> slow_started_;
};

TEST_F(ServerTest, RoutesWithParamsQueryAndRequestId) {
  StartServer();
  auto r = Fetch(port_, "GET", "/echo/mc%2F7?page=2&q=a+b%26c");
  ASSERT_EQ(r.status, 200);
  auto body = r.Json();
  EXPECT_EQ(body["id"], "mc/7");
  EXPECT_EQ(body["path"], "/echo/mc/7");
  EXPECT_EQ(body["query"]["page"], "2");
  EXPECT_EQ(body["query"]["q"], "a b&c");
  ASSERT_TRUE(r.Header("X-Request-Id"));
  EXPECT_EQ(body["request_id"], *r.Header("X-Request-Id"));
  EXPECT_EQ(r.Header("X-Content-Type-Options").value_or(""), "nosniff");
}

TEST_F(ServerTest, SaneIncomingRequestIdIsEchoedAndOthersReplaced) {
  StartServer();
  auto kept = Fetch(port_, "GET", "/echo/1", {"X-Request-Id: lb-7f3a.42"});
  EXPECT_EQ(kept.Header("X-Request-Id").value_or(""), "lb-7f3a.42");
  EXPECT_EQ(kept.Json()["request_id"], "lb-7f3a.42");
  auto replaced = Fetch(port_, "GET", "/echo/1", {"X-Request-Id: bad id\"<script>"});
  auto id = replaced.Header("X-Request-Id").value_or("");
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  auto other = Fetch(port_, "GET", "/echo/1");
  EXPECT_NE(other.Header("X-Request-Id"), replaced.Header("X-Request-Id"));
}

TEST_F(ServerTest, UnknownPathIs404Problem) {
  StartServer();
  auto r = Fetch(port_, "GET", "/api/v1/nothing-here", {"X-Request-Id: req-404"});
  ExpectProblem(r, 404);
  auto body = r.Json();
  EXPECT_EQ(body["instance"], "/api/v1/nothing-here");
  EXPECT_EQ(body["request_id"], "req-404");
  EXPECT_EQ(body["type"], "urn:cairn:problem:not-found");
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  StartServer();
  auto r = Fetch(port_, "PUT", "/echo/1");
  ExpectProblem(r, 405);
  EXPECT_EQ(r.Header("Allow").value_or(""), "DELETE, GET, HEAD");
}

TEST_F(ServerTest, MiddlewareRunsForEveryRouteAndCanShortCircuit) {
  StartServer();
  auto health = Fetch(port_, "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.Json()["status"], "ok");
  EXPECT_EQ(middleware_calls_.load(), 1);
  auto denied = Fetch(port_, "GET", "/private");
  ExpectProblem(denied, 401);
  EXPECT_EQ(denied.Json()["detail"], "sign in first");
  auto allowed = Fetch(port_, "GET", "/private", {"X-Test-User: usr_ada"});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(allowed.Json()["user"], "usr_ada");
  EXPECT_EQ(middleware_calls_.load(), 3);
  EXPECT_NE(Log().find(R"("user_id":"usr_ada")"), std::string::npos);
}

TEST_F(ServerTest, JsonBodyErrors) {
  StartServer();
  auto wrong_type = Fetch(port_, "POST", "/items", {"Content-Type: text/plain"}, "{}");
  ExpectProblem(wrong_type, 415);

  auto bad_utf8 = Fetch(port_, "POST", "/items", {"Content-Type: application/json"},
                        "{\"title\": \"\xFF\"}");
  ExpectProblem(bad_utf8, 400);
  EXPECT_EQ(bad_utf8.Json()["detail"], "the request body is not valid UTF-8 (byte offset 11)");

  auto malformed = Fetch(port_, "POST", "/items", {"Content-Type: application/json"},
                         "{\"title\": }");
  ExpectProblem(malformed, 400);
  EXPECT_EQ(malformed.Json()["detail"], "malformed JSON at byte offset 10");

  auto invalid = Fetch(port_, "POST", "/items", {"Content-Type: application/json"},
                       R"({"title": "far too long a title", "count": 9, "kind": "x",
                           "meta": {"note": 1, "zzz": 0}, "extra": true})");
  ExpectProblem(invalid, 422);
  auto body = invalid.Json();
  EXPECT_EQ(body["type"], "urn:cairn:problem:validation");
  json expected = json::array({
      {{"pointer", "/title"}, {"detail", "must be at most 10 characters"}},
      {{"pointer", "/count"}, {"detail", "must be an integer from 1 to 5"}},
      {{"pointer", "/kind"}, {"detail", "must be one of: rubric, evidence"}},
      {{"pointer", "/meta/note"}, {"detail", "must be a string, not integer"}},
      {{"pointer", "/extra"}, {"detail", "is not a known member"}},
      {{"pointer", "/meta/zzz"}, {"detail", "is not a known member"}},
  });
  EXPECT_EQ(body["errors"], expected);

  auto ok = Fetch(port_, "POST", "/items", {"Content-Type: application/json"},
                  R"({"title": "Inquiry", "count": 2})");
  EXPECT_EQ(ok.status, 201);
  EXPECT_EQ(ok.Json()["title"], "Inquiry");
}

TEST_F(ServerTest, BodyOverLimitIs413BeforeTheBodyIsSent) {
  StartServer();
  Connection c(port_);
  // Only the header goes out; the server must answer from Content-Length alone.
  c.Send("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: 100000\r\n\r\n");
  auto r = c.Read(std::chrono::seconds(3));
  ASSERT_TRUE(r);
  ExpectProblem(*r, 413);
  EXPECT_EQ(r->Header("Connection").value_or(""), "close");
}

TEST_F(ServerTest, ExpectContinueIsAnsweredAndRefusedWhenTooLarge) {
  StartServer();
  {
    Connection c(port_);
    std::string body = R"({"title": "Inquiry"})";
    c.Send("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
    auto interim = c.Read(std::chrono::seconds(3));
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    c.Send(body);
    auto final_response = c.Read(std::chrono::seconds(3));
    ASSERT_TRUE(final_response);
    EXPECT_EQ(final_response->status, 201);
  }
  {
    Connection c(port_);
    c.Send("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Expect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
    auto r = c.Read(std::chrono::seconds(3));
    ASSERT_TRUE(r);
    ExpectProblem(*r, 413);
  }
}

TEST_F(ServerTest, ChunkedBodyOverLimitIs413WhileStreaming) {
  StartServer();
  Connection c(port_);
  c.Send("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Transfer-Encoding: chunked\r\n\r\n");
  std::string chunk(600, ' ');
  std::string framed = "258\r\n" + chunk + "\r\n";  // 0x258 = 600
  c.Send(framed);
  c.Send(framed);
  auto r = c.Read(std::chrono::seconds(3));
  ASSERT_TRUE(r);
  ExpectProblem(*r, 413);
}

TEST_F(ServerTest, LongUrlIs414AndLargeHeaderIs431) {
  StartServer();
  auto long_url = Fetch(port_, "GET", "/echo/" + std::string(9000, 'a'));
  ExpectProblem(long_url, 414);
  // Longer than the whole header budget: still recognised as a long target.
  auto huge_url = Fetch(port_, "GET", "/echo/" + std::string(20000, 'a'));
  ExpectProblem(huge_url, 414);
  auto big_header = Fetch(port_, "GET", "/echo/1", {"X-Padding: " + std::string(20000, 'p')});
  ExpectProblem(big_header, 431);
}

TEST_F(ServerTest, MalformedHttpIs400) {
  StartServer();
  Connection c(port_);
  c.Send("THIS IS NOT HTTP\r\n\r\n");
  auto r = c.Read(std::chrono::seconds(3));
  ASSERT_TRUE(r);
  ExpectProblem(*r, 400);
  EXPECT_TRUE(c.WaitClosed());
  auto bad_target = Fetch(port_, "GET", "/echo/%zz");
  ExpectProblem(bad_target, 400);
}

TEST_F(ServerTest, SlowHeaderAndSlowBodyAre408) {
  ServerOptions options;
  options.header_timeout = std::chrono::seconds(1);
  options.body_timeout = std::chrono::seconds(1);
  StartServer(options);
  {
    Connection c(port_);
    c.Send("GET /echo/1 HTTP/1.1\r\nHost: x\r\n");  // and then nothing
    auto r = c.Read(std::chrono::seconds(4));
    ASSERT_TRUE(r);
    ExpectProblem(*r, 408);
    EXPECT_TRUE(c.WaitClosed());
  }
  {
    Connection c(port_);
    c.Send("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Content-Length: 50\r\n\r\n{\"ti");
    auto r = c.Read(std::chrono::seconds(4));
    ASSERT_TRUE(r);
    ExpectProblem(*r, 408);
  }
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedSilently) {
  ServerOptions options;
  options.idle_timeout = std::chrono::seconds(1);
  StartServer(options);
  Connection c(port_);
  c.Send("GET /echo/1 HTTP/1.1\r\nHost: x\r\n\r\n");
  auto first = c.Read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  // Keep-alive: a second request on the same connection.
  c.Send("GET /echo/2 HTTP/1.1\r\nHost: x\r\n\r\n");
  auto second = c.Read();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->Json()["id"], "2");
  EXPECT_TRUE(c.WaitClosed(std::chrono::seconds(3)));
}

TEST_F(ServerTest, StrayExceptionIs500WithRequestIdAndNoDetails) {
  StartServer();
  auto r = Fetch(port_, "GET", "/boom", {"X-Request-Id: boom-1"});
  ExpectProblem(r, 500);
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(r.Json()["request_id"], "boom-1");
  std::string log = Log();
  auto at = log.find("hunter2");
  ASSERT_NE(at, std::string::npos);
  // The detail is logged with the same request id.
  auto line_start = log.rfind('\n', at);
  auto line = log.substr(line_start == std::string::npos ? 0 : line_start + 1,
                         log.find('\n', at) - (line_start == std::string::npos ? 0 : line_start + 1));
  EXPECT_NE(line.find(R"("request_id":"boom-1")"), std::string::npos) << line;
}

TEST_F(ServerTest, GzipWhenAcceptedWithVary) {
  StartServer();
  auto plain = Fetch(port_, "GET", "/big");
  EXPECT_EQ(plain.status, 200);
  EXPECT_FALSE(plain.Header("Content-Encoding"));
  EXPECT_EQ(plain.Header("Vary").value_or(""), "Accept-Encoding");
  EXPECT_EQ(plain.body, BigJsonText());

  auto zipped = Fetch(port_, "GET", "/big", {"Accept-Encoding: br, gzip;q=0.8"});
  EXPECT_EQ(zipped.Header("Content-Encoding").value_or(""), "gzip");
  EXPECT_EQ(zipped.Header("Vary").value_or(""), "Accept-Encoding");
  EXPECT_LT(zipped.body.size(), plain.body.size() / 3);
  EXPECT_EQ(testing::Gunzip(zipped.body), BigJsonText());
  EXPECT_NE(zipped.Header("ETag"), plain.Header("ETag"));

  auto refused = Fetch(port_, "GET", "/big", {"Accept-Encoding: gzip;q=0, identity"});
  EXPECT_FALSE(refused.Header("Content-Encoding"));

  auto small = Fetch(port_, "GET", "/healthz", {"Accept-Encoding: gzip"});
  EXPECT_FALSE(small.Header("Content-Encoding"));
}

TEST_F(ServerTest, StrongEtagAndIfNoneMatch) {
  StartServer();
  auto first = Fetch(port_, "GET", "/echo/7?x=1");
  auto etag = first.Header("ETag");
  ASSERT_TRUE(etag);
  EXPECT_TRUE(etag->starts_with("\"") && !etag->starts_with("W/"));
  auto again = Fetch(port_, "GET", "/big");
  auto big_etag = again.Header("ETag").value();
  auto not_modified = Fetch(port_, "GET", "/big", {"If-None-Match: \"other\", " + big_etag});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(not_modified.Header("ETag").value_or(""), big_etag);
  auto changed = Fetch(port_, "GET", "/big", {"If-None-Match: \"stale\""});
  EXPECT_EQ(changed.status, 200);
  // The gzip representation has its own tag, and it revalidates too.
  auto zipped = Fetch(port_, "GET", "/big", {"Accept-Encoding: gzip"});
  auto zipped_304 = Fetch(port_, "GET", "/big",
                          {"Accept-Encoding: gzip", "If-None-Match: " + *zipped.Header("ETag")});
  EXPECT_EQ(zipped_304.status, 304);
  // Errors carry no ETag.
  EXPECT_FALSE(Fetch(port_, "GET", "/api/v1/nope").Header("ETag"));
}

TEST_F(ServerTest, HeadHasHeadersButNoBody) {
  StartServer();
  auto get = Fetch(port_, "GET", "/big");
  auto head = Fetch(port_, "HEAD", "/big");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("Content-Length"), get.Header("Content-Length"));
  EXPECT_EQ(head.Header("ETag"), get.Header("ETag"));
}

TEST_F(ServerTest, MetricsCountRequestsByRoutePattern) {
  StartServer();
  Fetch(port_, "GET", "/echo/a");
  Fetch(port_, "GET", "/echo/b");
  Fetch(port_, "POST", "/api/v1/nope");  // no route at all
  Fetch(port_, "GET", "/api/v1/nope");   // the static catch-all route answers 404
  auto r = Fetch(port_, "GET", "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.Header("Content-Type").value_or("").starts_with("text/plain; version=0.0.4"));
  EXPECT_NE(r.body.find(R"(cairn_http_requests_total{method="GET",route="/echo/{id}",status="200"} 2)"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"(method="POST",route="unmatched",status="404"} 1)"), std::string::npos);
  EXPECT_NE(r.body.find(R"(method="GET",route="/{path...}",status="404"} 1)"), std::string::npos);
  EXPECT_NE(r.body.find(R"(cairn_http_request_duration_seconds_bucket{method="GET",route="/echo/{id}",le="+Inf"} 2)"),
            std::string::npos);
  EXPECT_EQ(r.body.find("/echo/a"), std::string::npos);
}

TEST_F(ServerTest, ReadinessCheckDrivesReadyz) {
  StartServer();
  std::atomic<bool> ready{true};
  server_->SetReadinessCheck([&] { return ready.load(); });
  EXPECT_EQ(Fetch(port_, "GET", "/readyz").status, 200);
  ready = false;
  ExpectProblem(Fetch(port_, "GET", "/readyz"), 503);
  EXPECT_EQ(Fetch(port_, "GET", "/healthz").status, 200);
}

TEST_F(ServerTest, RangeRequestsOnFiles) {
  StartServer();
  auto whole = Fetch(port_, "GET", "/evidence");
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, file_text_);
  EXPECT_EQ(whole.Header("Accept-Ranges").value_or(""), "bytes");
  auto etag = whole.Header("ETag").value();

  auto part = Fetch(port_, "GET", "/evidence", {"Range: bytes=100-199"});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, file_text_.substr(100, 100));
  EXPECT_EQ(part.Header("Content-Range").value_or(""), "bytes 100-199/10000");

  auto suffix = Fetch(port_, "GET", "/evidence", {"Range: bytes=-10"});
  EXPECT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.body, file_text_.substr(9990));

  auto open = Fetch(port_, "GET", "/evidence", {"Range: bytes=9995-"});
  EXPECT_EQ(open.body, file_text_.substr(9995));

  auto beyond = Fetch(port_, "GET", "/evidence", {"Range: bytes=20000-"});
  ExpectProblem(beyond, 416);
  EXPECT_EQ(beyond.Header("Content-Range").value_or(""), "bytes */10000");

  auto stale = Fetch(port_, "GET", "/evidence", {"Range: bytes=0-9", "If-Range: \"old\""});
  EXPECT_EQ(stale.status, 200);
  EXPECT_EQ(stale.body.size(), 10000u);
  auto fresh = Fetch(port_, "GET", "/evidence", {"Range: bytes=0-9", "If-Range: " + etag});
  EXPECT_EQ(fresh.status, 206);

  auto cached = Fetch(port_, "GET", "/evidence", {"If-None-Match: " + etag});
  EXPECT_EQ(cached.status, 304);
  auto head = Fetch(port_, "HEAD", "/evidence");
  EXPECT_EQ(head.Header("Content-Length").value_or(""), "10000");
  EXPECT_TRUE(head.body.empty());
}

TEST_F(ServerTest, StaticFilesAndAppFallback) {
  StartServer();
  auto index = Fetch(port_, "GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>Cairn</title>");
  EXPECT_EQ(index.Header("Content-Type").value_or(""), "text/html; charset=utf-8");
  EXPECT_EQ(index.Header("Cache-Control").value_or(""), "no-cache");
  auto csp = index.Header("Content-Security-Policy").value_or("");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);

  auto app_route = Fetch(port_, "GET", "/reviews/sub_123");
  EXPECT_EQ(app_route.status, 200);
  EXPECT_EQ(app_route.body, index.body);

  auto asset = Fetch(port_, "GET", "/assets/app.3f9a.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "console.log('cairn');");
  EXPECT_EQ(asset.Header("Content-Type").value_or(""), "text/javascript; charset=utf-8");
  EXPECT_EQ(asset.Header("Cache-Control").value_or(""), "public, max-age=31536000, immutable");

  ExpectProblem(Fetch(port_, "GET", "/assets/missing.js"), 404);
  ExpectProblem(Fetch(port_, "GET", "/api/v1/unknown"), 404);
  // Traversal, raw and encoded, never reaches a file outside the root.
  for (std::string target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                             "/assets%2f..%2f..%2fsecret.txt"}) {
    auto r = Fetch(port_, "GET", target);
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << target;
  }
}

TEST_F(ServerTest, OpenApiDocumentIsServedAndDescribesTheOperationalRoutes) {
  StartServer();
  auto r = Fetch(port_, "GET", "/api/v1/openapi.json");
  EXPECT_EQ(r.status, 200);
  auto doc = r.Json();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  auto health = Fetch(port_, "GET", "/healthz");
  EXPECT_TRUE(ValidateResponse(doc, "GET", "/healthz", 200, health.Json()).empty());
  auto missing = Fetch(port_, "GET", "/api/v1/nope");
  EXPECT_TRUE(ValidateSchema(doc, {{"$ref", "#/components/schemas/Problem"}}, missing.Json()).empty());
}

TEST_F(ServerTest, AccessLogIsOneJsonLinePerRequestWithoutSecrets) {
  StartServer();
  Fetch(port_, "GET", "/echo/9?token=s3cr3t-token",
        {"Cookie: cairn_session=cookie-value", "Authorization: Bearer bearer-value",
         "X-Request-Id: log-1"});
  std::string log = Log();
  EXPECT_EQ(log.find("s3cr3t-token"), std::string::npos);
  EXPECT_EQ(log.find("cookie-value"), std::string::npos);
  EXPECT_EQ(log.find("bearer-value"), std::string::npos);
  std::istringstream lines(log);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    auto entry = json::parse(line);
    if (entry.value("request_id", "") != "log-1") continue;
    found = true;
    EXPECT_EQ(entry["event"], "access");
    EXPECT_EQ(entry["method"], "GET");
    EXPECT_EQ(entry["route"], "/echo/{id}");
    EXPECT_EQ(entry["status"], 200);
    EXPECT_GT(entry["bytes"].get<int>(), 0);
    EXPECT_GE(entry["duration_ms"].get<double>(), 0.0);
    EXPECT_TRUE(entry["time"].get<std::string>().ends_with("Z"));
  }
  EXPECT_TRUE(found) << log;
}

TEST_F(ServerTest, StopLetsInFlightRequestsFinish) {
  StartServer();
  auto future = std::async(std::launch::async, [this] { return Fetch(port_, "GET", "/slow"); });
  slow_started_.get_future().wait();
  auto idle = std::make_unique<Connection>(port_);  // an idle keep-alive client
  auto stopped_at = std::chrono::steady_clock::now();
  server_->Stop();
  auto r = future.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "finished");
  EXPECT_EQ(r.Header("Connection").value_or(""), "close");
  EXPECT_TRUE(idle->WaitClosed(std::chrono::seconds(3)));
  thread_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_at, std::chrono::seconds(5));
  // Nothing listens any more.
  EXPECT_THROW(Connection{port_}, std::runtime_error);
  server_.reset();
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  Connection c(port_);
  c.Send("GET /echo/first HTTP/1.1\r\nHost: x\r\n\r\n"
         "GET /echo/second HTTP/1.1\r\nHost: x\r\n\r\n"
         "POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: 15\r\n\r\n{\"title\": \"Ok\"}");
  auto first = c.Read();
  auto second = c.Read();
  auto third = c.Read();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->Json()["id"], "first");
  EXPECT_EQ(second->Json()["id"], "second");
  EXPECT_EQ(third->status, 201);
}

TEST_F(ServerTest, ConcurrentClientsEachGetTheirOwnAnswers) {
  StartServer();
  std::vector<std::future<int>> clients;
  for (int t = 0; t < 8; ++t) {
    clients.push_back(std::async(std::launch::async, [this, t] {
      Connection c(port_);
      int correct = 0;
      for (int i = 0; i < 25; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        c.Send("GET /echo/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n");
        auto r = c.Read();
        if (r && r->status == 200 && r->Json()["id"] == id) ++correct;
      }
      return correct;
    }));
  }
  for (auto& client : clients) EXPECT_EQ(client.get(), 25);
}

TEST_F(ServerTest, SigtermDrainsLikeStop) {
  AddTestRoutes();
  ServerOptions options;
  options.port = 0;
  options.access_log = logger_;
  options.handle_signals = true;
  server_ = std::make_unique<Server>(options, router_, TestMiddleware());
  port_ = server_->port();
  thread_ = std::thread([this] { server_->Run(); });
  // The signal handler is installed by Run(); wait until the server answers.
  for (int i = 0; i < 100; ++i) {
    try {
      if (Fetch(port_, "GET", "/echo/ready").status == 200) break;
    } catch (const std::runtime_error&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto future = std::async(std::launch::async, [this] { return Fetch(port_, "GET", "/slow"); });
  slow_started_.get_future().wait();
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  EXPECT_EQ(future.get().body, "finished");
  thread_.join();
  server_.reset();
}

TEST(ServerBindTest, TakenPortThrows) {
  Router router;
  ServerOptions options;
  options.port = 0;
  options.handle_signals = false;
  Server first(options, router, {});
  options.port = first.port();
  EXPECT_THROW(Server(options, router, {}), std::system_error);
}

}  // namespace
}  // namespace cairn::http
