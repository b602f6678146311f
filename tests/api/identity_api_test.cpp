// Identity end to end over HTTP: sign-up, email, verification, sessions, CSRF, throttling, reset,
// API tokens, organisations and invitations, and precise problems for bad input. Every JSON
// response is also checked against the OpenAPI document.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>

#include "app/identity/accounts.hpp"
#include "app/identity/policies.hpp"
#include "app/identity/sodium_crypto.hpp"
#include "http/handlers/identity_handlers.hpp"
#include "http/handlers/identity_middleware.hpp"
#include "http/openapi.hpp"
#include "http/server.hpp"
#include "jobs/worker.hpp"
#include "mail/smtp_mailer.hpp"
#include "storage/database.hpp"
#include "storage/sql_unit_of_work.hpp"
#include "support/clock_and_ids.hpp"
#include "support/smtp_sink.hpp"
#include "test_client.hpp"
#include "../support/api_test_support.hpp"

namespace cairn::http {
namespace {

using cairn::testing::ExtractToken;
using nlohmann::json;
using testing::ClientResponse;

constexpr const char* kPassword = "correct horse battery";

class IdentityApi : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cairn-identity-api-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto db = storage::Database::Open("sqlite:" + dir_ + "/cairn.db");
    ASSERT_TRUE(db.ok()) << db.error().detail;
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate().ok());
    uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
    sink_ = std::make_unique<cairn::testing::SmtpSink>();
    mail::SmtpOptions smtp;
    smtp.port = sink_->port();
    smtp.from_address = "noreply@cairn.test";
    smtp.from_name = "Cairn";
    smtp.starttls = mail::StartTls::kNone;
    mailer_ = std::make_unique<mail::SmtpMailer>(smtp);
    app::identity::IdentityOptions options;
    options.public_url = "https://cairn.test";
    ctx_ = std::make_unique<app::identity::IdentityContext>(app::identity::IdentityContext{
        *uow_, clock_, ids_, hasher_, secrets_, *mailer_, options});
    // Account emails go through the job queue, sent by the worker as in the server.
    jobs::WorkerOptions worker_options;
    worker_options.poll = std::chrono::milliseconds(10);
    worker_ = std::make_unique<jobs::Worker>(
        *uow_, clock_,
        std::map<std::string, jobs::Handler>{
            {std::string(app::identity::kAccountEmailJobKind),
             [this](const core::jobs::Job& job) {
               return app::identity::DeliverAccountEmail(*ctx_, job.payload);
             }}},
        std::vector<jobs::PeriodicKind>{}, worker_options);
    worker_->Start();

