#include "http/server.hpp"

#include <openssl/sha.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <zlib.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <cstdio>
#include <limits>
#include <map>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <system_error>
#include <thread>

#include "http/metrics.hpp"
#include "http/range.hpp"
#include "http/request_scope.hpp"

namespace cairn::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kGzipThreshold = 1024;
constexpr std::size_t kFileChunk = 64 * 1024;
// After an error that leaves request bytes unread, keep reading (and discarding) this long so the
// client sees our response instead of a reset. The byte bound must exceed what a client commonly
// sends past a limit (a 5 MiB body to a 4 MiB route was cut short by a 4 MiB bound, and the
// client saw a broken pipe); the time bound keeps a slow sender from holding the connection.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerBytes = 32 << 20;

// An incoming X-Request-Id is kept only if it cannot smuggle anything into logs.
bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(20, '0');
  std::uint64_t a = rng(), b = rng();
  for (int i = 0; i < 16; ++i) id[i] = kHex[(a >> (i * 4)) & 0xF];
  for (int i = 16; i < 20; ++i) id[i] = kHex[(b >> ((i - 16) * 4)) & 0xF];
  return id;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Does Accept-Encoding (RFC 9110 §12.5.3) accept gzip? "gzip;q=0" refuses it; "*" accepts it.
bool AcceptsGzip(std::string_view header) {
  bool star = false, gzip_listed = false, gzip_ok = false;
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view item = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? "" : header.substr(comma + 1);
    auto semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    bool zero = false;
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      auto q = params.find("q=");
      if (q == std::string_view::npos) q = params.find("Q=");
      if (q != std::string_view::npos) {
        std::string_view value = Trim(params.substr(q + 2));
        zero = !value.empty() && value[0] == '0' &&
               value.find_first_of("123456789") == std::string_view::npos;
      }
    }
    if (EqualsIgnoreCase(coding, "gzip") || EqualsIgnoreCase(coding, "x-gzip")) {
      gzip_listed = true;
      gzip_ok = !zero;
    } else if (coding == "*") {
      star = !zero;
    }
  }
  return gzip_listed ? gzip_ok : star;
}

bool IsCompressible(std::string_view content_type) {
  auto semi = content_type.find(';');
  std::string_view type = Trim(content_type.substr(0, semi));
  return type.starts_with("text/") || type == "application/json" ||
         type == "application/problem+json" || type == "application/javascript" ||
         type == "application/ld+json" || type == "application/xml" ||
         type == "image/svg+xml" || type.ends_with("+json") || type == "application/wasm";
}

std::optional<std::string> Gzip(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, 5, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return std::nullopt;
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

std::string StrongEtag(std::string_view body) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string tag = "\"";
  for (int i = 0; i < 16; ++i) {
    tag += kHex[digest[i] >> 4];
    tag += kHex[digest[i] & 0xF];
  }
  tag += '"';
  return tag;
}

// "\"abc\"" → "\"abc-gzip\"": a gzip-coded representation is a different one (RFC 9110 §8.8.3).
std::string GzipEtag(std::string_view etag) {
  std::string tag(etag.substr(0, etag.size() - 1));
  tag += "-gzip\"";
  return tag;
}

