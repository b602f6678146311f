#pragma once
// The idempotency store on the relational database. Each call is its own short transaction,
// committed before the handler runs, so a second request sees the reservation at once.
#include <chrono>
#include <string>

#include "core/ports/idempotency.hpp"
#include "storage/database.hpp"

namespace cairn::storage {

struct IdempotencyStoreOptions {
  // An unfinished reservation of another process counts as abandoned after this long: its owner
  // crashed or hangs, and the client's retry must not be refused forever.
  std::chrono::seconds lease{60};
  // True when this process is the only server on the database (SQLite): an unfinished
  // reservation of any other owner is a leftover of a crash and is taken over at once.
  bool single_process = false;
};

class SqlIdempotencyStore final : public core::IdempotencyStore {
 public:
  explicit SqlIdempotencyStore(Database& db, IdempotencyStoreOptions options = {});

  core::Result<core::Reservation> Reserve(const core::IdempotencyKeyRef& ref,
                                          const std::string& fingerprint, core::TimePoint now,
                                          core::TimePoint expires_at) override;
  core::Status Complete(const core::IdempotencyKeyRef& ref,
                        const core::StoredResponse& response) override;
  core::Status Release(const core::IdempotencyKeyRef& ref) override;
  core::Result<std::int64_t> Prune(core::TimePoint now) override;

  // This process's owner token, random per store.
  const std::string& owner() const { return owner_; }

 private:
  Database& db_;
  IdempotencyStoreOptions options_;
  std::string owner_;
};

}  // namespace cairn::storage
