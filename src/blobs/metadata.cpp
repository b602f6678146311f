// Author metadata in documents, and the zip reader it needs. Everything is bounded: an entry or a
// stream inflates to at most a fixed budget, the central directory is read only when it fits in
// the file and under a cap, and names are cut to a sensible length, so a zip bomb or a lying
// header costs a few megabytes at worst.
#include "blobs/metadata.hpp"

#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

#include "blobs/media.hpp"

namespace cairn::blobs {
namespace {

constexpr std::size_t kMaxCentralDirectory = 16u << 20;
constexpr std::size_t kMaxXmlEntry = 4u << 20;
constexpr std::size_t kMaxNameBytes = 200;
constexpr std::size_t kPdfWindow = 1u << 20;
constexpr std::size_t kPdfOverlap = 8u << 10;
constexpr std::size_t kMaxPdfStream = 4u << 20;
constexpr std::size_t kMaxPdfInflateTotal = 32u << 20;

std::uint16_t Le16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                    static_cast<unsigned char>(s[at + 1]) << 8);
}
std::uint32_t Le32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(Le16(s, at)) | static_cast<std::uint32_t>(Le16(s, at + 2)) << 16;
}
std::uint64_t Le64(std::string_view s, std::size_t at) {
  return static_cast<std::uint64_t>(Le32(s, at)) | static_cast<std::uint64_t>(Le32(s, at + 4)) << 32;
}

// Inflates from `src` at `offset` (at most `in_limit` input bytes) into at most max_out bytes.
// window_bits -15 is raw deflate (zip), 15 is zlib (PDF FlateDecode). nullopt when the stream is
// corrupt, ends early, or would exceed max_out.
std::optional<std::string> InflateFrom(ByteSource& src, std::uint64_t offset, std::uint64_t in_limit,
                                       std::size_t max_out, int window_bits) {
  z_stream z{};
  if (inflateInit2(&z, window_bits) != Z_OK) return std::nullopt;
  std::string out;
  std::string in;
  std::array<char, 64 * 1024> buf{};
  int rc = Z_OK;
  std::uint64_t consumed = 0;
  while (rc != Z_STREAM_END) {
    if (z.avail_in == 0) {
      if (consumed >= in_limit) break;
      in.clear();
      std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(in_limit - consumed, 64 * 1024));
      std::size_t got = src.ReadAt(offset + consumed, want, in);
      if (got == 0) break;
      consumed += got;
      z.next_in = reinterpret_cast<Bytef*>(in.data());
      z.avail_in = static_cast<uInt>(got);
    }
    z.next_out = reinterpret_cast<Bytef*>(buf.data());
    z.avail_out = static_cast<uInt>(buf.size());
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    std::size_t produced = buf.size() - z.avail_out;
    if (out.size() + produced > max_out) {
      rc = Z_BUF_ERROR;
      break;
    }
    out.append(buf.data(), produced);
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

// ---- text helpers ---------------------------------------------------------------------------

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Names end up in JSON and in a sentence shown to the educator: valid UTF-8 only, no control
// characters, whitespace collapsed, length capped.
std::string CleanName(std::string_view raw) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < raw.size() && out.size() < kMaxNameBytes;) {
    auto c = static_cast<unsigned char>(raw[i]);
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else {
      ++i;
      continue;
    }
    if (i + len > raw.size()) break;
    bool valid = true;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(raw[i + k]);
      if ((cc & 0xC0) != 0x80) valid = false;
      cp = cp << 6 | (cc & 0x3F);
    }
    std::size_t step = valid ? len : 1;
    i += step;
    if (!valid) continue;
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) continue;
    if (cp < 0x20 || cp == 0x7F || cp == 0xFEFF) {
      space = !out.empty();
      continue;
    }
    if (cp == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    AppendUtf8(out, cp);
  }
  return out;
}

