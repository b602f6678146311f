#include "storage/identity_repository.hpp"

#include <stdexcept>

namespace cairn::storage {
namespace {

using core::TimePoint;
using core::identity::ApiToken;
using core::identity::EmailToken;
using core::identity::Invitation;
using core::identity::Member;
using core::identity::Membership;
using core::identity::Organization;
using core::identity::Session;
using core::identity::User;

constexpr const char* kInsertUser =
    "INSERT INTO users (public_id, email, display_name, email_verified, platform_admin, "
    "password_hash, status, created_at, updated_at) VALUES (:id, :email, :name, :verified, "
    ":admin, :hash, :status, :created, :updated)";
constexpr const char* kUpdateUser =
    "UPDATE users SET display_name = :name, email_verified = :verified, platform_admin = :admin, "
    "password_hash = :hash, status = :status, updated_at = :updated WHERE public_id = :id";
constexpr const char* kSelectUserById =
    "SELECT public_id, email, display_name, email_verified, platform_admin, password_hash, status, "
    "created_at, updated_at FROM users WHERE public_id = :id";
constexpr const char* kSelectUserByEmail =
    "SELECT public_id, email, display_name, email_verified, platform_admin, password_hash, status, "
    "created_at, updated_at FROM users WHERE email = :email";

constexpr const char* kInsertOrganization =
    "INSERT INTO organizations (public_id, name, kind, parent_id, issuer, created_at) VALUES "
    "(:id, :name, :kind, (SELECT p.id FROM organizations p WHERE p.public_id = :parent), "
    ":issuer, :created)";
#define CAIRN_ORG_COLUMNS                                                                      \
  "SELECT o.public_id, o.name, o.kind, p.public_id, o.issuer, o.created_at FROM organizations o " \
  "LEFT JOIN organizations p ON p.id = o.parent_id "
constexpr const char* kSelectOrganization = CAIRN_ORG_COLUMNS "WHERE o.public_id = :id";
constexpr const char* kListOrganizations =
    CAIRN_ORG_COLUMNS "ORDER BY o.name, o.public_id LIMIT :limit";
constexpr const char* kListSchools =
    CAIRN_ORG_COLUMNS "WHERE p.public_id = :district ORDER BY o.name, o.public_id";
#undef CAIRN_ORG_COLUMNS

constexpr const char* kInsertMembership =
    "INSERT INTO memberships (user_id, organization_id, role, created_at) SELECT u.id, o.id, "
    ":role, :created FROM users u, organizations o WHERE u.public_id = :user AND o.public_id = :org";
constexpr const char* kSelectMemberships =
    "SELECT o.public_id, m.role FROM memberships m JOIN users u ON u.id = m.user_id "
    "JOIN organizations o ON o.id = m.organization_id WHERE u.public_id = :user "
    "ORDER BY o.public_id, m.role";
constexpr const char* kSelectMembers =
    "SELECT u.public_id, u.email, u.display_name, m.role, m.created_at FROM memberships m "
    "JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.organization_id "
    "WHERE o.public_id = :org ORDER BY u.display_name, u.public_id, m.role";

constexpr const char* kInsertSession =
    "INSERT INTO sessions (public_id, user_id, token_hash, created_at, last_seen_at, expires_at) "
    "SELECT :id, u.id, :hash, :created, :seen, :expires FROM users u WHERE u.public_id = :user";
constexpr const char* kSelectSessionByHash =
    "SELECT s.public_id, u.public_id, s.token_hash, s.created_at, s.last_seen_at, s.expires_at "
    "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = :hash";
constexpr const char* kTouchSession = "UPDATE sessions SET last_seen_at = :at WHERE public_id = :id";
constexpr const char* kDeleteSession = "DELETE FROM sessions WHERE public_id = :id";
constexpr const char* kDeleteSessionsOfUser =
    "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE public_id = :user)";

constexpr const char* kInsertApiToken =
    "INSERT INTO api_tokens (public_id, user_id, name, token_hash, hint, created_at, expires_at, "
    "last_used_at, revoked_at) SELECT :id, u.id, :name, :hash, :hint, :created, :expires, :used, "
    ":revoked FROM users u WHERE u.public_id = :user";
#define CAIRN_TOKEN_COLUMNS                                                                   \
  "SELECT t.public_id, u.public_id, t.name, t.token_hash, t.hint, t.created_at, t.expires_at, " \
  "t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id "
constexpr const char* kSelectApiTokenByHash = CAIRN_TOKEN_COLUMNS "WHERE t.token_hash = :hash";
constexpr const char* kSelectApiTokenById = CAIRN_TOKEN_COLUMNS "WHERE t.public_id = :id";
constexpr const char* kListApiTokens =
    CAIRN_TOKEN_COLUMNS "WHERE u.public_id = :user ORDER BY t.created_at DESC, t.id DESC";
#undef CAIRN_TOKEN_COLUMNS
constexpr const char* kUpdateApiToken =
    "UPDATE api_tokens SET last_used_at = :used, revoked_at = :revoked WHERE public_id = :id";

constexpr const char* kInsertEmailToken =
    "INSERT INTO email_tokens (token_hash, purpose, user_id, created_at, expires_at, used_at) "
    "SELECT :hash, :purpose, u.id, :created, :expires, NULL FROM users u WHERE u.public_id = :user";
constexpr const char* kSelectEmailToken =
    "SELECT e.token_hash, e.purpose, u.public_id, e.created_at, e.expires_at, e.used_at "
    "FROM email_tokens e JOIN users u ON u.id = e.user_id WHERE e.token_hash = :hash";
constexpr const char* kMarkEmailTokenUsed =
    "UPDATE email_tokens SET used_at = :at WHERE token_hash = :hash AND used_at IS NULL";
constexpr const char* kUseUpEmailTokens =
    "UPDATE email_tokens SET used_at = :at WHERE used_at IS NULL AND purpose = :purpose AND "
    "user_id = (SELECT id FROM users WHERE public_id = :user)";

constexpr const char* kInsertInvitation =
    "INSERT INTO invitations (public_id, organization_id, email, role, invited_by, token_hash, "
    "status, created_at, expires_at, accepted_at, accepted_by) SELECT :id, "
    "(SELECT o.id FROM organizations o WHERE o.public_id = :org), :email, :role, u.id, :hash, "
    ":status, :created, :expires, NULL, NULL FROM users u WHERE u.public_id = :inviter";
constexpr const char* kSelectInvitationByHash =
    "SELECT i.public_id, o.public_id, i.email, i.role, u.public_id, i.token_hash, i.status, "
    "i.created_at, i.expires_at, i.accepted_at, a.public_id FROM invitations i "
    "JOIN users u ON u.id = i.invited_by LEFT JOIN organizations o ON o.id = i.organization_id "
    "LEFT JOIN users a ON a.id = i.accepted_by WHERE i.token_hash = :hash";
constexpr const char* kUpdateInvitation =
    "UPDATE invitations SET status = :status, accepted_at = :at, accepted_by = "
    "(SELECT id FROM users WHERE public_id = :user) WHERE public_id = :id";

constexpr const char* kCountFailures =
    "SELECT count(*), min(at) FROM login_failures WHERE throttle_key = :key AND at > :since";
constexpr const char* kInsertFailure = "INSERT INTO login_failures (throttle_key, at) VALUES (:key, :at)";
constexpr const char* kDeleteFailuresOfKey = "DELETE FROM login_failures WHERE throttle_key = :key";
constexpr const char* kDeleteFailuresBefore = "DELETE FROM login_failures WHERE at <= :before";

TimePoint Time(const std::string& text) {
  TimePoint t{};
  if (!core::ParseTime(text, t)) throw std::runtime_error("unreadable time in database: " + text);
  return t;
}

std::optional<TimePoint> OptionalTime(const std::string& text, soci::indicator ind) {
  if (ind == soci::i_null) return std::nullopt;
  return Time(text);
}

// A nullable text parameter: the indicator must outlive the statement, so it lives here.
struct NullableText {
  std::string value;
  soci::indicator ind = soci::i_null;

