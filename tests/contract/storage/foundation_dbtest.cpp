// The storage foundation's contract: migrations, transactions, error mapping, the audit log,
// concurrency and backup, on both dialects.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "storage/migrations.hpp"
#include "storage/sql_audit_log.hpp"
#include "storage_contract.hpp"

namespace cairn::storage {
namespace {

using core::ErrorCode;

// A probe table with a unique column, a child table with a foreign key, and a one-row counter.
void CreateProbeTables(Tx& tx) {
  const std::string id =
      tx.IsSqlite() ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
  tx.sql() << "CREATE TABLE probe (id " + id + ", name TEXT NOT NULL UNIQUE)";
  tx.sql() << "CREATE TABLE probe_child (id " + id +
                  ", probe_id BIGINT NOT NULL REFERENCES probe (id))";
  tx.sql() << "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)";
  tx.sql() << "INSERT INTO counter (id, n) VALUES (1, 0)";
}

std::int64_t InsertProbe(Tx& tx, const std::string& name) {
  std::int64_t id = 0;
  tx.sql() << "INSERT INTO probe (name) VALUES (:name) RETURNING id", soci::use(name),
      soci::into(id);
  return id;
}

long long CountProbes(Database& db, const std::string& name) {
  long long count = -1;
  auto status = db.Read([&](Tx& tx) -> core::Status {
    tx.sql() << "SELECT count(*) FROM probe WHERE name = :name", soci::use(name), soci::into(count);
    return core::Ok();
  });
  EXPECT_TRUE(status.ok()) << Describe(status.error());
  return count;
}

core::AuditRecord SampleRecord(const std::string& entity_id) {
  core::AuditRecord record;
  record.actor_id = "usr_alice";
  record.action = "microcredential.publish";
  record.entity_type = "microcredential";
  record.entity_id = entity_id;
  record.from_state = "draft";
  record.to_state = "published";
  record.detail_json = R"({"version":2})";
  core::ParseTime("2026-11-23T03:41:00Z", record.at);
  return record;
}

std::vector<core::AuditRecord> AuditFor(Database& db, const std::string& entity_id) {
  std::vector<core::AuditRecord> records;
  auto status = db.Read([&](Tx& tx) -> core::Status {
    records = SqlAuditLog(tx).ForEntity("microcredential", entity_id);
    return core::Ok();
  });
  EXPECT_TRUE(status.ok()) << Describe(status.error());
  return records;
}

int HighestEmbeddedVersion(Dialect dialect) {
  int highest = 0;
  for (const auto& m : EmbeddedMigrations(dialect)) highest = std::max(highest, m.version);
  return highest;
}

TEST(StorageMigrations, BothDialectsDeclareTheSameVersionsInOrder) {
  auto sqlite = EmbeddedMigrations(Dialect::kSqlite);
  auto postgres = EmbeddedMigrations(Dialect::kPostgres);
  ASSERT_EQ(sqlite.size(), postgres.size());
  ASSERT_FALSE(sqlite.empty());
  EXPECT_EQ(sqlite[0].version, 1);
  EXPECT_EQ(sqlite[0].name, "foundation");
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, postgres[i].version);
    EXPECT_EQ(sqlite[i].name, postgres[i].name);
    EXPECT_FALSE(sqlite[i].sql.empty());
    if (i > 0) {
      EXPECT_LT(sqlite[i - 1].version, sqlite[i].version);
    }
  }
}

