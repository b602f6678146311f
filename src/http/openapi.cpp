#include "http/openapi.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>

namespace cairn::http {

using nlohmann::json;

// Generated from src/http/openapi/*.json by embed_openapi.cmake.
const std::vector<std::pair<std::string_view, std::string_view>>& OpenApiFragments();

namespace {

constexpr std::string_view kMethods[] = {"get", "put", "post", "delete", "options", "head",
                                         "patch", "trace"};

bool IsMethod(std::string_view key) {
  for (auto m : kMethods)
    if (key == m) return true;
  return false;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Follows a local "$ref" ("#/components/responses/X") if the object is one.
const json& Deref(const json& doc, const json& node) {
  const json* current = &node;
  for (int hops = 0; hops < 16 && current->is_object() && current->contains("$ref"); ++hops) {
    const auto& ref = (*current)["$ref"];
    if (!ref.is_string() || !ref.get_ref<const std::string&>().starts_with("#")) break;
    try {
      current = &doc.at(json::json_pointer(ref.get<std::string>().substr(1)));
    } catch (const json::exception&) {
      break;
    }
  }
  return *current;
}

constexpr std::string_view kIdempotencyKeyRef = "#/components/parameters/IdempotencyKey";

// The idempotency middleware accepts Idempotency-Key on every state-changing route but tus (whose
// own offsets make a PATCH safe to repeat), so the merged document says so once here rather than
// in every fragment; an operation that already lists it keeps a single reference.
void ReferenceIdempotencyKey(json& doc) {
  if (!doc["components"].contains("parameters") ||
      !doc["components"]["parameters"].contains("IdempotencyKey"))
    return;
  for (auto& [path, item] : doc["paths"].items()) {
    if (path == "/api/v1/uploads" || path.starts_with("/api/v1/uploads/")) continue;
    for (auto& [method, operation] : item.items()) {
      if (method != "post" && method != "put" && method != "patch" && method != "delete") continue;
      auto& parameters = operation["parameters"];
      if (parameters.is_null()) parameters = json::array();
      const bool listed = std::any_of(parameters.begin(), parameters.end(), [](const json& p) {
        return p.is_object() && p.value("$ref", "") == kIdempotencyKeyRef;
      });
      if (!listed) parameters.push_back({{"$ref", kIdempotencyKeyRef}});
    }
  }
}

}  // namespace

json MergeOpenApi(const std::vector<std::pair<std::string, json>>& fragments) {
  json doc = {{"openapi", "3.1.0"}, {"paths", json::object()}, {"components", json::object()}};
  for (const auto& [name, fragment] : fragments) {
    if (!fragment.is_object()) throw std::runtime_error(name + ": a fragment must be an object");
    for (const auto& [key, value] : fragment.items()) {
      if (key == "paths" || key == "components") continue;
      // Top-level members (info, servers, tags, …) come from base.json; others may add, not
      // contradict.
      if (doc.contains(key) && key != "openapi" && doc[key] != value)
        throw std::runtime_error(name + ": conflicting top-level member " + key);
      doc[key] = value;
    }
    if (fragment.contains("paths")) {
      for (const auto& [path, item] : fragment["paths"].items()) {
        auto& target = doc["paths"][path];
        if (target.is_null()) target = json::object();
        for (const auto& [key, value] : item.items()) {
          if (!target.contains(key)) {
            target[key] = value;
          } else if (IsMethod(key) || target[key] != value) {
            throw std::runtime_error(name + ": " + key + " " + path + " is defined twice");
          }
        }
      }
    }
    if (fragment.contains("components")) {
      for (const auto& [section, entries] : fragment["components"].items()) {
        auto& target = doc["components"][section];
        if (target.is_null()) target = json::object();
        for (const auto& [entry, value] : entries.items()) {
          if (target.contains(entry) && target[entry] != value)
            throw std::runtime_error(name + ": components/" + section + "/" + entry +
                                     " differs from an earlier fragment");
          target[entry] = value;
        }
      }
    }
  }
  return doc;
}

const json& OpenApiDocument() {
  static const json kDocument = [] {
    std::vector<std::pair<std::string, json>> fragments;
    for (const auto& [name, text] : OpenApiFragments()) {
      try {
        fragments.emplace_back(std::string(name), json::parse(text));
      } catch (const json::parse_error& e) {
        throw std::runtime_error("openapi/" + std::string(name) + ": " + e.what());
      }
    }
    // base.json first, so its info and servers lead the document.
    std::stable_partition(fragments.begin(), fragments.end(),
                          [](const auto& f) { return f.first == "base.json"; });
    json doc = MergeOpenApi(fragments);
    ReferenceIdempotencyKey(doc);
    return doc;
  }();
  return kDocument;
}

void AddOpenApiRoute(Router& router) {
  router.Add({"GET", "/api/v1/openapi.json",
              [](Request&) {
                static const std::string kBody = OpenApiDocument().dump();
                return TextResponse(200, kBody, kJsonType);
              },
              "public", 0, "This API's OpenAPI 3.1 document"});
}

std::vector<std::string> UndocumentedOperations(const Router& router, const json& doc) {
  std::vector<std::string> missing;
  const json* paths = doc.contains("paths") ? &doc["paths"] : nullptr;
  for (const auto& route : router.routes()) {
    if (route.pattern.find("...}") != std::string::npos) continue;
    std::string name = route.method + " " + route.pattern;
    std::string method = Lower(route.method);
    if (!paths || !paths->contains(route.pattern) || !(*paths)[route.pattern].contains(method)) {
      missing.push_back(name + ": not documented");
      continue;
    }
    const json& operation = (*paths)[route.pattern][method];
    if (!operation.contains("responses") || !operation["responses"].is_object() ||
        operation["responses"].empty())
      missing.push_back(name + ": no responses documented");
  }
  return missing;
}

std::vector<std::string> ValidateResponse(const json& doc, std::string method, std::string pattern,
                                          int status, const json& body) {
  method = Lower(std::move(method));
  const json* operation = nullptr;
  if (doc.contains("paths") && doc["paths"].contains(pattern) &&
      doc["paths"][pattern].contains(method))
    operation = &doc["paths"][pattern][method];
  if (!operation) return {method + " " + pattern + ": not documented"};
  const json& responses = operation->value("responses", json::object());
  std::string code = std::to_string(status);
  std::string range = code.substr(0, 1) + "XX";
  const json* response = nullptr;
  for (const auto& key : {code, range, std::string("default")})
    if (responses.contains(key)) {
      response = &responses[key];
      break;
    }
  if (!response) return {method + " " + pattern + ": status " + code + " not documented"};
  const json& resolved = Deref(doc, *response);
  if (!resolved.contains("content") || resolved["content"].empty()) {
    if (body.is_null()) return {};
    return {method + " " + pattern + " " + code + ": documented without a body"};
  }
  const json& content = resolved["content"];
  const json* media = nullptr;
  for (const char* type : {"application/json", "application/problem+json"})
    if (content.contains(type)) {
      media = &content[type];
      break;
    }
  if (!media)
    for (const auto& [type, value] : content.items())
      if (type.find("json") != std::string::npos) {
        media = &value;
        break;
      }
  if (!media) return {method + " " + pattern + " " + code + ": no JSON content documented"};
  if (!media->contains("schema")) return {};
  return ValidateSchema(doc, (*media)["schema"], body);
}

}  // namespace cairn::http
