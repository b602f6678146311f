#pragma once
// Clock and IdGenerator implementations for tests until platform/ provides the production ones:
// the system clock, a clock tests move by hand (to reach expiry and throttle windows), and random
// public ids.
#include <chrono>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "core/common/clock.hpp"

namespace cairn::testing {

class SystemClock : public core::Clock {
 public:
  core::TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

class ManualClock : public core::Clock {
 public:
  explicit ManualClock(core::TimePoint start = std::chrono::system_clock::now()) : now_(start) {}
  core::TimePoint Now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void Advance(std::chrono::seconds by) {
    std::lock_guard lock(mu_);
    now_ += by;
  }

 private:
  mutable std::mutex mu_;
  core::TimePoint now_;
};

class RandomIdGenerator : public core::IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override {
    static constexpr char kBase62[] =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::lock_guard lock(mu_);
    std::string id(prefix);
    id += '_';
    std::uniform_int_distribution<int> pick(0, 61);
    for (int i = 0; i < 20; ++i) id += kBase62[pick(rng_)];
    return id;
  }

 private:
  std::mutex mu_;
  std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace cairn::testing
