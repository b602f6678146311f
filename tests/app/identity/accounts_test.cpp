#include "app/identity/accounts.hpp"

#include <algorithm>
#include <thread>

#include "app/identity/sessions.hpp"
#include "fixture.hpp"

namespace cairn::app::identity::testing {
namespace {

using cairn::testing::ExtractToken;
using core::ErrorCode;

class Accounts : public IdentityFixture {};

TEST_F(Accounts, SignUpEmailsALinkThatVerifiesOnce) {
  ASSERT_TRUE(SignUp(*ctx_, {"  Ada@Example.org ", "Ada Lovelace", "correct horse battery"}).ok());
  auto mail = sink_->WaitForMessageTo("ada@example.org");
  EXPECT_EQ(mail.Header("subject"), "Confirm your email address for Cairn");
  EXPECT_NE(mail.text.find("https://cairn.test/verify-email?token="), std::string::npos);
  EXPECT_NE(mail.html.find("Ada Lovelace"), std::string::npos);
  const std::string token = ExtractToken(mail.text);
  ASSERT_EQ(token.size(), 43u);

  // Not verified yet: sign-in is refused with a pointer to the email.
  auto early = SignIn(*ctx_, {"ada@example.org", "correct horse battery", "192.0.2.1"});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kForbidden);

  ASSERT_TRUE(VerifyEmail(*ctx_, token).ok());
  auto again = VerifyEmail(*ctx_, token);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(Pointers(again.error()), std::vector<std::string>{"/token"});

  auto in = SignIn(*ctx_, {"ADA@example.org", "correct horse battery", "192.0.2.1"});
  ASSERT_TRUE(in.ok()) << Describe(in.error());
  EXPECT_EQ(in->principal.email, "ada@example.org");
  EXPECT_EQ(AuditActions("user", in->principal.user_id),
            (std::vector<std::string>{"user.signup", "user.verify_email"}));
}

TEST_F(Accounts, BadSignUpReportsEveryFieldAndWritesNothing) {
  auto r = SignUp(*ctx_, {"not-an-email", " ", "short"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(Pointers(r.error()), (std::vector<std::string>{"/email", "/display_name", "/password"}));
  EXPECT_EQ(CountRows("users"), 0);
  EXPECT_EQ(CountRows("audit_log"), 0);
  EXPECT_TRUE(sink_->WaitForMessages(1, std::chrono::milliseconds(200)).empty());
}

TEST_F(Accounts, SigningUpWithATakenAddressLooksTheSameButTellsTheOwner) {
  CreateVerifiedUser("ada@example.org");
  auto second = SignUp(*ctx_, {"ada@example.org", "Impostor", "another password"});
  ASSERT_TRUE(second.ok()) << Describe(second.error());
  auto mails = sink_->WaitForMessages(2);
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[1].Header("subject"), "You already have a Cairn account");
  EXPECT_NE(mails[1].text.find("/reset-password?token="), std::string::npos);
  EXPECT_EQ(CountRows("users"), 1);
  // The impostor's password does not work; the owner's still does.
  EXPECT_FALSE(SignIn(*ctx_, {"ada@example.org", "another password", "192.0.2.1"}).ok());
  EXPECT_TRUE(SignIn(*ctx_, {"ada@example.org", "correct horse battery", "192.0.2.1"}).ok());
}

TEST_F(Accounts, SigningUpAgainBeforeVerifyingResendsTheLink) {
  ASSERT_TRUE(SignUp(*ctx_, {"bo@example.org", "Bo", "correct horse battery"}).ok());
  ASSERT_TRUE(SignUp(*ctx_, {"bo@example.org", "Bo", "correct horse battery"}).ok());
  auto mails = sink_->WaitForMessages(2);
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[1].Header("subject"), "Confirm your email address for Cairn");
  EXPECT_TRUE(VerifyEmail(*ctx_, ExtractToken(mails[1].text)).ok());
  EXPECT_EQ(CountRows("users"), 1);
}

TEST_F(Accounts, VerificationLinksExpire) {
  ASSERT_TRUE(SignUp(*ctx_, {"cy@example.org", "Cy", "correct horse battery"}).ok());
  auto mail = sink_->WaitForMessageTo("cy@example.org");
  clock_.Advance(std::chrono::hours(49));
  auto late = VerifyEmail(*ctx_, ExtractToken(mail.text));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kInvalidInput);
  EXPECT_FALSE(VerifyEmail(*ctx_, "made-up-token").ok());
  EXPECT_FALSE(VerifyEmail(*ctx_, "").ok());
}

