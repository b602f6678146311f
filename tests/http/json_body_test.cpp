#include "http/json_body.hpp"

#include <gtest/gtest.h>

#include "http/response.hpp"

namespace cairn::http {
namespace {

using nlohmann::json;

Request JsonRequest(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = "POST";
  if (!content_type.empty()) request.headers.Add("Content-Type", content_type);
  request.body = std::move(body);
  return request;
}

std::vector<std::string> Pointers(const core::Error& error) {
  std::vector<std::string> pointers;
  for (const auto& f : error.fields) pointers.push_back(f.pointer + " " + f.message);
  return pointers;
}

TEST(ParseJsonBodyTest, AcceptsAnObject) {
  auto body = ParseJsonBody(JsonRequest(R"({"a": 1})"));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["a"], 1);
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{}", "application/json; charset=UTF-8")).ok());
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{}", "application/merge-patch+json")).ok());
}

TEST(ParseJsonBodyTest, WrongOrMissingContentTypeIs415) {
  for (std::string type : {"", "text/plain", "application/x-www-form-urlencoded",
                           "application/json; charset=latin1", "application/jsonx"}) {
    auto body = ParseJsonBody(JsonRequest("{}", type));
    ASSERT_FALSE(body.ok()) << type;
    EXPECT_EQ(body.error().code, core::ErrorCode::kUnsupportedMedia) << type;
    EXPECT_EQ(StatusFor(body.error()), 415);
  }
}

// Found by http_router_fuzz: an overflowing number threw out of ParseJsonBody.
TEST(ParseJsonBodyTest, NumberBeyondDoubleIs400NotACrash) {
  for (std::string text : {R"({"count": 2777777777E777777777})", R"({"x": -1e400})", "[1E999]"}) {
    auto body = ParseJsonBody(JsonRequest(text));
    ASSERT_FALSE(body.ok()) << text;
    EXPECT_EQ(StatusFor(body.error()), 400) << text;
    EXPECT_EQ(body.error().message, "the JSON body holds a number too large to represent") << text;
  }
}

TEST(ParseJsonBodyTest, InvalidUtf8Is400WithOffset) {
  auto body = ParseJsonBody(JsonRequest("{\"a\": \"\xC3\x28\"}"));
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(StatusFor(body.error()), 400);
  EXPECT_EQ(body.error().message, "the request body is not valid UTF-8 (byte offset 7)");
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xF0\x9F\x8E\x93"));
}

TEST(ParseJsonBodyTest, MalformedJsonNamesTheByteOffset) {
  auto body = ParseJsonBody(JsonRequest(R"({"a": 1,, "b": 2})"));
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(StatusFor(body.error()), 400);
  EXPECT_EQ(body.error().message, "malformed JSON at byte offset 8");
  auto truncated = ParseJsonBody(JsonRequest(R"({"a": )"));
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().message.find("malformed JSON at byte offset"), std::string::npos);
}

TEST(ParseJsonBodyTest, TopLevelMustBeAnObjectAndNotEmpty) {
  for (std::string text : {"[1,2]", "\"text\"", "42", "null"}) {
    auto body = ParseJsonBody(JsonRequest(text));
    ASSERT_FALSE(body.ok()) << text;
    EXPECT_EQ(StatusFor(body.error()), 400);
    EXPECT_NE(body.error().message.find("must be an object"), std::string::npos) << text;
  }
  auto empty = ParseJsonBody(JsonRequest(""));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "the request body is empty");
}

TEST(ParseJsonBodyTest, DeepNestingIsRejectedNotACrash) {
  std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto body = ParseJsonBody(JsonRequest(deep));
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(StatusFor(body.error()), 400);
  EXPECT_NE(body.error().message.find("nests deeper than 64"), std::string::npos);
  // Brackets inside strings do not count.
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{\"a\":\"" + std::string(1000, '[') + "\"}")).ok());
}

TEST(JsonReaderTest, ReadsTypedMembers) {
  json body = json::parse(R"({"title": "Inquiry", "hours": 12, "public": true,
                              "level": "advanced", "tags": ["a", "b"],
                              "meta": {"note": "n"}})");
  JsonReader in(body);
  EXPECT_EQ(in.RequiredString("title", 100), "Inquiry");
  EXPECT_EQ(in.OptionalInt("hours", 1, 100).value(), 12);
  EXPECT_TRUE(in.RequiredBool("public"));
  EXPECT_EQ(in.RequiredEnum("level", {"intro", "advanced"}), "advanced");
  EXPECT_EQ(in.StringArray("tags", true, 10), (std::vector<std::string>{"a", "b"}));
  auto meta = in.OptionalObject("meta");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->OptionalString("note").value(), "n");
  EXPECT_FALSE(in.OptionalString("absent"));
  EXPECT_TRUE(in.Finish().ok());
}