  static NullableText Of(const std::optional<TimePoint>& t) {
    return t ? NullableText{core::FormatTime(*t), soci::i_ok} : NullableText{};
  }
  static NullableText Of(const std::string& s) {
    return s.empty() ? NullableText{} : NullableText{s, soci::i_ok};
  }
};

// Statements that must touch exactly one row throw otherwise: a missing row here is a bug in the
// caller (it looked the row up in the same transaction), and the unit of work rolls back.
void ExpectOneRow(soci::statement& st, const char* what) {
  if (st.get_affected_rows() != 1) throw std::runtime_error(std::string(what) + ": no such row");
}

struct UserRow {
  std::string id, email, name, hash, status, created, updated;
  int verified = 0, admin = 0;

  User ToUser() const {
    User u;
    u.id = id;
    u.email = email;
    u.display_name = name;
    u.email_verified = verified != 0;
    u.platform_admin = admin != 0;
    u.password_hash = hash;
    auto s = core::identity::ParseUserStatus(status);
    if (!s) throw std::runtime_error("unknown user status " + status);
    u.status = *s;
    u.created_at = Time(created);
    u.updated_at = Time(updated);
    return u;
  }
};

// Every signed-in request and every award reads a user: prepared once per connection.
std::optional<User> SelectUser(Tx& tx, const char* sql, const std::string& key) {
  struct Query {
    UserRow r;
    std::string key;
    soci::statement st;
    Query(soci::session& session, const char* sql)
        : st((session.prepare << sql, soci::use(key), soci::into(r.id), soci::into(r.email),
              soci::into(r.name), soci::into(r.verified), soci::into(r.admin), soci::into(r.hash),
              soci::into(r.status), soci::into(r.created), soci::into(r.updated))) {}
  };
  auto& q = tx.cache().Get<Query>(sql, [&] { return new Query(tx.sql(), sql); });
  q.key = key;
  if (!q.st.execute(true)) return std::nullopt;
  User user = q.r.ToUser();
  // Step to the end so SQLite resets the statement: one left on a row keeps its read snapshot
  // open after COMMIT, and the connection's next transaction would read stale data.
  while (q.st.fetch()) {
  }
  return user;
}

struct OrgRow {
  std::string id, name, kind, parent, created;
  soci::indicator parent_ind = soci::i_null;
  int issuer = 0;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(name));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(parent, parent_ind));
    st.exchange(soci::into(issuer));
    st.exchange(soci::into(created));
  }
  Organization ToOrganization() const {
    Organization o;
    o.id = id;
    o.name = name;
    auto k = core::identity::ParseOrgKind(kind);
    if (!k) throw std::runtime_error("unknown organization kind " + kind);
    o.kind = *k;
    o.parent_id = parent_ind == soci::i_null ? std::string() : parent;
    o.issuer = issuer != 0;
    o.created_at = Time(created);
    return o;
  }
};

