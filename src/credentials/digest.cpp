#include "credentials/digest.hpp"

#include <openssl/evp.h>

#include <memory>

#include "credentials/error.hpp"

namespace cairn::credentials {

std::vector<std::uint8_t> Digest(HashAlgorithm alg, std::string_view data) {
  const EVP_MD* md = alg == HashAlgorithm::kSha384 ? EVP_sha384() : EVP_sha256();
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::vector<std::uint8_t> out(EVP_MD_get_size(md));
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1)
    throw CredentialError("digest failed");
  out.resize(len);
  return out;
}

std::string ToHex(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 15]);
  }
  return s;
}

std::string DigestHex(HashAlgorithm alg, std::string_view data) { return ToHex(Digest(alg, data)); }

}  // namespace cairn::credentials
