#pragma once
// The storage contract fixture: every TEST_P(StorageContract, ...) runs once on SQLite and once on
// PostgreSQL, each time on a freshly migrated database of its own (SQLite: a temporary file; PG: a
// fresh schema on the server at CAIRN_TEST_PG_URL, dropped afterwards). Without CAIRN_TEST_PG_URL
// the PostgreSQL runs fail; they never skip.
//
// To add tests: write tests/contract/storage/<area>_dbtest.cpp with TEST_P(StorageContract, ...)
// (inside namespace cairn::storage, or at global scope) and list it from a fragment
// tests/contract/storage/<area>.cmake:
//   list(APPEND STORAGE_CONTRACT_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/<area>_dbtest.cpp)
// Never INSTANTIATE_TEST_SUITE_P again: storage_contract.cpp does it once for both backends.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace cairn::storage {

class StorageContract : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The migrated database of this test.
  Database& db() { return *db_; }
  Dialect dialect() const { return GetParam(); }

  // Another, isolated database of the same dialect (its own file or schema), removed after the
  // test. Not migrated unless asked.
  std::unique_ptr<Database> OpenIsolated(bool migrate, DatabaseOptions options = {});
  // A second handle on this test's database, as a second process would open it.
  std::unique_ptr<Database> OpenSame(DatabaseOptions options = {});
  // A second handle on the database that OpenIsolated created last.
  std::unique_ptr<Database> OpenLastIsolatedAgain(DatabaseOptions options = {});

  // Runs fn in a Write and fails the test (with the error) when it does not succeed.
  void MustWrite(const std::function<core::Status(Tx&)>& fn);
  void MustRead(const std::function<core::Status(Tx&)>& fn);

 private:
  struct Place {
    std::string url;
    std::string pg_schema;
    std::string sqlite_dir;
  };
  Place NewPlace();
  std::unique_ptr<Database> OpenAt(const Place& place, DatabaseOptions options);

  std::unique_ptr<Database> db_;
  Place main_;
  std::vector<Place> places_;
};

// Renders a core::Error for test failure messages.
std::string Describe(const core::Error& error);

}  // namespace cairn::storage

// Lets test files write TEST_P(StorageContract, ...) at global scope too.
using cairn::storage::StorageContract;
