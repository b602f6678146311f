#include "http/openapi.hpp"

#include <gtest/gtest.h>

#include "http/server.hpp"

namespace cairn::http {
namespace {

using nlohmann::json;

json Doc() {
  return json::parse(R"({
    "openapi": "3.1.0",
    "paths": {
      "/things/{id}": {
        "get": {
          "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
            "4XX": {"$ref": "#/components/responses/Problem"},
            "204": {"description": "nothing"}
          }
        }
      }
    },
    "components": {
      "schemas": {
        "Thing": {
          "type": "object",
          "required": ["id", "name", "created_at"],
          "properties": {
            "id": {"type": "string", "minLength": 3},
            "name": {"type": "string", "maxLength": 5},
            "count": {"type": "integer", "minimum": 0, "maximum": 10},
            "ratio": {"type": ["number", "null"], "exclusiveMaximum": 1},
            "kind": {"enum": ["a", "b"]},
            "version": {"const": 1},
            "created_at": {"type": "string", "format": "date-time"},
            "owner": {"type": "string", "format": "email"},
            "home": {"type": "string", "format": "uri"},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2, "uniqueItems": true},
            "detail": {"oneOf": [{"type": "string"}, {"type": "object", "properties": {"x": {"type": "integer"}}, "additionalProperties": false}]},
            "either": {"anyOf": [{"type": "integer"}, {"type": "boolean"}]},
            "both": {"allOf": [{"type": "string"}, {"minLength": 2}]}
          },
          "additionalProperties": false
        },
        "Problem": {"type": "object", "required": ["status"], "properties": {"status": {"type": "integer"}}}
      },
      "responses": {
        "Problem": {"description": "error", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
      }
    }
  })");
}

TEST(SchemaTest, AcceptsAValidInstance) {
  json thing = {{"id", "th_1"},         {"name", "Box"},
                {"count", 3},           {"ratio", nullptr},
                {"kind", "a"},          {"version", 1},
                {"created_at", "2026-11-23T03:41:00Z"},
                {"owner", "ada@example.org"},
                {"home", "https://example.org/x"},
                {"tags", {"x", "y"}},   {"detail", {{"x", 1}}},
                {"either", true},       {"both", "ok"}};
  EXPECT_EQ(ValidateResponse(Doc(), "GET", "/things/{id}", 200, thing),
            std::vector<std::string>{});
}

TEST(SchemaTest, ReportsEachViolationWithItsPointer) {
  json thing = {{"id", "t"},          {"name", "Too long"},
                {"count", 11},        {"ratio", 1},
                {"kind", "c"},        {"version", 2},
                {"created_at", "yesterday"},
                {"owner", "not an email"},
                {"home", "no scheme"},
                {"tags", {"x", "x", "y"}},
                {"detail", 5},        {"either", "s"},
                {"both", "s"},        {"surprise", 1}};
  auto errors = ValidateResponse(Doc(), "get", "/things/{id}", 200, thing);
  std::vector<std::string> expected = {
      "/both: shorter than 2",
      "/count: greater than the maximum 10",
      "/created_at: not a valid date-time",
      "/detail: matches 0 of oneOf, not exactly 1",
      "/either: matches none of anyOf",
      "/home: not a valid uri",
      "/id: shorter than 3",
      "/kind: not one of the allowed values [\"a\",\"b\"]",
      "/name: longer than 5",
      "/owner: not a valid email",
      "/ratio: not less than 1",
      "/surprise: is not an allowed property",
      "/tags: more than 2 items",
      "/tags: items are not unique",
      "/version: must equal 1",
  };
  EXPECT_EQ(errors, expected);
}

TEST(SchemaTest, TypesRequiredAndRanges) {
  json doc = Doc();
  EXPECT_EQ(ValidateResponse(doc, "GET", "/things/{id}", 200, json::array()),
            std::vector<std::string>{"/: expected object, got array"});
  EXPECT_EQ(ValidateResponse(doc, "GET", "/things/{id}", 200, {{"id", "abc"}, {"name", "n"}}),
            std::vector<std::string>{"/created_at: is required"});
  // 404 falls to the 4XX range, which is a $ref to a shared response.
  EXPECT_TRUE(ValidateResponse(doc, "GET", "/things/{id}", 404, {{"status", 404}}).empty());
  EXPECT_EQ(ValidateResponse(doc, "GET", "/things/{id}", 404, {{"status", "404"}}),
            std::vector<std::string>{"/status: expected integer, got string"});
  EXPECT_EQ(ValidateResponse(doc, "GET", "/things/{id}", 500, json::object()),
            std::vector<std::string>{"get /things/{id}: status 500 not documented"});
  EXPECT_EQ(ValidateResponse(doc, "POST", "/things/{id}", 200, json::object()),
            std::vector<std::string>{"post /things/{id}: not documented"});
  EXPECT_TRUE(ValidateResponse(doc, "GET", "/things/{id}", 204, nullptr).empty());
  EXPECT_FALSE(ValidateResponse(doc, "GET", "/things/{id}", 204, json::object()).empty());
}

