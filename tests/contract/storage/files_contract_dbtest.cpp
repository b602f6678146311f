// The evidence files and tus uploads contract, on SQLite and on PostgreSQL.
#include "core/evidence/file.hpp"
#include "storage/identity_repository.hpp"
#include "storage/repositories.hpp"
#include "storage_contract.hpp"

namespace cairn::storage {
namespace {

using core::evidence::EvidenceFile;
using core::evidence::FileRepository;
using core::evidence::Upload;
using core::evidence::UploadState;

const core::TimePoint kT0{std::chrono::seconds(1'795'405'260)};  // 2026-11-23T03:41:00Z
const std::string kSha(64, 'a');

void SeedUser(StorageContract& t, Database& db, const std::string& id) {
  auto st = db.Write([&](Tx& tx) -> core::Status {
    core::identity::User u;
    u.id = id;
    u.email = id + "@example.org";
    u.display_name = id;
    u.password_hash = "x";
    u.created_at = u.updated_at = kT0;
    SqlIdentityRepository(tx).InsertUser(u);
    return core::Ok();
  });
  ASSERT_TRUE(st.ok()) << Describe(st.error());
  (void)t;
}

core::Status WithFiles(Database& db, const std::function<void(FileRepository&)>& fn) {
  return db.Write([&](Tx& tx) -> core::Status {
    auto repo = MakeFileRepository(tx);
    fn(*repo);
    return core::Ok();
  });
}

Upload MakeUpload(const std::string& id, std::int64_t length, core::TimePoint expires) {
  Upload u;
  u.id = id;
  u.owner_id = "usr_ana";
  u.enrolment_id = "enr_1";
  u.length = length;
  u.metadata = R"({"filename":"notes.pdf"})";
  u.filename = "notes.pdf";
  u.created_at = kT0;
  u.expires_at = expires;
  return u;
}

EvidenceFile MakeFile(const std::string& id, const std::string& sha, std::int64_t size) {
  EvidenceFile f;
  f.id = id;
  f.owner_id = "usr_ana";
  f.enrolment_id = "enr_1";
  f.sha256 = sha;
  f.size = size;
  f.media_type = "video/quicktime";
  f.kind = core::catalog::ArtifactKind::kVideo;
  f.filename = "lesson – week 3.mov";
  f.warnings = {"author_metadata: the document names its author (\"A\")"};
  f.transcode_state = "pending";
  f.created_at = kT0;
  return f;
}

TEST_P(StorageContract, FilesUploadRoundTripsAndAdvances) {
  SeedUser(*this, db(), "usr_ana");
  auto big = std::int64_t{3} << 30;  // past 32 bits on purpose
  Upload u = MakeUpload("upl_1", big, kT0 + std::chrono::hours(72));
  u.requirement = 2;
  MustWrite([&](Tx& tx) {
    MakeFileRepository(tx)->InsertUpload(u);
    return core::Ok();
  });
  std::optional<Upload> got;
  MustRead([&](Tx& tx) {
    got = MakeFileRepository(tx)->FindUpload("upl_1");
    return core::Ok();
  });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->owner_id, "usr_ana");
  EXPECT_EQ(got->length, big);
  EXPECT_EQ(got->offset, 0);
  EXPECT_EQ(got->requirement, 2);
  EXPECT_EQ(got->metadata, u.metadata);
  EXPECT_EQ(got->state, UploadState::kReceiving);
  EXPECT_EQ(got->expires_at, u.expires_at);
  EXPECT_TRUE(got->file_id.empty());

  got->offset = (std::int64_t{2} << 30) + 7;
  MustWrite([&](Tx& tx) {
    MakeFileRepository(tx)->UpdateUpload(*got);
    return core::Ok();
  });
  std::int64_t held = 0;
  MustRead([&](Tx& tx) {
    got = MakeFileRepository(tx)->FindUpload("upl_1");
    held = MakeFileRepository(tx)->EnrolmentBytes("enr_1");
    return core::Ok();
  });
  EXPECT_EQ(got->offset, (std::int64_t{2} << 30) + 7);
  EXPECT_EQ(held, big);  // an open upload counts with its declared length
  MustRead([&](Tx& tx) {
    EXPECT_FALSE(MakeFileRepository(tx)->FindUpload("upl_nope"));
    return core::Ok();
  });
}

TEST_P(StorageContract, FilesOffsetBeyondLengthIsRefusedByTheSchema) {
  SeedUser(*this, db(), "usr_ana");
  Upload u = MakeUpload("upl_2", 10, kT0);
  MustWrite([&](Tx& tx) {
    MakeFileRepository(tx)->InsertUpload(u);
    return core::Ok();
  });
  u.offset = 11;
  auto st = WithFiles(db(), [&](FileRepository& r) { r.UpdateUpload(u); });
  EXPECT_FALSE(st.ok());
}

TEST_P(StorageContract, FilesRoundTripAndCountTowardTheEnrolment) {
  SeedUser(*this, db(), "usr_ana");
  EvidenceFile f = MakeFile("fil_1", kSha, 1000);
  EvidenceFile g = MakeFile("fil_2", std::string(64, 'b'), 500);
  MustWrite([&](Tx& tx) {
    auto repo = MakeFileRepository(tx);
    repo->InsertFile(f);
    repo->InsertFile(g);
    repo->InsertUpload(MakeUpload("upl_3", 300, kT0));
    return core::Ok();
  });
  MustRead([&](Tx& tx) {
    auto repo = MakeFileRepository(tx);
    auto got = repo->FindFile("fil_1");
    EXPECT_TRUE(got);
    if (!got) return core::Ok();
    EXPECT_EQ(got->filename, f.filename);
    EXPECT_EQ(got->warnings, f.warnings);
    EXPECT_EQ(got->kind, core::catalog::ArtifactKind::kVideo);
    EXPECT_EQ(got->transcode_state, "pending");
    EXPECT_EQ(got->created_at, kT0);
    EXPECT_FALSE(got->deleted);
    EXPECT_EQ(repo->ListFiles("enr_1").size(), 2u);
    EXPECT_EQ(repo->EnrolmentBytes("enr_1"), 1800);
    EXPECT_EQ(repo->EnrolmentBytes("enr_other"), 0);
    EXPECT_TRUE(repo->BlobReferenced(kSha));
    return core::Ok();
  });
  // A transcode result and a deletion.
  f.playable_sha256 = std::string(64, 'c');
  f.transcode_state = "done";
  g.deleted = true;
  MustWrite([&](Tx& tx) {
    auto repo = MakeFileRepository(tx);
    repo->UpdateFile(f);
    repo->UpdateFile(g);
    return core::Ok();
  });
  MustRead([&](Tx& tx) {
    auto repo = MakeFileRepository(tx);
    EXPECT_EQ(repo->FindFile("fil_1")->playable_sha256, std::string(64, 'c'));
    EXPECT_TRUE(repo->BlobReferenced(std::string(64, 'c')));
    EXPECT_FALSE(repo->BlobReferenced(std::string(64, 'b')));  // only a deleted file used it
    EXPECT_EQ(repo->ListFiles("enr_1").size(), 1u);
    EXPECT_EQ(repo->EnrolmentBytes("enr_1"), 1300);
    return core::Ok();
  });
}

TEST_P(StorageContract, FilesExpiredUploadsAreListedOldestFirstAndDeleted) {
  SeedUser(*this, db(), "usr_ana");
  MustWrite([&](Tx& tx) {
    auto repo = MakeFileRepository(tx);
    repo->InsertUpload(MakeUpload("upl_late", 1, kT0 + std::chrono::hours(2)));
    repo->InsertUpload(MakeUpload("upl_early", 1, kT0 + std::chrono::hours(1)));
    repo->InsertUpload(MakeUpload("upl_future", 1, kT0 + std::chrono::hours(100)));
    Upload done = MakeUpload("upl_done", 1, kT0);
    done.offset = 1;
    done.state = UploadState::kComplete;
    done.file_id = "fil_x";
    repo->InsertUpload(done);
    return core::Ok();
  });
  std::vector<Upload> expired;
  MustRead([&](Tx& tx) {
    expired = MakeFileRepository(tx)->ListExpiredUploads(kT0 + std::chrono::hours(3), 10);
    return core::Ok();
  });
  ASSERT_EQ(expired.size(), 2u);
  EXPECT_EQ(expired[0].id, "upl_early");
  EXPECT_EQ(expired[1].id, "upl_late");
  MustWrite([&](Tx& tx) {
    MakeFileRepository(tx)->DeleteUpload("upl_early");
    return core::Ok();
  });
  MustRead([&](Tx& tx) {
    auto repo = MakeFileRepository(tx);
    EXPECT_FALSE(repo->FindUpload("upl_early"));
    EXPECT_EQ(repo->FindUpload("upl_done")->file_id, "fil_x");
    EXPECT_EQ(repo->ListExpiredUploads(kT0 + std::chrono::hours(3), 10).size(), 1u);
    return core::Ok();
  });
}

TEST_P(StorageContract, FilesOwnerMustBeAKnownUser) {
  auto st = WithFiles(db(), [&](FileRepository& r) { r.InsertFile(MakeFile("fil_x", kSha, 1)); });
  EXPECT_FALSE(st.ok());
}

}  // namespace
}  // namespace cairn::storage
