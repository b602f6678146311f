// Blind review end to end: a real Server on an ephemeral port over a real SQLite database, the real
// catalog, evidence, notification and review code. Submissions are placed with the evidence
// repository (the educator's API is the evidence slice's to test); everything after that goes
// through HTTP. Authentication is a test header; the policy check is identity's real PolicySet.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "../http/test_client.hpp"
#include "../support/api_test_support.hpp"
#include "app/catalog/catalog.hpp"
#include "app/identity/policies.hpp"
#include "app/review/review.hpp"
#include "core/catalog/codec.hpp"
#include "core/evidence/evidence.hpp"
#include "core/identity/repository.hpp"
#include "http/handlers/review_handlers.hpp"
#include "http/openapi.hpp"
#include "http/handlers/identity_middleware.hpp"
#include "http/idempotency.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"
#include "storage/identity_repository.hpp"
#include "storage/sql_idempotency_store.hpp"
#include "storage/sql_unit_of_work.hpp"

namespace cairn::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ClientResponse;
using testing::Fetch;
using testing::ParsePrincipal;
using testing::SequentialIds;
using testing::SteppingClock;

// People: an issuer admin; an educator at school s1 (district d1); reviewers at school s2 (d2),
// directly in d2, at school s3 (d1), at school s4 (d2), and one at the educator's own school.
const std::string kAdmin = "usr_admin org_national:issuer_admin";
const std::string kOtherAdmin = "usr_other org_other:issuer_admin";
const std::string kEdu = "usr_edu org_s1:educator";
const std::map<std::string, std::string> kReviewers = {{"usr_r1", "usr_r1 org_s2:reviewer"},
                                                       {"usr_r2", "usr_r2 org_d2:reviewer"},
                                                       {"usr_r3", "usr_r3 org_s3:reviewer"},
                                                       {"usr_r4", "usr_r4 org_s4:reviewer"},
                                                       {"usr_same", "usr_same org_s1:reviewer"}};

