// Idempotency-Key end to end: a real Server on an ephemeral port, the real middleware last in the
// chain, and the SQL store over a real SQLite file. The handlers count their effects, so each
// test can say how many times a request really ran.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "../http/test_client.hpp"
#include "http/idempotency.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"
#include "storage/sql_idempotency_store.hpp"
#include "../support/api_test_support.hpp"

namespace cairn::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ClientResponse;
using testing::Fetch;

class ManualClock final : public core::Clock {
 public:
  core::TimePoint Now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void Advance(std::chrono::seconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
  }

 private:
  mutable std::mutex mutex_;
  core::TimePoint now_ = [] {
    core::TimePoint t{};
    core::ParseTime("2026-11-23T08:00:00Z", t);
    return t;
  }();
};

// Holds a request inside its handler until the test lets it go.
class Gate {
 public:
  void WaitOpen() {
    std::unique_lock lock(mutex_);
    entered_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
  }
  void WaitEntered() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return entered_; });
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false;
  bool open_ = false;
};

class IdempotencyApi : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cairn-idempotency-api-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = storage::Database::Open("sqlite:" + (dir_ / "cairn.db").string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    store_ = std::make_shared<storage::SqlIdempotencyStore>(*db_);

    router_.Add({"POST", "/api/v1/things",
                 [this](Request& req) {
                   const int n = ++effects_;
                   Response r = JsonResponse(201, {{"id", n}, {"echo", req.body}});
                   r.headers.Set("Location", "/api/v1/things/" + std::to_string(n));
                   r.headers.Add("Set-Cookie", "session=secret-" + std::to_string(n));
                   return r;
                 },
                 "public"});
    router_.Add({"PUT", "/api/v1/things/{id}",
                 [this](Request& req) {
                   ++effects_;
                   return JsonResponse(200, {{"id", req.Param("id")}});
                 },
                 "public"});
    router_.Add({"GET", "/api/v1/things",
                 [this](Request&) {
                   return JsonResponse(200, {{"effects", effects_.load()}});
                 },
                 "public"});
    router_.Add({"POST", "/api/v1/flaky",
                 [this](Request&) {
                   // Fails the first time, as a database that was briefly unavailable would.
                   if (++effects_ == 1)
                     return ProblemResponse(
                         core::Error{core::ErrorCode::kUnavailable, "try again", {}, {}});
                   return JsonResponse(201, {{"ok", true}});
                 },
                 "public"});
    router_.Add({"POST", "/api/v1/throws",
                 [this](Request&) -> Response {
                   if (++effects_ == 1) throw std::runtime_error("bug");
                   return JsonResponse(201, {{"ok", true}});
                 },
                 "public"});
    router_.Add({"POST", "/api/v1/conflict",
                 [this](Request&) {
                   ++effects_;
                   return ProblemResponse(core::Error::Conflict("stale revision"));
                 },
                 "public"});
    router_.Add({"POST", "/api/v1/slow",
                 [this](Request&) {
                   ++effects_;
                   gate_.WaitOpen();
                   return JsonResponse(201, {{"slow", true}});
                 },
                 "public"});
    router_.Add(
        {"POST", "/api/v1/secrets",
         [this](Request&) {
           Response r = JsonResponse(201, {{"secret", "s3cr3t-" + std::to_string(++effects_)}});
           r.headers.Set("Cache-Control", "no-store");
           return r;
         },
         "public"});
    router_.Add({"PATCH", "/api/v1/uploads/{id}",
                 [this](Request&) {
                   ++effects_;
                   return NoContentResponse();
                 },
                 "public"});

    ServerOptions options = testing::TestServerOptions("idempotency-api-test", 4);
    std::vector<Middleware> chain{[](Request& req, const Route&) -> std::optional<Response> {
                                    if (auto who = req.headers.Get("X-Test-User")) {
                                      core::identity::Principal p;
                                      p.user_id = *who;
                                      req.principal = p;
                                    }
                                    return std::nullopt;
                                  },
                                  IdempotencyMiddleware(store_, clock_)};
    server_ = std::make_unique<testing::RunningServer>(options, router_, std::move(chain));
    port_ = server_->port();
  }

  void TearDown() override {
    gate_.Open();
    server_.reset();
    store_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  ClientResponse Call(std::string_view method, std::string_view target, const std::string& key,
                      const std::string& body = "{}", const std::string& user = "") {
    std::vector<std::string> headers{"Content-Type: application/json"};
    if (!key.empty()) headers.push_back("Idempotency-Key: " + key);
    if (!user.empty()) headers.push_back("X-Test-User: " + user);
    return Fetch(port_, method, target, headers, body);
  }

  std::int64_t StoredKeys() {
    std::int64_t n = -1;
    auto s = db_->Read([&](storage::Tx& tx) -> core::Status {
      tx.sql() << "SELECT count(*) FROM idempotency_keys", soci::into(n);
      return core::Ok();
    });
    EXPECT_TRUE(s.ok());
    return n;
  }

  void ExpectProblem(const ClientResponse& r, int status, std::string_view words) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type").value_or(""), "application/problem+json");
    EXPECT_NE(r.body.find(words), std::string::npos) << r.body;
  }

  fs::path dir_;
  std::unique_ptr<storage::Database> db_;
  std::shared_ptr<storage::SqlIdempotencyStore> store_;
  ManualClock clock_;
  Router router_;
  std::unique_ptr<testing::RunningServer> server_;
  unsigned short port_ = 0;
  std::atomic<int> effects_{0};
  Gate gate_;
};

