#include "platform/system.hpp"

#include <sodium.h>

namespace cairn::platform {

core::TimePoint SystemClock::Now() const { return std::chrono::system_clock::now(); }

std::string RandomIdGenerator::NewId(std::string_view prefix) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string id(prefix);
  id.push_back('_');
  for (int i = 0; i < 22; ++i) id.push_back(kAlphabet[randombytes_uniform(62)]);
  return id;
}

}  // namespace cairn::platform
