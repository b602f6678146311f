#include "blobs/disk_evidence_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <vector>

#include "blobs/media.hpp"

namespace cairn::blobs {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

namespace {

constexpr std::size_t kChunk = 256 * 1024;

Error Internal(const std::string& message, const std::string& detail) {
  return Error{ErrorCode::kInternal, message, detail, {}};
}

bool IsSafeId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

std::string RandomName(std::string_view prefix) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(prefix);
  auto v = rng();
  for (int i = 0; i < 16; ++i) out += kHex[(v >> (i * 4)) & 0xF];
  return out;
}

std::string KindList(const std::vector<core::catalog::ArtifactKind>& kinds) {
  std::string out;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (i > 0) out += i + 1 == kinds.size() ? " or " : ", ";
    out += core::catalog::ToString(kinds[i]);
  }
  return out;
}

core::TimePoint ToSystem(fs::file_time_type t) {
  return std::chrono::time_point_cast<core::TimePoint::duration>(
      std::chrono::file_clock::to_sys(t));
}

}  // namespace

struct DiskEvidenceStore::Running {
  Sha256 hash;
  std::int64_t bytes = 0;
};

DiskEvidenceStore::DiskEvidenceStore(fs::path root)
    : blobs_(root), partial_dir_(blobs_.TempDir() / "uploads") {}
DiskEvidenceStore::~DiskEvidenceStore() = default;

fs::path DiskEvidenceStore::PartialPath(const std::string& upload_id) const {
  return partial_dir_ / (upload_id + ".part");
}

std::unique_ptr<DiskEvidenceStore::Running> DiskEvidenceStore::TakeHash(
    const std::string& upload_id) {
  std::lock_guard lock(hashes_mutex_);
  auto it = hashes_.find(upload_id);
  if (it == hashes_.end()) return nullptr;
  auto running = std::move(it->second);
  hashes_.erase(it);
  return running;
}

core::Status DiskEvidenceStore::CreatePartial(const std::string& upload_id) {
  if (!IsSafeId(upload_id)) return Internal("cannot start the upload", "unsafe upload id");
  std::error_code ec;
  fs::create_directories(partial_dir_, ec);
  if (ec)
    return Internal("cannot start the upload",
                    "mkdir " + partial_dir_.string() + ": " + ec.message());
  int fd = ::open(PartialPath(upload_id).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return Internal("cannot start the upload", std::string("create: ") + std::strerror(errno));
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || !SyncPath(partial_dir_)) return Internal("cannot start the upload", "fsync");
  std::lock_guard lock(hashes_mutex_);
  hashes_[upload_id] = std::make_unique<Running>();
  return core::Ok();
}

