#pragma once
// Everything a bearer secret unlocks: sessions, personal API tokens, one-time email links and
// invitations. The database holds only the SHA-256 digest of each secret (SecretGenerator::Digest),
// so a leaked table opens nothing.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/identity/principal.hpp"

namespace cairn::core::identity {

struct Session {
  std::string id;  // "ses_…", for audit and sign-out; not the cookie value
  std::string user_id;
  std::string token_hash;
  TimePoint created_at;
  TimePoint last_seen_at;
  TimePoint expires_at;  // absolute limit, however active the session is

  // Live while used at least every idle_timeout and not past the absolute limit.
  bool IsLive(TimePoint now, std::chrono::seconds idle_timeout) const {
    return now < expires_at && now < last_seen_at + idle_timeout;
  }
};

inline constexpr std::string_view kApiTokenPrefix = "cairn_pat_";
inline constexpr std::size_t kMaxTokenNameChars = 100;

struct ApiToken {
  std::string id;  // "tok_…"
  std::string user_id;
  std::string name;
  std::string token_hash;
  std::string hint;  // the first characters of the secret, so people can tell tokens apart
  TimePoint created_at;
  std::optional<TimePoint> expires_at;
  std::optional<TimePoint> last_used_at;
  std::optional<TimePoint> revoked_at;

  bool IsUsable(TimePoint now) const {
    return !revoked_at && (!expires_at || now < *expires_at);
  }
  Status Revoke(TimePoint now) {
    if (revoked_at) return Error::InvalidState("the token is already revoked");
    revoked_at = now;
    return Ok();
  }
};

enum class EmailTokenPurpose { kVerifyEmail, kResetPassword };
std::string_view EmailTokenPurposeName(EmailTokenPurpose purpose);
std::optional<EmailTokenPurpose> ParseEmailTokenPurpose(std::string_view name);

// A one-time link sent by email.
struct EmailToken {
  std::string token_hash;
  EmailTokenPurpose purpose = EmailTokenPurpose::kVerifyEmail;
  std::string user_id;
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> used_at;

  // One error for unknown, used and expired alike: the link is simply no good any more.
  Status Use(EmailTokenPurpose expected, TimePoint now) {
    if (purpose != expected || used_at || now >= expires_at)
      return Error::InvalidInput("the link is invalid or has expired",
                                 {{"/token", "invalid or expired"}});
    used_at = now;
    return Ok();
  }
};

enum class InvitationStatus { kPending, kAccepted, kRevoked };
std::string_view InvitationStatusName(InvitationStatus status);
std::optional<InvitationStatus> ParseInvitationStatus(std::string_view name);

struct Invitation {
  std::string id;  // "inv_…"
  std::string organization_id;  // empty for a platform admin invitation
  std::string email;
  Role role = Role::kEducator;
  std::string invited_by;  // user id
  std::string token_hash;
  InvitationStatus status = InvitationStatus::kPending;
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> accepted_at;
  std::string accepted_by;  // user id

  Status Accept(const std::string& user_id, TimePoint now) {
    if (status != InvitationStatus::kPending || now >= expires_at)
      return Error::InvalidInput("the invitation is invalid or has expired",
                                 {{"/token", "invalid or expired"}});
    status = InvitationStatus::kAccepted;
    accepted_at = now;
    accepted_by = user_id;
    return Ok();
  }
};

// Login throttling: failures counted per key ("email:…", "ip:…") in a sliding window.
struct ThrottleWindow {
  int failures = 0;
  std::optional<TimePoint> oldest;  // the oldest failure still in the window
};

}  // namespace cairn::core::identity