    RegisterIdentityRoutes(router_, {*ctx_});
    policies_ = app::identity::StandardPolicies();
    ServerOptions server_options = testing::TestServerOptions("identity-api", 2);
    server_ = std::make_unique<testing::RunningServer>(
        server_options, router_,
        std::vector<Middleware>{AuthenticationMiddleware(*ctx_), CsrfMiddleware(),
                                PolicyMiddleware(policies_, router_)});
    port_ = server_->port();
  }

  void TearDown() override {
    server_.reset();
    worker_.reset();
    ctx_.reset();
    uow_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // One request; checks the response against the OpenAPI document for the route it hit.
  ClientResponse Call(const std::string& method, const std::string& path, const std::string& pattern,
                      const std::string& body = "", std::vector<std::string> headers = {}) {
    if (!body.empty()) headers.push_back("Content-Type: application/json");
    auto r = testing::Fetch(port_, method, path, headers, body);
    if (!r.body.empty()) {
      json parsed = json::parse(r.body, nullptr, false);
      EXPECT_FALSE(parsed.is_discarded()) << method << " " << path << ": not JSON: " << r.body;
      if (!parsed.is_discarded()) {
        auto problems = ValidateResponse(OpenApiDocument(), method, pattern, r.status, parsed);
        EXPECT_TRUE(problems.empty()) << method << " " << pattern << " " << r.status << ": "
                                      << (problems.empty() ? "" : problems[0]) << "\n" << r.body;
      }
    }
    return r;
  }
  ClientResponse Post(const std::string& path, const json& body, std::vector<std::string> headers = {},
                      std::string pattern = "") {
    return Call("POST", path, pattern.empty() ? path : pattern, body.dump(), std::move(headers));
  }

  // The cookie value from a Set-Cookie header.
  static std::string CookieValue(const ClientResponse& r) {
    auto set = r.Header("Set-Cookie");
    if (!set) return "";
    auto start = set->find('=') + 1;
    return set->substr(start, set->find(';') - start);
  }

  struct Browser {
    std::string cookie;  // "cairn_session=…"
    std::string csrf;
    std::vector<std::string> Headers(bool with_csrf = true) const {
      std::vector<std::string> h = {"Cookie: " + cookie};
      if (with_csrf) h.push_back("X-CSRF-Token: " + csrf);
      return h;
    }
  };

  Browser SignIn(const std::string& email, const std::string& password = kPassword) {
    auto r = Post("/api/v1/auth/signin", {{"email", email}, {"password", password}});
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    return Browser{"cairn_session=" + CookieValue(r), r.Json()["csrf_token"]};
  }

  void SignUpAndVerify(const std::string& email, const std::string& name) {
    auto r = Post("/api/v1/auth/signup", {{"email", email}, {"display_name", name}, {"password", kPassword}});
    ASSERT_EQ(r.status, 202) << r.body;
    auto mail = sink_->WaitForMessageTo(email);
    auto v = Post("/api/v1/auth/verify-email", {{"token", ExtractToken(mail.text)}});
    ASSERT_EQ(v.status, 204) << v.body;
  }

  Browser PlatformAdmin() {
    auto admin = app::identity::CreatePlatformAdmin(*ctx_, {"root@example.org", "Root", kPassword});
    EXPECT_TRUE(admin.ok());
    return SignIn("root@example.org");
  }

  long long Count(const std::string& table) {
    long long n = -1;
    (void)db_->Read([&](storage::Tx& tx) -> core::Status {
      tx.sql() << "SELECT count(*) FROM " + table, soci::into(n);
      return core::Ok();
    });
    return n;
  }

  static std::vector<std::string> Pointers(const ClientResponse& r) {
    std::vector<std::string> out;
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_object() && body.contains("errors"))
      for (const auto& e : body["errors"]) out.push_back(e["pointer"]);
    return out;
  }

  std::string dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  cairn::testing::SystemClock clock_;
  cairn::testing::RandomIdGenerator ids_;
  app::identity::Argon2idPasswordHasher hasher_;  // the production cost: t=3, m=64 MiB
  app::identity::SodiumSecretGenerator secrets_;
  std::unique_ptr<cairn::testing::SmtpSink> sink_;
  std::unique_ptr<mail::SmtpMailer> mailer_;
  std::unique_ptr<jobs::Worker> worker_;
  std::unique_ptr<app::identity::IdentityContext> ctx_;
  app::identity::PolicySet policies_;
  Router router_;
  std::unique_ptr<testing::RunningServer> server_;
  unsigned short port_ = 0;
};

