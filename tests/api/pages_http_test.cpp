// The pages' HTTP pieces that need no server: form bodies, content negotiation, and how a
// verification report becomes a page's status.
#include <gtest/gtest.h>

#include "http/handlers/page_form.hpp"
#include "http/handlers/page_handlers.hpp"
#include "http/handlers/page_verification.hpp"

namespace cairn::http {
namespace {

namespace verify = credentials::verification;
using app::pages::LiveStatus;

TEST(PageForm, ReadsMultipartFieldsAndFiles) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"badge;1.png\"\r\n"
      "Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\nbinary\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"json\"\r\n\r\n{\"a\": 1}\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"recipient_email\"\r\n\r\n\r\n--XyZ--\r\n";
  auto form = ParseForm("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->at("file").value, "\x89PNG\r\n\x1a\nbinary");
  EXPECT_EQ(form->at("file").filename, "badge;1.png");
  EXPECT_EQ(form->at("file").content_type, "image/png");
  EXPECT_EQ(form->at("json").value, "{\"a\": 1}");
  EXPECT_EQ(form->at("recipient_email").value, "");
}

TEST(PageForm, QuotedBoundaryAndUrlEncodedForms) {
  auto form = ParseForm("multipart/form-data; boundary=\"a b\"",
                        "--a b\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a b--");
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->at("x").value, "1");
  auto urlencoded = ParseForm("application/x-www-form-urlencoded", "json=%7B%22a%22%3A+1%7D&recipient_email=a%40b.c");
  ASSERT_TRUE(urlencoded.ok());
  EXPECT_EQ(urlencoded->at("json").value, "{\"a\": 1}");
  EXPECT_EQ(urlencoded->at("recipient_email").value, "a@b.c");
}

TEST(PageForm, MalformedBodiesAreClearErrors) {
  for (const auto& [type, body] : std::vector<std::pair<std::string, std::string>>{
           {"multipart/form-data", "--x\r\n\r\n"},
           {"multipart/form-data; boundary=x", "no boundary here"},
           {"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=a\r\n\r\nnever closed"},
           {"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data\r\n\r\nv\r\n--x--"},
           {"multipart/form-data; boundary=x", "--xjunk"},
           {"application/x-www-form-urlencoded", "a=%zz"}}) {
    auto form = ParseForm(type, body);
    ASSERT_FALSE(form.ok()) << body;
    EXPECT_EQ(form.error().code, core::ErrorCode::kInvalidInput) << body;
  }
  auto wrong = ParseForm("application/json", "{}");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, core::ErrorCode::kUnsupportedMedia);
}

TEST(PageForm, TooManyPartsAreRefused) {
  std::string body;
  for (int i = 0; i < 40; ++i) body += "--b\r\nContent-Disposition: form-data; name=f" + std::to_string(i) + "\r\n\r\nv\r\n";
  body += "--b--";
  EXPECT_FALSE(ParseForm("multipart/form-data; boundary=b", body).ok());
}

// Hostile bodies: random splices of multipart syntax never crash or hang, and every field that
// comes back lies inside the body.
TEST(PageForm, RandomBodiesNeverCrash) {
  const std::vector<std::string> pieces = {"--b", "\r\n", "\r\n\r\n", "--", "Content-Disposition: form-data; name=",
                                           "\"", "filename=\"", ";", "x", "\\", "=", "&", "%", "%4", "+"};
  std::uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  for (int round = 0; round < 5000; ++round) {
    std::string body;
    const int count = static_cast<int>(next() % 24);
    for (int i = 0; i < count; ++i) body += pieces[next() % pieces.size()];
    for (const char* type : {"multipart/form-data; boundary=b", "application/x-www-form-urlencoded",
                             "multipart/form-data; boundary=\"b"}) {
      auto form = ParseForm(type, body);
      if (!form.ok()) continue;
      for (const auto& [name, field] : *form) EXPECT_LE(field.value.size(), body.size());
    }
  }
}

TEST(ContentNegotiation, JsonOnlyWhenPreferredOverHtml) {
  EXPECT_TRUE(PrefersJson("application/json"));
  EXPECT_TRUE(PrefersJson("application/ld+json"));
  EXPECT_TRUE(PrefersJson("application/ld+json, */*;q=0.1"));
  EXPECT_TRUE(PrefersJson("text/html;q=0.5, application/json"));
  EXPECT_FALSE(PrefersJson(""));
  EXPECT_FALSE(PrefersJson("*/*"));
  // What browsers send.
  EXPECT_FALSE(PrefersJson("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"));
  EXPECT_FALSE(PrefersJson("text/html, application/json"));
  EXPECT_FALSE(PrefersJson("application/json;q=0"));
  for (const char* odd : {",,,", ";q=", "application/json;q=abc", "application/json;q=1e999", ";;;", "a/b;q=-1"})
    EXPECT_NO_THROW(PrefersJson(odd)) << odd;
}

verify::VerificationReport Report(verify::Verdict verdict, std::vector<verify::Check> checks) {
  verify::VerificationReport report;
  report.verdict = verdict;
  report.verified = verdict == verify::Verdict::kVerified;
  report.checks = std::move(checks);
  return report;
}

