#pragma once
// Evidence uploads (tus 1.0.0) and the files they become. Use cases take the caller, check that
// the upload or file is theirs (or that the review area lends access), and keep each change to one
// UnitOfWork::Write with an audit record. Bytes go through the EvidenceStore port.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "app/uploads/evidence_store.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/evidence/file.hpp"
#include "core/identity/principal.hpp"
#include "core/ports/transaction.hpp"

namespace cairn::app::uploads {

using core::identity::Principal;

// How someone other than the owner may read a file; reviewers see it under a neutral name.
enum class Access { kNone, kOwner, kIssuerAdmin, kReviewer };
using AccessCheck = std::function<Access(core::Transaction&, const Principal&,
                                         const core::evidence::EvidenceFile&)>;

struct UploadLimits {
  std::int64_t max_file_bytes = std::int64_t{2} << 30;
  std::int64_t max_submission_bytes = std::int64_t{8} << 30;
  std::chrono::hours expiry{72};
  // Blobs no file references are removed once this old, so an upload finishing right now is safe.
  std::chrono::hours blob_grace{24};
};

struct PatchOutcome {
  core::evidence::Upload upload;
  std::string file_id;  // set when this PATCH completed the upload
};

struct FileView {
  core::evidence::EvidenceFile file;
  Access access = Access::kNone;
};

struct ContentView {
  std::string path;
  std::string sha256;
  std::string media_type;
  std::string download_name;  // the sanitised original, or "evidence-<id>.<ext>" for reviewers
  Access access = Access::kNone;
};

class Uploads {
 public:
  Uploads(core::UnitOfWork& uow, core::Clock& clock, core::IdGenerator& ids, EvidenceStore& store,
          UploadLimits limits, AccessCheck access = {});

  const UploadLimits& limits() const { return limits_; }
  void SetAccessCheck(AccessCheck access) { access_ = std::move(access); }

  // metadata: decoded Upload-Metadata. Needs "enrolment" (the caller's active enrolment);
  // "filename", "filetype", "requirement" (artifact index) are optional.
  core::Result<core::evidence::Upload> Create(const Principal& actor, std::int64_t length,
                                              const std::map<std::string, std::string>& metadata);
  // The caller's upload (kNotFound otherwise; expired → kInvalidState with code "expired").
  core::Result<core::evidence::Upload> Get(const Principal& actor, const std::string& id);
  // Appends the body at offset. One request per upload at a time (another → kConflict). A body
  // longer than the rest of the upload → kTooLarge, keeping nothing past the declared length.
  core::Result<PatchOutcome> Patch(const Principal& actor, const std::string& id,
                                   std::int64_t offset, std::optional<std::uint64_t> body_length,
                                   const ReadFn& read);
  core::Status Terminate(const Principal& actor, const std::string& id);

  core::Result<FileView> GetFile(const Principal& actor, const std::string& id);
  // variant: "" (the stored original) or "playable".
  core::Result<ContentView> GetContent(const Principal& actor, const std::string& id,
                                       const std::string& variant);
  core::Status DeleteFile(const Principal& actor, const std::string& id);

  // Jobs.
  core::Status Cleanup();
  core::Status TranscodeFile(const std::string& file_id);

  // Whether an upload error means "expired" (410) rather than another conflict.
  static bool IsExpired(const core::Error& error);

 private:
  class Lock;
  core::Result<core::evidence::Upload> LoadOwned(core::Transaction& tx, const Principal& actor,
                                                 const std::string& id);
  core::Result<std::string> Complete(const Principal& actor, const core::evidence::Upload& upload);

  core::UnitOfWork& uow_;
  core::Clock& clock_;
  core::IdGenerator& ids_;
  EvidenceStore& store_;
  UploadLimits limits_;
  AccessCheck access_;
  std::mutex busy_mutex_;
  std::set<std::string> busy_;
};

}  // namespace cairn::app::uploads
