#pragma once
// The "email.send" job: the email copy of a notification, addressed when it is sent.
#include <string>
#include <string_view>

#include "core/common/result.hpp"
#include "core/ports/mailer.hpp"
#include "core/ports/transaction.hpp"

namespace cairn::app::notify {

inline constexpr std::string_view kEmailJobKind = "email.send";

struct EmailOptions {
  std::string public_url = "http://localhost:8080";  // no trailing slash
  std::string product_name = "Cairn";
};

// The message for one notice; link is an app path (made absolute here) or empty.
core::EmailMessage RenderNoticeEmail(const EmailOptions& options, std::string_view to,
                                     std::string_view display_name, std::string_view subject,
                                     std::string_view text, std::string_view link);

// Runs one "email.send" job: reads the recipient's current address, renders and sends. A payload
// that can never be sent (malformed, unknown user) is kInvalidInput or kNotFound, which the worker
// does not retry; a mail server that fails is kUnavailable, which it does. A disabled account is
// skipped (ok), so nothing reaches someone who was removed after the event.
core::Status DeliverEmail(core::UnitOfWork& uow, core::Mailer& mailer, const EmailOptions& options,
                          const std::string& payload_json);

}  // namespace cairn::app::notify