class AuthorSet {
 public:
  void Add(std::string_view raw) {
    std::string name = CleanName(raw);
    if (name.empty() || names_.size() >= 10) return;
    if (seen_.insert(name).second) names_.push_back(std::move(name));
  }
  std::vector<std::string> Take() { return std::move(names_); }

 private:
  std::set<std::string> seen_;
  std::vector<std::string> names_;
};

std::string XmlUnescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    std::size_t end = s.find(';', i);
    if (end == std::string_view::npos || end - i > 12) {
      out += s[i];
      continue;
    }
    std::string_view ent = s.substr(i + 1, end - i - 1);
    if (ent == "amp") out += '&';
    else if (ent == "lt") out += '<';
    else if (ent == "gt") out += '>';
    else if (ent == "quot") out += '"';
    else if (ent == "apos") out += '\'';
    else if (ent.size() > 1 && ent[0] == '#') {
      std::uint32_t cp = 0;
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      bool ok = ent.size() > (hex ? 2u : 1u);
      for (std::size_t k = hex ? 2 : 1; k < ent.size() && ok; ++k) {
        char d = ent[k];
        int v = d >= '0' && d <= '9' ? d - '0'
                : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10
                : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
        if (v < 0 || cp > 0x10FFFF) ok = false;
        else cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
      }
      if (!ok) {
        out.append(s.substr(i, end - i + 1));
      } else {
        AppendUtf8(out, cp);
      }
    } else {
      out.append(s.substr(i, end - i + 1));
    }
    i = end;
  }
  return out;
}

// The text content of an element, tags dropped; pieces (e.g. several rdf:li) joined by "; ".
std::string TextContent(std::string_view inner) {
  std::string out;
  std::size_t i = 0;
  while (i < inner.size()) {
    std::size_t lt = inner.find('<', i);
    std::string piece = CleanName(XmlUnescape(inner.substr(i, lt == std::string_view::npos ? lt : lt - i)));
    if (!piece.empty()) {
      if (!out.empty()) out += "; ";
      out += piece;
    }
    if (lt == std::string_view::npos) break;
    std::size_t gt = inner.find('>', lt);
    if (gt == std::string_view::npos) break;
    i = gt + 1;
  }
  return out;
}

// Elements whose local name says who wrote or last saved the document, in any namespace prefix.
void XmlAuthors(std::string_view xml, AuthorSet& authors) {
  static constexpr std::array<std::string_view, 3> kLocalNames = {"creator", "lastModifiedBy",
                                                                  "initial-creator"};
  std::size_t i = 0;
  while ((i = xml.find('<', i)) != std::string_view::npos) {
    std::size_t name_end = xml.find_first_of(" \t\r\n/>", i + 1);
    if (name_end == std::string_view::npos) return;
    std::string_view qname = xml.substr(i + 1, name_end - i - 1);
    i = name_end;
    if (qname.empty() || qname[0] == '/' || qname[0] == '?' || qname[0] == '!') continue;
    std::size_t colon = qname.rfind(':');
    std::string_view local = colon == std::string_view::npos ? qname : qname.substr(colon + 1);
    if (std::find(kLocalNames.begin(), kLocalNames.end(), local) == kLocalNames.end()) continue;
    std::size_t gt = xml.find('>', name_end);
    if (gt == std::string_view::npos) return;
    if (xml[gt - 1] == '/') continue;  // <dc:creator/>: empty
    std::string close = "</" + std::string(qname);
    std::size_t end = xml.find(close, gt + 1);
    if (end == std::string_view::npos) return;
    authors.Add(TextContent(xml.substr(gt + 1, std::min<std::size_t>(end - gt - 1, 4096))));
    i = end;
  }
}

// ---- PDF ------------------------------------------------------------------------------------

bool IsPdfSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

