// SQL storage of issued credentials, issuer keys, signing settings and status lists (0009).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/awards/award_repository.hpp"
#include "storage/repositories.hpp"

namespace cairn::storage {
namespace {

using core::TimePoint;
using core::awards::Award;
using core::awards::AwardFilter;
using core::awards::IssuerKey;
using core::awards::IssuerSettings;
using core::awards::StatusList;

constexpr const char* kInsertAward =
    "INSERT INTO credentials (public_id, submission_id, user_id, issuer_id, micro_credential_id, "
    "version, status_list_id, status_index, issued_at, valid_until, revoked_at, revocation_reason, "
    "visibility, signed_json) VALUES (:id, :submission, :user, :issuer, :mc, :version, :list, "
    ":idx, :issued, :valid_until, NULL, '', :visibility, :json)";
#define CAIRN_AWARD_COLUMNS                                                                     \
  "SELECT public_id, submission_id, user_id, issuer_id, micro_credential_id, version, "          \
  "status_list_id, status_index, issued_at, valid_until, revoked_at, revocation_reason, "        \
  "visibility, signed_json FROM credentials "
constexpr const char* kSelectAwardById = CAIRN_AWARD_COLUMNS "WHERE public_id = :key";
constexpr const char* kSelectAwardBySubmission = CAIRN_AWARD_COLUMNS "WHERE submission_id = :key";
constexpr const char* kListAwards =
    CAIRN_AWARD_COLUMNS "WHERE (:user = '' OR user_id = :user2) AND (:issuer = '' OR issuer_id = "
                        ":issuer2) ORDER BY issued_at DESC, id DESC";
#undef CAIRN_AWARD_COLUMNS
constexpr const char* kRevoke =
    "UPDATE credentials SET revoked_at = :at, revocation_reason = :reason "
    "WHERE public_id = :id AND revoked_at IS NULL";
constexpr const char* kSetVisibility =
    "UPDATE credentials SET visibility = :visibility WHERE public_id = :id";

constexpr const char* kInsertKey =
    "INSERT INTO issuer_keys (public_id, issuer_id, public_multikey, sealed_nonce, sealed_secret, "
    "created_at, retired_at) VALUES (:id, :issuer, :pub, :nonce, :secret, :created, NULL)";
#define CAIRN_KEY_COLUMNS                                                                      \
  "SELECT public_id, issuer_id, public_multikey, sealed_nonce, sealed_secret, created_at, "     \
  "retired_at FROM issuer_keys "
constexpr const char* kListKeys = CAIRN_KEY_COLUMNS "WHERE issuer_id = :issuer ORDER BY id";
constexpr const char* kActiveKey =
    CAIRN_KEY_COLUMNS "WHERE issuer_id = :issuer AND retired_at IS NULL";
#undef CAIRN_KEY_COLUMNS
constexpr const char* kRetireKey =
    "UPDATE issuer_keys SET retired_at = :at WHERE public_id = :id AND retired_at IS NULL";

constexpr const char* kSelectSettings =
    "SELECT identity, suite, valid_days FROM issuer_credential_settings WHERE issuer_id = :issuer";
constexpr const char* kDeleteSettings =
    "DELETE FROM issuer_credential_settings WHERE issuer_id = :issuer";
constexpr const char* kInsertSettings =
    "INSERT INTO issuer_credential_settings (issuer_id, identity, suite, valid_days) VALUES "
    "(:issuer, :identity, :suite, :days)";

constexpr const char* kInsertList =
    "INSERT INTO status_lists (public_id, issuer_id, purpose, size, allocated, version, updated_at, "
    "signed_json) VALUES (:id, :issuer, :purpose, :size, :allocated, :version, :updated, :json)";
#define CAIRN_LIST_COLUMNS                                                                     \
  "SELECT public_id, issuer_id, purpose, size, allocated, version, updated_at, signed_json "    \
  "FROM status_lists "
constexpr const char* kSelectList = CAIRN_LIST_COLUMNS "WHERE public_id = :id";
// A list is "open" while at most half full, so random allocation stays cheap.
constexpr const char* kOpenList =
    CAIRN_LIST_COLUMNS "WHERE issuer_id = :issuer AND purpose = :purpose AND allocated * 2 < size "
                       "ORDER BY id DESC LIMIT 1";
#undef CAIRN_LIST_COLUMNS
constexpr const char* kIndexInUse =
    "SELECT COUNT(*) FROM credentials WHERE status_list_id = :list AND status_index = :idx";
constexpr const char* kCountAllocation =
    "UPDATE status_lists SET allocated = allocated + 1 WHERE public_id = :id";
constexpr const char* kUpdateListSignature =
    "UPDATE status_lists SET version = :version, updated_at = :at, signed_json = :json "
    "WHERE public_id = :id";
constexpr const char* kRevokedIndexes =
    "SELECT status_index FROM credentials WHERE status_list_id = :list AND revoked_at IS NOT NULL "
    "ORDER BY status_index";

// Statements whose result columns are bound by a row struct: exchange everything, then prepare.
void Prepare(soci::statement& st, const std::string& sql) {
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
}

TimePoint Time(const std::string& text) {
  TimePoint t{};
  core::ParseTime(text, t);
  return t;
}

struct AwardRow {
  std::string id, submission, user, issuer, mc, list, issued, valid_until, revoked, reason,
      visibility, json;
  int version = 0;
  std::int64_t index = 0;
  soci::indicator valid_ind = soci::i_null, revoked_ind = soci::i_null;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(submission));
    st.exchange(soci::into(user));
    st.exchange(soci::into(issuer));
    st.exchange(soci::into(mc));
    st.exchange(soci::into(version));
    st.exchange(soci::into(list));
    st.exchange(soci::into(index));
    st.exchange(soci::into(issued));
    st.exchange(soci::into(valid_until, valid_ind));
    st.exchange(soci::into(revoked, revoked_ind));
    st.exchange(soci::into(reason));
    st.exchange(soci::into(visibility));
    st.exchange(soci::into(json));
  }
  Award ToDomain() const {
    Award a;
    a.id = id;
    a.submission_id = submission;
    a.user_id = user;
    a.issuer_id = issuer;
    a.micro_credential_id = mc;
    a.version = version;
    a.status_list_id = list;
    a.status_index = index;
    a.issued_at = Time(issued);
    if (valid_ind == soci::i_ok) a.valid_until = Time(valid_until);
    if (revoked_ind == soci::i_ok) a.revoked_at = Time(revoked);
    a.revocation_reason = reason;
    a.visibility = core::awards::ParseVisibility(visibility).value_or(core::awards::Visibility::kPublic);
    a.signed_json = json;
    return a;
  }
};

