import { Link } from "react-router-dom";

export function NotFoundPage() {
  return (
    <section aria-labelledby="nf-title">
      <h1 id="nf-title">Page not found</h1>
      <p>The address may be mistyped, or the page has moved.</p>
      <p>
        <Link to="/">Browse the catalog</Link>
      </p>
    </section>
  );
}
