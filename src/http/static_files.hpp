#pragma once
// Serving the web app: files from a directory, hashed assets cached forever, and index.html
// for app routes so client-side routing works on reload.
#include <string>

#include "http/router.hpp"

namespace cairn::http {

struct StaticFilesOptions {
  std::string root;                        // the built web app (index.html, assets/…)
  std::string index = "index.html";
  std::string assets_prefix = "/assets/";  // content-hashed names: immutable for a year
  // Paths under this prefix never fall back to index.html: an unknown API path is a 404.
  std::string api_prefix = "/api/";
  std::string content_security_policy =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "font-src 'self'; connect-src 'self'; media-src 'self' blob:; object-src 'none'; "
      "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
};

// A handler for a "{path...}" route: serves root/path when it is a regular file inside root,
// index.html for other non-API GETs, and 404 otherwise. Never leaves root ("..", symlinks out).
Handler StaticFiles(StaticFilesOptions options);

// Adds GET "/{path...}" with StaticFiles(options) and policy "public". Add it last: every
// literal and {param} route wins over it.
void AddStaticRoutes(Router& router, StaticFilesOptions options);

// The Content-Type for a file name's extension ("application/octet-stream" if unknown).
std::string ContentTypeFor(std::string_view file_name);

}  // namespace cairn::http
