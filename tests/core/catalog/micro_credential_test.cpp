#include "core/catalog/micro_credential.hpp"

#include <gtest/gtest.h>

#include "sample.hpp"

namespace cairn::core::catalog {
namespace {

const TimePoint kT0 = TimePoint{} + std::chrono::hours(24 * 20000);

MicroCredential Draft() {
  MicroCredential mc;
  mc.id = "mc_test";
  mc.issuer_id = "org_a";
  mc.content = testing::SampleContent();
  mc.created_at = mc.updated_at = kT0;
  return mc;
}

TEST(Lifecycle, DraftPublishRetire) {
  MicroCredential mc = Draft();
  ASSERT_TRUE(mc.Publish(kT0 + std::chrono::hours(1)).ok());
  EXPECT_EQ(mc.state, State::kPublished);
  EXPECT_EQ(mc.published_at, kT0 + std::chrono::hours(1));
  ASSERT_TRUE(mc.Retire(kT0 + std::chrono::hours(2)).ok());
  EXPECT_EQ(mc.state, State::kRetired);
  EXPECT_EQ(mc.retired_at, kT0 + std::chrono::hours(2));
}

TEST(Lifecycle, GuardsRefuseOutOfOrderVerbs) {
  MicroCredential mc = Draft();
  auto retire = mc.Retire(kT0);
  ASSERT_FALSE(retire.ok());
  EXPECT_EQ(retire.error().code, ErrorCode::kInvalidState);
  EXPECT_EQ(mc.state, State::kDraft);
  ASSERT_TRUE(mc.Publish(kT0).ok());
  auto again = mc.Publish(kT0);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidState);
  ASSERT_TRUE(mc.Retire(kT0).ok());
  EXPECT_FALSE(mc.Publish(kT0).ok());
  EXPECT_FALSE(mc.Retire(kT0).ok());
}

TEST(Lifecycle, NewDraftFromPublishedCopiesContentIntoTheNextVersion) {
  MicroCredential v1 = Draft();
  v1.revision = 7;
  ASSERT_TRUE(v1.Publish(kT0).ok());
  auto v2 = NewDraftFrom(v1, kT0 + std::chrono::hours(3), "usr_editor");
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->id, v1.id);
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->state, State::kDraft);
  EXPECT_EQ(v2->revision, 1);
  EXPECT_EQ(v2->content.title, v1.content.title);
  EXPECT_EQ(v2->created_by, "usr_editor");
  EXPECT_FALSE(v2->published_at.has_value());
  // The published version itself is untouched.
  EXPECT_EQ(v1.state, State::kPublished);
  EXPECT_EQ(v1.version, 1);
}

TEST(Lifecycle, NewDraftOnlyFromPublished) {
  EXPECT_EQ(NewDraftFrom(Draft(), kT0, "usr").error().code, ErrorCode::kInvalidState);
}

TEST(GradeBand, ParsesNamesAndSpansOverlap) {
  for (auto name : GradeBandNames()) {
    auto band = ParseGradeBand(name);
    ASSERT_TRUE(band) << name;
    EXPECT_EQ(ToString(*band), name);
  }
  EXPECT_FALSE(ParseGradeBand("K-12"));  // names are lowercase
  EXPECT_EQ(SpanOf(GradeBand::k6To8).min, 6);
  EXPECT_EQ(SpanOf(GradeBand::kK12).max, 12);
}

}  // namespace
}  // namespace cairn::core::catalog
