#include "mail/mime.hpp"

#include <ctime>

namespace cairn::mail {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                 (static_cast<unsigned char>(data[i + 1]) << 8) | static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool IsPlainHeaderText(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c > 0x7E) return false;
  // "=?" would be read as the start of an encoded-word.
  return text.find("=?") == std::string_view::npos;
}

// Normalizes any line ending to CRLF; SMTP needs it and a lone LF is not allowed (RFC 5322 §2.3).
std::string Crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string TextPart(std::string_view type, std::string_view body) {
  return "Content-Type: " + std::string(type) + "; charset=utf-8\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" + Base64Lines(Crlf(body));
}

}  // namespace

std::string Base64Lines(std::string_view data) {
  const std::string flat = Base64(data);
  std::string out;
  for (std::size_t i = 0; i < flat.size(); i += 76) out += flat.substr(i, 76) + "\r\n";
  return out;
}

std::string EncodeHeaderWord(std::string_view text) {
  if (IsPlainHeaderText(text) && text.size() <= 900) return std::string(text);
  // 75 - len("=?UTF-8?B?") - len("?=") = 63 base64 characters, so at most 45 bytes per word.
  constexpr std::size_t kMaxBytes = 45;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + kMaxBytes);
    // Back off to a character boundary: continuation bytes are 10xxxxxx.
    while (end < text.size() && end > i + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string FormatDate(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

bool IsSafeAddress(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  std::size_t ats = 0;
  for (unsigned char c : address) {
    if (c <= 0x20 || c >= 0x7F || c == '<' || c == '>' || c == '"' || c == '(' || c == ')' ||
        c == ',' || c == ';' || c == ':' || c == '\\' || c == '[' || c == ']')
      return false;
    if (c == '@') ++ats;
  }
  return ats == 1 && address.front() != '@' && address.back() != '@';
}

core::Result<std::string> BuildMessage(const core::EmailMessage& message, const MimeParts& parts) {
  if (!IsSafeAddress(message.to))
    return core::Error::InvalidInput("the recipient address is not valid", {{"/to", "invalid address"}});
  if (!IsSafeAddress(parts.from_address))
    return core::Error::InvalidInput("the sender address is not valid", {{"/from", "invalid address"}});
  if (message.subject.empty())
    return core::Error::InvalidInput("an email needs a subject", {{"/subject", "must not be empty"}});

  std::string m;
  m += "Date: " + FormatDate(parts.date) + "\r\n";
  m += "From: ";
  if (!parts.from_name.empty()) {
    m += IsPlainHeaderText(parts.from_name) &&
                 parts.from_name.find_first_of("\"\\()<>,;:@[]") == std::string::npos
             ? parts.from_name
             : EncodeHeaderWord(parts.from_name);
    m += " ";
  }
  m += "<" + parts.from_address + ">\r\n";
  m += "To: <" + message.to + ">\r\n";
  m += "Subject: " + EncodeHeaderWord(message.subject) + "\r\n";
  m += "Message-ID: <" + parts.message_id + ">\r\n";
  m += "MIME-Version: 1.0\r\n";
  if (message.html_body.empty()) {
    m += TextPart("text/plain", message.text_body);
    return m;
  }
  m += "Content-Type: multipart/alternative; boundary=\"" + parts.boundary + "\"\r\n\r\n";
  m += "--" + parts.boundary + "\r\n" + TextPart("text/plain", message.text_body);
  m += "--" + parts.boundary + "\r\n" + TextPart("text/html", message.html_body);
  m += "--" + parts.boundary + "--\r\n";
  return m;
}

}  // namespace cairn::mail
