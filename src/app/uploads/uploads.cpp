#include "app/uploads/uploads.hpp"

#include <nlohmann/json.hpp>

#include "app/identity/context.hpp"
#include "app/uploads/tus_headers.hpp"
#include "core/catalog/repository.hpp"
#include "core/evidence/evidence.hpp"
#include "core/ports/jobs.hpp"

namespace cairn::app::uploads {

using core::Error;
using core::ErrorCode;
using core::evidence::EvidenceFile;
using core::evidence::Upload;
using core::evidence::UploadState;

namespace {

constexpr std::string_view kExpiredMarker = "upload_expired";
constexpr int kCleanupBatch = 200;

Error NotFound(std::string_view what) {
  return Error{ErrorCode::kNotFound, "no " + std::string(what) + " with this id", {}, {}};
}

std::string ExtensionFor(std::string_view media_type) {
  static const std::map<std::string_view, std::string_view> kExtensions = {
      {"application/pdf", "pdf"},
      {"image/jpeg", "jpg"},
      {"image/png", "png"},
      {"image/webp", "webp"},
      {"image/gif", "gif"},
      {"image/heic", "heic"},
      {"video/mp4", "mp4"},
      {"video/quicktime", "mov"},
      {"video/webm", "webm"},
      {"video/x-matroska", "mkv"},
      {"audio/mpeg", "mp3"},
      {"audio/mp4", "m4a"},
      {"audio/x-m4a", "m4a"},
      {"audio/ogg", "ogg"},
      {"audio/wav", "wav"},
      {"audio/x-wav", "wav"},
      {"text/plain", "txt"},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
      {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
      {"application/vnd.oasis.opendocument.text", "odt"},
      {"application/vnd.oasis.opendocument.presentation", "odp"},
      {"application/vnd.oasis.opendocument.spreadsheet", "ods"},
  };
  auto it = kExtensions.find(media_type);
  return it == kExtensions.end() ? "bin" : std::string(it->second);
}

}  // namespace

// Marks an upload as being written by one request; a second concurrent PATCH gets kConflict
// instead of interleaving bytes. In-process: one server owns an upload's partial file.
class Uploads::Lock {
 public:
  Lock(Uploads& owner, std::string id) : owner_(owner), id_(std::move(id)) {
    std::lock_guard guard(owner_.busy_mutex_);
    held_ = owner_.busy_.insert(id_).second;
  }
  ~Lock() {
    if (!held_) return;
    std::lock_guard guard(owner_.busy_mutex_);
    owner_.busy_.erase(id_);
  }
  bool held() const { return held_; }

