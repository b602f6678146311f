#include "app/identity/invitations.hpp"

#include <algorithm>

#include "app/identity/emails.hpp"
#include "app/identity/policies.hpp"

namespace cairn::app::identity {

using core::Error;
using core::Status;
using core::identity::Invitation;
using core::identity::Membership;
using core::identity::Role;

namespace {

std::string Readable(Role role) {
  std::string name(core::identity::RoleName(role));
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

}  // namespace

core::Result<Invitation> Invite(IdentityContext& ctx, const core::identity::Principal& inviter,
                                const InviteInput& input) {
  std::vector<core::FieldError> fields;
  auto email = core::identity::NormalizeEmail(input.email);
  if (!email) fields.push_back({"/email", "must be a valid email address"});
  auto role = core::identity::ParseRole(input.role);
  if (!role)
    fields.push_back({"/role", "must be one of educator, reviewer, issuer_admin, district_admin, "
                               "platform_admin"});
  if (!fields.empty()) return Error::InvalidInput("the invitation is invalid", std::move(fields));

  const auto now = ctx.clock.Now();
  const std::string secret = ctx.secrets.NewSecret();
  Invitation inv;
  std::string org_name;
  auto written = ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    if (*role == Role::kPlatformAdmin) {
      if (!inviter.IsPlatformAdmin()) return Error::Forbidden("only platform admins invite platform admins");
    } else {
      auto org = repo.FindOrganization(input.organization_id);
      if (!org) return Error::NotFound("no such organization");
      if (!core::identity::RoleFitsOrganization(*role, org->kind, org->issuer))
        return Error::InvalidInput("the invitation is invalid",
                                   {{"/role", "this role does not exist in a " +
                                                  std::string(core::identity::OrgKindName(org->kind)) +
                                                  (org->issuer ? " that issues" : " that does not issue")}});
      if (!MayInvite(inviter, *org, *role))
        return Error::Forbidden("you may not invite people with this role into this organization");
      org_name = org->name;
      inv.organization_id = org->id;
    }
    inv.id = ctx.ids.NewId("inv");
    inv.email = *email;
    inv.role = *role;
    inv.invited_by = inviter.user_id;
    inv.token_hash = ctx.secrets.Digest(secret);
    inv.created_at = now;
    inv.expires_at = now + ctx.options.invitation_ttl;
    repo.InsertInvitation(inv);
    Audit(tx, inviter.user_id, "invitation.create", "invitation", inv.id, "", "pending", now,
          {{"organization_id", inv.organization_id}, {"role", core::identity::RoleName(*role)}});
    return core::Ok();
  });
  if (!written) return written.error();
  // Sent here rather than queued like the account emails: the link's secret exists only in this
  // call (the invitation keeps its digest), and a queued job would have to store it.
  auto sent = SendMail(ctx.mailer,
                       InvitationEmail(ctx.options.product_name, inv.email, inviter.display_name,
                                       org_name, Readable(inv.role),
                                       ctx.options.public_url + "/invitations/accept?token=" + secret));
  if (!sent) return sent.error();
  return inv;
}

core::Result<AcceptedInvitation> AcceptInvitation(IdentityContext& ctx,
                                                  const AcceptInvitationInput& input) {
  const auto invalid = Error::InvalidInput("the invitation is invalid or has expired",
                                           {{"/token", "invalid or expired"}});
  if (input.token.empty() || input.token.size() > 200) return invalid;
  std::vector<core::FieldError> fields;
  if (input.display_name)
    if (auto m = core::identity::CheckDisplayName(*input.display_name); !m.empty())
      fields.push_back({"/display_name", m});
  if (input.password)
    if (auto m = core::identity::CheckPassword(*input.password, ""); !m.empty())
      fields.push_back({"/password", m});
  if (!fields.empty()) return Error::InvalidInput("the acceptance is invalid", std::move(fields));

  std::optional<std::string> hash;
  if (input.password) {
    auto h = ctx.hasher.Hash(*input.password);
    if (!h) return h.error();
    hash = std::move(*h);
  }
  const auto now = ctx.clock.Now();
  const auto digest = ctx.secrets.Digest(input.token);
  AcceptedInvitation result;
  auto written = ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    auto inv = repo.FindInvitationByTokenHash(digest);
    if (!inv) return invalid;
    auto user = repo.FindUserByEmail(inv->email);
    result.account_created = !user;
    if (!user) {
      std::vector<core::FieldError> missing;
      if (!input.display_name) missing.push_back({"/display_name", "required for a new account"});
      if (!input.password) missing.push_back({"/password", "required for a new account"});
      if (!missing.empty()) return Error::InvalidInput("the acceptance is invalid", std::move(missing));
      if (auto m = core::identity::CheckPassword(*input.password, inv->email); !m.empty())
        return Error::InvalidInput("the acceptance is invalid", {{"/password", m}});
      core::identity::User u;
      u.id = ctx.ids.NewId("usr");
      u.email = inv->email;
      u.display_name = *input.display_name;
      u.password_hash = *hash;
      u.email_verified = true;
      u.created_at = u.updated_at = now;
      repo.InsertUser(u);
      Audit(tx, u.id, "user.create", "user", u.id, "", "verified", now, {{"via", "invitation"}});
      user = u;
    } else if (user->status != core::identity::UserStatus::kActive) {
      return Error::InvalidState("the invited account is disabled");
    }
    if (auto a = inv->Accept(user->id, now); !a) return a;
    repo.UpdateInvitation(*inv);
    Audit(tx, user->id, "invitation.accept", "invitation", inv->id, "pending", "accepted", now);

    if (inv->role == Role::kPlatformAdmin) {
      if (!user->platform_admin) {
        user->platform_admin = true;
        user->updated_at = now;
        repo.UpdateUser(*user);
        Audit(tx, user->id, "user.grant_platform_admin", "user", user->id, "", "platform_admin", now);
      }
    } else {
      const auto existing = repo.ListMemberships(user->id);
      const bool has = std::any_of(existing.begin(), existing.end(), [&](const Membership& m) {
        return m.organization_id == inv->organization_id && m.role == inv->role;
      });
      if (!has) {
        repo.InsertMembership(user->id, Membership{inv->organization_id, inv->role}, now);
        Audit(tx, user->id, "membership.create", "organization", inv->organization_id, "",
              core::identity::RoleName(inv->role), now, {{"user_id", user->id}});
      }
    }
    result.user_id = user->id;
    result.invitation = *inv;
    return core::Ok();
  });
  if (!written) return written.error();
  return result;
}

}  // namespace cairn::app::identity
