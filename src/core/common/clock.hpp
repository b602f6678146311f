#pragma once
// Time and identity are ports so tests can move time to deadlines and make ids predictable.
#include <chrono>
#include <string>
#include <string_view>

namespace cairn::core {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// Opaque public ids look like "mc_7Kq3…": a type prefix and random base62, never a database key.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual std::string NewId(std::string_view prefix) = 0;
};

// RFC 3339 UTC with seconds ("2026-11-23T03:41:00Z"), the one text form of time in APIs and SQL.
std::string FormatTime(TimePoint t);
// Parses what FormatTime writes, plus fractional seconds and numeric offsets; false on error.
bool ParseTime(std::string_view text, TimePoint& out);

}  // namespace cairn::core
