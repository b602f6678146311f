#include "platform/wiring.hpp"

namespace cairn::platform {

void WireUploads(Wiring&) {}

}  // namespace cairn::platform