TEST_F(Accounts, AMailOutageDelaysTheEmailAndARetryDeliversAWorkingLink) {
  int dead_port;
  {
    cairn::testing::SmtpSink gone;
    dead_port = gone.port();
  }
  mail::SmtpOptions smtp;
  smtp.port = dead_port;
  smtp.from_address = "noreply@cairn.test";
  smtp.starttls = mail::StartTls::kNone;
  smtp.timeout = std::chrono::seconds(3);
  mail::SmtpMailer down(smtp);
  worker_.reset();  // this test runs the queue itself
  IdentityContext outage{*uow_, clock_, ids_, *hasher_, secrets_, down, ctx_->options};
  // The sign-up itself succeeds: the email waits in the queue.
  ASSERT_TRUE(SignUp(*ctx_, {"ada@example.org", "Ada", "correct horse battery"}).ok());
  const auto handler = [](IdentityContext& ctx) {
    return std::map<std::string, jobs::Handler>{
        {std::string(kAccountEmailJobKind),
         [&ctx](const core::jobs::Job& job) { return DeliverAccountEmail(ctx, job.payload); }}};
  };
  jobs::Worker failing(*uow_, clock_, handler(outage), {}, {});
  EXPECT_EQ(failing.RunDueJobsOnce(clock_.Now()), 1);
  EXPECT_TRUE(sink_->WaitForMessages(1, std::chrono::milliseconds(200)).empty());

  // Once mail flows again, the retry sends a link that works.
  clock_.Advance(std::chrono::seconds(30));
  jobs::Worker working(*uow_, clock_, handler(*ctx_), {}, {});
  EXPECT_EQ(working.RunDueJobsOnce(clock_.Now()), 1);
  auto mail = sink_->WaitForMessageTo("ada@example.org");
  EXPECT_TRUE(VerifyEmail(*ctx_, ExtractToken(mail.text)).ok());
  EXPECT_EQ(CountRows("users"), 1);
}

TEST_F(Accounts, QueuedAccountEmailsCarryNoSecretOrAddress) {
  worker_.reset();
  ASSERT_TRUE(SignUp(*ctx_, {"ada@example.org", "Ada", "correct horse battery"}).ok());
  ASSERT_TRUE(RequestPasswordReset(*ctx_, "ada@example.org").ok());
  std::vector<std::string> payloads;
  auto read = db_->Read([&](storage::Tx& tx) -> core::Status {
    std::string payload;
    soci::statement st = (tx.sql().prepare << "SELECT payload FROM jobs WHERE kind = 'identity.email'",
                          soci::into(payload));
    st.execute(false);
    while (st.fetch()) payloads.push_back(payload);
    return core::Ok();
  });
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(payloads.size(), 2u);
  for (const auto& p : payloads) {
    EXPECT_EQ(p.find("ada@example.org"), std::string::npos) << p;
    EXPECT_EQ(p.find("token"), std::string::npos) << p;
  }
  // No token exists until the job runs; the job mints the one it sends.
  EXPECT_EQ(CountRows("email_tokens"), 0);
}

TEST_F(Accounts, ConcurrentUsesOfOneLinkSucceedOnce) {
  ASSERT_TRUE(SignUp(*ctx_, {"ada@example.org", "Ada", "correct horse battery"}).ok());
  const std::string token = ExtractToken(sink_->WaitForMessageTo("ada@example.org").text);
  std::vector<core::Status> results(4, core::Ok());
  std::vector<std::thread> threads;
  for (auto& r : results) threads.emplace_back([&, out = &r] { *out = VerifyEmail(*ctx_, token); });
  for (auto& t : threads) t.join();
  int ok = 0;
  for (const auto& r : results) {
    if (r.ok()) ++ok;
    else EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << Describe(r.error());
  }
  EXPECT_EQ(ok, 1);
  const std::string id = SignInAs("ada@example.org").user_id;
  EXPECT_EQ(AuditActions("user", id), (std::vector<std::string>{"user.signup", "user.verify_email"}));
}

TEST_F(Accounts, PasswordResetSameAnswerForUnknownAddresses) {
  CreateVerifiedUser("ada@example.org");
  const auto before = sink_->Messages().size();
  ASSERT_TRUE(RequestPasswordReset(*ctx_, "nobody@example.org").ok());
  EXPECT_EQ(sink_->WaitForMessages(before + 1, std::chrono::milliseconds(300)).size(), before);
  auto malformed = RequestPasswordReset(*ctx_, "nope");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(Pointers(malformed.error()), std::vector<std::string>{"/email"});
}

