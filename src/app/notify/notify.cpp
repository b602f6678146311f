#include "app/notify/notify.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "app/notify/email.hpp"
#include "core/ports/jobs.hpp"
#include "core/ports/notifications.hpp"

namespace cairn::app::notify {

void Notify(core::Transaction& tx, core::Clock& clock, core::IdGenerator& ids, const Notice& notice) {
  // A notice without a recipient or title is a bug in the caller; throwing rolls its change back.
  if (notice.user_id.empty() || notice.kind.empty() || notice.title.empty())
    throw std::invalid_argument("Notify: a notice needs user_id, kind and title");
  const auto now = clock.Now();
  core::notify::Notification n;
  n.id = ids.NewId("ntf");
  n.user_id = notice.user_id;
  n.kind = notice.kind;
  n.title = notice.title;
  n.body = notice.body;
  n.link = notice.link;
  n.created_at = now;
  tx.Notifications().Insert(n);
  if (!notice.email) return;
  const nlohmann::json payload = {{"user_id", notice.user_id},
                                  {"subject", notice.title},
                                  {"text", notice.body},
                                  {"link", notice.link}};
  tx.Jobs().Enqueue(std::string(kEmailJobKind), payload.dump(), now);
}

}  // namespace cairn::app::notify
