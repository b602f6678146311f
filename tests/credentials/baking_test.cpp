// Baking: round trips through PNG and SVG, what a viewer still sees (libpng decodes the same
// pixels), the default badge image, and hostile files that must fail with a CredentialError.
#include "credentials/baking.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <png.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "credentials/badge_image.hpp"
#include "credentials/error.hpp"
#include "vector_files.hpp"

namespace cairn::credentials {
namespace {

using ::testing::HasSubstr;

struct Image {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::vector<unsigned char> rgba;
};

// Encodes an RGBA image with libpng's simplified API.
std::string EncodePng(const Image& image) {
  png_image info{};
  info.version = PNG_IMAGE_VERSION;
  info.width = image.width;
  info.height = image.height;
  info.format = PNG_FORMAT_RGBA;
  png_alloc_size_t size = 0;
  EXPECT_TRUE(png_image_write_to_memory(&info, nullptr, &size, 0, image.rgba.data(), 0, nullptr));
  std::string out(size, '\0');
  EXPECT_TRUE(png_image_write_to_memory(&info, out.data(), &size, 0, image.rgba.data(), 0, nullptr));
  out.resize(size);
  return out;
}

// Decodes with libpng, as an image viewer would. Fails the test if libpng refuses the file.
Image DecodePng(const std::string& bytes) {
  png_image info{};
  info.version = PNG_IMAGE_VERSION;
  Image image;
  if (!png_image_begin_read_from_memory(&info, bytes.data(), bytes.size())) {
    ADD_FAILURE() << "libpng cannot read the PNG: " << info.message;
    return image;
  }
  info.format = PNG_FORMAT_RGBA;
  image.width = info.width;
  image.height = info.height;
  image.rgba.resize(PNG_IMAGE_SIZE(info));
  if (!png_image_finish_read(&info, nullptr, image.rgba.data(), 0, nullptr)) {
    ADD_FAILURE() << "libpng cannot decode the PNG: " << info.message;
  }
  return image;
}

Image Gradient(std::uint32_t width, std::uint32_t height) {
  Image image{width, height, {}};
  for (std::uint32_t y = 0; y < height; ++y) {
    for (std::uint32_t x = 0; x < width; ++x) {
      image.rgba.insert(image.rgba.end(), {static_cast<unsigned char>(x * 7),
                                           static_cast<unsigned char>(y * 13),
                                           static_cast<unsigned char>(x ^ y), 255});
    }
  }
  return image;
}

std::string SamplePng() { return EncodePng(Gradient(24, 16)); }

std::string SampleCredential() {
  return testing::ReadStandardsFile("ob-v3p0/examples/basic-openbadgecredential.json");
}

void AppendU32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

std::string Chunk(std::string_view type, std::string_view data) {
  std::string out;
  AppendU32(out, static_cast<std::uint32_t>(data.size()));
  out.append(type);
  out.append(data);
  uLong crc = crc32(0, reinterpret_cast<const Bytef*>(type.data()), 4);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
  AppendU32(out, static_cast<std::uint32_t>(crc));
  return out;
}

std::string Itxt(std::string_view keyword, char compression, std::string_view text) {
  std::string data(keyword);
  data += '\0';
  data += compression;
  data += '\0';
  data += '\0';  // language
  data += '\0';  // translated keyword
  data.append(text);
  return Chunk("iTXt", data);
}

std::string Compress(std::string_view text) {
  uLongf size = compressBound(static_cast<uLong>(text.size()));
  std::string out(size, '\0');
  EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                      reinterpret_cast<const Bytef*>(text.data()), static_cast<uLong>(text.size()),
                      9),
            Z_OK);
  out.resize(size);
  return out;
}

// Inserts raw chunk bytes right before IEND of a valid PNG.
std::string InsertBeforeIend(const std::string& png, const std::string& chunks) {
  const auto iend = png.size() - 12;
  EXPECT_EQ(png.substr(iend + 4, 4), "IEND");
  return png.substr(0, iend) + chunks + png.substr(iend);
}