struct KeyRow {
  std::string id, issuer, pub, nonce, secret, created, retired;
  soci::indicator retired_ind = soci::i_null;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(issuer));
    st.exchange(soci::into(pub));
    st.exchange(soci::into(nonce));
    st.exchange(soci::into(secret));
    st.exchange(soci::into(created));
    st.exchange(soci::into(retired, retired_ind));
  }
  IssuerKey ToDomain() const {
    IssuerKey k{id, issuer, pub, nonce, secret, Time(created), std::nullopt};
    if (retired_ind == soci::i_ok) k.retired_at = Time(retired);
    return k;
  }
};

struct ListRow {
  std::string id, issuer, purpose, updated, json;
  std::int64_t size = 0, allocated = 0, version = 0;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(issuer));
    st.exchange(soci::into(purpose));
    st.exchange(soci::into(size));
    st.exchange(soci::into(allocated));
    st.exchange(soci::into(version));
    st.exchange(soci::into(updated));
    st.exchange(soci::into(json));
  }
  StatusList ToDomain() const {
    StatusList l;
    l.id = id;
    l.issuer_id = issuer;
    l.purpose = purpose;
    l.size = size;
    l.allocated = allocated;
    l.version = version;
    l.updated_at = Time(updated);
    l.signed_json = json;
    return l;
  }
};

class SqlAwardRepository final : public core::awards::AwardRepository {
 public:
  explicit SqlAwardRepository(Tx& tx) : tx_(tx) {}

  void InsertAward(const Award& a) override {
    // The hot path of bulk issuing: prepared once per connection.
    struct Insert {
      std::string id, submission, user, issuer, mc, list, issued, valid_until, visibility, json;
      int version = 0;
      std::int64_t index = 0;
      soci::indicator valid_ind = soci::i_null;
      soci::statement st;
      explicit Insert(soci::session& sql)
          : st((sql.prepare << kInsertAward, soci::use(id, "id"), soci::use(submission, "submission"),
                soci::use(user, "user"), soci::use(issuer, "issuer"), soci::use(mc, "mc"),
                soci::use(version, "version"), soci::use(list, "list"), soci::use(index, "idx"),
                soci::use(issued, "issued"), soci::use(valid_until, valid_ind, "valid_until"),
                soci::use(visibility, "visibility"), soci::use(json, "json"))) {}
    };
    auto& q = tx_.cache().Get<Insert>(kInsertAward, [&] { return new Insert(tx_.sql()); });
    q.id = a.id;
    q.submission = a.submission_id;
    q.user = a.user_id;
    q.issuer = a.issuer_id;
    q.mc = a.micro_credential_id;
    q.version = a.version;
    q.list = a.status_list_id;
    q.index = a.status_index;
    q.issued = core::FormatTime(a.issued_at);
    q.valid_ind = a.valid_until ? soci::i_ok : soci::i_null;
    q.valid_until = a.valid_until ? core::FormatTime(*a.valid_until) : std::string();
    q.visibility = std::string(ToString(a.visibility));
    q.json = a.signed_json;
    q.st.execute(true);
  }

