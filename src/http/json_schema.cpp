// JSON Schema 2020-12, the subset OpenAPI 3.1 documents use. Enough to catch a response that
// drifts from its documentation; not a general validator (no $dynamicRef, no remote $ref).
#include <cmath>

#include "core/common/clock.hpp"
#include "http/json_body.hpp"
#include "http/openapi.hpp"

namespace cairn::http {

using nlohmann::json;

namespace {

constexpr int kMaxDepth = 64;

std::size_t CodePoints(const std::string& s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

bool HasType(const json& instance, std::string_view type) {
  if (type == "null") return instance.is_null();
  if (type == "boolean") return instance.is_boolean();
  if (type == "object") return instance.is_object();
  if (type == "array") return instance.is_array();
  if (type == "string") return instance.is_string();
  if (type == "number") return instance.is_number();
  if (type == "integer") {
    if (instance.is_number_integer()) return true;
    if (instance.is_number_float()) {
      double d = instance.get<double>();
      return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
  }
  return false;
}

std::string Describe(const json& instance) {
  if (instance.is_number_integer()) return "integer";
  return instance.type_name();
}

bool CheckFormat(std::string_view format, const std::string& value) {
  if (format == "date-time") {
    core::TimePoint t;
    return core::ParseTime(value, t);
  }
  if (format == "email") {
    auto at = value.find('@');
    return at != std::string::npos && at > 0 && at + 1 < value.size() &&
           value.find('@', at + 1) == std::string::npos &&
           value.find_first_of(" \t\r\n") == std::string::npos &&
           value.find('.', at) != std::string::npos;
  }
  if (format == "uri") {
    auto colon = value.find(':');
    if (colon == std::string::npos || colon == 0) return false;
    if (!std::isalpha(static_cast<unsigned char>(value[0]))) return false;
    for (std::size_t i = 1; i < colon; ++i) {
      char c = value[i];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
        return false;
    }
    return value.find_first_of(" \t\r\n<>\"") == std::string::npos;
  }
  return true;  // other formats are annotations here
}

class Validator {
 public:
  explicit Validator(const json& doc) : doc_(doc) {}

  void Validate(const json& schema, const json& instance, const std::string& at, int depth) {
    if (depth > kMaxDepth) {
      Fail(at, "schema nesting too deep (a $ref cycle?)");
      return;
    }
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) Fail(at, "no value is allowed here");
      return;
    }
    if (!schema.is_object()) return;

    if (auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
      const std::string& target = ref->get_ref<const std::string&>();
      const json* resolved = nullptr;
      if (target.starts_with("#")) {
        try {
          resolved = &doc_.at(json::json_pointer(target.substr(1)));
        } catch (const json::exception&) {
        }
      }
      if (!resolved) {
        Fail(at, "unresolvable $ref " + target);
        return;
      }
      Validate(*resolved, instance, at, depth + 1);
    }

    // OpenAPI 3.0's nullable, still common in hand-written fragments.
    if (instance.is_null() && schema.value("nullable", false)) return;

    if (auto type = schema.find("type"); type != schema.end()) {
      bool ok = false;
      std::string expected;
      if (type->is_string()) {
        ok = HasType(instance, type->get_ref<const std::string&>());
        expected = type->get<std::string>();
      } else if (type->is_array()) {
        for (const auto& t : *type) {
          if (!t.is_string()) continue;
          ok = ok || HasType(instance, t.get_ref<const std::string&>());
          expected += (expected.empty() ? "" : " or ") + t.get<std::string>();
        }
      }
      if (!ok) {
        Fail(at, "expected " + expected + ", got " + Describe(instance));
        return;
      }
    }
    if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
      bool found = false;
      for (const auto& v : *e) found = found || v == instance;
      if (!found) Fail(at, "not one of the allowed values " + e->dump());
    }
    if (auto c = schema.find("const"); c != schema.end() && *c != instance)
      Fail(at, "must equal " + c->dump());

    if (instance.is_string()) CheckString(schema, instance.get_ref<const std::string&>(), at);
    if (instance.is_number()) CheckNumber(schema, instance.get<double>(), at);
    if (instance.is_object()) CheckObject(schema, instance, at, depth);
    if (instance.is_array()) CheckArray(schema, instance, at, depth);

    if (auto all = schema.find("allOf"); all != schema.end() && all->is_array())
      for (const auto& sub : *all) Validate(sub, instance, at, depth + 1);
    if (auto any = schema.find("anyOf"); any != schema.end() && any->is_array()) {
      if (CountMatches(*any, instance, at, depth) == 0) Fail(at, "matches none of anyOf");
    }
    if (auto one = schema.find("oneOf"); one != schema.end() && one->is_array()) {
      auto n = CountMatches(*one, instance, at, depth);
      if (n != 1) Fail(at, "matches " + std::to_string(n) + " of oneOf, not exactly 1");
    }
    if (auto n = schema.find("not"); n != schema.end()) {
      Validator sub(doc_);
      sub.Validate(*n, instance, at, depth + 1);
      if (sub.errors_.empty()) Fail(at, "matches a schema it must not");
    }
  }