TEST(StorageOpen, RejectsBadUrlsWithClearErrors) {
  auto empty = Database::Open("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidInput);

  auto scheme = Database::Open("mysql://root@localhost/cairn");
  ASSERT_FALSE(scheme.ok());
  EXPECT_EQ(scheme.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(scheme.error().message.find("scheme"), std::string::npos);

  auto memory = Database::Open("sqlite::memory:");
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.error().code, ErrorCode::kInvalidInput);

  auto garbled = Database::Open("postgresql://%zz@localhost/cairn");
  ASSERT_FALSE(garbled.ok());
  EXPECT_EQ(garbled.error().code, ErrorCode::kInvalidInput);

  DatabaseOptions no_pool;
  no_pool.pool_size = 0;
  auto unpooled = Database::Open("sqlite:/tmp/never-created-cairn.db", no_pool);
  ASSERT_FALSE(unpooled.ok());
  EXPECT_EQ(unpooled.error().code, ErrorCode::kInvalidInput);

  DatabaseOptions bad_schema;
  bad_schema.pg_schema = "x\"; DROP TABLE users; --";
  auto injected = Database::Open("postgresql://cairn@127.0.0.1:1/cairn", bad_schema);
  ASSERT_FALSE(injected.ok());
  EXPECT_EQ(injected.error().code, ErrorCode::kInvalidInput);
}

TEST(StorageOpen, UnreachableDatabasesAreUnavailable) {
  auto missing_dir = Database::Open("sqlite:/nonexistent-cairn-dir/sub/cairn.db");
  ASSERT_FALSE(missing_dir.ok());
  EXPECT_EQ(missing_dir.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(missing_dir.error().detail.empty());

  // Port 1 on loopback refuses at once.
  auto refused = Database::Open("postgresql://cairn@127.0.0.1:1/cairn");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
}

TEST(StorageOpen, SqlitePathWithSpacesAndBarePathWork) {
  const auto dir = std::filesystem::temp_directory_path() / "cairn storage spaced dir";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "my db.sqlite").string();
  {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok()) << Describe(db.error());
    EXPECT_EQ(db.value()->dialect(), Dialect::kSqlite);
    ASSERT_TRUE(db.value()->Migrate().ok());
  }
  EXPECT_TRUE(std::filesystem::exists(path));
  auto again = Database::Open("sqlite://" + path);
  ASSERT_TRUE(again.ok()) << Describe(again.error());
  auto version = again.value()->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, HighestEmbeddedVersion(Dialect::kSqlite));
  again.value().reset();
  std::filesystem::remove_all(dir);
}

TEST_P(StorageContract, MigrationsApplyAllVersionsAndAreIdempotent) {
  auto version = db().SchemaVersion();
  ASSERT_TRUE(version.ok()) << Describe(version.error());
  EXPECT_EQ(*version, HighestEmbeddedVersion(dialect()));

  ASSERT_TRUE(db().Migrate().ok());
  ASSERT_TRUE(db().Migrate().ok());
  long long ledger_rows = 0;
  MustRead([&](Tx& tx) -> core::Status {
    tx.sql() << "SELECT count(*) FROM schema_migrations", soci::into(ledger_rows);
    return core::Ok();
  });
  EXPECT_EQ(ledger_rows, static_cast<long long>(EmbeddedMigrations(dialect()).size()));

  // The foundation tables exist and take rows.
  MustWrite([](Tx& tx) -> core::Status {
    tx.sql() << "INSERT INTO jobs (kind, payload, run_at) VALUES ('mail.send', '{\"to\":1}', "
                "'2026-11-23T03:41:00Z')";
    return core::Ok();
  });
  std::string state;
  int attempts = -1;
  MustRead([&](Tx& tx) -> core::Status {
    tx.sql() << "SELECT state, attempts FROM jobs WHERE kind = 'mail.send'", soci::into(state),
        soci::into(attempts);
    return core::Ok();
  });
  EXPECT_EQ(state, "pending");
  EXPECT_EQ(attempts, 0);
}

TEST_P(StorageContract, FreshDatabaseIsVersionZeroUntilMigrated) {
  auto fresh = OpenIsolated(/*migrate=*/false);
  ASSERT_NE(fresh, nullptr);
  auto before = fresh->SchemaVersion();
  ASSERT_TRUE(before.ok()) << Describe(before.error());
  EXPECT_EQ(*before, 0);
  ASSERT_TRUE(fresh->Ping().ok());
  ASSERT_TRUE(fresh->Migrate().ok());
  auto after = fresh->SchemaVersion();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, HighestEmbeddedVersion(dialect()));
}

