#pragma once
// Server-rendered HTML for the public pages, from mustache templates compiled into the binary.
// Templates use {{ }} (escaped) for every value; {{{ }}} only for *_html view fields and for the
// page body inside the layout, both produced by Cairn.
#include <memory>
#include <string>
#include <string_view>

#include "app/pages/page_views.hpp"

namespace cairn::app::pages {

// The stylesheet and script the pages link to, served by their own routes because the pages'
// Content-Security-Policy allows no inline script or style.
inline constexpr std::string_view kStylesheetPath = "/assets-public/pages.css";
inline constexpr std::string_view kVerifyScriptPath = "/assets-public/verify.js";
// script-src and style-src 'self': the two files above are all the pages load.
inline constexpr std::string_view kPageContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

class PageRenderer {
 public:
  // Parses the embedded templates; throws std::logic_error if one is malformed (a build defect).
  PageRenderer();
  ~PageRenderer();

  std::string Credential(const CredentialPage& page) const;
  std::string Portfolio(const PortfolioPage& page) const;
  std::string Verify(const VerifyPage& page) const;
  // A friendly page for an unknown credential or portfolio.
  std::string NotFound(std::string_view what) const;

  static std::string_view Stylesheet();
  static std::string_view VerifyScript();

 private:
  struct Templates;
  std::unique_ptr<Templates> templates_;
};

}  // namespace cairn::app::pages
