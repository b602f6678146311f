#pragma once
// Fetching the documents verification needs: controller documents (issuer profiles, did:web
// documents) and status list credentials. Verification sees only the DocumentFetcher port, so the
// server can answer for its own issuers without HTTP and tests can count requests.
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace cairn::credentials {

struct FetchedDocument {
  long status = 0;  // HTTP status
  std::string content_type;
  std::string body;
};

// A response, or why there is none (refused address, timeout, too large, DNS failure, …).
struct FetchResult {
  std::optional<FetchedDocument> document;
  std::string error;
  bool ok() const { return document.has_value(); }

  static FetchResult Success(FetchedDocument doc) { return {std::move(doc), {}}; }
  static FetchResult Failure(std::string why) { return {std::nullopt, std::move(why)}; }
};

class DocumentFetcher {
 public:
  virtual ~DocumentFetcher() = default;
  // Never throws; a non-2xx response is a document, not an error.
  virtual FetchResult Fetch(const std::string& url) = 0;
};

struct CurlFetcherOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds total_timeout{10000};
  std::size_t max_bytes = 1u << 20;
  long max_redirects = 3;
  // Private, loopback, link-local and unique-local addresses are refused unless this is set
  // (tests against a local server; a deployment that resolves its own intranet issuers).
  bool allow_private = false;
};

// libcurl, http and https only. The address check runs on each resolved address just before
// connect (CURLOPT_OPENSOCKETFUNCTION), so DNS rebinding and redirects cannot bypass it.
class CurlFetcher : public DocumentFetcher {
 public:
  explicit CurlFetcher(CurlFetcherOptions options = {});
  FetchResult Fetch(const std::string& url) override;

 private:
  CurlFetcherOptions options_;
};

// True for addresses a server-side fetch must not reach by default: IPv4 0/8, 10/8, 100.64/10,
// 127/8, 169.254/16, 172.16/12, 192.168/16, 224/4 and above; IPv6 ::, ::1, fc00::/7, fe80::/10,
// multicast, and IPv4-mapped or -compatible forms of the IPv4 ones. `address` is numeric text;
// anything unparsable counts as private.
bool IsNonPublicAddress(const std::string& address);

// A small TTL cache in front of any fetcher: successes and failures are both remembered, so a
// dead host is not asked again on every verification. Thread-safe.
class CachingFetcher : public DocumentFetcher {
 public:
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  CachingFetcher(
      DocumentFetcher& inner, std::chrono::seconds success_ttl, std::chrono::seconds failure_ttl,
      std::size_t max_entries = 1024, Now now = [] { return std::chrono::steady_clock::now(); });
  FetchResult Fetch(const std::string& url) override;

 private:
  struct Entry {
    FetchResult result;
    std::chrono::steady_clock::time_point expires;
  };
  DocumentFetcher& inner_;
  std::chrono::seconds success_ttl_;
  std::chrono::seconds failure_ttl_;
  std::size_t max_entries_;
  Now now_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace cairn::credentials
