#pragma once
// Byte encodings used by Data Integrity proofs, Multikey and status lists.
// base58btc: draft-msporny-base58 (Bitcoin alphabet); decoding accepts at most 1024 characters.
// multibase: https://www.w3.org/TR/cid-1.0/#multibase-0 ('z' = base58btc, 'u' = base64url)
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::credentials {

using Bytes = std::vector<std::uint8_t>;

std::string EncodeBase58Btc(std::span<const std::uint8_t> bytes);
Bytes DecodeBase58Btc(std::string_view text);  // throws CredentialError on a bad character

std::string EncodeBase64Url(std::span<const std::uint8_t> bytes);  // RFC 4648 §5, no padding
Bytes DecodeBase64Url(std::string_view text);  // throws CredentialError; padding is refused

enum class MultibaseEncoding { kBase58Btc, kBase64Url };

std::string EncodeMultibase(std::span<const std::uint8_t> bytes,
                            MultibaseEncoding encoding = MultibaseEncoding::kBase58Btc);
// Decodes a 'z' or 'u' prefixed string; throws CredentialError for any other prefix.
Bytes DecodeMultibase(std::string_view text);

}  // namespace cairn::credentials
