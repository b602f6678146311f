#include "storage/sql_idempotency_store.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

namespace cairn::storage {
namespace {

constexpr const char* kSelectKey =
    "SELECT fingerprint, owner, state, reserved_at, expires_at, status, headers, body "
    "FROM idempotency_keys WHERE scope = :scope AND idem_key = :idem_key";
constexpr const char* kInsertKey =
    "INSERT INTO idempotency_keys (scope, idem_key, fingerprint, owner, state, reserved_at, "
    "expires_at) VALUES (:scope, :idem_key, :fingerprint, :owner, 'running', :reserved_at, "
    ":expires_at)";
constexpr const char* kTakeOver =
    "UPDATE idempotency_keys SET fingerprint = :fingerprint, owner = :owner, state = 'running', "
    "reserved_at = :reserved_at, expires_at = :expires_at, status = NULL, headers = NULL, "
    "body = NULL WHERE scope = :scope AND idem_key = :idem_key";
constexpr const char* kComplete =
    "UPDATE idempotency_keys SET state = 'done', status = :status, headers = :headers, "
    "body = :body WHERE scope = :scope AND idem_key = :idem_key AND owner = :owner "
    "AND state = 'running'";
constexpr const char* kRelease =
    "DELETE FROM idempotency_keys WHERE scope = :scope AND idem_key = :idem_key "
    "AND owner = :owner AND state = 'running'";
constexpr const char* kPrune = "DELETE FROM idempotency_keys WHERE expires_at <= :now";

std::string NewOwnerToken() {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::random_device random;
  std::string token = "proc_";
  for (int i = 0; i < 24; ++i) token += kDigits[random() % 16];
  return token;
}

std::string EncodeHeaders(const core::StoredResponse& response) {
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [name, value] : response.headers) headers.push_back({name, value});
  return headers.dump();
}

std::vector<std::pair<std::string, std::string>> DecodeHeaders(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) throw std::runtime_error("idempotency_keys holds unreadable headers");
  for (const auto& field : parsed) {
    if (!field.is_array() || field.size() != 2 || !field[0].is_string() || !field[1].is_string())
      throw std::runtime_error("idempotency_keys holds an unreadable header field");
    out.emplace_back(field[0].get<std::string>(), field[1].get<std::string>());
  }
  return out;
}

core::TimePoint ReadTime(const std::string& text) {
  core::TimePoint t;
  if (!core::ParseTime(text, t))
    throw std::runtime_error("idempotency_keys holds an unreadable time");
  return t;
}

}  // namespace

SqlIdempotencyStore::SqlIdempotencyStore(Database& db, IdempotencyStoreOptions options)
    : db_(db), options_(options), owner_(NewOwnerToken()) {}

core::Result<core::Reservation> SqlIdempotencyStore::Reserve(const core::IdempotencyKeyRef& ref,
                                                             const std::string& fingerprint,
                                                             core::TimePoint now,
                                                             core::TimePoint expires_at) {
  core::Reservation result;
  const std::string now_text = core::FormatTime(now);
  const std::string expires_text = core::FormatTime(expires_at);
  auto status = db_.Write([&](Tx& tx) -> core::Status {
    result = {};
    std::string stored_fingerprint, owner, state, reserved_at, stored_expires, headers, body;
    int response_status = 0;
    soci::indicator status_ind = soci::i_null, headers_ind = soci::i_null, body_ind = soci::i_null;
    soci::statement select =
        (tx.sql().prepare << kSelectKey, soci::into(stored_fingerprint), soci::into(owner),
         soci::into(state), soci::into(reserved_at), soci::into(stored_expires),
         soci::into(response_status, status_ind), soci::into(headers, headers_ind),
         soci::into(body, body_ind), soci::use(ref.scope), soci::use(ref.key));
    select.execute();
    const bool found = select.fetch();
    while (select.fetch()) {
    }
    if (!found) {
      tx.sql() << kInsertKey, soci::use(ref.scope), soci::use(ref.key), soci::use(fingerprint),
          soci::use(owner_), soci::use(now_text), soci::use(expires_text);
      result.outcome = core::ReservationOutcome::kReserved;
      return core::Ok();
    }

    const bool expired = ReadTime(stored_expires) <= now;
    bool take_over = expired;
    if (!expired) {
      if (stored_fingerprint != fingerprint) {
        result.outcome = core::ReservationOutcome::kMismatch;
        return core::Ok();
      }
      if (state == "done") {
        core::StoredResponse response;
        response.status = response_status;
        if (headers_ind == soci::i_ok) response.headers = DecodeHeaders(headers);
        if (body_ind == soci::i_ok) response.body = body;
        response.withheld = body_ind != soci::i_ok;
        result.outcome = core::ReservationOutcome::kReplay;
        result.response = std::move(response);
        return core::Ok();
      }
      const bool abandoned = owner != owner_ && (options_.single_process ||
                                                 ReadTime(reserved_at) + options_.lease <= now);
      if (!abandoned) {
        result.outcome = core::ReservationOutcome::kInProgress;
        return core::Ok();
      }
      take_over = true;
    }
    if (take_over) {
      tx.sql() << kTakeOver, soci::use(fingerprint), soci::use(owner_), soci::use(now_text),
          soci::use(expires_text), soci::use(ref.scope), soci::use(ref.key);
      result.outcome = core::ReservationOutcome::kReserved;
    }
    return core::Ok();
  });
  if (!status) {
    // Two first requests raced to insert: the other one holds the key now.
    if (status.error().code == core::ErrorCode::kConflict)
      return core::Reservation{core::ReservationOutcome::kInProgress, std::nullopt};
    return status.error();
  }
  return result;
}

core::Status SqlIdempotencyStore::Complete(const core::IdempotencyKeyRef& ref,
                                           const core::StoredResponse& response) {
  const std::string headers = response.withheld ? "[]" : EncodeHeaders(response);
  // A NULL body marks a withheld response.
  soci::indicator body_ind = response.withheld ? soci::i_null : soci::i_ok;
  return db_.Write([&](Tx& tx) -> core::Status {
    soci::statement update = (tx.sql().prepare << kComplete, soci::use(response.status),
                              soci::use(headers), soci::use(response.body, body_ind),
                              soci::use(ref.scope), soci::use(ref.key), soci::use(owner_));
    update.execute(true);
    if (update.get_affected_rows() != 1)
      return core::Error::Conflict("the idempotency reservation is no longer held");
    return core::Ok();
  });
}

core::Status SqlIdempotencyStore::Release(const core::IdempotencyKeyRef& ref) {
  return db_.Write([&](Tx& tx) -> core::Status {
    tx.sql() << kRelease, soci::use(ref.scope), soci::use(ref.key), soci::use(owner_);
    return core::Ok();
  });
}

core::Result<std::int64_t> SqlIdempotencyStore::Prune(core::TimePoint now) {
  std::int64_t removed = 0;
  const std::string now_text = core::FormatTime(now);
  auto status = db_.Write([&](Tx& tx) -> core::Status {
    soci::statement prune = (tx.sql().prepare << kPrune, soci::use(now_text));
    prune.execute(true);
    removed = prune.get_affected_rows();
    return core::Ok();
  });
  if (!status) return status.error();
  return removed;
}

}  // namespace cairn::storage
