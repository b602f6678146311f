// SOCI's SQLite header wraps <sqlite3.h> in namespace sqlite_api, so this file reaches the native
// API as sqlite_api::sqlite3_* and must not include <sqlite3.h> itself.
#include "storage/database.hpp"

#include <fcntl.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "core/common/clock.hpp"
#include "storage/migrations.hpp"

namespace cairn::storage {
namespace {

// A busy or serialization failure is retried while both limits allow: with k writers on one hot
// row, a loser may need about k attempts, and a loaded machine stretches each one.
constexpr int kMaxAttempts = 30;
constexpr int kMaxBackoffMs = 100;
constexpr std::chrono::seconds kAcquireTimeout{30};
// Any fixed number: all Cairn processes take this advisory lock while migrating one PG database.
constexpr long long kMigrationLockKey = 0x636169726e;  // "cairn"

constexpr const char* kSqliteLedgerExists =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
constexpr const char* kPostgresLedgerExists =
    "SELECT count(*) FROM pg_catalog.pg_tables "
    "WHERE schemaname = current_schema() AND tablename = 'schema_migrations'";
constexpr const char* kSelectSchemaVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
constexpr const char* kSelectAppliedVersions = "SELECT version FROM schema_migrations";
constexpr const char* kInsertMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:version, :name, :at)";

// SQLite extended result codes (enabled per connection below).
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteConstraintForeignKey = 787;
constexpr int kSqliteConstraintPrimaryKey = 1555;
constexpr int kSqliteConstraintUnique = 2067;

// kMigrate: on PG, READ COMMITTED, so statements after the advisory lock see what the previous
// holder committed (a SERIALIZABLE snapshot would predate the wait).
enum class Mode { kRead, kWrite, kMigrate };

enum class Failure { kUnique, kForeignKey, kRetryable, kConnection, kOther };

Failure Classify(const soci::soci_error& e) {
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    const int rc = lite->result();
    if (rc == kSqliteConstraintUnique || rc == kSqliteConstraintPrimaryKey) return Failure::kUnique;
    if (rc == kSqliteConstraintForeignKey) return Failure::kForeignKey;
    if ((rc & 0xff) == kSqliteBusy || (rc & 0xff) == kSqliteLocked) return Failure::kRetryable;
    return Failure::kOther;
  }
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = pg->sqlstate();
    if (state == "23505") return Failure::kUnique;
    if (state == "23503") return Failure::kForeignKey;
    // 55P03: lock_timeout (set to busy_timeout) expired while waiting for a row lock.
    if (state == "40001" || state == "40P01" || state == "55P03") return Failure::kRetryable;
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) return Failure::kConnection;
  }
  if (e.get_error_category() == soci::soci_error::connection_error) return Failure::kConnection;
  return Failure::kOther;
}

core::Error MapFailure(Failure failure, const std::string& driver_text) {
  switch (failure) {
    case Failure::kUnique:
      return {core::ErrorCode::kConflict,
              "a record with the same unique value already exists",
              driver_text,
              {}};
    case Failure::kForeignKey:
      return {core::ErrorCode::kConflict,
              "the change refers to a record that does not exist, or one that is still in use",
              driver_text,
              {}};
    case Failure::kRetryable:
      return {core::ErrorCode::kUnavailable, "the database is busy; try again", driver_text, {}};
    case Failure::kConnection:
      return {core::ErrorCode::kUnavailable, "the database is unavailable", driver_text, {}};
    case Failure::kOther:
      break;
  }
  return core::Error::Internal(driver_text);
}

// The driver text for Error::detail, which is logged: the message and the statement, but not the
// values SOCI appends ("with :password_hash=...") nor PostgreSQL's DETAIL line, which can quote a
// whole failing row.
std::string LoggableDriverText(const soci::soci_error& e) {
  std::string text;
  const std::string raw = e.get_error_message();
  std::string_view message = raw;
  while (!message.empty()) {
    const auto end = message.find('\n');
    const std::string_view line = message.substr(0, end);
    if (line.rfind("DETAIL:", 0) != 0 && !line.empty()) {
      text += text.empty() ? "" : " ";
      text += line;
    }
    if (end == std::string_view::npos) break;
    message.remove_prefix(end + 1);
  }
  const std::string_view full = e.what();
  const std::string_view marker = "while executing \"";
  const auto start = full.find(marker);
  if (start != std::string_view::npos) {
    const auto query_start = start + marker.size();
    auto query_end = full.find("\" with :", query_start);
    if (query_end == std::string_view::npos) query_end = full.rfind('"');
    if (query_end != std::string_view::npos && query_end > query_start) {
      text += " (while executing \"";
      text += full.substr(query_start, query_end - query_start);
      text += "\")";
    }
  }
  return text;
}

