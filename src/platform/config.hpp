#pragma once
// Typed configuration: a JSON file (--config FILE), overridden by CAIRN_* environment variables,
// checked in full at start-up. A wrong value stops the server with a message naming it.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/common/result.hpp"
#include "mail/smtp_mailer.hpp"

namespace cairn::platform {

struct SmtpConfig {
  std::string host;  // empty: mail goes to <data_dir>/outbox as .eml files
  std::uint16_t port = 587;
  std::string username;
  std::string password;  // never logged
  std::string from = "no-reply@cairn.localhost";
  std::string from_name = "Cairn";
  mail::StartTls starttls = mail::StartTls::kOpportunistic;
  int timeout_seconds = 20;
};

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string data_dir = "./var";
  std::string database_url;  // "sqlite:PATH" or "postgresql://…"; default sqlite:<data_dir>/cairn.db
  std::string public_url;    // default http://<listen>
  std::string kek_file;      // default <data_dir>/kek.key
  std::string web_dir;       // built web app; default ./web/dist when present
  std::string log_level = "info";
  bool migrate_on_start = true;
  int io_threads = 2;
  int worker_threads = 8;
  std::size_t max_url_bytes = 8 << 10;
  std::size_t max_header_bytes = 16 << 10;
  int request_timeout_seconds = 30;
  bool fetch_allow_private = false;
  // Evidence uploads: per file and per submission, and how long an unfinished upload is kept.
  std::int64_t max_file_bytes = std::int64_t{2} << 30;
  std::int64_t max_submission_bytes = std::int64_t{8} << 30;
  int upload_expiry_hours = 72;
  // Review deadlines when the issuer sets none.
  int review_sla_days = 14;
  // How often the background worker looks for due jobs.
  int job_poll_ms = 1000;
  SmtpConfig smtp;
  std::vector<std::string> warnings;  // e.g. unknown CAIRN_ variables, logged at start-up

  bool UsesSqlite() const { return database_url.rfind("sqlite:", 0) == 0; }
  std::string SqlitePath() const { return UsesSqlite() ? database_url.substr(7) : std::string(); }
  bool PublicUrlIsHttps() const { return public_url.rfind("https://", 0) == 0; }
};

using Environment = std::map<std::string, std::string>;
Environment ProcessEnvironment();

// Reads config_file (when given), then the environment, then fills defaults and validates.
// Errors carry a FieldError per wrong value: pointer "/listen" for the file key or
// "CAIRN_LISTEN" for the variable, and a message that says what is expected.
core::Result<Config> LoadConfig(const std::optional<std::string>& config_file, const Environment& env);

}  // namespace cairn::platform
