// Probing and transcoding videos with ffprobe/ffmpeg as subprocesses. Only known container
// demuxers and the file protocol are allowed: a "video" that is really an HLS playlist or a
// concat list could otherwise make ffmpeg read other local files or the network.
#include "blobs/transcode.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <nlohmann/json.hpp>

#include "blobs/media.hpp"

extern char** environ;

namespace cairn::blobs {
namespace {

constexpr const char* kDemuxers =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,asf,flv,mpegts,mpeg,ogg,mp3,wav,flac,aac,amr";

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

bool MakePipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  read_end.Reset(fds[0]);
  write_end.Reset(fds[1]);
  return true;
}

std::string FileArg(const std::filesystem::path& p) {
  // "file:" keeps a path that starts with a protocol name or "-" from meaning anything else.
  return "file:" + std::filesystem::absolute(p).string();
}

std::string LastLine(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  std::size_t nl = text.rfind('\n');
  std::string line(nl == std::string_view::npos ? text : text.substr(nl + 1));
  if (line.size() > 300) line.resize(300);
  return line;
}

ProcessResult Finish(ProcessResult& r, int status) {
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  return r;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                         std::size_t max_output) {
  ProcessResult r;
  if (argv.empty()) return r;
  Fd out_r, out_w, err_r, err_w;
  if (!MakePipe(out_r, out_w) || !MakePipe(err_r, err_w)) return r;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.get(), 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  out_w.Reset();
  err_w.Reset();
  if (rc != 0) return r;
  r.started = true;

  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<pollfd, 2> fds{pollfd{out_r.get(), POLLIN, 0}, pollfd{err_r.get(), POLLIN, 0}};
  std::array<std::string*, 2> sinks{&r.out, &r.err};
  int open_pipes = 2;
  bool abandoned = false;  // poll failed: the child cannot be watched, so it is not left running
  std::array<char, 16 * 1024> buf{};
  while (open_pipes > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      break;
    }
    for (auto& f : fds) f.revents = 0;
    int n = poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) {
      abandoned = true;
      break;
    }
    if (n <= 0) continue;
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].fd < 0 || (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t got = read(fds[k].fd, buf.data(), buf.size());
      if (got <= 0) {
        if (got < 0 && errno == EINTR) continue;
        fds[k].fd = -1;
        --open_pipes;
        continue;
      }
      // Beyond the cap the output is read and dropped, so the child never blocks on a full pipe.
      std::size_t room = max_output - std::min(max_output, sinks[k]->size());
      sinks[k]->append(buf.data(), std::min<std::size_t>(room, static_cast<std::size_t>(got)));
    }
  }
  int status = 0;
  if (!r.timed_out && !abandoned) {
    // Output closed; the child still gets only what is left of the deadline to exit.
    for (;;) {
      pid_t done = waitpid(pid, &status, WNOHANG);
      if (done == pid) return Finish(r, status);
      if (done < 0 && errno != EINTR) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        r.timed_out = true;
        break;
      }
      usleep(10000);
    }
  }
  kill(pid, SIGKILL);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return r;
}

bool NeedsTranscode(const MediaInfo& info) {
  auto in = [](const std::string& v, std::initializer_list<std::string_view> set) {
    for (auto s : set) {
      if (v == s) return true;
    }
    return false;
  };
  bool mp4 = info.container.find("mp4") != std::string::npos;
  bool matroska = info.container.find("matroska") != std::string::npos;
  if (info.video_codec.empty()) {
    // Audio only: the formats every browser's <audio> plays as they are.
    if (in(info.audio_codec, {"mp3", "aac", "opus", "vorbis", "flac", "pcm_s16le", "pcm_u8"})) {
      return !(mp4 || matroska || in(info.container, {"mp3", "ogg", "wav", "flac"}));
    }
    return true;
  }
  if (mp4) {
    return !(in(info.video_codec, {"h264", "vp8", "vp9", "av1"}) &&
             in(info.audio_codec, {"", "aac", "mp3", "opus", "vorbis"}));
  }
  if (matroska) {
    // WebM is Matroska restricted to these codecs; anything else is a .mkv Chromium may not play.
    return !(in(info.video_codec, {"vp8", "vp9", "av1"}) && in(info.audio_codec, {"", "opus", "vorbis"}));
  }
  return true;
}

