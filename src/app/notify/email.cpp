#include "app/notify/email.hpp"

#include <optional>

#include <nlohmann/json.hpp>

#include "app/identity/emails.hpp"
#include "core/identity/repository.hpp"

namespace cairn::app::notify {
namespace {

using core::Error;

// A subject is one header line whatever the caller put in the title.
std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  return out;
}

std::string AbsoluteLink(const EmailOptions& options, std::string_view link) {
  if (link.empty()) return {};
  if (link.front() == '/') return options.public_url + std::string(link);
  return std::string(link);
}

struct Payload {
  std::string user_id, subject, text, link;
};

std::optional<Payload> ParsePayload(const std::string& json_text) {
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  Payload p;
  for (auto [key, out] : {std::pair{"user_id", &p.user_id}, std::pair{"subject", &p.subject},
                          std::pair{"text", &p.text}, std::pair{"link", &p.link}}) {
    auto it = j.find(key);
    if (it == j.end()) continue;
    if (!it->is_string()) return std::nullopt;
    *out = it->get<std::string>();
  }
  if (p.user_id.empty() || p.subject.empty()) return std::nullopt;
  return p;
}

}  // namespace

core::EmailMessage RenderNoticeEmail(const EmailOptions& options, std::string_view to,
                                     std::string_view display_name, std::string_view subject,
                                     std::string_view text, std::string_view link) {
  using identity::HtmlEscape;
  const std::string url = AbsoluteLink(options, link);
  const std::string hello =
      display_name.empty() ? "Hello," : "Hello " + std::string(display_name) + ",";
  core::EmailMessage m;
  m.to = to;
  m.subject = OneLine(subject);
  m.text_body = hello + "\n\n" + std::string(text) + "\n";
  if (!url.empty()) m.text_body += "\n" + url + "\n";
  m.text_body += "\nYou receive this because you have an account on " + options.product_name +
                 ". The same notice is in your notifications there.\n";

  std::string paragraphs;
  std::string_view rest = text;
  // Blank lines separate paragraphs in the text; keep that shape in the HTML copy.
  while (!rest.empty()) {
    auto cut = rest.find("\n\n");
    auto part = rest.substr(0, cut);
    if (!part.empty()) paragraphs += "<p>" + HtmlEscape(part) + "</p>";
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + 2);
  }
  m.html_body = "<!doctype html><html><body><p>" + HtmlEscape(hello) + "</p>" + paragraphs;
  if (!url.empty())
    m.html_body += "<p><a href=\"" + HtmlEscape(url) + "\">Open in " +
                   HtmlEscape(options.product_name) + "</a></p>";
  m.html_body += "</body></html>\n";
  return m;
}

core::Status DeliverEmail(core::UnitOfWork& uow, core::Mailer& mailer, const EmailOptions& options,
                          const std::string& payload_json) {
  auto payload = ParsePayload(payload_json);
  if (!payload) return Error::InvalidInput("email.send: the payload needs user_id and subject");
  std::optional<core::identity::User> user;
  auto read = uow.Read([&](core::Transaction& tx) {
    user = tx.Identity().FindUserById(payload->user_id);
    return core::Ok();
  });
  if (!read) return read.error();
  // The user id is random and safe to name; the address is not, so no message ever carries it.
  if (!user) return Error::NotFound("email.send: no user " + payload->user_id);
  if (user->status != core::identity::UserStatus::kActive) return core::Ok();
  auto sent = mailer.Send(RenderNoticeEmail(options, user->email, user->display_name,
                                            payload->subject, payload->text, payload->link));
  if (!sent && sent.error().code != core::ErrorCode::kInvalidInput)
    return Error{core::ErrorCode::kUnavailable, "email.send: " + sent.error().message, {}, {}};
  return sent;
}

}  // namespace cairn::app::notify
