#include "core/catalog/codec.hpp"

#include <cmath>
#include <limits>
#include <set>

namespace cairn::core::catalog {
namespace {

using nlohmann::json;

std::string TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "a number";
  }
}

// Reads one JSON object field by field and, at the end, reports the keys nobody asked for.
class ObjectReader {
 public:
  ObjectReader(const json& value, std::string pointer, std::vector<FieldError>& errors)
      : pointer_(std::move(pointer)), errors_(errors) {
    if (value.is_object()) {
      object_ = &value;
    } else {
      Fail(pointer_, "must be an object, not " + TypeName(value));
    }
  }
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;
  ~ObjectReader() {
    if (!object_) return;
    for (const auto& [key, _] : object_->items())
      if (!seen_.count(key)) Fail(pointer_ + "/" + EscapePointerToken(key), "unknown field");
  }

  bool ok() const { return object_ != nullptr; }
  void Allow(const std::string& key) { seen_.insert(key); }

  // The field's value, or nullptr when it is absent (an error when required) or null (an error
  // when required; optional fields may be null).
  const json* Field(const std::string& key, bool required) {
    if (!object_) return nullptr;
    seen_.insert(key);
    const auto it = object_->find(key);
    if (it == object_->end() || it->is_null()) {
      if (required) Fail(PointerTo(key), it == object_->end() ? "is required" : "must not be null");
      return nullptr;
    }
    return &*it;
  }

  std::string String(const std::string& key, bool required = true) {
    const json* v = Field(key, required);
    if (!v) return {};
    if (!v->is_string()) {
      Fail(PointerTo(key), "must be a string, not " + TypeName(*v));
      return {};
    }
    return v->get<std::string>();
  }

  // Markdown text. Its rendering "<key>_html", which responses carry beside it, is read-only: a
  // client that sends back what it fetched is not refused for it, and the value is ignored.
  std::string Markdown(const std::string& key, bool required = true) {
    seen_.insert(key + "_html");
    return String(key, required);
  }

  int Integer(const std::string& key, int fallback = 0, bool required = true) {
    const json* v = Field(key, required);
    if (!v) return fallback;
    if (v->is_number_integer()) {
      const auto n = v->get<std::int64_t>();
      if (n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max())
        return static_cast<int>(n);
      Fail(PointerTo(key), "is out of range");
      return fallback;
    }
    Fail(PointerTo(key), "must be an integer, not " + TypeName(*v));
    return fallback;
  }

  std::optional<int> OptionalInteger(const std::string& key) {
    const json* v = Field(key, false);
    if (!v) return std::nullopt;
    return Integer(key);
  }

  double Number(const std::string& key) {
    const json* v = Field(key, true);
    if (!v) return 0;
    if (!v->is_number()) {
      Fail(PointerTo(key), "must be a number, not " + TypeName(*v));
      return 0;
    }
    return v->get<double>();
  }

  // Calls item(value, pointer) for each element of an array field.
  template <class F>
  void Array(const std::string& key, F item) {
    const json* v = Field(key, true);
    if (!v) return;
    if (!v->is_array()) {
      Fail(PointerTo(key), "must be an array, not " + TypeName(*v));
      return;
    }
    for (std::size_t i = 0; i < v->size(); ++i)
      item((*v)[i], PointerTo(key) + "/" + std::to_string(i));
  }

  const json* Object(const std::string& key) { return Field(key, true); }

  std::string PointerTo(const std::string& key) const {
    return pointer_ + "/" + EscapePointerToken(key);
  }
  void Fail(std::string pointer, std::string message) {
    errors_.push_back({std::move(pointer), std::move(message)});
  }

 private:
  const json* object_ = nullptr;
  std::string pointer_;
  std::vector<FieldError>& errors_;
  std::set<std::string> seen_;
};

std::string StringItem(const json& v, const std::string& pointer, std::vector<FieldError>& errors) {
  if (!v.is_string()) {
    errors.push_back({pointer, "must be a string, not " + TypeName(v)});
    return {};
  }
  return v.get<std::string>();
}

template <class E>
E EnumItem(const json& v, const std::string& pointer, std::vector<FieldError>& errors,
           std::optional<E> (*parse)(std::string_view),
           const std::vector<std::string_view>& names) {
  const std::string text = StringItem(v, pointer, errors);
  if (v.is_string()) {
    if (auto parsed = parse(text)) return *parsed;
    std::string allowed;
    for (auto n : names) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
    errors.push_back({pointer, "must be one of: " + allowed});
  }
  return E{};
}