core::identity::Role RoleOf(const std::string& name) {
  auto r = core::identity::ParseRole(name);
  if (!r) throw std::runtime_error("unknown role " + name);
  return *r;
}

struct TokenRow {
  std::string id, user, name, hash, hint, created, expires, used, revoked;
  soci::indicator expires_ind = soci::i_null, used_ind = soci::i_null, revoked_ind = soci::i_null;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(user));
    st.exchange(soci::into(name));
    st.exchange(soci::into(hash));
    st.exchange(soci::into(hint));
    st.exchange(soci::into(created));
    st.exchange(soci::into(expires, expires_ind));
    st.exchange(soci::into(used, used_ind));
    st.exchange(soci::into(revoked, revoked_ind));
  }
  ApiToken ToToken() const {
    return ApiToken{id, user, name, hash, hint, Time(created), OptionalTime(expires, expires_ind),
                    OptionalTime(used, used_ind), OptionalTime(revoked, revoked_ind)};
  }
};

std::vector<ApiToken> SelectTokens(Tx& tx, const char* sql, const std::string& key) {
  TokenRow r;
  std::string k = key;
  soci::statement st(tx.sql());
  r.Bind(st);
  st.exchange(soci::use(k));
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  st.execute(false);
  std::vector<ApiToken> out;
  while (st.fetch()) out.push_back(r.ToToken());
  return out;
}

std::vector<Organization> SelectOrganizations(Tx& tx, const char* sql,
                                              const std::optional<std::string>& text_key,
                                              std::optional<int> int_key) {
  OrgRow r;
  std::string k = text_key.value_or("");
  int n = int_key.value_or(0);
  soci::statement st(tx.sql());
  r.Bind(st);
  if (text_key) st.exchange(soci::use(k));
  if (int_key) st.exchange(soci::use(n));
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  st.execute(false);
  std::vector<Organization> out;
  while (st.fetch()) out.push_back(r.ToOrganization());
  return out;
}

}  // namespace