TEST_P(StorageContract, ConcurrentMigrateFromTwoProcessesAppliesEachVersionOnce) {
  auto first = OpenIsolated(/*migrate=*/false);
  ASSERT_NE(first, nullptr);
  auto second = OpenLastIsolatedAgain();
  ASSERT_NE(second, nullptr);
  core::Status a = core::Ok(), b = core::Ok();
  std::thread t1([&] { a = first->Migrate(); });
  std::thread t2([&] { b = second->Migrate(); });
  t1.join();
  t2.join();
  ASSERT_TRUE(a.ok()) << Describe(a.error());
  ASSERT_TRUE(b.ok()) << Describe(b.error());
  long long rows = 0;
  auto status = first->Read([&](Tx& tx) -> core::Status {
    tx.sql() << "SELECT count(*) FROM schema_migrations", soci::into(rows);
    return core::Ok();
  });
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(rows, static_cast<long long>(EmbeddedMigrations(dialect()).size()));
}

TEST_P(StorageContract, RefusesADatabaseNewerThanTheBuild) {
  MustWrite([](Tx& tx) -> core::Status {
    tx.sql() << "INSERT INTO schema_migrations (version, name, applied_at) "
                "VALUES (9999, 'from_the_future', '2030-01-01T00:00:00Z')";
    return core::Ok();
  });
  auto status = db().Migrate();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_NE(status.error().message.find("newer"), std::string::npos);
  EXPECT_NE(status.error().detail.find("9999"), std::string::npos);
}

TEST_P(StorageContract, WriteCommitsAndReadSeesIt) {
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    InsertProbe(tx, "kept");
    return core::Ok();
  });
  EXPECT_EQ(CountProbes(db(), "kept"), 1);
  auto again = OpenSame();
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(CountProbes(*again, "kept"), 1);
}

TEST_P(StorageContract, ReturnedErrorRollsBackAndComesBackUnchanged) {
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    return core::Ok();
  });
  auto status = db().Write([](Tx& tx) -> core::Status {
    InsertProbe(tx, "discarded");
    return core::Error::InvalidState("cannot publish a retired credential");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidState);
  EXPECT_EQ(status.error().message, "cannot publish a retired credential");
  EXPECT_EQ(CountProbes(db(), "discarded"), 0);
}

TEST_P(StorageContract, ExceptionRollsBackAndBecomesInternalError) {
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    return core::Ok();
  });
  auto status = db().Write([](Tx& tx) -> core::Status {
    InsertProbe(tx, "thrown away");
    throw std::runtime_error("boom in the middle");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_EQ(status.error().message.find("boom"), std::string::npos);
  EXPECT_NE(status.error().detail.find("boom in the middle"), std::string::npos);
  EXPECT_EQ(CountProbes(db(), "thrown away"), 0);
  // The pooled connection is clean afterwards: every connection can write again.
  for (int i = 0; i < 6; ++i) {
    MustWrite([&](Tx& tx) -> core::Status {
      InsertProbe(tx, "after " + std::to_string(i));
      return core::Ok();
    });
  }
}

TEST_P(StorageContract, SqlErrorsAreInternalWithDriverTextOnlyInDetail) {
  auto status = db().Write([](Tx& tx) -> core::Status {
    tx.sql() << "SELECT no_such_column FROM no_such_table";
    return core::Ok();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_EQ(status.error().message.find("no_such_table"), std::string::npos);
  EXPECT_NE(status.error().detail.find("no_such_table"), std::string::npos);
}

// Error::detail goes to the log: it names the statement and the constraint, never the values.
TEST_P(StorageContract, DriverDetailNeverCarriesBoundValues) {
  const std::string secret = "s3cr3t-token-value";
  const std::string payload = "{\"token\":\"" + secret + "\"}";
  const std::string run_at = "2026-11-23T03:41:00Z";
  auto status = db().Write([&](Tx& tx) -> core::Status {
    tx.sql() << "INSERT INTO jobs (kind, payload, run_at, state) VALUES (:kind, :payload, :run_at, "
                "'bogus')",
        soci::use(secret), soci::use(payload), soci::use(run_at);
    return core::Ok();
  });

  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_EQ(status.error().detail.find(secret), std::string::npos) << status.error().detail;
  EXPECT_NE(status.error().detail.find("INSERT INTO jobs"), std::string::npos)
      << status.error().detail;
  std::string lower = status.error().detail;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  EXPECT_NE(lower.find("check constraint"), std::string::npos) << status.error().detail;
}

TEST_P(StorageContract, UniqueViolationIsConflictWithSafeMessage) {
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    InsertProbe(tx, "taken");
    return core::Ok();
  });
  auto status = db().Write([](Tx& tx) -> core::Status {
    InsertProbe(tx, "new one");
    InsertProbe(tx, "taken");
    return core::Ok();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kConflict);
  EXPECT_EQ(status.error().message.find("probe"), std::string::npos);
  EXPECT_NE(status.error().detail.find("probe"), std::string::npos);
  EXPECT_EQ(CountProbes(db(), "new one"), 0);
  EXPECT_EQ(CountProbes(db(), "taken"), 1);
}

TEST_P(StorageContract, ForeignKeyViolationIsConflictOnEveryConnection) {
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    return core::Ok();
  });
  // More attempts than pooled connections, so each connection must enforce foreign keys.
  for (int i = 0; i < 6; ++i) {
    auto status = db().Write([](Tx& tx) -> core::Status {
      tx.sql() << "INSERT INTO probe_child (probe_id) VALUES (424242)";
      return core::Ok();
    });
    ASSERT_FALSE(status.ok()) << "attempt " << i;
    EXPECT_EQ(status.error().code, ErrorCode::kConflict);
  }
}

