#pragma once
// Pure parsers for the tus 1.0.0 request headers (https://tus.io/protocols/resumable-upload):
// no I/O, so they are unit-tested and fuzzed on their own. Every function accepts any bytes and
// answers nullopt for anything malformed.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::app::uploads {

inline constexpr std::string_view kTusVersion = "1.0.0";
inline constexpr std::string_view kTusExtensions = "creation,termination,expiration";
inline constexpr std::string_view kOffsetOctetStream = "application/offset+octet-stream";

// Upload-Offset / Upload-Length: a non-negative decimal integer (digits only, no sign, no
// spaces), at most 2^63 - 1.
std::optional<std::int64_t> ParseTusInteger(std::string_view text);

// Upload-Metadata: comma-separated "key base64value" pairs, or a bare "key" (empty value). Keys are
// ASCII without spaces or commas and unique; values are standard base64 with padding. At most 64
// pairs and 8 KiB of header: metadata is small.
std::optional<std::map<std::string, std::string>> ParseUploadMetadata(std::string_view header);

// A client-supplied file name made safe to store and show: the last path component only (both
// '/' and '\\' separate), control characters and invalid UTF-8 dropped, surrounding spaces and
// dots trimmed, at most 200 bytes (cut on a character boundary). Empty input or nothing left
// gives "file".
std::string SanitizeFilename(std::string_view name);

// The media type's base without parameters, lowercased: "Application/Offset+Octet-Stream; x=1" →
// "application/offset+octet-stream".
std::string MediaTypeBase(std::string_view content_type);

}  // namespace cairn::app::uploads
