#pragma once
// core::identity::IdentityRepository over SQL, inside the caller's transaction.
#include "core/identity/repository.hpp"
#include "storage/database.hpp"

namespace cairn::storage {

class SqlIdentityRepository final : public core::identity::IdentityRepository {
 public:
  explicit SqlIdentityRepository(Tx& tx) : tx_(tx) {}

  void InsertUser(const core::identity::User& user) override;
  void UpdateUser(const core::identity::User& user) override;
  std::optional<core::identity::User> FindUserById(const std::string& id) override;
  std::optional<core::identity::User> FindUserByEmail(const std::string& email) override;

  void InsertOrganization(const core::identity::Organization& org) override;
  std::optional<core::identity::Organization> FindOrganization(const std::string& id) override;
  std::vector<core::identity::Organization> ListOrganizations(int limit) override;
  std::vector<core::identity::Organization> ListSchools(const std::string& district_id) override;

  void InsertMembership(const std::string& user_id, const core::identity::Membership& membership,
                        core::TimePoint at) override;
  std::vector<core::identity::Membership> ListMemberships(const std::string& user_id) override;
  std::vector<core::identity::Member> ListMembers(const std::string& organization_id) override;

  void InsertSession(const core::identity::Session& session) override;
  std::optional<core::identity::Session> FindSessionByTokenHash(const std::string& hash) override;
  void TouchSession(const std::string& session_id, core::TimePoint at) override;
  void DeleteSession(const std::string& session_id) override;
  int DeleteSessionsOfUser(const std::string& user_id) override;

  void InsertApiToken(const core::identity::ApiToken& token) override;
  std::optional<core::identity::ApiToken> FindApiTokenByHash(const std::string& hash) override;
  std::optional<core::identity::ApiToken> FindApiToken(const std::string& id) override;
  std::vector<core::identity::ApiToken> ListApiTokens(const std::string& user_id) override;
  void UpdateApiToken(const core::identity::ApiToken& token) override;

  void InsertEmailToken(const core::identity::EmailToken& token) override;
  std::optional<core::identity::EmailToken> FindEmailTokenByHash(const std::string& hash) override;
  bool MarkEmailTokenUsed(const std::string& token_hash, core::TimePoint at) override;
  void UseUpEmailTokens(const std::string& user_id, core::identity::EmailTokenPurpose purpose,
                        core::TimePoint at) override;

  void InsertInvitation(const core::identity::Invitation& invitation) override;
  std::optional<core::identity::Invitation> FindInvitationByTokenHash(const std::string& hash) override;
  void UpdateInvitation(const core::identity::Invitation& invitation) override;

  core::identity::ThrottleWindow CountFailures(const std::string& key, core::TimePoint since) override;
  void RecordFailure(const std::string& key, core::TimePoint at) override;
  void ClearFailures(const std::string& key) override;
  void PruneFailures(core::TimePoint before) override;

 private:
  Tx& tx_;
};

}  // namespace cairn::storage
