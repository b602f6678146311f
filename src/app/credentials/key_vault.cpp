#include "app/credentials/key_vault.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <vector>

namespace cairn::app::credentials {
namespace {

std::string ToHex(const unsigned char* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

bool FromHex(const std::string& hex, std::vector<unsigned char>& out) {
  out.assign(hex.size() / 2 + 1, 0);
  std::size_t len = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0)
    return false;
  out.resize(len);
  return len * 2 == hex.size();
}

}  // namespace

core::Result<KeyVault> KeyVault::Load(const std::string& path) {
  if (sodium_init() < 0) return core::Error::Internal("libsodium failed to initialise");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return core::Error::InvalidInput("the key-encryption key file " + path +
                                     " does not exist (CAIRN_KEK_FILE; `make run` creates one: "
                                     "32 random bytes, mode 0600)");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return core::Error::InvalidInput("the key-encryption key file " + path +
                                     " may be read by group or others; chmod 0600 it");
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return core::Error::InvalidInput("cannot read " + path);

  std::array<unsigned char, 32> kek{};
  std::string trimmed = text;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r'))
    trimmed.pop_back();
  std::vector<unsigned char> bytes;
  if (text.size() == 32) {
    std::copy(text.begin(), text.end(), kek.begin());
  } else if (trimmed.size() == 64 && FromHex(trimmed, bytes) && bytes.size() == 32) {
    std::copy(bytes.begin(), bytes.end(), kek.begin());
  } else if (trimmed.size() == 44) {
    std::size_t len = 0;
    if (sodium_base642bin(kek.data(), kek.size(), trimmed.data(), trimmed.size(), nullptr, &len,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len != 32) {
      return core::Error::InvalidInput("the key-encryption key file " + path +
                                       " is not 32 bytes (raw, hex or base64)");
    }
  } else {
    return core::Error::InvalidInput("the key-encryption key file " + path +
                                     " is not 32 bytes (raw, hex or base64)");
  }
  KeyVault vault(kek);
  sodium_memzero(kek.data(), kek.size());
  return vault;
}

SealedSecret KeyVault::Seal(const std::string& plaintext) const {
  unsigned char nonce[crypto_secretbox_NONCEBYTES];
  randombytes_buf(nonce, sizeof nonce);
  std::vector<unsigned char> cipher(plaintext.size() + crypto_secretbox_MACBYTES);
  crypto_secretbox_easy(cipher.data(), reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce, kek_.data());
  return {ToHex(nonce, sizeof nonce), ToHex(cipher.data(), cipher.size())};
}

core::Result<std::string> KeyVault::Open(const SealedSecret& sealed) const {
  std::vector<unsigned char> nonce, cipher;
  if (!FromHex(sealed.nonce_hex, nonce) || nonce.size() != crypto_secretbox_NONCEBYTES ||
      !FromHex(sealed.ciphertext_hex, cipher) || cipher.size() < crypto_secretbox_MACBYTES) {
    return core::Error::Internal("a sealed issuer key is malformed");
  }
  std::string plain(cipher.size() - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), cipher.data(),
                                 cipher.size(), nonce.data(), kek_.data()) != 0) {
    return core::Error::Internal(
        "an issuer key does not open under this key-encryption key (wrong CAIRN_KEK_FILE?)");
  }
  return plain;
}

}  // namespace cairn::app::credentials
