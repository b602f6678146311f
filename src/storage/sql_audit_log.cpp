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

  // Every state change writes a record, bulk issuing one per award: prepared once per connection.
  struct Insert {
    std::string at, actor, action, entity_type, entity_id, from, to, detail;
    soci::indicator from_ind = soci::i_ok;
    soci::indicator to_ind = soci::i_ok;
    soci::statement st;
    explicit Insert(soci::session& sql)
        : st((sql.prepare << kInsertAuditRecord, soci::use(at, "at"), soci::use(actor, "actor_id"),
              soci::use(action, "action"), soci::use(entity_type, "entity_type"),
              soci::use(entity_id, "entity_id"), soci::use(from, from_ind, "from_state"),
              soci::use(to, to_ind, "to_state"), soci::use(detail, "detail"))) {}
  };
  auto& q = tx_.cache().Get<Insert>(kInsertAuditRecord, [&] { return new Insert(tx_.sql()); });
  q.at = core::FormatTime(record.at);
  q.actor = record.actor_id;
  q.action = record.action;
  q.entity_type = record.entity_type;
  q.entity_id = record.entity_id;
  // An empty state is "not a state change" and is stored as NULL.
  q.from = record.from_state;
  q.from_ind = record.from_state.empty() ? soci::i_null : soci::i_ok;
  q.to = record.to_state;
  q.to_ind = record.to_state.empty() ? soci::i_null : soci::i_ok;
  q.detail = detail;
  q.st.execute(true);
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
