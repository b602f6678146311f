#include "http/handlers/catalog_handlers.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "app/catalog/markdown.hpp"
#include "core/catalog/codec.hpp"
#include "http/json_body.hpp"

namespace cairn::http {
namespace {

using nlohmann::json;
namespace cat = app::catalog;
namespace ccat = core::catalog;

constexpr std::string_view kBase = "/api/v1/micro-credentials";
// A full micro-credential with every list at its limit stays far below this.
constexpr std::size_t kMaxCatalogBody = 512 * 1024;

Response Unauthenticated() {
  return ProblemResponse(core::Error::Unauthenticated("sign in to change the catalog"));
}

json Card(const ccat::CatalogCard& c) {
  json out = {{"id", c.id},
              {"version", c.version},
              {"issuer_id", c.issuer_id},
              {"issuer_name", c.issuer_name},
              {"title", c.title},
              {"summary", c.summary},
              {"summary_html", cat::RenderMarkdown(c.summary)},
              {"subject", c.subject},
              {"grade_band", ToString(c.grade_band)},
              {"estimated_hours", c.estimated_hours},
              {"tags", c.tags},
              {"published_at", core::FormatTime(c.published_at)}};
  if (!c.image_url.empty()) out["image_url"] = c.image_url;
  return out;
}

json VersionJson(const ccat::VersionSummary& v) {
  return {{"version", v.version},
          {"state", ToString(v.state)},
          {"title", v.title},
          {"created_at", core::FormatTime(v.created_at)},
          {"published_at", v.published_at ? json(core::FormatTime(*v.published_at)) : json()},
          {"retired_at", v.retired_at ? json(core::FormatTime(*v.retired_at)) : json()}};
}

Response Present(int status, const core::Result<ccat::MicroCredential>& mc) {
  if (!mc.ok()) return ProblemResponse(mc.error());
  Response r = JsonResponse(status, cat::Present(*mc));
  if (status == 201)
    r.headers.Set("Location",
                  std::string(kBase) + "/" + mc->id + "/versions/" + std::to_string(mc->version));
  return r;
}

// The rendered JSON with a strong ETag: the cache key changes whenever the body would.
Response Rendered(const Request& req, core::Result<cat::RenderedVersion> rendered,
                  std::string_view cache_control) {
  if (!rendered.ok()) return ProblemResponse(rendered.error());
  const std::string etag = "\"" + rendered->key + "\"";
  Response r;
  if (req.headers.Get("If-None-Match") == etag) {
    r.status = 304;
  } else {
    r = TextResponse(200, std::move(rendered->json), kJsonType);
  }
  r.headers.Set("ETag", etag);
  if (!cache_control.empty()) r.headers.Set("Cache-Control", std::string(cache_control));
  return r;
}

// A positive integer path segment; anything else names no version.
std::optional<int> ParseVersion(const std::string& text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

// The top-level extra field a body carries beside the content ("issuer_id", "revision").
std::string ReadIssuerId(const json& body, std::vector<core::FieldError>& errors) {
  const auto it = body.find("issuer_id");
  if (it == body.end() || it->is_null()) {
    errors.push_back({"/issuer_id", "is required"});
    return {};
  }
  if (!it->is_string()) {
    errors.push_back({"/issuer_id", "must be a string"});
    return {};
  }
  return it->get<std::string>();
}

std::int64_t ReadRevision(const json& body, std::vector<core::FieldError>& errors) {
  const auto it = body.find("revision");
  if (it == body.end() || it->is_null()) {
    errors.push_back({"/revision", "is required"});
    return 0;
  }
  if (!it->is_number_integer() || it->get<std::int64_t>() < 1) {
    errors.push_back({"/revision", "must be a positive integer"});
    return 0;
  }
  return it->get<std::int64_t>();
}

// Decodes content plus extra fields, merging all field errors into one 4xx.
template <class ReadExtras>
core::Result<ccat::Content> DecodeBody(const Request& req, std::vector<std::string> extras,
                                       ReadExtras read_extras) {
  auto body = ParseJsonBody(req);
  if (!body.ok()) return body.error();
  std::vector<core::FieldError> errors;
  read_extras(*body, errors);
  auto content = ccat::DecodeContent(*body, extras);
  if (!content.ok()) {
    errors.insert(errors.end(), content.error().fields.begin(), content.error().fields.end());
    if (errors.empty()) return content.error();
  }
  if (!errors.empty())
    return core::Error::InvalidInput("the micro-credential has invalid fields", errors);
  return content;
}

std::optional<double> ParseNumber(const std::string& text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

core::Result<ccat::SearchQuery> ParseSearch(const Request& req) {
  ccat::SearchQuery q;
  std::vector<std::string> problems;
  auto integer = [&](const char* name, int& out) {
    if (auto v = req.Query(name)) {
      auto n = ParseNumber(*v);
      if (!n || *n != std::floor(*n) || *n < 1 || *n > 1e6)
        problems.push_back(std::string(name) + " must be a positive integer");
      else
        out = static_cast<int>(*n);
    }
  };
  auto hours = [&](const char* name, std::optional<double>& out) {
    if (auto v = req.Query(name)) {
      out = ParseNumber(*v);
      if (!out || *out < 0) problems.push_back(std::string(name) + " must be a number of hours");
    }
  };
  q.text = req.Query("q").value_or("");
  q.issuer_id = req.Query("issuer").value_or("");
  q.subject = req.Query("subject").value_or("");
  q.tag = req.Query("tag").value_or("");
  if (auto band = req.Query("grade_band")) {
    q.grade_band = ccat::ParseGradeBand(*band);
    if (!q.grade_band) {
      std::string names;
      for (auto n : ccat::GradeBandNames()) names += (names.empty() ? "" : ", ") + std::string(n);
      problems.push_back("grade_band must be one of: " + names);
    }
  }
  if (auto sort = req.Query("sort")) {
    auto parsed = ccat::ParseSortOrder(*sort);
    if (!parsed)
      problems.push_back("sort must be one of: relevance, title, newest, hours");
    else
      q.sort = *parsed;
  }
  hours("min_hours", q.min_hours);
  hours("max_hours", q.max_hours);
  integer("page", q.page);
  integer("page_size", q.page_size);
  for (const auto& [name, value] : req.query)
    if (!IsValidUtf8(value)) problems.push_back(name + " must be valid UTF-8");
  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "; ") + p;
    return core::Error::InvalidInput(message);
  }
  return q;
}

}  // namespace

void RegisterCatalogRoutes(Router& router, const CatalogHandlerDeps& deps) {
  cat::CatalogContext& ctx = deps.catalog;
  const std::string base(kBase);

  router.Add({"GET", base,
              [&ctx](Request& req) {
                auto query = ParseSearch(req);
                if (!query.ok()) return ProblemResponse(query.error());
                auto page = cat::Search(ctx, *query);
                if (!page.ok()) return ProblemResponse(page.error());
                json items = json::array();
                for (const auto& c : page->items) items.push_back(Card(c));
                return JsonResponse(200, {{"items", std::move(items)},
                                          {"total", page->total},
                                          {"page", page->page},
                                          {"page_size", page->page_size}});
              },
              "public", 0, "Search the published catalog"});

  router.Add({"POST", base,
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                std::string issuer_id;
                auto content = DecodeBody(req, {"issuer_id"}, [&](const json& b, auto& errors) {
                  issuer_id = ReadIssuerId(b, errors);
                });
                if (!content.ok()) return ProblemResponse(content.error());
                return Present(201, cat::CreateDraft(ctx, *req.principal, issuer_id, *content));
              },
              "issuer_admin", kMaxCatalogBody, "Create a micro-credential as a draft"});

