#pragma once
// W3C Bitstring Status List v1.0, https://www.w3.org/TR/vc-bitstring-status-list/
// Index 0 is the most significant bit of the first byte. The encoded form is multibase
// base64url (no padding, prefix 'u') of the GZIP-compressed bitstring.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::credentials {

class BitstringStatusList {
 public:
  // 16 KiB uncompressed: the minimum the specification sets for group privacy.
  static constexpr std::size_t kMinEntries = 131072;
  // Decoding refuses a bitstring that inflates beyond this, so a gzip bomb cannot exhaust memory.
  static constexpr std::size_t kDefaultMaxBytes = 16 * 1024 * 1024;

  // `entries` is rounded up to a whole byte and to at least kMinEntries.
  explicit BitstringStatusList(std::size_t entries = kMinEntries);

  std::size_t size() const { return bits_.size() * 8; }  // number of entries (bits)
  bool Get(std::size_t index) const;                      // throws CredentialError if out of range
  void Set(std::size_t index, bool value);
  // A status of `status_size` bits (1..8, the credential's statusSize) at entry `index`, i.e.
  // bits [index * status_size, (index + 1) * status_size), most significant first.
  std::uint32_t GetStatus(std::size_t index, std::size_t status_size) const;

  std::string Encode() const;  // "u" + base64url(gzip(bitstring))
  // Also accepts the unprefixed base64url of StatusList2021. Throws CredentialError for bad
  // encoding, a corrupt or oversized stream, or a bitstring shorter than kMinEntries.
  static BitstringStatusList Decode(std::string_view encoded_list,
                                    std::size_t max_bytes = kDefaultMaxBytes);

  const std::vector<std::uint8_t>& bytes() const { return bits_; }

 private:
  explicit BitstringStatusList(std::vector<std::uint8_t> bits) : bits_(std::move(bits)) {}
  std::vector<std::uint8_t> bits_;
};

// GZIP (RFC 1952) through zlib. Gunzip throws CredentialError if the output would exceed
// `max_bytes` or the stream is corrupt, truncated or followed by garbage.
std::vector<std::uint8_t> Gzip(const std::vector<std::uint8_t>& data);
std::vector<std::uint8_t> Gunzip(const std::vector<std::uint8_t>& data, std::size_t max_bytes);

}  // namespace cairn::credentials
