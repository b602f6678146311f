#pragma once
// The OpenAPI 3.1 document: JSON fragments under src/http/openapi/ (each
// { "paths": {...}, "components": { "schemas": {...} } }, base.json adds info and servers) are
// embedded at build time and merged here. Tests validate real responses against it.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http/router.hpp"

namespace cairn::http {

// The merged document, built once from the embedded fragments. Throws std::runtime_error naming
// the fragment when two fragments define the same path+method or schema differently.
const nlohmann::json& OpenApiDocument();
// Merges fragments (name, parsed JSON) the same way; exposed for tests.
nlohmann::json MergeOpenApi(const std::vector<std::pair<std::string, nlohmann::json>>& fragments);

// GET /api/v1/openapi.json (public).
void AddOpenApiRoute(Router& router);

// Every route method+pattern missing under paths, or documented without any responses:
// "GET /api/v1/x/{id}: not documented". Catch-all "{path...}" routes are exempt.
std::vector<std::string> UndocumentedOperations(const Router& router, const nlohmann::json& doc);

// Validates a response body against the schema documented for method+pattern+status (then the
// "4XX"-style range, then "default"; an undocumented status is itself a problem). Returns problems
// as "/items/0/id: expected string"; empty when valid. Pass null as body for a bodiless response.
std::vector<std::string> ValidateResponse(const nlohmann::json& doc, std::string method,
                                          std::string pattern, int status,
                                          const nlohmann::json& body);

// JSON Schema (the subset OpenAPI 3.1 documents use) against instance; $ref resolves in doc.
std::vector<std::string> ValidateSchema(const nlohmann::json& doc, const nlohmann::json& schema,
                                        const nlohmann::json& instance);

}  // namespace cairn::http
