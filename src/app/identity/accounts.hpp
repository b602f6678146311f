#pragma once
// Sign-up, email verification, password reset, the current user, and the first platform admin.
#include <string>
#include <string_view>
#include <vector>

#include "app/identity/context.hpp"
#include "core/identity/user.hpp"

namespace cairn::app::identity {

struct SignUpInput {
  std::string email;
  std::string display_name;
  std::string password;
};

// Account emails (verification, password reset, "you already have an account") go out through
// the job queue: the request commits the change and the job together, and a mail outage only
// delays the email (the job is retried) instead of failing the request.
inline constexpr std::string_view kAccountEmailJobKind = "identity.email";
inline constexpr std::string_view kVerifyEmailPurpose = "verify_email";
inline constexpr std::string_view kResetPasswordPurpose = "reset_password";
inline constexpr std::string_view kAlreadyRegisteredPurpose = "already_registered";

// Creates an unverified account and queues an email with a verification link. When the address
// already has an account, that account's owner gets an email instead and the caller sees the same
// success, so sign-up cannot be used to find out who has an account. Errors: kInvalidInput naming
// /email, /display_name, /password.
core::Status SignUp(IdentityContext& ctx, const SignUpInput& input);

// Marks the address verified. The token is the secret from the emailed link.
core::Status VerifyEmail(IdentityContext& ctx, const std::string& token);

// Queues an email with a reset link when an active account has this address; the same answer
// either way.
core::Status RequestPasswordReset(IdentityContext& ctx, const std::string& email);

// Runs one "identity.email" job: mints the link's token now (so its lifetime starts when it is
// sent) and sends. Nothing is sent when the account was disabled or, for verification, already
// verified meanwhile. kInvalidInput / kNotFound for a payload that can never be sent; kUnavailable
// when the mail server fails (the worker retries).
core::Status DeliverAccountEmail(IdentityContext& ctx, const std::string& payload_json);

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
