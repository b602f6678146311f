#pragma once
// Prometheus metrics for the HTTP layer (prometheus-cpp core): requests by route pattern,
// method and status, and a latency histogram. Other modules may register on registry().
#include <memory>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace cairn::http {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // route is the pattern ("/api/v1/x/{id}"), never the raw path, so label sets stay bounded.
  void ObserveRequest(std::string_view method, std::string_view route, int status,
                      double seconds);
  // The text exposition format (version 0.0.4).
  std::string Render() const;
  std::shared_ptr<prometheus::Registry> registry() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::http
