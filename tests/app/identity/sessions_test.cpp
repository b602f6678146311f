#include "app/identity/sessions.hpp"

#include "app/identity/api_tokens.hpp"
#include "fixture.hpp"

namespace cairn::app::identity::testing {
namespace {

using core::ErrorCode;
using std::chrono::hours;
using std::chrono::minutes;

class Sessions : public IdentityFixture {
 protected:
  void SetUp() override {
    IdentityFixture::SetUp();
    user_id_ = CreateVerifiedUser("ada@example.org");
  }
  std::string user_id_;
};

TEST_F(Sessions, CookieSecretAuthenticatesUntilSignOut) {
  auto in = SignIn(*ctx_, {"ada@example.org", "correct horse battery", "192.0.2.1"});
  ASSERT_TRUE(in.ok()) << Describe(in.error());
  EXPECT_EQ(in->session_secret.size(), 43u);
  EXPECT_EQ(in->principal.user_id, user_id_);
  EXPECT_FALSE(in->principal.csrf_token.empty());
  EXPECT_NE(in->principal.csrf_token, in->session_secret);

  auto who = Authenticate(*ctx_, {in->session_secret, std::nullopt});
  ASSERT_TRUE(who.ok());
  ASSERT_TRUE(who->has_value());
  EXPECT_EQ((*who)->user_id, user_id_);
  EXPECT_EQ((*who)->session_id, in->principal.session_id);
  EXPECT_EQ((*who)->csrf_token, in->principal.csrf_token);
  EXPECT_FALSE((*who)->via_api_token);

  ASSERT_TRUE(SignOut(*ctx_, **who).ok());
  auto after = Authenticate(*ctx_, {in->session_secret, std::nullopt});
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(AuditActions("session", in->principal.session_id),
            (std::vector<std::string>{"session.create", "session.delete"}));
}

TEST_F(Sessions, NoCredentialsIsAnonymousNotAnError) {
  auto anon = Authenticate(*ctx_, {});
  ASSERT_TRUE(anon.ok());
  EXPECT_FALSE(anon->has_value());
  EXPECT_FALSE(Authenticate(*ctx_, {"forged-cookie-value", std::nullopt}).ok());
}

TEST_F(Sessions, IdleAndAbsoluteExpiry) {
  auto in = SignIn(*ctx_, {"ada@example.org", "correct horse battery", "192.0.2.1"});
  ASSERT_TRUE(in.ok());
  // Used every 11 hours, the session lives on...
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(hours(11));
    EXPECT_TRUE(Authenticate(*ctx_, {in->session_secret, std::nullopt}).ok()) << i;
  }
  // ...but 13 idle hours end it.
  clock_.Advance(hours(13));
  EXPECT_FALSE(Authenticate(*ctx_, {in->session_secret, std::nullopt}).ok());

  auto second = SignIn(*ctx_, {"ada@example.org", "correct horse battery", "192.0.2.1"});
  ASSERT_TRUE(second.ok());
  for (int i = 0; i < 65; ++i) clock_.Advance(hours(11)), (void)Authenticate(*ctx_, {second->session_secret, std::nullopt});
  // 715 hours in: still within 30 days.
  EXPECT_TRUE(Authenticate(*ctx_, {second->session_secret, std::nullopt}).ok());
  clock_.Advance(hours(6));  // 721 hours: past the absolute limit however active
  EXPECT_FALSE(Authenticate(*ctx_, {second->session_secret, std::nullopt}).ok());
}

TEST_F(Sessions, WrongPasswordAndUnknownEmailLookAlike) {
  auto wrong = SignIn(*ctx_, {"ada@example.org", "wrong password!", "192.0.2.1"});
  auto unknown = SignIn(*ctx_, {"nobody@example.org", "wrong password!", "192.0.2.1"});
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  auto malformed = SignIn(*ctx_, {"nope", "", "192.0.2.1"});
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(Pointers(malformed.error()), (std::vector<std::string>{"/email", "/password"}));
}

TEST_F(Sessions, FiveFailuresPerAddressThrottleForFifteenMinutes) {
  for (int i = 0; i < 5; ++i) {
    auto r = SignIn(*ctx_, {"ada@example.org", "wrong password!", "198.51.100." + std::to_string(i)});
    ASSERT_EQ(r.error().code, ErrorCode::kUnauthenticated) << i;
    clock_.Advance(minutes(1));
  }
  // Even the right password is refused now, from any client.
  std::chrono::seconds retry{0};
  auto blocked = SignIn(*ctx_, {"ada@example.org", "correct horse battery", "203.0.113.9"}, &retry);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kTooManyRequests);
  // The first failure was 5 minutes ago, so it leaves the 15-minute window in 10.
  EXPECT_EQ(retry, std::chrono::seconds(600));
  clock_.Advance(std::chrono::seconds(600));
  auto later = SignIn(*ctx_, {"ada@example.org", "correct horse battery", "203.0.113.9"});
  EXPECT_TRUE(later.ok()) << Describe(later.error());
}

