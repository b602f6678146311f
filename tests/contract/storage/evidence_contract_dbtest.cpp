// The evidence repository's contract on SQLite and PostgreSQL: enrolments (one open per educator
// and micro-credential), drafts with optimistic revisions and their kept history, frozen
// submissions with their timeline (one open attempt per enrolment), coach sessions, policies.
#include <barrier>
#include <thread>

#include "../../core/catalog/sample.hpp"
#include "core/catalog/codec.hpp"
#include "core/evidence/evidence.hpp"
#include "storage/catalog_repository.hpp"
#include "storage/identity_repository.hpp"
#include "storage/repositories.hpp"
#include "storage_contract.hpp"

namespace cairn::storage {
namespace {

using core::ErrorCode;
using namespace core::evidence;

core::TimePoint At(int minute) {
  core::TimePoint t{};
  core::ParseTime("2026-11-01T08:00:00Z", t);
  return t + std::chrono::minutes(minute);
}

// The rows evidence refers to (users, organisations, a published micro-credential), and evidence
// repository calls in their own transactions.
class EvidenceOn {
 public:
  explicit EvidenceOn(Database& db) : db_(db) {
    auto s = db_.Write([](Tx& tx) -> core::Status {
      SqlIdentityRepository identity(tx);
      core::identity::Organization org;
      org.id = "org_issuer";
      org.name = "Issuer";
      org.kind = core::identity::OrgKind::kNonprofit;
      org.issuer = true;
      org.created_at = At(0);
      identity.InsertOrganization(org);
      org.id = "org_district";
      org.name = "District";
      org.kind = core::identity::OrgKind::kDistrict;
      org.issuer = false;
      identity.InsertOrganization(org);
      for (const char* id : {"usr_ada", "usr_bo", "usr_admin"}) {
        core::identity::User u;
        u.id = id;
        u.email = std::string(id).substr(4) + "@example.org";
        u.display_name = id;
        u.password_hash = "x";
        u.created_at = u.updated_at = At(0);
        identity.InsertUser(u);
      }
      core::catalog::MicroCredential mc;
      mc.id = "mc_exit";
      mc.issuer_id = "org_issuer";
      mc.issuer_name = "Issuer";
      mc.content = core::catalog::testing::SampleContent();
      mc.created_at = mc.updated_at = At(0);
      mc.created_by = "usr_admin";
      SqlCatalogRepository catalog(tx);
      const auto doc = [&] { return core::catalog::EncodeMicroCredential(mc).dump(); };
      if (auto st = catalog.InsertVersion(mc, doc()); !st.ok()) return st;
      if (auto st = mc.Publish(At(1)); !st.ok()) return st;
      return catalog.SaveState(mc, doc());
    });
    EXPECT_TRUE(s.ok()) << Describe(s.error());
  }

  core::Status Write(const std::function<void(EvidenceRepository&)>& fn) {
    return db_.Write([&](Tx& tx) -> core::Status {
      auto repo = MakeEvidenceRepository(tx);
      fn(*repo);
      return core::Ok();
    });
  }
  void Must(const std::function<void(EvidenceRepository&)>& fn) {
    auto s = Write(fn);
    ASSERT_TRUE(s.ok()) << Describe(s.error());
  }

  static Enrolment NewEnrolment(const std::string& id, const std::string& user) {
    Enrolment e;
    e.id = id;
    e.user_id = user;
    e.micro_credential_id = "mc_exit";
    e.version = 1;
    e.issuer_id = "org_issuer";
    e.attempt_cap = 3;
    e.created_at = e.updated_at = At(2);
    return e;
  }

  static Submission NewSubmission(const std::string& id, const std::string& code, int attempt) {
    Submission s;
    s.id = id;
    s.code = code;
    s.enrolment_id = "enr_1";
    s.user_id = "usr_ada";
    s.micro_credential_id = "mc_exit";
    s.version = 1;
    s.issuer_id = "org_issuer";
    s.attempt = attempt;
    s.content.overview = {"My class of 28."};
    s.content.artifacts = {{0, "fil_a", "", "ticket", true, false}};
    s.content.reflection = {"It worked."};
    s.school_id = "";
    s.district_id = "org_district";
    s.submitted_at = At(10 + attempt);
    s.timeline = {{"submitted", s.submitted_at, ""}};
    return s;
  }

