#pragma once
// The messages identity sends. Plain text first (every client shows it), with a small HTML copy.
#include <string>
#include <string_view>

#include "core/ports/mailer.hpp"

namespace cairn::app::identity {

core::EmailMessage VerificationEmail(std::string_view product, std::string_view to,
                                     std::string_view display_name, std::string_view link);
// Sent when someone signs up with an address that already has an account, instead of telling
// the person at the keyboard (who may not own the address) that it exists.
core::EmailMessage AlreadyRegisteredEmail(std::string_view product, std::string_view to,
                                          std::string_view display_name,
                                          std::string_view reset_link);
core::EmailMessage PasswordResetEmail(std::string_view product, std::string_view to,
                                      std::string_view display_name, std::string_view link);
core::EmailMessage InvitationEmail(std::string_view product, std::string_view to,
                                   std::string_view inviter, std::string_view organization,
                                   std::string_view role, std::string_view link);

// & < > " ' as entities.
std::string HtmlEscape(std::string_view text);

}  // namespace cairn::app::identity
