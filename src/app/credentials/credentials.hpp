#pragma once
// Credentials use cases: awarding (the core::Awarder the review decision calls), issuer keys and
// their rotation, status lists and revocation, the educator's and the issuer's lists, CLR.
//
// For the public pages (helper P): GetCredentialForPage(ctx, id) returns a CredentialPageView
// (the award, its signed JSON parsed, revoked or not, private or not, the owner's display name);
// BadgePng(ctx, mc, version) the badge image; IssuerProfileFor(ctx, issuer_id) the issuer's
// public identity. They never require a principal.
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <utility>
#include <string>
#include <vector>

#include "app/credentials/key_vault.hpp"
#include "app/credentials/open_badge.hpp"
#include "core/awards/award_repository.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/identity/principal.hpp"
#include "core/ports/awarder.hpp"
#include "core/ports/signer.hpp"
#include "core/ports/transaction.hpp"

namespace cairn::app::credentials {

using core::identity::Principal;

inline constexpr const char* kPlatformIssuer = "platform";  // signs CLR transcripts
inline constexpr std::size_t kMaxReasonChars = 500;

struct CredentialsContext {
  core::UnitOfWork& uow;
  core::Clock& clock;
  core::IdGenerator& ids;
  core::Signer& signer;
  const KeyVault& vault;
  std::string public_url;  // without a trailing slash
  std::string platform_name = "Cairn";

  // Issuer keys open once and stay in memory (signing thousands of credentials must not run
  // secretbox each time), and rendered badge images; both guarded for the server's threads.
  std::mutex mutex;
  std::map<std::string, core::SigningKey> open_keys;
  std::map<std::string, std::string> badge_pngs;
  // Published versions never change; shared, since bulk issuing reads one for every award.
  std::map<std::string, std::shared_ptr<const core::catalog::MicroCredential>> versions;
};

// The issuer's public identity: did:web when public_url is https, else the URL Cairn serves;
// did:key when the issuer chose it (its key then is the identity).
IssuerProfile IssuerProfileFor(core::Transaction& tx, CredentialsContext& ctx,
                               const std::string& issuer_id);
std::string StatusListUrl(const CredentialsContext& ctx, const std::string& list_id);
std::string CredentialUrl(const CredentialsContext& ctx, const std::string& credential_id);

class CredentialAwarder final : public core::Awarder {
 public:
  explicit CredentialAwarder(CredentialsContext& ctx) : ctx_(ctx) {}
  core::Result<std::string> Award(core::Transaction& tx, const core::AwardRequest& request) override;
  // Bulk issuing in one transaction: reads, allocations and inserts in order on the calling
  // thread, signatures on `threads` threads as soon as each item is prepared. Same idempotency
  // as Award; ids in request order.
  core::Result<std::vector<std::string>> AwardBatch(core::Transaction& tx,
                                                    const std::vector<core::AwardRequest>& requests,
                                                    int threads);

 private:
  struct Prepared;
  struct BatchState;
  core::Result<Prepared> Prepare(core::Transaction& tx, const core::AwardRequest& request,
                                 BatchState& batch);
  core::Status Store(core::Transaction& tx, Prepared& prepared);
  CredentialsContext& ctx_;
};

// Issuer keys.
struct KeyView {
  std::string id;
  std::string public_multikey;
  std::string verification_method;
  std::string created_at;
  std::optional<std::string> retired_at;
};
core::Result<std::vector<KeyView>> ListKeys(CredentialsContext& ctx, const Principal& actor,
                                            const std::string& issuer_id);
// Retires the signing key and makes a new one; the old one stays published. kInvalidState for a
// did:key issuer (its identity is its key).
core::Result<KeyView> RotateKey(CredentialsContext& ctx, const Principal& actor,
                                const std::string& issuer_id);
core::Result<core::awards::IssuerSettings> GetSettings(CredentialsContext& ctx, const Principal& actor,
                                                       const std::string& issuer_id);
// identity may change only before the issuer's first key exists (it names every credential).
core::Result<core::awards::IssuerSettings> PutSettings(CredentialsContext& ctx, const Principal& actor,
                                                       const core::awards::IssuerSettings& settings);

// Public documents.
// The controller document of an issuer (or of "platform"); did_document for /did.json.
core::Result<nlohmann::json> ControllerDocument(CredentialsContext& ctx, const std::string& issuer_id,
                                                bool did_document);
struct StatusListView {
  std::string json;
  std::int64_t version = 0;
};
core::Result<StatusListView> GetStatusList(CredentialsContext& ctx, const std::string& list_id);
core::Result<std::string> BadgePng(CredentialsContext& ctx, const std::string& micro_credential_id,
                                   int version);

// Credentials.
struct CredentialSummary {
  std::string id;
  std::string url;
  std::string micro_credential_id;
  int version = 0;
  std::string title;
  std::string issuer_id;
  std::string issuer_name;
  std::string user_id;
  std::string recipient_email;  // only in the issuer's and the CLI's lists
  std::string issued_at;
  std::optional<std::string> valid_until;
  std::optional<std::string> revoked_at;
  std::string revocation_reason;
  std::string status;  // "active", "revoked", "expired"
  std::string visibility;
};
core::Result<std::vector<CredentialSummary>> ListMine(CredentialsContext& ctx, const Principal& actor);
core::Result<std::vector<CredentialSummary>> ListIssuerAwards(CredentialsContext& ctx,
                                                              const Principal& actor,
                                                              const std::string& issuer_id);
// Every award on the platform (the operator's CLI).
core::Result<std::vector<CredentialSummary>> ListAll(CredentialsContext& ctx);
// RFC 4180 CSV of an award list, with cells that a spreadsheet would run as a formula defused.
std::string AwardsCsv(const std::vector<CredentialSummary>& awards);

// The signed JSON, or for a private credential seen by anyone but its owner only that it exists
// and whether it is valid.
struct CredentialDocument {
  bool full = true;
  std::string json;
};
core::Result<CredentialDocument> GetCredential(CredentialsContext& ctx,
                                               const std::optional<Principal>& viewer,
                                               const std::string& id);
core::Result<CredentialSummary> SetVisibility(CredentialsContext& ctx, const Principal& actor,
                                              const std::string& id, core::awards::Visibility v);
// Irreversible; a second revoke is kInvalidState. The reason goes to the audit log.
core::Result<CredentialSummary> Revoke(CredentialsContext& ctx, const Principal& actor,
                                       const std::string& id, const std::string& reason);
// A signed ClrCredential 2.0 with every active credential of the actor.
core::Result<nlohmann::json> BuildClr(CredentialsContext& ctx, const Principal& actor);

struct CredentialPageView {
  core::awards::Award award;
  nlohmann::json credential;  // the signed document
  std::string owner_name;
  std::string issuer_name;
  bool revoked = false;
  bool is_private = false;
};
core::Result<CredentialPageView> GetCredentialForPage(CredentialsContext& ctx, const std::string& id);

}  // namespace cairn::app::credentials
