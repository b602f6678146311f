// The award repository on both dialects: credentials with their unique submission and status
// index, irreversible revocation, visibility, issuer keys with one active key, settings and
// status lists.
#include <gtest/gtest.h>

#include "core/awards/award_repository.hpp"
#include "storage/identity_repository.hpp"
#include "storage/repositories.hpp"
#include "storage_contract.hpp"

namespace cairn::storage {
namespace {

using core::awards::Award;
using core::awards::IssuerKey;
using core::awards::StatusList;
using core::awards::Visibility;

core::TimePoint At(const char* text) {
  core::TimePoint t{};
  core::ParseTime(text, t);
  return t;
}

void SeedAwardWorld(Tx& tx) {
  SqlIdentityRepository identity(tx);
  core::identity::Organization org;
  org.id = "org_issuer";
  org.name = "Issuer";
  org.kind = core::identity::OrgKind::kNonprofit;
  org.issuer = true;
  org.created_at = At("2026-11-01T00:00:00Z");
  identity.InsertOrganization(org);
  for (const char* id : {"usr_a", "usr_b"}) {
    core::identity::User u;
    u.id = id;
    u.email = std::string(id) + "@example.org";
    u.display_name = id;
    u.password_hash = "x";
    u.created_at = u.updated_at = org.created_at;
    identity.InsertUser(u);
  }
  StatusList list;
  list.id = "sl_1";
  list.issuer_id = "org_issuer";
  list.updated_at = org.created_at;
  MakeAwardRepository(tx)->InsertStatusList(list);
}

Award MakeAward(const std::string& id, const std::string& submission, const std::string& user,
                std::int64_t index, const char* issued) {
  Award a;
  a.id = id;
  a.submission_id = submission;
  a.user_id = user;
  a.issuer_id = "org_issuer";
  a.micro_credential_id = "mc_1";
  a.version = 2;
  a.status_list_id = "sl_1";
  a.status_index = index;
  a.issued_at = At(issued);
  a.signed_json = R"({"id":")" + id + R"("})";
  return a;
}

TEST_P(StorageContract, AwardsRoundTripAndListByUserAndIssuer) {
  MustWrite([](Tx& tx) -> core::Status {
    SeedAwardWorld(tx);
    auto repo = MakeAwardRepository(tx);
    Award first = MakeAward("cred_1", "sub_1", "usr_a", 70000, "2026-11-02T00:00:00Z");
    first.valid_until = At("2027-11-02T00:00:00Z");
    repo->InsertAward(first);
    repo->InsertAward(MakeAward("cred_2", "sub_2", "usr_b", 5, "2026-11-03T00:00:00Z"));
    repo->InsertAward(MakeAward("cred_3", "sub_3", "usr_a", 131071, "2026-11-04T00:00:00Z"));
    return core::Ok();
  });
  MustRead([](Tx& tx) -> core::Status {
    auto repo = MakeAwardRepository(tx);
    const auto found = repo->FindAward("cred_1");
    EXPECT_TRUE(found.has_value());
    if (!found) return core::Ok();
    EXPECT_EQ(found->submission_id, "sub_1");
    EXPECT_EQ(found->version, 2);
    EXPECT_EQ(found->status_index, 70000);
    EXPECT_EQ(found->issued_at, At("2026-11-02T00:00:00Z"));
    EXPECT_EQ(found->valid_until, At("2027-11-02T00:00:00Z"));
    EXPECT_FALSE(found->revoked_at.has_value());
    EXPECT_EQ(found->visibility, Visibility::kPublic);
    EXPECT_EQ(found->signed_json, R"({"id":"cred_1"})");
    EXPECT_EQ(repo->FindAwardBySubmission("sub_2")->id, "cred_2");
    EXPECT_FALSE(repo->FindAward("cred_none").has_value());
    std::vector<std::string> ids;
    for (const auto& a : repo->ListAwards({"usr_a", ""})) ids.push_back(a.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"cred_3", "cred_1"}));  // newest first
    EXPECT_EQ(repo->ListAwards({"", "org_issuer"}).size(), 3u);
    EXPECT_EQ(repo->ListAwards({}).size(), 3u);
    EXPECT_TRUE(repo->ListAwards({"", "org_other"}).empty());
    EXPECT_TRUE(repo->IndexInUse("sl_1", 131071));
    EXPECT_FALSE(repo->IndexInUse("sl_1", 131070));
    return core::Ok();
  });
}

TEST_P(StorageContract, OneCredentialPerSubmissionAndPerStatusIndex) {
  MustWrite([](Tx& tx) -> core::Status {
    SeedAwardWorld(tx);
    MakeAwardRepository(tx)->InsertAward(MakeAward("cred_1", "sub_1", "usr_a", 7, "2026-11-02T00:00:00Z"));
    return core::Ok();
  });
  auto same_submission = db().Write([](Tx& tx) -> core::Status {
    MakeAwardRepository(tx)->InsertAward(MakeAward("cred_2", "sub_1", "usr_a", 8, "2026-11-02T00:00:00Z"));
    return core::Ok();
  });
  ASSERT_FALSE(same_submission.ok());
  EXPECT_EQ(same_submission.error().code, core::ErrorCode::kConflict);
  auto same_index = db().Write([](Tx& tx) -> core::Status {
    MakeAwardRepository(tx)->InsertAward(MakeAward("cred_3", "sub_3", "usr_b", 7, "2026-11-02T00:00:00Z"));
    return core::Ok();
  });
  ASSERT_FALSE(same_index.ok());
  EXPECT_EQ(same_index.error().code, core::ErrorCode::kConflict);
}

