// PNG baking by walking the chunk list ourselves: it keeps every other chunk byte for byte (so the
// image is untouched), checks each CRC, and never decodes pixels, so a hostile IHDR cannot make us
// allocate. libpng is used by the tests to prove the result still decodes.
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "credentials/baking.hpp"
#include "credentials/baking_text.hpp"
#include "credentials/error.hpp"

namespace cairn::credentials {
namespace {

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
constexpr std::uint32_t kMaxChunkLength = 0x7FFFFFFFu;  // PNG spec: lengths fit in 31 bits

struct PngChunk {
  std::string_view type;
  std::string_view data;
  std::string_view raw;  // length + type + data + CRC, as found in the file
};

std::uint32_t ReadBigEndian32(std::string_view bytes, std::size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

void AppendBigEndian32(std::string& out, std::uint32_t value) {
  out.push_back(static_cast<char>(value >> 24));
  out.push_back(static_cast<char>(value >> 16));
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value));
}

std::uint32_t Crc32(std::string_view bytes, std::uint32_t crc = 0) {
  // zlib's crc32 takes a uInt length; chunks are capped far below that.
  return static_cast<std::uint32_t>(
      crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

bool IsChunkTypeByte(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Splits a PNG into its chunks, up to and including IEND. Throws on anything malformed.
std::vector<PngChunk> ReadChunks(std::string_view png) {
  if (png.size() > kMaxBadgeImageBytes) throw CredentialError("PNG is larger than the 16 MiB limit");
  if (png.substr(0, kPngSignature.size()) != kPngSignature) {
    throw CredentialError("not a PNG file (bad signature)");
  }
  std::vector<PngChunk> chunks;
  std::size_t pos = kPngSignature.size();
  while (true) {
    if (png.size() - pos < 12) throw CredentialError("PNG is truncated (no IEND chunk)");
    const std::uint32_t length = ReadBigEndian32(png, pos);
    if (length > kMaxChunkLength) throw CredentialError("PNG chunk length is out of range");
    if (length > png.size() - pos - 12) {
      throw CredentialError("PNG chunk length runs past the end of the file");
    }
    const std::string_view type = png.substr(pos + 4, 4);
    for (char c : type) {
      if (!IsChunkTypeByte(c)) throw CredentialError("PNG chunk type is not four letters");
    }
    const std::string_view data = png.substr(pos + 8, length);
    const std::uint32_t stored_crc = ReadBigEndian32(png, pos + 8 + length);
    if (Crc32(data, Crc32(type)) != stored_crc) {
      throw CredentialError("PNG chunk " + std::string(type) + " has a bad CRC");
    }
    if (chunks.size() >= kMaxPngChunks) throw CredentialError("PNG has too many chunks");
    chunks.push_back({type, data, png.substr(pos, 12 + std::size_t{length})});
    pos += 12 + std::size_t{length};
    if (chunks.size() == 1) {
      if (type != "IHDR" || length != 13) throw CredentialError("PNG does not start with IHDR");
      const std::uint32_t width = ReadBigEndian32(data, 0);
      const std::uint32_t height = ReadBigEndian32(data, 4);
      if (width == 0 || height == 0 || width > kMaxPngDimension || height > kMaxPngDimension) {
        throw CredentialError("PNG dimensions " + std::to_string(width) + "x" +
                              std::to_string(height) + " are outside 1.." +
                              std::to_string(kMaxPngDimension));
      }
    } else if (type == "IHDR") {
      throw CredentialError("PNG has a second IHDR chunk");
    }
    if (type == "IEND") return chunks;  // bytes after IEND are not part of the image
  }
}

// Inflates a zlib stream, refusing to produce more than `limit` bytes (a zip bomb stops here).
std::string InflateCapped(std::string_view compressed, std::size_t limit) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) throw CredentialError("cannot initialise zlib");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buffer[16384];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    status = inflate(&stream, Z_NO_FLUSH);
    if (status == Z_BUF_ERROR && stream.avail_in == 0) {
      inflateEnd(&stream);
      throw CredentialError("compressed credential in PNG is truncated");
    }
    if (status != Z_OK && status != Z_STREAM_END) {
      inflateEnd(&stream);
      throw CredentialError("compressed credential in PNG is corrupt");
    }
    const std::size_t produced = sizeof(buffer) - stream.avail_out;
    if (out.size() + produced > limit) {
      inflateEnd(&stream);
      throw CredentialError("compressed credential in PNG inflates past the 1 MiB limit");
    }
    out.append(buffer, produced);
    if (status == Z_OK && produced == 0 && stream.avail_in == 0) {
      inflateEnd(&stream);
      throw CredentialError("compressed credential in PNG is truncated");
    }
  }
  inflateEnd(&stream);
  return out;
}

std::string_view Keyword(std::string_view itxt_data) {
  const auto end = itxt_data.find('\0');
  if (end == std::string_view::npos || end == 0 || end > 79) {
    throw CredentialError("PNG iTXt chunk has a malformed keyword");
  }
  return itxt_data.substr(0, end);
}

// The text of an `openbadgecredential` iTXt chunk (PNG spec §11.3.4.5 layout).
std::string ReadCredentialText(std::string_view data) {
  std::size_t pos = Keyword(data).size() + 1;
  if (data.size() - pos < 2) throw CredentialError("PNG iTXt chunk is truncated");
  const char compression_flag = data[pos];
  const char compression_method = data[pos + 1];
  pos += 2;
  for (int field = 0; field < 2; ++field) {  // language tag, then translated keyword
    const auto end = data.find('\0', pos);
    if (end == std::string_view::npos) throw CredentialError("PNG iTXt chunk is truncated");
    pos = end + 1;
  }
  const std::string_view text = data.substr(pos);
  std::string credential;
  if (compression_flag == 0) {
    if (text.size() > kMaxBakedCredentialBytes) {
      throw CredentialError("baked credential is larger than the 1 MiB limit");
    }
    credential.assign(text);
  } else if (compression_flag == 1 && compression_method == 0) {
    // OB 3.0 asks for uncompressed text, but a compressed chunk is still readable.
    credential = InflateCapped(text, kMaxBakedCredentialBytes);
  } else {
    throw CredentialError("PNG iTXt chunk has an unknown compression flag or method");
  }
  if (!baking_text::IsValidUtf8(credential)) {
    throw CredentialError("baked credential in PNG is not valid UTF-8");
  }
  return credential;
}

bool IsCredentialChunk(const PngChunk& chunk) {
  return chunk.type == "iTXt" && Keyword(chunk.data) == kPngCredentialKeyword;
}

void AppendChunk(std::string& out, std::string_view type, std::string_view data) {
  AppendBigEndian32(out, static_cast<std::uint32_t>(data.size()));
  out.append(type);
  out.append(data);
  AppendBigEndian32(out, Crc32(data, Crc32(type)));
}

}  // namespace

