#include "core/catalog/codec.hpp"

#include <gtest/gtest.h>

#include "core/catalog/validation.hpp"
#include "sample.hpp"

namespace cairn::core::catalog {
namespace {

using nlohmann::json;

std::vector<std::string> Pointers(const Error& error) {
  std::vector<std::string> out;
  for (const auto& e : error.fields) out.push_back(e.pointer);
  return out;
}

TEST(Codec, RoundTripsTheWholeContent) {
  Content original = testing::SampleContent();
  original.rubric.earned_rule.minimum_criteria = 2;
  original.rubric.earned_rule.floor_level = "approaching";
  original.image_url = "https://example.org/badge.png";
  const json encoded = EncodeContent(original);
  auto decoded = DecodeContent(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(EncodeContent(*decoded), encoded);
  EXPECT_EQ(decoded->rubric.earned_rule.minimum_criteria, 2);
  EXPECT_EQ(decoded->submission.artifacts[0].accepted_kinds[1], ArtifactKind::kImage);
}

TEST(Codec, WrongTypesAreReportedAtTheirPointers) {
  json body = EncodeContent(testing::SampleContent());
  body["title"] = 42;
  body["submission"]["overview"][0]["word_limit"] = "250";
  body["rubric"]["criteria"][1]["levels"] = json::object();
  body["estimated_hours"] = true;
  body["tags"][1] = nullptr;
  auto r = DecodeContent(body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(Pointers(r.error()),
            (std::vector<std::string>{"/title", "/submission/overview/0/word_limit",
                                      "/rubric/criteria/1/levels", "/estimated_hours", "/tags/1"}));
  EXPECT_EQ(r.error().fields[0].message, "must be a string, not a number");
  EXPECT_EQ(r.error().fields[1].message, "must be an integer, not a string");
}

TEST(Codec, MissingAndUnknownFields) {
  json body = EncodeContent(testing::SampleContent());
  body.erase("competency");
  body["key_method"].erase("components");
  body["colour"] = "blue";
  body["resources"][0]["a/b"] = 1;
  auto r = DecodeContent(body);
  ASSERT_FALSE(r.ok());
  const auto pointers = Pointers(r.error());
  EXPECT_EQ(pointers, (std::vector<std::string>{"/competency", "/key_method/components",
                                                "/resources/0/a~1b", "/colour"}));
  EXPECT_EQ(r.error().fields[0].message, "is required");
  EXPECT_EQ(r.error().fields[3].message, "unknown field");
}

TEST(Codec, ExtraKeysAreLeftToTheCaller) {
  json body = EncodeContent(testing::SampleContent());
  body["issuer_id"] = "org_x";
  EXPECT_FALSE(DecodeContent(body).ok());
  EXPECT_TRUE(DecodeContent(body, {"issuer_id"}).ok());
}

TEST(Codec, EnumsListTheAcceptedValues) {
  json body = EncodeContent(testing::SampleContent());
  body["grade_band"] = "K-12";
  body["submission"]["artifacts"][0]["accepted_kinds"][0] = "pdf";
  auto r = DecodeContent(body);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].pointer, "/submission/artifacts/0/accepted_kinds/0");
  EXPECT_EQ(r.error().fields[0].message, "must be one of: document, image, audio, video, link");
  EXPECT_EQ(r.error().fields[1].pointer, "/grade_band");
}

TEST(Codec, NonObjectBody) {
  auto r = DecodeContent(json::array());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Pointers(r.error()), std::vector<std::string>{""});
}

TEST(Codec, OptionalFieldsMayBeNullOrAbsent) {
  json body = EncodeContent(testing::SampleContent());
  body["image_url"] = nullptr;
  body["rubric"]["earned_rule"]["minimum_criteria"] = nullptr;
  auto r = DecodeContent(body);
  ASSERT_TRUE(r.ok()) << (r.error().fields.empty() ? "" : r.error().fields[0].pointer);
  EXPECT_TRUE(r->image_url.empty());
  EXPECT_FALSE(r->rubric.earned_rule.minimum_criteria);
}

}  // namespace
}  // namespace cairn::core::catalog

namespace cairn::core::catalog {
namespace {

TEST(Codec, RenderedHtmlBesideMarkdownIsReadOnlyAndIgnored) {
  nlohmann::json body = EncodeContent(testing::SampleContent());
  body["competency_html"] = "<p>whatever</p>";
  body["rubric"]["criteria"][0]["levels"][0]["descriptor_html"] = "<p>x</p>";
  auto r = DecodeContent(body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(EncodeContent(*r), EncodeContent(testing::SampleContent()));
  // Only beside Markdown fields: "title_html" is still unknown.
  body["title_html"] = "<b>t</b>";
  auto bad = DecodeContent(body);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).pointer, "/title_html");
}

}  // namespace
}  // namespace cairn::core::catalog
