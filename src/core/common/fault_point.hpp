#pragma once
// Named crash points for the crash tests: when CAIRN_FAULT_POINT names this point, the process
// kills itself with SIGKILL right here, as a power cut would. Unset (always, in production) it
// costs one cached getenv.
#include <csignal>
#include <cstdlib>
#include <string_view>

namespace cairn::core {

inline void FaultPoint(std::string_view name) {
  static const char* const armed = std::getenv("CAIRN_FAULT_POINT");
  if (armed != nullptr && name == armed) std::raise(SIGKILL);
}

}  // namespace cairn::core
