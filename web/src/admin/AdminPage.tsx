import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { ApiError, del, get, post, put } from "../api/client";
import type {
  CatalogCard,
  CredentialSummary,
  DistrictReviewPreferences,
  Enrolment,
  EnrolmentPolicy,
  MicroCredential,
  Organization,
  ReviewPolicy,
  SearchPage,
} from "../api/types";
import { useSession } from "../auth/session";
import { Empty, Loading } from "../components/Status";
import { useAsync } from "../components/useAsync";
import { percent } from "../review/ReviewQueuePage";
import { asApiError, asSentence, describeRule, kMaxDistrictSlaDays, parseDeadline } from "./reviewRules";
import { SectionError } from "./SectionError";

interface PoolReviewer {
  user_id: string;
  display_name: string;
  email: string;
  load_cap: number;
  active: boolean;
  micro_credential_ids: string[];
  tags: string[];
  open_load: number;
  completed_reviews: number;
  calibration: { decided_reviews: number; agreement_rate: number | null; kappa: number | null };
}

function useOrgs(ids: string[]) {
  return useAsync(() => Promise.all(ids.map((id) => get<Organization>(`/api/v1/organizations/${id}`))), [ids.join(",")]);
}

// Administration: one section per organisation the user administers, issuer or district.
export function AdminPage() {
  const { me } = useSession();
  const issuerIds = [...new Set(me?.memberships.filter((m) => m.role === "issuer_admin").map((m) => m.organization_id) ?? [])];
  const districtIds = [...new Set(me?.memberships.filter((m) => m.role === "district_admin").map((m) => m.organization_id) ?? [])];
  const [issuers, retryIssuers] = useOrgs(issuerIds);
  const [districts, retryDistricts] = useOrgs(districtIds);
  if (issuerIds.length + districtIds.length === 0)
    return (
      <section aria-labelledby="admin-title">
        <h1 id="admin-title">Administration</h1>
        <Empty title="You administer no organisation">
          <p>Ask your district or issuer to invite you as an administrator.</p>
        </Empty>
      </section>
    );
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      {issuers.status === "ready" &&
        issuers.data.filter((o) => o.issuer).map((o) => <IssuerAdmin key={o.id} org={o} />)}
      {districts.status === "ready" && districts.data.map((o) => <DistrictAdmin key={o.id} org={o} />)}
      {issuers.status === "error" && <SectionError what="Your issuers could not be loaded" error={issuers.error} onRetry={retryIssuers} />}
      {districts.status === "error" && <SectionError what="Your districts could not be loaded" error={districts.error} onRetry={retryDistricts} />}
      {(issuers.status === "loading" || districts.status === "loading") && <Loading />}
    </section>
  );
}

function IssuerAdmin({ org }: { org: Organization }) {
  const [drafts] = useAsync(() => get<{ items: MicroCredential[] }>(`/api/v1/issuers/${org.id}/micro-credentials`), [org.id]);
  const [published] = useAsync(() => get<SearchPage>("/api/v1/micro-credentials", { issuer: org.id, page_size: 100, sort: "title" }), [org.id]);
  return (
    <section className="org-admin" aria-labelledby={`issuer-${org.id}`}>
      <h2 id={`issuer-${org.id}`}>{org.name}: issuing</h2>
      <h3>Micro-credentials</h3>
      <p>
        <Link className="button" to={`/admin/issuers/${org.id}/new`}>
          Design a new micro-credential
        </Link>
      </p>
      {drafts.status === "ready" && drafts.data.items.length > 0 && (
        <ul>
          {drafts.data.items.map((d) => (
            <li key={d.id}>
              <Link to={`/admin/micro-credentials/${d.id}`}>{d.title || "Untitled"}</Link> (draft of version {d.version})
            </li>
          ))}
        </ul>
      )}
      {published.status === "ready" && (
        <ul>
          {published.data.items.map((c: CatalogCard) => (
            <li key={c.id}>
              <Link to={`/micro-credentials/${c.id}`}>{c.title}</Link> (version {c.version}) ·{" "}
              <Link to={`/admin/micro-credentials/${c.id}`}>Edit as a new version</Link>
            </li>
          ))}
        </ul>
      )}
      <ReviewerPool org={org} microCredentials={published.status === "ready" ? published.data.items : []} />
      <InFlight org={org} />
      <Enrolments org={org} />
      <Awards org={org} />
    </section>
  );
}