class ReviewApi : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cairn-review-api-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = storage::Database::Open("sqlite:" + (dir_ / "cairn.db").string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
    SeedPeople();
    PublishMicroCredential();
    ctx_ = std::make_unique<app::review::ReviewContext>(
        app::review::ReviewContext{*uow_, clock_, ids_, 14, nullptr});
    RegisterReviewRoutes(router_, *ctx_);
    ServerOptions options = testing::TestServerOptions("review-api-test", 4);
    server_ = std::make_unique<testing::RunningServer>(options, router_, TestMiddleware());
    port_ = server_->port();
  }

  void TearDown() override {
    server_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  void SeedPeople() {
    auto status = db_->Write([](storage::Tx& tx) -> core::Status {
      storage::SqlIdentityRepository identity(tx);
      core::TimePoint t{};
      core::ParseTime("2026-11-01T00:00:00Z", t);
      using core::identity::OrgKind;
      for (auto [id, kind, parent, issuer] :
           {std::tuple{"org_national", OrgKind::kNonprofit, "", true},
            std::tuple{"org_other", OrgKind::kNonprofit, "", true},
            std::tuple{"org_d1", OrgKind::kDistrict, "", false},
            std::tuple{"org_d2", OrgKind::kDistrict, "", false},
            std::tuple{"org_s1", OrgKind::kSchool, "org_d1", false},
            std::tuple{"org_s2", OrgKind::kSchool, "org_d2", false},
            std::tuple{"org_s3", OrgKind::kSchool, "org_d1", false},
            std::tuple{"org_s4", OrgKind::kSchool, "org_d2", false}}) {
        core::identity::Organization org;
        org.id = id;
        org.name = std::string("Org ") + id;
        org.kind = kind;
        org.parent_id = parent;
        org.issuer = issuer;
        org.created_at = t;
        identity.InsertOrganization(org);
      }
      auto person = [&](const std::string& id, const std::string& org, core::identity::Role role) {
        core::identity::User u;
        u.id = id;
        u.email = id.substr(4) + "@example.org";
        u.display_name = "Person " + id.substr(4);
        u.password_hash = "x";
        u.created_at = u.updated_at = t;
        identity.InsertUser(u);
        if (!org.empty()) identity.InsertMembership(id, {org, role}, t);
      };
      using core::identity::Role;
      person("usr_admin", "org_national", Role::kIssuerAdmin);
      person("usr_other", "org_other", Role::kIssuerAdmin);
      person("usr_edu", "org_s1", Role::kEducator);
      person("usr_edu2", "org_s2", Role::kEducator);
      person("usr_norole", "org_s2", Role::kEducator);
      person("usr_r1", "org_s2", Role::kReviewer);
      person("usr_r2", "org_d2", Role::kReviewer);
      person("usr_r3", "org_s3", Role::kReviewer);
      person("usr_r4", "org_s4", Role::kReviewer);
      person("usr_same", "org_s1", Role::kReviewer);
      return core::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.error().detail;
  }

  void PublishMicroCredential() {
    std::ifstream in(std::string(CAIRN_SOURCE_DIR) + "/data/demo/microcredentials.json");
    std::stringstream text;
    text << in.rdbuf();
    json body = json::parse(text.str())["micro_credentials"][0];
    body.erase("issuer");
    auto content = core::catalog::DecodeContent(body);
    ASSERT_TRUE(content.ok()) << content.error().message;
    title_ = content->title;
    app::catalog::CatalogContext catalog{*uow_, clock_, ids_};
    auto admin = ParsePrincipal(kAdmin);
    auto draft = app::catalog::CreateDraft(catalog, admin, "org_national", *content);
    ASSERT_TRUE(draft.ok()) << draft.error().message;
    auto published = app::catalog::Publish(catalog, admin, draft->id, draft->revision);
    ASSERT_TRUE(published.ok()) << published.error().message;
    mc_ = draft->id;
  }

  // Places a submitted attempt the way the evidence slice does at submit; returns its id.
  std::string Submit(const std::string& educator = "usr_edu", const std::string& school = "org_s1",
                     const std::string& district = "org_d1") {
    std::string id;
    auto status = uow_->Write([&](core::Transaction& tx) -> core::Status {
      auto e = tx.Evidence().FindOpenEnrolment(educator, mc_);
      if (!e) {
        core::evidence::Enrolment enr;
        enr.id = ids_.NewId("enr");
        enr.user_id = educator;
        enr.micro_credential_id = mc_;
        enr.version = 1;
        enr.issuer_id = "org_national";
        enr.attempt_cap = 10;
        enr.created_at = enr.updated_at = clock_.Now();
        tx.Evidence().InsertEnrolment(enr);
        e = enr;
      }
      e->attempts_used += 1;
      tx.Evidence().UpdateEnrolment(*e);
      core::evidence::Submission s;
      s.id = id = ids_.NewId("sub");
      s.code = "CODE-" + std::to_string(++codes_);
      s.enrolment_id = e->id;
      s.user_id = educator;
      s.micro_credential_id = mc_;
      s.version = 1;
      s.issuer_id = "org_national";
      s.attempt = e->attempts_used;
      s.content.overview = {"Twenty-eight sixth graders, mixed reading levels."};
      s.content.artifacts = {
          {0, "", "https://example.org/lesson-plan", "Lesson plan", true, false},
          {0, "fil_evidence" + std::to_string(codes_), "", "Exit tickets", true, true}};
      s.content.reflection = {"Most students cited evidence by week three."};
      s.school_id = school;
      s.district_id = district;
      s.submitted_at = clock_.Now();
      s.timeline = {{"submitted", s.submitted_at, ""}};
      tx.Evidence().InsertSubmission(s);
      return core::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.error().message << " " << status.error().detail;
    return id;
  }

  // Idempotency last, as in the application: it runs the handler itself.
  std::vector<Middleware> TestMiddleware() {
    auto store = std::make_shared<storage::SqlIdempotencyStore>(
        *db_, storage::IdempotencyStoreOptions{.single_process = true});
    return {testing::HeaderPrincipal(), PolicyMiddleware(policies_, router_),
            IdempotencyMiddleware(store, clock_)};
  }

  ClientResponse Call(std::string_view method, std::string_view target,
                      const std::string& principal = "", const std::string& body = "",
                      std::vector<std::string> headers = {}) {
    if (!principal.empty()) headers.push_back("X-Test-Principal: " + principal);
    if (!body.empty()) headers.push_back("Content-Type: application/json");
    return Fetch(port_, method, target, headers, body);
  }

  json Documented(const ClientResponse& r, const std::string& method, const std::string& pattern) {
    json body;
    if (!r.body.empty() && r.Header("Content-Type").value_or("").find("json") != std::string::npos)
      body = json::parse(r.body);
    for (const auto& problem : ValidateResponse(OpenApiDocument(), method, pattern, r.status, body))
      ADD_FAILURE() << method << " " << pattern << " " << r.status << ": " << problem;
    return body;
  }

  void ExpectProblem(const ClientResponse& r, int status, std::vector<std::string> pointers = {}) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type").value_or(""), "application/problem+json");
    if (pointers.empty()) return;
    std::vector<std::string> got;
    for (const auto& e : json::parse(r.body).value("errors", json::array()))
      got.push_back(e["pointer"]);
    EXPECT_EQ(got, pointers) << r.body;
  }

  void Pool(const std::vector<std::string>& reviewers, int cap = 5) {
    for (const auto& r : reviewers) {
      auto res = Call("PUT", "/api/v1/issuers/org_national/reviewers/" + r, kAdmin,
                      json{{"load_cap", cap}, {"micro_credential_ids", {mc_}}}.dump());
      ASSERT_EQ(res.status, 200) << res.body;
      Documented(res, "PUT", "/api/v1/issuers/{id}/reviewers/{user_id}");
    }
  }

  json RunAssignment() {
    auto res = Call("POST", "/api/v1/issuers/org_national/assignments/run", kAdmin);
    EXPECT_EQ(res.status, 200) << res.body;
    return Documented(res, "POST", "/api/v1/issuers/{id}/assignments/run");
  }

  std::string CodeOf(const std::string& submission) {
    std::string code;
    auto s = uow_->Read([&](core::Transaction& tx) -> core::Status {
      code = tx.Evidence().FindSubmission(submission)->code;
      return core::Ok();
    });
    EXPECT_TRUE(s.ok());
    return code;
  }

  core::evidence::Submission SubmissionOf(const std::string& id) {
    core::evidence::Submission out;
    auto s = uow_->Read([&](core::Transaction& tx) -> core::Status {
      out = *tx.Evidence().FindSubmission(id);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok());
    return out;
  }

  core::evidence::Enrolment EnrolmentOf(const std::string& submission_id) {
    core::evidence::Enrolment out;
    auto s = uow_->Read([&](core::Transaction& tx) -> core::Status {
      out = *tx.Evidence().FindEnrolment(tx.Evidence().FindSubmission(submission_id)->enrolment_id);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok());
    return out;
  }

  // Reviewer user id -> review id, for the reviewers with an open review of this submission.
  std::map<std::string, std::string> OpenReviewsOf(const std::string& submission) {
    const auto code = CodeOf(submission);
    std::map<std::string, std::string> out;
    for (const auto& [user, who] : kReviewers) {
      auto res = Call("GET", "/api/v1/reviews", who);
      EXPECT_EQ(res.status, 200) << res.body;
      const json queue = Documented(res, "GET", "/api/v1/reviews");
      for (const auto& item : queue["items"])
        if (item["code"] == code) out[user] = item["id"];
    }
    return out;
  }

  // Saves every criterion at the lowest level (not yet) or the Earned rule's level (earned);
  // returns the new revision and the recommendation the rubric gives.
  std::pair<std::int64_t, std::string> Rate(const std::string& reviewer, const std::string& review,
                                            bool earned) {
    const auto who = kReviewers.at(reviewer);
    auto got = Call("GET", "/api/v1/reviews/" + review, who);
    EXPECT_EQ(got.status, 200) << got.body;
    const json detail = Documented(got, "GET", "/api/v1/reviews/{id}");
    json ratings = json::array();
    const std::string earned_level = detail["rubric"]["earned_rule"]["level"];
    for (const auto& c : detail["rubric"]["criteria"])
      ratings.push_back(
          {{"criterion_id", c["id"]},
           {"level_id", earned ? earned_level : c["levels"][0]["id"].get<std::string>()},
           {"comment", "Comment by " + reviewer.substr(4)}});
    auto saved = Call("PUT", "/api/v1/reviews/" + review, who,
                      json{{"revision", detail["revision"]},
                           {"ratings", ratings},
                           {"comment", "Overall by " + reviewer.substr(4)}}
                          .dump());
    EXPECT_EQ(saved.status, 200) << saved.body;
    const json after = Documented(saved, "PUT", "/api/v1/reviews/{id}");
    return {after["revision"].get<std::int64_t>(),
            after["suggested_recommendation"].is_string() ? after["suggested_recommendation"] : ""};
  }

  ClientResponse Complete(const std::string& reviewer, const std::string& review,
                          std::int64_t revision, const std::string& rec) {
    return Call("POST", "/api/v1/reviews/" + review + "/complete", kReviewers.at(reviewer),
                json{{"revision", revision}, {"recommendation", rec}}.dump());
  }

  // Rates and completes; returns the completion body.
  json Finish(const std::string& reviewer, const std::string& review, bool earned) {
    auto [revision, rec] = Rate(reviewer, review, earned);
    EXPECT_EQ(rec, earned ? "earned" : "not_yet");
    auto res = Complete(reviewer, review, revision, rec);
    EXPECT_EQ(res.status, 200) << res.body;
    return Documented(res, "POST", "/api/v1/reviews/{id}/complete");
  }

  long long Count(const std::string& sql) {
    long long n = -1;
    auto s = db_->Read([&](storage::Tx& tx) -> core::Status {
      tx.sql() << sql, soci::into(n);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok());
    return n;
  }

  fs::path dir_;
  SteppingClock clock_;
  SequentialIds ids_;
  int codes_ = 0;
  std::string mc_, title_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  std::unique_ptr<app::review::ReviewContext> ctx_;
  app::identity::PolicySet policies_ = app::identity::StandardPolicies();
  Router router_;
  std::unique_ptr<testing::RunningServer> server_;
  unsigned short port_ = 0;
};

TEST_F(ReviewApi, PoolNeedsTheIssuersAdminAndAReviewerRole) {
  const std::string path = "/api/v1/issuers/org_national/reviewers/usr_r1";
  const std::string body = json{{"load_cap", 3}, {"micro_credential_ids", {mc_}}}.dump();
  ExpectProblem(Call("PUT", path, "", body), 401);
  ExpectProblem(Call("PUT", path, kReviewers.at("usr_r1"), body), 403);
  ExpectProblem(Call("PUT", path, kOtherAdmin, body), 403);
  ExpectProblem(Call("PUT", "/api/v1/issuers/org_national/reviewers/usr_norole", kAdmin, body),
                409);
  ExpectProblem(Call("PUT", "/api/v1/issuers/org_national/reviewers/usr_ghost", kAdmin, body), 404);
  ExpectProblem(Call("PUT", "/api/v1/issuers/org_nowhere/reviewers/usr_r1",
                     "usr_root org_x:platform_admin", body),
                404);
  ExpectProblem(Call("PUT", path, kAdmin,
                     json{{"load_cap", 0}, {"micro_credential_ids", {"mc_nope"}}}.dump()),
                422, {"/load_cap"});
  ExpectProblem(Call("PUT", path, kAdmin, json{{"micro_credential_ids", {"mc_nope"}}}.dump()), 422,
                {"/micro_credential_ids/0"});

  auto put = Call("PUT", path, kAdmin, body);
  ASSERT_EQ(put.status, 200) << put.body;
  const json reviewer = Documented(put, "PUT", "/api/v1/issuers/{id}/reviewers/{user_id}");
  EXPECT_EQ(reviewer["load_cap"], 3);
  EXPECT_EQ(reviewer["school_id"], "org_s2");
  EXPECT_EQ(reviewer["district_id"], "org_d2");
  EXPECT_EQ(reviewer["open_load"], 0);
  EXPECT_TRUE(reviewer["calibration"]["kappa"].is_null());

  auto list = Call("GET", "/api/v1/issuers/org_national/reviewers", kAdmin);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Documented(list, "GET", "/api/v1/issuers/{id}/reviewers")["items"].size(), 1u);
  ExpectProblem(Call("GET", "/api/v1/issuers/org_national/reviewers", kOtherAdmin), 403);

  // The people picker lists reviewers, and only them, for this issuer's admins.
  auto candidates = Call("GET", "/api/v1/issuers/org_national/reviewer-candidates", kAdmin);
  ASSERT_EQ(candidates.status, 200) << candidates.body;
  std::set<std::string> ids;
  const json listed = Documented(candidates, "GET", "/api/v1/issuers/{id}/reviewer-candidates");
  for (const auto& c : listed["items"]) ids.insert(c["user_id"].get<std::string>());
  EXPECT_TRUE(ids.count("usr_r1")) << candidates.body;
  EXPECT_FALSE(ids.count("usr_norole"));
  ExpectProblem(Call("GET", "/api/v1/issuers/org_national/reviewer-candidates", kOtherAdmin), 403);

  auto policy = Call("GET", "/api/v1/issuers/org_national/review-policy", kAdmin);
  ASSERT_EQ(policy.status, 200);
  EXPECT_EQ(Documented(policy, "GET", "/api/v1/issuers/{id}/review-policy")["sla_days"], 14);
  auto set = Call("PUT", "/api/v1/issuers/org_national/review-policy", kAdmin,
                  json{{"sla_days", 3}, {"review_pay_cents", 2500}}.dump());
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Documented(set, "PUT", "/api/v1/issuers/{id}/review-policy")["review_pay_cents"], 2500);

  auto del = Call("DELETE", path, kAdmin);
  EXPECT_EQ(del.status, 204);
  ExpectProblem(Call("DELETE", path, kAdmin), 404);
}

TEST_F(ReviewApi, AgreementDecidesAndOnlyAssignedReviewersSeeTheSubmission) {
  Pool({"usr_r1", "usr_r2", "usr_same"});
  const auto sub = Submit();
  const json plan = RunAssignment();
  ASSERT_EQ(plan["assigned"].size(), 2u) << plan.dump();
  auto open = OpenReviewsOf(sub);
  ASSERT_EQ(open.size(), 2u);
  EXPECT_TRUE(open.count("usr_r1") && open.count("usr_r2")) << "never the educator's own school";

  // The issuer admin sees the submission in review with both reviewers and their due dates.
  auto in_flight = Call("GET", "/api/v1/issuers/org_national/submissions", kAdmin);
  ASSERT_EQ(in_flight.status, 200) << in_flight.body;
  const json flight = Documented(in_flight, "GET", "/api/v1/issuers/{id}/submissions");
  ASSERT_EQ(flight["items"].size(), 1u);
  EXPECT_EQ(flight["items"][0]["submission_id"], sub);
  std::set<std::string> reviewers;
  for (const auto& r : flight["items"][0]["reviews"]) {
    reviewers.insert(r["reviewer_id"].get<std::string>());
    EXPECT_FALSE(r["overdue"].get<bool>());
  }
  EXPECT_EQ(reviewers, (std::set<std::string>{"usr_r1", "usr_r2"}));
  ExpectProblem(Call("GET", "/api/v1/issuers/org_national/submissions", kOtherAdmin), 403);

  // Blind: the review names the code, never the educator or their school and district.
  auto got = Call("GET", "/api/v1/reviews/" + open["usr_r1"], kReviewers.at("usr_r1"));
  ASSERT_EQ(got.status, 200);
  const json detail = Documented(got, "GET", "/api/v1/reviews/{id}");
  EXPECT_EQ(detail["code"], CodeOf(sub));
  EXPECT_EQ(detail["earlier_reviews"].size(), 0u);
  EXPECT_EQ(detail["submission"]["artifacts"][1]["content_url"],
            "/api/v1/files/fil_evidence1/content");
  for (const char* secret :
       {"usr_edu", "edu@example.org", "Person edu", "org_s1", "org_d1", sub.c_str()})
    EXPECT_EQ(got.body.find(secret), std::string::npos) << secret << " leaked: " << got.body;

  // Another reviewer, and an admin of another issuer, do not find it.
  ExpectProblem(Call("GET", "/api/v1/reviews/" + open["usr_r1"], kReviewers.at("usr_r3")), 404);
  ExpectProblem(Call("PUT", "/api/v1/reviews/" + open["usr_r1"], kReviewers.at("usr_r2"),
                     json{{"revision", 0}}.dump()),
                404);

  const json first = Finish("usr_r1", open["usr_r1"], true);
  EXPECT_TRUE(first["decision"].is_null());
  EXPECT_EQ(first["submission_state"], "in_review");
  ExpectProblem(Call("GET", "/api/v1/submissions/" + sub + "/feedback", kEdu), 409);

  // The second reviewer still sees nothing of the first review.
  auto second_view = Call("GET", "/api/v1/reviews/" + open["usr_r2"], kReviewers.at("usr_r2"));
  EXPECT_EQ(second_view.body.find("Comment by r1"), std::string::npos);
  EXPECT_EQ(second_view.Json()["earlier_reviews"].size(), 0u);

  const json second = Finish("usr_r2", open["usr_r2"], true);
  EXPECT_EQ(second["decision"], "earned");
  EXPECT_EQ(second["submission_state"], "earned");
  EXPECT_EQ(SubmissionOf(sub).state, core::evidence::SubmissionState::kEarned);
  EXPECT_TRUE(SubmissionOf(sub).decided_at);
  EXPECT_EQ(EnrolmentOf(sub).state, core::evidence::EnrolmentState::kEarned);
  EXPECT_EQ(Count("SELECT count(*) FROM review_decisions"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE "
                  "u.public_id = 'usr_edu' AND kind = "
                  "'submission.decided'"),
            1);

  // Completing again is a conflict.
  ExpectProblem(Complete("usr_r2", open["usr_r2"], 99, "earned"), 409);

  auto fb = Call("GET", "/api/v1/submissions/" + sub + "/feedback", kEdu);
  ASSERT_EQ(fb.status, 200) << fb.body;
  const json feedback = Documented(fb, "GET", "/api/v1/submissions/{id}/feedback");
  EXPECT_EQ(feedback["decision"], "earned");
  EXPECT_FALSE(feedback["tie_break"]);
  EXPECT_EQ(feedback["reviewers"].size(), 2u);
  EXPECT_EQ(feedback["reviewers"][0]["reviewer"], "Reviewer 1");
  EXPECT_EQ(feedback["criteria"][0]["reviews"].size(), 2u);
  EXPECT_EQ(fb.body.find("usr_r1"), std::string::npos) << "reviewers stay anonymous";
  EXPECT_EQ(fb.body.find("usr_r2"), std::string::npos);
  ExpectProblem(Call("GET", "/api/v1/submissions/" + sub + "/feedback", "usr_edu2 org_s2:educator"),
                404);
  EXPECT_EQ(Call("GET", "/api/v1/submissions/" + sub + "/feedback", kAdmin).status, 200);
}

TEST_F(ReviewApi, DisagreementGoesToATieBreakThatSeesBothReviews) {
  Pool({"usr_r1", "usr_r2"});
  const auto sub = Submit();
  RunAssignment();
  auto open = OpenReviewsOf(sub);
  ASSERT_EQ(open.size(), 2u);
  Pool({"usr_r3"});  // joins after the first two were assigned

  Finish("usr_r1", open["usr_r1"], true);
  const json second = Finish("usr_r2", open["usr_r2"], false);
  EXPECT_TRUE(second["decision"].is_null());
  EXPECT_TRUE(second["tie_break_opened"]);
  auto now_open = OpenReviewsOf(sub);
  ASSERT_EQ(now_open.size(), 1u);
  ASSERT_TRUE(now_open.count("usr_r3"));

  auto got = Call("GET", "/api/v1/reviews/" + now_open["usr_r3"], kReviewers.at("usr_r3"));
  ASSERT_EQ(got.status, 200);
  const json detail = Documented(got, "GET", "/api/v1/reviews/{id}");
  EXPECT_TRUE(detail["tie_break"]);
  ASSERT_EQ(detail["earlier_reviews"].size(), 2u);
  EXPECT_EQ(detail["earlier_reviews"][0]["reviewer"], "Reviewer 1");
  EXPECT_EQ(detail["earlier_reviews"][1]["reviewer"], "Reviewer 2");
  EXPECT_EQ(got.body.find("usr_r1"), std::string::npos) << "earlier reviewers stay anonymous";

  const json third = Finish("usr_r3", now_open["usr_r3"], false);
  EXPECT_EQ(third["decision"], "not_yet");
  EXPECT_EQ(SubmissionOf(sub).state, core::evidence::SubmissionState::kNotYet);
  EXPECT_EQ(EnrolmentOf(sub).state, core::evidence::EnrolmentState::kActive);

  auto fb = Call("GET", "/api/v1/submissions/" + sub + "/feedback", kEdu);
  const json feedback = Documented(fb, "GET", "/api/v1/submissions/{id}/feedback");
  EXPECT_TRUE(feedback["tie_break"]);
  ASSERT_EQ(feedback["reviewers"].size(), 3u);
  EXPECT_EQ(feedback["reviewers"][2]["reviewer"], "Reviewer 3");
  EXPECT_TRUE(feedback["reviewers"][2]["tie_break"]);

  // Calibration: r2 and r3 agreed with the decision, r1 did not.
  auto stats = Call("GET", "/api/v1/reviews/stats", kReviewers.at("usr_r1"));
  ASSERT_EQ(stats.status, 200);
  const json mine = Documented(stats, "GET", "/api/v1/reviews/stats");
  EXPECT_EQ(mine["completed_reviews"], 1);
  EXPECT_EQ(mine["calibration"]["agreement_rate"], 0.0);
  EXPECT_TRUE(mine["calibration"]["kappa"].is_null()) << "one decided review: undefined";
}

TEST_F(ReviewApi, ASweepFillsATieBreakNobodyCouldTakeAtFirst) {
  Pool({"usr_r1", "usr_r2"});
  const auto sub = Submit();
  RunAssignment();
  auto open = OpenReviewsOf(sub);
  Finish("usr_r1", open["usr_r1"], true);
  const json second = Finish("usr_r2", open["usr_r2"], false);
  EXPECT_TRUE(second["tie_break_opened"]);
  EXPECT_TRUE(OpenReviewsOf(sub).empty()) << "nobody left in the pool for the tie-break";
  auto none = app::review::RunAssignmentEverywhere(*ctx_);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  Pool({"usr_r4"});
  auto swept = app::review::RunAssignmentEverywhere(*ctx_);
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  EXPECT_EQ(*swept, 1);
  auto now_open = OpenReviewsOf(sub);
  ASSERT_EQ(now_open.size(), 1u);
  ASSERT_TRUE(now_open.count("usr_r4"));
  const json detail =
      Call("GET", "/api/v1/reviews/" + now_open["usr_r4"], kReviewers.at("usr_r4")).Json();
  EXPECT_TRUE(detail["tie_break"]);
  EXPECT_EQ(detail["earlier_reviews"].size(), 2u);
}

TEST_F(ReviewApi, CompletingNeedsEveryCriterionAndTheRubricsRecommendation) {
  Pool({"usr_r1", "usr_r2"});
  const auto sub = Submit();
  RunAssignment();
  auto open = OpenReviewsOf(sub);
  const auto review = open["usr_r1"];
  const auto who = kReviewers.at("usr_r1");

  // A partial save is fine and moves the submission into review.
  auto got = Call("GET", "/api/v1/reviews/" + review, who).Json();
  const auto first_criterion = got["rubric"]["criteria"][0]["id"].get<std::string>();
  const auto level = got["rubric"]["earned_rule"]["level"].get<std::string>();
  auto saved = Call(
      "PUT", "/api/v1/reviews/" + review, who,
      json{{"revision", 0}, {"ratings", {{{"criterion_id", first_criterion}, {"level_id", level}}}}}
          .dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.Json()["state"], "in_progress");
  EXPECT_EQ(SubmissionOf(sub).state, core::evidence::SubmissionState::kInReview);
  EXPECT_EQ(SubmissionOf(sub).timeline.back().state, "in_review");

  ExpectProblem(Call("PUT", "/api/v1/reviews/" + review, who, json{{"revision", 0}}.dump()), 409);
  ExpectProblem(Call("PUT", "/api/v1/reviews/" + review, who,
                     json{{"revision", 1}, {"ratings", {{{"criterion_id", "nope"}}}}}.dump()),
                422, {"/ratings/0/criterion_id"});
  ExpectProblem(Call("PUT", "/api/v1/reviews/" + review, who,
                     json{{"revision", 1},
                          {"ratings", {{{"criterion_id", first_criterion}, {"level_id", "nope"}}}}}
                         .dump()),
                422, {"/ratings/0/level_id"});
  auto incomplete = Complete("usr_r1", review, 1, "earned");
  ExpectProblem(incomplete, 422);
  EXPECT_FALSE(incomplete.Json()["errors"].empty());

  // Levels without comments: the feedback would be empty, so completing is refused.
  json bare = json::array();
  for (const auto& c : got["rubric"]["criteria"])
    bare.push_back({{"criterion_id", c["id"]}, {"level_id", level}});
  auto no_comments = Call("PUT", "/api/v1/reviews/" + review, who,
                          json{{"revision", 1}, {"ratings", bare}}.dump());
  ASSERT_EQ(no_comments.status, 200) << no_comments.body;
  std::vector<std::string> comment_pointers;
  for (std::size_t i = 0; i < bare.size(); ++i)
    comment_pointers.push_back("/ratings/" + std::to_string(i) + "/comment");
  ExpectProblem(Complete("usr_r1", review, 2, "earned"), 422, comment_pointers);

  auto [revision, rec] = Rate("usr_r1", review, true);
  ASSERT_EQ(rec, "earned");
  ExpectProblem(Complete("usr_r1", review, revision, "not_yet"), 422, {"/recommendation"});
  ExpectProblem(Complete("usr_r1", review, revision - 1, "earned"), 409);
  EXPECT_EQ(Complete("usr_r1", review, revision, "earned").status, 200);
  ExpectProblem(Complete("usr_r1", review, revision + 1, "earned"), 409);
}

TEST_F(ReviewApi, ReturnGivesTheAttemptBackAndCancelsTheOtherReview) {
  Pool({"usr_r1", "usr_r2"});
  const auto sub = Submit();
  RunAssignment();
  auto open = OpenReviewsOf(sub);
  ASSERT_EQ(EnrolmentOf(sub).attempts_used, 1);
  ExpectProblem(Call("POST", "/api/v1/reviews/" + open["usr_r1"] + "/return",
                     kReviewers.at("usr_r1"), json{{"reason", "boring"}}.dump()),
                422, {"/reason"});
  auto ret = Call("POST", "/api/v1/reviews/" + open["usr_r1"] + "/return", kReviewers.at("usr_r1"),
                  json{{"reason", "unplayable"}, {"note", "The video does not start."}}.dump());
  ASSERT_EQ(ret.status, 200) << ret.body;
  EXPECT_EQ(Documented(ret, "POST", "/api/v1/reviews/{id}/return")["state"], "returned");
  const auto s = SubmissionOf(sub);
  EXPECT_EQ(s.state, core::evidence::SubmissionState::kReturned);
  EXPECT_EQ(s.return_reason, "unplayable");
  EXPECT_EQ(EnrolmentOf(sub).attempts_used, 0) << "a returned attempt does not count";
  EXPECT_TRUE(OpenReviewsOf(sub).empty()) << "the other review is cancelled";
  ExpectProblem(Call("PUT", "/api/v1/reviews/" + open["usr_r2"], kReviewers.at("usr_r2"),
                     json{{"revision", 0}}.dump()),
                409);
  EXPECT_EQ(Count("SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE "
                  "u.public_id = 'usr_edu' AND kind = "
                  "'submission.returned'"),
            1);
  auto fb = Call("GET", "/api/v1/submissions/" + sub + "/feedback", kEdu);
  ASSERT_EQ(fb.status, 200) << fb.body;
  EXPECT_EQ(Documented(fb, "GET", "/api/v1/submissions/{id}/feedback")["return_reason"],
            "unplayable");
}

TEST_F(ReviewApi, WithdrawnSubmissionsReviewsAreCancelled) {
  Pool({"usr_r1", "usr_r2"}, 1);
  const auto sub = Submit();
  RunAssignment();
  auto open = OpenReviewsOf(sub);
  ASSERT_EQ(open.size(), 2u);
  // What the evidence slice does on withdraw: it only flips the submission.
  auto status = uow_->Write([&](core::Transaction& tx) -> core::Status {
    auto s = tx.Evidence().FindSubmission(sub);
    s->state = core::evidence::SubmissionState::kWithdrawn;
    s->timeline.push_back({"withdrawn", clock_.Now(), ""});
    tx.Evidence().UpdateSubmission(*s);
    return core::Ok();
  });
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(OpenReviewsOf(sub).empty()) << "no work for anyone now";
  ExpectProblem(Call("PUT", "/api/v1/reviews/" + open["usr_r1"], kReviewers.at("usr_r1"),
                     json{{"revision", 0}}.dump()),
                409);
  ExpectProblem(Complete("usr_r2", open["usr_r2"], 0, "earned"), 409);

  // The next run closes them, so the reviewers' capacity (cap 1) serves the next submission.
  const auto next = Submit();
  const json plan = RunAssignment();
  EXPECT_EQ(plan["assigned"].size(), 2u) << plan.dump();
  EXPECT_EQ(
      Call("GET", "/api/v1/reviews/" + open["usr_r1"], kReviewers.at("usr_r1")).Json()["state"],
      "cancelled");
  EXPECT_EQ(OpenReviewsOf(next).size(), 2u);
}

TEST_F(ReviewApi, RecuseAssignsAReplacement) {
  Pool({"usr_r1", "usr_r2", "usr_r3"});
  const auto sub = Submit();
  RunAssignment();
  auto open = OpenReviewsOf(sub);
  ASSERT_EQ(open.size(), 2u);
  const std::string leaving = open.begin()->first;
  auto rec = Call("POST", "/api/v1/reviews/" + open[leaving] + "/recuse", kReviewers.at(leaving),
                  json{{"reason", "I coached this teacher last year."}}.dump());
  ASSERT_EQ(rec.status, 200) << rec.body;
  EXPECT_EQ(Documented(rec, "POST", "/api/v1/reviews/{id}/recuse")["state"], "recused");
  auto after = OpenReviewsOf(sub);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_FALSE(after.count(leaving));
  EXPECT_TRUE(after.count("usr_r3") || open.count("usr_r3"));
}

TEST_F(ReviewApi, OverdueReviewsAreReleasedAndReassigned) {
  Pool({"usr_r1", "usr_r2", "usr_r3"});
  auto policy = Call("PUT", "/api/v1/issuers/org_national/review-policy", kAdmin,
                     json{{"sla_days", 2}}.dump());
  ASSERT_EQ(policy.status, 200);
  const auto sub = Submit();
  RunAssignment();
  auto open = OpenReviewsOf(sub);
  ASSERT_EQ(open.size(), 2u);
  const std::string late = open.begin()->first, prompt = std::next(open.begin())->first;
  Finish(prompt, open[prompt], true);

  auto none = app::review::ReleaseOverdue(*ctx_, clock_.Now());
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->released, 0);

  clock_.Jump(std::chrono::hours(24 * 3));
  auto queue = Call("GET", "/api/v1/reviews", kReviewers.at(late)).Json();
  ASSERT_EQ(queue["items"].size(), 1u);
  EXPECT_TRUE(queue["items"][0]["overdue"]);

  auto out = app::review::ReleaseOverdue(*ctx_, clock_.Now());
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->released, 1);
  EXPECT_EQ(out->reassigned, 1);
  auto after = OpenReviewsOf(sub);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_FALSE(after.count(late)) << "the late reviewer is not given it again";
  EXPECT_EQ(Count("SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE "
                  "u.public_id = '" +
                  late + "' AND kind = 'review.overdue'"),
            1);
  auto gone = Call("GET", "/api/v1/reviews/" + open[late], kReviewers.at(late));
  EXPECT_EQ(gone.Json()["state"], "released");
}

TEST_F(ReviewApi, OverrideAssignsTheChosenReviewerAndUnassignTakesItBack) {
  Pool({"usr_r1"});
  Pool({"usr_same"});
  const auto sub = Submit();
  const std::string path = "/api/v1/submissions/" + sub + "/reviewers";
  ExpectProblem(Call("POST", path, kOtherAdmin, json{{"reviewer_id", "usr_r1"}}.dump()), 404);
  ExpectProblem(Call("POST", path, kAdmin, json{{"reviewer_id", "usr_r2"}}.dump()), 422,
                {"/reviewer_id"});
  // An override is kept across the school rule: that is what it is for.
  auto res = Call("POST", path, kAdmin, json{{"reviewer_id", "usr_same"}}.dump());
  ASSERT_EQ(res.status, 201) << res.body;
  const json planned = Documented(res, "POST", "/api/v1/submissions/{id}/reviewers");
  EXPECT_TRUE(planned["by_override"]);
  ExpectProblem(Call("POST", path, kAdmin, json{{"reviewer_id", "usr_same"}}.dump()), 409);
  EXPECT_EQ(Count("SELECT count(*) FROM assignment_overrides"), 1);
  EXPECT_EQ(OpenReviewsOf(sub).count("usr_same"), 1u);

  const json plan = RunAssignment();
  EXPECT_EQ(plan["assigned"].size(), 1u) << "one more slot, for usr_r1";
  ExpectProblem(Call("POST", path, kAdmin, json{{"reviewer_id", "usr_r4"}}.dump()), 422);
  Pool({"usr_r4"});
  ExpectProblem(Call("POST", path, kAdmin, json{{"reviewer_id", "usr_r4"}}.dump()), 409);

  EXPECT_EQ(Call("DELETE", path + "/usr_same", kAdmin).status, 204);
  EXPECT_FALSE(OpenReviewsOf(sub).count("usr_same"));
  ExpectProblem(Call("DELETE", path + "/usr_same", kAdmin), 409);
  ExpectProblem(Call("DELETE", path + "/usr_r2", kAdmin), 404);
  auto assigned = Call("POST", path, kAdmin, json{{"reviewer_id", "usr_r4"}}.dump());
  EXPECT_EQ(assigned.status, 201) << assigned.body;
}

TEST_F(ReviewApi, PlanReportsWhySlotsStayOpen) {
  Pool({"usr_same"});  // the only reviewer works at the educator's school
  const auto sub = Submit();
  const json plan = RunAssignment();
  EXPECT_EQ(plan["assigned"].size(), 0u);
  ASSERT_EQ(plan["unassigned"].size(), 1u);
  EXPECT_EQ(plan["unassigned"][0]["submission_id"], sub);
  EXPECT_EQ(plan["unassigned"][0]["missing"], 2);
  EXPECT_EQ(plan["unassigned"][0]["reason"], "no_eligible_reviewer");
}

TEST_F(ReviewApi, NeverSameDistrictKeepsReviewsAcrossDistricts) {
  Pool({"usr_r3"});  // another school of the educator's district
  ASSERT_EQ(Call("PUT", "/api/v1/issuers/org_national/review-policy", kAdmin,
                 json{{"never_same_district", true}}.dump())
                .status,
            200);
  const auto sub = Submit();
  json plan = RunAssignment();
  EXPECT_EQ(plan["assigned"].size(), 0u);
  ASSERT_EQ(plan["unassigned"].size(), 1u);
  EXPECT_EQ(plan["unassigned"][0]["reason"], "no_eligible_reviewer");
  ASSERT_EQ(Call("PUT", "/api/v1/issuers/org_national/review-policy", kAdmin,
                 json{{"never_same_district", false}}.dump())
                .status,
            200);
  plan = RunAssignment();
  ASSERT_EQ(plan["assigned"].size(), 1u);
  EXPECT_EQ(plan["assigned"][0]["reviewer_id"], "usr_r3");
  EXPECT_EQ(plan["unassigned"][0]["reason"], "too_few_eligible_reviewers");
  EXPECT_EQ(OpenReviewsOf(sub).count("usr_r3"), 1u);
}

TEST_F(ReviewApi, LedgerPaysCompletedReviews) {
  Pool({"usr_r1", "usr_r2"});
  Call("PUT", "/api/v1/issuers/org_national/review-policy", kAdmin,
       json{{"review_pay_cents", 4000}}.dump());
  const auto sub = Submit();
  RunAssignment();
  auto open = OpenReviewsOf(sub);
  Finish("usr_r1", open["usr_r1"], true);
  Finish("usr_r2", open["usr_r2"], true);
  auto ledger = Call("GET", "/api/v1/issuers/org_national/ledger", kAdmin);
  ASSERT_EQ(ledger.status, 200);
  const json body = Documented(ledger, "GET", "/api/v1/issuers/{id}/ledger");
  EXPECT_EQ(body["items"].size(), 2u);
  EXPECT_EQ(body["total_cents"], 8000);
  auto csv = Call("GET", "/api/v1/issuers/org_national/ledger?format=csv", kAdmin);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("Content-Type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("review_id,reviewer_id,reviewer_name"), std::string::npos);
  EXPECT_NE(csv.body.find(",4000,"), std::string::npos);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 3);
  ExpectProblem(Call("GET", "/api/v1/issuers/org_national/ledger?format=xml", kAdmin), 400);
  ExpectProblem(Call("GET", "/api/v1/issuers/org_national/ledger", kOtherAdmin), 403);

  auto list = Call("GET", "/api/v1/issuers/org_national/reviewers", kAdmin).Json();
  for (const auto& r : list["items"]) {
    EXPECT_EQ(r["completed_reviews"], 1);
    EXPECT_EQ(r["calibration"]["agreement_rate"], 1.0);
  }
}

TEST_F(ReviewApi, FileAccessFollowsTheReview) {
  Pool({"usr_r1", "usr_r2"});
  const auto sub = Submit();
  RunAssignment();
  const auto s = SubmissionOf(sub);
  core::evidence::EvidenceFile file;
  file.id = s.content.artifacts[1].file_id;
  file.enrolment_id = s.enrolment_id;
  file.owner_id = "usr_edu";
  core::evidence::EvidenceFile other = file;
  other.id = "fil_not_in_the_submission";
  auto role = [&](const std::string& who, const core::evidence::EvidenceFile& f) {
    app::review::FileRole out = app::review::FileRole::kNone;
    EXPECT_TRUE(uow_->Read([&](core::Transaction& tx) -> core::Status {
                      out = app::review::FileAccessFor(tx, ParsePrincipal(who), f);
                      return core::Ok();
                    })
                    .ok());
    return out;
  };
  EXPECT_EQ(role(kReviewers.at("usr_r1"), file), app::review::FileRole::kReviewer);
  EXPECT_EQ(role(kReviewers.at("usr_r1"), other), app::review::FileRole::kNone);
  EXPECT_EQ(role(kReviewers.at("usr_r3"), file), app::review::FileRole::kNone);
  EXPECT_EQ(role(kAdmin, file), app::review::FileRole::kIssuerAdmin);
  EXPECT_EQ(role(kOtherAdmin, file), app::review::FileRole::kNone);
  auto open = OpenReviewsOf(sub);
  Finish("usr_r1", open["usr_r1"], true);
  Finish("usr_r2", open["usr_r2"], true);
  EXPECT_EQ(role(kReviewers.at("usr_r1"), file), app::review::FileRole::kNone)
      << "after the decision the reviewer's access ends";
}

TEST_F(ReviewApi, RacingCompletionsLeaveExactlyOneDecision) {
  Pool({"usr_r1", "usr_r2"}, 50);
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const auto sub = Submit("usr_edu" + std::string(round % 2 ? "2" : ""),
                            round % 2 ? "org_s3" : "org_s1", "org_d1");
    RunAssignment();
    auto open = OpenReviewsOf(sub);
    ASSERT_EQ(open.size(), 2u) << "round " << round;
    auto [rev1, rec1] = Rate("usr_r1", open["usr_r1"], round % 3 != 0);
    auto [rev2, rec2] = Rate("usr_r2", open["usr_r2"], round % 3 != 0);
    std::barrier start(2);
    ClientResponse a, b;
    std::thread t1([&, rev = rev1, rec = rec1] {
      start.arrive_and_wait();
      a = Complete("usr_r1", open["usr_r1"], rev, rec);
    });
    std::thread t2([&, rev = rev2, rec = rec2] {
      start.arrive_and_wait();
      b = Complete("usr_r2", open["usr_r2"], rev, rec);
    });
    t1.join();
    t2.join();
    EXPECT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(b.status, 200) << b.body;
    const int decided =
        (a.Json()["decision"].is_string() ? 1 : 0) + (b.Json()["decision"].is_string() ? 1 : 0);
    EXPECT_EQ(decided, 1) << "round " << round << ": " << a.body << " / " << b.body;
    EXPECT_EQ(Count("SELECT count(*) FROM review_decisions WHERE submission_id = '" + sub + "'"),
              1);
    EXPECT_TRUE(core::evidence::IsFinal(SubmissionOf(sub).state));
  }
  EXPECT_EQ(Count("SELECT count(*) FROM review_decisions"), kRounds);
}


// ---- districts' review preferences ----

const std::string kDistrictAdmin = "usr_dadmin org_d1:district_admin";
const std::string kOtherDistrictAdmin = "usr_dadmin2 org_d2:district_admin";
const std::string kRoot = "usr_root org_x:platform_admin";
const std::string kPrefs = "/api/v1/organizations/org_d1/review-preferences";
const std::string kPolicy = "/api/v1/issuers/org_national/review-policy";

TEST_F(ReviewApi, DistrictPreferencesBelongToTheDistrictsAdmins) {
  const std::string body = json{{"sla_days", 5}, {"never_same_district", true}}.dump();
  ExpectProblem(Call("GET", kPrefs), 401);
  ExpectProblem(Call("PUT", kPrefs, "", body), 401);
  ExpectProblem(Call("GET", kPrefs, kEdu), 403);
  ExpectProblem(Call("PUT", kPrefs, kAdmin, body), 403);  // an issuer admin is no district admin
  ExpectProblem(Call("GET", kPrefs, kOtherDistrictAdmin), 404);
  ExpectProblem(Call("PUT", kPrefs, kOtherDistrictAdmin, body), 404);
  ExpectProblem(Call("PUT", "/api/v1/organizations/org_s1/review-preferences", kRoot, body), 404);
  ExpectProblem(Call("GET", "/api/v1/organizations/org_nowhere/review-preferences", kRoot), 404);

  auto fresh = Call("GET", kPrefs, kDistrictAdmin);
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  const json none = Documented(fresh, "GET", "/api/v1/organizations/{id}/review-preferences");
  EXPECT_EQ(none["district_id"], "org_d1");
  EXPECT_TRUE(none["sla_days"].is_null());
  EXPECT_FALSE(none["never_same_district"]);
  EXPECT_TRUE(none["updated_at"].is_null());
  EXPECT_TRUE(none["honoured_by"].empty()) << "no issuer allows district preferences yet";

  auto saved = Call("PUT", kPrefs, kDistrictAdmin, body);
  ASSERT_EQ(saved.status, 200) << saved.body;
  const json mine = Documented(saved, "PUT", "/api/v1/organizations/{id}/review-preferences");
  EXPECT_EQ(mine["sla_days"], 5);
  EXPECT_TRUE(mine["never_same_district"]);
  EXPECT_TRUE(mine["updated_at"].is_string());
  auto by_root = Call("GET", kPrefs, kRoot);
  EXPECT_EQ(by_root.status, 200);
  EXPECT_EQ(by_root.Json()["sla_days"], 5);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = "
                  "'district_review_preferences.update' AND entity_id = 'org_d1' AND actor_id = "
                  "'usr_dadmin'"),
            1);

  // null gives the deadline back to each issuer.
  auto cleared = Call("PUT", kPrefs, kDistrictAdmin,
                      json{{"sla_days", nullptr}, {"never_same_district", false}}.dump());
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.Json()["sla_days"].is_null());
  EXPECT_EQ(Count("SELECT count(*) FROM district_review_preferences WHERE sla_days IS NULL"), 1);
}