struct ChunkInfo {
  std::string type;
  std::string data;
};

// An independent chunk lister for checking the layout the baker wrote.
std::vector<ChunkInfo> ListChunks(const std::string& png) {
  std::vector<ChunkInfo> chunks;
  std::size_t pos = 8;
  while (pos + 12 <= png.size()) {
    const auto* p = reinterpret_cast<const unsigned char*>(png.data() + pos);
    const std::size_t length = (std::size_t{p[0]} << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
    chunks.push_back({png.substr(pos + 4, 4), png.substr(pos + 8, length)});
    pos += 12 + length;
  }
  return chunks;
}

template <class F>
std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const CredentialError& e) {
    return e.what();
  }
  return "(no CredentialError)";
}

// ---------------------------------------------------------------- PNG

TEST(PngBaking, RoundTripKeepsTheImage) {
  const std::string png = SamplePng();
  const std::string credential = SampleCredential();
  const std::string baked = BakePng(png, credential);
  EXPECT_EQ(ExtractPng(baked), credential);

  const Image before = DecodePng(png);
  const Image after = DecodePng(baked);
  EXPECT_EQ(after.width, 24u);
  EXPECT_EQ(after.height, 16u);
  EXPECT_EQ(after.rgba, before.rgba);
}

TEST(PngBaking, WritesOneUncompressedItxtBeforeIend) {
  const std::string baked = BakePng(SamplePng(), SampleCredential());
  const auto chunks = ListChunks(baked);
  ASSERT_GE(chunks.size(), 3u);
  EXPECT_EQ(chunks.front().type, "IHDR");
  EXPECT_EQ(chunks.back().type, "IEND");
  const ChunkInfo& itxt = chunks[chunks.size() - 2];
  ASSERT_EQ(itxt.type, "iTXt");
  const std::string header("openbadgecredential\0\0\0\0\0", 24);
  EXPECT_EQ(itxt.data.substr(0, header.size()), header);
  EXPECT_EQ(itxt.data.substr(header.size()), SampleCredential());
}

TEST(PngBaking, RebakingReplacesTheCredential) {
  const std::string first = BakePng(SamplePng(), R"({"id":"urn:uuid:1"})");
  const std::string second = BakePng(first, R"({"id":"urn:uuid:2"})");
  EXPECT_EQ(ExtractPng(second), R"({"id":"urn:uuid:2"})");
  int credential_chunks = 0;
  for (const auto& chunk : ListChunks(second)) {
    if (chunk.type == "iTXt") ++credential_chunks;
  }
  EXPECT_EQ(credential_chunks, 1);
  EXPECT_EQ(DecodePng(second).rgba, DecodePng(SamplePng()).rgba);
}

TEST(PngBaking, KeepsOtherTextChunks) {
  const std::string png =
      InsertBeforeIend(SamplePng(), Chunk("tEXt", std::string("Comment\0hello", 13)) +
                                        Itxt("openbadges", 0, "an OB 2.0 assertion"));
  const std::string baked = BakePng(png, SampleCredential());
  bool comment = false, ob2 = false;
  for (const auto& chunk : ListChunks(baked)) {
    comment = comment || (chunk.type == "tEXt" && chunk.data.ends_with("hello"));
    ob2 = ob2 || (chunk.type == "iTXt" && chunk.data.starts_with(std::string("openbadges\0", 11)));
  }
  EXPECT_TRUE(comment);
  EXPECT_TRUE(ob2);
  EXPECT_EQ(ExtractPng(baked), SampleCredential());
}

TEST(PngBaking, Utf8CredentialRoundTrips) {
  const std::string credential =
      R"({"name":"Évaluation formative — 教育 🎓","description":"naïve café"})";
  EXPECT_EQ(ExtractPng(BakePng(SamplePng(), credential)), credential);
}

