#pragma once
// Who is asking, whether a cookie-authenticated change carries its CSRF token, and whether the
// route's named policy lets them in. Install in this order, after request-id and limits.
#include <string_view>

#include "app/identity/context.hpp"
#include "app/identity/policies.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace cairn::http {

inline constexpr std::string_view kSessionCookie = "cairn_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// Sets Request::principal from "Authorization: Bearer cairn_pat_…" or the cairn_session cookie.
// A bad bearer token is a 401 at once (an integration wants to know); a stale cookie makes the
// request anonymous and clears the cookie, so a public page or the sign-in form still works.
Middleware AuthenticationMiddleware(app::identity::IdentityContext& identity);

// Unsafe methods (anything but GET, HEAD, OPTIONS) authenticated by cookie must send X-CSRF-Token
// equal to the session's token: a cross-site page can make the browser send the cookie, but it
// cannot read the token. Bearer-token requests carry no ambient credential and are exempt.
Middleware CsrfMiddleware();

// Checks Route::policy against the set. Throws std::invalid_argument naming the route when a
// route's policy is empty or unknown: a misnamed policy must stop the server from starting, not
// open or close a route by accident. Anonymous and denied → 401; signed in and denied → 403.
Middleware PolicyMiddleware(const app::identity::PolicySet& policies, const Router& router);

// "cairn_session=…; Path=/; HttpOnly; SameSite=Lax[; Secure]; Max-Age=…" (Max-Age 0 clears it).
std::string SessionCookie(std::string_view value, long long max_age_seconds, bool secure);

}  // namespace cairn::http
