#pragma once
// Decoding request bodies so a handler can report every bad field at once, each located by an
// RFC 6901 JSON Pointer:
//
//   auto body = ParseJsonBody(req);
//   if (!body) return ProblemResponse(body.error());
//   JsonReader in(*body);
//   auto title = in.RequiredString("title", 200);
//   auto hours = in.OptionalInt("hours", 1, 1000);
//   if (auto done = in.Finish(); !done) return ProblemResponse(done.error());
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.hpp"
#include "http/request.hpp"

namespace cairn::http {

// Requires Content-Type application/json or application/<x>+json (charset utf-8 or none; else
// kUnsupportedMedia → 415), a non-empty body of valid UTF-8 (400), well-formed JSON nested at most
// kMaxJsonDepth deep (400, naming the byte offset) and a top-level object (400).
inline constexpr int kMaxJsonDepth = 64;
core::Result<nlohmann::json> ParseJsonBody(const Request& request);

// True when text is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view text);

// "a/b~c" → "a~1b~0c" (RFC 6901 §3).
std::string EscapePointerToken(std::string_view token);

inline constexpr std::size_t kDefaultMaxString = 10'000;

// Reads members of one JSON object. Readers for nested objects share the parent's error list,
// so one Finish() on the outermost reader reports everything. Optional members that are absent
// or null read as nullopt; use IsNull() where null means "clear" (merge patch).
class JsonReader {
 public:
  explicit JsonReader(const nlohmann::json& object);

  // Lengths count code points. A required string must not be empty or only whitespace.
  std::string RequiredString(std::string_view name, std::size_t max_length = kDefaultMaxString);
  std::optional<std::string> OptionalString(std::string_view name,
                                            std::size_t max_length = kDefaultMaxString);
  std::int64_t RequiredInt(std::string_view name, std::int64_t min, std::int64_t max);
  std::optional<std::int64_t> OptionalInt(std::string_view name, std::int64_t min,
                                          std::int64_t max);
  bool RequiredBool(std::string_view name);
  std::optional<bool> OptionalBool(std::string_view name);
  std::string RequiredEnum(std::string_view name, std::initializer_list<std::string_view> allowed);
  std::optional<std::string> OptionalEnum(std::string_view name,
                                          std::initializer_list<std::string_view> allowed);
  // A nested object; on error the returned reader reads an empty object (and adds no errors).
  JsonReader RequiredObject(std::string_view name);
  std::optional<JsonReader> OptionalObject(std::string_view name);
  // Arrays: the element readers/values in order; elements of the wrong type are reported.
  std::vector<std::string> StringArray(std::string_view name, bool required, std::size_t max_items,
                                       std::size_t max_length = kDefaultMaxString);
  std::vector<JsonReader> ObjectArray(std::string_view name, bool required, std::size_t max_items);
  // Any array, for element types the reader has no method for; nullptr when absent or wrong.
  const nlohmann::json* Array(std::string_view name, bool required, std::size_t max_items);

  bool Has(std::string_view name) const;     // present, even if null
  bool IsNull(std::string_view name) const;  // present and null
  // The pointer of a member of this object, for AddError.
  std::string PointerTo(std::string_view name) const;
  void AddError(std::string pointer, std::string message);

  bool ok() const;
  const std::vector<core::FieldError>& errors() const;
  // Reports members this reader (and its nested readers) never asked for, then returns all
  // field errors as one kInvalidInput error (→ 422), or Ok.
  core::Status Finish();

 private:
  struct State;
  JsonReader(const nlohmann::json* object, std::string pointer, std::shared_ptr<State> state);
  const nlohmann::json* Find(std::string_view name);

  const nlohmann::json* object_;
  std::string pointer_;
  // Shared by a reader and its nested readers: the errors and which members were asked for.
  std::shared_ptr<State> state_;
};

}  // namespace cairn::http
