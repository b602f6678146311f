#include "platform/wiring.hpp"

namespace cairn::platform {

void WireNotifications(Wiring&) {}

std::shared_ptr<void> StartJobWorker(Application&) { return nullptr; }

}  // namespace cairn::platform
