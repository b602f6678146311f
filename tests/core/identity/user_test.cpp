#include "core/identity/user.hpp"

#include <gtest/gtest.h>

namespace cairn::core::identity {
namespace {

TEST(NormalizeEmail, TrimsAndLowercases) {
  EXPECT_EQ(NormalizeEmail("  Ada.Lovelace@Example.ORG "), "ada.lovelace@example.org");
  EXPECT_EQ(NormalizeEmail("a+tag@sub.example.co.uk"), "a+tag@sub.example.co.uk");
}

TEST(NormalizeEmail, RejectsImplausibleAddresses) {
  for (const char* bad : {"", "plain", "@example.org", "a@", "a@b", "a@@b.org", "a@b@c.org",
                          "a b@example.org", ".a@example.org", "a.@example.org", "a..b@example.org",
                          "a@-x.org", "a@x-.org", "a@x..org", "a@exa_mple.org", "é@example.org",
                          "a@example.org\r\nBcc: x@y.org", "a\"b@example.org"}) {
    EXPECT_FALSE(NormalizeEmail(bad).has_value()) << bad;
  }
  EXPECT_FALSE(NormalizeEmail(std::string(65, 'a') + "@example.org").has_value());
  EXPECT_FALSE(NormalizeEmail("a@" + std::string(250, 'b') + ".org").has_value());
}

TEST(CheckDisplayName, AcceptsUnicodeAndRejectsJunk) {
  EXPECT_EQ(CheckDisplayName("Zoë Ñúñez"), "");
  EXPECT_NE(CheckDisplayName(""), "");
  EXPECT_NE(CheckDisplayName("   "), "");
  EXPECT_NE(CheckDisplayName(" Ada"), "");
  EXPECT_NE(CheckDisplayName("Ada\nBcc"), "");
  EXPECT_EQ(CheckDisplayName(std::string(100, 'x')), "");
  EXPECT_NE(CheckDisplayName(std::string(101, 'x')), "");
  // 100 two-byte characters are 100 characters, not 200.
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "é";
  EXPECT_EQ(CheckDisplayName(accents), "");
}

TEST(CheckPassword, EnforcesLengthAndNotTheEmail) {
  EXPECT_NE(CheckPassword("short", ""), "");
  EXPECT_EQ(CheckPassword("correct horse battery", "ada@example.org"), "");
  EXPECT_NE(CheckPassword("Ada@Example.org", "ada@example.org"), "");
  EXPECT_NE(CheckPassword(std::string(513, 'x'), ""), "");
  EXPECT_EQ(CheckPassword(std::string(512, 'x'), ""), "");
}

TEST(User, VerifyEmailOnlyOnce) {
  User user;
  TimePoint now{std::chrono::seconds(1'700'000'000)};
  ASSERT_TRUE(user.VerifyEmail(now).ok());
  EXPECT_TRUE(user.email_verified);
  EXPECT_EQ(user.updated_at, now);
  auto again = user.VerifyEmail(now);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidState);
}

TEST(User, DisabledAccountCannotChangePassword) {
  User user;
  user.status = UserStatus::kDisabled;
  auto s = user.ChangePassword("x", TimePoint{});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidState);
  EXPECT_EQ(ParseUserStatus(UserStatusName(UserStatus::kDisabled)), UserStatus::kDisabled);
  EXPECT_FALSE(ParseUserStatus("gone").has_value());
}

}  // namespace
}  // namespace cairn::core::identity
