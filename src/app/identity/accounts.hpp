#pragma once
// Sign-up, email verification, password reset, the current user, and the first platform admin.
#include <string>
#include <vector>

#include "app/identity/context.hpp"
#include "core/identity/user.hpp"

namespace cairn::app::identity {

struct SignUpInput {
  std::string email;
  std::string display_name;
  std::string password;
};

// Creates an unverified account and emails a verification link. When the address already has an
// account, that account's owner gets an email instead and the caller sees the same success, so
// sign-up cannot be used to find out who has an account. Errors: kInvalidInput naming /email,
// /display_name, /password; kUnavailable when the email cannot be sent.
core::Status SignUp(IdentityContext& ctx, const SignUpInput& input);

// Marks the address verified. The token is the secret from the emailed link.
core::Status VerifyEmail(IdentityContext& ctx, const std::string& token);

// Emails a reset link when an active account has this address; the same answer either way.
core::Status RequestPasswordReset(IdentityContext& ctx, const std::string& email);

// Sets a new password from an emailed link, ends every session of the account and clears the
// login throttle for its address.
core::Status ResetPassword(IdentityContext& ctx, const std::string& token,
                           const std::string& new_password);

struct MeView {
  core::identity::User user;
  std::vector<core::identity::Membership> memberships;
};
core::Result<MeView> Me(IdentityContext& ctx, const core::identity::Principal& principal);

// For the command line and demo data: a verified platform admin (or makes an existing account
// one). The caller is "system".
core::Result<core::identity::User> CreatePlatformAdmin(IdentityContext& ctx, const SignUpInput& input);

}  // namespace cairn::app::identity
