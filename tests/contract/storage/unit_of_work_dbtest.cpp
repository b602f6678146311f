// SqlUnitOfWork: the port the use cases see. One transaction carries the repositories and the
// audit log, so a change and its audit record commit or roll back together.
#include <stdexcept>

#include "core/identity/repository.hpp"
#include "core/identity/user.hpp"
#include "storage/sql_audit_log.hpp"
#include "storage/sql_unit_of_work.hpp"
#include "storage_contract.hpp"

namespace cairn::storage {
namespace {

core::AuditRecord Record(const std::string& entity_id) {
  core::AuditRecord record;
  record.actor_id = "system";
  record.action = "submission.decide";
  record.entity_type = "submission";
  record.entity_id = entity_id;
  record.from_state = "in_review";
  record.to_state = "accepted";
  record.at = std::chrono::system_clock::now();
  return record;
}

std::size_t AuditCount(Database& db, const std::string& entity_id) {
  std::size_t count = 0;
  auto status = db.Read([&](Tx& tx) -> core::Status {
    count = SqlAuditLog(tx).ForEntity("submission", entity_id).size();
    return core::Ok();
  });
  EXPECT_TRUE(status.ok()) << Describe(status.error());
  return count;
}

TEST_P(StorageContract, UnitOfWorkCommitsAuditWithTheTransaction) {
  SqlUnitOfWork uow(db());
  auto status = uow.Write([](core::Transaction& tx) -> core::Status {
    tx.Audit().Append(Record("sub_ok"));
    return core::Ok();
  });
  ASSERT_TRUE(status.ok()) << Describe(status.error());
  EXPECT_EQ(AuditCount(db(), "sub_ok"), 1u);
}

TEST_P(StorageContract, UnitOfWorkRollsBackOnErrorAndOnException) {
  SqlUnitOfWork uow(db());
  auto refused = uow.Write([](core::Transaction& tx) -> core::Status {
    tx.Audit().Append(Record("sub_no"));
    return core::Error::InvalidState("the submission was withdrawn");
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidState);
  auto thrown = uow.Write([](core::Transaction& tx) -> core::Status {
    tx.Audit().Append(Record("sub_no"));
    throw std::logic_error("bug in a use case");
  });
  ASSERT_FALSE(thrown.ok());
  EXPECT_EQ(thrown.error().code, core::ErrorCode::kInternal);
  EXPECT_EQ(AuditCount(db(), "sub_no"), 0u);
}

core::identity::User NewUser(const std::string& id) {
  core::identity::User user;
  user.id = id;
  user.email = id + "@example.org";
  user.display_name = "Test " + id;
  user.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  user.created_at = std::chrono::system_clock::now();
  user.updated_at = user.created_at;
  return user;
}

// The repositories and the audit log share the one transaction: the repository change and the
// audit record commit together, and both vanish when a later step fails.
TEST_P(StorageContract, UnitOfWorkRepositoriesShareTheTransaction) {
  SqlUnitOfWork uow(db());
  auto kept = uow.Write([](core::Transaction& tx) -> core::Status {
    tx.Identity().InsertUser(NewUser("usr_uowkept"));
    tx.Audit().Append(Record("usr_uowkept"));
    return core::Ok();
  });
  ASSERT_TRUE(kept.ok()) << Describe(kept.error());
  auto failed = uow.Write([](core::Transaction& tx) -> core::Status {
    tx.Identity().InsertUser(NewUser("usr_uowgone"));
    tx.Audit().Append(Record("usr_uowgone"));
    tx.Identity().InsertUser(NewUser("usr_uowkept"));  // same id and email: unique violation
    return core::Ok();
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, core::ErrorCode::kConflict);

  bool kept_found = false, gone_found = true;
  auto read = uow.Read([&](core::Transaction& tx) -> core::Status {
    kept_found = tx.Identity().FindUserById("usr_uowkept").has_value();
    gone_found = tx.Identity().FindUserById("usr_uowgone").has_value();
    return core::Ok();
  });
  ASSERT_TRUE(read.ok()) << Describe(read.error());
  EXPECT_TRUE(kept_found);
  EXPECT_FALSE(gone_found);
  EXPECT_EQ(AuditCount(db(), "usr_uowkept"), 1u);
  EXPECT_EQ(AuditCount(db(), "usr_uowgone"), 0u);
}

TEST_P(StorageContract, UnitOfWorkReadCannotWrite) {
  SqlUnitOfWork uow(db());
  auto status = uow.Read([](core::Transaction& tx) -> core::Status {
    tx.Audit().Append(Record("sub_read"));
    return core::Ok();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(AuditCount(db(), "sub_read"), 0u);
}

}  // namespace
}  // namespace cairn::storage
