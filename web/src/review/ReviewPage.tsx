import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError, get, post, put, toApiError } from "../api/client";
import type { ReviewDetail, ReviewRating } from "../api/types";
import { clearBackup, readBackup, sameContent, writeBackup } from "../components/backup";
import { ErrorPanel, InlineError, Loading } from "../components/Status";
import { useAsync } from "../components/useAsync";
import { reviewProblems } from "./problems";
import { recommend } from "./recommend";

const LABEL = { earned: "Earned", not_yet: "Not yet" } as const;

function Evidence({ review }: { review: ReviewDetail }) {
  const s = review.submission;
  return (
    <section className="evidence" aria-labelledby="evidence-title">
      <h2 id="evidence-title">Evidence</h2>
      <h3>Part 1: Overview</h3>
      {s.overview.map((q, i) => (
        <div key={i} className="qa">
          <p className="prompt">{q.prompt}</p>
          <p className="answer">{q.answer || <em>No answer</em>}</p>
        </div>
      ))}
      <h3>Part 2: Artifacts</h3>
      <ul className="artifacts">
        {s.artifacts.map((a, i) => {
          const title = a.caption || `${a.requirement_title ?? "Artifact"} ${i + 1}`;
          return (
            <li key={i} className="artifact">
              <p>
                <strong>{a.requirement_title}</strong>
                {a.caption && <>: {a.caption}</>}
              </p>
              {a.content_url && a.kind === "image" && <img className="preview" src={a.content_url} alt={title} />}
              {a.content_url && a.kind === "video" && (
                <video className="preview" controls preload="metadata" src={a.content_url} aria-label={title} />
              )}
              {a.content_url && a.kind === "audio" && <audio controls preload="metadata" src={a.content_url} aria-label={title} />}
              {a.content_url && a.kind === "document" && (
                <a href={a.content_url} target="_blank" rel="noopener noreferrer">
                  Open the document<span className="visually-hidden"> {title} (opens in a new tab)</span>
                </a>
              )}
              {a.url && (
                <a href={a.url} target="_blank" rel="noopener noreferrer">
                  {a.url}
                </a>
              )}
            </li>
          );
        })}
      </ul>
      <h3>Part 3: Reflection</h3>
      {s.reflection.map((q, i) => (
        <div key={i} className="qa">
          <p className="prompt">{q.prompt}</p>
          <p className="answer">{q.answer || <em>No answer</em>}</p>
        </div>
      ))}
    </section>
  );
}

export function ReviewPage() {
  const { id = "" } = useParams();
  const [state, retry] = useAsync(() => get<ReviewDetail>(`/api/v1/reviews/${id}`), [id]);
  if (state.status === "loading") return <Loading label="Loading the review" />;
  if (state.status === "error")
    return (
      <ErrorPanel
        error={state.error}
        onRetry={retry}
        page
        what={state.error.status === 404 ? "This review is not available" : "Could not load the review"}
        advice={
          state.error.status === 404
            ? "It is not assigned to you, or it was reassigned or withdrawn. Your queue lists the reviews that are yours."
            : undefined
        }
        back={{ to: "/reviews", label: "Go to your reviews" }}
      />
    );
  return <ReviewForm key={state.data.revision} initial={state.data} />;
}

// What the reviewer has entered, kept in this browser until the server has it (see backup.ts).
interface Entered {
  levels: Record<string, string>;
  comments: Record<string, string>;
  overall: string;
}

function enteredOf(r: ReviewDetail): Entered {
  return {
    levels: Object.fromEntries(r.ratings.map((x) => [x.criterion_id, x.level_id])),
    comments: Object.fromEntries(r.ratings.map((x) => [x.criterion_id, x.comment])),
    overall: r.comment,
  };
}

