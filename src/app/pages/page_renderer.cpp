#include "app/pages/page_renderer.hpp"

#include <kainjow/mustache.hpp>

#include <span>
#include <stdexcept>
#include <string>

#include "core/common/embedded_file.hpp"

// src/app/pages/templates/*, compiled in by app/pages/sources.cmake.
std::span<const cairn::EmbeddedFile> CairnPageFiles();

namespace cairn::app::pages {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

std::string_view FileText(std::string_view name) {
  for (const auto& file : CairnPageFiles())
    if (file.name == name) return file.text;
  throw std::logic_error("page template missing: " + std::string(name));
}

// Parsing is cheap next to a database read, and a fresh parse per render keeps rendering free
// of shared mutable state across server threads.
std::string Render(std::string_view name, const data& d) {
  mustache m{std::string(FileText(name))};
  if (!m.is_valid()) throw std::logic_error("page template " + std::string(name) + ": " + m.error_message());
  return m.render(d);
}

data List() { return data{data::type::list}; }

data KeyValue(std::string key, std::string value) {
  data d;
  d.set("key", std::move(key));
  d.set("value", std::move(value));
  return d;
}

// Empty strings must read as false in sections ({{#x}}), which mustache does only for missing or
// false values, so an empty value is left unset.
void SetIf(data& d, const std::string& key, const std::string& value) {
  if (!value.empty()) d.set(key, value);
}

std::string StatusHeadline(LiveStatus status) {
  switch (status) {
    case LiveStatus::kValid: return "Valid.";
    case LiveStatus::kRevoked: return "Revoked: the issuer has withdrawn this credential.";
    case LiveStatus::kExpired: return "Expired.";
    case LiveStatus::kNotYetValid: return "Not yet valid.";
    case LiveStatus::kInvalid: return "Could not be verified.";
  }
  return "Could not be verified.";
}

std::string StatusLabel(LiveStatus status) {
  switch (status) {
    case LiveStatus::kValid: return "Valid";
    case LiveStatus::kRevoked: return "Revoked";
    case LiveStatus::kExpired: return "Expired";
    case LiveStatus::kNotYetValid: return "Not yet valid";
    case LiveStatus::kInvalid: return "Not verified";
  }
  return "Not verified";
}

std::string CheckLabel(const std::string& id) {
  if (id == "format") return "Format";
  if (id == "structure") return "Structure";
  if (id == "proof") return "Signature";
  if (id == "issuer_key") return "Issuer key";
  if (id == "validity") return "Validity period";
  if (id == "status") return "Revocation status";
  if (id == "recipient") return "Recipient";
  return id;
}

std::string VerdictHeadline(const std::string& verdict) {
  if (verdict == "verified") return "Verified: this credential is authentic and valid.";
  if (verdict == "incomplete")
    return "Incomplete: the signature type is not supported, so authenticity is unknown.";
  return "Not verified: at least one check failed.";
}

struct Head {
  std::string title;
  std::string description;
  std::string canonical;
  std::string alternate_json;
  data meta_property = List();
  data meta_name = List();
  bool noindex = false;
  bool script = false;
};

}  // namespace

struct PageRenderer::Templates {
  Templates() {
    for (const char* name : {"layout.mustache", "credential.mustache", "portfolio.mustache",
                             "verify.mustache", "not_found.mustache"}) {
      mustache m{std::string(FileText(name))};
      if (!m.is_valid())
        throw std::logic_error("page template " + std::string(name) + ": " + m.error_message());
    }
  }

  std::string Page(const Head& head, const std::string& body) const {
    data d;
    d.set("title", head.title);
    SetIf(d, "description", head.description);
    SetIf(d, "canonical", head.canonical);
    SetIf(d, "alternate_json", head.alternate_json);
    d.set("meta_property", head.meta_property);
    d.set("meta_name", head.meta_name);
    d.set("noindex", head.noindex);
    d.set("stylesheet", std::string(kStylesheetPath));
    if (head.script) d.set("script", std::string(kVerifyScriptPath));
    d.set("body", body);
    return Render("layout.mustache", d);
  }
};

PageRenderer::PageRenderer() : templates_(std::make_unique<Templates>()) {}
PageRenderer::~PageRenderer() = default;

