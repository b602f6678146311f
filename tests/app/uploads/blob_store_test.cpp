#include "blobs/blob_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "blobs/disk_evidence_store.hpp"

namespace cairn::blobs {
namespace {

namespace fs = std::filesystem;

// sha256("abc"), FIPS 180-2 appendix B.1.
constexpr const char* kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cairn-blobs-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path Write(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  static std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::path dir_;
};

TEST(Sha256Stream, MatchesKnownAnswerInPieces) {
  Sha256 h;
  h.Update("a", 1);
  h.Update("bc", 2);
  EXPECT_EQ(h.HexDigest(), kAbc);
}

using BlobStoreTest = TempDir;

TEST_F(BlobStoreTest, PutIsContentAddressedAndIdempotent) {
  BlobStore store(dir_ / "blobs");
  auto source = Write("in.txt", "abc");
  auto first = store.Put(source);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_EQ(*first, kAbc);
  fs::path expected = dir_ / "blobs" / "ba" / "78" / kAbc;
  EXPECT_EQ(store.PathOf(kAbc), expected);
  EXPECT_EQ(Read(expected), "abc");
  EXPECT_TRUE(fs::exists(source));  // Put copies
  auto second = store.Put(Write("again.txt", "abc"));
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, kAbc);
  ASSERT_EQ(store.List().size(), 1u);
  EXPECT_EQ(store.List()[0].sha256, kAbc);
  // No temporaries are left behind.
  EXPECT_TRUE(!fs::exists(store.TempDir()) || fs::is_empty(store.TempDir()));
}

TEST_F(BlobStoreTest, AdoptMovesOrDropsTheDuplicate) {
  BlobStore store(dir_ / "blobs");
  auto a = Write("a", "abc");
  ASSERT_TRUE(store.Adopt(a, kAbc));
  EXPECT_FALSE(fs::exists(a));
  EXPECT_TRUE(store.Contains(kAbc));
  auto b = Write("b", "abc");
  ASSERT_TRUE(store.Adopt(b, kAbc));
  EXPECT_FALSE(fs::exists(b));
  EXPECT_EQ(Read(store.PathOf(kAbc)), "abc");
  EXPECT_FALSE(store.Adopt(Write("c", "x"), "../../etc/passwd"));
  ASSERT_TRUE(store.Remove(kAbc));
  EXPECT_FALSE(store.Contains(kAbc));
  EXPECT_TRUE(store.Remove(kAbc));  // already gone is fine
  EXPECT_FALSE(store.Contains("not-a-hash"));
}

using EvidenceStoreTest = TempDir;

// Feeds a string to Append in small reads, like a socket would.
app::uploads::ReadFn Feeder(const std::string& data, std::size_t& pos, std::size_t step = 7) {
  return [&data, &pos, step](char* out, std::size_t size) {
    std::size_t n = std::min({size, step, data.size() - pos});
    std::copy_n(data.data() + pos, n, out);
    pos += n;
    return n;
  };
}

TEST_F(EvidenceStoreTest, AppendsDurablyCutsUnacknowledgedBytesAndStopsAtMax) {
  DiskEvidenceStore store(dir_ / "blobs");
  ASSERT_TRUE(store.CreatePartial("upl_1"));
  std::string body = "Hello, evidence!";
  std::size_t pos = 0;
  auto n = store.Append("upl_1", 0, 5, Feeder(body, pos));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 5);
  EXPECT_EQ(Read(store.PartialPath("upl_1")), "Hello");
  // A crash left bytes past the recorded offset: they are cut before appending.
  { std::ofstream(store.PartialPath("upl_1"), std::ios::app) << "GARBAGE"; }
  std::string rest = ", world";
  pos = 0;
  n = store.Append("upl_1", 5, 100, Feeder(rest, pos));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 7);
  EXPECT_EQ(Read(store.PartialPath("upl_1")), "Hello, world");
  // An offset beyond what is on disk means lost data: an error, never a hole.
  pos = 0;
  EXPECT_FALSE(store.Append("upl_1", 50, 10, Feeder(rest, pos)));
  EXPECT_FALSE(store.CreatePartial("../escape"));
  store.RemovePartial("upl_1");
  EXPECT_FALSE(fs::exists(store.PartialPath("upl_1")));
}

TEST_F(EvidenceStoreTest, FinishHashesWhileReceivingAndStoresTheBlob) {
  DiskEvidenceStore store(dir_ / "blobs");
  std::string text = "Lesson notes: feedback moments from week three.\n";
  for (int i = 0; i < 200; ++i) text += "The students revised their drafts after feedback.\n";
  ASSERT_TRUE(store.CreatePartial("upl_2"));
  std::size_t pos = 0;
  ASSERT_TRUE(store.Append("upl_2", 0, 100, Feeder(text, pos)));
  ASSERT_TRUE(
      store.Append("upl_2", 100, static_cast<std::int64_t>(text.size()), Feeder(text, pos, 4096)));
  auto done = store.Finish("upl_2", {});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->media_type, "text/plain");
  EXPECT_EQ(done->size, static_cast<std::int64_t>(text.size()));
  EXPECT_EQ(store.hashed_while_receiving(), 1u);
  auto rehash = HashFile(store.BlobPath(done->sha256));
  ASSERT_TRUE(rehash);
  EXPECT_EQ(*rehash, done->sha256);
  EXPECT_EQ(Read(store.BlobPath(done->sha256)), text);
  EXPECT_FALSE(fs::exists(store.PartialPath("upl_2")));
  ASSERT_EQ(store.ListBlobs().size(), 1u);
}

TEST_F(EvidenceStoreTest, AfterARestartTheFileIsHashedAgainFromDisk) {
  std::string text = "Reflection: what changed after the second round of feedback.\n";
  {
    DiskEvidenceStore before(dir_ / "blobs");
    ASSERT_TRUE(before.CreatePartial("upl_4"));
    std::size_t pos = 0;
    ASSERT_TRUE(before.Append("upl_4", 0, 20, Feeder(text, pos)));
  }
  DiskEvidenceStore after(dir_ / "blobs");  // a new process: no running hash
  std::size_t pos = 20;
  ASSERT_TRUE(
      after.Append("upl_4", 20, static_cast<std::int64_t>(text.size()) - 20, Feeder(text, pos)));
  auto done = after.Finish("upl_4", {});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(after.hashed_while_receiving(), 0u);
  Sha256 expected;
  expected.Update(text.data(), text.size());
  EXPECT_EQ(done->sha256, expected.HexDigest());
}

TEST_F(EvidenceStoreTest, FinishRefusesKindsTheArtifactDoesNotAccept) {
  DiskEvidenceStore store(dir_ / "blobs");
  std::string text = "Just a plain text reflection, not a video.\n";
  ASSERT_TRUE(store.CreatePartial("upl_3"));
  std::size_t pos = 0;
  ASSERT_TRUE(store.Append("upl_3", 0, static_cast<std::int64_t>(text.size()), Feeder(text, pos)));
  auto done = store.Finish(
      "upl_3", {core::catalog::ArtifactKind::kVideo, core::catalog::ArtifactKind::kAudio});
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, core::ErrorCode::kUnsupportedMedia);
  EXPECT_NE(done.error().message.find("video or audio"), std::string::npos) << done.error().message;
  EXPECT_TRUE(store.ListBlobs().empty());
}

}  // namespace
}  // namespace cairn::blobs
