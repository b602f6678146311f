#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cairn::http {

namespace fs = std::filesystem;

namespace {

// Small text-like files are served from memory so the server's gzip and ETag apply to them;
// everything else is streamed.
constexpr std::uintmax_t kInMemoryLimit = 512 * 1024;

struct TypeEntry {
  std::string_view extension;
  std::string_view type;
};

constexpr TypeEntry kTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".txt", "text/plain; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".wasm", "application/wasm"},
    {".pdf", "application/pdf"},
    {".mp4", "video/mp4"},
    {".webm", "video/webm"},
    {".mp3", "audio/mpeg"},
    {".ogg", "audio/ogg"},
    {".wav", "audio/wav"},
};

bool IsTextual(std::string_view type) {
  return type.starts_with("text/") || type.find("json") != std::string_view::npos ||
         type == "image/svg+xml" || type == "application/wasm";
}

// True when target is root itself or lies below it, after resolving symlinks and "..".
bool Inside(const fs::path& root, const fs::path& target) {
  auto r = root.native();
  auto t = target.native();
  if (t == r) return true;
  if (!r.empty() && r.back() != '/') r += '/';
  return t.starts_with(r);
}

Response NotFound(const Request& req) {
  return StatusProblem(404, "no resource at this path", req.request_id, req.path);
}

}  // namespace

std::string ContentTypeFor(std::string_view file_name) {
  auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string_view extension = file_name.substr(dot);
  for (const auto& entry : kTypes)
    if (EqualsIgnoreCase(entry.extension, extension)) return std::string(entry.type);
  return "application/octet-stream";
}

Handler StaticFiles(StaticFilesOptions options) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(fs::absolute(options.root), ec);
  if (ec) root = options.root;
  return [root, options = std::move(options)](Request& req) -> Response {
    const std::string& rest = req.Param("path");
    std::string path = "/" + rest;
    if (path.starts_with(options.api_prefix)) return NotFound(req);

    // Reject anything that could step outside root before touching the disk.
    bool suspicious = rest.find('\\') != std::string::npos;
    for (std::string_view part : {std::string_view("/../"), std::string_view("/..")})
      if ((path + "/").find(part) != std::string::npos) suspicious = true;
    if (suspicious) return NotFound(req);

    std::error_code error;
    fs::path file = root;
    if (!rest.empty()) file /= rest;
    fs::path resolved = fs::weakly_canonical(file, error);
    bool found = !error && Inside(root, resolved) && fs::is_regular_file(resolved, error);
    bool is_asset = path.starts_with(options.assets_prefix);
    if (!found) {
      // Client-side routes (/m/123, /reviews) load the app; missing assets stay 404s so a
      // stale bundle reference fails loudly instead of parsing HTML as JavaScript.
      if (is_asset) return NotFound(req);
      resolved = fs::weakly_canonical(root / options.index, error);
      if (error || !fs::is_regular_file(resolved, error)) return NotFound(req);
      is_asset = false;
    }

    std::string type = ContentTypeFor(resolved.filename().native());
    Response response;
    auto size = fs::file_size(resolved, error);
    if (!error && size <= kInMemoryLimit && IsTextual(type)) {
      std::ifstream in(resolved, std::ios::binary);
      std::ostringstream buffer;
      buffer << in.rdbuf();
      response = TextResponse(200, buffer.str(), type);
    } else {
      response = FileResponse(resolved.native(), type);
    }
    response.headers.Set("Cache-Control",
                         is_asset ? "public, max-age=31536000, immutable" : "no-cache");
    response.headers.Set("Content-Security-Policy", options.content_security_policy);
    response.headers.Set("Referrer-Policy", "same-origin");
    response.headers.Set("X-Frame-Options", "DENY");
    return response;
  };
}

void AddStaticRoutes(Router& router, StaticFilesOptions options) {
  router.Add({"GET", "/{path...}", StaticFiles(std::move(options)), "public", 0,
              "The web app and its assets"});
}

}  // namespace cairn::http
