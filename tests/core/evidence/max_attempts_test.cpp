// The micro-credential's attempt cap (max_attempts): optional in the catalog JSON with a default
// of 3, kept between 1 and 10, and carried through encode/decode.
#include <gtest/gtest.h>

#include "../catalog/sample.hpp"
#include "core/catalog/codec.hpp"
#include "core/catalog/validation.hpp"

namespace cairn::core::catalog {
namespace {

bool NamesPointer(const std::vector<FieldError>& errors, const std::string& pointer) {
  for (const auto& e : errors)
    if (e.pointer == pointer) return true;
  return false;
}

TEST(MaxAttempts, DefaultsToThreeWhenAbsent) {
  auto json = EncodeContent(testing::SampleContent());
  EXPECT_EQ(json["max_attempts"], 3);
  json.erase("max_attempts");
  auto decoded = DecodeContent(json);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->max_attempts, 3);
}

TEST(MaxAttempts, RoundTripsAndIsValidated) {
  auto content = testing::SampleContent();
  content.max_attempts = 7;
  auto decoded = DecodeContent(EncodeContent(content));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->max_attempts, 7);
  EXPECT_FALSE(NamesPointer(Validate(content, Completeness::kPublishable), "/max_attempts"));
  for (int bad : {0, -1, 11}) {
    content.max_attempts = bad;
    EXPECT_TRUE(NamesPointer(Validate(content, Completeness::kDraft), "/max_attempts")) << bad;
  }
}

TEST(MaxAttempts, MustBeAnInteger) {
  auto json = EncodeContent(testing::SampleContent());
  json["max_attempts"] = "three";
  auto decoded = DecodeContent(json);
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(NamesPointer(decoded.error().fields, "/max_attempts"));
}

}  // namespace
}  // namespace cairn::core::catalog
