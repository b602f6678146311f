#include "platform/wiring.hpp"

namespace cairn::platform {

void WireEvidence(Wiring&) {}

}  // namespace cairn::platform
