#pragma once
// Idempotency keys (draft-ietf-httpapi-idempotency-key-header): a client may repeat a
// state-changing request with the same key and get the first outcome back instead of a second
// effect. The store remembers, per scope (who asked) and key, the request's fingerprint and, once
// the first run has finished, its response.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"

namespace cairn::core {

struct StoredResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // only those worth replaying
  std::string body;
  // The response was not kept (it carried a secret, e.g. Cache-Control: no-store on a new API
  // token): a repeat is told the request was done but gets no copy of it.
  bool withheld = false;
};

enum class ReservationOutcome {
  kReserved,    // the caller now owns the key and must Complete or Release it
  kReplay,      // a finished response with the same fingerprint: send it again
  kInProgress,  // another request with this key is still running
  kMismatch,    // the key was used for a different request
};

struct Reservation {
  ReservationOutcome outcome = ReservationOutcome::kReserved;
  std::optional<StoredResponse> response;  // set for kReplay
};

struct IdempotencyKeyRef {
  std::string scope;  // "usr_…" or "anonymous"
  std::string key;
};

class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;
  // Reserves key for a request with this fingerprint, unless a live record exists. A record that
  // expired, or an unfinished one whose owner is gone (see SqlIdempotencyStore), is taken over.
  virtual Result<Reservation> Reserve(const IdempotencyKeyRef& ref, const std::string& fingerprint,
                                      TimePoint now, TimePoint expires_at) = 0;
  // Stores the response of the run that holds the reservation.
  virtual Status Complete(const IdempotencyKeyRef& ref, const StoredResponse& response) = 0;
  // Forgets an unfinished reservation (the run failed in a way worth retrying).
  virtual Status Release(const IdempotencyKeyRef& ref) = 0;
  // Deletes records that expired before now; returns how many.
  virtual Result<std::int64_t> Prune(TimePoint now) = 0;
};

}  // namespace cairn::core