TEST_P(StorageContract, RevocationHappensOnceAndFeedsTheStatusList) {
  MustWrite([](Tx& tx) -> core::Status {
    SeedAwardWorld(tx);
    auto repo = MakeAwardRepository(tx);
    repo->InsertAward(MakeAward("cred_1", "sub_1", "usr_a", 900, "2026-11-02T00:00:00Z"));
    repo->InsertAward(MakeAward("cred_2", "sub_2", "usr_b", 12, "2026-11-02T00:00:00Z"));
    repo->InsertAward(MakeAward("cred_3", "sub_3", "usr_b", 13, "2026-11-02T00:00:00Z"));
    EXPECT_TRUE(repo->MarkRevoked("cred_1", At("2026-11-05T00:00:00Z"), "plagiarised"));
    EXPECT_FALSE(repo->MarkRevoked("cred_1", At("2026-11-06T00:00:00Z"), "again"));
    EXPECT_FALSE(repo->MarkRevoked("cred_none", At("2026-11-06T00:00:00Z"), "x"));
    EXPECT_TRUE(repo->MarkRevoked("cred_2", At("2026-11-06T00:00:00Z"), "error"));
    EXPECT_TRUE(repo->SetVisibility("cred_3", Visibility::kPrivate));
    EXPECT_FALSE(repo->SetVisibility("cred_none", Visibility::kPrivate));
    repo->CountAllocation("sl_1");
    repo->UpdateStatusListSignature("sl_1", 2, At("2026-11-06T00:00:00Z"), R"({"signed":true})");
    return core::Ok();
  });
  MustRead([](Tx& tx) -> core::Status {
    auto repo = MakeAwardRepository(tx);
    const auto revoked = repo->FindAward("cred_1");
    EXPECT_EQ(revoked->revoked_at, At("2026-11-05T00:00:00Z"));  // the first revocation stands
    EXPECT_EQ(revoked->revocation_reason, "plagiarised");
    EXPECT_EQ(repo->RevokedIndexes("sl_1"), (std::vector<std::int64_t>{12, 900}));
    EXPECT_EQ(repo->FindAward("cred_3")->visibility, Visibility::kPrivate);
    const auto list = repo->FindStatusList("sl_1");
    EXPECT_TRUE(list.has_value());
    if (!list) return core::Ok();
    EXPECT_EQ(list->size, 131072);
    EXPECT_EQ(list->allocated, 1);
    EXPECT_EQ(list->version, 2);
    EXPECT_EQ(list->signed_json, R"({"signed":true})");
    EXPECT_EQ(repo->OpenStatusList("org_issuer", "revocation")->id, "sl_1");
    EXPECT_FALSE(repo->OpenStatusList("org_issuer", "suspension").has_value());
    return core::Ok();
  });
}

TEST_P(StorageContract, IssuerKeysRotateWithOneActiveKeyAndSettingsPersist) {
  MustWrite([](Tx& tx) -> core::Status {
    SeedAwardWorld(tx);
    auto repo = MakeAwardRepository(tx);
    IssuerKey k{"key_1", "org_issuer", "z6MkOne", "aa", "bb", At("2026-11-01T00:00:00Z"), std::nullopt};
    repo->InsertKey(k);
    EXPECT_EQ(repo->ActiveKey("org_issuer")->id, "key_1");
    repo->RetireKey("key_1", At("2026-11-02T00:00:00Z"));
    repo->InsertKey({"key_2", "org_issuer", "z6MkTwo", "cc", "dd", At("2026-11-02T00:00:00Z"), std::nullopt});
    core::awards::IssuerSettings s;
    s.issuer_id = "org_issuer";
    s.identity = core::awards::IssuerIdentity::kDidKey;
    s.suite = "eddsa-jcs-2022";
    s.valid_days = 30;
    repo->PutSettings(s);
    s.valid_days.reset();
    repo->PutSettings(s);  // replaces
    return core::Ok();
  });
  // A second active key for the same issuer is refused by the schema.
  auto second_active = db().Write([](Tx& tx) -> core::Status {
    MakeAwardRepository(tx)->InsertKey(
        {"key_3", "org_issuer", "z6MkThree", "ee", "ff", At("2026-11-03T00:00:00Z"), std::nullopt});
    return core::Ok();
  });
  ASSERT_FALSE(second_active.ok());
  EXPECT_EQ(second_active.error().code, core::ErrorCode::kConflict);
  MustRead([](Tx& tx) -> core::Status {
    auto repo = MakeAwardRepository(tx);
    const auto keys = repo->ListKeys("org_issuer");
    EXPECT_EQ(keys.size(), 2u);
    if (keys.size() != 2) return core::Ok();
    EXPECT_EQ(keys[0].id, "key_1");
    EXPECT_EQ(keys[0].retired_at, At("2026-11-02T00:00:00Z"));
    EXPECT_EQ(keys[0].sealed_nonce_hex, "aa");
    EXPECT_EQ(keys[0].sealed_secret_hex, "bb");
    EXPECT_FALSE(keys[1].retired_at.has_value());
    EXPECT_EQ(repo->ActiveKey("org_issuer")->public_multikey, "z6MkTwo");
    EXPECT_FALSE(repo->ActiveKey("org_other").has_value());
    const auto s = repo->GetSettings("org_issuer");
    EXPECT_EQ(s.identity, core::awards::IssuerIdentity::kDidKey);
    EXPECT_EQ(s.suite, "eddsa-jcs-2022");
    EXPECT_FALSE(s.valid_days.has_value());
    const auto defaults = repo->GetSettings("org_other");
    EXPECT_EQ(defaults.identity, core::awards::IssuerIdentity::kHosted);
    EXPECT_EQ(defaults.suite, "eddsa-rdfc-2022");
    return core::Ok();
  });
}

}  // namespace
}  // namespace cairn::storage
