// The public pages end to end: a real Server on an ephemeral port over a real SQLite database,
// real credentials signed with a real Ed25519 key (did:key, so verification needs no network),
// stored through the credentials slice's repository, read back over sockets.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "../http/test_client.hpp"
#include "app/identity/policies.hpp"
#include "app/pages/page_renderer.hpp"
#include "app/pages/pages.hpp"
#include "core/awards/award_repository.hpp"
#include "core/identity/user.hpp"
#include "credentials/baking.hpp"
#include "credentials/data_integrity.hpp"
#include "credentials/ed25519.hpp"
#include "credentials/multikey.hpp"
#include "credentials/verifier.hpp"
#include "http/handlers/page_handlers.hpp"
#include "http/handlers/page_verification.hpp"
#include "http/openapi.hpp"
#include "http/handlers/identity_middleware.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"
#include "storage/identity_repository.hpp"
#include "storage/repositories.hpp"
#include "storage/sql_portfolio_store.hpp"
#include "storage/sql_unit_of_work.hpp"
#include "../support/api_test_support.hpp"

namespace cairn::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ClientResponse;
using testing::Fetch;

constexpr const char* kPublicUrl = "https://cairn.example";

core::TimePoint At(const char* text) {
  core::TimePoint t{};
  core::ParseTime(text, t);
  return t;
}

class FixedClock final : public core::Clock {
 public:
  core::TimePoint Now() const override { return At("2026-11-23T08:00:00Z"); }
};

// Refuses every fetch: the credentials here are did:key and carry no status list, so a page
// that needed the network would show it as a failed check.
class NoNetwork final : public credentials::DocumentFetcher {
 public:
  credentials::FetchResult Fetch(const std::string& url) override {
    return credentials::FetchResult::Failure("no network in this test: " + url);
  }
};

std::optional<core::identity::Principal> PrincipalFor(const std::string& user_id) {
  core::identity::Principal p;
  p.user_id = user_id;
  return p;
}

