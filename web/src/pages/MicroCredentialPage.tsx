import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError, get, post } from "../api/client";
import type { MicroCredential } from "../api/types";
import { ErrorPanel, Loading, ServerHtml } from "../components/Status";
import { useAsync } from "../components/useAsync";
import { useSession } from "../auth/session";
import { gradeBandLabel } from "./CatalogPage";
import { EarnedRule, RubricTable } from "./RubricTable";

const KIND_LABELS: Record<string, string> = {
  document: "document",
  image: "image",
  audio: "audio recording",
  video: "video",
  link: "link",
};

function words(limit: number) {
  return limit > 0 ? `up to ${limit} words` : "no word limit";
}

export function MicroCredentialPage() {
  const { id = "" } = useParams();
  const { me } = useSession();
  const [state, retry] = useAsync(() => get<MicroCredential>(`/api/v1/micro-credentials/${encodeURIComponent(id)}`), [id]);

  if (state.status === "loading") return <Loading label="Loading the micro-credential" />;
  if (state.status === "error") return <ErrorPanel error={state.error} onRetry={retry} page />;
  return <MicroCredentialView mc={state.data} signedIn={Boolean(me)} />;
}

// The micro-credential as educators see it; the designer's preview shows a draft the same way.
export function MicroCredentialView({ mc, signedIn, preview }: { mc: MicroCredential; signedIn: boolean; preview?: boolean }) {
  const { submission } = mc;

  return (
    <article className="micro-credential" aria-labelledby="mc-title">
      {!preview && (
        <p className="breadcrumb">
          <Link to="/">Catalog</Link> / {mc.subject}
        </p>
      )}
      {preview ? <h2 id="mc-title">{mc.title}</h2> : <h1 id="mc-title">{mc.title}</h1>}
      <p className="meta">
        Issued by {mc.issuer_name} · {gradeBandLabel(mc.grade_band)} · about {mc.estimated_hours} hours · version{" "}
        {mc.version}
        {mc.state === "retired" && <strong> · retired</strong>}
      </p>
      <ServerHtml html={mc.summary_html} className="prose lede" />
      {preview ? null : signedIn ? (
        mc.state === "published" && <EnrolButton microCredentialId={mc.id} />
      ) : (
        <p className="callout">
          <Link to="/sign-in" state={{ from: `/micro-credentials/${mc.id}` }}>
            Sign in
          </Link>{" "}
          to start this micro-credential.
        </p>
      )}

      <nav aria-label="Sections" className="toc">
        <ul>
          <li><a href="#competency">Competency</a></li>
          <li><a href="#method">Key method</a></li>
          <li><a href="#research">Research</a></li>
          <li><a href="#resources">Resources</a></li>
          <li><a href="#requirements">Submission requirements</a></li>
          <li><a href="#rubric">Rubric</a></li>
        </ul>
      </nav>

      <section id="competency" aria-labelledby="h-competency">
        <h2 id="h-competency">Competency</h2>
        <ServerHtml html={mc.competency_html} />
      </section>

      <section id="method" aria-labelledby="h-method">
        <h2 id="h-method">Key method</h2>
        <ServerHtml html={mc.key_method.description_html} />
        <h3>Method components</h3>
        <ol className="components">
          {mc.key_method.components.map((c) => (
            <li key={c.name}>
              <h4>{c.name}</h4>
              <ServerHtml html={c.description_html} />
            </li>
          ))}
        </ol>
      </section>

      <section id="research" aria-labelledby="h-research">
        <h2 id="h-research">Supporting research</h2>
        <ServerHtml html={mc.research_html} />
      </section>

      <section id="resources" aria-labelledby="h-resources">
        <h2 id="h-resources">Resources</h2>
        {mc.resources.length === 0 ? (
          <p>The issuer lists no resources.</p>
        ) : (
          <ul>
            {mc.resources.map((r) => (
              <li key={r.title}>
                {r.url ? (
                  <a href={r.url} rel="noopener noreferrer" target="_blank">
                    {r.title}
                    <span className="visually-hidden"> (opens in a new tab)</span>
                  </a>
                ) : (
                  r.title
                )}{" "}
                <span className="kind">({r.kind})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section id="requirements" aria-labelledby="h-requirements">
        <h2 id="h-requirements">Submission requirements</h2>
        <h3>Part 1: Overview questions</h3>
        <ol>
          {submission.overview.map((q, i) => (
            <li key={i}>
              <ServerHtml html={q.prompt_html} />
              <p className="hint">Answer in {words(q.word_limit)}.</p>
            </li>
          ))}
        </ol>
        <h3>Part 2: Artifacts</h3>
        <ol>
          {submission.artifacts.map((a, i) => (
            <li key={i}>
              <h4>{a.title}</h4>
              <ServerHtml html={a.description_html} />
              <p className="hint">
                {a.min_count === a.max_count ? a.min_count : `${a.min_count} to ${a.max_count}`}{" "}
                {a.max_count === 1 ? "item" : "items"}: {a.accepted_kinds.map((k) => KIND_LABELS[k] ?? k).join(", ")}.
              </p>
            </li>
          ))}
        </ol>
        <h3>Part 3: Reflection</h3>
        <ol>
          {submission.reflection.map((q, i) => (
            <li key={i}>
              <ServerHtml html={q.prompt_html} />
              <p className="hint">Answer in {words(q.word_limit)}.</p>
            </li>
          ))}
        </ol>
      </section>

      <section id="rubric" aria-labelledby="h-rubric">
        <h2 id="h-rubric">Rubric</h2>
        <p>Reviewers score your evidence with this rubric, exactly as published here.</p>
        <RubricTable rubric={mc.rubric} caption={`Rubric for ${mc.title}`} />
        <EarnedRule rubric={mc.rubric} />
      </section>

      {mc.alignments.length > 0 && (
        <section aria-labelledby="h-alignments">
          <h2 id="h-alignments">Standards alignment</h2>
          <ul>
            {mc.alignments.map((a) => (
              <li key={a.framework + a.code}>
                {a.framework}, {a.code}: {a.name}
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}

function EnrolButton({ microCredentialId }: { microCredentialId: string }) {
  const navigate = useNavigate();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="callout">
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            const enrolment = await post<{ id: string }>("/api/v1/enrolments", { micro_credential_id: microCredentialId });
            navigate(`/enrolments/${enrolment.id}`);
          } catch (e) {
            setError(e instanceof ApiError ? e : new ApiError(0, {}));
            setBusy(false);
          }
        }}
      >
        Start this micro-credential
      </button>{" "}
      <span className="hint">No deadline: work at your own pace. Your draft is saved as you type.</span>
      {error && (
        <p className="field-error" role="alert">
          {error.message} {error.advice}
        </p>
      )}
    </div>
  );
}
