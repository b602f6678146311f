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

}  // namespace cairn::http::testing
