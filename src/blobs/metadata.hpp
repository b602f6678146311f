#pragma once
// Internals of the media library shared by its parts and reached by its tests and fuzz targets:
// bounded random access to a file or a buffer, and a zip reader (sniffing tells OOXML/ODF from a
// plain archive by the entries; the author check reads one entry). Sizes read from a file are
// never trusted: every read is checked against the real size and every allocation is capped.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::blobs {

// A file or a buffer read at offsets. Reads past the end return fewer bytes, never fail hard.
class ByteSource {
 public:
  explicit ByteSource(std::string_view bytes) : bytes_(bytes), size_(bytes.size()) {}
  // Opens `path`; ok() is false when it cannot be opened.
  explicit ByteSource(const std::filesystem::path& path);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  bool ok() const { return from_buffer_ || file_ != nullptr; }
  std::uint64_t size() const { return size_; }
  // Appends up to n bytes from `offset` to out; returns how many were read.
  std::size_t ReadAt(std::uint64_t offset, std::size_t n, std::string& out);
  std::string ReadAt(std::uint64_t offset, std::size_t n) {
    std::string out;
    ReadAt(offset, n, out);
    return out;
  }

 private:
  std::string_view bytes_;
  std::FILE* file_ = nullptr;
  bool from_buffer_ = true;
  std::uint64_t size_ = 0;
};

struct ZipEntry {
  std::string name;
  std::uint16_t method = 0;  // 0 stored, 8 deflate
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;  // as claimed: only ever used as a hint
  std::uint64_t local_header_offset = 0;
};

// The central directory, or nullopt when this is not a readable zip. At most kMaxZipEntries.
inline constexpr std::size_t kMaxZipEntries = 20000;
std::optional<std::vector<ZipEntry>> ListZipEntries(ByteSource& src);

// The entry's bytes, at most max_bytes of output (a zip bomb stops there), or nullopt when the
// entry cannot be read, is truncated, uses another method, or inflates to more than max_bytes.
std::optional<std::string> ReadZipEntry(ByteSource& src, const ZipEntry& entry,
                                        std::size_t max_bytes);

// The kind of office document a zip holds, from its entries: the media type of a docx/xlsx/pptx or
// odt/ods/odp (ODF: the stored `mimetype` entry), or empty for another archive.
std::string OfficeTypeOfZip(ByteSource& src);

// Who a document says wrote it, deduplicated, in order of discovery.
std::vector<std::string> PdfAuthors(ByteSource& src);
std::vector<std::string> ZipDocumentAuthors(ByteSource& src);

}  // namespace cairn::blobs
