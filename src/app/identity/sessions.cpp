#include "app/identity/sessions.hpp"

#include <algorithm>
#include <mutex>

namespace cairn::app::identity {

using core::Error;
using core::Status;
using core::identity::Principal;
using core::identity::User;

namespace {

// Verifying against a real hash when the account does not exist keeps the response time the
// same, so timing does not tell which addresses have accounts.
const std::string& DummyHash(core::identity::PasswordHasher& hasher) {
  static std::once_flag once;
  static std::string hash;
  std::call_once(once, [&] {
    auto h = hasher.Hash("cairn-dummy-password-for-timing");
    if (h) hash = *h;
  });
  return hash;
}

Error Throttled() {
  return Error{core::ErrorCode::kTooManyRequests,
               "too many failed sign-in attempts; please wait and try again", "", {}};
}

}  // namespace

std::string CsrfTokenFor(IdentityContext& ctx, const std::string& session_secret) {
  return ctx.secrets.Digest("csrf:" + session_secret);
}

core::Result<SignedIn> SignIn(IdentityContext& ctx, const SignInInput& input,
                              std::chrono::seconds* retry_after) {
  std::vector<core::FieldError> fields;
  auto email = core::identity::NormalizeEmail(input.email);
  if (!email) fields.push_back({"/email", "must be a valid email address"});
  if (input.password.empty()) fields.push_back({"/password", "must not be empty"});
  else if (input.password.size() > core::identity::kMaxPasswordBytes)
    fields.push_back({"/password", "must be at most 512 bytes"});
  if (!fields.empty()) return Error::InvalidInput("the sign-in is invalid", std::move(fields));

  const std::string email_key = "email:" + *email;
  const std::string address_key = "ip:" + input.client_address;
  const auto now = ctx.clock.Now();
  const auto window_start = now - ctx.options.throttle_window;

  std::optional<User> user;
  std::optional<core::TimePoint> blocked_until;
  auto read = ctx.uow.Read([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    for (const auto* key : {&email_key, &address_key}) {
      if (key == &address_key && input.client_address.empty()) continue;
      auto w = repo.CountFailures(*key, window_start);
      if (w.failures >= ctx.options.throttle_max_failures && w.oldest) {
        auto until = *w.oldest + ctx.options.throttle_window;
        if (!blocked_until || until > *blocked_until) blocked_until = until;
      }
    }
    if (!blocked_until) user = repo.FindUserByEmail(*email);
    return core::Ok();
  });
  if (!read) return read.error();
  if (blocked_until) {
    if (retry_after)
      *retry_after = std::max(std::chrono::seconds(1),
                              std::chrono::ceil<std::chrono::seconds>(*blocked_until - now));
    return Throttled();
  }

  const bool password_ok = user ? ctx.hasher.Verify(user->password_hash, input.password)
                                : (ctx.hasher.Verify(DummyHash(ctx.hasher), input.password), false);
  const bool active = user && user->status == core::identity::UserStatus::kActive;

  if (!password_ok || !active) {
    auto recorded = ctx.uow.Write([&](core::Transaction& tx) -> Status {
      auto& repo = tx.Identity();
      repo.RecordFailure(email_key, now);
      if (!input.client_address.empty()) repo.RecordFailure(address_key, now);
      // An unknown address still gets a record, keyed by the address, so attacks show.
      Audit(tx, "anonymous", "session.signin_failed", "user", user ? user->id : email_key, "", "", now,
            {{"reason", !user ? "unknown_email" : !password_ok ? "wrong_password" : "disabled"}});
      return core::Ok();
    });
    if (!recorded) return recorded.error();
    return Error::Unauthenticated("the email address or password is incorrect");
  }
  if (!user->email_verified)
    return Error::Forbidden("please confirm your email address first; we sent you a link");

  const std::string secret = ctx.secrets.NewSecret();
  core::identity::Session session{ctx.ids.NewId("ses"), user->id, ctx.secrets.Digest(secret), now,
                                  now, now + ctx.options.session_absolute};
  Principal principal;
  auto written = ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    repo.InsertSession(session);
    repo.ClearFailures(email_key);
    repo.PruneFailures(window_start);
    principal = LoadPrincipal(repo, *user);
    Audit(tx, user->id, "session.create", "session", session.id, "", "active", now,
          {{"via", "password"}});
    return core::Ok();
  });
  if (!written) return written.error();
  principal.session_id = session.id;
  principal.csrf_token = CsrfTokenFor(ctx, secret);
  return SignedIn{std::move(principal), secret, session.expires_at};
}

