#pragma once
// core::Mailer over SMTP with libcurl: one connection per message, STARTTLS as configured.
#include <chrono>
#include <string>

#include "core/ports/mailer.hpp"

namespace cairn::mail {

enum class StartTls {
  kNone,           // plain SMTP (a local relay or a test sink)
  kOpportunistic,  // upgrade when the server offers STARTTLS, else send in the clear
  kRequired,       // fail rather than send without TLS
};

struct SmtpOptions {
  std::string host = "127.0.0.1";
  int port = 25;
  std::string username;  // empty: no AUTH
  std::string password;  // never logged, never put in an error
  std::string from_address;
  std::string from_name;  // display name of the sender, e.g. "Cairn"
  StartTls starttls = StartTls::kOpportunistic;
  bool implicit_tls = false;  // smtps:// (usually port 465) instead of STARTTLS
  bool verify_peer = true;    // check the server certificate when TLS is used
  std::string ca_file;        // extra trust anchors (PEM); empty: the system store
  std::chrono::milliseconds timeout{std::chrono::seconds(20)};
};

class SmtpMailer : public core::Mailer {
 public:
  // Throws std::invalid_argument for an unusable configuration (no host, bad port, unsafe sender
  // address): checked at start-up rather than on the first email.
  explicit SmtpMailer(SmtpOptions options);
  // kInvalidInput for an unusable message (recipient address, empty subject); kUnavailable when
  // the server cannot be reached, refuses the login, lacks required TLS or rejects the message.
  core::Status Send(const core::EmailMessage& message) override;

 private:
  SmtpOptions options_;
  std::string domain_;  // of the sender, for Message-IDs
};

}  // namespace cairn::mail