TEST(PngBaking, CompactJwsRoundTrips) {
  const std::string jws = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl";
  EXPECT_EQ(ExtractPng(BakePng(SamplePng(), jws)), jws);
}

TEST(PngBaking, UnbakedImageHasNoCredential) {
  EXPECT_EQ(ExtractPng(SamplePng()), std::nullopt);
  EXPECT_THAT(ErrorOf([] { Extract(SamplePng()); }), HasSubstr("no baked credential"));
}

TEST(PngBaking, ReadsACompressedItxtFromOtherBakers) {
  const std::string credential = SampleCredential();
  const std::string png =
      InsertBeforeIend(SamplePng(), Itxt("openbadgecredential", 1, Compress(credential)));
  EXPECT_EQ(ExtractPng(png), credential);
}

TEST(PngBaking, RefusesWhatCannotBeBaked) {
  EXPECT_THAT(ErrorOf([] { BakePng(SamplePng(), ""); }), HasSubstr("empty"));
  EXPECT_THAT(ErrorOf([] { BakePng(SamplePng(), "hello"); }), HasSubstr("neither"));
  EXPECT_THAT(ErrorOf([] { BakePng(SamplePng(), "[1,2]"); }), HasSubstr("neither"));
  EXPECT_THAT(ErrorOf([] { BakePng(SamplePng(), "{\"a\":\"\xff\"}"); }), HasSubstr("UTF-8"));
  EXPECT_THAT(ErrorOf([] { BakePng(SamplePng(), "{" + std::string(2u << 20, ' ') + "}"); }),
              HasSubstr("limit"));
  EXPECT_THAT(ErrorOf([] { BakePng("GIF89a", "{}"); }), HasSubstr("not a PNG"));
}

// ------------------------------------------------------- hostile PNGs

TEST(HostilePng, EveryTruncationIsRefused) {
  const std::string baked = BakePng(SamplePng(), R"({"id":"urn:uuid:1"})");
  for (std::size_t length = 0; length < baked.size(); ++length) {
    EXPECT_THROW(ExtractPng(baked.substr(0, length)), CredentialError) << "length " << length;
  }
}

TEST(HostilePng, LyingChunkLengthIsRefused) {
  std::string baked = BakePng(SamplePng(), R"({"id":"urn:uuid:1"})");
  const auto chunks_start = baked.size() - 12 - (12 + 24 + 19);
  ASSERT_EQ(baked.substr(chunks_start + 4, 4), "iTXt");
  for (std::uint32_t lie : {0x7FFFFFF0u, 0xFFFFFFFFu, 0x80000000u, 1000u}) {
    std::string bad = baked;
    std::string length;
    AppendU32(length, lie);
    bad.replace(chunks_start, 4, length);
    EXPECT_THROW(ExtractPng(bad), CredentialError) << lie;
  }
}

TEST(HostilePng, BadCrcIsRefused) {
  std::string baked = BakePng(SamplePng(), R"({"id":"urn:uuid:1"})");
  baked[baked.size() - 20] ^= 0x01;  // inside the credential text
  EXPECT_THAT(ErrorOf([&] { ExtractPng(baked); }), HasSubstr("bad CRC"));
}

TEST(HostilePng, HugeDimensionsAreRefused) {
  std::string ihdr;
  AppendU32(ihdr, 100000);
  AppendU32(ihdr, 100000);
  ihdr += std::string("\x08\x06\x00\x00\x00", 5);
  const std::string png =
      std::string("\x89PNG\r\n\x1a\n", 8) + Chunk("IHDR", ihdr) + Chunk("IEND", "");
  EXPECT_THAT(ErrorOf([&] { ExtractPng(png); }), HasSubstr("dimensions"));
  EXPECT_THAT(ErrorOf([&] { BakePng(png, "{}"); }), HasSubstr("dimensions"));
}

