// The job queue's and the notification inbox's contract, on SQLite and on PostgreSQL.
#include <atomic>
#include <barrier>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/ports/jobs.hpp"
#include "core/ports/notifications.hpp"
#include "storage/identity_repository.hpp"
#include "storage/repositories.hpp"
#include "storage_contract.hpp"

namespace cairn::storage {
namespace {

using core::jobs::Job;
using core::jobs::JobRepository;
using core::notify::Notification;
using core::notify::NotificationRepository;
using std::chrono::minutes;
using std::chrono::seconds;

const core::TimePoint kT0{std::chrono::seconds(1'795'405'260)};  // 2026-11-23T03:41:00Z

core::Status WithJobs(Database& db, const std::function<void(JobRepository&)>& fn) {
  return db.Write([&](Tx& tx) -> core::Status {
    auto repo = MakeJobRepository(tx);
    fn(*repo);
    return core::Ok();
  });
}

std::vector<Job> Claim(Database& db, core::TimePoint now, core::TimePoint lease, int limit) {
  std::vector<Job> out;
  auto st = WithJobs(db, [&](JobRepository& r) { out = r.Claim(now, lease, limit); });
  EXPECT_TRUE(st.ok()) << Describe(st.error());
  return out;
}

struct JobRow {
  std::string state;
  std::string last_error;
  std::string run_at;
  int attempts = 0;
};

JobRow ReadRow(Database& db, std::int64_t id) {
  JobRow row;
  auto st = db.Read([&](Tx& tx) -> core::Status {
    soci::indicator ind = soci::i_null;
    tx.sql() << "SELECT state, last_error, run_at, attempts FROM jobs WHERE id = :id",
        soci::use(id), soci::into(row.state), soci::into(row.last_error, ind),
        soci::into(row.run_at), soci::into(row.attempts);
    if (ind == soci::i_null) row.last_error.clear();
    return core::Ok();
  });
  EXPECT_TRUE(st.ok()) << Describe(st.error());
  return row;
}

std::int64_t CountOpen(Database& db, const std::string& kind) {
  std::int64_t n = -1;
  auto st = db.Read([&](Tx& tx) -> core::Status {
    n = MakeJobRepository(tx)->CountOpen(kind);
    return core::Ok();
  });
  EXPECT_TRUE(st.ok()) << Describe(st.error());
  return n;
}

}  // namespace

TEST_P(StorageContract, JobsClaimOnlyDueJobsOldestFirstWithTheirPayload) {
  MustWrite([](Tx& tx) {
    auto r = MakeJobRepository(tx);
    r->Enqueue("email.send", R"({"user_id": "usr_1", "subject": "Zoë ✓"})", kT0 - minutes(1));
    r->Enqueue("review.assign", R"({"issuer_id":"org_1"})", kT0 - minutes(5));
    r->Enqueue("email.send", "{}", kT0 + minutes(10));  // not due yet
    return core::Ok();
  });
  auto jobs = Claim(db(), kT0, kT0 + minutes(15), 10);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].kind, "review.assign");
  EXPECT_EQ(jobs[1].kind, "email.send");
  EXPECT_EQ(nlohmann::json::parse(jobs[1].payload),
            nlohmann::json::parse(R"({"user_id":"usr_1","subject":"Zoë ✓"})"));
  EXPECT_EQ(jobs[0].attempts, 1);
  EXPECT_EQ(jobs[0].run_at, kT0 - minutes(5));
  EXPECT_EQ(ReadRow(db(), jobs[0].id).state, "running");
  // Leased: nobody else gets them, and the future one stays put.
  EXPECT_TRUE(Claim(db(), kT0 + minutes(1), kT0 + minutes(16), 10).empty());
  auto later = Claim(db(), kT0 + minutes(10), kT0 + minutes(20), 10);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].run_at, kT0 + minutes(10));
}

TEST_P(StorageContract, JobsClaimHonoursTheLimit) {
  MustWrite([](Tx& tx) {
    auto r = MakeJobRepository(tx);
    for (int i = 0; i < 5; ++i) r->Enqueue("k", "{}", kT0 - seconds(10 - i));
    return core::Ok();
  });
  auto first = Claim(db(), kT0, kT0 + minutes(1), 3);
  ASSERT_EQ(first.size(), 3u);
  auto rest = Claim(db(), kT0, kT0 + minutes(1), 3);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_LT(first.back().id, rest.front().id);
  EXPECT_TRUE(Claim(db(), kT0, kT0 + minutes(1), 0).empty());
}

