#include "app/identity/accounts.hpp"

#include <optional>

#include <nlohmann/json.hpp>

#include "app/identity/emails.hpp"
#include "core/ports/jobs.hpp"

namespace cairn::app::identity {

using core::Error;
using core::FieldError;
using core::Status;
using core::identity::EmailToken;
using core::identity::EmailTokenPurpose;
using core::identity::User;

namespace {

// Validates the three sign-up fields together so the client sees every problem at once.
core::Result<std::string> CheckSignUp(const SignUpInput& input) {
  std::vector<FieldError> fields;
  auto email = core::identity::NormalizeEmail(input.email);
  if (!email) fields.push_back({"/email", "must be a valid email address"});
  if (auto m = core::identity::CheckDisplayName(input.display_name); !m.empty())
    fields.push_back({"/display_name", m});
  if (auto m = core::identity::CheckPassword(input.password, email ? *email : ""); !m.empty())
    fields.push_back({"/password", m});
  if (!fields.empty()) return Error::InvalidInput("the sign-up is invalid", std::move(fields));
  return *email;
}

std::string Link(const IdentityContext& ctx, std::string_view path, std::string_view secret) {
  return ctx.options.public_url + std::string(path) + "?token=" + std::string(secret);
}

EmailToken NewEmailToken(IdentityContext& ctx, const std::string& secret, EmailTokenPurpose purpose,
                         const std::string& user_id, core::TimePoint now) {
  auto ttl = purpose == EmailTokenPurpose::kVerifyEmail ? ctx.options.verify_email_ttl
                                                        : ctx.options.reset_password_ttl;
  return EmailToken{ctx.secrets.Digest(secret), purpose, user_id, now, now + ttl, std::nullopt};
}

// The email is queued with only the user and its purpose: its link's secret is minted when the
// job runs, so no bearer secret ever sits in the jobs table (only digests are stored).
void EnqueueAccountEmail(core::Transaction& tx, std::string_view purpose, const std::string& user_id,
                         core::TimePoint now) {
  const nlohmann::json payload = {{"purpose", purpose}, {"user_id", user_id}};
  tx.Jobs().Enqueue(std::string(kAccountEmailJobKind), payload.dump(), now);
}

}  // namespace

Status SignUp(IdentityContext& ctx, const SignUpInput& input) {
  auto email = CheckSignUp(input);
  if (!email) return email.error();
  // Hash before the transaction: Argon2id takes long enough to stall other writers otherwise.
  auto hash = ctx.hasher.Hash(input.password);
  if (!hash) return hash.error();

  const auto now = ctx.clock.Now();
  return ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    if (auto existing = repo.FindUserByEmail(*email)) {
      if (existing->status != core::identity::UserStatus::kActive) return core::Ok();
      if (!existing->email_verified) {
        Audit(tx, existing->id, "user.verification_resent", "user", existing->id, "", "", now);
        EnqueueAccountEmail(tx, kVerifyEmailPurpose, existing->id, now);
      } else {
        Audit(tx, existing->id, "user.password_reset_requested", "user", existing->id, "", "",
              now, {{"reason", "signup_with_existing_address"}});
        EnqueueAccountEmail(tx, kAlreadyRegisteredPurpose, existing->id, now);
      }
      return core::Ok();
    }
    User user;
    user.id = ctx.ids.NewId("usr");
    user.email = *email;
    user.display_name = input.display_name;
    user.password_hash = *hash;
    user.created_at = user.updated_at = now;
    repo.InsertUser(user);
    Audit(tx, user.id, "user.signup", "user", user.id, "", "unverified", now);
    EnqueueAccountEmail(tx, kVerifyEmailPurpose, user.id, now);
    return core::Ok();
  });
}

Status VerifyEmail(IdentityContext& ctx, const std::string& token) {
  if (token.empty() || token.size() > 200)
    return Error::InvalidInput("the link is invalid or has expired", {{"/token", "invalid or expired"}});
  const auto now = ctx.clock.Now();
  const auto digest = ctx.secrets.Digest(token);
  return ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    auto stored = repo.FindEmailTokenByHash(digest);
    if (!stored)
      return Error::InvalidInput("the link is invalid or has expired", {{"/token", "invalid or expired"}});
    if (auto used = stored->Use(EmailTokenPurpose::kVerifyEmail, now); !used) return used;
    auto user = repo.FindUserById(stored->user_id);
    if (!user) return Error::Internal("email token without user " + stored->user_id);
    if (auto v = user->VerifyEmail(now); !v) return v;
    repo.UpdateUser(*user);
    if (!repo.MarkEmailTokenUsed(digest, now))
      return Error::InvalidInput("the link is invalid or has expired", {{"/token", "invalid or expired"}});
    Audit(tx, user->id, "user.verify_email", "user", user->id, "unverified", "verified", now);
    return core::Ok();
  });
}

Status RequestPasswordReset(IdentityContext& ctx, const std::string& email_text) {
  auto email = core::identity::NormalizeEmail(email_text);
  if (!email)
    return Error::InvalidInput("the request is invalid", {{"/email", "must be a valid email address"}});
  const auto now = ctx.clock.Now();
  return ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto user = tx.Identity().FindUserByEmail(*email);
    if (!user || user->status != core::identity::UserStatus::kActive) return core::Ok();
    Audit(tx, user->id, "user.password_reset_requested", "user", user->id, "", "", now);
    EnqueueAccountEmail(tx, kResetPasswordPurpose, user->id, now);
    return core::Ok();
  });
}

