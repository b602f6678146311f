#pragma once
// Test helpers: a scratch directory per test, running the real tools that make fixtures (python3,
// ffmpeg, exiftool), and reading files back.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "blobs/transcode.hpp"

namespace cairn::blobs::testing {

namespace fs = std::filesystem;

class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("cairn-media-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Runs a fixture-making tool; fails the test (with its stderr) when it does not succeed.
inline std::string Tool(const std::vector<std::string>& argv, int seconds = 120) {
  auto r = RunProcess(argv, std::chrono::seconds(seconds));
  EXPECT_TRUE(r.started) << argv[0] << " is not installed";
  EXPECT_EQ(r.exit_code, 0) << argv[0] << " failed: " << r.err;
  return r.out;
}

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void WriteFile(const fs::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The document fixtures (see make_media_fixtures.py), written once per test binary run.
inline const fs::path& DocumentFixtures() {
  static ScratchDir* dir = [] {
    auto* d = new ScratchDir();
    Tool({"python3", std::string(CAIRN_SOURCE_DIR) + "/tests/blobs/make_media_fixtures.py",
          d->path().string()});
    return d;
  }();
  return dir->path();
}

// The decoded pixels of an image (RGBA, via ffmpeg), to prove stripping left them unchanged.
inline std::string DecodePixels(const fs::path& image) {
  return Tool({"ffmpeg", "-v", "error", "-i", image.string(), "-f", "rawvideo", "-pix_fmt", "rgba",
               "-"});
}

}  // namespace cairn::blobs::testing
