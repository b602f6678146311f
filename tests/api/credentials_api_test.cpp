// The credentials API over a real Server on an ephemeral port: the use cases on SQLite with the
// real signer (tests/app/credentials/fixture.hpp), identity's real PolicySet, and every response
// checked against the OpenAPI document. Authentication is a test header.
#include <gtest/gtest.h>

#include <sstream>

#include "../http/test_client.hpp"
#include "app/identity/policies.hpp"
#include "credentials/fixture.hpp"
#include "http/handlers/credential_handlers.hpp"
#include "http/openapi.hpp"
#include "http/server.hpp"
#include "../support/api_test_support.hpp"

namespace cairn::http {
namespace {

using nlohmann::json;
using testing::ClientResponse;
using testing::Fetch;

class CredentialsApi : public app::credentials::testing::CredentialsFixture {
 protected:
  void SetUp() override {
    CredentialsFixture::SetUp();
    issuer_ = CreateIssuer("National Center for Teaching");
    other_issuer_ = CreateIssuer("Elsewhere");
    educator_ = CreateUser("maria@school.test", "Maria Lopez");
    mc_ = PublishMicroCredential(issuer_);
    auto id = Award(Request(educator_, issuer_, mc_));
    ASSERT_TRUE(id.ok());
    credential_ = id.value();
    RegisterCredentialRoutes(router_, *ctx_);
    ServerOptions options = testing::TestServerOptions("credentials-api-test", 2);
    server_ = std::make_unique<testing::RunningServer>(options, router_, Middleware());
    port_ = server_->port();
  }
  void TearDown() override {
    server_.reset();
    CredentialsFixture::TearDown();
  }

  std::vector<http::Middleware> Middleware() {
    return {
        [this](http::Request& req, const Route&) -> std::optional<Response> {
          const auto who = req.headers.Get("X-Test-Principal");
          if (who == std::optional<std::string>("educator")) req.principal = core::identity::Principal{educator_};
          if (who == std::optional<std::string>("admin")) req.principal = Admin(issuer_);
          if (who == std::optional<std::string>("other_admin")) req.principal = Admin(other_issuer_, "usr_other");
          return std::nullopt;
        },
        [this](http::Request& req, const Route& route) -> std::optional<Response> {
          const auto* check = policies_.Find(route.policy);
          if (!check) return ProblemResponse(core::Error::Internal("unknown policy"));
          if ((*check)(req.principal, req.params)) return std::nullopt;
          if (!req.principal) return ProblemResponse(core::Error::Unauthenticated("sign in first"));
          return ProblemResponse(core::Error::Forbidden("not allowed"));
        },
    };
  }

  ClientResponse Call(std::string_view method, const std::string& target, const std::string& who = "",
                      const std::string& body = "", std::vector<std::string> headers = {}) {
    if (!who.empty()) headers.push_back("X-Test-Principal: " + who);
    if (!body.empty()) headers.push_back("Content-Type: application/json");
    return Fetch(port_, method, target, headers, body);
  }

  json Documented(const ClientResponse& r, const std::string& method, const std::string& pattern) {
    json body = r.body.empty() ? json() : json::parse(r.body);
    for (const auto& problem : ValidateResponse(OpenApiDocument(), method, pattern, r.status, body))
      ADD_FAILURE() << method << " " << pattern << " " << r.status << ": " << problem;
    return body;
  }