core::Result<std::int64_t> DiskEvidenceStore::Append(const std::string& upload_id,
                                                     std::int64_t offset, std::int64_t max,
                                                     const app::uploads::ReadFn& read) {
  if (!IsSafeId(upload_id)) return Internal("cannot store the upload", "unsafe upload id");
  fs::path path = PartialPath(upload_id);
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return Internal("the upload's data is missing", std::string("open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size < offset) {
    ::close(fd);
    return Internal("the upload's data is missing", "partial file shorter than its offset");
  }
  // Bytes past the recorded offset arrived before a crash but were never acknowledged.
  if (st.st_size > offset && ::ftruncate(fd, offset) != 0) {
    ::close(fd);
    return Internal("cannot store the upload", std::string("truncate: ") + std::strerror(errno));
  }
  if (::lseek(fd, offset, SEEK_SET) != offset) {
    ::close(fd);
    return Internal("cannot store the upload", "seek");
  }
  std::unique_ptr<Running> running = TakeHash(upload_id);
  if (running && running->bytes != offset) running.reset();  // re-read at the end instead

  std::vector<char> buffer(kChunk);
  std::int64_t total = 0;
  std::string failure;
  while (total < max) {
    std::size_t want = static_cast<std::size_t>(std::min<std::int64_t>(max - total, kChunk));
    std::size_t got = read(buffer.data(), want);
    if (got == 0) break;
    std::size_t written = 0;
    while (written < got) {
      ssize_t n = ::write(fd, buffer.data() + written, got - written);
      if (n < 0) {
        if (errno == EINTR) continue;
        failure = std::string("write: ") + std::strerror(errno);
        break;
      }
      written += static_cast<std::size_t>(n);
    }
    if (running) {
      running->hash.Update(buffer.data(), written);
      running->bytes += static_cast<std::int64_t>(written);
    }
    total += static_cast<std::int64_t>(written);
    if (!failure.empty()) break;
  }
  // What arrived is made durable before anyone is told the new offset, also when the client
  // went away mid-body.
  bool synced = ::fdatasync(fd) == 0;
  ::close(fd);
  if (!failure.empty() || !synced) {
    // Leave the file as it is: the recorded offset still says which bytes count.
    return Internal("cannot store the upload", failure.empty() ? "fdatasync" : failure);
  }
  if (running) {
    std::lock_guard lock(hashes_mutex_);
    hashes_[upload_id] = std::move(running);
  }
  return total;
}

void DiskEvidenceStore::RemovePartial(const std::string& upload_id) {
  if (!IsSafeId(upload_id)) return;
  TakeHash(upload_id);
  std::error_code ec;
  fs::remove(PartialPath(upload_id), ec);
}

core::Result<app::uploads::FinishedFile> DiskEvidenceStore::Finish(
    const std::string& upload_id, const std::vector<core::catalog::ArtifactKind>& accepted) {
  if (!IsSafeId(upload_id)) return Internal("cannot finish the upload", "unsafe upload id");
  fs::path partial = PartialPath(upload_id);
  auto sniffed = Sniff(partial);
  if (!sniffed) return sniffed.error();
  if (!accepted.empty() &&
      std::find(accepted.begin(), accepted.end(), sniffed->kind) == accepted.end())
    return Error{ErrorCode::kUnsupportedMedia,
                 "this artifact accepts " + KindList(accepted) + ", but the file is " +
                     (sniffed->description.empty() ? sniffed->media_type : sniffed->description) +
                     " (" + std::string(core::catalog::ToString(sniffed->kind)) + ")",
                 {},
                 {}};

  app::uploads::FinishedFile out;
  out.media_type = sniffed->media_type;
  out.kind = sniffed->kind;
  std::unique_ptr<Running> running = TakeHash(upload_id);
  fs::path stored = partial;
  std::error_code ec;
  if (CanStripMetadata(sniffed->media_type)) {
    fs::path clean = blobs_.TempDir() / RandomName("strip-");
    auto stripped = StripImageMetadata(partial, clean, sniffed->media_type);
    if (!stripped) {
      fs::remove(clean, ec);
      if (stripped.error().code == ErrorCode::kInternal) return stripped.error();
      return Error{ErrorCode::kUnsupportedMedia,
                   "this image is damaged and cannot be read: export it again and upload the copy",
                   stripped.error().detail,
                   {}};
    }
    if (!SyncPath(clean)) {
      fs::remove(clean, ec);
      return Internal("cannot store the upload", "fsync stripped image");
    }
    fs::remove(partial, ec);
    stored = clean;
    running.reset();  // the bytes changed
  }
  out.warnings = FindAuthorMetadata(stored, sniffed->media_type);
  if (sniffed->kind == core::catalog::ArtifactKind::kVideo) {
    auto info = ProbeMedia(stored);
    if (!info && info.error().code == ErrorCode::kUnsupportedMedia) return info.error();
  }
  // Recordings carry where, when and by whom they were made (QuickTime location, GPS tracks, ID3
  // artist), which blind review must not see: every one gets a copy without it, made by the job
  // (TranscodeBlob), and reviewers receive that copy. The original stays, for its owner.
  out.needs_transcode = sniffed->kind == core::catalog::ArtifactKind::kVideo ||
                        sniffed->kind == core::catalog::ArtifactKind::kAudio;
  auto size = fs::file_size(stored, ec);
  if (ec) return Internal("cannot finish the upload", "size: " + ec.message());
  out.size = static_cast<std::int64_t>(size);
  if (running && running->bytes == out.size) {
    out.sha256 = running->hash.HexDigest();
    ++hashed_live_;
  } else {
    auto hash = HashFile(stored);
    if (!hash) return hash.error();
    out.sha256 = *hash;
  }
  if (auto adopted = blobs_.Adopt(stored, out.sha256); !adopted) return adopted.error();
  return out;
}

std::string DiskEvidenceStore::BlobPath(const std::string& sha256) const {
  return blobs_.PathOf(sha256).string();
}

bool DiskEvidenceStore::HasBlob(const std::string& sha256) const { return blobs_.Contains(sha256); }

core::Status DiskEvidenceStore::RemoveBlob(const std::string& sha256) {
  return blobs_.Remove(sha256);
}

std::vector<app::uploads::StoredBlob> DiskEvidenceStore::ListBlobs() const {
  std::vector<app::uploads::StoredBlob> out;
  for (const auto& entry : blobs_.List()) out.push_back({entry.sha256, ToSystem(entry.modified)});
  return out;
}

core::Result<std::string> DiskEvidenceStore::TranscodeBlob(const std::string& sha256) {
  if (!blobs_.Contains(sha256)) return Error{ErrorCode::kNotFound, "the video is missing", {}, {}};
  std::error_code ec;
  fs::create_directories(blobs_.TempDir(), ec);
  fs::path out = blobs_.TempDir() / (RandomName("transcode-") + ".mp4");
  const fs::path in = blobs_.PathOf(sha256);
  // Audio keeps its container; video becomes mp4, by copying its streams when browsers can play
  // them as they are, else by transcoding. Both drop every metadata tag.
  auto info = ProbeMedia(in);
  core::Status done = core::Error::Internal("no copy made");
  if (info && info->video_codec.empty()) {
    done = RemuxWithoutMetadata(in, out, *info);
  } else {
    if (info && !info->needs_transcode)
      done = RemuxWithoutMetadata(in, out, *info, std::chrono::seconds(600), "mp4");
    if (!done) done = Transcode(in, out);
  }
  if (!done) {
    fs::remove(out, ec);
    return done.error();
  }
  if (!SyncPath(out)) {
    fs::remove(out, ec);
    return Internal("cannot store the playable copy", "fsync");
  }
  auto hash = HashFile(out);
  if (!hash) {
    fs::remove(out, ec);
    return hash.error();
  }
  if (auto adopted = blobs_.Adopt(out, *hash); !adopted) {
    fs::remove(out, ec);
    return adopted.error();
  }
  return *hash;
}

}  // namespace cairn::blobs