// PDF text strings are PDFDocEncoding (close to Latin-1) or UTF-16BE behind a BOM.
std::string PdfTextToUtf8(std::string_view raw) {
  std::string out;
  if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0xFE &&
      static_cast<unsigned char>(raw[1]) == 0xFF) {
    for (std::size_t i = 2; i + 1 < raw.size(); i += 2) {
      std::uint32_t cp = static_cast<unsigned char>(raw[i]) << 8 | static_cast<unsigned char>(raw[i + 1]);
      if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < raw.size()) {
        std::uint32_t lo = static_cast<unsigned char>(raw[i + 2]) << 8 | static_cast<unsigned char>(raw[i + 3]);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          i += 2;
        }
      }
      AppendUtf8(out, cp);
    }
    return out;
  }
  if (raw.size() >= 3 && raw.substr(0, 3) == "\xEF\xBB\xBF") return std::string(raw.substr(3));
  for (char c : raw) AppendUtf8(out, static_cast<unsigned char>(c));
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses the string object at s[i] (literal "(…)" or hex "<…>"); nullopt when it is something
// else (an indirect reference, a name) or unterminated within the window.
std::optional<std::string> PdfString(std::string_view s, std::size_t i) {
  if (i >= s.size()) return std::nullopt;
  std::string raw;
  if (s[i] == '(') {
    int depth = 1;
    for (++i; i < s.size() && raw.size() < 4096; ++i) {
      char c = s[i];
      if (c == '\\') {
        if (++i >= s.size()) return std::nullopt;
        char e = s[i];
        switch (e) {
          case 'n': raw += '\n'; break;
          case 'r': raw += '\r'; break;
          case 't': raw += '\t'; break;
          case 'b': raw += '\b'; break;
          case 'f': raw += '\f'; break;
          case '\r':
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
            break;
          case '\n': break;
          default:
            if (e >= '0' && e <= '7') {
              int v = e - '0';
              for (int k = 0; k < 2 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7'; ++k) {
                v = v * 8 + (s[++i] - '0');
              }
              raw += static_cast<char>(v & 0xFF);
            } else {
              raw += e;
            }
        }
        continue;
      }
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0) return PdfTextToUtf8(raw);
      raw += c;
    }
    return std::nullopt;
  }
  if (s[i] == '<' && (i + 1 >= s.size() || s[i + 1] != '<')) {
    int hi = -1;
    for (++i; i < s.size() && raw.size() < 4096; ++i) {
      if (s[i] == '>') {
        if (hi >= 0) raw += static_cast<char>(hi << 4);
        return PdfTextToUtf8(raw);
      }
      int v = HexValue(s[i]);
      if (v < 0) {
        if (IsPdfSpace(s[i])) continue;
        return std::nullopt;
      }
      if (hi < 0) {
        hi = v;
      } else {
        raw += static_cast<char>(hi << 4 | v);
        hi = -1;
      }
    }
  }
  return std::nullopt;
}

// For "N G R" at text[i]: where object N G's value starts ("N G obj" then spaces), if present.
std::optional<std::size_t> IndirectObject(std::string_view text, std::size_t i) {
  auto digits = [&](std::size_t& k) {
    std::size_t from = k;
    while (k < text.size() && k - from < 10 && text[k] >= '0' && text[k] <= '9') ++k;
    return text.substr(from, k - from);
  };
  std::size_t k = i;
  std::string_view number = digits(k);
  if (number.empty() || k >= text.size() || text[k] != ' ') return std::nullopt;
  ++k;
  std::string_view generation = digits(k);
  if (generation.empty() || k + 1 >= text.size() || text.substr(k, 2) != " R") return std::nullopt;
  std::string header = std::string(number) + " " + std::string(generation) + " obj";
  for (std::size_t at = text.find(header); at != std::string_view::npos; at = text.find(header, at + 1)) {
    if (at > 0 && text[at - 1] >= '0' && text[at - 1] <= '9') continue;
    std::size_t v = at + header.size();
    while (v < text.size() && IsPdfSpace(text[v])) ++v;
    return v;
  }
  return std::nullopt;
}

