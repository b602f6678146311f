// A credential's page is read from its signed document: the 1EdTech "complete" example credential
// exercises every part the page shows, and hostile or broken documents still get a page.
#include "app/pages/credential_view.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cairn::app::pages {
namespace {

using nlohmann::json;

json CompleteExample() {
  std::ifstream in(std::string(CAIRN_STANDARDS_DIR) + "/ob-v3p0/examples/complete-openbadgecredential.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

CredentialFacts Facts() { return {"cred_abc", "Priya Raman", false, LiveStatus::kValid, ""}; }

TEST(CredentialView, ReadsTheCompleteOb3Example) {
  const CredentialPage page = BuildCredentialPage(CompleteExample(), Facts(), "https://cairn.example");
  EXPECT_EQ(page.achievement_name, "1EdTech University Degree");
  EXPECT_EQ(page.issuer_name, "1EdTech University");
  EXPECT_EQ(page.issued_on, "2010-01-01");
  EXPECT_EQ(page.issued_year, 2010);
  EXPECT_EQ(page.issued_month, 1);
  EXPECT_EQ(page.valid_until, "2030-01-01");
  EXPECT_EQ(page.earner_name, "Priya Raman");
  // The criteria narrative is Markdown, rendered.
  EXPECT_NE(page.criteria_html.find("<h1>Degree Requirements"), std::string::npos);
  // Only the RubricCriterionLevel result description becomes a rubric table; its achieved level
  // is the one the subject's result names.
  ASSERT_EQ(page.rubric.size(), 1u);
  EXPECT_EQ(page.rubric[0].name, "Final Project Grade");
  ASSERT_FALSE(page.rubric[0].levels.empty());
  int achieved = 0;
  for (const auto& level : page.rubric[0].levels) achieved += level.achieved ? 1 : 0;
  EXPECT_EQ(achieved, 1);
  ASSERT_EQ(page.evidence.size(), 2u);
  EXPECT_EQ(page.evidence[0].name, "Final Project Report");
  EXPECT_EQ(page.evidence[0].url, "https://1edtech.edu/credentials/3732/evidence/1");
  EXPECT_EQ(page.evidence[1].url, "https://github.com/somebody/project");
  EXPECT_EQ(page.page_url, "https://cairn.example/credentials/cred_abc");
  EXPECT_EQ(page.json_url, "https://cairn.example/credentials/cred_abc.json");
  EXPECT_EQ(page.png_url, "https://cairn.example/credentials/cred_abc/badge.png");
}

TEST(CredentialView, TheNarrativesRubricSectionIsNotRepeatedBesideTheTable) {
  json credential = CompleteExample();
  credential["credentialSubject"]["achievement"]["criteria"]["narrative"] =
      "Designs exit tickets.\n\n## Rubric\n\n### Planning\n\n- **Meets**: plans.\n";
  CredentialPage page = BuildCredentialPage(credential, Facts(), "https://cairn.example");
  ASSERT_FALSE(page.rubric.empty());
  EXPECT_NE(page.criteria_html.find("Designs exit tickets."), std::string::npos);
  EXPECT_EQ(page.criteria_html.find("Rubric"), std::string::npos);
  EXPECT_EQ(page.criteria_html.find("Planning"), std::string::npos);

  // Without a rubric table, the narrative is the only place the rubric appears: kept whole.
  credential["credentialSubject"]["achievement"].erase("resultDescription");
  page = BuildCredentialPage(credential, Facts(), "https://cairn.example");
  EXPECT_NE(page.criteria_html.find("<h2>Rubric</h2>"), std::string::npos);

  // A narrative that is only the rubric leaves no criteria section.
  credential = CompleteExample();
  credential["credentialSubject"]["achievement"]["criteria"]["narrative"] = "## Rubric\n\n- x";
  EXPECT_EQ(BuildCredentialPage(credential, Facts(), "https://cairn.example").criteria_html, "");
}

TEST(CredentialView, MarkdownFromTheDocumentCannotCarryScript) {
  json credential = CompleteExample();
  credential["credentialSubject"]["achievement"]["description"] =
      "Hi <script>alert(1)</script> [x](javascript:alert(2))";
  const CredentialPage page = BuildCredentialPage(credential, Facts(), "https://cairn.example");
  EXPECT_EQ(page.achievement_description_html.find("<script>"), std::string::npos);
  EXPECT_EQ(page.achievement_description_html.find("javascript:"), std::string::npos);
}

TEST(CredentialView, EvidenceLinksOnlyToWebAddresses) {
  json credential = CompleteExample();
  credential["evidence"] = json::array({{{"id", "javascript:alert(1)"}, {"name", "x"}},
                                        {{"id", "urn:uuid:1"}, {"name", "y"}, {"narrative", "told"}}});
  const CredentialPage page = BuildCredentialPage(credential, Facts(), "https://cairn.example");
  ASSERT_EQ(page.evidence.size(), 2u);
  EXPECT_EQ(page.evidence[0].url, "");
  EXPECT_EQ(page.evidence[1].url, "");
  EXPECT_EQ(page.evidence[1].description, "told");
}

TEST(CredentialView, BrokenDocumentsStillGetAPage) {
  for (const json& broken : {json::object(), json::array(), json(42),
                             json{{"credentialSubject", "x"}, {"issuer", 5}, {"evidence", "no"}, {"validFrom", 3}},
                             json{{"credentialSubject", {{"achievement", {{"resultDescription", {1, 2}}}}}}}}) {
    const CredentialPage page = BuildCredentialPage(broken, Facts(), "https://cairn.example");
    EXPECT_EQ(page.id, "cred_abc");
    EXPECT_TRUE(page.rubric.empty());
    EXPECT_TRUE(page.evidence.empty());
    EXPECT_EQ(page.issued_on, "");
  }
}

TEST(CredentialView, IssuerGivenAsAStringIsItsName) {
  json credential = CompleteExample();
  credential["issuer"] = "did:key:z6MkExample";
  const CredentialPage page = BuildCredentialPage(credential, Facts(), "https://cairn.example");
  EXPECT_EQ(page.issuer_name, "did:key:z6MkExample");
  EXPECT_EQ(page.issuer_url, "");
}

TEST(CredentialView, IdsAreEncodedInAddresses) {
  CredentialFacts facts = Facts();
  facts.id = "cred_a/b?c";
  const CredentialPage page = BuildCredentialPage(CompleteExample(), facts, "https://cairn.example");
  EXPECT_EQ(page.page_url, "https://cairn.example/credentials/cred_a%2Fb%3Fc");
}

}  // namespace
}  // namespace cairn::app::pages
