#pragma once
// One call tells a user about an event: an in-app notification now and, unless asked not to, an
// email queued as an "email.send" job. Both are written in the caller's transaction, so a
// notification exists exactly when the event committed, and a slow mail server never holds it up.
#include <string>

#include "core/common/clock.hpp"
#include "core/ports/transaction.hpp"

namespace cairn::app::notify {

struct Notice {
  std::string user_id;  // recipient
  std::string kind;     // "review.assigned", "review.overdue", "submission.decided", …
  std::string title;    // also the email's subject
  std::string body;     // plain text; also the email's text
  std::string link;     // app path, e.g. "/reviews/rev_…"; the email gets the absolute URL
  bool email = true;
};

// The recipient's address is looked up when the email job runs, so it never sits in a payload.
void Notify(core::Transaction& tx, core::Clock& clock, core::IdGenerator& ids, const Notice& notice);

}  // namespace cairn::app::notify
