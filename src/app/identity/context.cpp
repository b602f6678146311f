#include "app/identity/context.hpp"

namespace cairn::app::identity {

using core::identity::Membership;
using core::identity::Role;

core::identity::Principal LoadPrincipal(core::identity::IdentityRepository& repo,
                                        const core::identity::User& user) {
  core::identity::Principal p;
  p.user_id = user.id;
  p.email = user.email;
  p.display_name = user.display_name;
  p.memberships = repo.ListMemberships(user.id);
  if (user.platform_admin) p.memberships.push_back(Membership{"", Role::kPlatformAdmin});
  return p;
}

void Audit(core::Transaction& tx, std::string_view actor, std::string_view action,
           std::string_view entity_type, std::string_view entity_id, std::string_view from,
           std::string_view to, core::TimePoint at, const nlohmann::json& detail) {
  core::AuditRecord r;
  r.actor_id = actor.empty() ? "anonymous" : std::string(actor);
  r.action = action;
  r.entity_type = entity_type;
  r.entity_id = entity_id;
  r.from_state = from;
  r.to_state = to;
  r.detail_json = detail.dump();
  r.at = at;
  tx.Audit().Append(r);
}

core::Status SendMail(core::Mailer& mailer, const core::EmailMessage& message) {
  auto sent = mailer.Send(message);
  if (sent.ok()) return sent;
  return core::Error{core::ErrorCode::kUnavailable,
                     "the email could not be sent; please try again shortly",
                     sent.error().message + " " + sent.error().detail,
                     {}};
}

}  // namespace cairn::app::identity