TEST(LiveStatus, FromReports) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  EXPECT_EQ(LiveCheckFromReport(Report(verify::Verdict::kVerified, {}), now).status, LiveStatus::kValid);
  EXPECT_EQ(LiveCheckFromReport(Report(verify::Verdict::kFailed, {{"status", verify::Outcome::kFailed, "revoked"}}), now)
                .status,
            LiveStatus::kRevoked);
  // A list that cannot be fetched is not a revocation.
  const auto unreachable = LiveCheckFromReport(
      Report(verify::Verdict::kFailed, {{"status", verify::Outcome::kFailed, "the status list could not be fetched"}}), now);
  EXPECT_EQ(unreachable.status, LiveStatus::kInvalid);
  EXPECT_NE(unreachable.message.find("could not be fetched"), std::string::npos);
  EXPECT_EQ(LiveCheckFromReport(Report(verify::Verdict::kFailed, {{"validity", verify::Outcome::kFailed, "expired"}}), now)
                .status,
            LiveStatus::kExpired);
  auto future = Report(verify::Verdict::kFailed, {{"validity", verify::Outcome::kFailed, "not yet valid"}});
  future.credential = nlohmann::json{{"validFrom", "2100-01-01T00:00:00Z"}};
  EXPECT_EQ(LiveCheckFromReport(future, now).status, LiveStatus::kNotYetValid);
  EXPECT_EQ(LiveCheckFromReport(Report(verify::Verdict::kFailed, {{"proof", verify::Outcome::kFailed, "bad"}}), now).status,
            LiveStatus::kInvalid);
  EXPECT_EQ(LiveCheckFromReport(Report(verify::Verdict::kIncomplete, {}), now).status, LiveStatus::kInvalid);
}

TEST(VerifyPageFromReport, NamesTheAchievementAndIssuer) {
  auto report = Report(verify::Verdict::kVerified, {{"proof", verify::Outcome::kPassed, "ok"}});
  report.credential = nlohmann::json{{"issuer", {{"id", "did:key:z"}, {"name", "Riverbend"}}},
                                     {"credentialSubject", {{"achievement", {{"name", "Teamwork"}}}}}};
  const auto page = VerifyPageFromReport(report);
  EXPECT_EQ(page.verdict, "verified");
  EXPECT_EQ(page.achievement_name, "Teamwork");
  EXPECT_EQ(page.issuer_name, "Riverbend");
  ASSERT_EQ(page.checks.size(), 1u);
  EXPECT_EQ(page.checks[0].outcome, "passed");
  // Hostile shapes do not throw.
  report.credential = nlohmann::json{{"issuer", 5}, {"credentialSubject", {{"achievement", "x"}}}};
  EXPECT_NO_THROW(VerifyPageFromReport(report));
}

// Counts what reaches the outside network.
class RecordingFetcher final : public credentials::DocumentFetcher {
 public:
  credentials::FetchResult Fetch(const std::string& url) override {
    urls.push_back(url);
    return credentials::FetchResult::Failure("offline");
  }
  std::vector<std::string> urls;
};

TEST(LocalDocumentFetcher, AnswersCairnsOwnPublicDocumentsFromTheRouter) {
  Router router;
  router.Add({.method = "GET", .pattern = "/status-lists/{id}",
              .handler = [](Request& req) {
                return TextResponse(200, "{\"list\": \"" + req.Param("id") + "\"}", "application/json");
              },
              .policy = "public"});
  router.Add({.method = "GET", .pattern = "/api/v1/me", .handler = [](Request&) { return TextResponse(200, "me"); },
              .policy = "authenticated"});
  RecordingFetcher outside;
  LocalDocumentFetcher fetcher(router, "http://cairn.test:8080", outside);

  auto list = fetcher.Fetch("http://cairn.test:8080/status-lists/sl%201#frag");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list.document->status, 200);
  EXPECT_EQ(list.document->body, "{\"list\": \"sl 1\"}");
  EXPECT_EQ(list.document->content_type, "application/json");
  // Only public routes: nothing a signed-out visitor could not fetch.
  auto private_route = fetcher.Fetch("http://cairn.test:8080/api/v1/me");
  ASSERT_TRUE(private_route.ok());
  EXPECT_EQ(private_route.document->status, 404);
  EXPECT_EQ(fetcher.Fetch("http://cairn.test:8080/nothing").document->status, 404);
  EXPECT_TRUE(outside.urls.empty());
  // Other hosts, and look-alike prefixes, go to the network fetcher.
  EXPECT_FALSE(fetcher.Fetch("http://cairn.test:8080.evil.example/status-lists/x").ok());
  EXPECT_FALSE(fetcher.Fetch("https://issuer.example/did.json").ok());
  EXPECT_EQ(outside.urls, (std::vector<std::string>{"http://cairn.test:8080.evil.example/status-lists/x",
                                                    "https://issuer.example/did.json"}));
}

}  // namespace
}  // namespace cairn::http
