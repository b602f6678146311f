// The job worker against a real database, on SQLite and on PostgreSQL (a fresh schema on the
// server at CAIRN_TEST_PG_URL; without it the PostgreSQL runs fail rather than skip).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/ports/jobs.hpp"
#include "jobs/worker.hpp"
#include "storage/database.hpp"
#include "storage/sql_unit_of_work.hpp"
#include "support/clock_and_ids.hpp"

namespace cairn::jobs {
namespace {

using core::jobs::Job;
using std::chrono::milliseconds;
using std::chrono::seconds;
using storage::Dialect;

const core::TimePoint kT0{std::chrono::seconds(1'795'405'260)};  // 2026-11-23T03:41:00Z

std::string Describe(const core::Error& e) { return e.message + " " + e.detail; }

std::string RandomSuffix() {
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 12; ++i) out += "abcdefghijklmnopqrstuvwxyz"[rd() % 26];
  return out;
}

struct JobRow {
  std::string kind, state, last_error, run_at;
  int attempts = 0;
};

class WorkerTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    if (GetParam() == Dialect::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("cairn-jobs-" + RandomSuffix());
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "cairn.db").string();
    } else {
      const char* pg = std::getenv("CAIRN_TEST_PG_URL");
      ASSERT_NE(pg, nullptr) << "CAIRN_TEST_PG_URL is not set";
      url_ = pg;
      schema_ = "jobs_" + RandomSuffix();
    }
    db_ = Open();
    ASSERT_TRUE(db_);
    auto migrated = db_->Migrate();
    ASSERT_TRUE(migrated.ok()) << Describe(migrated.error());
    uow_ = std::make_unique<storage::SqlUnitOfWork>(*db_);
  }

  void TearDown() override {
    uow_.reset();
    if (!schema_.empty() && db_) {
      auto st = db_->Write([&](storage::Tx& tx) -> core::Status {
        tx.sql() << "DROP SCHEMA IF EXISTS \"" + schema_ + "\" CASCADE";
        return core::Ok();
      });
      EXPECT_TRUE(st.ok());
    }
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Another handle on the same database, as a second process would open it.
  std::unique_ptr<storage::Database> Open() {
    storage::DatabaseOptions options;
    options.pg_schema = schema_;
    options.busy_timeout = seconds(30);
    auto db = storage::Database::Open(url_, options);
    EXPECT_TRUE(db.ok()) << Describe(db.error());
    return db.ok() ? std::move(*db) : nullptr;
  }

  void Enqueue(const std::string& kind, const std::string& payload, core::TimePoint at) {
    auto st = uow_->Write([&](core::Transaction& tx) {
      tx.Jobs().Enqueue(kind, payload, at);
      return core::Ok();
    });
    ASSERT_TRUE(st.ok()) << Describe(st.error());
  }

  std::vector<JobRow> Rows() {
    std::vector<JobRow> rows;
    auto st = db_->Read([&](storage::Tx& tx) -> core::Status {
      JobRow r;
      std::string error;
      soci::indicator ind = soci::i_null;
      soci::statement s = (tx.sql().prepare << "SELECT kind, state, last_error, run_at, attempts "
                                               "FROM jobs ORDER BY id",
                           soci::into(r.kind), soci::into(r.state), soci::into(error, ind),
                           soci::into(r.run_at), soci::into(r.attempts));
      s.execute(false);
      while (s.fetch()) {
        r.last_error = ind == soci::i_null ? "" : error;
        rows.push_back(r);
      }
      return core::Ok();
    });
    EXPECT_TRUE(st.ok()) << Describe(st.error());
    return rows;
  }

  WorkerOptions Options() {
    WorkerOptions o;
    o.max_attempts = 3;
    o.backoff_base = seconds(30);
    o.log = [this](std::string_view line) {
      std::lock_guard lock(log_mutex_);
      log_.emplace_back(line);
    };
    return o;
  }

  std::filesystem::path dir_;
  std::string url_, schema_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::SqlUnitOfWork> uow_;
  cairn::testing::ManualClock clock_{kT0};
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

TEST(Backoff, DoublesFromTheBaseUpToTheCap) {
  WorkerOptions o;
  o.backoff_base = seconds(30);
  o.backoff_max = seconds(200);
  EXPECT_EQ(Backoff(o, 1), seconds(30));
  EXPECT_EQ(Backoff(o, 2), seconds(60));
  EXPECT_EQ(Backoff(o, 3), seconds(120));
  EXPECT_EQ(Backoff(o, 4), seconds(200));
  EXPECT_EQ(Backoff(o, 60), seconds(200));
}

TEST_P(WorkerTest, RunsADueJobOnceWithItsPayloadAndCompletesIt) {
  std::vector<Job> seen;
  Worker worker(*uow_, clock_, {{"greet", [&](const Job& j) {
                                   seen.push_back(j);
                                   return core::Ok();
                                 }}},
                {}, Options());
  Enqueue("greet", R"({"name":"Zoë"})", kT0);
  Enqueue("greet", R"({"name":"later"})", kT0 + seconds(60));
  EXPECT_EQ(worker.RunDueJobsOnce(kT0), 1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(seen[0].payload)["name"], "Zoë");
  EXPECT_EQ(seen[0].attempts, 1);
  EXPECT_EQ(worker.RunDueJobsOnce(kT0 + seconds(59)), 0);
  EXPECT_EQ(worker.RunDueJobsOnce(kT0 + seconds(60)), 1);
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].state, "done");
  EXPECT_EQ(rows[1].state, "done");
}

