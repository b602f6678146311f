#include "storage_contract.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>

namespace cairn::storage {
namespace {

const char* kPgUrlVariable = "CAIRN_TEST_PG_URL";

std::string RandomSuffix() {
  static std::mt19937_64 random{std::random_device{}()};
  std::uniform_int_distribution<std::uint64_t> pick;
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(pick(random)));
  return std::to_string(::getpid()) + "_" + buffer;
}

}  // namespace

std::string Describe(const core::Error& error) {
  return "code " + std::to_string(static_cast<int>(error.code)) + ", message \"" + error.message +
         "\", detail \"" + error.detail + "\"";
}

StorageContract::Place StorageContract::NewPlace() {
  Place place;
  if (GetParam() == Dialect::kSqlite) {
    const auto dir = std::filesystem::temp_directory_path() / ("cairn-contract-" + RandomSuffix());
    std::filesystem::create_directories(dir);
    place.sqlite_dir = dir.string();
    place.url = "sqlite:" + (dir / "cairn.db").string();
  } else {
    const char* url = std::getenv(kPgUrlVariable);
    if (url == nullptr || *url == '\0') return place;
    place.url = url;
    place.pg_schema = "contract_" + RandomSuffix();
  }
  places_.push_back(place);
  return place;
}

void StorageContract::SetUp() {
  if (GetParam() == Dialect::kPostgres && std::getenv(kPgUrlVariable) == nullptr) {
    FAIL() << kPgUrlVariable
           << " is not set, so the PostgreSQL half of the storage contract cannot "
           << "run. Run scripts/test.sh, or: d=$(mktemp -d); export " << kPgUrlVariable
           << "=$(scripts/pg-cluster.sh $d)";
  }
  main_ = NewPlace();
  ASSERT_FALSE(main_.url.empty()) << kPgUrlVariable << " is empty";
  DatabaseOptions options;
  options.pg_schema = main_.pg_schema;
  auto opened = Database::Open(main_.url, options);
  ASSERT_TRUE(opened.ok()) << Describe(opened.error());
  db_ = std::move(opened.value());
  auto migrated = db_->Migrate();
  ASSERT_TRUE(migrated.ok()) << Describe(migrated.error());
}

void StorageContract::TearDown() {
  db_.reset();
  for (const Place& place : places_) {
    if (!place.sqlite_dir.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(place.sqlite_dir, ec);
    }
    if (!place.pg_schema.empty()) {
      auto admin = Database::Open(place.url, DatabaseOptions{.pool_size = 1});
      auto dropped = admin.ok() ? admin.value()->Write([&](Tx& tx) -> core::Status {
        tx.sql() << "DROP SCHEMA IF EXISTS \"" + place.pg_schema + "\" CASCADE";
        return core::Ok();
      })
                                : core::Status(admin.error());
      EXPECT_TRUE(dropped.ok()) << "could not drop schema " << place.pg_schema << ": "
                                << Describe(dropped.error());
    }
  }
  places_.clear();
}

std::unique_ptr<Database> StorageContract::OpenIsolated(bool migrate, DatabaseOptions options) {
  const Place place = NewPlace();
  options.pg_schema = place.pg_schema;
  auto opened = Database::Open(place.url, options);
  EXPECT_TRUE(opened.ok()) << Describe(opened.error());
  if (!opened.ok()) return nullptr;
  if (migrate) {
    auto migrated = opened.value()->Migrate();
    EXPECT_TRUE(migrated.ok()) << Describe(migrated.error());
  }
  return std::move(opened.value());
}

std::unique_ptr<Database> StorageContract::OpenAt(const Place& place, DatabaseOptions options) {
  options.pg_schema = place.pg_schema;
  auto opened = Database::Open(place.url, options);
  EXPECT_TRUE(opened.ok()) << Describe(opened.error());
  if (!opened.ok()) return nullptr;
  return std::move(opened.value());
}

std::unique_ptr<Database> StorageContract::OpenSame(DatabaseOptions options) {
  return OpenAt(main_, options);
}

std::unique_ptr<Database> StorageContract::OpenLastIsolatedAgain(DatabaseOptions options) {
  return OpenAt(places_.back(), options);
}

void StorageContract::MustWrite(const std::function<core::Status(Tx&)>& fn) {
  auto status = db_->Write(fn);
  ASSERT_TRUE(status.ok()) << Describe(status.error());
}

void StorageContract::MustRead(const std::function<core::Status(Tx&)>& fn) {
  auto status = db_->Read(fn);
  ASSERT_TRUE(status.ok()) << Describe(status.error());
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageContract,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const ::testing::TestParamInfo<Dialect>& info) {
                           return info.param == Dialect::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace cairn::storage
