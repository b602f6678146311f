import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError, get, post, put } from "../api/client";
import type { ReviewDetail, ReviewRating } from "../api/types";
import { ErrorPanel, Loading } from "../components/Status";
import { useAsync } from "../components/useAsync";
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
  if (state.status === "error") return <ErrorPanel error={state.error} onRetry={retry} page />;
  return <ReviewForm key={state.data.revision} initial={state.data} />;
}

function ReviewForm({ initial }: { initial: ReviewDetail }) {
  const navigate = useNavigate();
  const [review, setReview] = useState(initial);
  const [levels, setLevels] = useState<Record<string, string>>(
    Object.fromEntries(initial.ratings.map((r) => [r.criterion_id, r.level_id])),
  );
  const [comments, setComments] = useState<Record<string, string>>(
    Object.fromEntries(initial.ratings.map((r) => [r.criterion_id, r.comment])),
  );
  const [overall, setOverall] = useState(initial.comment);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [dialog, setDialog] = useState<"return" | "recuse" | null>(null);
  const readOnly = !["assigned", "in_progress"].includes(review.state);
  const suggestion = recommend(review.rubric, levels);

  const ratings = (): ReviewRating[] =>
    review.rubric.criteria
      .filter((c) => levels[c.id])
      .map((c) => ({ criterion_id: c.id, level_id: levels[c.id], comment: comments[c.id] ?? "" }));

  async function save(): Promise<number | null> {
    setError(null);
    try {
      const saved = await put<ReviewDetail>(`/api/v1/reviews/${review.id}`, {
        revision: review.revision,
        ratings: ratings(),
        comment: overall,
      });
      setReview((r) => ({ ...r, ...saved }));
      setStatus("Saved. You can finish later.");
      return saved.revision;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, {}));
      return null;
    }
  }

  async function complete() {
    if (!suggestion) return;
    const revision = await save();
    if (revision === null) return;
    try {
      await post(`/api/v1/reviews/${review.id}/complete`, { revision, recommendation: suggestion });
      navigate("/reviews", { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, {}));
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
                onChange={(e) => setComments((x) => ({ ...x, [c.id]: e.target.value }))}
              />
            </fieldset>
          ))}
          <label htmlFor="overall-comment">Overall feedback</label>
          <textarea id="overall-comment" rows={4} value={overall} readOnly={readOnly} onChange={(e) => setOverall(e.target.value)} />
          <p className="recommendation" role="status" aria-live="polite">
            {suggestion
              ? `The rubric recommends: ${LABEL[suggestion]}.`
              : "Rate every criterion to see the rubric's recommendation."}
          </p>
          {status && <p className="hint">{status}</p>}
          {error && (
            <div className="error-panel" role="alert">
              <p>{error.message}</p>
              {error.fields.map((f) => (
                <p key={f.pointer}>{f.detail}</p>
              ))}
            </div>
          )}
          {!readOnly && (
            <div className="actions">
              <button type="button" className="secondary" onClick={() => void save()}>
                Save and finish later
              </button>
              <button type="button" disabled={!suggestion} onClick={() => void complete()}>
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
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={!reason.trim()}
          onClick={async () => {
            try {
              await post(`/api/v1/reviews/${reviewId}/${kind}`, kind === "return" ? { reason, note } : { reason });
              navigate("/reviews", { replace: true });
            } catch (e) {
              setError(e instanceof ApiError ? e : new ApiError(0, {}));
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
