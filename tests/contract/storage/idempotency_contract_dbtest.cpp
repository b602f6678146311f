// The idempotency store's contract on SQLite and PostgreSQL: reserve, replay, mismatch, release,
// expiry, take-over of a crashed owner's reservation, pruning, and one winner among racers.
#include <atomic>
#include <thread>
#include <vector>

#include "storage/sql_idempotency_store.hpp"
#include "storage_contract.hpp"

namespace cairn::storage {
namespace {

using core::ReservationOutcome;

core::TimePoint At(int seconds) {
  core::TimePoint t{};
  core::ParseTime("2026-11-01T08:00:00Z", t);
  return t + std::chrono::seconds(seconds);
}

constexpr auto kDay = std::chrono::hours(24);

ReservationOutcome ReserveAt(core::IdempotencyStore& store, const core::IdempotencyKeyRef& ref,
                             const std::string& fingerprint, int seconds) {
  auto r = store.Reserve(ref, fingerprint, At(seconds), At(seconds) + kDay);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : Describe(r.error()));
  return r.ok() ? r->outcome : ReservationOutcome::kInProgress;
}

core::StoredResponse Created() {
  core::StoredResponse response;
  response.status = 201;
  response.headers = {{"Content-Type", "application/json"}, {"Location", "/api/v1/things/thg_1"}};
  response.body = R"({"id":"thg_1","note":"Überprüft ✓"})";
  return response;
}

}  // namespace

TEST_P(StorageContract, IdempotencyFirstRequestReservesAndARepeatWaits) {
  SqlIdempotencyStore store(db());
  const core::IdempotencyKeyRef ref{"usr_a", "key-1"};
  EXPECT_EQ(ReserveAt(store, ref, "POST /x abc", 0), ReservationOutcome::kReserved);
  EXPECT_EQ(ReserveAt(store, ref, "POST /x abc", 1), ReservationOutcome::kInProgress);
  EXPECT_EQ(ReserveAt(store, ref, "POST /x other", 1), ReservationOutcome::kMismatch);
  // The same key in another scope is another key.
  EXPECT_EQ(ReserveAt(store, {"usr_b", "key-1"}, "POST /x abc", 1), ReservationOutcome::kReserved);
  EXPECT_EQ(ReserveAt(store, {"anonymous", "key-1"}, "POST /x abc", 1),
            ReservationOutcome::kReserved);
}

TEST_P(StorageContract, IdempotencyCompletedResponseIsReplayedVerbatim) {
  SqlIdempotencyStore store(db());
  const core::IdempotencyKeyRef ref{"usr_a", "key-2"};
  ASSERT_EQ(ReserveAt(store, ref, "fp", 0), ReservationOutcome::kReserved);
  ASSERT_TRUE(store.Complete(ref, Created()).ok());

  auto again = store.Reserve(ref, "fp", At(5), At(5) + kDay);
  ASSERT_TRUE(again.ok()) << Describe(again.error());
  ASSERT_EQ(again->outcome, ReservationOutcome::kReplay);
  ASSERT_TRUE(again->response.has_value());
  EXPECT_EQ(again->response->status, 201);
  EXPECT_EQ(again->response->headers, Created().headers);
  EXPECT_EQ(again->response->body, Created().body);
  EXPECT_EQ(ReserveAt(store, ref, "different", 6), ReservationOutcome::kMismatch);
  // Completing twice is refused: only the holder of a running reservation may complete it.
  EXPECT_FALSE(store.Complete(ref, Created()).ok());
}

TEST_P(StorageContract, IdempotencyWithheldResponseKeepsOnlyItsStatus) {
  SqlIdempotencyStore store(db());
  const core::IdempotencyKeyRef ref{"usr_a", "key-secret"};
  ASSERT_EQ(ReserveAt(store, ref, "fp", 0), ReservationOutcome::kReserved);
  core::StoredResponse withheld = Created();
  withheld.withheld = true;
  ASSERT_TRUE(store.Complete(ref, withheld).ok());
  auto again = store.Reserve(ref, "fp", At(1), At(1) + kDay);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->outcome, ReservationOutcome::kReplay);
  EXPECT_TRUE(again->response->withheld);
  EXPECT_EQ(again->response->status, 201);
  EXPECT_TRUE(again->response->body.empty());
  EXPECT_TRUE(again->response->headers.empty());
  // An empty body that was kept is not a withheld one.
  const core::IdempotencyKeyRef empty{"usr_a", "key-empty"};
  ASSERT_EQ(ReserveAt(store, empty, "fp", 0), ReservationOutcome::kReserved);
  ASSERT_TRUE(store.Complete(empty, core::StoredResponse{204, {}, "", false}).ok());
  auto replay = store.Reserve(empty, "fp", At(1), At(1) + kDay);
  ASSERT_TRUE(replay.ok());
  EXPECT_FALSE(replay->response->withheld);
  EXPECT_EQ(replay->response->status, 204);
}

TEST_P(StorageContract, IdempotencyReleasedKeyCanBeReservedAgain) {
  SqlIdempotencyStore store(db());
  const core::IdempotencyKeyRef ref{"usr_a", "key-3"};
  ASSERT_EQ(ReserveAt(store, ref, "fp", 0), ReservationOutcome::kReserved);
  ASSERT_TRUE(store.Release(ref).ok());
  EXPECT_EQ(ReserveAt(store, ref, "fp", 1), ReservationOutcome::kReserved);
}