TEST_P(WorkerTest, AFailingJobIsRetriedWithGrowingBackoffThenFails) {
  int calls = 0;
  Worker worker(*uow_, clock_, {{"flaky", [&](const Job&) -> core::Status {
                                   ++calls;
                                   return core::Error{core::ErrorCode::kUnavailable,
                                                      "mail server down", "", {}};
                                 }}},
                {}, Options());
  Enqueue("flaky", "{}", kT0);
  EXPECT_EQ(worker.RunDueJobsOnce(kT0), 1);
  auto row = Rows().at(0);
  EXPECT_EQ(row.state, "pending");
  EXPECT_EQ(row.last_error, "mail server down");
  EXPECT_EQ(row.run_at, core::FormatTime(kT0 + seconds(30)));
  EXPECT_EQ(worker.RunDueJobsOnce(kT0 + seconds(29)), 0);
  EXPECT_EQ(worker.RunDueJobsOnce(kT0 + seconds(30)), 1);
  EXPECT_EQ(Rows().at(0).run_at, core::FormatTime(kT0 + seconds(90)));  // then 60 s
  EXPECT_EQ(worker.RunDueJobsOnce(kT0 + seconds(90)), 1);
  row = Rows().at(0);
  EXPECT_EQ(row.state, "failed");  // the third of three attempts
  EXPECT_EQ(row.attempts, 3);
  EXPECT_EQ(row.last_error, "mail server down");
  EXPECT_EQ(worker.RunDueJobsOnce(kT0 + std::chrono::hours(24)), 0);
  EXPECT_EQ(calls, 3);
  std::lock_guard lock(log_mutex_);
  ASSERT_FALSE(log_.empty());
  EXPECT_NE(log_.back().find("failed for good"), std::string::npos) << log_.back();
}

TEST_P(WorkerTest, AThrowingHandlerIsRetriedNotFatal) {
  int calls = 0;
  Worker worker(*uow_, clock_, {{"throws", [&](const Job&) -> core::Status {
                                   if (++calls == 1) throw std::runtime_error("disk full");
                                   return core::Ok();
                                 }}},
                {}, Options());
  Enqueue("throws", "{}", kT0);
  EXPECT_EQ(worker.RunDueJobsOnce(kT0), 1);
  auto row = Rows().at(0);
  EXPECT_EQ(row.state, "pending");
  EXPECT_EQ(row.last_error, "handler threw: disk full");
  EXPECT_EQ(worker.RunDueJobsOnce(kT0 + seconds(30)), 1);
  EXPECT_EQ(Rows().at(0).state, "done");
}

TEST_P(WorkerTest, UnknownKindsAndPermanentErrorsFailAtOnce) {
  Worker worker(*uow_, clock_, {{"bad", [](const Job&) -> core::Status {
                                   return core::Error::InvalidInput("payload needs user_id");
                                 }}},
                {}, Options());
  Enqueue("nobody.handles.this", "{}", kT0);
  Enqueue("bad", "{}", kT0);
  EXPECT_EQ(worker.RunDueJobsOnce(kT0), 2);
  auto rows = Rows();
  EXPECT_EQ(rows[0].state, "failed");
  EXPECT_EQ(rows[0].last_error, "no handler for job kind nobody.handles.this");
  EXPECT_EQ(rows[1].state, "failed");
  EXPECT_EQ(rows[1].last_error, "payload needs user_id");
  EXPECT_EQ(rows[1].attempts, 1);
}

