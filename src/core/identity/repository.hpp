#pragma once
// The identity port: what the use cases need from storage, plus the two crypto ports (core links
// no crypto library). Repository methods run inside a core::Transaction; driver failures throw
// and the unit of work turns them into domain errors, so methods return plain values.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/identity/organization.hpp"
#include "core/identity/principal.hpp"
#include "core/identity/tokens.hpp"
#include "core/identity/user.hpp"

namespace cairn::core::identity {

class IdentityRepository {
 public:
  virtual ~IdentityRepository() = default;

  // Users. Emails are stored normalized; a duplicate email is a unique-key conflict.
  virtual void InsertUser(const User& user) = 0;
  // Writes display name, email_verified, platform_admin, password hash, status, updated_at.
  virtual void UpdateUser(const User& user) = 0;
  virtual std::optional<User> FindUserById(const std::string& id) = 0;
  virtual std::optional<User> FindUserByEmail(const std::string& email) = 0;

  // Organisations.
  virtual void InsertOrganization(const Organization& org) = 0;
  virtual std::optional<Organization> FindOrganization(const std::string& id) = 0;
  // By name then id; at most limit.
  virtual std::vector<Organization> ListOrganizations(int limit) = 0;
  virtual std::vector<Organization> ListSchools(const std::string& district_id) = 0;

  // Memberships: one row per (user, organisation, role).
  virtual void InsertMembership(const std::string& user_id, const Membership& membership,
                                TimePoint at) = 0;
  virtual std::vector<Membership> ListMemberships(const std::string& user_id) = 0;
  virtual std::vector<Member> ListMembers(const std::string& organization_id) = 0;

  // Sessions.
  virtual void InsertSession(const Session& session) = 0;
  virtual std::optional<Session> FindSessionByTokenHash(const std::string& token_hash) = 0;
  virtual void TouchSession(const std::string& session_id, TimePoint at) = 0;
  virtual void DeleteSession(const std::string& session_id) = 0;
  // Returns how many were deleted.
  virtual int DeleteSessionsOfUser(const std::string& user_id) = 0;

  // Personal API tokens.
  virtual void InsertApiToken(const ApiToken& token) = 0;
  virtual std::optional<ApiToken> FindApiTokenByHash(const std::string& token_hash) = 0;
  virtual std::optional<ApiToken> FindApiToken(const std::string& id) = 0;
  // Newest first.
  virtual std::vector<ApiToken> ListApiTokens(const std::string& user_id) = 0;
  // Writes last_used_at and revoked_at.
  virtual void UpdateApiToken(const ApiToken& token) = 0;

  // One-time email links.
  virtual void InsertEmailToken(const EmailToken& token) = 0;
  virtual std::optional<EmailToken> FindEmailTokenByHash(const std::string& token_hash) = 0;
  // False when the token was already used: a concurrent request got there first.
  virtual bool MarkEmailTokenUsed(const std::string& token_hash, TimePoint at) = 0;
  // Voids every unused token of this purpose for this user (a new reset link replaces old ones).
  virtual void UseUpEmailTokens(const std::string& user_id, EmailTokenPurpose purpose,
                                TimePoint at) = 0;

  // Invitations.
  virtual void InsertInvitation(const Invitation& invitation) = 0;
  virtual std::optional<Invitation> FindInvitationByTokenHash(const std::string& token_hash) = 0;
  // Writes status, accepted_at, accepted_by.
  virtual void UpdateInvitation(const Invitation& invitation) = 0;

  // Login throttling, shared by every server process through the database.
  virtual ThrottleWindow CountFailures(const std::string& key, TimePoint since) = 0;
  virtual void RecordFailure(const std::string& key, TimePoint at) = 0;
  virtual void ClearFailures(const std::string& key) = 0;
  // Drops failures older than before (housekeeping, so the table stays small).
  virtual void PruneFailures(TimePoint before) = 0;
};

// Password hashing (Argon2id in app/). Hash fails only when the machine is out of memory.
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual Result<std::string> Hash(std::string_view password) = 0;
  virtual bool Verify(std::string_view hash, std::string_view password) = 0;
};

// Random bearer secrets and their digests.
class SecretGenerator {
 public:
  virtual ~SecretGenerator() = default;
  // 256 random bits as unpadded base64url (43 characters).
  virtual std::string NewSecret() = 0;
  // Lower-case hex SHA-256 of the secret: what the database stores and looks up.
  virtual std::string Digest(std::string_view secret) = 0;
};

}  // namespace cairn::core::identity
