#include "http/router.hpp"

#include <gtest/gtest.h>

namespace cairn::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return TextResponse(200, name); };
}

std::string Invoke(const RouteMatch& match) {
  Request request;
  return match.route->handler(request).body;
}

TEST(RouterTest, MatchesLiteralsAndParameters) {
  Router router;
  router.Add({"GET", "/api/v1/micro-credentials", Named("list")});
  router.Add({"GET", "/api/v1/micro-credentials/{id}", Named("one")});
  router.Add({"GET", "/api/v1/micro-credentials/{id}/versions/{version}", Named("version")});

  auto list = router.Match("GET", "/api/v1/micro-credentials");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Invoke(list), "list");

  auto one = router.Match("GET", "/api/v1/micro-credentials/mc_7Kq3");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(Invoke(one), "one");
  EXPECT_EQ(one.params.at("id"), "mc_7Kq3");

  auto version = router.Match("GET", "/api/v1/micro-credentials/mc_1/versions/3");
  ASSERT_EQ(version.status, 200);
  EXPECT_EQ(version.params.at("id"), "mc_1");
  EXPECT_EQ(version.params.at("version"), "3");
}

TEST(RouterTest, LiteralBeatsParameterButBacktracksOnMethod) {
  Router router;
  router.Add({"GET", "/x/{id}", Named("param")});
  router.Add({"POST", "/x/special", Named("literal")});
  auto post = router.Match("POST", "/x/special");
  ASSERT_EQ(post.status, 200);
  EXPECT_EQ(Invoke(post), "literal");
  // The literal node has no GET, so the {id} route answers.
  auto get = router.Match("GET", "/x/special");
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(Invoke(get), "param");
  EXPECT_EQ(get.params.at("id"), "special");
}

TEST(RouterTest, BacktracksWhenADeeperSegmentFails) {
  Router router;
  router.Add({"GET", "/a/b/c", Named("abc")});
  router.Add({"GET", "/a/{x}/d", Named("axd")});
  auto match = router.Match("GET", "/a/b/d");
  ASSERT_EQ(match.status, 200);
  EXPECT_EQ(Invoke(match), "axd");
  EXPECT_EQ(match.params.at("x"), "b");
}

TEST(RouterTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  Router router;
  router.Add({"GET", "/items/{id}", Named("get")});
  router.Add({"DELETE", "/items/{id}", Named("delete")});
  EXPECT_EQ(router.Match("GET", "/nothing").status, 404);
  EXPECT_EQ(router.Match("GET", "/items").status, 404);
  EXPECT_EQ(router.Match("GET", "/items/1/extra").status, 404);
  auto wrong = router.Match("PUT", "/items/1");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_EQ(wrong.allow, "DELETE, GET, HEAD");
}

TEST(RouterTest, HeadIsAnsweredByGet) {
  Router router;
  router.Add({"GET", "/healthz", Named("health")});
  auto head = router.Match("HEAD", "/healthz");
  ASSERT_EQ(head.status, 200);
  EXPECT_EQ(Invoke(head), "health");
}

TEST(RouterTest, ParametersArePercentDecodedAfterSplitting) {
  Router router;
  router.Add({"GET", "/files/{name}", Named("file")});
  auto match = router.Match("GET", "/files/a%2Fb%20c");
  ASSERT_EQ(match.status, 200);
  EXPECT_EQ(match.params.at("name"), "a/b c");
  // A literal segment also matches its encoded form.
  router.Add({"GET", "/caf\xC3\xA9", Named("cafe")});
  EXPECT_EQ(router.Match("GET", "/caf%C3%A9").status, 200);
}

TEST(RouterTest, MalformedPercentEncodingIs400) {
  Router router;
  router.Add({"GET", "/files/{name}", Named("file")});
  EXPECT_EQ(router.Match("GET", "/files/%zz").status, 400);
  EXPECT_EQ(router.Match("GET", "/files/%4").status, 400);
  EXPECT_EQ(router.Match("GET", "/files/%00").status, 400);
}

TEST(RouterTest, EmptySegmentsDoNotMatchParameters) {
  Router router;
  router.Add({"GET", "/items/{id}", Named("get")});
  EXPECT_EQ(router.Match("GET", "/items/").status, 404);
  EXPECT_EQ(router.Match("GET", "items/1").status, 404);
  EXPECT_EQ(router.Match("GET", "").status, 404);
}

