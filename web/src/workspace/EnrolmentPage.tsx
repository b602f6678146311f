import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError, get, post, toApiError } from "../api/client";
import type { Draft, Enrolment, MicroCredential, Submission, SubmissionFeedback } from "../api/types";
import { ErrorPanel, InlineError, Loading } from "../components/Status";
import { useAsync } from "../components/useAsync";
import { Workspace } from "./Workspace";

export const STATE_LABELS: Record<string, string> = {
  submitted: "Submitted",
  in_review: "In review",
  returned: "Returned to you",
  withdrawn: "Withdrawn",
  earned: "Earned",
  not_yet: "Not yet",
};

export const NEXT_STEP_LABELS: Record<Enrolment["next_step"], string> = {
  start: "Start your submission",
  "continue draft": "Continue your draft",
  "in review": "Waiting for reviewers",
  resubmit: "Revise and resubmit",
  "meet coach": "Meet a coach before your next attempt",
  earned: "Earned",
};

function when(at: string) {
  return new Date(at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

interface Loaded {
  enrolment: Enrolment;
  mc: MicroCredential;
  draft: Draft;
  submissions: Submission[];
}

async function load(id: string): Promise<Loaded> {
  const enrolment = await get<Enrolment>(`/api/v1/enrolments/${id}`);
  const [mc, draft, submissions] = await Promise.all([
    get<MicroCredential>(`/api/v1/micro-credentials/${enrolment.micro_credential_id}/versions/${enrolment.version}`),
    get<Draft>(`/api/v1/enrolments/${id}/draft`),
    get<{ items: Submission[] }>(`/api/v1/enrolments/${id}/submissions`),
  ]);
  return { enrolment, mc, draft, submissions: submissions.items };
}

export function EnrolmentPage() {
  const { id = "" } = useParams();
  const [reload, setReload] = useState(0);
  const [state, retry] = useAsync(() => load(id), [id, reload]);

  if (state.status === "loading") return <Loading label="Loading your work" />;
  if (state.status === "error")
    return (
      <ErrorPanel
        error={state.error}
        onRetry={retry}
        page
        what="Could not open this enrolment"
        advice={
          state.error.status === 404
            ? "It is not one of yours, or the address is mistyped. My work lists everything you have started."
            : undefined
        }
        back={{ to: "/my-work", label: "Go to My work" }}
      />
    );
  const { enrolment, mc, draft, submissions } = state.data;
  const latest = submissions[submissions.length - 1];
  const editable = ["start", "continue draft", "resubmit"].includes(enrolment.next_step);

  return (
    <article aria-labelledby="enrolment-title">
      <p className="breadcrumb">
        <Link to="/my-work">My work</Link> / {enrolment.title}
      </p>
      <h1 id="enrolment-title">{enrolment.title}</h1>
      <p className="meta">
        Version {enrolment.version} · <Link to={`/micro-credentials/${enrolment.micro_credential_id}`}>Requirements and rubric</Link>
        {enrolment.due_at && <> · due {when(enrolment.due_at)}</>}
      </p>
      <p className="next-step">
        <strong>Next step:</strong> {NEXT_STEP_LABELS[enrolment.next_step]}
        {enrolment.next_step === "meet coach" &&
          ". You have used every attempt. The issuer will record your coaching session, which opens one more attempt."}
      </p>

      {latest && <SubmissionStatus submission={latest} onChanged={() => setReload((n) => n + 1)} />}

      {editable ? (
        <Workspace
          key={draft.revision}
          enrolment={enrolment}
          mc={mc}
          initial={draft}
          onSubmitted={() => setReload((n) => n + 1)}
        />
      ) : null}

      {submissions.length > 0 && (
        <section aria-labelledby="history-title">
          <h2 id="history-title">Attempts</h2>
          <ol className="attempts">
            {submissions.map((s) => (
              <li key={s.id}>
                Attempt {s.attempt}: {STATE_LABELS[s.state] ?? s.state}, submitted {when(s.submitted_at)}
                {(s.state === "earned" || s.state === "not_yet" || s.state === "returned") && s.id !== latest?.id && (
                  <FeedbackToggle submission={s} />
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
    </article>
  );
}

function SubmissionStatus({ submission, onChanged }: { submission: Submission; onChanged(): void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const decided = ["earned", "not_yet", "returned"].includes(submission.state);

  async function withdraw() {
    setBusy(true);
    setError(null);
    try {
      await post(`/api/v1/submissions/${submission.id}/withdraw`);
      onChanged();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="status-panel" aria-labelledby="status-title">
      <h2 id="status-title">
        Attempt {submission.attempt}: {STATE_LABELS[submission.state] ?? submission.state}
      </h2>
      <ol className="timeline" aria-label="Timeline">
        {submission.timeline.map((e, i) => (
          <li key={i}>
            <span className="timeline-state">{STATE_LABELS[e.state] ?? e.state}</span>{" "}
            <time dateTime={e.at}>{when(e.at)}</time>
            {e.note && <span className="timeline-note">: {e.note}</span>}
          </li>
        ))}
      </ol>
      {submission.state === "submitted" && (
        <p>
          <button type="button" className="secondary" disabled={busy} onClick={withdraw}>
            Withdraw this attempt
          </button>{" "}
          <span className="hint">You can withdraw until a reviewer starts. It will not count as an attempt.</span>
        </p>
      )}
      {error && (
        <InlineError
          what="Your attempt was not withdrawn"
          error={error}
          focus
          onRetry={error.status === 409 ? onChanged : undefined}
          retryLabel="Show the latest state"
        />
      )}
      {decided && <Feedback submissionId={submission.id} />}
    </section>
  );
}

function FeedbackToggle({ submission }: { submission: Submission }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      {" "}
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? "Hide feedback" : "Show feedback"}
      </button>
      {open && <Feedback submissionId={submission.id} />}
    </>
  );
}

export function Feedback({ submissionId }: { submissionId: string }) {
  const [state, retry] = useAsync(() => get<SubmissionFeedback>(`/api/v1/submissions/${submissionId}/feedback`), [submissionId]);
  if (state.status === "loading") return <Loading label="Loading feedback" />;
  if (state.status === "error")
    return <InlineError what="Could not load the reviewers' feedback" error={state.error} onRetry={retry} />;
  const f = state.data;
  return (
    <div className="feedback">
      {f.decision && (
        <p className={`decision decision-${f.decision}`}>
          Decision: <strong>{f.decision === "earned" ? "Earned" : "Not yet"}</strong>
          {f.tie_break && " (decided by a third reviewer)"}
        </p>
      )}
      {f.return_reason && (
        <p>
          Returned as <strong>{f.return_reason}</strong>
          {f.return_note && <>: {f.return_note}</>}. Fix it and submit again; this attempt does not count.
        </p>
      )}
      {f.criteria.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Feedback for each criterion">
          <table className="feedback-table">
            <caption>Feedback for each criterion</caption>
            <thead>
              <tr>
                <th scope="col">Criterion</th>
                <th scope="col">Reviewer</th>
                <th scope="col">Level</th>
                <th scope="col">Comment</th>
              </tr>
            </thead>
            <tbody>
              {f.criteria.flatMap((c) =>
                c.reviews.map((r, i) => (
                  <tr key={c.criterion_id + r.reviewer}>
                    {i === 0 && (
                      <th scope="row" rowSpan={c.reviews.length}>
                        {c.name}
                      </th>
                    )}
                    <td>{r.reviewer}</td>
                    <td>{r.level_name}</td>
                    <td>{r.comment}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
      {f.reviewers
        .filter((r) => r.comment)
        .map((r) => (
          <p key={r.reviewer}>
            <strong>{r.reviewer}:</strong> {r.comment}
          </p>
        ))}
    </div>
  );
}
