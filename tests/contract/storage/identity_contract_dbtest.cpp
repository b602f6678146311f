// The identity repository's contract, on SQLite and on PostgreSQL.
#include <chrono>

#include "storage/identity_repository.hpp"
#include "storage_contract.hpp"

namespace cairn::storage {
namespace {

using namespace core::identity;
using std::chrono::hours;
using std::chrono::minutes;

const core::TimePoint kT0{std::chrono::seconds(1'795'405'260)};  // 2026-11-23T03:41:00Z

User SampleUser(const std::string& id, const std::string& email) {
  User u;
  u.id = id;
  u.email = email;
  u.display_name = "Zoë " + id;
  u.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
  u.created_at = u.updated_at = kT0;
  return u;
}

Organization Org(const std::string& id, const std::string& name, OrgKind kind,
                 const std::string& parent = "", bool issuer = false) {
  return Organization{id, name, kind, parent, issuer, kT0};
}

// Runs fn with a repository in one write, which must commit.
void With(Database& db, const std::function<void(SqlIdentityRepository&)>& fn) {
  auto status = db.Write([&](Tx& tx) -> core::Status {
    SqlIdentityRepository repo(tx);
    fn(repo);
    return core::Ok();
  });
  ASSERT_TRUE(status.ok()) << Describe(status.error());
}

core::Status TryWrite(Database& db, const std::function<void(SqlIdentityRepository&)>& fn) {
  return db.Write([&](Tx& tx) -> core::Status {
    SqlIdentityRepository repo(tx);
    fn(repo);
    return core::Ok();
  });
}

void Seed(Database& db) {
  With(db, [](SqlIdentityRepository& r) {
    r.InsertUser(SampleUser("usr_a", "a@example.org"));
    r.InsertUser(SampleUser("usr_b", "b@example.org"));
    r.InsertOrganization(Org("org_d", "Riverside Unified", OrgKind::kDistrict, "", true));
    r.InsertOrganization(Org("org_s2", "Oak Elementary", OrgKind::kSchool, "org_d"));
    r.InsertOrganization(Org("org_s1", "Birch Middle", OrgKind::kSchool, "org_d"));
    r.InsertOrganization(Org("org_n", "Teach Forward", OrgKind::kNonprofit, "", true));
  });
}

}  // namespace

TEST_P(StorageContract, IdentityUsersRoundTripAndEmailsAreUnique) {
  User a = SampleUser("usr_a", "a@example.org");
  a.platform_admin = true;
  With(db(), [&](SqlIdentityRepository& r) { r.InsertUser(a); });
  With(db(), [&](SqlIdentityRepository& r) {
    auto by_email = r.FindUserByEmail("a@example.org");
    ASSERT_TRUE(by_email.has_value());
    EXPECT_EQ(by_email->id, "usr_a");
    EXPECT_EQ(by_email->display_name, "Zoë usr_a");
    EXPECT_TRUE(by_email->platform_admin);
    EXPECT_FALSE(by_email->email_verified);
    EXPECT_EQ(by_email->status, UserStatus::kActive);
    EXPECT_EQ(by_email->created_at, kT0);
    EXPECT_FALSE(r.FindUserByEmail("nobody@example.org").has_value());
    EXPECT_FALSE(r.FindUserById("usr_zzz").has_value());

    User changed = *by_email;
    changed.email_verified = true;
    changed.status = UserStatus::kDisabled;
    changed.password_hash = "new-hash";
    changed.updated_at = kT0 + hours(1);
    r.UpdateUser(changed);
    auto again = r.FindUserById("usr_a");
    EXPECT_TRUE(again->email_verified);
    EXPECT_EQ(again->status, UserStatus::kDisabled);
    EXPECT_EQ(again->password_hash, "new-hash");
    EXPECT_EQ(again->updated_at, kT0 + hours(1));
  });
  auto dup = TryWrite(db(), [](SqlIdentityRepository& r) {
    r.InsertUser(SampleUser("usr_other", "a@example.org"));
  });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
}

TEST_P(StorageContract, IdentityAFailedWriteLeavesNothingBehind) {
  auto failed = db().Write([](Tx& tx) -> core::Status {
    SqlIdentityRepository r(tx);
    r.InsertUser(SampleUser("usr_x", "x@example.org"));
    return core::Error::InvalidInput("changed my mind");
  });
  ASSERT_FALSE(failed.ok());
  With(db(), [](SqlIdentityRepository& r) { EXPECT_FALSE(r.FindUserById("usr_x").has_value()); });
}

TEST_P(StorageContract, IdentityOrganizationsDistrictsAndSchools) {
  Seed(db());
  With(db(), [](SqlIdentityRepository& r) {
    auto school = r.FindOrganization("org_s2");
    ASSERT_TRUE(school.has_value());
    EXPECT_EQ(school->kind, OrgKind::kSchool);
    EXPECT_EQ(school->parent_id, "org_d");
    EXPECT_FALSE(school->issuer);
    auto district = r.FindOrganization("org_d");
    EXPECT_TRUE(district->parent_id.empty());
    EXPECT_TRUE(district->issuer);

    auto all = r.ListOrganizations(10);
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all[0].name, "Birch Middle");  // by name
    EXPECT_EQ(r.ListOrganizations(2).size(), 2u);
    auto schools = r.ListSchools("org_d");
    ASSERT_EQ(schools.size(), 2u);
    EXPECT_EQ(schools[0].id, "org_s1");
    EXPECT_EQ(schools[1].id, "org_s2");
    EXPECT_TRUE(r.ListSchools("org_n").empty());
  });
  // The schema holds the shape rules too: a school without a district is refused.
  auto orphan = TryWrite(db(), [](SqlIdentityRepository& r) {
    r.InsertOrganization(Org("org_x", "Orphan School", OrgKind::kSchool, "org_missing"));
  });
  EXPECT_FALSE(orphan.ok());
  auto issuing_school = TryWrite(db(), [](SqlIdentityRepository& r) {
    r.InsertOrganization(Org("org_y", "Issuing School", OrgKind::kSchool, "org_d", true));
  });
  EXPECT_FALSE(issuing_school.ok());
  With(db(), [](SqlIdentityRepository& r) { EXPECT_EQ(r.ListOrganizations(10).size(), 4u); });
}

TEST_P(StorageContract, IdentityMembershipsAndMembers) {
  Seed(db());
  With(db(), [](SqlIdentityRepository& r) {
    r.InsertMembership("usr_a", {"org_d", Role::kDistrictAdmin}, kT0);
    r.InsertMembership("usr_a", {"org_d", Role::kEducator}, kT0);
    r.InsertMembership("usr_b", {"org_s1", Role::kEducator}, kT0 + minutes(1));
    r.InsertMembership("usr_b", {"org_d", Role::kReviewer}, kT0);
  });
  With(db(), [](SqlIdentityRepository& r) {
    auto mine = r.ListMemberships("usr_a");
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(mine[0].organization_id, "org_d");
    EXPECT_EQ(mine[0].role, Role::kDistrictAdmin);
    EXPECT_EQ(mine[1].role, Role::kEducator);

    auto members = r.ListMembers("org_d");
    ASSERT_EQ(members.size(), 3u);
    EXPECT_EQ(members[0].user_id, "usr_a");
    EXPECT_EQ(members[0].email, "a@example.org");
    EXPECT_EQ(members[2].user_id, "usr_b");
    EXPECT_EQ(members[2].role, Role::kReviewer);
    auto school = r.ListMembers("org_s1");
    ASSERT_EQ(school.size(), 1u);
    EXPECT_EQ(school[0].since, kT0 + minutes(1));
    EXPECT_TRUE(r.ListMembers("org_n").empty());
  });
  auto dup = TryWrite(db(), [](SqlIdentityRepository& r) {
    r.InsertMembership("usr_a", {"org_d", Role::kEducator}, kT0);
  });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
  auto unknown = TryWrite(db(), [](SqlIdentityRepository& r) {
    r.InsertMembership("usr_nobody", {"org_d", Role::kEducator}, kT0);
  });
  EXPECT_FALSE(unknown.ok());
}

TEST_P(StorageContract, IdentitySessionsByDigestTouchAndDelete) {
  Seed(db());
  With(db(), [](SqlIdentityRepository& r) {
    r.InsertSession({"ses_1", "usr_a", "digest-1", kT0, kT0, kT0 + hours(720)});
    r.InsertSession({"ses_2", "usr_a", "digest-2", kT0, kT0, kT0 + hours(720)});
    r.InsertSession({"ses_3", "usr_b", "digest-3", kT0, kT0, kT0 + hours(720)});
  });
  With(db(), [](SqlIdentityRepository& r) {
    auto s = r.FindSessionByTokenHash("digest-1");
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->id, "ses_1");
    EXPECT_EQ(s->user_id, "usr_a");
    EXPECT_EQ(s->expires_at, kT0 + hours(720));
    EXPECT_FALSE(r.FindSessionByTokenHash("digest-x").has_value());
    r.TouchSession("ses_1", kT0 + minutes(5));
    EXPECT_EQ(r.FindSessionByTokenHash("digest-1")->last_seen_at, kT0 + minutes(5));
    r.DeleteSession("ses_3");
    EXPECT_FALSE(r.FindSessionByTokenHash("digest-3").has_value());
    EXPECT_EQ(r.DeleteSessionsOfUser("usr_a"), 2);
    EXPECT_FALSE(r.FindSessionByTokenHash("digest-2").has_value());
  });
}

TEST_P(StorageContract, IdentityApiTokensWithOptionalTimes) {
  Seed(db());
  With(db(), [](SqlIdentityRepository& r) {
    r.InsertApiToken({"tok_1", "usr_a", "CI", "tdigest-1", "cairn_pat_abcd", kT0, std::nullopt,
                      std::nullopt, std::nullopt});
    r.InsertApiToken({"tok_2", "usr_a", "LMS", "tdigest-2", "cairn_pat_efgh", kT0 + minutes(1),
                      kT0 + hours(24), std::nullopt, std::nullopt});
    r.InsertApiToken({"tok_3", "usr_b", "Other", "tdigest-3", "cairn_pat_ijkl", kT0, std::nullopt,
                      std::nullopt, std::nullopt});
  });
  With(db(), [](SqlIdentityRepository& r) {
    auto t = r.FindApiTokenByHash("tdigest-1");
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->id, "tok_1");
    EXPECT_EQ(t->name, "CI");
    EXPECT_EQ(t->hint, "cairn_pat_abcd");
    EXPECT_FALSE(t->expires_at.has_value());
    EXPECT_FALSE(t->revoked_at.has_value());
    EXPECT_EQ(r.FindApiToken("tok_2")->expires_at, kT0 + hours(24));
    auto mine = r.ListApiTokens("usr_a");
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(mine[0].id, "tok_2");  // newest first
    t->revoked_at = kT0 + hours(2);
    t->last_used_at = kT0 + hours(1);
    r.UpdateApiToken(*t);
    auto back = r.FindApiToken("tok_1");
    EXPECT_EQ(back->revoked_at, kT0 + hours(2));
    EXPECT_EQ(back->last_used_at, kT0 + hours(1));
    EXPECT_FALSE(r.FindApiToken("tok_zzz").has_value());
  });
}

