#include "core/identity/tokens.hpp"

namespace cairn::core::identity {

std::string_view EmailTokenPurposeName(EmailTokenPurpose purpose) {
  return purpose == EmailTokenPurpose::kVerifyEmail ? "verify_email" : "reset_password";
}

std::optional<EmailTokenPurpose> ParseEmailTokenPurpose(std::string_view name) {
  if (name == "verify_email") return EmailTokenPurpose::kVerifyEmail;
  if (name == "reset_password") return EmailTokenPurpose::kResetPassword;
  return std::nullopt;
}

std::string_view InvitationStatusName(InvitationStatus status) {
  switch (status) {
    case InvitationStatus::kPending: return "pending";
    case InvitationStatus::kAccepted: return "accepted";
    case InvitationStatus::kRevoked: return "revoked";
  }
  return "pending";
}

std::optional<InvitationStatus> ParseInvitationStatus(std::string_view name) {
  if (name == "pending") return InvitationStatus::kPending;
  if (name == "accepted") return InvitationStatus::kAccepted;
  if (name == "revoked") return InvitationStatus::kRevoked;
  return std::nullopt;
}

}  // namespace cairn::core::identity
