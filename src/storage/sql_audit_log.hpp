#pragma once
// core::AuditLog over the audit_log table, writing inside the caller's transaction so a state
// change and its record commit or roll back together.
#include <string>
#include <vector>

#include "core/ports/transaction.hpp"
#include "storage/database.hpp"

namespace cairn::storage {

class SqlAuditLog final : public core::AuditLog {
 public:
  explicit SqlAuditLog(Tx& tx) : tx_(tx) {}

  // Throws std::invalid_argument for a record without actor, action, entity or time, or whose
  // detail is not a JSON object; the enclosing Write then rolls back with kInternal.
  void Append(const core::AuditRecord& record) override;

  // The records about one entity, oldest first.
  std::vector<core::AuditRecord> ForEntity(const std::string& entity_type,
                                           const std::string& entity_id);

 private:
  Tx& tx_;
};

}  // namespace cairn::storage