// An emptied comment is no comment: compared without them, a form is "changed" only when it is.
function sameEntered(a: Entered, b: Entered): boolean {
  const strip = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).filter(([, v]) => v));
  return sameContent(
    { levels: strip(a.levels), comments: strip(a.comments), overall: a.overall },
    { levels: strip(b.levels), comments: strip(b.comments), overall: b.overall },
  );
}

const backupKey = (reviewId: string) => `cairn.review.${reviewId}`;

// Ratings typed over this very revision go back into the form; a backup of an older revision was
// overtaken by a later save of the reviewer's own, so the later save wins.
function restore(initial: ReviewDetail, editable: boolean): Entered | null {
  const key = backupKey(initial.id);
  const backup = readBackup<Entered>(key);
  if (!editable || !backup || backup.revision !== initial.revision || typeof backup.value.levels !== "object") {
    clearBackup(key);
    return null;
  }
  if (sameEntered(backup.value, enteredOf(initial))) return null;
  return { levels: backup.value.levels ?? {}, comments: backup.value.comments ?? {}, overall: backup.value.overall ?? "" };
}

function ReviewForm({ initial }: { initial: ReviewDetail }) {
  const navigate = useNavigate();
  const [review, setReview] = useState(initial);
  const readOnly = !["assigned", "in_progress"].includes(review.state);
  const [restored] = useState(() => restore(initial, !readOnly));
  const start = restored ?? enteredOf(initial);
  const [levels, setLevels] = useState<Record<string, string>>(start.levels);
  const [comments, setComments] = useState<Record<string, string>>(start.comments);
  const [overall, setOverall] = useState(start.overall);
  const [saved, setSaved] = useState<Entered>(() => enteredOf(initial));
  const [status, setStatus] = useState("");
  // What failed, with the ratings it sent (the server's pointers index them) and what to retry.
  const [failure, setFailure] = useState<{ what: string; error: ApiError; sent: ReviewRating[]; retry?: "save" | "complete" } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<"return" | "recuse" | null>(null);
  const suggestion = recommend(review.rubric, levels);
  const problems = failure ? reviewProblems(failure.error, failure.sent, review.rubric.criteria) : [];
  const problemFor = (criterionId: string) => problems.filter((p) => p.criterionId === criterionId);

  // Every change is kept in this browser until saved: a lost connection or an expired session
  // never costs the reviewer their ratings.
  useEffect(() => {
    if (readOnly) return;
    const entered = { levels, comments, overall };
    if (sameEntered(entered, saved)) clearBackup(backupKey(review.id));
    else writeBackup(backupKey(review.id), review.revision, entered);
  }, [levels, comments, overall, saved, review.id, review.revision, readOnly]);

  const ratings = (): ReviewRating[] =>
    review.rubric.criteria
      .filter((c) => levels[c.id])
      .map((c) => ({ criterion_id: c.id, level_id: levels[c.id], comment: comments[c.id] ?? "" }));

  async function save(): Promise<number | null> {
    setFailure(null);
    setStatus("");
    const sent = ratings();
    try {
      const result = await put<ReviewDetail>(`/api/v1/reviews/${review.id}`, {
        revision: review.revision,
        ratings: sent,
        comment: overall,
      });
      setReview((r) => ({ ...r, ...result }));
      setSaved({ levels, comments, overall });
      setStatus("Saved. You can finish later.");
      return result.revision;
    } catch (e) {
      setFailure({ what: "Your review was not saved", error: toApiError(e), sent, retry: "save" });
      return null;
    }
  }

  async function complete() {
    if (!suggestion) return;
    const revision = await save();
    if (revision === null) return;
    try {
      await post(`/api/v1/reviews/${review.id}/complete`, { revision, recommendation: suggestion });
      clearBackup(backupKey(review.id));
      navigate("/reviews", { replace: true });
    } catch (e) {
      const error = toApiError(e);
      setStatus("");
      setFailure({
        what: "The review was saved but not completed",
        error,
        sent: ratings(),
        retry: error.status === 422 ? undefined : "complete",
      });
    }
  }

  // One action at a time; the buttons come back when it is done.
  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  }

  return (
    <article aria-labelledby="review-title">
      <p className="breadcrumb">
        <Link to="/reviews">Reviews</Link> / {review.code}
      </p>
      <h1 id="review-title">
        Submission {review.code}, attempt {review.attempt}
        {review.tie_break && " (third review)"}
      </h1>
      <p className="meta">
        {review.micro_credential_title} · due {new Date(review.due_at).toLocaleDateString()}
        {review.overdue && <strong className="field-error"> · overdue</strong>}
      </p>
      <div className="review-layout">
        <Evidence review={review} />
        <form className="rubric-form" onSubmit={(e) => e.preventDefault()} aria-labelledby="rating-title">
          <h2 id="rating-title">Rubric</h2>
          {review.earlier_reviews.length > 0 && <EarlierReviews review={review} />}
          {review.rubric.criteria.map((c) => (
            <fieldset key={c.id}>
              <legend>{c.name}</legend>
              {c.description && <p className="hint">{c.description}</p>}
              {c.levels.map((l) => (
                <div key={l.id} className="check level">
                  <input
                    type="radio"
                    id={`${c.id}-${l.id}`}
                    name={c.id}
                    value={l.id}
                    checked={levels[c.id] === l.id}
                    disabled={readOnly}
                    onChange={() => setLevels((x) => ({ ...x, [c.id]: l.id }))}
                  />
                  <label htmlFor={`${c.id}-${l.id}`}>
                    <strong>{l.name}</strong>: {l.descriptor}
                  </label>
                </div>
              ))}
              <label htmlFor={`${c.id}-comment`}>Feedback on {c.name}</label>
              <textarea
                id={`${c.id}-comment`}
                rows={3}
                value={comments[c.id] ?? ""}
                readOnly={readOnly}
                aria-invalid={problemFor(c.id).length > 0 || undefined}
                aria-describedby={problemFor(c.id).length > 0 ? `${c.id}-problem` : undefined}
                onChange={(e) => setComments((x) => ({ ...x, [c.id]: e.target.value }))}
              />
              {problemFor(c.id).length > 0 && (
                <p id={`${c.id}-problem`} className="field-error">
                  {problemFor(c.id)
                    .map((p) => p.detail)
                    .join(" ")}
                </p>
              )}
            </fieldset>
          ))}
          <label htmlFor="overall-comment">Overall feedback</label>
          <textarea id="overall-comment" rows={4} value={overall} readOnly={readOnly} onChange={(e) => setOverall(e.target.value)} />
          <p className="recommendation" role="status" aria-live="polite">
            {suggestion
              ? `The rubric recommends: ${LABEL[suggestion]}.`
              : "Rate every criterion to see the rubric's recommendation."}
          </p>
          <p className="hint" role="status">
            {status}
          </p>
          {restored && !status && !failure && (
            <p className="callout" role="status">
              Ratings and comments you had not saved yet were put back from this browser. Save them, or complete the review.
            </p>
          )}
          {failure && (
            <InlineError
              what={failure.what}
              error={failure.error}
              onRetry={failure.retry && (() => void run(failure.retry === "complete" ? complete : save))}
              focus
            >
              {problems.length > 0 && (
                <ul>
                  {problems.map((p, i) => (
                    <li key={i}>
                      {p.criterionId ? (
                        <a
                          href={`#${p.criterionId}-comment`}
                          onClick={(e) => {
                            e.preventDefault();
                            document.getElementById(`${p.criterionId}-comment`)?.focus();
                          }}
                        >
                          {p.summary}
                        </a>
                      ) : (
                        p.summary
                      )}
                    </li>
                  ))}
                </ul>
              )}
              <p>Your ratings and comments are still here, and kept in this browser until they are saved.</p>
            </InlineError>
          )}
          {!readOnly && (
            <div className="actions">
              <button type="button" className="secondary" disabled={busy} onClick={() => void run(save)}>
                Save and finish later
              </button>
              <button type="button" disabled={!suggestion || busy} onClick={() => void run(complete)}>
                {suggestion ? `Confirm “${LABEL[suggestion]}” and complete` : "Complete review"}
              </button>
              <button type="button" className="secondary" onClick={() => setDialog("return")}>
                Return as incomplete
              </button>
              <button type="button" className="secondary" onClick={() => setDialog("recuse")}>
                Recuse myself
              </button>
            </div>
          )}
          {dialog && <ActionDialog kind={dialog} reviewId={review.id} onClose={() => setDialog(null)} />}
        </form>
      </div>
    </article>
  );
}