// ---- users ----

void SqlIdentityRepository::InsertUser(const User& u) {
  const int verified = u.email_verified, admin = u.platform_admin;
  const std::string status(core::identity::UserStatusName(u.status));
  const std::string created = core::FormatTime(u.created_at), updated = core::FormatTime(u.updated_at);
  tx_.sql() << kInsertUser, soci::use(u.id), soci::use(u.email), soci::use(u.display_name),
      soci::use(verified), soci::use(admin), soci::use(u.password_hash), soci::use(status),
      soci::use(created), soci::use(updated);
}

void SqlIdentityRepository::UpdateUser(const User& u) {
  const int verified = u.email_verified, admin = u.platform_admin;
  const std::string status(core::identity::UserStatusName(u.status));
  const std::string updated = core::FormatTime(u.updated_at);
  soci::statement st = (tx_.sql().prepare << kUpdateUser, soci::use(u.display_name),
                        soci::use(verified), soci::use(admin), soci::use(u.password_hash),
                        soci::use(status), soci::use(updated), soci::use(u.id));
  st.execute(true);
  ExpectOneRow(st, "UpdateUser");
}

std::optional<User> SqlIdentityRepository::FindUserById(const std::string& id) {
  return SelectUser(tx_, kSelectUserById, id);
}

std::optional<User> SqlIdentityRepository::FindUserByEmail(const std::string& email) {
  return SelectUser(tx_, kSelectUserByEmail, email);
}

// ---- organisations ----

void SqlIdentityRepository::InsertOrganization(const Organization& o) {
  const std::string kind(core::identity::OrgKindName(o.kind));
  const int issuer = o.issuer;
  const std::string created = core::FormatTime(o.created_at);
  tx_.sql() << kInsertOrganization, soci::use(o.id), soci::use(o.name), soci::use(kind),
      soci::use(o.parent_id), soci::use(issuer), soci::use(created);
}

