import { useEffect, useRef, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { sentence, type ApiError } from "../api/client";

export function Loading({ label = "Loading" }: { label?: string }) {
  return (
    <p className="status" role="status" aria-live="polite">
      {label}…
    </p>
  );
}

// Why a request failed, in a sentence: the server's own detail, or the connection.
export function reason(error: ApiError): string {
  if (error.status === 0) return "You appear to be offline: Cairn could not be reached.";
  return sentence(error.message);
}

// Every error says what happened and offers a way on: retry, sign in, or back to where the user was.
// `page` when the error replaces the whole page, so it carries the page's one h1; `what` names what
// failed ("Could not load your reviews"), `advice` and `back` replace the generic next step.
export function ErrorPanel({
  error,
  onRetry,
  page,
  what,
  advice,
  back,
}: {
  error: ApiError;
  onRetry?: () => void;
  page?: boolean;
  what?: string;
  advice?: string;
  back?: { to: string; label: string };
}) {
  const Heading = page ? "h1" : "h2";
  const heading = what ?? error.title;
  const why = reason(error);
  return (
    <div className="error-panel" role="alert">
      <Heading>{heading}</Heading>
      {why && sentence(heading) !== why && <p>{why}</p>}
      <p>{advice ?? error.advice}</p>
      <p className="actions">
        {onRetry && error.status !== 404 && error.status !== 403 && error.status !== 401 && (
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        )}
        {error.status === 401 ? (
          <Link to="/sign-in">Sign in</Link>
        ) : (
          <Link to={back?.to ?? "/"}>{back?.label ?? "Browse the catalog"}</Link>
        )}
      </p>
    </div>
  );
}

// An action on a page that failed while the page itself stays: says what did not happen, why, and
// what to do; announced at once (role="alert"), with a retry where repeating the action can help.
export function InlineError({
  what,
  error,
  onRetry,
  retryLabel = "Try again",
  focus,
  children,
}: {
  what: string;
  error: ApiError;
  onRetry?: () => void;
  retryLabel?: string;
  // Take focus when shown: for actions whose button was disabled while they ran, which leaves
  // keyboard users nowhere.
  focus?: boolean;
  children?: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) box.current?.focus();
  }, [focus, error]);
  return (
    <div className="error-panel" role="alert" ref={box} tabIndex={focus ? -1 : undefined}>
      <p>
        <strong>{sentence(what)}</strong> {reason(error)}
      </p>
      {children}
      <p>{error.advice}</p>
      {onRetry && error.status !== 401 && error.status !== 403 && error.status !== 404 && (
        <p className="actions">
          <button type="button" onClick={onRetry}>
            {retryLabel}
          </button>
        </p>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
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
