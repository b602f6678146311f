#pragma once
// What the API tests share: a clock that moves one second per reading (and jumps on request, to
// reach deadlines), sequential ids, and a principal taken from a test header
// ("usr_maria org_national:issuer_admin org_x:educator"), checked by the production policy
// middleware like any request.
#include <atomic>
#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "core/common/clock.hpp"
#include "core/identity/organization.hpp"
#include "core/identity/principal.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace cairn::http::testing {

class SteppingClock final : public core::Clock {
 public:
  core::TimePoint Now() const override {
    return Start() + std::chrono::seconds(ticks_++) + std::chrono::hours(jump_hours_.load());
  }
  static core::TimePoint Start() {
    core::TimePoint t{};
    core::ParseTime("2026-11-23T08:00:00Z", t);
    return t;
  }
  void Jump(std::chrono::hours h) { jump_hours_ += static_cast<int>(h.count()); }

 private:
  mutable std::atomic<int> ticks_{0};
  std::atomic<int> jump_hours_{0};
};

class SequentialIds final : public core::IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override {
    return std::string(prefix) + "_t" + std::to_string(++next_);
  }

 private:
  std::atomic<int> next_{0};
};

// "usr_id org_a:role org_b:role" -> a principal; an unknown role name reads as educator.
inline core::identity::Principal ParsePrincipal(const std::string& text) {
  std::istringstream in(text);
  core::identity::Principal p;
  in >> p.user_id;
  std::string membership;
  while (in >> membership) {
    const auto colon = membership.find(':');
    core::identity::Membership m;
    m.organization_id = membership.substr(0, colon);
    m.role = core::identity::ParseRole(membership.substr(colon + 1))
                 .value_or(core::identity::Role::kEducator);
    p.memberships.push_back(m);
  }
  return p;
}

// Sets the request's principal from `header` when the test sends it.
inline http::Middleware HeaderPrincipal(std::string header = "X-Test-Principal") {
  return [header](http::Request& req, const http::Route&) -> std::optional<http::Response> {
    if (auto who = req.headers.Get(header)) req.principal = ParsePrincipal(std::string(*who));
    return std::nullopt;
  };
}

// Options for a test server: an ephemeral port, no signal handling, no access log.
inline ServerOptions TestServerOptions(const std::string& name, int worker_threads) {
  ServerOptions options;
  options.port = 0;
  options.handle_signals = false;
  options.worker_threads = worker_threads;
  options.access_log =
      std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::null_sink_mt>());
  return options;
}

// A real server on its own thread, from construction until destruction.
class RunningServer {
 public:
  RunningServer(const ServerOptions& options, const Router& router,
                std::vector<Middleware> middleware)
      : server_(options, router, std::move(middleware)), thread_([this] { server_.Run(); }) {}
  ~RunningServer() {
    server_.Stop();
    thread_.join();
  }
  unsigned short port() const { return server_.port(); }

 private:
  Server server_;
  std::thread thread_;
};

}  // namespace cairn::http::testing
