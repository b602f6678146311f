#pragma once
// The HTTP/1.1 server: Beast and Asio with C++20 coroutines on the I/O threads, handlers on a
// worker pool so a blocking database call never stalls I/O. Only server.cpp sees Beast.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace spdlog {
class logger;
}

namespace cairn::http {

class Metrics;

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port; see Server::port()
  int io_threads = 1;
  int worker_threads = 4;
  std::size_t max_header_bytes = 16 * 1024;  // request line + fields → 431 beyond
  std::size_t max_url_bytes = 8 * 1024;      // request target → 414 beyond
  std::chrono::seconds header_timeout{10};   // from the first byte to the end of the header → 408
  std::chrono::seconds body_timeout{60};     // reading the body → 408
  std::chrono::seconds idle_timeout{60};     // keep-alive connection with no request: closed
  std::chrono::seconds drain_timeout{20};    // in-flight requests get this long after Stop()
  bool handle_signals = true;                // Run() stops on SIGTERM/SIGINT
  // JSON access log, one line per request. Null: spdlog's default logger.
  std::shared_ptr<spdlog::logger> access_log;
  // Request counts and latencies; null: the server makes its own (see Server::metrics()).
  std::shared_ptr<Metrics> metrics;
};

// Runs in order after routing and before the handler; a returned Response short-circuits.
// Authentication, CSRF and the route's policy check plug in here.
using Middleware = std::function<std::optional<Response>(Request&, const Route&)>;

class Server {
 public:
  // The router must outlive the server and not change once Run() starts. Binds at once, so
  // port() is known (and a taken port throws std::system_error) before Run().
  Server(ServerOptions options, const Router& router, std::vector<Middleware> middleware);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // /readyz answers 503 while this returns false. Default: always ready.
  void SetReadinessCheck(std::function<bool()> check);
  bool Ready() const;
  unsigned short port() const;
  Metrics& metrics();

  // Blocks until stopped. On Stop() or SIGTERM/SIGINT: stop accepting, close idle connections,
  // let in-flight requests finish (up to drain_timeout), then return.
  void Run();
  // Thread-safe; may be called before Run() has started.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// GET /healthz (a constant body, no database), GET /readyz (the readiness check), GET /metrics
// (Prometheus text). All public; they pass through the same middleware as every route.
void AddOperationalRoutes(Router& router, Server& server);

}  // namespace cairn::http
