// The educator's side end to end: a real Server on an ephemeral port over a real SQLite database,
// driven over sockets. Enrolment, draft autosave with stale-revision conflicts and history, word
// counts as typed, submit with field pointers, the attempt cap and coach sessions, withdraw,
// returned attempts, district time frames, other people's enrolments, and a double-clicked submit.
// Authentication is a test header; the policy check is identity's real PolicySet. Every response
// is validated against the OpenAPI document.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "../core/catalog/sample.hpp"
#include "../http/test_client.hpp"
#include "../support/api_test_support.hpp"
#include "app/catalog/catalog.hpp"
#include "app/evidence/evidence.hpp"
#include "app/identity/policies.hpp"
#include "core/evidence/rules.hpp"
#include "core/identity/repository.hpp"
#include "core/ports/jobs.hpp"
#include "http/handlers/evidence_handlers.hpp"
#include "http/openapi.hpp"
#include "http/handlers/identity_middleware.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"
#include "storage/identity_repository.hpp"
#include "storage/sql_unit_of_work.hpp"

namespace cairn::http {
namespace {

namespace fs = std::filesystem;
namespace ev = core::evidence;
using core::identity::Role;
using nlohmann::json;
using testing::ClientResponse;
using testing::Fetch;
using testing::ParsePrincipal;
using testing::SequentialIds;
using testing::SteppingClock;

// Random ids, as in production: submission codes come from their randomness.
class RandomIds final : public core::IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override {
    static constexpr char kBase62[] =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::lock_guard lock(mu_);
    std::string id = std::string(prefix) + "_";
    std::uniform_int_distribution<int> pick(0, 61);
    for (int i = 0; i < 20; ++i) id += kBase62[pick(rng_)];
    return id;
  }