TEST_P(StorageContract, IdentityEmailTokensAreUsedOnce) {
  Seed(db());
  With(db(), [](SqlIdentityRepository& r) {
    r.InsertEmailToken({"e1", EmailTokenPurpose::kVerifyEmail, "usr_a", kT0, kT0 + hours(48), {}});
    r.InsertEmailToken({"r1", EmailTokenPurpose::kResetPassword, "usr_a", kT0, kT0 + hours(1), {}});
    r.InsertEmailToken({"r2", EmailTokenPurpose::kResetPassword, "usr_a", kT0, kT0 + hours(1), {}});
  });
  With(db(), [](SqlIdentityRepository& r) {
    auto e = r.FindEmailTokenByHash("e1");
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->purpose, EmailTokenPurpose::kVerifyEmail);
    EXPECT_EQ(e->user_id, "usr_a");
    EXPECT_FALSE(e->used_at.has_value());
    EXPECT_TRUE(r.MarkEmailTokenUsed("e1", kT0 + minutes(3)));
    EXPECT_EQ(r.FindEmailTokenByHash("e1")->used_at, kT0 + minutes(3));
    r.UseUpEmailTokens("usr_a", EmailTokenPurpose::kResetPassword, kT0 + minutes(4));
    EXPECT_EQ(r.FindEmailTokenByHash("r1")->used_at, kT0 + minutes(4));
    EXPECT_EQ(r.FindEmailTokenByHash("r2")->used_at, kT0 + minutes(4));
  });
  // A second use (say, by a concurrent request) is refused and keeps the first time.
  With(db(), [](SqlIdentityRepository& r) {
    EXPECT_FALSE(r.MarkEmailTokenUsed("e1", kT0 + hours(1)));
    EXPECT_EQ(r.FindEmailTokenByHash("e1")->used_at, kT0 + minutes(3));
  });
}

