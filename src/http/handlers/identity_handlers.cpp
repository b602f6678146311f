#include "http/handlers/identity_handlers.hpp"

#include <nlohmann/json.hpp>

#include "app/identity/accounts.hpp"
#include "app/identity/api_tokens.hpp"
#include "app/identity/invitations.hpp"
#include "app/identity/organizations.hpp"
#include "app/identity/sessions.hpp"
#include "http/handlers/identity_middleware.hpp"
#include "http/json_body.hpp"

namespace cairn::http {
namespace {

using nlohmann::json;
namespace id = app::identity;
namespace cid = core::identity;

constexpr std::size_t kSmallBody = 16 * 1024;
constexpr std::size_t kMaxSecret = 200;
constexpr std::size_t kMaxPassword = cid::kMaxPasswordBytes;

json Nullable(const std::optional<core::TimePoint>& t) {
  return t ? json(core::FormatTime(*t)) : json();
}
json NullableId(const std::string& s) { return s.empty() ? json() : json(s); }

json UserJson(const cid::User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"display_name", u.display_name},
          {"email_verified", u.email_verified},
          {"created_at", core::FormatTime(u.created_at)}};
}

json MembershipsJson(const std::vector<cid::Membership>& memberships) {
  json out = json::array();
  for (const auto& m : memberships)
    out.push_back({{"organization_id", NullableId(m.organization_id)}, {"role", cid::RoleName(m.role)}});
  return out;
}

json OrgJson(const cid::Organization& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"kind", cid::OrgKindName(o.kind)},
          {"parent_id", NullableId(o.parent_id)},
          {"issuer", o.issuer},
          {"created_at", core::FormatTime(o.created_at)}};
}

json TokenJson(const cid::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"hint", t.hint},
          {"created_at", core::FormatTime(t.created_at)},
          {"expires_at", Nullable(t.expires_at)},
          {"last_used_at", Nullable(t.last_used_at)},
          {"revoked_at", Nullable(t.revoked_at)}};
}

json InvitationJson(const cid::Invitation& i) {
  return {{"id", i.id},
          {"organization_id", NullableId(i.organization_id)},
          {"email", i.email},
          {"role", cid::RoleName(i.role)},
          {"status", cid::InvitationStatusName(i.status)},
          {"expires_at", core::FormatTime(i.expires_at)}};
}

json Items(json items) { return {{"items", std::move(items)}}; }

// Parses the body and hands a reader to read; a bad body or bad fields end in a problem.
template <class Read>
std::optional<Response> Decode(const Request& req, Read&& read) {
  auto body = ParseJsonBody(req);
  if (!body) return ProblemResponse(body.error());
  JsonReader in(*body);
  read(in);
  if (auto done = in.Finish(); !done) return ProblemResponse(done.error());
  return std::nullopt;
}

Response Accepted(std::string_view message) { return JsonResponse(202, {{"message", message}}); }

bool Secure(const id::IdentityContext& ctx) { return ctx.options.public_url.rfind("https://", 0) == 0; }

}  // namespace

