// Image metadata stripping: drop the segments and chunks that carry EXIF (and its GPS position),
// XMP, IPTC, comments and text; copy everything else byte for byte, so the decoded pixels do not
// change. Parsing trusts no length from the file: each one is checked against the real size.
#include "blobs/sanitize.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <vector>

namespace cairn::blobs {
namespace {

constexpr std::size_t kCopyChunk = 64 * 1024;

core::Error Malformed(std::string_view format, std::string_view why) {
  return core::Error::InvalidInput("this " + std::string(format) + " image is damaged (" +
                                   std::string(why) + "): export it again and re-upload");
}

std::uint32_t Be32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3]));
}
std::uint32_t Le32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}
std::string PutLe32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int k = 0; k < 4; ++k) s[k] = static_cast<char>(v >> (8 * k) & 0xFF);
  return s;
}

void Note(StripReport& r, std::string_view what) {
  if (std::find(r.removed.begin(), r.removed.end(), what) == r.removed.end()) {
    r.removed.emplace_back(what);
  }
}

void NoteExif(StripReport& r, std::string_view tiff) {
  Note(r, "exif");
  if (ExifHasGps(tiff)) Note(r, "gps");
}

// Buffered byte access over a ByteSource, for the byte-by-byte scan of JPEG entropy-coded data.
class Window {
 public:
  explicit Window(ByteSource& src) : src_(src) {}
  int At(std::uint64_t pos) {
    if (pos >= src_.size()) return -1;
    if (pos < start_ || pos >= start_ + buf_.size()) {
      buf_.clear();
      start_ = pos;
      src_.ReadAt(pos, kCopyChunk, buf_);
      if (buf_.empty()) return -1;
    }
    return static_cast<unsigned char>(buf_[static_cast<std::size_t>(pos - start_)]);
  }

 private:
  ByteSource& src_;
  std::string buf_;
  std::uint64_t start_ = 0;
};

bool Copy(ByteSource& in, std::uint64_t from, std::uint64_t len, Sink& out) {
  std::string buf;
  while (len > 0) {
    buf.clear();
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(len, kCopyChunk));
    if (in.ReadAt(from, want, buf) != want) return false;
    if (!out.Write(buf)) return false;
    from += want;
    len -= want;
  }
  return true;
}

core::Error WriteFailed() { return core::Error::Internal("strip: cannot write the output"); }

}  // namespace

bool Sink::Write(std::string_view bytes) {
  if (!ok_) return false;
  if (buffer_ != nullptr) {
    buffer_->append(bytes);
  } else if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    ok_ = false;
  }
  return ok_;
}

bool ExifHasGps(std::string_view tiff) {
  if (tiff.size() < 8) return false;
  bool little = tiff.substr(0, 2) == "II";
  if (!little && tiff.substr(0, 2) != "MM") return false;
  auto u16 = [&](std::size_t at) -> std::uint32_t {
    auto a = static_cast<unsigned char>(tiff[at]);
    auto b = static_cast<unsigned char>(tiff[at + 1]);
    return little ? (a | b << 8) : (a << 8 | b);
  };
  auto u32 = [&](std::size_t at) -> std::uint32_t {
    return little ? (u16(at) | u16(at + 2) << 16) : (u16(at) << 16 | u16(at + 2));
  };
  std::uint32_t ifd = u32(4);
  if (ifd > tiff.size() - 2) return false;
  std::uint32_t count = u16(ifd);
  for (std::uint32_t k = 0; k < count; ++k) {
    std::size_t entry = ifd + 2 + static_cast<std::size_t>(k) * 12;
    if (entry + 12 > tiff.size()) return false;
    if (u16(entry) == 0x8825) return true;
  }
  return false;
}

