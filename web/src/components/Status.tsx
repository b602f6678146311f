import { Link } from "react-router-dom";
import type { ApiError } from "../api/client";

export function Loading({ label = "Loading" }: { label?: string }) {
  return (
    <p className="status" role="status" aria-live="polite">
      {label}…
    </p>
  );
}

// Every error says what happened and offers a way on: retry, sign in, or back to the catalog.
// `page` when the error replaces the whole page, so it carries the page's one h1.
export function ErrorPanel({ error, onRetry, page }: { error: ApiError; onRetry?: () => void; page?: boolean }) {
  const Heading = page ? "h1" : "h2";
  return (
    <div className="error-panel" role="alert">
      <Heading>{error.title}</Heading>
      {error.message !== error.title && <p>{error.message}</p>}
      <p>{error.advice}</p>
      <p className="actions">
        {onRetry && error.status !== 404 && error.status !== 403 && (
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        )}
        {error.status === 401 ? <Link to="/sign-in">Sign in</Link> : <Link to="/">Browse the catalog</Link>}
      </p>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

// Markdown the server already rendered and sanitised (cmark-gfm, safe mode) when it was saved.
export function ServerHtml({ html, className }: { html: string; className?: string }) {
  return <div className={className ?? "prose"} dangerouslySetInnerHTML={{ __html: html }} />;
}
