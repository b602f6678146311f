// What a file really is, from its bytes (libmagic), never from the client's name or Content-Type.
#include "blobs/sniff.hpp"

#include <magic.h>

#include <array>
#include <fstream>
#include <mutex>

#include "blobs/metadata.hpp"

namespace cairn::blobs {
namespace {

using core::catalog::ArtifactKind;

constexpr std::string_view kWhatToUpload =
    "upload a PDF, Word document, image, audio or video";

// libmagic handles are not thread-safe; one pair loaded once, used under a mutex. Sniffing reads a
// few kilobytes, so the lock is never held for long.
class Magic {
 public:
  static Magic& Instance() {
    static Magic magic;
    return magic;
  }

  // {media type, description}; empty media type when libmagic failed.
  std::pair<std::string, std::string> Identify(const std::filesystem::path* path,
                                               std::string_view bytes) {
    std::lock_guard lock(mutex_);
    if (mime_ == nullptr || text_ == nullptr) return {};
    const char* m = path ? magic_file(mime_, path->c_str())
                         : magic_buffer(mime_, bytes.data(), bytes.size());
    std::string mime = m ? m : "";
    const char* d = path ? magic_file(text_, path->c_str())
                         : magic_buffer(text_, bytes.data(), bytes.size());
    return {mime, d ? d : ""};
  }

 private:
  Magic() {
    // No decompression and no following of symlinks: the bytes we hold are what counts.
    mime_ = Open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    text_ = Open(MAGIC_ERROR);
  }
  ~Magic() {
    if (mime_) magic_close(mime_);
    if (text_) magic_close(text_);
  }
  static magic_t Open(int flags) {
    magic_t m = magic_open(flags);
    if (m != nullptr && magic_load(m, nullptr) != 0) {
      magic_close(m);
      return nullptr;
    }
    return m;
  }

  std::mutex mutex_;
  magic_t mime_ = nullptr;
  magic_t text_ = nullptr;
};

core::Error Refuse(std::string what) {
  return {core::ErrorCode::kUnsupportedMedia,
          "this file is " + what + ", not a document: " + std::string(kWhatToUpload), {}, {}};
}

// A program in any form: refused with a name the educator recognises.
std::optional<std::string> ProgramName(std::string_view type, std::string_view description,
                                       std::string_view head) {
  if (head.starts_with("#!")) return "a script";
  if (type == "application/x-dosexec" || type == "application/x-msdownload" ||
      type == "application/vnd.microsoft.portable-executable" || description.starts_with("PE32") ||
      description.starts_with("MS-DOS executable")) {
    return "a Windows executable";
  }
  if (type == "application/x-mach-binary" || description.starts_with("Mach-O")) {
    return "a macOS program";
  }
  if (type == "application/x-executable" || type == "application/x-pie-executable" ||
      type == "application/x-sharedlib" || type == "application/x-object" ||
      type == "application/x-coredump" || description.starts_with("ELF")) {
    return "a Linux program";
  }
  if (type == "application/java-archive" || type == "application/x-java-archive" ||
      type == "application/x-java-applet") {
    return "a Java program";
  }
  if (type == "application/vnd.android.package-archive") return "an Android app";
  if (type == "application/x-msi" || description.find("Installer") != std::string_view::npos) {
    return "an installer";
  }
  if (type == "text/x-shellscript" || type.starts_with("text/x-script") || type == "text/x-perl" ||
      type == "text/x-python" || type == "text/x-php" || type == "text/x-ruby" ||
      type == "text/x-msdos-batch" || type == "text/x-tcl" || type == "text/x-lua" ||
      type == "text/x-awk" || type == "application/javascript" || type == "text/javascript" ||
      type == "application/x-shellscript") {
    return "a script";
  }
  return std::nullopt;
}

bool IsDocumentType(std::string_view type) {
  static constexpr std::array<std::string_view, 12> kDocuments = {
      "application/pdf",
      "application/msword",
      "application/vnd.ms-excel",
      "application/vnd.ms-powerpoint",
      "application/rtf",
      "text/rtf",
      "text/plain",
      "text/markdown",
      "text/csv",
      "application/vnd.ms-office",
      "application/epub+zip",
      "text/x-tex",
  };
  for (auto d : kDocuments) {
    if (type == d) return true;
  }
  return type.starts_with("application/vnd.openxmlformats-officedocument.") ||
         type.starts_with("application/vnd.oasis.opendocument.");
}

}  // namespace

core::Result<SniffResult> Classify(std::string_view type, std::string_view description,
                                   std::string_view head) {
  SniffResult r{std::string(type), ArtifactKind::kDocument, std::string(description), false};
  if (auto program = ProgramName(type, description, head)) {
    r.executable = true;
    return Refuse(*program);
  }
  if (type == "inode/x-empty" || type == "application/x-empty") {
    return core::Error{core::ErrorCode::kUnsupportedMedia,
                       "this file is empty: " + std::string(kWhatToUpload), {}, {}};
  }
  if (IsDocumentType(type)) return r;
  if (type.starts_with("image/")) {
    // SVG is a program's worth of markup (scripts, external references): ask for a raster image.
    if (type == "image/svg+xml") return Refuse("an SVG drawing (upload it as PNG or JPEG)");
    r.kind = ArtifactKind::kImage;
    return r;
  }
  if (type.starts_with("audio/") || type == "application/ogg") {
    r.kind = ArtifactKind::kAudio;
    return r;
  }
  if (type.starts_with("video/")) {
    r.kind = ArtifactKind::kVideo;
    return r;
  }
  if (type == "text/html" || type == "application/xhtml+xml") return Refuse("a web page");
  if (type.starts_with("text/") && type != "text/xml") {
    // Plain text that libmagic guesses is source code (a reflection mentioning "#include"): it is
    // still text, and is served as text/plain so no browser runs it.
    r.media_type = "text/plain";
    return r;
  }
  if (type == "application/zip" || type == "application/x-rar" || type == "application/x-7z-compressed" ||
      type == "application/gzip" || type == "application/x-tar" || type == "application/x-bzip2" ||
      type == "application/x-xz") {
    return Refuse("an archive (" + std::string(type) + ")");
  }
  std::string found = description.empty() ? std::string(type) : std::string(description);
  if (found.size() > 120) found = found.substr(0, 117) + "...";
  return core::Error{core::ErrorCode::kUnsupportedMedia,
                     "this file's type is not accepted (found: " + found + "): " +
                         std::string(kWhatToUpload),
                     {}, {}};
}

core::Result<SniffResult> Sniff(const std::filesystem::path& path) {
  ByteSource src(path);
  if (!src.ok()) return core::Error::Internal("sniff: cannot open " + path.string());
  std::string head = src.ReadAt(0, 64);
  auto [type, description] = Magic::Instance().Identify(&path, {});
  if (type.empty()) return core::Error::Internal("sniff: libmagic failed on " + path.string());
  if (type == "application/zip" || type == "application/octet-stream") {
    std::string office = OfficeTypeOfZip(src);
    if (!office.empty()) type = office;
  }
  return Classify(type, description, head);
}

core::Result<SniffResult> SniffBytes(std::string_view bytes) {
  auto [type, description] = Magic::Instance().Identify(nullptr, bytes);
  if (type.empty()) return core::Error::Internal("sniff: libmagic failed");
  if (type == "application/zip" || type == "application/octet-stream") {
    ByteSource src(bytes);
    std::string office = OfficeTypeOfZip(src);
    if (!office.empty()) type = office;
  }
  return Classify(type, description, bytes.substr(0, 64));
}

}  // namespace cairn::blobs
