#pragma once
// Routes are the single source for dispatch, for the OpenAPI completeness check and for the
// authorisation test. Matching walks a segment tree: no regex, no allocation beyond the params.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace cairn::http {

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;   // "GET", "POST", …; a GET route also answers HEAD
  // "/api/v1/micro-credentials/{id}"; a last segment "{name...}" captures the rest of the path
  // (slashes included, possibly empty), used for static files and the app fallback.
  std::string pattern;
  Handler handler;
  // The named authorisation policy the middleware checks ("public", "authenticated", …).
  std::string policy;
  std::size_t max_body = 1 << 20;
  std::string summary;
  // false: the handler never blocks (no database, disk or network), so it and the middleware run
  // on the I/O thread, saving two thread hand-offs. Middleware must then not block either for
  // such a route (e.g. skip session look-ups on public non-blocking routes).
  bool blocking = true;
  // true: the server reads only the header before dispatch; the handler pulls the body through
  // Request::body_reader (max_body still bounds a declared Content-Length). Needs blocking.
  bool stream_body = false;
  // Fields every response of this route carries, whoever produces it (a middleware refusal too),
  // e.g. tus's Tus-Resumable.
  Headers response_headers;
};

struct RouteMatch {
  // 200 with route set; 404 when no pattern matches the path; 405 when patterns match but none
  // for this method (allow lists the methods that would, "GET, HEAD, POST").
  int status = 404;
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::string allow;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Throws std::invalid_argument for a malformed pattern or a duplicate method+pattern: a
  // programming error caught at start-up.
  void Add(Route route);
  const std::vector<Route>& routes() const { return routes_; }
  // path is the raw (still percent-encoded) path without the query; segments are decoded
  // after splitting, so "%2F" inside an id never splits it.
  RouteMatch Match(std::string_view method, std::string_view raw_path) const;

 private:
  struct Node;
  std::vector<Route> routes_;
  // Per route, its parameter names in path order (a "{rest...}" name last).
  std::vector<std::vector<std::string>> param_names_;
  std::unique_ptr<Node> root_;
};

}  // namespace cairn::http