TEST_P(StorageContract, JobsAbandonedWhenTheLeaseLapsesAreClaimedAgain) {
  MustWrite([](Tx& tx) {
    MakeJobRepository(tx)->Enqueue("media.transcode", R"({"file_id":"fil_1"})", kT0);
    return core::Ok();
  });
  auto first = Claim(db(), kT0, kT0 + minutes(1), 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(Claim(db(), kT0 + seconds(59), kT0 + minutes(2), 1).empty());
  auto again = Claim(db(), kT0 + minutes(1), kT0 + minutes(2), 1);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, first[0].id);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_P(StorageContract, JobsRetryWaitsUntilItsTimeAndKeepsTheError) {
  MustWrite([](Tx& tx) {
    MakeJobRepository(tx)->Enqueue("email.send", "{}", kT0);
    return core::Ok();
  });
  auto job = Claim(db(), kT0, kT0 + minutes(1), 1).at(0);
  auto st = WithJobs(db(), [&](JobRepository& r) { r.Retry(job.id, kT0 + minutes(5), "smtp down"); });
  ASSERT_TRUE(st.ok()) << Describe(st.error());
  auto row = ReadRow(db(), job.id);
  EXPECT_EQ(row.state, "pending");
  EXPECT_EQ(row.last_error, "smtp down");
  EXPECT_EQ(CountOpen(db(), "email.send"), 1);
  EXPECT_TRUE(Claim(db(), kT0 + minutes(4), kT0 + minutes(10), 1).empty());
  auto again = Claim(db(), kT0 + minutes(5), kT0 + minutes(10), 1);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_P(StorageContract, JobsCompletedAndFailedAreClosed) {
  MustWrite([](Tx& tx) {
    auto r = MakeJobRepository(tx);
    r->Enqueue("email.send", "{}", kT0);
    r->Enqueue("email.send", "{}", kT0);
    r->Enqueue("review.overdue", "{}", kT0);
    return core::Ok();
  });
  EXPECT_EQ(CountOpen(db(), "email.send"), 2);
  EXPECT_EQ(CountOpen(db(), "review.overdue"), 1);
  EXPECT_EQ(CountOpen(db(), "nothing"), 0);
  auto jobs = Claim(db(), kT0, kT0 + minutes(1), 2);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(CountOpen(db(), "email.send"), 2);  // running still counts as open
  auto st = WithJobs(db(), [&](JobRepository& r) {
    r.Complete(jobs[0].id);
    r.Fail(jobs[1].id, "no handler for job kind email.send");
  });
  ASSERT_TRUE(st.ok()) << Describe(st.error());
  EXPECT_EQ(ReadRow(db(), jobs[0].id).state, "done");
  auto failed = ReadRow(db(), jobs[1].id);
  EXPECT_EQ(failed.state, "failed");
  EXPECT_EQ(failed.last_error, "no handler for job kind email.send");
  EXPECT_EQ(CountOpen(db(), "email.send"), 0);
  // Closed jobs never come back, not even after their lease time.
  auto rest = Claim(db(), kT0 + minutes(30), kT0 + minutes(31), 10);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].kind, "review.overdue");
}

TEST_P(StorageContract, JobsReleasedAfterARestartAreDueAtOnce) {
  MustWrite([](Tx& tx) {
    auto r = MakeJobRepository(tx);
    r->Enqueue("email.send", "{}", kT0);
    r->Enqueue("email.send", "{}", kT0 + minutes(60));
    return core::Ok();
  });
  auto held = Claim(db(), kT0, kT0 + minutes(15), 10);
  ASSERT_EQ(held.size(), 1u);
  std::int64_t released = 0;
  auto st = WithJobs(db(), [&](JobRepository& r) { released = r.ReleaseRunning(kT0 + seconds(5)); });
  ASSERT_TRUE(st.ok()) << Describe(st.error());
  EXPECT_EQ(released, 1);
  auto again = Claim(db(), kT0 + seconds(5), kT0 + minutes(20), 10);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, held[0].id);
  EXPECT_EQ(again[0].attempts, 2);
  EXPECT_EQ(again[0].run_at, kT0 + seconds(5));
}

