#pragma once
// The one JSON shape of a micro-credential's content: what the API accepts, what it returns, what
// the demo file holds and what storage keeps as the version's document. Decoding is strict:
// a wrong type, a missing field or an unknown field is a FieldError at its JSON Pointer.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/catalog/micro_credential.hpp"
#include "core/common/result.hpp"

namespace cairn::core::catalog {

// Decodes content from a JSON object whose top level may also hold `extra_keys` (for example
// "issuer_id" or "revision"), which the caller reads itself.
Result<Content> DecodeContent(const nlohmann::json& body,
                              const std::vector<std::string>& extra_keys = {});

nlohmann::json EncodeContent(const Content& content);

// Metadata and content together: id, issuer, version, state, revision, times, then content.
nlohmann::json EncodeMicroCredential(const MicroCredential& mc);

// RFC 6901 escaping of one reference token ("a/b" -> "a~1b").
std::string EscapePointerToken(std::string_view token);

}  // namespace cairn::core::catalog