// A job whose every run killed its worker (so the outcome was never written) is not run again
// once it has used up its attempts.
TEST_P(WorkerTest, AJobThatKeepsKillingItsWorkerIsGivenUp) {
  int calls = 0;
  Worker worker(*uow_, clock_, {{"poison", [&](const Job&) {
                                   ++calls;
                                   return core::Ok();
                                 }}},
                {}, Options());  // three attempts
  Enqueue("poison", "{}", kT0);
  auto now = kT0;
  for (int i = 0; i < 3; ++i) {  // three runs that died after the claim
    auto st = uow_->Write([&](core::Transaction& tx) {
      EXPECT_EQ(tx.Jobs().Claim(now, now + seconds(60), 1).size(), 1u);
      return core::Ok();
    });
    ASSERT_TRUE(st.ok());
    now += seconds(60);
  }
  EXPECT_EQ(worker.RunDueJobsOnce(now), 1);
  EXPECT_EQ(calls, 0);
  auto row = Rows().at(0);
  EXPECT_EQ(row.state, "failed");
  EXPECT_EQ(row.last_error, "gave up: 3 attempts never finished");
}

TEST_P(WorkerTest, ASingleProcessWorkerResumesWhatACrashedRunHeld) {
  Enqueue("mail", "{}", kT0);
  auto st = uow_->Write([&](core::Transaction& tx) {
    EXPECT_EQ(tx.Jobs().Claim(kT0, kT0 + std::chrono::minutes(15), 1).size(), 1u);
    return core::Ok();
  });
  ASSERT_TRUE(st.ok());
  std::atomic<int> calls{0};
  auto options = Options();
  options.poll = milliseconds(10);
  options.single_process = true;
  Worker worker(*uow_, clock_, {{"mail", [&](const Job&) {
                                  ++calls;
                                  return core::Ok();
                                }}},
                {}, options);
  worker.Start();  // the clock stands still: only the release makes the job due before its lease ends
  const auto deadline = std::chrono::steady_clock::now() + seconds(10);
  while (calls.load() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds(5));
  worker.Stop();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(Rows().at(0).state, "done");
}

TEST_P(WorkerTest, JobsEnqueuedByAHandlerForNowRunInTheSameRound) {
  std::vector<std::string> order;
  core::UnitOfWork& uow = *uow_;
  Worker worker(*uow_, clock_,
                {{"first",
                  [&](const Job&) {
                    order.push_back("first");
                    return uow.Write([](core::Transaction& tx) {
                      tx.Jobs().Enqueue("second", "{}", kT0);
                      return core::Ok();
                    });
                  }},
                 {"second", [&](const Job&) {
                    order.push_back("second");
                    return core::Ok();
                  }}},
                {}, Options());
  Enqueue("first", "{}", kT0);
  EXPECT_EQ(worker.RunDueJobsOnce(kT0), 2);
  EXPECT_EQ(order, (std::vector<std::string>{"first", "second"}));
}

TEST_P(WorkerTest, PeriodicKindsStayEnqueuedOnceAndRunEveryPeriod) {
  int runs = 0;
  Worker worker(*uow_, clock_, {{"sweep", [&](const Job&) {
                                   ++runs;
                                   return core::Ok();
                                 }}},
                {{"sweep", std::chrono::minutes(10)}}, Options());
  // At once on the first look, then one period after the last run.
  EXPECT_EQ(worker.RunDueJobsOnce(kT0), 1);
  EXPECT_EQ(worker.RunDueJobsOnce(kT0 + seconds(1)), 0);
  EXPECT_EQ(worker.RunDueJobsOnce(kT0 + std::chrono::minutes(5)), 0);
  EXPECT_EQ(worker.RunDueJobsOnce(kT0 + seconds(1) + std::chrono::minutes(10)), 1);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(worker.RunDueJobsOnce(kT0 + seconds(2) + std::chrono::minutes(10)), 0);
  // A second worker (another process, looking for the first time) does not add a second one.
  Worker other(*uow_, clock_, {{"sweep", [&](const Job&) {
                                  ++runs;
                                  return core::Ok();
                                }}},
               {{"sweep", std::chrono::minutes(10)}}, Options());
  EXPECT_EQ(other.RunDueJobsOnce(kT0 + seconds(3) + std::chrono::minutes(10)), 0);
  EXPECT_EQ(runs, 2);
  std::int64_t open = 0;
  auto st = uow_->Read([&](core::Transaction& tx) {
    open = tx.Jobs().CountOpen("sweep");
    return core::Ok();
  });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(open, 1);
}