 private:
  Database& db_;
};

Draft DraftOf(const std::string& text, std::int64_t revision, int minute) {
  Draft d;
  d.enrolment_id = "enr_1";
  d.revision = revision;
  d.content.overview = {text};
  d.updated_at = At(minute);
  return d;
}

}  // namespace

TEST_P(StorageContract, EvidenceEnrolmentsRoundTripAndOneOpenPerMicroCredential) {
  EvidenceOn ev(db());
  auto e = EvidenceOn::NewEnrolment("enr_1", "usr_ada");
  e.due_at = At(60 * 24 * 30);
  ev.Must([&](EvidenceRepository& r) { r.InsertEnrolment(e); });

  // A second open enrolment of the same educator in the same micro-credential is a conflict.
  auto dup = ev.Write([&](EvidenceRepository& r) {
    r.InsertEnrolment(EvidenceOn::NewEnrolment("enr_2", "usr_ada"));
  });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  // Another educator may enrol.
  ev.Must([&](EvidenceRepository& r) {
    r.InsertEnrolment(EvidenceOn::NewEnrolment("enr_3", "usr_bo"));
  });

  ev.Must([&](EvidenceRepository& r) {
    auto found = r.FindEnrolment("enr_1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->user_id, "usr_ada");
    EXPECT_EQ(found->version, 1);
    EXPECT_EQ(found->attempt_cap, 3);
    ASSERT_TRUE(found->due_at);
    EXPECT_EQ(*found->due_at, *e.due_at);
    EXPECT_EQ(r.FindOpenEnrolment("usr_ada", "mc_exit")->id, "enr_1");
    EXPECT_FALSE(r.FindOpenEnrolment("usr_admin", "mc_exit"));
    EXPECT_FALSE(r.FindEnrolment("enr_missing"));
    EXPECT_EQ(r.ListEnrolments("usr_ada").size(), 1u);
    EXPECT_EQ(r.ListIssuerEnrolments("org_issuer", 10).size(), 2u);
    EXPECT_EQ(r.ListIssuerEnrolments("org_issuer", 1).size(), 1u);

    found->attempts_used = 2;
    found->coach_grants = 1;
    found->state = EnrolmentState::kClosed;
    found->due_at.reset();
    found->updated_at = At(30);
    r.UpdateEnrolment(*found);
    auto again = r.FindEnrolment("enr_1");
    EXPECT_EQ(again->attempts_used, 2);
    EXPECT_EQ(again->coach_grants, 1);
    EXPECT_EQ(again->state, EnrolmentState::kClosed);
    EXPECT_FALSE(again->due_at);
    // A closed enrolment no longer blocks a new one.
    EXPECT_FALSE(r.FindOpenEnrolment("usr_ada", "mc_exit"));
    r.InsertEnrolment(EvidenceOn::NewEnrolment("enr_4", "usr_ada"));
  });
}

TEST_P(StorageContract, EvidenceDraftSavesAreGuardedByRevisionAndKeepHistory) {
  EvidenceOn ev(db());
  ev.Must([&](EvidenceRepository& r) {
    r.InsertEnrolment(EvidenceOn::NewEnrolment("enr_1", "usr_ada"));
    EXPECT_FALSE(r.FindDraft("enr_1"));
    EXPECT_TRUE(r.SaveDraft(DraftOf("first", 1, 3), 0));
    // A second "first save" lost the race.
    EXPECT_FALSE(r.SaveDraft(DraftOf("other tab", 1, 3), 0));
    EXPECT_TRUE(r.SaveDraft(DraftOf("second", 2, 4), 1));
    // Stale: names revision 1 while 2 is stored.
    EXPECT_FALSE(r.SaveDraft(DraftOf("stale", 2, 5), 1));
    auto d = r.FindDraft("enr_1");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->revision, 2);
    EXPECT_EQ(d->content.overview, std::vector<std::string>{"second"});
    EXPECT_EQ(d->submitted_revision, 0);
    r.MarkDraftSubmitted("enr_1", 2);
    EXPECT_EQ(r.FindDraft("enr_1")->submitted_revision, 2);

    auto history = r.ListDraftRevisions("enr_1", 50);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].revision, 2);
    EXPECT_EQ(history[1].revision, 1);
    auto first = r.FindDraftRevision("enr_1", 1);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->content.overview, std::vector<std::string>{"first"});
    EXPECT_FALSE(r.FindDraftRevision("enr_1", 3));
  });
}

