import { Link } from "react-router-dom";
import { get } from "../api/client";
import type { ReviewStats, ReviewSummary } from "../api/types";
import { Empty, ErrorPanel, InlineError, Loading } from "../components/Status";
import { useAsync } from "../components/useAsync";

function day(at: string) {
  return new Date(at).toLocaleDateString(undefined, { dateStyle: "medium" });
}

export function percent(x: number | null) {
  return x === null ? "not enough decided reviews yet" : `${Math.round(x * 100)}%`;
}

export function ReviewQueuePage() {
  const [queue, retry] = useAsync(() => get<{ items: ReviewSummary[] }>("/api/v1/reviews"), []);
  const [stats, retryStats] = useAsync(() => get<ReviewStats>("/api/v1/reviews/stats"), []);
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Reviews</h1>
      {stats.status === "ready" && (
        <p className="meta">
          {stats.data.open_reviews} open · {stats.data.completed_reviews} completed · agreement with final decisions:{" "}
          {percent(stats.data.calibration.agreement_rate)}
          {stats.data.calibration.kappa !== null && ` · Cohen's kappa ${stats.data.calibration.kappa.toFixed(2)}`}
        </p>
      )}
      {stats.status === "error" && queue.status !== "error" && (
        <InlineError what="Could not load your review statistics" error={stats.error} onRetry={retryStats} />
      )}
      {queue.status === "loading" && <Loading label="Loading your reviews" />}
      {queue.status === "error" && <ErrorPanel error={queue.error} onRetry={retry} what="Could not load your reviews" />}
      {queue.status === "ready" && queue.data.items.length === 0 && (
        <Empty title="No reviews waiting">
          <p>New reviews appear here when submissions are assigned to you. You will also get an email.</p>
        </Empty>
      )}
      {queue.status === "ready" && queue.data.items.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Review queue">
          <table className="queue">
            <caption>Open reviews, soonest due first</caption>
            <thead>
              <tr>
                <th scope="col">Submission</th>
                <th scope="col">Micro-credential</th>
                <th scope="col">Due</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {[...queue.data.items]
                .sort((a, b) => a.due_at.localeCompare(b.due_at))
                .map((r) => (
                  <tr key={r.id} className={r.overdue ? "overdue" : undefined}>
                    <th scope="row">
                      <Link to={`/reviews/${r.id}`}>{r.code ?? r.id}</Link>
                      {r.tie_break && <span className="badge">third review</span>}
                    </th>
                    <td>
                      {r.micro_credential_title ?? r.micro_credential_id} (v{r.version})
                    </td>
                    <td>
                      {day(r.due_at)}
                      {r.overdue && <strong className="field-error"> overdue</strong>}
                    </td>
                    <td>{r.state === "in_progress" ? "Started" : r.state === "assigned" ? "Not started" : r.state}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
