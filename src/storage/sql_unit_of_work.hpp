#pragma once
// core::UnitOfWork over a Database: each transaction hands the use case the SQL repositories and
// the audit log, all bound to the same open transaction.
#include "core/ports/transaction.hpp"
#include "storage/database.hpp"

namespace cairn::storage {

class SqlUnitOfWork final : public core::UnitOfWork {
 public:
  explicit SqlUnitOfWork(Database& database) : database_(database) {}

  core::Status Write(const std::function<core::Status(core::Transaction&)>& fn) override;
  core::Status Read(const std::function<core::Status(core::Transaction&)>& fn) override;

 private:
  Database& database_;
};

}  // namespace cairn::storage
