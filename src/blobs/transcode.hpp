#pragma once
// Running ffprobe/ffmpeg: argv only (no shell), stdin from /dev/null, output capped, a deadline
// after which the child is killed. Exposed for tests of the runner itself.
#include <chrono>
#include <string>
#include <vector>

namespace cairn::blobs {

struct ProcessResult {
  bool started = false;   // false: the program could not be run (not installed)
  bool timed_out = false;
  int exit_code = -1;     // when it exited normally; -1 when killed by a signal
  std::string out;        // stdout, at most max_output bytes
  std::string err;        // stderr, at most max_output bytes
};

ProcessResult RunProcess(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                         std::size_t max_output = 4u << 20);

}  // namespace cairn::blobs