  std::optional<Award> FindAward(const std::string& id) override {
    return OneAward(kSelectAwardById, id);
  }
  std::optional<Award> FindAwardBySubmission(const std::string& submission_id) override {
    return OneAward(kSelectAwardBySubmission, submission_id);
  }

  std::vector<Award> ListAwards(const AwardFilter& f) override {
    AwardRow row;
    soci::statement st(tx_.sql());
    row.Bind(st);
    st.exchange(soci::use(f.user_id, "user"));
    st.exchange(soci::use(f.user_id, "user2"));
    st.exchange(soci::use(f.issuer_id, "issuer"));
    st.exchange(soci::use(f.issuer_id, "issuer2"));
    Prepare(st, kListAwards);
    st.execute(false);
    std::vector<Award> out;
    while (st.fetch()) out.push_back(row.ToDomain());
    return out;
  }

  bool MarkRevoked(const std::string& id, TimePoint at, const std::string& reason) override {
    const std::string at_text = core::FormatTime(at);
    soci::statement st = (tx_.sql().prepare << kRevoke, soci::use(at_text, "at"),
                          soci::use(reason, "reason"), soci::use(id, "id"));
    st.execute(true);
    return st.get_affected_rows() == 1;
  }

  bool SetVisibility(const std::string& id, core::awards::Visibility v) override {
    const std::string text(ToString(v));
    soci::statement st =
        (tx_.sql().prepare << kSetVisibility, soci::use(text, "visibility"), soci::use(id, "id"));
    st.execute(true);
    return st.get_affected_rows() == 1;
  }

  void InsertKey(const IssuerKey& k) override {
    const std::string created = core::FormatTime(k.created_at);
    tx_.sql() << kInsertKey, soci::use(k.id, "id"), soci::use(k.issuer_id, "issuer"),
        soci::use(k.public_multikey, "pub"), soci::use(k.sealed_nonce_hex, "nonce"),
        soci::use(k.sealed_secret_hex, "secret"), soci::use(created, "created");
  }

  std::vector<IssuerKey> ListKeys(const std::string& issuer_id) override {
    return Keys(kListKeys, issuer_id);
  }
  std::optional<IssuerKey> ActiveKey(const std::string& issuer_id) override {
    auto keys = Keys(kActiveKey, issuer_id);
    if (keys.empty()) return std::nullopt;
    return keys.front();
  }
  void RetireKey(const std::string& key_id, TimePoint at) override {
    const std::string at_text = core::FormatTime(at);
    tx_.sql() << kRetireKey, soci::use(at_text, "at"), soci::use(key_id, "id");
  }

  IssuerSettings GetSettings(const std::string& issuer_id) override {
    IssuerSettings s;
    s.issuer_id = issuer_id;
    std::string identity, suite;
    int days = 0;
    soci::indicator days_ind = soci::i_null;
    soci::statement st = (tx_.sql().prepare << kSelectSettings, soci::use(issuer_id, "issuer"),
                          soci::into(identity), soci::into(suite), soci::into(days, days_ind));
    if (st.execute(true)) {
      s.identity = core::awards::ParseIssuerIdentity(identity).value_or(s.identity);
      s.suite = suite;
      if (days_ind == soci::i_ok) s.valid_days = days;
      while (st.fetch()) {
      }
    }
    return s;
  }

  void PutSettings(const IssuerSettings& s) override {
    tx_.sql() << kDeleteSettings, soci::use(s.issuer_id, "issuer");
    const std::string identity(ToString(s.identity));
    int days = s.valid_days.value_or(0);
    soci::indicator days_ind = s.valid_days ? soci::i_ok : soci::i_null;
    tx_.sql() << kInsertSettings, soci::use(s.issuer_id, "issuer"), soci::use(identity, "identity"),
        soci::use(s.suite, "suite"), soci::use(days, days_ind, "days");
  }

