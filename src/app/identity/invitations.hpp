#pragma once
// Admins invite people by email into their organisation with a role; accepting the emailed link
// creates the account (already verified: the link proves the address) or adds the membership.
#include <optional>
#include <string>

#include "app/identity/context.hpp"
#include "core/identity/tokens.hpp"

namespace cairn::app::identity {

struct InviteInput {
  std::string organization_id;  // empty only for role platform_admin
  std::string email;
  std::string role;
};

// Errors: kNotFound (organisation), kInvalidInput (/email, /role), kForbidden (MayInvite),
// kUnavailable when the email cannot be sent (the invitation stays; invite again to resend).
core::Result<core::identity::Invitation> Invite(IdentityContext& ctx,
                                                const core::identity::Principal& inviter,
                                                const InviteInput& input);

struct AcceptInvitationInput {
  std::string token;
  // Needed only when no account has the invited address yet.
  std::optional<std::string> display_name;
  std::optional<std::string> password;
};

struct AcceptedInvitation {
  std::string user_id;
  bool account_created = false;
  core::identity::Invitation invitation;
};

core::Result<AcceptedInvitation> AcceptInvitation(IdentityContext& ctx,
                                                  const AcceptInvitationInput& input);

}  // namespace cairn::app::identity