// The EXIF orientation (1..8) in IFD0, or 0 when absent or invalid.
int ExifOrientation(std::string_view tiff) {
  if (tiff.size() < 8) return 0;
  bool little = tiff.substr(0, 2) == "II";
  if (!little && tiff.substr(0, 2) != "MM") return 0;
  auto u16 = [&](std::size_t at) -> std::uint32_t {
    auto a = static_cast<unsigned char>(tiff[at]);
    auto b = static_cast<unsigned char>(tiff[at + 1]);
    return little ? (a | b << 8) : (a << 8 | b);
  };
  std::uint32_t ifd = little ? (u16(4) | u16(6) << 16) : (u16(4) << 16 | u16(6));
  if (ifd > tiff.size() - 2) return 0;
  std::uint32_t count = u16(ifd);
  for (std::uint32_t k = 0; k < count; ++k) {
    std::size_t entry = ifd + 2 + static_cast<std::size_t>(k) * 12;
    if (entry + 12 > tiff.size()) return 0;
    if (u16(entry) == 0x0112 && u16(entry + 2) == 3) {
      std::uint32_t v = u16(entry + 8);
      return v >= 1 && v <= 8 ? static_cast<int>(v) : 0;
    }
  }
  return 0;
}

// An APP1 payload holding nothing but the orientation: phones store portrait photos sideways
// and rely on this tag, so without it the picture would show rotated.
std::string OrientationOnlyExif(int orientation) {
  std::string p("Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\0\0\0\0\0\0\0", 32);
  p[25] = static_cast<char>(orientation);  // the SHORT value, big-endian, left-justified
  return p;
}

// ---- JPEG ------------------------------------------------------------------------------------

core::Result<StripReport> StripJpeg(ByteSource& in, Sink& out) {
  constexpr std::string_view kFormat = "JPEG";
  StripReport report;
  Window w(in);
  if (w.At(0) != 0xFF || w.At(1) != 0xD8) return Malformed(kFormat, "no start-of-image marker");
  if (!out.Write("\xFF\xD8")) return WriteFailed();
  std::uint64_t pos = 2;
  bool seen_scan = false;
  bool kept_orientation = false;
  auto finish = [&]() -> core::Result<StripReport> {
    // Whatever follows the end of the image (phones append depth maps, second pictures and even
    // video with their own EXIF there) is dropped with it.
    if (!out.Write("\xFF\xD9")) return WriteFailed();
    return report;
  };
  for (;;) {
    int b = w.At(pos);
    if (b < 0) {
      // A file cut off inside the last scan still shows most of the picture: close it properly.
      if (seen_scan) return finish();
      return Malformed(kFormat, "it ends before the image data");
    }
    if (b != 0xFF) return Malformed(kFormat, "a marker was expected");
    while (w.At(pos) == 0xFF) ++pos;
    int m = w.At(pos++);
    if (m < 0) {
      if (seen_scan) return finish();
      return Malformed(kFormat, "it ends before the image data");
    }
    if (m == 0xD9) return finish();
    if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) {
      std::string marker{'\xFF', static_cast<char>(m)};
      if (!out.Write(marker)) return WriteFailed();
      continue;
    }
    if (m == 0x00 || m == 0xD8) return Malformed(kFormat, "an unexpected marker");
    int hi = w.At(pos);
    int lo = w.At(pos + 1);
    if (hi < 0 || lo < 0) return Malformed(kFormat, "a segment is cut off");
    std::uint32_t len = static_cast<std::uint32_t>(hi << 8 | lo);
    if (len < 2 || pos + len > in.size()) return Malformed(kFormat, "a segment is cut off");
    std::string payload = in.ReadAt(pos + 2, len - 2);
    bool keep = true;
    if (m == 0xE1) {
      keep = false;
      if (payload.starts_with(std::string_view("Exif\0\0", 6))) {
        std::string_view tiff = std::string_view(payload).substr(6);
        int orientation = ExifOrientation(tiff);
        std::string minimal = orientation > 1 ? OrientationOnlyExif(orientation) : std::string();
        if (payload != minimal) NoteExif(report, tiff);
        if (!minimal.empty() && !kept_orientation) {
          kept_orientation = true;
          std::string header{'\xFF', '\xE1', 0, static_cast<char>(minimal.size() + 2)};
          if (!out.Write(header) || !out.Write(minimal)) return WriteFailed();
        }
      } else if (payload.starts_with("http://ns.adobe.com/")) {
        Note(report, "xmp");
      } else {
        Note(report, "exif");
      }
    } else if (m == 0xED) {
      keep = false;
      Note(report, "iptc");
    } else if (m == 0xFE) {
      keep = false;
      Note(report, "comment");
    } else if (m == 0xE0) {
      keep = payload.starts_with(std::string_view("JFIF\0", 5)) ||
             payload.starts_with(std::string_view("JFXX\0", 5));
    } else if (m == 0xE2) {
      keep = payload.starts_with(std::string_view("ICC_PROFILE\0", 12));
    } else if (m == 0xEE) {
      keep = true;  // Adobe: says how to convert the colours
    } else if (m >= 0xE3 && m <= 0xEF) {
      keep = false;  // vendor segments (maker notes, Ducky, Photoshop): nothing the image needs
    }
    if (keep) {
      std::string header{'\xFF', static_cast<char>(m), static_cast<char>(hi), static_cast<char>(lo)};
      if (!out.Write(header) || !out.Write(payload)) return WriteFailed();
    }
    pos += len;
    if (m != 0xDA) continue;
    // Entropy-coded data runs to the next marker that is not a stuffed byte or a restart.
    seen_scan = true;
    std::uint64_t start = pos;
    for (;;) {
      int c = w.At(pos);
      if (c < 0) break;
      if (c == 0xFF) {
        int n = w.At(pos + 1);
        if (n < 0) break;
        if (n != 0x00 && n != 0xFF && !(n >= 0xD0 && n <= 0xD7)) break;
        pos += n == 0xFF ? 1 : 2;
        continue;
      }
      ++pos;
    }
    if (!Copy(in, start, pos - start, out)) return WriteFailed();
  }
}