  router.Add({"GET", base + "/{id}",
              [&ctx](Request& req) {
                // Revalidate often: a new version or a retirement changes what this URL shows.
                return Rendered(req, cat::GetPublishedJson(ctx, req.Param("id")),
                                "public, max-age=60");
              },
              "public", 0, "The published version of a micro-credential",
              /*blocking=*/!deps.inline_point_reads});

  router.Add({"GET", base + "/{id}/versions",
              [&ctx](Request& req) {
                auto versions = cat::ListVersions(ctx, req.principal, req.Param("id"));
                if (!versions.ok()) return ProblemResponse(versions.error());
                json items = json::array();
                for (const auto& v : *versions) items.push_back(VersionJson(v));
                return JsonResponse(200, {{"items", std::move(items)}});
              },
              "public", 0, "The versions of a micro-credential, newest first"});

  router.Add({"GET", base + "/{id}/versions/{version}",
              [&ctx](Request& req) {
                auto version = ParseVersion(req.Param("version"));
                if (!version)
                  return ProblemResponse(core::Error::NotFound("no such micro-credential version"));
                auto rendered = cat::GetVersionJson(ctx, req.principal, req.Param("id"), *version);
                // A published version's content never changes; only its state may (retired).
                const bool draft = rendered.ok() && rendered->key.ends_with("/draft");
                return Rendered(req, std::move(rendered),
                                draft ? "private, no-store" : "public, max-age=3600");
              },
              "public", 0, "One version of a micro-credential"});

  router.Add({"GET", base + "/{id}/draft",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                return Present(200, cat::GetDraft(ctx, *req.principal, req.Param("id")));
              },
              "issuer_admin", 0, "The open draft"});

  router.Add({"POST", base + "/{id}/draft",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                return Present(201, cat::StartNewVersion(ctx, *req.principal, req.Param("id")));
              },
              "issuer_admin", 1024, "Start the next version as a draft"});

  router.Add({"PUT", base + "/{id}/draft",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                std::int64_t revision = 0;
                auto content = DecodeBody(req, {"revision"}, [&](const json& b, auto& errors) {
                  revision = ReadRevision(b, errors);
                });
                if (!content.ok()) return ProblemResponse(content.error());
                return Present(200, cat::UpdateDraft(ctx, *req.principal, req.Param("id"), *content,
                                                     revision));
              },
              "issuer_admin", kMaxCatalogBody, "Save the open draft"});

  router.Add({"POST", base + "/{id}/publish",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                const auto revision = in.RequiredInt("revision", 1, INT64_MAX);
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                return Present(200, cat::Publish(ctx, *req.principal, req.Param("id"), revision));
              },
              "issuer_admin", 1024, "Publish the open draft"});

  router.Add({"POST", base + "/{id}/retire",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                if (!req.body.empty()) {
                  auto body = ParseJsonBody(req);
                  if (!body.ok()) return ProblemResponse(body.error());
                  JsonReader in(*body);
                  if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                }
                return Present(200, cat::Retire(ctx, *req.principal, req.Param("id")));
              },
              "issuer_admin", 1024, "Retire a micro-credential"});

  router.Add({"GET", "/api/v1/issuers/{id}/micro-credentials",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                const auto state = req.Query("status").value_or("draft");
                if (state != "draft")
                  return ProblemResponse(core::Error::InvalidInput(
                      "status must be \"draft\"; published ones are in the public catalog"));
                auto drafts = cat::ListIssuerDrafts(ctx, *req.principal, req.Param("id"));
                if (!drafts.ok()) return ProblemResponse(drafts.error());
                json items = json::array();
                for (const auto& d : *drafts) items.push_back(cat::Present(d));
                return JsonResponse(200, {{"items", std::move(items)}});
              },
              "issuer_admin", 0, "An issuer's drafts"});
}

}  // namespace cairn::http
