#pragma once
// The default badge image, for micro-credentials whose issuer uploaded none: a hexagon with a
// cairn of stacked stones, the title over up to three lines and the issuer's name beneath.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::credentials {

inline constexpr int kBadgeImageSize = 512;
inline constexpr std::size_t kBadgeTitleLineChars = 18;  // characters per title line
inline constexpr std::size_t kBadgeTitleLines = 3;

// A standalone SVG document. Title and issuer are UTF-8 and are XML-escaped here; a title too
// long for three lines ends in an ellipsis. Throws CredentialError on invalid UTF-8.
std::string RenderBadgeSvg(std::string_view title, std::string_view issuer);

// Rasterises an SVG to a size x size PNG with librsvg and cairo. The SVG gets the same hostile-input
// checks as baking (size cap, no DOCTYPE internal subset) before librsvg sees it, and librsvg is
// given no base URL, so it cannot load external files. Throws CredentialError.
std::string RenderPng(std::string_view svg, int size = kBadgeImageSize);

// The title as RenderBadgeSvg lays it out, one string per line (exposed for tests).
std::vector<std::string> WrapBadgeTitle(std::string_view title);

}  // namespace cairn::credentials
