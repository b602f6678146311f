#pragma once
// The uploads slice's EvidenceStore on local disk: partial files under <root>/tmp/uploads, blobs in
// the content-addressed BlobStore at <root>, media inspection through the media library. SHA-256 is
// computed while bytes arrive, so finishing a never-interrupted upload reads nothing twice.
#include <map>
#include <memory>
#include <mutex>

#include "app/uploads/evidence_store.hpp"
#include "blobs/blob_store.hpp"

namespace cairn::blobs {

class DiskEvidenceStore final : public app::uploads::EvidenceStore {
 public:
  explicit DiskEvidenceStore(std::filesystem::path root);
  ~DiskEvidenceStore() override;

  core::Status CreatePartial(const std::string& upload_id) override;
  core::Result<std::int64_t> Append(const std::string& upload_id, std::int64_t offset,
                                    std::int64_t max, const app::uploads::ReadFn& read) override;
  void RemovePartial(const std::string& upload_id) override;
  core::Result<app::uploads::FinishedFile> Finish(
      const std::string& upload_id,
      const std::vector<core::catalog::ArtifactKind>& accepted) override;

  std::string BlobPath(const std::string& sha256) const override;
  bool HasBlob(const std::string& sha256) const override;
  core::Status RemoveBlob(const std::string& sha256) override;
  std::vector<app::uploads::StoredBlob> ListBlobs() const override;
  core::Result<std::string> TranscodeBlob(const std::string& sha256) override;

  std::filesystem::path PartialPath(const std::string& upload_id) const;
  // How many finished uploads were hashed as they arrived versus read again (for tests).
  std::uint64_t hashed_while_receiving() const { return hashed_live_; }

 private:
  struct Running;
  std::unique_ptr<Running> TakeHash(const std::string& upload_id);

  BlobStore blobs_;
  std::filesystem::path partial_dir_;
  std::mutex hashes_mutex_;
  std::map<std::string, std::unique_ptr<Running>> hashes_;
  std::uint64_t hashed_live_ = 0;
};

}  // namespace cairn::blobs