Status DeliverAccountEmail(IdentityContext& ctx, const std::string& payload_json) {
  const auto payload = nlohmann::json::parse(payload_json, nullptr, false);
  const std::string purpose = payload.is_object() ? payload.value("purpose", "") : "";
  const std::string user_id = payload.is_object() ? payload.value("user_id", "") : "";
  if (user_id.empty() || (purpose != kVerifyEmailPurpose && purpose != kResetPasswordPurpose &&
                          purpose != kAlreadyRegisteredPurpose))
    return Error::InvalidInput("identity.email: the payload needs a known purpose and user_id");
  const auto now = ctx.clock.Now();
  const std::string secret = ctx.secrets.NewSecret();
  std::optional<core::EmailMessage> mail;
  auto written = ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    auto user = repo.FindUserById(user_id);
    if (!user) return Error::NotFound("identity.email: no user " + user_id);
    // The account may have changed since the request: nothing to send any more.
    if (user->status != core::identity::UserStatus::kActive) return core::Ok();
    if (purpose == kVerifyEmailPurpose) {
      if (user->email_verified) return core::Ok();
      repo.InsertEmailToken(NewEmailToken(ctx, secret, EmailTokenPurpose::kVerifyEmail, user->id, now));
      mail = VerificationEmail(ctx.options.product_name, user->email, user->display_name,
                               Link(ctx, "/verify-email", secret));
      return core::Ok();
    }
    repo.UseUpEmailTokens(user->id, EmailTokenPurpose::kResetPassword, now);
    repo.InsertEmailToken(NewEmailToken(ctx, secret, EmailTokenPurpose::kResetPassword, user->id, now));
    const std::string link = Link(ctx, "/reset-password", secret);
    mail = purpose == kResetPasswordPurpose
               ? PasswordResetEmail(ctx.options.product_name, user->email, user->display_name, link)
               : AlreadyRegisteredEmail(ctx.options.product_name, user->email, user->display_name,
                                        link);
    return core::Ok();
  });
  if (!written) return written;
  // A failed send leaves an unsent token behind, harmless since nobody ever saw its secret; the
  // retry mints a fresh one.
  if (mail) return SendMail(ctx.mailer, *mail);
  return core::Ok();
}

Status ResetPassword(IdentityContext& ctx, const std::string& token, const std::string& new_password) {
  std::vector<FieldError> fields;
  if (token.empty() || token.size() > 200) fields.push_back({"/token", "invalid or expired"});
  if (auto m = core::identity::CheckPassword(new_password, ""); !m.empty())
    fields.push_back({"/password", m});
  if (!fields.empty()) return Error::InvalidInput("the password reset is invalid", std::move(fields));
  auto hash = ctx.hasher.Hash(new_password);
  if (!hash) return hash.error();

  const auto now = ctx.clock.Now();
  const auto digest = ctx.secrets.Digest(token);
  return ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    auto stored = repo.FindEmailTokenByHash(digest);
    if (!stored)
      return Error::InvalidInput("the link is invalid or has expired", {{"/token", "invalid or expired"}});
    if (auto used = stored->Use(EmailTokenPurpose::kResetPassword, now); !used) return used;
    auto user = repo.FindUserById(stored->user_id);
    if (!user) return Error::Internal("email token without user " + stored->user_id);
    if (auto m = core::identity::CheckPassword(new_password, user->email); !m.empty())
      return Error::InvalidInput("the password reset is invalid", {{"/password", m}});
    if (auto c = user->ChangePassword(*hash, now); !c) return c;
    // The link came through the mailbox, which proves the address as well as a verify link does.
    const bool was_verified = user->email_verified;
    user->email_verified = true;
    repo.UpdateUser(*user);
    if (!repo.MarkEmailTokenUsed(digest, now))
      return Error::InvalidInput("the link is invalid or has expired", {{"/token", "invalid or expired"}});
    const int ended = repo.DeleteSessionsOfUser(user->id);
    repo.ClearFailures("email:" + user->email);
    Audit(tx, user->id, "user.password_reset", "user", user->id,
          was_verified ? "verified" : "unverified", "verified", now, {{"sessions_ended", ended}});
    return core::Ok();
  });
}

core::Result<MeView> Me(IdentityContext& ctx, const core::identity::Principal& principal) {
  std::optional<MeView> view;
  auto read = ctx.uow.Read([&](core::Transaction& tx) -> Status {
    auto user = tx.Identity().FindUserById(principal.user_id);
    if (!user) return Error::Unauthenticated("the account no longer exists");
    view = MeView{*user, LoadPrincipal(tx.Identity(), *user).memberships};
    return core::Ok();
  });
  if (!read) return read.error();
  return std::move(*view);
}

core::Result<User> CreatePlatformAdmin(IdentityContext& ctx, const SignUpInput& input) {
  auto email = CheckSignUp(input);
  if (!email) return email.error();
  auto hash = ctx.hasher.Hash(input.password);
  if (!hash) return hash.error();
  const auto now = ctx.clock.Now();
  User result;
  auto written = ctx.uow.Write([&](core::Transaction& tx) -> Status {
    auto& repo = tx.Identity();
    if (auto existing = repo.FindUserByEmail(*email)) {
      if (existing->platform_admin) return Error::Conflict("that account is already a platform admin");
      existing->platform_admin = true;
      existing->updated_at = now;
      repo.UpdateUser(*existing);
      Audit(tx, "system", "user.grant_platform_admin", "user", existing->id, "", "platform_admin", now);
      result = *existing;
      return core::Ok();
    }
    result.id = ctx.ids.NewId("usr");
    result.email = *email;
    result.display_name = input.display_name;
    result.password_hash = *hash;
    result.email_verified = true;
    result.platform_admin = true;
    result.created_at = result.updated_at = now;
    repo.InsertUser(result);
    Audit(tx, "system", "user.create_platform_admin", "user", result.id, "", "verified", now);
    return core::Ok();
  });
  if (!written) return written.error();
  return result;
}

}  // namespace cairn::app::identity
