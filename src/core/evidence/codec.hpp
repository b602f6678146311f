#pragma once
// JSON for submission content: the stored form of drafts and frozen attempts, and the request
// body of a draft save. Decoding reports every malformed field by JSON Pointer.
#include <nlohmann/json.hpp>

#include "core/common/result.hpp"
#include "core/evidence/evidence.hpp"

namespace cairn::core::evidence {

nlohmann::json EncodeContent(const SubmissionContent& content);
// `base` prefixes the pointers of field errors ("" when the content is the whole document).
Result<SubmissionContent> DecodeContent(const nlohmann::json& j, const std::string& base = "");

}  // namespace cairn::core::evidence