TEST_P(StorageContract, AttemptUndoesOnlyItsPartAndKeepsTheTransactionUsable) {
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    InsertProbe(tx, "first");
    return core::Ok();
  });
  core::Status inner = core::Ok();
  MustWrite([&](Tx& tx) -> core::Status {
    InsertProbe(tx, "before");
    inner = tx.Attempt([](Tx& t) -> core::Status {
      InsertProbe(t, "inside");
      InsertProbe(t, "first");
      return core::Ok();
    });
    InsertProbe(tx, "after");
    return core::Ok();
  });
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().code, ErrorCode::kConflict);
  EXPECT_EQ(CountProbes(db(), "before"), 1);
  EXPECT_EQ(CountProbes(db(), "after"), 1);
  EXPECT_EQ(CountProbes(db(), "inside"), 0);
}

TEST_P(StorageContract, ReadIsReadOnly) {
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    return core::Ok();
  });
  auto status = db().Read([](Tx& tx) -> core::Status {
    InsertProbe(tx, "sneaky");
    return core::Ok();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(CountProbes(db(), "sneaky"), 0);
  // The connection used for that read can still write afterwards.
  for (int i = 0; i < 6; ++i) {
    MustWrite([&](Tx& tx) -> core::Status {
      InsertProbe(tx, "w" + std::to_string(i));
      return core::Ok();
    });
  }
}

TEST_P(StorageContract, ReadSeesOneSnapshotWhileOthersWrite) {
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    InsertProbe(tx, "a");
    return core::Ok();
  });
  long long before = -1, during = -1;
  core::Status writer = core::Ok();
  MustRead([&](Tx& tx) -> core::Status {
    tx.sql() << "SELECT count(*) FROM probe", soci::into(before);
    std::thread other([&] {
      writer = db().Write([](Tx& t) -> core::Status {
        InsertProbe(t, "b");
        return core::Ok();
      });
    });
    other.join();
    tx.sql() << "SELECT count(*) FROM probe", soci::into(during);
    return core::Ok();
  });
  ASSERT_TRUE(writer.ok()) << Describe(writer.error());
  EXPECT_EQ(before, 1);
  EXPECT_EQ(during, 1);
  EXPECT_EQ(CountProbes(db(), "b"), 1);
}

TEST_P(StorageContract, NestedTransactionOnTheSameThreadIsRefused) {
  core::Status inner = core::Ok();
  MustWrite([&](Tx&) -> core::Status {
    inner = db().Read([](Tx&) -> core::Status { return core::Ok(); });
    return core::Ok();
  });
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().code, ErrorCode::kInternal);
}