TEST_F(IdentityApi, SignUpVerifySignInMeCsrfSignOut) {
  auto signup = Post("/api/v1/auth/signup",
                     {{"email", "Ada@Example.org"}, {"display_name", "Ada Lovelace"}, {"password", kPassword}});
  ASSERT_EQ(signup.status, 202) << signup.body;

  auto mail = sink_->WaitForMessageTo("ada@example.org");
  EXPECT_EQ(mail.Header("subject"), "Confirm your email address for Cairn");
  EXPECT_TRUE(mail.defects.empty());
  const std::string token = ExtractToken(mail.text);
  ASSERT_FALSE(token.empty()) << mail.text;

  auto early = Post("/api/v1/auth/signin", {{"email", "ada@example.org"}, {"password", kPassword}});
  EXPECT_EQ(early.status, 403) << early.body;

  EXPECT_EQ(Post("/api/v1/auth/verify-email", {{"token", token}}).status, 204);
  auto reused = Post("/api/v1/auth/verify-email", {{"token", token}});
  EXPECT_EQ(reused.status, 422);
  EXPECT_EQ(Pointers(reused), std::vector<std::string>{"/token"});

  auto signin = Post("/api/v1/auth/signin", {{"email", "ada@example.org"}, {"password", kPassword}});
  ASSERT_EQ(signin.status, 200) << signin.body;
  const std::string set_cookie = signin.Header("Set-Cookie").value_or("");
  EXPECT_EQ(set_cookie.rfind("cairn_session=", 0), 0u);
  for (const char* attr : {"; HttpOnly", "; SameSite=Lax", "; Path=/", "; Secure", "; Max-Age="})
    EXPECT_NE(set_cookie.find(attr), std::string::npos) << attr << " in " << set_cookie;
  EXPECT_EQ(signin.Json()["user"]["email"], "ada@example.org");
  Browser ada{"cairn_session=" + CookieValue(signin), signin.Json()["csrf_token"]};

  auto me = Call("GET", "/api/v1/me", "/api/v1/me", "", ada.Headers(false));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json()["user"]["display_name"], "Ada Lovelace");
  EXPECT_EQ(me.Json()["csrf_token"], ada.csrf);
  EXPECT_EQ(me.Header("Cache-Control"), "no-store");

  // A cookie-authenticated change without the CSRF token is refused, and nothing is created.
  auto no_csrf = Post("/api/v1/me/tokens", {{"name", "CI"}}, ada.Headers(false));
  EXPECT_EQ(no_csrf.status, 403) << no_csrf.body;
  auto wrong_csrf = Post("/api/v1/me/tokens", {{"name", "CI"}}, {"Cookie: " + ada.cookie, "X-CSRF-Token: nope"});
  EXPECT_EQ(wrong_csrf.status, 403);
  EXPECT_EQ(Count("api_tokens"), 0);
  EXPECT_EQ(Post("/api/v1/me/tokens", {{"name", "CI"}}, ada.Headers()).status, 201);
  // A public route posted with the cookie but without the token (a form on a page without
  // JavaScript) is answered as for anyone: here a failed sign-in, not a CSRF refusal.
  auto public_form = Post("/api/v1/auth/signin", {{"email", "nobody@example.org"}, {"password", "wrong"}},
                          ada.Headers(false));
  EXPECT_EQ(public_form.status, 401) << public_form.body;

  // The audit trail names who did what, never a password, link token, session or CSRF secret.
  std::string audit;
  (void)db_->Read([&](storage::Tx& tx) -> core::Status {
    soci::rowset<soci::row> rows = (tx.sql().prepare << "SELECT actor_id, action, entity_id, "
                                    "coalesce(from_state, ''), coalesce(to_state, ''), detail FROM audit_log");
    for (const auto& row : rows)
      for (std::size_t i = 0; i < row.size(); ++i) audit += row.get<std::string>(i) + "\n";
    return core::Ok();
  });
  EXPECT_NE(audit.find("user.verify_email"), std::string::npos);
  for (const std::string& secret : {std::string(kPassword), token, CookieValue(signin), ada.csrf})
    EXPECT_EQ(audit.find(secret), std::string::npos) << secret;

  auto signout = Post("/api/v1/auth/signout", json::object(), ada.Headers());
  EXPECT_EQ(signout.status, 204) << signout.body;
  EXPECT_NE(signout.Header("Set-Cookie").value_or("").find("Max-Age=0"), std::string::npos);
  auto after = Call("GET", "/api/v1/me", "/api/v1/me", "", ada.Headers(false));
  EXPECT_EQ(after.status, 401);
  // The stale cookie is cleared rather than left to fail forever.
  EXPECT_NE(after.Header("Set-Cookie").value_or("").find("Max-Age=0"), std::string::npos);
}