Rubric DecodeRubric(const json& value, const std::string& pointer,
                    std::vector<FieldError>& errors) {
  Rubric rubric;
  ObjectReader r(value, pointer, errors);
  if (!r.ok()) return rubric;
  r.Array("criteria", [&](const json& cv, const std::string& cp) {
    Criterion criterion;
    ObjectReader c(cv, cp, errors);
    if (!c.ok()) return;
    criterion.id = c.String("id");
    criterion.name = c.String("name");
    criterion.description = c.Markdown("description", false);
    c.Array("levels", [&](const json& lv, const std::string& lp) {
      RubricLevel level;
      ObjectReader l(lv, lp, errors);
      if (!l.ok()) return;
      level.id = l.String("id");
      level.name = l.String("name");
      level.descriptor = l.Markdown("descriptor");
      criterion.levels.push_back(std::move(level));
    });
    rubric.criteria.push_back(std::move(criterion));
  });
  if (const json* rule_value = r.Object("earned_rule")) {
    ObjectReader rule(*rule_value, r.PointerTo("earned_rule"), errors);
    if (rule.ok()) {
      rubric.earned_rule.level = rule.String("level");
      rubric.earned_rule.minimum_criteria = rule.OptionalInteger("minimum_criteria");
      rubric.earned_rule.floor_level = rule.String("floor_level", false);
    }
  }
  return rubric;
}

}  // namespace

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

Result<Content> DecodeContent(const json& body, const std::vector<std::string>& extra_keys) {
  std::vector<FieldError> errors;
  Content content;
  {
    ObjectReader r(body, "", errors);
    if (!r.ok()) return Error::InvalidInput("the body must be a JSON object", errors);
    for (const auto& key : extra_keys) r.Allow(key);

    content.title = r.String("title");
    content.summary = r.Markdown("summary");
    content.competency = r.Markdown("competency");
    if (const json* km = r.Object("key_method")) {
      ObjectReader k(*km, "/key_method", errors);
      if (k.ok()) {
        content.key_method.description = k.Markdown("description");
        k.Array("components", [&](const json& v, const std::string& p) {
          ObjectReader c(v, p, errors);
          if (!c.ok()) return;
          MethodComponent component;
          component.name = c.String("name");
          component.description = c.Markdown("description");
          content.key_method.components.push_back(std::move(component));
        });
      }
    }
    content.research = r.Markdown("research");
    r.Array("resources", [&](const json& v, const std::string& p) {
      ObjectReader o(v, p, errors);
      if (!o.ok()) return;
      Resource resource;
      resource.title = o.String("title");
      if (const json* kind = o.Field("kind", true))
        resource.kind = EnumItem<ResourceKind>(*kind, p + "/kind", errors, &ParseResourceKind,
                                               ResourceKindNames());
      resource.url = o.String("url", false);
      resource.file = o.String("file", false);
      content.resources.push_back(std::move(resource));
    });
    if (const json* sub = r.Object("submission")) {
      ObjectReader s(*sub, "/submission", errors);
      if (s.ok()) {
        s.Array("overview", [&](const json& v, const std::string& p) {
          ObjectReader o(v, p, errors);
          if (!o.ok()) return;
          OverviewQuestion q;
          q.prompt = o.Markdown("prompt");
          q.word_limit = o.Integer("word_limit");
          content.submission.overview.push_back(std::move(q));
        });
        s.Array("artifacts", [&](const json& v, const std::string& p) {
          ObjectReader o(v, p, errors);
          if (!o.ok()) return;
          ArtifactRequirement a;
          a.title = o.String("title");
          a.description = o.Markdown("description");
          o.Array("accepted_kinds", [&](const json& kv, const std::string& kp) {
            a.accepted_kinds.push_back(
                EnumItem<ArtifactKind>(kv, kp, errors, &ParseArtifactKind, ArtifactKindNames()));
          });
          a.min_count = o.Integer("min_count");
          a.max_count = o.Integer("max_count");
          content.submission.artifacts.push_back(std::move(a));
        });
        s.Array("reflection", [&](const json& v, const std::string& p) {
          ObjectReader o(v, p, errors);
          if (!o.ok()) return;
          ReflectionPrompt q;
          q.prompt = o.Markdown("prompt");
          q.word_limit = o.Integer("word_limit");
          content.submission.reflection.push_back(std::move(q));
        });
      }
    }
    if (const json* rubric = r.Object("rubric"))
      content.rubric = DecodeRubric(*rubric, "/rubric", errors);
    r.Array("alignments", [&](const json& v, const std::string& p) {
      ObjectReader o(v, p, errors);
      if (!o.ok()) return;
      Alignment a;
      a.framework = o.String("framework");
      a.code = o.String("code");
      a.name = o.String("name");
      a.url = o.String("url", false);
      content.alignments.push_back(std::move(a));
    });
    content.subject = r.String("subject");
    if (const json* band = r.Field("grade_band", true))
      content.grade_band =
          EnumItem<GradeBand>(*band, "/grade_band", errors, &ParseGradeBand, GradeBandNames());
    content.estimated_hours = r.Number("estimated_hours");
    content.max_attempts = r.Integer("max_attempts", kDefaultMaxAttempts, false);
    r.Array("tags", [&](const json& v, const std::string& p) {
      content.tags.push_back(StringItem(v, p, errors));
    });
    content.image_url = r.String("image_url", false);
  }  // the reader's destructor reports unknown fields
  if (!errors.empty())
    return Error::InvalidInput("the micro-credential has invalid fields", std::move(errors));
  return content;
}