// ---- PNG -------------------------------------------------------------------------------------

core::Result<StripReport> StripPng(ByteSource& in, Sink& out) {
  constexpr std::string_view kFormat = "PNG";
  constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
  StripReport report;
  if (in.ReadAt(0, 8) != kSignature) return Malformed(kFormat, "no PNG signature");
  if (!out.Write(kSignature)) return WriteFailed();
  std::uint64_t pos = 8;
  bool first = true;
  for (;;) {
    std::string header = in.ReadAt(pos, 8);
    if (header.size() < 8) return Malformed(kFormat, "it ends before its last chunk");
    std::uint32_t len = Be32(header, 0);
    std::string type = header.substr(4, 4);
    if (len > 0x7FFFFFFFu) return Malformed(kFormat, "a chunk length is out of range");
    if (!std::all_of(type.begin(), type.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); })) {
      return Malformed(kFormat, "a chunk type is invalid");
    }
    if (first && type != "IHDR") return Malformed(kFormat, "the header chunk is missing");
    first = false;
    std::uint64_t total = 12ull + len;
    if (pos + total > in.size()) return Malformed(kFormat, "a chunk is cut off");
    bool keep = true;
    if (type == "eXIf") {
      keep = false;
      NoteExif(report, in.ReadAt(pos + 8, std::min<std::uint32_t>(len, 1u << 16)));
    } else if (type == "tEXt" || type == "zTXt" || type == "iTXt") {
      keep = false;
      std::string keyword = in.ReadAt(pos + 8, std::min<std::uint32_t>(len, 80));
      keyword = keyword.substr(0, keyword.find('\0'));
      if (keyword == "XML:com.adobe.xmp") {
        Note(report, "xmp");
      } else if (keyword.starts_with("Raw profile type exif") ||
                 keyword.starts_with("Raw profile type APP1")) {
        Note(report, "exif");
      } else if (keyword.starts_with("Raw profile type iptc")) {
        Note(report, "iptc");
      } else {
        Note(report, "text");
      }
    } else if (type == "tIME") {
      keep = false;
      Note(report, "time");
    }
    if (keep && !Copy(in, pos, total, out)) return WriteFailed();
    pos += total;
    if (type == "IEND") return report;
  }
}

// ---- WebP ------------------------------------------------------------------------------------