void PdfTextAuthors(std::string_view text, AuthorSet& authors) {
  // A document has one or two /Author entries; a file made of thousands of them is an attack on
  // the scan (each can read ahead 4 KiB or search the window), so only the first few count.
  constexpr int kMaxAuthorKeys = 32;
  int keys = 0;
  std::size_t i = 0;
  while (keys++ < kMaxAuthorKeys && (i = text.find("/Author", i)) != std::string_view::npos) {
    i += 7;
    std::size_t j = i;
    while (j < text.size() && IsPdfSpace(text[j])) ++j;
    if (auto s = PdfString(text, j)) {
      authors.Add(*s);
    } else if (auto target = IndirectObject(text, j)) {
      // "/Author 12 0 R": the string is object 12, found when it lies in the same window.
      if (auto s2 = PdfString(text, *target)) authors.Add(*s2);
    }
  }
  if (text.find("creator") != std::string_view::npos) XmlAuthors(text, authors);
}

class PdfScanner {
 public:
  PdfScanner(ByteSource& src, AuthorSet& authors) : src_(src), authors_(authors) {}

  void Run() {
    std::string window;
    for (std::uint64_t base = 0; base < src_.size(); base += kPdfWindow - kPdfOverlap) {
      window.clear();
      src_.ReadAt(base, kPdfWindow, window);
      PdfTextAuthors(window, authors_);
      ScanStreams(window, base);
      if (base + window.size() >= src_.size()) break;
    }
  }

 private:
  // Metadata streams and object streams (where PDF 1.5+ may keep the Info dictionary) are often
  // compressed: inflate those, within a budget, and read them too.
  void ScanStreams(std::string_view window, std::uint64_t base) {
    std::size_t i = 0;
    while ((i = window.find("stream", i)) != std::string_view::npos) {
      std::size_t kw = i;
      i += 6;
      if (kw >= 3 && window.substr(kw - 3, 3) == "end") continue;
      std::size_t data = i;
      if (data < window.size() && window[data] == '\r') ++data;
      if (data < window.size() && window[data] == '\n') ++data;
      if (data == i) continue;
      std::uint64_t absolute = base + data;
      if (!seen_.insert(absolute).second) continue;
      std::size_t dict_start = kw > 2048 ? kw - 2048 : 0;
      std::string_view dict = window.substr(dict_start, kw - dict_start);
      std::size_t open = dict.rfind("obj");
      if (open != std::string_view::npos) dict = dict.substr(open);
      if (dict.find("/FlateDecode") == std::string_view::npos) continue;
      if (dict.find("/ObjStm") == std::string_view::npos &&
          dict.find("/Metadata") == std::string_view::npos) {
        continue;
      }
      if (inflated_ >= kMaxPdfInflateTotal) return;
      auto text = InflateFrom(src_, absolute, kMaxPdfStream, kMaxPdfStream, 15);
      if (!text) continue;
      inflated_ += text->size();
      PdfTextAuthors(*text, authors_);
    }
  }

  ByteSource& src_;
  AuthorSet& authors_;
  std::set<std::uint64_t> seen_;
  std::size_t inflated_ = 0;
};

bool IsZipDocumentType(std::string_view media_type) {
  return media_type.starts_with("application/vnd.openxmlformats-officedocument.") ||
         media_type.starts_with("application/vnd.oasis.opendocument.") ||
         media_type == "application/zip";
}

}  // namespace

// ---- ByteSource -----------------------------------------------------------------------------