json EncodeContent(const Content& c) {
  json components = json::array();
  for (const auto& comp : c.key_method.components)
    components.push_back({{"name", comp.name}, {"description", comp.description}});
  json resources = json::array();
  for (const auto& res : c.resources) {
    json r = {{"title", res.title}, {"kind", ToString(res.kind)}};
    if (!res.url.empty()) r["url"] = res.url;
    if (!res.file.empty()) r["file"] = res.file;
    resources.push_back(std::move(r));
  }
  json overview = json::array();
  for (const auto& q : c.submission.overview)
    overview.push_back({{"prompt", q.prompt}, {"word_limit", q.word_limit}});
  json artifacts = json::array();
  for (const auto& a : c.submission.artifacts) {
    json kinds = json::array();
    for (auto k : a.accepted_kinds) kinds.push_back(ToString(k));
    artifacts.push_back({{"title", a.title},
                         {"description", a.description},
                         {"accepted_kinds", std::move(kinds)},
                         {"min_count", a.min_count},
                         {"max_count", a.max_count}});
  }
  json reflection = json::array();
  for (const auto& q : c.submission.reflection)
    reflection.push_back({{"prompt", q.prompt}, {"word_limit", q.word_limit}});
  json criteria = json::array();
  for (const auto& cr : c.rubric.criteria) {
    json levels = json::array();
    for (const auto& l : cr.levels)
      levels.push_back({{"id", l.id}, {"name", l.name}, {"descriptor", l.descriptor}});
    json criterion = {{"id", cr.id}, {"name", cr.name}, {"levels", std::move(levels)}};
    if (!cr.description.empty()) criterion["description"] = cr.description;
    criteria.push_back(std::move(criterion));
  }
  json rule = {{"level", c.rubric.earned_rule.level}};
  if (c.rubric.earned_rule.minimum_criteria)
    rule["minimum_criteria"] = *c.rubric.earned_rule.minimum_criteria;
  if (!c.rubric.earned_rule.floor_level.empty())
    rule["floor_level"] = c.rubric.earned_rule.floor_level;
  json alignments = json::array();
  for (const auto& a : c.alignments) {
    json j = {{"framework", a.framework}, {"code", a.code}, {"name", a.name}};
    if (!a.url.empty()) j["url"] = a.url;
    alignments.push_back(std::move(j));
  }
  json out = {
      {"title", c.title},
      {"summary", c.summary},
      {"competency", c.competency},
      {"key_method", {{"description", c.key_method.description}, {"components", components}}},
      {"research", c.research},
      {"resources", std::move(resources)},
      {"submission",
       {{"overview", std::move(overview)},
        {"artifacts", std::move(artifacts)},
        {"reflection", std::move(reflection)}}},
      {"rubric", {{"criteria", std::move(criteria)}, {"earned_rule", std::move(rule)}}},
      {"alignments", std::move(alignments)},
      {"subject", c.subject},
      {"grade_band", ToString(c.grade_band)},
      {"estimated_hours", c.estimated_hours},
      {"max_attempts", c.max_attempts},
      {"tags", c.tags},
  };
  if (!c.image_url.empty()) out["image_url"] = c.image_url;
  return out;
}

json EncodeMicroCredential(const MicroCredential& mc) {
  json out = {
      {"id", mc.id},
      {"issuer_id", mc.issuer_id},
      {"issuer_name", mc.issuer_name},
      {"version", mc.version},
      {"state", ToString(mc.state)},
      {"revision", mc.revision},
      {"created_at", FormatTime(mc.created_at)},
      {"updated_at", FormatTime(mc.updated_at)},
      {"published_at", mc.published_at ? json(FormatTime(*mc.published_at)) : json(nullptr)},
      {"retired_at", mc.retired_at ? json(FormatTime(*mc.retired_at)) : json(nullptr)},
  };
  out.update(EncodeContent(mc.content));
  return out;
}

}  // namespace cairn::core::catalog