TEST_F(ReviewApi, DistrictPreferencesRefuseBadValuesByPointer) {
  ExpectProblem(Call("PUT", kPrefs, kDistrictAdmin,
                     json{{"sla_days", 0}, {"never_same_district", true}}.dump()),
                422, {"/sla_days"});
  ExpectProblem(Call("PUT", kPrefs, kDistrictAdmin,
                     json{{"sla_days", 61}, {"never_same_district", true}}.dump()),
                422, {"/sla_days"});
  ExpectProblem(Call("PUT", kPrefs, kDistrictAdmin,
                     json{{"sla_days", "soon"}, {"never_same_district", "yes"}}.dump()),
                422, {"/sla_days", "/never_same_district"});
  ExpectProblem(Call("PUT", kPrefs, kDistrictAdmin, json::object().dump()), 422,
                {"/sla_days", "/never_same_district"});
  ExpectProblem(Call("PUT", kPrefs, kDistrictAdmin,
                     json{{"sla_days", 3}, {"never_same_district", true}, {"pay", 1}}.dump()),
                422, {"/pay"});
  ExpectProblem(Call("PUT", kPrefs, kDistrictAdmin, "[1, 2]"), 400);
  ExpectProblem(Call("PUT", kPrefs, kDistrictAdmin, "{\"sla_days\": "), 400);
  EXPECT_EQ(Count("SELECT count(*) FROM district_review_preferences"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = "
                  "'district_review_preferences.update'"),
            0);
}

