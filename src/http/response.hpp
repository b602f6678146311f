#pragma once
// The framework-neutral response, and the one table from domain error codes to HTTP statuses.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "core/common/result.hpp"
#include "http/request.hpp"

namespace cairn::http {

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the server streams this file instead of body, answering Range requests (206/416)
  // and conditional requests. Set Content-Type in headers; the server adds Content-Length.
  std::string file_path;
};

inline constexpr std::string_view kJsonType = "application/json";
inline constexpr std::string_view kProblemType = "application/problem+json";

// The status for a domain error. kInvalidInput is 422 when the error names fields (a well-formed
// body that fails validation) and 400 otherwise (unparseable body, bad query syntax, bad UTF-8).
int StatusFor(const core::Error& error);

// A JSON body with Content-Type application/json.
Response JsonResponse(int status, const nlohmann::json& body);
Response TextResponse(int status, std::string body,
                      std::string_view content_type = "text/plain; charset=utf-8");
Response NoContentResponse();
// Streams a file (see Response::file_path).
Response FileResponse(std::string path, std::string_view content_type);

// RFC 9457 application/problem+json: type, title, status, detail (Error::message), request_id,
// instance (the request path) and errors [{pointer, detail}] from Error::fields.
// Error::detail is logged here with the request id, never sent. The request id and instance
// come from the request being served on this thread (the server sets them before middleware
// and handlers run); the two-argument form names them explicitly.
Response ProblemResponse(const core::Error& error);
Response ProblemResponse(const core::Error& error, std::string_view request_id,
                         std::string_view instance);

// A problem for a status that has no domain code (404/405 from the router, 408, 414, 431, …).
Response StatusProblem(int status, std::string_view detail, std::string_view request_id,
                       std::string_view instance);

}  // namespace cairn::http
