#include "http/handlers/credential_handlers.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "http/json_body.hpp"

namespace cairn::http {
namespace {

using nlohmann::json;
namespace cred = app::credentials;

constexpr std::string_view kLdJson = "application/ld+json";

json SummaryJson(const cred::CredentialSummary& s, bool with_recipient) {
  json out = {{"id", s.id},
              {"url", s.url},
              {"micro_credential_id", s.micro_credential_id},
              {"version", s.version},
              {"title", s.title},
              {"issuer_id", s.issuer_id},
              {"issuer_name", s.issuer_name},
              {"issued_at", s.issued_at},
              {"valid_until", s.valid_until ? json(*s.valid_until) : json()},
              {"revoked_at", s.revoked_at ? json(*s.revoked_at) : json()},
              {"status", s.status},
              {"visibility", s.visibility}};
  if (with_recipient) {
    out["recipient_email"] = s.recipient_email;
    out["revocation_reason"] = s.revocation_reason;
  }
  return out;
}

json SettingsJson(const core::awards::IssuerSettings& s) {
  return {{"issuer_id", s.issuer_id},
          {"identity", ToString(s.identity)},
          {"suite", s.suite},
          {"valid_days", s.valid_days ? json(*s.valid_days) : json()}};
}

json KeyJson(const cred::KeyView& k) {
  return {{"id", k.id},
          {"public_key_multibase", k.public_multikey},
          {"verification_method", k.verification_method},
          {"created_at", k.created_at},
          {"retired_at", k.retired_at ? json(*k.retired_at) : json()}};
}

Response Unauthenticated() {
  return ProblemResponse(core::Error::Unauthenticated("sign in first"));
}

Response Document(const core::Result<json>& doc, std::string_view cache_control) {
  if (!doc.ok()) return ProblemResponse(doc.error());
  Response r = TextResponse(200, doc->dump(), kLdJson);
  r.headers.Set("Cache-Control", std::string(cache_control));
  return r;
}

}  // namespace

void RegisterCredentialRoutes(Router& router, cred::CredentialsContext& ctx) {
  router.Add({"GET", "/api/v1/me/credentials",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto items = cred::ListMine(ctx, *req.principal);
                if (!items.ok()) return ProblemResponse(items.error());
                json out = json::array();
                for (const auto& s : *items) out.push_back(SummaryJson(s, false));
                return JsonResponse(200, {{"items", std::move(out)}});
              },
              "authenticated", 0, "The signed-in educator's credentials"});

