#include "app/notify/inbox.hpp"

#include "app/identity/context.hpp"

namespace cairn::app::notify {

using core::Error;

core::Result<Inbox> ListNotifications(core::UnitOfWork& uow, const core::identity::Principal& who,
                                      const InboxQuery& query) {
  if (query.limit < 1 || query.limit > kMaxPageSize)
    return Error::InvalidInput("limit must be between 1 and " + std::to_string(kMaxPageSize));
  if (!query.before_id.empty() && !query.before_id.starts_with("ntf_"))
    return Error::InvalidInput("before must be a notification id (ntf_…)");
  Inbox inbox;
  auto read = uow.Read([&](core::Transaction& tx) -> core::Status {
    auto& repo = tx.Notifications();
    // One more than asked tells whether another page follows.
    inbox.items = repo.List(who.user_id, query.unread_only, query.limit + 1, query.before_id);
    inbox.unread_count = repo.CountUnread(who.user_id);
    return core::Ok();
  });
  if (!read) return read.error();
  if (static_cast<int>(inbox.items.size()) > query.limit) {
    inbox.items.resize(query.limit);
    inbox.next_before = inbox.items.back().id;
  }
  return inbox;
}

core::Status MarkNotificationRead(core::UnitOfWork& uow, core::Clock& clock,
                                  const core::identity::Principal& who, const std::string& id) {
  return uow.Write([&](core::Transaction& tx) -> core::Status {
    const auto now = clock.Now();
    if (!tx.Notifications().MarkRead(who.user_id, id, now))
      return Error::NotFound("no such notification");
    identity::Audit(tx, who.user_id, "notification.read", "notification", id, "", "read", now);
    return core::Ok();
  });
}

core::Result<std::int64_t> MarkAllNotificationsRead(core::UnitOfWork& uow, core::Clock& clock,
                                                    const core::identity::Principal& who) {
  std::int64_t marked = 0;
  auto written = uow.Write([&](core::Transaction& tx) -> core::Status {
    const auto now = clock.Now();
    marked = tx.Notifications().MarkAllRead(who.user_id, now);
    if (marked > 0)
      identity::Audit(tx, who.user_id, "notification.read_all", "user", who.user_id, "", "",
                      now, {{"count", marked}});
    return core::Ok();
  });
  if (!written) return written.error();
  return marked;
}

}  // namespace cairn::app::notify
