// The notifications API end to end: a real Server on an ephemeral port over a real SQLite
// database, driven over sockets, every response checked against the OpenAPI document.
// Authentication is a test header; the policy check is identity's real PolicySet.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "../http/test_client.hpp"
#include "../support/api_test_support.hpp"
#include "app/identity/policies.hpp"
#include "app/notify/notify.hpp"
#include "http/handlers/notification_handlers.hpp"
#include "http/openapi.hpp"
#include "http/handlers/identity_middleware.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"
#include "storage/identity_repository.hpp"
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

const std::string kBase = "/api/v1/notifications";

class NotificationsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cairn-notifications-api-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = storage::Database::Open("sqlite:" + (dir_ / "cairn.db").string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
    SeedUsers();
    RegisterNotificationRoutes(router_, {*uow_, clock_});
    ServerOptions options = testing::TestServerOptions("notifications-api-test", 2);
    server_ = std::make_unique<testing::RunningServer>(options, router_, TestMiddleware());
    port_ = server_->port();
  }

  void TearDown() override {
    server_.reset();
    uow_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  void SeedUsers() {
    auto status = uow_->Write([this](core::Transaction& tx) -> core::Status {
      for (const char* id : {"usr_priya", "usr_helen"}) {
        core::identity::User u;
        u.id = id;
        u.email = std::string(id).substr(4) + "@example.org";
        u.display_name = id;
        u.password_hash = "unused";
        u.created_at = u.updated_at = clock_.Now();
        tx.Identity().InsertUser(u);
      }
      return core::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.error().detail;
  }

  void Notify(const std::string& user, const std::string& title) {
    auto status = uow_->Write([&](core::Transaction& tx) {
      app::notify::Notify(tx, clock_, ids_,
                          {user, "submission.decided", title, "Body of " + title,
                           "/submissions/sub_1", true});
      return core::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.error().detail;
  }

  std::vector<Middleware> TestMiddleware() {
    return {testing::HeaderPrincipal("X-Test-User"), PolicyMiddleware(policies_, router_)};
  }

  ClientResponse Call(std::string_view method, std::string_view target, const std::string& user = "") {
    std::vector<std::string> headers;
    if (!user.empty()) headers.push_back("X-Test-User: " + user);
    return Fetch(port_, method, target, headers);
  }

  // Checks a response against the OpenAPI document for the route pattern and returns its body.
  json Documented(const ClientResponse& r, const std::string& method, const std::string& pattern) {
    json body = r.body.empty() ? json() : json::parse(r.body);
    for (const auto& problem : ValidateResponse(OpenApiDocument(), method, pattern, r.status, body))
      ADD_FAILURE() << method << " " << pattern << " " << r.status << ": " << problem;
    return body;
  }

  fs::path dir_;
  SteppingClock clock_;
  SequentialIds ids_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  app::identity::PolicySet policies_ = app::identity::StandardPolicies();
  Router router_;
  std::unique_ptr<testing::RunningServer> server_;
  unsigned short port_ = 0;
};

TEST_F(NotificationsApi, EveryRouteIsDocumented) {
  EXPECT_EQ(router_.routes().size(), 3u);
  for (const auto& missing : UndocumentedOperations(router_, OpenApiDocument())) ADD_FAILURE() << missing;
}

TEST_F(NotificationsApi, SignedOutCallersGet401) {
  for (auto [method, target, pattern] :
       {std::tuple{"GET", kBase, kBase}, std::tuple{"POST", kBase + "/ntf_t1/read", kBase + "/{id}/read"},
        std::tuple{"POST", kBase + "/read-all", kBase + "/read-all"}}) {
    auto r = Call(method, target);
    EXPECT_EQ(r.status, 401) << method << " " << target;
    Documented(r, method, pattern);
  }
}

TEST_F(NotificationsApi, TheInboxListsYourOwnNewestFirstInPages) {
  for (int i = 1; i <= 3; ++i) Notify("usr_priya", "Decision " + std::to_string(i));
  Notify("usr_helen", "Not for Priya");

  auto r = Call("GET", kBase + "?limit=2", "usr_priya");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Cache-Control").value_or(""), "private, no-store");
  json page = Documented(r, "GET", kBase);
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["title"], "Decision 3");
  EXPECT_EQ(page["items"][0]["body"], "Body of Decision 3");
  EXPECT_EQ(page["items"][0]["kind"], "submission.decided");
  EXPECT_EQ(page["items"][0]["link"], "/submissions/sub_1");
  EXPECT_TRUE(page["items"][0]["read_at"].is_null());
  EXPECT_EQ(page["items"][1]["title"], "Decision 2");
  EXPECT_EQ(page["unread_count"], 3);
  ASSERT_TRUE(page["next_before"].is_string());

  r = Call("GET", kBase + "?limit=2&before=" + page["next_before"].get<std::string>(), "usr_priya");
  ASSERT_EQ(r.status, 200) << r.body;
  json rest = Documented(r, "GET", kBase);
  ASSERT_EQ(rest["items"].size(), 1u);
  EXPECT_EQ(rest["items"][0]["title"], "Decision 1");
  EXPECT_TRUE(rest["next_before"].is_null());

  r = Call("GET", kBase, "usr_helen");
  json helens = Documented(r, "GET", kBase);
  ASSERT_EQ(helens["items"].size(), 1u);
  EXPECT_EQ(helens["items"][0]["title"], "Not for Priya");

  r = Call("GET", kBase, "usr_nobody_yet");
  json empty = Documented(r, "GET", kBase);
  EXPECT_EQ(empty["items"].size(), 0u);
  EXPECT_EQ(empty["unread_count"], 0);
}

TEST_F(NotificationsApi, BadQueriesGet400) {
  for (const std::string query : {"?limit=0", "?limit=101", "?limit=ten", "?limit=5x",
                                  "?unread=yes", "?before=usr_priya"}) {
    auto r = Call("GET", kBase + query, "usr_priya");
    EXPECT_EQ(r.status, 400) << query << " " << r.body;
    EXPECT_EQ(r.Header("Content-Type").value_or(""), "application/problem+json");
    Documented(r, "GET", kBase);
  }
}

TEST_F(NotificationsApi, MarkingReadOneAndAll) {
  Notify("usr_priya", "First");
  Notify("usr_priya", "Second");
  Notify("usr_helen", "Helen's");
  json priyas = Call("GET", kBase, "usr_priya").Json();
  json helens = Call("GET", kBase, "usr_helen").Json();
  const std::string first = priyas["items"][1]["id"], helen = helens["items"][0]["id"];

  // Someone else's notification, or none at all, is not found.
  for (const auto& id : {helen, std::string("ntf_missing")}) {
    auto r = Call("POST", kBase + "/" + id + "/read", "usr_priya");
    EXPECT_EQ(r.status, 404) << r.body;
    Documented(r, "POST", kBase + "/{id}/read");
  }
  EXPECT_EQ(Call("GET", kBase, "usr_helen").Json()["unread_count"], 1);

  auto r = Call("POST", kBase + "/" + first + "/read", "usr_priya");
  EXPECT_EQ(r.status, 204) << r.body;
  Documented(r, "POST", kBase + "/{id}/read");
  json after = Call("GET", kBase + "?unread=true", "usr_priya").Json();
  ASSERT_EQ(after["items"].size(), 1u);
  EXPECT_EQ(after["items"][0]["title"], "Second");
  EXPECT_EQ(after["unread_count"], 1);
  json all = Documented(Call("GET", kBase, "usr_priya"), "GET", kBase);
  EXPECT_TRUE(all["items"][1]["read_at"].is_string());

  r = Call("POST", kBase + "/read-all", "usr_priya");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Documented(r, "POST", kBase + "/read-all")["marked"], 1);
  r = Call("POST", kBase + "/read-all", "usr_priya");
  EXPECT_EQ(r.Json()["marked"], 0);
  EXPECT_EQ(Call("GET", kBase, "usr_priya").Json()["unread_count"], 0);
  EXPECT_EQ(Call("GET", kBase, "usr_helen").Json()["unread_count"], 1);
}

}  // namespace
}  // namespace cairn::http