std::string PageRenderer::Credential(const CredentialPage& page) const {
  data d;
  const std::string status(ToString(page.status));
  d.set("status", status);
  d.set("status_headline", StatusHeadline(page.status));
  d.set("valid", page.status == LiveStatus::kValid);
  d.set("is_private", page.is_private);
  Head head;
  head.canonical = page.page_url;
  if (page.is_private) {
    head.title = "A private credential";
    head.noindex = true;
  } else {
    SetIf(d, "status_message", page.status_message);
    d.set("achievement_name", page.achievement_name);
    d.set("achievement_type_label", page.achievement_type == "MicroCredential" || page.achievement_type.empty()
                                        ? std::string("Micro-credential")
                                        : page.achievement_type);
    SetIf(d, "achievement_description_html", page.achievement_description_html);
    SetIf(d, "criteria_html", page.criteria_html);
    d.set("image_url", page.image_url);
    d.set("issuer_name", page.issuer_name);
    SetIf(d, "issuer_url", page.issuer_url);
    d.set("earner_name", page.earner_name);
    d.set("issued_on", page.issued_on);
    SetIf(d, "valid_until", page.valid_until);
    data rubric = List();
    for (const auto& criterion : page.rubric) {
      data c;
      c.set("name", criterion.name);
      SetIf(c, "description_html", criterion.description_html);
      data levels = List();
      for (const auto& level : criterion.levels) {
        data l;
        l.set("name", level.name);
        l.set("description_html", level.description_html);
        l.set("achieved", level.achieved);
        levels.push_back(l);
      }
      c.set("levels", levels);
      rubric.push_back(c);
    }
    d.set("has_rubric", !page.rubric.empty());
    d.set("rubric", rubric);
    data evidence = List();
    for (const auto& item : page.evidence) {
      data e;
      e.set("name", item.name.empty() ? std::string("Evidence") : item.name);
      SetIf(e, "description", item.description);
      SetIf(e, "url", item.url);
      evidence.push_back(e);
    }
    d.set("has_evidence", !page.evidence.empty());
    d.set("evidence", evidence);
    d.set("linkedin_url", LinkedInAddToProfileUrl(page));
    d.set("png_url", page.png_url);
    d.set("svg_url", page.svg_url);
    d.set("json_url", page.json_url);

    head.title = page.achievement_name;
    head.description = page.earner_name + " earned " + page.achievement_name + " from " + page.issuer_name +
                       (page.status == LiveStatus::kRevoked ? " (revoked)." : ".");
    head.alternate_json = page.json_url;
    head.meta_property.push_back(KeyValue("og:type", "website"));
    head.meta_property.push_back(KeyValue("og:site_name", "Cairn"));
    head.meta_property.push_back(KeyValue("og:title", page.achievement_name));
    head.meta_property.push_back(KeyValue("og:description", head.description));
    head.meta_property.push_back(KeyValue("og:url", page.page_url));
    head.meta_property.push_back(KeyValue("og:image", page.png_url));
    head.meta_property.push_back(KeyValue("og:image:alt", "Badge for " + page.achievement_name));
    head.meta_name.push_back(KeyValue("twitter:card", "summary_large_image"));
    head.meta_name.push_back(KeyValue("twitter:title", page.achievement_name));
    head.meta_name.push_back(KeyValue("twitter:description", head.description));
    head.meta_name.push_back(KeyValue("twitter:image", page.png_url));
  }
  return templates_->Page(head, Render("credential.mustache", d));
}

std::string PageRenderer::Portfolio(const PortfolioPage& page) const {
  data d;
  d.set("owner_name", page.owner_name);
  data entries = List();
  for (const auto& entry : page.entries) {
    data e;
    e.set("title", entry.title);
    e.set("issuer_name", entry.issuer_name);
    e.set("issued_on", entry.issued_on);
    e.set("page_url", entry.page_url);
    e.set("image_url", entry.image_url);
    e.set("not_valid", entry.status != LiveStatus::kValid);
    e.set("status", std::string(ToString(entry.status)));
    e.set("status_label", StatusLabel(entry.status));
    entries.push_back(e);
  }
  d.set("has_entries", !page.entries.empty());
  d.set("entries", entries);
  Head head;
  head.title = page.owner_name + "'s micro-credentials";
  head.description = "Micro-credentials earned by " + page.owner_name + ", verifiable Open Badges.";
  head.canonical = page.page_url;
  head.meta_property.push_back(KeyValue("og:type", "profile"));
  head.meta_property.push_back(KeyValue("og:title", head.title));
  head.meta_property.push_back(KeyValue("og:description", head.description));
  head.meta_property.push_back(KeyValue("og:url", page.page_url));
  head.meta_name.push_back(KeyValue("twitter:card", "summary"));
  return templates_->Page(head, Render("portfolio.mustache", d));
}

std::string PageRenderer::Verify(const VerifyPage& page) const {
  data d;
  SetIf(d, "error", page.error);
  SetIf(d, "pasted", page.pasted);
  d.set("has_report", page.has_report);
  if (page.has_report) {
    d.set("verdict_class", page.verdict == "verified" ? std::string("verified")
                           : page.verdict == "incomplete" ? std::string("incomplete")
                                                          : std::string("failed"));
    d.set("verdict_headline", VerdictHeadline(page.verdict));
    SetIf(d, "achievement_name", page.achievement_name);
    SetIf(d, "issuer_name", page.issuer_name);
    data checks = List();
    for (const auto& check : page.checks) {
      data c;
      c.set("label", check.label.empty() ? CheckLabel(check.id) : check.label);
      c.set("outcome", check.outcome);
      c.set("message", check.message);
      checks.push_back(c);
    }
    d.set("checks", checks);
  }
  Head head;
  head.title = "Verify a credential";
  head.description = "Check that an Open Badges 3.0 credential is authentic, unexpired and not revoked.";
  head.script = true;
  return templates_->Page(head, Render("verify.mustache", d));
}

std::string PageRenderer::NotFound(std::string_view what) const {
  data d;
  d.set("what", std::string(what));
  Head head;
  head.title = "Not found";
  head.noindex = true;
  return templates_->Page(head, Render("not_found.mustache", d));
}

std::string_view PageRenderer::Stylesheet() { return FileText("pages.css"); }
std::string_view PageRenderer::VerifyScript() { return FileText("verify.js"); }

}  // namespace cairn::app::pages
