// The public pages' HTML: what a visitor, a crawler and a screen reader get from a view.
#include "app/pages/page_renderer.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace cairn::app::pages {
namespace {

CredentialPage SamplePage() {
  CredentialPage page;
  page.id = "cred_7Kq3";
  page.status = LiveStatus::kValid;
  page.achievement_name = "Formative Assessment in Practice";
  page.achievement_description_html = "<p>Uses <em>exit tickets</em>.</p>";
  page.criteria_html = "<p>Submit three lessons.</p>";
  page.achievement_type = "MicroCredential";
  page.issuer_name = "Riverbend & Co";
  page.issuer_url = "https://riverbend.example/";
  page.earner_name = "Priya Raman";
  page.issued_on = "2026-11-23";
  page.issued_year = 2026;
  page.issued_month = 11;
  page.rubric = {{"Planning", "", {{"Beginning", "<p>b</p>", false}, {"Meets", "<p>m</p>", true}}},
                 {"Reflection", "", {{"Beginning", "<p>b</p>", true}, {"Meets", "<p>m</p>", false}}}};
  page.evidence = {{"Lesson video", "Grade 7 math", "https://cairn.example/files/fil_1"},
                   {"Reflection", "", ""}};
  page.page_url = "https://cairn.example/credentials/cred_7Kq3";
  page.json_url = page.page_url + ".json";
  page.png_url = page.page_url + "/badge.png";
  page.svg_url = page.page_url + "/badge.svg";
  page.image_url = page.png_url;
  return page;
}

std::string Meta(const std::string& html, const std::string& attr, const std::string& key) {
  std::smatch m;
  const std::regex re("<meta " + attr + "=\"" + key + "\" content=\"([^\"]*)\">");
  return std::regex_search(html, m, re) ? m[1].str() : std::string("<missing>");
}

TEST(PageRenderer, CredentialPageShowsTheAchievementIssuerEarnerRubricAndEvidence) {
  const std::string html = PageRenderer().Credential(SamplePage());
  EXPECT_NE(html.find("<h1 id=\"credential-title\">Formative Assessment in Practice</h1>"), std::string::npos);
  EXPECT_NE(html.find("Riverbend &amp; Co"), std::string::npos);
  EXPECT_NE(html.find("<strong>Priya Raman</strong>"), std::string::npos);
  EXPECT_NE(html.find("<p>Uses <em>exit tickets</em>.</p>"), std::string::npos);  // safe HTML kept
  EXPECT_NE(html.find("<caption>Planning</caption>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://cairn.example/files/fil_1\" rel=\"noopener nofollow\">Lesson video</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<span>Reflection</span>"), std::string::npos);
  EXPECT_NE(html.find("status-valid"), std::string::npos);
  // Exactly the two achieved levels are marked.
  std::size_t marked = 0;
  for (std::size_t at = html.find("<th scope=\"col\" class=\"achieved\">"); at != std::string::npos;
       at = html.find("<th scope=\"col\" class=\"achieved\">", at + 1))
    ++marked;
  EXPECT_EQ(marked, 2u);
  EXPECT_NE(html.find("<th scope=\"col\" class=\"achieved\">Meets <span class=\"achieved-key\">Achieved</span>"),
            std::string::npos);
}

TEST(PageRenderer, CredentialPageCarriesOpenGraphAndTwitterTags) {
  const std::string html = PageRenderer().Credential(SamplePage());
  EXPECT_EQ(Meta(html, "property", "og:title"), "Formative Assessment in Practice");
  EXPECT_EQ(Meta(html, "property", "og:url"), "https://cairn.example/credentials/cred_7Kq3");
  EXPECT_EQ(Meta(html, "property", "og:image"), "https://cairn.example/credentials/cred_7Kq3/badge.png");
  EXPECT_EQ(Meta(html, "property", "og:description"),
            "Priya Raman earned Formative Assessment in Practice from Riverbend &amp; Co.");
  EXPECT_EQ(Meta(html, "name", "twitter:card"), "summary_large_image");
  EXPECT_EQ(Meta(html, "name", "twitter:image"), "https://cairn.example/credentials/cred_7Kq3/badge.png");
  EXPECT_NE(html.find("<link rel=\"canonical\" href=\"https://cairn.example/credentials/cred_7Kq3\">"),
            std::string::npos);
}

TEST(PageRenderer, LinkedInLinkEncodesEveryParameter) {
  CredentialPage page = SamplePage();
  page.achievement_name = "Math & Science: K–2?";
  EXPECT_EQ(LinkedInAddToProfileUrl(page),
            "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
            "&name=Math%20%26%20Science%3A%20K%E2%80%932%3F&organizationName=Riverbend%20%26%20Co"
            "&issueYear=2026&issueMonth=11"
            "&certUrl=https%3A%2F%2Fcairn.example%2Fcredentials%2Fcred_7Kq3&certId=cred_7Kq3");
  const std::string html = PageRenderer().Credential(page);
  // In the attribute, & is escaped once more for HTML.
  EXPECT_NE(html.find("href=\"https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name=Math%20%26"),
            std::string::npos);
  EXPECT_NE(html.find("Add to LinkedIn profile"), std::string::npos);
}

TEST(PageRenderer, HostileTextIsEscapedEverywhere) {
  CredentialPage page = SamplePage();
  page.earner_name = "<script>alert(1)</script>";
  page.achievement_name = "\"><img src=x onerror=alert(2)>";
  page.issuer_name = "Evil' onmouseover='x";
  page.evidence = {{"<b>bold</b>", "<i>desc</i>", ""}};
  page.rubric = {{"<u>crit</u>", "", {{"<s>lvl</s>", "", true}}}};
  const std::string html = PageRenderer().Credential(page);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_EQ(html.find("' onmouseover='"), std::string::npos);
  EXPECT_EQ(html.find("<b>bold"), std::string::npos);
  EXPECT_EQ(html.find("<u>crit"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  // The only script tags are none at all: the credential page needs no script.
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(PageRenderer, PrivateCredentialSaysOnlyThatItExistsAndIsValid) {
  CredentialPage page = SamplePage();
  page.is_private = true;
  const std::string html = PageRenderer().Credential(page);
  EXPECT_NE(html.find("This credential exists and is valid."), std::string::npos);
  for (const char* secret : {"Priya", "Formative", "Riverbend", "Planning", "Lesson video", "og:title",
                             "linkedin", "badge.png"})
    EXPECT_EQ(html.find(secret), std::string::npos) << secret;
  EXPECT_NE(html.find("<meta name=\"robots\" content=\"noindex\">"), std::string::npos);
}

TEST(PageRenderer, PrivateRevokedCredentialDoesNotClaimValidity) {
  CredentialPage page = SamplePage();
  page.is_private = true;
  page.status = LiveStatus::kRevoked;
  const std::string html = PageRenderer().Credential(page);
  EXPECT_EQ(html.find("is valid"), std::string::npos);
  EXPECT_NE(html.find("Revoked"), std::string::npos);
}

TEST(PageRenderer, RevokedCredentialSaysSoClearly) {
  CredentialPage page = SamplePage();
  page.status = LiveStatus::kRevoked;
  page.status_message = "The issuer revoked this credential.";
  const std::string html = PageRenderer().Credential(page);
  EXPECT_NE(html.find("class=\"status status-revoked\" role=\"status\"><strong>Revoked: the issuer has withdrawn "
                      "this credential.</strong>"),
            std::string::npos);
  EXPECT_EQ(html.find("status-valid"), std::string::npos);
  EXPECT_NE(Meta(html, "property", "og:description").find("(revoked)"), std::string::npos);
}

TEST(PageRenderer, ExpiredCredentialShowsItsEndDate) {
  CredentialPage page = SamplePage();
  page.status = LiveStatus::kExpired;
  page.valid_until = "2027-01-31";
  const std::string html = PageRenderer().Credential(page);
  EXPECT_NE(html.find("status-expired"), std::string::npos);
  EXPECT_NE(html.find("valid until <time datetime=\"2027-01-31\">2027-01-31</time>"), std::string::npos);
}

TEST(PageRenderer, PagesLoadOnlyTheirOwnStylesheetAndScriptFiles) {
  PageRenderer renderer;
  const std::string credential = renderer.Credential(SamplePage());
  EXPECT_NE(credential.find("<link rel=\"stylesheet\" href=\"/assets-public/pages.css\">"), std::string::npos);
  EXPECT_EQ(credential.find("<style"), std::string::npos);
  EXPECT_EQ(credential.find(" style="), std::string::npos);
  const std::string verify = renderer.Verify({});
  EXPECT_NE(verify.find("<script src=\"/assets-public/verify.js\" defer></script>"), std::string::npos);
  // No inline script: every <script> has a src.
  EXPECT_EQ(std::regex_search(verify, std::regex("<script(?![^>]*src=)")), false);
  EXPECT_FALSE(PageRenderer::Stylesheet().empty());
  EXPECT_NE(PageRenderer::VerifyScript().find("/api/v1/verify"), std::string::npos);
}

TEST(PageRenderer, VerifyPageIsAPlainFormWithLabels) {
  const std::string html = PageRenderer().Verify({});
  EXPECT_NE(html.find("<form class=\"verify-form\" method=\"post\" action=\"/verify\" "
                      "enctype=\"multipart/form-data\""),
            std::string::npos);
  for (const char* id : {"credential-file", "credential-json", "recipient-email"})
    EXPECT_NE(html.find(std::string("<label for=\"") + id + "\">"), std::string::npos) << id;
  EXPECT_NE(html.find("aria-live=\"polite\""), std::string::npos);
  EXPECT_EQ(html.find("class=\"report\""), std::string::npos);
}

TEST(PageRenderer, VerifyReportListsEachCheckAndEscapesMessages) {
  VerifyPage page;
  page.has_report = true;
  page.verdict = "failed";
  page.achievement_name = "<b>Badge</b>";
  page.checks = {{"format", "", "passed", "JSON"},
                 {"proof", "", "failed", "signature does not match <script>"},
                 {"recipient", "", "skipped", "no email given"}};
  page.pasted = "</textarea><script>x</script>";
  const std::string html = PageRenderer().Verify(page);
  EXPECT_NE(html.find("Not verified: at least one check failed."), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"row\">Signature</th><td><span class=\"outcome outcome-failed\">failed</span></td>"
                      "<td>signature does not match &lt;script&gt;</td>"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;Badge&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>"), std::string::npos);
}

TEST(PageRenderer, PortfolioListsEntriesWithLinksAndFlagsRevokedOnes) {
  PortfolioPage page;
  page.owner_name = "Priya <Raman>";
  page.handle = "priya";
  page.page_url = "https://cairn.example/portfolio/priya";
  page.entries = {{"Formative Assessment", "Riverbend", "2026-11-23", "https://cairn.example/credentials/cred_1",
                   "https://cairn.example/credentials/cred_1/badge.png", LiveStatus::kValid},
                  {"Classroom Talk", "Riverbend", "2026-10-01", "https://cairn.example/credentials/cred_2",
                   "https://cairn.example/credentials/cred_2/badge.png", LiveStatus::kRevoked}};
  const std::string html = PageRenderer().Portfolio(page);
  EXPECT_NE(html.find("Priya &lt;Raman&gt;&apos;s micro-credentials"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://cairn.example/credentials/cred_1\">Formative Assessment</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"status-inline status-revoked\">Revoked</span>"), std::string::npos);
  EXPECT_EQ(html.find("status-valid"), std::string::npos);
}

TEST(PageRenderer, NotFoundPageIsFriendlyAndNotIndexed) {
  const std::string html = PageRenderer().NotFound("There is no credential <here>.");
  EXPECT_NE(html.find("<h1 id=\"nf-title\">Not found</h1>"), std::string::npos);
  EXPECT_NE(html.find("There is no credential &lt;here&gt;."), std::string::npos);
  EXPECT_NE(html.find("noindex"), std::string::npos);
}

}  // namespace
}  // namespace cairn::app::pages
