#include "credentials/multibase.hpp"

#include <array>

#include "credentials/error.hpp"

namespace cairn::credentials {
namespace {

constexpr std::string_view kBase58Alphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
// Base58 decoding is quadratic; keys and signatures need < 120 characters, so anything much
// longer is refused before it can tie up a thread.
constexpr std::size_t kMaxBase58Length = 1024;
constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Reverse look-up tables: -1 marks a character outside the alphabet.
constexpr std::array<std::int8_t, 256> ReverseTable(std::string_view alphabet) {
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  return table;
}
constexpr auto kBase58Reverse = ReverseTable(kBase58Alphabet);
constexpr auto kBase64UrlReverse = ReverseTable(kBase64UrlAlphabet);

std::string Printable(unsigned char c) {
  if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
}

}  // namespace

std::string EncodeBase58Btc(std::span<const std::uint8_t> bytes) {
  std::size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  // Base-58 digits, least significant first; log(256)/log(58) < 1.37.
  std::vector<std::uint8_t> digits;
  digits.reserve((bytes.size() - zeros) * 137 / 100 + 1);
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    std::uint32_t carry = bytes[i];
    for (auto& d : digits) {
      carry += static_cast<std::uint32_t>(d) << 8;
      d = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<std::uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out(zeros, '1');
  out.reserve(zeros + digits.size());
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kBase58Alphabet[*it]);
  return out;
}

Bytes DecodeBase58Btc(std::string_view text) {
  if (text.size() > kMaxBase58Length)
    throw CredentialError("base58btc: input of " + std::to_string(text.size()) +
                          " characters exceeds the limit of " + std::to_string(kMaxBase58Length));
  std::size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  Bytes bytes;  // little-endian base-256 digits
  bytes.reserve((text.size() - ones) * 733 / 1000 + 1);
  // Up to five characters at a time (58^5 < 2^30), so the quadratic loop runs a fifth as often.
  std::size_t i = ones;
  while (i < text.size()) {
    std::uint64_t group = 0;
    std::uint64_t scale = 1;
    for (int k = 0; k < 5 && i < text.size(); ++k, ++i) {
      const int value = kBase58Reverse[static_cast<unsigned char>(text[i])];
      if (value < 0)
        throw CredentialError("base58btc: invalid character " +
                              Printable(static_cast<unsigned char>(text[i])) + " at offset " +
                              std::to_string(i));
      group = group * 58 + static_cast<std::uint64_t>(value);
      scale *= 58;
    }
    std::uint64_t carry = group;
    for (auto& b : bytes) {
      carry += static_cast<std::uint64_t>(b) * scale;
      b = static_cast<std::uint8_t>(carry & 0xFF);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<std::uint8_t>(carry & 0xFF));
      carry >>= 8;
    }
  }
  Bytes out(ones, 0);
  out.insert(out.end(), bytes.rbegin(), bytes.rend());
  return out;
}

std::string EncodeBase64Url(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out.push_back(kBase64UrlAlphabet[(v >> 18) & 63]);
    out.push_back(kBase64UrlAlphabet[(v >> 12) & 63]);
    out.push_back(kBase64UrlAlphabet[(v >> 6) & 63]);
    out.push_back(kBase64UrlAlphabet[v & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    const std::uint32_t v = (bytes[i] << 16) | (rest == 2 ? bytes[i + 1] << 8 : 0);
    out.push_back(kBase64UrlAlphabet[(v >> 18) & 63]);
    out.push_back(kBase64UrlAlphabet[(v >> 12) & 63]);
    if (rest == 2) out.push_back(kBase64UrlAlphabet[(v >> 6) & 63]);
  }
  return out;
}

Bytes DecodeBase64Url(std::string_view text) {
  if (text.size() % 4 == 1) throw CredentialError("base64url: impossible length");
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int value = kBase64UrlReverse[static_cast<unsigned char>(text[i])];
    if (value < 0)
      throw CredentialError("base64url: invalid character " +
                            Printable(static_cast<unsigned char>(text[i])) + " at offset " +
                            std::to_string(i) + " (padding is not allowed)");
    acc = (acc << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  // A canonical encoding leaves the unused low bits of the last character zero.
  if (acc != 0) throw CredentialError("base64url: non-zero trailing bits");
  return out;
}

std::string EncodeMultibase(std::span<const std::uint8_t> bytes, MultibaseEncoding encoding) {
  return encoding == MultibaseEncoding::kBase58Btc ? "z" + EncodeBase58Btc(bytes)
                                                   : "u" + EncodeBase64Url(bytes);
}

Bytes DecodeMultibase(std::string_view text) {
  if (text.empty()) throw CredentialError("multibase: empty string");
  switch (text.front()) {
    case 'z': return DecodeBase58Btc(text.substr(1));
    case 'u': return DecodeBase64Url(text.substr(1));
    default:
      throw CredentialError("multibase: unsupported prefix " +
                            Printable(static_cast<unsigned char>(text.front())) +
                            " (expected 'z' base58btc or 'u' base64url)");
  }
}

}  // namespace cairn::credentials
