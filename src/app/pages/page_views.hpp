#pragma once
// What the public pages show, as plain data. Building a view (from a signed credential, from a
// portfolio) and rendering it (templates) are separate steps, so each can be tested alone.
// Every string here is plain text and is escaped when rendered, except the *_html fields, which
// hold HTML that Cairn produced itself (the catalog's safe Markdown rendering).
#include <optional>
#include <string>
#include <vector>

namespace cairn::app::pages {

// The answer of a live verification run at request time.
enum class LiveStatus { kValid, kRevoked, kExpired, kNotYetValid, kInvalid };

std::string_view ToString(LiveStatus status);  // "valid", "revoked", "expired", …

struct RubricLevelView {
  std::string name;
  std::string description_html;
  bool achieved = false;
};

struct RubricCriterionView {
  std::string name;
  std::string description_html;
  std::vector<RubricLevelView> levels;
};

struct EvidenceView {
  std::string name;
  std::string description;
  std::string url;  // empty when the evidence has no public address
};

struct CredentialPage {
  std::string id;
  // A private credential's page says only that it exists and whether it is valid.
  bool is_private = false;
  LiveStatus status = LiveStatus::kInvalid;
  std::string status_message;  // why, for people (e.g. the verifier's failing check)

  std::string achievement_name;
  std::string achievement_description_html;
  std::string criteria_html;
  std::string achievement_type;  // "MicroCredential"
  std::string image_url;         // absolute; the badge PNG
  std::string issuer_name;
  std::string issuer_url;
  std::string earner_name;
  std::string issued_on;    // "2026-11-23"
  std::string valid_until;  // empty when it never expires
  int issued_year = 0;
  int issued_month = 0;
  std::vector<RubricCriterionView> rubric;
  std::vector<EvidenceView> evidence;

  // Absolute addresses of this page and its downloads.
  std::string page_url;
  std::string json_url;
  std::string png_url;
  std::string svg_url;
};

struct PortfolioEntry {
  std::string title;
  std::string issuer_name;
  std::string issued_on;
  std::string page_url;
  std::string image_url;
  LiveStatus status = LiveStatus::kValid;
};

struct PortfolioPage {
  std::string owner_name;
  std::string handle;
  std::string page_url;
  std::vector<PortfolioEntry> entries;
};

struct VerifyCheckView {
  std::string id;       // "proof"
  std::string label;    // "Signature"
  std::string outcome;  // "passed", "failed", "skipped", "unsupported"
  std::string message;
};

struct VerifyPage {
  bool has_report = false;
  std::string verdict;  // "verified", "failed", "incomplete"
  std::string achievement_name;
  std::string issuer_name;
  std::vector<VerifyCheckView> checks;
  std::string error;  // the form itself was unusable (no file, too large)
  std::string pasted; // echoed back into the textarea
};

// The LinkedIn "Add to profile" address for a certification, every parameter URL-encoded.
std::string LinkedInAddToProfileUrl(const CredentialPage& page);

// RFC 3986 percent-encoding of everything outside the unreserved set.
std::string UrlEncode(std::string_view text);

}  // namespace cairn::app::pages