function ReviewerPool({ org, microCredentials }: { org: Organization; microCredentials: CatalogCard[] }) {
  const [reload, setReload] = useState(0);
  const [pool, retry] = useAsync(() => get<{ items: PoolReviewer[] }>(`/api/v1/issuers/${org.id}/reviewers`), [org.id, reload]);
  const [candidates, retryCandidates] = useAsync(
    () => get<{ items: { user_id: string; display_name: string; email: string; organizations: string[] }[] }>(`/api/v1/issuers/${org.id}/reviewer-candidates`),
    [org.id],
  );
  const [policy, retryPolicy] = useAsync(() => get<ReviewPolicy>(`/api/v1/issuers/${org.id}/review-policy`), [org.id, reload]);
  const [userId, setUserId] = useState("");
  const [cap, setCap] = useState(10);
  const [qualified, setQualified] = useState<string[]>([]);
  const [tags, setTags] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState("");

  async function add(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await put(`/api/v1/issuers/${org.id}/reviewers/${encodeURIComponent(userId.trim())}`, {
        load_cap: cap,
        active: true,
        micro_credential_ids: qualified,
        tags: tags.split(",").map((t) => t.trim()).filter(Boolean),
      });
      setUserId("");
      setReload((n) => n + 1);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, {}));
    }
  }

  return (
    <section aria-labelledby={`pool-${org.id}`}>
      <h3 id={`pool-${org.id}`}>Reviewer pool</h3>
      {pool.status === "loading" && <Loading label="Loading the reviewer pool" />}
      {pool.status === "error" && <SectionError what="The reviewer pool could not be loaded" error={pool.error} onRetry={retry} />}
      {candidates.status === "error" && (
        <SectionError what="The people you can add to the pool could not be loaded" error={candidates.error} onRetry={retryCandidates} />
      )}
      {pool.status === "ready" && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Reviewer pool table">
          <table className="queue">
            <caption>Reviewers, their load and their agreement with final decisions</caption>
            <thead>
              <tr>
                <th scope="col">Reviewer</th>
                <th scope="col">Open / cap</th>
                <th scope="col">Completed</th>
                <th scope="col">Agreement</th>
                <th scope="col">Kappa</th>
                <th scope="col">Qualified for</th>
              </tr>
            </thead>
            <tbody>
              {pool.data.items.map((r) => (
                <tr key={r.user_id}>
                  <th scope="row">
                    {r.display_name}
                    {!r.active && " (paused)"}
                  </th>
                  <td>
                    {r.open_load} / {r.load_cap}
                  </td>
                  <td>{r.completed_reviews}</td>
                  <td>{percent(r.calibration.agreement_rate)}</td>
                  <td>{r.calibration.kappa === null ? "n/a" : r.calibration.kappa.toFixed(2)}</td>
                  <td>
                    {[
                      ...r.micro_credential_ids.map((id) => microCredentials.find((m) => m.id === id)?.title ?? id),
                      ...r.tags.map((t) => `tag ${t}`),
                    ].join(", ") || "nothing yet"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="inline-form" onSubmit={add}>
        <div className="field">
          <label htmlFor={`pool-user-${org.id}`}>Reviewer</label>
          <select
            id={`pool-user-${org.id}`}
            value={userId}
            required
            onChange={(e) => {
              // A reviewer already in the pool keeps what they qualify for; the form adds to it.
              const existing = pool.status === "ready" ? pool.data.items.find((r) => r.user_id === e.target.value) : undefined;
              setUserId(e.target.value);
              setQualified(existing?.micro_credential_ids ?? []);
              setTags(existing?.tags.join(", ") ?? "");
              if (existing) setCap(existing.load_cap);
            }}
          >
            <option value="">Choose a reviewer…</option>
            {candidates.status === "ready" &&
              candidates.data.items.map((c) => (
                <option key={c.user_id} value={c.user_id}>
                  {c.display_name} ({c.organizations.join(", ")})
                </option>
              ))}
          </select>
        </div>
        <div className="field narrow-field">
          <label htmlFor={`pool-cap-${org.id}`}>Load cap</label>
          <input id={`pool-cap-${org.id}`} type="number" min={1} max={1000} value={cap} onChange={(e) => setCap(Number(e.target.value))} />
        </div>
        <fieldset>
          <legend>Qualified for</legend>
          {microCredentials.map((mc) => (
            <div key={mc.id} className="check">
              <input
                id={`qual-${org.id}-${mc.id}`}
                type="checkbox"
                checked={qualified.includes(mc.id)}
                onChange={(e) => setQualified((q) => (e.target.checked ? [...q, mc.id] : q.filter((x) => x !== mc.id)))}
              />
              <label htmlFor={`qual-${org.id}-${mc.id}`}>{mc.title}</label>
            </div>
          ))}
          <div className="field">
            <label htmlFor={`pool-tags-${org.id}`}>Or every micro-credential with these tags (comma-separated)</label>
            <input id={`pool-tags-${org.id}`} value={tags} onChange={(e) => setTags(e.target.value)} />
          </div>
        </fieldset>
        <button type="submit">Add to the pool or update</button>
      </form>
      <h4 id={`policy-${org.id}`}>Review policy</h4>
      {policy.status === "loading" && <Loading label="Loading the review policy" />}
      {policy.status === "error" && <SectionError what="The review policy could not be loaded" error={policy.error} onRetry={retryPolicy} />}
      {policy.status === "ready" && <PolicyForm org={org} policy={policy.data} />}
      <p>
        <button
          type="button"
          className="secondary"
          onClick={async () => {
            try {
              const run = await post<{ assigned: unknown[]; unassigned: unknown[] }>(`/api/v1/issuers/${org.id}/assignments/run`);
              setMessage(
                `Assignment ran: ${run.assigned.length} new reviews` +
                  (run.unassigned.length ? `; ${run.unassigned.length} submissions still need reviewers.` : "."),
              );
              setReload((n) => n + 1);
            } catch (err) {
              setError(err instanceof ApiError ? err : new ApiError(0, {}));
            }
          }}
        >
          Assign reviewers now
        </button>
      </p>
      {message && <p role="status">{message}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}

// Keeps what the server answered, so saving does not reload (and unmount) the form.
function PolicyForm({ org, policy: loaded }: { org: Organization; policy: ReviewPolicy }) {
  const [policy, setPolicy] = useState(loaded);
  const [sla, setSla] = useState(policy.sla_days);
  const [district, setDistrict] = useState(policy.never_same_district);
  const [pay, setPay] = useState((policy.review_pay_cents / 100).toFixed(2));
  const [allowDistricts, setAllowDistricts] = useState(policy.allow_district_preferences);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <form
      className="inline-form"
      aria-labelledby={`policy-${org.id}`}
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          const saved = await put<ReviewPolicy>(`/api/v1/issuers/${org.id}/review-policy`, {
            sla_days: sla,
            never_same_district: district,
            review_pay_cents: Math.round(Number(pay) * 100),
            allow_district_preferences: allowDistricts,
          });
          setPolicy(saved);
          setStatus("Review policy saved.");
        } catch (err) {
          setError(err instanceof ApiError ? err : new ApiError(0, {}));
        }
      }}
    >
      <div className="field narrow-field">
        <label htmlFor={`sla-${org.id}`}>Days to review</label>
        <input id={`sla-${org.id}`} type="number" min={1} max={365} value={sla} onChange={(e) => setSla(Number(e.target.value))} />
      </div>
      <div className="field narrow-field">
        <label htmlFor={`pay-${org.id}`}>Pay per review ($)</label>
        <input id={`pay-${org.id}`} type="number" min={0} step="0.01" value={pay} onChange={(e) => setPay(e.target.value)} />
      </div>
      <div className="check">
        <input id={`district-${org.id}`} type="checkbox" checked={district} onChange={(e) => setDistrict(e.target.checked)} />
        <label htmlFor={`district-${org.id}`}>
          Never assign a reviewer from the educator's own district (reviewers never review their own school)
        </label>
      </div>
      <div className="check">
        <input
          id={`allow-districts-${org.id}`}
          type="checkbox"
          checked={allowDistricts}
          aria-describedby={`allow-districts-help-${org.id}`}
          onChange={(e) => setAllowDistricts(e.target.checked)}
        />
        <label htmlFor={`allow-districts-${org.id}`}>Let districts set their own review deadline and conflict-of-interest rule</label>
      </div>
      <p id={`allow-districts-help-${org.id}`} className="hint">
        A district's deadline replaces yours for its educators' submissions; its rule can only add "never the same district", never lift yours.
      </p>
      {policy.districts.length > 0 && (
        <ul aria-label="Districts that chose their own review rules">
          {policy.districts.map((d) => (
            <li key={d.district_id}>
              {d.name}: {d.sla_days === null ? "your deadline" : `${d.sla_days} days`}
              {d.never_same_district ? ", never the same district" : ""} ·{" "}
              {d.applies ? `applies: due in ${d.effective.sla_days} days${d.effective.never_same_district ? ", never the same district" : ""}` : "not applied (districts may not choose)"}
            </li>
          ))}
        </ul>
      )}
      <button type="submit">Save review policy</button>
      {status && <p role="status">{status}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </form>
  );
}

interface InFlightSubmission {
  submission_id: string;
  code: string;
  micro_credential_id: string;
  version: number;
  attempt: number;
  state: string;
  submitted_at: string;
  reviews: {
    review_id: string;
    reviewer_id: string;
    reviewer_name: string;
    state: string;
    tie_break: boolean;
    by_override: boolean;
    due_at: string;
    overdue: boolean;
  }[];
}

// Submissions waiting for or in review: who has each, by when, and the admin's overrides.
function InFlight({ org }: { org: Organization }) {
  const [reload, setReload] = useState(0);
  const [state, retry] = useAsync(() => get<{ items: InFlightSubmission[] }>(`/api/v1/issuers/${org.id}/submissions`), [org.id, reload]);
  const [pool, retryPool] = useAsync(() => get<{ items: PoolReviewer[] }>(`/api/v1/issuers/${org.id}/reviewers`), [org.id, reload]);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setReload((n) => n + 1);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, {}));
    }
  };
  return (
    <section aria-labelledby={`flight-${org.id}`}>
      <h3 id={`flight-${org.id}`}>Submissions in review</h3>
      {state.status === "loading" && <Loading label="Loading submissions in review" />}
      {state.status === "error" && <SectionError what="Submissions in review could not be loaded" error={state.error} onRetry={retry} />}
      {pool.status === "error" && state.status === "ready" && state.data.items.length > 0 && (
        <SectionError what="Reviewers to choose from could not be loaded" error={pool.error} onRetry={retryPool} />
      )}
      {state.status === "ready" && state.data.items.length === 0 && <p>No submission is waiting for review.</p>}
      {state.status === "ready" && state.data.items.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Submissions in review table">
          <table className="queue">
            <caption>Each submission's reviewers and due dates</caption>
            <thead>
              <tr>
                <th scope="col">Submission</th>
                <th scope="col">Reviews</th>
                <th scope="col">Assign a reviewer</th>
              </tr>
            </thead>
            <tbody>
              {state.data.items.map((s) => (
                <tr key={s.submission_id}>
                  <th scope="row">
                    {s.code}, attempt {s.attempt} ({s.state === "in_review" ? "in review" : "waiting"})
                  </th>
                  <td>
                    <ul>
                      {s.reviews.map((r) => (
                        <li key={r.review_id} className={r.overdue ? "field-error" : undefined}>
                          {r.reviewer_name}: {r.state.replace("_", " ")}, due {new Date(r.due_at).toLocaleDateString()}
                          {r.overdue && " (overdue)"}
                          {r.tie_break && " · third review"}
                          {r.by_override && " · chosen by an admin"}
                          {r.state === "assigned" && (
                            <>
                              {" "}
                              <button
                                type="button"
                                className="link-button"
                                onClick={() => act(() => del(`/api/v1/submissions/${s.submission_id}/reviewers/${r.reviewer_id}`))}
                              >
                                Take back<span className="visually-hidden"> from {r.reviewer_name} on {s.code}</span>
                              </button>
                            </>
                          )}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <label htmlFor={`assign-${s.submission_id}`} className="visually-hidden">
                      Reviewer for {s.code}
                    </label>
                    <select
                      id={`assign-${s.submission_id}`}
                      value={choice[s.submission_id] ?? ""}
                      onChange={(e) => setChoice((c) => ({ ...c, [s.submission_id]: e.target.value }))}
                    >
                      <option value="">Choose…</option>
                      {pool.status === "ready" &&
                        pool.data.items.map((r) => (
                          <option key={r.user_id} value={r.user_id}>
                            {r.display_name} ({r.open_load}/{r.load_cap})
                          </option>
                        ))}
                    </select>{" "}
                    <button
                      type="button"
                      className="secondary"
                      disabled={!choice[s.submission_id]}
                      onClick={() =>
                        act(() => post(`/api/v1/submissions/${s.submission_id}/reviewers`, { reviewer_id: choice[s.submission_id] }))
                      }
                    >
                      Assign<span className="visually-hidden"> to {s.code}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}

function Enrolments({ org }: { org: Organization }) {
  const [reload, setReload] = useState(0);
  const [state, retry] = useAsync(() => get<{ items: Enrolment[] }>(`/api/v1/issuers/${org.id}/enrolments`), [org.id, reload]);
  const [error, setError] = useState<ApiError | null>(null);
  const waiting = state.status === "ready" ? state.data.items.filter((e) => e.next_step === "meet coach") : [];
  return (
    <section aria-labelledby={`coach-${org.id}`}>
      <h3 id={`coach-${org.id}`}>Educators waiting for a coach</h3>
      {state.status === "loading" && <Loading label="Loading educators waiting for a coach" />}
      {state.status === "error" && <SectionError what="Coach sign-off could not be loaded" error={state.error} onRetry={retry} />}
      {state.status !== "ready" ? null : waiting.length === 0 ? (
        <p>Nobody is waiting.</p>
      ) : (
        <ul>
          {waiting.map((e) => (
            <li key={e.id}>
              {e.title}, enrolment {e.id}{" "}
              <button
                type="button"
                className="secondary"
                onClick={async () => {
                  try {
                    await post(`/api/v1/enrolments/${e.id}/coach-sessions`, { note: "Coaching session held" });
                    setReload((n) => n + 1);
                  } catch (err) {
                    setError(err instanceof ApiError ? err : new ApiError(0, {}));
                  }
                }}
              >
                Record the coaching session
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}

function Awards({ org }: { org: Organization }) {
  const [reload, setReload] = useState(0);
  const [state, retry] = useAsync(() => get<{ items: CredentialSummary[] }>(`/api/v1/issuers/${org.id}/awards`), [org.id, reload]);
  const [revoking, setRevoking] = useState<CredentialSummary | null>(null);
  return (
    <section aria-labelledby={`awards-${org.id}`}>
      <h3 id={`awards-${org.id}`}>Awards</h3>
      <p>
        <a href={`/api/v1/issuers/${org.id}/awards?format=csv`} download>
          Export all awards as CSV
        </a>
      </p>
      {state.status === "loading" && <Loading label="Loading awards" />}
      {state.status === "error" && <SectionError what="Awards could not be loaded" error={state.error} onRetry={retry} />}
      {state.status === "ready" && state.data.items.length === 0 && <p>No credentials issued yet.</p>}
      {state.status === "ready" && state.data.items.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Awards table">
          <table className="queue">
            <caption>Credentials issued</caption>
            <thead>
              <tr>
                <th scope="col">Credential</th>
                <th scope="col">Recipient</th>
                <th scope="col">Issued</th>
                <th scope="col">Status</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {state.data.items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <a href={c.url}>{c.title}</a>
                  </th>
                  <td>{c.recipient_email}</td>
                  <td>{new Date(c.issued_at).toLocaleDateString()}</td>
                  <td>{c.status}</td>
                  <td>
                    {c.status !== "revoked" && (
                      <button type="button" className="secondary" onClick={() => setRevoking(c)}>
                        Revoke<span className="visually-hidden"> {c.title} for {c.recipient_email}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <RevokeDialog
          credential={revoking}
          onClose={(done) => {
            setRevoking(null);
            if (done) setReload((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}

function RevokeDialog({ credential, onClose }: { credential: CredentialSummary; onClose(done: boolean): void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <div className="dialog" role="alertdialog" aria-modal="false" aria-labelledby="revoke-title" aria-describedby="revoke-text">
      <h4 id="revoke-title">Revoke “{credential.title}”?</h4>
      <p id="revoke-text">
        <strong>Revocation cannot be undone.</strong> Everyone who checks this credential will see it as revoked. The reason is kept in the
        audit log.
      </p>
      <div className="field">
        <label htmlFor="revoke-reason">Reason</label>
        <textarea id="revoke-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
      </div>
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
              await post(`/api/v1/credentials/${credential.id}/revoke`, { reason: reason.trim() });
              onClose(true);
            } catch (e) {
              setError(e instanceof ApiError ? e : new ApiError(0, {}));
            }
          }}
        >
          Revoke permanently
        </button>
        <button type="button" className="secondary" onClick={() => onClose(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}

interface Member {
  user_id: string;
  email: string;
  display_name: string;
  role: string;
  since: string;
}

function DistrictAdmin({ org }: { org: Organization }) {
  const [members, retryMembers] = useAsync(() => get<{ items: Member[] }>(`/api/v1/organizations/${org.id}/members`), [org.id]);
  const [schools, retrySchools] = useAsync(() => get<{ items: Organization[] }>(`/api/v1/organizations/${org.id}/schools`), [org.id]);
  return (
    <section className="org-admin" aria-labelledby={`district-${org.id}`}>
      <h2 id={`district-${org.id}`}>{org.name}: district</h2>
      <h3>Schools</h3>
      {schools.status === "loading" && <Loading label="Loading schools" />}
      {schools.status === "error" && <SectionError what="The district's schools could not be loaded" error={schools.error} onRetry={retrySchools} />}
      {schools.status === "ready" && schools.data.items.length === 0 && <p>No schools yet.</p>}
      {schools.status === "ready" && schools.data.items.length > 0 && (
        <ul>
          {schools.data.items.map((s) => (
            <li key={s.id}>{s.name}</li>
          ))}
        </ul>
      )}
      <h3>People</h3>
      {members.status === "loading" && <Loading label="Loading people" />}
      {members.status === "error" && <SectionError what="The district's people could not be loaded" error={members.error} onRetry={retryMembers} />}
      {members.status === "ready" && (
        <ul>
          {members.data.items.map((m) => (
            <li key={m.user_id + m.role}>
              {m.display_name} ({m.email}): {m.role.replace("_", " ")}
            </li>
          ))}
        </ul>
      )}
      <Invitations org={org} />
      <TimeFrame org={org} />
      <ReviewPreferences org={org} />
    </section>
  );
}

function Invitations({ org }: { org: Organization }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("educator");
  const [message, setMessage] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const send = async () => {
    setError(null);
    setMessage("");
    try {
      await post(`/api/v1/organizations/${org.id}/invitations`, { email: email.trim(), role });
      setMessage(`Invitation sent to ${email.trim()}.`);
      setEmail("");
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <section aria-labelledby={`invite-${org.id}`}>
      <h3 id={`invite-${org.id}`}>Invitations</h3>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <div className="field">
          <label htmlFor={`invite-email-${org.id}`}>Invite by email</label>
          <input id={`invite-email-${org.id}`} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </div>
        <div className="field narrow-field">
          <label htmlFor={`invite-role-${org.id}`}>Role</label>
          <select id={`invite-role-${org.id}`} value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="educator">Educator</option>
            <option value="reviewer">Reviewer</option>
            <option value="district_admin">District administrator</option>
          </select>
        </div>
        <button type="submit">Send invitation</button>
      </form>
      {message && <p role="status">{message}</p>}
      {error && <SectionError what={`The invitation to ${email.trim() || "that address"} was not sent`} error={error} onRetry={() => void send()} />}
    </section>
  );
}

function TimeFrame({ org }: { org: Organization }) {
  const [policy, retry] = useAsync(() => get<EnrolmentPolicy>(`/api/v1/organizations/${org.id}/enrolment-policy`), [org.id]);
  const [days, setDays] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const shown = days ?? (policy.status === "ready" && policy.data.days !== null ? String(policy.data.days) : "");
  const save = async () => {
    setError(null);
    setMessage("");
    try {
      await put(`/api/v1/organizations/${org.id}/enrolment-policy`, { days: shown ? Number(shown) : null });
      setMessage(shown ? `New enrolments are due ${shown} days after they start.` : "New enrolments have no deadline.");
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <section aria-labelledby={`timeframe-${org.id}`}>
      <h3 id={`timeframe-${org.id}`}>Time frame for new enrolments</h3>
      {policy.status === "loading" && <Loading label="Loading the time frame" />}
      {policy.status === "error" && <SectionError what="The enrolment time frame could not be loaded" error={policy.error} onRetry={retry} />}
      {policy.status === "ready" && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div className="field narrow-field">
            <label htmlFor={`days-${org.id}`}>Days (empty: no deadline)</label>
            <input id={`days-${org.id}`} type="number" min={1} max={3650} value={shown} onChange={(e) => setDays(e.target.value)} />
          </div>
          <button type="submit">Save time frame</button>
        </form>
      )}
      {message && <p role="status">{message}</p>}
      {error && <SectionError what="The time frame was not saved" error={error} onRetry={() => void save()} />}
    </section>
  );
}

// The district's own review deadline and conflict rule, and the issuers that apply them.
function ReviewPreferences({ org }: { org: Organization }) {
  const [prefs, retry] = useAsync(() => get<DistrictReviewPreferences>(`/api/v1/organizations/${org.id}/review-preferences`), [org.id]);
  return (
    <section aria-labelledby={`review-prefs-${org.id}`}>
      <h3 id={`review-prefs-${org.id}`}>Review preferences</h3>
      {prefs.status === "loading" && <Loading label="Loading review preferences" />}
      {prefs.status === "error" && <SectionError what="Review preferences could not be loaded" error={prefs.error} onRetry={retry} />}
      {prefs.status === "ready" && (
        <ReviewPreferencesForm org={org} prefs={prefs.data} />
      )}
    </section>
  );
}

function ReviewPreferencesForm({ org, prefs: loaded }: { org: Organization; prefs: DistrictReviewPreferences }) {
  const [prefs, setPrefs] = useState(loaded);
  const [deadline, setDeadline] = useState(prefs.sla_days === null ? "" : String(prefs.sla_days));
  const [never, setNever] = useState(prefs.never_same_district);
  const [fieldError, setFieldError] = useState("");
  const [status, setStatus] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const id = `review-deadline-${org.id}`;
  const save = async () => {
    setError(null);
    setStatus("");
    const parsed = parseDeadline(deadline);
    if (!parsed.ok) {
      setFieldError(parsed.message);
      return;
    }
    setFieldError("");
    try {
      setPrefs(
        await put<DistrictReviewPreferences>(`/api/v1/organizations/${org.id}/review-preferences`, {
          sla_days: parsed.days,
          never_same_district: never,
        }),
      );
      setStatus("Review preferences saved.");
    } catch (err) {
      const e = asApiError(err);
      const field = e.fieldMessage("/sla_days");
      if (field) setFieldError(asSentence(field));
      else setError(e);
    }
  };
  return (
    <>
      {prefs.honoured_by.length === 0 ? (
        <p>No issuer applies district preferences yet: your educators' submissions follow each issuer's own review policy.</p>
      ) : (
        <>
          <p>These issuers apply your choices to your educators' submissions:</p>
          <ul aria-label="Issuers that apply your review preferences">
            {prefs.honoured_by.map((i) => (
              <li key={i.issuer_id}>
                <strong>{i.name}</strong>: {describeRule(i.effective)}
              </li>
            ))}
          </ul>
          <p className="hint">Other issuers use their own review policy.</p>
        </>
      )}
      <form
        className="inline-form"
        aria-labelledby={`review-prefs-${org.id}`}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="field narrow-field">
          <label htmlFor={id}>Review deadline in days (empty: the issuer's default)</label>
          <input
            id={id}
            type="number"
            inputMode="numeric"
            min={1}
            max={kMaxDistrictSlaDays}
            value={deadline}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? `${id}-error` : undefined}
            onChange={(e) => setDeadline(e.target.value)}
          />
          {fieldError && (
            <p id={`${id}-error`} className="field-error" role="alert">
              {fieldError}
            </p>
          )}
        </div>
        <div className="check">
          <input id={`review-never-${org.id}`} type="checkbox" checked={never} onChange={(e) => setNever(e.target.checked)} />
          <label htmlFor={`review-never-${org.id}`}>Never have our educators reviewed by reviewers from our own district</label>
        </div>
        <button type="submit">Save review preferences</button>
      </form>
      {status && <p role="status">{status}</p>}
      {error && <SectionError what="Review preferences were not saved" error={error} onRetry={() => void save()} />}
    </>
  );
}