// If-None-Match uses weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored.
bool NoneMatchHits(std::string_view header, std::string_view etag) {
  if (Trim(header) == "*") return true;
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view tag = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? "" : header.substr(comma + 1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

std::string HttpDate(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string NowRfc3339() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
            1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

// Splits "a=1&b=x+y" into decoded pairs; false on a malformed escape.
bool ParseQuery(std::string_view query, std::vector<std::pair<std::string, std::string>>& out) {
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    auto name = PercentDecode(item.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? "" : item.substr(eq + 1), true);
    if (!name || !value) return false;
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return true;
}

using Strand = asio::strand<asio::io_context::executor_type>;

struct Connection {
  Connection(Strand s, tcp::socket* sock) : strand(std::move(s)), socket(sock) {}
  Strand strand;
  tcp::socket* socket = nullptr;  // null once the session has ended
  bool idle = false;   // waiting for the first byte of a request: safe to close on drain
  bool fired = false;  // the current deadline passed and the pending operation was cancelled
  // When the current read or write must be done by, in steady_clock ticks; 0 for none. Written
  // by the session, read by the server's sweeper.
  std::atomic<Clock::rep> deadline{0};
};

// Read and write time limits. A per-request timer would cost a cancel and a re-arm for every
// phase of every request; instead Arm() only stores the deadline and one sweeper per server
// cancels what is overdue. (beast::tcp_stream's own timer closes the socket, which leaves no way
// to answer 408.)
class Deadline {
 public:
  explicit Deadline(std::shared_ptr<Connection> connection) : c_(std::move(connection)) {}
  void Arm(Clock::duration limit) {
    c_->fired = false;
    c_->deadline.store((Clock::now() + limit).time_since_epoch().count(),
                       std::memory_order_relaxed);
  }
  bool fired() const { return c_->fired; }

 private:
  std::shared_ptr<Connection> c_;
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, std::vector<Middleware> middleware)
      : options_(std::move(options)),
        router_(router),
        middleware_(std::move(middleware)),
        ioc_(std::max(1, options_.io_threads)),
        acceptor_(ioc_),
        signals_(ioc_),
        workers_(static_cast<std::size_t>(std::max(1, options_.worker_threads))),
        metrics_(options_.metrics ? options_.metrics : std::make_shared<Metrics>()),
        access_log_(options_.access_log ? options_.access_log : spdlog::default_logger()) {
    try {
      tcp::endpoint endpoint(asio::ip::make_address(options_.host), options_.port);
      acceptor_.open(endpoint.protocol());
      acceptor_.set_option(asio::socket_base::reuse_address(true));
      acceptor_.bind(endpoint);
      acceptor_.listen(asio::socket_base::max_listen_connections);
    } catch (const boost::system::system_error& e) {
      // Callers should not need Boost to tell "port taken" from other failures.
      throw std::system_error(std::error_code(e.code().value(), std::system_category()),
                              "cannot listen on " + options_.host + ":" +
                                  std::to_string(options_.port));
    }
  }

  ~Impl() {
    workers_.stop();
    workers_.join();
  }

  void Run() {
    if (options_.handle_signals) {
      signals_.add(SIGTERM);
      signals_.add(SIGINT);
      signals_.async_wait([this](const boost::system::error_code& ec, int) {
        if (!ec) BeginDrain();
      });
    }
    asio::co_spawn(ioc_, Accept(), asio::detached);
    asio::co_spawn(ioc_, SweepDeadlines(), asio::detached);
    if (stop_requested_) asio::post(ioc_, [this] { BeginDrain(); });
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
  }

  void Stop() {
    stop_requested_ = true;
    asio::post(ioc_, [this] { BeginDrain(); });
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  bool Ready() const {
    std::lock_guard lock(readiness_mutex_);
    return !readiness_ || readiness_();
  }

  void SetReadinessCheck(std::function<bool()> check) {
    std::lock_guard lock(readiness_mutex_);
    readiness_ = std::move(check);
  }

  Metrics& metrics() { return *metrics_; }

 private:
  // Stop accepting, close idle keep-alive connections, and give busy ones drain_timeout to
  // finish; each busy connection closes after its current response.
  void BeginDrain() {
    if (draining_.exchange(true)) return;
    stopping_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    signals_.cancel(ignored);
    {
      std::lock_guard lock(connections_mutex_);
      for (auto& [id, connection] : connections_) {
        auto c = connection;
        asio::post(c->strand, [c] {
          if (c->idle && c->socket) c->socket->close();
        });
      }
    }
    asio::co_spawn(ioc_, WaitForDrain(), asio::detached);
  }

  asio::awaitable<void> WaitForDrain() {
    asio::steady_timer timer(ioc_);
    auto deadline = Clock::now() + options_.drain_timeout;
    while (true) {
      {
        std::lock_guard lock(connections_mutex_);
        if (connections_.empty()) co_return;
      }
      if (Clock::now() >= deadline) {
        std::size_t left;
        {
          std::lock_guard lock(connections_mutex_);
          left = connections_.size();
        }
        spdlog::warn(R"({{"event":"drain_timeout","connections":{}}})", left);
        ioc_.stop();
        co_return;
      }
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(kNoThrow);
    }
  }

  // Granularity of every timeout; small against the seconds the limits are set in.
  static constexpr std::chrono::milliseconds kSweepInterval{100};

  asio::awaitable<void> SweepDeadlines() {
    asio::steady_timer timer(ioc_);
    while (true) {
      timer.expires_after(kSweepInterval);
      co_await timer.async_wait(kNoThrow);
      auto now = Clock::now().time_since_epoch().count();
      std::lock_guard lock(connections_mutex_);
      if (draining_ && connections_.empty()) co_return;
      for (auto& [id, connection] : connections_) {
        auto due = connection->deadline.load(std::memory_order_relaxed);
        if (due == 0 || due > now) continue;
        asio::post(connection->strand, [c = connection, due] {
          // Re-checked on the strand: the session may have moved on since.
          if (!c->socket || c->deadline.load(std::memory_order_relaxed) != due) return;
          c->deadline.store(0, std::memory_order_relaxed);
          c->fired = true;
          boost::system::error_code ignored;
          c->socket->cancel(ignored);
        });
      }
    }
  }

  asio::awaitable<void> Accept() {
    while (!stopping_) {
      auto strand = asio::make_strand(ioc_);
      auto [ec, socket] = co_await acceptor_.async_accept(strand, kNoThrow);
      if (ec) {
        if (stopping_ || ec == asio::error::operation_aborted) co_return;
        // EMFILE and friends: back off briefly instead of spinning.
        asio::steady_timer timer(ioc_, std::chrono::milliseconds(50));
        co_await timer.async_wait(kNoThrow);
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(strand, Session(std::move(socket), strand), asio::detached);
    }
  }

  std::uint64_t Register(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(connections_mutex_);
    auto id = next_connection_id_++;
    connections_.emplace(id, c);
    return id;
  }
  void Unregister(std::uint64_t id) {
    std::lock_guard lock(connections_mutex_);
    connections_.erase(id);
  }

  struct Exchange {
    Request request;
    Response response;
    const Route* route = nullptr;
    bool close = false;  // close the connection after this response
    Clock::time_point start;
    std::uint64_t bytes = 0;
  };

  // The body of a stream_body route. Read runs on a worker thread; each call hops to the
  // connection's strand, where the session coroutine is parked awaiting the handler, so the
  // socket, buffer and parser are only ever touched there.
  class StreamingBody final : public BodyReader {
   public:
    StreamingBody(Impl& server, tcp::socket& stream, Deadline& deadline,
                  beast::flat_buffer& buffer, bhttp::request_parser<bhttp::empty_body>&& header,
                  bool has_body)
        : server_(server),
          stream_(stream),
          deadline_(deadline),
          buffer_(buffer),
          parser_(std::move(header)),
          state_(has_body ? State::kReading : State::kComplete) {
      parser_.body_limit(std::numeric_limits<std::uint64_t>::max());
      if (parser_.content_length()) declared_ = *parser_.content_length();
      auto expect = parser_.get()[bhttp::field::expect];
      expect_continue_ = EqualsIgnoreCase(expect, "100-continue");
    }

    std::size_t Read(char* data, std::size_t size) override {
      if (size == 0 || state_.load() != State::kReading || detached_) return 0;
      std::promise<std::size_t> done;
      auto result = done.get_future();
      asio::co_spawn(stream_.get_executor(), ReadOnStrand(data, size),
                     [this, &done](std::exception_ptr e, std::size_t n) {
                       if (e) state_ = State::kAborted;
                       done.set_value(e ? 0 : n);
                     });
      return result.get();
    }
    State state() const override { return state_.load(); }
    std::optional<std::uint64_t> declared_length() const override { return declared_; }
    // The exchange is over: the socket and buffer may go away.
    void Detach() { detached_ = true; }

   private:
    asio::awaitable<std::size_t> ReadOnStrand(char* data, std::size_t size) {
      if (expect_continue_) {
        expect_continue_ = false;
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
        deadline_.Arm(server_.options_.body_timeout);
        auto [ec, n] = co_await bhttp::async_write(stream_, cont, kNoThrow);
        if (ec) {
          state_ = State::kAborted;
          co_return 0;
        }
      }
      std::size_t got = 0;
      while (got < size && !parser_.is_done()) {
        auto& body = parser_.get().body();
        body.data = data + got;
        body.size = size - got;
        body.more = true;
        deadline_.Arm(server_.options_.body_timeout);
        auto [ec, n] = co_await bhttp::async_read_some(stream_, buffer_, parser_, kNoThrow);
        got += (size - got) - body.size;
        if (ec && ec != bhttp::error::need_buffer) {
          state_ = State::kAborted;
          co_return got;
        }
      }
      if (parser_.is_done()) state_ = State::kComplete;
      co_return got;
    }

    Impl& server_;
    tcp::socket& stream_;
    Deadline& deadline_;
    beast::flat_buffer& buffer_;
    bhttp::request_parser<bhttp::buffer_body> parser_;
    std::atomic<State> state_;
    std::optional<std::uint64_t> declared_;
    bool expect_continue_ = false;
    std::atomic<bool> detached_{false};
  };

  asio::awaitable<void> Session(tcp::socket socket, Strand strand) {
    auto connection = std::make_shared<Connection>(strand, &socket);
    auto id = Register(connection);
    std::string remote;
    {
      boost::system::error_code ec;
      auto endpoint = socket.remote_endpoint(ec);
      if (!ec) remote = endpoint.address().to_string();
    }
    beast::flat_buffer buffer;
    Deadline deadline(connection);
    try {
      while (!stopping_) {
        if (buffer.size() == 0) {
          connection->idle = true;
          deadline.Arm(options_.idle_timeout);
          auto [ec, n] = co_await socket.async_read_some(buffer.prepare(4096), kNoThrow);
          connection->idle = false;
          if (ec) break;  // idle timeout, close by the peer or by a drain: nothing to answer
          buffer.commit(n);
        }
        bool keep_going = co_await ServeOne(socket, deadline, buffer, remote);
        if (!keep_going) break;
      }
    } catch (const std::exception& e) {
      spdlog::error(R"({{"event":"connection_error","detail":{}}})",
                    nlohmann::json(e.what()).dump(-1, ' ', false,
                                                  nlohmann::json::error_handler_t::replace));
    }
    connection->socket = nullptr;
    connection->deadline.store(0, std::memory_order_relaxed);
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    Unregister(id);
  }

  // Reads, dispatches and answers one request. Returns whether the connection stays open.
  asio::awaitable<bool> ServeOne(tcp::socket& stream, Deadline& deadline,
                                 beast::flat_buffer& buffer, const std::string& remote) {
    Exchange x;
    x.start = Clock::now();
    x.request.remote_address = remote;

    bhttp::request_parser<bhttp::empty_body> header_parser;
    header_parser.header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(options_.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    // Per-route limits are checked after routing; here any declared length may pass.
    header_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    deadline.Arm(options_.header_timeout);
    auto [header_ec, header_bytes] =
        co_await bhttp::async_read_header(stream, buffer, header_parser, kNoThrow);
    (void)header_bytes;
    if (header_ec) {
      x.request.request_id = NewRequestId();
      x.close = true;
      if (deadline.fired()) {
        x.response = StatusProblem(408, "the request header did not arrive in time",
                                   x.request.request_id, "");
      } else if (header_ec == bhttp::error::header_limit) {
        // The parser consumes the request line once it is complete; no target means the line
        // itself overflowed the limit.
        x.response = header_parser.get().target().empty()
                         ? StatusProblem(414, "the request target is too long",
                                         x.request.request_id, "")
                         : StatusProblem(431, "the request header is too large",
                                         x.request.request_id, "");
      } else if (header_ec == bhttp::error::end_of_stream || header_ec == asio::error::eof ||
                 header_ec == asio::error::connection_reset ||
                 header_ec == asio::error::operation_aborted) {
        co_return false;
      } else {
        x.response = StatusProblem(400, "the request is not valid HTTP/1.1",
                                   x.request.request_id, "");
      }
      co_await Finish(stream, deadline, buffer, x, /*linger=*/!deadline.fired());
      co_return false;
    }

    auto& head = header_parser.get();
    Request& req = x.request;
    req.method = std::string(head.method_string());
    req.target = std::string(head.target());
    for (const auto& field : head) req.headers.Add(std::string(field.name_string()),
                                                   std::string(field.value()));
    auto incoming_id = req.headers.Get("X-Request-Id");
    req.request_id = incoming_id && IsSaneRequestId(*incoming_id) ? *incoming_id : NewRequestId();
    bool has_body = head.chunked() || (head.has_content_length() &&
                                       header_parser.content_length().value_or(0) > 0);
    x.close = !head.keep_alive();

    if (req.target.size() > options_.max_url_bytes) {
      x.response = StatusProblem(414, "the request target is too long", req.request_id, "");
      x.close = true;
      co_await Finish(stream, deadline, buffer, x, has_body);
      co_return false;
    }
    auto url = boost::urls::parse_origin_form(req.target);
    std::optional<std::string> path;
    if (url) path = PercentDecode(url->encoded_path());
    if (!url || !path || !ParseQuery(url->encoded_query(), req.query)) {
      x.response = StatusProblem(400, "the request target is malformed", req.request_id, "");
      x.close = has_body || x.close;
      co_await Finish(stream, deadline, buffer, x, has_body);
      co_return !x.close && !stopping_;
    }
    req.path = std::move(*path);

    RouteMatch match = router_.Match(req.method, url->encoded_path());
    if (match.status != 200) {
      if (match.status == 405) {
        x.response = StatusProblem(405, "this resource does not support " + req.method,
                                   req.request_id, req.path);
        x.response.headers.Set("Allow", match.allow);
      } else if (match.status == 400) {
        x.response = StatusProblem(400, "the request path is malformed", req.request_id, req.path);
      } else {
        x.response = StatusProblem(404, "no resource at this path", req.request_id, req.path);
      }
      // The body was never read; the connection cannot be reused.
      x.close = x.close || has_body;
      co_await Finish(stream, deadline, buffer, x, has_body);
      co_return !x.close && !stopping_;
    }
    x.route = match.route;
    req.params = std::move(match.params);

    if (has_body && x.route->stream_body) {
      std::uint64_t limit = x.route->max_body;
      if (header_parser.content_length() && *header_parser.content_length() > limit) {
        x.response = StatusProblem(413,
                                   "the request body exceeds " + std::to_string(limit) + " bytes",
                                   req.request_id, req.path);
        x.close = true;
        co_await Finish(stream, deadline, buffer, x, true);
        co_return false;
      }
    }
    std::shared_ptr<StreamingBody> streaming;
    if (x.route->stream_body) {
      streaming = std::make_shared<StreamingBody>(*this, stream, deadline, buffer,
                                                  std::move(header_parser), has_body);
      req.body_reader = streaming;
    } else if (has_body) {
      std::uint64_t limit = x.route->max_body;
      if (header_parser.content_length() && *header_parser.content_length() > limit) {
        x.response = StatusProblem(413,
                                   "the request body exceeds " + std::to_string(limit) + " bytes",
                                   req.request_id, req.path);
        x.close = true;
        co_await Finish(stream, deadline, buffer, x, true);
        co_return false;
      }
      auto expect = req.headers.Get("Expect");
      if (expect && EqualsIgnoreCase(*expect, "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, head.version()};
        deadline.Arm(options_.body_timeout);
        auto [ec, n] = co_await bhttp::async_write(stream, cont, kNoThrow);
        if (ec) co_return false;
      }
      bhttp::request_parser<bhttp::string_body> body_parser{std::move(header_parser)};
      body_parser.body_limit(limit);
      deadline.Arm(options_.body_timeout);
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, body_parser, kNoThrow);
      if (ec) {
        x.close = true;
        if (ec == bhttp::error::body_limit) {
          x.response = StatusProblem(
              413, "the request body exceeds " + std::to_string(limit) + " bytes",
              req.request_id, req.path);
        } else if (deadline.fired()) {
          x.response = StatusProblem(408, "the request body did not arrive in time",
                                     req.request_id, req.path);
        } else if (ec == bhttp::error::partial_message || ec == asio::error::eof ||
                   ec == asio::error::connection_reset) {
          co_return false;
        } else {
          x.response = StatusProblem(400, "the request body is not valid HTTP/1.1 framing",
                                     req.request_id, req.path);
        }
        co_await Finish(stream, deadline, buffer, x, ec == bhttp::error::body_limit);
        co_return false;
      }
      req.body = std::move(body_parser.get().body());
    }

    const Route& route = *x.route;
    if (route.blocking) {
      x.response = co_await asio::co_spawn(
          workers_.get_executor(),
          [this, &req, &route]() -> asio::awaitable<Response> { co_return Dispatch(req, route); },
          asio::use_awaitable);
    } else {
      x.response = Dispatch(req, route);
    }
    bool linger = false;
    if (streaming) {
      // What the handler left unread cannot be told apart from the next request: close. A client
      // still sending gets the response after a linger instead of a reset.
      auto state = streaming->state();
      streaming->Detach();
      req.body_reader.reset();
      if (state != BodyReader::State::kComplete) {
        x.close = true;
        linger = state == BodyReader::State::kReading;
      }
    }
    co_await Finish(stream, deadline, buffer, x, linger);
    co_return !x.close && !stopping_;
  }

  // Runs on a worker: middleware in order, then the handler; a stray exception becomes a 500.
  Response Dispatch(Request& req, const Route& route) {
    RequestScope scope(req);
    try {
      for (const auto& middleware : middleware_)
        if (auto early = middleware(req, route)) return std::move(*early);
      return route.handler(req);
    } catch (const std::exception& e) {
      return ProblemResponse(core::Error::Internal(std::string("unhandled exception: ") + e.what()));
    } catch (...) {
      return ProblemResponse(core::Error::Internal("unhandled non-standard exception"));
    }
  }

  // Adds the common headers, applies conditional requests and gzip, writes the response, then
  // logs and counts it. With linger, unread request bytes are drained before closing.
  asio::awaitable<void> Finish(tcp::socket& stream, Deadline& deadline,
                               beast::flat_buffer& buffer, Exchange& x, bool linger) {
    Request& req = x.request;
    Response& res = x.response;
    if (stopping_) x.close = true;
    for (const auto& [name, value] : req.response_headers) res.headers.Add(name, value);
    if (x.route)
      for (const auto& [name, value] : x.route->response_headers)
        if (!res.headers.Has(name)) res.headers.Set(name, value);
    res.headers.Set("X-Request-Id", req.request_id);
    if (!res.headers.Has("X-Content-Type-Options")) res.headers.Set("X-Content-Type-Options", "nosniff");
    bool head_only = req.method == "HEAD";

    if (!res.file_path.empty() && res.status == 200) {
      co_await WriteFile(stream, deadline, x, head_only);
    } else {
      if (res.status >= 400) res.headers.Remove("ETag");
      PrepareBody(req, res);
      bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), 11};
      for (const auto& [name, value] : res.headers) out.insert(name, value);
      bool bodiless = res.status == 204 || res.status == 304 || res.status < 200;
      if (!bodiless) out.content_length(res.body.size());
      if (!head_only && !bodiless) out.body() = std::move(res.body);
      out.keep_alive(!x.close);
      x.bytes = out.body().size();
      // Logged before the write, so the line exists by the time the client has the response.
      LogAndCount(x);
      deadline.Arm(options_.body_timeout);
      auto [ec, n] = co_await bhttp::async_write(stream, out, kNoThrow);
      if (ec) x.close = true;
    }
    if (x.close && linger) co_await Linger(stream, deadline, buffer);
  }

  // gzip and strong ETags for in-memory bodies.
  void PrepareBody(const Request& req, Response& res) {
    auto content_type = res.headers.Get("Content-Type");
    bool compressible = res.body.size() >= kGzipThreshold && content_type &&
                        IsCompressible(*content_type) && !res.headers.Has("Content-Encoding");
    bool gzip = false;
    if (compressible) {
      res.headers.Add("Vary", "Accept-Encoding");
      auto accept = req.headers.Get("Accept-Encoding");
      gzip = accept && AcceptsGzip(*accept);
    }
    bool cacheable = (req.method == "GET" || req.method == "HEAD") && res.status == 200;
    if (cacheable && !res.headers.Has("ETag")) {
      std::string etag = StrongEtag(res.body);
      if (gzip) etag = GzipEtag(etag);
      res.headers.Set("ETag", etag);
    }
    if (cacheable) {
      auto none_match = req.headers.Get("If-None-Match");
      auto etag = res.headers.Get("ETag");
      if (none_match && etag && NoneMatchHits(*none_match, *etag)) {
        res.status = 304;
        res.body.clear();
        res.headers.Remove("Content-Type");
        return;
      }
    }
    if (gzip) {
      if (auto zipped = Gzip(res.body); zipped && zipped->size() < res.body.size()) {
        res.body = std::move(*zipped);
        res.headers.Set("Content-Encoding", "gzip");
      } else if (auto etag = res.headers.Get("ETag"); etag && etag->ends_with("-gzip\"")) {
        res.headers.Set("ETag", StrongEtag(res.body));
      }
    }
  }

  // A file response: conditional requests, one byte range, streamed in chunks.
  asio::awaitable<void> WriteFile(tcp::socket& stream, Deadline& deadline, Exchange& x,
                                  bool head_only) {
    Request& req = x.request;
    Response& res = x.response;
    struct stat st {};
    std::FILE* file = nullptr;
    if (::stat(res.file_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
        !(file = std::fopen(res.file_path.c_str(), "rb"))) {
      spdlog::error(R"({{"event":"file_missing","request_id":"{}"}})", req.request_id);
      res = StatusProblem(404, "no file at this path", req.request_id, req.path);
      res.headers.Set("X-Request-Id", req.request_id);
      co_await WriteSimple(stream, deadline, x, head_only);
      co_return;
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(file, &std::fclose);
    auto size = static_cast<std::uint64_t>(st.st_size);
    char etag_buf[64];
    std::snprintf(etag_buf, sizeof etag_buf, "\"%llx-%llx\"", static_cast<unsigned long long>(size),
                  static_cast<unsigned long long>(st.st_mtim.tv_sec * 1000000000LL +
                                                  st.st_mtim.tv_nsec));
    std::string etag = etag_buf;
    if (!res.headers.Has("ETag")) res.headers.Set("ETag", etag);
    etag = *res.headers.Get("ETag");
    res.headers.Set("Last-Modified", HttpDate(st.st_mtim.tv_sec));
    res.headers.Set("Accept-Ranges", "bytes");

    if (auto none_match = req.headers.Get("If-None-Match");
        none_match && NoneMatchHits(*none_match, etag)) {
      res.status = 304;
      res.file_path.clear();
      res.headers.Remove("Content-Type");
      co_await WriteSimple(stream, deadline, x, true);
      co_return;
    }

    std::uint64_t first = 0, length = size;
    auto range_header = req.headers.Get("Range");
    auto if_range = req.headers.Get("If-Range");
    // If-Range with a stale validator means "send it all" (RFC 9110 §13.1.5).
    if (range_header && (!if_range || Trim(*if_range) == etag)) {
      ByteRange range;
      switch (ParseRange(*range_header, size, range)) {
        case RangeResult::kSatisfiable:
          res.status = 206;
          first = range.first;
          length = range.last - range.first + 1;
          res.headers.Set("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                               std::to_string(range.last) + "/" +
                                               std::to_string(size));
          break;
        case RangeResult::kUnsatisfiable: {
          Response problem = StatusProblem(416, "the range is outside the file", req.request_id,
                                           req.path);
          problem.headers.Set("Content-Range", "bytes */" + std::to_string(size));
          problem.headers.Set("X-Request-Id", req.request_id);
          res = std::move(problem);
          co_await WriteSimple(stream, deadline, x, head_only);
          co_return;
        }
        case RangeResult::kNone: break;
      }
    }

    bhttp::response<bhttp::empty_body> out{static_cast<bhttp::status>(res.status), 11};
    for (const auto& [name, value] : res.headers) out.insert(name, value);
    out.content_length(length);
    out.keep_alive(!x.close);
    x.bytes = head_only ? 0 : length;
    LogAndCount(x);
    bhttp::response_serializer<bhttp::empty_body> serializer{out};
    deadline.Arm(options_.body_timeout);
    auto [ec, n] = co_await bhttp::async_write_header(stream, serializer, kNoThrow);
    if (ec) {
      x.close = true;
      co_return;
    }
    if (head_only) co_return;
    if (first > 0 && ::fseeko(file, static_cast<off_t>(first), SEEK_SET) != 0) {
      x.close = true;
      co_return;
    }
    std::vector<char> chunk(kFileChunk);
    std::uint64_t left = length;
    while (left > 0) {
      std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
      std::size_t got = std::fread(chunk.data(), 1, want, file);
      if (got == 0) {  // the file shrank under us: the framing is now wrong, so close
        x.close = true;
        co_return;
      }
      deadline.Arm(options_.body_timeout);
      auto [wec, written] = co_await asio::async_write(stream, asio::buffer(chunk.data(), got),
                                                       kNoThrow);
      if (wec) {
        x.close = true;
        co_return;
      }
      left -= got;
    }
  }

  asio::awaitable<void> WriteSimple(tcp::socket& stream, Deadline& deadline, Exchange& x,
                                    bool head_only) {
    Response& res = x.response;
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), 11};
    for (const auto& [name, value] : res.headers) out.insert(name, value);
    bool bodiless = res.status == 304;
    if (!bodiless) out.content_length(res.body.size());
    if (!head_only && !bodiless) out.body() = std::move(res.body);
    out.keep_alive(!x.close);
    x.bytes = out.body().size();
    LogAndCount(x);
    deadline.Arm(options_.body_timeout);
    auto [ec, n] = co_await bhttp::async_write(stream, out, kNoThrow);
    if (ec) x.close = true;
  }

  // Half-close, then read and discard what the client is still sending, so it reads our error
  // response instead of a connection reset.
  asio::awaitable<void> Linger(tcp::socket& stream, Deadline& deadline,
                              beast::flat_buffer& buffer) {
    boost::system::error_code ec;
    stream.shutdown(tcp::socket::shutdown_send, ec);
    buffer.clear();
    std::size_t total = 0;
    deadline.Arm(kLingerTime);
    char sink[16 * 1024];
    while (total < kLingerBytes) {
      auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), kNoThrow);
      if (rec) break;
      total += n;
    }
  }

  void LogAndCount(const Exchange& x) {
    const Request& req = x.request;
    double seconds = std::chrono::duration<double>(Clock::now() - x.start).count();
    std::string_view route = x.route ? std::string_view(x.route->pattern) : "unmatched";
    metrics_->ObserveRequest(req.method.empty() ? "-" : req.method, route, x.response.status,
                             seconds);
    // Never the target (query strings may carry tokens), cookies or Authorization.
    std::string line;
    line.reserve(256);
    line += R"({"event":"access","time":")";
    line += NowRfc3339();
    line += R"(","request_id":)";
    AppendJsonString(line, req.request_id);
    line += R"(,"method":)";
    AppendJsonString(line, req.method);
    line += R"(,"route":)";
    AppendJsonString(line, route);
    line += R"(,"status":)";
    line += std::to_string(x.response.status);
    line += R"(,"bytes":)";
    line += std::to_string(x.bytes);
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f", seconds * 1000.0);
    line += R"(,"duration_ms":)";
    line += duration;
    if (req.principal) {
      line += R"(,"user_id":)";
      AppendJsonString(line, req.principal->user_id);
    }
    line += '}';
    access_log_->info(line);
  }

  ServerOptions options_;
  const Router& router_;
  std::vector<Middleware> middleware_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::thread_pool workers_;
  std::shared_ptr<Metrics> metrics_;
  std::shared_ptr<spdlog::logger> access_log_;
  mutable std::mutex readiness_mutex_;
  std::function<bool()> readiness_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> draining_{false};
  std::mutex connections_mutex_;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections_;
  std::uint64_t next_connection_id_ = 0;
};

