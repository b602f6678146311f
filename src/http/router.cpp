#include "http/router.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>

namespace cairn::http {

namespace {

bool IsCatchAll(std::string_view segment) {
  return segment.size() > 5 && segment.front() == '{' && segment.ends_with("...}");
}
bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// "/a/b" → {"a","b"}; "/" → {}.
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path == "/") return segments;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

}  // namespace

struct Router::Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> param;
  // method → route index, for routes ending here, and for "{x...}" routes anchored here.
  std::vector<std::pair<std::string, std::size_t>> methods;
  std::vector<std::pair<std::string, std::size_t>> catch_all;
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::Add(Route route) {
  if (route.method.empty() || route.pattern.empty() || route.pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + route.pattern);
  if (!route.handler) throw std::invalid_argument("route without handler: " + route.pattern);
  if (route.stream_body && !route.blocking)
    throw std::invalid_argument("a streaming body needs a blocking route: " + route.pattern);
  auto segments = Split(route.pattern);
  Node* node = root_.get();
  bool catch_all = false;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    std::string_view segment = segments[i];
    if (IsCatchAll(segment)) {
      if (i + 1 != segments.size())
        throw std::invalid_argument("{name...} must be the last segment: " + route.pattern);
      catch_all = true;
      names.emplace_back(segment.substr(1, segment.size() - 5));
      break;
    }
    if (IsParam(segment)) {
      if (segment.find_first_of("{}/", 1) != segment.size() - 1)
        throw std::invalid_argument("malformed parameter in " + route.pattern);
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
      names.emplace_back(segment.substr(1, segment.size() - 2));
      continue;
    }
    if (segment.find_first_of("{}") != std::string_view::npos || segment.empty())
      throw std::invalid_argument("malformed segment in " + route.pattern);
    Node* next = nullptr;
    for (auto& [text, child] : node->literals)
      if (text == segment) next = child.get();
    if (!next) {
      node->literals.emplace_back(std::string(segment), std::make_unique<Node>());
      next = node->literals.back().second.get();
    }
    node = next;
  }
  auto& table = catch_all ? node->catch_all : node->methods;
  for (const auto& [method, index] : table)
    if (method == route.method)
      throw std::invalid_argument("duplicate route " + route.method + " " + route.pattern);
  table.emplace_back(route.method, routes_.size());
  routes_.push_back(std::move(route));
  param_names_.push_back(std::move(names));
}

namespace {

struct Search {
  std::string_view method;
  const std::vector<std::string_view>& segments;
  std::vector<std::string_view> captured;  // raw param values along the current branch
  std::size_t found = SIZE_MAX;            // route index
  std::vector<std::string_view> found_captured;
  std::string_view found_rest;
  bool rest_is_catch_all = false;
  std::vector<std::string> allow;  // methods of exact path matches (not catch-alls) for 405
  bool bad_encoding = false;
};

bool SegmentEquals(std::string_view raw, std::string_view literal, bool& bad) {
  if (raw.find('%') == std::string_view::npos) return raw == literal;
  auto decoded = PercentDecode(raw);
  if (!decoded) {
    bad = true;
    return false;
  }
  return *decoded == literal;
}

std::optional<std::size_t> Pick(const std::vector<std::pair<std::string, std::size_t>>& table,
                                std::string_view method) {
  for (const auto& [m, index] : table)
    if (m == method) return index;
  if (method == "HEAD")
    for (const auto& [m, index] : table)
      if (m == "GET") return index;
  return std::nullopt;
}

}  // namespace

// Depth-first: literal beats {param} beats {rest...} at each segment, backtracking when a deeper
// segment fails, so "/x/special" (POST only) does not hide "GET /x/{id}".
template <class NodeT>
static bool Walk(const NodeT* node, std::size_t i, Search& s) {
  if (i == s.segments.size()) {
    if (auto index = Pick(node->methods, s.method)) {
      s.found = *index;
      s.found_captured = s.captured;
      s.rest_is_catch_all = false;
      return true;
    }
    for (const auto& [m, index] : node->methods) s.allow.push_back(m);
  } else {
    for (const auto& [text, child] : node->literals)
      if (SegmentEquals(s.segments[i], text, s.bad_encoding) && Walk(child.get(), i + 1, s))
        return true;
    if (node->param && !s.segments[i].empty()) {
      s.captured.push_back(s.segments[i]);
      if (Walk(node->param.get(), i + 1, s)) return true;
      s.captured.pop_back();
    }
  }
  if (auto index = Pick(node->catch_all, s.method)) {
    s.found = *index;
    s.found_captured = s.captured;
    s.rest_is_catch_all = true;
    // The rest of the raw path from segment i on.
    if (i < s.segments.size()) {
      const char* begin = s.segments[i].data();
      const char* end = s.segments.back().data() + s.segments.back().size();
      s.found_rest = std::string_view(begin, static_cast<std::size_t>(end - begin));
    } else {
      s.found_rest = {};
    }
    return true;
  }
  return false;
}

RouteMatch Router::Match(std::string_view method, std::string_view raw_path) const {
  RouteMatch match;
  if (raw_path.empty() || raw_path.front() != '/') return match;
  auto segments = Split(raw_path);
  Search search{method, segments, {}, SIZE_MAX, {}, {}, false, {}, false};
  if (!Walk(root_.get(), 0, search)) {
    if (search.bad_encoding) {
      match.status = 400;
      return match;
    }
    if (!search.allow.empty()) {
      match.status = 405;
      bool has_get = false, has_head = false;
      std::vector<std::string> methods;
      for (auto& m : search.allow) {
        if (std::find(methods.begin(), methods.end(), m) == methods.end()) methods.push_back(m);
        has_get |= m == "GET";
        has_head |= m == "HEAD";
      }
      if (has_get && !has_head) methods.push_back("HEAD");
      std::sort(methods.begin(), methods.end());
      for (const auto& m : methods) {
        if (!match.allow.empty()) match.allow += ", ";
        match.allow += m;
      }
    }
    return match;
  }
  const Route& route = routes_[search.found];
  const auto& names = param_names_[search.found];
  for (std::size_t k = 0; k < names.size(); ++k) {
    bool rest = search.rest_is_catch_all && k + 1 == names.size();
    auto decoded = PercentDecode(rest ? search.found_rest : search.found_captured[k]);
    if (!decoded) {
      match.status = 400;
      return match;
    }
    match.params.emplace(names[k], std::move(*decoded));
  }
  match.status = 200;
  match.route = &route;
  return match;
}

}  // namespace cairn::http