ByteSource::ByteSource(const std::filesystem::path& path) : from_buffer_(false) {
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) return;
  struct stat st {};
  if (fstat(fileno(file_), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fclose(file_);
    file_ = nullptr;
    return;
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

ByteSource::~ByteSource() {
  if (file_ != nullptr) std::fclose(file_);
}

std::size_t ByteSource::ReadAt(std::uint64_t offset, std::size_t n, std::string& out) {
  if (offset >= size_ || n == 0) return 0;
  n = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - offset));
  if (from_buffer_) {
    out.append(bytes_.substr(static_cast<std::size_t>(offset), n));
    return n;
  }
  if (file_ == nullptr || fseeko(file_, static_cast<off_t>(offset), SEEK_SET) != 0) return 0;
  std::size_t old = out.size();
  out.resize(old + n);
  std::size_t got = std::fread(out.data() + old, 1, n, file_);
  out.resize(old + got);
  return got;
}

// ---- zip ------------------------------------------------------------------------------------

std::optional<std::vector<ZipEntry>> ListZipEntries(ByteSource& src) {
  if (!src.ok() || src.size() < 22) return std::nullopt;
  std::uint64_t tail_len = std::min<std::uint64_t>(src.size(), 65535 + 22);
  std::uint64_t tail_at = src.size() - tail_len;
  std::string tail = src.ReadAt(tail_at, static_cast<std::size_t>(tail_len));
  if (tail.size() < 22) return std::nullopt;
  std::size_t eocd = std::string::npos;
  for (std::size_t k = tail.size() - 22 + 1; k-- > 0;) {
    if (tail.compare(k, 4, "PK\x05\x06") == 0) {
      eocd = k;
      break;
    }
  }
  if (eocd == std::string::npos) return std::nullopt;
  std::uint64_t count = Le16(tail, eocd + 10);
  std::uint64_t cd_size = Le32(tail, eocd + 12);
  std::uint64_t cd_offset = Le32(tail, eocd + 16);
  if ((count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) && eocd >= 20 &&
      tail.compare(eocd - 20, 4, "PK\x06\x07") == 0) {
    std::uint64_t rec_at = Le64(tail, eocd - 20 + 8);
    std::string rec = src.ReadAt(rec_at, 56);
    if (rec.size() < 56 || rec.compare(0, 4, "PK\x06\x06") != 0) return std::nullopt;
    count = Le64(rec, 32);
    cd_size = Le64(rec, 40);
    cd_offset = Le64(rec, 48);
  }
  if (cd_size > kMaxCentralDirectory || cd_offset > src.size() || cd_size > src.size() - cd_offset) {
    return std::nullopt;
  }
  std::string cd = src.ReadAt(cd_offset, static_cast<std::size_t>(cd_size));
  std::vector<ZipEntry> entries;
  std::size_t p = 0;
  while (entries.size() < std::min<std::uint64_t>(count, kMaxZipEntries) && p + 46 <= cd.size() &&
         cd.compare(p, 4, "PK\x01\x02") == 0) {
    ZipEntry e;
    e.method = Le16(cd, p + 10);
    e.compressed_size = Le32(cd, p + 20);
    e.uncompressed_size = Le32(cd, p + 24);
    std::size_t name_len = Le16(cd, p + 28);
    std::size_t extra_len = Le16(cd, p + 30);
    std::size_t comment_len = Le16(cd, p + 32);
    e.local_header_offset = Le32(cd, p + 42);
    std::size_t next = p + 46 + name_len + extra_len + comment_len;
    if (next > cd.size()) return std::nullopt;
    e.name = cd.substr(p + 46, name_len);
    // Zip64: the real sizes follow in the 0x0001 extra field, in this order, when saturated.
    std::string_view extra(cd.data() + p + 46 + name_len, extra_len);
    for (std::size_t x = 0; x + 4 <= extra.size();) {
      std::uint16_t id = Le16(extra, x);
      std::size_t len = Le16(extra, x + 2);
      if (x + 4 + len > extra.size()) break;
      if (id == 0x0001) {
        std::size_t q = x + 4;
        auto take = [&](std::uint64_t& field) {
          if (field == 0xFFFFFFFF && q + 8 <= x + 4 + len) {
            field = Le64(extra, q);
            q += 8;
          }
        };
        take(e.uncompressed_size);
        take(e.compressed_size);
        take(e.local_header_offset);
      }
      x += 4 + len;
    }
    entries.push_back(std::move(e));
    p = next;
  }
  return entries;
}

