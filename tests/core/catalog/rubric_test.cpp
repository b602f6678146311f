#include "core/catalog/rubric.hpp"

#include <gtest/gtest.h>

#include "sample.hpp"

namespace cairn::core::catalog {
namespace {

using testing::FourLevelCriterion;

Rubric ThreeCriteria() {
  Rubric r;
  r.criteria = {FourLevelCriterion("a", "A"), FourLevelCriterion("b", "B"),
                FourLevelCriterion("c", "C")};
  r.earned_rule.level = "meets";
  return r;
}

TEST(Recommend, EarnedWhenEveryCriterionMeetsOrExceeds) {
  auto r = Recommend(ThreeCriteria(), {{"a", "meets"}, {"b", "exceeds"}, {"c", "meets"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, Recommendation::kEarned);
}

TEST(Recommend, NotYetWhenOneCriterionFallsShort) {
  auto r = Recommend(ThreeCriteria(), {{"a", "exceeds"}, {"b", "approaching"}, {"c", "exceeds"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Recommendation::kNotYet);
}

TEST(Recommend, RatingOrderDoesNotMatter) {
  auto r = Recommend(ThreeCriteria(), {{"c", "meets"}, {"a", "meets"}, {"b", "meets"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Recommendation::kEarned);
}

TEST(Recommend, MinimumCriteriaWithFloor) {
  Rubric rubric = ThreeCriteria();
  rubric.earned_rule.minimum_criteria = 2;
  rubric.earned_rule.floor_level = "approaching";
  EXPECT_EQ(*Recommend(rubric, {{"a", "meets"}, {"b", "meets"}, {"c", "approaching"}}),
            Recommendation::kEarned);
  // Two at Meets is enough, but nothing may sit below the floor.
  EXPECT_EQ(*Recommend(rubric, {{"a", "meets"}, {"b", "exceeds"}, {"c", "not-yet"}}),
            Recommendation::kNotYet);
  EXPECT_EQ(*Recommend(rubric, {{"a", "meets"}, {"b", "approaching"}, {"c", "approaching"}}),
            Recommendation::kNotYet);
}

TEST(Recommend, MissingRatingIsAnErrorNotANotYet) {
  auto r = Recommend(ThreeCriteria(), {{"a", "meets"}, {"b", "meets"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].pointer, "/ratings");
  EXPECT_NE(r.error().fields[0].message.find("\"c\""), std::string::npos);
}

TEST(Recommend, UnknownCriterionDuplicateAndUnknownLevelNameTheRating) {
  auto r = Recommend(ThreeCriteria(),
                     {{"a", "meets"}, {"zz", "meets"}, {"a", "meets"}, {"b", "superb"}});
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.error().fields.size(), 3u);
  EXPECT_EQ(r.error().fields[0].pointer, "/ratings/1/criterion_id");
  EXPECT_EQ(r.error().fields[1].pointer, "/ratings/2/criterion_id");
  EXPECT_EQ(r.error().fields[2].pointer, "/ratings/3/level_id");
}

TEST(Recommend, LevelsRankByPositionWithinEachCriterion) {
  Rubric rubric;
  Criterion three;
  three.id = "short";
  three.name = "Short scale";
  three.levels = {
      {"not-yet", "Not yet", "x"}, {"meets", "Meets", "y"}, {"exceeds", "Exceeds", "z"}};
  rubric.criteria = {three, FourLevelCriterion("long", "Long scale")};
  rubric.earned_rule.level = "meets";
  EXPECT_EQ(*Recommend(rubric, {{"short", "meets"}, {"long", "meets"}}), Recommendation::kEarned);
  EXPECT_EQ(*Recommend(rubric, {{"short", "not-yet"}, {"long", "exceeds"}}),
            Recommendation::kNotYet);
}

}  // namespace
}  // namespace cairn::core::catalog
