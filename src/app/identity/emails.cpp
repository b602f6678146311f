#include "app/identity/emails.hpp"

namespace cairn::app::identity {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

core::EmailMessage Compose(std::string_view to, std::string subject, std::string_view greeting_name,
                           std::string_view paragraph, std::string_view link,
                           std::string_view action) {
  core::EmailMessage m;
  m.to = to;
  m.subject = std::move(subject);
  std::string hello = greeting_name.empty() ? "Hello," : "Hello " + std::string(greeting_name) + ",";
  m.text_body = hello + "\n\n" + std::string(paragraph) + "\n\n" + std::string(link) +
                "\n\nIf you did not expect this email, you can ignore it.\n";
  m.html_body = "<!doctype html><html><body><p>" + HtmlEscape(hello) + "</p><p>" +
                HtmlEscape(paragraph) + "</p><p><a href=\"" + HtmlEscape(link) + "\">" +
                HtmlEscape(action) + "</a></p><p>If you did not expect this email, you can ignore " +
                "it.</p></body></html>\n";
  return m;
}

}  // namespace

core::EmailMessage VerificationEmail(std::string_view product, std::string_view to,
                                     std::string_view display_name, std::string_view link) {
  return Compose(to, "Confirm your email address for " + std::string(product), display_name,
                 "Please confirm your email address by opening this link:", link,
                 "Confirm my email address");
}

core::EmailMessage AlreadyRegisteredEmail(std::string_view product, std::string_view to,
                                          std::string_view display_name,
                                          std::string_view reset_link) {
  return Compose(to, "You already have a " + std::string(product) + " account", display_name,
                 "Someone tried to sign up with this address, which already has an account. "
                 "If it was you, sign in, or reset your password with this link:",
                 reset_link, "Reset my password");
}

core::EmailMessage PasswordResetEmail(std::string_view product, std::string_view to,
                                      std::string_view display_name, std::string_view link) {
  return Compose(to, "Reset your " + std::string(product) + " password", display_name,
                 "Choose a new password by opening this link within the hour:", link,
                 "Choose a new password");
}

core::EmailMessage InvitationEmail(std::string_view product, std::string_view to,
                                   std::string_view inviter, std::string_view organization,
                                   std::string_view role, std::string_view link) {
  std::string where = organization.empty() ? std::string(product) : std::string(organization);
  return Compose(to, "You are invited to join " + where + " on " + std::string(product), "",
                 std::string(inviter) + " invited you to join " + where + " as " +
                     std::string(role) + ". Accept the invitation with this link:",
                 link, "Accept the invitation");
}

}  // namespace cairn::app::identity
