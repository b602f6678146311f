#pragma once
// Evidence files: what a finished upload becomes. The bytes live in the content-addressed blob
// store; this is the reference and what was learned about it (sniffed type, warnings, transcode).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog/micro_credential.hpp"
#include "core/common/clock.hpp"

namespace cairn::core::evidence {

struct EvidenceFile {
  std::string id;  // "fil_…"
  std::string owner_id;
  std::string enrolment_id;
  std::string sha256;  // hex; the blob holding the (sanitised) original
  std::int64_t size = 0;
  std::string media_type;  // sniffed from the content, never taken from the client
  catalog::ArtifactKind kind = catalog::ArtifactKind::kDocument;
  std::string filename;               // sanitised; shown to the owner and admins, never to reviewers
  std::vector<std::string> warnings;  // e.g. "author_metadata: the document names its author"
  std::string playable_sha256;        // the H.264/AAC copy of a video Chromium cannot play
  std::string transcode_state;        // "none", "pending", "done", "failed"
  TimePoint created_at{};
  bool deleted = false;
};

enum class UploadState { kReceiving, kComplete };

// A tus upload in progress: the bytes so far live in a partial file named by the id; offset is
// what has been written and fsynced, so a resumed upload never trusts bytes that may be lost.
struct Upload {
  std::string id;  // "upl_…"
  std::string owner_id;
  std::string enrolment_id;
  std::int64_t length = 0;
  std::int64_t offset = 0;
  std::string metadata;  // the decoded Upload-Metadata pairs as a JSON object
  std::string filename;  // sanitised
  std::optional<int> requirement;
  UploadState state = UploadState::kReceiving;
  TimePoint created_at{};
  TimePoint expires_at{};
  std::string file_id;  // set once complete
};

// The file part of the storage port that other slices read. The uploads slice owns it and may add
// the methods it needs for tus uploads.
class FileRepository {
 public:
  virtual ~FileRepository() = default;
  virtual void InsertFile(const EvidenceFile& f) = 0;
  virtual void UpdateFile(const EvidenceFile& f) = 0;
  virtual std::optional<EvidenceFile> FindFile(const std::string& id) = 0;
  virtual std::vector<EvidenceFile> ListFiles(const std::string& enrolment_id) = 0;

  virtual void InsertUpload(const Upload& u) = 0;
  // Saves offset, state and file_id.
  virtual void UpdateUpload(const Upload& u) = 0;
  virtual std::optional<Upload> FindUpload(const std::string& id) = 0;
  virtual void DeleteUpload(const std::string& id) = 0;
  // Unfinished uploads whose expiry passed, oldest first.
  virtual std::vector<Upload> ListExpiredUploads(TimePoint now, int limit) = 0;
  // Bytes an enrolment holds: its files that are not deleted plus the declared length of its
  // unfinished uploads, so parallel uploads cannot overshoot the submission limit together.
  virtual std::int64_t EnrolmentBytes(const std::string& enrolment_id) = 0;
  // Does any file (deleted or not: a submitted attempt may still show it) use this blob, as
  // original or playable copy?
  virtual bool BlobReferenced(const std::string& sha256) = 0;
};

}  // namespace cairn::core::evidence