TEST_P(StorageContract, EvidenceDraftHistoryKeepsTheNewest200) {
  EvidenceOn ev(db());
  ev.Must([&](EvidenceRepository& r) {
    r.InsertEnrolment(EvidenceOn::NewEnrolment("enr_1", "usr_ada"));
    for (int rev = 1; rev <= EvidenceRepository::kHistoryKept + 5; ++rev)
      ASSERT_TRUE(r.SaveDraft(DraftOf("v" + std::to_string(rev), rev, rev), rev - 1));
    auto history = r.ListDraftRevisions("enr_1", 1000);
    ASSERT_EQ(history.size(), static_cast<std::size_t>(EvidenceRepository::kHistoryKept));
    EXPECT_EQ(history.front().revision, EvidenceRepository::kHistoryKept + 5);
    EXPECT_EQ(history.back().revision, 6);
    EXPECT_FALSE(r.FindDraftRevision("enr_1", 5));
  });
}

TEST_P(StorageContract, EvidenceSubmissionsFreezeContentAndKeepATimeline) {
  EvidenceOn ev(db());
  ev.Must([&](EvidenceRepository& r) {
    r.InsertEnrolment(EvidenceOn::NewEnrolment("enr_1", "usr_ada"));
    r.InsertSubmission(EvidenceOn::NewSubmission("sub_1", "K7QX-42MB", 1));
  });
  // A second open attempt of the same enrolment is refused by the schema.
  auto second = ev.Write([&](EvidenceRepository& r) {
    r.InsertSubmission(EvidenceOn::NewSubmission("sub_2", "AAAA-BBBB", 2));
  });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  // Codes are unique.
  auto same_code = ev.Write([&](EvidenceRepository& r) {
    auto s = r.FindSubmission("sub_1");
    s->state = SubmissionState::kWithdrawn;
    s->timeline.push_back({"withdrawn", At(20), ""});
    r.UpdateSubmission(*s);
    r.InsertSubmission(EvidenceOn::NewSubmission("sub_2", "K7QX-42MB", 2));
  });
  ASSERT_FALSE(same_code.ok());
  EXPECT_EQ(same_code.error().code, ErrorCode::kConflict);

  ev.Must([&](EvidenceRepository& r) {
    auto s = r.FindSubmission("sub_1");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->code, "K7QX-42MB");
    EXPECT_EQ(s->state, SubmissionState::kSubmitted);
    EXPECT_EQ(s->content.artifacts.at(0).file_id, "fil_a");
    EXPECT_TRUE(s->content.artifacts.at(0).shareable);
    EXPECT_EQ(s->district_id, "org_district");
    EXPECT_EQ(s->school_id, "");
    ASSERT_EQ(s->timeline.size(), 1u);

    s->state = SubmissionState::kReturned;
    s->return_reason = "video does not play";
    s->timeline.push_back({"returned", At(30), "video does not play"});
    r.UpdateSubmission(*s);
    r.InsertSubmission(EvidenceOn::NewSubmission("sub_2", "ZZZZ-9999", 2));

    auto back = r.FindSubmission("sub_1");
    EXPECT_EQ(back->state, SubmissionState::kReturned);
    EXPECT_EQ(back->return_reason, "video does not play");
    ASSERT_EQ(back->timeline.size(), 2u);
    EXPECT_EQ(back->timeline[1].state, "returned");
    EXPECT_EQ(back->timeline[1].note, "video does not play");
    EXPECT_EQ(back->timeline[1].at, At(30));

    auto all = r.ListSubmissions("enr_1");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].attempt, 1);
    EXPECT_EQ(all[1].attempt, 2);
    auto waiting = r.ListIssuerSubmissions("org_issuer", {SubmissionState::kSubmitted}, 10);
    ASSERT_EQ(waiting.size(), 1u);
    EXPECT_EQ(waiting[0].id, "sub_2");
    EXPECT_EQ(r.ListIssuerSubmissions("org_issuer", {}, 10).size(), 2u);
    EXPECT_TRUE(r.ListIssuerSubmissions("org_other", {}, 10).empty());
  });
}