class PagesApi : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cairn-pages-api-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = storage::Database::Open("sqlite:" + (dir_ / "cairn.db").string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
    portfolios_ = std::make_unique<storage::SqlPortfolioStore>(*db_);
    keys_ = credentials::ed25519::GenerateKeyPair();
    Seed();

    ctx_ = std::make_unique<app::pages::PagesContext>(app::pages::PagesContext{
        *uow_, clock_, *portfolios_, MakeLiveVerifier(network_, clock_), kPublicUrl});
    RegisterPageRoutes(router_, {.ctx = *ctx_, .renderer = renderer_, .fetcher = network_, .clock = clock_,
                                 .badge_png = {}});
    ServerOptions options = testing::TestServerOptions("pages-api-test", 2);
    server_ = std::make_unique<testing::RunningServer>(options, router_, TestMiddleware());
    port_ = server_->port();
  }

  void TearDown() override {
    server_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  std::vector<Middleware> TestMiddleware() {
    return {[this](Request& req, const Route&) -> std::optional<Response> {
              if (auto who = req.headers.Get("X-Test-User")) req.principal = PrincipalFor(*who);
              return std::nullopt;
            },
            PolicyMiddleware(policies_, router_)};
  }

  // An OpenBadgeCredential with a two-criterion rubric, signed eddsa-rdfc-2022 by the test key.
  json Sign(const std::string& id, const std::string& title, std::optional<std::string> valid_until = {}) {
    const std::string did = credentials::multikey::DidKey(keys_.public_key);
    json credential = {
        {"@context", {"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}},
        {"id", std::string(kPublicUrl) + "/credentials/" + id},
        {"type", {"VerifiableCredential", "OpenBadgeCredential"}},
        {"issuer", {{"id", did}, {"type", {"Profile"}}, {"name", "Riverbend <District>"}, {"url", "https://riverbend.example"}}},
        {"validFrom", "2026-11-20T10:00:00Z"},
        {"name", title},
        {"credentialSubject",
         {{"id", "did:example:ebfeb1f712ebc6f1c276e12ec21"},
          {"type", {"AchievementSubject"}},
          {"achievement",
           {{"id", std::string(kPublicUrl) + "/api/v1/micro-credentials/mc_1/versions/1"},
            {"type", {"Achievement"}},
            {"achievementType", "MicroCredential"},
            {"name", title},
            {"description", "Uses **exit tickets** to adjust instruction."},
            {"criteria", {{"narrative", "Submit three lessons with student work."}}},
            {"resultDescription",
             {{{"id", "urn:cairn:mc_1:planning"},
               {"type", {"ResultDescription"}},
               {"name", "Planning"},
               {"resultType", "RubricCriterionLevel"},
               {"rubricCriterionLevel",
                {{{"id", "urn:cairn:mc_1:planning:beginning"}, {"type", {"RubricCriterionLevel"}}, {"name", "Beginning"}, {"description", "Plans rarely use data."}},
                 {{"id", "urn:cairn:mc_1:planning:meets"}, {"type", {"RubricCriterionLevel"}}, {"name", "Meets"}, {"description", "Plans use exit-ticket data."}}}}},
              {{"id", "urn:cairn:mc_1:reflection"},
               {"type", {"ResultDescription"}},
               {"name", "Reflection"},
               {"resultType", "RubricCriterionLevel"},
               {"rubricCriterionLevel",
                {{{"id", "urn:cairn:mc_1:reflection:beginning"}, {"type", {"RubricCriterionLevel"}}, {"name", "Beginning"}, {"description", "Describes."}},
                 {{"id", "urn:cairn:mc_1:reflection:meets"}, {"type", {"RubricCriterionLevel"}}, {"name", "Meets"}, {"description", "Analyses."}}}}}}}}},
          {"result",
           {{{"type", {"Result"}}, {"resultDescription", "urn:cairn:mc_1:planning"}, {"achievedLevel", "urn:cairn:mc_1:planning:meets"}},
            {{"type", {"Result"}}, {"resultDescription", "urn:cairn:mc_1:reflection"}, {"achievedLevel", "urn:cairn:mc_1:reflection:beginning"}}}}}},
        {"evidence", {{{"id", "https://evidence.example/lesson-plan"}, {"type", {"Evidence"}}, {"name", "Lesson plan"}, {"description", "Grade 7"}}}}};
    if (valid_until) credential["validUntil"] = *valid_until;
    credentials::ProofOptions options;
    options.verification_method = credentials::multikey::DidKeyVerificationMethod(keys_.public_key);
    options.created = "2026-11-20T10:00:00Z";
    return credentials::AddProof(credential, options, keys_.secret_key);
  }

  void Seed() {
    auto status = db_->Write([this](storage::Tx& tx) -> core::Status {
      storage::SqlIdentityRepository identity(tx);
      core::identity::Organization org;
      org.id = "org_riverbend";
      org.name = "Riverbend";
      org.kind = core::identity::OrgKind::kDistrict;
      org.issuer = true;
      org.created_at = At("2026-11-01T00:00:00Z");
      identity.InsertOrganization(org);
      for (auto [id, name] : {std::pair{"usr_priya", "Priya <Raman>"}, std::pair{"usr_james", "James Okafor"}}) {
        core::identity::User user;
        user.id = id;
        user.email = std::string(id) + "@example.org";
        user.display_name = name;
        user.email_verified = true;
        user.password_hash = "$argon2id$unused";
        user.created_at = user.updated_at = At("2026-11-01T00:00:00Z");
        identity.InsertUser(user);
      }
      auto awards = storage::MakeAwardRepository(tx);
      core::awards::StatusList list;
      list.id = "sl_1";
      list.issuer_id = "org_riverbend";
      list.updated_at = At("2026-11-01T00:00:00Z");
      awards->InsertStatusList(list);
      struct Seeded {
        const char* id;
        const char* user;
        const char* title;
        core::awards::Visibility visibility;
        std::optional<std::string> valid_until;
      };
      int index = 0;
      for (const Seeded& s : {Seeded{"cred_valid", "usr_priya", "Formative Assessment", core::awards::Visibility::kPublic, {}},
                              Seeded{"cred_private", "usr_priya", "Secret Skill", core::awards::Visibility::kPrivate, {}},
                              Seeded{"cred_revoked", "usr_priya", "Classroom Talk", core::awards::Visibility::kPublic, {}},
                              Seeded{"cred_expired", "usr_priya", "Old Practice", core::awards::Visibility::kPublic,
                                     "2026-11-21T00:00:00Z"},
                              Seeded{"cred_james", "usr_james", "Project Learning", core::awards::Visibility::kPublic, {}}}) {
        core::awards::Award award;
        award.id = s.id;
        award.submission_id = std::string("sub_") + s.id;
        award.user_id = s.user;
        award.issuer_id = "org_riverbend";
        award.micro_credential_id = "mc_1";
        award.version = 1;
        award.status_list_id = "sl_1";
        award.status_index = ++index;
        award.issued_at = At("2026-11-20T10:00:00Z");
        if (s.valid_until) award.valid_until = At(s.valid_until->c_str());
        award.visibility = s.visibility;
        award.signed_json = Sign(s.id, s.title, s.valid_until).dump();
        awards->InsertAward(award);
      }
      awards->MarkRevoked("cred_revoked", At("2026-11-22T00:00:00Z"), "issued in error");
      // A stored credential altered after signing: the page must not call it valid.
      json tampered = Sign("cred_tampered", "Tampered");
      tampered["credentialSubject"]["achievement"]["name"] = "Something Grander";
      core::awards::Award award;
      award.id = "cred_tampered";
      award.submission_id = "sub_tampered";
      award.user_id = "usr_james";
      award.issuer_id = "org_riverbend";
      award.micro_credential_id = "mc_1";
      award.version = 1;
      award.status_list_id = "sl_1";
      award.status_index = 99;
      award.issued_at = At("2026-11-20T10:00:00Z");
      award.signed_json = tampered.dump();
      awards->InsertAward(award);
      return core::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.error().message << " " << status.error().detail;
  }

  std::string Stored(const std::string& id) {
    std::string json_text;
    auto s = db_->Read([&](storage::Tx& tx) -> core::Status {
      tx.sql() << "SELECT signed_json FROM credentials WHERE public_id = :id", soci::use(id), soci::into(json_text);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok());
    return json_text;
  }

  ClientResponse Get(const std::string& target, std::vector<std::string> headers = {}) {
    return Fetch(port_, "GET", target, std::move(headers));
  }

  ClientResponse Send(std::string_view method, const std::string& target, const std::string& user,
                      const std::string& body, const std::string& type = "application/json") {
    std::vector<std::string> headers{"Content-Type: " + type};
    if (!user.empty()) headers.push_back("X-Test-User: " + user);
    return Fetch(port_, method, target, headers, body);
  }

  json Documented(const ClientResponse& r, const std::string& method, const std::string& pattern) {
    json body = r.body.empty() ? json() : json::parse(r.body);
    for (const auto& problem : ValidateResponse(OpenApiDocument(), method, pattern, r.status, body))
      ADD_FAILURE() << method << " " << pattern << " " << r.status << ": " << problem;
    return body;
  }

  // True when some Vary field lists exactly this token (the server adds its own Accept-Encoding).
  static bool VariesOn(const ClientResponse& r, std::string_view token) {
    for (const auto& [name, value] : r.headers) {
      if (!EqualsIgnoreCase(name, "Vary")) continue;
      std::stringstream list(value);
      for (std::string item; std::getline(list, item, ',');) {
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (EqualsIgnoreCase(item, token)) return true;
      }
    }
    return false;
  }

  static std::string Meta(const std::string& html, const std::string& attr, const std::string& key) {
    std::smatch m;
    const std::regex re("<meta " + attr + "=\"" + key + "\" content=\"([^\"]*)\">");
    return std::regex_search(html, m, re) ? m[1].str() : std::string("<missing>");
  }

  static std::string Multipart(const std::vector<std::tuple<std::string, std::string, std::string>>& parts) {
    std::string body;
    for (const auto& [name, filename, value] : parts) {
      body += "--cairnTestBoundary\r\nContent-Disposition: form-data; name=\"" + name + "\"";
      if (!filename.empty()) body += "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream";
      body += "\r\n\r\n" + value + "\r\n";
    }
    return body + "--cairnTestBoundary--\r\n";
  }

  fs::path dir_;
  FixedClock clock_;
  NoNetwork network_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  std::unique_ptr<storage::SqlPortfolioStore> portfolios_;
  std::unique_ptr<app::pages::PagesContext> ctx_;
  app::pages::PageRenderer renderer_;
  app::identity::PolicySet policies_ = app::identity::StandardPolicies();
  credentials::ed25519::KeyPair keys_;
  Router router_;
  std::unique_ptr<testing::RunningServer> server_;
  unsigned short port_ = 0;
};

TEST_F(PagesApi, CredentialPageShowsTheCredentialWithMetaTagsAndLiveStatus) {
  const ClientResponse r = Get("/credentials/cred_valid", {"Accept: text/html,application/xhtml+xml,*/*;q=0.8"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type").value_or(""), "text/html; charset=utf-8");
  EXPECT_TRUE(VariesOn(r, "Accept"));
  const std::string csp = r.Header("Content-Security-Policy").value_or("");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  const std::string& html = r.body;
  EXPECT_NE(html.find("class=\"status status-valid\""), std::string::npos) << html;
  EXPECT_NE(html.find("<h1 id=\"credential-title\">Formative Assessment</h1>"), std::string::npos);
  EXPECT_NE(html.find("<strong>Priya &lt;Raman&gt;</strong>"), std::string::npos);
  EXPECT_NE(html.find("Riverbend &lt;District&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<District>"), std::string::npos);
  EXPECT_NE(html.find("<strong>exit tickets</strong>"), std::string::npos);  // Markdown rendered
  EXPECT_NE(html.find("<th scope=\"col\" class=\"achieved\">Meets"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://evidence.example/lesson-plan\" rel=\"noopener nofollow\">Lesson plan</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<time datetime=\"2026-11-20\">"), std::string::npos);
  EXPECT_EQ(Meta(html, "property", "og:title"), "Formative Assessment");
  EXPECT_EQ(Meta(html, "property", "og:url"), "https://cairn.example/credentials/cred_valid");
  EXPECT_EQ(Meta(html, "property", "og:image"), "https://cairn.example/credentials/cred_valid/badge.png");
  EXPECT_EQ(Meta(html, "name", "twitter:card"), "summary_large_image");
  EXPECT_NE(html.find("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name=Formative%20Assessment"
                      "&amp;organizationName=Riverbend%20%3CDistrict%3E&amp;issueYear=2026&amp;issueMonth=11"
                      "&amp;certUrl=https%3A%2F%2Fcairn.example%2Fcredentials%2Fcred_valid&amp;certId=cred_valid"),
            std::string::npos);
}

TEST_F(PagesApi, ContentNegotiationServesTheSignedJsonByteForByte) {
  const std::string stored = Stored("cred_valid");
  const ClientResponse ld = Get("/credentials/cred_valid", {"Accept: application/ld+json"});
  ASSERT_EQ(ld.status, 200);
  EXPECT_EQ(ld.Header("Content-Type").value_or(""), "application/ld+json");
  EXPECT_TRUE(VariesOn(ld, "Accept"));
  EXPECT_EQ(ld.body, stored);
  const ClientResponse plain = Get("/credentials/cred_valid", {"Accept: application/json"});
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.Header("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(plain.body, stored);
  const ClientResponse download = Get("/credentials/cred_valid.json");
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.body, stored);
  EXPECT_EQ(download.Header("Content-Disposition").value_or(""), "attachment; filename=\"cred_valid.json\"");
  // And what was served verifies.
  const auto now = std::chrono::floor<std::chrono::seconds>(clock_.Now());
  EXPECT_TRUE(credentials::verification::Verify(ld.body, {.now = now, .fetcher = &network_, .recipient_email = {}}).verified);
}

TEST_F(PagesApi, BakedPngAndSvgCarryTheSameCredentialAndVerify) {
  const std::string stored = Stored("cred_valid");
  const auto now = std::chrono::floor<std::chrono::seconds>(clock_.Now());
  const ClientResponse png = Get("/credentials/cred_valid/badge.png");
  ASSERT_EQ(png.status, 200) << png.body;
  EXPECT_EQ(png.Header("Content-Type").value_or(""), "image/png");
  ASSERT_EQ(png.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  const auto from_png = credentials::ExtractPng(png.body);
  ASSERT_TRUE(from_png.has_value());
  EXPECT_EQ(*from_png, stored);
  const auto report = credentials::verification::Verify(png.body, {.now = now, .fetcher = &network_, .recipient_email = {}});
  EXPECT_TRUE(report.verified) << report.ToJson().dump();

  const ClientResponse svg = Get("/credentials/cred_valid/badge.svg");
  ASSERT_EQ(svg.status, 200);
  EXPECT_EQ(svg.Header("Content-Type").value_or(""), "image/svg+xml");
  EXPECT_NE(svg.Header("Content-Security-Policy").value_or("").find("default-src 'none'"), std::string::npos);
  const auto from_svg = credentials::ExtractSvg(svg.body);
  ASSERT_TRUE(from_svg.has_value());
  EXPECT_EQ(json::parse(*from_svg), json::parse(stored));
  EXPECT_TRUE(credentials::verification::Verify(svg.body, {.now = now, .fetcher = &network_, .recipient_email = {}}).verified);
}

TEST_F(PagesApi, PrivateCredentialSaysOnlyThatItExistsAndIsValid) {
  const ClientResponse page = Get("/credentials/cred_private");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("This credential exists and is valid."), std::string::npos) << page.body;
  for (const char* hidden : {"Secret Skill", "Priya", "Riverbend", "og:title", "badge.png"})
    EXPECT_EQ(page.body.find(hidden), std::string::npos) << hidden;
  EXPECT_EQ(Get("/credentials/cred_private", {"Accept: application/json"}).status, 404);
  EXPECT_EQ(Get("/credentials/cred_private.json").status, 404);
  EXPECT_EQ(Get("/credentials/cred_private/badge.png").status, 404);
  EXPECT_EQ(Get("/credentials/cred_private/badge.svg").status, 404);
}

TEST_F(PagesApi, RevokedExpiredAndTamperedCredentialsSaySo) {
  const ClientResponse revoked = Get("/credentials/cred_revoked");
  ASSERT_EQ(revoked.status, 200);
  EXPECT_NE(revoked.body.find("class=\"status status-revoked\""), std::string::npos);
  EXPECT_NE(revoked.body.find("Revoked: the issuer has withdrawn this credential."), std::string::npos);
  EXPECT_EQ(revoked.body.find("status-valid"), std::string::npos);

  const ClientResponse expired = Get("/credentials/cred_expired");
  ASSERT_EQ(expired.status, 200);
  EXPECT_NE(expired.body.find("class=\"status status-expired\""), std::string::npos);

  const ClientResponse tampered = Get("/credentials/cred_tampered");
  ASSERT_EQ(tampered.status, 200);
  EXPECT_NE(tampered.body.find("class=\"status status-invalid\""), std::string::npos) << tampered.body;
  EXPECT_NE(tampered.body.find("Could not be verified."), std::string::npos);
  EXPECT_NE(tampered.body.find("proof"), std::string::npos);
}

TEST_F(PagesApi, UnknownCredentialIsAFriendlyNotFoundPage) {
  const ClientResponse html = Get("/credentials/cred_nope");
  EXPECT_EQ(html.status, 404);
  EXPECT_EQ(html.Header("Content-Type").value_or(""), "text/html; charset=utf-8");
  EXPECT_NE(html.body.find("There is no credential at this address."), std::string::npos);
  const ClientResponse json_404 = Get("/credentials/cred_nope", {"Accept: application/json"});
  EXPECT_EQ(json_404.status, 404);
  EXPECT_EQ(json_404.Header("Content-Type").value_or(""), "application/problem+json");
  EXPECT_EQ(Get("/credentials/%3Cscript%3E/badge.png").status, 404);
  EXPECT_EQ(Get("/credentials/cred_nope/badge.png").status, 404);
}

TEST_F(PagesApi, VerifyPageWorksWithoutJavaScript) {
  const ClientResponse page = Get("/verify");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("enctype=\"multipart/form-data\""), std::string::npos);

  const std::string png = Get("/credentials/cred_valid/badge.png").body;
  const ClientResponse file = Send("POST", "/verify", "", Multipart({{"file", "badge.png", png}, {"json", "", ""}}),
                                   "multipart/form-data; boundary=cairnTestBoundary");
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_NE(file.body.find("Verified: this credential is authentic and valid."), std::string::npos) << file.body;
  EXPECT_NE(file.body.find("<th scope=\"row\">Signature</th><td><span class=\"outcome outcome-passed\">passed</span>"),
            std::string::npos);

  json altered = json::parse(Stored("cred_valid"));
  altered["name"] = "Forged";
  const ClientResponse pasted = Send("POST", "/verify", "", "json=" + app::pages::UrlEncode(altered.dump()),
                                     "application/x-www-form-urlencoded");
  ASSERT_EQ(pasted.status, 200);
  EXPECT_NE(pasted.body.find("Not verified: at least one check failed."), std::string::npos);
  EXPECT_NE(pasted.body.find("<th scope=\"row\">Signature</th><td><span class=\"outcome outcome-failed\">failed</span>"),
            std::string::npos);
  // What was pasted comes back escaped inside the textarea.
  EXPECT_NE(pasted.body.find("&quot;Forged&quot;"), std::string::npos);

  const ClientResponse garbage = Send("POST", "/verify", "", Multipart({{"file", "x.png", std::string("\x89PNG\r\n\x1a\n\xff\xff\xff\xff", 12)}}),
                                      "multipart/form-data; boundary=cairnTestBoundary");
  EXPECT_EQ(garbage.status, 200);
  EXPECT_NE(garbage.body.find("outcome-failed"), std::string::npos);

  const ClientResponse empty = Send("POST", "/verify", "", Multipart({{"json", "", "  "}}),
                                    "multipart/form-data; boundary=cairnTestBoundary");
  EXPECT_EQ(empty.status, 400);
  EXPECT_NE(empty.body.find("Choose a badge image or JSON file"), std::string::npos);
  EXPECT_EQ(Send("POST", "/verify", "", "{}", "application/json").status, 415);
  EXPECT_EQ(Send("POST", "/verify", "", "--nope", "multipart/form-data; boundary=cairnTestBoundary").status, 400);
}

TEST_F(PagesApi, PortfolioIsOffUntilTurnedOnAndListsChosenPublicCredentials) {
  json mine = Documented(Send("GET", "/api/v1/me/portfolio", "usr_priya", ""), "GET", "/api/v1/me/portfolio");
  EXPECT_EQ(mine["enabled"], false);
  EXPECT_TRUE(mine["handle"].is_null());

  const ClientResponse on = Send("PUT", "/api/v1/me/portfolio", "usr_priya",
                                 R"({"enabled": true, "handle": "priya-r", "credential_ids": ["cred_revoked", "cred_valid", "cred_private", "cred_valid"]})");
  ASSERT_EQ(on.status, 200) << on.body;
  mine = Documented(on, "PUT", "/api/v1/me/portfolio");
  EXPECT_EQ(mine["url"], "https://cairn.example/portfolio/priya-r");
  EXPECT_EQ(mine["credential_ids"], json({"cred_revoked", "cred_valid", "cred_private"}));

  const ClientResponse page = Get("/portfolio/priya-r");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Priya &lt;Raman&gt;&apos;s micro-credentials"), std::string::npos);
  const auto valid = page.body.find("<a href=\"https://cairn.example/credentials/cred_valid\">Formative Assessment</a>");
  const auto revoked = page.body.find("<a href=\"https://cairn.example/credentials/cred_revoked\">Classroom Talk</a>");
  ASSERT_NE(valid, std::string::npos);
  ASSERT_NE(revoked, std::string::npos);
  EXPECT_LT(revoked, valid);  // the educator's order
  EXPECT_NE(page.body.find("status-revoked"), std::string::npos);
  EXPECT_EQ(page.body.find("Secret Skill"), std::string::npos);  // private stays off the portfolio
  EXPECT_EQ(page.body.find("Old Practice"), std::string::npos);  // not chosen

  const ClientResponse off = Send("PUT", "/api/v1/me/portfolio", "usr_priya", R"({"enabled": false})");
  ASSERT_EQ(off.status, 200);
  EXPECT_EQ(json::parse(off.body)["handle"], "priya-r");
  EXPECT_EQ(json::parse(off.body)["credential_ids"].size(), 3u);
  EXPECT_EQ(Get("/portfolio/priya-r").status, 404);
  EXPECT_EQ(Get("/portfolio/nobody-here").status, 404);
}

TEST_F(PagesApi, PortfolioSettingsAreChecked) {
  ClientResponse r = Send("PUT", "/api/v1/me/portfolio", "usr_priya", R"({"enabled": true, "credential_ids": ["cred_james"]})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["errors"][0]["pointer"], "/credential_ids/0");
  r = Send("PUT", "/api/v1/me/portfolio", "usr_priya", R"({"enabled": true, "handle": "Bad Handle!"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["errors"][0]["pointer"], "/handle");
  r = Send("PUT", "/api/v1/me/portfolio", "usr_priya", R"({"handle": "x"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Send("PUT", "/api/v1/me/portfolio", "", R"({"enabled": true})").status, 401);
  EXPECT_EQ(Send("PUT", "/api/v1/me/portfolio", "usr_priya", "not json").status, 400);

  // Without a handle one is made from the display name; a taken handle is a conflict.
  r = Send("PUT", "/api/v1/me/portfolio", "usr_james", R"({"enabled": true})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["handle"], "james-okafor");
  r = Send("PUT", "/api/v1/me/portfolio", "usr_priya", R"({"enabled": true, "handle": "james-okafor"})");
  EXPECT_EQ(r.status, 409) << r.body;
  Documented(r, "PUT", "/api/v1/me/portfolio");
}

TEST_F(PagesApi, StylesheetAndScriptAreServedAsFiles) {
  const ClientResponse css = Get("/assets-public/pages.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("Content-Type").value_or(""), "text/css; charset=utf-8");
  const ClientResponse js = Get("/assets-public/verify.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.Header("Content-Type").value_or(""), "text/javascript; charset=utf-8");
}

TEST_F(PagesApi, EveryRouteIsDocumented) {
  for (const auto& missing : UndocumentedOperations(router_, OpenApiDocument())) ADD_FAILURE() << missing;
}

}  // namespace
}  // namespace cairn::http