TEST_P(StorageContract, AuditRecordCommitsWithTheChange) {
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    InsertProbe(tx, "mc");
    SqlAuditLog(tx).Append(SampleRecord("mc_committed"));
    core::AuditRecord no_state = SampleRecord("mc_committed");
    no_state.action = "microcredential.view";
    no_state.from_state.clear();
    no_state.to_state.clear();
    no_state.detail_json.clear();
    SqlAuditLog(tx).Append(no_state);
    return core::Ok();
  });
  auto records = AuditFor(db(), "mc_committed");
  ASSERT_EQ(records.size(), 2u);
  const core::AuditRecord expected = SampleRecord("mc_committed");
  EXPECT_EQ(records[0].actor_id, expected.actor_id);
  EXPECT_EQ(records[0].action, expected.action);
  EXPECT_EQ(records[0].entity_type, expected.entity_type);
  EXPECT_EQ(records[0].entity_id, expected.entity_id);
  EXPECT_EQ(records[0].from_state, "draft");
  EXPECT_EQ(records[0].to_state, "published");
  EXPECT_EQ(records[0].at, expected.at);
  EXPECT_EQ(nlohmann::json::parse(records[0].detail_json),
            nlohmann::json::parse(R"({"version":2})"));
  EXPECT_EQ(records[1].action, "microcredential.view");
  EXPECT_EQ(records[1].from_state, "");
  EXPECT_EQ(records[1].to_state, "");
  EXPECT_EQ(nlohmann::json::parse(records[1].detail_json), nlohmann::json::object());
}

TEST_P(StorageContract, AuditRecordVanishesWhenTheChangeRollsBack) {
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    return core::Ok();
  });
  auto failed = db().Write([](Tx& tx) -> core::Status {
    SqlAuditLog(tx).Append(SampleRecord("mc_rolled_back"));
    InsertProbe(tx, "x");
    InsertProbe(tx, "x");  // unique violation after the audit record was written
    return core::Ok();
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kConflict);
  auto refused = db().Write([](Tx& tx) -> core::Status {
    SqlAuditLog(tx).Append(SampleRecord("mc_rolled_back"));
    return core::Error::Forbidden("not yours");
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(AuditFor(db(), "mc_rolled_back").empty());
}

TEST_P(StorageContract, MalformedAuditRecordIsRefused) {
  for (auto mutate : std::vector<std::function<void(core::AuditRecord&)>>{
           [](core::AuditRecord& r) { r.actor_id.clear(); },
           [](core::AuditRecord& r) { r.at = core::TimePoint{}; },
           [](core::AuditRecord& r) { r.detail_json = "[1,2]"; },
           [](core::AuditRecord& r) { r.detail_json = "{not json"; },
       }) {
    core::AuditRecord record = SampleRecord("mc_bad");
    mutate(record);
    auto status = db().Write([&](Tx& tx) -> core::Status {
      SqlAuditLog(tx).Append(record);
      return core::Ok();
    });
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kInternal);
    EXPECT_NE(status.error().detail.find("audit record"), std::string::npos);
  }
  EXPECT_TRUE(AuditFor(db(), "mc_bad").empty());
}

// N threads each run read-then-write increments; with serialized transactions none is lost.
TEST_P(StorageContract, ConcurrentWritersSerialize) {
  constexpr int kThreads = 8;
  constexpr int kIncrements = 25;
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    return core::Ok();
  });
  std::atomic<int> failures{0};
  std::string first_failure;
  std::mutex failure_mu;
  const std::uint64_t retries_before = db().RetryCount();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto status = db().Write([](Tx& tx) -> core::Status {
          int n = 0;
          tx.sql() << "SELECT n FROM counter WHERE id = 1", soci::into(n);
          const int next = n + 1;
          tx.sql() << "UPDATE counter SET n = :n WHERE id = 1", soci::use(next);
          return core::Ok();
        });
        if (!status.ok()) {
          std::lock_guard lock(failure_mu);
          if (failures++ == 0) first_failure = Describe(status.error());
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0) << first_failure;
  int n = 0;
  MustRead([&](Tx& tx) -> core::Status {
    tx.sql() << "SELECT n FROM counter WHERE id = 1", soci::into(n);
    return core::Ok();
  });
  EXPECT_EQ(n, kThreads * kIncrements);
  RecordProperty("retries", static_cast<int>(db().RetryCount() - retries_before));
  if (dialect() == Dialect::kSqlite) {
    // BEGIN IMMEDIATE plus the busy timeout queue writers: none ever saw SQLITE_BUSY.
    EXPECT_EQ(db().RetryCount(), retries_before);
  }
}

