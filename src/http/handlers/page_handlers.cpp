#include "http/handlers/page_handlers.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>

#include "credentials/badge_image.hpp"
#include "credentials/baking.hpp"
#include "credentials/error.hpp"
#include "credentials/verifier.hpp"
#include "http/handlers/page_form.hpp"
#include "http/handlers/page_verification.hpp"
#include "http/json_body.hpp"

namespace cairn::http {
namespace {

namespace pages = app::pages;
namespace verify = credentials::verification;
using nlohmann::json;

constexpr std::string_view kHtml = "text/html; charset=utf-8";
constexpr std::size_t kMaxEchoedPaste = 64u << 10;
constexpr std::size_t kMaxCachedBadges = 256;

Response Html(int status, std::string body) {
  Response response = TextResponse(status, std::move(body), kHtml);
  response.headers.Set("Content-Security-Policy", std::string(pages::kPageContentSecurityPolicy));
  response.headers.Set("X-Frame-Options", "DENY");
  // The LinkedIn and issuer links leave the site: send the origin only.
  response.headers.Set("Referrer-Policy", "strict-origin-when-cross-origin");
  response.headers.Set("Cache-Control", "no-cache");
  return response;
}

struct MediaRange {
  std::string type;
  double q = 1.0;
};

std::vector<MediaRange> ParseAccept(std::string_view accept) {
  std::vector<MediaRange> ranges;
  std::size_t start = 0;
  while (start <= accept.size()) {
    const std::size_t comma = std::min(accept.find(',', start), accept.size());
    std::string_view item = accept.substr(start, comma - start);
    start = comma + 1;
    MediaRange range;
    const std::size_t semi = item.find(';');
    std::string_view type = item.substr(0, semi);
    while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    range.type.assign(type);
    std::transform(range.type.begin(), range.type.end(), range.type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi);
      const std::size_t q = params.find("q=");
      if (q != std::string_view::npos) {
        try {
          range.q = std::stod(std::string(params.substr(q + 2)));
        } catch (const std::exception&) {
          range.q = 0;
        }
      }
    }
    if (!range.type.empty()) ranges.push_back(range);
    if (comma == accept.size()) break;
  }
  return ranges;
}

bool IsJsonType(std::string_view type) {
  return type == "application/json" || type == "application/ld+json" || type == "application/vc+ld+json" ||
         type == "application/vc";
}

std::string JsonTypeFor(std::string_view accept) {
  for (const auto& range : ParseAccept(accept))
    if (range.q > 0 && (range.type == "application/ld+json" || range.type == "application/vc+ld+json"))
      return "application/ld+json";
  return "application/json";
}

// A small shared cache of baked images: baking re-renders an SVG and rasterises it.
class BadgeCache {
 public:
  std::optional<std::string> Find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }
  void Put(const std::string& key, std::string value) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxCachedBadges) entries_.clear();
    entries_[key] = std::move(value);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> entries_;
};

struct State {
  explicit State(PageHandlerDeps d) : deps(std::move(d)) {}
  PageHandlerDeps deps;
  BadgeCache badges;
};

Response NotFoundPage(const State& state, std::string_view what) {
  return Html(404, state.deps.renderer.NotFound(what));
}

// The credential for a page address: kNotFound renders the friendly page.
std::optional<Response> CredentialOrPage(State& state, const std::string& id, pages::PublicCredential& out,
                                         bool want_json = false) {
  auto found = pages::ViewCredential(state.deps.ctx, id);
  if (found.ok()) {
    out = std::move(*found);
    return std::nullopt;
  }
  if (found.error().code == core::ErrorCode::kNotFound) {
    if (want_json) return ProblemResponse(core::Error::NotFound("there is no credential " + id));
    return NotFoundPage(state, "There is no credential at this address. Check the link you followed.");
  }
  return ProblemResponse(found.error());
}

Response CredentialPage(State& state, Request& req) {
  std::string id = req.Param("id");
  const bool json_download = id.ends_with(".json");
  if (json_download) id.resize(id.size() - 5);
  const std::string accept = req.headers.Get("Accept").value_or("");
  const bool want_json = json_download || PrefersJson(accept);
  pages::PublicCredential credential;
  if (auto stop = CredentialOrPage(state, id, credential, want_json)) {
    stop->headers.Set("Vary", "Accept");
    return *stop;
  }
  if (want_json) {
    if (credential.signed_json.empty()) {
      Response r = ProblemResponse(core::Error::NotFound("this credential is private; its holder has not published it"));
      r.headers.Set("Vary", "Accept");
      return r;
    }
    Response r = TextResponse(200, credential.signed_json, json_download ? "application/ld+json" : JsonTypeFor(accept));
    r.headers.Set("Vary", "Accept");
    r.headers.Set("Cache-Control", "no-cache");
    r.headers.Set("Access-Control-Allow-Origin", "*");  // verifiers in other origins may fetch it
    if (json_download) r.headers.Set("Content-Disposition", "attachment; filename=\"" + id + ".json\"");
    return r;
  }
  Response r = Html(200, state.deps.renderer.Credential(credential.page));
  r.headers.Set("Vary", "Accept");
  r.headers.Set("Link", "<" + credential.page.json_url + ">; rel=\"alternate\"; type=\"application/ld+json\"");
  return r;
}

