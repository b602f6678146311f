#include "credentials/status_list.hpp"

#include <gtest/gtest.h>

#include <string>

#include "credentials/error.hpp"
#include "credentials/multibase.hpp"
#include "vector_files.hpp"

namespace cairn::credentials {
namespace {

TEST(StatusList, NewListHasTheMinimumSizeAndIsClear) {
  BitstringStatusList list;
  EXPECT_EQ(list.size(), 131072u);
  EXPECT_EQ(list.bytes().size(), 16384u);
  EXPECT_FALSE(list.Get(0));
  EXPECT_FALSE(list.Get(131071));
  EXPECT_EQ(BitstringStatusList(10).size(), 131072u);
  EXPECT_EQ(BitstringStatusList(200001).size(), 200008u);  // rounded up to whole bytes
}

TEST(StatusList, IndexZeroIsTheMostSignificantBitOfTheFirstByte) {
  BitstringStatusList list;
  list.Set(0, true);
  list.Set(9, true);
  list.Set(131071, true);
  EXPECT_EQ(list.bytes()[0], 0x80);
  EXPECT_EQ(list.bytes()[1], 0x40);
  EXPECT_EQ(list.bytes().back(), 0x01);
  EXPECT_TRUE(list.Get(0));
  EXPECT_TRUE(list.Get(9));
  EXPECT_FALSE(list.Get(8));
  list.Set(9, false);
  EXPECT_FALSE(list.Get(9));
  EXPECT_EQ(list.bytes()[1], 0x00);
}

TEST(StatusList, OutOfRangeIndexesAreErrors) {
  BitstringStatusList list;
  EXPECT_THROW(list.Get(131072), CredentialError);
  EXPECT_THROW(list.Set(131072, true), CredentialError);
  EXPECT_THROW(list.GetStatus(65536, 2), CredentialError);
  EXPECT_THROW(list.GetStatus(0, 0), CredentialError);
}

TEST(StatusList, MultiBitStatusesReadMostSignificantFirst) {
  BitstringStatusList list;
  list.Set(6, true);  // entry 3 of size 2 covers bits 6 and 7
  EXPECT_EQ(list.GetStatus(3, 2), 2u);
  list.Set(7, true);
  EXPECT_EQ(list.GetStatus(3, 2), 3u);
  EXPECT_EQ(list.GetStatus(2, 2), 0u);
  EXPECT_EQ(list.GetStatus(65535, 2), 0u);
}

TEST(StatusList, EncodesAsMultibaseBase64UrlGzipAndRoundTrips) {
  BitstringStatusList list;
  for (std::size_t i : {0u, 1u, 23u, 4097u, 131071u}) list.Set(i, true);
  const std::string encoded = list.Encode();
  EXPECT_EQ(encoded.substr(0, 5), "uH4sI");  // 'u' + base64url of the gzip magic 1f 8b 08
  EXPECT_EQ(encoded.find('='), std::string::npos);
  EXPECT_LT(encoded.size(), 200u);  // a sparse list compresses well
  const auto decoded = BitstringStatusList::Decode(encoded);
  EXPECT_EQ(decoded.bytes(), list.bytes());
  const Bytes gzip = DecodeMultibase(encoded);
  EXPECT_EQ(Gunzip(gzip, 1 << 20), list.bytes());
}

// The 1EdTech validator's revocation list: credential-status-revoked.json points at index 23.
TEST(StatusList, DecodesThe1EdTechValidatorList) {
  const auto list_credential =
      testing::ReadStandardsJson("ob-v3p0/validator-fixtures/bit-string-list/testlist");
  const auto credential = testing::ReadStandardsJson(
      "ob-v3p0/validator-fixtures/bit-string-list/credential-status-revoked.json");
  const std::size_t index =
      credential["credentialStatus"]["statusListIndex"].get<std::size_t>();
  const auto list = BitstringStatusList::Decode(
      list_credential["credentialSubject"]["encodedList"].get<std::string>());
  EXPECT_EQ(list.size(), 131072u);
  EXPECT_TRUE(list.Get(index));
  std::size_t set = 0;
  for (std::size_t i = 0; i < list.size(); ++i) set += list.Get(i);
  EXPECT_EQ(set, 1u);
}

TEST(StatusList, AcceptsTheUnprefixedStatusList2021Form) {
  BitstringStatusList list;
  list.Set(42, true);
  const auto decoded = BitstringStatusList::Decode(list.Encode().substr(1));
  EXPECT_TRUE(decoded.Get(42));
}

TEST(StatusList, RefusesGzipBombsShortListsAndCorruptData) {
  // 1 MiB of bits inflates past a 64 KiB limit: refused before it is all in memory.
  const BitstringStatusList big(8 * 1024 * 1024);
  EXPECT_THROW(BitstringStatusList::Decode(big.Encode(), 64 * 1024), CredentialError);
  EXPECT_NO_THROW(BitstringStatusList::Decode(big.Encode()));

  const std::string short_list =
      EncodeMultibase(Gzip(Bytes(1000, 0)), MultibaseEncoding::kBase64Url);
  EXPECT_THROW(BitstringStatusList::Decode(short_list), CredentialError);

  const std::string good = BitstringStatusList().Encode();
  EXPECT_THROW(BitstringStatusList::Decode(good.substr(0, good.size() - 6)), CredentialError);
  Bytes trailing = Gzip(Bytes(16384, 0));
  trailing.push_back(0x42);
  EXPECT_THROW(
      BitstringStatusList::Decode(EncodeMultibase(trailing, MultibaseEncoding::kBase64Url)),
      CredentialError);
  Bytes corrupt = Gzip(Bytes(16384, 0));
  corrupt[corrupt.size() / 2] ^= 0xff;
  EXPECT_THROW(
      BitstringStatusList::Decode(EncodeMultibase(corrupt, MultibaseEncoding::kBase64Url)),
      CredentialError);
  EXPECT_THROW(BitstringStatusList::Decode("uH4sI+/=="), CredentialError);
  EXPECT_THROW(BitstringStatusList::Decode(""), CredentialError);
  EXPECT_THROW(BitstringStatusList::Decode("unot-gzip"), CredentialError);
}

}  // namespace
}  // namespace cairn::credentials