core::Result<StripReport> StripWebp(ByteSource& in, Sink& out) {
  constexpr std::string_view kFormat = "WebP";
  StripReport report;
  std::string header = in.ReadAt(0, 12);
  if (header.size() < 12 || header.compare(0, 4, "RIFF") != 0 || header.compare(8, 4, "WEBP") != 0) {
    return Malformed(kFormat, "no RIFF/WEBP header");
  }
  std::uint64_t riff_end = 8ull + Le32(header, 4);
  if (riff_end > in.size()) return Malformed(kFormat, "it is shorter than its header says");
  struct Chunk {
    std::uint64_t pos;
    std::string fourcc;
    std::uint32_t size;
  };
  std::vector<Chunk> kept;
  std::uint64_t new_size = 4;
  for (std::uint64_t pos = 12; pos + 8 <= riff_end;) {
    std::string ch = in.ReadAt(pos, 8);
    std::uint32_t size = Le32(ch, 4);
    std::string fourcc = ch.substr(0, 4);
    if (pos + 8 + size > riff_end) return Malformed(kFormat, "a chunk is cut off");
    if (kept.empty() && fourcc != "VP8 " && fourcc != "VP8L" && fourcc != "VP8X") {
      return Malformed(kFormat, "the image chunk is missing");
    }
    if (fourcc == "EXIF") {
      std::string exif = in.ReadAt(pos + 8, std::min<std::uint32_t>(size, 1u << 16));
      std::string_view tiff = exif;
      if (tiff.starts_with(std::string_view("Exif\0\0", 6))) tiff.remove_prefix(6);
      NoteExif(report, tiff);
    } else if (fourcc == "XMP ") {
      Note(report, "xmp");
    } else {
      kept.push_back({pos, fourcc, size});
      new_size += 8ull + size + (size & 1u);
    }
    if (kept.size() > 100000) return Malformed(kFormat, "too many chunks");
    pos += 8ull + size + (size & 1u);
  }
  if (kept.empty()) return Malformed(kFormat, "the image chunk is missing");
  if (new_size > 0xFFFFFFFFull) return Malformed(kFormat, "it is too large");
  if (!out.Write("RIFF") || !out.Write(PutLe32(static_cast<std::uint32_t>(new_size))) ||
      !out.Write("WEBP")) {
    return WriteFailed();
  }
  for (const auto& c : kept) {
    std::uint64_t body = c.size;
    if (c.fourcc == "VP8X" && c.size >= 1) {
      // The extended header's flags announce EXIF (0x08) and XMP (0x04) chunks that are gone now.
      std::string head = in.ReadAt(c.pos, 9);
      head[8] = static_cast<char>(static_cast<unsigned char>(head[8]) & ~0x0Cu);
      if (!out.Write(head) || !Copy(in, c.pos + 9, body - 1, out)) return WriteFailed();
    } else if (!Copy(in, c.pos, 8 + body, out)) {
      return WriteFailed();
    }
    // The last chunk's pad byte may be missing from the file; write it so sizes stay consistent.
    if ((c.size & 1u) && !out.Write(std::string_view("\0", 1))) return WriteFailed();
  }
  return report;
}

// ---- HEIF / AVIF -----------------------------------------------------------------------------
// Phones shoot HEIC. Its EXIF and XMP are items whose bytes the 'iloc' box locates; removing them
// would move every offset in the file, so their bytes are overwritten in place instead (an empty
// TIFF directory, an empty XMP packet): the file keeps its layout and the image data is untouched.

namespace {

struct Extent {
  std::uint64_t offset;
  std::uint64_t length;
};

class BoxReader {
 public:
  explicit BoxReader(std::string_view data) : data_(data) {}
  bool Need(std::size_t n) const { return pos_ + n <= data_.size(); }
  std::uint64_t Uint(std::size_t bytes) {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < bytes; ++k) v = v << 8 | static_cast<unsigned char>(data_[pos_ + k]);
    pos_ += bytes;
    return v;
  }
  std::size_t pos() const { return pos_; }
  void Skip(std::size_t n) { pos_ += n; }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

// Child boxes of a box's content: (type, content offset, content size), within bounds only.
struct Box {
  std::string type;
  std::size_t start;  // content start, relative to the parent's content
  std::size_t size;   // content size
};

std::optional<std::vector<Box>> Children(std::string_view content) {
  std::vector<Box> out;
  std::size_t pos = 0;
  while (pos + 8 <= content.size()) {
    std::uint64_t size = Be32(content, pos);
    std::size_t header = 8;
    if (size == 1) {
      if (pos + 16 > content.size()) return std::nullopt;
      size = static_cast<std::uint64_t>(Be32(content, pos + 8)) << 32 | Be32(content, pos + 12);
      header = 16;
    } else if (size == 0) {
      size = content.size() - pos;
    }
    if (size < header || size > content.size() - pos) return std::nullopt;
    out.push_back({std::string(content.substr(pos + 4, 4)), pos + header,
                   static_cast<std::size_t>(size - header)});
    pos += static_cast<std::size_t>(size);
    if (out.size() > 10000) return std::nullopt;
  }
  return out;
}

}  // namespace

