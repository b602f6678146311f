#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/evidence/file.hpp"
#include "storage/repositories.hpp"

namespace cairn::storage {
namespace {

using core::TimePoint;
using core::evidence::EvidenceFile;
using core::evidence::Upload;
using core::evidence::UploadState;

constexpr const char* kFileColumns =
    "SELECT public_id, owner_id, enrolment_id, sha256, size, media_type, kind, filename, warnings, "
    "playable_sha256, transcode_state, created_at, deleted FROM evidence_files ";
constexpr const char* kInsertFile =
    "INSERT INTO evidence_files (public_id, owner_id, enrolment_id, sha256, size, media_type, "
    "kind, "
    "filename, warnings, playable_sha256, transcode_state, created_at, deleted) VALUES (:id, "
    ":owner, :enrolment, :sha, :size, :media, :kind, :filename, :warnings, :playable, :transcode, "
    ":created, :deleted)";
constexpr const char* kUpdateFile =
    "UPDATE evidence_files SET media_type = :media, kind = :kind, filename = :filename, "
    "warnings = :warnings, playable_sha256 = :playable, transcode_state = :transcode, "
    "deleted = :deleted WHERE public_id = :id";

constexpr const char* kUploadColumns =
    "SELECT public_id, owner_id, enrolment_id, length, upload_offset, metadata, filename, "
    "requirement, state, created_at, expires_at, file_id FROM uploads ";
constexpr const char* kInsertUpload =
    "INSERT INTO uploads (public_id, owner_id, enrolment_id, length, upload_offset, metadata, "
    "filename, requirement, state, created_at, expires_at, file_id) VALUES (:id, :owner, "
    ":enrolment, :length, :offset, :metadata, :filename, :requirement, :state, :created, "
    ":expires, :file)";
constexpr const char* kUpdateUpload =
    "UPDATE uploads SET upload_offset = :offset, state = :state, file_id = :file "
    "WHERE public_id = :id";
constexpr const char* kDeleteUpload = "DELETE FROM uploads WHERE public_id = :id";
constexpr const char* kEnrolmentBytes =
    "SELECT (SELECT COALESCE(SUM(size), 0) FROM evidence_files WHERE enrolment_id = :e1 AND "
    "deleted = 0) + (SELECT COALESCE(SUM(length), 0) FROM uploads WHERE enrolment_id = :e2 AND "
    "state = 'receiving')";
constexpr const char* kBlobReferenced =
    "SELECT count(*) FROM evidence_files WHERE deleted = 0 AND (sha256 = :s1 OR playable_sha256 = "
    ":s2)";

TimePoint Time(const std::string& text) {
  TimePoint t{};
  if (!core::ParseTime(text, t)) throw std::runtime_error("unreadable time in database: " + text);
  return t;
}

std::string WarningsJson(const std::vector<std::string>& warnings) {
  return nlohmann::json(warnings).dump();
}

struct FileRow {
  std::string id, owner, enrolment, sha, media, kind, filename, warnings, playable, transcode,
      created;
  std::int64_t size = 0;
  int deleted = 0;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(owner));
    st.exchange(soci::into(enrolment));
    st.exchange(soci::into(sha));
    st.exchange(soci::into(size));
    st.exchange(soci::into(media));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(filename));
    st.exchange(soci::into(warnings));
    st.exchange(soci::into(playable));
    st.exchange(soci::into(transcode));
    st.exchange(soci::into(created));
    st.exchange(soci::into(deleted));
  }
  EvidenceFile ToFile() const {
    EvidenceFile f;
    f.id = id;
    f.owner_id = owner;
    f.enrolment_id = enrolment;
    f.sha256 = sha;
    f.size = size;
    f.media_type = media;
    auto k = core::catalog::ParseArtifactKind(kind);
    if (!k) throw std::runtime_error("unknown artifact kind " + kind);
    f.kind = *k;
    f.filename = filename;
    for (const auto& w : nlohmann::json::parse(warnings))
      f.warnings.push_back(w.get<std::string>());
    f.playable_sha256 = playable;
    f.transcode_state = transcode;
    f.created_at = Time(created);
    f.deleted = deleted != 0;
    return f;
  }
};

struct UploadRow {
  std::string id, owner, enrolment, metadata, filename, state, created, expires, file;
  std::int64_t length = 0, offset = 0;
  int requirement = 0;
  soci::indicator requirement_ind = soci::i_null, file_ind = soci::i_null;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(owner));
    st.exchange(soci::into(enrolment));
    st.exchange(soci::into(length));
    st.exchange(soci::into(offset));
    st.exchange(soci::into(metadata));
    st.exchange(soci::into(filename));
    st.exchange(soci::into(requirement, requirement_ind));
    st.exchange(soci::into(state));
    st.exchange(soci::into(created));
    st.exchange(soci::into(expires));
    st.exchange(soci::into(file, file_ind));
  }
  Upload ToUpload() const {
    Upload u;
    u.id = id;
    u.owner_id = owner;
    u.enrolment_id = enrolment;
    u.length = length;
    u.offset = offset;
    u.metadata = metadata;
    u.filename = filename;
    if (requirement_ind != soci::i_null) u.requirement = requirement;
    if (state == "receiving") {
      u.state = UploadState::kReceiving;
    } else if (state == "complete") {
      u.state = UploadState::kComplete;
    } else {
      throw std::runtime_error("unknown upload state " + state);
    }
    u.created_at = Time(created);
    u.expires_at = Time(expires);
    if (file_ind != soci::i_null) u.file_id = file;
    return u;
  }
};