TEST_P(StorageContract, ConcurrentWritersFromTwoHandlesSerialize) {
  constexpr int kIncrements = 40;
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    return core::Ok();
  });
  auto other = OpenSame();
  ASSERT_NE(other, nullptr);
  std::atomic<int> failures{0};
  auto work = [&](Database& handle) {
    for (int i = 0; i < kIncrements; ++i) {
      auto status = handle.Write([](Tx& tx) -> core::Status {
        int n = 0;
        tx.sql() << "SELECT n FROM counter WHERE id = 1", soci::into(n);
        const int next = n + 1;
        tx.sql() << "UPDATE counter SET n = :n WHERE id = 1", soci::use(next);
        return core::Ok();
      });
      if (!status.ok()) ++failures;
    }
  };
  const std::uint64_t retries_before = db().RetryCount() + other->RetryCount();
  std::thread a([&] { work(db()); });
  std::thread b([&] { work(*other); });
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
  if (dialect() == Dialect::kSqlite) {
    EXPECT_EQ(db().RetryCount() + other->RetryCount(), retries_before);
  }
  int n = 0;
  MustRead([&](Tx& tx) -> core::Status {
    tx.sql() << "SELECT n FROM counter WHERE id = 1", soci::into(n);
    return core::Ok();
  });
  EXPECT_EQ(n, 2 * kIncrements);
}

// A writer kept waiting for another's lock longer than busy_timeout gets kUnavailable, promptly,
// and succeeds once the lock is gone.
TEST_P(StorageContract, WriterBlockedPastBusyTimeoutIsUnavailable) {
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    return core::Ok();
  });
  DatabaseOptions quick;
  quick.busy_timeout = std::chrono::milliseconds(150);
  auto other = OpenSame(quick);
  ASSERT_NE(other, nullptr);
  std::promise<void> holding;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  core::Status held = core::Ok();
  std::atomic<bool> signaled{false};
  std::thread holder([&] {
    held = db().Write([&](Tx& tx) -> core::Status {
      tx.sql() << "UPDATE counter SET n = 1 WHERE id = 1";
      if (!signaled.exchange(true)) holding.set_value();  // fn may run again on a retry
      released.wait();
      return core::Ok();
    });
  });
  holding.get_future().wait();
  const auto start = std::chrono::steady_clock::now();
  auto blocked = other->Write([](Tx& tx) -> core::Status {
    tx.sql() << "UPDATE counter SET n = 2 WHERE id = 1";
    return core::Ok();
  });
  const auto waited = std::chrono::steady_clock::now() - start;
  release.set_value();
  holder.join();
  ASSERT_TRUE(held.ok()) << Describe(held.error());
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kUnavailable) << Describe(blocked.error());
  EXPECT_GE(waited, std::chrono::milliseconds(100));
  EXPECT_LT(waited, std::chrono::seconds(3));

  auto later = other->Write([](Tx& tx) -> core::Status {
    tx.sql() << "UPDATE counter SET n = 2 WHERE id = 1";
    return core::Ok();
  });
  ASSERT_TRUE(later.ok()) << Describe(later.error());
  int n = 0;
  MustRead([&](Tx& tx) -> core::Status {
    tx.sql() << "SELECT n FROM counter WHERE id = 1", soci::into(n);
    return core::Ok();
  });
  EXPECT_EQ(n, 2);
}

TEST_P(StorageContract, PingAnswers) { EXPECT_TRUE(db().Ping().ok()); }

