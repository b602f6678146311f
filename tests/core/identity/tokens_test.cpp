#include "core/identity/tokens.hpp"

#include <gtest/gtest.h>

namespace cairn::core::identity {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
const TimePoint kT0{std::chrono::seconds(1'800'000'000)};

TEST(Session, IdleAndAbsoluteExpiry) {
  Session s{"ses_1", "usr_1", "h", kT0, kT0, kT0 + hours(24 * 30)};
  EXPECT_TRUE(s.IsLive(kT0 + minutes(10), hours(12)));
  EXPECT_FALSE(s.IsLive(kT0 + hours(13), hours(12)));  // idle too long
  s.last_seen_at = kT0 + hours(24 * 30) - minutes(1);
  EXPECT_TRUE(s.IsLive(kT0 + hours(24 * 30) - minutes(1), hours(12)));
  EXPECT_FALSE(s.IsLive(kT0 + hours(24 * 30), hours(12)));  // absolute limit, though active
}

TEST(ApiToken, RevokeOnceAndExpiry) {
  ApiToken t;
  t.expires_at = kT0 + hours(1);
  EXPECT_TRUE(t.IsUsable(kT0));
  EXPECT_FALSE(t.IsUsable(kT0 + hours(1)));
  ASSERT_TRUE(t.Revoke(kT0).ok());
  EXPECT_FALSE(t.IsUsable(kT0));
  EXPECT_EQ(t.Revoke(kT0).error().code, ErrorCode::kInvalidState);
}

TEST(EmailToken, UsableOnceForItsPurposeBeforeExpiry) {
  EmailToken t{"h", EmailTokenPurpose::kResetPassword, "usr_1", kT0, kT0 + hours(1), {}};
  EXPECT_FALSE(t.Use(EmailTokenPurpose::kVerifyEmail, kT0).ok());
  EmailToken expired = t;
  auto e = expired.Use(EmailTokenPurpose::kResetPassword, kT0 + hours(1));
  ASSERT_FALSE(e.ok());
  ASSERT_EQ(e.error().fields.size(), 1u);
  EXPECT_EQ(e.error().fields[0].pointer, "/token");
  ASSERT_TRUE(t.Use(EmailTokenPurpose::kResetPassword, kT0).ok());
  EXPECT_EQ(t.used_at, kT0);
  EXPECT_FALSE(t.Use(EmailTokenPurpose::kResetPassword, kT0).ok());
  EXPECT_EQ(ParseEmailTokenPurpose(EmailTokenPurposeName(EmailTokenPurpose::kVerifyEmail)),
            EmailTokenPurpose::kVerifyEmail);
}

TEST(Invitation, AcceptOnceBeforeExpiry) {
  Invitation inv;
  inv.expires_at = kT0 + hours(24);
  EXPECT_FALSE(Invitation(inv).Accept("usr_1", kT0 + hours(24)).ok());
  ASSERT_TRUE(inv.Accept("usr_1", kT0).ok());
  EXPECT_EQ(inv.status, InvitationStatus::kAccepted);
  EXPECT_EQ(inv.accepted_by, "usr_1");
  EXPECT_FALSE(inv.Accept("usr_2", kT0).ok());
  EXPECT_EQ(ParseInvitationStatus("revoked"), InvitationStatus::kRevoked);
}

}  // namespace
}  // namespace cairn::core::identity
