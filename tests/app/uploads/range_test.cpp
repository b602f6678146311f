#include "http/range.hpp"

#include <gtest/gtest.h>

namespace cairn::http {
namespace {

RangeResult Parse(std::string_view header, std::uint64_t size, ByteRange& r) {
  return ParseRange(header, size, r);
}

TEST(Range, OneRangeInEachForm) {
  ByteRange r;
  ASSERT_EQ(Parse("bytes=0-99", 1000, r), RangeResult::kSatisfiable);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 99u);
  ASSERT_EQ(Parse("bytes=900-", 1000, r), RangeResult::kSatisfiable);
  EXPECT_EQ(r.first, 900u);
  EXPECT_EQ(r.last, 999u);
  ASSERT_EQ(Parse("bytes=-100", 1000, r), RangeResult::kSatisfiable);
  EXPECT_EQ(r.first, 900u);
  EXPECT_EQ(r.last, 999u);
  // A last byte past the end is clipped; a suffix longer than the file is the whole file.
  ASSERT_EQ(Parse("bytes=990-5000", 1000, r), RangeResult::kSatisfiable);
  EXPECT_EQ(r.last, 999u);
  ASSERT_EQ(Parse("bytes=-5000", 1000, r), RangeResult::kSatisfiable);
  EXPECT_EQ(r.first, 0u);
}

TEST(Range, UnsatisfiableAndIgnored) {
  ByteRange r;
  EXPECT_EQ(Parse("bytes=1000-", 1000, r), RangeResult::kUnsatisfiable);
  EXPECT_EQ(Parse("bytes=-0", 1000, r), RangeResult::kUnsatisfiable);
  EXPECT_EQ(Parse("bytes=0-", 0, r), RangeResult::kUnsatisfiable);
  // Malformed or several ranges: ignored, the whole file is sent.
  for (const char* ignored : {"bytes=5-1", "items=0-1", "bytes=0-1,3-4", "bytes=a-b",
                              "bytes=", "bytes=-", "bytes=99999999999999999999-"})
    EXPECT_EQ(Parse(ignored, 1000, r), RangeResult::kNone) << ignored;
}

}  // namespace
}  // namespace cairn::http
