#include "app/catalog/markdown.hpp"

#include <gtest/gtest.h>

#include "../../core/catalog/sample.hpp"

namespace cairn::app::catalog {
namespace {

TEST(RenderMarkdown, RendersGfmAndDropsRawHtmlAndScriptLinks) {
  const std::string html = RenderMarkdown(
      "# Goal\n\nUse **talk moves**, see https://example.org.\n\n"
      "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
      "[click](javascript:alert(1)) ~~old~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
  EXPECT_NE(html.find("<h1>Goal</h1>"), std::string::npos) << html;
  EXPECT_NE(html.find("<strong>talk moves</strong>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://example.org\">"), std::string::npos) << html;
  EXPECT_NE(html.find("<del>old</del>"), std::string::npos) << html;
  EXPECT_NE(html.find("<table>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_EQ(html.find("onerror"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_EQ(RenderMarkdown(""), "");
}

TEST(Present, PutsHtmlBesideEveryMarkdownField) {
  core::catalog::MicroCredential mc;
  mc.id = "mc_x";
  mc.issuer_id = "org_x";
  mc.content = core::catalog::testing::SampleContent();
  mc.content.rubric.criteria[0].description = "Look for *alignment*.";
  const auto json = Present(mc);
  EXPECT_EQ(
      json["competency_html"],
      "<p>The educator uses exit tickets to <strong>gather evidence</strong> of learning.</p>\n");
  EXPECT_TRUE(json["summary_html"].is_string());
  EXPECT_TRUE(json["research_html"].get<std::string>().find("<em>Inside the Black Box</em>") !=
              std::string::npos);
  EXPECT_TRUE(json["key_method"]["description_html"].is_string());
  EXPECT_TRUE(json["key_method"]["components"][1]["description_html"].is_string());
  EXPECT_TRUE(json["submission"]["overview"][0]["prompt_html"].is_string());
  EXPECT_TRUE(json["submission"]["artifacts"][0]["description_html"].is_string());
  EXPECT_TRUE(json["submission"]["reflection"][0]["prompt_html"].is_string());
  EXPECT_EQ(json["rubric"]["criteria"][0]["description_html"],
            "<p>Look for <em>alignment</em>.</p>\n");
  EXPECT_FALSE(json["rubric"]["criteria"][1].contains("description_html"));
  EXPECT_TRUE(json["rubric"]["criteria"][2]["levels"][3]["descriptor_html"].is_string());
  EXPECT_FALSE(json.contains("title_html"));
}

}  // namespace
}  // namespace cairn::app::catalog
