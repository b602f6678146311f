#include "platform/wiring.hpp"

namespace cairn::platform {

void WirePages(Wiring&) {}

}  // namespace cairn::platform
