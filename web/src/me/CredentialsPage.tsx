import { useState } from "react";
import { ApiError, get, put, toApiError } from "../api/client";
import type { CredentialSummary, PortfolioSettings } from "../api/types";
import { Empty, ErrorPanel, InlineError, Loading } from "../components/Status";
import { useAsync } from "../components/useAsync";

export function linkedInUrl(c: CredentialSummary, pageUrl: string): string {
  const issued = new Date(c.issued_at);
  const params = new URLSearchParams({
    startTask: "CERTIFICATION_NAME",
    name: c.title,
    organizationName: c.issuer_name,
    issueYear: String(issued.getUTCFullYear()),
    issueMonth: String(issued.getUTCMonth() + 1),
    certUrl: pageUrl,
    certId: c.id,
  });
  return `https://www.linkedin.com/profile/add?${params.toString()}`;
}

function CredentialCard({ c, onChanged }: { c: CredentialSummary; onChanged(): void }) {
  const [copied, setCopied] = useState(false);
  // The change that failed, so the message names it and "Try again" repeats it.
  const [failed, setFailed] = useState<{ to: "private" | "public"; error: ApiError } | null>(null);
  const [busy, setBusy] = useState(false);

  async function setVisibility(to: "private" | "public") {
    setBusy(true);
    setFailed(null);
    try {
      await put(`/api/v1/credentials/${c.id}/visibility`, { visibility: to });
      onChanged();
    } catch (err) {
      setFailed({ to, error: toApiError(err) });
    } finally {
      setBusy(false);
    }
  }
  const pageUrl = new URL(c.url, window.location.origin).toString();
  return (
    <li className="card">
      <h2>
        <a href={c.url}>{c.title}</a>
      </h2>
      <p className="meta">
        {c.issuer_name} · issued {new Date(c.issued_at).toLocaleDateString()}
        {c.status !== "active" && <strong className="field-error"> · {c.status}</strong>}
      </p>
      <p className="actions">
        <a className="button secondary" href={`/credentials/${c.id}/badge.png`} download>
          Download badge image
        </a>
        {c.status === "active" && c.visibility === "public" && (
          <>
            <a className="button secondary" href={linkedInUrl(c, pageUrl)} target="_blank" rel="noopener noreferrer">
              Add to LinkedIn<span className="visually-hidden"> (opens in a new tab)</span>
            </a>
            <button
              type="button"
              className="secondary"
              onClick={async () => {
                await navigator.clipboard.writeText(pageUrl).catch(() => undefined);
                setCopied(true);
              }}
            >
              Copy link
            </button>
          </>
        )}
      </p>
      {copied && <p role="status">Link copied.</p>}
      <div className="check">
        <input
          id={`private-${c.id}`}
          type="checkbox"
          checked={c.visibility === "private"}
          disabled={busy}
          onChange={(e) => void setVisibility(e.target.checked ? "private" : "public")}
        />
        <label htmlFor={`private-${c.id}`}>Private: the public page only says this credential exists and is valid</label>
      </div>
      {failed && (
        <InlineError
          what={`“${c.title}” was not made ${failed.to}; it is still ${c.visibility}`}
          error={failed.error}
          focus
          onRetry={() => void setVisibility(failed.to)}
        />
      )}
    </li>
  );
}

