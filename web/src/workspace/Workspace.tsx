import { useEffect, useRef, useState } from "react";
import { ApiError, failureText, post, toApiError } from "../api/client";
import type { ArtifactEntry, Draft, Enrolment, MicroCredential, Submission } from "../api/types";
import { InlineError, ServerHtml } from "../components/Status";
import { ArtifactList, useFiles } from "./ArtifactList";
import { SAVE_LABELS, useAutosave } from "./autosave";
import { Uploader } from "./Uploader";
import { wordStatus } from "./words";

const ACCEPT: Record<string, string> = {
  document: ".pdf,.doc,.docx,.odt,.txt,.rtf,.ppt,.pptx,.odp,.xls,.xlsx,.ods",
  image: "image/*",
  audio: "audio/*",
  video: "video/*",
};

function TextAnswer({
  id,
  label,
  promptHtml,
  limit,
  value,
  error,
  onChange,
}: {
  id: string;
  label: string;
  promptHtml: string;
  limit: number;
  value: string;
  error?: string;
  onChange(text: string): void;
}) {
  const status = wordStatus(value, limit);
  return (
    <div className="field answer">
      <label htmlFor={id}>{label}</label>
      <ServerHtml html={promptHtml} className="prose prompt" />
      <textarea
        id={id}
        rows={8}
        value={value}
        aria-describedby={`${id}-count${error ? ` ${id}-error` : ""}`}
        aria-invalid={status.over || Boolean(error)}
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-count`} className={status.over ? "field-error" : "hint"}>
        {status.label}
      </p>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function Workspace({
  enrolment,
  mc,
  initial,
  onSubmitted,
}: {
  enrolment: Enrolment;
  mc: MicroCredential;
  initial: Draft;
  onSubmitted(s: Submission): void;
}) {
  const autosave = useAutosave(initial);
  const { content, draft, state, conflict } = autosave;
  const [files, addFile] = useFiles(content.artifacts.flatMap((a) => (a.file_id ? [a.file_id] : [])));
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const conflictHeading = useRef<HTMLHeadingElement>(null);
  const req = mc.submission;

  useEffect(() => {
    if (conflict) conflictHeading.current?.focus();
  }, [conflict]);

  const problem = (pointer: string) =>
    submitError?.fieldMessage(pointer) ?? draft.checks.problems.find((p) => p.pointer === pointer)?.detail;

  function setText(part: "overview" | "reflection", i: number, text: string) {
    autosave.edit((c) => {
      const list = [...c[part]];
      while (list.length <= i) list.push("");
      list[i] = text;
      return { ...c, [part]: list };
    });
  }
  function setArtifact(index: number, entry: ArtifactEntry) {
    autosave.edit((c) => ({ ...c, artifacts: c.artifacts.map((a, i) => (i === index ? entry : a)) }));
  }
  function addArtifact(entry: ArtifactEntry) {
    autosave.edit((c) => ({ ...c, artifacts: [...c.artifacts, entry] }));
  }
  function removeArtifact(index: number) {
    autosave.edit((c) => ({ ...c, artifacts: c.artifacts.filter((_, i) => i !== index) }));
  }

  async function submit() {
    setSubmitting(true);
    setSubmitError(null);
    try {
      const saved = await autosave.saveNow();
      onSubmitted(await post<Submission>(`/api/v1/enrolments/${enrolment.id}/submissions`, { revision: saved.revision }));
    } catch (e) {
      setSubmitError(toApiError(e));
    } finally {
      setSubmitting(false);
    }
  }

  const attempt = enrolment.attempts_used + 1;
  return (
    <form className="workspace" onSubmit={(e) => e.preventDefault()} aria-labelledby="workspace-title">
      <div className="save-bar">
        <h2 id="workspace-title">Your submission, attempt {attempt}</h2>
        <p className={`save-state save-${state}`} role="status" aria-live="polite">
          {SAVE_LABELS[state]}
        </p>
      </div>

      {conflict && (
        <div className="dialog" role="alertdialog" aria-modal="false" aria-labelledby="conflict-title" aria-describedby="conflict-text">
          <h3 id="conflict-title" tabIndex={-1} ref={conflictHeading}>
            This draft changed somewhere else
          </h3>
          <p id="conflict-text">
            It was saved from another tab or device (version {conflict.revision}) after you started editing here. Nothing
            has been overwritten. Choose which version to keep.
          </p>
          <div className="actions">
            <button type="button" onClick={autosave.takeTheirs}>
              Load the other version
            </button>
            <button type="button" className="secondary" onClick={autosave.keepMine}>
              Keep my version
            </button>
          </div>
        </div>
      )}
      {autosave.restored && !conflict && (
        <p className="callout" role="status">
          Changes you had not saved yet were put back from this browser.
        </p>
      )}
      {state === "error" && autosave.error && (
        <div className="error-panel" role="alert">
          <p>
            {failureText("Your latest changes are not saved yet", autosave.error)} Until then they are kept in this browser.
          </p>
          {autosave.error.status !== 401 && (
            <p className="actions">
              <button type="button" onClick={() => void autosave.saveNow().catch(() => undefined)}>
                Save now
              </button>
            </p>
          )}
        </div>
      )}

      <fieldset>
        <legend>Part 1: Overview</legend>
        {req.overview.map((q, i) => (
          <TextAnswer
            key={i}
            id={`overview-${i}`}
            label={`Overview question ${i + 1}`}
            promptHtml={q.prompt_html}
            limit={q.word_limit}
            value={content.overview[i] ?? ""}
            error={problem(`/overview/${i}`)}
            onChange={(t) => setText("overview", i, t)}
          />
        ))}
      </fieldset>

      <fieldset>
        <legend>Part 2: Artifacts</legend>
        {req.artifacts.map((a, r) => {
          const attached = content.artifacts.map((entry, index) => ({ entry, index })).filter((x) => x.entry.requirement === r);
          const fileKinds = a.accepted_kinds.filter((k) => k !== "link");
          return (
            <section key={r} className="requirement" aria-labelledby={`req-${r}`}>
              <h3 id={`req-${r}`}>{a.title}</h3>
              <ServerHtml html={a.description_html} />
              <p className="hint">
                {attached.length} attached; {a.min_count === a.max_count ? `${a.min_count} needed` : `${a.min_count} to ${a.max_count} needed`}.
              </p>
              {problem(`/artifacts/${r}`) && <p className="field-error">{problem(`/artifacts/${r}`)}</p>}
              <ArtifactList entries={attached} files={files} readOnly={false} onChange={setArtifact} onRemove={removeArtifact} />
              {attached.length < a.max_count && fileKinds.length > 0 && (
                <Uploader
                  enrolmentId={enrolment.id}
                  requirement={r}
                  accept={fileKinds.map((k) => ACCEPT[k] ?? "").join(",")}
                  label={`Add a file for “${a.title}” (${fileKinds.join(", ")})`}
                  onUploaded={(file) => {
                    addFile(file);
                    addArtifact({ requirement: r, file_id: file.id, caption: "", shareable: false, consent_attested: false });
                  }}
                />
              )}
              {attached.length < a.max_count && a.accepted_kinds.includes("link") && (
                <LinkAdder requirement={r} onAdd={(url) => addArtifact({ requirement: r, url, caption: "" })} />
              )}
            </section>
          );
        })}
      </fieldset>

      <fieldset>
        <legend>Part 3: Reflection</legend>
        {req.reflection.map((q, i) => (
          <TextAnswer
            key={i}
            id={`reflection-${i}`}
            label={`Reflection ${i + 1}`}
            promptHtml={q.prompt_html}
            limit={q.word_limit}
            value={content.reflection[i] ?? ""}
            error={problem(`/reflection/${i}`)}
            onChange={(t) => setText("reflection", i, t)}
          />
        ))}
      </fieldset>

      <section className="submit-panel" aria-labelledby="submit-title">
        <h3 id="submit-title">Submit</h3>
        {!draft.checks.ready && draft.checks.problems.length > 0 && (
          <>
            <p>Before you can submit:</p>
            <ul>
              {draft.checks.problems.map((p) => (
                <li key={p.pointer + p.detail}>{p.detail}</li>
              ))}
            </ul>
          </>
        )}
        {submitError && (
          <InlineError what={`Attempt ${attempt} was not submitted`} error={submitError} focus>
            <p>
              {state === "saved"
                ? "Your draft is saved; nothing you wrote is lost."
                : "Nothing you wrote is lost: your draft is kept in this browser and saved as soon as Cairn can be reached."}{" "}
              Submit again when you are ready.
            </p>
          </InlineError>
        )}
        <p className="hint">
          Submitting sends a copy of this draft to two reviewers, who see a code instead of your name. You have{" "}
          {enrolment.attempts_left} {enrolment.attempts_left === 1 ? "attempt" : "attempts"} left.
        </p>
        <button type="button" onClick={submit} disabled={submitting || state === "conflict"}>
          {submitting ? "Submitting…" : `Submit attempt ${attempt}`}
        </button>
      </section>
    </form>
  );
}

function LinkAdder({ requirement, onAdd }: { requirement: number; onAdd(url: string): void }) {
  const [url, setUrl] = useState("");
  const id = `link-${requirement}`;
  return (
    <div className="field link-adder">
      <label htmlFor={id}>Add a link</label>
      <input id={id} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" />
      <button
        type="button"
        className="secondary"
        disabled={!/^https?:\/\/\S+$/.test(url)}
        onClick={() => {
          onAdd(url);
          setUrl("");
        }}
      >
        Add link
      </button>
    </div>
  );
}
