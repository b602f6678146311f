#include "app/identity/api_tokens.hpp"

#include "core/identity/user.hpp"

namespace cairn::app::identity {

using core::Error;
using core::Status;
using core::identity::ApiToken;

core::Result<CreatedApiToken> CreateApiToken(IdentityContext& ctx,
                                             const core::identity::Principal& principal,
                                             const std::string& name,
                                             std::optional<int> expires_in_days) {
  if (principal.via_api_token)
    return Error::Forbidden("API tokens can only be created from a signed-in browser session");
  std::vector<core::FieldError> fields;
  if (auto m = core::identity::CheckDisplayName(name); !m.empty()) fields.push_back({"/name", m});
  if (expires_in_days && (*expires_in_days < 1 || *expires_in_days > kMaxApiTokenDays))
    fields.push_back({"/expires_in_days", "must be between 1 and 366"});
  if (!fields.empty()) return Error::InvalidInput("the token is invalid", std::move(fields));

  const auto now = ctx.clock.Now();
  CreatedApiToken created;
  created.secret = std::string(core::identity::kApiTokenPrefix) + ctx.secrets.NewSecret();
  ApiToken& t = created.token;
  t.id = ctx.ids.NewId("tok");
  t.user_id = principal.user_id;
  t.name = name;
  t.token_hash = ctx.secrets.Digest(created.secret);
  t.hint = created.secret.substr(0, core::identity::kApiTokenPrefix.size() + 4);
  t.created_at = now;
  if (expires_in_days) t.expires_at = now + std::chrono::hours(24) * *expires_in_days;

  auto written = ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    int live = 0;
    for (const auto& existing : repo.ListApiTokens(principal.user_id))
      if (existing.IsUsable(now)) ++live;
    if (live >= kMaxApiTokensPerUser)
      return Error::Conflict("you have too many API tokens; revoke some first");
    repo.InsertApiToken(t);
    Audit(tx, principal.user_id, "api_token.create", "api_token", t.id, "", "active", now,
          {{"name", t.name}});
    return core::Ok();
  });
  if (!written) return written.error();
  return created;
}

core::Result<std::vector<ApiToken>> ListApiTokens(IdentityContext& ctx,
                                                  const core::identity::Principal& principal) {
  std::vector<ApiToken> tokens;
  auto read = ctx.uow.Read([&](core::Transaction& tx) -> Status {
    tokens = tx.Identity().ListApiTokens(principal.user_id);
    return core::Ok();
  });
  if (!read) return read.error();
  return tokens;
}

Status RevokeApiToken(IdentityContext& ctx, const core::identity::Principal& principal,
                      const std::string& token_id) {
  const auto now = ctx.clock.Now();
  return ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    auto token = repo.FindApiToken(token_id);
    if (!token || token->user_id != principal.user_id) return Error::NotFound("no such API token");
    if (auto r = token->Revoke(now); !r) return r;
    repo.UpdateApiToken(*token);
    Audit(tx, principal.user_id, "api_token.revoke", "api_token", token->id, "active", "revoked",
          now);
    return core::Ok();
  });
}

}  // namespace cairn::app::identity
