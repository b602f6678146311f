// Stripping, probing and transcoding against the real tools: fixtures made with ffmpeg and
// exiftool at test time, results checked with exiftool, ffprobe and decoded pixels.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "blobs/media.hpp"
#include "media_fixtures.hpp"

namespace cairn::blobs {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;
using testing::DecodePixels;
using testing::ReadFile;
using testing::ScratchDir;
using testing::Tool;
using testing::WriteFile;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// exiftool's view of a file: group-qualified tag names, e.g. "EXIF:GPSLatitude".
nlohmann::json ExifTags(const fs::path& p) {
  auto out = Tool({"exiftool", "-j", "-G", p.string()});
  auto doc = nlohmann::json::parse(out);
  return doc.at(0);
}

std::vector<std::string> PrivateTagsIn(const nlohmann::json& tags) {
  std::vector<std::string> found;
  for (const auto& [key, value] : tags.items()) {
    if (key.find("GPS") != std::string::npos || key.ends_with(":Artist") ||
        key.ends_with(":Creator") || key.ends_with(":By-line") || key.ends_with(":Comment") ||
        key.ends_with(":ModifyDate") || key.starts_with("XMP") || key.starts_with("IPTC")) {
      found.push_back(key);
    }
  }
  return found;
}

const std::vector<std::string> kTagArgs = {
    "-GPSLatitude=48.8584", "-GPSLatitudeRef=N", "-GPSLongitude=2.2945", "-GPSLongitudeRef=E",
    "-Artist=Maria Lopez",  "-XMP-dc:Creator=Maria Lopez"};

fs::path MakeImage(const ScratchDir& dir, const std::string& name, std::vector<std::string> extra_tags,
                   std::vector<std::string> codec = {}) {
  fs::path p = dir / name;
  std::vector<std::string> argv = {"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                                   "testsrc=size=64x48", "-frames:v", "1"};
  argv.insert(argv.end(), codec.begin(), codec.end());
  argv.push_back(p.string());
  Tool(argv);
  std::vector<std::string> tag = {"exiftool", "-q", "-overwrite_original"};
  tag.insert(tag.end(), kTagArgs.begin(), kTagArgs.end());
  tag.insert(tag.end(), extra_tags.begin(), extra_tags.end());
  tag.push_back(p.string());
  Tool(tag);
  return p;
}

TEST(StripImageMetadata, JpegLosesGpsExifXmpIptcAndCommentButKeepsEveryPixel) {
  ScratchDir dir;
  fs::path in = MakeImage(dir, "photo.jpg", {"-IPTC:By-line=Maria Lopez", "-Comment=at school"});
  ASSERT_THAT(PrivateTagsIn(ExifTags(in)), Contains("EXIF:GPSLatitude"));
  fs::path out = dir / "clean.jpg";
  auto r = StripImageMetadata(in, out, "image/jpeg");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT(r->removed, UnorderedElementsAre("exif", "gps", "xmp", "iptc", "comment"));
  auto tags = ExifTags(out);
  EXPECT_THAT(PrivateTagsIn(tags), IsEmpty()) << tags.dump(2);
  EXPECT_EQ(tags.value("File:ImageWidth", 0), 64);
  EXPECT_EQ(DecodePixels(out), DecodePixels(in));
  EXPECT_FALSE(DecodePixels(out).empty());
}

TEST(StripImageMetadata, JpegKeepsOnlyTheOrientationSoPortraitPhotosStayUpright) {
  ScratchDir dir;
  fs::path in = MakeImage(dir, "portrait.jpg", {"-Orientation#=6", "-Make=Phone", "-SerialNumber=X1"});
  ASSERT_EQ(ExifTags(in).value("EXIF:Orientation", std::string()), "Rotate 90 CW");
  fs::path out = dir / "clean.jpg";
  auto r = StripImageMetadata(in, out, "image/jpeg");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT(r->removed, Contains("gps"));
  auto tags = ExifTags(out);
  EXPECT_EQ(tags.value("EXIF:Orientation", std::string()), "Rotate 90 CW") << tags.dump(2);
  EXPECT_THAT(PrivateTagsIn(tags), IsEmpty()) << tags.dump(2);
  EXPECT_FALSE(tags.contains("EXIF:Make"));
  EXPECT_FALSE(tags.contains("EXIF:SerialNumber"));
  EXPECT_EQ(DecodePixels(out), DecodePixels(in));
  // Stripping the result again changes nothing and reports nothing.
  fs::path again = dir / "again.jpg";
  auto r2 = StripImageMetadata(out, again, "image/jpeg");
  ASSERT_TRUE(r2.ok());
  EXPECT_THAT(r2->removed, IsEmpty());
  EXPECT_EQ(ReadFile(again), ReadFile(out));
}

TEST(StripImageMetadata, PngLosesExifTextXmpAndTimeButKeepsEveryPixel) {
  ScratchDir dir;
  fs::path in = MakeImage(dir, "photo.png", {"-PNG:Comment=hello", "-PNG:ModifyDate=2024:01:01 10:00:00"});
  ASSERT_THAT(PrivateTagsIn(ExifTags(in)), Contains("EXIF:GPSLatitude"));
  fs::path out = dir / "clean.png";
  auto r = StripImageMetadata(in, out, "image/png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT(r->removed, Contains("gps"));
  EXPECT_THAT(r->removed, Contains("xmp"));
  EXPECT_THAT(r->removed, Contains("text"));
  EXPECT_THAT(r->removed, Contains("time"));
  auto tags = ExifTags(out);
  EXPECT_THAT(PrivateTagsIn(tags), IsEmpty()) << tags.dump(2);
  EXPECT_EQ(DecodePixels(out), DecodePixels(in));
}

TEST(StripImageMetadata, WebpLosesExifAndXmpAndStaysAValidRiffFile) {
  ScratchDir dir;
  fs::path in = MakeImage(dir, "photo.webp", {}, {"-c:v", "libwebp", "-lossless", "1"});
  ASSERT_THAT(PrivateTagsIn(ExifTags(in)), Contains("EXIF:GPSLatitude"));
  fs::path out = dir / "clean.webp";
  auto r = StripImageMetadata(in, out, "image/webp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT(r->removed, UnorderedElementsAre("exif", "gps", "xmp"));
  auto tags = ExifTags(out);
  EXPECT_THAT(PrivateTagsIn(tags), IsEmpty()) << tags.dump(2);
  EXPECT_THAT(tags.value("RIFF:WebP_Flags", std::string()), Not(HasSubstr("EXIF")));
  std::string bytes = ReadFile(out);
  ASSERT_GE(bytes.size(), 12u);
  std::uint32_t riff = static_cast<unsigned char>(bytes[4]) | static_cast<unsigned char>(bytes[5]) << 8 |
                       static_cast<unsigned char>(bytes[6]) << 16 | static_cast<unsigned char>(bytes[7]) << 24;
  EXPECT_EQ(riff + 8, bytes.size());
  EXPECT_EQ(DecodePixels(out), DecodePixels(in));
}

TEST(StripImageMetadata, HeicKeepsItsLayoutAndPixelsAndLosesExifAndXmp) {
  ScratchDir dir;
  fs::path png = dir / "source.png";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1", png.string()});
  fs::path in = dir / "photo.heic";
  Tool({"heif-enc", "-q", "60", png.string(), "-o", in.string()});
  std::vector<std::string> tag = {"exiftool", "-q", "-overwrite_original"};
  tag.insert(tag.end(), kTagArgs.begin(), kTagArgs.end());
  tag.push_back(in.string());
  Tool(tag);
  ASSERT_THAT(PrivateTagsIn(ExifTags(in)), Contains("EXIF:GPSLatitude"));
  fs::path out = dir / "clean.heic";
  auto r = StripImageMetadata(in, out, "image/heic");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT(r->removed, UnorderedElementsAre("exif", "gps", "xmp"));
  auto tags = ExifTags(out);
  EXPECT_THAT(PrivateTagsIn(tags), IsEmpty()) << tags.dump(2);
  EXPECT_EQ(fs::file_size(out), fs::file_size(in));
  EXPECT_THAT(ReadFile(out), Not(HasSubstr("Maria Lopez")));
  // Decoded by libheif, the pictures are the same.
  Tool({"heif-convert", in.string(), (dir / "a.png").string()});
  Tool({"heif-convert", out.string(), (dir / "b.png").string()});
  EXPECT_EQ(DecodePixels(dir / "b.png"), DecodePixels(dir / "a.png"));
  EXPECT_FALSE(DecodePixels(dir / "b.png").empty());
}

TEST(StripImageMetadata, CleanImageReportsNothingRemovedAndStillDecodes) {
  ScratchDir dir;
  fs::path in = dir / "plain.png";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=32x32", "-frames:v", "1", in.string()});
  fs::path out = dir / "out.png";
  auto r = StripImageMetadata(in, out, "image/png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_THAT(r->removed, IsEmpty());
  EXPECT_EQ(DecodePixels(out), DecodePixels(in));
}

TEST(StripImageMetadata, DamagedImagesAreRefusedAndLeaveNoOutput) {
  ScratchDir dir;
  fs::path jpg = MakeImage(dir, "photo.jpg", {});
  std::string bytes = ReadFile(jpg);
  struct Case {
    std::string name, type, bytes;
  } cases[] = {
      {"cut.jpg", "image/jpeg", bytes.substr(0, 40)},
      {"noise.jpg", "image/jpeg", std::string(100, '\x42')},
      {"huge.png", "image/png", std::string("\x89PNG\r\n\x1a\n\x7f\xff\xff\xf0IHDR", 16)},
      {"short.webp", "image/webp", std::string("RIFF\xff\xff\xff\x0fWEBPVP8 ", 16)},
      {"nometa.heic", "image/heic", std::string("\0\0\0\x10" "ftypheic\0\0\0\0", 16)},
      {"loop.heic", "image/heic", std::string("\0\0\0\x10" "ftypheic\0\0\0\0\0\0\0\x04meta", 24)},
  };
  for (const auto& c : cases) {
    fs::path in = dir / c.name;
    WriteFile(in, c.bytes);
    fs::path out = dir / (c.name + ".out");
    auto r = StripImageMetadata(in, out, c.type);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << c.name;
    EXPECT_THAT(r.error().message, HasSubstr("is damaged")) << c.name;
    EXPECT_FALSE(fs::exists(out)) << c.name;
  }
}

// Every truncation and a sweep of bit flips of real images: a clear result each time, never a
// crash, and whatever is accepted strips to a fixed point (a second pass removes nothing).
TEST(StripImageMetadata, CutAndCorruptedImagesNeverCrashAndStripToAFixedPoint) {
  ScratchDir dir;
  struct Source {
    fs::path path;
    std::string type;
  } sources[] = {
      {MakeImage(dir, "a.jpg", {"-Comment=x"}), "image/jpeg"},
      {MakeImage(dir, "b.png", {}), "image/png"},
      {MakeImage(dir, "c.webp", {}, {"-c:v", "libwebp"}), "image/webp"},
  };
  int accepted = 0;
  for (const auto& src : sources) {
    std::string bytes = ReadFile(src.path);
    std::vector<std::string> variants;
    for (std::size_t n = 0; n < bytes.size(); n += 7) variants.push_back(bytes.substr(0, n));
    for (std::size_t i = 0; i < bytes.size(); i += 13) {
      std::string flipped = bytes;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
      variants.push_back(std::move(flipped));
    }
    for (const auto& v : variants) {
      std::string once;
      auto first = StripImageMetadataBytes(v, once, src.type);
      if (!first.ok()) {
        EXPECT_EQ(first.error().code, ErrorCode::kInvalidInput);
        EXPECT_TRUE(once.empty());
        continue;
      }
      ++accepted;
      std::string twice;
      auto second = StripImageMetadataBytes(once, twice, src.type);
      ASSERT_TRUE(second.ok()) << src.type;
      EXPECT_THAT(second->removed, IsEmpty()) << src.type;
      EXPECT_EQ(twice, once) << src.type;
    }
  }
  EXPECT_GT(accepted, 0);
}

TEST(StripImageMetadata, UnsupportedTypeIsSaidSo) {
  ScratchDir dir;
  auto r = StripImageMetadata(dir / "x.gif", dir / "y.gif", "image/gif");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupportedMedia);
  EXPECT_FALSE(CanStripMetadata("image/gif"));
  EXPECT_TRUE(CanStripMetadata("image/heic"));
  EXPECT_TRUE(CanStripMetadata("image/jpeg"));
}

TEST(StripImageMetadata, BytesAndPathGiveTheSameOutput) {
  ScratchDir dir;
  fs::path in = MakeImage(dir, "photo.jpg", {"-Comment=x"});
  fs::path out = dir / "clean.jpg";
  ASSERT_TRUE(StripImageMetadata(in, out, "image/jpeg").ok());
  std::string mem;
  auto r = StripImageMetadataBytes(ReadFile(in), mem, "image/jpeg");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(mem, ReadFile(out));
}

TEST(Sniff, ImagesAudioAndVideoMadeByFfmpegGetTheirKinds) {
  ScratchDir dir;
  fs::path jpg = MakeImage(dir, "photo.jpg", {});
  fs::path wav = dir / "talk.wav";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=0.2", wav.string()});
  fs::path mp4 = dir / "lesson.mp4";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:duration=0.3",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", mp4.string()});
  EXPECT_EQ(Sniff(jpg)->kind, core::catalog::ArtifactKind::kImage);
  EXPECT_EQ(Sniff(jpg)->media_type, "image/jpeg");
  EXPECT_EQ(Sniff(wav)->kind, core::catalog::ArtifactKind::kAudio);
  EXPECT_EQ(Sniff(mp4)->kind, core::catalog::ArtifactKind::kVideo);
  EXPECT_EQ(Sniff(mp4)->media_type, "video/mp4");
}

// ---- Probe and transcode --------------------------------------------------------------------

TEST(Transcode, HevcClipBecomesAPlayableH264AacMp4OfTheSameLength) {
  ScratchDir dir;
  fs::path hevc = dir / "lesson.mov";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-f",
        "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2", "-c:v", "libx265",
        "-x265-params", "log-level=error", "-pix_fmt", "yuv420p", "-c:a", "aac", "-metadata",
        "location=+48.8584+002.2945/", "-metadata", "artist=Maria Lopez", hevc.string()});
  auto before = ProbeMedia(hevc);
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(before->video_codec, "hevc");
  EXPECT_EQ(before->audio_codec, "aac");
  EXPECT_TRUE(before->needs_transcode);