TEST_F(IdempotencyApi, WithoutAKeyEveryRequestRuns) {
  EXPECT_EQ(Call("POST", "/api/v1/things", "").status, 201);
  EXPECT_EQ(Call("POST", "/api/v1/things", "").status, 201);
  EXPECT_EQ(effects_.load(), 2);
  EXPECT_EQ(StoredKeys(), 0);
}

TEST_F(IdempotencyApi, ARepeatReplaysTheFirstResponseWithoutRunningAgain) {
  const auto first = Call("POST", "/api/v1/things", "\"k-1\"", R"({"a":1})");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(first.Header("Idempotent-Replayed").has_value());
  const auto again = Call("POST", "/api/v1/things", "\"k-1\"", R"({"a":1})");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.Header("Idempotent-Replayed").value_or(""), "true");
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("Location"), first.Header("Location"));
  EXPECT_EQ(again.Header("Content-Type").value_or(""), "application/json");
  EXPECT_FALSE(again.Header("Set-Cookie").has_value()) << "a session cookie is never replayed";
  EXPECT_EQ(effects_.load(), 1);
  // A bare (unquoted) key names the same key.
  EXPECT_EQ(Call("POST", "/api/v1/things", "k-1", R"({"a":1})")
                .Header("Idempotent-Replayed")
                .value_or(""),
            "true");
  EXPECT_EQ(effects_.load(), 1);
}

TEST_F(IdempotencyApi, AKeptClientErrorIsReplayedToo) {
  ExpectProblem(Call("POST", "/api/v1/conflict", "c-1"), 409, "stale revision");
  const auto again = Call("POST", "/api/v1/conflict", "c-1");
  ExpectProblem(again, 409, "stale revision");
  EXPECT_EQ(again.Header("Idempotent-Replayed").value_or(""), "true");
  EXPECT_EQ(effects_.load(), 1);
}

TEST_F(IdempotencyApi, ANoStoreResponseIsNeitherKeptNorRunAgain) {
  const auto first = Call("POST", "/api/v1/secrets", "n-1");
  ASSERT_EQ(first.status, 201);
  EXPECT_NE(first.body.find("s3cr3t-1"), std::string::npos);
  const auto again = Call("POST", "/api/v1/secrets", "n-1");
  ExpectProblem(again, 409, "already processed");
  EXPECT_EQ(again.body.find("s3cr3t"), std::string::npos);
  EXPECT_EQ(effects_.load(), 1);
  std::int64_t with_secret = -1;
  ASSERT_TRUE(db_->Read([&](storage::Tx& tx) -> core::Status {
                   tx.sql() << "SELECT count(*) FROM idempotency_keys WHERE body LIKE '%s3cr3t%'",
                       soci::into(with_secret);
                   return core::Ok();
                 })
                  .ok());
  EXPECT_EQ(with_secret, 0) << "the secret must not be kept in the database";
}

TEST_F(IdempotencyApi, TheKeyReusedForADifferentRequestIs422) {
  ASSERT_EQ(Call("POST", "/api/v1/things", "k-2", R"({"a":1})").status, 201);
  ExpectProblem(Call("POST", "/api/v1/things", "k-2", R"({"a":2})"), 422, "different request");
  ExpectProblem(Call("PUT", "/api/v1/things/7", "k-2", R"({"a":1})"), 422, "different request");
  ExpectProblem(Call("POST", "/api/v1/things?x=1", "k-2", R"({"a":1})"), 422, "different request");
  EXPECT_EQ(effects_.load(), 1);
}

TEST_F(IdempotencyApi, KeysBelongToTheirPrincipal) {
  ASSERT_EQ(Call("POST", "/api/v1/things", "shared", "{}", "usr_a").status, 201);
  const auto other = Call("POST", "/api/v1/things", "shared", "{}", "usr_b");
  EXPECT_EQ(other.status, 201);
  EXPECT_FALSE(other.Header("Idempotent-Replayed").has_value()) << "another user's response leaked";
  const auto anonymous = Call("POST", "/api/v1/things", "shared", "{}");
  EXPECT_FALSE(anonymous.Header("Idempotent-Replayed").has_value());
  EXPECT_EQ(effects_.load(), 3);
}

