#include "core/catalog/text.hpp"

#include <gtest/gtest.h>

namespace cairn::core::catalog {
namespace {

TEST(CountWords, CountsRunsWithLettersOrDigits) {
  EXPECT_EQ(CountWords(""), 0u);
  EXPECT_EQ(CountWords("   \n\t "), 0u);
  EXPECT_EQ(CountWords("Students talk, then write."), 4u);
  EXPECT_EQ(CountWords("  leading and trailing  "), 3u);
  EXPECT_EQ(CountWords("- item one\n- item two"), 4u);  // bullets are not words
  EXPECT_EQ(CountWords("grade 7 — science"), 3u);       // nor is a dash
  EXPECT_EQ(CountWords("élèves pensent"), 2u);
  EXPECT_EQ(CountWords("don't re-teach"), 2u);
}

TEST(CountCharacters, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCharacters("abc"), 3u);
  EXPECT_EQ(CountCharacters("é"), 1u);
  EXPECT_EQ(CountCharacters("😀x"), 2u);
}

TEST(IsValidUtf8, AcceptsUtf8AndRejectsMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("é 中 😀"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong "/"
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("a\xFFz"));
}

}  // namespace
}  // namespace cairn::core::catalog
