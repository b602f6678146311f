#include "credentials/status_list.hpp"

#include <zlib.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "credentials/error.hpp"
#include "credentials/multibase.hpp"

namespace cairn::credentials {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // +16 selects the gzip wrapper in zlib

}  // namespace

std::vector<std::uint8_t> Gzip(const std::vector<std::uint8_t>& data) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    throw CredentialError("gzip: deflateInit2 failed");
  std::unique_ptr<z_stream, decltype(&deflateEnd)> guard(&zs, deflateEnd);
  std::vector<std::uint8_t> out(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw CredentialError("gzip: deflate failed");
  out.resize(zs.total_out);
  return out;
}

std::vector<std::uint8_t> Gunzip(const std::vector<std::uint8_t>& data, std::size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, kGzipWindowBits) != Z_OK) throw CredentialError("gunzip: init failed");
  std::unique_ptr<z_stream, decltype(&inflateEnd)> guard(&zs, inflateEnd);
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  std::vector<std::uint8_t> out;
  std::uint8_t chunk[16384];
  for (;;) {
    zs.next_out = chunk;
    zs.avail_out = sizeof chunk;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END)
      throw CredentialError(std::string("gunzip: corrupt stream (") +
                            (zs.msg ? zs.msg : "inflate failed") + ")");
    const std::size_t produced = sizeof chunk - zs.avail_out;
    if (out.size() + produced > max_bytes)
      throw CredentialError("gunzip: output exceeds the limit of " + std::to_string(max_bytes) +
                            " bytes");
    out.insert(out.end(), chunk, chunk + produced);
    if (rc == Z_STREAM_END) break;
    if (produced == 0 && zs.avail_in == 0) throw CredentialError("gunzip: truncated stream");
  }
  if (zs.avail_in != 0) throw CredentialError("gunzip: trailing data after the gzip stream");
  return out;
}

BitstringStatusList::BitstringStatusList(std::size_t entries)
    : bits_((std::max(entries, kMinEntries) + 7) / 8, 0) {}

bool BitstringStatusList::Get(std::size_t index) const {
  if (index >= size())
    throw CredentialError("status list index " + std::to_string(index) + " is out of range (" +
                          std::to_string(size()) + " entries)");
  return (bits_[index / 8] >> (7 - index % 8)) & 1;
}

void BitstringStatusList::Set(std::size_t index, bool value) {
  if (index >= size())
    throw CredentialError("status list index " + std::to_string(index) + " is out of range (" +
                          std::to_string(size()) + " entries)");
  const auto mask = static_cast<std::uint8_t>(0x80u >> (index % 8));
  if (value)
    bits_[index / 8] |= mask;
  else
    bits_[index / 8] &= static_cast<std::uint8_t>(~mask);
}

std::uint32_t BitstringStatusList::GetStatus(std::size_t index, std::size_t status_size) const {
  if (status_size < 1 || status_size > 8)
    throw CredentialError("statusSize must be between 1 and 8");
  if (index >= size() / status_size)
    throw CredentialError("status list index " + std::to_string(index) + " is out of range");
  std::uint32_t value = 0;
  for (std::size_t b = 0; b < status_size; ++b)
    value = (value << 1) | static_cast<std::uint32_t>(Get(index * status_size + b));
  return value;
}

std::string BitstringStatusList::Encode() const {
  return EncodeMultibase(Gzip(bits_), MultibaseEncoding::kBase64Url);
}

BitstringStatusList BitstringStatusList::Decode(std::string_view encoded_list,
                                                std::size_t max_bytes) {
  // A gzip stream starts 1f 8b, so its base64url starts "H4sI"; a 'u' before it is the
  // multibase prefix of Bitstring Status List, its absence the older StatusList2021 form.
  if (!encoded_list.empty() && encoded_list.front() == 'u') encoded_list.remove_prefix(1);
  if (encoded_list.size() > max_bytes)  // compressed data is never larger than a sane bound
    throw CredentialError("encodedList is too long");
  std::vector<std::uint8_t> bits = Gunzip(DecodeBase64Url(encoded_list), max_bytes);
  if (bits.size() * 8 < kMinEntries)
    throw CredentialError("status list has " + std::to_string(bits.size() * 8) +
                          " entries, fewer than the minimum of " + std::to_string(kMinEntries));
  return BitstringStatusList(std::move(bits));
}

}  // namespace cairn::credentials
