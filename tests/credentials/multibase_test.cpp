#include "credentials/multibase.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "credentials/error.hpp"

namespace cairn::credentials {
namespace {

Bytes FromText(std::string_view text) { return Bytes(text.begin(), text.end()); }

// Examples from draft-msporny-base58.
TEST(Multibase, Base58BtcDraftExamples) {
  EXPECT_EQ(EncodeBase58Btc(FromText("Hello World!")), "2NEpo7TZRRrLZSi2U");
  EXPECT_EQ(EncodeBase58Btc(FromText("The quick brown fox jumps over the lazy dog.")),
            "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z");
  const Bytes leading_zeros = {0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd};
  EXPECT_EQ(EncodeBase58Btc(leading_zeros), "11233QC4");
  EXPECT_EQ(DecodeBase58Btc("11233QC4"), leading_zeros);
  EXPECT_EQ(DecodeBase58Btc("2NEpo7TZRRrLZSi2U"), FromText("Hello World!"));
  EXPECT_EQ(EncodeBase58Btc(Bytes{}), "");
  EXPECT_EQ(DecodeBase58Btc(""), Bytes{});
  EXPECT_EQ(EncodeBase58Btc(Bytes{0, 0}), "11");
}

TEST(Multibase, Base58BtcRoundTripsRandomBytes) {
  std::mt19937 rng(7);
  for (int n = 0; n < 200; ++n) {
    Bytes bytes(static_cast<std::size_t>(n % 70));
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng() % (n % 3 == 0 ? 2 : 256));
    EXPECT_EQ(DecodeBase58Btc(EncodeBase58Btc(bytes)), bytes);
  }
}

TEST(Multibase, Base58BtcRefusesCharactersOutsideTheAlphabet) {
  for (const char* bad : {"0", "O", "I", "l", "abc+", "z z", "\xC3\xA9"}) {
    try {
      DecodeBase58Btc(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const CredentialError& e) {
      EXPECT_NE(std::string(e.what()).find("invalid character"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(DecodeBase58Btc(std::string(5000, '2')), CredentialError);  // length limit
}

// RFC 4648 §10 test vectors, in the URL-safe alphabet without padding.
TEST(Multibase, Base64UrlRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},          {"f", "Zg"},          {"fo", "Zm8"},     {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(EncodeBase64Url(FromText(plain)), encoded);
    EXPECT_EQ(DecodeBase64Url(encoded), FromText(plain));
  }
  EXPECT_EQ(EncodeBase64Url(Bytes{0xfb, 0xff}), "-_8");
  EXPECT_EQ(DecodeBase64Url("-_8"), (Bytes{0xfb, 0xff}));
}

TEST(Multibase, Base64UrlRefusesPaddingStandardAlphabetAndBadLengths) {
  EXPECT_THROW(DecodeBase64Url("Zg=="), CredentialError);
  EXPECT_THROW(DecodeBase64Url("+/8"), CredentialError);
  EXPECT_THROW(DecodeBase64Url("Zm9vY"), CredentialError);  // 5 characters cannot occur
  EXPECT_THROW(DecodeBase64Url("Zh"), CredentialError);     // non-zero trailing bits
}

TEST(Multibase, PrefixSelectsTheEncoding) {
  const Bytes hello = FromText("Hello World!");
  EXPECT_EQ(EncodeMultibase(hello), "z2NEpo7TZRRrLZSi2U");
  EXPECT_EQ(EncodeMultibase(hello, MultibaseEncoding::kBase64Url), "uSGVsbG8gV29ybGQh");
  EXPECT_EQ(DecodeMultibase("z2NEpo7TZRRrLZSi2U"), hello);
  EXPECT_EQ(DecodeMultibase("uSGVsbG8gV29ybGQh"), hello);
  EXPECT_THROW(DecodeMultibase("fdeadbeef"), CredentialError);  // base16 is not supported
  EXPECT_THROW(DecodeMultibase(""), CredentialError);
}

}  // namespace
}  // namespace cairn::credentials
