#include "http/idempotency.hpp"

#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <exception>

namespace cairn::http {
namespace {

constexpr std::string_view kHeader = "Idempotency-Key";
constexpr std::array<std::string_view, 4> kUnsafeMethods = {"POST", "PUT", "PATCH", "DELETE"};
// What a replay must repeat besides the body; never Set-Cookie (a session belongs to the
// connection that signed in, not to whoever repeats the request).
constexpr std::array<std::string_view, 7> kKeptHeaders = {
    "Content-Type",     "Location", "ETag",         "Last-Modified",
    "Content-Language", "Link",     "Cache-Control"};

bool IsUnsafe(std::string_view method) {
  for (auto m : kUnsafeMethods)
    if (m == method) return true;
  return false;
}

bool IsExempt(const std::string& path, const std::vector<std::string>& prefixes) {
  for (const auto& prefix : prefixes) {
    if (path.compare(0, prefix.size(), prefix) != 0) continue;
    if (path.size() == prefix.size() || path[prefix.size()] == '/') return true;
  }
  return false;
}

// Statuses that say "try again": keeping them would replay a failure the client should retry.
bool InvitesRetry(int status) {
  return status >= 500 || status == 408 || status == 425 || status == 429;
}

// Response bodies go into a TEXT column; PostgreSQL accepts neither NUL nor invalid UTF-8 there.
bool IsStorableText(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return false;
    const int extra = c < 0x80           ? 0
                      : (c >> 5) == 0x6  ? 1
                      : (c >> 4) == 0xE  ? 2
                      : (c >> 3) == 0x1E ? 3
                                         : -1;
    if (extra < 0 || (extra > 0 && i + extra >= text.size())) return false;
    for (int k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    i += extra + 1;
  }
  return true;
}

std::string Fingerprint(const Request& request) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(request.body.data()), request.body.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = request.method + " " + request.target + " ";
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

Response Replay(const core::StoredResponse& stored) {
  Response response;
  response.status = stored.status;
  for (const auto& [name, value] : stored.headers) response.headers.Add(name, value);
  response.body = stored.body;
  response.headers.Set("Idempotent-Replayed", "true");
  return response;
}

// Cache-Control: no-store marks a response that must not be kept anywhere (a sign-in, a new
// API token's secret). Streamed files and bytes a TEXT column cannot hold are not kept either.
bool MayKeepBody(const Response& response) {
  if (!response.file_path.empty() || !IsStorableText(response.body)) return false;
  for (const auto& [name, value] : response.headers)
    if (EqualsIgnoreCase(name, "Cache-Control") && value.find("no-store") != std::string::npos)
      return false;
  return true;
}

core::StoredResponse Keep(const Response& response) {
  core::StoredResponse stored;
  stored.status = response.status;
  if (!MayKeepBody(response)) {
    stored.withheld = true;
    return stored;
  }
  for (const auto& [name, value] : response.headers)
    for (auto kept : kKeptHeaders)
      if (EqualsIgnoreCase(name, kept)) stored.headers.emplace_back(name, value);
  stored.body = response.body;
  return stored;
}

}  // namespace

std::optional<std::string> ParseIdempotencyKey(std::string_view value, std::size_t max_length) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  std::string key;
  if (!value.empty() && value.front() == '"') {
    // RFC 8941 §3.3.3 sf-string: printable ASCII, with \" and \\ as the only escapes.
    std::size_t i = 1;
    bool closed = false;
    for (; i < value.size(); ++i) {
      const auto c = static_cast<unsigned char>(value[i]);
      if (c == '"') {
        closed = true;
        ++i;
        break;
      }
      if (c == '\\') {
        if (i + 1 >= value.size() || (value[i + 1] != '"' && value[i + 1] != '\\'))
          return std::nullopt;
        key += value[++i];
        continue;
      }
      if (c < 0x20 || c > 0x7E) return std::nullopt;
      key += static_cast<char>(c);
    }
    // Parameters (";a=1") would be legal Structured Field syntax, but no client sends them and
    // they carry no meaning here, so anything after the closing quote is refused.
    if (!closed || i != value.size()) return std::nullopt;
  } else {
    for (char ch : value) {
      const auto c = static_cast<unsigned char>(ch);
      if (c <= 0x20 || c > 0x7E || c == '"' || c == ',') return std::nullopt;
      key += ch;
    }
  }
  if (key.empty() || key.size() > max_length) return std::nullopt;
  return key;
}