TEST_F(Accounts, PasswordResetEndsSessionsAndTheLinkWorksOnce) {
  const std::string id = CreateVerifiedUser("ada@example.org");
  auto session = SignIn(*ctx_, {"ada@example.org", "correct horse battery", "192.0.2.1"});
  ASSERT_TRUE(session.ok());

  ASSERT_TRUE(RequestPasswordReset(*ctx_, "ada@example.org").ok());
  auto mail = sink_->WaitForMessages(2).back();  // after the verification email; sent by the queue
  EXPECT_EQ(mail.Header("subject"), "Reset your Cairn password");
  const std::string token = ExtractToken(mail.text);

  auto weak = ResetPassword(*ctx_, token, "short");
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(Pointers(weak.error()), std::vector<std::string>{"/password"});

  ASSERT_TRUE(ResetPassword(*ctx_, token, "a brand new passphrase").ok());
  EXPECT_FALSE(ResetPassword(*ctx_, token, "yet another passphrase").ok());

  auto old_cookie = Authenticate(*ctx_, {session->session_secret, std::nullopt});
  ASSERT_FALSE(old_cookie.ok());
  EXPECT_EQ(old_cookie.error().code, ErrorCode::kUnauthenticated);
  EXPECT_FALSE(SignIn(*ctx_, {"ada@example.org", "correct horse battery", "192.0.2.1"}).ok());
  EXPECT_TRUE(SignIn(*ctx_, {"ada@example.org", "a brand new passphrase", "192.0.2.1"}).ok());
  auto actions = AuditActions("user", id);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "user.password_reset"), actions.end());
  EXPECT_EQ(actions.back(), "session.signin_failed");  // the old password, after the reset
}

TEST_F(Accounts, ANewResetLinkVoidsTheOldOne) {
  CreateVerifiedUser("ada@example.org");
  ASSERT_TRUE(RequestPasswordReset(*ctx_, "ada@example.org").ok());
  const std::string first = ExtractToken(sink_->WaitForMessages(2).back().text);
  ASSERT_TRUE(RequestPasswordReset(*ctx_, "ada@example.org").ok());
  const std::string second = ExtractToken(sink_->WaitForMessages(3).back().text);
  EXPECT_FALSE(ResetPassword(*ctx_, first, "a brand new passphrase").ok());
  EXPECT_TRUE(ResetPassword(*ctx_, second, "a brand new passphrase").ok());
}

TEST_F(Accounts, ResetLinksExpireAfterAnHour) {
  CreateVerifiedUser("ada@example.org");
  ASSERT_TRUE(RequestPasswordReset(*ctx_, "ada@example.org").ok());
  const std::string token = ExtractToken(sink_->WaitForMessages(2).back().text);
  clock_.Advance(std::chrono::minutes(61));
  EXPECT_FALSE(ResetPassword(*ctx_, token, "a brand new passphrase").ok());
}

TEST_F(Accounts, MeShowsTheAccountAndMemberships) {
  CreatePlatformAdminUser("root@example.org");
  auto admin = SignInAs("root@example.org");
  auto me = Me(*ctx_, admin);
  ASSERT_TRUE(me.ok());
  EXPECT_EQ(me->user.email, "root@example.org");
  EXPECT_TRUE(me->user.email_verified);
  ASSERT_EQ(me->memberships.size(), 1u);
  EXPECT_EQ(me->memberships[0].role, core::identity::Role::kPlatformAdmin);
  auto again = CreatePlatformAdmin(*ctx_, {"root@example.org", "Platform Admin", "correct horse battery"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST_F(Accounts, Argon2idHashesWithTheSpecifiedCost) {
  Argon2idPasswordHasher hasher;  // production parameters: t=3, m=64 MiB
  auto hash = hasher.Hash("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(hasher.Verify(*hash, "correct horse battery"));
  EXPECT_FALSE(hasher.Verify(*hash, "correct horse batterz"));
  EXPECT_FALSE(hasher.Verify("garbage", "correct horse battery"));
  EXPECT_FALSE(hasher.NeedsRehash(*hash));
  auto light = hasher_->Hash("correct horse battery");
  ASSERT_TRUE(light.ok());
  EXPECT_TRUE(hasher.NeedsRehash(*light));
  EXPECT_NE(*hasher.Hash("correct horse battery"), *hash);  // salted
}

}  // namespace
}  // namespace cairn::app::identity::testing