  Router router_;
  app::identity::PolicySet policies_ = app::identity::StandardPolicies();
  std::unique_ptr<testing::RunningServer> server_;
  int port_ = 0;
  std::string issuer_, other_issuer_, educator_, mc_, credential_;
};

TEST_F(CredentialsApi, TheEducatorListsTheirCredentials) {
  EXPECT_EQ(Call("GET", "/api/v1/me/credentials").status, 401);
  const auto r = Call("GET", "/api/v1/me/credentials", "educator");
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = Documented(r, "GET", "/api/v1/me/credentials");
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["id"], credential_);
  EXPECT_EQ(body["items"][0]["status"], "active");
  EXPECT_FALSE(body["items"][0].contains("recipient_email"));
}

TEST_F(CredentialsApi, TheSignedCredentialIsPublicUnlessPrivate) {
  const auto r = Call("GET", "/api/v1/credentials/" + credential_);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type").value_or(""), "application/ld+json");
  EXPECT_TRUE(json::parse(r.body).contains("proof"));
  EXPECT_EQ(Call("GET", "/api/v1/credentials/cred_nope").status, 404);
  auto bad = Call("PUT", "/api/v1/credentials/" + credential_ + "/visibility", "educator", R"({"visibility":"secret"})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(json::parse(bad.body)["errors"][0]["pointer"], "/visibility");
  auto made_private = Call("PUT", "/api/v1/credentials/" + credential_ + "/visibility", "educator",
                           R"({"visibility":"private"})");
  ASSERT_EQ(made_private.status, 200);
  Documented(made_private, "PUT", "/api/v1/credentials/{id}/visibility");
  const auto hidden = Call("GET", "/api/v1/credentials/" + credential_);
  ASSERT_EQ(hidden.status, 200);
  Documented(hidden, "GET", "/api/v1/credentials/{id}");
  EXPECT_EQ(json::parse(hidden.body)["valid"], true);
}

TEST_F(CredentialsApi, RevocationNeedsTheIssuersAdminAReasonAndHappensOnce) {
  const std::string path = "/api/v1/credentials/" + credential_ + "/revoke";
  EXPECT_EQ(Call("POST", path, "educator", R"({"reason":"x"})").status, 403);
  EXPECT_EQ(Call("POST", path, "other_admin", R"({"reason":"x"})").status, 403);
  auto empty = Call("POST", path, "admin", R"({"reason":""})");
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(json::parse(empty.body)["errors"][0]["pointer"], "/reason");
  EXPECT_EQ(Call("POST", path, "admin", "not json").status, 400);
  auto revoked = Call("POST", path, "admin", R"({"reason":"Plagiarised evidence"})");
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(Documented(revoked, "POST", "/api/v1/credentials/{id}/revoke")["status"], "revoked");
  auto again = Call("POST", path, "admin", R"({"reason":"again"})");
  EXPECT_EQ(again.status, 409);
  Documented(again, "POST", "/api/v1/credentials/{id}/revoke");
}

TEST_F(CredentialsApi, StatusListsAreCachedAndChangeOnRevocation) {
  const json credential = SignedJson(credential_);
  const std::string url = credential["credentialStatus"]["statusListCredential"];
  const std::string path = url.substr(ctx_->public_url.size());
  const auto first = Call("GET", path);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.Header("Cache-Control").value_or(""), "public, max-age=300");
  const std::string etag = first.Header("ETag").value_or("");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(Call("GET", path, "", "", {"If-None-Match: " + etag}).status, 304);
  ASSERT_EQ(Call("POST", "/api/v1/credentials/" + credential_ + "/revoke", "admin", R"({"reason":"r"})").status, 200);
  const auto after = Call("GET", path, "", "", {"If-None-Match: " + etag});
  ASSERT_EQ(after.status, 200);
  EXPECT_NE(after.Header("ETag").value_or(""), etag);
  EXPECT_NE(json::parse(after.body)["credentialSubject"]["encodedList"],
            json::parse(first.body)["credentialSubject"]["encodedList"]);
}

TEST_F(CredentialsApi, IssuerAdminsExportAwardsAndManageKeys) {
  auto list = Call("GET", "/api/v1/issuers/" + issuer_ + "/awards", "admin");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Documented(list, "GET", "/api/v1/issuers/{id}/awards")["items"][0]["recipient_email"],
            "maria@school.test");
  auto csv = Call("GET", "/api/v1/issuers/" + issuer_ + "/awards?format=csv", "admin");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("Content-Type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.rfind("id,recipient_email,", 0), 0u);
  EXPECT_NE(csv.body.find(credential_ + ",maria@school.test,"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/issuers/" + issuer_ + "/awards", "other_admin").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/issuers/org_nope/awards", "admin").status, 404);

  auto rotated = Call("POST", "/api/v1/issuers/" + issuer_ + "/keys/rotate", "admin");
  ASSERT_EQ(rotated.status, 201) << rotated.body;
  Documented(rotated, "POST", "/api/v1/issuers/{id}/keys/rotate");
  auto keys = Call("GET", "/api/v1/issuers/" + issuer_ + "/keys", "admin");
  EXPECT_EQ(Documented(keys, "GET", "/api/v1/issuers/{id}/keys")["items"].size(), 2u);
  auto controller = Call("GET", "/issuers/" + issuer_);
  ASSERT_EQ(controller.status, 200);
  EXPECT_EQ(Documented(controller, "GET", "/issuers/{id}")["verificationMethod"].size(), 2u);

  auto bad = Call("PUT", "/api/v1/issuers/" + issuer_ + "/credential-settings", "admin",
                  R"({"identity":"hosted","suite":"rsa","valid_days":0})");
  EXPECT_EQ(bad.status, 422);
  auto settings = Call("PUT", "/api/v1/issuers/" + issuer_ + "/credential-settings", "admin",
                       R"({"identity":"hosted","suite":"eddsa-jcs-2022","valid_days":365})");
  ASSERT_EQ(settings.status, 200) << settings.body;
  Documented(settings, "PUT", "/api/v1/issuers/{id}/credential-settings");
  auto change_identity = Call("PUT", "/api/v1/issuers/" + issuer_ + "/credential-settings", "admin",
                              R"({"identity":"did:key","suite":"eddsa-jcs-2022"})");
  EXPECT_EQ(change_identity.status, 409);
}

TEST_F(CredentialsApi, BadgeImagesAndClr) {
  auto png = Call("GET", "/badges/" + mc_ + "/1.png");
  ASSERT_EQ(png.status, 200);
  EXPECT_EQ(png.body.rfind("\x89PNG", 0), 0u);
  EXPECT_EQ(Call("GET", "/badges/" + mc_ + "/x.png").status, 404);
  EXPECT_EQ(Call("GET", "/badges/" + mc_ + "/9.png").status, 404);
  auto clr = Call("GET", "/api/v1/me/clr", "educator");
  ASSERT_EQ(clr.status, 200);
  const json doc = json::parse(clr.body);
  EXPECT_EQ(doc["credentialSubject"]["verifiableCredential"].size(), 1u);
  EXPECT_TRUE(Verify(doc).Find("proof")->outcome == cairn::credentials::verification::Outcome::kPassed);
}

}  // namespace
}  // namespace cairn::http
