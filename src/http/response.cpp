#include "http/response.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "http/request_scope.hpp"

namespace cairn::http {

namespace {

thread_local const Request* current_request = nullptr;

struct ProblemKind {
  std::string_view slug;
  std::string_view title;
};

ProblemKind KindFor(int status) {
  switch (status) {
    case 400: return {"bad-request", "Bad request"};
    case 401: return {"unauthenticated", "Authentication required"};
    case 403: return {"forbidden", "Forbidden"};
    case 404: return {"not-found", "Not found"};
    case 405: return {"method-not-allowed", "Method not allowed"};
    case 408: return {"request-timeout", "Request timeout"};
    case 409: return {"conflict", "Conflict"};
    case 412: return {"precondition-failed", "Precondition failed"};
    case 413: return {"too-large", "Content too large"};
    case 414: return {"uri-too-long", "URI too long"};
    case 415: return {"unsupported-media-type", "Unsupported media type"};
    case 416: return {"range-not-satisfiable", "Range not satisfiable"};
    case 422: return {"validation", "Validation failed"};
    case 429: return {"too-many-requests", "Too many requests"};
    case 431: return {"header-too-large", "Request header fields too large"};
    case 503: return {"unavailable", "Service unavailable"};
    default: break;
  }
  if (status >= 500) return {"internal", "Internal server error"};
  return {"bad-request", "Bad request"};
}

ProblemKind KindFor(const core::Error& error) {
  // Two codes share 409; their types stay distinct so clients can tell them apart.
  if (error.code == core::ErrorCode::kInvalidState) return {"invalid-state", "Invalid state"};
  return KindFor(StatusFor(error));
}

Response MakeProblem(int status, ProblemKind kind, std::string_view detail,
                     std::string_view request_id, std::string_view instance,
                     const std::vector<core::FieldError>* fields) {
  nlohmann::json body = {{"type", "urn:cairn:problem:" + std::string(kind.slug)},
                         {"title", kind.title},
                         {"status", status},
                         {"detail", detail}};
  if (!instance.empty()) body["instance"] = instance;
  if (!request_id.empty()) body["request_id"] = request_id;
  if (fields && !fields->empty()) {
    auto& errors = body["errors"] = nlohmann::json::array();
    for (const auto& f : *fields) errors.push_back({{"pointer", f.pointer}, {"detail", f.message}});
  }
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", std::string(kProblemType));
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace

RequestScope::RequestScope(const Request& request) : previous_(current_request) {
  current_request = &request;
}
RequestScope::~RequestScope() { current_request = previous_; }
const Request* RequestScope::Current() { return current_request; }

int StatusFor(const core::Error& error) {
  using core::ErrorCode;
  switch (error.code) {
    case ErrorCode::kInvalidInput: return error.fields.empty() ? 400 : 422;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kInvalidState: return 409;
    case ErrorCode::kPreconditionFailed: return 412;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kUnsupportedMedia: return 415;
    case ErrorCode::kTooManyRequests: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

Response JsonResponse(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", std::string(kJsonType));
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response TextResponse(int status, std::string body, std::string_view content_type) {
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", std::string(content_type));
  response.body = std::move(body);
  return response;
}

Response NoContentResponse() {
  Response response;
  response.status = 204;
  return response;
}

Response FileResponse(std::string path, std::string_view content_type) {
  Response response;
  response.headers.Set("Content-Type", std::string(content_type));
  response.file_path = std::move(path);
  return response;
}

Response ProblemResponse(const core::Error& error) {
  const Request* request = RequestScope::Current();
  return ProblemResponse(error, request ? std::string_view(request->request_id) : "",
                         request ? std::string_view(request->path) : "");
}

Response ProblemResponse(const core::Error& error, std::string_view request_id,
                         std::string_view instance) {
  int status = StatusFor(error);
  if (!error.detail.empty() || status >= 500) {
    nlohmann::json line = {{"event", "error"},
                           {"request_id", request_id},
                           {"status", status},
                           {"message", error.message},
                           {"detail", error.detail}};
    spdlog::error(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  // A 5xx says nothing about what went wrong inside; the log has it under the request id.
  std::string_view message = status >= 500 && error.code == core::ErrorCode::kInternal
                                 ? std::string_view("internal error")
                                 : std::string_view(error.message);
  return MakeProblem(status, KindFor(error), message, request_id, instance, &error.fields);
}

Response StatusProblem(int status, std::string_view detail, std::string_view request_id,
                       std::string_view instance) {
  return MakeProblem(status, KindFor(status), detail, request_id, instance, nullptr);
}

}  // namespace cairn::http
