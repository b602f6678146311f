// The review's lifecycle verbs and the two rules that read a submission's reviews together.
#include "core/review/review.hpp"

#include <gtest/gtest.h>

namespace cairn::core::review {
namespace {

TimePoint At(int minute) { return TimePoint{} + std::chrono::minutes(minute); }

Review Done(const std::string& id, std::string_view rec, int minute, bool tie_break = false) {
  Review r;
  r.id = id;
  r.tie_break = tie_break;
  EXPECT_TRUE(r.Complete(rec, At(minute)).ok());
  return r;
}

Review WithState(const std::string& id, ReviewState state, bool tie_break = false) {
  Review r;
  r.id = id;
  r.state = state;
  r.tie_break = tie_break;
  return r;
}

TEST(ReviewVerbs, SaveStartsAndBumpsTheRevision) {
  Review r;
  ASSERT_TRUE(r.Save({{"c1", "meets", "ok"}}, "so far", At(1)).ok());
  EXPECT_EQ(r.state, ReviewState::kInProgress);
  EXPECT_EQ(r.revision, 1);
  EXPECT_EQ(r.started_at, At(1));
  ASSERT_TRUE(r.Save({}, "", At(2)).ok());
  EXPECT_EQ(r.started_at, At(1)) << "the first save is when it started";
  EXPECT_EQ(r.revision, 2);
}

TEST(ReviewVerbs, CompletingTwiceIsAConflict) {
  Review r;
  ASSERT_TRUE(r.Complete("earned", At(3)).ok());
  EXPECT_EQ(r.state, ReviewState::kCompleted);
  EXPECT_EQ(r.closed_at, At(3));
  EXPECT_EQ(r.started_at, At(3));
  auto again = r.Complete("earned", At(4));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.Save({}, "", At(5)).error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.Close(ReviewState::kRecused, "late", At(5)).error().code, ErrorCode::kConflict);
}

TEST(ReviewVerbs, CompleteNeedsAKnownRecommendation) {
  Review r;
  EXPECT_EQ(r.Complete("maybe", At(1)).error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(r.state, ReviewState::kAssigned);
}

TEST(ReviewVerbs, ClosedReviewsAcceptNothing) {
  Review r;
  ASSERT_TRUE(r.Close(ReviewState::kRecused, "conflict of interest", At(1)).ok());
  EXPECT_EQ(r.close_reason, "conflict of interest");
  EXPECT_EQ(r.Save({}, "", At(2)).error().code, ErrorCode::kInvalidState);
  EXPECT_EQ(r.Complete("earned", At(2)).error().code, ErrorCode::kInvalidState);
  EXPECT_EQ(r.Close(ReviewState::kCancelled, "", At(2)).error().code, ErrorCode::kInvalidState);
}

TEST(ReviewVerbs, OnlyAnUnstartedReviewIsUnassigned) {
  Review started;
  ASSERT_TRUE(started.Save({}, "", At(1)).ok());
  EXPECT_EQ(started.Close(ReviewState::kUnassigned, "", At(2)).error().code,
            ErrorCode::kInvalidState);
  Review fresh;
  EXPECT_TRUE(fresh.Close(ReviewState::kUnassigned, "", At(2)).ok());
  Review any;
  EXPECT_FALSE(any.Close(ReviewState::kInProgress, "", At(2)).ok());
}

TEST(NeedOf, TwoReviewersAtFirst) {
  EXPECT_EQ(NeedOf({}).missing, 2);
  EXPECT_FALSE(NeedOf({}).tie_break);
  EXPECT_EQ(NeedOf({WithState("a", ReviewState::kAssigned)}).missing, 1);
  // Reviews that left (recused, released, unassigned) free their place.
  EXPECT_EQ(NeedOf({WithState("a", ReviewState::kRecused), WithState("b", ReviewState::kInProgress),
                    WithState("c", ReviewState::kReleased)})
                .missing,
            1);
  EXPECT_EQ(NeedOf({Done("a", "earned", 1), WithState("b", ReviewState::kInProgress)}).missing, 0);
}

TEST(NeedOf, ADisagreementNeedsOneTieBreak) {
  const std::vector<Review> split = {Done("a", "earned", 1), Done("b", "not_yet", 2)};
  EXPECT_EQ(NeedOf(split).missing, 1);
  EXPECT_TRUE(NeedOf(split).tie_break);
  auto with_third = split;
  with_third.push_back(WithState("c", ReviewState::kAssigned, true));
  EXPECT_EQ(NeedOf(with_third).missing, 0);
  auto third_left = split;
  third_left.push_back(WithState("c", ReviewState::kRecused, true));
  EXPECT_EQ(NeedOf(third_left).missing, 1);
  EXPECT_EQ(NeedOf({Done("a", "earned", 1), Done("b", "earned", 2)}).missing, 0);
}

TEST(DecisionOf, AgreementDecidesByTheLaterReview) {
  const auto d = DecisionOf({Done("a", "not_yet", 5), Done("b", "not_yet", 3)});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->decision, "not_yet");
  EXPECT_EQ(d->deciding_review_id, "a");
  EXPECT_FALSE(d->tie_break);
}

TEST(DecisionOf, NothingUntilTwoAgreeOrATieBreakCompletes) {
  EXPECT_FALSE(DecisionOf({}));
  EXPECT_FALSE(DecisionOf({Done("a", "earned", 1), WithState("b", ReviewState::kInProgress)}));
  EXPECT_FALSE(DecisionOf({Done("a", "earned", 1), Done("b", "not_yet", 2)}));
  const auto d =
      DecisionOf({Done("a", "earned", 1), Done("b", "not_yet", 2), Done("c", "earned", 3, true)});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->decision, "earned");
  EXPECT_EQ(d->deciding_review_id, "c");
  EXPECT_TRUE(d->tie_break);
}

TEST(ReviewState, NamesRoundTrip) {
  for (auto s : {ReviewState::kAssigned, ReviewState::kInProgress, ReviewState::kCompleted,
                 ReviewState::kReturned, ReviewState::kRecused, ReviewState::kReleased,
                 ReviewState::kCancelled, ReviewState::kUnassigned})
    EXPECT_EQ(ParseReviewState(ToString(s)), s);
  EXPECT_FALSE(ParseReviewState("done"));
}

}  // namespace
}  // namespace cairn::core::review
