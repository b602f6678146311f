// Submission content JSON: what is encoded comes back equal; malformed fields are named by pointer.
#include "core/evidence/codec.hpp"

#include <gtest/gtest.h>

namespace cairn::core::evidence {
namespace {

using nlohmann::json;

TEST(EvidenceCodec, RoundTrips) {
  SubmissionContent c;
  c.overview = {"Twenty-eight seventh graders.", ""};
  c.artifacts = {{0, "fil_abc", "", "The ticket", true, true}, {1, "", "https://example.org/v", "", false, false}};
  c.reflection = {"Ünïcödé reflection — with dashes."};
  auto back = DecodeContent(EncodeContent(c));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->overview, c.overview);
  EXPECT_EQ(back->reflection, c.reflection);
  ASSERT_EQ(back->artifacts.size(), 2u);
  EXPECT_EQ(back->artifacts[0].file_id, "fil_abc");
  EXPECT_TRUE(back->artifacts[0].consent_attested);
  EXPECT_TRUE(back->artifacts[0].shareable);
  EXPECT_EQ(back->artifacts[1].url, "https://example.org/v");
  EXPECT_EQ(back->artifacts[1].requirement, 1);
}

TEST(EvidenceCodec, MissingPartsAreEmpty) {
  auto back = DecodeContent(json::object());
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->overview.empty());
  EXPECT_TRUE(back->artifacts.empty());
}

TEST(EvidenceCodec, ReportsEveryMalformedFieldByPointer) {
  const json body = {{"overview", {"ok", 5}},
                     {"artifacts", {{{"requirement", -1}}, {{"file_id", 3}, {"requirement", 0}},
                                    "nope", {{"requirement", 0}, {"colour", "red"}}}},
                     {"reflection", "not a list"}};
  auto r = DecodeContent(body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  std::vector<std::string> pointers;
  for (const auto& f : r.error().fields) pointers.push_back(f.pointer);
  for (const char* expected : {"/overview/1", "/artifacts/0/requirement", "/artifacts/1/file_id",
                               "/artifacts/2", "/artifacts/3/colour", "/reflection"})
    EXPECT_NE(std::find(pointers.begin(), pointers.end(), expected), pointers.end()) << expected;
}

TEST(EvidenceCodec, NotAnObjectIsRefused) {
  EXPECT_FALSE(DecodeContent(json::array()).ok());
  EXPECT_FALSE(DecodeContent(json("text")).ok());
}

TEST(EvidenceCodec, HugeListsAreRefused) {
  json body = {{"overview", json::array()}};
  for (int i = 0; i < 500; ++i) body["overview"].push_back("x");
  EXPECT_FALSE(DecodeContent(body).ok());
}

}  // namespace
}  // namespace cairn::core::evidence
