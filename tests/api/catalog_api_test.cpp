// The catalog API end to end: a real Server on an ephemeral port over a real SQLite database,
// driven over sockets. Authentication is a test header; the policy check is identity's real
// PolicySet.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../http/test_client.hpp"
#include "../support/api_test_support.hpp"
#include "app/catalog/catalog.hpp"
#include "app/identity/policies.hpp"
#include "http/handlers/catalog_handlers.hpp"
#include "http/openapi.hpp"
#include "http/handlers/identity_middleware.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"
#include "storage/identity_repository.hpp"
#include "storage/sql_audit_log.hpp"
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

const std::string kMaria = "usr_maria org_national:issuer_admin";
const std::string kJames = "usr_james org_district:issuer_admin";
const std::string kPriya = "usr_priya org_district:educator";

json LoadDemo() {
  std::ifstream in(std::string(CAIRN_SOURCE_DIR) + "/data/demo/microcredentials.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

// The first demo entry, in the create request's shape.
json CreateBody(const std::string& issuer_id = "org_national") {
  json body = LoadDemo()["micro_credentials"][0];
  body.erase("issuer");
  body["issuer_id"] = issuer_id;
  return body;
}

json ContentOf(const json& view) {
  json content = CreateBody();
  content.erase("issuer_id");
  for (auto it = content.begin(); it != content.end(); ++it) it.value() = view.at(it.key());
  return content;
}

class CatalogApi : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cairn-catalog-api-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = storage::Database::Open("sqlite:" + (dir_ / "cairn.db").string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    SeedOrganizations();
    uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
    ctx_ = std::make_unique<app::catalog::CatalogContext>(
        app::catalog::CatalogContext{*uow_, clock_, ids_});
    RegisterCatalogRoutes(router_, CatalogHandlerDeps{*ctx_});
    ServerOptions options = testing::TestServerOptions("catalog-api-test", 2);
    server_ = std::make_unique<testing::RunningServer>(options, router_, TestMiddleware());
    port_ = server_->port();
  }

  void TearDown() override {
    server_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  void SeedOrganizations() {
    auto status = db_->Write([](storage::Tx& tx) -> core::Status {
      storage::SqlIdentityRepository identity(tx);
      core::TimePoint t{};
      core::ParseTime("2026-11-01T00:00:00Z", t);
      for (auto [id, name, kind] : {std::tuple{"org_national", "Teaching Practice Collaborative",
                                               core::identity::OrgKind::kNonprofit},
                                    std::tuple{"org_district", "Riverbend Unified School District",
                                               core::identity::OrgKind::kDistrict}}) {
        core::identity::Organization org;
        org.id = id;
        org.name = name;
        org.kind = kind;
        org.issuer = true;
        org.created_at = t;
        identity.InsertOrganization(org);
      }
      return core::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.error().detail;
  }

  std::vector<Middleware> TestMiddleware() {
    return {testing::HeaderPrincipal(), PolicyMiddleware(policies_, router_)};
  }

  ClientResponse Call(std::string_view method, std::string_view target,
                      const std::string& principal = "", const std::string& body = "",
                      const std::string& content_type = "application/json") {
    std::vector<std::string> headers;
    if (!principal.empty()) headers.push_back("X-Test-Principal: " + principal);
    if (!body.empty()) headers.push_back("Content-Type: " + content_type);
    return Fetch(port_, method, target, headers, body);
  }

  // Checks a response against the OpenAPI document for the route pattern and returns its body.
  json Documented(const ClientResponse& r, const std::string& method, const std::string& pattern) {
    json body = r.body.empty() ? json() : json::parse(r.body);
    for (const auto& problem : ValidateResponse(OpenApiDocument(), method, pattern, r.status, body))
      ADD_FAILURE() << method << " " << pattern << " " << r.status << ": " << problem;
    return body;
  }

  // A problem+json with the expected status and, when given, exactly these pointers.
  void ExpectProblem(const ClientResponse& r, int status, std::vector<std::string> pointers = {}) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type").value_or(""), "application/problem+json");
    const json body = json::parse(r.body);
    EXPECT_EQ(body["status"], status);
    std::vector<std::string> got;
    for (const auto& e : body.value("errors", json::array())) got.push_back(e["pointer"]);
    if (!pointers.empty()) {
      EXPECT_EQ(got, pointers) << r.body;
    }
  }

  std::pair<long long, long long> CountRows() {
    long long versions = -1, audit = -1;
    auto s = db_->Read([&](storage::Tx& tx) -> core::Status {
      tx.sql() << "SELECT count(*) FROM catalog_versions", soci::into(versions);
      tx.sql() << "SELECT count(*) FROM audit_log", soci::into(audit);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok());
    return {versions, audit};
  }

  std::vector<core::AuditRecord> AuditOf(const std::string& id) {
    std::vector<core::AuditRecord> records;
    auto s = db_->Read([&](storage::Tx& tx) -> core::Status {
      records = storage::SqlAuditLog(tx).ForEntity("microcredential", id);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok());
    return records;
  }

  // Creates and publishes every demo entry through the API; returns the ids.
  std::vector<std::string> SeedDemo() {
    std::vector<std::string> ids;
    const json demo = LoadDemo();
    for (json entry : demo["micro_credentials"]) {
      const bool national = entry["issuer"] == "national";
      entry.erase("issuer");
      entry["issuer_id"] = national ? "org_national" : "org_district";
      const std::string who = national ? kMaria : kJames;
      auto created = Call("POST", "/api/v1/micro-credentials", who, entry.dump());
      EXPECT_EQ(created.status, 201) << entry["title"] << ": " << created.body;
      const json mc = Documented(created, "POST", "/api/v1/micro-credentials");
      auto published =
          Call("POST", "/api/v1/micro-credentials/" + mc["id"].get<std::string>() + "/publish", who,
               json{{"revision", 1}}.dump());
      EXPECT_EQ(published.status, 200) << entry["title"] << ": " << published.body;
      ids.push_back(mc["id"]);
    }
    return ids;
  }

  fs::path dir_;
  SteppingClock clock_;
  SequentialIds ids_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  std::unique_ptr<app::catalog::CatalogContext> ctx_;
  app::identity::PolicySet policies_ = app::identity::StandardPolicies();
  Router router_;
  std::unique_ptr<testing::RunningServer> server_;
  unsigned short port_ = 0;
};

TEST_F(CatalogApi, EveryRouteIsDocumented) {
  for (const auto& missing : UndocumentedOperations(router_, OpenApiDocument()))
    if (missing.find("micro-credentials") != std::string::npos) ADD_FAILURE() << missing;
}

TEST_F(CatalogApi, DemoCatalogLoadsAndAnonymousVisitorsBrowseIt) {
  const auto ids = SeedDemo();
  ASSERT_GE(ids.size(), 14u);

  auto all = Call("GET", "/api/v1/micro-credentials?page_size=100");
  ASSERT_EQ(all.status, 200);
  json page = Documented(all, "GET", "/api/v1/micro-credentials");
  EXPECT_EQ(page["total"], ids.size());
  EXPECT_EQ(page["items"].size(), ids.size());

  auto talk = Call("GET", "/api/v1/micro-credentials?q=discussion+talk+moves");
  page = Documented(talk, "GET", "/api/v1/micro-credentials");
  ASSERT_GE(page["total"].get<int>(), 1);
  EXPECT_EQ(page["items"][0]["title"], "Accountable Talk in Whole-Class Discussion");

  auto district =
      Call("GET", "/api/v1/micro-credentials?issuer=org_district&grade_band=6-8&sort=title");
  page = Documented(district, "GET", "/api/v1/micro-credentials");
  for (const auto& card : page["items"]) {
    EXPECT_EQ(card["issuer_name"], "Riverbend Unified School District");
    EXPECT_NE(card["grade_band"], "k-5");
  }
  EXPECT_GE(page["total"].get<int>(), 2);

  auto short_ones =
      Call("GET", "/api/v1/micro-credentials?max_hours=8&sort=hours&page_size=2&page=2");
  page = Documented(short_ones, "GET", "/api/v1/micro-credentials");
  EXPECT_EQ(page["page"], 2);
  EXPECT_EQ(page["items"].size(), 2u);
  for (const auto& card : page["items"]) EXPECT_LE(card["estimated_hours"].get<double>(), 8);

  auto tagged =
      Call("GET", "/api/v1/micro-credentials?tag=formative-assessment&subject=assessment");
  page = Documented(tagged, "GET", "/api/v1/micro-credentials");
  EXPECT_EQ(page["total"], 3);

  // One micro-credential, in full, with Markdown rendered beside its source.
  auto one = Call("GET", "/api/v1/micro-credentials/" + ids[0]);
  ASSERT_EQ(one.status, 200);
  json mc = Documented(one, "GET", "/api/v1/micro-credentials/{id}");
  EXPECT_EQ(mc["state"], "published");
  EXPECT_EQ(mc["issuer_name"], "Teaching Practice Collaborative");
  EXPECT_NE(mc["research_html"].get<std::string>().find("<em>Nature, 573</em>"), std::string::npos);
  EXPECT_NE(mc["key_method"]["description_html"].get<std::string>().find("<strong>"),
            std::string::npos);
  EXPECT_EQ(mc["rubric"]["criteria"].size(), 4u);

  auto versions = Call("GET", "/api/v1/micro-credentials/" + ids[0] + "/versions");
  json list = Documented(versions, "GET", "/api/v1/micro-credentials/{id}/versions");
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["state"], "published");
}

TEST_F(CatalogApi, LifecycleWithVersionsAndAudit) {
  auto created = Call("POST", "/api/v1/micro-credentials", kMaria, CreateBody().dump());
  ASSERT_EQ(created.status, 201) << created.body;
  json mc = Documented(created, "POST", "/api/v1/micro-credentials");
  const std::string id = mc["id"];
  const std::string base = "/api/v1/micro-credentials/" + id;
  EXPECT_EQ(created.Header("Location").value_or(""), base + "/versions/1");
  EXPECT_EQ(mc["state"], "draft");
  EXPECT_EQ(mc["revision"], 1);

  // A draft is invisible to the public.
  ExpectProblem(Call("GET", base), 404);
  ExpectProblem(Call("GET", base + "/versions/1"), 404);
  EXPECT_EQ(Call("GET", base + "/versions/1", kMaria).status, 200);

  json edit = ContentOf(mc);
  edit["title"] = "Growth Mindset Feedback (revised)";
  edit["revision"] = 1;
  auto saved = Call("PUT", base + "/draft", kMaria, edit.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Documented(saved, "PUT", "/api/v1/micro-credentials/{id}/draft")["revision"], 2);

  // A second tab still at revision 1 is refused, and nothing changes.
  edit["title"] = "Stale edit";
  const auto before = CountRows();
  auto stale = Call("PUT", base + "/draft", kMaria, edit.dump());
  ExpectProblem(stale, 409);
  Documented(stale, "PUT", "/api/v1/micro-credentials/{id}/draft");
  EXPECT_EQ(CountRows(), before);
  ExpectProblem(Call("POST", base + "/publish", kMaria, R"({"revision":1})"), 409);

  auto published = Call("POST", base + "/publish", kMaria, R"({"revision":2})");
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(Documented(published, "POST", "/api/v1/micro-credentials/{id}/publish")["state"],
            "published");
  json v1 = json::parse(Call("GET", base).body);
  EXPECT_EQ(v1["title"], "Growth Mindset Feedback (revised)");
  EXPECT_EQ(v1["version"], 1);

  // The published version is immutable: there is no draft to edit until a new version starts.
  edit["revision"] = 2;
  ExpectProblem(Call("PUT", base + "/draft", kMaria, edit.dump()), 404);
  auto started = Call("POST", base + "/draft", kMaria);
  ASSERT_EQ(started.status, 201) << started.body;
  json v2 = Documented(started, "POST", "/api/v1/micro-credentials/{id}/draft");
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["state"], "draft");
  ExpectProblem(Call("POST", base + "/draft", kMaria), 409);  // one open draft at a time

  json v2_edit = ContentOf(v2);
  v2_edit["title"] = "Growth Mindset Feedback, 2nd edition";
  v2_edit["revision"] = 1;
  ASSERT_EQ(Call("PUT", base + "/draft", kMaria, v2_edit.dump()).status, 200);
  // Until published, the catalog still shows version 1.
  EXPECT_EQ(json::parse(Call("GET", base).body)["version"], 1);
  ASSERT_EQ(Call("POST", base + "/publish", kMaria, R"({"revision":2})").status, 200);
  EXPECT_EQ(json::parse(Call("GET", base).body)["title"], "Growth Mindset Feedback, 2nd edition");
  auto old = Call("GET", base + "/versions/1");
  ASSERT_EQ(old.status, 200);
  EXPECT_EQ(Documented(old, "GET", "/api/v1/micro-credentials/{id}/versions/{version}")["title"],
            "Growth Mindset Feedback (revised)");
  EXPECT_EQ(old.Header("Cache-Control").value_or(""), "public, max-age=3600");
  // Conditional GET: the version's ETag answers 304 until its state changes.
  const std::string etag = old.Header("ETag").value_or("");
  EXPECT_EQ(etag, "\"" + id + "/1/published\"");
  auto unchanged = Fetch(port_, "GET", base + "/versions/1", {"If-None-Match: " + etag});
  EXPECT_EQ(unchanged.status, 304);
  Documented(unchanged, "GET", "/api/v1/micro-credentials/{id}/versions/{version}");
  EXPECT_TRUE(unchanged.body.empty());
  auto versions = json::parse(Call("GET", base + "/versions").body);
  ASSERT_EQ(versions["items"].size(), 2u);
  EXPECT_EQ(versions["items"][0]["version"], 2);

  auto retired = Call("POST", base + "/retire", kMaria);
  ASSERT_EQ(retired.status, 200) << retired.body;
  EXPECT_EQ(Documented(retired, "POST", "/api/v1/micro-credentials/{id}/retire")["state"],
            "retired");
  EXPECT_EQ(json::parse(Call("GET", "/api/v1/micro-credentials").body)["total"], 0);
  EXPECT_EQ(json::parse(Call("GET", base).body)["state"], "retired");
  ExpectProblem(Call("POST", base + "/retire", kMaria), 409);
  ExpectProblem(Call("POST", base + "/draft", kMaria), 409);

  // Every state change left one audit record, in order, with its states.
  const auto audit = AuditOf(id);
  std::vector<std::string> actions;
  for (const auto& r : audit) actions.push_back(r.action + ":" + r.from_state + ">" + r.to_state);
  EXPECT_EQ(
      actions,
      (std::vector<std::string>{
          "microcredential.create:>draft", "microcredential.update_draft:draft>draft",
          "microcredential.publish:draft>published", "microcredential.new_version:>draft",
          "microcredential.update_draft:draft>draft", "microcredential.publish:draft>published",
          "microcredential.retire:published>retired"}));
  for (const auto& r : audit) EXPECT_EQ(r.actor_id, "usr_maria");
}

TEST_F(CatalogApi, OnlyTheIssuersAdminsEdit) {
  const auto before = CountRows();
  ExpectProblem(Call("POST", "/api/v1/micro-credentials", "", CreateBody().dump()), 401);
  ExpectProblem(Call("POST", "/api/v1/micro-credentials", kPriya, CreateBody().dump()), 403);
  // An issuer admin, but of another issuer.
  ExpectProblem(Call("POST", "/api/v1/micro-credentials", kJames, CreateBody().dump()), 403);
  EXPECT_EQ(CountRows(), before);

  auto created = Call("POST", "/api/v1/micro-credentials", kMaria, CreateBody().dump());
  ASSERT_EQ(created.status, 201);
  const std::string base =
      "/api/v1/micro-credentials/" + json::parse(created.body)["id"].get<std::string>();
  ExpectProblem(Call("POST", base + "/publish", kJames, R"({"revision":1})"), 403);
  ExpectProblem(Call("GET", base + "/draft", kJames), 403);
  ExpectProblem(Call("GET", "/api/v1/issuers/org_national/micro-credentials", kJames), 403);
  // A platform admin may act for any issuer.
  auto drafts = Call("GET", "/api/v1/issuers/org_national/micro-credentials?status=draft",
                     "usr_casey x:platform_admin");
  ASSERT_EQ(drafts.status, 200);
  EXPECT_EQ(Documented(drafts, "GET", "/api/v1/issuers/{id}/micro-credentials")["items"].size(),
            1u);
  // The versions list hides the draft from everyone else.
  ExpectProblem(Call("GET", base + "/versions"), 404);
}

TEST_F(CatalogApi, BadInputGetsPreciseProblemsAndWritesNothing) {
  const auto before = CountRows();
  const std::string url = "/api/v1/micro-credentials";

  ExpectProblem(Call("POST", url, kMaria, R"({"title": "unterminated)"), 400);
  ExpectProblem(Call("POST", url, kMaria, "[1,2]"), 400);
  ExpectProblem(Call("POST", url, kMaria, CreateBody().dump(), "text/plain"), 415);
  std::string bad_utf8 = CreateBody().dump();
  bad_utf8.replace(bad_utf8.find("Growth"), 1, "\xC3\x28");
  ExpectProblem(Call("POST", url, kMaria, bad_utf8), 400);

  json wrong = CreateBody();
  wrong["title"] = 7;
  wrong["estimated_hours"] = "ten";
  wrong["submission"]["artifacts"][1]["max_count"] = 2.5;
  wrong["rubric"]["criteria"][0]["levels"][2]["name"] = json::array();
  auto typed = Call("POST", url, kMaria, wrong.dump());
  ExpectProblem(typed, 422,
                {"/title", "/submission/artifacts/1/max_count", "/rubric/criteria/0/levels/2/name",
                 "/estimated_hours"});
  Documented(typed, "POST", "/api/v1/micro-credentials");

  json unknown = CreateBody();
  unknown["colour"] = "teal";
  unknown["key_method"]["components"][0]["minutes"] = 5;
  unknown.erase("competency");
  unknown.erase("issuer_id");
  ExpectProblem(Call("POST", url, kMaria, unknown.dump()), 422,
                {"/issuer_id", "/competency", "/key_method/components/0/minutes", "/colour"});

  json invalid = CreateBody();
  invalid["title"] = std::string(201, 'x');
  invalid["submission"]["overview"][0]["word_limit"] = 0;
  invalid["submission"]["artifacts"][0]["min_count"] = 4;
  invalid["rubric"]["earned_rule"]["level"] = "proficient";
  invalid["resources"][0]["url"] = "javascript:alert(1)";
  ExpectProblem(Call("POST", url, kMaria, invalid.dump()), 422,
                {"/title", "/resources/0/url", "/submission/overview/0/word_limit",
                 "/submission/artifacts/0/max_count", "/rubric/earned_rule/level"});

  json unknown_issuer = CreateBody("org_nowhere");
  ExpectProblem(Call("POST", url, "usr_x org_nowhere:issuer_admin", unknown_issuer.dump()), 422,
                {"/issuer_id"});

  ExpectProblem(Call("POST", url, kMaria, std::string(600 * 1024, ' ')), 413);
  ExpectProblem(Call("GET", url + "/mc_doesnotexist"), 404);
  ExpectProblem(Call("GET", url + "/mc_doesnotexist/versions/1"), 404);
  ExpectProblem(Call("GET", url + "/mc_doesnotexist/versions/one"), 404);
  ExpectProblem(Call("POST", url + "/mc_doesnotexist/publish", kMaria, R"({"revision":1})"), 404);
  ExpectProblem(Call("GET", url + "?page=0"), 400);
  ExpectProblem(Call("GET", url + "?grade_band=K-12&sort=popular"), 400);
  ExpectProblem(Call("GET", url + "?min_hours=9&max_hours=2"), 400);
  ExpectProblem(Call("GET", url + "?page_size=500"), 400);
  EXPECT_EQ(CountRows(), before);

  // Publishing checks completeness: an unfinished draft saves, but does not publish.
  json sparse = CreateBody();
  sparse["research"] = "";
  sparse["submission"]["artifacts"] = json::array();
  auto draft = Call("POST", url, kMaria, sparse.dump());
  ASSERT_EQ(draft.status, 201) << draft.body;
  const std::string id = json::parse(draft.body)["id"];
  auto publish = Call("POST", url + "/" + id + "/publish", kMaria, R"({"revision":1})");
  ExpectProblem(publish, 422, {"/research", "/submission/artifacts"});
  ExpectProblem(Call("POST", url + "/" + id + "/publish", kMaria, R"({"revision":"1"})"), 422,
                {"/revision"});
  ExpectProblem(Call("POST", url + "/" + id + "/publish", kMaria, R"({"revision":1,"x":1})"), 422,
                {"/x"});
  EXPECT_EQ(AuditOf(id).size(), 1u);  // only the creation
}

TEST_F(CatalogApi, MarkdownIsRenderedWithoutRawHtml) {
  json body = CreateBody();
  body["competency"] =
      "Uses **talk moves**.<script>alert(1)</script> [x](javascript:alert(2))\n\n| a | b "
      "|\n|---|---|\n| 1 | 2 |";
  auto created = Call("POST", "/api/v1/micro-credentials", kMaria, body.dump());
  ASSERT_EQ(created.status, 201);
  const std::string html = json::parse(created.body)["competency_html"];
  EXPECT_NE(html.find("<strong>talk moves</strong>"), std::string::npos) << html;
  EXPECT_NE(html.find("<table>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  // The source is kept exactly as written.
  EXPECT_EQ(json::parse(created.body)["competency"], body["competency"]);
}

}  // namespace
}  // namespace cairn::http
