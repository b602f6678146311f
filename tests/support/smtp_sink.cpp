#include "support/smtp_sink.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#ifndef CAIRN_SOURCE_DIR
#error "smtp_sink.cpp needs CAIRN_SOURCE_DIR (cairn_add_test defines it)"
#endif

namespace cairn::testing {

namespace fs = std::filesystem;

std::string ReceivedMail::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

namespace {

std::string Lf(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
}

ReceivedMail FromJson(const nlohmann::json& j) {
  ReceivedMail m;
  m.envelope_from = j.value("envelope_from", "");
  m.envelope_to = j.value("envelope_to", std::vector<std::string>{});
  if (j.contains("authenticated_as") && j["authenticated_as"].is_string())
    m.authenticated_as = j["authenticated_as"];
  for (const auto& [k, v] : j["headers"].items()) m.headers[k] = v.get<std::string>();
  m.content_type = j.value("content_type", "");
  m.text = Lf(j.value("text", ""));
  m.html = Lf(j.value("html", ""));
  m.defects = j.value("defects", std::vector<std::string>{});
  m.raw = j.value("raw", "");
  return m;
}

}  // namespace

SmtpSink::SmtpSink(SmtpSinkOptions options) {
  char tmpl[] = "/tmp/cairn-smtp-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("SmtpSink: mkdtemp failed");
  dir_ = tmpl;
  const std::string script = std::string(CAIRN_SOURCE_DIR) + "/tests/mail/smtp_sink.py";
  const std::string log = dir_ + "/server.log";
  std::vector<std::string> args = {"/usr/bin/python3", "-W", "ignore", script, "--dir", dir_};
  if (!options.auth_user.empty()) {
    args.push_back("--auth");
    args.push_back(options.auth_user + ":" + options.auth_password);
  }

  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("SmtpSink: pipe failed");
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("SmtpSink: fork failed");
  if (pid_ == 0) {
    // The server must not outlive a test binary that crashes.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);
    dup2(out[1], STDOUT_FILENO);
    int err = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (err >= 0) dup2(err, STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);

  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[64];
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<size_t>(n));
  }
  close(out[0]);
  try {
    port_ = std::stoi(line);
  } catch (...) {
    port_ = 0;
  }
  if (port_ <= 0) {
    std::string why;
    std::ifstream in(log);
    std::getline(in, why, '\0');
    Stop();
    throw std::runtime_error("SmtpSink: the SMTP server did not start: " + why);
  }
}

SmtpSink::~SmtpSink() { Stop(); }

void SmtpSink::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
  }
}

std::vector<ReceivedMail> SmtpSink::Messages() const {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir_))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<ReceivedMail> out;
  for (const auto& f : files) {
    std::ifstream in(f);
    out.push_back(FromJson(nlohmann::json::parse(in)));
  }
  return out;
}

std::vector<ReceivedMail> SmtpSink::WaitForMessages(std::size_t count,
                                                    std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto all = Messages();
    if (all.size() >= count || std::chrono::steady_clock::now() >= deadline) return all;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ReceivedMail SmtpSink::WaitForMessageTo(const std::string& address,
                                        std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto all = Messages();
    for (auto it = all.rbegin(); it != all.rend(); ++it)
      if (std::find(it->envelope_to.begin(), it->envelope_to.end(), address) != it->envelope_to.end())
        return *it;
    if (std::chrono::steady_clock::now() >= deadline)
      throw std::runtime_error("SmtpSink: no message to " + address);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string ExtractToken(const std::string& text) {
  const auto at = text.find("?token=");
  if (at == std::string::npos) return {};
  auto begin = at + 7;
  auto end = begin;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                               text[end] == '-' || text[end] == '_'))
    ++end;
  return text.substr(begin, end - begin);
}

}  // namespace cairn::testing
