#pragma once
// Building an RFC 5322 message with MIME (RFC 2045/2046) bodies and RFC 2047 headers. Kept apart
// from the transport so it can be tested without a server.
#include <chrono>
#include <string>
#include <string_view>

#include "core/common/result.hpp"
#include "core/ports/mailer.hpp"

namespace cairn::mail {

// "=?UTF-8?B?…?=" encoded-words (each at most 75 characters, never splitting a UTF-8 sequence),
// folded onto continuation lines; plain printable ASCII comes back as is.
std::string EncodeHeaderWord(std::string_view text);

// Base64 with CRLF every 76 characters, as MIME bodies need.
std::string Base64Lines(std::string_view data);

// "Mon, 23 Nov 2026 03:41:00 +0000" (RFC 5322 §3.3).
std::string FormatDate(std::chrono::system_clock::time_point t);

// A plain email address: no spaces, control characters, angle brackets or quotes, one '@'. Every
// header and SMTP command we write puts it inside <>, so this is what keeps injection out.
bool IsSafeAddress(std::string_view address);

struct MimeParts {
  std::string from_address;
  std::string from_name;  // may be empty
  std::string message_id;  // without <>
  std::string boundary;    // for multipart/alternative
  std::chrono::system_clock::time_point date;
};

// The whole message, CRLF line endings. kInvalidInput for an unsafe address or an empty subject.
core::Result<std::string> BuildMessage(const core::EmailMessage& message, const MimeParts& parts);

}  // namespace cairn::mail