std::string BadgeSvg(const pages::PublicCredential& credential) {
  return credentials::RenderBadgeSvg(credential.title, credential.issuer_name);
}

Response BadgeDownload(State& state, Request& req, bool png) {
  const std::string id = req.Param("id");
  pages::PublicCredential credential;
  if (auto stop = CredentialOrPage(state, id, credential)) return *stop;
  if (credential.signed_json.empty())
    return NotFoundPage(state, "This credential is private: its holder has not published its badge.");
  const std::string key = id + (png ? ".png" : ".svg");
  std::optional<std::string> baked = state.badges.Find(key);
  if (!baked) {
    try {
      if (png) {
        std::optional<std::string> image;
        if (state.deps.badge_png) image = state.deps.badge_png(credential);
        if (!image) image = credentials::RenderPng(BadgeSvg(credential));
        baked = credentials::BakePng(*image, credential.signed_json);
      } else {
        baked = credentials::BakeSvg(BadgeSvg(credential), credential.signed_json);
      }
    } catch (const credentials::CredentialError& e) {
      return ProblemResponse(core::Error::Internal(std::string("baking the badge failed: ") + e.what()));
    }
    state.badges.Put(key, *baked);
  }
  Response r = TextResponse(200, std::move(*baked), png ? "image/png" : "image/svg+xml");
  r.headers.Set("Content-Disposition", "inline; filename=\"" + key + "\"");
  r.headers.Set("Cache-Control", "public, max-age=300");
  // An SVG opened directly is a document: it may not run script or load anything.
  if (!png) r.headers.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  r.headers.Set("Access-Control-Allow-Origin", "*");
  return r;
}

Response PortfolioPage(State& state, Request& req) {
  auto page = pages::ViewPortfolio(state.deps.ctx, req.Param("handle"));
  if (!page) {
    if (page.error().code == core::ErrorCode::kNotFound)
      return NotFoundPage(state, "There is no public portfolio at this address.");
    return ProblemResponse(page.error());
  }
  return Html(200, state.deps.renderer.Portfolio(*page));
}

Response VerifyForm(State& state, Request& req) {
  pages::VerifyPage page;
  auto form = ParseForm(req.headers.Get("Content-Type").value_or(""), req.body);
  if (!form) {
    page.error = form.error().message;
    const int status = form.error().code == core::ErrorCode::kUnsupportedMedia ? 415 : 400;
    return Html(status, state.deps.renderer.Verify(page));
  }
  auto field = [&](const char* name) -> const FormField* {
    auto it = form->find(name);
    return it == form->end() ? nullptr : &it->second;
  };
  std::string bytes;
  if (const FormField* file = field("file"); file && !file->value.empty()) {
    bytes = file->value;
  } else if (const FormField* pasted = field("json")) {
    bytes = pasted->value;
    if (pasted->value.size() <= kMaxEchoedPaste) page.pasted = pasted->value;
  }
  const bool blank = std::all_of(bytes.begin(), bytes.end(), [](unsigned char c) { return std::isspace(c); });
  if (blank) {
    page.error = "Choose a badge image or JSON file, or paste the credential's JSON, then press Verify.";
    return Html(400, state.deps.renderer.Verify(page));
  }
  std::optional<std::string> email;
  if (const FormField* e = field("recipient_email"); e && !e->value.empty()) email = e->value;
  const verify::VerifyOptions options{.now = std::chrono::floor<std::chrono::seconds>(state.deps.clock.Now()),
                                      .fetcher = &state.deps.fetcher,
                                      .recipient_email = std::move(email)};
  pages::VerifyPage report = VerifyPageFromReport(verify::Verify(bytes, options));
  report.pasted = std::move(page.pasted);
  return Html(200, state.deps.renderer.Verify(report));
}

json PortfolioJson(const pages::PagesContext& ctx, const pages::Portfolio& portfolio) {
  json body = {{"enabled", portfolio.enabled},
               {"handle", portfolio.handle.empty() ? json(nullptr) : json(portfolio.handle)},
               {"url", portfolio.handle.empty() ? json(nullptr)
                                                : json(ctx.public_url + "/portfolio/" + pages::UrlEncode(portfolio.handle))},
               {"credential_ids", portfolio.credential_ids}};
  return body;
}

}  // namespace