TEST(HostilePng, ManyChunksAreRefused) {
  std::string chunks;
  const std::string tiny = Chunk("tEXt", std::string("a\0b", 3));
  for (int i = 0; i < 70000; ++i) chunks += tiny;
  EXPECT_THAT(ErrorOf([&] { ExtractPng(InsertBeforeIend(SamplePng(), chunks)); }),
              HasSubstr("too many chunks"));
}

TEST(HostilePng, ZipBombsAreNeverInflated) {
  const std::string bomb = Compress(std::string(64u << 20, '{'));  // 64 MiB of text
  ASSERT_LT(bomb.size(), 1u << 20);
  // zTXt is not where OB 3.0 puts a credential, so it is skipped without inflating.
  std::string ztxt_data = std::string("openbadgecredential\0\0", 21) + bomb;
  EXPECT_EQ(ExtractPng(InsertBeforeIend(SamplePng(), Chunk("zTXt", ztxt_data))), std::nullopt);
  // A compressed iTXt is read, but inflation stops at the credential size limit.
  EXPECT_THAT(ErrorOf([&] {
                ExtractPng(InsertBeforeIend(SamplePng(), Itxt("openbadgecredential", 1, bomb)));
              }),
              HasSubstr("limit"));
  EXPECT_THAT(ErrorOf([&] {
                ExtractPng(InsertBeforeIend(SamplePng(),
                                            Itxt("openbadgecredential", 1, bomb.substr(0, 100))));
              }),
              HasSubstr("truncated"));
  EXPECT_THAT(ErrorOf([&] {
                ExtractPng(InsertBeforeIend(SamplePng(), Itxt("openbadgecredential", 1, "junk")));
              }),
              HasSubstr("corrupt"));
}

TEST(HostilePng, TwoCredentialsAreRefused) {
  const std::string png = InsertBeforeIend(
      SamplePng(), Itxt("openbadgecredential", 0, "{}") + Itxt("openbadgecredential", 0, "{}"));
  EXPECT_THAT(ErrorOf([&] { ExtractPng(png); }), HasSubstr("more than one"));
}

TEST(HostilePng, MalformedItxtIsRefused) {
  EXPECT_THROW(ExtractPng(InsertBeforeIend(SamplePng(), Chunk("iTXt", "no-terminator"))),
               CredentialError);
  EXPECT_THROW(ExtractPng(InsertBeforeIend(SamplePng(), Chunk("iTXt", std::string(
                                                                        "openbadgecredential\0\0\0",
                                                                        22)))),
               CredentialError);
  EXPECT_THROW(ExtractPng(InsertBeforeIend(SamplePng(), Itxt("openbadgecredential", 2, "{}"))),
               CredentialError);
  EXPECT_THAT(ErrorOf([&] {
                ExtractPng(InsertBeforeIend(SamplePng(), Itxt("openbadgecredential", 0, "\xc0\xaf")));
              }),
              HasSubstr("UTF-8"));
}

TEST(HostilePng, StructureErrorsAreRefused) {
  const std::string png = SamplePng();
  EXPECT_THAT(ErrorOf([&] { ExtractPng(png.substr(0, 8) + png.substr(33)); }),
              HasSubstr("IHDR"));  // IHDR removed
  std::string bad_type = png;
  bad_type[12] = '1';
  EXPECT_THAT(ErrorOf([&] { ExtractPng(bad_type); }), HasSubstr("four letters"));
  EXPECT_THAT(ErrorOf([&] { ExtractPng(std::string(17u << 20, '\0')); }), HasSubstr("limit"));
  // Bytes after IEND are not part of the image and are ignored.
  EXPECT_EQ(ExtractPng(BakePng(png, "{}") + "trailing junk"), "{}");
}

// ---------------------------------------------------------------- SVG

constexpr std::string_view kSvg = R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment with <svg> inside, which is not the root -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" data-note="a > b" width='64' height="64">
  <title>Badge</title>
  <rect width="64" height="64" fill="#123"/>
</svg>
)";