TEST_P(StorageContract, IdentityInvitationsIntoOrganizationsAndThePlatform) {
  Seed(db());
  Invitation into_org;
  into_org.id = "inv_1";
  into_org.organization_id = "org_d";
  into_org.email = "new@example.org";
  into_org.role = Role::kReviewer;
  into_org.invited_by = "usr_a";
  into_org.token_hash = "idigest-1";
  into_org.created_at = kT0;
  into_org.expires_at = kT0 + hours(168);
  Invitation platform = into_org;
  platform.id = "inv_2";
  platform.organization_id.clear();
  platform.role = Role::kPlatformAdmin;
  platform.token_hash = "idigest-2";
  With(db(), [&](SqlIdentityRepository& r) {
    r.InsertInvitation(into_org);
    r.InsertInvitation(platform);
  });
  With(db(), [&](SqlIdentityRepository& r) {
    auto inv = r.FindInvitationByTokenHash("idigest-1");
    ASSERT_TRUE(inv.has_value());
    EXPECT_EQ(inv->organization_id, "org_d");
    EXPECT_EQ(inv->role, Role::kReviewer);
    EXPECT_EQ(inv->invited_by, "usr_a");
    EXPECT_EQ(inv->status, InvitationStatus::kPending);
    EXPECT_EQ(inv->expires_at, kT0 + hours(168));
    EXPECT_TRUE(inv->accepted_by.empty());
    EXPECT_TRUE(r.FindInvitationByTokenHash("idigest-2")->organization_id.empty());

    ASSERT_TRUE(inv->Accept("usr_b", kT0 + hours(1)).ok());
    r.UpdateInvitation(*inv);
    auto back = r.FindInvitationByTokenHash("idigest-1");
    EXPECT_EQ(back->status, InvitationStatus::kAccepted);
    EXPECT_EQ(back->accepted_by, "usr_b");
    EXPECT_EQ(back->accepted_at, kT0 + hours(1));
  });
  // An organisation invitation must name an organisation that exists.
  Invitation bad = into_org;
  bad.id = "inv_3";
  bad.token_hash = "idigest-3";
  bad.organization_id = "org_missing";
  EXPECT_FALSE(TryWrite(db(), [&](SqlIdentityRepository& r) { r.InsertInvitation(bad); }).ok());
}

