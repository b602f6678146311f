#include "mail/mime.hpp"

#include <gtest/gtest.h>

namespace cairn::mail {
namespace {

TEST(Mime, PlainAsciiSubjectStaysReadable) {
  EXPECT_EQ(EncodeHeaderWord("Confirm your email"), "Confirm your email");
}

TEST(Mime, EncodedWordsStayShortAndKeepCharactersWhole) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "é";  // 80 bytes of two-byte characters
  const std::string encoded = EncodeHeaderWord(subject);
  std::size_t start = 0;
  int words = 0;
  while (start < encoded.size()) {
    auto end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    const std::string word = encoded.substr(start, end - start);
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_EQ(word.rfind("=?UTF-8?B?", 0), 0u);
    ++words;
    start = end == encoded.size() ? end : end + 3;
  }
  EXPECT_EQ(words, 2);
  // Header injection through the subject is encoded away.
  EXPECT_EQ(EncodeHeaderWord("Hi\r\nBcc: x@y.org").find('\n'), std::string::npos);
}

TEST(Mime, DateIsRfc5322) {
  EXPECT_EQ(FormatDate(std::chrono::system_clock::time_point(std::chrono::seconds(1795405260))),
            "Mon, 23 Nov 2026 03:41:00 +0000");
}

TEST(Mime, Base64LinesAreWrapped) {
  const std::string encoded = Base64Lines(std::string(200, 'a'));
  EXPECT_EQ(encoded.find("\r\n"), 76u);
  EXPECT_EQ(Base64Lines("Man"), "TWFu\r\n");
  EXPECT_EQ(Base64Lines("Ma"), "TWE=\r\n");
  EXPECT_EQ(Base64Lines("M"), "TQ==\r\n");
}

TEST(Mime, RejectsUnsafeAddresses) {
  MimeParts parts{"noreply@cairn.test", "Cairn", "id@cairn.test", "b", {}};
  for (const char* bad : {"", "a", "a@b@c", "a b@c.org", "a@c.org>\r\nBcc: <x@y.org", "<a@c.org>"}) {
    auto built = BuildMessage({bad, "s", "t", ""}, parts);
    ASSERT_FALSE(built.ok()) << bad;
    EXPECT_EQ(built.error().fields.at(0).pointer, "/to");
  }
  EXPECT_FALSE(BuildMessage({"a@c.org", "", "t", ""}, parts).ok());
  EXPECT_TRUE(BuildMessage({"a@c.org", "s", "t", ""}, parts).ok());
}

}  // namespace
}  // namespace cairn::mail