// Prepares sql with the row's columns bound as into() and the parameters as use(); the caller
// fetches. Parameters must outlive the statement.
template <class Row, class... Params>
std::unique_ptr<soci::statement> Prepare(Tx& tx, Row& row, const std::string& sql,
                                         Params&... params) {
  auto st = std::make_unique<soci::statement>(tx.sql());
  row.Bind(*st);
  (st->exchange(soci::use(params)), ...);
  st->alloc();
  st->prepare(sql);
  st->define_and_bind();
  st->execute(false);
  return st;
}

std::string StateText(UploadState s) {
  return s == UploadState::kComplete ? "complete" : "receiving";
}

class SqlFileRepository final : public core::evidence::FileRepository {
 public:
  explicit SqlFileRepository(Tx& tx) : tx_(tx) {}

  void InsertFile(const EvidenceFile& f) override {
    std::string kind(core::catalog::ToString(f.kind)), warnings = WarningsJson(f.warnings),
                                                       created = core::FormatTime(f.created_at);
    std::int64_t size = f.size;
    int deleted = f.deleted ? 1 : 0;
    tx_.sql() << kInsertFile, soci::use(f.id), soci::use(f.owner_id), soci::use(f.enrolment_id),
        soci::use(f.sha256), soci::use(size), soci::use(f.media_type), soci::use(kind),
        soci::use(f.filename), soci::use(warnings), soci::use(f.playable_sha256),
        soci::use(f.transcode_state), soci::use(created), soci::use(deleted);
  }

  void UpdateFile(const EvidenceFile& f) override {
    std::string kind(core::catalog::ToString(f.kind)), warnings = WarningsJson(f.warnings);
    int deleted = f.deleted ? 1 : 0;
    soci::statement st =
        (tx_.sql().prepare << kUpdateFile, soci::use(f.media_type), soci::use(kind),
         soci::use(f.filename), soci::use(warnings), soci::use(f.playable_sha256),
         soci::use(f.transcode_state), soci::use(deleted), soci::use(f.id));
    st.execute(true);
    if (st.get_affected_rows() != 1) throw std::runtime_error("update evidence file: no such row");
  }

  std::optional<EvidenceFile> FindFile(const std::string& id) override {
    FileRow r;
    std::string key = id;
    auto st = Prepare(tx_, r, std::string(kFileColumns) + "WHERE public_id = :id", key);
    if (!st->fetch()) return std::nullopt;
    return r.ToFile();
  }

  std::vector<EvidenceFile> ListFiles(const std::string& enrolment_id) override {
    FileRow r;
    std::string key = enrolment_id;
    auto st = Prepare(tx_, r,
                      std::string(kFileColumns) +
                          "WHERE enrolment_id = :e AND deleted = 0 ORDER BY created_at, id",
                      key);
    std::vector<EvidenceFile> out;
    while (st->fetch()) out.push_back(r.ToFile());
    return out;
  }

  void InsertUpload(const Upload& u) override {
    std::string state = StateText(u.state), created = core::FormatTime(u.created_at),
                expires = core::FormatTime(u.expires_at);
    std::int64_t length = u.length, offset = u.offset;
    int requirement = u.requirement.value_or(0);
    soci::indicator requirement_ind = u.requirement ? soci::i_ok : soci::i_null;
    std::string file = u.file_id;
    soci::indicator file_ind = u.file_id.empty() ? soci::i_null : soci::i_ok;
    tx_.sql() << kInsertUpload, soci::use(u.id), soci::use(u.owner_id), soci::use(u.enrolment_id),
        soci::use(length), soci::use(offset), soci::use(u.metadata), soci::use(u.filename),
        soci::use(requirement, requirement_ind), soci::use(state), soci::use(created),
        soci::use(expires), soci::use(file, file_ind);
  }

  void UpdateUpload(const Upload& u) override {
    std::string state = StateText(u.state);
    std::int64_t offset = u.offset;
    std::string file = u.file_id;
    soci::indicator file_ind = u.file_id.empty() ? soci::i_null : soci::i_ok;
    soci::statement st = (tx_.sql().prepare << kUpdateUpload, soci::use(offset), soci::use(state),
                          soci::use(file, file_ind), soci::use(u.id));
    st.execute(true);
    if (st.get_affected_rows() != 1) throw std::runtime_error("update upload: no such row");
  }

  std::optional<Upload> FindUpload(const std::string& id) override {
    UploadRow r;
    std::string key = id;
    auto st = Prepare(tx_, r, std::string(kUploadColumns) + "WHERE public_id = :id", key);
    if (!st->fetch()) return std::nullopt;
    return r.ToUpload();
  }

  void DeleteUpload(const std::string& id) override { tx_.sql() << kDeleteUpload, soci::use(id); }

  std::vector<Upload> ListExpiredUploads(TimePoint now, int limit) override {
    std::string at = core::FormatTime(now);
    UploadRow r;
    auto st = Prepare(tx_, r,
                      std::string(kUploadColumns) +
                          "WHERE state = 'receiving' AND expires_at <= :now "
                          "ORDER BY expires_at, id LIMIT :limit",
                      at, limit);
    std::vector<Upload> out;
    while (st->fetch()) out.push_back(r.ToUpload());
    return out;
  }

  std::int64_t EnrolmentBytes(const std::string& enrolment_id) override {
    std::int64_t total = 0;
    tx_.sql() << kEnrolmentBytes, soci::use(enrolment_id), soci::use(enrolment_id),
        soci::into(total);
    return total;
  }

  bool BlobReferenced(const std::string& sha256) override {
    std::int64_t count = 0;
    tx_.sql() << kBlobReferenced, soci::use(sha256), soci::use(sha256), soci::into(count);
    return count > 0;
  }

 private:
  Tx& tx_;
};

}  // namespace

std::unique_ptr<core::evidence::FileRepository> MakeFileRepository(Tx& tx) {
  return std::make_unique<SqlFileRepository>(tx);
}

}  // namespace cairn::storage