TEST_F(IdentityApi, WrongPasswordThenThrottledWithRetryAfter) {
  SignUpAndVerify("ada@example.org", "Ada");
  for (int i = 0; i < 5; ++i) {
    auto r = Post("/api/v1/auth/signin", {{"email", "ada@example.org"}, {"password", "wrong password"}});
    ASSERT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
    EXPECT_EQ(r.Json()["detail"], "the email address or password is incorrect");
  }
  auto blocked = Post("/api/v1/auth/signin", {{"email", "ada@example.org"}, {"password", kPassword}});
  ASSERT_EQ(blocked.status, 429) << blocked.body;
  const int retry = std::stoi(blocked.Header("Retry-After").value_or("0"));
  EXPECT_GT(retry, 800);
  EXPECT_LE(retry, 900);
  EXPECT_FALSE(blocked.Header("Set-Cookie").has_value());
}

TEST_F(IdentityApi, PasswordResetByEmailedLink) {
  SignUpAndVerify("ada@example.org", "Ada");
  Browser old = SignIn("ada@example.org");

  auto unknown = Post("/api/v1/auth/password-reset", {{"email", "nobody@example.org"}});
  auto known = Post("/api/v1/auth/password-reset", {{"email", "ada@example.org"}});
  ASSERT_EQ(unknown.status, 202);
  ASSERT_EQ(known.status, 202);
  EXPECT_EQ(unknown.body, known.body);  // no account enumeration

  auto mail = sink_->WaitForMessages(2).back();  // after the verification email; sent by the queue
  EXPECT_EQ(mail.Header("subject"), "Reset your Cairn password");
  auto confirm = Post("/api/v1/auth/password-reset/confirm",
                      {{"token", ExtractToken(mail.text)}, {"password", "a new long passphrase"}});
  ASSERT_EQ(confirm.status, 204) << confirm.body;
  EXPECT_EQ(Call("GET", "/api/v1/me", "/api/v1/me", "", old.Headers(false)).status, 401);
  EXPECT_EQ(Post("/api/v1/auth/signin", {{"email", "ada@example.org"}, {"password", kPassword}}).status, 401);
  SignIn("ada@example.org", "a new long passphrase");
}

TEST_F(IdentityApi, ApiTokensWorkWithoutCsrfAndStopWhenRevoked) {
  Browser root = PlatformAdmin();
  auto created = Post("/api/v1/me/tokens", {{"name", "Provisioning"}, {"expires_in_days", 30}}, root.Headers());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string secret = created.Json()["secret"];
  const std::string token_id = created.Json()["token"]["id"];
  EXPECT_EQ(secret.rfind("cairn_pat_", 0), 0u);
  const std::string bearer = "Authorization: Bearer " + secret;

  auto me = Call("GET", "/api/v1/me", "/api/v1/me", "", {bearer});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_TRUE(me.Json()["csrf_token"].is_null());
  auto org = Post("/api/v1/organizations", {{"name", "Teach Forward"}, {"kind", "nonprofit"}}, {bearer});
  EXPECT_EQ(org.status, 201) << org.body;

  // A token cannot mint tokens (route policy "session").
  EXPECT_EQ(Post("/api/v1/me/tokens", {{"name", "more"}}, {bearer}).status, 403);

  auto listed = Call("GET", "/api/v1/me/tokens", "/api/v1/me/tokens", "", root.Headers(false));
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.Json()["items"].size(), 1u);
  EXPECT_EQ(listed.body.find(secret), std::string::npos);

  auto revoke = Call("DELETE", "/api/v1/me/tokens/" + token_id, "/api/v1/me/tokens/{id}", "", root.Headers());
  EXPECT_EQ(revoke.status, 204) << revoke.body;
  auto after = Call("GET", "/api/v1/me", "/api/v1/me", "", {bearer});
  EXPECT_EQ(after.status, 401);
  EXPECT_TRUE(after.Header("WWW-Authenticate").has_value());
  EXPECT_EQ(Call("GET", "/api/v1/me", "/api/v1/me", "", {"Authorization: Basic YTpi"}).status, 401);
}