 private:
  Uploads& owner_;
  std::string id_;
  bool held_ = false;
};

Uploads::Uploads(core::UnitOfWork& uow, core::Clock& clock, core::IdGenerator& ids,
                 EvidenceStore& store, UploadLimits limits, AccessCheck access)
    : uow_(uow),
      clock_(clock),
      ids_(ids),
      store_(store),
      limits_(limits),
      access_(std::move(access)) {}

bool Uploads::IsExpired(const Error& error) { return error.detail == kExpiredMarker; }

core::Result<Upload> Uploads::Create(const Principal& actor, std::int64_t length,
                                     const std::map<std::string, std::string>& metadata) {
  if (length > limits_.max_file_bytes)
    return Error{
        ErrorCode::kTooLarge,
        "the file is larger than the limit of " + std::to_string(limits_.max_file_bytes) + " bytes",
        {},
        {}};
  if (length == 0)
    return Error{ErrorCode::kInvalidInput, "the file is empty: choose a file with content", {}, {}};
  auto enrolment_it = metadata.find("enrolment");
  if (enrolment_it == metadata.end() || enrolment_it->second.empty())
    return Error{ErrorCode::kInvalidInput,
                 "Upload-Metadata must name the enrolment the file belongs to (key \"enrolment\")",
                 {},
                 {}};
  std::optional<int> requirement;
  if (auto it = metadata.find("requirement"); it != metadata.end()) {
    auto value = ParseTusInteger(it->second);
    if (!value || *value > 1000)
      return Error{ErrorCode::kInvalidInput,
                   "Upload-Metadata \"requirement\" must be an artifact index (0, 1, …)",
                   {},
                   {}};
    requirement = static_cast<int>(*value);
  }
  Upload upload;
  upload.id = ids_.NewId("upl");
  upload.owner_id = actor.user_id;
  upload.enrolment_id = enrolment_it->second;
  upload.length = length;
  upload.requirement = requirement;
  auto name = metadata.find("filename");
  upload.filename = SanitizeFilename(name == metadata.end() ? "" : name->second);
  nlohmann::json stored = nlohmann::json::object();
  for (const auto& [key, value] : metadata)
    if (key == "filetype" || key == "filename" || key == "enrolment" || key == "requirement")
      stored[key] = key == "filename" ? upload.filename : value;
  upload.metadata = stored.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  upload.created_at = clock_.Now();
  upload.expires_at = upload.created_at + limits_.expiry;

  if (auto created = store_.CreatePartial(upload.id); !created) return created.error();
  auto written = uow_.Write([&](core::Transaction& tx) -> core::Status {
    auto enrolment = tx.Evidence().FindEnrolment(upload.enrolment_id);
    if (!enrolment || enrolment->user_id != actor.user_id)
      return Error{ErrorCode::kNotFound, "no enrolment of yours with this id", {}, {}};
    if (enrolment->state != core::evidence::EnrolmentState::kActive)
      return Error{
          ErrorCode::kInvalidState, "this enrolment is closed: it takes no more files", {}, {}};
    if (requirement) {
      auto mc = tx.Catalog().GetVersion(enrolment->micro_credential_id, enrolment->version);
      if (!mc) return mc.error();
      if (*requirement >= static_cast<int>(mc->content.submission.artifacts.size()))
        return Error{ErrorCode::kInvalidInput,
                     "Upload-Metadata \"requirement\" names no artifact of this micro-credential",
                     {},
                     {}};
    }
    std::int64_t held = tx.Files().EnrolmentBytes(upload.enrolment_id);
    if (held + length > limits_.max_submission_bytes)
      return Error{ErrorCode::kTooLarge,
                   "this enrolment's files would exceed the limit of " +
                       std::to_string(limits_.max_submission_bytes) + " bytes",
                   {},
                   {}};
    tx.Files().InsertUpload(upload);
    identity::Audit(tx, actor.user_id, "upload.create", "upload", upload.id, "", "receiving",
                    upload.created_at,
                    {{"enrolment_id", upload.enrolment_id}, {"length", upload.length}});
    return core::Ok();
  });
  if (!written) {
    store_.RemovePartial(upload.id);
    return written.error();
  }
  return upload;
}

core::Result<Upload> Uploads::LoadOwned(core::Transaction& tx, const Principal& actor,
                                        const std::string& id) {
  auto upload = tx.Files().FindUpload(id);
  if (!upload || upload->owner_id != actor.user_id) return NotFound("upload");
  if (upload->state == UploadState::kReceiving && upload->expires_at <= clock_.Now())
    return Error{ErrorCode::kInvalidState,
                 "this upload expired: start a new one",
                 std::string(kExpiredMarker),
                 {}};
  return *upload;
}

core::Result<Upload> Uploads::Get(const Principal& actor, const std::string& id) {
  Upload out;
  auto read = uow_.Read([&](core::Transaction& tx) -> core::Status {
    auto upload = LoadOwned(tx, actor, id);
    if (!upload) return upload.error();
    out = std::move(*upload);
    return core::Ok();
  });
  if (!read) return read.error();
  return out;
}

core::Result<PatchOutcome> Uploads::Patch(const Principal& actor, const std::string& id,
                                          std::int64_t offset,
                                          std::optional<std::uint64_t> body_length,
                                          const ReadFn& read) {
  Lock lock(*this, id);
  auto current = Get(actor, id);
  if (!current) return current.error();
  if (!lock.held())
    return Error{ErrorCode::kConflict, "another request is writing to this upload", {}, {}};
  Upload upload = std::move(*current);
  if (upload.state == UploadState::kComplete || offset != upload.offset)
    return Error{ErrorCode::kConflict,
                 "Upload-Offset " + std::to_string(offset) +
                     " does not match the upload's offset " + std::to_string(upload.offset),
                 {},
                 {}};
  std::int64_t room = upload.length - upload.offset;
  if (body_length && *body_length > static_cast<std::uint64_t>(room))
    return Error{ErrorCode::kTooLarge,
                 "the body runs past Upload-Length: " + std::to_string(room) + " bytes remain",
                 {},
                 {}};

  auto appended = store_.Append(upload.id, upload.offset, room, read);
  if (!appended) return appended.error();
  bool overflow = false;
  if (*appended == room && !body_length) {
    char extra = 0;
    overflow = read(&extra, 1) > 0;
  }
  upload.offset += *appended;
  auto saved = uow_.Write([&](core::Transaction& tx) -> core::Status {
    auto stored = tx.Files().FindUpload(upload.id);
    if (!stored) return NotFound("upload");  // terminated meanwhile
    tx.Files().UpdateUpload(upload);
    return core::Ok();
  });
  if (!saved) return saved.error();
  if (overflow)
    return Error{ErrorCode::kTooLarge,
                 "the body runs past Upload-Length: the bytes beyond it were not kept",
                 {},
                 {}};

  PatchOutcome outcome;
  if (upload.offset == upload.length) {
    auto file_id = Complete(actor, upload);
    if (!file_id) return file_id.error();
    upload.state = UploadState::kComplete;
    upload.file_id = *file_id;
    outcome.file_id = *file_id;
  }
  outcome.upload = std::move(upload);
  return outcome;
}

core::Result<std::string> Uploads::Complete(const Principal& actor, const Upload& upload) {
  std::vector<core::catalog::ArtifactKind> accepted;
  if (upload.requirement) {
    auto looked_up = uow_.Read([&](core::Transaction& tx) -> core::Status {
      auto enrolment = tx.Evidence().FindEnrolment(upload.enrolment_id);
      if (!enrolment) return NotFound("enrolment");
      auto mc = tx.Catalog().GetVersion(enrolment->micro_credential_id, enrolment->version);
      if (!mc) return mc.error();
      const auto& artifacts = mc->content.submission.artifacts;
      if (*upload.requirement < static_cast<int>(artifacts.size()))
        accepted = artifacts[static_cast<std::size_t>(*upload.requirement)].accepted_kinds;
      return core::Ok();
    });
    if (!looked_up) return looked_up.error();
  }
  auto finished = store_.Finish(upload.id, accepted);
  if (!finished) {
    if (finished.error().code == ErrorCode::kUnsupportedMedia) {
      // Refused content is not kept, not even as a partial upload the client could resume.
      store_.RemovePartial(upload.id);
      (void)uow_.Write([&](core::Transaction& tx) -> core::Status {
        tx.Files().DeleteUpload(upload.id);
        identity::Audit(tx, actor.user_id, "upload.refuse", "upload", upload.id, "receiving", "",
                        clock_.Now(), {{"reason", finished.error().message}});
        return core::Ok();
      });
    }
    return finished.error();
  }
  EvidenceFile file;
  file.id = ids_.NewId("fil");
  file.owner_id = upload.owner_id;
  file.enrolment_id = upload.enrolment_id;
  file.sha256 = finished->sha256;
  file.size = finished->size;
  file.media_type = finished->media_type;
  file.kind = finished->kind;
  file.filename = upload.filename;
  file.warnings = finished->warnings;
  file.transcode_state = finished->needs_transcode ? "pending" : "none";
  file.created_at = clock_.Now();
  auto saved = uow_.Write([&](core::Transaction& tx) -> core::Status {
    auto stored = tx.Files().FindUpload(upload.id);
    if (!stored) return NotFound("upload");
    if (stored->state == UploadState::kComplete) {  // a retry after a lost response
      file.id = stored->file_id;
      return core::Ok();
    }
    tx.Files().InsertFile(file);
    Upload done = *stored;
    done.offset = done.length;
    done.state = UploadState::kComplete;
    done.file_id = file.id;
    tx.Files().UpdateUpload(done);
    if (finished->needs_transcode)
      tx.Jobs().Enqueue("media.transcode", nlohmann::json{{"file_id", file.id}}.dump(),
                        file.created_at);
    identity::Audit(tx, actor.user_id, "file.create", "evidence_file", file.id, "", "stored",
                    file.created_at,
                    {{"upload_id", upload.id},
                     {"enrolment_id", file.enrolment_id},
                     {"sha256", file.sha256},
                     {"size", file.size},
                     {"media_type", file.media_type}});
    return core::Ok();
  });
  if (!saved) return saved.error();
  store_.RemovePartial(upload.id);
  return file.id;
}

core::Status Uploads::Terminate(const Principal& actor, const std::string& id) {
  Lock lock(*this, id);
  if (!lock.held())
    return Error{ErrorCode::kConflict, "another request is writing to this upload", {}, {}};
  auto done = uow_.Write([&](core::Transaction& tx) -> core::Status {
    auto upload = tx.Files().FindUpload(id);
    if (!upload || upload->owner_id != actor.user_id) return NotFound("upload");
    tx.Files().DeleteUpload(id);
    identity::Audit(tx, actor.user_id, "upload.terminate", "upload", id,
                    upload->state == UploadState::kComplete ? "complete" : "receiving", "",
                    clock_.Now());
    return core::Ok();
  });
  if (!done) return done;
  store_.RemovePartial(id);
  return core::Ok();
}

core::Result<FileView> Uploads::GetFile(const Principal& actor, const std::string& id) {
  FileView view;
  auto read = uow_.Read([&](core::Transaction& tx) -> core::Status {
    auto file = tx.Files().FindFile(id);
    if (!file) return NotFound("file");
    if (file->owner_id == actor.user_id) {
      if (file->deleted) return NotFound("file");
      view.access = Access::kOwner;
    } else {
      view.access = access_ ? access_(tx, actor, *file) : Access::kNone;
      if (view.access == Access::kNone) return NotFound("file");
    }
    view.file = std::move(*file);
    return core::Ok();
  });
  if (!read) return read.error();
  return view;
}

core::Result<ContentView> Uploads::GetContent(const Principal& actor, const std::string& id,
                                              const std::string& variant) {
  if (!variant.empty() && variant != "playable")
    return Error{ErrorCode::kInvalidInput, "variant must be \"playable\" or absent", {}, {}};
  auto view = GetFile(actor, id);
  if (!view) return view.error();
  const EvidenceFile& file = view->file;
  ContentView out;
  out.access = view->access;
  out.sha256 = file.sha256;
  out.media_type = file.media_type;
  std::string extension = ExtensionFor(file.media_type);
  // A reviewer never gets a recording as uploaded: only the copy without its metadata.
  const bool recording = file.kind == core::catalog::ArtifactKind::kVideo ||
                         file.kind == core::catalog::ArtifactKind::kAudio;
  if (variant == "playable" || (recording && view->access == Access::kReviewer)) {
    if (file.transcode_state == "none") {
      // Plays as stored.
    } else if (file.transcode_state == "done" && !file.playable_sha256.empty()) {
      out.sha256 = file.playable_sha256;
      if (file.kind != core::catalog::ArtifactKind::kAudio) {
        out.media_type = "video/mp4";
        extension = "mp4";
      }
    } else {
      return Error{ErrorCode::kInvalidState,
                   file.transcode_state == "failed"
                       ? "this recording could not be converted to a playable copy"
                       : "the playable copy of this recording is still being made",
                   {},
                   {}};
    }
  }
  out.path = store_.BlobPath(out.sha256);
  out.download_name =
      view->access == Access::kReviewer ? "evidence-" + file.id + "." + extension : file.filename;
  return out;
}

core::Status Uploads::DeleteFile(const Principal& actor, const std::string& id) {
  return uow_.Write([&](core::Transaction& tx) -> core::Status {
    auto file = tx.Files().FindFile(id);
    if (!file || file->owner_id != actor.user_id || file->deleted) return NotFound("file");
    for (const auto& submission : tx.Evidence().ListSubmissions(file->enrolment_id))
      for (const auto& artifact : submission.content.artifacts)
        if (artifact.file_id == file->id)
          return Error{ErrorCode::kConflict,
                       "attempt " + std::to_string(submission.attempt) +
                           " was submitted with this file: it is kept as evidence",
                       {},
                       {}};
    file->deleted = true;
    tx.Files().UpdateFile(*file);
    identity::Audit(tx, actor.user_id, "file.delete", "evidence_file", file->id, "stored",
                    "deleted", clock_.Now());
    return core::Ok();
  });
}

core::Status Uploads::Cleanup() {
  auto now = clock_.Now();
  std::vector<Upload> expired;
  auto listed = uow_.Read([&](core::Transaction& tx) -> core::Status {
    expired = tx.Files().ListExpiredUploads(now, kCleanupBatch);
    return core::Ok();
  });
  if (!listed) return listed;
  for (const auto& upload : expired) {
    Lock lock(*this, upload.id);
    if (!lock.held()) continue;
    auto removed = uow_.Write([&](core::Transaction& tx) -> core::Status {
      tx.Files().DeleteUpload(upload.id);
      identity::Audit(tx, "system", "upload.expire", "upload", upload.id, "receiving", "", now);
      return core::Ok();
    });
    if (!removed) return removed;
    store_.RemovePartial(upload.id);
  }
  for (const auto& blob : store_.ListBlobs()) {
    if (blob.modified + limits_.blob_grace > now) continue;
    bool referenced = true;
    auto checked = uow_.Read([&](core::Transaction& tx) -> core::Status {
      referenced = tx.Files().BlobReferenced(blob.sha256);
      return core::Ok();
    });
    if (!checked) return checked;
    if (!referenced) (void)store_.RemoveBlob(blob.sha256);
  }
  return core::Ok();
}

core::Status Uploads::TranscodeFile(const std::string& file_id) {
  EvidenceFile file;
  auto read = uow_.Read([&](core::Transaction& tx) -> core::Status {
    auto found = tx.Files().FindFile(file_id);
    if (!found) return NotFound("file");
    file = std::move(*found);
    return core::Ok();
  });
  if (!read) return read;
  if (file.transcode_state != "pending") return core::Ok();
  auto playable = store_.TranscodeBlob(file.sha256);
  // A failure of our own (ffmpeg missing, disk full) is retried by the job; input ffmpeg cannot
  // decode never will work, so that is a final state.
  if (!playable && playable.error().code != ErrorCode::kUnsupportedMedia) return playable.error();
  std::string state = playable ? "done" : "failed";
  auto saved = uow_.Write([&](core::Transaction& tx) -> core::Status {
    auto current = tx.Files().FindFile(file_id);
    if (!current) return NotFound("file");
    current->transcode_state = state;
    if (playable) current->playable_sha256 = *playable;
    tx.Files().UpdateFile(*current);
    identity::Audit(tx, "system", "file.transcode", "evidence_file", file_id, "pending", state,
                    clock_.Now(),
                    playable ? nlohmann::json{{"playable_sha256", *playable}}
                             : nlohmann::json{{"error", playable.error().message}});
    return core::Ok();
  });
  return saved;
}

}  // namespace cairn::app::uploads
