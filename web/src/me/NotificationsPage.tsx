import { useState } from "react";
import { Link } from "react-router-dom";
import { ApiError, get, post, toApiError } from "../api/client";
import type { NotificationPage } from "../api/types";
import { Empty, ErrorPanel, InlineError, Loading } from "../components/Status";
import { useAsync } from "../components/useAsync";

export function NotificationsPage() {
  const [reload, setReload] = useState(0);
  const [state, retry] = useAsync(() => get<NotificationPage>("/api/v1/notifications", { limit: 50 }), [reload]);
  const [markError, setMarkError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function markAllRead() {
    setBusy(true);
    setMarkError(null);
    try {
      await post("/api/v1/notifications/read-all");
      setReload((n) => n + 1);
    } catch (e) {
      setMarkError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="ntf-title">
      <h1 id="ntf-title">Notifications</h1>
      {state.status === "loading" && <Loading label="Loading notifications" />}
      {state.status === "error" && <ErrorPanel error={state.error} onRetry={retry} what="Could not load your notifications" />}
      {state.status === "ready" && state.data.items.length === 0 && (
        <Empty title="Nothing new">
          <p>Assignments, decisions and reminders will appear here, and by email.</p>
        </Empty>
      )}
      {state.status === "ready" && state.data.items.length > 0 && (
        <>
          <p className="meta">
            {state.data.unread_count} unread{" "}
            {state.data.unread_count > 0 && (
              <button type="button" className="link-button" disabled={busy} onClick={() => void markAllRead()}>
                Mark all as read
              </button>
            )}
          </p>
          {markError && (
            <InlineError what="Your notifications were not marked as read" error={markError} focus onRetry={() => void markAllRead()} />
          )}
          <ul className="notifications">
            {state.data.items.map((n) => (
              <li key={n.id} className={n.read_at ? "read" : "unread"}>
                <h2>
                  {n.link ? (
                    <Link
                      to={n.link}
                      onClick={() => {
                        // Best effort: the page it leads to matters more than the unread mark.
                        if (!n.read_at) post(`/api/v1/notifications/${n.id}/read`).catch(() => undefined);
                      }}
                    >
                      {n.title}
                    </Link>
                  ) : (
                    n.title
                  )}
                  {!n.read_at && <span className="badge">new</span>}
                </h2>
                <p>{n.body}</p>
                <p className="meta">
                  <time dateTime={n.created_at}>{new Date(n.created_at).toLocaleString()}</time>
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