TEST_P(StorageContract, IdentityLoginFailuresCountInAWindow) {
  With(db(), [](SqlIdentityRepository& r) {
    r.RecordFailure("email:a@example.org", kT0);
    r.RecordFailure("email:a@example.org", kT0 + minutes(5));
    r.RecordFailure("email:a@example.org", kT0 + minutes(10));
    r.RecordFailure("ip:10.0.0.1", kT0 + minutes(10));
  });
  // A second handle, as another server process would open it, sees the same counts.
  auto other = OpenSame();
  auto read = other->Read([](Tx& tx) -> core::Status {
    SqlIdentityRepository r(tx);
    auto w = r.CountFailures("email:a@example.org", kT0 + minutes(1));
    EXPECT_EQ(w.failures, 2);
    EXPECT_EQ(w.oldest, kT0 + minutes(5));
    auto none = r.CountFailures("email:b@example.org", kT0);
    EXPECT_EQ(none.failures, 0);
    EXPECT_FALSE(none.oldest.has_value());
    return core::Ok();
  });
  ASSERT_TRUE(read.ok()) << Describe(read.error());
  With(db(), [](SqlIdentityRepository& r) {
    r.PruneFailures(kT0 + minutes(5));
    EXPECT_EQ(r.CountFailures("email:a@example.org", kT0 - hours(1)).failures, 1);
    r.ClearFailures("email:a@example.org");
    EXPECT_EQ(r.CountFailures("email:a@example.org", kT0 - hours(1)).failures, 0);
    EXPECT_EQ(r.CountFailures("ip:10.0.0.1", kT0 - hours(1)).failures, 1);
  });
}

}  // namespace cairn::storage
