#include "platform/config.hpp"

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

extern char** environ;

namespace cairn::platform {
namespace {

using core::FieldError;

// One row per setting: the file key, the environment variable, and how to apply a text value.
// Both sources go through the same parser, so the file and the environment cannot disagree on
// what a value means.
struct Setting {
  const char* key;
  const char* env;
  bool (*apply)(Config&, const std::string&, std::string& why);
};

template <class Int>
bool ParseInt(const std::string& s, Int lo, Int hi, Int& out, std::string& why) {
  Int v{};
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || v < lo || v > hi) {
    why = "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    return false;
  }
  out = v;
  return true;
}

bool ParseBool(const std::string& s, bool& out, std::string& why) {
  if (s == "true" || s == "1" || s == "yes") return out = true, true;
  if (s == "false" || s == "0" || s == "no") return out = false, true;
  why = "expected true or false";
  return false;
}

bool ApplyListen(Config& c, const std::string& v, std::string& why) {
  const auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    why = "expected host:port, for example 127.0.0.1:8080";
    return false;
  }
  std::string host = v.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::uint16_t port = 0;
  if (!ParseInt<std::uint16_t>(v.substr(colon + 1), 0, 65535, port, why)) {
    why = "port: " + why;
    return false;
  }
  c.listen_host = host;
  c.listen_port = port;
  return true;
}

bool ApplyUrl(std::string& field, const std::string& v, std::string& why) {
  if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
    why = "expected an http:// or https:// URL";
    return false;
  }
  field = v;
  while (field.size() > 8 && field.back() == '/') field.pop_back();
  return true;
}

bool NonEmpty(std::string& field, const std::string& v, std::string& why) {
  if (v.empty()) {
    why = "must not be empty";
    return false;
  }
  field = v;
  return true;
}

const Setting kSettings[] = {
    {"listen", "CAIRN_LISTEN", ApplyListen},
    {"data_dir", "CAIRN_DATA_DIR", [](Config& c, const std::string& v, std::string& w) { return NonEmpty(c.data_dir, v, w); }},
    {"database_url", "CAIRN_DATABASE_URL",
     [](Config& c, const std::string& v, std::string& w) {
       if (v.rfind("sqlite:", 0) == 0 && v.size() > 7) return c.database_url = v, true;
       if (v.rfind("postgresql://", 0) == 0 || v.rfind("postgres://", 0) == 0) return c.database_url = v, true;
       w = "expected sqlite:PATH or postgresql://user@host:port/db";
       return false;
     }},
    {"public_url", "CAIRN_PUBLIC_URL", [](Config& c, const std::string& v, std::string& w) { return ApplyUrl(c.public_url, v, w); }},
    {"kek_file", "CAIRN_KEK_FILE", [](Config& c, const std::string& v, std::string& w) { return NonEmpty(c.kek_file, v, w); }},
    {"web_dir", "CAIRN_WEB_DIR", [](Config& c, const std::string& v, std::string& w) { return NonEmpty(c.web_dir, v, w); }},
    {"log_level", "CAIRN_LOG_LEVEL",
     [](Config& c, const std::string& v, std::string& w) {
       for (const char* l : {"trace", "debug", "info", "warn", "error", "off"})
         if (v == l) return c.log_level = v, true;
       w = "expected one of trace, debug, info, warn, error, off";
       return false;
     }},
    {"migrate_on_start", "CAIRN_MIGRATE_ON_START", [](Config& c, const std::string& v, std::string& w) { return ParseBool(v, c.migrate_on_start, w); }},
    {"io_threads", "CAIRN_IO_THREADS", [](Config& c, const std::string& v, std::string& w) { return ParseInt(v, 1, 64, c.io_threads, w); }},
    {"worker_threads", "CAIRN_WORKER_THREADS", [](Config& c, const std::string& v, std::string& w) { return ParseInt(v, 1, 256, c.worker_threads, w); }},
    {"max_url_bytes", "CAIRN_MAX_URL_BYTES",
     [](Config& c, const std::string& v, std::string& w) { return ParseInt<std::size_t>(v, 256, 1 << 20, c.max_url_bytes, w); }},
    {"max_header_bytes", "CAIRN_MAX_HEADER_BYTES",
     [](Config& c, const std::string& v, std::string& w) { return ParseInt<std::size_t>(v, 1024, 1 << 20, c.max_header_bytes, w); }},
    {"request_timeout_seconds", "CAIRN_REQUEST_TIMEOUT_SECONDS",
     [](Config& c, const std::string& v, std::string& w) { return ParseInt(v, 1, 3600, c.request_timeout_seconds, w); }},
    {"fetch_allow_private", "CAIRN_FETCH_ALLOW_PRIVATE", [](Config& c, const std::string& v, std::string& w) { return ParseBool(v, c.fetch_allow_private, w); }},
    {"max_file_bytes", "CAIRN_MAX_FILE_BYTES",
     [](Config& c, const std::string& v, std::string& w) { return ParseInt<std::int64_t>(v, 1024, std::int64_t{1} << 40, c.max_file_bytes, w); }},
    {"max_submission_bytes", "CAIRN_MAX_SUBMISSION_BYTES",
     [](Config& c, const std::string& v, std::string& w) { return ParseInt<std::int64_t>(v, 1024, std::int64_t{1} << 42, c.max_submission_bytes, w); }},
    {"upload_expiry_hours", "CAIRN_UPLOAD_EXPIRY_HOURS",
     [](Config& c, const std::string& v, std::string& w) { return ParseInt(v, 1, 24 * 365, c.upload_expiry_hours, w); }},
    {"review_sla_days", "CAIRN_REVIEW_SLA_DAYS",
     [](Config& c, const std::string& v, std::string& w) { return ParseInt(v, 1, 365, c.review_sla_days, w); }},
    {"job_poll_ms", "CAIRN_JOB_POLL_MS",
     [](Config& c, const std::string& v, std::string& w) { return ParseInt(v, 10, 60000, c.job_poll_ms, w); }},
    {"smtp_host", "CAIRN_SMTP_HOST", [](Config& c, const std::string& v, std::string&) { return c.smtp.host = v, true; }},
    {"smtp_port", "CAIRN_SMTP_PORT", [](Config& c, const std::string& v, std::string& w) { return ParseInt<std::uint16_t>(v, 1, 65535, c.smtp.port, w); }},
    {"smtp_username", "CAIRN_SMTP_USERNAME", [](Config& c, const std::string& v, std::string&) { return c.smtp.username = v, true; }},
    {"smtp_password", "CAIRN_SMTP_PASSWORD", [](Config& c, const std::string& v, std::string&) { return c.smtp.password = v, true; }},
    {"smtp_from", "CAIRN_SMTP_FROM",
     [](Config& c, const std::string& v, std::string& w) {
       if (v.find('@') == std::string::npos || v.find_first_of(" <>\r\n") != std::string::npos)
         return w = "expected a bare email address, for example no-reply@example.org", false;
       return c.smtp.from = v, true;
     }},
    {"smtp_from_name", "CAIRN_SMTP_FROM_NAME", [](Config& c, const std::string& v, std::string&) { return c.smtp.from_name = v, true; }},
    {"smtp_starttls", "CAIRN_SMTP_STARTTLS",
     [](Config& c, const std::string& v, std::string& w) {
       if (v == "none") return c.smtp.starttls = mail::StartTls::kNone, true;
       if (v == "opportunistic") return c.smtp.starttls = mail::StartTls::kOpportunistic, true;
       if (v == "required") return c.smtp.starttls = mail::StartTls::kRequired, true;
       w = "expected none, opportunistic or required";
       return false;
     }},
    {"smtp_timeout_seconds", "CAIRN_SMTP_TIMEOUT_SECONDS", [](Config& c, const std::string& v, std::string& w) { return ParseInt(v, 1, 600, c.smtp.timeout_seconds, w); }},
};

