// A page view reuses a recent verification, for a short while only.
#include <gtest/gtest.h>

#include "app/pages/pages.hpp"

namespace cairn::app::pages {
namespace {

TEST(LiveStatusCache, ReusesAnAnswerWithinItsLifetime) {
  LiveStatusCache cache(std::chrono::seconds(60));
  int calls = 0;
  const LiveVerifier verify = [&](const std::string& json) {
    ++calls;
    return LiveCheck{json == "good" ? LiveStatus::kValid : LiveStatus::kInvalid, json};
  };
  EXPECT_EQ(cache.Get("cred_1", "good", verify).status, LiveStatus::kValid);
  EXPECT_EQ(cache.Get("cred_1", "good", verify).status, LiveStatus::kValid);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(cache.Get("cred_2", "bad", verify).status, LiveStatus::kInvalid);
  EXPECT_EQ(calls, 2);
}

TEST(LiveStatusCache, AnExpiredAnswerIsCheckedAgain) {
  LiveStatusCache cache(std::chrono::seconds(0));
  int calls = 0;
  const LiveVerifier verify = [&](const std::string&) {
    ++calls;
    return LiveCheck{LiveStatus::kValid, ""};
  };
  cache.Get("cred_1", "x", verify);
  cache.Get("cred_1", "x", verify);
  EXPECT_EQ(calls, 2);
}

TEST(LiveStatusCache, StaysBoundedInSize) {
  LiveStatusCache cache(std::chrono::seconds(60), 4);
  int calls = 0;
  const LiveVerifier verify = [&](const std::string&) {
    ++calls;
    return LiveCheck{LiveStatus::kValid, ""};
  };
  for (int i = 0; i < 10; ++i) cache.Get("cred_" + std::to_string(i), "x", verify);
  EXPECT_EQ(calls, 10);
  cache.Get("cred_0", "x", verify);  // evicted by the bound, so verified again
  EXPECT_EQ(calls, 11);
}

TEST(PortfolioHandle, Rules) {
  EXPECT_EQ(CheckHandle("priya-r"), "");
  EXPECT_EQ(CheckHandle("abc"), "");
  EXPECT_NE(CheckHandle("ab"), "");
  EXPECT_NE(CheckHandle(std::string(41, 'a')), "");
  EXPECT_NE(CheckHandle("Priya"), "");
  EXPECT_NE(CheckHandle("-priya"), "");
  EXPECT_NE(CheckHandle("priya-"), "");
  EXPECT_NE(CheckHandle("pri ya"), "");
  EXPECT_NE(CheckHandle("prïya"), "");
}

}  // namespace
}  // namespace cairn::app::pages