  void InsertStatusList(const StatusList& l) override {
    const std::string updated = core::FormatTime(l.updated_at);
    tx_.sql() << kInsertList, soci::use(l.id, "id"), soci::use(l.issuer_id, "issuer"),
        soci::use(l.purpose, "purpose"), soci::use(l.size, "size"),
        soci::use(l.allocated, "allocated"), soci::use(l.version, "version"),
        soci::use(updated, "updated"), soci::use(l.signed_json, "json");
  }

  std::optional<StatusList> FindStatusList(const std::string& id) override {
    ListRow row;
    soci::statement st(tx_.sql());
    row.Bind(st);
    st.exchange(soci::use(id, "id"));
    Prepare(st, kSelectList);
    if (!st.execute(true)) return std::nullopt;
    StatusList out = row.ToDomain();
    while (st.fetch()) {
    }
    return out;
  }

  std::optional<StatusList> OpenStatusList(const std::string& issuer_id,
                                           const std::string& purpose) override {
    struct Query {
      std::string issuer, purpose;
      ListRow row;
      soci::statement st;
      explicit Query(soci::session& sql) : st(sql) {
        row.Bind(st);
        st.exchange(soci::use(issuer, "issuer"));
        st.exchange(soci::use(purpose, "purpose"));
        Prepare(st, kOpenList);
      }
    };
    auto& q = tx_.cache().Get<Query>(kOpenList, [&] { return new Query(tx_.sql()); });
    q.issuer = issuer_id;
    q.purpose = purpose;
    if (!q.st.execute(true)) return std::nullopt;
    StatusList out = q.row.ToDomain();
    while (q.st.fetch()) {
    }
    return out;
  }

  bool IndexInUse(const std::string& list_id, std::int64_t index) override {
    struct Query {
      std::string list;
      std::int64_t index = 0, count = 0;
      soci::statement st;
      explicit Query(soci::session& sql)
          : st((sql.prepare << kIndexInUse, soci::use(list, "list"), soci::use(index, "idx"),
                soci::into(count))) {}
    };
    auto& q = tx_.cache().Get<Query>(kIndexInUse, [&] { return new Query(tx_.sql()); });
    q.list = list_id;
    q.index = index;
    q.count = 0;
    q.st.execute(true);
    while (q.st.fetch()) {
    }
    return q.count > 0;
  }

  void CountAllocation(const std::string& list_id) override {
    struct Command {
      std::string id;
      soci::statement st;
      explicit Command(soci::session& sql) : st((sql.prepare << kCountAllocation, soci::use(id, "id"))) {}
    };
    auto& q = tx_.cache().Get<Command>(kCountAllocation, [&] { return new Command(tx_.sql()); });
    q.id = list_id;
    q.st.execute(true);
  }

  void UpdateStatusListSignature(const std::string& list_id, std::int64_t version, TimePoint at,
                                 const std::string& signed_json) override {
    const std::string at_text = core::FormatTime(at);
    tx_.sql() << kUpdateListSignature, soci::use(version, "version"), soci::use(at_text, "at"),
        soci::use(signed_json, "json"), soci::use(list_id, "id");
  }

  std::vector<std::int64_t> RevokedIndexes(const std::string& list_id) override {
    std::int64_t index = 0;
    soci::statement st =
        (tx_.sql().prepare << kRevokedIndexes, soci::use(list_id, "list"), soci::into(index));
    st.execute(false);
    std::vector<std::int64_t> out;
    while (st.fetch()) out.push_back(index);
    return out;
  }

 private:
  std::optional<Award> OneAward(const char* sql, const std::string& key) {
    struct Query {
      std::string key;
      AwardRow row;
      soci::statement st;
      Query(soci::session& session, const char* text) : st(session) {
        row.Bind(st);
        st.exchange(soci::use(key, "key"));
        Prepare(st, text);
      }
    };
    auto& q = tx_.cache().Get<Query>(sql, [&] { return new Query(tx_.sql(), sql); });
    q.key = key;
    if (!q.st.execute(true)) return std::nullopt;
    Award out = q.row.ToDomain();
    while (q.st.fetch()) {
    }
    return out;
  }

  std::vector<IssuerKey> Keys(const char* sql, const std::string& issuer_id) {
    KeyRow row;
    soci::statement st(tx_.sql());
    row.Bind(st);
    st.exchange(soci::use(issuer_id, "issuer"));
    Prepare(st, sql);
    st.execute(false);
    std::vector<IssuerKey> out;
    while (st.fetch()) out.push_back(row.ToDomain());
    return out;
  }

  Tx& tx_;
};

}  // namespace

std::unique_ptr<core::awards::AwardRepository> MakeAwardRepository(Tx& tx) {
  return std::make_unique<SqlAwardRepository>(tx);
}

}  // namespace cairn::storage