  fs::path out = dir / "playable.mp4";
  auto t = Transcode(hevc, out);
  ASSERT_TRUE(t.ok()) << t.error().message << " " << t.error().detail;
  auto after = ProbeMedia(out);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->video_codec, "h264");
  EXPECT_EQ(after->audio_codec, "aac");
  EXPECT_NEAR(after->duration_seconds, 2.0, 0.2);
  EXPECT_EQ(after->width, 160);
  EXPECT_EQ(after->height, 120);
  EXPECT_FALSE(after->needs_transcode);
  // Where it was shot and who shot it do not survive the conversion.
  auto format = Tool({"ffprobe", "-v", "error", "-show_format", "-of", "json", out.string()});
  EXPECT_THAT(format, Not(HasSubstr("48.8584")));
  EXPECT_THAT(format, Not(HasSubstr("Maria")));
  EXPECT_THAT(ReadFile(out), Not(HasSubstr("48.8584")));
  EXPECT_THAT(ReadFile(hevc), HasSubstr("48.8584"));  // the fixture did carry it
  // The moov atom comes first (+faststart), so playback starts before the download ends.
  std::string head = ReadFile(out).substr(0, 4096);
  EXPECT_LT(head.find("moov"), head.find("mdat"));
}

TEST(Transcode, OddSizedVideoWithoutAudioIsConverted) {
  ScratchDir dir;
  fs::path in = dir / "odd.mkv";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=65x49:duration=0.5",
        "-c:v", "ffv1", in.string()});
  auto probe = ProbeMedia(in);
  ASSERT_TRUE(probe.ok());
  EXPECT_TRUE(probe->needs_transcode);
  EXPECT_EQ(probe->audio_codec, "");
  fs::path out = dir / "odd.mp4";
  auto t = Transcode(in, out);
  ASSERT_TRUE(t.ok()) << t.error().detail;
  auto after = ProbeMedia(out);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->video_codec, "h264");
  EXPECT_EQ(after->width, 64);
  EXPECT_FALSE(after->needs_transcode);
}

