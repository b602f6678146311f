#include "storage/sql_unit_of_work.hpp"

#include "storage/catalog_repository.hpp"
#include "storage/identity_repository.hpp"
#include "storage/sql_audit_log.hpp"

namespace cairn::storage {
namespace {

// Lives for one run of the transaction function; the repositories only hold the Tx.
class SqlTransaction final : public core::Transaction {
 public:
  explicit SqlTransaction(Tx& tx) : identity_(tx), catalog_(tx), audit_(tx) {}

  core::identity::IdentityRepository& Identity() override { return identity_; }
  core::catalog::CatalogRepository& Catalog() override { return catalog_; }
  core::AuditLog& Audit() override { return audit_; }

 private:
  SqlIdentityRepository identity_;
  SqlCatalogRepository catalog_;
  SqlAuditLog audit_;
};

}  // namespace

core::Status SqlUnitOfWork::Write(const std::function<core::Status(core::Transaction&)>& fn) {
  return database_.Write([&](Tx& tx) {
    SqlTransaction transaction(tx);
    return fn(transaction);
  });
}

core::Status SqlUnitOfWork::Read(const std::function<core::Status(core::Transaction&)>& fn) {
  return database_.Read([&](Tx& tx) {
    SqlTransaction transaction(tx);
    return fn(transaction);
  });
}

}  // namespace cairn::storage