core::Result<MediaInfo> ProbeMedia(const std::filesystem::path& path, std::chrono::seconds timeout) {
  auto run = RunProcess({"ffprobe", "-v", "error", "-protocol_whitelist", "file", "-format_whitelist",
                         kDemuxers, "-print_format", "json", "-show_streams", "-show_format",
                         FileArg(path)},
                        timeout);
  if (!run.started) return core::Error::Internal("probe: ffprobe could not be run");
  if (run.timed_out) return core::Error::Internal("probe: ffprobe timed out on " + path.string());
  if (run.exit_code != 0) {
    return core::Error{core::ErrorCode::kUnsupportedMedia,
                       "this file is not an audio or video file that can be played",
                       "ffprobe: " + LastLine(run.err), {}};
  }
  auto doc = nlohmann::json::parse(run.out, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return core::Error::Internal("probe: unreadable ffprobe output");
  MediaInfo info;
  auto text = [](const nlohmann::json& j, const char* key) -> std::string {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto number = [&](const nlohmann::json& j, const char* key) -> double {
    auto it = j.find(key);
    if (it == j.end()) return 0;
    if (it->is_number()) return it->get<double>();
    std::string s = text(j, key);
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    return end != s.c_str() && v >= 0 && v < 1e9 ? v : 0;
  };
  if (auto f = doc.find("format"); f != doc.end() && f->is_object()) {
    info.container = text(*f, "format_name");
    info.duration_seconds = number(*f, "duration");
    if (auto tags = f->find("tags"); tags != f->end() && tags->is_object() &&
                                     text(*tags, "major_brand") == "qt  ") {
      info.container = "mov";  // QuickTime, not MP4: Chromium does not promise to play it
    }
  }
  if (auto s = doc.find("streams"); s != doc.end() && s->is_array()) {
    for (const auto& stream : *s) {
      if (!stream.is_object()) continue;
      std::string type = text(stream, "codec_type");
      bool cover_art = false;
      if (auto d = stream.find("disposition"); d != stream.end() && d->is_object()) {
        auto a = d->find("attached_pic");
        cover_art = a != d->end() && a->is_number() && a->get<int>() == 1;
      }
      if (type == "video" && !cover_art && info.video_codec.empty()) {
        info.video_codec = text(stream, "codec_name");
        info.width = static_cast<int>(number(stream, "width"));
        info.height = static_cast<int>(number(stream, "height"));
        if (info.duration_seconds == 0) info.duration_seconds = number(stream, "duration");
      } else if (type == "audio" && info.audio_codec.empty()) {
        info.audio_codec = text(stream, "codec_name");
        if (info.duration_seconds == 0) info.duration_seconds = number(stream, "duration");
      }
    }
  }
  if (info.video_codec.empty() && info.audio_codec.empty()) {
    return core::Error{core::ErrorCode::kUnsupportedMedia,
                       "this file has no audio or video that can be played", {}, {}};
  }
  info.needs_transcode = NeedsTranscode(info);
  return info;
}

namespace {
// The muxer that writes the same kind of file as the one probed, or empty when none fits.
std::string MuxerFor(const MediaInfo& info) {
  const std::string& c = info.container;
  if (c == "mov") return "mov";
  if (c.find("mp4") != std::string::npos) return "mp4";
  if (c.find("matroska") != std::string::npos) {
    bool webm = (info.video_codec.empty() || info.video_codec == "vp8" || info.video_codec == "vp9" ||
                 info.video_codec == "av1") &&
                (info.audio_codec.empty() || info.audio_codec == "opus" || info.audio_codec == "vorbis");
    return webm ? "webm" : "matroska";
  }
  for (const char* same : {"mp3", "ogg", "wav", "flac"}) {
    if (c == same) return same;
  }
  if (c == "aac") return "adts";
  return {};
}
}  // namespace

core::Status RemuxWithoutMetadata(const std::filesystem::path& in, const std::filesystem::path& out,
                                  const MediaInfo& info, std::chrono::seconds timeout,
                                  const std::string& wanted_muxer) {
  std::string muxer = wanted_muxer.empty() ? MuxerFor(info) : wanted_muxer;
  if (muxer.empty()) {
    return core::Error{core::ErrorCode::kUnsupportedMedia,
                       "cannot rewrite a " + info.container + " file without its metadata", {}, {}};
  }
  std::vector<std::string> argv = {"ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
                                   "-protocol_whitelist", "file", "-format_whitelist", kDemuxers,
                                   "-i", FileArg(in), "-map", "0:V?", "-map", "0:a?", "-c", "copy",
                                   "-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn"};
  if (muxer == "mp4" || muxer == "mov") {
    argv.insert(argv.end(), {"-movflags", "+faststart"});
  }
  if (muxer == "mp3") argv.insert(argv.end(), {"-write_xing", "0", "-id3v2_version", "0"});
  argv.insert(argv.end(), {"-f", muxer, FileArg(out)});
  auto run = RunProcess(argv, timeout, 64 * 1024);
  auto fail = [&](core::Error e) -> core::Status {
    std::error_code ignored;
    std::filesystem::remove(out, ignored);
    return e;
  };
  if (!run.started) return fail(core::Error::Internal("remux: ffmpeg could not be run"));
  if (run.timed_out) return fail(core::Error::Internal("remux: ffmpeg timed out on " + in.string()));
  if (run.exit_code != 0) {
    return fail({core::ErrorCode::kUnsupportedMedia,
                 "this recording could not be read (the file may be damaged)",
                 "ffmpeg: " + LastLine(run.err), {}});
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(out, ec) || std::filesystem::file_size(out, ec) == 0) {
    return fail(core::Error::Internal("remux: ffmpeg wrote no output"));
  }
  return core::Ok();
}

core::Status Transcode(const std::filesystem::path& in, const std::filesystem::path& out,
                       std::chrono::seconds timeout) {
  // Metadata and chapters are dropped: phones record where a video was shot.
  auto run = RunProcess({"ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
                         "-protocol_whitelist", "file", "-format_whitelist", kDemuxers, "-i",
                         FileArg(in), "-map", "0:V:0?", "-map", "0:a:0?", "-map_metadata", "-1",
                         "-map_chapters", "-1", "-sn", "-dn", "-c:v", "libx264", "-preset",
                         "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-vf",
                         "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:a", "aac", "-b:a", "128k",
                         "-movflags", "+faststart", "-f", "mp4", FileArg(out)},
                        timeout, 64 * 1024);
  auto fail = [&](core::Error e) -> core::Status {
    std::error_code ignored;
    std::filesystem::remove(out, ignored);
    return e;
  };
  if (!run.started) return fail(core::Error::Internal("transcode: ffmpeg could not be run"));
  if (run.timed_out) return fail(core::Error::Internal("transcode: ffmpeg timed out on " + in.string()));
  if (run.exit_code != 0) {
    return fail({core::ErrorCode::kUnsupportedMedia,
                 "this video could not be converted to a playable format (the file may be damaged)",
                 "ffmpeg: " + LastLine(run.err), {}});
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(out, ec) || std::filesystem::file_size(out, ec) == 0) {
    return fail(core::Error::Internal("transcode: ffmpeg wrote no output"));
  }
  return core::Ok();
}

}  // namespace cairn::blobs
