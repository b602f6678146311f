// Router matching, percent-decoding, JSON body parsing, the typed reader and the schema validator
// on arbitrary bytes. Input: "<METHOD> <target>\n<body>".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/json_body.hpp"
#include "http/openapi.hpp"
#include "http/router.hpp"

namespace {

using cairn::http::Request;
using cairn::http::Response;

const cairn::http::Router& TestRouter() {
  static const cairn::http::Router router = [] {
    cairn::http::Router r;
    auto ok = [](Request&) { return Response{}; };
    r.Add({"GET", "/api/v1/micro-credentials", ok});
    r.Add({"POST", "/api/v1/micro-credentials", ok});
    r.Add({"GET", "/api/v1/micro-credentials/{id}", ok});
    r.Add({"PATCH", "/api/v1/micro-credentials/{id}", ok});
    r.Add({"GET", "/api/v1/micro-credentials/{id}/versions/{version}", ok});
    r.Add({"POST", "/api/v1/micro-credentials/special", ok});
    r.Add({"GET", "/healthz", ok});
    r.Add({"GET", "/{path...}", ok});
    return r;
  }();
  return router;
}

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  std::string_view line = input.substr(0, newline);
  std::string_view body = newline == std::string_view::npos ? "" : input.substr(newline + 1);
  auto space = line.find(' ');
  std::string_view method = space == std::string_view::npos ? "GET" : line.substr(0, space);
  std::string_view target = space == std::string_view::npos ? line : line.substr(space + 1);
  std::string_view path = target.substr(0, target.find('?'));

  auto match = TestRouter().Match(method, path);
  Check(match.status == 200 || match.status == 400 || match.status == 404 || match.status == 405);
  Check((match.status == 200) == (match.route != nullptr));
  if (match.status == 405) Check(!match.allow.empty());
  for (const auto& [name, value] : match.params) Check(value.find('\0') == std::string::npos);

  for (bool plus : {false, true}) {
    auto decoded = cairn::http::PercentDecode(target, plus);
    if (decoded) Check(decoded->size() <= target.size() && decoded->find('\0') == std::string::npos);
  }

  Request request;
  request.headers.Add("Content-Type", "application/json");
  request.body = std::string(body);
  auto parsed = cairn::http::ParseJsonBody(request);
  if (!parsed) return 0;
  cairn::http::JsonReader reader(*parsed);
  reader.OptionalString("title", 50);
  reader.OptionalInt("count", -5, 5);
  reader.OptionalEnum("kind", {"a", "b"});
  if (auto nested = reader.OptionalObject("meta")) nested->OptionalBool("flag");
  for (auto& item : reader.ObjectArray("items", false, 8)) item.OptionalString("name");
  reader.StringArray("tags", false, 8, 16);
  auto status = reader.Finish();
  if (!status) Check(!status.error().fields.empty());
  // The body as both schema and instance exercises $ref resolution and the combinators.
  (void)cairn::http::ValidateSchema(*parsed, *parsed, *parsed);
  return 0;
}
