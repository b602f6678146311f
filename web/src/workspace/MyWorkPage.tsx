import { Link } from "react-router-dom";
import { get } from "../api/client";
import type { Enrolment } from "../api/types";
import { Empty, ErrorPanel, Loading } from "../components/Status";
import { useAsync } from "../components/useAsync";
import { NEXT_STEP_LABELS, STATE_LABELS } from "./EnrolmentPage";

export function MyWorkPage() {
  const [state, retry] = useAsync(() => get<{ items: Enrolment[] }>("/api/v1/enrolments"), []);
  return (
    <section aria-labelledby="mywork-title">
      <h1 id="mywork-title">My work</h1>
      {state.status === "loading" && <Loading label="Loading your enrolments" />}
      {state.status === "error" && <ErrorPanel error={state.error} onRetry={retry} what="Could not load your work" />}
      {state.status === "ready" && state.data.items.length === 0 && (
        <Empty title="You have not started a micro-credential yet">
          <p>
            <Link to="/">Browse the catalog</Link> and choose one that fits your classroom.
          </p>
        </Empty>
      )}
      {state.status === "ready" && state.data.items.length > 0 && (
        <ul className="cards">
          {state.data.items.map((e) => (
            <li key={e.id} className="card">
              <h2>
                <Link to={`/enrolments/${e.id}`}>{e.title}</Link>
              </h2>
              <p>
                <strong>Next step:</strong> {NEXT_STEP_LABELS[e.next_step]}
              </p>
              <p className="meta">
                {e.latest_submission
                  ? `Attempt ${e.latest_submission.attempt}: ${STATE_LABELS[e.latest_submission.state] ?? e.latest_submission.state}`
                  : e.draft_revision > 0
                    ? "Draft saved"
                    : "Not started"}
                {" · "}
                {e.attempts_left} {e.attempts_left === 1 ? "attempt" : "attempts"} left
                {e.due_at && ` · due ${new Date(e.due_at).toLocaleDateString()}`}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