core::Result<StripReport> StripHeif(ByteSource& in, Sink& out) {
  constexpr std::string_view kFormat = "HEIF";
  constexpr std::size_t kMaxMeta = 16u << 20;
  StripReport report;
  // Top level: find 'meta' without reading the (large) media data.
  std::uint64_t pos = 0;
  std::uint64_t meta_at = 0;
  std::uint64_t meta_size = 0;
  std::vector<Extent> data_boxes;  // where item bytes may lie: 'mdat' contents, then 'idat'
  int top_level = 0;
  bool first = true;
  while (pos + 8 <= in.size()) {
    std::string h = in.ReadAt(pos, 16);
    std::uint64_t size = Be32(h, 0);
    std::uint64_t header = 8;
    if (size == 1) {
      if (h.size() < 16) return Malformed(kFormat, "a box is cut off");
      size = static_cast<std::uint64_t>(Be32(h, 8)) << 32 | Be32(h, 12);
      header = 16;
    } else if (size == 0) {
      size = in.size() - pos;
    }
    if (size < header || size > in.size() - pos) return Malformed(kFormat, "a box is cut off");
    std::string type = h.substr(4, 4);
    if (first && type != "ftyp") return Malformed(kFormat, "no file type box");
    first = false;
    if (type == "meta" && meta_size == 0) {
      meta_at = pos + header;
      meta_size = size - header;
    } else if (type == "mdat") {
      data_boxes.push_back({pos + header, size - header});
    }
    if (++top_level > 10000) return Malformed(kFormat, "too many boxes");
    pos += size;
  }
  if (meta_size < 4) return Malformed(kFormat, "no metadata box");
  if (meta_size > kMaxMeta) return Malformed(kFormat, "the metadata box is too large");
  std::string meta = in.ReadAt(meta_at, static_cast<std::size_t>(meta_size));
  auto boxes = Children(std::string_view(meta).substr(4));  // FullBox: version and flags first
  if (!boxes) return Malformed(kFormat, "the metadata box is damaged");

  std::vector<std::pair<std::uint32_t, std::string>> targets;  // item id, "exif" or "xmp"
  std::map<std::uint32_t, std::vector<Extent>> extents;
  std::uint64_t idat_at = 0;
  bool has_idat = false;
  for (const auto& b : *boxes) {
    if (b.type == "idat") {
      idat_at = meta_at + 4 + b.start;
      has_idat = true;
      data_boxes.push_back({idat_at, b.size});
    }
  }
  for (const auto& b : *boxes) {
    std::string_view body = std::string_view(meta).substr(4 + b.start, b.size);
    if (b.type == "iinf") {
      BoxReader r(body);
      if (!r.Need(4)) return Malformed(kFormat, "the item list is damaged");
      std::uint64_t version = r.Uint(1);
      r.Skip(3);
      std::size_t count_bytes = version == 0 ? 2 : 4;
      if (!r.Need(count_bytes)) return Malformed(kFormat, "the item list is damaged");
      r.Skip(count_bytes);
      auto entries = Children(body.substr(r.pos()));
      if (!entries) return Malformed(kFormat, "the item list is damaged");
      for (const auto& e : *entries) {
        if (e.type != "infe") continue;
        BoxReader ir(body.substr(r.pos() + e.start, e.size));
        if (!ir.Need(4)) return Malformed(kFormat, "an item entry is damaged");
        std::uint64_t v = ir.Uint(1);
        ir.Skip(3);
        if (v < 2) continue;  // old entries cannot name Exif/XMP items
        std::size_t id_bytes = v == 2 ? 2 : 4;
        if (!ir.Need(id_bytes + 6)) return Malformed(kFormat, "an item entry is damaged");
        auto id = static_cast<std::uint32_t>(ir.Uint(id_bytes));
        ir.Skip(2);
        std::string_view entry = body.substr(r.pos() + e.start, e.size);
        std::string_view type = entry.substr(ir.pos(), 4);
        if (type == "Exif") {
          targets.emplace_back(id, "exif");
        } else if (type == "mime") {
          std::string_view rest = entry.substr(ir.pos() + 4);
          std::size_t nul = rest.find('\0');  // item_name, then content_type
          if (nul != std::string_view::npos) {
            std::string_view content_type = rest.substr(nul + 1);
            content_type = content_type.substr(0, content_type.find('\0'));
            if (content_type == "application/rdf+xml") targets.emplace_back(id, "xmp");
          }
        }
      }
    } else if (b.type == "iloc") {
      BoxReader r(body);
      if (!r.Need(6)) return Malformed(kFormat, "the item locations are damaged");
      std::uint64_t version = r.Uint(1);
      r.Skip(3);
      std::uint64_t sizes = r.Uint(2);
      std::size_t offset_size = sizes >> 12 & 0xF, length_size = sizes >> 8 & 0xF;
      std::size_t base_size = sizes >> 4 & 0xF, index_size = (version == 1 || version == 2) ? (sizes & 0xF) : 0;
      for (std::size_t s : {offset_size, length_size, base_size, index_size}) {
        if (s != 0 && s != 4 && s != 8) return Malformed(kFormat, "the item locations are damaged");
      }
      std::size_t id_bytes = version < 2 ? 2 : 4;
      if (!r.Need(id_bytes)) return Malformed(kFormat, "the item locations are damaged");
      std::uint64_t count = r.Uint(id_bytes);
      for (std::uint64_t k = 0; k < count; ++k) {
        if (!r.Need(id_bytes + 2 + 2 + base_size + 2)) return Malformed(kFormat, "the item locations are damaged");
        auto id = static_cast<std::uint32_t>(r.Uint(id_bytes));
        std::uint64_t method = 0;
        if (version == 1 || version == 2) method = r.Uint(2) & 0xF;
        r.Skip(2);  // data reference index
        std::uint64_t base = r.Uint(base_size);
        std::uint64_t n = r.Uint(2);
        std::vector<Extent> list;
        for (std::uint64_t x = 0; x < n; ++x) {
          if (!r.Need(index_size + offset_size + length_size)) return Malformed(kFormat, "the item locations are damaged");
          r.Skip(index_size);
          std::uint64_t off = r.Uint(offset_size);
          std::uint64_t len = r.Uint(length_size);
          if (method == 1) {
            if (!has_idat) return Malformed(kFormat, "an item points into a missing data box");
            off += idat_at;
          } else if (method != 0) {
            off = ~0ull;  // located by reference to another item: cannot be cleaned in place
          }
          list.push_back({off == ~0ull ? off : base + off, len});
        }
        extents[id] = std::move(list);
      }
    }
  }

  // Each metadata item's bytes, overwritten with an empty equivalent of the same length.
  std::vector<std::pair<Extent, std::string>> patches;
  for (const auto& [id, what] : targets) {
    auto it = extents.find(id);
    if (it == extents.end()) continue;
    std::uint64_t total = 0;
    for (auto& e : it->second) {
      if (e.offset == ~0ull || e.offset > in.size()) return Malformed(kFormat, "a metadata item cannot be located");
      if (e.length == 0) e.length = in.size() - e.offset;
      if (e.length > in.size() - e.offset) return Malformed(kFormat, "a metadata item is cut off");
      // Only bytes inside a data box are blanked: an item claiming to live in the structure
      // itself would have us overwrite the boxes that describe the file.
      bool inside = std::any_of(data_boxes.begin(), data_boxes.end(), [&](const Extent& d) {
        return e.offset >= d.offset && e.length <= d.length && e.offset - d.offset <= d.length - e.length;
      });
      if (!inside) return Malformed(kFormat, "a metadata item lies outside the data");
      total += e.length;
    }
    if (total > (64u << 20)) return Malformed(kFormat, "a metadata item is too large");
    std::string current;
    for (const auto& e : it->second) in.ReadAt(e.offset, static_cast<std::size_t>(e.length), current);
    std::string replacement(static_cast<std::size_t>(total), what == "xmp" ? ' ' : '\0');
    if (what == "exif") {
      constexpr std::string_view kEmptyTiff("\0\0\0\0MM\0*\0\0\0\x08\0\0\0\0\0\0", 18);
      if (replacement.size() >= kEmptyTiff.size()) replacement.replace(0, kEmptyTiff.size(), kEmptyTiff);
    } else {
      constexpr std::string_view kHead =
          "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>";
      constexpr std::string_view kTail = "<?xpacket end=\"w\"?>";
      if (replacement.size() >= kHead.size() + kTail.size()) {
        replacement.replace(0, kHead.size(), kHead);
        replacement.replace(replacement.size() - kTail.size(), kTail.size(), kTail);
      }
    }
    if (current == replacement) continue;  // blanked already: nothing to remove
    if (what == "xmp") {
      Note(report, "xmp");
    } else {
      std::string_view tiff = current;
      if (tiff.size() >= 4) {
        std::uint32_t skip = Be32(current, 0);
        tiff = skip <= tiff.size() - 4 ? tiff.substr(4 + skip) : std::string_view();
      }
      if (tiff.starts_with(std::string_view("Exif\0\0", 6))) tiff.remove_prefix(6);
      NoteExif(report, tiff);
    }
    std::size_t used = 0;
    for (const auto& e : it->second) {
      patches.push_back({e, replacement.substr(used, static_cast<std::size_t>(e.length))});
      used += static_cast<std::size_t>(e.length);
    }
  }
  std::sort(patches.begin(), patches.end(),
            [](const auto& a, const auto& b) { return a.first.offset < b.first.offset; });
  std::uint64_t at = 0;
  for (const auto& [extent, bytes] : patches) {
    if (extent.offset < at) return Malformed(kFormat, "metadata items overlap");
    if (!Copy(in, at, extent.offset - at, out) || !out.Write(bytes)) return WriteFailed();
    at = extent.offset + extent.length;
  }
  if (!Copy(in, at, in.size() - at, out)) return WriteFailed();
  return report;
}

