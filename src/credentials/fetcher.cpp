#include "credentials/fetcher.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <mutex>
#include <utility>

namespace cairn::credentials {
namespace {

bool IsNonPublicV4(const std::array<std::uint8_t, 4>& a) {
  if (a[0] == 0 || a[0] == 10 || a[0] == 127) return true;
  if (a[0] == 100 && (a[1] & 0xC0) == 64) return true;  // carrier-grade NAT
  if (a[0] == 169 && a[1] == 254) return true;
  if (a[0] == 172 && (a[1] & 0xF0) == 16) return true;
  if (a[0] == 192 && a[1] == 168) return true;
  if (a[0] == 192 && a[1] == 0 && a[2] == 0) return true;  // IETF protocol assignments
  if (a[0] == 198 && (a[1] & 0xFE) == 18) return true;     // benchmarking
  return a[0] >= 224;                                      // multicast, reserved, broadcast
}

bool IsNonPublicV6(const std::array<std::uint8_t, 16>& a) {
  bool zero_prefix = true;  // first 10 bytes zero
  for (int i = 0; i < 10; ++i) zero_prefix = zero_prefix && a[i] == 0;
  const std::array<std::uint8_t, 4> tail{a[12], a[13], a[14], a[15]};
  if (zero_prefix && a[10] == 0xFF && a[11] == 0xFF) return IsNonPublicV4(tail);  // ::ffff:v4
  if (zero_prefix && a[10] == 0 && a[11] == 0) return true;  // ::, ::1 and deprecated ::v4
  // 64:ff9b::/96 NAT64 carries an IPv4 address that must pass the IPv4 rules.
  if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B) return IsNonPublicV4(tail);
  if ((a[0] & 0xFE) == 0xFC) return true;                  // fc00::/7 unique local
  if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) return true;  // fe80::/10 link local
  if (a[0] == 0xFE && (a[1] & 0xC0) == 0xC0) return true;  // fec0::/10 site local (deprecated)
  return a[0] == 0xFF;                                     // multicast
}

std::string SockaddrText(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
              sizeof text);
  }
  return text;
}

struct Transfer {
  const CurlFetcherOptions* options = nullptr;
  std::string body;
  bool too_large = false;
  std::string refused_address;
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (transfer->body.size() + n > transfer->options->max_bytes) {
    transfer->too_large = true;
    return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
  }
  transfer->body.append(data, n);
  return n;
}

// Runs for every address libcurl is about to connect to, after DNS: the one place where the
// address that is actually used can be checked.
curl_socket_t OnOpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* transfer = static_cast<Transfer*>(user);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  if (!transfer->options->allow_private) {
    const std::string text = SockaddrText(&address->addr);
    if (address->family != AF_INET && address->family != AF_INET6) {
      transfer->refused_address = "(non-IP address)";
      return CURL_SOCKET_BAD;
    }
    if (IsNonPublicAddress(text)) {
      transfer->refused_address = text;
      return CURL_SOCKET_BAD;
    }
  }
  return socket(address->family, address->socktype, address->protocol);
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool HasHttpScheme(const std::string& url) {
  const auto lower_prefix = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      const char c = url[i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != prefix[i]) return false;
    }
    return true;
  };
  return lower_prefix("http://") || lower_prefix("https://");
}

}  // namespace

bool IsNonPublicAddress(const std::string& address) {
  std::array<std::uint8_t, 16> bytes{};
  if (inet_pton(AF_INET, address.c_str(), bytes.data()) == 1) {
    return IsNonPublicV4({bytes[0], bytes[1], bytes[2], bytes[3]});
  }
  std::string host = address;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (const auto zone = host.find('%'); zone != std::string::npos)
    return true;  // scoped: link local
  if (inet_pton(AF_INET6, host.c_str(), bytes.data()) == 1) return IsNonPublicV6(bytes);
  return true;
}

CurlFetcher::CurlFetcher(CurlFetcherOptions options) : options_(std::move(options)) {
  GlobalInit();
}

FetchResult CurlFetcher::Fetch(const std::string& url) {
  if (!HasHttpScheme(url)) return FetchResult::Failure("only http and https URLs are fetched");
  if (url.find_first_of(std::string_view(" \r\n\t\0", 5)) != std::string::npos) {
    return FetchResult::Failure("the URL contains whitespace or control characters");
  }
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return FetchResult::Failure("libcurl could not start a transfer");
  Transfer transfer;
  transfer.options = &options_;
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, options_.max_redirects);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  // A proxy from the environment would make the checked address the proxy's, not the target's.
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_bytes));
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_USERAGENT, "Cairn-Verifier/1");
  curl_slist* headers = curl_slist_append(
      nullptr,
      "Accept: application/did+ld+json, application/did+json, application/ld+json, "
      "application/json;q=0.9, */*;q=0.1");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard(headers,
                                                                           curl_slist_free_all);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &transfer);

  const CURLcode code = curl_easy_perform(h);
  if (!transfer.refused_address.empty()) {
    return FetchResult::Failure("refused to connect to non-public address " +
                                transfer.refused_address);
  }
  if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return FetchResult::Failure("the response is larger than " +
                                std::to_string(options_.max_bytes) + " bytes");
  }
  if (code == CURLE_OPERATION_TIMEDOUT) return FetchResult::Failure("the request timed out");
  if (code == CURLE_UNSUPPORTED_PROTOCOL) {
    return FetchResult::Failure("redirected to a scheme other than http or https");
  }
  if (code != CURLE_OK) return FetchResult::Failure(curl_easy_strerror(code));

  FetchedDocument doc;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &doc.status);
  const char* content_type = nullptr;
  curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type) doc.content_type = content_type;
  doc.body = std::move(transfer.body);
  return FetchResult::Success(std::move(doc));
}

CachingFetcher::CachingFetcher(DocumentFetcher& inner, std::chrono::seconds success_ttl,
                               std::chrono::seconds failure_ttl, std::size_t max_entries, Now now)
    : inner_(inner),
      success_ttl_(success_ttl),
      failure_ttl_(failure_ttl),
      max_entries_(max_entries == 0 ? 1 : max_entries),
      now_(std::move(now)) {}

FetchResult CachingFetcher::Fetch(const std::string& url) {
  {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(url);
    if (it != entries_.end() && now_() < it->second.expires) return it->second.result;
  }
  // The fetch itself runs unlocked, so one slow host does not hold up every other look-up.
  FetchResult result = inner_.Fetch(url);
  const bool good = result.ok() && result.document->status >= 200 && result.document->status < 300;
  const auto expires = now_() + (good ? success_ttl_ : failure_ttl_);
  std::lock_guard lock(mutex_);
  if (entries_.size() >= max_entries_ && !entries_.contains(url)) {
    const auto now = now_();
    std::erase_if(entries_, [&](const auto& e) { return e.second.expires <= now; });
    if (entries_.size() >= max_entries_) entries_.erase(entries_.begin());
  }
  entries_[url] = Entry{result, expires};
  return result;
}

}  // namespace cairn::credentials
