#pragma once
// Issued credentials, issuer signing keys and status lists: the credentials slice's port.
// Times are UTC TimePoints; the signed JSON of a credential or status list is stored verbatim
// because a signature covers exact bytes' meaning and must never be re-derived from rows.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/clock.hpp"

namespace cairn::core::awards {

enum class Visibility { kPublic, kPrivate };
std::string_view ToString(Visibility v);
std::optional<Visibility> ParseVisibility(std::string_view text);

// An issuer's Ed25519 key. The secret is sealed (crypto_secretbox) under the key-encryption key;
// only the public half is ever shown.
struct IssuerKey {
  std::string id;  // "key_…", also the fragment of the verification method
  std::string issuer_id;
  std::string public_multikey;  // "z6Mk…"
  std::string sealed_nonce_hex;
  std::string sealed_secret_hex;
  TimePoint created_at{};
  std::optional<TimePoint> retired_at;  // retired keys still verify old credentials
};

// How an issuer signs. did:key issuers have no domain and therefore cannot rotate.
enum class IssuerIdentity { kHosted, kDidKey };
std::string_view ToString(IssuerIdentity v);
std::optional<IssuerIdentity> ParseIssuerIdentity(std::string_view text);

struct IssuerSettings {
  std::string issuer_id;
  IssuerIdentity identity = IssuerIdentity::kHosted;
  std::string suite = "eddsa-rdfc-2022";  // or "eddsa-jcs-2022"
  std::optional<int> valid_days;           // credentials expire this many days after issue
};

struct Award {
  std::string id;  // "cred_…"
  std::string submission_id;
  std::string user_id;
  std::string issuer_id;
  std::string micro_credential_id;
  int version = 0;
  std::string status_list_id;
  std::int64_t status_index = 0;
  TimePoint issued_at{};
  std::optional<TimePoint> valid_until;
  std::optional<TimePoint> revoked_at;
  std::string revocation_reason;
  Visibility visibility = Visibility::kPublic;
  std::string signed_json;
};

// A BitstringStatusList of one issuer. Which bits are set is derived from the revoked awards that
// point into it, so the list has a single source of truth; signed_json caches the signed credential
// and is rebuilt on every revocation.
struct StatusList {
  std::string id;  // "sl_…"
  std::string issuer_id;
  std::string purpose = "revocation";
  std::int64_t size = 131072;
  std::int64_t allocated = 0;
  std::int64_t version = 1;
  TimePoint updated_at{};
  std::string signed_json;  // empty until first signed
};

struct AwardFilter {
  std::string user_id;    // empty: any
  std::string issuer_id;  // empty: any
};

class AwardRepository {
 public:
  virtual ~AwardRepository() = default;

  // Awards. InsertAward throws on a duplicate submission_id or (list, index) pair.
  virtual void InsertAward(const Award& award) = 0;
  virtual std::optional<Award> FindAward(const std::string& id) = 0;
  virtual std::optional<Award> FindAwardBySubmission(const std::string& submission_id) = 0;
  // Newest first.
  virtual std::vector<Award> ListAwards(const AwardFilter& filter) = 0;
  // False when the award does not exist or is already revoked.
  virtual bool MarkRevoked(const std::string& id, TimePoint at, const std::string& reason) = 0;
  virtual bool SetVisibility(const std::string& id, Visibility visibility) = 0;

  // Keys.
  virtual void InsertKey(const IssuerKey& key) = 0;
  // Every key of the issuer, oldest first.
  virtual std::vector<IssuerKey> ListKeys(const std::string& issuer_id) = 0;
  virtual std::optional<IssuerKey> ActiveKey(const std::string& issuer_id) = 0;
  virtual void RetireKey(const std::string& key_id, TimePoint at) = 0;

  // Issuer settings (defaults when none stored).
  virtual IssuerSettings GetSettings(const std::string& issuer_id) = 0;
  virtual void PutSettings(const IssuerSettings& settings) = 0;

  // Status lists.
  virtual void InsertStatusList(const StatusList& list) = 0;
  virtual std::optional<StatusList> FindStatusList(const std::string& id) = 0;
  // The newest list of the issuer for this purpose that still has room.
  virtual std::optional<StatusList> OpenStatusList(const std::string& issuer_id,
                                                   const std::string& purpose) = 0;
  virtual bool IndexInUse(const std::string& list_id, std::int64_t index) = 0;
  // Counts one more allocated index.
  virtual void CountAllocation(const std::string& list_id) = 0;
  virtual void UpdateStatusListSignature(const std::string& list_id, std::int64_t version,
                                         TimePoint at, const std::string& signed_json) = 0;
  // Indexes of revoked awards in this list.
  virtual std::vector<std::int64_t> RevokedIndexes(const std::string& list_id) = 0;
};

}  // namespace cairn::core::awards
