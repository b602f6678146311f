// Uploads: the evidence store on disk under <data_dir>/blobs, the tus and file routes, and the
// cleanup and transcode jobs.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/uploads/uploads.hpp"
#include "blobs/disk_evidence_store.hpp"
#include "http/handlers/upload_handlers.hpp"
#include "platform/application.hpp"
#include "platform/wiring.hpp"

namespace cairn::platform {
namespace {

struct UploadsArea {
  std::unique_ptr<blobs::DiskEvidenceStore> store;
  std::unique_ptr<app::uploads::Uploads> uploads;
};

app::uploads::Access ToAccess(FileAccess access) {
  switch (access) {
    case FileAccess::kOwner:
      return app::uploads::Access::kOwner;
    case FileAccess::kIssuerAdmin:
      return app::uploads::Access::kIssuerAdmin;
    case FileAccess::kReviewer:
      return app::uploads::Access::kReviewer;
    case FileAccess::kNone:
      break;
  }
  return app::uploads::Access::kNone;
}

}  // namespace

void WireUploads(Wiring& w) {
  Application& app = w.app;
  const Config& config = app.config();
  auto area = std::make_shared<UploadsArea>();
  area->store =
      std::make_unique<blobs::DiskEvidenceStore>(std::filesystem::path(config.data_dir) / "blobs");
  app::uploads::UploadLimits limits;
  limits.max_file_bytes = config.max_file_bytes;
  limits.max_submission_bytes = config.max_submission_bytes;
  limits.expiry = std::chrono::hours(config.upload_expiry_hours);
  // The review area wires after this one; its check is looked up at request time.
  AreaServices* areas = &app.areas();
  area->uploads = std::make_unique<app::uploads::Uploads>(
      app.unit_of_work(), app.clock(), app.ids(), *area->store, limits,
      [areas](core::Transaction& tx, const core::identity::Principal& who,
              const core::evidence::EvidenceFile& file) {
        if (!areas->file_access) return app::uploads::Access::kNone;
        return ToAccess(areas->file_access(tx, who, file));
      });
  http::RegisterUploadRoutes(w.router, {*area->uploads});

  app::uploads::Uploads* uploads = area->uploads.get();
  areas->jobs.handlers["uploads.cleanup"] = [uploads](const core::jobs::Job&) {
    return uploads->Cleanup();
  };
  areas->jobs.periodic.push_back({"uploads.cleanup", std::chrono::hours(1)});
  areas->jobs.handlers["media.transcode"] = [uploads](const core::jobs::Job& job) -> core::Status {
    auto payload = nlohmann::json::parse(job.payload, nullptr, false);
    if (!payload.is_object() || !payload.contains("file_id") || !payload["file_id"].is_string())
      return core::Error::InvalidInput("media.transcode needs {\"file_id\": \"fil_…\"}");
    return uploads->TranscodeFile(payload["file_id"].get<std::string>());
  };
  areas->keep.push_back(area);
}

}  // namespace cairn::platform