// ---- public ----------------------------------------------------------------------------------

bool CanStripMetadata(std::string_view media_type) {
  return media_type == "image/jpeg" || media_type == "image/png" || media_type == "image/webp" ||
         media_type == "image/heic" || media_type == "image/heif" || media_type == "image/avif";
}

namespace {
core::Result<StripReport> StripAny(ByteSource& in, Sink& out, std::string_view media_type) {
  if (media_type == "image/jpeg") return StripJpeg(in, out);
  if (media_type == "image/png") return StripPng(in, out);
  if (media_type == "image/webp") return StripWebp(in, out);
  if (media_type == "image/heic" || media_type == "image/heif" || media_type == "image/avif") {
    return StripHeif(in, out);
  }
  return core::Error{core::ErrorCode::kUnsupportedMedia,
                     "metadata stripping does not handle " + std::string(media_type), {}, {}};
}
}  // namespace

core::Result<StripReport> StripImageMetadata(const std::filesystem::path& in,
                                             const std::filesystem::path& out,
                                             std::string_view media_type) {
  if (!CanStripMetadata(media_type)) {
    return core::Error{core::ErrorCode::kUnsupportedMedia,
                       "metadata stripping does not handle " + std::string(media_type), {}, {}};
  }
  ByteSource src(in);
  if (!src.ok()) return core::Error::Internal("strip: cannot open " + in.string());
  std::FILE* file = std::fopen(out.c_str(), "wb");
  if (file == nullptr) return core::Error::Internal("strip: cannot create " + out.string());
  Sink sink(file);
  auto result = StripAny(src, sink, media_type);
  bool closed = std::fclose(file) == 0;
  if (result.ok() && (!sink.ok() || !closed)) result = WriteFailed();
  if (!result.ok()) {
    std::error_code ignored;
    std::filesystem::remove(out, ignored);
  }
  return result;
}

core::Result<StripReport> StripImageMetadataBytes(std::string_view in, std::string& out,
                                                  std::string_view media_type) {
  out.clear();
  ByteSource src(in);
  Sink sink(out);
  auto result = StripAny(src, sink, media_type);
  if (!result.ok()) out.clear();
  return result;
}

}  // namespace cairn::blobs