Status SignOut(IdentityContext& ctx, const Principal& principal) {
  if (principal.session_id.empty())
    return Error::InvalidInput("only a browser session can sign out; revoke API tokens instead");
  const auto now = ctx.clock.Now();
  return ctx.uow.Write([&](core::Transaction& tx) -> Status {
    tx.Identity().DeleteSession(principal.session_id);
    Audit(tx, principal.user_id, "session.delete", "session", principal.session_id, "active",
          "ended", now);
    return core::Ok();
  });
}

core::Result<std::optional<Principal>> Authenticate(IdentityContext& ctx,
                                                    const Credentials& credentials) {
  const auto now = ctx.clock.Now();
  const auto rejected = Error::Unauthenticated("the credentials are invalid or have expired");
  if (credentials.bearer_token) {
    const std::string& token = *credentials.bearer_token;
    if (token.rfind(core::identity::kApiTokenPrefix, 0) != 0 || token.size() > 200) return rejected;
    const auto digest = ctx.secrets.Digest(token);
    std::optional<core::identity::ApiToken> stored;
    std::optional<Principal> principal;
    auto read = ctx.uow.Read([&](core::Transaction& tx) -> Status {
      auto& repo = tx.Identity();
      stored = repo.FindApiTokenByHash(digest);
      if (!stored || !stored->IsUsable(now)) return core::Ok();
      auto user = repo.FindUserById(stored->user_id);
      if (!user || user->status != core::identity::UserStatus::kActive) return core::Ok();
      principal = LoadPrincipal(repo, *user);
      return core::Ok();
    });
    if (!read) return read.error();
    if (!principal) return rejected;
    principal->via_api_token = true;
    if (!stored->last_used_at || now - *stored->last_used_at >= ctx.options.session_touch_interval) {
      stored->last_used_at = now;
      // Last-used is a convenience for the owner; failing to record it must not fail the request.
      (void)ctx.uow.Write([&](core::Transaction& tx) -> Status {
        tx.Identity().UpdateApiToken(*stored);
        return core::Ok();
      });
    }
    return std::optional<Principal>(std::move(*principal));
  }

  if (!credentials.session_secret) return std::optional<Principal>();
  const std::string& secret = *credentials.session_secret;
  if (secret.empty() || secret.size() > 200) return rejected;
  const auto digest = ctx.secrets.Digest(secret);
  std::optional<core::identity::Session> session;
  std::optional<Principal> principal;
  auto read = ctx.uow.Read([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    session = repo.FindSessionByTokenHash(digest);
    if (!session || !session->IsLive(now, ctx.options.session_idle)) return core::Ok();
    auto user = repo.FindUserById(session->user_id);
    if (!user || user->status != core::identity::UserStatus::kActive) return core::Ok();
    principal = LoadPrincipal(repo, *user);
    return core::Ok();
  });
  if (!read) return read.error();
  if (!principal) return rejected;
  principal->session_id = session->id;
  principal->csrf_token = CsrfTokenFor(ctx, secret);
  if (now - session->last_seen_at >= ctx.options.session_touch_interval) {
    (void)ctx.uow.Write([&](core::Transaction& tx) -> Status {
      tx.Identity().TouchSession(session->id, now);
      return core::Ok();
    });
  }
  return std::optional<Principal>(std::move(*principal));
}

}  // namespace cairn::app::identity