TEST_P(StorageContract, IdempotencyExpiredKeyIsFreshAgain) {
  SqlIdempotencyStore store(db());
  const core::IdempotencyKeyRef ref{"usr_a", "key-4"};
  ASSERT_EQ(ReserveAt(store, ref, "fp", 0), ReservationOutcome::kReserved);
  ASSERT_TRUE(store.Complete(ref, Created()).ok());
  const int day = 24 * 3600;
  EXPECT_EQ(ReserveAt(store, ref, "fp", day - 1), ReservationOutcome::kReplay);
  EXPECT_EQ(ReserveAt(store, ref, "a new request", day), ReservationOutcome::kReserved);
}

TEST_P(StorageContract, IdempotencyAnotherProcessTakesOverOnlyAfterTheLease) {
  SqlIdempotencyStore crashed(db());
  auto other_db = OpenSame();
  SqlIdempotencyStore survivor(*other_db, {.lease = std::chrono::seconds(60)});
  const core::IdempotencyKeyRef ref{"usr_a", "key-5"};
  ASSERT_EQ(ReserveAt(crashed, ref, "fp", 0), ReservationOutcome::kReserved);
  EXPECT_EQ(ReserveAt(survivor, ref, "fp", 59), ReservationOutcome::kInProgress);
  EXPECT_EQ(ReserveAt(survivor, ref, "other", 61), ReservationOutcome::kMismatch);
  EXPECT_EQ(ReserveAt(survivor, ref, "fp", 61), ReservationOutcome::kReserved);
  // The first owner lost its reservation: its late completion must not overwrite the new run.
  EXPECT_FALSE(crashed.Complete(ref, Created()).ok());
  ASSERT_TRUE(survivor.Complete(ref, Created()).ok());
  EXPECT_EQ(ReserveAt(crashed, ref, "fp", 62), ReservationOutcome::kReplay);
}

TEST_P(StorageContract, IdempotencySingleProcessTakesOverACrashLeftoverAtOnce) {
  SqlIdempotencyStore before_crash(db());
  SqlIdempotencyStore after_restart(db(), {.single_process = true});
  const core::IdempotencyKeyRef ref{"usr_a", "key-6"};
  ASSERT_EQ(ReserveAt(before_crash, ref, "fp", 0), ReservationOutcome::kReserved);
  EXPECT_EQ(ReserveAt(after_restart, ref, "fp", 1), ReservationOutcome::kReserved);
  EXPECT_EQ(ReserveAt(after_restart, ref, "fp", 2), ReservationOutcome::kInProgress);
}

TEST_P(StorageContract, IdempotencyPruneDeletesOnlyExpiredKeys) {
  SqlIdempotencyStore store(db());
  ASSERT_EQ(ReserveAt(store, {"usr_a", "old"}, "fp", 0), ReservationOutcome::kReserved);
  ASSERT_TRUE(store.Complete({"usr_a", "old"}, Created()).ok());
  ASSERT_EQ(ReserveAt(store, {"usr_a", "new"}, "fp", 3600), ReservationOutcome::kReserved);
  auto pruned = store.Prune(At(24 * 3600 + 1));
  ASSERT_TRUE(pruned.ok()) << Describe(pruned.error());
  EXPECT_EQ(*pruned, 1);
  std::int64_t left = 0;
  MustRead([&](Tx& tx) -> core::Status {
    tx.sql() << "SELECT count(*) FROM idempotency_keys WHERE idem_key = 'new'", soci::into(left);
    return core::Ok();
  });
  EXPECT_EQ(left, 1);
  auto again = store.Prune(At(24 * 3600 + 1));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_P(StorageContract, IdempotencyOneWinnerAmongConcurrentFirstRequests) {
  SqlIdempotencyStore store(db());
  constexpr int kRounds = 20;
  constexpr int kRacers = 8;
  for (int round = 0; round < kRounds; ++round) {
    const core::IdempotencyKeyRef ref{"usr_a", "race-" + std::to_string(round)};
    std::atomic<int> ready{0};
    std::atomic<int> reserved{0};
    std::atomic<int> waiting{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> racers;
    for (int i = 0; i < kRacers; ++i) {
      racers.emplace_back([&] {
        ready.fetch_add(1);
        while (ready.load() < kRacers) std::this_thread::yield();
        auto r = store.Reserve(ref, "fp", At(0), At(0) + kDay);
        if (!r) {
          failed.fetch_add(1);
        } else if (r->outcome == ReservationOutcome::kReserved) {
          reserved.fetch_add(1);
        } else if (r->outcome == ReservationOutcome::kInProgress) {
          waiting.fetch_add(1);
        }
      });
    }
    for (auto& t : racers) t.join();
    EXPECT_EQ(failed.load(), 0) << "round " << round;
    EXPECT_EQ(reserved.load(), 1) << "round " << round;
    EXPECT_EQ(waiting.load(), kRacers - 1) << "round " << round;
  }
}

}  // namespace cairn::storage