TEST_F(ReviewApi, DistrictPreferencesReplayWithTheSameIdempotencyKey) {
  const std::string body = json{{"sla_days", 7}, {"never_same_district", false}}.dump();
  const std::vector<std::string> key = {"Idempotency-Key: \"prefs-1\""};
  auto first = Call("PUT", kPrefs, kDistrictAdmin, body, key);
  ASSERT_EQ(first.status, 200) << first.body;
  auto again = Call("PUT", kPrefs, kDistrictAdmin, body, key);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Header("Idempotent-Replayed").value_or(""), "true");
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = "
                  "'district_review_preferences.update'"),
            1)
      << "the repeat did not run again";
  ExpectProblem(Call("PUT", kPrefs, kDistrictAdmin,
                     json{{"sla_days", 9}, {"never_same_district", false}}.dump(), key),
                422);
}

TEST_F(ReviewApi, IssuerPolicyAndDistrictScreenSayWhichRuleApplies) {
  ASSERT_EQ(Call("PUT", kPrefs, kDistrictAdmin,
                 json{{"sla_days", 5}, {"never_same_district", true}}.dump())
                .status,
            200);
  auto before = Call("GET", kPolicy, kAdmin);
  ASSERT_EQ(before.status, 200);
  json policy = Documented(before, "GET", "/api/v1/issuers/{id}/review-policy");
  EXPECT_FALSE(policy["allow_district_preferences"]);
  ASSERT_EQ(policy["districts"].size(), 1u);
  EXPECT_EQ(policy["districts"][0]["district_id"], "org_d1");
  EXPECT_EQ(policy["districts"][0]["name"], "Org org_d1");
  EXPECT_FALSE(policy["districts"][0]["applies"]);
  EXPECT_EQ(policy["districts"][0]["effective"],
            (json{{"sla_days", 14}, {"never_same_district", false}, {"deadline_from", "issuer"}}));

  auto allowed = Call("PUT", kPolicy, kAdmin,
                      json{{"sla_days", 10}, {"allow_district_preferences", true}}.dump());
  ASSERT_EQ(allowed.status, 200) << allowed.body;
  policy = Documented(allowed, "PUT", "/api/v1/issuers/{id}/review-policy");
  EXPECT_TRUE(policy["allow_district_preferences"]);
  EXPECT_TRUE(policy["districts"][0]["applies"]);
  EXPECT_EQ(policy["districts"][0]["effective"],
            (json{{"sla_days", 5}, {"never_same_district", true}, {"deadline_from", "district"}}));
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'review_policy.update' AND "
                  "detail LIKE '%\"allow_district_preferences\":true%'"),
            1);

  auto screen = Call("GET", kPrefs, kDistrictAdmin);
  ASSERT_EQ(screen.status, 200);
  const json prefs = Documented(screen, "GET", "/api/v1/organizations/{id}/review-preferences");
  ASSERT_EQ(prefs["honoured_by"].size(), 1u) << "org_other never allowed district preferences";
  const json& national = prefs["honoured_by"][0];
  EXPECT_EQ(national["issuer_id"], "org_national");
  EXPECT_EQ(national["sla_days"], 10);
  EXPECT_FALSE(national["never_same_district"]);
  EXPECT_EQ(national["effective"]["sla_days"], 5);
  EXPECT_TRUE(national["effective"]["never_same_district"]);

  // Taking the permission back leaves the district's choices stored but without effect.
  ASSERT_EQ(Call("PUT", kPolicy, kAdmin, json{{"sla_days", 10}}.dump()).status, 200);
  EXPECT_TRUE(Call("GET", kPrefs, kDistrictAdmin).Json()["honoured_by"].empty());
  EXPECT_EQ(Call("GET", kPrefs, kDistrictAdmin).Json()["sla_days"], 5);
}