TEST_P(StorageContract, JobsPurgeDropsOnlyOldClosedJobs) {
  MustWrite([](Tx& tx) {
    auto r = MakeJobRepository(tx);
    for (int i = 0; i < 4; ++i) r->Enqueue("k", "{}", kT0 + minutes(i));
    return core::Ok();
  });
  auto jobs = Claim(db(), kT0 + minutes(3), kT0 + minutes(30), 3);  // the first three
  ASSERT_EQ(jobs.size(), 3u);
  auto st = WithJobs(db(), [&](JobRepository& r) {
    r.Complete(jobs[0].id);
    r.Fail(jobs[1].id, "broken");
  });
  ASSERT_TRUE(st.ok()) << Describe(st.error());
  std::int64_t purged = -1;
  st = WithJobs(db(), [&](JobRepository& r) { purged = r.PurgeClosed(kT0 + minutes(10)); });
  ASSERT_TRUE(st.ok()) << Describe(st.error());
  EXPECT_EQ(purged, 2);  // the running and the pending one stay
  EXPECT_EQ(CountOpen(db(), "k"), 2);
  st = WithJobs(db(), [&](JobRepository& r) { purged = r.PurgeClosed(kT0 + minutes(10)); });
  EXPECT_EQ(purged, 0);
}

TEST_P(StorageContract, JobsFinishingAnUnknownJobRollsBack) {
  auto st = WithJobs(db(), [](JobRepository& r) { r.Complete(424242); });
  EXPECT_FALSE(st.ok());
  st = WithJobs(db(), [](JobRepository& r) { r.Retry(424242, kT0, "x"); });
  EXPECT_FALSE(st.ok());
}

TEST_P(StorageContract, JobsMalformedPayloadIsRefused) {
  auto st = WithJobs(db(), [](JobRepository& r) { r.Enqueue("k", "{not json", kT0); });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(CountOpen(db(), "k"), 0);
}

// Two "processes" (separate connection pools), two threads each, released together, drain 200
// jobs in small claims: every job is handed out exactly once.
TEST_P(StorageContract, JobsConcurrentClaimersNeverShareAJob) {
  constexpr int kJobs = 200;
  MustWrite([](Tx& tx) {
    auto r = MakeJobRepository(tx);
    for (int i = 0; i < kJobs; ++i) r->Enqueue("k", nlohmann::json{{"n", i}}.dump(), kT0);
    return core::Ok();
  });
  DatabaseOptions options;
  options.busy_timeout = std::chrono::seconds(30);
  auto other = OpenSame(options);
  Database* handles[] = {&db(), other.get()};
  std::mutex mutex;
  std::map<std::int64_t, int> seen;
  std::atomic<int> errors{0};
  std::barrier start(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Database& handle = *handles[t % 2];
      start.arrive_and_wait();
      for (;;) {
        std::vector<Job> got;
        auto st = WithJobs(handle, [&](JobRepository& r) { got = r.Claim(kT0, kT0 + minutes(30), 3); });
        if (!st.ok()) {
          ++errors;
          continue;
        }
        if (got.empty()) break;
        std::lock_guard lock(mutex);
        for (const auto& j : got) ++seen[j.id];
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kJobs));
  for (const auto& [id, times] : seen) EXPECT_EQ(times, 1) << "job " << id;
}

namespace {

void SeedUsers(Database& db) {
  auto st = db.Write([](Tx& tx) -> core::Status {
    SqlIdentityRepository ids(tx);
    for (const char* id : {"usr_a", "usr_b"}) {
      core::identity::User u;
      u.id = id;
      u.email = std::string(id).substr(4) + "@example.org";
      u.display_name = id;
      u.password_hash = "x";
      u.created_at = u.updated_at = kT0;
      ids.InsertUser(u);
    }
    return core::Ok();
  });
  ASSERT_TRUE(st.ok()) << Describe(st.error());
}

Notification Note(const std::string& id, const std::string& user, core::TimePoint at) {
  return Notification{id, user, "review.assigned", "Title " + id, "Body\nof " + id,
                      "/reviews/rev_" + id, at, std::nullopt};
}

}  // namespace

