#include "http/json_body.hpp"

#include <algorithm>
#include <set>

namespace cairn::http {

using nlohmann::json;

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsJsonMediaType(std::string_view content_type) {
  auto semi = content_type.find(';');
  std::string_view type = Trim(content_type.substr(0, semi));
  if (EqualsIgnoreCase(type, "application/json")) {
  } else if (type.size() > 17 && EqualsIgnoreCase(type.substr(0, 12), "application/") &&
             EqualsIgnoreCase(type.substr(type.size() - 5), "+json")) {
  } else {
    return false;
  }
  // JSON is UTF-8 (RFC 8259 §8.1); any other declared charset is a different representation.
  std::string_view params = semi == std::string_view::npos ? "" : content_type.substr(semi + 1);
  while (!params.empty()) {
    auto next = params.find(';');
    std::string_view param = Trim(params.substr(0, next));
    params = next == std::string_view::npos ? "" : params.substr(next + 1);
    auto eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (!EqualsIgnoreCase(Trim(param.substr(0, eq)), "charset")) continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
    if (!EqualsIgnoreCase(value, "utf-8") && !EqualsIgnoreCase(value, "utf8")) return false;
  }
  return true;
}

// Offset of the first invalid UTF-8 byte, or npos.
std::size_t InvalidUtf8Offset(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size(), i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

// nlohmann's parser recurses, so a body of 100k '[' would overflow the stack; count first.
std::size_t TooDeepOffset(std::string_view text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string TypeName(const json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
  if (v.is_number()) return "number";
  return v.type_name();
}

std::string OneOf(std::initializer_list<std::string_view> allowed) {
  std::string text;
  for (auto a : allowed) {
    if (!text.empty()) text += ", ";
    text += a;
  }
  return text;
}

const json& EmptyObject() {
  static const json kEmpty = json::object();
  return kEmpty;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  return InvalidUtf8Offset(text) == std::string_view::npos;
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

core::Result<json> ParseJsonBody(const Request& request) {
  auto content_type = request.headers.Get("Content-Type");
  if (!content_type || !IsJsonMediaType(*content_type))
    return core::Error{core::ErrorCode::kUnsupportedMedia,
                       "the request body must be application/json",
                       {},
                       {}};
  const std::string& body = request.body;
  if (body.empty()) return core::Error::InvalidInput("the request body is empty");
  if (auto bad = InvalidUtf8Offset(body); bad != std::string_view::npos)
    return core::Error::InvalidInput("the request body is not valid UTF-8 (byte offset " +
                                     std::to_string(bad) + ")");
  if (auto deep = TooDeepOffset(body); deep != std::string_view::npos)
    return core::Error::InvalidInput("the JSON body nests deeper than " +
                                     std::to_string(kMaxJsonDepth) + " levels (byte offset " +
                                     std::to_string(deep) + ")");
  json value;
  try {
    value = json::parse(body);
  } catch (const json::parse_error& e) {
    // e.byte counts from 1 and points at the byte that broke the parse.
    std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    return core::Error::InvalidInput("malformed JSON at byte offset " + std::to_string(offset));
  } catch (const json::out_of_range&) {
    // A number beyond double's range ("1E999"): well-formed JSON we cannot represent.
    return core::Error::InvalidInput("the JSON body holds a number too large to represent");
  }
  if (!value.is_object())
    return core::Error::InvalidInput("the JSON body must be an object, not " + TypeName(value));
  return value;
}

struct JsonReader::State {
  std::vector<core::FieldError> errors;
  std::set<std::string> seen;  // pointers of members some reader asked for
  std::vector<std::pair<const json*, std::string>> objects;  // every object read, with pointer
};

JsonReader::JsonReader(const json& object)
    : JsonReader(&object, "", std::make_shared<State>()) {}

JsonReader::JsonReader(const json* object, std::string pointer, std::shared_ptr<State> state)
    : object_(object->is_object() ? object : &EmptyObject()),
      pointer_(std::move(pointer)),
      state_(std::move(state)) {
  state_->objects.emplace_back(object_, pointer_);
}

std::string JsonReader::PointerTo(std::string_view name) const {
  return pointer_ + "/" + EscapePointerToken(name);
}

void JsonReader::AddError(std::string pointer, std::string message) {
  state_->errors.push_back({std::move(pointer), std::move(message)});
}

bool JsonReader::ok() const { return state_->errors.empty(); }
const std::vector<core::FieldError>& JsonReader::errors() const { return state_->errors; }

const json* JsonReader::Find(std::string_view name) {
  state_->seen.insert(PointerTo(name));
  auto it = object_->find(std::string(name));
  return it == object_->end() ? nullptr : &*it;
}

bool JsonReader::Has(std::string_view name) const {
  return object_->contains(std::string(name));
}

bool JsonReader::IsNull(std::string_view name) const {
  auto it = object_->find(std::string(name));
  return it != object_->end() && it->is_null();
}

std::optional<std::string> JsonReader::OptionalString(std::string_view name,
                                                      std::size_t max_length) {
  const json* v = Find(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    AddError(PointerTo(name), "must be a string, not " + TypeName(*v));
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (CodePoints(s) > max_length) {
    AddError(PointerTo(name), "must be at most " + std::to_string(max_length) + " characters");
    return std::nullopt;
  }
  return s;
}

std::string JsonReader::RequiredString(std::string_view name, std::size_t max_length) {
  const json* v = object_->contains(std::string(name)) ? &(*object_)[std::string(name)] : nullptr;
  if (!v || v->is_null()) {
    Find(name);
    AddError(PointerTo(name), "is required");
    return {};
  }
  auto s = OptionalString(name, max_length);
  if (!s) return {};
  if (s->find_first_not_of(" \t\r\n") == std::string::npos) {
    AddError(PointerTo(name), "must not be empty");
    return {};
  }
  return *s;
}

std::optional<std::int64_t> JsonReader::OptionalInt(std::string_view name, std::int64_t min,
                                                    std::int64_t max) {
  const json* v = Find(name);
  if (!v || v->is_null()) return std::nullopt;
  std::string range = "must be an integer from " + std::to_string(min) + " to " +
                      std::to_string(max);
  if (v->is_number_unsigned()) {
    auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX) || static_cast<std::int64_t>(u) > max ||
        static_cast<std::int64_t>(u) < min) {
      AddError(PointerTo(name), range);
      return std::nullopt;
    }
    return static_cast<std::int64_t>(u);
  }
  if (!v->is_number_integer()) {
    AddError(PointerTo(name), "must be an integer, not " + TypeName(*v));
    return std::nullopt;
  }
  auto i = v->get<std::int64_t>();
  if (i < min || i > max) {
    AddError(PointerTo(name), range);
    return std::nullopt;
  }
  return i;
}

std::int64_t JsonReader::RequiredInt(std::string_view name, std::int64_t min, std::int64_t max) {
  if (!Has(name) || IsNull(name)) {
    Find(name);
    AddError(PointerTo(name), "is required");
    return min;
  }
  return OptionalInt(name, min, max).value_or(min);
}

std::optional<bool> JsonReader::OptionalBool(std::string_view name) {
  const json* v = Find(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_boolean()) {
    AddError(PointerTo(name), "must be a boolean, not " + TypeName(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

bool JsonReader::RequiredBool(std::string_view name) {
  if (!Has(name) || IsNull(name)) {
    Find(name);
    AddError(PointerTo(name), "is required");
    return false;
  }
  return OptionalBool(name).value_or(false);
}

std::optional<std::string> JsonReader::OptionalEnum(
    std::string_view name, std::initializer_list<std::string_view> allowed) {
  const json* v = Find(name);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    for (auto a : allowed)
      if (s == a) return s;
  }
  AddError(PointerTo(name), "must be one of: " + OneOf(allowed));
  return std::nullopt;
}

std::string JsonReader::RequiredEnum(std::string_view name,
                                     std::initializer_list<std::string_view> allowed) {
  if (!Has(name) || IsNull(name)) {
    Find(name);
    AddError(PointerTo(name), "is required (one of: " + OneOf(allowed) + ")");
    return {};
  }
  return OptionalEnum(name, allowed).value_or("");
}

std::optional<JsonReader> JsonReader::OptionalObject(std::string_view name) {
  const json* v = Find(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_object()) {
    AddError(PointerTo(name), "must be an object, not " + TypeName(*v));
    return std::nullopt;
  }
  return JsonReader(v, PointerTo(name), state_);
}

JsonReader JsonReader::RequiredObject(std::string_view name) {
  if (!Has(name) || IsNull(name)) {
    Find(name);
    AddError(PointerTo(name), "is required");
    return JsonReader(&EmptyObject(), PointerTo(name), state_);
  }
  auto reader = OptionalObject(name);
  return reader ? std::move(*reader) : JsonReader(&EmptyObject(), PointerTo(name), state_);
}

const json* JsonReader::Array(std::string_view name, bool required, std::size_t max_items) {
  const json* v = Find(name);
  if (!v || v->is_null()) {
    if (required) AddError(PointerTo(name), "is required");
    return nullptr;
  }
  if (!v->is_array()) {
    AddError(PointerTo(name), "must be an array, not " + TypeName(*v));
    return nullptr;
  }
  if (v->size() > max_items) {
    AddError(PointerTo(name), "must have at most " + std::to_string(max_items) + " items");
    return nullptr;
  }
  return v;
}

std::vector<std::string> JsonReader::StringArray(std::string_view name, bool required,
                                                 std::size_t max_items, std::size_t max_length) {
  std::vector<std::string> out;
  const json* array = Array(name, required, max_items);
  if (!array) return out;
  std::string base = PointerTo(name);
  for (std::size_t i = 0; i < array->size(); ++i) {
    const json& item = (*array)[i];
    std::string pointer = base + "/" + std::to_string(i);
    if (!item.is_string()) {
      AddError(pointer, "must be a string, not " + TypeName(item));
    } else if (CodePoints(item.get_ref<const std::string&>()) > max_length) {
      AddError(pointer, "must be at most " + std::to_string(max_length) + " characters");
    } else {
      out.push_back(item.get<std::string>());
    }
  }
  return out;
}

std::vector<JsonReader> JsonReader::ObjectArray(std::string_view name, bool required,
                                                std::size_t max_items) {
  std::vector<JsonReader> out;
  const json* array = Array(name, required, max_items);
  if (!array) return out;
  std::string base = PointerTo(name);
  for (std::size_t i = 0; i < array->size(); ++i) {
    const json& item = (*array)[i];
    std::string pointer = base + "/" + std::to_string(i);
    if (!item.is_object()) {
      AddError(pointer, "must be an object, not " + TypeName(item));
      continue;
    }
    out.push_back(JsonReader(&item, pointer, state_));
  }
  return out;
}

core::Status JsonReader::Finish() {
  for (const auto& [object, pointer] : state_->objects) {
    for (const auto& [key, value] : object->items()) {
      std::string member = pointer + "/" + EscapePointerToken(key);
      if (!state_->seen.contains(member)) AddError(member, "is not a known member");
    }
  }
  state_->objects.clear();  // a second Finish() must not report them twice
  if (state_->errors.empty()) return core::Ok();
  std::size_t n = state_->errors.size();
  return core::Error::InvalidInput(
      n == 1 ? "1 field is invalid" : std::to_string(n) + " fields are invalid", state_->errors);
}

}  // namespace cairn::http