// What ran inside a transaction: a status, and whether running it again may succeed.
struct Outcome {
  core::Status status;
  bool retryable = false;
};

Outcome FromException(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const soci::soci_error& e) {
    const Failure failure = Classify(e);
    return {MapFailure(failure, LoggableDriverText(e)), failure == Failure::kRetryable};
  } catch (const std::exception& e) {
    return {core::Error::Internal(e.what())};
  } catch (...) {
    return {core::Error::Internal("unknown exception in a database transaction")};
  }
}

sqlite_api::sqlite3* SqliteHandle(soci::session& session) {
  return static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
}

PGconn* PgHandle(soci::session& session) {
  return static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
}

// Runs a script of several statements (migrations). SOCI prepares one statement per call and
// treats ':' as a placeholder, so scripts go to the native API.
void ExecScript(soci::session& session, Dialect dialect, std::string_view script) {
  const std::string text(script);
  if (dialect == Dialect::kSqlite) {
    char* message = nullptr;
    const int rc =
        sqlite_api::sqlite3_exec(SqliteHandle(session), text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string what = message ? message : "sqlite3_exec failed";
      sqlite_api::sqlite3_free(message);
      throw soci::sqlite3_soci_error(what, rc);
    }
    return;
  }
  PGresult* result = PQexec(PgHandle(session), text.c_str());
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string what = PQerrorMessage(PgHandle(session));
    PQclear(result);
    throw soci::postgresql_soci_error(what, state ? state : "XX000");
  }
  PQclear(result);
}

// True when the session is back outside any transaction and still connected, so it may be reused.
bool SessionIsClean(soci::session& session, Dialect dialect) {
  if (dialect == Dialect::kSqlite) {
    return sqlite_api::sqlite3_get_autocommit(SqliteHandle(session)) != 0;
  }
  PGconn* conn = PgHandle(session);
  return PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) == PQTRANS_IDLE;
}

bool IsSafeIdentifier(const std::string& name) {
  return !name.empty() && name.size() <= 63 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }) && !(name[0] >= '0' && name[0] <= '9');
}

// SOCI's connect strings are "key=value" pairs; quote the path so spaces survive.
std::string SqliteConnectString(const std::string& path) {
  std::string quoted = "db=\"";
  for (char c : path) {
    if (c == '"') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

// SOCI 4.0 mangles libpq URIs, so turn the URI into libpq's key='value' form with libpq itself.
core::Result<std::string> PgConninfo(const std::string& url) {
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &message);
  if (options == nullptr) {
    std::string why = message ? message : "cannot parse it";
    PQfreemem(message);
    return core::Error{core::ErrorCode::kInvalidInput, "the PostgreSQL URL is malformed", why, {}};
  }
  std::string conninfo;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    conninfo += conninfo.empty() ? "" : " ";
    conninfo += std::string(option->keyword) + "='";
    for (const char* c = option->val; *c != '\0'; ++c) {
      if (*c == '\'' || *c == '\\') conninfo += '\\';
      conninfo += *c;
    }
    conninfo += "'";
  }
  PQconninfoFree(options);
  return conninfo;
}

struct Target {
  Dialect dialect;
  std::string location;  // SQLite file path, or a libpq connection URI
};

core::Result<Target> ParseUrl(const std::string& url) {
  if (url.empty()) return core::Error::InvalidInput("the database URL is empty");
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto conninfo = PgConninfo(url);
    if (!conninfo.ok()) return conninfo.error();
    return Target{Dialect::kPostgres, std::move(conninfo.value())};
  }
  std::string path = url;
  if (url.rfind("sqlite://", 0) == 0) {
    path = url.substr(9);
  } else if (url.rfind("sqlite:", 0) == 0) {
    path = url.substr(7);
  } else if (url.find("://") != std::string::npos) {
    return core::Error::InvalidInput(
        "unsupported database URL scheme; use sqlite:/path/file.db or postgresql://...");
  }
  if (path.empty()) return core::Error::InvalidInput("the SQLite database URL has no file path");
  if (path == ":memory:") {
    return core::Error::InvalidInput(
        "an in-memory SQLite database cannot be shared by a connection pool; use a file");
  }
  return Target{Dialect::kSqlite, path};
}