function Portfolio({ settings, credentials, onChanged }: { settings: PortfolioSettings; credentials: CredentialSummary[]; onChanged(): void }) {
  const [handle, setHandle] = useState(settings.handle ?? "");
  const [failed, setFailed] = useState<{ what: string; next: Partial<PortfolioSettings>; error: ApiError } | null>(null);
  const [busy, setBusy] = useState(false);
  const handleProblem = failed?.error.fieldMessage("/handle");

  async function save(next: Partial<PortfolioSettings>, what: string) {
    setBusy(true);
    setFailed(null);
    try {
      await put("/api/v1/me/portfolio", {
        enabled: next.enabled ?? settings.enabled,
        handle: handle || undefined,
        credential_ids: next.credential_ids ?? settings.credential_ids,
      });
      onChanged();
    } catch (e) {
      setFailed({ what, next, error: toApiError(e) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="portfolio-title" className="status-panel">
      <h2 id="portfolio-title">Public portfolio</h2>
      <div className="field">
        <label htmlFor="portfolio-handle">Address name</label>
        <input
          id="portfolio-handle"
          value={handle}
          onChange={(e) => setHandle(e.target.value)}
          aria-invalid={Boolean(handleProblem) || undefined}
          aria-describedby={handleProblem ? "portfolio-hint portfolio-handle-error" : "portfolio-hint"}
        />
        <p id="portfolio-hint" className="hint">
          Your portfolio's address will be {window.location.origin}/portfolio/{handle || "…"}
        </p>
        {handleProblem && (
          <p id="portfolio-handle-error" className="field-error">
            The address name {handleProblem}
          </p>
        )}
      </div>
      <div className="check">
        <input
          id="portfolio-on"
          type="checkbox"
          checked={settings.enabled}
          disabled={busy}
          onChange={(e) =>
            void save(
              { enabled: e.target.checked },
              e.target.checked ? "Your portfolio was not made public" : "Your portfolio was not hidden",
            )
          }
        />
        <label htmlFor="portfolio-on">Show my portfolio publicly</label>
      </div>
      <fieldset>
        <legend>Credentials shown</legend>
        {credentials.map((c) => (
          <div key={c.id} className="check">
            <input
              id={`show-${c.id}`}
              type="checkbox"
              checked={settings.credential_ids.includes(c.id)}
              disabled={busy}
              onChange={(e) =>
                void save(
                  {
                    credential_ids: e.target.checked
                      ? [...settings.credential_ids, c.id]
                      : settings.credential_ids.filter((x) => x !== c.id),
                  },
                  e.target.checked ? `“${c.title}” was not added to your portfolio` : `“${c.title}” was not taken off your portfolio`,
                )
              }
            />
            <label htmlFor={`show-${c.id}`}>{c.title}</label>
          </div>
        ))}
      </fieldset>
      {settings.enabled && settings.url && (
        <p>
          <a href={settings.url}>Open my portfolio</a>
        </p>
      )}
      {failed && (
        <InlineError
          what={failed.what}
          error={failed.error}
          focus
          onRetry={handleProblem ? undefined : () => void save(failed.next, failed.what)}
        />
      )}
    </section>
  );
}

export function CredentialsPage() {
  const [reload, setReload] = useState(0);
  const [state, retry] = useAsync(
    () => Promise.all([get<{ items: CredentialSummary[] }>("/api/v1/me/credentials"), get<PortfolioSettings>("/api/v1/me/portfolio")]),
    [reload],
  );
  const refresh = () => setReload((n) => n + 1);
  return (
    <section aria-labelledby="creds-title">
      <h1 id="creds-title">My credentials</h1>
      {state.status === "loading" && <Loading label="Loading your credentials" />}
      {state.status === "error" && <ErrorPanel error={state.error} onRetry={retry} what="Could not load your credentials" />}
      {state.status === "ready" && state.data[0].items.length === 0 && (
        <Empty title="No credentials yet">
          <p>When reviewers decide your submission is Earned, its signed credential appears here.</p>
        </Empty>
      )}
      {state.status === "ready" && state.data[0].items.length > 0 && (
        <>
          <ul className="cards">
            {state.data[0].items.map((c) => (
              <CredentialCard key={c.id} c={c} onChanged={refresh} />
            ))}
          </ul>
          <p>
            <a href="/api/v1/me/clr" download="cairn-transcript.json">
              Download my transcript (a signed CLR 2.0 credential for relicensure)
            </a>
          </p>
          <Portfolio settings={state.data[1]} credentials={state.data[0].items} onChanged={refresh} />
        </>
      )}
    </section>
  );
}