std::string AsText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  return "\x01";  // a value no parser accepts: objects, arrays, floats, null
}

}  // namespace

Environment ProcessEnvironment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    if (kv.rfind("CAIRN_", 0) != 0) continue;
    const auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

core::Result<Config> LoadConfig(const std::optional<std::string>& config_file, const Environment& env) {
  Config c;
  std::vector<FieldError> errors;

  if (config_file) {
    std::ifstream in(*config_file);
    if (!in) return core::Error::InvalidInput("cannot read config file " + *config_file);
    std::stringstream text;
    text << in.rdbuf();
    auto doc = nlohmann::json::parse(text.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
      return core::Error::InvalidInput("config file " + *config_file + " is not a JSON object");
    for (const auto& [key, value] : doc.items()) {
      const Setting* s = nullptr;
      for (const auto& candidate : kSettings)
        if (key == candidate.key) s = &candidate;
      if (!s) {
        errors.push_back({"/" + key, "unknown setting"});
        continue;
      }
      std::string why;
      if (!s->apply(c, AsText(value), why))
        errors.push_back({"/" + key, why.empty() ? "expected a string, number or boolean" : why});
    }
  }
  for (const auto& s : kSettings) {
    auto it = env.find(s.env);
    if (it == env.end()) continue;
    std::string why;
    if (!s.apply(c, it->second, why)) errors.push_back({s.env, why});
  }
  for (const auto& [name, value] : env) {
    bool known = false;
    for (const auto& s : kSettings) known = known || name == s.env;
    // Tools share the CAIRN_ prefix (tests, install scripts), so an unknown name is a warning.
    if (!known) c.warnings.push_back(name + " is not a Cairn setting and was ignored");
  }
  if (!errors.empty()) return core::Error::InvalidInput("invalid configuration", std::move(errors));

  while (c.data_dir.size() > 1 && c.data_dir.back() == '/') c.data_dir.pop_back();
  if (c.database_url.empty()) c.database_url = "sqlite:" + c.data_dir + "/cairn.db";
  if (c.kek_file.empty()) c.kek_file = c.data_dir + "/kek.key";
  if (c.public_url.empty()) {
    const bool v6 = c.listen_host.find(':') != std::string::npos;
    const std::string host = c.listen_host == "0.0.0.0" ? "127.0.0.1" : c.listen_host;
    c.public_url = "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(c.listen_port);
  }
  return c;
}

}  // namespace cairn::platform