std::string BakePng(std::string_view png, std::string_view credential) {
  baking_text::CheckBakeableCredential(credential);
  const std::vector<PngChunk> chunks = ReadChunks(png);
  std::string itxt(kPngCredentialKeyword);
  itxt.push_back('\0');
  itxt.push_back('\0');  // compression flag: uncompressed
  itxt.push_back('\0');  // compression method
  itxt.push_back('\0');  // empty language tag
  itxt.push_back('\0');  // empty translated keyword
  itxt.append(credential);

  std::string out(kPngSignature);
  out.reserve(png.size() + itxt.size() + 12);
  for (const PngChunk& chunk : chunks) {
    if (IsCredentialChunk(chunk)) continue;  // baking replaces an earlier credential
    if (chunk.type == "IEND") AppendChunk(out, "iTXt", itxt);
    out.append(chunk.raw);
  }
  return out;
}

std::optional<std::string> ExtractPng(std::string_view png) {
  std::optional<std::string> found;
  for (const PngChunk& chunk : ReadChunks(png)) {
    if (!IsCredentialChunk(chunk)) continue;
    // Two credentials in one image would let a viewer and a verifier disagree on which counts.
    if (found) throw CredentialError("PNG carries more than one openbadgecredential chunk");
    found = ReadCredentialText(chunk.data);
  }
  return found;
}

}  // namespace cairn::credentials
