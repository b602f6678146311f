#include "core/ports/notifications.hpp"
#include "storage/repositories.hpp"

namespace cairn::storage {

// Placeholder until the area's helper lands its SQL repository.
std::unique_ptr<core::notify::NotificationRepository> MakeNotificationRepository(Tx&) { return nullptr; }

}  // namespace cairn::storage