std::optional<std::string> ReadZipEntry(ByteSource& src, const ZipEntry& entry,
                                        std::size_t max_bytes) {
  std::string header = src.ReadAt(entry.local_header_offset, 30);
  if (header.size() < 30 || header.compare(0, 4, "PK\x03\x04") != 0) return std::nullopt;
  if (Le16(header, 6) & 0x0001) return std::nullopt;  // encrypted
  std::uint64_t data = entry.local_header_offset + 30 + Le16(header, 26) + Le16(header, 28);
  if (data > src.size() || entry.compressed_size > src.size() - data) return std::nullopt;
  if (entry.method == 0) {
    if (entry.compressed_size > max_bytes) return std::nullopt;
    std::string out = src.ReadAt(data, static_cast<std::size_t>(entry.compressed_size));
    if (out.size() != entry.compressed_size) return std::nullopt;
    return out;
  }
  if (entry.method == 8) return InflateFrom(src, data, entry.compressed_size, max_bytes, -15);
  return std::nullopt;
}

std::string OfficeTypeOfZip(ByteSource& src) {
  auto entries = ListZipEntries(src);
  if (!entries) return {};
  for (const auto& e : *entries) {
    if (e.name == "mimetype") {
      auto text = ReadZipEntry(src, e, 128);
      if (text && text->starts_with("application/vnd.oasis.opendocument.") &&
          text->find_first_of(" \r\n\t;") == std::string::npos) {
        return *text;
      }
    }
  }
  for (const auto& e : *entries) {
    if (e.name == "word/document.xml") {
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    }
    if (e.name == "xl/workbook.xml") {
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    if (e.name == "ppt/presentation.xml") {
      return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    }
  }
  return {};
}

std::vector<std::string> ZipDocumentAuthors(ByteSource& src) {
  AuthorSet authors;
  auto entries = ListZipEntries(src);
  if (!entries) return {};
  for (const auto& e : *entries) {
    if (e.name != "docProps/core.xml" && e.name != "meta.xml") continue;
    if (auto xml = ReadZipEntry(src, e, kMaxXmlEntry)) XmlAuthors(*xml, authors);
  }
  return authors.Take();
}

std::vector<std::string> PdfAuthors(ByteSource& src) {
  AuthorSet authors;
  if (src.ok()) PdfScanner(src, authors).Run();
  return authors.Take();
}

// ---- public ---------------------------------------------------------------------------------

namespace {
std::vector<std::string> AuthorWarnings(ByteSource& src, std::string_view media_type) {
  std::vector<std::string> names;
  if (media_type == "application/pdf") {
    names = PdfAuthors(src);
  } else if (IsZipDocumentType(media_type)) {
    names = ZipDocumentAuthors(src);
  }
  if (names.empty()) return {};
  std::string quoted;
  for (const auto& n : names) {
    if (!quoted.empty()) quoted += ", ";
    quoted += "\"" + n + "\"";
  }
  return {"author_metadata: the document names its author (" + quoted +
          "); reviewers would see it: remove it before submitting (for example: File > Info > "
          "Inspect Document in Word, or File > Properties in other editors)"};
}
}  // namespace

std::vector<std::string> FindAuthorMetadata(const std::filesystem::path& path,
                                            std::string_view media_type) {
  ByteSource src(path);
  if (!src.ok()) return {};
  return AuthorWarnings(src, media_type);
}

std::vector<std::string> FindAuthorMetadataBytes(std::string_view bytes, std::string_view media_type) {
  ByteSource src(bytes);
  return AuthorWarnings(src, media_type);
}

}  // namespace cairn::blobs
