#include "jobs/worker.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include "core/common/fault_point.hpp"

namespace cairn::jobs {
namespace {

using core::ErrorCode;
using core::jobs::Job;

// Bounds one RunDueJobsOnce, so handlers that keep enqueuing work for "now" cannot pin it.
constexpr int kMaxJobsPerRound = 10000;

bool Permanent(const core::Error& e) {
  return e.code == ErrorCode::kInvalidInput || e.code == ErrorCode::kNotFound;
}

}  // namespace

std::chrono::seconds Backoff(const WorkerOptions& options, int attempt) {
  auto wait = options.backoff_base;
  for (int i = 1; i < attempt && wait < options.backoff_max; ++i) wait *= 2;
  return std::min(wait, options.backoff_max);
}

Worker::Worker(core::UnitOfWork& uow, core::Clock& clock, std::map<std::string, Handler> handlers,
               std::vector<PeriodicKind> periodic, WorkerOptions options)
    : uow_(uow),
      clock_(clock),
      handlers_(std::move(handlers)),
      periodic_(std::move(periodic)),
      options_(std::move(options)) {
  options_.threads = std::max(1, options_.threads);
  options_.max_attempts = std::max(1, options_.max_attempts);
}

Worker::~Worker() { Stop(); }

void Worker::Start() {
  std::lock_guard lock(mutex_);
  if (!threads_.empty() || stopping_) return;
  if (options_.single_process) {
    std::int64_t released = 0;
    auto st = uow_.Write([&](core::Transaction& tx) {
      released = tx.Jobs().ReleaseRunning(clock_.Now());
      return core::Ok();
    });
    if (!st)
      Log("jobs: could not release the jobs of an earlier run: " + st.error().message);
    else if (released > 0)
      Log("jobs: " + std::to_string(released) + " job(s) an earlier run left unfinished are due again");
  }
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { Loop(); });
}

void Worker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void Worker::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void Worker::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    RunDueJobsOnce(clock_.Now());
    lock.lock();
    wake_.wait_for(lock, options_.poll, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

int Worker::RunDueJobsOnce(core::TimePoint now) {
  EnqueuePeriodic(now);
  int ran = 0;
  while (ran < kMaxJobsPerRound) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    if (RunOne(now) == Ran::kNone) break;
    ++ran;
  }
  return ran;
}

Worker::Ran Worker::RunOne(core::TimePoint now) {
  std::vector<Job> claimed;
  auto claim = uow_.Write([&](core::Transaction& tx) {
    claimed = tx.Jobs().Claim(now, now + options_.lease, 1);
    return core::Ok();
  });
  if (!claim) {
    Log("jobs: claim failed: " + claim.error().message);
    return Ran::kNone;
  }
  if (claimed.empty()) return Ran::kNone;
  const Job& job = claimed.front();
  // Per kind, so a crash test can stop at its job while periodic ones run around it.
  core::FaultPoint("jobs.after_claim:" + job.kind);

  core::Status outcome = core::Ok();
  auto handler = handlers_.find(job.kind);
  if (job.attempts > options_.max_attempts) {
    // Claimed more often than it may run: each earlier run died with its worker (a crash or a
    // kill in the handler), so running it again would likely take this worker down too.
    outcome = core::Error::InvalidInput("gave up: " + std::to_string(job.attempts - 1) +
                                        " attempts never finished");
  } else if (handler == handlers_.end()) {
    outcome = core::Error::NotFound("no handler for job kind " + job.kind);
  } else {
    try {
      outcome = handler->second(job);
    } catch (const std::exception& e) {
      outcome = core::Error{ErrorCode::kInternal, std::string("handler threw: ") + e.what(), {}, {}};
    } catch (...) {
      outcome = core::Error{ErrorCode::kInternal, "handler threw", {}, {}};
    }
  }
  core::FaultPoint("jobs.before_finish:" + job.kind);
  Finish(job, outcome, now);
  return Ran::kOne;
}

void Worker::Finish(const Job& job, const core::Status& outcome, core::TimePoint now) {
  const std::string what = "job " + std::to_string(job.id) + " (" + job.kind + ") attempt " +
                           std::to_string(job.attempts);
  core::Status written = core::Ok();
  if (outcome) {
    written = uow_.Write([&](core::Transaction& tx) {
      tx.Jobs().Complete(job.id);
      return core::Ok();
    });
  } else if (Permanent(outcome.error()) || job.attempts >= options_.max_attempts) {
    Log("jobs: " + what + " failed for good: " + outcome.error().message);
    written = uow_.Write([&](core::Transaction& tx) {
      tx.Jobs().Fail(job.id, outcome.error().message);
      return core::Ok();
    });
  } else {
    const auto wait = Backoff(options_, job.attempts);
    Log("jobs: " + what + " failed, retrying in " + std::to_string(wait.count()) +
        " s: " + outcome.error().message);
    written = uow_.Write([&](core::Transaction& tx) {
      tx.Jobs().Retry(job.id, now + wait, outcome.error().message);
      return core::Ok();
    });
  }
  // The lease runs out and the job runs again: handlers must be safe to repeat anyway.
  if (!written) Log("jobs: could not record the outcome of " + what + ": " + written.error().message);
}

void Worker::EnqueuePeriodic(core::TimePoint now) {
  if (periodic_.empty()) return;
  bool first = false;
  {
    // Polling threads share one look per second; a clock set back looks again at once.
    std::lock_guard lock(mutex_);
    if (periodic_seen_ && now >= last_periodic_check_ &&
        now < last_periodic_check_ + std::chrono::seconds(1))
      return;
    last_periodic_check_ = now;
    first = !std::exchange(periodic_seen_, true);
  }
  for (const auto& p : periodic_) {
    std::int64_t open = 0;
    auto read = uow_.Read([&](core::Transaction& tx) {
      open = tx.Jobs().CountOpen(p.kind);
      return core::Ok();
    });
    if (!read || open > 0) continue;
    const auto run_at = first ? now : now + p.every;
    // Checked again inside the write: another worker may have enqueued it meanwhile.
    auto written = uow_.Write([&](core::Transaction& tx) {
      if (tx.Jobs().CountOpen(p.kind) == 0) tx.Jobs().Enqueue(p.kind, "{}", run_at);
      return core::Ok();
    });
    if (!written) Log("jobs: could not enqueue " + p.kind + ": " + written.error().message);
  }
}

void Worker::Log(const std::string& line) {
  if (options_.log) options_.log(line);
}

}  // namespace cairn::jobs
