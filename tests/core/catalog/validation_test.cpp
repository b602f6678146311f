#include "core/catalog/validation.hpp"

#include <gtest/gtest.h>

#include "sample.hpp"

namespace cairn::core::catalog {
namespace {

using testing::SampleContent;

// The pointers of the errors, for compact assertions.
std::vector<std::string> Pointers(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.pointer);
  return out;
}

TEST(Validate, SampleIsPublishable) {
  EXPECT_TRUE(Validate(SampleContent(), Completeness::kPublishable).empty());
}

TEST(Validate, TitleIsRequiredAndAtMost200Characters) {
  Content c = SampleContent();
  c.title = "  ";
  EXPECT_EQ(Pointers(Validate(c, Completeness::kDraft)), std::vector<std::string>{"/title"});
  c.title = std::string(200, 'x');
  EXPECT_TRUE(Validate(c, Completeness::kDraft).empty());
  c.title = std::string(201, 'x');
  auto errors = Validate(c, Completeness::kDraft);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "must be at most 200 characters");
  // Characters, not bytes: 200 accented letters are 400 bytes and still fit.
  c.title.clear();
  for (int i = 0; i < 200; ++i) c.title += "é";
  EXPECT_TRUE(Validate(c, Completeness::kDraft).empty());
}

TEST(Validate, DraftMayBeUnfinishedButPublishingNeedsEverything) {
  Content c;
  c.title = "Work in progress";
  EXPECT_TRUE(Validate(c, Completeness::kDraft).empty());
  const auto pointers = Pointers(Validate(c, Completeness::kPublishable));
  for (const char* expected :
       {"/summary", "/competency", "/key_method/description", "/key_method/components", "/research",
        "/submission/overview", "/submission/artifacts", "/submission/reflection",
        "/rubric/criteria", "/rubric/earned_rule/level", "/subject", "/estimated_hours"})
    EXPECT_NE(std::find(pointers.begin(), pointers.end(), expected), pointers.end()) << expected;
}

TEST(Validate, WordLimitsMustBePositive) {
  Content c = SampleContent();
  c.submission.overview[0].word_limit = 0;
  c.submission.reflection[0].word_limit = -5;
  EXPECT_EQ(Pointers(Validate(c, Completeness::kDraft)),
            (std::vector<std::string>{"/submission/overview/0/word_limit",
                                      "/submission/reflection/0/word_limit"}));
}

TEST(Validate, ArtifactCountsAndKinds) {
  Content c = SampleContent();
  c.submission.artifacts[0].min_count = 3;
  c.submission.artifacts[0].max_count = 2;
  auto errors = Validate(c, Completeness::kDraft);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/submission/artifacts/0/max_count");
  EXPECT_EQ(errors[0].message, "must not be less than min_count");

  c = SampleContent();
  c.submission.artifacts[0].accepted_kinds = {};
  EXPECT_EQ(Pointers(Validate(c, Completeness::kDraft)),
            std::vector<std::string>{"/submission/artifacts/0/accepted_kinds"});
  c.submission.artifacts[0].accepted_kinds = {ArtifactKind::kVideo, ArtifactKind::kVideo};
  EXPECT_EQ(Pointers(Validate(c, Completeness::kDraft)),
            std::vector<std::string>{"/submission/artifacts/0/accepted_kinds/1"});
}

TEST(Validate, RubricNeedsTwoOrderedLevelsAndDistinctIds) {
  Content c = SampleContent();
  c.rubric.criteria[1].levels.resize(1);
  c.rubric.criteria[2].id = "design";
  const auto pointers = Pointers(Validate(c, Completeness::kDraft));
  EXPECT_NE(std::find(pointers.begin(), pointers.end(), "/rubric/criteria/1/levels"),
            pointers.end());
  EXPECT_NE(std::find(pointers.begin(), pointers.end(), "/rubric/criteria/2/id"), pointers.end());
}

TEST(Validate, EarnedRuleLevelMustExistInEveryCriterion) {
  Content c = SampleContent();
  c.rubric.criteria[2].levels.pop_back();  // drop "exceeds" from one criterion
  c.rubric.earned_rule.level = "exceeds";
  auto errors = Validate(c, Completeness::kDraft);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/rubric/earned_rule/level");
  EXPECT_NE(errors[0].message.find("next-steps"), std::string::npos);

  c = SampleContent();
  c.rubric.earned_rule.floor_level = "exceeds";  // a floor above the threshold
  EXPECT_EQ(Pointers(Validate(c, Completeness::kDraft)),
            std::vector<std::string>{"/rubric/earned_rule/floor_level"});
  c.rubric.earned_rule.floor_level = "approaching";
  c.rubric.earned_rule.minimum_criteria = 4;  // only three criteria
  EXPECT_EQ(Pointers(Validate(c, Completeness::kDraft)),
            std::vector<std::string>{"/rubric/earned_rule/minimum_criteria"});
}

TEST(Validate, UrlsMustBeHttp) {
  Content c = SampleContent();
  c.resources[0].url = "javascript:alert(1)";
  c.alignments[0].url = "ftp://example.org/x";
  c.image_url = "https://";
  EXPECT_EQ(Pointers(Validate(c, Completeness::kDraft)),
            (std::vector<std::string>{"/resources/0/url", "/alignments/0/url", "/image_url"}));
  EXPECT_TRUE(IsHttpUrl("https://example.org/path?q=1#f"));
  EXPECT_TRUE(IsHttpUrl("http://localhost:8080"));
  EXPECT_FALSE(IsHttpUrl("https://exa mple.org"));
  EXPECT_FALSE(IsHttpUrl("HTTPS//example.org"));
}

TEST(Validate, ResourceIsALinkOrAFileNotBoth) {
  Content c = SampleContent();
  c.resources[0].file = "sha256:" + std::string(64, 'a');
  EXPECT_EQ(Pointers(Validate(c, Completeness::kDraft)), std::vector<std::string>{"/resources/0"});
  c.resources[0].url.clear();
  EXPECT_TRUE(Validate(c, Completeness::kDraft).empty());
  c.resources[0].file = "../../etc/passwd";
  EXPECT_EQ(Pointers(Validate(c, Completeness::kDraft)),
            std::vector<std::string>{"/resources/0/file"});
}

TEST(Validate, TagsAreDistinctSlugs) {
  Content c = SampleContent();
  c.tags = {"Growth Mindset", "ok", "ok"};
  EXPECT_EQ(Pointers(Validate(c, Completeness::kDraft)),
            (std::vector<std::string>{"/tags/0", "/tags/2"}));
}

TEST(Validate, HoursAndControlCharacters) {
  Content c = SampleContent();
  c.estimated_hours = 500;
  c.subject = "Math\x01";
  EXPECT_EQ(Pointers(Validate(c, Completeness::kDraft)),
            (std::vector<std::string>{"/subject", "/estimated_hours"}));
}

}  // namespace
}  // namespace cairn::core::catalog