TEST_F(IdempotencyApi, MalformedKeysAre400AndNothingRuns) {
  for (const std::string key :
       {std::string("\"\""), std::string(256, 'k'), std::string("\"a\\x\""), std::string("\"open"),
        std::string("a b"), std::string("\"x\";p=1"), std::string("caf\xc3\xa9")}) {
    ExpectProblem(Call("POST", "/api/v1/things", key), 400, "Idempotency-Key");
  }
  auto twice =
      Fetch(port_, "POST", "/api/v1/things",
            {"Content-Type: application/json", "Idempotency-Key: a", "Idempotency-Key: b"}, "{}");
  ExpectProblem(twice, 400, "Idempotency-Key");
  EXPECT_EQ(effects_.load(), 0);
  EXPECT_EQ(Call("POST", "/api/v1/things", std::string(255, 'k')).status, 201);
  EXPECT_EQ(Call("POST", "/api/v1/things", "\"with \\\"quotes\\\" and \\\\\"").status, 201);
  EXPECT_EQ(effects_.load(), 2);
}

TEST_F(IdempotencyApi, AServerErrorIsNotKeptSoTheRetryRuns) {
  EXPECT_EQ(Call("POST", "/api/v1/flaky", "f-1").status, 503);
  const auto retry = Call("POST", "/api/v1/flaky", "f-1");
  EXPECT_EQ(retry.status, 201) << retry.body;
  EXPECT_FALSE(retry.Header("Idempotent-Replayed").has_value());
  EXPECT_EQ(Call("POST", "/api/v1/flaky", "f-1").Header("Idempotent-Replayed").value_or(""),
            "true");
  EXPECT_EQ(effects_.load(), 2);
}

TEST_F(IdempotencyApi, AnExceptionReleasesTheKey) {
  EXPECT_EQ(Call("POST", "/api/v1/throws", "t-1").status, 500);
  EXPECT_EQ(Call("POST", "/api/v1/throws", "t-1").status, 201);
  EXPECT_EQ(effects_.load(), 2);
}

TEST_F(IdempotencyApi, ARepeatWhileTheFirstRunsIs409ThenReplays) {
  std::thread first([&] { EXPECT_EQ(Call("POST", "/api/v1/slow", "s-1").status, 201); });
  gate_.WaitEntered();
  const auto busy = Call("POST", "/api/v1/slow", "s-1");
  ExpectProblem(busy, 409, "still being processed");
  EXPECT_EQ(busy.Header("Retry-After").value_or(""), "1");
  gate_.Open();
  first.join();
  const auto later = Call("POST", "/api/v1/slow", "s-1");
  EXPECT_EQ(later.status, 201);
  EXPECT_EQ(later.Header("Idempotent-Replayed").value_or(""), "true");
  EXPECT_EQ(effects_.load(), 1);
}

TEST_F(IdempotencyApi, ManySimultaneousRepeatsRunOnce) {
  constexpr int kRounds = 20;
  constexpr int kClients = 12;
  for (int round = 0; round < kRounds; ++round) {
    const int before = effects_.load();
    const std::string key = "race-" + std::to_string(round);
    std::atomic<int> ready{0};
    std::vector<ClientResponse> responses(kClients);
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.emplace_back([&, i] {
        ready.fetch_add(1);
        while (ready.load() < kClients) std::this_thread::yield();
        responses[i] = Call("POST", "/api/v1/things", key, R"({"round":1})");
      });
    }
    for (auto& c : clients) c.join();
    EXPECT_EQ(effects_.load(), before + 1) << "round " << round;
    std::string body;
    for (const auto& r : responses) {
      ASSERT_TRUE(r.status == 201 || r.status == 409) << r.status << " " << r.body;
      if (r.status != 201) continue;
      if (body.empty()) body = r.body;
      EXPECT_EQ(r.body, body) << "every 201 carries the one response";
    }
  }
}

TEST_F(IdempotencyApi, ReadsAndUploadsIgnoreTheHeader) {
  EXPECT_EQ(Call("GET", "/api/v1/things", "g-1", "").status, 200);
  EXPECT_EQ(Call("PATCH", "/api/v1/uploads/u1", "u-1").status, 204);
  EXPECT_EQ(Call("PATCH", "/api/v1/uploads/u1", "u-1").status, 204);
  EXPECT_EQ(effects_.load(), 2);
  EXPECT_EQ(StoredKeys(), 0);
}

TEST_F(IdempotencyApi, KeysExpireAfter24HoursAndArePruned) {
  ASSERT_EQ(Call("POST", "/api/v1/things", "e-1").status, 201);
  clock_.Advance(std::chrono::hours(23));
  EXPECT_EQ(Call("POST", "/api/v1/things", "e-1").Header("Idempotent-Replayed").value_or(""),
            "true");
  clock_.Advance(std::chrono::hours(1));
  const auto fresh = Call("POST", "/api/v1/things", "e-1");
  EXPECT_EQ(fresh.status, 201);
  EXPECT_FALSE(fresh.Header("Idempotent-Replayed").has_value());
  EXPECT_EQ(effects_.load(), 2);
  // The next request a day later prunes what expired, whatever its own key.
  ASSERT_EQ(Call("POST", "/api/v1/things", "e-2").status, 201);
  EXPECT_EQ(StoredKeys(), 2);
  clock_.Advance(std::chrono::hours(25));
  ASSERT_EQ(Call("POST", "/api/v1/things", "e-3").status, 201);
  EXPECT_EQ(StoredKeys(), 1);
}

}  // namespace
}  // namespace cairn::http
