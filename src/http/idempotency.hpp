#pragma once
// Idempotency-Key for state-changing requests (draft-ietf-httpapi-idempotency-key-header).
// A POST, PUT, PATCH or DELETE that carries the header runs at most once per (principal, key):
// a repeat of the same request gets the first response again with `Idempotent-Replayed: true`;
// the key reused for a different request is refused with 422; a repeat while the first still
// runs gets 409. Responses that invite a retry (5xx, 408, 425, 429) are not kept, so a retry
// runs afresh. A response marked Cache-Control: no-store (it holds a secret) is not kept: a repeat
// gets 409 saying the request was already done. Requests without the header are untouched.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/clock.hpp"
#include "core/ports/idempotency.hpp"
#include "http/server.hpp"

namespace cairn::http {

struct IdempotencyOptions {
  std::chrono::hours ttl{24};
  // Expired keys are deleted by the request that comes along at least this long after the last
  // pruning, so no background job is needed.
  std::chrono::minutes prune_every{10};
  // Paths with their own retry protocol (tus uploads resume by offset).
  std::vector<std::string> exempt_prefixes{"/api/v1/uploads"};
  std::size_t max_key_length = 255;
};

// The key from an Idempotency-Key field value: a Structured Field string ("\"abc\"", RFC 8941)
// or, leniently, a bare run of visible ASCII. nullopt when empty, too long or malformed.
std::optional<std::string> ParseIdempotencyKey(std::string_view value,
                                               std::size_t max_length = 255);

// Must be the LAST middleware of the chain: it runs the route's handler itself, to see the
// response it has to keep, and returns that response. It also needs the principal, so it comes
// after authentication and the policy check.
Middleware IdempotencyMiddleware(std::shared_ptr<core::IdempotencyStore> store,
                                 const core::Clock& clock, IdempotencyOptions options = {});

}  // namespace cairn::http
