#pragma once
// One relational store behind SOCI, on SQLite (a single file) or PostgreSQL 15. Repositories take a
// Tx& and write plain SQL with `:name` placeholders; SOCI rewrites them per backend. Bind integers
// through into()/use() with fixed C++ types (std::int64_t), never soci::row::get, because the two
// backends report different integer types. Times are stored as RFC 3339 UTC text
// (core::FormatTime) in both dialects. Migrations live in src/storage/migrations/{sqlite,postgres}/
// as NNNN_name.sql, the same versions in both folders; each runs inside one transaction.
#include <soci/soci.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/common/result.hpp"

namespace cairn::storage {

enum class Dialect { kSqlite, kPostgres };

struct DatabaseOptions {
  int pool_size = 4;
  // How long a transaction may wait for the database: SQLite's busy timeout for the write lock,
  // and the time within which busy/serialization failures are retried.
  std::chrono::milliseconds busy_timeout{5000};
  // PostgreSQL only: the schema to create (if missing) and put first on search_path. Tests use a
  // fresh schema each so they can run against one shared server in isolation.
  std::string pg_schema;
};

// Statements prepared once per pooled connection and re-executed, because SOCI prepares every
// `session << sql` afresh and parsing dominates a point query's cost. An entry owns its statement
// and the variables bound to it. Destroyed before its connection.
class StatementCache {
 public:
  // The entry for key (the address of a SQL constant), made by make() on first use.
  template <class T, class Make>
  T& Get(const void* key, Make&& make) {
    auto& slot = entries_[key];
    if (!slot) slot = std::shared_ptr<T>(make());
    return *static_cast<T*>(slot.get());
  }
  void Clear() { entries_.clear(); }

 private:
  std::unordered_map<const void*, std::shared_ptr<void>> entries_;
};

// A statement with no parameters or results (BEGIN, COMMIT, PRAGMA …), prepared once.
struct CachedCommand {
  soci::statement statement;
  CachedCommand(soci::session& session, const char* sql) : statement((session.prepare << sql)) {}
  void Run() { statement.execute(true); }
};

// One open transaction on one pooled session. Statements that fail throw (soci::soci_error);
// Database::Write/Read catch that and map it to a core::Error, so repositories need no try/catch.
class Tx {
 public:
  Tx(soci::session& session, Dialect dialect, StatementCache& cache)
      : sql_(session), dialect_(dialect), cache_(cache) {}
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  soci::session& sql() { return sql_; }
  // Prepared statements of this connection, for hot queries (see StatementCache).
  StatementCache& cache() { return cache_; }
  Dialect dialect() const { return dialect_; }
  bool IsSqlite() const { return dialect_ == Dialect::kSqlite; }
  bool IsPostgres() const { return dialect_ == Dialect::kPostgres; }

  // Runs fn inside a SAVEPOINT. On an error or exception only fn's changes are undone, the error
  // comes back mapped as in Database::Write, and the transaction stays usable (PostgreSQL would
  // otherwise refuse every later statement). For "insert, and if the key exists say so".
  core::Status Attempt(const std::function<core::Status(Tx&)>& fn);

 private:
  soci::session& sql_;
  Dialect dialect_;
  StatementCache& cache_;
  int savepoints_ = 0;
};

class Database {
 public:
  virtual ~Database() = default;

  // "sqlite:/path/file.db", "sqlite:///path/file.db", a bare path (SQLite), or
  // "postgresql://user@host:port/db" (also "postgres://"). An unset URL is the caller's business.
  static core::Result<std::unique_ptr<Database>> Open(const std::string& url,
                                                      DatabaseOptions options = {});

  virtual Dialect dialect() const = 0;

  // Applies the pending embedded migrations for this dialect in version order, each in its own
  // transaction, and records them in schema_migrations. Running it again is a no-op.
  virtual core::Status Migrate() = 0;
  // The highest applied migration version; 0 for an empty database.
  virtual core::Result<int> SchemaVersion() = 0;
  // Cheap round trip for /readyz.
  virtual core::Status Ping() = 0;
  // SQLite: an online, consistent copy into dest_file (overwritten). PostgreSQL: kUnavailable
  // (use pg_dump).
  virtual core::Status Backup(const std::string& dest_file) = 0;

  // One transaction (SQLite: BEGIN IMMEDIATE; PG: BEGIN ISOLATION LEVEL SERIALIZABLE, so both
  // dialects give the same guarantees to read-then-write code). Commits when fn returns ok, rolls
  // back when it returns an error or throws. Driver errors become core::Error: unique / foreign-key
  // violation -> kConflict with a safe message; SQLITE_BUSY, PG serialization failure or deadlock
  // -> retried with backoff for up to busy_timeout (fn runs again), then kUnavailable; anything
  // else -> kInternal with the driver message and statement (never the bound values) only in
  // Error::detail. Because of the retry, fn may run more than once: keep side effects outside the
  // database (mail, files) out of it. Calling Write or Read again from inside fn on the same
  // Database is refused (kInternal) instead of waiting for a second connection.
  virtual core::Status Write(const std::function<core::Status(Tx&)>& fn) = 0;
  // A read-only transaction with a consistent snapshot (SQLite: BEGIN DEFERRED; PG: REPEATABLE
  // READ, READ ONLY). Writing inside it fails.
  virtual core::Status Read(const std::function<core::Status(Tx&)>& fn) = 0;

  // How many times a transaction was run again after a busy/serialization failure, since Open.
  virtual std::uint64_t RetryCount() const = 0;
};

}  // namespace cairn::storage