TEST(SvgBaking, RoundTrip) {
  const std::string credential = SampleCredential();
  const std::string baked = BakeSvg(kSvg, credential);
  EXPECT_EQ(ExtractSvg(baked), credential);
  // The namespace is declared on the root and the credential is its first child.
  EXPECT_THAT(baked, HasSubstr(R"(<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" )"
                               R"(xmlns="http://www.w3.org/2000/svg" data-note="a > b")"));
  EXPECT_THAT(baked, HasSubstr(R"(height="64"><openbadges:credential><![CDATA[)"));
  EXPECT_THAT(baked, HasSubstr("<title>Badge</title>"));
  EXPECT_EQ(Extract(baked).format, BadgeFormat::kSvg);
}

TEST(SvgBaking, CdataTerminatorInsideJsonIsSplit) {
  const std::string credential = R"({"name":"a]]>b","x":"]]>]]>"})";
  const std::string baked = BakeSvg(kSvg, credential);
  EXPECT_THAT(baked, HasSubstr("a]]]]><![CDATA[>b"));
  EXPECT_EQ(ExtractSvg(baked), credential);
}

TEST(SvgBaking, RebakingReplacesTheCredential) {
  const std::string first = BakeSvg(kSvg, R"({"id":"urn:uuid:1"})");
  const std::string second = BakeSvg(first, R"({"id":"urn:uuid:2"})");
  EXPECT_EQ(ExtractSvg(second), R"({"id":"urn:uuid:2"})");
  EXPECT_EQ(second.find("<openbadges:credential"), second.rfind("<openbadges:credential"));
  EXPECT_EQ(second.find("xmlns:openbadges"), second.rfind("xmlns:openbadges"));
}

TEST(SvgBaking, Utf8CredentialRoundTrips) {
  const std::string credential = R"({"name":"Évaluation — 教育 🎓"})";
  EXPECT_EQ(ExtractSvg(BakeSvg(kSvg, credential)), credential);
}

TEST(SvgBaking, CompactJwsGoesInTheVerifyAttribute) {
  const std::string jws = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl";
  const std::string baked = BakeSvg(kSvg, jws);
  EXPECT_THAT(baked, HasSubstr("<openbadges:credential verify=\"" + jws + "\">"));
  EXPECT_EQ(ExtractSvg(baked), jws);
}

TEST(SvgBaking, SelfClosingRootIsOpened) {
  const std::string baked = BakeSvg(R"(<svg xmlns="http://www.w3.org/2000/svg" />)", "{}");
  EXPECT_EQ(baked,
            R"(<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" )"
            R"(xmlns="http://www.w3.org/2000/svg" ><openbadges:credential><![CDATA[{}]]>)"
            R"(</openbadges:credential></svg>)");
  EXPECT_EQ(ExtractSvg(baked), "{}");
}

TEST(SvgBaking, ReadsOtherBakersForms) {
  // Entity-encoded text instead of CDATA, with an existing namespace declaration.
  const std::string text_form =
      R"(<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">)"
      "\n  <openbadges:credential>\n {&quot;a&quot;:&#34;&lt;&#x3e;&amp;&#233;&quot;}\n"
      "  </openbadges:credential><g/></svg>";
  EXPECT_EQ(ExtractSvg(text_form), R"({"a":"<>&é"})");
  // An existing declaration is reused, not repeated.
  const std::string rebaked = BakeSvg(text_form, "{}");
  EXPECT_EQ(rebaked.find("xmlns:openbadges"), rebaked.rfind("xmlns:openbadges"));
  EXPECT_EQ(ExtractSvg(rebaked), "{}");
  // The self-closing verify form.
  EXPECT_EQ(ExtractSvg(R"(<svg><openbadges:credential verify="a.b.c"/></svg>)"), "a.b.c");
  // A credential nested deeper than the root's children is not the baked one.
  EXPECT_EQ(ExtractSvg("<svg><g><openbadges:credential>{}</openbadges:credential></g></svg>"),
            std::nullopt);
  EXPECT_EQ(ExtractSvg(kSvg), std::nullopt);
}