// The review's due date in days after its assignment, read from the reviewer's queue.
double DueDays(const json& queue_item) {
  core::TimePoint assigned{}, due{};
  core::ParseTime(queue_item["assigned_at"].get<std::string>(), assigned);
  core::ParseTime(queue_item["due_at"].get<std::string>(), due);
  return std::chrono::duration<double>(due - assigned).count() / 86400.0;
}

TEST_F(ReviewApi, SameDistrictReviewerIsSkippedOnlyWhenTheIssuerAllowsAndTheDistrictAsks) {
  // usr_r3 works at another school of the educator's district d1; usr_r1 is in district d2.
  Pool({"usr_r3", "usr_r1"}, 50);
  auto due_of = [&](const std::string& reviewer, const std::string& submission) {
    const auto code = CodeOf(submission);
    const json queue = Call("GET", "/api/v1/reviews", kReviewers.at(reviewer)).Json();
    for (const auto& item : queue["items"])
      if (item["code"] == code) return DueDays(item);
    ADD_FAILURE() << reviewer << " has no review of " << code;
    return -1.0;
  };
  ASSERT_EQ(Call("PUT", kPrefs, kDistrictAdmin,
                 json{{"sla_days", 5}, {"never_same_district", true}}.dump())
                .status,
            200);

  // The issuer does not allow district preferences: the district's choices change nothing.
  const auto not_allowed = Submit();
  json plan = RunAssignment();
  EXPECT_EQ(plan["assigned"].size(), 2u) << plan.dump();
  EXPECT_EQ(OpenReviewsOf(not_allowed).count("usr_r3"), 1u);
  EXPECT_DOUBLE_EQ(due_of("usr_r3", not_allowed), 14.0);

  // Allowed, and the district asks: the same-district reviewer is skipped, the deadline is 5 days.
  ASSERT_EQ(Call("PUT", kPolicy, kAdmin, json{{"allow_district_preferences", true}}.dump()).status,
            200);
  const auto asked = Submit("usr_edu2", "org_s1", "org_d1");
  plan = RunAssignment();
  ASSERT_EQ(plan["assigned"].size(), 1u) << plan.dump();
  EXPECT_EQ(plan["assigned"][0]["reviewer_id"], "usr_r1");
  ASSERT_EQ(plan["unassigned"].size(), 1u);
  EXPECT_EQ(plan["unassigned"][0]["reason"], "too_few_eligible_reviewers");
  EXPECT_DOUBLE_EQ(due_of("usr_r1", asked), 5.0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'review.assign' AND detail LIKE "
                  "'%\"district_rule\":true%'"),
            1);

  // A district without preferences keeps the issuer's rule under the same issuer.
  const auto elsewhere = Submit("usr_norole", "org_s4", "org_d2");
  plan = RunAssignment();
  EXPECT_EQ(OpenReviewsOf(elsewhere).count("usr_r3"), 1u);
  EXPECT_DOUBLE_EQ(due_of("usr_r3", elsewhere), 14.0);

  // Allowed, but the district no longer asks: the reviewer is eligible again, the deadline stays.
  ASSERT_EQ(Call("PUT", kPrefs, kDistrictAdmin,
                 json{{"sla_days", 5}, {"never_same_district", false}}.dump())
                .status,
            200);
  plan = RunAssignment();
  ASSERT_EQ(plan["assigned"].size(), 1u) << plan.dump();
  EXPECT_EQ(plan["assigned"][0]["reviewer_id"], "usr_r3");
  EXPECT_EQ(plan["assigned"][0]["submission_id"], asked);
  EXPECT_DOUBLE_EQ(due_of("usr_r3", asked), 5.0);
}

