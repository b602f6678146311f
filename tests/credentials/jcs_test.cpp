#include "credentials/jcs.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "credentials/error.hpp"

namespace cairn::credentials {
namespace {

using nlohmann::json;

// RFC 8785 §3.2.2: the example of whitespace, number and string rules.
TEST(Jcs, Rfc8785PrimitiveDataTypesExample) {
  const json input = json::parse(R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })");
  EXPECT_EQ(jcs::Canonicalize(input),
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,"
            "1e-27],\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

// RFC 8785 §3.2.3: property names sort by UTF-16 code units, not by code points or bytes.
TEST(Jcs, Rfc8785SortingExample) {
  const json input = json::parse(R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })");
  EXPECT_EQ(jcs::Canonicalize(input),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
            "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
            "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
            "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

// RFC 8785 Appendix B: IEEE 754 bit patterns and their ECMAScript serialization.
TEST(Jcs, Rfc8785NumberSamples) {
  const std::vector<std::pair<std::uint64_t, std::string>> samples = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& [bits, expected] : samples) {
    const double value = std::bit_cast<double>(bits);
    EXPECT_EQ(jcs::FormatNumber(value), expected) << std::hex << bits;
    EXPECT_EQ(jcs::Canonicalize(json(value)), expected) << std::hex << bits;
  }
}

TEST(Jcs, RejectsNanAndInfinity) {
  EXPECT_THROW(jcs::FormatNumber(std::numeric_limits<double>::quiet_NaN()), CredentialError);
  EXPECT_THROW(jcs::Canonicalize(json::array({std::numeric_limits<double>::infinity()})),
               CredentialError);
  EXPECT_THROW(jcs::Canonicalize(json{{"x", -std::numeric_limits<double>::infinity()}}),
               CredentialError);
}

TEST(Jcs, IntegersUpTo2To53AreExactAndLargerOnesAreRefused) {
  EXPECT_EQ(jcs::Canonicalize(json(9007199254740992ULL)), "9007199254740992");
  EXPECT_EQ(jcs::Canonicalize(json(-9007199254740992LL)), "-9007199254740992");
  EXPECT_EQ(jcs::Canonicalize(json::parse("[0,-0,-1,42]")), "[0,0,-1,42]");
  EXPECT_THROW(jcs::Canonicalize(json(9007199254740993ULL)), CredentialError);
  EXPECT_THROW(jcs::Canonicalize(json::parse("[-9007199254740993]")), CredentialError);
  EXPECT_THROW(jcs::Canonicalize(json(std::numeric_limits<std::int64_t>::min())),
               CredentialError);
  try {
    jcs::Canonicalize(json{{"n", 18014398509481984ULL}});
    FAIL() << "expected CredentialError";
  } catch (const CredentialError& e) {
    EXPECT_NE(std::string(e.what()).find("2^53"), std::string::npos) << e.what();
  }
}

TEST(Jcs, EscapesOnlyWhatItMust) {
  std::string controls;
  for (char c = 0; c < 0x20; ++c) controls.push_back(c);
  EXPECT_EQ(jcs::Canonicalize(json(controls)),
            "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
            "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
            "\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"");
  // DEL, '/', U+2028 and non-ASCII characters stay literal.
  EXPECT_EQ(jcs::Canonicalize(json("\x7f/\xE2\x80\xA8\xC3\xA9")), "\"\x7f/\xE2\x80\xA8\xC3\xA9\"");
  EXPECT_EQ(jcs::Canonicalize(json("a\"b\\c")), "\"a\\\"b\\\\c\"");
}

TEST(Jcs, RefusesInvalidUtf8) {
  for (const std::string& bad : {std::string("\xC3"), std::string("\xC0\xAF"),
                                std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80"),
                                std::string("\xFF"), std::string("a\x80")}) {
    EXPECT_THROW(jcs::Canonicalize(json(bad)), CredentialError) << bad.size();
    EXPECT_THROW(jcs::Canonicalize(json{{bad, 1}}), CredentialError);
  }
}

TEST(Jcs, NestedStructuresAndEmptyContainers) {
  const json input = json::parse(R"({"b":[{},[],{"z":1,"a":[true,{"y":null,"x":0.5}]}],"a":""})");
  EXPECT_EQ(jcs::Canonicalize(input), R"({"a":"","b":[{},[],{"a":[true,{"x":0.5,"y":null}],"z":1}]})");
}

TEST(Jcs, RefusesHostileNestingInsteadOfOverflowingTheStack) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  EXPECT_THROW(jcs::Canonicalize(json::parse(deep)), CredentialError);
  const std::string fine = std::string(500, '[') + std::string(500, ']');
  EXPECT_EQ(jcs::Canonicalize(json::parse(fine)), fine);
}

TEST(Jcs, Utf16OrderPutsSupplementaryCharactersBeforePrivateUse) {
  const std::string emoji = "\xF0\x9F\x98\x80";  // U+1F600, UTF-16 D83D DE00
  const std::string private_use = "\xEE\x80\x80";  // U+E000
  EXPECT_TRUE(jcs::Utf16Less(emoji, private_use));
  EXPECT_FALSE(jcs::Utf16Less(private_use, emoji));
  EXPECT_TRUE(jcs::Utf16Less("a", "ab"));
  EXPECT_FALSE(jcs::Utf16Less("ab", "ab"));
  EXPECT_TRUE(jcs::Utf16Less("\xE2\x82\xAC", emoji));  // U+20AC < U+1F600
  EXPECT_EQ(jcs::Canonicalize(json{{private_use, 1}, {emoji, 2}, {"x", 3}}),
            "{\"x\":3,\"" + emoji + "\":2,\"" + private_use + "\":1}");
}

// A random document with the features that canonicalizers get wrong: numbers across the whole
// double range, control and astral characters, and keys whose UTF-16 order differs from UTF-8.
class RandomDocuments {
 public:
  explicit RandomDocuments(std::uint64_t seed) : rng_(seed) {}

  json Document(int depth = 0) {
    const int kind = Pick(depth < 3 ? 8 : 6);
    switch (kind) {
      case 0: return nullptr;
      case 1: return Pick(2) == 0;
      case 2: return Number();
      case 3: return static_cast<std::int64_t>(rng_() % 2000001) - 1000000;
      case 4:
      case 5: return String();
      case 6: {
        json array = json::array();
        for (int i = Pick(5); i > 0; --i) array.push_back(Document(depth + 1));
        return array;
      }
      default: {
        json object = json::object();
        for (int i = Pick(6); i > 0; --i) object[String()] = Document(depth + 1);
        return object;
      }
    }
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }

  double Number() {
    switch (Pick(4)) {
      case 0: {  // any finite bit pattern
        double d;
        do d = std::bit_cast<double>(rng_()); while (!std::isfinite(d));
        return d;
      }
      case 1: return std::ldexp(static_cast<double>(rng_() % 1000000), Pick(140) - 70);
      case 2: return static_cast<double>(rng_() % 100000) / std::pow(10.0, Pick(12));
      default: return std::pow(10.0, Pick(60) - 30) * (Pick(2) ? 1 : -1);
    }
  }

  std::string String() {
    static const std::vector<std::string> kPieces = {
        "a", "B", "z", "0", "_", " ", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f", "\x7f",
        "\xC3\xA9", "\xE2\x82\xAC", "\xE2\x80\xA8", "\xEE\x80\x80", "\xEF\xAC\xB3", "\xEF\xBF\xBD",
        "\xF0\x9F\x98\x80", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "@context", "id"};
    std::string s;
    for (int i = Pick(6); i > 0; --i) s += kPieces[static_cast<std::size_t>(Pick(kPieces.size()))];
    return s;
  }

  std::mt19937_64 rng_;
};

// Compares byte for byte with the npm `canonicalize` package (test-only, tests/credentials/node).
TEST(Jcs, MatchesTheCanonicalizeNpmPackageOnRandomDocuments) {
  if (std::system("node --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "node is not on PATH";
  const auto dir = std::filesystem::temp_directory_path() /
                   ("cairn_jcs_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                    "_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  const auto input_path = dir / "input.jsonl";
  const auto output_path = dir / "output.txt";

  RandomDocuments generator(20261123);
  std::vector<std::string> expected;
  {
    std::ofstream input(input_path, std::ios::binary);
    for (int i = 0; i < 2000; ++i) {
      const json document = generator.Document();
      input << document.dump() << '\n';
      expected.push_back(jcs::Canonicalize(document));
    }
    // The RFC examples too, as text: the reference parses them itself.
    input << R"({"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001]})"
          << '\n';
    expected.push_back(jcs::Canonicalize(
        json::parse(R"({"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001]})")));
  }
  const std::string script = std::string(CAIRN_SOURCE_DIR) + "/tests/credentials/node/jcs_reference.mjs";
  const std::string command = "node '" + script + "' < '" + input_path.string() + "' > '" +
                              output_path.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  std::ifstream output(output_path, std::ios::binary);
  std::string line;
  std::size_t index = 0;
  std::size_t mismatches = 0;
  while (std::getline(output, line)) {
    ASSERT_LT(index, expected.size());
    if (line != expected[index] && ++mismatches <= 5)
      ADD_FAILURE() << "document " << index << "\n cairn: " << expected[index]
                    << "\n    npm: " << line;
    ++index;
  }
  EXPECT_EQ(index, expected.size());
  EXPECT_EQ(mismatches, 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cairn::credentials