TEST(ProbeMedia, PlayableH264Mp4AndVp9WebmNeedNoTranscode) {
  ScratchDir dir;
  fs::path mp4 = dir / "ok.mp4";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:duration=0.5", "-f",
        "lavfi", "-i", "sine=duration=0.5", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-shortest", mp4.string()});
  fs::path webm = dir / "ok.webm";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:duration=0.5", "-f",
        "lavfi", "-i", "sine=duration=0.5", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-c:a",
        "libopus", "-shortest", webm.string()});
  auto a = ProbeMedia(mp4);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->video_codec, "h264");
  EXPECT_FALSE(a->needs_transcode);
  auto b = ProbeMedia(webm);
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->video_codec, "vp9");
  EXPECT_EQ(b->audio_codec, "opus");
  EXPECT_FALSE(b->needs_transcode);
}

TEST(ProbeMedia, NonMediaAndPlaylistsThatReachForOtherFilesAreRefused) {
  ScratchDir dir;
  fs::path text = dir / "notes.mp4";
  WriteFile(text, "just some words, not a video");
  auto r = ProbeMedia(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupportedMedia);
  // An HLS playlist that names a local file: ffmpeg must not open it.
  fs::path playlist = dir / "lesson.mp4";
  WriteFile(playlist, "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n");
  auto p = ProbeMedia(playlist);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kUnsupportedMedia);
  fs::path out = dir / "out.mp4";
  auto t = Transcode(playlist, out);
  ASSERT_FALSE(t.ok());
  EXPECT_FALSE(fs::exists(out));
}

