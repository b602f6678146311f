#include <algorithm>
#include <stdexcept>

#include "core/ports/jobs.hpp"
#include "storage/repositories.hpp"

namespace cairn::storage {
namespace {

using core::TimePoint;
using core::jobs::Job;

constexpr const char* kInsert =
    "INSERT INTO jobs (kind, payload, run_at, attempts, state) VALUES (:kind, :payload, :run_at, 0, "
    "'pending')";
// Due pending jobs, and running ones whose worker let the lease lapse (it crashed or hung). The
// claim counts as an attempt, so a job that kills its worker every time still runs out of tries.
#define CAIRN_CLAIM_SET(lock)                                                              \
  "UPDATE jobs SET state = 'running', locked_until = :lease, attempts = attempts + 1 "     \
  "WHERE id IN (SELECT id FROM jobs WHERE (state = 'pending' AND run_at <= :now1) OR "     \
  "(state = 'running' AND locked_until <= :now2) ORDER BY run_at, id LIMIT :limit" lock ") "
constexpr const char* kClaimSqlite = CAIRN_CLAIM_SET("") "RETURNING id, kind, payload, run_at, attempts";
// SKIP LOCKED: concurrent claimers in other processes pass over rows one of them holds instead of
// waiting for it, and never both get one row.
constexpr const char* kClaimPostgres =
    CAIRN_CLAIM_SET(" FOR UPDATE SKIP LOCKED") "RETURNING id, kind, payload::text, run_at, attempts";
#undef CAIRN_CLAIM_SET
constexpr const char* kComplete =
    "UPDATE jobs SET state = 'done', locked_until = NULL, last_error = NULL WHERE id = :id";
constexpr const char* kRetry =
    "UPDATE jobs SET state = 'pending', run_at = :run_at, locked_until = NULL, last_error = :error "
    "WHERE id = :id";
constexpr const char* kFail =
    "UPDATE jobs SET state = 'failed', locked_until = NULL, last_error = :error WHERE id = :id";
constexpr const char* kReleaseRunning =
    "UPDATE jobs SET state = 'pending', run_at = :run_at, locked_until = NULL WHERE state = 'running'";
constexpr const char* kPurgeClosed =
    "DELETE FROM jobs WHERE state IN ('done', 'failed') AND run_at < :before";
constexpr const char* kCountOpen =
    "SELECT count(*) FROM jobs WHERE kind = :kind AND state IN ('pending', 'running')";

TimePoint Time(const std::string& text) {
  TimePoint t{};
  if (!core::ParseTime(text, t)) throw std::runtime_error("unreadable time in database: " + text);
  return t;
}

void ExpectOneRow(soci::statement& st, const char* what) {
  if (st.get_affected_rows() != 1) throw std::runtime_error(std::string(what) + ": no such job");
}

// Errors can quote anything a handler saw; keep the row small.
std::string Trim(const std::string& error) {
  constexpr std::size_t kMaxError = 2000;
  return error.size() <= kMaxError ? error : error.substr(0, kMaxError);
}

class SqlJobRepository final : public core::jobs::JobRepository {
 public:
  explicit SqlJobRepository(Tx& tx) : tx_(tx) {}

  void Enqueue(const std::string& kind, const std::string& payload_json, TimePoint run_at) override {
    const std::string at = core::FormatTime(run_at);
    const std::string payload = payload_json.empty() ? "{}" : payload_json;
    tx_.sql() << kInsert, soci::use(kind), soci::use(payload), soci::use(at);
  }

  std::vector<Job> Claim(TimePoint now, TimePoint lease_until, int limit) override {
    std::vector<Job> out;
    if (limit <= 0) return out;
    const std::string lease = core::FormatTime(lease_until), at = core::FormatTime(now);
    std::int64_t id = 0;
    std::string kind, payload, run_at;
    int attempts = 0;
    soci::statement st = (tx_.sql().prepare << (tx_.IsPostgres() ? kClaimPostgres : kClaimSqlite),
                          soci::use(lease), soci::use(at), soci::use(at), soci::use(limit),
                          soci::into(id), soci::into(kind), soci::into(payload), soci::into(run_at),
                          soci::into(attempts));
    st.execute(false);
    while (st.fetch()) out.push_back(Job{id, kind, payload, Time(run_at), attempts});
    // RETURNING gives no order; hand jobs out oldest first.
    std::sort(out.begin(), out.end(), [](const Job& a, const Job& b) {
      return a.run_at != b.run_at ? a.run_at < b.run_at : a.id < b.id;
    });
    return out;
  }

  void Complete(std::int64_t id) override {
    soci::statement st = (tx_.sql().prepare << kComplete, soci::use(id));
    st.execute(true);
    ExpectOneRow(st, "Complete");
  }

  void Retry(std::int64_t id, TimePoint run_at, const std::string& error) override {
    const std::string at = core::FormatTime(run_at), e = Trim(error);
    soci::statement st = (tx_.sql().prepare << kRetry, soci::use(at), soci::use(e), soci::use(id));
    st.execute(true);
    ExpectOneRow(st, "Retry");
  }

  void Fail(std::int64_t id, const std::string& error) override {
    const std::string e = Trim(error);
    soci::statement st = (tx_.sql().prepare << kFail, soci::use(e), soci::use(id));
    st.execute(true);
    ExpectOneRow(st, "Fail");
  }

  std::int64_t CountOpen(const std::string& kind) override {
    std::int64_t n = 0;
    tx_.sql() << kCountOpen, soci::use(kind), soci::into(n);
    return n;
  }

  std::int64_t PurgeClosed(TimePoint before) override {
    const std::string at = core::FormatTime(before);
    soci::statement st = (tx_.sql().prepare << kPurgeClosed, soci::use(at));
    st.execute(true);
    return st.get_affected_rows();
  }

  std::int64_t ReleaseRunning(TimePoint now) override {
    const std::string at = core::FormatTime(now);
    soci::statement st = (tx_.sql().prepare << kReleaseRunning, soci::use(at));
    st.execute(true);
    return st.get_affected_rows();
  }

 private:
  Tx& tx_;
};

}  // namespace

std::unique_ptr<core::jobs::JobRepository> MakeJobRepository(Tx& tx) {
  return std::make_unique<SqlJobRepository>(tx);
}

}  // namespace cairn::storage