bool PrefersJson(std::string_view accept) {
  double best_json = 0;
  double best_html = 0;
  std::size_t first_json = SIZE_MAX;
  std::size_t first_html = SIZE_MAX;
  const auto ranges = ParseAccept(accept);
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const auto& range = ranges[i];
    if (IsJsonType(range.type)) {
      best_json = std::max(best_json, range.q);
      first_json = std::min(first_json, i);
    } else if (range.type == "text/html" || range.type == "application/xhtml+xml" || range.type == "*/*" ||
               range.type == "text/*") {
      best_html = std::max(best_html, range.q);
      first_html = std::min(first_html, i);
    }
  }
  if (best_json <= 0) return false;
  if (best_json != best_html) return best_json > best_html;
  return first_json < first_html;
}

void RegisterPageRoutes(Router& router, PageHandlerDeps deps) {
  auto state = std::make_shared<State>(std::move(deps));

  router.Add({.method = "GET", .pattern = "/credentials/{id}",
              .handler = [state](Request& req) { return CredentialPage(*state, req); },
              .policy = "public", .max_body = 0,
              .summary = "A credential's public page (HTML), or its signed JSON by content negotiation"});
  router.Add({.method = "GET", .pattern = "/credentials/{id}/badge.png",
              .handler = [state](Request& req) { return BadgeDownload(*state, req, true); },
              .policy = "public", .max_body = 0,
              .summary = "The badge image with the signed credential baked in (PNG)"});
  router.Add({.method = "GET", .pattern = "/credentials/{id}/badge.svg",
              .handler = [state](Request& req) { return BadgeDownload(*state, req, false); },
              .policy = "public", .max_body = 0,
              .summary = "The badge image with the signed credential baked in (SVG)"});
  router.Add({.method = "GET", .pattern = "/portfolio/{handle}",
              .handler = [state](Request& req) { return PortfolioPage(*state, req); },
              .policy = "public", .max_body = 0, .summary = "An educator's public portfolio (HTML)"});
  router.Add({.method = "GET", .pattern = "/verify",
              .handler = [state](Request&) { return Html(200, state->deps.renderer.Verify({})); },
              .policy = "public", .max_body = 0, .summary = "The public verification page (HTML)",
              .blocking = false});
  router.Add({.method = "POST", .pattern = "/verify",
              .handler = [state](Request& req) { return VerifyForm(*state, req); },
              .policy = "public", .max_body = kMaxVerifyFormBody,
              .summary = "Verify a credential sent by the page's HTML form; answers with the report page"});
  router.Add({.method = "GET", .pattern = "/assets-public/pages.css",
              .handler = [](Request&) {
                Response r = TextResponse(200, std::string(pages::PageRenderer::Stylesheet()), "text/css; charset=utf-8");
                r.headers.Set("Cache-Control", "public, max-age=3600");
                return r;
              },
              .policy = "public", .max_body = 0, .summary = "The public pages' stylesheet", .blocking = false});
  router.Add({.method = "GET", .pattern = "/assets-public/verify.js",
              .handler = [](Request&) {
                Response r = TextResponse(200, std::string(pages::PageRenderer::VerifyScript()),
                                          "text/javascript; charset=utf-8");
                r.headers.Set("Cache-Control", "public, max-age=3600");
                return r;
              },
              .policy = "public", .max_body = 0, .summary = "The verification page's script", .blocking = false});
  router.Add({.method = "GET", .pattern = "/api/v1/me/portfolio",
              .handler = [state](Request& req) {
                auto portfolio = pages::GetMyPortfolio(state->deps.ctx, req.principal->user_id);
                if (!portfolio) return ProblemResponse(portfolio.error());
                return JsonResponse(200, PortfolioJson(state->deps.ctx, *portfolio));
              },
              .policy = "authenticated", .max_body = 0, .summary = "My public portfolio's settings"});
  router.Add({.method = "PUT", .pattern = "/api/v1/me/portfolio",
              .handler = [state](Request& req) {
                auto body = ParseJsonBody(req);
                if (!body) return ProblemResponse(body.error());
                JsonReader in(*body);
                pages::PortfolioSettings settings;
                settings.enabled = in.RequiredBool("enabled");
                settings.handle = in.OptionalString("handle", pages::kMaxHandleLength);
                if (in.Has("credential_ids"))
                  settings.credential_ids = in.StringArray("credential_ids", false, pages::kMaxPortfolioCredentials, 64);
                if (auto done = in.Finish(); !done) return ProblemResponse(done.error());
                auto portfolio = pages::PutMyPortfolio(state->deps.ctx, req.principal->user_id, settings);
                if (!portfolio) return ProblemResponse(portfolio.error());
                return JsonResponse(200, PortfolioJson(state->deps.ctx, *portfolio));
              },
              .policy = "authenticated", .max_body = 64u << 10,
              .summary = "Turn my public portfolio on or off, choose its handle and credentials"});
}

}  // namespace cairn::http
