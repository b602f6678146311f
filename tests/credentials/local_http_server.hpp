#pragma once
// A real HTTP server on 127.0.0.1 for the verifier and fetcher tests: Python's http.server in a
// child process, serving files from a fresh temporary directory, plus a few paths that misbehave
// on purpose (/sleep, /big, /big-unannounced, /redirect?to=…). Every request path is appended to
// requests.log before it is answered, so a test can prove a request never arrived.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

extern char** environ;

namespace cairn::credentials::testing {

inline constexpr const char* kServerScript = R"PY(
import http.server, os, sys, threading, time, urllib.parse
root, port_file = sys.argv[1], sys.argv[2]
log_path = os.path.join(root, "requests.log")

class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=os.path.join(root, "www"), **kwargs)

    def log_message(self, *args):
        pass

    def send_bytes(self, status, body, length=True, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with open(log_path, "a") as log:
            log.write(self.path + "\n")
        url = urllib.parse.urlparse(self.path)
        if url.path == "/sleep":
            time.sleep(5)
            return self.send_bytes(200, b"late")
        if url.path == "/big":
            return self.send_bytes(200, b"x" * (2 * 1024 * 1024))
        if url.path == "/big-unannounced":
            self.send_response(200)
            self.end_headers()
            self.close_connection = True
            try:
                for _ in range(64):
                    self.wfile.write(b"y" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if url.path == "/redirect":
            target = urllib.parse.parse_qs(url.query)["to"][0]
            return self.send_bytes(302, b"", headers=[("Location", target)])
        return super().do_GET()

# If the test process dies without stopping us (a crash, SIGPIPE), exit rather than linger.
parent = os.getppid()
def watch_parent():
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)
threading.Thread(target=watch_parent, daemon=True).start()

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
)PY";

class LocalHttpServer {
 public:
  LocalHttpServer() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cairn-http-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    std::filesystem::create_directories(root_ / "www");
    std::ofstream(root_ / "server.py") << kServerScript;
    const std::string script = (root_ / "server.py").string();
    const std::string root = root_.string();
    const std::string port_file = (root_ / "port").string();
    const char* argv[] = {"python3", script.c_str(), root.c_str(), port_file.c_str(), nullptr};
    if (posix_spawnp(&pid_, "python3", nullptr, nullptr, const_cast<char* const*>(argv), environ) !=
        0) {
      throw std::runtime_error("could not start python3");
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!std::filesystem::exists(port_file)) {
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("server did not start");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::ifstream(port_file) >> port_;
  }
  ~LocalHttpServer() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // Writes a file the server will serve at "/" + relative_path.
  void Put(const std::string& relative_path, const std::string& content) const {
    const auto path = root_ / "www" / relative_path;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }
  // Every request path received so far, one a line.
  std::string RequestLog() const {
    std::ifstream in(root_ / "requests.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::filesystem::path root_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace cairn::credentials::testing
