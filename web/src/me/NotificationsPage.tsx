import { useState } from "react";
import { Link } from "react-router-dom";
import { get, post } from "../api/client";
import type { NotificationPage } from "../api/types";
import { Empty, ErrorPanel, Loading } from "../components/Status";
import { useAsync } from "../components/useAsync";

export function NotificationsPage() {
  const [reload, setReload] = useState(0);
  const [state, retry] = useAsync(() => get<NotificationPage>("/api/v1/notifications", { limit: 50 }), [reload]);
  return (
    <section aria-labelledby="ntf-title">
      <h1 id="ntf-title">Notifications</h1>
      {state.status === "loading" && <Loading label="Loading notifications" />}
      {state.status === "error" && <ErrorPanel error={state.error} onRetry={retry} />}
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
              <button
                type="button"
                className="link-button"
                onClick={async () => {
                  await post("/api/v1/notifications/read-all");
                  setReload((n) => n + 1);
                }}
              >
                Mark all as read
              </button>
            )}
          </p>
          <ul className="notifications">
            {state.data.items.map((n) => (
              <li key={n.id} className={n.read_at ? "read" : "unread"}>
                <h2>
                  {n.link ? (
                    <Link
                      to={n.link}
                      onClick={() => {
                        if (!n.read_at) void post(`/api/v1/notifications/${n.id}/read`);
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
