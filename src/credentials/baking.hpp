#pragma once
// Open Badges 3.0 baking: a credential carried inside its badge image (OB 3.0 §5.3 "Baked
// Badges"). PNG holds it in one uncompressed iTXt chunk keyed `openbadgecredential`; SVG holds
// it in an <openbadges:credential> element, the first child of the root <svg>.
//
// Every function here reads bytes that came from the outside (an upload, a backpack import), so
// malformed or hostile input throws CredentialError with a message fit for the user. Nothing is
// allocated beyond the limits below.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::credentials {

inline constexpr std::size_t kMaxBadgeImageBytes = 16u << 20;   // a badge image, baked or not
inline constexpr std::size_t kMaxBakedCredentialBytes = 1u << 20;  // the credential inside it
inline constexpr std::size_t kMaxPngDimension = 16384;          // width and height, in pixels
inline constexpr std::size_t kMaxPngChunks = 65536;
inline constexpr int kMaxRenderSize = 4096;

inline constexpr std::string_view kPngCredentialKeyword = "openbadgecredential";
inline constexpr std::string_view kOpenBadgesNamespace = "https://purl.imsglobal.org/ob/v3p0";

// PNG. BakePng returns a copy of `png` with the credential in an iTXt chunk just before IEND,
// replacing any earlier one; every other chunk is kept byte for byte, so the pixels are unchanged.
std::string BakePng(std::string_view png, std::string_view credential);
// The baked credential, or nullopt when the PNG is valid but carries none.
std::optional<std::string> ExtractPng(std::string_view png);

// SVG. A JSON credential goes in CDATA; a compact JWS goes in the `verify` attribute.
std::string BakeSvg(std::string_view svg, std::string_view credential);
std::optional<std::string> ExtractSvg(std::string_view svg);

enum class BadgeFormat { kPng, kSvg, kJson, kJws };

struct ExtractedCredential {
  BadgeFormat format;
  std::string credential;  // JSON text or a compact JWS, as baked
};

// Sniffs PNG, SVG, bare JSON or a bare compact JWS and returns the credential it carries. Throws
// CredentialError when the format is unknown, the file is malformed, or an image has no credential.
ExtractedCredential Extract(std::string_view bytes);

// True for the shape of a compact JWS: three base64url segments separated by dots.
bool LooksLikeCompactJws(std::string_view text);

}  // namespace cairn::credentials