TEST_P(StorageContract, EvidenceCoachSessionsAndPolicies) {
  EvidenceOn ev(db());
  ev.Must([&](EvidenceRepository& r) {
    r.InsertEnrolment(EvidenceOn::NewEnrolment("enr_1", "usr_ada"));
    r.InsertCoachSession({"cch_1", "enr_1", "usr_admin", "talked it through", At(40)});
    auto sessions = r.ListCoachSessions("enr_1");
    ASSERT_EQ(sessions.size(), 1u);
    EXPECT_EQ(sessions[0].coach_id, "usr_admin");
    EXPECT_EQ(sessions[0].at, At(40));

    EXPECT_FALSE(r.FindEnrolmentPolicy("org_district"));
    r.SaveEnrolmentPolicy({"org_district", 90, "usr_admin", At(1)});
    EXPECT_EQ(r.FindEnrolmentPolicy("org_district")->days, 90);
    r.SaveEnrolmentPolicy({"org_district", std::nullopt, "usr_admin", At(2)});
    auto p = r.FindEnrolmentPolicy("org_district");
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->days);
    EXPECT_EQ(p->updated_at, At(2));
  });
}

// Two transactions that each check "no attempt is open" and then insert one, released at once:
// exactly one commits, on both backends (the partial unique index backs up the check).
TEST_P(StorageContract, EvidenceConcurrentSubmitsLeaveOneOpenAttempt) {
  EvidenceOn ev(db());
  ev.Must([&](EvidenceRepository& r) {
    r.InsertEnrolment(EvidenceOn::NewEnrolment("enr_1", "usr_ada"));
  });
  for (int round = 0; round < 10; ++round) {
    std::barrier start(2);
    std::vector<core::Status> results(2, core::Ok());
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i)
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        results[i] = db().Write([&](Tx& tx) -> core::Status {
          auto repo = MakeEvidenceRepository(tx);
          auto attempts = repo->ListSubmissions("enr_1");
          for (const auto& s : attempts)
            if (!IsFinal(s.state)) return core::Error::Conflict("an attempt is open");
          const std::string tag = std::to_string(round) + "_" + std::to_string(i);
          repo->InsertSubmission(EvidenceOn::NewSubmission(
              "sub_" + tag, "CODE-" + tag, static_cast<int>(attempts.size()) + 1));
          return core::Ok();
        });
      });
    for (auto& t : threads) t.join();
    const int committed = results[0].ok() + results[1].ok();
    ASSERT_EQ(committed, 1) << "round " << round;
    for (const auto& r : results) {
      if (!r.ok()) {
        EXPECT_EQ(r.error().code, ErrorCode::kConflict) << Describe(r.error());
      }
    }
    ev.Must([&](EvidenceRepository& r) {
      auto all = r.ListSubmissions("enr_1");
      ASSERT_EQ(all.size(), static_cast<std::size_t>(round + 1));
      auto& open = all.back();
      open.state = SubmissionState::kWithdrawn;
      open.timeline.push_back({"withdrawn", At(100 + round), ""});
      r.UpdateSubmission(open);
    });
  }
}

}  // namespace cairn::storage
