// CurlFetcher against a real local HTTP server: the SSRF guard, the size limit, the timeout and
// the scheme rules; and the TTL cache in front of it.
#include "credentials/fetcher.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "local_http_server.hpp"

namespace cairn::credentials {
namespace {

using std::chrono::milliseconds;
using testing::LocalHttpServer;

int CountOf(const std::string& text, const std::string& line) {
  int n = 0;
  for (std::size_t at = text.find(line); at != std::string::npos; at = text.find(line, at + 1)) ++n;
  return n;
}

TEST(FetcherAddressGuard, ClassifiesIpv4AndIpv6Ranges) {
  for (const char* address : {"127.0.0.1",
                              "127.255.0.9",
                              "10.0.0.1",
                              "10.255.255.255",
                              "172.16.0.1",
                              "172.31.255.1",
                              "192.168.1.1",
                              "169.254.169.254",
                              "100.64.0.1",
                              "0.0.0.0",
                              "224.0.0.1",
                              "255.255.255.255",
                              "::1",
                              "::",
                              "fc00::1",
                              "fd12:3456::1",
                              "fe80::1",
                              "ff02::1",
                              "::ffff:127.0.0.1",
                              "::ffff:10.1.2.3",
                              "64:ff9b::a00:1",
                              "[::1]",
                              "fe80::1%eth0",
                              "not an address",
                              ""}) {
    EXPECT_TRUE(IsNonPublicAddress(address)) << address;
  }
  for (const char* address :
       {"93.184.216.34", "8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1",
        "2606:4700::1111", "::ffff:8.8.8.8", "2001:4860::8888"}) {
    EXPECT_FALSE(IsNonPublicAddress(address)) << address;
  }
}

TEST(CurlFetcher, FetchesFromALocalServerWhenPrivateAddressesAreAllowed) {
  LocalHttpServer server;
  server.Put("issuers/1.json", R"({"id":"x"})");
  CurlFetcher fetcher({.allow_private = true});
  const FetchResult result = fetcher.Fetch(server.Url("/issuers/1.json"));
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.document->status, 200);
  EXPECT_EQ(result.document->body, R"({"id":"x"})");
  EXPECT_EQ(result.document->content_type, "application/json");

  const FetchResult missing = fetcher.Fetch(server.Url("/nothing-here"));
  ASSERT_TRUE(missing.ok()) << missing.error;
  EXPECT_EQ(missing.document->status, 404);
}

// The server is up and would answer, so only the guard can explain a refusal; the request log
// proves nothing reached it.
TEST(CurlFetcher, RefusesPrivateLoopbackAndLinkLocalAddressesBeforeConnecting) {
  LocalHttpServer server;
  server.Put("secret", "internal");
  CurlFetcher fetcher;  // allow_private = false
  const std::string port = std::to_string(server.port());
  for (const std::string& url :
       {server.Url("/secret"), "http://localhost:" + port + "/secret",
        "http://[::1]:" + port + "/secret", "http://[::ffff:127.0.0.1]:" + port + "/secret",
        "http://2130706433:" + port + "/secret", std::string("http://10.1.2.3/secret"),
        std::string("http://169.254.169.254/latest/meta-data/"),
        std::string("http://192.168.0.1/secret"), std::string("http://[fc00::1]/secret"),
        std::string("http://[fd00:abcd::5]:8080/secret"), std::string("http://0.0.0.0:") + port}) {
    const auto start = std::chrono::steady_clock::now();
    const FetchResult result = fetcher.Fetch(url);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(result.ok()) << url;
    EXPECT_NE(result.error.find("refused to connect to non-public address"), std::string::npos)
        << url << ": " << result.error;
    // No connect attempt means no connect timeout to wait for.
    EXPECT_LT(elapsed, milliseconds(1000)) << url;
  }
  EXPECT_EQ(server.RequestLog().find("/secret"), std::string::npos) << server.RequestLog();
}

TEST(CurlFetcher, FetchesOnlyHttpAndHttps) {
  CurlFetcher fetcher({.allow_private = true});
  for (const char* url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/",
                          "dict://127.0.0.1:11211/stat", "/etc/passwd", ""}) {
    const FetchResult result = fetcher.Fetch(url);
    EXPECT_FALSE(result.ok()) << url;
    EXPECT_EQ(result.error, "only http and https URLs are fetched") << url;
  }
}

TEST(CurlFetcher, DoesNotFollowARedirectToAnotherScheme) {
  LocalHttpServer server;
  CurlFetcher fetcher({.allow_private = true});
  const FetchResult result = fetcher.Fetch(server.Url("/redirect?to=file:///etc/passwd"));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "redirected to a scheme other than http or https");
}

TEST(CurlFetcher, FollowsAnHttpRedirect) {
  LocalHttpServer server;
  server.Put("doc.json", "{}");
  CurlFetcher permissive({.allow_private = true});
  const FetchResult followed =
      permissive.Fetch(server.Url("/redirect?to=" + server.Url("/doc.json")));
  ASSERT_TRUE(followed.ok()) << followed.error;
  EXPECT_EQ(followed.document->body, "{}");
}

