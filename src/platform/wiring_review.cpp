#include "platform/wiring.hpp"

namespace cairn::platform {

void WireReview(Wiring&) {}

}  // namespace cairn::platform
