#pragma once
// The background job worker: claims due jobs from the jobs table, runs each handler outside the
// claiming transaction (handlers open their own), then completes, retries or fails the job. Any
// number of workers, in one process or many, may share one database: a claim leases a job, so no
// two run it at once, and a job whose worker died runs again when its lease lapses.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/ports/jobs.hpp"
#include "core/ports/transaction.hpp"

namespace cairn::jobs {

// Returns ok when done. kInvalidInput or kNotFound mean the job can never succeed, so it fails at
// once; any other error, or an exception, is retried with backoff until max_attempts.
using Handler = std::function<core::Status(const core::jobs::Job&)>;

// A kind the worker keeps enqueued: when none is open, it adds one due `every` from now (at once
// the first time this process looks), so the period holds however many workers there are.
struct PeriodicKind {
  std::string kind;
  std::chrono::seconds every{};
};

struct WorkerOptions {
  std::chrono::milliseconds poll{1000};
  // Longer than any handler runs: past it the job is taken to be abandoned and runs again.
  std::chrono::seconds lease{std::chrono::minutes(15)};
  int max_attempts = 6;
  std::chrono::seconds backoff_base{30};  // the wait after attempt k is base × 2^(k-1)
  std::chrono::seconds backoff_max{std::chrono::hours(6)};
  int threads = 1;
  // This worker is the only one on its database (SQLite): Start() makes the jobs a crashed earlier
  // run held due at once instead of after their leases.
  bool single_process = false;
  // Where failures are reported (the job id, kind and error message; never the payload).
  std::function<void(std::string_view)> log;
};

// The wait after the attempt-th failed attempt.
std::chrono::seconds Backoff(const WorkerOptions& options, int attempt);

class Worker {
 public:
  Worker(core::UnitOfWork& uow, core::Clock& clock, std::map<std::string, Handler> handlers,
         std::vector<PeriodicKind> periodic, WorkerOptions options);
  // Stops: waits for the jobs in hand to finish.
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs options.threads threads that poll until Stop().
  void Start();
  // Idempotent. Jobs in hand finish; nothing new is claimed.
  void Stop();
  // Polls now instead of at the end of the current interval.
  void Wake();

  // Enqueues due periodic kinds, then claims and runs jobs due at `now`, one at a time, until none
  // is left (jobs those handlers enqueue for `now` included). Returns how many ran. For tests and
  // for the polling threads.
  int RunDueJobsOnce(core::TimePoint now);

 private:
  enum class Ran { kNone, kOne };
  Ran RunOne(core::TimePoint now);
  void Finish(const core::jobs::Job& job, const core::Status& outcome, core::TimePoint now);
  void EnqueuePeriodic(core::TimePoint now);
  void Loop();
  void Log(const std::string& line);

  core::UnitOfWork& uow_;
  core::Clock& clock_;
  std::map<std::string, Handler> handlers_;
  std::vector<PeriodicKind> periodic_;
  WorkerOptions options_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  bool periodic_seen_ = false;  // guarded by mutex_
  core::TimePoint last_periodic_check_{};  // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace cairn::jobs