TEST_F(IdentityApi, InvitationEmailAcceptAndMemberVisibility) {
  Browser root = PlatformAdmin();
  auto district = Post("/api/v1/organizations", {{"name", "Riverside Unified"}, {"kind", "district"}}, root.Headers());
  ASSERT_EQ(district.status, 201) << district.body;
  const std::string district_id = district.Json()["id"];
  auto school = Post("/api/v1/organizations",
                     {{"name", "Oak Elementary"}, {"kind", "school"}, {"parent_id", district_id}}, root.Headers());
  ASSERT_EQ(school.status, 201) << school.body;
  const std::string school_id = school.Json()["id"];
  auto other = Post("/api/v1/organizations", {{"name", "Lakeside County"}, {"kind", "district"}}, root.Headers());
  const std::string other_id = other.Json()["id"];

  auto schools = Call("GET", "/api/v1/organizations/" + district_id + "/schools",
                      "/api/v1/organizations/{id}/schools", "", root.Headers(false));
  ASSERT_EQ(schools.status, 200);
  ASSERT_EQ(schools.Json()["items"].size(), 1u);
  EXPECT_EQ(schools.Json()["items"][0]["parent_id"], district_id);

  const std::string invite_path = "/api/v1/organizations/" + district_id + "/invitations";
  const std::string invite_pattern = "/api/v1/organizations/{id}/invitations";
  auto inv = Post(invite_path, {{"email", "dee@example.org"}, {"role", "district_admin"}}, root.Headers(),
                  invite_pattern);
  ASSERT_EQ(inv.status, 201) << inv.body;
  auto mail = sink_->WaitForMessageTo("dee@example.org");
  EXPECT_EQ(mail.Header("subject"), "You are invited to join Riverside Unified on Cairn");
  auto accepted = Post("/api/v1/invitations/accept",
                       {{"token", ExtractToken(mail.text)}, {"display_name", "Dee"}, {"password", kPassword}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json()["account_created"], true);
  EXPECT_EQ(accepted.Json()["role"], "district_admin");

  Browser dee = SignIn("dee@example.org");
  auto ed_inv = Post("/api/v1/organizations/" + school_id + "/invitations",
                     {{"email", "ed@example.org"}, {"role", "educator"}}, dee.Headers(), invite_pattern);
  ASSERT_EQ(ed_inv.status, 201) << ed_inv.body;
  auto ed_mail = sink_->WaitForMessageTo("ed@example.org");
  ASSERT_EQ(Post("/api/v1/invitations/accept",
                 {{"token", ExtractToken(ed_mail.text)}, {"display_name", "Ed"}, {"password", kPassword}})
                .status,
            200);
  Browser ed = SignIn("ed@example.org");

  const std::string members = "/api/v1/organizations/{id}/members";
  auto listed = Call("GET", "/api/v1/organizations/" + school_id + "/members", members, "", dee.Headers(false));
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.Json()["items"].size(), 1u);
  EXPECT_EQ(listed.Json()["items"][0]["email"], "ed@example.org");

  // An educator never sees another district's private data (nor their own school's roster).
  EXPECT_EQ(Call("GET", "/api/v1/organizations/" + other_id + "/members", members, "", ed.Headers(false)).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/organizations/" + school_id + "/members", members, "", ed.Headers(false)).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/organizations/" + school_id + "/members", members).status, 401);
  // Nor may they invite, or create organisations.
  EXPECT_EQ(Post("/api/v1/organizations/" + school_id + "/invitations",
                 {{"email", "x@example.org"}, {"role", "educator"}}, ed.Headers(), invite_pattern).status, 403);
  EXPECT_EQ(Post("/api/v1/organizations", {{"name", "Mine"}, {"kind", "nonprofit"}}, ed.Headers()).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/organizations/org_nope", "/api/v1/organizations/{id}", "", ed.Headers(false)).status, 404);
}