void RegisterIdentityRoutes(Router& router, const IdentityHandlerDeps& deps) {
  id::IdentityContext& ctx = deps.identity;
  const std::string v1 = "/api/v1";

  router.Add({"POST", v1 + "/auth/signup",
              [&ctx](Request& req) {
                id::SignUpInput in;
                if (auto bad = Decode(req, [&](JsonReader& r) {
                      in.email = r.RequiredString("email", cid::kMaxEmailLength);
                      in.display_name = r.RequiredString("display_name", 400);
                      in.password = r.RequiredString("password", kMaxPassword);
                    }))
                  return std::move(*bad);
                auto done = id::SignUp(ctx, in);
                if (!done) return ProblemResponse(done.error());
                return Accepted("check your inbox for a link to confirm your email address");
              },
              "public", kSmallBody, "Create an account and email a verification link"});

  router.Add({"POST", v1 + "/auth/verify-email",
              [&ctx](Request& req) {
                std::string token;
                if (auto bad = Decode(req, [&](JsonReader& r) { token = r.RequiredString("token", kMaxSecret); }))
                  return std::move(*bad);
                auto done = id::VerifyEmail(ctx, token);
                if (!done) return ProblemResponse(done.error());
                return NoContentResponse();
              },
              "public", kSmallBody, "Confirm an email address with the emailed token"});

  router.Add({"POST", v1 + "/auth/signin",
              [&ctx](Request& req) {
                id::SignInInput in;
                if (auto bad = Decode(req, [&](JsonReader& r) {
                      in.email = r.RequiredString("email", cid::kMaxEmailLength);
                      in.password = r.RequiredString("password", kMaxPassword);
                    }))
                  return std::move(*bad);
                in.client_address = req.remote_address;
                std::chrono::seconds retry_after{0};
                auto signed_in = id::SignIn(ctx, in, &retry_after);
                if (!signed_in) {
                  Response r = ProblemResponse(signed_in.error());
                  if (signed_in.error().code == core::ErrorCode::kTooManyRequests)
                    r.headers.Set("Retry-After", std::to_string(retry_after.count()));
                  return r;
                }
                const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(
                    signed_in->expires_at - ctx.clock.Now());
                auto me = id::Me(ctx, signed_in->principal);
                if (!me) return ProblemResponse(me.error());
                Response r = JsonResponse(200, {{"user", UserJson(me->user)},
                                                {"memberships", MembershipsJson(me->memberships)},
                                                {"csrf_token", signed_in->principal.csrf_token},
                                                {"expires_at", core::FormatTime(signed_in->expires_at)}});
                r.headers.Add("Set-Cookie",
                              SessionCookie(signed_in->session_secret, max_age.count(), Secure(ctx)));
                r.headers.Set("Cache-Control", "no-store");
                return r;
              },
              "public", kSmallBody, "Sign in with email and password; sets the session cookie"});

  router.Add({"POST", v1 + "/auth/signout",
              [&ctx](Request& req) {
                auto done = id::SignOut(ctx, *req.principal);
                if (!done) return ProblemResponse(done.error());
                Response r = NoContentResponse();
                r.headers.Add("Set-Cookie", SessionCookie("", 0, Secure(ctx)));
                return r;
              },
              "session", kSmallBody, "End this browser session"});

  router.Add({"POST", v1 + "/auth/password-reset",
              [&ctx](Request& req) {
                std::string email;
                if (auto bad = Decode(req, [&](JsonReader& r) {
                      email = r.RequiredString("email", cid::kMaxEmailLength);
                    }))
                  return std::move(*bad);
                auto done = id::RequestPasswordReset(ctx, email);
                if (!done) return ProblemResponse(done.error());
                return Accepted("if an account uses this address, a reset link is on its way");
              },
              "public", kSmallBody, "Email a password reset link (same answer for any address)"});

  router.Add({"POST", v1 + "/auth/password-reset/confirm",
              [&ctx](Request& req) {
                std::string token, password;
                if (auto bad = Decode(req, [&](JsonReader& r) {
                      token = r.RequiredString("token", kMaxSecret);
                      password = r.RequiredString("password", kMaxPassword);
                    }))
                  return std::move(*bad);
                auto done = id::ResetPassword(ctx, token, password);
                if (!done) return ProblemResponse(done.error());
                return NoContentResponse();
              },
              "public", kSmallBody, "Set a new password with the emailed token; ends all sessions"});

  router.Add({"GET", v1 + "/me",
              [&ctx](Request& req) {
                auto me = id::Me(ctx, *req.principal);
                if (!me) return ProblemResponse(me.error());
                json body = {{"user", UserJson(me->user)},
                             {"memberships", MembershipsJson(me->memberships)},
                             {"csrf_token", NullableId(req.principal->csrf_token)}};
                Response r = JsonResponse(200, body);
                r.headers.Set("Cache-Control", "no-store");
                return r;
              },
              "authenticated", 0, "The signed-in user, their roles and the CSRF token"});

  router.Add({"GET", v1 + "/me/tokens",
              [&ctx](Request& req) {
                auto tokens = id::ListApiTokens(ctx, *req.principal);
                if (!tokens) return ProblemResponse(tokens.error());
                json items = json::array();
                for (const auto& t : *tokens) items.push_back(TokenJson(t));
                return JsonResponse(200, Items(std::move(items)));
              },
              "authenticated", 0, "List my API tokens (never their secrets)"});

  router.Add({"POST", v1 + "/me/tokens",
              [&ctx](Request& req) {
                std::string name;
                std::optional<int> days;
                if (auto bad = Decode(req, [&](JsonReader& r) {
                      name = r.RequiredString("name", 400);
                      if (auto d = r.OptionalInt("expires_in_days", 1, id::kMaxApiTokenDays))
                        days = static_cast<int>(*d);
                    }))
                  return std::move(*bad);
                auto created = id::CreateApiToken(ctx, *req.principal, name, days);
                if (!created) return ProblemResponse(created.error());
                Response r = JsonResponse(201, {{"token", TokenJson(created->token)},
                                                {"secret", created->secret}});
                r.headers.Set("Location", "/api/v1/me/tokens/" + created->token.id);
                r.headers.Set("Cache-Control", "no-store");
                return r;
              },
              "session", kSmallBody, "Create an API token; the secret is shown only in this response"});

  router.Add({"DELETE", v1 + "/me/tokens/{id}",
              [&ctx](Request& req) {
                auto done = id::RevokeApiToken(ctx, *req.principal, req.Param("id"));
                if (!done) return ProblemResponse(done.error());
                return NoContentResponse();
              },
              "authenticated", 0, "Revoke one of my API tokens"});

  router.Add({"GET", v1 + "/organizations",
              [&ctx](Request&) {
                auto orgs = id::ListOrganizations(ctx);
                if (!orgs) return ProblemResponse(orgs.error());
                json items = json::array();
                for (const auto& o : *orgs) items.push_back(OrgJson(o));
                return JsonResponse(200, Items(std::move(items)));
              },
              "authenticated", 0, "List organisations"});

  router.Add({"POST", v1 + "/organizations",
              [&ctx](Request& req) {
                id::CreateOrganizationInput in;
                if (auto bad = Decode(req, [&](JsonReader& r) {
                      in.name = r.RequiredString("name", 800);
                      in.kind = r.RequiredEnum("kind", {"nonprofit", "state_agency", "district", "school"});
                      in.parent_id = r.OptionalString("parent_id", 100).value_or("");
                      in.issuer = r.OptionalBool("issuer");
                    }))
                  return std::move(*bad);
                auto org = id::CreateOrganization(ctx, *req.principal, in);
                if (!org) return ProblemResponse(org.error());
                Response r = JsonResponse(201, OrgJson(*org));
                r.headers.Set("Location", "/api/v1/organizations/" + org->id);
                return r;
              },
              "platform_admin", kSmallBody, "Create an organisation"});

  router.Add({"GET", v1 + "/organizations/{id}",
              [&ctx](Request& req) {
                auto org = id::GetOrganization(ctx, req.Param("id"));
                if (!org) return ProblemResponse(org.error());
                return JsonResponse(200, OrgJson(*org));
              },
              "authenticated", 0, "One organisation"});

  router.Add({"GET", v1 + "/organizations/{id}/schools",
              [&ctx](Request& req) {
                auto schools = id::ListSchools(ctx, req.Param("id"));
                if (!schools) return ProblemResponse(schools.error());
                json items = json::array();
                for (const auto& o : *schools) items.push_back(OrgJson(o));
                return JsonResponse(200, Items(std::move(items)));
              },
              "authenticated", 0, "The schools of a district"});

  router.Add({"GET", v1 + "/organizations/{id}/members",
              [&ctx](Request& req) {
                auto members = id::ListMembers(ctx, *req.principal, req.Param("id"));
                if (!members) return ProblemResponse(members.error());
                json items = json::array();
                for (const auto& m : *members)
                  items.push_back({{"user_id", m.user_id},
                                   {"email", m.email},
                                   {"display_name", m.display_name},
                                   {"role", cid::RoleName(m.role)},
                                   {"since", core::FormatTime(m.since)}});
                return JsonResponse(200, Items(std::move(items)));
              },
              "authenticated", 0, "Members of an organisation (its admins only)"});

  auto invite = [&ctx](Request& req, std::string org_id) {
    id::InviteInput in;
    in.organization_id = std::move(org_id);
    if (auto bad = Decode(req, [&](JsonReader& r) {
          in.email = r.RequiredString("email", cid::kMaxEmailLength);
          in.role = r.RequiredString("role", 50);
        }))
      return std::move(*bad);
    auto inv = id::Invite(ctx, *req.principal, in);
    if (!inv) return ProblemResponse(inv.error());
    return JsonResponse(201, InvitationJson(*inv));
  };
  router.Add({"POST", v1 + "/organizations/{id}/invitations",
              [invite](Request& req) { return invite(req, req.Param("id")); },
              "authenticated", kSmallBody, "Invite someone by email into this organisation"});
  router.Add({"POST", v1 + "/invitations",
              [invite](Request& req) { return invite(req, ""); },
              "platform_admin", kSmallBody, "Invite a platform admin by email"});

  router.Add({"POST", v1 + "/invitations/accept",
              [&ctx](Request& req) {
                id::AcceptInvitationInput in;
                if (auto bad = Decode(req, [&](JsonReader& r) {
                      in.token = r.RequiredString("token", kMaxSecret);
                      in.display_name = r.OptionalString("display_name", 400);
                      in.password = r.OptionalString("password", kMaxPassword);
                    }))
                  return std::move(*bad);
                auto accepted = id::AcceptInvitation(ctx, in);
                if (!accepted) return ProblemResponse(accepted.error());
                return JsonResponse(200, {{"user_id", accepted->user_id},
                                          {"account_created", accepted->account_created},
                                          {"organization_id", NullableId(accepted->invitation.organization_id)},
                                          {"role", cid::RoleName(accepted->invitation.role)}});
              },
              "public", kSmallBody, "Accept an invitation with the emailed token"});
}

}  // namespace cairn::http
