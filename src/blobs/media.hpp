#pragma once
// What Cairn learns from an evidence file once its bytes are on disk: what it really is (never what
// the client says), the metadata that could identify the educator, and whether Chromium can play a
// video as it is. Everything takes paths: videos are far too big to hold in memory. The in-memory
// entry points exist for small inputs (tests, fuzzing); they share the parsers with the path ones.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog/micro_credential.hpp"
#include "core/common/result.hpp"

namespace cairn::blobs {

// ---- Sniffing (libmagic) ---------------------------------------------------------------------
struct SniffResult {
  std::string media_type;   // e.g. "application/pdf", "image/jpeg", "video/quicktime"
  core::catalog::ArtifactKind kind = core::catalog::ArtifactKind::kDocument;
  std::string description;  // libmagic's human text, e.g. "PDF document, version 1.4"
  bool executable = false;  // false in every accepted result: executables are refused
};

// Ok: an accepted document, image, audio or video. Refused files (executables, scripts, archives,
// unknown data) give ErrorCode::kUnsupportedMedia whose message is written for the educator, e.g.
// "this file is a Windows executable, not a document: upload a PDF, Word document, image, audio or
// video". A file that cannot be read gives kInternal. Thread-safe. Zips holding a Word/Excel/
// PowerPoint or OpenDocument package get the office type; any other text (even text libmagic takes
// for source code) is "text/plain", so it is never served as something a browser would run.
core::Result<SniffResult> Sniff(const std::filesystem::path& path);
core::Result<SniffResult> SniffBytes(std::string_view bytes);

// ---- Image metadata stripping ----------------------------------------------------------------
struct StripReport {
  // What was removed, each once, from {"exif", "gps", "xmp", "iptc", "comment", "text", "time"}:
  // "gps" is listed besides "exif" when the EXIF data carried a GPS IFD. ICC colour profiles stay
  // (they change how the pixels look), and a JPEG keeps an EXIF block holding only its orientation
  // (portrait phone photos would show sideways without it). Empty when the image was clean.
  std::vector<std::string> removed;
};

// True for the types StripImageMetadata handles: image/jpeg, image/png, image/webp, and
// image/heic, image/heif, image/avif (whose EXIF/XMP items are blanked in place, same file size).
// GIF is not handled: it has no EXIF/GPS; its comments stay.
bool CanStripMetadata(std::string_view media_type);

// Writes `out` as `in` without EXIF/GPS, XMP, IPTC, comments and text chunks; the pixels are
// untouched. `out` is always written on success, even when nothing was removed. Malformed input
// gives kInvalidInput (nothing left at `out`); an unsupported type gives kUnsupportedMedia.
core::Result<StripReport> StripImageMetadata(const std::filesystem::path& in,
                                             const std::filesystem::path& out,
                                             std::string_view media_type);
core::Result<StripReport> StripImageMetadataBytes(std::string_view in, std::string& out,
                                                  std::string_view media_type);

// ---- Author metadata in documents ------------------------------------------------------------
// Warnings for the educator, each starting "author_metadata: " and naming who the document says
// wrote it, e.g. "author_metadata: the document names its author (\"Maria Lopez\"); reviewers would
// see it: remove it before submitting". Reads PDF Info /Author and XMP dc:creator, OOXML
// docProps/core.xml (dc:creator, cp:lastModifiedBy), ODF meta.xml (meta:initial-creator,
// dc:creator). Other types, unreadable or malformed files: no warnings (never an error).
std::vector<std::string> FindAuthorMetadata(const std::filesystem::path& path,
                                            std::string_view media_type);
std::vector<std::string> FindAuthorMetadataBytes(std::string_view bytes,
                                                 std::string_view media_type);

// ---- Video probing and transcoding (ffprobe / ffmpeg subprocesses) ---------------------------
struct MediaInfo {
  std::string container;    // ffprobe format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"
  std::string video_codec;  // e.g. "h264", "hevc"; empty when there is no video stream
  std::string audio_codec;  // e.g. "aac", "opus"; empty when there is no audio stream
  double duration_seconds = 0;
  int width = 0;
  int height = 0;
  bool needs_transcode = false;
};

// The rule behind MediaInfo::needs_transcode: false only for H.264/VP8/VP9/AV1 in mp4 or webm with
// AAC/MP3/Opus/Vorbis audio or none.
bool NeedsTranscode(const MediaInfo& info);

// Not a playable media file → kUnsupportedMedia; ffprobe missing or timed out → kInternal.
core::Result<MediaInfo> ProbeMedia(const std::filesystem::path& path,
                                   std::chrono::seconds timeout = std::chrono::seconds(60));

// Audio and video carry where, when and by whom they were recorded (QuickTime location, ID3
// artist, GPS data tracks of action cameras). Copies the audio and video streams as they are (no
// re-encoding; fast) into the same kind of container without its metadata, chapters, cover art,
// subtitle or data streams. `info` is ProbeMedia's answer for `in`; `muxer`, when given (e.g.
// "mp4"), names the container to write instead. Containers it cannot rewrite give
// kUnsupportedMedia (the caller may transcode instead); on failure `out` does not exist.
core::Status RemuxWithoutMetadata(const std::filesystem::path& in, const std::filesystem::path& out,
                                  const MediaInfo& info,
                                  std::chrono::seconds timeout = std::chrono::seconds(600),
                                  const std::string& muxer = {});

// Writes H.264 (yuv420p) + AAC in mp4 with +faststart. On failure `out` does not exist and the
// error's message says why (kUnsupportedMedia for input ffmpeg cannot decode, kInternal otherwise).
core::Status Transcode(const std::filesystem::path& in, const std::filesystem::path& out,
                       std::chrono::seconds timeout = std::chrono::seconds(1800));

}  // namespace cairn::blobs