TEST_P(StorageContract, NotificationsListNewestFirstPageAndCountUnread) {
  SeedUsers(db());
  MustWrite([](Tx& tx) {
    auto r = MakeNotificationRepository(tx);
    for (int i = 1; i <= 5; ++i) r->Insert(Note("ntf_" + std::to_string(i), "usr_a", kT0 + seconds(i)));
    r->Insert(Note("ntf_b", "usr_b", kT0));
    return core::Ok();
  });
  MustRead([](Tx& tx) {
    auto r = MakeNotificationRepository(tx);
    auto all = r->List("usr_a", false, 10, "");
    EXPECT_EQ(all.size(), 5u);
    EXPECT_EQ(all.front().id, "ntf_5");
    EXPECT_EQ(all.back().id, "ntf_1");
    EXPECT_EQ(all.front().title, "Title ntf_5");
    EXPECT_EQ(all.front().body, "Body\nof ntf_5");
    EXPECT_EQ(all.front().link, "/reviews/rev_ntf_5");
    EXPECT_EQ(all.front().kind, "review.assigned");
    EXPECT_EQ(all.front().created_at, kT0 + seconds(5));
    EXPECT_FALSE(all.front().read_at.has_value());
    auto page = r->List("usr_a", false, 2, "ntf_4");
    EXPECT_EQ(page.size(), 2u);
    if (page.size() == 2) {
      EXPECT_EQ(page[0].id, "ntf_3");
      EXPECT_EQ(page[1].id, "ntf_2");
    }
    EXPECT_EQ(r->CountUnread("usr_a"), 5);
    EXPECT_EQ(r->CountUnread("usr_b"), 1);
    EXPECT_EQ(r->List("usr_nobody", false, 10, "").size(), 0u);
    return core::Ok();
  });
}

TEST_P(StorageContract, NotificationsMarkReadOnlyYourOwn) {
  SeedUsers(db());
  MustWrite([](Tx& tx) {
    auto r = MakeNotificationRepository(tx);
    for (int i = 1; i <= 3; ++i) r->Insert(Note("ntf_" + std::to_string(i), "usr_a", kT0));
    r->Insert(Note("ntf_b", "usr_b", kT0));
    EXPECT_FALSE(r->MarkRead("usr_a", "ntf_b", kT0));  // usr_b's
    EXPECT_FALSE(r->MarkRead("usr_a", "ntf_missing", kT0));
    EXPECT_TRUE(r->MarkRead("usr_a", "ntf_2", kT0 + minutes(1)));
    EXPECT_TRUE(r->MarkRead("usr_a", "ntf_2", kT0 + minutes(2)));  // keeps the first time
    return core::Ok();
  });
  MustWrite([](Tx& tx) {
    auto r = MakeNotificationRepository(tx);
    EXPECT_EQ(r->CountUnread("usr_a"), 2);
    EXPECT_EQ(r->CountUnread("usr_b"), 1);
    auto unread = r->List("usr_a", true, 10, "");
    EXPECT_EQ(unread.size(), 2u);
    if (unread.size() == 2) {
      EXPECT_EQ(unread[0].id, "ntf_3");
      EXPECT_EQ(unread[1].id, "ntf_1");
    }
    auto all = r->List("usr_a", false, 10, "");
    EXPECT_EQ(all.size(), 3u);
    if (all.size() == 3) EXPECT_EQ(all[1].read_at, kT0 + minutes(1));
    EXPECT_EQ(r->MarkAllRead("usr_a", kT0 + minutes(3)), 2);
    EXPECT_EQ(r->MarkAllRead("usr_a", kT0 + minutes(4)), 0);
    EXPECT_EQ(r->CountUnread("usr_a"), 0);
    EXPECT_EQ(r->CountUnread("usr_b"), 1);
    return core::Ok();
  });
}

TEST_P(StorageContract, NotificationsForAnUnknownUserAreRefused) {
  auto st = db().Write([](Tx& tx) -> core::Status {
    MakeNotificationRepository(tx)->Insert(Note("ntf_x", "usr_ghost", kT0));
    return core::Ok();
  });
  EXPECT_FALSE(st.ok());
}

}  // namespace cairn::storage
