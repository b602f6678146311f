#pragma once
// The uploads slice's port to the disk: partial files of tus uploads, and the content-addressed
// blobs they become once inspected (sniffed, stripped of image metadata, checked for author names).
// blobs/ implements it; tests use the same implementation on a temporary directory.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/catalog/micro_credential.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"

namespace cairn::app::uploads {

// Pulls up to size bytes of a request body into data; 0 at its end (or when it broke off).
using ReadFn = std::function<std::size_t(char* data, std::size_t size)>;

struct FinishedFile {
  std::string sha256;  // of the stored (sanitised) bytes
  std::int64_t size = 0;
  std::string media_type;
  core::catalog::ArtifactKind kind = core::catalog::ArtifactKind::kDocument;
  std::vector<std::string> warnings;
  bool needs_transcode = false;  // a recording: the job makes its playable, metadata-free copy
};

struct StoredBlob {
  std::string sha256;
  core::TimePoint modified{};
};

class EvidenceStore {
 public:
  virtual ~EvidenceStore() = default;

  virtual core::Status CreatePartial(const std::string& upload_id) = 0;
  // Cuts the partial file back to offset (bytes past it were never acknowledged), then appends
  // what read yields, at most max bytes, and fsyncs before returning, also when read stops early:
  // the returned count is durable.
  virtual core::Result<std::int64_t> Append(const std::string& upload_id, std::int64_t offset,
                                            std::int64_t max, const ReadFn& read) = 0;
  virtual void RemovePartial(const std::string& upload_id) = 0;
  // Inspects the complete partial file and moves the result into the blob store. Content that is
  // refused, or whose kind is not in accepted (when not empty), gives kUnsupportedMedia with a
  // message for the educator; the partial file is left for the caller to remove.
  virtual core::Result<FinishedFile> Finish(
      const std::string& upload_id, const std::vector<core::catalog::ArtifactKind>& accepted) = 0;

  virtual std::string BlobPath(const std::string& sha256) const = 0;
  virtual bool HasBlob(const std::string& sha256) const = 0;
  virtual core::Status RemoveBlob(const std::string& sha256) = 0;
  virtual std::vector<StoredBlob> ListBlobs() const = 0;
  // The copy of a stored recording that reviewers get, without metadata, stored as a blob; returns
  // its hash. Video becomes mp4 (streams copied when browsers play them, else H.264/AAC); audio
  // keeps its container.
  virtual core::Result<std::string> TranscodeBlob(const std::string& sha256) = 0;
};

}  // namespace cairn::app::uploads