TEST(SchemaTest, RefCyclesEndWithAnErrorNotAStackOverflow) {
  json doc = {{"components", {{"schemas", {{"Loop", {{"$ref", "#/components/schemas/Loop"}}}}}}}};
  auto errors = ValidateSchema(doc, {{"$ref", "#/components/schemas/Loop"}}, 1);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].find("too deep"), std::string::npos);
  EXPECT_EQ(ValidateSchema(doc, {{"$ref", "#/components/schemas/Nope"}}, 1),
            std::vector<std::string>{"/: unresolvable $ref #/components/schemas/Nope"});
}

TEST(OpenApiTest, MergesFragmentsAndRejectsConflicts) {
  json base = {{"openapi", "3.1.0"},
               {"info", {{"title", "T"}, {"version", "1"}}},
               {"paths", {{"/a", {{"get", {{"responses", {{"200", {{"description", "x"}}}}}}}}}}},
               {"components", {{"schemas", {{"S", {{"type", "string"}}}}}}}};
  json other = {{"paths", {{"/a", {{"post", {{"responses", {{"201", {{"description", "y"}}}}}}}}},
                           {"/b", {{"get", {{"responses", {{"200", {{"description", "z"}}}}}}}}}}},
                {"components", {{"schemas", {{"S", {{"type", "string"}}}, {"T", {{"type", "integer"}}}}}}}};
  json merged = MergeOpenApi({{"base.json", base}, {"other.json", other}});
  EXPECT_EQ(merged["info"]["title"], "T");
  EXPECT_TRUE(merged["paths"]["/a"].contains("get"));
  EXPECT_TRUE(merged["paths"]["/a"].contains("post"));
  EXPECT_TRUE(merged["paths"].contains("/b"));
  EXPECT_EQ(merged["components"]["schemas"]["T"]["type"], "integer");

  json clash = {{"paths", {{"/a", {{"get", {{"responses", json::object()}}}}}}}};
  try {
    MergeOpenApi({{"base.json", base}, {"clash.json", clash}});
    FAIL() << "expected a conflict";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "clash.json: get /a is defined twice");
  }
  json schema_clash = {{"components", {{"schemas", {{"S", {{"type", "integer"}}}}}}}};
  EXPECT_THROW(MergeOpenApi({{"base.json", base}, {"s.json", schema_clash}}), std::runtime_error);
}

TEST(OpenApiTest, EmbeddedDocumentDocumentsTheOperationalRoutes) {
  const json& doc = OpenApiDocument();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc["info"]["title"], "Cairn API");
  Router router;
  ServerOptions options;
  options.port = 0;
  options.handle_signals = false;
  Server server(options, router, {});
  AddOperationalRoutes(router, server);
  AddOpenApiRoute(router);
  EXPECT_EQ(UndocumentedOperations(router, doc), std::vector<std::string>{});
  router.Add({"DELETE", "/api/v1/undocumented/{id}", [](Request&) { return Response{}; }});
  EXPECT_EQ(UndocumentedOperations(router, doc),
            std::vector<std::string>{"DELETE /api/v1/undocumented/{id}: not documented"});
  // Every schema the fragments reference must resolve.
  std::vector<std::string> broken;
  std::function<void(const json&)> walk = [&](const json& node) {
    if (node.is_object()) {
      if (auto ref = node.find("$ref"); ref != node.end() && ref->is_string()) {
        try {
          (void)doc.at(json::json_pointer(ref->get<std::string>().substr(1)));
        } catch (const json::exception&) {
          broken.push_back(ref->get<std::string>());
        }
      }
      for (const auto& [k, v] : node.items()) walk(v);
    } else if (node.is_array()) {
      for (const auto& v : node) walk(v);
    }
  };
  walk(doc);
  EXPECT_EQ(broken, std::vector<std::string>{});
}

TEST(OpenApiTest, EveryStateChangingOperationButTusTakesAnIdempotencyKey) {
  const json& doc = OpenApiDocument();
  ASSERT_TRUE(doc["components"]["parameters"].contains("IdempotencyKey"));
  const std::string ref = "#/components/parameters/IdempotencyKey";
  std::vector<std::string> wrong;
  int changing = 0, uploads = 0;
  for (const auto& [path, item] : doc["paths"].items()) {
    const bool tus = path == "/api/v1/uploads" || path.starts_with("/api/v1/uploads/");
    for (const auto& [method, operation] : item.items()) {
      if (method != "post" && method != "put" && method != "patch" && method != "delete") continue;
      int refs = 0;
      for (const auto& p : operation.value("parameters", json::array()))
        refs += p.value("$ref", "") == ref ? 1 : 0;
      (tus ? uploads : changing) += 1;
      if (refs != (tus ? 0 : 1))
        wrong.push_back(method + " " + path + ": " + std::to_string(refs) + " references");
    }
  }
  EXPECT_EQ(wrong, std::vector<std::string>{});
  // The identity, catalog and tus routes are always in the document, so both sides are covered.
  EXPECT_GT(changing, 10);
  EXPECT_GT(uploads, 0);
  // The reference resolves to the header parameter.
  const json& parameter = doc.at(json::json_pointer(ref.substr(1)));
  EXPECT_EQ(parameter["name"], "Idempotency-Key");
  EXPECT_EQ(parameter["in"], "header");
}

}  // namespace
}  // namespace cairn::http
