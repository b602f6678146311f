// The review repository on both dialects: pool, policy, reviews with optimistic revisions, the
// one-reviewer-per-submission and one-decision-per-submission rules, loads, deadlines, ledger and
// the calibration join.
#include <gtest/gtest.h>

#include "core/review/review_repository.hpp"
#include "storage/identity_repository.hpp"
#include "storage/repositories.hpp"
#include "storage_contract.hpp"

namespace cairn::storage {
namespace {

using core::review::Review;
using core::review::ReviewState;

core::TimePoint At(const char* text) {
  core::TimePoint t{};
  core::ParseTime(text, t);
  return t;
}

void SeedPeople(Tx& tx) {
  SqlIdentityRepository identity(tx);
  core::identity::Organization org;
  org.id = "org_issuer";
  org.name = "Issuer";
  org.kind = core::identity::OrgKind::kNonprofit;
  org.issuer = true;
  org.created_at = At("2026-11-01T00:00:00Z");
  identity.InsertOrganization(org);
  for (const char* id : {"usr_a", "usr_b", "usr_c"}) {
    core::identity::User u;
    u.id = id;
    u.email = std::string(id) + "@example.org";
    u.display_name = id;
    u.password_hash = "x";
    u.created_at = u.updated_at = org.created_at;
    identity.InsertUser(u);
  }
}

Review MakeReview(const std::string& id, const std::string& submission, const std::string& reviewer,
                  const char* due) {
  Review r;
  r.id = id;
  r.submission_id = submission;
  r.issuer_id = "org_issuer";
  r.micro_credential_id = "mc_1";
  r.version = 1;
  r.reviewer_id = reviewer;
  r.assigned_at = At("2026-11-02T00:00:00Z");
  r.due_at = At(due);
  return r;
}

TEST_P(StorageContract, ReviewPoolAndPolicyRoundTrip) {
  MustWrite([](Tx& tx) -> core::Status {
    SeedPeople(tx);
    auto repo = MakeReviewRepository(tx);
    EXPECT_FALSE(repo->FindPolicy("org_issuer"));
    core::review::ReviewerProfile p;
    p.issuer_id = "org_issuer";
    p.user_id = "usr_a";
    p.load_cap = 7;
    p.micro_credential_ids = {"mc_1", "mc_2"};
    p.tags = {"literacy"};
    p.created_at = p.updated_at = At("2026-11-02T00:00:00Z");
    repo->SaveReviewer(p);
    p.tags = {"math", "science"};
    p.micro_credential_ids = {};
    p.active = false;
    repo->SaveReviewer(p);  // replaces, qualifications included
    auto got = repo->FindReviewer("org_issuer", "usr_a");
    EXPECT_TRUE(got);
    if (got) {
      EXPECT_EQ(got->load_cap, 7);
      EXPECT_FALSE(got->active);
      EXPECT_TRUE(got->micro_credential_ids.empty());
      EXPECT_EQ(got->tags, (std::vector<std::string>{"math", "science"}));
    }
    EXPECT_EQ(repo->ListReviewers("org_issuer").size(), 1u);
    EXPECT_TRUE(repo->DeleteReviewer("org_issuer", "usr_a"));
    EXPECT_FALSE(repo->DeleteReviewer("org_issuer", "usr_a"));
    EXPECT_TRUE(repo->ListReviewers("org_issuer").empty());

    repo->SavePolicy({"org_issuer", 5, true, 2500, At("2026-11-02T00:00:00Z")});
    repo->SavePolicy({"org_issuer", 9, true, 3000, At("2026-11-03T00:00:00Z")});
    auto policy = repo->FindPolicy("org_issuer");
    EXPECT_TRUE(policy);
    if (policy) {
      EXPECT_EQ(policy->sla_days, 9);
      EXPECT_TRUE(policy->never_same_district);
      EXPECT_EQ(policy->review_pay_cents, 3000);
    }
    return core::Ok();
  });
}

TEST_P(StorageContract, ReviewRevisionsLoadsAndDeadlines) {
  MustWrite([](Tx& tx) -> core::Status {
    SeedPeople(tx);
    auto repo = MakeReviewRepository(tx);
    repo->InsertReview(MakeReview("rev_1", "sub_1", "usr_a", "2026-11-10T00:00:00Z"));
    repo->InsertReview(MakeReview("rev_2", "sub_1", "usr_b", "2026-11-20T00:00:00Z"));
    repo->InsertReview(MakeReview("rev_3", "sub_2", "usr_a", "2026-11-05T00:00:00Z"));

    auto r = repo->FindReview("rev_1");
    EXPECT_TRUE(r);
    if (!r) return core::Ok();
    r->ratings = {{"c1", "meets", "clear \"evidence\""}, {"c2", "", ""}};
    r->state = ReviewState::kInProgress;
    r->started_at = At("2026-11-03T00:00:00Z");
    r->revision = 1;
    EXPECT_TRUE(repo->UpdateReview(*r, 0));
    EXPECT_FALSE(repo->UpdateReview(*r, 0)) << "a stale revision must not save";
    auto again = repo->FindReview("rev_1");
    EXPECT_EQ(again->ratings.size(), 2u);
    EXPECT_EQ(again->ratings[0].comment, "clear \"evidence\"");
    EXPECT_EQ(again->state, ReviewState::kInProgress);
    EXPECT_TRUE(again->started_at);
    EXPECT_FALSE(again->closed_at);

    EXPECT_EQ(repo->ListSubmissionReviews("sub_1").size(), 2u);
    const auto queue =
        repo->ListReviewerReviews("usr_a", {ReviewState::kAssigned, ReviewState::kInProgress});
    EXPECT_EQ(queue.size(), 2u);
    if (queue.size() == 2) {
      EXPECT_EQ(queue[0].id, "rev_3") << "earliest due first";
    }
    EXPECT_EQ(repo->ListOpenReviews("org_issuer").size(), 3u);
    EXPECT_TRUE(repo->ListOpenReviews("org_other").empty());
    const auto loads = repo->OpenLoads("org_issuer");
    EXPECT_EQ(loads.at("usr_a"), 2);
    EXPECT_EQ(loads.at("usr_b"), 1);

    const auto overdue = repo->ListOverdue(At("2026-11-12T00:00:00Z"), 10);
    EXPECT_EQ(overdue.size(), 2u);
    EXPECT_TRUE(repo->ListOverdue(At("2026-11-01T00:00:00Z"), 10).empty());
    return core::Ok();
  });
}

TEST_P(StorageContract, ReviewerIsOnASubmissionOnce) {
  MustWrite([](Tx& tx) -> core::Status {
    SeedPeople(tx);
    MakeReviewRepository(tx)->InsertReview(
        MakeReview("rev_1", "sub_1", "usr_a", "2026-11-10T00:00:00Z"));
    return core::Ok();
  });
  auto status = db().Write([](Tx& tx) -> core::Status {
    MakeReviewRepository(tx)->InsertReview(
        MakeReview("rev_2", "sub_1", "usr_a", "2026-11-10T00:00:00Z"));
    return core::Ok();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kConflict);
}

TEST_P(StorageContract, OneDecisionPerSubmissionAndCalibrationJoin) {
  MustWrite([](Tx& tx) -> core::Status {
    SeedPeople(tx);
    auto repo = MakeReviewRepository(tx);
    for (auto [id, reviewer, rec] :
         {std::tuple{"rev_1", "usr_a", "earned"}, std::tuple{"rev_2", "usr_b", "not_yet"}}) {
      auto r = MakeReview(id, "sub_1", reviewer, "2026-11-10T00:00:00Z");
      repo->InsertReview(r);
      r.state = ReviewState::kCompleted;
      r.recommendation = rec;
      r.closed_at = At("2026-11-04T00:00:00Z");
      r.revision = 1;
      EXPECT_TRUE(repo->UpdateReview(r, 0));
      repo->InsertLedger({id, reviewer, "org_issuer", "K7QX-42MB", "mc_1", 2500, *r.closed_at});
    }
    EXPECT_TRUE(repo->ListCalibration("org_issuer", "").empty())
        << "undecided reviews do not count";
    repo->InsertDecision(
        {"sub_1", "org_issuer", "earned", false, "rev_1", At("2026-11-05T00:00:00Z")});
    const auto rows = repo->ListCalibration("org_issuer", "");
    EXPECT_EQ(rows.size(), 2u);
    const auto mine = repo->ListCalibration("", "usr_b");
    EXPECT_EQ(mine.size(), 1u);
    if (!mine.empty()) {
      EXPECT_EQ(mine[0].recommendation, "not_yet");
      EXPECT_EQ(mine[0].decision, "earned");
    }
    auto d = repo->FindDecision("sub_1");
    EXPECT_TRUE(d);
    if (d) {
      EXPECT_EQ(d->deciding_review_id, "rev_1");
    }
    const auto ledger = repo->ListLedger("org_issuer");
    EXPECT_EQ(ledger.size(), 2u);
    if (!ledger.empty()) {
      EXPECT_EQ(ledger[0].amount_cents, 2500);
    }
    repo->InsertOverride({"sub_1", "usr_c", "org_issuer", "usr_a", At("2026-11-05T00:00:00Z")});
    return core::Ok();
  });
  auto status = db().Write([](Tx& tx) -> core::Status {
    MakeReviewRepository(tx)->InsertDecision(
        {"sub_1", "org_issuer", "not_yet", true, "rev_2", At("2026-11-06T00:00:00Z")});
    return core::Ok();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kConflict);
}

}  // namespace
}  // namespace cairn::storage
