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
      EXPECT_FALSE(policy->allow_district_preferences) << "districts have no say by default";
    }
    return core::Ok();
  });
}

TEST_P(StorageContract, DistrictReviewPreferencesAndTheIssuersThatAllowThem) {
  MustWrite([](Tx& tx) -> core::Status {
    SeedPeople(tx);
    SqlIdentityRepository identity(tx);
    for (const char* id : {"org_district", "org_other_issuer", "org_district_b"}) {
      core::identity::Organization org;
      org.id = id;
      org.name = id;
      org.kind = std::string(id).find("district") != std::string::npos
                     ? core::identity::OrgKind::kDistrict
                     : core::identity::OrgKind::kNonprofit;
      org.issuer = org.kind != core::identity::OrgKind::kDistrict;
      org.created_at = At("2026-11-01T00:00:00Z");
      identity.InsertOrganization(org);
    }
    auto repo = MakeReviewRepository(tx);
    EXPECT_TRUE(repo->ListPoliciesAllowingDistricts().empty());
    EXPECT_FALSE(repo->FindDistrictPreferences("org_district"));
    EXPECT_TRUE(repo->ListDistrictPreferences().empty());

    core::review::ReviewPolicy allowing{"org_issuer", 12, false, 0, At("2026-11-02T00:00:00Z"),
                                        true};
    repo->SavePolicy(allowing);
    repo->SavePolicy({"org_other_issuer", 7, true, 0, At("2026-11-02T00:00:00Z"), false});
    auto listed = repo->ListPoliciesAllowingDistricts();
    EXPECT_EQ(listed.size(), 1u);
    if (!listed.empty()) {
      EXPECT_EQ(listed[0].issuer_id, "org_issuer");
      EXPECT_EQ(listed[0].sla_days, 12);
      EXPECT_TRUE(listed[0].allow_district_preferences);
      EXPECT_EQ(listed[0].updated_at, At("2026-11-02T00:00:00Z"));
    }
    auto found = repo->FindPolicy("org_issuer");
    EXPECT_TRUE(found && found->allow_district_preferences);
    allowing.allow_district_preferences = false;
    repo->SavePolicy(allowing);  // the upsert clears it again
    EXPECT_TRUE(repo->ListPoliciesAllowingDistricts().empty());

    repo->SaveDistrictPreferences(
        {"org_district", 5, true, "usr_a", At("2026-11-03T00:00:00Z")});
    repo->SaveDistrictPreferences(
        {"org_district_b", std::nullopt, false, "usr_b", At("2026-11-03T00:00:00Z")});
    auto a = repo->FindDistrictPreferences("org_district");
    EXPECT_TRUE(a);
    if (a) {
      EXPECT_EQ(a->sla_days, std::optional<int>(5));
      EXPECT_TRUE(a->never_same_district);
      EXPECT_EQ(a->updated_by, "usr_a");
      EXPECT_EQ(a->updated_at, At("2026-11-03T00:00:00Z"));
    }
    auto b = repo->FindDistrictPreferences("org_district_b");
    EXPECT_TRUE(b && !b->sla_days) << "null keeps meaning the issuer's deadline";

    // Replacing: a deadline back to null, the rule off, a new author.
    repo->SaveDistrictPreferences(
        {"org_district", std::nullopt, false, "usr_c", At("2026-11-04T00:00:00Z")});
    auto all = repo->ListDistrictPreferences();
    EXPECT_EQ(all.size(), 2u);
    if (all.size() == 2u) {
      EXPECT_EQ(all[0].district_id, "org_district");
      EXPECT_FALSE(all[0].sla_days);
      EXPECT_FALSE(all[0].never_same_district);
      EXPECT_EQ(all[0].updated_by, "usr_c");
      EXPECT_EQ(all[1].district_id, "org_district_b");
    }
    return core::Ok();
  });
}

TEST_P(StorageContract, DistrictReviewDeadlineOutsideItsRangeIsRefused) {
  MustWrite([](Tx& tx) -> core::Status {
    SeedPeople(tx);
    SqlIdentityRepository identity(tx);
    core::identity::Organization org;
    org.id = "org_district";
    org.name = "District";
    org.kind = core::identity::OrgKind::kDistrict;
    org.created_at = At("2026-11-01T00:00:00Z");
    identity.InsertOrganization(org);
    return core::Ok();
  });
  // The schema holds the 1..60 range even when a caller skips the use case's check.
  auto status = db().Write([](Tx& tx) -> core::Status {
    MakeReviewRepository(tx)->SaveDistrictPreferences(
        {"org_district", 61, false, "usr_a", At("2026-11-03T00:00:00Z")});
    return core::Ok();
  });
  EXPECT_FALSE(status.ok());
  MustRead([](Tx& tx) -> core::Status {
    EXPECT_FALSE(MakeReviewRepository(tx)->FindDistrictPreferences("org_district"));
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
