// Cohen's kappa against tables worked out by hand.
#include "core/review/calibration.hpp"

#include <gtest/gtest.h>

namespace cairn::core::review {
namespace {

AgreementTable Table(int both_earned, int reviewer_only, int decision_only, int both_not_yet) {
  AgreementTable t;
  t.both_earned = both_earned;
  t.reviewer_earned_only = reviewer_only;
  t.decision_earned_only = decision_only;
  t.both_not_yet = both_not_yet;
  return t;
}

TEST(Calibration, TextbookTable) {
  // n = 50, p_o = 35/50 = 0.7; reviewer Earned 25/50, decision Earned 30/50;
  // p_e = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7 − 0.5) / (1 − 0.5) = 0.4.
  const auto c = Calibrate(Table(20, 5, 10, 15));
  EXPECT_EQ(c.decided_reviews, 50);
  ASSERT_TRUE(c.agreement_rate && c.kappa);
  EXPECT_DOUBLE_EQ(*c.agreement_rate, 0.7);
  EXPECT_NEAR(*c.kappa, 0.4, 1e-12);
}

TEST(Calibration, PerfectAgreementIsOne) {
  // p_o = 1; p_e = 0.6² + 0.4² = 0.52; kappa = 0.48 / 0.48 = 1.
  const auto c = Calibrate(Table(3, 0, 0, 2));
  ASSERT_TRUE(c.kappa);
  EXPECT_NEAR(*c.kappa, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(*c.agreement_rate, 1.0);
}

TEST(Calibration, SystematicDisagreementIsMinusOne) {
  // p_o = 0; both sides say Earned half the time, p_e = 0.5; kappa = −0.5 / 0.5 = −1.
  const auto c = Calibrate(Table(0, 2, 2, 0));
  ASSERT_TRUE(c.kappa);
  EXPECT_NEAR(*c.kappa, -1.0, 1e-12);
  EXPECT_DOUBLE_EQ(*c.agreement_rate, 0.0);
}

TEST(Calibration, UnbalancedTable) {
  // n = 10, p_o = 7/10; reviewer Earned 6/10, decision Earned 5/10;
  // p_e = 0.6·0.5 + 0.4·0.5 = 0.5; kappa = 0.2 / 0.5 = 0.4.
  const auto c = Calibrate(Table(4, 2, 1, 3));
  ASSERT_TRUE(c.kappa);
  EXPECT_NEAR(*c.kappa, 0.4, 1e-12);
}

TEST(Calibration, UndefinedWhenChanceAgreementIsCertain) {
  // Everyone always said Earned: p_e = 1, kappa would divide by zero.
  const auto c = Calibrate(Table(4, 0, 0, 0));
  EXPECT_FALSE(c.kappa);
  ASSERT_TRUE(c.agreement_rate);
  EXPECT_DOUBLE_EQ(*c.agreement_rate, 1.0);
}

TEST(Calibration, UndefinedWithFewerThanTwoDecidedReviews) {
  EXPECT_FALSE(Calibrate(Table(0, 0, 0, 0)).kappa);
  EXPECT_FALSE(Calibrate(Table(0, 0, 0, 0)).agreement_rate);
  const auto one = Calibrate(Table(0, 1, 0, 0));
  EXPECT_FALSE(one.kappa);
  ASSERT_TRUE(one.agreement_rate);
  EXPECT_DOUBLE_EQ(*one.agreement_rate, 0.0);
}

TEST(Calibration, AddFillsTheRightCell) {
  AgreementTable t;
  t.Add(true, true);
  t.Add(true, false);
  t.Add(true, false);
  t.Add(false, true);
  t.Add(false, false);
  EXPECT_EQ(t.both_earned, 1);
  EXPECT_EQ(t.reviewer_earned_only, 2);
  EXPECT_EQ(t.decision_earned_only, 1);
  EXPECT_EQ(t.both_not_yet, 1);
  EXPECT_EQ(t.Total(), 5);
}

}  // namespace
}  // namespace cairn::core::review