TEST_P(StorageContract, BackupIsAConsistentReadableCopy) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("cairn-backup-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
       std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  std::filesystem::create_directories(dir);
  const std::string dest = (dir / "backup.db").string();
  if (dialect() == Dialect::kPostgres) {
    auto status = db().Backup(dest);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(status.error().message.find("pg_dump"), std::string::npos);
    std::filesystem::remove_all(dir);
    return;
  }
  MustWrite([](Tx& tx) -> core::Status {
    CreateProbeTables(tx);
    for (int i = 0; i < 50; ++i) InsertProbe(tx, "row " + std::to_string(i));
    SqlAuditLog(tx).Append(SampleRecord("mc_backed_up"));
    return core::Ok();
  });
  // Writers keep going during the backup; the copy holds whole transactions only.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    int i = 0;
    while (!stop.load()) {
      auto status = db().Write([&](Tx& tx) -> core::Status {
        InsertProbe(tx, "pair " + std::to_string(i) + " a");
        InsertProbe(tx, "pair " + std::to_string(i) + " b");
        return core::Ok();
      });
      ASSERT_TRUE(status.ok());
      ++i;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto status = db().Backup(dest);
  stop = true;
  writer.join();
  ASSERT_TRUE(status.ok()) << Describe(status.error());
  // Backing up over an existing file replaces it.
  ASSERT_TRUE(db().Backup(dest).ok());

  // A destination that cannot be written is an error, and leaves no partial file behind.
  const std::string unwritable = (dir / "missing" / "backup.db").string();
  auto refused = db().Backup(unwritable);
  ASSERT_FALSE(refused.ok());
  EXPECT_FALSE(std::filesystem::exists(unwritable + ".partial"));

  auto copy = Database::Open("sqlite:" + dest);
  ASSERT_TRUE(copy.ok()) << Describe(copy.error());
  auto version = copy.value()->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, HighestEmbeddedVersion(Dialect::kSqlite));
  long long rows = -1;
  auto read = copy.value()->Read([&](Tx& tx) -> core::Status {
    tx.sql() << "SELECT count(*) FROM probe", soci::into(rows);
    return core::Ok();
  });
  ASSERT_TRUE(read.ok());
  EXPECT_GE(rows, 50);
  EXPECT_EQ((rows - 50) % 2, 0) << "a transaction was split by the backup";
  EXPECT_EQ(AuditFor(*copy.value(), "mc_backed_up").size(), 1u);
  copy.value().reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cairn::storage

namespace cairn::storage {
namespace {

// A connection that dies (server restart, admin kill) is reported as kUnavailable once, then
// replaced: later transactions succeed. On SQLite nothing can kill a connection from outside, so
// only the second half applies.
TEST_P(StorageContract, BrokenConnectionIsReplaced) {
  if (dialect() == Dialect::kPostgres) {
    auto status = db().Write([](Tx& tx) -> core::Status {
      tx.sql() << "SELECT pg_terminate_backend(pg_backend_pid())";
      return core::Ok();
    });
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kUnavailable) << Describe(status.error());
    // Kill the now idle pooled connection from another backend, as a server restart would.
    ASSERT_TRUE(db().Ping().ok());
    auto killer = OpenSame();
    ASSERT_NE(killer, nullptr);
    long long killed = 0;
    auto kill = killer->Write([&](Tx& tx) -> core::Status {
      tx.sql() << "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                  "WHERE pid <> pg_backend_pid() AND application_name = current_setting("
                  "'application_name') AND state = 'idle'",
          soci::into(killed);
      return core::Ok();
    });
    ASSERT_TRUE(kill.ok()) << Describe(kill.error());
    EXPECT_GE(killed, 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (int i = 0; i < 6; ++i) {
    auto status = db().Write([](Tx& tx) -> core::Status {
      tx.sql() << "INSERT INTO jobs (kind, run_at) VALUES ('after.kill', '2026-11-23T03:41:00Z')";
      return core::Ok();
    });
    ASSERT_TRUE(status.ok()) << "write " << i << ": " << Describe(status.error());
  }
  EXPECT_TRUE(db().Ping().ok());
}

}  // namespace
}  // namespace cairn::storage