TEST(RemuxWithoutMetadata, VideoKeepsItsStreamsAndLosesWhereAndWhoRecordedIt) {
  ScratchDir dir;
  fs::path in = dir / "phone.mov";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=25", "-f", "lavfi",
        "-i", "sine=sample_rate=48000", "-t", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a",
        "aac", "-metadata", "location=+48.8584+002.2945/", "-metadata", "artist=Maria Lopez",
        in.string()});
  auto info = ProbeMedia(in);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->container, "mov");
  fs::path out = dir / "clean.mov";
  auto r = RemuxWithoutMetadata(in, out, *info);
  ASSERT_TRUE(r.ok()) << r.error().message << " " << r.error().detail;
  auto after = ProbeMedia(out);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->container, "mov");
  EXPECT_EQ(after->video_codec, "h264");
  EXPECT_EQ(after->audio_codec, "aac");
  EXPECT_NEAR(after->duration_seconds, info->duration_seconds, 0.1);
  auto tags = Tool({"ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", out.string()});
  EXPECT_THAT(tags, Not(HasSubstr("48.8584")));
  EXPECT_THAT(tags, Not(HasSubstr("Maria")));
  EXPECT_THAT(ReadFile(out), Not(HasSubstr("48.8584")));
  EXPECT_THAT(ReadFile(out), Not(HasSubstr("Maria")));
  EXPECT_THAT(Tool({"ffprobe", "-v", "error", "-show_format", "-of", "json", in.string()}),
              HasSubstr("Maria"));  // the fixture did carry it
}