Server::Server(ServerOptions options, const Router& router, std::vector<Middleware> middleware)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(middleware))) {}
Server::~Server() = default;
void Server::SetReadinessCheck(std::function<bool()> check) {
  impl_->SetReadinessCheck(std::move(check));
}
bool Server::Ready() const { return impl_->Ready(); }
unsigned short Server::port() const { return impl_->port(); }
Metrics& Server::metrics() { return impl_->metrics(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

void AddOperationalRoutes(Router& router, Server& server) {
  router.Add({"GET", "/healthz",
              [](Request&) {
                return TextResponse(200, "{\"status\":\"ok\"}", kJsonType);
              },
              "public", 0, "Liveness: the process answers HTTP", /*blocking=*/false});
  router.Add({"GET", "/readyz",
              [&server](Request&) {
                if (server.Ready()) return TextResponse(200, "{\"status\":\"ready\"}", kJsonType);
                return ProblemResponse(core::Error{core::ErrorCode::kUnavailable,
                                                   "the service is not ready", {}, {}});
              },
              "public", 0, "Readiness: dependencies are reachable"});
  router.Add({"GET", "/metrics",
              [&server](Request&) {
                return TextResponse(200, server.metrics().Render(),
                                    "text/plain; version=0.0.4; charset=utf-8");
              },
              "public", 0, "Prometheus metrics", /*blocking=*/false});
}

}  // namespace cairn::http
