#include "http/handlers/notification_handlers.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "app/notify/inbox.hpp"

namespace cairn::http {
namespace {

using nlohmann::json;
namespace notify = app::notify;

constexpr std::string_view kBase = "/api/v1/notifications";

Response Unauthenticated() {
  return ProblemResponse(core::Error::Unauthenticated("sign in to see your notifications"));
}

json NotificationJson(const core::notify::Notification& n) {
  return {{"id", n.id},
          {"kind", n.kind},
          {"title", n.title},
          {"body", n.body},
          {"link", n.link},
          {"created_at", core::FormatTime(n.created_at)},
          {"read_at", n.read_at ? json(core::FormatTime(*n.read_at)) : json()}};
}

core::Result<notify::InboxQuery> ParseInboxQuery(const Request& req) {
  notify::InboxQuery q;
  if (auto unread = req.Query("unread")) {
    if (*unread == "true" || *unread == "1")
      q.unread_only = true;
    else if (*unread != "false" && *unread != "0")
      return core::Error::InvalidInput("unread must be true or false");
  }
  if (auto limit = req.Query("limit")) {
    int value = 0;
    const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc() || end != limit->data() + limit->size() || value < 1 ||
        value > notify::kMaxPageSize)
      return core::Error::InvalidInput("limit must be an integer from 1 to " +
                                       std::to_string(notify::kMaxPageSize));
    q.limit = value;
  }
  if (auto before = req.Query("before")) q.before_id = *before;
  return q;
}

}  // namespace

void RegisterNotificationRoutes(Router& router, const NotificationHandlerDeps& deps) {
  core::UnitOfWork& uow = deps.uow;
  core::Clock& clock = deps.clock;
  const std::string base(kBase);

  router.Add({"GET", base,
              [&uow](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto query = ParseInboxQuery(req);
                if (!query.ok()) return ProblemResponse(query.error());
                auto inbox = notify::ListNotifications(uow, *req.principal, *query);
                if (!inbox.ok()) return ProblemResponse(inbox.error());
                json items = json::array();
                for (const auto& n : inbox->items) items.push_back(NotificationJson(n));
                json body = {{"items", std::move(items)},
                             {"unread_count", inbox->unread_count},
                             {"next_before", inbox->next_before.empty()
                                                 ? json()
                                                 : json(inbox->next_before)}};
                Response r = JsonResponse(200, body);
                r.headers.Set("Cache-Control", "private, no-store");
                return r;
              },
              "authenticated", 0, "Your notifications, newest first"});

  router.Add({"POST", base + "/{id}/read",
              [&uow, &clock](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto marked = notify::MarkNotificationRead(uow, clock, *req.principal, req.Param("id"));
                if (!marked.ok()) return ProblemResponse(marked.error());
                return NoContentResponse();
              },
              "authenticated", 1024, "Mark one of your notifications read"});

  router.Add({"POST", base + "/read-all",
              [&uow, &clock](Request& req) {
                if (!req.principal) return Unauthenticated();
                auto marked = notify::MarkAllNotificationsRead(uow, clock, *req.principal);
                if (!marked.ok()) return ProblemResponse(marked.error());
                return JsonResponse(200, {{"marked", *marked}});
              },
              "authenticated", 1024, "Mark all your notifications read"});
}

}  // namespace cairn::http