TEST(SvgBaking, ReadsTheSpecExampleLayout) {
  // OB 3.0 §5.3.2.1's example: namespace on a multi-line root tag, indented CDATA body.
  const std::string svg = R"(<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg"
  xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"
  viewBox="0 0 512 512">
  <openbadges:credential>
    <![CDATA[
      {"id": "http://example.edu/credentials/3732"}
    ]]>
  </openbadges:credential>

  <!-- rest-of-image -->
</svg>)";
  const auto credential = ExtractSvg(svg);
  ASSERT_TRUE(credential);
  // CDATA content comes back verbatim; the whitespace inside it is the issuer's JSON formatting.
  EXPECT_EQ(*credential, "\n      {\"id\": \"http://example.edu/credentials/3732\"}\n    ");
}

TEST(SvgBaking, RefusesAForeignOpenbadgesPrefix) {
  EXPECT_THAT(ErrorOf([] { BakeSvg(R"(<svg xmlns:openbadges="urn:other"></svg>)", "{}"); }),
              HasSubstr("another namespace"));
}

// ------------------------------------------------------- hostile SVGs

TEST(HostileSvg, EntityDeclarationsAreRefused) {
  const std::string laughs = R"(<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<svg><openbadges:credential>&lol2;</openbadges:credential></svg>)";
  EXPECT_THAT(ErrorOf([&] { ExtractSvg(laughs); }), HasSubstr("DOCTYPE"));
  EXPECT_THAT(ErrorOf([&] { BakeSvg(laughs, "{}"); }), HasSubstr("DOCTYPE"));
  EXPECT_THAT(ErrorOf([&] { RenderPng(laughs, 16); }), HasSubstr("DOCTYPE"));
  const std::string xxe = R"(<svg><openbadges:credential>&xxe;</openbadges:credential></svg>)";
  EXPECT_THAT(ErrorOf([&] { ExtractSvg(xxe); }), HasSubstr("undefined entity"));
  EXPECT_THROW(ExtractSvg(R"(<svg><!ENTITY x "y"></svg>)"), CredentialError);
}

TEST(HostileSvg, MalformedDocumentsAreRefused) {
  for (const std::string& svg : std::vector<std::string>{
           "", "   ", "hello", "<html></html>", "<svg>", "<svg><g></svg>", "<svg><g></h></svg>",
           "<svg><!-- open", "<svg><![CDATA[ open</svg>", "<svg a=\"1></svg>", "<svg a=1></svg>",
           "<svg a></svg>", "<svg a=\"1\"b=\"2\"></svg>", "<svg a='1' a='2'></svg>",
           "<svg a=\"<\"></svg>", "<svg/ >", "<?xml version='1.0'", "<!DOCTYPE svg",
           "<svg xmlns='x'>\xff</svg>", "text<svg></svg>", "<svg></svg",
           "<svg><openbadges:credential><g/></openbadges:credential></svg>",
           "<svg><openbadges:credential>  </openbadges:credential></svg>",
           "<svg><openbadges:credential>{}</openbadges:credential>"
           "<openbadges:credential>{}</openbadges:credential></svg>",
           "<svg><openbadges:credential>&#0;</openbadges:credential></svg>",
           "<svg><openbadges:credential>&#xD800;</openbadges:credential></svg>",
           "<svg><openbadges:credential>&#99999999999;</openbadges:credential></svg>",
           "<svg><openbadges:credential>&amp</openbadges:credential></svg>",
       }) {
    EXPECT_THROW(ExtractSvg(svg), CredentialError) << svg;
  }
}

TEST(HostileSvg, DeepNestingIsRefusedWithoutRecursion) {
  std::string svg = "<svg>";
  for (int i = 0; i < 100000; ++i) svg += "<g>";
  EXPECT_THAT(ErrorOf([&] { ExtractSvg(svg); }), HasSubstr("nested too deeply"));
}

