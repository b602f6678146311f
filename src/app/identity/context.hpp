#pragma once
// What every identity use case needs, built once by platform/ and passed down.
#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/common/clock.hpp"
#include "core/identity/principal.hpp"
#include "core/identity/repository.hpp"
#include "core/ports/mailer.hpp"
#include "core/ports/transaction.hpp"

namespace cairn::app::identity {

struct IdentityOptions {
  // Links in emails start here, e.g. "https://cairn.example.org" (no trailing slash).
  std::string public_url = "http://localhost:8080";
  std::string product_name = "Cairn";
  std::chrono::seconds session_idle{std::chrono::hours(12)};
  std::chrono::seconds session_absolute{std::chrono::hours(24 * 30)};
  // Writing last-seen on every request would turn reads into writes; this often is enough.
  std::chrono::seconds session_touch_interval{std::chrono::minutes(1)};
  std::chrono::seconds verify_email_ttl{std::chrono::hours(48)};
  std::chrono::seconds reset_password_ttl{std::chrono::hours(1)};
  std::chrono::seconds invitation_ttl{std::chrono::hours(24 * 7)};
  std::chrono::seconds throttle_window{std::chrono::minutes(15)};
  int throttle_max_failures = 5;
};

struct IdentityContext {
  core::UnitOfWork& uow;
  core::Clock& clock;
  core::IdGenerator& ids;
  core::identity::PasswordHasher& hasher;
  core::identity::SecretGenerator& secrets;
  core::Mailer& mailer;
  IdentityOptions options;
};

// The principal for a user: their memberships, plus a platform-admin membership that belongs to
// no organisation.
core::identity::Principal LoadPrincipal(core::identity::IdentityRepository& repo,
                                        const core::identity::User& user);

// Appends one audit record. detail must never hold passwords or secrets.
void Audit(core::Transaction& tx, std::string_view actor, std::string_view action,
           std::string_view entity_type, std::string_view entity_id, std::string_view from,
           std::string_view to, core::TimePoint at, const nlohmann::json& detail = nlohmann::json::object());

// Sends after the transaction committed: a lost email must not undo the change, but the caller
// learns of it (kUnavailable) and can ask again.
core::Status SendMail(core::Mailer& mailer, const core::EmailMessage& message);

}  // namespace cairn::app::identity
