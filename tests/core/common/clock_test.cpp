#include "core/common/clock.hpp"

#include <gtest/gtest.h>

namespace cairn::core {
namespace {

TEST(Time, FormatsAndParsesUtc) {
  TimePoint t;
  ASSERT_TRUE(ParseTime("2026-11-23T03:41:00Z", t));
  EXPECT_EQ(FormatTime(t), "2026-11-23T03:41:00Z");
}

TEST(Time, AppliesOffsetsAndFractions) {
  TimePoint a, b;
  ASSERT_TRUE(ParseTime("2010-01-01T19:23:24.250+02:00", a));
  ASSERT_TRUE(ParseTime("2010-01-01T17:23:24Z", b));
  EXPECT_EQ(a - b, std::chrono::milliseconds(250));
}

TEST(Time, RejectsMalformed) {
  TimePoint t;
  EXPECT_FALSE(ParseTime("2010-13-01T00:00:00Z", t));
  EXPECT_FALSE(ParseTime("2010-02-30T00:00:00Z", t));
  EXPECT_FALSE(ParseTime("2010-01-01T00:00:00", t));
  EXPECT_FALSE(ParseTime("2010-01-01T00:00:00Zjunk", t));
  EXPECT_FALSE(ParseTime("", t));
}

}  // namespace
}  // namespace cairn::core
