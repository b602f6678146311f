#include "credentials/badge_image.hpp"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <algorithm>
#include <memory>

#include "credentials/baking.hpp"
#include "credentials/baking_text.hpp"
#include "credentials/error.hpp"

namespace cairn::credentials {
namespace {

constexpr std::size_t kIssuerChars = 28;  // what fits across the lower hexagon
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";

// Splits UTF-8 text into code points (as byte strings), so wrapping never cuts a character.
std::vector<std::string_view> CodePoints(std::string_view text) {
  std::vector<std::string_view> points;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    points.push_back(text.substr(i, len));
    i += len;
  }
  return points;
}

std::string Join(const std::vector<std::string_view>& points, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out.append(points[i]);
  return out;
}

// XML 1.0 forbids most control characters even when escaped, so they become spaces.
std::string Printable(std::string_view text, const char* what) {
  if (!baking_text::IsValidUtf8(text)) {
    throw CredentialError(std::string("badge ") + what + " is not valid UTF-8");
  }
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

std::string XmlEscaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Truncated(std::string_view text, std::size_t max_chars) {
  const auto points = CodePoints(text);
  if (points.size() <= max_chars) return std::string(text);
  return Join(points, 0, max_chars - 1) + std::string(kEllipsis);
}

struct RsvgHandleDeleter {
  void operator()(RsvgHandle* handle) const { g_object_unref(handle); }
};
struct CairoSurfaceDeleter {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};

cairo_status_t AppendPngBytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string TakeMessage(GError* error, const char* fallback) {
  std::string message = error != nullptr && error->message != nullptr ? error->message : fallback;
  if (error != nullptr) g_error_free(error);
  return message;
}

}  // namespace

std::vector<std::string> WrapBadgeTitle(std::string_view title) {
  const std::string clean = Printable(title, "title");
  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos < clean.size()) {
    while (pos < clean.size() && clean[pos] == ' ') ++pos;
    const std::size_t end = std::min(clean.find(' ', pos), clean.size());
    if (end > pos) words.emplace_back(clean.substr(pos, end - pos));
    pos = end;
  }

  // Greedy wrap; a word longer than a line is cut at the line length.
  std::vector<std::string> lines;
  std::string line;
  std::size_t line_chars = 0;
  bool truncated = false;
  for (const std::string& word : words) {
    const auto points = CodePoints(word);
    std::size_t start = 0;
    while (start < points.size() && !truncated) {
      const std::size_t left = points.size() - start;
      if (line_chars == 0) {
        const std::size_t take = std::min(left, kBadgeTitleLineChars);
        line = Join(points, start, start + take);
        line_chars = take;
        start += take;
      } else if (line_chars + 1 + left <= kBadgeTitleLineChars) {
        line += ' ' + Join(points, start, points.size());
        line_chars += 1 + left;
        start = points.size();
      } else {
        lines.push_back(std::move(line));
        line.clear();
        line_chars = 0;
        truncated = lines.size() == kBadgeTitleLines;
      }
    }
    if (truncated) break;
  }
  if (!truncated && line_chars > 0) {
    if (lines.size() < kBadgeTitleLines) {
      lines.push_back(std::move(line));
    } else {
      truncated = true;
    }
  }
  if (truncated) {
    std::string& last = lines.back();
    last = CodePoints(last).size() < kBadgeTitleLineChars
               ? last + std::string(kEllipsis)
               : Truncated(last + "  ", kBadgeTitleLineChars);
  }
  if (lines.empty()) lines.emplace_back("Micro-credential");
  return lines;
}

std::string RenderBadgeSvg(std::string_view title, std::string_view issuer) {
  const std::vector<std::string> lines = WrapBadgeTitle(title);
  const std::string issuer_text = XmlEscaped(Truncated(Printable(issuer, "issuer"), kIssuerChars));

  std::string svg = R"svg(<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <defs>
    <linearGradient id="face" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2b7a78"/>
      <stop offset="1" stop-color="#17494d"/>
    </linearGradient>
  </defs>
  <polygon points="256,12 467,134 467,378 256,500 45,378 45,134" fill="#0f3336"/>
  <polygon points="256,28 453,142 453,370 256,484 59,370 59,142" fill="url(#face)"/>
  <polygon points="256,44 439,150 439,362 256,468 73,362 73,150" fill="none"
           stroke="#def2f1" stroke-opacity="0.35" stroke-width="3"/>
  <g transform="translate(0 -12)" stroke="#3a3a3a" stroke-opacity="0.35" stroke-width="2">
    <ellipse cx="256" cy="196" rx="66" ry="19" fill="#cfc8b8"/>
    <ellipse cx="249" cy="166" rx="50" ry="16" fill="#e0d9c9"/>
    <ellipse cx="261" cy="140" rx="36" ry="13" fill="#c2bba9"/>
    <ellipse cx="254" cy="118" rx="23" ry="10" fill="#e8e2d4"/>
    <ellipse cx="257" cy="100" rx="12" ry="7" fill="#d3ccbc"/>
  </g>
  <g font-family="DejaVu Sans" font-weight="bold" font-size="30" fill="#ffffff" text-anchor="middle">
)svg";
  // Centre the block of title lines on the middle of the badge.
  const int first_y = 284 - static_cast<int>(lines.size() - 1) * 19;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    svg += "    <text x=\"256\" y=\"" + std::to_string(first_y + static_cast<int>(i) * 38) + "\">" +
           XmlEscaped(lines[i]) + "</text>\n";
  }
  svg += R"svg(  </g>
  <line x1="166" y1="350" x2="346" y2="350" stroke="#def2f1" stroke-opacity="0.6" stroke-width="2"/>
  <text x="256" y="384" font-family="DejaVu Sans" font-size="17" fill="#def2f1"
        text-anchor="middle">)svg" +
         issuer_text + "</text>\n</svg>\n";
  return svg;
}

std::string RenderPng(std::string_view svg, int size) {
  if (size < 1 || size > kMaxRenderSize) {
    throw CredentialError("render size must be between 1 and " + std::to_string(kMaxRenderSize));
  }
  (void)ExtractSvg(svg);  // the baking scanner's checks: size, UTF-8, root <svg>, no entities

  GError* error = nullptr;
  std::unique_ptr<RsvgHandle, RsvgHandleDeleter> handle(rsvg_handle_new_from_data(
      reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error));
  if (!handle) throw CredentialError("cannot parse SVG: " + TakeMessage(error, "unknown error"));

  std::unique_ptr<cairo_surface_t, CairoSurfaceDeleter> surface(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size, size));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    throw CredentialError("cannot allocate the image surface");
  }
  std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));
  const RsvgRectangle viewport{0, 0, static_cast<double>(size), static_cast<double>(size)};
  if (!rsvg_handle_render_document(handle.get(), cr.get(), &viewport, &error)) {
    throw CredentialError("cannot render SVG: " + TakeMessage(error, "unknown error"));
  }
  cairo_surface_flush(surface.get());

  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), AppendPngBytes, &png) !=
      CAIRO_STATUS_SUCCESS) {
    throw CredentialError("cannot encode PNG");
  }
  return png;
}

}  // namespace cairn::credentials