TEST_P(WorkerTest, TheThreadPicksUpJobsAndStopFinishesTheJobInHand) {
  cairn::testing::SystemClock clock;
  std::atomic<int> started{0}, finished{0};
  auto options = Options();
  options.poll = milliseconds(20);
  auto worker = std::make_unique<Worker>(*uow_, clock,
                                         std::map<std::string, Handler>{{"slow", [&](const Job&) {
                                           ++started;
                                           std::this_thread::sleep_for(milliseconds(300));
                                           ++finished;
                                           return core::Ok();
                                         }}},
                                         std::vector<PeriodicKind>{}, options);
  worker->Start();
  Enqueue("slow", "{}", clock.Now() - seconds(1));
  Enqueue("slow", "{}", clock.Now() - seconds(1));
  const auto deadline = std::chrono::steady_clock::now() + seconds(10);
  while (started.load() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds(5));
  ASSERT_EQ(started.load(), 1);
  worker.reset();  // while the first job sleeps
  EXPECT_EQ(finished.load(), 1);
  EXPECT_EQ(started.load(), 1);
  auto rows = Rows();
  EXPECT_EQ(rows[0].state, "done");
  EXPECT_EQ(rows[1].state, "pending");  // never claimed, so never leased away
}

TEST_P(WorkerTest, StoppingAnIdleWorkerDoesNotWaitForThePoll) {
  cairn::testing::SystemClock clock;
  auto options = Options();
  options.poll = std::chrono::hours(1);
  options.threads = 3;
  Worker worker(*uow_, clock, {}, {}, options);
  worker.Start();
  std::this_thread::sleep_for(milliseconds(50));
  const auto t0 = std::chrono::steady_clock::now();
  worker.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, seconds(2));
}

// Two processes' workers (separate connection pools, two threads each) on one database: 200 jobs,
// each run exactly once, never two at a time.
TEST_P(WorkerTest, TwoWorkersRunEveryJobExactlyOnce) {
  constexpr int kJobs = 200;
  auto st = uow_->Write([&](core::Transaction& tx) {
    for (int i = 0; i < kJobs; ++i) tx.Jobs().Enqueue("count", nlohmann::json{{"n", i}}.dump(), kT0);
    return core::Ok();
  });
  ASSERT_TRUE(st.ok()) << Describe(st.error());
  auto second_db = Open();
  ASSERT_TRUE(second_db);
  storage::SqlUnitOfWork second_uow(*second_db);

  std::mutex mutex;
  std::map<int, int> runs;
  auto handler = [&](const Job& job) {
    const int n = nlohmann::json::parse(job.payload)["n"].get<int>();
    {
      std::lock_guard lock(mutex);
      ++runs[n];
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    return core::Ok();
  };
  cairn::testing::SystemClock clock;
  auto options = Options();
  options.poll = milliseconds(10);
  options.threads = 2;
  Worker a(*uow_, clock, {{"count", handler}}, {}, options);
  Worker b(second_uow, clock, {{"count", handler}}, {}, options);
  a.Start();
  b.Start();
  const auto deadline = std::chrono::steady_clock::now() + seconds(120);
  for (;;) {
    std::int64_t open = 0;
    auto read = uow_->Read([&](core::Transaction& tx) {
      open = tx.Jobs().CountOpen("count");
      return core::Ok();
    });
    ASSERT_TRUE(read.ok());
    if (open == 0 || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  a.Stop();
  b.Stop();
  ASSERT_EQ(runs.size(), static_cast<std::size_t>(kJobs));
  for (const auto& [n, times] : runs) EXPECT_EQ(times, 1) << "job " << n;
  for (const auto& row : Rows()) EXPECT_EQ(row.state, "done") << row.kind;
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkerTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const auto& info) {
                           return info.param == Dialect::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace cairn::jobs