std::optional<Organization> SqlIdentityRepository::FindOrganization(const std::string& id) {
  auto found = SelectOrganizations(tx_, kSelectOrganization, id, std::nullopt);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Organization> SqlIdentityRepository::ListOrganizations(int limit) {
  return SelectOrganizations(tx_, kListOrganizations, std::nullopt, limit);
}

std::vector<Organization> SqlIdentityRepository::ListSchools(const std::string& district_id) {
  return SelectOrganizations(tx_, kListSchools, district_id, std::nullopt);
}

// ---- memberships ----

void SqlIdentityRepository::InsertMembership(const std::string& user_id, const Membership& m,
                                             TimePoint at) {
  const std::string role(core::identity::RoleName(m.role));
  const std::string created = core::FormatTime(at);
  soci::statement st = (tx_.sql().prepare << kInsertMembership, soci::use(role),
                        soci::use(created), soci::use(user_id), soci::use(m.organization_id));
  st.execute(true);
  ExpectOneRow(st, "InsertMembership");
}

std::vector<Membership> SqlIdentityRepository::ListMemberships(const std::string& user_id) {
  std::string org, role;
  soci::statement st = (tx_.sql().prepare << kSelectMemberships, soci::use(user_id),
                        soci::into(org), soci::into(role));
  st.execute(false);
  std::vector<Membership> out;
  while (st.fetch()) out.push_back(Membership{org, RoleOf(role)});
  return out;
}

std::vector<Member> SqlIdentityRepository::ListMembers(const std::string& organization_id) {
  std::string id, email, name, role, created;
  soci::statement st = (tx_.sql().prepare << kSelectMembers, soci::use(organization_id),
                        soci::into(id), soci::into(email), soci::into(name), soci::into(role),
                        soci::into(created));
  st.execute(false);
  std::vector<Member> out;
  while (st.fetch()) out.push_back(Member{id, email, name, RoleOf(role), Time(created)});
  return out;
}

// ---- sessions ----

void SqlIdentityRepository::InsertSession(const Session& s) {
  const std::string created = core::FormatTime(s.created_at), seen = core::FormatTime(s.last_seen_at),
                    expires = core::FormatTime(s.expires_at);
  soci::statement st = (tx_.sql().prepare << kInsertSession, soci::use(s.id), soci::use(s.token_hash),
                        soci::use(created), soci::use(seen), soci::use(expires), soci::use(s.user_id));
  st.execute(true);
  ExpectOneRow(st, "InsertSession");
}

std::optional<Session> SqlIdentityRepository::FindSessionByTokenHash(const std::string& hash) {
  std::string id, user, token_hash, created, seen, expires;
  tx_.sql() << kSelectSessionByHash, soci::use(hash), soci::into(id), soci::into(user),
      soci::into(token_hash), soci::into(created), soci::into(seen), soci::into(expires);
  if (!tx_.sql().got_data()) return std::nullopt;
  return Session{id, user, token_hash, Time(created), Time(seen), Time(expires)};
}

void SqlIdentityRepository::TouchSession(const std::string& session_id, TimePoint at) {
  const std::string t = core::FormatTime(at);
  tx_.sql() << kTouchSession, soci::use(t), soci::use(session_id);
}

void SqlIdentityRepository::DeleteSession(const std::string& session_id) {
  tx_.sql() << kDeleteSession, soci::use(session_id);
}

int SqlIdentityRepository::DeleteSessionsOfUser(const std::string& user_id) {
  soci::statement st = (tx_.sql().prepare << kDeleteSessionsOfUser, soci::use(user_id));
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

// ---- API tokens ----

void SqlIdentityRepository::InsertApiToken(const ApiToken& t) {
  const std::string created = core::FormatTime(t.created_at);
  auto expires = NullableText::Of(t.expires_at), used = NullableText::Of(t.last_used_at),
       revoked = NullableText::Of(t.revoked_at);
  soci::statement st = (tx_.sql().prepare << kInsertApiToken, soci::use(t.id), soci::use(t.name),
                        soci::use(t.token_hash), soci::use(t.hint), soci::use(created),
                        soci::use(expires.value, expires.ind), soci::use(used.value, used.ind),
                        soci::use(revoked.value, revoked.ind), soci::use(t.user_id));
  st.execute(true);
  ExpectOneRow(st, "InsertApiToken");
}

std::optional<ApiToken> SqlIdentityRepository::FindApiTokenByHash(const std::string& hash) {
  auto found = SelectTokens(tx_, kSelectApiTokenByHash, hash);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<ApiToken> SqlIdentityRepository::FindApiToken(const std::string& id) {
  auto found = SelectTokens(tx_, kSelectApiTokenById, id);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<ApiToken> SqlIdentityRepository::ListApiTokens(const std::string& user_id) {
  return SelectTokens(tx_, kListApiTokens, user_id);
}

void SqlIdentityRepository::UpdateApiToken(const ApiToken& t) {
  auto used = NullableText::Of(t.last_used_at), revoked = NullableText::Of(t.revoked_at);
  soci::statement st = (tx_.sql().prepare << kUpdateApiToken, soci::use(used.value, used.ind),
                        soci::use(revoked.value, revoked.ind), soci::use(t.id));
  st.execute(true);
  ExpectOneRow(st, "UpdateApiToken");
}

// ---- email tokens ----

void SqlIdentityRepository::InsertEmailToken(const EmailToken& t) {
  const std::string purpose(core::identity::EmailTokenPurposeName(t.purpose));
  const std::string created = core::FormatTime(t.created_at), expires = core::FormatTime(t.expires_at);
  soci::statement st = (tx_.sql().prepare << kInsertEmailToken, soci::use(t.token_hash),
                        soci::use(purpose), soci::use(created), soci::use(expires),
                        soci::use(t.user_id));
  st.execute(true);
  ExpectOneRow(st, "InsertEmailToken");
}

std::optional<EmailToken> SqlIdentityRepository::FindEmailTokenByHash(const std::string& hash) {
  std::string token_hash, purpose, user, created, expires, used;
  soci::indicator used_ind = soci::i_null;
  tx_.sql() << kSelectEmailToken, soci::use(hash), soci::into(token_hash), soci::into(purpose),
      soci::into(user), soci::into(created), soci::into(expires), soci::into(used, used_ind);
  if (!tx_.sql().got_data()) return std::nullopt;
  auto p = core::identity::ParseEmailTokenPurpose(purpose);
  if (!p) throw std::runtime_error("unknown email token purpose " + purpose);
  return EmailToken{token_hash, *p, user, Time(created), Time(expires), OptionalTime(used, used_ind)};
}

bool SqlIdentityRepository::MarkEmailTokenUsed(const std::string& token_hash, TimePoint at) {
  const std::string t = core::FormatTime(at);
  soci::statement st = (tx_.sql().prepare << kMarkEmailTokenUsed, soci::use(t), soci::use(token_hash));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void SqlIdentityRepository::UseUpEmailTokens(const std::string& user_id,
                                             core::identity::EmailTokenPurpose purpose, TimePoint at) {
  const std::string t = core::FormatTime(at);
  const std::string p(core::identity::EmailTokenPurposeName(purpose));
  tx_.sql() << kUseUpEmailTokens, soci::use(t), soci::use(p), soci::use(user_id);
}

// ---- invitations ----

void SqlIdentityRepository::InsertInvitation(const Invitation& i) {
  const std::string role(core::identity::RoleName(i.role));
  const std::string status(core::identity::InvitationStatusName(i.status));
  const std::string created = core::FormatTime(i.created_at), expires = core::FormatTime(i.expires_at);
  soci::statement st = (tx_.sql().prepare << kInsertInvitation, soci::use(i.id),
                        soci::use(i.organization_id), soci::use(i.email), soci::use(role),
                        soci::use(i.token_hash), soci::use(status), soci::use(created),
                        soci::use(expires), soci::use(i.invited_by));
  st.execute(true);
  ExpectOneRow(st, "InsertInvitation");
}

std::optional<Invitation> SqlIdentityRepository::FindInvitationByTokenHash(const std::string& hash) {
  std::string id, org, email, role, inviter, token_hash, status, created, expires, accepted_at,
      accepted_by;
  soci::indicator org_ind = soci::i_null, at_ind = soci::i_null, by_ind = soci::i_null;
  tx_.sql() << kSelectInvitationByHash, soci::use(hash), soci::into(id), soci::into(org, org_ind),
      soci::into(email), soci::into(role), soci::into(inviter), soci::into(token_hash),
      soci::into(status), soci::into(created), soci::into(expires), soci::into(accepted_at, at_ind),
      soci::into(accepted_by, by_ind);
  if (!tx_.sql().got_data()) return std::nullopt;
  Invitation inv;
  inv.id = id;
  inv.organization_id = org_ind == soci::i_null ? std::string() : org;
  inv.email = email;
  inv.role = RoleOf(role);
  inv.invited_by = inviter;
  inv.token_hash = token_hash;
  auto s = core::identity::ParseInvitationStatus(status);
  if (!s) throw std::runtime_error("unknown invitation status " + status);
  inv.status = *s;
  inv.created_at = Time(created);
  inv.expires_at = Time(expires);
  inv.accepted_at = OptionalTime(accepted_at, at_ind);
  inv.accepted_by = by_ind == soci::i_null ? std::string() : accepted_by;
  return inv;
}

void SqlIdentityRepository::UpdateInvitation(const Invitation& i) {
  const std::string status(core::identity::InvitationStatusName(i.status));
  auto at = NullableText::Of(i.accepted_at);
  soci::statement st = (tx_.sql().prepare << kUpdateInvitation, soci::use(status),
                        soci::use(at.value, at.ind), soci::use(i.accepted_by), soci::use(i.id));
  st.execute(true);
  ExpectOneRow(st, "UpdateInvitation");
}

// ---- login throttling ----

core::identity::ThrottleWindow SqlIdentityRepository::CountFailures(const std::string& key,
                                                                    TimePoint since) {
  const std::string s = core::FormatTime(since);
  long long count = 0;
  std::string oldest;
  soci::indicator oldest_ind = soci::i_null;
  tx_.sql() << kCountFailures, soci::use(key), soci::use(s), soci::into(count),
      soci::into(oldest, oldest_ind);
  return {static_cast<int>(count), OptionalTime(oldest, oldest_ind)};
}

void SqlIdentityRepository::RecordFailure(const std::string& key, TimePoint at) {
  const std::string t = core::FormatTime(at);
  tx_.sql() << kInsertFailure, soci::use(key), soci::use(t);
}

void SqlIdentityRepository::ClearFailures(const std::string& key) {
  tx_.sql() << kDeleteFailuresOfKey, soci::use(key);
}

void SqlIdentityRepository::PruneFailures(TimePoint before) {
  const std::string t = core::FormatTime(before);
  tx_.sql() << kDeleteFailuresBefore, soci::use(t);
}

}  // namespace cairn::storage
