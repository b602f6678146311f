#include "http/handlers/identity_middleware.hpp"

#include <stdexcept>

#include "app/identity/sessions.hpp"

namespace cairn::http {
namespace {

bool IsSafeMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

// Compares without leaking, through timing, how long a matching prefix was.
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool SecureCookies(const app::identity::IdentityContext& identity) {
  return identity.options.public_url.rfind("https://", 0) == 0;
}

}  // namespace

std::string SessionCookie(std::string_view value, long long max_age_seconds, bool secure) {
  std::string cookie = std::string(kSessionCookie) + "=" + std::string(value) +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_seconds);
  if (secure) cookie += "; Secure";
  return cookie;
}

Middleware AuthenticationMiddleware(app::identity::IdentityContext& identity) {
  return [&identity](Request& req, const Route&) -> std::optional<Response> {
    app::identity::Credentials credentials;
    if (auto auth = req.headers.Get("Authorization")) {
      constexpr std::string_view kBearer = "Bearer ";
      if (auth->size() <= kBearer.size() || !EqualsIgnoreCase(auth->substr(0, kBearer.size()), kBearer)) {
        Response r = ProblemResponse(core::Error::Unauthenticated(
            "the Authorization header must be \"Bearer\" followed by an API token"));
        r.headers.Set("WWW-Authenticate", "Bearer");
        return r;
      }
      credentials.bearer_token = auth->substr(kBearer.size());
    }
    const auto cookie = req.Cookie(kSessionCookie);
    if (cookie && !cookie->empty()) credentials.session_secret = *cookie;
    if (!credentials.bearer_token && !credentials.session_secret) return std::nullopt;

    auto principal = app::identity::Authenticate(identity, credentials);
    if (principal.ok()) {
      req.principal = std::move(*principal);
      return std::nullopt;
    }
    if (principal.error().code != core::ErrorCode::kUnauthenticated)
      return ProblemResponse(principal.error());
    if (credentials.bearer_token) {
      Response r = ProblemResponse(principal.error());
      r.headers.Set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return r;
    }
    req.response_headers.Add("Set-Cookie", SessionCookie("", 0, SecureCookies(identity)));
    return std::nullopt;
  };
}

Middleware CsrfMiddleware() {
  return [](Request& req, const Route& route) -> std::optional<Response> {
    if (IsSafeMethod(req.method) || !req.principal || req.principal->via_api_token)
      return std::nullopt;
    const auto sent = req.headers.Get(kCsrfHeader);
    if (sent && !req.principal->csrf_token.empty() && ConstantTimeEquals(*sent, req.principal->csrf_token))
      return std::nullopt;
    // A public route answers everyone alike, so a form posted without the token (the verification
    // page without JavaScript) is served as anonymous: a forged request gains nothing from the cookie.
    if (route.policy == "public") {
      req.principal.reset();
      return std::nullopt;
    }
    return ProblemResponse(core::Error::Forbidden(
        sent ? "the X-CSRF-Token header does not match this session"
             : "this change needs the X-CSRF-Token header (GET /api/v1/me returns the token)"));
  };
}

Middleware PolicyMiddleware(const app::identity::PolicySet& policies, const Router& router) {
  for (const auto& route : router.routes()) {
    if (!policies.Find(route.policy))
      throw std::invalid_argument("route " + route.method + " " + route.pattern +
                                  (route.policy.empty() ? " names no policy"
                                                        : " names unknown policy \"" + route.policy + "\""));
  }
  return [&policies](Request& req, const Route& route) -> std::optional<Response> {
    const app::identity::PolicyCheck* check = policies.Find(route.policy);
    if (!check)  // a route added after start-up; refuse rather than guess
      return ProblemResponse(core::Error::Internal("unknown policy " + route.policy));
    if ((*check)(req.principal, req.params)) return std::nullopt;
    if (!req.principal) return ProblemResponse(core::Error::Unauthenticated("please sign in"));
    return ProblemResponse(core::Error::Forbidden("you are not allowed to do this"));
  };
}

}  // namespace cairn::http
