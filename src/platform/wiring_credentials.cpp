#include "platform/wiring.hpp"

namespace cairn::platform {

void WireCredentials(Wiring&) {}

}  // namespace cairn::platform
