#pragma once
// A real SMTP server for tests: starts tests/mail/smtp_sink.py (aiosmtpd under /usr/bin/python3)
// on a free port and reads back what it received, decoded by Python's email package, which also
// reports MIME defects. Each SmtpSink is its own process and directory, so tests can run in
// parallel.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace cairn::testing {

struct ReceivedMail {
  std::string envelope_from;
  std::vector<std::string> envelope_to;
  std::string authenticated_as;  // the AUTH login, if any
  std::map<std::string, std::string> headers;  // lower-case names, RFC 2047 words decoded
  std::string content_type;                    // of the whole message
  std::string text;  // the text/plain part, line endings as "\n"
  std::string html;  // the text/html part, if any
  std::vector<std::string> defects;  // Python's MIME parser complaints; empty for a good message
  std::string raw;

  std::string Header(const std::string& name) const;
};

struct SmtpSinkOptions {
  // When set, the server requires AUTH LOGIN/PLAIN with these (over plain TCP, for tests only).
  std::string auth_user;
  std::string auth_password;
};

class SmtpSink {
 public:
  // Throws std::runtime_error when the server does not start within a few seconds.
  explicit SmtpSink(SmtpSinkOptions options = {});
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  // Everything received so far, oldest first.
  std::vector<ReceivedMail> Messages() const;
  // Waits until at least count messages arrived (or timeout) and returns all of them.
  std::vector<ReceivedMail> WaitForMessages(std::size_t count,
                                            std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  // The newest message to this address, waiting up to timeout for one; throws when none came.
  ReceivedMail WaitForMessageTo(const std::string& address,
                                std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  void Stop();

  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// The value of the "token" query parameter in the first link in text that has one; empty if none.
std::string ExtractToken(const std::string& text);

}  // namespace cairn::testing
