#include "core/evidence/codec.hpp"

namespace cairn::core::evidence {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxEntries = 100;     // per part; requirements have far fewer
constexpr std::size_t kMaxText = 100'000;    // bytes per answer, far beyond any word limit
constexpr std::size_t kMaxUrl = 2'000;

void ReadStrings(const json& j, const char* key, const std::string& base,
                 std::vector<std::string>& out, std::vector<FieldError>& errors) {
  const std::string pointer = base + "/" + key;
  if (!j.contains(key)) return;
  const json& arr = j.at(key);
  if (!arr.is_array()) {
    errors.push_back({pointer, "must be an array of strings"});
    return;
  }
  if (arr.size() > kMaxEntries) {
    errors.push_back({pointer, "has too many entries"});
    return;
  }
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string at = pointer + "/" + std::to_string(i);
    if (arr[i].is_null()) {
      out.emplace_back();
    } else if (!arr[i].is_string()) {
      errors.push_back({at, "must be a string"});
      out.emplace_back();
    } else if (arr[i].get_ref<const std::string&>().size() > kMaxText) {
      errors.push_back({at, "is too long"});
      out.emplace_back();
    } else {
      out.push_back(arr[i].get<std::string>());
    }
  }
}

void ReadArtifact(const json& a, const std::string& at, ArtifactEntry& out,
                  std::vector<FieldError>& errors) {
  if (!a.is_object()) {
    errors.push_back({at, "must be an object"});
    return;
  }
  for (const auto& [key, value] : a.items()) {
    if (key == "requirement") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
          value.get<std::int64_t>() > 1000)
        errors.push_back({at + "/requirement", "must be a requirement index"});
      else
        out.requirement = value.get<int>();
    } else if (key == "file_id" || key == "url" || key == "caption") {
      if (value.is_null()) continue;
      if (!value.is_string()) {
        errors.push_back({at + "/" + key, "must be a string"});
        continue;
      }
      const auto& text = value.get_ref<const std::string&>();
      if (text.size() > (key == "caption" ? kMaxText : kMaxUrl)) {
        errors.push_back({at + "/" + key, "is too long"});
        continue;
      }
      (key == "file_id" ? out.file_id : key == "url" ? out.url : out.caption) = text;
    } else if (key == "shareable" || key == "consent_attested") {
      if (!value.is_boolean())
        errors.push_back({at + "/" + key, "must be true or false"});
      else
        (key == "shareable" ? out.shareable : out.consent_attested) = value.get<bool>();
    } else {
      errors.push_back({at + "/" + key, "is not a known field"});
    }
  }
  if (!a.contains("requirement")) errors.push_back({at + "/requirement", "is required"});
}

}  // namespace

json EncodeContent(const SubmissionContent& content) {
  json artifacts = json::array();
  for (const auto& a : content.artifacts) {
    json entry = {{"requirement", a.requirement},
                  {"caption", a.caption},
                  {"shareable", a.shareable},
                  {"consent_attested", a.consent_attested}};
    if (!a.file_id.empty()) entry["file_id"] = a.file_id;
    if (!a.url.empty()) entry["url"] = a.url;
    artifacts.push_back(std::move(entry));
  }
  return {{"overview", content.overview},
          {"artifacts", std::move(artifacts)},
          {"reflection", content.reflection}};
}

Result<SubmissionContent> DecodeContent(const json& j, const std::string& base) {
  if (!j.is_object()) return Error::InvalidInput("content must be a JSON object");
  SubmissionContent out;
  std::vector<FieldError> errors;
  ReadStrings(j, "overview", base, out.overview, errors);
  ReadStrings(j, "reflection", base, out.reflection, errors);
  if (j.contains("artifacts")) {
    const json& arr = j.at("artifacts");
    const std::string pointer = base + "/artifacts";
    if (!arr.is_array()) {
      errors.push_back({pointer, "must be an array of artifacts"});
    } else if (arr.size() > kMaxEntries) {
      errors.push_back({pointer, "has too many entries"});
    } else {
      for (std::size_t i = 0; i < arr.size(); ++i) {
        ArtifactEntry entry;
        ReadArtifact(arr[i], pointer + "/" + std::to_string(i), entry, errors);
        out.artifacts.push_back(std::move(entry));
      }
    }
  }
  if (!errors.empty()) return Error::InvalidInput("the draft is malformed", std::move(errors));
  return out;
}

}  // namespace cairn::core::evidence
