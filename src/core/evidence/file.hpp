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

// The file part of the storage port that other slices read. The uploads slice owns it and may add
// the methods it needs for tus uploads.
class FileRepository {
 public:
  virtual ~FileRepository() = default;
  virtual void InsertFile(const EvidenceFile& f) = 0;
  virtual void UpdateFile(const EvidenceFile& f) = 0;
  virtual std::optional<EvidenceFile> FindFile(const std::string& id) = 0;
  virtual std::vector<EvidenceFile> ListFiles(const std::string& enrolment_id) = 0;
};

}  // namespace cairn::core::evidence