TEST(JsonReaderTest, CollectsEveryErrorWithExactPointers) {
  json body = json::parse(R"({
    "title": "",
    "hours": 1000,
    "public": "yes",
    "level": "expert",
    "tags": ["ok", 7],
    "a/b~c": 1,
    "meta": {"note": 5, "extra": true},
    "criteria": [{"name": "x"}, 3, {"name": "y", "oops": 1}],
    "long": "\u00e9\u00e9\u00e9\u00e9"
  })");
  JsonReader in(body);
  in.RequiredString("title", 100);
  in.RequiredString("summary", 100);
  in.OptionalInt("hours", 1, 100);
  in.OptionalBool("public");
  in.OptionalEnum("level", {"intro", "advanced"});
  in.StringArray("tags", false, 10);
  auto meta = in.RequiredObject("meta");
  meta.OptionalString("note");
  for (auto& criterion : in.ObjectArray("criteria", true, 10)) criterion.RequiredString("name", 10);
  in.OptionalString("long", 3);
  auto status = in.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(StatusFor(status.error()), 422);
  EXPECT_EQ(Pointers(status.error()),
            (std::vector<std::string>{
                "/title must not be empty",
                "/summary is required",
                "/hours must be an integer from 1 to 100",
                "/public must be a boolean, not string",
                "/level must be one of: intro, advanced",
                "/tags/1 must be a string, not integer",
                "/meta/note must be a string, not integer",
                "/criteria/1 must be an object, not integer",
                "/long must be at most 3 characters",
                "/a~1b~0c is not a known member",
                "/meta/extra is not a known member",
                "/criteria/2/oops is not a known member",
            }));
}

TEST(JsonReaderTest, IntegersRejectFractionsAndOverflow) {
  json body = json::parse(R"({"a": 1.5, "b": 18446744073709551615, "c": -5, "d": 3.0})");
  JsonReader in(body);
  EXPECT_FALSE(in.OptionalInt("a", 0, 10));
  EXPECT_FALSE(in.OptionalInt("b", 0, INT64_MAX));
  EXPECT_EQ(in.OptionalInt("c", -10, 10).value(), -5);
  EXPECT_FALSE(in.OptionalInt("d", 0, 10));
  EXPECT_EQ(in.errors().size(), 3u);
  EXPECT_EQ(in.errors()[0].pointer, "/a");
  EXPECT_EQ(in.errors()[1].pointer, "/b");
}

TEST(JsonReaderTest, NullIsAbsentForOptionalsAndMissingForRequired) {
  json body = json::parse(R"({"a": null, "b": null})");
  JsonReader in(body);
  EXPECT_FALSE(in.OptionalString("a"));
  EXPECT_TRUE(in.IsNull("a"));
  EXPECT_TRUE(in.Has("a"));
  EXPECT_FALSE(in.Has("zzz"));
  in.RequiredInt("b", 0, 1);
  auto status = in.Finish();
  ASSERT_FALSE(status.ok());
  ASSERT_EQ(status.error().fields.size(), 1u);
  EXPECT_EQ(status.error().fields[0].pointer, "/b");
  EXPECT_EQ(status.error().fields[0].message, "is required");
}

TEST(JsonReaderTest, ArrayLimitsAndCustomErrors) {
  json body = json::parse(R"({"items": [1, 2, 3], "pairs": [[1, 2]]})");
  JsonReader in(body);
  EXPECT_EQ(in.Array("items", true, 2), nullptr);
  const json* pairs = in.Array("pairs", true, 5);
  ASSERT_NE(pairs, nullptr);
  in.AddError(in.PointerTo("pairs") + "/0", "must be a pair of strings");
  auto status = in.Finish();
  ASSERT_FALSE(status.ok());
  ASSERT_EQ(status.error().fields.size(), 2u);
  EXPECT_EQ(status.error().fields[0].pointer, "/items");
  EXPECT_EQ(status.error().fields[0].message, "must have at most 2 items");
  EXPECT_EQ(status.error().fields[1].pointer, "/pairs/0");
}

}  // namespace
}  // namespace cairn::http