TEST_F(Sessions, ServerProcessesShareTheThrottleThroughTheDatabase) {
  // A second server process: its own database handle and unit of work on the same file.
  auto other_db = storage::Database::Open("sqlite:" + dir_ + "/cairn.db");
  ASSERT_TRUE(other_db.ok());
  storage::SqlUnitOfWork other_uow(**other_db);
  IdentityContext other{other_uow, clock_, ids_, *hasher_, secrets_, *mailer_, ctx_->options};
  for (int i = 0; i < 5; ++i) {
    auto& ctx = i % 2 ? other : *ctx_;
    EXPECT_EQ(SignIn(ctx, {"ada@example.org", "wrong password!", "198.51.100." + std::to_string(i)})
                  .error().code, ErrorCode::kUnauthenticated);
  }
  EXPECT_EQ(SignIn(*ctx_, {"ada@example.org", "correct horse battery", "203.0.113.1"}).error().code,
            ErrorCode::kTooManyRequests);
  EXPECT_EQ(SignIn(other, {"ada@example.org", "correct horse battery", "203.0.113.1"}).error().code,
            ErrorCode::kTooManyRequests);
}

TEST_F(Sessions, OneClientFailingOnManyAddressesIsThrottledToo) {
  for (int i = 0; i < 5; ++i)
    (void)SignIn(*ctx_, {"guess" + std::to_string(i) + "@example.org", "wrong password!", "198.51.100.7"});
  std::chrono::seconds retry{0};
  auto blocked = SignIn(*ctx_, {"ada@example.org", "correct horse battery", "198.51.100.7"}, &retry);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kTooManyRequests);
  EXPECT_GT(retry.count(), 0);
  // Another client is not affected.
  EXPECT_TRUE(SignIn(*ctx_, {"ada@example.org", "correct horse battery", "198.51.100.8"}).ok());
}

TEST_F(Sessions, ApiTokensShownOnceAuthenticateAndRevoke) {
  auto session = SignInAs("ada@example.org");
  auto created = CreateApiToken(*ctx_, session, "Gradebook sync", 30);
  ASSERT_TRUE(created.ok()) << Describe(created.error());
  EXPECT_EQ(created->secret.rfind("cairn_pat_", 0), 0u);
  EXPECT_EQ(created->token.hint, created->secret.substr(0, 14));

  auto who = Authenticate(*ctx_, {std::nullopt, created->secret});
  ASSERT_TRUE(who.ok());
  ASSERT_TRUE(who->has_value());
  EXPECT_TRUE((*who)->via_api_token);
  EXPECT_TRUE((*who)->csrf_token.empty());

  // A token cannot mint tokens.
  auto minted = CreateApiToken(*ctx_, **who, "escalation", std::nullopt);
  ASSERT_FALSE(minted.ok());
  EXPECT_EQ(minted.error().code, ErrorCode::kForbidden);

  auto listed = ListApiTokens(*ctx_, session);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "Gradebook sync");
  EXPECT_TRUE((*listed)[0].last_used_at.has_value());

  auto other = CreateVerifiedUser("bo@example.org");
  auto bo = SignInAs("bo@example.org");
  EXPECT_EQ(RevokeApiToken(*ctx_, bo, created->token.id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(RevokeApiToken(*ctx_, session, created->token.id).ok());
  EXPECT_EQ(RevokeApiToken(*ctx_, session, created->token.id).error().code, ErrorCode::kInvalidState);
  EXPECT_FALSE(Authenticate(*ctx_, {std::nullopt, created->secret}).ok());
  EXPECT_EQ(AuditActions("api_token", created->token.id),
            (std::vector<std::string>{"api_token.create", "api_token.revoke"}));
}

TEST_F(Sessions, ApiTokenExpiryAndInput) {
  auto session = SignInAs("ada@example.org");
  auto bad = CreateApiToken(*ctx_, session, "", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Pointers(bad.error()), (std::vector<std::string>{"/name", "/expires_in_days"}));
  auto created = CreateApiToken(*ctx_, session, "short-lived", 1);
  ASSERT_TRUE(created.ok());
  clock_.Advance(hours(25));
  EXPECT_FALSE(Authenticate(*ctx_, {std::nullopt, created->secret}).ok());
  EXPECT_FALSE(Authenticate(*ctx_, {std::nullopt, "cairn_pat_made-up"}).ok());
  EXPECT_FALSE(Authenticate(*ctx_, {std::nullopt, "not-even-a-token"}).ok());
}

}  // namespace
}  // namespace cairn::app::identity::testing
