#include "http/handlers/upload_handlers.hpp"

#include <ctime>
#include <nlohmann/json.hpp>

#include "app/uploads/tus_headers.hpp"

namespace cairn::http {
namespace {

using nlohmann::json;
namespace up = app::uploads;

constexpr std::string_view kUploads = "/api/v1/uploads";
constexpr std::string_view kFiles = "/api/v1/files";

std::string HttpDate(core::TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

Response Tus(Response r) {
  r.headers.Set("Tus-Resumable", std::string(up::kTusVersion));
  return r;
}

Response TusProblem(const Request& req, const core::Error& error) {
  if (up::Uploads::IsExpired(error))
    return Tus(StatusProblem(410, error.message, req.request_id, req.path));
  return Tus(ProblemResponse(error));
}

Response TusBadRequest(std::string message) {
  return Tus(ProblemResponse(core::Error::InvalidInput(std::move(message))));
}

// tus §"Tus-Resumable": every request but OPTIONS names the protocol version; another → 412.
std::optional<Response> CheckResumable(const Request& req) {
  auto version = req.headers.Get("Tus-Resumable");
  if (version && *version == up::kTusVersion) return std::nullopt;
  Response r = StatusProblem(
      412,
      version ? "this server speaks tus 1.0.0 only" : "the Tus-Resumable: 1.0.0 header is required",
      req.request_id, req.path);
  r.headers.Set("Tus-Version", std::string(up::kTusVersion));
  return Tus(std::move(r));
}

Response Unauthenticated() {
  return Tus(ProblemResponse(core::Error::Unauthenticated("sign in to upload evidence")));
}

// The tus status headers of an upload (HEAD and PATCH answers).
void DescribeUpload(Response& r, const core::evidence::Upload& u) {
  r.headers.Set("Upload-Offset", std::to_string(u.offset));
  r.headers.Set("Upload-Length", std::to_string(u.length));
  if (u.state == core::evidence::UploadState::kReceiving)
    r.headers.Set("Upload-Expires", HttpDate(u.expires_at));
  if (!u.file_id.empty()) r.headers.Set("Cairn-File-Id", u.file_id);
  r.headers.Set("Cache-Control", "no-store");
}

json FileJson(const up::FileView& view) {
  const auto& f = view.file;
  json out = {{"id", f.id},
              {"media_type", f.media_type},
              {"kind", core::catalog::ToString(f.kind)},
              {"size", f.size},
              {"sha256", f.sha256},
              {"warnings", f.warnings},
              {"transcode_state", f.transcode_state},
              {"created_at", core::FormatTime(f.created_at)},
              {"content_url", std::string(kFiles) + "/" + f.id + "/content"}};
  if (f.transcode_state == "done")
    out["playable_url"] = std::string(kFiles) + "/" + f.id + "/content?variant=playable";
  // Reviewers are blind: no original name, no enrolment that could lead to the educator.
  if (view.access != up::Access::kReviewer) {
    out["filename"] = f.filename;
    out["enrolment_id"] = f.enrolment_id;
  }
  return out;
}

std::string PercentEncodeUtf8(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-' || c == '_' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// Every answer on a tus route names the protocol version, refusals by middleware (401) included.
void AddTus(Router& router, Route route) {
  route.response_headers.Set("Tus-Resumable", std::string(up::kTusVersion));
  router.Add(std::move(route));
}

}  // namespace

std::string ContentDisposition(std::string_view disposition, std::string_view filename) {
  std::string fallback;
  for (unsigned char c : filename) {
    if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\' || c == '%') {
      fallback += '_';
    } else {
      fallback += static_cast<char>(c);
    }
  }
  return std::string(disposition) + "; filename=\"" + fallback + "\"; filename*=UTF-8''" +
         PercentEncodeUtf8(filename);
}

void RegisterUploadRoutes(Router& router, const UploadHandlerDeps& deps) {
  up::Uploads& uploads = deps.uploads;
  const std::string base(kUploads);
  const std::string files(kFiles);

  AddTus(router, {"OPTIONS", base,
                  [&uploads](Request&) {
                    Response r = NoContentResponse();
                    r.headers.Set("Tus-Version", std::string(up::kTusVersion));
                    r.headers.Set("Tus-Extension", std::string(up::kTusExtensions));
                    r.headers.Set("Tus-Max-Size", std::to_string(uploads.limits().max_file_bytes));
                    return Tus(std::move(r));
                  },
                  "public", 0, "tus discovery: version, extensions and the largest file accepted",
                  /*blocking=*/false});

  AddTus(router,
         {"POST", base,
          [&uploads](Request& req) {
            if (auto refused = CheckResumable(req)) return std::move(*refused);
            if (!req.principal) return Unauthenticated();
            if (req.headers.Has("Upload-Defer-Length"))
              return TusBadRequest("Upload-Defer-Length is not supported: send Upload-Length");
            auto length_text = req.headers.Get("Upload-Length");
            if (!length_text) return TusBadRequest("the Upload-Length header is required");
            auto length = up::ParseTusInteger(*length_text);
            if (!length) return TusBadRequest("Upload-Length must be a non-negative whole number");
            auto metadata =
                up::ParseUploadMetadata(req.headers.Get("Upload-Metadata").value_or(""));
            if (!metadata)
              return TusBadRequest(
                  "Upload-Metadata must be comma-separated \"key base64value\" "
                  "pairs with unique keys");
            auto upload = uploads.Create(*req.principal, *length, *metadata);
            if (!upload) return TusProblem(req, upload.error());
            Response r;
            r.status = 201;
            r.headers.Set("Location", std::string(kUploads) + "/" + upload->id);
            r.headers.Set("Upload-Expires", HttpDate(upload->expires_at));
            return Tus(std::move(r));
          },
          // tus creation has no body; a little is tolerated (and ignored) for generic clients.
          "authenticated", 4096, "Start a resumable upload of an evidence file (tus creation)"});

  AddTus(router, {"HEAD", base + "/{id}",
                  [&uploads](Request& req) {
                    if (auto refused = CheckResumable(req)) return std::move(*refused);
                    if (!req.principal) return Unauthenticated();
                    auto upload = uploads.Get(*req.principal, req.Param("id"));
                    if (!upload) return TusProblem(req, upload.error());
                    Response r;
                    r.status = 200;
                    DescribeUpload(r, *upload);
                    return Tus(std::move(r));
                  },
                  "authenticated", 0, "How many bytes of an upload the server holds (tus core)"});

  Route patch{"PATCH",
              base + "/{id}",
              [&uploads](Request& req) {
                if (auto refused = CheckResumable(req)) return std::move(*refused);
                if (!req.principal) return Unauthenticated();
                auto type = req.headers.Get("Content-Type");
                if (!type || up::MediaTypeBase(*type) != up::kOffsetOctetStream)
                  return Tus(ProblemResponse(core::Error{
                      core::ErrorCode::kUnsupportedMedia,
                      "a PATCH body must have Content-Type application/offset+octet-stream",
                      {},
                      {}}));
                auto offset_text = req.headers.Get("Upload-Offset");
                auto offset = offset_text ? up::ParseTusInteger(*offset_text) : std::nullopt;
                if (!offset)
                  return TusBadRequest("Upload-Offset must be a non-negative whole number");
                BodyReader& body = *req.body_reader;
                auto outcome = uploads.Patch(
                    *req.principal, req.Param("id"), *offset, body.declared_length(),
                    [&body](char* data, std::size_t size) { return body.Read(data, size); });
                if (!outcome) return TusProblem(req, outcome.error());
                Response r = NoContentResponse();
                DescribeUpload(r, outcome->upload);
                r.headers.Remove("Upload-Length");
                return Tus(std::move(r));
              },
              "authenticated",
              static_cast<std::size_t>(uploads.limits().max_file_bytes),
              "Append bytes at Upload-Offset (tus core); the last PATCH answers Cairn-File-Id"};
  patch.stream_body = true;
  AddTus(router, std::move(patch));

  AddTus(router, {"DELETE", base + "/{id}",
                  [&uploads](Request& req) {
                    if (auto refused = CheckResumable(req)) return std::move(*refused);
                    if (!req.principal) return Unauthenticated();
                    auto done = uploads.Terminate(*req.principal, req.Param("id"));
                    if (!done) return TusProblem(req, done.error());
                    return Tus(NoContentResponse());
                  },
                  "authenticated", 0, "Abandon an upload and its bytes (tus termination)"});

  router.Add({"GET", files + "/{id}",
              [&uploads](Request& req) {
                if (!req.principal)
                  return ProblemResponse(core::Error::Unauthenticated("sign in to see evidence"));
                auto view = uploads.GetFile(*req.principal, req.Param("id"));
                if (!view) return ProblemResponse(view.error());
                Response r = JsonResponse(200, FileJson(*view));
                r.headers.Set("Cache-Control", "private, no-store");
                return r;
              },
              "authenticated", 0, "An evidence file's metadata"});

  router.Add(
      {"GET", files + "/{id}/content",
       [&uploads](Request& req) {
         if (!req.principal)
           return ProblemResponse(core::Error::Unauthenticated("sign in to see evidence"));
         auto content =
             uploads.GetContent(*req.principal, req.Param("id"), req.Query("variant").value_or(""));
         if (!content) return ProblemResponse(content.error());
         Response r = FileResponse(content->path, content->media_type);
         r.headers.Set("ETag", "\"" + content->sha256 + "\"");
         r.headers.Set("Cache-Control", "private, no-store");
         r.headers.Set("Content-Disposition", ContentDisposition("inline", content->download_name));
         // Evidence is shown, never run: no scripts even if a browser renders it.
         r.headers.Set("Content-Security-Policy", "sandbox; default-src 'none'");
         return r;
       },
       "authenticated", 0, "An evidence file's bytes (Range supported)"});

  router.Add({"DELETE", files + "/{id}",
              [&uploads](Request& req) {
                if (!req.principal)
                  return ProblemResponse(
                      core::Error::Unauthenticated("sign in to delete evidence"));
                auto done = uploads.DeleteFile(*req.principal, req.Param("id"));
                if (!done) return ProblemResponse(done.error());
                return NoContentResponse();
              },
              "authenticated", 0, "Delete an evidence file no submitted attempt uses"});
}

}  // namespace cairn::http
