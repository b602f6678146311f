#pragma once
// Background work: rows in the jobs table, enqueued inside the transaction that makes them
// necessary (so a job exists exactly when its cause committed) and claimed by any process.
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/clock.hpp"

namespace cairn::core::jobs {

struct Job {
  std::int64_t id = 0;
  std::string kind;     // e.g. "email.send", "review.assign", "media.transcode"
  std::string payload;  // a JSON object
  TimePoint run_at{};
  int attempts = 0;  // including the current one
};

class JobRepository {
 public:
  virtual ~JobRepository() = default;
  virtual void Enqueue(const std::string& kind, const std::string& payload_json, TimePoint run_at) = 0;
  // Leases up to `limit` due jobs until lease_until (FOR UPDATE SKIP LOCKED on PostgreSQL).
  virtual std::vector<Job> Claim(TimePoint now, TimePoint lease_until, int limit) = 0;
  virtual void Complete(std::int64_t id) = 0;
  virtual void Retry(std::int64_t id, TimePoint run_at, const std::string& error) = 0;
  virtual void Fail(std::int64_t id, const std::string& error) = 0;
  // Pending or running jobs of a kind; periodic jobs use it to avoid piling up.
  virtual std::int64_t CountOpen(const std::string& kind) = 0;
  // Makes every running job due again at `now`, keeping its attempts. Only for a process that
  // knows it is the only worker (SQLite) as it starts: the jobs the previous run held died with it,
  // and need not wait out their leases. Returns how many.
  virtual std::int64_t ReleaseRunning(TimePoint now) = 0;
  // Deletes done and failed jobs last scheduled before `before`; the queue keeps only recent
  // history. Returns how many.
  virtual std::int64_t PurgeClosed(TimePoint before) = 0;
};

}  // namespace cairn::core::jobs