TEST(HostileSvg, EveryTruncationIsRefused) {
  const std::string baked = BakeSvg(kSvg, R"({"id":"urn:uuid:1"})");
  const std::size_t end = baked.rfind("</svg>") + 6;
  for (std::size_t length = 0; length < end; ++length) {
    EXPECT_THROW(ExtractSvg(baked.substr(0, length)), CredentialError) << "length " << length;
  }
}

TEST(HostileSvg, OversizeInputIsRefused) {
  const std::string big = "<svg>" + std::string(17u << 20, ' ') + "</svg>";
  EXPECT_THAT(ErrorOf([&] { ExtractSvg(big); }), HasSubstr("limit"));
}

// ------------------------------------------------------------ Extract

TEST(Extract, SniffsEachFormat) {
  const std::string credential = SampleCredential();
  EXPECT_EQ(Extract(BakePng(SamplePng(), credential)).format, BadgeFormat::kPng);
  EXPECT_EQ(Extract(BakePng(SamplePng(), credential)).credential, credential);
  EXPECT_EQ(Extract(BakeSvg(kSvg, credential)).credential, credential);
  const auto json = Extract("\xEF\xBB\xBF \n" + credential + "\n");
  EXPECT_EQ(json.format, BadgeFormat::kJson);
  EXPECT_EQ(json.credential, testing::Trimmed(credential));  // surrounding space is not JSON
  const auto jws = Extract(" eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2ln\n");
  EXPECT_EQ(jws.format, BadgeFormat::kJws);
  EXPECT_EQ(jws.credential, "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2ln");
}

TEST(Extract, UnknownInputIsRefused) {
  for (const std::string& bytes : std::vector<std::string>{
           "", "GIF89a....", "just text", "a.b", "a..", ".b.c", "a.b.c.d", "\x89PNG"}) {
    EXPECT_THROW(Extract(bytes), CredentialError) << bytes;
  }
  EXPECT_THAT(ErrorOf([] { Extract(std::string(kSvg)); }), HasSubstr("no baked credential"));
}

// ------------------------------------------------------- badge image

TEST(BadgeImage, TitleWrapsOverThreeLines) {
  EXPECT_EQ(WrapBadgeTitle("Teamwork"), std::vector<std::string>{"Teamwork"});
  EXPECT_EQ(WrapBadgeTitle("Formative Assessment in Practice"),
            (std::vector<std::string>{"Formative", "Assessment in", "Practice"}));
  const auto long_title = WrapBadgeTitle(
      "Inclusive Classroom Practice for Multilingual Learners in Secondary Mathematics");
  ASSERT_EQ(long_title.size(), 3u);
  EXPECT_EQ(long_title[0], "Inclusive");
  EXPECT_EQ(long_title[1], "Classroom Practice");
  EXPECT_EQ(long_title[2], "for Multilingual\xE2\x80\xA6");
  EXPECT_EQ(WrapBadgeTitle("Supercalifragilisticexpialidocious"),
            (std::vector<std::string>{"Supercalifragilist", "icexpialidocious"}));
  EXPECT_EQ(WrapBadgeTitle("   "), std::vector<std::string>{"Micro-credential"});
}

TEST(BadgeImage, WrappingNeverSplitsAUtf8Character) {
  std::string title;
  for (int i = 0; i < 60; ++i) title += "\xC3\xA9";  // é
  const auto lines = WrapBadgeTitle(title);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], title.substr(0, 36));
  EXPECT_EQ(lines[2], title.substr(0, 34) + "\xE2\x80\xA6");
  EXPECT_THROW(WrapBadgeTitle("bad \xff byte"), CredentialError);
}

