import { useEffect, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { get } from "../api/client";
import type { GradeBand, SearchPage } from "../api/types";
import { Empty, ErrorPanel, Loading } from "../components/Status";
import { useAsync } from "../components/useAsync";

export const GRADE_BANDS: { value: GradeBand; label: string }[] = [
  { value: "prek-2", label: "Pre-K to 2" },
  { value: "3-5", label: "Grades 3 to 5" },
  { value: "6-8", label: "Grades 6 to 8" },
  { value: "9-12", label: "Grades 9 to 12" },
  { value: "k-5", label: "K to 5" },
  { value: "6-12", label: "Grades 6 to 12" },
  { value: "k-12", label: "K to 12" },
  { value: "adult", label: "Adult learners" },
];

const SORTS = [
  { value: "relevance", label: "Best match" },
  { value: "newest", label: "Newest" },
  { value: "title", label: "Title" },
  { value: "hours", label: "Shortest first" },
];

const PAGE_SIZE = 12;

export function gradeBandLabel(value: string): string {
  return GRADE_BANDS.find((b) => b.value === value)?.label ?? value;
}

export function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const gradeBand = params.get("grade_band") ?? "";
  const subject = params.get("subject") ?? "";
  const maxHours = params.get("max_hours") ?? "";
  const sort = params.get("sort") ?? "relevance";
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);

  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);

  const [state, retry] = useAsync(
    () =>
      get<SearchPage>("/api/v1/micro-credentials", {
        q,
        grade_band: gradeBand,
        subject,
        max_hours: maxHours,
        sort,
        page,
        page_size: PAGE_SIZE,
      }),
    [q, gradeBand, subject, maxHours, sort, page],
  );

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next);
  }

  function onSearch(e: FormEvent) {
    e.preventDefault();
    update({ q: text.trim() });
  }

  const pages = state.status === "ready" ? Math.max(1, Math.ceil(state.data.total / PAGE_SIZE)) : 1;

  return (
    <section aria-labelledby="catalog-title">
      <h1 id="catalog-title">Micro-credentials</h1>
      <p className="lede">
        Choose one competency, try its method with your students, and show the evidence. Reviewers score it
        against a published rubric.
      </p>
      <form role="search" className="search" onSubmit={onSearch}>
        <label htmlFor="catalog-q">Search</label>
        <input
          id="catalog-q"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="e.g. formative assessment"
        />
        <button type="submit">Search</button>
      </form>
      <fieldset className="filters">
        <legend>Filter</legend>
        <div>
          <label htmlFor="filter-grade">Grade band</label>
          <select id="filter-grade" value={gradeBand} onChange={(e) => update({ grade_band: e.target.value })}>
            <option value="">Any</option>
            {GRADE_BANDS.map((b) => (
              <option key={b.value} value={b.value}>
                {b.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-subject">Subject</label>
          <input
            id="filter-subject"
            value={subject}
            onChange={(e) => update({ subject: e.target.value })}
            placeholder="e.g. Mathematics"
          />
        </div>
        <div>
          <label htmlFor="filter-hours">At most (hours)</label>
          <select id="filter-hours" value={maxHours} onChange={(e) => update({ max_hours: e.target.value })}>
            <option value="">Any length</option>
            {[5, 10, 15, 20].map((h) => (
              <option key={h} value={h}>
                {h} hours
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-sort">Sort by</label>
          <select id="filter-sort" value={sort} onChange={(e) => update({ sort: e.target.value })}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      </fieldset>

      {state.status === "loading" && <Loading label="Loading the catalog" />}
      {state.status === "error" && <ErrorPanel error={state.error} onRetry={retry} />}
      {state.status === "ready" && state.data.items.length === 0 && (
        <Empty title="No micro-credentials match">
          <p>Try fewer words or clear the filters.</p>
          <button type="button" onClick={() => setParams(new URLSearchParams())}>
            Clear search and filters
          </button>
        </Empty>
      )}
      {state.status === "ready" && state.data.items.length > 0 && (
        <>
          <p role="status" className="result-count">
            {state.data.total} {state.data.total === 1 ? "micro-credential" : "micro-credentials"}
          </p>
          <ul className="cards">
            {state.data.items.map((card) => (
              <li key={card.id} className="card">
                <h2>
                  <Link to={`/micro-credentials/${card.id}`}>{card.title}</Link>
                </h2>
                <p className="meta">
                  {card.issuer_name} · {card.subject} · {gradeBandLabel(card.grade_band)} · about{" "}
                  {card.estimated_hours} hours
                </p>
                <p>{card.summary}</p>
                {card.tags.length > 0 && (
                  <ul className="tags" aria-label="Tags">
                    {card.tags.map((t) => (
                      <li key={t}>{t}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
          {pages > 1 && (
            <nav className="pagination" aria-label="Pages">
              <button type="button" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
                Previous page
              </button>
              <span>
                Page {page} of {pages}
              </span>
              <button type="button" disabled={page >= pages} onClick={() => update({ page: String(page + 1) })}>
                Next page
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
