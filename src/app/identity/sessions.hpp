#pragma once
// Sign-in with login throttling, sign-out, and resolving a request's credentials to a Principal.
#include <chrono>
#include <optional>
#include <string>

#include "app/identity/context.hpp"

namespace cairn::app::identity {

struct SignInInput {
  std::string email;
  std::string password;
  std::string client_address;  // the peer address, for the per-address throttle
};

struct SignedIn {
  core::identity::Principal principal;  // carries the session id and its CSRF token
  std::string session_secret;           // the cookie value; shown once
  core::TimePoint expires_at;           // the absolute limit
};

// Errors: kInvalidInput (/email, /password), kUnauthenticated for a wrong address or password
// (one message for both), kForbidden when the address is not verified yet, kTooManyRequests when
// the address or the client has failed throttle_max_failures times within throttle_window; then
// *retry_after (if given) says when the oldest failure leaves the window.
core::Result<SignedIn> SignIn(IdentityContext& ctx, const SignInInput& input,
                              std::chrono::seconds* retry_after = nullptr);

core::Status SignOut(IdentityContext& ctx, const core::identity::Principal& principal);

struct Credentials {
  std::optional<std::string> session_secret;  // the cairn_session cookie
  std::optional<std::string> bearer_token;    // Authorization: Bearer cairn_pat_…
};

// kUnauthenticated when a credential is present but unknown, expired, revoked or its account
// disabled; nullopt when there is no credential at all. A bearer token wins over a cookie.
core::Result<std::optional<core::identity::Principal>> Authenticate(IdentityContext& ctx,
                                                                    const Credentials& credentials);

// The CSRF token of a session, derived from its secret so nothing more is stored.
std::string CsrfTokenFor(IdentityContext& ctx, const std::string& session_secret);

}  // namespace cairn::app::identity
