#pragma once
// In-app notifications. The same events also go out as email through a queued job.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/clock.hpp"

namespace cairn::core::notify {

struct Notification {
  std::string id;       // "ntf_…"
  std::string user_id;  // recipient
  std::string kind;     // "review.assigned", "review.overdue", "submission.decided", …
  std::string title;    // one line, safe to show anywhere the recipient may see it
  std::string body;     // plain text
  std::string link;     // app path, e.g. "/reviews/rev_…"
  TimePoint created_at{};
  std::optional<TimePoint> read_at;
};

class NotificationRepository {
 public:
  virtual ~NotificationRepository() = default;
  virtual void Insert(const Notification& n) = 0;
  // Newest first; before_id pages backwards.
  virtual std::vector<Notification> List(const std::string& user_id, bool unread_only, int limit,
                                         const std::string& before_id) = 0;
  virtual std::int64_t CountUnread(const std::string& user_id) = 0;
  // False when the notification is not the user's.
  virtual bool MarkRead(const std::string& user_id, const std::string& id, TimePoint at) = 0;
  virtual std::int64_t MarkAllRead(const std::string& user_id, TimePoint at) = 0;
};

}  // namespace cairn::core::notify
