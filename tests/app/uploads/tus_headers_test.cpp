#include "app/uploads/tus_headers.hpp"

#include <gtest/gtest.h>

namespace cairn::app::uploads {
namespace {

TEST(TusInteger, AcceptsPlainDigitsOnly) {
  EXPECT_EQ(ParseTusInteger("0"), 0);
  EXPECT_EQ(ParseTusInteger("41943040"), 41943040);
  EXPECT_EQ(ParseTusInteger("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1.0", "0x10", "9223372036854775808",
                          "99999999999999999999", "1e3", "１"})
    EXPECT_FALSE(ParseTusInteger(bad)) << bad;
}

TEST(UploadMetadata, DecodesPairsAndBareKeys) {
  // "filename world_domination_plan.pdf,is_confidential" from the tus specification.
  auto md = ParseUploadMetadata("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential");
  ASSERT_TRUE(md);
  EXPECT_EQ(md->at("filename"), "world_domination_plan.pdf");
  EXPECT_EQ(md->at("is_confidential"), "");
  EXPECT_EQ(md->size(), 2u);
  auto spaced = ParseUploadMetadata(" enrolment ZW5yXzE= , filetype YXBwbGljYXRpb24vcGRm ");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->at("enrolment"), "enr_1");
  EXPECT_EQ(spaced->at("filetype"), "application/pdf");
  EXPECT_TRUE(ParseUploadMetadata("")->empty());
}

TEST(UploadMetadata, RefusesMalformedInput) {
  for (const char* bad : {"filename abc",         // not a multiple of four
                          "filename ab=c",        // padding in the middle
                          "filename a===",        // too much padding
                          "filename Zm9v!",       // not base64
                          "a ZQ==,a ZQ==",        // duplicate key
                          ",filename ZQ==",       // empty pair
                          "file\x01name ZQ==",    // control character in the key
                          "filename ZQ== ZQ=="})  // two values
    EXPECT_FALSE(ParseUploadMetadata(bad)) << bad;
  EXPECT_FALSE(ParseUploadMetadata(std::string(9000, 'a')));
  std::string many;
  for (int i = 0; i < 65; ++i) many += (i ? ",k" : "k") + std::to_string(i);
  EXPECT_FALSE(ParseUploadMetadata(many));
}

TEST(SanitizeFilename, KeepsOnlyASafeLastComponent) {
  EXPECT_EQ(SanitizeFilename("../../etc/passwd"), "passwd");
  EXPECT_EQ(SanitizeFilename("C:\\Users\\ana\\lesson plan.docx"), "lesson plan.docx");
  EXPECT_EQ(SanitizeFilename("..."), "file");
  EXPECT_EQ(SanitizeFilename(""), "file");
  EXPECT_EQ(SanitizeFilename("a\r\nb\x7f.pdf"), "ab.pdf");
  EXPECT_EQ(SanitizeFilename("ünïcødé 写真.jpg"), "ünïcødé 写真.jpg");
  EXPECT_EQ(SanitizeFilename("bad\xff\xfeutf8.txt"), "badutf8.txt");
  EXPECT_EQ(SanitizeFilename("\xc2\x85hidden.txt"), "hidden.txt");  // C1 control NEL
  std::string long_name(300, 'x');
  EXPECT_EQ(SanitizeFilename(long_name).size(), 200u);
  // A multi-byte character is never cut in half at the limit.
  std::string accents;
  for (int i = 0; i < 150; ++i) accents += "é";
  auto cut = SanitizeFilename(accents);
  EXPECT_EQ(cut.size(), 200u);
  EXPECT_EQ(cut.substr(198), "é");
}

TEST(MediaTypeBase, DropsParametersAndCase) {
  EXPECT_EQ(MediaTypeBase("Application/Offset+Octet-Stream; charset=x"),
            "application/offset+octet-stream");
  EXPECT_EQ(MediaTypeBase(" application/offset+octet-stream "), "application/offset+octet-stream");
  EXPECT_EQ(MediaTypeBase(""), "");
}

}  // namespace
}  // namespace cairn::app::uploads
