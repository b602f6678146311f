#include "storage/sql_audit_log.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace cairn::storage {
namespace {

constexpr const char* kInsertAuditRecord =
    "INSERT INTO audit_log (at, actor_id, action, entity_type, entity_id, from_state, to_state, "
    "detail) VALUES (:at, :actor_id, :action, :entity_type, :entity_id, :from_state, :to_state, "
    ":detail)";

constexpr const char* kSelectAuditByEntity =
    "SELECT at, actor_id, action, entity_type, entity_id, from_state, to_state, detail "
    "FROM audit_log WHERE entity_type = :entity_type AND entity_id = :entity_id ORDER BY id";

void Require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("audit record: ") + what);
}

}  // namespace

void SqlAuditLog::Append(const core::AuditRecord& record) {
  Require(!record.actor_id.empty(), "actor_id is empty");
  Require(!record.action.empty(), "action is empty");
  Require(!record.entity_type.empty(), "entity_type is empty");
  Require(!record.entity_id.empty(), "entity_id is empty");
  Require(record.at != core::TimePoint{}, "time is not set");
  const std::string detail = record.detail_json.empty() ? "{}" : record.detail_json;
  const auto parsed = nlohmann::json::parse(detail, nullptr, /*allow_exceptions=*/false);
  Require(parsed.is_object(), "detail_json is not a JSON object");

  const std::string at = core::FormatTime(record.at);
  // An empty state is "not a state change" and is stored as NULL.
  soci::indicator from_ind = record.from_state.empty() ? soci::i_null : soci::i_ok;
  soci::indicator to_ind = record.to_state.empty() ? soci::i_null : soci::i_ok;
  tx_.sql() << kInsertAuditRecord, soci::use(at), soci::use(record.actor_id),
      soci::use(record.action), soci::use(record.entity_type), soci::use(record.entity_id),
      soci::use(record.from_state, from_ind), soci::use(record.to_state, to_ind), soci::use(detail);
}

std::vector<core::AuditRecord> SqlAuditLog::ForEntity(const std::string& entity_type,
                                                      const std::string& entity_id) {
  std::vector<core::AuditRecord> records;
  core::AuditRecord row;
  std::string at;
  soci::indicator from_ind = soci::i_ok;
  soci::indicator to_ind = soci::i_ok;
  soci::statement select =
      (tx_.sql().prepare << kSelectAuditByEntity, soci::into(at), soci::into(row.actor_id),
       soci::into(row.action), soci::into(row.entity_type), soci::into(row.entity_id),
       soci::into(row.from_state, from_ind), soci::into(row.to_state, to_ind),
       soci::into(row.detail_json), soci::use(entity_type), soci::use(entity_id));
  select.execute();
  while (select.fetch()) {
    core::AuditRecord record = row;
    if (from_ind == soci::i_null) record.from_state.clear();
    if (to_ind == soci::i_null) record.to_state.clear();
    if (!core::ParseTime(at, record.at)) {
      throw std::runtime_error("audit_log holds an unreadable time: " + at);
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace cairn::storage