TEST_F(IdentityApi, BadInputGetsPreciseProblemsAndWritesNothing) {
  const std::string signup = "/api/v1/auth/signup";
  auto malformed = Call("POST", signup, signup, "{\"email\": ", {"Content-Type: application/json"});
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_EQ(malformed.Header("Content-Type"), "application/problem+json");

  auto types = Post(signup, {{"email", 42}, {"display_name", true}, {"password", json::array()}});
  EXPECT_EQ(types.status, 422) << types.body;
  EXPECT_EQ(Pointers(types), (std::vector<std::string>{"/email", "/display_name", "/password"}));

  auto missing = Post(signup, {{"email", "a@example.org"}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(Pointers(missing), (std::vector<std::string>{"/display_name", "/password"}));

  auto unknown = Post(signup, {{"email", "a@example.org"}, {"display_name", "A"}, {"password", kPassword},
                               {"is_admin", true}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(Pointers(unknown), std::vector<std::string>{"/is_admin"});

  auto invalid = Post(signup, {{"email", "not-an-email"}, {"display_name", "A"}, {"password", "short"}});
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(Pointers(invalid), (std::vector<std::string>{"/email", "/password"}));

  auto utf8 = Call("POST", signup, signup,
                   "{\"email\":\"a@example.org\",\"display_name\":\"\xC3\x28\",\"password\":\"correct horse battery\"}",
                   {"Content-Type: application/json"});
  EXPECT_EQ(utf8.status, 400) << utf8.body;

  auto not_json = Call("POST", signup, signup, "email=a@example.org", {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(not_json.status, 415) << not_json.body;

  auto array = Call("POST", signup, signup, "[]", {"Content-Type: application/json"});
  EXPECT_EQ(array.status, 400);

  EXPECT_EQ(Count("users"), 0);
  EXPECT_EQ(Count("email_tokens"), 0);
  EXPECT_EQ(Count("audit_log"), 0);
  EXPECT_TRUE(sink_->WaitForMessages(1, std::chrono::milliseconds(200)).empty());

  Browser root = PlatformAdmin();
  auto school = Post("/api/v1/organizations", {{"name", "Oak"}, {"kind", "school"}}, root.Headers());
  EXPECT_EQ(school.status, 422);
  EXPECT_EQ(Pointers(school), std::vector<std::string>{"/parent_id"});
  auto kind = Post("/api/v1/organizations", {{"name", "Oak"}, {"kind", "charter"}, {"issuer", "yes"}}, root.Headers());
  EXPECT_EQ(kind.status, 422);
  EXPECT_EQ(Pointers(kind), (std::vector<std::string>{"/kind", "/issuer"}));
  EXPECT_EQ(Count("organizations"), 0);
  auto days = Post("/api/v1/me/tokens", {{"name", "x"}, {"expires_in_days", 1000}}, root.Headers());
  EXPECT_EQ(days.status, 422);
  EXPECT_EQ(Pointers(days), std::vector<std::string>{"/expires_in_days"});
  EXPECT_EQ(Count("api_tokens"), 0);
}

TEST_F(IdentityApi, EveryRouteIsDocumentedAndNamesAKnownPolicy) {
  EXPECT_EQ(UndocumentedOperations(router_, OpenApiDocument()), std::vector<std::string>{});
  Router broken;
  broken.Add({"GET", "/api/v1/x", [](Request&) { return NoContentResponse(); }, "platfrom_admin", 0, ""});
  EXPECT_THROW(PolicyMiddleware(policies_, broken), std::invalid_argument);
  Router unnamed;
  unnamed.Add({"GET", "/api/v1/y", [](Request&) { return NoContentResponse(); }, "", 0, ""});
  EXPECT_THROW(PolicyMiddleware(policies_, unnamed), std::invalid_argument);
}

}  // namespace
}  // namespace cairn::http