TEST(RouterTest, CatchAllTakesTheRestAndLosesToEverythingElse) {
  Router router;
  router.Add({"GET", "/api/v1/things", Named("things")});
  router.Add({"GET", "/{path...}", Named("static")});
  EXPECT_EQ(Invoke(router.Match("GET", "/api/v1/things")), "things");
  auto deep = router.Match("GET", "/assets/app.1234.js");
  ASSERT_EQ(deep.status, 200);
  EXPECT_EQ(Invoke(deep), "static");
  EXPECT_EQ(deep.params.at("path"), "assets/app.1234.js");
  auto root = router.Match("GET", "/");
  ASSERT_EQ(root.status, 200);
  EXPECT_EQ(root.params.at("path"), "");
  // A POST that only the GET catch-all would take is a 404, not a 405 with "Allow: GET".
  EXPECT_EQ(router.Match("POST", "/api/v1/unknown").status, 404);
  EXPECT_EQ(router.Match("POST", "/api/v1/things").status, 405);
}

TEST(RouterTest, RejectsBadPatternsAndDuplicates) {
  Router router;
  router.Add({"GET", "/a/{id}", Named("a")});
  EXPECT_THROW(router.Add({"GET", "/a/{id}", Named("again")}), std::invalid_argument);
  EXPECT_THROW(router.Add({"GET", "no-slash", Named("x")}), std::invalid_argument);
  EXPECT_THROW(router.Add({"GET", "/a/{rest...}/b", Named("x")}), std::invalid_argument);
  EXPECT_THROW(router.Add({"GET", "/a/{bro{ken}", Named("x")}), std::invalid_argument);
  EXPECT_THROW(router.Add({"GET", "/a//b", Named("x")}), std::invalid_argument);
  EXPECT_THROW(router.Add({"GET", "/b", nullptr}), std::invalid_argument);
  EXPECT_EQ(router.routes().size(), 1u);
}

TEST(RouterTest, RoutesKeepTheirPolicyAndLimits) {
  Router router;
  router.Add({"POST", "/upload", Named("u"), "authenticated", 5 << 20, "Upload"});
  auto match = router.Match("POST", "/upload");
  ASSERT_EQ(match.status, 200);
  EXPECT_EQ(match.route->policy, "authenticated");
  EXPECT_EQ(match.route->max_body, 5u << 20);
}

TEST(PercentDecodeTest, DecodesAndRejects) {
  EXPECT_EQ(PercentDecode("a%20b").value(), "a b");
  EXPECT_EQ(PercentDecode("a+b").value(), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true).value(), "a b");
  EXPECT_EQ(PercentDecode("%e2%82%AC").value(), "\xE2\x82\xAC");
  EXPECT_FALSE(PercentDecode("%"));
  EXPECT_FALSE(PercentDecode("%2"));
  EXPECT_FALSE(PercentDecode("%g0"));
  EXPECT_FALSE(PercentDecode("%00"));
}

TEST(HeadersTest, NamesAreCaseInsensitive) {
  Headers headers;
  headers.Add("Content-Type", "application/json");
  headers.Add("set-cookie", "a=1");
  headers.Add("Set-Cookie", "b=2");
  EXPECT_EQ(headers.Get("content-type").value(), "application/json");
  EXPECT_EQ(headers.Get("SET-COOKIE").value(), "a=1");
  EXPECT_EQ(headers.size(), 3u);
  headers.Set("SET-cookie", "c=3");
  EXPECT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers.Get("set-cookie").value(), "c=3");
  headers.Remove("CONTENT-TYPE");
  EXPECT_FALSE(headers.Get("Content-Type"));
  int n = 0;
  for (const auto& [name, value] : headers) n += name.empty() ? 0 : 1;
  EXPECT_EQ(n, 1);
}

TEST(RequestTest, CookiesAndQuery) {
  Request request;
  request.headers.Add("Cookie", "theme=dark; cairn_session=abc123;  quoted=\"v\"");
  request.headers.Add("cookie", "late=1");
  EXPECT_EQ(request.Cookie("cairn_session").value(), "abc123");
  EXPECT_EQ(request.Cookie("quoted").value(), "v");
  EXPECT_EQ(request.Cookie("late").value(), "1");
  EXPECT_FALSE(request.Cookie("session"));
  EXPECT_FALSE(request.Cookie("cairn"));
  request.query = {{"page", "2"}, {"page", "3"}, {"q", "a b"}};
  EXPECT_EQ(request.Query("page").value(), "2");
  EXPECT_EQ(request.Query("q").value(), "a b");
  EXPECT_FALSE(request.Query("missing"));
}

}  // namespace
}  // namespace cairn::http