function EarlierReviews({ review }: { review: ReviewDetail }) {
  const name = (criterionId: string, levelId: string) =>
    review.rubric.criteria.find((c) => c.id === criterionId)?.levels.find((l) => l.id === levelId)?.name ?? levelId;
  return (
    <section className="earlier" aria-labelledby="earlier-title">
      <h3 id="earlier-title">The two earlier reviews disagreed</h3>
      {review.earlier_reviews.map((r) => (
        <div key={r.reviewer}>
          <h4>
            {r.reviewer}: {LABEL[r.recommendation as keyof typeof LABEL] ?? r.recommendation}
          </h4>
          <ul>
            {r.ratings.map((x) => (
              <li key={x.criterion_id}>
                {review.rubric.criteria.find((c) => c.id === x.criterion_id)?.name}: {name(x.criterion_id, x.level_id)}
                {x.comment && <>: {x.comment}</>}
              </li>
            ))}
          </ul>
          {r.comment && <p>{r.comment}</p>}
        </div>
      ))}
    </section>
  );
}

function ActionDialog({ kind, reviewId, onClose }: { kind: "return" | "recuse"; reviewId: string; onClose(): void }) {
  const navigate = useNavigate();
  const [reason, setReason] = useState(kind === "return" ? "incomplete" : "");
  const [note, setNote] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLHeadingElement>(null);
  useEffect(() => first.current?.focus(), []);
  const title = kind === "return" ? "Return this submission" : "Recuse yourself from this review";
  return (
    <div
      className="dialog"
      role="dialog"
      aria-modal="false"
      aria-labelledby="action-title"
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
    >
      <h3 id="action-title" tabIndex={-1} ref={first}>
        {title}
      </h3>
      {kind === "return" ? (
        <fieldset>
          <legend>Why?</legend>
          {(["incomplete", "unplayable"] as const).map((r) => (
            <div key={r} className="check">
              <input type="radio" id={`reason-${r}`} name="reason" checked={reason === r} onChange={() => setReason(r)} />
              <label htmlFor={`reason-${r}`}>{r === "incomplete" ? "Evidence is missing" : "A file cannot be played or opened"}</label>
            </div>
          ))}
          <label htmlFor="return-note">Note for the educator</label>
          <textarea id="return-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
          <p className="hint">Returning does not use one of the educator's attempts.</p>
        </fieldset>
      ) : (
        <div className="field">
          <label htmlFor="recuse-reason">Reason (for the issuer only)</label>
          <textarea id="recuse-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          <p className="hint">Another reviewer will be assigned.</p>
        </div>
      )}
      {error && (
        <InlineError what={kind === "return" ? "The submission was not returned" : "You were not recused"} error={error}>
          <p>What you wrote here is kept; send it again when you are ready.</p>
        </InlineError>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={!reason.trim() || busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await post(`/api/v1/reviews/${reviewId}/${kind}`, kind === "return" ? { reason, note } : { reason });
              clearBackup(backupKey(reviewId));
              navigate("/reviews", { replace: true });
            } catch (e) {
              setError(toApiError(e));
              first.current?.focus();
            } finally {
              setBusy(false);
            }
          }}
        >
          {kind === "return" ? "Return submission" : "Recuse"}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}