TEST(CurlFetcher, EnforcesTheSizeLimit) {
  LocalHttpServer server;
  server.Put("small", std::string(1000, 'a'));
  CurlFetcher fetcher({.allow_private = true});  // default limit: 1 MiB
  for (const char* path : {"/big", "/big-unannounced"}) {
    const FetchResult result = fetcher.Fetch(server.Url(path));
    EXPECT_FALSE(result.ok()) << path;
    EXPECT_EQ(result.error, "the response is larger than 1048576 bytes") << path;
  }
  CurlFetcher tiny({.max_bytes = 999, .allow_private = true});
  EXPECT_FALSE(tiny.Fetch(server.Url("/small")).ok());
  CurlFetcher exact({.max_bytes = 1000, .allow_private = true});
  const FetchResult fits = exact.Fetch(server.Url("/small"));
  ASSERT_TRUE(fits.ok()) << fits.error;
  EXPECT_EQ(fits.document->body.size(), 1000u);
}

TEST(CurlFetcher, GivesUpAfterTheTotalTimeout) {
  LocalHttpServer server;
  CurlFetcher fetcher({.total_timeout = milliseconds(800), .allow_private = true});
  const auto start = std::chrono::steady_clock::now();
  const FetchResult result = fetcher.Fetch(server.Url("/sleep"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "the request timed out");
  EXPECT_GE(elapsed, milliseconds(700));
  EXPECT_LT(elapsed, milliseconds(4000));  // the handler sleeps 5 s
}

TEST(CurlFetcher, DefaultsMatchThePolicy) {
  const CurlFetcherOptions options;
  EXPECT_EQ(options.connect_timeout, milliseconds(3000));
  EXPECT_EQ(options.total_timeout, milliseconds(10000));
  EXPECT_EQ(options.max_bytes, 1024u * 1024u);
  EXPECT_FALSE(options.allow_private);
}

// Counts what reaches the real fetcher behind the cache.
class CountingFetcher : public DocumentFetcher {
 public:
  explicit CountingFetcher(DocumentFetcher& inner) : inner_(inner) {}
  FetchResult Fetch(const std::string& url) override {
    ++calls;
    return inner_.Fetch(url);
  }
  int calls = 0;

 private:
  DocumentFetcher& inner_;
};

TEST(CachingFetcher, RemembersSuccessesAndFailuresForTheirTtl) {
  LocalHttpServer server;
  server.Put("doc.json", R"({"v":1})");
  CurlFetcher curl({.allow_private = true});
  auto now = std::chrono::steady_clock::time_point{};
  CachingFetcher cache(curl, std::chrono::seconds(60), std::chrono::seconds(5), 16,
                       [&] { return now; });
  EXPECT_EQ(cache.Fetch(server.Url("/doc.json")).document->body, R"({"v":1})");
  server.Put("doc.json", R"({"v":2})");
  EXPECT_EQ(cache.Fetch(server.Url("/doc.json")).document->body, R"({"v":1})");
  EXPECT_EQ(CountOf(server.RequestLog(), "/doc.json"), 1);

  now += std::chrono::seconds(61);
  EXPECT_EQ(cache.Fetch(server.Url("/doc.json")).document->body, R"({"v":2})");
  EXPECT_EQ(CountOf(server.RequestLog(), "/doc.json"), 2);

  // A 404 is cached for the shorter failure TTL.
  EXPECT_EQ(cache.Fetch(server.Url("/missing")).document->status, 404);
  EXPECT_EQ(cache.Fetch(server.Url("/missing")).document->status, 404);
  EXPECT_EQ(CountOf(server.RequestLog(), "/missing"), 1);
  now += std::chrono::seconds(6);
  cache.Fetch(server.Url("/missing"));
  EXPECT_EQ(CountOf(server.RequestLog(), "/missing"), 2);
}

TEST(CachingFetcher, CachesRefusalsAndStaysWithinItsSize) {
  CurlFetcher guarded;
  CountingFetcher counting(guarded);
  auto now = std::chrono::steady_clock::time_point{};
  CachingFetcher cache(counting, std::chrono::seconds(60), std::chrono::seconds(30), 2,
                       [&] { return now; });
  EXPECT_FALSE(cache.Fetch("http://10.0.0.1/a").ok());
  EXPECT_FALSE(cache.Fetch("http://10.0.0.1/a").ok());
  EXPECT_EQ(counting.calls, 1);
  cache.Fetch("http://10.0.0.1/b");
  cache.Fetch("http://10.0.0.1/c");  // the cache is full: an older entry makes room
  EXPECT_EQ(counting.calls, 3);
  cache.Fetch("http://10.0.0.1/c");
  EXPECT_EQ(counting.calls, 3);
  now += std::chrono::seconds(31);  // past the failure TTL
  cache.Fetch("http://10.0.0.1/c");
  EXPECT_EQ(counting.calls, 4);
}

}  // namespace
}  // namespace cairn::credentials