Middleware IdempotencyMiddleware(std::shared_ptr<core::IdempotencyStore> store,
                                 const core::Clock& clock, IdempotencyOptions options) {
  auto last_prune = std::make_shared<std::atomic<std::int64_t>>(0);
  return [store = std::move(store), &clock, options = std::move(options), last_prune](
             Request& request, const Route& route) -> std::optional<Response> {
    // Non-blocking routes never touch the database, so they have no effect to protect, and this
    // middleware must not block their I/O thread. A streamed body is not in hand to fingerprint.
    if (!IsUnsafe(request.method) || !route.blocking || route.stream_body ||
        IsExempt(request.path, options.exempt_prefixes))
      return std::nullopt;
    int fields = 0;
    std::string raw;
    for (const auto& [name, value] : request.headers) {
      if (!EqualsIgnoreCase(name, kHeader)) continue;
      ++fields;
      raw = value;
    }
    if (fields == 0) return std::nullopt;
    std::optional<std::string> key;
    if (fields == 1) key = ParseIdempotencyKey(raw, options.max_key_length);
    if (!key) {
      return StatusProblem(400,
                           "Idempotency-Key must appear once and hold 1 to " +
                               std::to_string(options.max_key_length) +
                               " visible ASCII characters, e.g. a quoted UUID",
                           request.request_id, request.path);
    }

    const core::TimePoint now = clock.Now();
    const auto now_s =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    auto previous = last_prune->load();
    if (now_s - previous >=
            std::chrono::duration_cast<std::chrono::seconds>(options.prune_every).count() &&
        last_prune->compare_exchange_strong(previous, now_s)) {
      if (auto pruned = store->Prune(now); !pruned)
        spdlog::warn("pruning idempotency keys failed: {}", pruned.error().detail);
    }

    const core::IdempotencyKeyRef ref{request.principal ? request.principal->user_id : "anonymous",
                                      *key};
    auto reservation = store->Reserve(ref, Fingerprint(request), now, now + options.ttl);
    if (!reservation) return ProblemResponse(reservation.error());
    switch (reservation->outcome) {
      case core::ReservationOutcome::kReplay:
        if (reservation->response->withheld) {
          return StatusProblem(
              409,
              "this request was already processed with this Idempotency-Key (status " +
                  std::to_string(reservation->response->status) +
                  "); its response held a secret and was not kept, so it cannot "
                  "be replayed",
              request.request_id, request.path);
        }
        return Replay(*reservation->response);
      case core::ReservationOutcome::kMismatch:
        return StatusProblem(422,
                             "this Idempotency-Key was already used for a different request; "
                             "use a new key for a new request",
                             request.request_id, request.path);
      case core::ReservationOutcome::kInProgress: {
        Response busy = StatusProblem(409,
                                      "a request with this Idempotency-Key is still being "
                                      "processed; retry shortly to get its response",
                                      request.request_id, request.path);
        busy.headers.Set("Retry-After", "1");
        return busy;
      }
      case core::ReservationOutcome::kReserved:
        break;
    }

    Response response;
    try {
      response = route.handler(request);
    } catch (...) {
      if (auto released = store->Release(ref); !released)
        spdlog::warn("releasing idempotency key failed: {}", released.error().detail);
      throw;
    }
    auto done =
        InvitesRetry(response.status) ? store->Release(ref) : store->Complete(ref, Keep(response));
    // The effect has happened either way; the client gets its response, and a repeat is refused
    // (409) until the reservation's lease runs out rather than run twice.
    if (!done) spdlog::warn("recording idempotent response failed: {}", done.error().detail);
    return response;
  };
}

}  // namespace cairn::http