// A fixed number of sessions shared by threads. A session is opened when first needed, and one
// that broke (lost connection, stuck transaction) is dropped and replaced on the next Acquire.
// A pooled connection: the session and the statements prepared on it (destroyed first).
struct Connection {
  std::unique_ptr<soci::session> session;
  StatementCache cache;
};

class SessionPool {
 public:
  using Connect = std::function<std::unique_ptr<soci::session>()>;

  class Lease {
   public:
    Lease(SessionPool* pool, std::unique_ptr<Connection> session)
        : pool_(pool), session_(std::move(session)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ && session_) pool_->Release(std::move(session_), discard_);
    }
    soci::session& operator*() { return *session_->session; }
    StatementCache& cache() { return session_->cache; }
    void Discard() { discard_ = true; }

   private:
    SessionPool* pool_;
    std::unique_ptr<Connection> session_;
    bool discard_ = false;
  };

  SessionPool(Connect connect, int size) : connect_(std::move(connect)), size_(std::max(1, size)) {}

  void Seed(std::unique_ptr<soci::session> session) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::unique_ptr<Connection>(new Connection{std::move(session), {}}));
    ++open_;
  }

  core::Result<Lease> Acquire() {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, kAcquireTimeout, [&] { return !idle_.empty() || open_ < size_; })) {
      return core::Error{core::ErrorCode::kUnavailable,
                         "the database is busy; try again",
                         "no pooled connection became free in time",
                         {}};
    }
    if (!idle_.empty()) {
      auto session = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(session));
    }
    ++open_;
    lock.unlock();
    try {
      return Lease(this, std::unique_ptr<Connection>(new Connection{connect_(), {}}));
    } catch (const std::exception& e) {
      lock.lock();
      --open_;
      cv_.notify_one();
      return core::Error{
          core::ErrorCode::kUnavailable, "the database is unavailable", e.what(), {}};
    }
  }

 private:
  void Release(std::unique_ptr<Connection> session, bool discard) {
    {
      std::lock_guard lock(mu_);
      if (discard) {
        --open_;
      } else {
        idle_.push_back(std::move(session));
      }
    }
    cv_.notify_one();
    // A discarded session closes here, outside the lock.
  }

  Connect connect_;
  const int size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

thread_local const void* t_active_database = nullptr;

class SqlDatabase final : public Database {
 public:
  SqlDatabase(Dialect dialect, SessionPool::Connect connect, int pool_size,
              std::chrono::milliseconds retry_budget)
      : dialect_(dialect),
        pool_(connect, pool_size),
        // SQLite readers get connections of their own that stay query_only for life: toggling
        // the pragma per transaction would expire every prepared statement on the connection.
        read_pool_(
            [connect] {
              auto session = connect();
              *session << "PRAGMA query_only = 1";
              return session;
            },
            pool_size),
        retry_budget_(retry_budget) {}

  SessionPool& pool() { return pool_; }
  Dialect dialect() const override { return dialect_; }
  std::uint64_t RetryCount() const override { return retries_.load(); }

  core::Status Write(const std::function<core::Status(Tx&)>& fn) override {
    return Run(Mode::kWrite, fn);
  }
  core::Status Read(const std::function<core::Status(Tx&)>& fn) override {
    return Run(Mode::kRead, fn);
  }

  core::Status Ping() override {
    return Read([](Tx& tx) -> core::Status {
      int one = 0;
      tx.sql() << "SELECT 1", soci::into(one);
      if (one != 1) return core::Error::Internal("SELECT 1 returned " + std::to_string(one));
      return core::Ok();
    });
  }

  core::Result<int> SchemaVersion() override {
    int version = 0;
    auto status = Read([&](Tx& tx) -> core::Status {
      version = CurrentVersion(tx);
      return core::Ok();
    });
    if (!status.ok()) return status.error();
    return version;
  }