TEST_F(ReviewApi, TheIssuersNeverSameDistrictRuleCannotBeLiftedByADistrict) {
  Pool({"usr_r3"});
  ASSERT_EQ(Call("PUT", kPolicy, kAdmin,
                 json{{"never_same_district", true}, {"allow_district_preferences", true}}.dump())
                .status,
            200);
  ASSERT_EQ(Call("PUT", kPrefs, kDistrictAdmin,
                 json{{"sla_days", 3}, {"never_same_district", false}}.dump())
                .status,
            200);
  const auto sub = Submit();
  json plan = RunAssignment();
  EXPECT_EQ(plan["assigned"].size(), 0u) << plan.dump();
  EXPECT_EQ(plan["unassigned"][0]["reason"], "no_eligible_reviewer");

  // An override sets the conflict rule aside, not the district's deadline.
  auto res = Call("POST", "/api/v1/submissions/" + sub + "/reviewers", kAdmin,
                  json{{"reviewer_id", "usr_r3"}}.dump());
  ASSERT_EQ(res.status, 201) << res.body;
  const json planned = Documented(res, "POST", "/api/v1/submissions/{id}/reviewers");
  core::TimePoint due{};
  core::ParseTime(planned["due_at"].get<std::string>(), due);
  const auto days = std::chrono::duration<double>(due - SteppingClock::Start()).count() / 86400.0;
  EXPECT_GT(days, 3.0);
  EXPECT_LT(days, 3.01);
}

}  // namespace
}  // namespace cairn::http
