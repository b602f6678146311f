#include "http/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <map>
#include <mutex>
#include <sstream>
#include <tuple>

namespace cairn::http {

class Metrics::Impl {
 public:
  Impl()
      : registry_(std::make_shared<prometheus::Registry>()),
        requests_(prometheus::BuildCounter()
                      .Name("cairn_http_requests_total")
                      .Help("HTTP requests by method, route pattern and status")
                      .Register(*registry_)),
        latency_(prometheus::BuildHistogram()
                     .Name("cairn_http_request_duration_seconds")
                     .Help("HTTP request latency by method and route pattern, in seconds")
                     .Register(*registry_)) {}

  void Observe(std::string_view method, std::string_view route, int status, double seconds) {
    Entry* entry;
    {
      // prometheus-cpp finds a labelled series through a label map; caching the pointers keeps
      // the per-request cost to one lookup in a small map.
      std::lock_guard lock(mutex_);
      const auto key = std::make_tuple(method, route, status);
      auto it = entries_.find(key);
      if (it == entries_.end()) {
        std::string status_text = std::to_string(status);
        Entry e{&requests_.Add({{"method", std::string(method)},
                                {"route", std::string(route)},
                                {"status", status_text}}),
                &latency_.Add({{"method", std::string(method)}, {"route", std::string(route)}},
                              prometheus::Histogram::BucketBoundaries{
                                  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                  0.5, 1, 2.5, 5, 10})};
        it = entries_.emplace(std::make_tuple(std::string(method), std::string(route), status), e)
                 .first;
      }
      entry = &it->second;
    }
    entry->count->Increment();
    entry->latency->Observe(seconds);
  }

  std::string Render() const {
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, registry_->Collect());
    return out.str();
  }

  std::shared_ptr<prometheus::Registry> registry_;

 private:
  struct Entry {
    prometheus::Counter* count;
    prometheus::Histogram* latency;
  };
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  std::mutex mutex_;
  // Compared as string_views, so a lookup needs no allocation (clang 14's libstdc++ tuple
  // comparison does not mix std::string and std::string_view elements).
  struct KeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::tuple<std::string_view, std::string_view, int>(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
             std::tuple<std::string_view, std::string_view, int>(std::get<0>(b), std::get<1>(b), std::get<2>(b));
    }
  };
  std::map<std::tuple<std::string, std::string, int>, Entry, KeyLess> entries_;
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::ObserveRequest(std::string_view method, std::string_view route, int status,
                             double seconds) {
  impl_->Observe(method, route, status, seconds);
}

std::string Metrics::Render() const { return impl_->Render(); }

std::shared_ptr<prometheus::Registry> Metrics::registry() const { return impl_->registry_; }

}  // namespace cairn::http