  std::vector<std::string> errors_;

 private:
  void Fail(const std::string& at, const std::string& message) {
    errors_.push_back((at.empty() ? "/" : at) + ": " + message);
  }

  int CountMatches(const json& schemas, const json& instance, const std::string& at, int depth) {
    int n = 0;
    for (const auto& sub : schemas) {
      Validator v(doc_);
      v.Validate(sub, instance, at, depth + 1);
      if (v.errors_.empty()) ++n;
    }
    return n;
  }

  void CheckString(const json& schema, const std::string& value, const std::string& at) {
    if (auto m = schema.find("minLength"); m != schema.end() && m->is_number_unsigned() &&
                                           CodePoints(value) < m->get<std::size_t>())
      Fail(at, "shorter than " + m->dump());
    if (auto m = schema.find("maxLength"); m != schema.end() && m->is_number_unsigned() &&
                                           CodePoints(value) > m->get<std::size_t>())
      Fail(at, "longer than " + m->dump());
    if (auto f = schema.find("format"); f != schema.end() && f->is_string() &&
                                        !CheckFormat(f->get_ref<const std::string&>(), value))
      Fail(at, "not a valid " + f->get<std::string>());
  }

  void CheckNumber(const json& schema, double value, const std::string& at) {
    if (auto m = schema.find("minimum"); m != schema.end() && m->is_number() &&
                                         value < m->get<double>())
      Fail(at, "less than the minimum " + m->dump());
    if (auto m = schema.find("maximum"); m != schema.end() && m->is_number() &&
                                         value > m->get<double>())
      Fail(at, "greater than the maximum " + m->dump());
    if (auto m = schema.find("exclusiveMinimum"); m != schema.end() && m->is_number() &&
                                                  value <= m->get<double>())
      Fail(at, "not greater than " + m->dump());
    if (auto m = schema.find("exclusiveMaximum"); m != schema.end() && m->is_number() &&
                                                  value >= m->get<double>())
      Fail(at, "not less than " + m->dump());
  }

  void CheckObject(const json& schema, const json& instance, const std::string& at, int depth) {
    if (auto r = schema.find("required"); r != schema.end() && r->is_array())
      for (const auto& name : *r)
        if (name.is_string() && !instance.contains(name.get<std::string>()))
          Fail(at + "/" + EscapePointerToken(name.get<std::string>()), "is required");
    const json* properties = nullptr;
    if (auto p = schema.find("properties"); p != schema.end() && p->is_object()) properties = &*p;
    auto additional = schema.find("additionalProperties");
    for (const auto& [key, value] : instance.items()) {
      std::string child = at + "/" + EscapePointerToken(key);
      if (properties && properties->contains(key)) {
        Validate((*properties)[key], value, child, depth + 1);
      } else if (additional != schema.end()) {
        if (additional->is_boolean() && !additional->get<bool>())
          Fail(child, "is not an allowed property");
        else if (additional->is_object())
          Validate(*additional, value, child, depth + 1);
      }
    }
    if (auto m = schema.find("minProperties"); m != schema.end() && m->is_number_unsigned() &&
                                               instance.size() < m->get<std::size_t>())
      Fail(at, "fewer than " + m->dump() + " properties");
    if (auto m = schema.find("maxProperties"); m != schema.end() && m->is_number_unsigned() &&
                                               instance.size() > m->get<std::size_t>())
      Fail(at, "more than " + m->dump() + " properties");
  }

  void CheckArray(const json& schema, const json& instance, const std::string& at, int depth) {
    if (auto items = schema.find("items"); items != schema.end() &&
                                           (items->is_object() || items->is_boolean()))
      for (std::size_t i = 0; i < instance.size(); ++i)
        Validate(*items, instance[i], at + "/" + std::to_string(i), depth + 1);
    if (auto m = schema.find("minItems"); m != schema.end() && m->is_number_unsigned() &&
                                          instance.size() < m->get<std::size_t>())
      Fail(at, "fewer than " + m->dump() + " items");
    if (auto m = schema.find("maxItems"); m != schema.end() && m->is_number_unsigned() &&
                                          instance.size() > m->get<std::size_t>())
      Fail(at, "more than " + m->dump() + " items");
    if (schema.value("uniqueItems", false)) {
      for (std::size_t i = 0; i < instance.size(); ++i)
        for (std::size_t j = i + 1; j < instance.size(); ++j)
          if (instance[i] == instance[j]) {
            Fail(at, "items are not unique");
            return;
          }
    }
  }

  const json& doc_;
};

}  // namespace

std::vector<std::string> ValidateSchema(const json& doc, const json& schema, const json& instance) {
  Validator validator(doc);
  validator.Validate(schema, instance, "", 0);
  return std::move(validator.errors_);
}

}  // namespace cairn::http