TEST(RemuxWithoutMetadata, Mp3LosesItsArtistAndAviIsLeftToTheTranscode) {
  ScratchDir dir;
  fs::path mp3 = dir / "talk.mp3";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=1", "-metadata",
        "artist=Maria Lopez", mp3.string()});
  auto info = ProbeMedia(mp3);
  ASSERT_TRUE(info.ok());
  fs::path out = dir / "clean.mp3";
  ASSERT_TRUE(RemuxWithoutMetadata(mp3, out, *info).ok());
  EXPECT_THAT(ReadFile(out), Not(HasSubstr("Maria")));
  EXPECT_THAT(ReadFile(mp3), HasSubstr("Maria"));
  EXPECT_EQ(ProbeMedia(out)->audio_codec, "mp3");

  fs::path avi = dir / "old.avi";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:duration=0.3", avi.string()});
  auto avi_info = ProbeMedia(avi);
  ASSERT_TRUE(avi_info.ok());
  EXPECT_TRUE(avi_info->needs_transcode);
  auto r = RemuxWithoutMetadata(avi, dir / "x.avi", *avi_info);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupportedMedia);
  EXPECT_FALSE(fs::exists(dir / "x.avi"));
}

TEST(Transcode, DamagedInputFailsWithAMessageAndLeavesNoPartialOutput) {
  ScratchDir dir;
  fs::path good = dir / "good.mp4";
  Tool({"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:duration=1", "-c:v",
        "libx264", "-pix_fmt", "yuv420p", good.string()});
  std::string bytes = ReadFile(good);
  fs::path cut = dir / "cut.mp4";
  WriteFile(cut, bytes.substr(0, bytes.size() / 3));
  fs::path out = dir / "out.mp4";
  auto t = Transcode(cut, out);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kUnsupportedMedia);
  EXPECT_THAT(t.error().message, HasSubstr("could not be converted"));
  EXPECT_FALSE(fs::exists(out));
}

TEST(Transcode, TimeoutKillsFfmpegAndRemovesTheOutput) {
  ScratchDir dir;
  // A FIFO nobody writes to: ffmpeg blocks on it for ever, so only the deadline can end it.
  fs::path in = dir / "stuck.mp4";
  ASSERT_EQ(mkfifo(in.c_str(), 0600), 0);
  fs::path out = dir / "out.mp4";
  WriteFile(out, "left over from an earlier try");
  auto start = std::chrono::steady_clock::now();
  auto t = Transcode(in, out, std::chrono::seconds(1));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kInternal);
  EXPECT_THAT(t.error().detail, HasSubstr("timed out"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace cairn::blobs
