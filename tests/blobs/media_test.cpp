// Sniffing and author metadata on real files (libmagic, zlib), and the pure rules.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "blobs/media.hpp"
#include "blobs/metadata.hpp"
#include "blobs/sniff.hpp"
#include "media_fixtures.hpp"

namespace cairn::blobs {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::catalog::ArtifactKind;
using testing::DocumentFixtures;
using testing::ReadFile;
using testing::ScratchDir;
using testing::Tool;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

fs::path Doc(const std::string& name) { return DocumentFixtures() / name; }

// ---- Sniff ----------------------------------------------------------------------------------

TEST(Sniff, PdfIsADocument) {
  auto r = Sniff(Doc("author.pdf"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->media_type, "application/pdf");
  EXPECT_EQ(r->kind, ArtifactKind::kDocument);
  EXPECT_THAT(r->description, HasSubstr("PDF document"));
  EXPECT_FALSE(r->executable);
}

TEST(Sniff, WordDocumentIsRecognisedEvenWhenLibmagicOnlySeesAZip) {
  auto r = Sniff(Doc("author.docx"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->media_type, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(r->kind, ArtifactKind::kDocument);
}

TEST(Sniff, OpenDocumentTextIsADocument) {
  auto r = Sniff(Doc("author.odt"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->media_type, "application/vnd.oasis.opendocument.text");
}

TEST(Sniff, WindowsExecutableIsRefusedWithAClearMessageWhateverItsName) {
  for (const char* name : {"homework.pdf.exe", "essay.pdf"}) {
    auto r = Sniff(Doc(name));
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupportedMedia);
    EXPECT_EQ(r.error().message,
              "this file is a Windows executable, not a document: upload a PDF, Word document, "
              "image, audio or video");
  }
}

TEST(Sniff, LinuxProgramAndScriptsAreRefused) {
  auto elf = Sniff("/bin/ls");
  ASSERT_FALSE(elf.ok());
  EXPECT_THAT(elf.error().message, HasSubstr("this file is a Linux program, not a document"));
  auto sh = Sniff(Doc("run.sh"));
  ASSERT_FALSE(sh.ok());
  EXPECT_THAT(sh.error().message, HasSubstr("this file is a script, not a document"));
  // Any shebang makes it a script, whatever libmagic calls the rest.
  auto python = SniffBytes("#!/usr/bin/env python3\nprint('hello')\n");
  ASSERT_FALSE(python.ok());
  EXPECT_THAT(python.error().message, HasSubstr("a script"));
}

TEST(Sniff, ArchivesWebPagesEmptyAndUnknownDataAreRefusedNamingWhatWasFound) {
  auto zip = Sniff(Doc("plain.zip"));
  ASSERT_FALSE(zip.ok());
  EXPECT_THAT(zip.error().message, HasSubstr("an archive (application/zip)"));
  auto html = Sniff(Doc("page.html"));
  ASSERT_FALSE(html.ok());
  EXPECT_THAT(html.error().message, HasSubstr("a web page"));
  auto empty = Sniff(Doc("empty.bin"));
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.error().message, HasSubstr("this file is empty"));
  auto data = Sniff(Doc("random.bin"));
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.error().code, ErrorCode::kUnsupportedMedia);
  EXPECT_THAT(data.error().message, HasSubstr("(found: data)"));
  auto svg = SniffBytes(R"(<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>)");
  ASSERT_FALSE(svg.ok());
  EXPECT_THAT(svg.error().message, HasSubstr("SVG"));
}

TEST(Sniff, TextIsADocumentServedAsPlainTextEvenWhenItLooksLikeCode) {
  auto md = Sniff(Doc("reflection.md"));
  ASSERT_TRUE(md.ok()) << md.error().message;
  EXPECT_EQ(md->media_type, "text/plain");
  auto code = Sniff(Doc("notes.txt"));
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(code->media_type, "text/plain");
  EXPECT_EQ(code->kind, ArtifactKind::kDocument);
}

TEST(Sniff, MissingFileIsAnInternalErrorNotACrash) {
  auto r = Sniff("/nonexistent/cairn/file");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

TEST(Sniff, BytesAndPathAgree) {
  for (const char* name : {"author.pdf", "author.docx", "author.odt", "reflection.md"}) {
    auto a = Sniff(Doc(name));
    auto b = SniffBytes(ReadFile(Doc(name)));
    ASSERT_TRUE(a.ok() && b.ok()) << name;
    EXPECT_EQ(a->media_type, b->media_type) << name;
  }
}

TEST(Sniff, ConcurrentCallersGetConsistentAnswers) {
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto r = Sniff(Doc(t % 2 ? "author.pdf" : "author.odt"));
        std::string want = t % 2 ? "application/pdf" : "application/vnd.oasis.opendocument.text";
        if (!r.ok() || r->media_type != want) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Classify, MapsMediaTypesToArtifactKinds) {
  EXPECT_EQ(Classify("image/heic", "HEIF Image", "")->kind, ArtifactKind::kImage);
  EXPECT_EQ(Classify("audio/x-wav", "RIFF (little-endian) data, WAVE audio", "")->kind, ArtifactKind::kAudio);
  EXPECT_EQ(Classify("application/ogg", "Ogg data, Vorbis audio", "")->kind, ArtifactKind::kAudio);
  EXPECT_EQ(Classify("video/quicktime", "ISO Media, Apple QuickTime movie", "")->kind, ArtifactKind::kVideo);
  EXPECT_EQ(Classify("video/x-matroska", "Matroska data", "")->kind, ArtifactKind::kVideo);
  EXPECT_EQ(Classify("application/msword", "Composite Document File V2", "")->kind, ArtifactKind::kDocument);
  EXPECT_EQ(Classify("application/x-mach-binary", "Mach-O 64-bit executable", "").error().message.substr(0, 28),
            "this file is a macOS program");
  EXPECT_FALSE(Classify("application/vnd.android.package-archive", "Android package", "").ok());
  EXPECT_FALSE(Classify("application/java-archive", "Java archive data (JAR)", "").ok());
}

// ---- Author metadata ------------------------------------------------------------------------

TEST(AuthorMetadata, PdfInfoAuthorIsNamedInAWarningForTheEducator) {
  auto w = FindAuthorMetadata(Doc("author.pdf"), "application/pdf");
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_THAT(w[0], HasSubstr("author_metadata: the document names its author (\"Maria Lopez\")"));
  EXPECT_THAT(w[0], HasSubstr("reviewers would see it: remove it before submitting"));
}

TEST(AuthorMetadata, PdfUtf16HexAuthorIsDecoded) {
  auto w = FindAuthorMetadata(Doc("author_hex.pdf"), "application/pdf");
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_THAT(w[0], HasSubstr("\"José Núñez\""));
}

TEST(AuthorMetadata, PdfAuthorHeldInAnotherObjectIsFollowed) {
  auto w = FindAuthorMetadata(Doc("author_ref.pdf"), "application/pdf");
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_THAT(w[0], HasSubstr("\"Priya Patel\""));
}

TEST(AuthorMetadata, PdfCompressedXmpCreatorIsFound) {
  auto w = FindAuthorMetadata(Doc("author_xmp.pdf"), "application/pdf");
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_THAT(w[0], HasSubstr("\"Ana García\""));
}

TEST(AuthorMetadata, CleanDocumentsHaveNoWarnings) {
  EXPECT_THAT(FindAuthorMetadata(Doc("clean.pdf"), "application/pdf"), IsEmpty());
  EXPECT_THAT(FindAuthorMetadata(
                  Doc("clean.docx"),
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
              IsEmpty());
}

TEST(AuthorMetadata, WordCreatorAndLastModifiedByAreBothNamed) {
  ByteSource src(Doc("author.docx"));
  EXPECT_THAT(ZipDocumentAuthors(src), ElementsAre("Maria Lopez", "Jamal O'Neil"));
  auto w = FindAuthorMetadata(
      Doc("author.docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_THAT(w[0], HasSubstr("(\"Maria Lopez\", \"Jamal O'Neil\")"));
}

TEST(AuthorMetadata, OpenDocumentInitialCreatorIsNamedOnce) {
  ByteSource src(Doc("author.odt"));
  EXPECT_THAT(ZipDocumentAuthors(src), ElementsAre("Li Wei"));
}

TEST(AuthorMetadata, ZipBombStopsAtTheBudgetQuickly) {
  ScratchDir dir;
  Tool({"python3", std::string(CAIRN_SOURCE_DIR) + "/tests/blobs/make_media_fixtures.py",
        dir.path().string(), "bomb"});
  fs::path bomb = dir / "bomb.docx";
  ASSERT_LT(fs::file_size(bomb), 1u << 20);
  auto start = std::chrono::steady_clock::now();
  ByteSource src(bomb);
  auto entries = ListZipEntries(src);
  ASSERT_TRUE(entries.has_value());
  const ZipEntry* core_xml = nullptr;
  for (const auto& e : *entries) {
    if (e.name == "docProps/core.xml") core_xml = &e;
  }
  ASSERT_NE(core_xml, nullptr);
  EXPECT_GT(core_xml->uncompressed_size, 64u << 20);  // what it claims (zip64)
  EXPECT_FALSE(ReadZipEntry(src, *core_xml, 1u << 20).has_value());
  EXPECT_THAT(FindAuthorMetadata(bomb,
                                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
              IsEmpty());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(AuthorMetadata, LyingZipHeadersAreIgnoredNotFollowed) {
  ByteSource src(Doc("liar.docx"));
  auto entries = ListZipEntries(src);
  ASSERT_TRUE(entries.has_value());
  ASSERT_FALSE(entries->empty());
  const ZipEntry& last = entries->back();  // the one whose sizes and offset were made to lie
  EXPECT_EQ(last.name, "docProps/core.xml");
  EXPECT_EQ(last.local_header_offset, 0x7FFFFFF0u);
  EXPECT_FALSE(ReadZipEntry(src, last, 1u << 20).has_value());
  EXPECT_THAT(FindAuthorMetadata(Doc("liar.docx"), "application/zip"), IsEmpty());
}

TEST(AuthorMetadata, OtherTypesAndUnreadableFilesGiveNoWarnings) {
  EXPECT_THAT(FindAuthorMetadata(Doc("author.pdf"), "image/png"), IsEmpty());
  EXPECT_THAT(FindAuthorMetadata("/nonexistent/x.pdf", "application/pdf"), IsEmpty());
  EXPECT_THAT(FindAuthorMetadataBytes("%PDF-1.4 /Author (unterminated", "application/pdf"), IsEmpty());
}

TEST(AuthorMetadata, NamesAreCleanedForDisplay) {
  // Control characters and invalid UTF-8 never reach the warning (it is shown and sent as JSON).
  auto w = FindAuthorMetadataBytes("%PDF-1.4\n<< /Author (Eve\\000\\033[31m \xff\xfe Smith) >>",
                                   "application/pdf");
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_THAT(w[0], HasSubstr("(\"Eve [31m ÿþ Smith\")"));
}

TEST(AuthorMetadata, AFileMadeOfAuthorKeysIsScannedQuickly) {
  std::string hostile = "%PDF-1.4\n";
  while (hostile.size() < (8u << 20)) hostile += "/Author 1 0 R /Author (" + std::string(50, 'x');
  auto start = std::chrono::steady_clock::now();
  FindAuthorMetadataBytes(hostile, "application/pdf");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(AuthorMetadata, BytesAndPathAgree) {
  for (const char* name : {"author.pdf", "author_xmp.pdf"}) {
    EXPECT_EQ(FindAuthorMetadata(Doc(name), "application/pdf"),
              FindAuthorMetadataBytes(ReadFile(Doc(name)), "application/pdf"));
  }
}

TEST(AuthorMetadata, CutAndCorruptedDocumentsNeverCrash) {
  for (const char* name : {"author.pdf", "author_xmp.pdf", "author.docx", "author.odt"}) {
    std::string bytes = ReadFile(Doc(name));
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      std::string cut = bytes.substr(0, n);
      for (auto type : {"application/pdf", "application/vnd.oasis.opendocument.text"}) {
        for (const auto& w : FindAuthorMetadataBytes(cut, type)) {
          EXPECT_THAT(w, HasSubstr("author_metadata: "));
        }
      }
      std::string flipped = bytes;
      flipped[n] = static_cast<char>(flipped[n] ^ 0xFF);
      FindAuthorMetadataBytes(flipped, "application/pdf");
      FindAuthorMetadataBytes(flipped, "application/zip");
      auto sniffed = SniffBytes(flipped);
      if (!sniffed.ok()) {
        EXPECT_EQ(sniffed.error().code, ErrorCode::kUnsupportedMedia);
      }
    }
  }
}

// ---- NeedsTranscode -------------------------------------------------------------------------

TEST(NeedsTranscode, FollowsWhatChromiumPlays) {
  const std::string mp4 = "mov,mp4,m4a,3gp,3g2,mj2";
  const std::string mkv = "matroska,webm";
  auto needs = [](std::string c, std::string v, std::string a) {
    MediaInfo m;
    m.container = std::move(c);
    m.video_codec = std::move(v);
    m.audio_codec = std::move(a);
    return NeedsTranscode(m);
  };
  EXPECT_FALSE(needs(mp4, "h264", "aac"));
  EXPECT_FALSE(needs(mp4, "h264", ""));
  EXPECT_FALSE(needs(mp4, "av1", "opus"));
  EXPECT_FALSE(needs(mkv, "vp9", "opus"));
  EXPECT_FALSE(needs(mkv, "vp8", "vorbis"));
  EXPECT_TRUE(needs(mp4, "hevc", "aac"));
  EXPECT_TRUE(needs(mp4, "prores", "pcm_s16le"));
  EXPECT_TRUE(needs(mp4, "h264", "pcm_s16le"));
  EXPECT_TRUE(needs("mov", "h264", "aac"));  // QuickTime brand
  EXPECT_TRUE(needs(mkv, "h264", "aac"));    // .mkv, not WebM
  EXPECT_TRUE(needs("avi", "mpeg4", "mp3"));
  EXPECT_FALSE(needs("mp3", "", "mp3"));
  EXPECT_FALSE(needs("wav", "", "pcm_s16le"));
  EXPECT_TRUE(needs("asf", "", "wmav2"));
}

// ---- RunProcess -----------------------------------------------------------------------------

TEST(RunProcess, KillsTheChildAtTheDeadline) {
  auto start = std::chrono::steady_clock::now();
  auto r = RunProcess({"sleep", "30"}, std::chrono::milliseconds(300));
  EXPECT_TRUE(r.started);
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(RunProcess, AChildThatClosesItsOutputStillMeetsTheDeadline) {
  auto start = std::chrono::steady_clock::now();
  auto r = RunProcess({"sh", "-c", "exec >&- 2>&-; sleep 30"}, std::chrono::milliseconds(300));
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  auto quick = RunProcess({"sh", "-c", "exit 3"}, std::chrono::seconds(10));
  EXPECT_FALSE(quick.timed_out);
  EXPECT_EQ(quick.exit_code, 3);
}

TEST(RunProcess, CapsOutputWithoutBlockingTheChild) {
  auto r = RunProcess({"head", "-c", "5000000", "/dev/zero"}, std::chrono::seconds(30), 1000);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.size(), 1000u);
}

TEST(RunProcess, ArgumentsAreNotInterpretedByAShell) {
  auto r = RunProcess({"echo", "$(id); rm -rf /"}, std::chrono::seconds(10));
  EXPECT_EQ(r.out, "$(id); rm -rf /\n");
}

TEST(RunProcess, MissingProgramIsReportedAsNotStarted) {
  auto r = RunProcess({"cairn-no-such-program"}, std::chrono::seconds(5));
  EXPECT_FALSE(r.started);
}

}  // namespace
}  // namespace cairn::blobs
