#include "core/review/review_rule.hpp"

#include <gtest/gtest.h>

namespace cairn::core::review {
namespace {

ReviewPolicy Issuer(bool allow, bool never_same_district = false) {
  ReviewPolicy p;
  p.issuer_id = "org_issuer";
  p.sla_days = 14;
  p.never_same_district = never_same_district;
  p.allow_district_preferences = allow;
  return p;
}

DistrictReviewPreferences District(std::optional<int> sla_days, bool never_same_district) {
  DistrictReviewPreferences d;
  d.district_id = "org_district";
  d.sla_days = sla_days;
  d.never_same_district = never_same_district;
  return d;
}

TEST(ReviewRule, TheIssuersPolicyAloneWhenItDoesNotAllowDistrictChoices) {
  const auto district = District(5, true);
  const ReviewRule rule = RuleFor(Issuer(false), &district);
  EXPECT_EQ(rule.sla_days, 14);
  EXPECT_FALSE(rule.never_same_district);
  EXPECT_FALSE(rule.district_applies);
}

TEST(ReviewRule, TheDistrictsDeadlineAndConflictRuleWhereTheIssuerAllowsThem) {
  const auto district = District(5, true);
  const ReviewRule rule = RuleFor(Issuer(true), &district);
  EXPECT_EQ(rule.sla_days, 5);
  EXPECT_TRUE(rule.never_same_district);
  EXPECT_TRUE(rule.district_applies);
}

TEST(ReviewRule, ADistrictCannotLiftTheIssuersRuleAndMayKeepItsDeadline) {
  const auto district = District(std::nullopt, false);
  const ReviewRule rule = RuleFor(Issuer(true, /*never_same_district=*/true), &district);
  EXPECT_EQ(rule.sla_days, 14);
  EXPECT_TRUE(rule.never_same_district);
}

TEST(ReviewRule, NoDistrictMeansTheIssuersPolicy) {
  const ReviewRule rule = RuleFor(Issuer(true), nullptr);
  EXPECT_EQ(rule.sla_days, 14);
  EXPECT_FALSE(rule.district_applies);
}

}  // namespace
}  // namespace cairn::core::review