 private:
  std::mutex mu_;
  std::mt19937_64 rng_{std::random_device{}()};
};

const std::string kAda = "usr_ada org_school:educator";
const std::string kBo = "usr_bo org_school:educator";
const std::string kAdmin = "usr_admin org_issuer:issuer_admin";
const std::string kOtherAdmin = "usr_other org_other_issuer:issuer_admin";
const std::string kDee = "usr_dee org_district:district_admin";
const std::string kOtherDistrictAdmin = "usr_zed org_far:district_admin";

// Both backends, like the storage contract: the PostgreSQL runs need CAIRN_TEST_PG_URL (each test
// in a fresh schema, dropped afterwards) and fail without it; they never skip.
std::vector<storage::Dialect> Backends() {
  return {storage::Dialect::kSqlite, storage::Dialect::kPostgres};
}

std::string RandomSchema() {
  static std::mt19937_64 random{std::random_device{}()};
  return "evidence_api_" + std::to_string(random() % 1'000'000'000'000ULL);
}

class EvidenceApi : public ::testing::TestWithParam<storage::Dialect> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '-');
    dir_ = fs::temp_directory_path() /
           ("cairn-evidence-api-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::string url = "sqlite:" + (dir_ / "cairn.db").string();
    storage::DatabaseOptions db_options;
    if (GetParam() == storage::Dialect::kPostgres) {
      const char* pg = std::getenv("CAIRN_TEST_PG_URL");
      ASSERT_TRUE(pg != nullptr && *pg != '\0') << "CAIRN_TEST_PG_URL is not set";
      url = pg;
      pg_schema_ = db_options.pg_schema = RandomSchema();
    }
    auto db = storage::Database::Open(url, db_options);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
    Seed();
    catalog_ = std::make_unique<app::catalog::CatalogContext>(
        app::catalog::CatalogContext{*uow_, clock_, ids_});
    mc_id_ = Publish(2);
    ctx_ = std::make_unique<app::evidence::EvidenceContext>(
        app::evidence::EvidenceContext{*uow_, clock_, ids_});
    RegisterEvidenceRoutes(router_, EvidenceHandlerDeps{*ctx_});
    ServerOptions options = testing::TestServerOptions("evidence-api-test", 4);
    server_ = std::make_unique<testing::RunningServer>(options, router_, TestMiddleware());
    port_ = server_->port();
  }

  void TearDown() override {
    server_.reset();
    db_.reset();
    fs::remove_all(dir_);
    if (!pg_schema_.empty()) {
      auto admin = storage::Database::Open(std::getenv("CAIRN_TEST_PG_URL"),
                                           storage::DatabaseOptions{.pool_size = 1});
      ASSERT_TRUE(admin.ok());
      auto dropped = admin.value()->Write([&](storage::Tx& tx) -> core::Status {
        tx.sql() << "DROP SCHEMA IF EXISTS \"" + pg_schema_ + "\" CASCADE";
        return core::Ok();
      });
      EXPECT_TRUE(dropped.ok()) << "could not drop schema " << pg_schema_;
    }
  }

  void Seed() {
    auto status = db_->Write([](storage::Tx& tx) -> core::Status {
      storage::SqlIdentityRepository identity(tx);
      const core::TimePoint t = SteppingClock::Start() - std::chrono::hours(24);
      using core::identity::OrgKind;
      for (auto [id, kind, issuer, parent] :
           {std::tuple{"org_issuer", OrgKind::kNonprofit, true, ""},
            std::tuple{"org_other_issuer", OrgKind::kNonprofit, true, ""},
            std::tuple{"org_district", OrgKind::kDistrict, false, ""},
            std::tuple{"org_far", OrgKind::kDistrict, false, ""},
            std::tuple{"org_school", OrgKind::kSchool, false, "org_district"}}) {
        core::identity::Organization org;
        org.id = id;
        org.name = std::string("Org ") + id;
        org.kind = kind;
        org.issuer = issuer;
        org.parent_id = parent;
        org.created_at = t;
        identity.InsertOrganization(org);
      }
      for (const std::string& line : {kAda, kBo, kAdmin, kOtherAdmin, kDee, kOtherDistrictAdmin}) {
        const auto p = ParsePrincipal(line);
        core::identity::User u;
        u.id = p.user_id;
        u.email = p.user_id.substr(4) + "@example.org";
        u.display_name = p.user_id;
        u.password_hash = "x";
        u.created_at = u.updated_at = t;
        identity.InsertUser(u);
        for (const auto& m : p.memberships) identity.InsertMembership(u.id, m, t);
      }
      return core::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.error().detail;
  }

  // Publishes the sample micro-credential with the given attempt cap; returns its id.
  std::string Publish(int max_attempts, const std::string& title = "Exit Tickets") {
    const auto admin = ParsePrincipal(kAdmin);
    auto content = core::catalog::testing::SampleContent();
    content.title = title;
    content.max_attempts = max_attempts;
    auto mc = app::catalog::CreateDraft(*catalog_, admin, "org_issuer", content);
    EXPECT_TRUE(mc.ok()) << mc.error().message;
    auto published = app::catalog::Publish(*catalog_, admin, mc->id, mc->revision);
    EXPECT_TRUE(published.ok()) << published.error().message;
    return mc->id;
  }

  std::vector<Middleware> TestMiddleware() {
    return {testing::HeaderPrincipal(), PolicyMiddleware(policies_, router_)};
  }

  ClientResponse Call(std::string_view method, std::string_view target,
                      const std::string& principal, const json& body = json()) {
    std::vector<std::string> headers;
    if (!principal.empty()) headers.push_back("X-Test-Principal: " + principal);
    std::string text;
    if (!body.is_null()) {
      headers.push_back("Content-Type: application/json");
      text = body.dump();
    }
    return Fetch(port_, method, target, headers, text);
  }

  // Checks a response against the OpenAPI document for the route pattern; returns its body.
  json Documented(const ClientResponse& r, const std::string& method, const std::string& pattern) {
    json body = r.body.empty() ? json() : json::parse(r.body);
    for (const auto& problem : ValidateResponse(OpenApiDocument(), method, pattern, r.status, body))
      ADD_FAILURE() << method << " " << pattern << " " << r.status << ": " << problem;
    return body;
  }

  std::set<std::string> Pointers(const json& problem) {
    std::set<std::string> out;
    for (const auto& e : problem.value("errors", json::array())) out.insert(e["pointer"]);
    return out;
  }

  json Enrol(const std::string& who, const std::string& mc, int expect = 201) {
    auto r = Call("POST", "/api/v1/enrolments", who, {{"micro_credential_id", mc}});
    EXPECT_EQ(r.status, expect) << r.body;
    return Documented(r, "POST", "/api/v1/enrolments");
  }

  json SaveDraft(const std::string& who, const std::string& enr, json draft, int expect = 200) {
    auto r = Call("PUT", "/api/v1/enrolments/" + enr + "/draft", who, draft);
    EXPECT_EQ(r.status, expect) << r.body;
    return Documented(r, "PUT", "/api/v1/enrolments/{id}/draft");
  }

  json Submit(const std::string& who, const std::string& enr, std::int64_t revision,
              int expect = 201) {
    auto r = Call("POST", "/api/v1/enrolments/" + enr + "/submissions", who,
                  {{"revision", revision}});
    EXPECT_EQ(r.status, expect) << r.body;
    return Documented(r, "POST", "/api/v1/enrolments/{id}/submissions");
  }

  json GetEnrolment(const std::string& who, const std::string& enr) {
    auto r = Call("GET", "/api/v1/enrolments/" + enr, who);
    EXPECT_EQ(r.status, 200) << r.body;
    return Documented(r, "GET", "/api/v1/enrolments/{id}");
  }

  // A finished upload, as the uploads area records it.
  std::string AddFile(const std::string& owner, const std::string& enrolment,
                      core::catalog::ArtifactKind kind) {
    ev::EvidenceFile f;
    f.id = ids_.NewId("fil");
    f.owner_id = owner;
    f.enrolment_id = enrolment;
    f.sha256 = std::string(64, 'a');
    f.size = 10;
    f.media_type = "application/pdf";
    f.kind = kind;
    f.filename = "ticket.pdf";
    f.transcode_state = "none";
    f.created_at = clock_.Now();
    auto s = uow_->Write([&](core::Transaction& tx) -> core::Status {
      tx.Files().InsertFile(f);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.error().message << " " << s.error().detail;
    return f.id;
  }

  // What a reviewer's decision does to the submission (the review area's job), through the
  // same repository and state machine.
  void Decide(const std::string& submission_id, ev::SubmissionState to) {
    auto s = uow_->Write([&](core::Transaction& tx) -> core::Status {
      auto sub = tx.Evidence().FindSubmission(submission_id);
      if (!sub) return core::Error::NotFound("submission");
      if (auto m = ev::Transition(*sub, ev::SubmissionState::kInReview, clock_.Now()); !m.ok())
        return m;
      tx.Evidence().UpdateSubmission(*sub);
      if (auto m = ev::Transition(*sub, to, clock_.Now(), "decided"); !m.ok()) return m;
      tx.Evidence().UpdateSubmission(*sub);
      if (to == ev::SubmissionState::kReturned) {
        auto e = tx.Evidence().FindEnrolment(sub->enrolment_id);
        e->attempts_used -= 1;
        tx.Evidence().UpdateEnrolment(*e);
      }
      return core::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  std::int64_t OpenJobs(const std::string& kind) {
    std::int64_t n = -1;
    auto s = uow_->Read([&](core::Transaction& tx) -> core::Status {
      n = tx.Jobs().CountOpen(kind);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok());
    return n;
  }

  // A complete draft body for the sample requirements, around one document file.
  static json CompleteDraft(std::int64_t revision, const std::string& file_id) {
    return {{"revision", revision},
            {"overview", {"Twenty-eight seventh graders; the goal was unit rates."}},
            {"artifacts", {{{"requirement", 0}, {"file_id", file_id}, {"caption", "The ticket"}}}},
            {"reflection", {"Half the class mixed up rates and ratios, so I regrouped them."}}};
  }

  // Enrols Ada and saves a complete draft; returns {enrolment id, revision}.
  std::pair<std::string, std::int64_t> ReadyToSubmit() {
    const std::string enr = Enrol(kAda, mc_id_)["id"];
    const std::string file = AddFile("usr_ada", enr, core::catalog::ArtifactKind::kDocument);
    auto draft = SaveDraft(kAda, enr, CompleteDraft(0, file));
    EXPECT_TRUE(draft["checks"]["ready"]) << draft.dump();
    return {enr, draft["revision"].get<std::int64_t>()};
  }

  fs::path dir_;
  std::string pg_schema_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  SteppingClock clock_;
  RandomIds ids_;
  std::unique_ptr<app::catalog::CatalogContext> catalog_;
  std::unique_ptr<app::evidence::EvidenceContext> ctx_;
  std::string mc_id_;
  app::identity::PolicySet policies_ = app::identity::StandardPolicies();
  Router router_;
  std::unique_ptr<testing::RunningServer> server_;
  unsigned short port_ = 0;
};

TEST_P(EvidenceApi, EnrolPinsTheVersionAndASecondEnrolReturnsTheSameOne) {
  auto e = Enrol(kAda, mc_id_);
  EXPECT_EQ(e["micro_credential_id"], mc_id_);
  EXPECT_EQ(e["version"], 1);
  EXPECT_EQ(e["title"], "Exit Tickets");
  EXPECT_EQ(e["issuer_id"], "org_issuer");
  EXPECT_EQ(e["state"], "active");
  EXPECT_EQ(e["attempt_cap"], 2);
  EXPECT_EQ(e["attempts_used"], 0);
  EXPECT_EQ(e["attempts_left"], 2);
  EXPECT_EQ(e["next_step"], "start");
  EXPECT_TRUE(e["due_at"].is_null());  // Ada's district set no time frame
  auto again = Enrol(kAda, mc_id_, 200);
  EXPECT_EQ(again["id"], e["id"]);

  auto mine = Call("GET", "/api/v1/enrolments", kAda);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(Documented(mine, "GET", "/api/v1/enrolments")["items"].size(), 1u);
  auto bos = Call("GET", "/api/v1/enrolments", kBo);
  EXPECT_TRUE(Documented(bos, "GET", "/api/v1/enrolments")["items"].empty());

  auto missing = Enrol(kAda, "mc_nope", 422);
  EXPECT_EQ(Pointers(missing), std::set<std::string>{"/micro_credential_id"});
  auto anonymous = Call("POST", "/api/v1/enrolments", "", {{"micro_credential_id", mc_id_}});
  EXPECT_EQ(anonymous.status, 401);
  auto unknown_field = Call("POST", "/api/v1/enrolments", kAda,
                            {{"micro_credential_id", mc_id_}, {"colour", "red"}});
  EXPECT_EQ(unknown_field.status, 422);
  auto not_json = Fetch(port_, "POST", "/api/v1/enrolments",
                        {"X-Test-Principal: " + kAda, "Content-Type: application/json"}, "{nope");
  EXPECT_EQ(not_json.status, 400);
}

TEST_P(EvidenceApi, AnEnrolmentKeepsItsVersionWhenANewOneIsPublished) {
  const std::string ada_enr = Enrol(kAda, mc_id_)["id"];
  const auto admin = ParsePrincipal(kAdmin);
  auto next = app::catalog::StartNewVersion(*catalog_, admin, mc_id_);
  ASSERT_TRUE(next.ok()) << next.error().message;
  next->content.title = "Exit Tickets, revised";
  next->content.max_attempts = 5;
  auto saved = app::catalog::UpdateDraft(*catalog_, admin, mc_id_, next->content, next->revision);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  ASSERT_TRUE(app::catalog::Publish(*catalog_, admin, mc_id_, saved->revision).ok());

  auto ada = GetEnrolment(kAda, ada_enr);
  EXPECT_EQ(ada["version"], 1);
  EXPECT_EQ(ada["title"], "Exit Tickets");
  EXPECT_EQ(ada["attempt_cap"], 2);
  auto bo = Enrol(kBo, mc_id_);
  EXPECT_EQ(bo["version"], 2);
  EXPECT_EQ(bo["title"], "Exit Tickets, revised");
  EXPECT_EQ(bo["attempt_cap"], 5);

  // A retired micro-credential takes no new enrolments; existing ones continue.
  ASSERT_TRUE(app::catalog::Retire(*catalog_, admin, mc_id_).ok());
  auto retired = Call("POST", "/api/v1/enrolments", kDee, {{"micro_credential_id", mc_id_}});
  EXPECT_EQ(retired.status, 409);
  Documented(retired, "POST", "/api/v1/enrolments");
  EXPECT_EQ(Enrol(kAda, mc_id_, 200)["id"], ada_enr);
}

TEST_P(EvidenceApi, EnrolmentsRaceToOne) {
  for (int round = 0; round < 5; ++round) {
    const std::string mc = Publish(3, "Race " + std::to_string(round));
    std::barrier start(4);
    std::vector<int> statuses(4);
    std::vector<std::string> ids(4);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        auto r = Call("POST", "/api/v1/enrolments", kAda, {{"micro_credential_id", mc}});
        statuses[i] = r.status;
        if (r.status < 300) ids[i] = json::parse(r.body)["id"];
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 3);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1u);
  }
}

TEST_P(EvidenceApi, DraftAutosaveRefusesAStaleRevisionWithTheCurrentDraft) {
  const std::string enr = Enrol(kAda, mc_id_)["id"];
  auto empty = Call("GET", "/api/v1/enrolments/" + enr + "/draft", kAda);
  ASSERT_EQ(empty.status, 200);
  auto d0 = Documented(empty, "GET", "/api/v1/enrolments/{id}/draft");
  EXPECT_EQ(d0["revision"], 0);
  EXPECT_FALSE(d0["checks"]["ready"]);

  auto first = SaveDraft(kAda, enr, {{"revision", 0}, {"overview", {"Tab one wrote this."}}});
  EXPECT_EQ(first["revision"], 1);
  EXPECT_EQ(first["overview"][0], "Tab one wrote this.");
  EXPECT_EQ(GetEnrolment(kAda, enr)["next_step"], "continue draft");

  // A second tab still at revision 0 conflicts and sees what tab one saved.
  auto stale = SaveDraft(kAda, enr, {{"revision", 0}, {"overview", {"Tab two."}}}, 409);
  EXPECT_EQ(stale["current"]["revision"], 1);
  EXPECT_EQ(stale["current"]["overview"][0], "Tab one wrote this.");

  auto second = SaveDraft(kAda, enr, {{"revision", 1}, {"overview", {"Edited."}}});
  EXPECT_EQ(second["revision"], 2);
  // A client may send back what it fetched, computed members included.
  json echo = second;
  echo["overview"][0] = "Edited again.";
  EXPECT_EQ(SaveDraft(kAda, enr, echo)["revision"], 3);

  // The history keeps every save; an old one can be fetched to restore from.
  auto history = Call("GET", "/api/v1/enrolments/" + enr + "/draft/revisions", kAda);
  ASSERT_EQ(history.status, 200);
  auto items = Documented(history, "GET", "/api/v1/enrolments/{id}/draft/revisions")["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["revision"], 3);
  EXPECT_EQ(items[2]["revision"], 1);
  auto old = Call("GET", "/api/v1/enrolments/" + enr + "/draft/revisions/1", kAda);
  ASSERT_EQ(old.status, 200);
  EXPECT_EQ(Documented(old, "GET", "/api/v1/enrolments/{id}/draft/revisions/{revision}")
                ["overview"][0],
            "Tab one wrote this.");
  EXPECT_EQ(Call("GET", "/api/v1/enrolments/" + enr + "/draft/revisions/99", kAda).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/enrolments/" + enr + "/draft/revisions/x", kAda).status, 404);

  // Malformed drafts are refused with pointers; nothing is saved.
  auto bad = SaveDraft(kAda, enr,
                       {{"revision", 3}, {"overview", {7}}, {"artifacts", {{{"requirement", 9}}}}},
                       422);
  EXPECT_EQ(Pointers(bad), (std::set<std::string>{"/overview/0"}));
  auto bad_req = SaveDraft(kAda, enr, {{"revision", 3}, {"artifacts", {{{"requirement", 9}}}}}, 422);
  EXPECT_EQ(Pointers(bad_req), (std::set<std::string>{"/artifacts/0/requirement"}));
  auto no_revision = SaveDraft(kAda, enr, {{"overview", {"x"}}}, 422);
  EXPECT_EQ(Pointers(no_revision), (std::set<std::string>{"/revision"}));
  auto extra = SaveDraft(kAda, enr, {{"revision", 3}, {"colour", "red"}}, 422);
  EXPECT_EQ(Pointers(extra), (std::set<std::string>{"/colour"}));
  EXPECT_EQ(Documented(Call("GET", "/api/v1/enrolments/" + enr + "/draft", kAda), "GET",
                       "/api/v1/enrolments/{id}/draft")["revision"],
            3);
}

TEST_P(EvidenceApi, TwoTabsSavingAtOnceNeverOverwriteEachOther) {
  const std::string enr = Enrol(kAda, mc_id_)["id"];
  std::int64_t revision = 0;
  for (int round = 0; round < 10; ++round) {
    std::barrier start(2);
    std::vector<ClientResponse> responses(2);
    std::vector<std::thread> tabs;
    for (int i = 0; i < 2; ++i)
      tabs.emplace_back([&, i] {
        start.arrive_and_wait();
        responses[i] = Call("PUT", "/api/v1/enrolments/" + enr + "/draft", kAda,
                            {{"revision", revision}, {"overview", {"tab " + std::to_string(i)}}});
      });
    for (auto& t : tabs) t.join();
    const int winner = responses[0].status == 200 ? 0 : 1;
    const int loser = 1 - winner;
    ASSERT_EQ(responses[winner].status, 200) << responses[winner].body;
    ASSERT_EQ(responses[loser].status, 409) << "round " << round << ": " << responses[loser].body;
    auto conflict = Documented(responses[loser], "PUT", "/api/v1/enrolments/{id}/draft");
    EXPECT_EQ(conflict["current"]["revision"], revision + 1);
    EXPECT_EQ(conflict["current"]["overview"][0], "tab " + std::to_string(winner));
    ++revision;
  }
  auto history = Call("GET", "/api/v1/enrolments/" + enr + "/draft/revisions", kAda);
  EXPECT_EQ(json::parse(history.body)["items"].size(), 10u);
}

TEST_P(EvidenceApi, WordLimitsAreCountedAsTyped) {
  const std::string enr = Enrol(kAda, mc_id_)["id"];
  // The sample's reflection prompt allows 400 words; 401 words, separated by assorted spaces.
  std::string text;
  for (int i = 0; i < 401; ++i) text += (i % 3 == 0 ? "word\u00a0" : i % 3 == 1 ? "wörd\n" : "w ");
  auto saved = SaveDraft(kAda, enr,
                         {{"revision", 0},
                          {"overview", {"one two  three\tfour — five"}},
                          {"reflection", {text}}});
  const auto& checks = saved["checks"];
  EXPECT_EQ(checks["overview"][0]["words"], 5);
  EXPECT_EQ(checks["overview"][0]["limit"], 250);
  EXPECT_FALSE(checks["overview"][0]["over_limit"]);
  EXPECT_EQ(checks["reflection"][0]["words"], 401);
  EXPECT_EQ(checks["reflection"][0]["limit"], 400);
  EXPECT_TRUE(checks["reflection"][0]["over_limit"]);
  EXPECT_FALSE(checks["ready"]);
  std::set<std::string> problems;
  for (const auto& p : checks["problems"]) problems.insert(p["pointer"]);
  EXPECT_EQ(problems, (std::set<std::string>{"/artifacts", "/reflection/0"}));
  // Over the limit is saved (never lose work) but not submittable.
  auto refused = Submit(kAda, enr, saved["revision"], 422);
  EXPECT_EQ(Pointers(refused), (std::set<std::string>{"/artifacts", "/reflection/0"}));
}

TEST_P(EvidenceApi, SubmitValidatesWithPointersAndFreezesTheDraft) {
  const std::string enr = Enrol(kAda, mc_id_)["id"];
  auto draft = SaveDraft(kAda, enr, {{"revision", 0}});
  auto empty = Submit(kAda, enr, draft["revision"], 422);
  EXPECT_EQ(Pointers(empty),
            (std::set<std::string>{"/overview/0", "/artifacts", "/reflection/0"}));

  const std::string doc = AddFile("usr_ada", enr, core::catalog::ArtifactKind::kDocument);
  const std::string photo = AddFile("usr_ada", enr, core::catalog::ArtifactKind::kImage);
  const std::string video = AddFile("usr_ada", enr, core::catalog::ArtifactKind::kVideo);
  json body = CompleteDraft(draft["revision"], doc);
  body["artifacts"].push_back({{"requirement", 0}, {"file_id", photo}});
  draft = SaveDraft(kAda, enr, body);
  EXPECT_EQ(Pointers(Submit(kAda, enr, draft["revision"], 422)),
            std::set<std::string>{"/artifacts/1/consent_attested"});
  body = CompleteDraft(draft["revision"], video);
  draft = SaveDraft(kAda, enr, body);
  EXPECT_EQ(Pointers(Submit(kAda, enr, draft["revision"], 422)),
            (std::set<std::string>{"/artifacts/0/file_id", "/artifacts/0/consent_attested"}));

  // Another enrolment's file is refused already when saving.
  const std::string bos_enr = Enrol(kBo, mc_id_)["id"];
  const std::string bos_file = AddFile("usr_bo", bos_enr, core::catalog::ArtifactKind::kDocument);
  EXPECT_EQ(Pointers(SaveDraft(kAda, enr, CompleteDraft(draft["revision"], bos_file), 422)),
            std::set<std::string>{"/artifacts/0/file_id"});

  body = CompleteDraft(draft["revision"], doc);
  body["artifacts"].push_back(
      {{"requirement", 0}, {"file_id", photo}, {"consent_attested", true}, {"shareable", true}});
  draft = SaveDraft(kAda, enr, body);
  EXPECT_TRUE(draft["checks"]["ready"]);
  // Naming an older revision is a conflict: the educator submits what they last saw.
  Submit(kAda, enr, draft["revision"].get<int>() - 1, 409);

  auto sub = Submit(kAda, enr, draft["revision"]);
  EXPECT_EQ(sub["state"], "submitted");
  EXPECT_EQ(sub["attempt"], 1);
  EXPECT_TRUE(std::regex_match(sub["code"].get<std::string>(),
                               std::regex("[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}")))
      << sub["code"];
  EXPECT_EQ(sub["school_id"], "org_school");
  EXPECT_EQ(sub["district_id"], "org_district");
  EXPECT_EQ(sub["content"]["artifacts"][1]["file_id"], photo);
  ASSERT_EQ(sub["timeline"].size(), 1u);
  EXPECT_EQ(sub["timeline"][0]["state"], "submitted");
  EXPECT_EQ(OpenJobs("review.assign"), 1);

  auto e = GetEnrolment(kAda, enr);
  EXPECT_EQ(e["attempts_used"], 1);
  EXPECT_EQ(e["attempts_left"], 1);
  EXPECT_EQ(e["next_step"], "in review");
  EXPECT_EQ(e["latest_submission"]["id"], sub["id"]);

  // Editing the draft afterwards never changes the frozen attempt.
  SaveDraft(kAda, enr, CompleteDraft(draft["revision"], doc));
  auto frozen = Call("GET", "/api/v1/submissions/" + sub["id"].get<std::string>(), kAda);
  ASSERT_EQ(frozen.status, 200);
  EXPECT_EQ(Documented(frozen, "GET", "/api/v1/submissions/{id}")["content"]["artifacts"].size(),
            2u);
  auto list = Call("GET", "/api/v1/enrolments/" + enr + "/submissions", kAda);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Documented(list, "GET", "/api/v1/enrolments/{id}/submissions")["items"].size(), 1u);
}

TEST_P(EvidenceApi, WithdrawOnlyBeforeReviewAndTheAttemptStopsCounting) {
  auto [enr, revision] = ReadyToSubmit();
  auto sub = Submit(kAda, enr, revision);
  const std::string path = "/api/v1/submissions/" + sub["id"].get<std::string>() + "/withdraw";
  EXPECT_EQ(Call("POST", path, kBo).status, 404);
  EXPECT_EQ(Call("POST", path, kAdmin).status, 403);
  auto w = Call("POST", path, kAda);
  ASSERT_EQ(w.status, 200) << w.body;
  auto withdrawn = Documented(w, "POST", "/api/v1/submissions/{id}/withdraw");
  EXPECT_EQ(withdrawn["state"], "withdrawn");
  EXPECT_EQ(withdrawn["timeline"].size(), 2u);
  EXPECT_EQ(GetEnrolment(kAda, enr)["attempts_used"], 0);
  auto again = Call("POST", path, kAda);
  EXPECT_EQ(again.status, 409);
  Documented(again, "POST", "/api/v1/submissions/{id}/withdraw");

  // The same draft may go in again as attempt 2.
  auto second = Submit(kAda, enr, revision);
  EXPECT_EQ(second["attempt"], 2);
  EXPECT_NE(second["code"], sub["code"]);
  // Once a reviewer started, withdrawing is refused.
  auto started = uow_->Write([&](core::Transaction& tx) -> core::Status {
    auto s = tx.Evidence().FindSubmission(second["id"]);
    if (auto m = ev::Transition(*s, ev::SubmissionState::kInReview, clock_.Now()); !m.ok()) return m;
    tx.Evidence().UpdateSubmission(*s);
    return core::Ok();
  });
  ASSERT_TRUE(started.ok());
  auto late = Call("POST", "/api/v1/submissions/" + second["id"].get<std::string>() + "/withdraw",
                   kAda);
  EXPECT_EQ(late.status, 409);
  EXPECT_NE(late.body.find("reviewer has started"), std::string::npos);
}

TEST_P(EvidenceApi, CapReachedThenACoachSessionAllowsOneMore) {
  auto [enr, revision] = ReadyToSubmit();
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto sub = Submit(kAda, enr, revision);
    EXPECT_EQ(sub["attempt"], attempt);
    Decide(sub["id"], ev::SubmissionState::kNotYet);
  }
  auto e = GetEnrolment(kAda, enr);
  EXPECT_EQ(e["attempts_left"], 0);
  EXPECT_EQ(e["next_step"], "meet coach");
  auto capped = Submit(kAda, enr, revision, 409);
  EXPECT_NE(capped["detail"].get<std::string>().find("coach"), std::string::npos);

  const std::string coach = "/api/v1/enrolments/" + enr + "/coach-sessions";
  EXPECT_EQ(Call("POST", coach, kAda).status, 403);        // not an issuer admin at all
  EXPECT_EQ(Call("POST", coach, kOtherAdmin).status, 404);  // another issuer's admin
  auto granted = Call("POST", coach, kAdmin, {{"note", "Talked through the rubric."}});
  ASSERT_EQ(granted.status, 201) << granted.body;
  auto view = Documented(granted, "POST", "/api/v1/enrolments/{id}/coach-sessions");
  EXPECT_EQ(view["coach_grants"], 1);
  EXPECT_EQ(view["attempts_left"], 1);
  EXPECT_EQ(view["next_step"], "resubmit");

  auto third = Submit(kAda, enr, revision);
  EXPECT_EQ(third["attempt"], 3);
  Decide(third["id"], ev::SubmissionState::kNotYet);
  Submit(kAda, enr, revision, 409);
}

TEST_P(EvidenceApi, AReturnedAttemptDoesNotCountAndTheEducatorSubmitsAgain) {
  auto [enr, revision] = ReadyToSubmit();
  auto first = Submit(kAda, enr, revision);
  Decide(first["id"], ev::SubmissionState::kReturned);
  auto e = GetEnrolment(kAda, enr);
  EXPECT_EQ(e["next_step"], "resubmit");
  EXPECT_EQ(e["attempts_used"], 0);
  auto returned = Documented(Call("GET", "/api/v1/submissions/" + first["id"].get<std::string>(),
                                  kAda),
                             "GET", "/api/v1/submissions/{id}");
  EXPECT_EQ(returned["state"], "returned");
  EXPECT_EQ(returned["return_reason"], "decided");
  // The draft still holds the submitted content; the educator fixes it and submits again.
  auto draft = Documented(Call("GET", "/api/v1/enrolments/" + enr + "/draft", kAda), "GET",
                          "/api/v1/enrolments/{id}/draft");
  EXPECT_EQ(draft["submitted_revision"], revision);
  draft["overview"][0] = "Now with the lesson plan attached.";
  auto fixed = SaveDraft(kAda, enr, draft);
  auto second = Submit(kAda, enr, fixed["revision"]);
  EXPECT_EQ(second["attempt"], 2);
  EXPECT_EQ(second["content"]["overview"][0], "Now with the lesson plan attached.");
  EXPECT_EQ(GetEnrolment(kAda, enr)["attempts_used"], 1);
}

TEST_P(EvidenceApi, OtherPeopleSeeNothingButTheIssuerReadsSubmissions) {
  auto [enr, revision] = ReadyToSubmit();
  auto sub = Submit(kAda, enr, revision);
  const std::string sub_path = "/api/v1/submissions/" + sub["id"].get<std::string>();
  const std::string enr_path = "/api/v1/enrolments/" + enr;
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", enr_path},
                                                        {"GET", enr_path + "/draft"},
                                                        {"GET", enr_path + "/draft/revisions"},
                                                        {"GET", enr_path + "/submissions"},
                                                        {"GET", sub_path}}) {
    EXPECT_EQ(Call(method, path, kBo).status, 404) << method << " " << path;
    EXPECT_EQ(Call(method, path, kOtherAdmin).status, 404) << method << " " << path;
  }
  EXPECT_EQ(Call("PUT", enr_path + "/draft", kBo, {{"revision", 1}}).status, 404);
  EXPECT_EQ(Call("POST", enr_path + "/submissions", kBo, {{"revision", revision}}).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/enrolments/enr_missing", kAda).status, 404);

  // The issuer's admins read the enrolment and its submissions, not the private draft.
  EXPECT_EQ(Call("GET", sub_path, kAdmin).status, 200);
  EXPECT_EQ(Call("GET", enr_path, kAdmin).status, 200);
  EXPECT_EQ(Call("GET", enr_path + "/draft", kAdmin).status, 404);
  auto issuer = Call("GET", "/api/v1/issuers/org_issuer/enrolments", kAdmin);
  ASSERT_EQ(issuer.status, 200);
  EXPECT_EQ(Documented(issuer, "GET", "/api/v1/issuers/{id}/enrolments")["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/issuers/org_issuer/enrolments", kOtherAdmin).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/issuers/org_issuer/enrolments", kAda).status, 403);
}

TEST_P(EvidenceApi, DistrictTimeFrameGivesNewEnrolmentsADueDate) {
  const std::string path = "/api/v1/organizations/org_district/enrolment-policy";
  auto unset = Call("GET", path, kDee);
  ASSERT_EQ(unset.status, 200) << unset.body;
  EXPECT_TRUE(Documented(unset, "GET", "/api/v1/organizations/{id}/enrolment-policy")["days"]
                  .is_null());
  EXPECT_EQ(Call("GET", path, kOtherDistrictAdmin).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/organizations/org_school/enrolment-policy", kDee).status, 404);
  EXPECT_EQ(Call("PUT", path, kAda, {{"days", 30}}).status, 403);
  EXPECT_EQ(Call("PUT", path, kOtherDistrictAdmin, {{"days", 30}}).status, 404);
  auto zero = Call("PUT", path, kDee, {{"days", 0}});
  EXPECT_EQ(zero.status, 422);
  EXPECT_EQ(Pointers(Documented(zero, "PUT", "/api/v1/organizations/{id}/enrolment-policy")),
            std::set<std::string>{"/days"});
  EXPECT_EQ(Call("PUT", path, kDee, json::object()).status, 422);
  auto set = Call("PUT", path, kDee, {{"days", 30}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Documented(set, "PUT", "/api/v1/organizations/{id}/enrolment-policy")["days"], 30);
  EXPECT_EQ(Call("GET", path, kDee).Json()["days"], 30);

  auto e = Enrol(kAda, mc_id_);
  core::TimePoint created{}, due{};
  ASSERT_TRUE(core::ParseTime(e["created_at"].get<std::string>(), created));
  ASSERT_TRUE(core::ParseTime(e["due_at"].get<std::string>(), due));
  EXPECT_EQ(due - created, std::chrono::hours(24 * 30));
  // An educator of another district (none here: the other admin's district has no one) and the
  // cleared policy both give no due date.
  auto cleared = Call("PUT", path, kDee, {{"days", nullptr}});
  ASSERT_EQ(cleared.status, 200);
  EXPECT_TRUE(Documented(cleared, "PUT", "/api/v1/organizations/{id}/enrolment-policy")["days"]
                  .is_null());
  EXPECT_TRUE(Enrol(kBo, mc_id_)["due_at"].is_null());
}

TEST_P(EvidenceApi, ADoubleClickedSubmitMakesExactlyOneAttempt) {
  auto [enr, revision] = ReadyToSubmit();
  for (int round = 0; round < 20; ++round) {
    std::barrier start(2);
    std::vector<int> statuses(2);
    std::vector<std::string> ids(2);
    std::vector<std::thread> clicks;
    for (int i = 0; i < 2; ++i)
      clicks.emplace_back([&, i] {
        start.arrive_and_wait();
        auto r = Call("POST", "/api/v1/enrolments/" + enr + "/submissions", kAda,
                      {{"revision", revision}});
        statuses[i] = r.status;
        if (r.status == 201) ids[i] = json::parse(r.body)["id"];
      });
    for (auto& c : clicks) c.join();
    ASSERT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1)
        << "round " << round << ": " << statuses[0] << " " << statuses[1];
    ASSERT_EQ(std::count(statuses.begin(), statuses.end(), 409), 1) << "round " << round;
    const std::string id = ids[0].empty() ? ids[1] : ids[0];
    // Withdraw so the next round starts from a clean state; attempts do not pile up.
    ASSERT_EQ(Call("POST", "/api/v1/submissions/" + id + "/withdraw", kAda).status, 200);
  }
  auto list = Documented(Call("GET", "/api/v1/enrolments/" + enr + "/submissions", kAda), "GET",
                         "/api/v1/enrolments/{id}/submissions");
  ASSERT_EQ(list["items"].size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(list["items"][i]["attempt"], i + 1);
  EXPECT_EQ(GetEnrolment(kAda, enr)["attempts_used"], 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, EvidenceApi, ::testing::ValuesIn(Backends()),
                         [](const auto& info) {
                           return info.param == storage::Dialect::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace cairn::http
