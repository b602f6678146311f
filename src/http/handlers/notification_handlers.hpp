#pragma once
// The in-app notifications of the signed-in user, /api/v1/notifications.
#include "core/common/clock.hpp"
#include "core/ports/transaction.hpp"
#include "http/router.hpp"

namespace cairn::http {

struct NotificationHandlerDeps {
  core::UnitOfWork& uow;
  core::Clock& clock;
};

void RegisterNotificationRoutes(Router& router, const NotificationHandlerDeps& deps);

}  // namespace cairn::http