TEST(BadgeImage, TextIsEscaped) {
  const std::string svg = RenderBadgeSvg("<script>&\"'", "A & B <Inc>");
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;&amp;&quot;&apos;"));
  EXPECT_THAT(svg, HasSubstr("A &amp; B &lt;Inc&gt;"));
  EXPECT_THAT(svg, ::testing::Not(HasSubstr("<script>")));
  EXPECT_EQ(ExtractSvg(svg), std::nullopt);  // still well-formed to our scanner
}

TEST(BadgeImage, RendersA512SquarePng) {
  const std::string png = RenderPng(RenderBadgeSvg("Formative Assessment", "Cairn Academy"));
  const Image image = DecodePng(png);
  ASSERT_EQ(image.width, 512u);
  ASSERT_EQ(image.height, 512u);
  auto alpha = [&](int x, int y) { return image.rgba[(y * 512 + x) * 4 + 3]; };
  EXPECT_EQ(alpha(2, 2), 0);        // outside the hexagon
  EXPECT_EQ(alpha(256, 256), 255);  // the badge face
  EXPECT_EQ(alpha(256, 24), 255);   // near the top point of the hexagon
  // The title is drawn: a different title changes the pixels in the title band only.
  const Image other = DecodePng(RenderPng(RenderBadgeSvg("Peer Review", "Cairn Academy")));
  EXPECT_NE(image.rgba, other.rgba);
  const std::size_t row = 512 * 4;
  EXPECT_TRUE(std::equal(image.rgba.begin(), image.rgba.begin() + 200 * row, other.rgba.begin()));
}

TEST(BadgeImage, RenderedBadgeCanBeBaked) {
  const std::string png = RenderPng(RenderBadgeSvg("Teamwork", "Example Corp"), 128);
  const std::string baked = BakePng(png, SampleCredential());
  EXPECT_EQ(Extract(baked).credential, SampleCredential());
  EXPECT_EQ(DecodePng(baked).rgba, DecodePng(png).rgba);
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(v >> shift) & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

int OpaquePixels(const std::string& png) {
  const Image image = DecodePng(png);
  int count = 0;
  for (std::size_t i = 3; i < image.rgba.size(); i += 4) count += image.rgba[i] == 255;
  return count;
}

TEST(BadgeImage, RenderNeverReadsLocalFiles) {
  Image red{8, 8, {}};
  for (int i = 0; i < 64; ++i) red.rgba.insert(red.rgba.end(), {255, 0, 0, 255});
  const std::string red_png = EncodePng(red);
  const std::string path = ::testing::TempDir() + "cairn_render_red.png";
  {
    std::ofstream out(path, std::ios::binary);
    out << red_png;
  }
  auto svg_with = [](const std::string& href) {
    return R"(<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" )"
           R"(width="8" height="8"><image x="0" y="0" width="8" height="8" href=")" +
           href + R"(" xlink:href=")" + href + R"("/></svg>)";
  };
  // The control: the same picture inline is drawn, so the check below would see a loaded file.
  EXPECT_EQ(OpaquePixels(RenderPng(svg_with("data:image/png;base64," + Base64(red_png)), 8)), 64);
  EXPECT_EQ(OpaquePixels(RenderPng(svg_with("file://" + path), 8)), 0);
  EXPECT_EQ(OpaquePixels(RenderPng(svg_with(path), 8)), 0);
  std::remove(path.c_str());
}

TEST(BadgeImage, RenderRefusesBadInput) {
  const std::string svg = RenderBadgeSvg("x", "y");
  EXPECT_THAT(ErrorOf([&] { RenderPng(svg, 0); }), HasSubstr("render size"));
  EXPECT_THAT(ErrorOf([&] { RenderPng(svg, 5000); }), HasSubstr("render size"));
  EXPECT_THROW(RenderPng("<svg><g></svg>", 64), CredentialError);
  EXPECT_THROW(RenderPng("not svg", 64), CredentialError);
  EXPECT_THROW(RenderBadgeSvg("ok", "\xc3"), CredentialError);
}

}  // namespace
}  // namespace cairn::credentials
