#pragma once
// SHA-2 digests through OpenSSL's EVP interface (RDFC-1.0 needs SHA-384 as well as SHA-256).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::credentials {

enum class HashAlgorithm { kSha256, kSha384 };

std::vector<std::uint8_t> Digest(HashAlgorithm alg, std::string_view data);
std::string DigestHex(HashAlgorithm alg, std::string_view data);  // lowercase hex
std::string ToHex(const std::vector<std::uint8_t>& bytes);

}  // namespace cairn::credentials
