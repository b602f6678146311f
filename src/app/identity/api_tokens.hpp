#pragma once
// Personal API tokens for integrations: "cairn_pat_…", shown once, stored as a digest.
#include <optional>
#include <string>
#include <vector>

#include "app/identity/context.hpp"
#include "core/identity/tokens.hpp"

namespace cairn::app::identity {

struct CreatedApiToken {
  core::identity::ApiToken token;
  std::string secret;  // the whole "cairn_pat_…" value; never retrievable again
};

inline constexpr int kMaxApiTokenDays = 366;
inline constexpr int kMaxApiTokensPerUser = 50;

// Only from a browser session: a leaked token must not be able to mint more. expires_in_days
// empty means no expiry. Errors: kInvalidInput (/name, /expires_in_days), kForbidden.
core::Result<CreatedApiToken> CreateApiToken(IdentityContext& ctx,
                                             const core::identity::Principal& principal,
                                             const std::string& name,
                                             std::optional<int> expires_in_days);
core::Result<std::vector<core::identity::ApiToken>> ListApiTokens(
    IdentityContext& ctx, const core::identity::Principal& principal);
// kNotFound for another user's token as for a missing one.
core::Status RevokeApiToken(IdentityContext& ctx, const core::identity::Principal& principal,
                            const std::string& token_id);

}  // namespace cairn::app::identity
