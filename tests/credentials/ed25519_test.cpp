#include "credentials/ed25519.hpp"

#include <gtest/gtest.h>

#include <string>

#include "credentials/digest.hpp"
#include "credentials/error.hpp"
#include "credentials/multibase.hpp"
#include "credentials/multikey.hpp"
#include "vector_files.hpp"

namespace cairn::credentials {
namespace {

Bytes FromHex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

template <std::size_t N>
std::array<std::uint8_t, N> ArrayFromHex(std::string_view hex) {
  const Bytes bytes = FromHex(hex);
  std::array<std::uint8_t, N> out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

std::string Hex(std::span<const std::uint8_t> bytes) {
  return ToHex(Bytes(bytes.begin(), bytes.end()));
}

// RFC 8032 §7.1, tests 1 and 2.
TEST(Ed25519, Rfc8032Vectors) {
  struct Vector {
    const char* seed;
    const char* public_key;
    const char* message;
    const char* signature;
  };
  const Vector vectors[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
       "701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f36"
       "13d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
  };
  for (const auto& v : vectors) {
    const auto pair = ed25519::KeyPairFromSeed(ArrayFromHex<32>(v.seed));
    EXPECT_EQ(Hex(pair.public_key), v.public_key);
    EXPECT_EQ(Hex(pair.secret_key.public_key()), v.public_key);
    EXPECT_EQ(Hex(pair.secret_key.seed()), v.seed);
    const Bytes message = FromHex(v.message);
    const auto signature = ed25519::Sign(message, pair.secret_key);
    EXPECT_EQ(Hex(signature), v.signature);
    EXPECT_TRUE(ed25519::Verify(message, signature, pair.public_key));
  }
}

TEST(Ed25519, VerifyFailsForAnotherMessageKeyOrSignature) {
  const auto pair = ed25519::GenerateKeyPair();
  const auto other = ed25519::GenerateKeyPair();
  EXPECT_NE(pair.public_key, other.public_key);
  const auto message = ed25519::AsBytes("an award");
  auto signature = ed25519::Sign(message, pair.secret_key);
  EXPECT_TRUE(ed25519::Verify(message, signature, pair.public_key));
  EXPECT_FALSE(ed25519::Verify(ed25519::AsBytes("an awarD"), signature, pair.public_key));
  EXPECT_FALSE(ed25519::Verify(message, signature, other.public_key));
  signature[10] ^= 0x01;
  EXPECT_FALSE(ed25519::Verify(message, signature, pair.public_key));
}

// The key pair of the W3C vc-di-eddsa test vectors.
TEST(Multikey, VcDiEddsaKeyPairRoundTrips) {
  const auto key_pair = testing::ReadStandardsJson("vc-di-eddsa/TestVectors/keyPair.json");
  const std::string public_multibase = key_pair["publicKeyMultibase"];
  const std::string secret_multibase = key_pair["privateKeyMultibase"];
  const auto pair = multikey::DecodeSecretKey(secret_multibase);
  EXPECT_EQ(multikey::EncodePublicKey(pair.public_key), public_multibase);
  EXPECT_EQ(multikey::DecodePublicKey(public_multibase), pair.public_key);
  EXPECT_EQ(multikey::EncodeSecretKey(pair.secret_key), secret_multibase);
  EXPECT_EQ(public_multibase.substr(0, 4), "z6Mk");
  EXPECT_EQ(secret_multibase.substr(0, 4), "z3u2");
}

// The 1EdTech vectors publish the key as hex and as a 64-byte multibase secret key.
TEST(Multikey, OneEdTechKeyPairMatchesItsHexForm) {
  const auto key_pair =
      testing::ReadStandardsJson("ob-v3p0/test-vectors/eddsa-rdfc-2022/key-pair.json");
  const auto pair = multikey::DecodeSecretKey(key_pair["secretKeyMultibase"].get<std::string>());
  EXPECT_EQ(Hex(pair.public_key), key_pair["publicKeyHex"].get<std::string>());
  EXPECT_EQ(Hex(pair.secret_key.bytes()), key_pair["privateKeyHex"].get<std::string>());
  EXPECT_EQ(multikey::EncodePublicKey(pair.public_key),
            key_pair["publicKeyMultibase"].get<std::string>());
}

TEST(Multikey, RefusesOtherKeyTypesAndSizes) {
  EXPECT_THROW(multikey::DecodePublicKey("6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"),
               CredentialError);  // no multibase prefix
  // A secp256k1 key (multicodec 0xe7 0x01) is a valid Multikey but not an Ed25519 one.
  Bytes secp256k1(35, 0x02);
  secp256k1[0] = 0xe7;
  secp256k1[1] = 0x01;
  EXPECT_THROW(multikey::DecodePublicKey(EncodeMultibase(secp256k1)), CredentialError);
  Bytes short_key = {0xed, 0x01, 1, 2, 3};
  EXPECT_THROW(multikey::DecodePublicKey(EncodeMultibase(short_key)), CredentialError);
  EXPECT_THROW(multikey::DecodePublicKey("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ0"),
               CredentialError);  // '0' is not base58
  // A 64-byte secret key whose public half belongs to another seed.
  const auto pair = ed25519::GenerateKeyPair();
  const auto other = ed25519::GenerateKeyPair();
  Bytes mixed = {0x80, 0x26};
  const auto seed = pair.secret_key.seed();
  mixed.insert(mixed.end(), seed.begin(), seed.end());
  mixed.insert(mixed.end(), other.public_key.begin(), other.public_key.end());
  EXPECT_THROW(multikey::DecodeSecretKey(EncodeMultibase(mixed)), CredentialError);
}

TEST(DidKey, ResolvesDidAndVerificationMethodLocally) {
  const std::string key = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
  const auto public_key = multikey::DecodePublicKey(key);
  EXPECT_EQ(multikey::ResolveDidKey("did:key:" + key), public_key);
  EXPECT_EQ(multikey::ResolveDidKey("did:key:" + key + "#" + key), public_key);
  EXPECT_EQ(multikey::DidKey(public_key), "did:key:" + key);
  EXPECT_EQ(multikey::DidKeyVerificationMethod(public_key), "did:key:" + key + "#" + key);
  EXPECT_THROW(multikey::ResolveDidKey("did:key:" + key + "#keys-1"), CredentialError);
  EXPECT_THROW(multikey::ResolveDidKey("did:web:example.com"), CredentialError);
  EXPECT_THROW(multikey::ResolveDidKey("did:key:"), CredentialError);
}

TEST(DidKey, DocumentListsTheKeyAsAMultikeyForEveryRelationship) {
  const std::string did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
  const auto document = multikey::DidKeyDocument(did);
  EXPECT_EQ(document["id"], did);
  ASSERT_EQ(document["verificationMethod"].size(), 1u);
  const auto& method = document["verificationMethod"][0];
  const std::string method_id = did + "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
  EXPECT_EQ(method["id"], method_id);
  EXPECT_EQ(method["type"], "Multikey");
  EXPECT_EQ(method["controller"], did);
  EXPECT_EQ(method["publicKeyMultibase"], "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
  for (const char* relationship :
       {"authentication", "assertionMethod", "capabilityDelegation", "capabilityInvocation"})
    EXPECT_EQ(document[relationship], nlohmann::json::array({method_id})) << relationship;
  EXPECT_THROW(multikey::DidKeyDocument(method_id), CredentialError);
}

TEST(Multikey, KeyFromControllerDocumentHonoursTheRelationship) {
  const auto controller = testing::ReadStandardsJson(
      "ob-v3p0/test-vectors/eddsa-rdfc-2022/controller-document.synthesized.json");
  const std::string method = controller["assertionMethod"][0];
  const auto key = multikey::KeyFromControllerDocument(controller, method, "assertionMethod");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(multikey::EncodePublicKey(*key), controller["verificationMethod"][0]["publicKeyMultibase"]);
  // Listed as a verification method but not for authentication: not usable for it.
  EXPECT_FALSE(multikey::KeyFromControllerDocument(controller, method, "authentication"));
  EXPECT_FALSE(multikey::KeyFromControllerDocument(controller, method + "x", "assertionMethod"));
  // Embedded in the relationship itself.
  nlohmann::json embedded = controller;
  embedded["assertionMethod"] = nlohmann::json::array({controller["verificationMethod"][0]});
  embedded.erase("verificationMethod");
  EXPECT_EQ(multikey::KeyFromControllerDocument(embedded, method, "assertionMethod"), key);
  nlohmann::json other_type = controller;
  other_type["verificationMethod"][0]["type"] = "JsonWebKey";
  EXPECT_THROW(multikey::KeyFromControllerDocument(other_type, method, "assertionMethod"),
               CredentialError);
}

}  // namespace
}  // namespace cairn::credentials
