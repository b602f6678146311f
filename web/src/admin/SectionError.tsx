import type { ApiError } from "../api/client";
import { sectionErrorText } from "./reviewRules";

// One admin section's failure: what could not be done, why, what to do, and a way to try again.
// Announced (role="alert") without a heading, so a failing section keeps the page's outline.
export function SectionError({ what, error, onRetry }: { what: string; error: ApiError; onRetry(): void }) {
  return (
    <div className="error-panel" role="alert">
      <p>{sectionErrorText(what, error)}</p>
      <p className="actions">
        <button type="button" onClick={onRetry}>
          Try again<span className="visually-hidden">: {what}</span>
        </button>
      </p>
    </div>
  );
}
