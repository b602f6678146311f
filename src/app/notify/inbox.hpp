#pragma once
// The signed-in user's in-app notifications: list, mark one read, mark all read. Every use case
// works on the caller's own notifications only; someone else's id is "not found".
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/identity/principal.hpp"
#include "core/ports/notifications.hpp"
#include "core/ports/transaction.hpp"

namespace cairn::app::notify {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

struct InboxQuery {
  bool unread_only = false;
  int limit = kDefaultPageSize;  // 1..kMaxPageSize
  std::string before_id;         // "ntf_…" of the last item of the previous page, or empty
};

struct Inbox {
  std::vector<core::notify::Notification> items;  // newest first
  std::int64_t unread_count = 0;                   // over all the user's notifications
  std::string next_before;                         // empty on the last page
};

core::Result<Inbox> ListNotifications(core::UnitOfWork& uow, const core::identity::Principal& who,
                                      const InboxQuery& query);
// kNotFound when the notification is not the caller's. Marking twice keeps the first time.
core::Status MarkNotificationRead(core::UnitOfWork& uow, core::Clock& clock,
                                  const core::identity::Principal& who, const std::string& id);
// How many were unread.
core::Result<std::int64_t> MarkAllNotificationsRead(core::UnitOfWork& uow, core::Clock& clock,
                                                    const core::identity::Principal& who);

}  // namespace cairn::app::notify
