#pragma once
// Evidence uploads over tus 1.0.0 (/api/v1/uploads) and the files they become (/api/v1/files).
// Handlers decode headers, call one use case from app/uploads and encode; ownership and the
// review area's read access are checked in the use cases.
#include "app/uploads/uploads.hpp"
#include "http/router.hpp"

namespace cairn::http {

struct UploadHandlerDeps {
  app::uploads::Uploads& uploads;
};

void RegisterUploadRoutes(Router& router, const UploadHandlerDeps& deps);

// Content-Disposition for a download name: an ASCII fallback plus RFC 8187 UTF-8 (RFC 6266).
std::string ContentDisposition(std::string_view disposition, std::string_view filename);

}  // namespace cairn::http
