#pragma once
// Production implementations of the core's time and identity ports.
#include "core/common/clock.hpp"

namespace cairn::platform {

class SystemClock final : public core::Clock {
 public:
  core::TimePoint Now() const override;
};

// "<prefix>_" followed by 22 base62 characters from libsodium's CSPRNG (about 131 bits), so ids
// are unguessable as well as unique.
class RandomIdGenerator final : public core::IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override;
};

}  // namespace cairn::platform