  core::Status Migrate() override {
    const auto migrations = EmbeddedMigrations(dialect_);
    std::set<int> known;
    for (const auto& m : migrations) {
      if (m.version > 0) known.insert(m.version);
    }
    std::set<int> applied;
    auto status = Read([&](Tx& tx) -> core::Status {
      applied = AppliedVersions(tx);
      return core::Ok();
    });
    if (!status.ok()) return status;
    for (int version : applied) {
      if (!known.contains(version)) {
        return core::Error{core::ErrorCode::kInternal,
                           "the database schema is newer than this build of Cairn",
                           "schema_migrations has version " + std::to_string(version) +
                               ", which this build does not know",
                           {}};
      }
    }
    for (const auto& m : migrations) {
      if (m.version <= 0 || applied.contains(m.version)) continue;
      status = Run(Mode::kMigrate, [&](Tx& tx) -> core::Status {
        if (tx.IsPostgres()) {
          tx.sql() << "SELECT pg_advisory_xact_lock(:key)", soci::use(kMigrationLockKey);
        }
        // Another process may have applied it while this one waited for the lock.
        if (AppliedVersions(tx).contains(m.version)) return core::Ok();
        ExecScript(tx.sql(), dialect_, m.sql);
        const int version = m.version;
        const std::string name(m.name);
        const std::string now = core::FormatTime(std::chrono::system_clock::now());
        tx.sql() << kInsertMigration, soci::use(version), soci::use(name), soci::use(now);
        return core::Ok();
      });
      if (!status.ok()) {
        core::Error error = status.error();
        error.detail = "migration " + std::to_string(m.version) + "_" + std::string(m.name) + ": " +
                       error.detail;
        return error;
      }
    }
    return core::Ok();
  }

  core::Status Backup(const std::string& dest_file) override {
    if (dialect_ != Dialect::kSqlite) {
      return core::Error{core::ErrorCode::kUnavailable,
                         "built-in backup is for SQLite; back up PostgreSQL with pg_dump",
                         "",
                         {}};
    }
    if (dest_file.empty()) return core::Error::InvalidInput("the backup file name is empty");
    namespace fs = std::filesystem;
    const fs::path dest(dest_file);
    const fs::path partial = dest.string() + ".partial";
    std::error_code ec;
    fs::remove(partial, ec);
    auto lease = pool_.Acquire();
    if (!lease.ok()) return lease.error();
    try {
      // VACUUM INTO writes a consistent snapshot while other connections keep writing (WAL).
      const std::string target = partial.string();
      (*lease.value()) << "VACUUM INTO :file", soci::use(target);
    } catch (...) {
      fs::remove(partial, ec);
      Outcome outcome = FromException(std::current_exception());
      return outcome.status;
    }
    const int fd = ::open(partial.c_str(), O_RDONLY);
    const bool synced = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    fs::rename(partial, dest, ec);
    if (!synced || ec) {
      fs::remove(partial, ec);
      return core::Error::Internal("could not write the backup file " + dest.string());
    }
    return core::Ok();
  }

 private:
  static bool HasLedger(Tx& tx) {
    long long count = 0;
    if (tx.IsSqlite()) {
      tx.sql() << kSqliteLedgerExists, soci::into(count);
    } else {
      // A catalog query, not to_regclass(): its cached name lookup can miss a table that another
      // migrator created while this transaction waited for the lock.
      tx.sql() << kPostgresLedgerExists, soci::into(count);
    }
    return count > 0;
  }

  static int CurrentVersion(Tx& tx) {
    if (!HasLedger(tx)) return 0;
    int version = 0;
    tx.sql() << kSelectSchemaVersion, soci::into(version);
    return version;
  }

  static std::set<int> AppliedVersions(Tx& tx) {
    std::set<int> versions;
    if (!HasLedger(tx)) return versions;
    int version = 0;
    soci::statement select = (tx.sql().prepare << kSelectAppliedVersions, soci::into(version));
    select.execute();
    while (select.fetch()) versions.insert(version);
    return versions;
  }

  core::Status Run(Mode mode, const std::function<core::Status(Tx&)>& fn) {
    if (t_active_database == this) {
      return core::Error::Internal(
          "a database transaction was started inside another on the same thread");
    }
    struct Reset {
      const void* previous;
      ~Reset() { t_active_database = previous; }
    } reset{t_active_database};
    t_active_database = this;

    const auto deadline = std::chrono::steady_clock::now() + retry_budget_;
    for (int attempt = 1;; ++attempt) {
      Outcome outcome = RunOnce(mode, fn);
      if (!outcome.retryable || attempt == kMaxAttempts ||
          std::chrono::steady_clock::now() >= deadline) {
        return std::move(outcome.status);
      }
      retries_.fetch_add(1);
      Backoff(attempt);
    }
  }

