#pragma once
// Open Badges 3.0 documents from domain types: the versioned serializers. A credential's JSON is
// built here once, at issue time, signed, and stored verbatim; it is never rebuilt from rows.
// Version 1 follows OB 3.0.3 (context-3.0.3.json) on VC 2.0.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/catalog/micro_credential.hpp"
#include "core/common/clock.hpp"

namespace cairn::app::credentials {

inline constexpr const char* kVcContext = "https://www.w3.org/ns/credentials/v2";
inline constexpr const char* kObContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
inline constexpr const char* kClrContext = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";
inline constexpr const char* kStatusListSize = "131072";

struct IssuerProfile {
  std::string id;  // did:web, URL or did:key
  std::string name;
  std::string url;  // a web page about the issuer
};

struct EvidenceItem {
  std::string id;  // public URL of the artifact on the credential page
  std::string name;
  std::string description;
  std::string genre;  // "document", "image", "audio", "video", "link"
};

struct CredentialStatusRef {
  std::string list_url;
  std::int64_t index = 0;
};

struct OpenBadgeInput {
  std::string credential_id;   // URL of the credential
  std::string achievement_id;  // stable URL of the pinned micro-credential version
  std::string image_url;       // the issuer's image or the rendered badge Cairn serves
  IssuerProfile issuer;
  core::catalog::MicroCredential micro_credential;  // the pinned, published version
  std::vector<core::catalog::CriterionRating> ratings;
  std::vector<EvidenceItem> evidence;  // shareable artifacts only
  std::string recipient_email;
  std::string identity_salt;
  std::string recipient_did;  // optional
  core::TimePoint valid_from{};
  std::optional<core::TimePoint> valid_until;
  CredentialStatusRef status;
};

// "sha256$" + hex(sha256(email + salt)), the OB 3.0 hashed IdentityObject form.
std::string HashedIdentity(const std::string& email, const std::string& salt);

// XML Schema dateTime in UTC with seconds precision, e.g. "2026-11-23T07:00:00Z".
std::string DateTime(core::TimePoint t);

// The rubric's criteria and level names as Markdown, appended to the criteria narrative (the
// level descriptors are in resultDescription only).
std::string RubricMarkdown(const core::catalog::Rubric& rubric);

// The unsigned OpenBadgeCredential.
nlohmann::json SerializeOpenBadgeCredentialV1(const OpenBadgeInput& input);

// The credential's Achievement alone: the same for every award of one micro-credential version
// by one issuer, so bulk issuing builds it once and signs each credential with a placeholder in
// its place (core::SignOptions::shared_member). The overload below puts `achievement` (the
// Achievement or a placeholder) in the credential, names it `title`, and does not read
// input.micro_credential.
nlohmann::json SerializeAchievementV1(const OpenBadgeInput& input);
nlohmann::json SerializeOpenBadgeCredentialV1(const OpenBadgeInput& input, nlohmann::json achievement,
                                              std::string title);
// Where the Achievement sits in the credential, as a JSON Pointer.
inline constexpr const char* kAchievementPointer = "/credentialSubject/achievement";

// The unsigned BitstringStatusListCredential of a list.
nlohmann::json SerializeStatusListCredentialV1(const std::string& list_url,
                                               const IssuerProfile& issuer,
                                               const std::string& encoded_list,
                                               core::TimePoint valid_from);

// The unsigned ClrCredential bundling signed credentials for one learner.
nlohmann::json SerializeClrCredentialV1(const std::string& id, const IssuerProfile& issuer,
                                        const std::string& learner_name,
                                        const std::string& recipient_email,
                                        const std::string& identity_salt,
                                        const std::vector<nlohmann::json>& credentials,
                                        core::TimePoint valid_from);

// A controller document (and issuer Profile) listing Multikey verification methods.
struct PublishedKey {
  std::string method_id;  // "<controller>#<key id>"
  std::string public_multikey;
};
nlohmann::json SerializeControllerDocumentV1(const IssuerProfile& issuer,
                                             const std::vector<PublishedKey>& keys,
                                             bool did_document);

}  // namespace cairn::app::credentials