  router.Add({"GET", "/api/v1/me/clr",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto clr = cred::BuildClr(ctx, *req.principal);
                if (!clr.ok()) return ProblemResponse(clr.error());
                Response r = TextResponse(200, clr->dump(), kLdJson);
                r.headers.Set("Content-Disposition", "attachment; filename=\"transcript-clr.json\"");
                r.headers.Set("Cache-Control", "no-store");
                return r;
              },
              "authenticated", 0, "A signed CLR 2.0 transcript of the educator's credentials"});

  router.Add({"GET", "/api/v1/credentials/{id}",
              [&ctx](Request& req) {
                auto doc = cred::GetCredential(ctx, req.principal, req.Param("id"));
                if (!doc.ok()) return ProblemResponse(doc.error());
                Response r = TextResponse(200, std::move(doc->json), doc->full ? kLdJson : kJsonType);
                r.headers.Set("Cache-Control", "no-cache");
                return r;
              },
              "public", 0, "A credential's signed JSON (private ones: only that they exist)"});

  router.Add({"PUT", "/api/v1/credentials/{id}/visibility",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                const std::string visibility = in.RequiredEnum("visibility", {"public", "private"});
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                auto s = cred::SetVisibility(ctx, *req.principal, req.Param("id"),
                                             *core::awards::ParseVisibility(visibility));
                if (!s.ok()) return ProblemResponse(s.error());
                return JsonResponse(200, SummaryJson(*s, false));
              },
              "authenticated", 4096, "Make a credential public or private (its owner)"});

  router.Add({"POST", "/api/v1/credentials/{id}/revoke",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                const std::string reason = in.RequiredString("reason", cred::kMaxReasonChars);
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                auto s = cred::Revoke(ctx, *req.principal, req.Param("id"), reason);
                if (!s.ok()) return ProblemResponse(s.error());
                return JsonResponse(200, SummaryJson(*s, true));
              },
              "issuer_admin", 8192, "Revoke a credential, irreversibly, with a reason"});

  router.Add({"GET", "/api/v1/issuers/{id}/awards",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                const auto format = req.Query("format").value_or("json");
                if (format != "json" && format != "csv") {
                  return ProblemResponse(core::Error::InvalidInput(
                      "unknown format", {{"/format", "must be json or csv"}}));
                }
                auto items = cred::ListIssuerAwards(ctx, *req.principal, req.Param("id"));
                if (!items.ok()) return ProblemResponse(items.error());
                if (format == "csv") {
                  Response r = TextResponse(200, cred::AwardsCsv(*items), "text/csv; charset=utf-8");
                  r.headers.Set("Content-Disposition", "attachment; filename=\"awards.csv\"");
                  return r;
                }
                json out = json::array();
                for (const auto& s : *items) out.push_back(SummaryJson(s, true));
                return JsonResponse(200, {{"items", std::move(out)}});
              },
              "issuer_admin", 0, "The issuer's awards (JSON, or CSV with ?format=csv)"});

  router.Add({"GET", "/api/v1/issuers/{id}/keys",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto keys = cred::ListKeys(ctx, *req.principal, req.Param("id"));
                if (!keys.ok()) return ProblemResponse(keys.error());
                json out = json::array();
                for (const auto& k : *keys) out.push_back(KeyJson(k));
                return JsonResponse(200, {{"items", std::move(out)}});
              },
              "issuer_admin", 0, "The issuer's signing keys, oldest first"});

  router.Add({"POST", "/api/v1/issuers/{id}/keys/rotate",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto key = cred::RotateKey(ctx, *req.principal, req.Param("id"));
                if (!key.ok()) return ProblemResponse(key.error());
                return JsonResponse(201, KeyJson(*key));
              },
              // Takes no body, but tolerates an empty JSON object from clients that always send one.
              "issuer_admin", 1024, "Retire the signing key and make a new one"});

  router.Add({"GET", "/api/v1/issuers/{id}/credential-settings",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto s = cred::GetSettings(ctx, *req.principal, req.Param("id"));
                if (!s.ok()) return ProblemResponse(s.error());
                return JsonResponse(200, SettingsJson(*s));
              },
              "issuer_admin", 0, "How the issuer signs: identity, cryptosuite, expiry"});

  router.Add({"PUT", "/api/v1/issuers/{id}/credential-settings",
              [&ctx](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto body = ParseJsonBody(req);
                if (!body.ok()) return ProblemResponse(body.error());
                JsonReader in(*body);
                core::awards::IssuerSettings s;
                s.issuer_id = req.Param("id");
                s.identity = *core::awards::ParseIssuerIdentity(
                    in.RequiredEnum("identity", {"hosted", "did:key"}));
                s.suite = in.RequiredEnum("suite", {"eddsa-rdfc-2022", "eddsa-jcs-2022"});
                if (auto days = in.OptionalInt("valid_days", 1, 36500))
                  s.valid_days = static_cast<int>(*days);
                if (auto done = in.Finish(); !done.ok()) return ProblemResponse(done.error());
                auto saved = cred::PutSettings(ctx, *req.principal, s);
                if (!saved.ok()) return ProblemResponse(saved.error());
                return JsonResponse(200, SettingsJson(*saved));
              },
              "issuer_admin", 4096, "Set how the issuer signs new credentials"});

  // Public documents that verifiers fetch.
  router.Add({"GET", "/issuers/{id}",
              [&ctx](Request& req) {
                return Document(cred::ControllerDocument(ctx, req.Param("id"), false),
                                "public, max-age=300");
              },
              "public", 0, "The issuer's Profile and controller document (Multikey keys)"});

  router.Add({"GET", "/issuers/{id}/did.json",
              [&ctx](Request& req) {
                return Document(cred::ControllerDocument(ctx, req.Param("id"), true),
                                "public, max-age=300");
              },
              "public", 0, "The issuer's did:web DID document"});

  router.Add({"GET", "/status-lists/{id}",
              [&ctx](Request& req) {
                auto list = cred::GetStatusList(ctx, req.Param("id"));
                if (!list.ok()) return ProblemResponse(list.error());
                const std::string etag =
                    "\"" + req.Param("id") + "-" + std::to_string(list->version) + "\"";
                Response r;
                if (req.headers.Get("If-None-Match") == etag) {
                  r.status = 304;
                } else {
                  r = TextResponse(200, std::move(list->json), kLdJson);
                }
                r.headers.Set("ETag", etag);
                r.headers.Set("Cache-Control", "public, max-age=300");
                return r;
              },
              "public", 0, "A signed BitstringStatusListCredential"});

  router.Add({"GET", "/badges/{mc}/{file}",
              [&ctx](Request& req) {
                const std::string& file = req.Param("file");
                int version = 0;
                const auto dot = file.find(".png");
                const auto [end, ec] = std::from_chars(file.data(), file.data() + dot, version);
                if (dot == std::string::npos || dot + 4 != file.size() || ec != std::errc() ||
                    end != file.data() + dot || version < 1) {
                  return ProblemResponse(core::Error::NotFound("no such badge image"));
                }
                auto png = cred::BadgePng(ctx, req.Param("mc"), version);
                if (!png.ok()) return ProblemResponse(png.error());
                Response r = TextResponse(200, std::move(png).value(), "image/png");
                r.headers.Set("Cache-Control", "public, max-age=86400");
                return r;
              },
              "public", 0, "The rendered badge image of a micro-credential version"});
}

}  // namespace cairn::http
