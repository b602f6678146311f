#include <stdexcept>

#include "core/ports/notifications.hpp"
#include "storage/repositories.hpp"

namespace cairn::storage {
namespace {

using core::TimePoint;
using core::notify::Notification;

constexpr const char* kInsert =
    "INSERT INTO notifications (public_id, user_id, kind, title, body, link, created_at, read_at) "
    "SELECT :id, u.id, :kind, :title, :body, :link, :created, NULL FROM users u "
    "WHERE u.public_id = :user";
// One text serves all four list variants: an empty :before means "from the newest", and
// :unread 0/1 switches the filter, so the planner still uses (user_id, id).
constexpr const char* kList =
    "SELECT n.public_id, n.kind, n.title, n.body, n.link, n.created_at, n.read_at "
    "FROM notifications n WHERE n.user_id = (SELECT id FROM users WHERE public_id = :user) "
    "AND (:unread = 0 OR n.read_at IS NULL) "
    "AND (:before1 = '' OR n.id < (SELECT b.id FROM notifications b WHERE b.public_id = :before2)) "
    "ORDER BY n.id DESC LIMIT :limit";
constexpr const char* kCountUnread =
    "SELECT count(*) FROM notifications WHERE user_id = (SELECT id FROM users WHERE public_id = "
    ":user) AND read_at IS NULL";
constexpr const char* kSelectOwned =
    "SELECT count(*) FROM notifications WHERE public_id = :id AND user_id = (SELECT id FROM users "
    "WHERE public_id = :user)";
// Reading twice keeps the first read time.
constexpr const char* kMarkRead =
    "UPDATE notifications SET read_at = :at WHERE public_id = :id AND read_at IS NULL AND "
    "user_id = (SELECT id FROM users WHERE public_id = :user)";
constexpr const char* kMarkAllRead =
    "UPDATE notifications SET read_at = :at WHERE read_at IS NULL AND user_id = (SELECT id FROM "
    "users WHERE public_id = :user)";

TimePoint Time(const std::string& text) {
  TimePoint t{};
  if (!core::ParseTime(text, t)) throw std::runtime_error("unreadable time in database: " + text);
  return t;
}

class SqlNotificationRepository final : public core::notify::NotificationRepository {
 public:
  explicit SqlNotificationRepository(Tx& tx) : tx_(tx) {}

  void Insert(const Notification& n) override {
    const std::string created = core::FormatTime(n.created_at);
    soci::statement st = (tx_.sql().prepare << kInsert, soci::use(n.id), soci::use(n.kind),
                          soci::use(n.title), soci::use(n.body), soci::use(n.link),
                          soci::use(created), soci::use(n.user_id));
    st.execute(true);
    if (st.get_affected_rows() != 1) throw std::runtime_error("InsertNotification: no such user");
    if (n.read_at) MarkRead(n.user_id, n.id, *n.read_at);
  }

  std::vector<Notification> List(const std::string& user_id, bool unread_only, int limit,
                                 const std::string& before_id) override {
    std::vector<Notification> out;
    if (limit <= 0) return out;
    const int unread = unread_only ? 1 : 0;
    Notification n;
    n.user_id = user_id;
    std::string created, read;
    soci::indicator read_ind = soci::i_null;
    soci::statement st = (tx_.sql().prepare << kList, soci::use(user_id), soci::use(unread),
                          soci::use(before_id), soci::use(before_id), soci::use(limit),
                          soci::into(n.id), soci::into(n.kind), soci::into(n.title),
                          soci::into(n.body), soci::into(n.link), soci::into(created),
                          soci::into(read, read_ind));
    st.execute(false);
    while (st.fetch()) {
      n.created_at = Time(created);
      n.read_at = read_ind == soci::i_null ? std::nullopt : std::optional<TimePoint>(Time(read));
      out.push_back(n);
    }
    return out;
  }

  std::int64_t CountUnread(const std::string& user_id) override {
    std::int64_t count = 0;
    tx_.sql() << kCountUnread, soci::use(user_id), soci::into(count);
    return count;
  }

  bool MarkRead(const std::string& user_id, const std::string& id, TimePoint at) override {
    std::int64_t owned = 0;
    tx_.sql() << kSelectOwned, soci::use(id), soci::use(user_id), soci::into(owned);
    if (owned == 0) return false;
    const std::string t = core::FormatTime(at);
    tx_.sql() << kMarkRead, soci::use(t), soci::use(id), soci::use(user_id);
    return true;
  }

  std::int64_t MarkAllRead(const std::string& user_id, TimePoint at) override {
    const std::string t = core::FormatTime(at);
    soci::statement st = (tx_.sql().prepare << kMarkAllRead, soci::use(t), soci::use(user_id));
    st.execute(true);
    return st.get_affected_rows();
  }

 private:
  Tx& tx_;
};

}  // namespace

std::unique_ptr<core::notify::NotificationRepository> MakeNotificationRepository(Tx& tx) {
  return std::make_unique<SqlNotificationRepository>(tx);
}

}  // namespace cairn::storage
