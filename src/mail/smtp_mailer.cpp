#include "mail/smtp_mailer.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>

#include "mail/mime.hpp"

namespace cairn::mail {

namespace {

std::string RandomHex(std::size_t bytes) {
  static thread_local std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    unsigned v = device() & 0xFF;
    out += kHex[v >> 4];
    out += kHex[v & 15];
  }
  return out;
}

struct Upload {
  std::string data;
  std::size_t offset = 0;
};

size_t ReadChunk(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t room = size * count;
  const size_t n = std::min(room, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

core::Error Unavailable(std::string message, std::string detail) {
  return core::Error{core::ErrorCode::kUnavailable, std::move(message), std::move(detail), {}};
}

}  // namespace

SmtpMailer::SmtpMailer(SmtpOptions options) : options_(std::move(options)) {
  if (options_.host.empty() || options_.host.find_first_of("/@ \r\n") != std::string::npos)
    throw std::invalid_argument("SMTP host must be a plain host name or address");
  if (options_.port < 1 || options_.port > 65535)
    throw std::invalid_argument("SMTP port must be between 1 and 65535");
  if (!IsSafeAddress(options_.from_address))
    throw std::invalid_argument("SMTP from address is not a valid email address");
  domain_ = options_.from_address.substr(options_.from_address.find('@') + 1);
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

core::Status SmtpMailer::Send(const core::EmailMessage& message) {
  MimeParts parts;
  parts.from_address = options_.from_address;
  parts.from_name = options_.from_name;
  parts.message_id = RandomHex(16) + "@" + domain_;
  parts.boundary = "=_cairn_" + RandomHex(12);
  parts.date = std::chrono::system_clock::now();
  auto built = BuildMessage(message, parts);
  if (!built) return built.error();

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Unavailable("the email could not be sent", "curl_easy_init failed");
  CURL* c = curl.get();
  const std::string host = options_.host.find(':') != std::string::npos
                               ? "[" + options_.host + "]"  // an IPv6 literal
                               : options_.host;
  const std::string url = std::string(options_.implicit_tls ? "smtps://" : "smtp://") + host + ":" +
                          std::to_string(options_.port);
  const std::string from = "<" + options_.from_address + ">";
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(
      curl_slist_append(nullptr, ("<" + message.to + ">").c_str()), curl_slist_free_all);
  Upload upload{std::move(*built), 0};
  char error_buffer[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadChunk);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  if (!options_.implicit_tls) {
    long use_ssl = options_.starttls == StartTls::kNone            ? CURLUSESSL_NONE
                   : options_.starttls == StartTls::kOpportunistic ? CURLUSESSL_TRY
                                                                   : CURLUSESSL_ALL;
    curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
  }
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options_.verify_peer ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options_.verify_peer ? 2L : 0L);
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }

  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return core::Ok();
  long smtp_code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &smtp_code);
  // The detail names the server and what went wrong, never the credentials.
  std::string detail = "smtp " + options_.host + ":" + std::to_string(options_.port) + ": " +
                       curl_easy_strerror(rc) + (error_buffer[0] ? std::string(" (") + error_buffer + ")" : "") +
                       (smtp_code ? " last reply " + std::to_string(smtp_code) : "");
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
      return Unavailable("the mail server could not be reached", detail);
    case CURLE_LOGIN_DENIED:
      return Unavailable("the mail server refused the login", detail);
    case CURLE_USE_SSL_FAILED:
      return Unavailable("the mail server does not offer the TLS it is required to", detail);
    default:
      return Unavailable("the mail server did not accept the email", detail);
  }
}

}  // namespace cairn::mail