  // Exponential backoff with jitter, so competing writers stop colliding in lockstep.
  static void Backoff(int attempt) {
    thread_local std::minstd_rand random{std::random_device{}()};
    const int ceiling_ms = std::min(kMaxBackoffMs, 2 << std::min(attempt, 10));
    std::uniform_int_distribution<int> pick(1, ceiling_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(pick(random)));
  }

  Outcome RunOnce(Mode mode, const std::function<core::Status(Tx&)>& fn) {
    auto lease = mode == Mode::kRead && dialect_ == Dialect::kSqlite ? read_pool_.Acquire() : pool_.Acquire();
    if (!lease.ok()) return {lease.error()};
    soci::session& session = *lease.value();
    Outcome outcome{core::Ok()};
    try {
      Begin(lease.value(), mode);
    } catch (const soci::soci_error& e) {
      outcome = FromException(std::current_exception());
      // Nothing ran yet, so a connection that died while idle (server restart) is simply replaced.
      if (Classify(e) == Failure::kConnection) {
        lease.value().Discard();
        outcome.retryable = true;
        return outcome;
      }
      EndFailed(lease.value(), mode);
      return outcome;
    } catch (...) {
      outcome = FromException(std::current_exception());
      EndFailed(lease.value(), mode);
      return outcome;
    }
    Tx tx(session, dialect_, lease.value().cache());
    try {
      outcome.status = fn(tx);
      if (outcome.status.ok()) {
        Command(lease.value(), kCommit);
        // PG: a serialization failure can surface at COMMIT too; it is caught below.
        if (!SessionIsClean(session, dialect_)) lease.value().Discard();
        return outcome;
      }
    } catch (...) {
      outcome = FromException(std::current_exception());
    }
    EndFailed(lease.value(), mode);
    return outcome;
  }

  // Transaction control runs on every request, so it goes through the connection's prepared
  // statements rather than being parsed again each time.
  static constexpr const char* kCommit = "COMMIT";
  static constexpr const char* kBeginImmediate = "BEGIN IMMEDIATE";
  static constexpr const char* kBeginDeferred = "BEGIN";
  static constexpr const char* kBeginSerializable = "BEGIN ISOLATION LEVEL SERIALIZABLE";
  static constexpr const char* kBeginSnapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  static constexpr const char* kBeginReadCommitted = "BEGIN ISOLATION LEVEL READ COMMITTED";

  static void Command(SessionPool::Lease& lease, const char* sql) {
    lease.cache().Get<CachedCommand>(sql, [&] { return new CachedCommand(*lease, sql); }).Run();
  }

  void Begin(SessionPool::Lease& lease, Mode mode) {
    if (dialect_ == Dialect::kSqlite) {
      if (mode != Mode::kRead) {
        // IMMEDIATE takes the write lock up front, waiting up to busy_timeout, so two writers
        // never both read and then fail to upgrade with SQLITE_BUSY.
        Command(lease, kBeginImmediate);
      } else {
        Command(lease, kBeginDeferred);
      }
      return;
    }
    switch (mode) {
      case Mode::kWrite:
        Command(lease, kBeginSerializable);
        break;
      case Mode::kRead:
        Command(lease, kBeginSnapshot);
        break;
      case Mode::kMigrate:
        Command(lease, kBeginReadCommitted);
        break;
    }
  }

  // Rolls back after an error; a session that cannot be brought back to a clean state is dropped.
  void EndFailed(SessionPool::Lease& lease, Mode mode) {
    soci::session& session = *lease;
    try {
      if (!SessionIsClean(session, dialect_)) session << "ROLLBACK";
    } catch (...) {
      lease.Discard();
      return;
    }
    if (!SessionIsClean(session, dialect_)) lease.Discard();
  }

  Dialect dialect_;
  SessionPool pool_;
  SessionPool read_pool_;
  const std::chrono::milliseconds retry_budget_;
  std::atomic<std::uint64_t> retries_{0};
};

