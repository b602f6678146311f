#pragma once
// A credential's public page is built from its signed document, so the page shows exactly what
// a verifier sees, plus the few facts the document does not carry (the earner's display name,
// whether the earner made it private).
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "app/pages/page_views.hpp"

namespace cairn::app::pages {

struct CredentialFacts {
  std::string id;           // "cred_…", the page's address
  std::string earner_name;  // display name of the educator
  bool is_private = false;
  LiveStatus status = LiveStatus::kInvalid;
  std::string status_message;
};

// Addresses of a credential's page and downloads under the public base URL (no trailing slash).
std::string CredentialPageUrl(std::string_view public_url, std::string_view id);

// Reads an OpenBadgeCredential (OB 3.0) leniently: a missing or mistyped field leaves its part
// of the page empty rather than failing, because a stored credential must always get a page.
// Markdown in descriptions and criteria is rendered through the catalog's safe renderer.
CredentialPage BuildCredentialPage(const nlohmann::json& credential, const CredentialFacts& facts,
                                   std::string_view public_url);

}  // namespace cairn::app::pages