void ConfigureSqlite(soci::session& session, std::chrono::milliseconds busy_timeout) {
  sqlite_api::sqlite3* conn = SqliteHandle(session);
  sqlite_api::sqlite3_extended_result_codes(conn, 1);
  sqlite_api::sqlite3_busy_timeout(conn, static_cast<int>(busy_timeout.count()));
  ExecScript(session, Dialect::kSqlite,
             "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
             // Reads through a memory map instead of a pread per page: the pages live once in the
             // OS page cache, shared by every connection, instead of in small per-connection caches.
             "PRAGMA mmap_size = 1073741824;");
}

void ConfigurePostgres(soci::session& session, const std::string& schema,
                       std::chrono::milliseconds busy_timeout) {
  // libpq prints NOTICEs ("relation already exists, skipping") to stderr by default.
  // The application name tells Cairn's connections apart in pg_stat_activity (and the tests'
  // schemas from each other).
  std::string setup = "SET client_min_messages = warning; SET application_name = 'cairn" +
                      (schema.empty() ? std::string() : "/" + schema) + "';";
  // Waiting for another writer's lock is bounded like SQLite's busy timeout.
  setup += "SET lock_timeout = " + std::to_string(busy_timeout.count()) + ";";
  if (!schema.empty()) setup += "SET search_path TO \"" + schema + "\";";
  ExecScript(session, Dialect::kPostgres, setup);
}

}  // namespace

core::Status Tx::Attempt(const std::function<core::Status(Tx&)>& fn) {
  const std::string name = "cairn_attempt_" + std::to_string(++savepoints_);
  struct Depth {
    int& depth;
    ~Depth() { --depth; }
  } depth{savepoints_};
  sql_ << "SAVEPOINT " + name;
  core::Status status = core::Ok();
  try {
    status = fn(*this);
    if (status.ok()) {
      sql_ << "RELEASE SAVEPOINT " + name;
      return status;
    }
  } catch (...) {
    Outcome outcome = FromException(std::current_exception());
    if (outcome.retryable) throw;  // the whole transaction must run again
    status = std::move(outcome.status);
  }
  sql_ << "ROLLBACK TO SAVEPOINT " + name;
  sql_ << "RELEASE SAVEPOINT " + name;
  return status;
}

core::Result<std::unique_ptr<Database>> Database::Open(const std::string& url,
                                                       DatabaseOptions options) {
  auto target = ParseUrl(url);
  if (!target.ok()) return target.error();
  if (options.pool_size < 1) return core::Error::InvalidInput("pool_size must be at least 1");
  const Dialect dialect = target->dialect;
  if (!options.pg_schema.empty() && !IsSafeIdentifier(options.pg_schema)) {
    return core::Error::InvalidInput("pg_schema must be a lower-case SQL identifier");
  }

  SessionPool::Connect connect;
  if (dialect == Dialect::kSqlite) {
    connect = [path = target->location, timeout = options.busy_timeout] {
      auto session = std::make_unique<soci::session>(soci::sqlite3, SqliteConnectString(path));
      ConfigureSqlite(*session, timeout);
      return session;
    };
  } else {
    connect = [conninfo = target->location, schema = options.pg_schema,
               timeout = options.busy_timeout] {
      auto session = std::make_unique<soci::session>(soci::postgresql, conninfo);
      ConfigurePostgres(*session, schema, timeout);
      return session;
    };
  }

  // Open one session now, so a wrong path or an unreachable server is reported at start-up.
  std::unique_ptr<soci::session> first;
  try {
    if (dialect == Dialect::kPostgres && !options.pg_schema.empty()) {
      soci::session admin(soci::postgresql, target->location);
      ExecScript(admin, dialect,
                 "SET client_min_messages = warning; CREATE SCHEMA IF NOT EXISTS \"" +
                     options.pg_schema + "\";");
    }
    first = connect();
  } catch (const std::exception& e) {
    std::string where = dialect == Dialect::kSqlite ? "the SQLite database " + target->location
                                                    : "the PostgreSQL server";
    return core::Error{core::ErrorCode::kUnavailable, "cannot open " + where, e.what(), {}};
  }
  auto database = std::make_unique<SqlDatabase>(dialect, std::move(connect), options.pool_size,
                                                options.busy_timeout);
  database->pool().Seed(std::move(first));
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace cairn::storage
