import { useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
import { ApiError, get, post, put } from "../api/client";
import type { Content, MicroCredential } from "../api/types";
import { ErrorPanel, Loading } from "../components/Status";
import { useAsync } from "../components/useAsync";
import { GRADE_BANDS } from "../pages/CatalogPage";
import { MicroCredentialView } from "../pages/MicroCredentialPage";
import { contentOf, emptyContent, newCriterion, slug, STARTER_LEVELS } from "./content";
import { ListEditor, NumberField, Text } from "./fields";

const KINDS = ["document", "image", "audio", "video", "link"];
const RESOURCE_KINDS = ["article", "book", "video", "website", "tool", "template"];

type Draft = MicroCredential & { revision: number };

// The micro-credential designer: every section, the three-part requirements and the rubric builder;
// a preview as educators will see it; then publish. `id` "new" starts version 1 for `issuer`.
export function DesignerPage() {
  const { id = "new", issuer = "" } = useParams();
  const location = useLocation();
  const previewing = Boolean((location.state as { preview?: boolean } | null)?.preview);
  const [state, retry] = useAsync(async () => {
    if (id === "new") return null;
    try {
      return await get<Draft>(`/api/v1/micro-credentials/${id}/draft`);
    } catch (e) {
      // No open draft: start the next version from the published one.
      if (e instanceof ApiError && e.status === 404) return await post<Draft>(`/api/v1/micro-credentials/${id}/draft`);
      throw e;
    }
  }, [id]);
  if (state.status === "loading") return <Loading label="Loading the draft" />;
  if (state.status === "error") return <ErrorPanel error={state.error} onRetry={retry} page />;
  return <Designer issuer={issuer} initial={state.data} previewing={previewing} />;
}

function Designer({ issuer, initial, previewing }: { issuer: string; initial: Draft | null; previewing: boolean }) {
  const navigate = useNavigate();
  const [content, setContent] = useState<Content>(initial ? contentOf(initial as unknown as Record<string, unknown>) : emptyContent());
  const [saved, setSaved] = useState<Draft | null>(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState("");
  const [preview, setPreview] = useState(previewing);
  const err = (pointer: string) => error?.fieldMessage(pointer);
  const set = <K extends keyof Content>(key: K, value: Content[K]) => setContent((c) => ({ ...c, [key]: value }));

  // The first save creates version 1 and moves to its address; `thenPreview` survives that move.
  async function save(thenPreview = false): Promise<Draft | null> {
    setError(null);
    setMessage("");
    try {
      const result = saved
        ? await put<Draft>(`/api/v1/micro-credentials/${saved.id}/draft`, { ...content, revision: saved.revision })
        : await post<Draft>("/api/v1/micro-credentials", { ...content, issuer_id: issuer });
      setSaved(result);
      setMessage(`Draft saved (version ${result.version}).`);
      if (!saved) navigate(`/admin/micro-credentials/${result.id}`, { replace: true, state: { preview: thenPreview } });
      return result;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, {}));
      return null;
    }
  }

  async function publish() {
    const draft = await save();
    if (!draft) return;
    try {
      await post(`/api/v1/micro-credentials/${draft.id}/publish`, { revision: draft.revision });
      navigate(`/micro-credentials/${draft.id}`);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, {}));
    }
  }

  const rubric = content.rubric;
  const levelIds = rubric.criteria[0]?.levels.map((l) => l.id) ?? STARTER_LEVELS.map((l) => l.id);
  const setLevels = (fn: (levels: Content["rubric"]["criteria"][0]["levels"], criterion: number) => Content["rubric"]["criteria"][0]["levels"]) =>
    set("rubric", { ...rubric, criteria: rubric.criteria.map((c, i) => ({ ...c, levels: fn(c.levels, i) })) });

  return (
    <article aria-labelledby="designer-title" className="designer">
      <p className="breadcrumb">
        <Link to="/admin">Administration</Link> / Designer
      </p>
      <h1 id="designer-title">{content.title || "New micro-credential"}</h1>
      {saved && (
        <p className="meta">
          Version {saved.version}, {saved.state}. Published versions never change: publishing this draft makes it the version the
          catalog shows, and earlier versions stay readable.
        </p>
      )}
      {error && (
        <div className="error-panel" role="alert">
          <h2>{error.title}</h2>
          <p>{error.message}</p>
          {error.fields.length > 0 && (
            <ul>
              {error.fields.map((f) => (
                <li key={f.pointer}>
                  <code>{f.pointer}</code>: {f.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {message && <p role="status">{message}</p>}

      <fieldset>
        <legend>About</legend>
        <Text id="mc-title-input" label="Title" value={content.title} onChange={(v) => set("title", v)} error={err("/title")} />
        <Text id="mc-summary" label="Summary (one or two sentences for the catalog)" multiline value={content.summary} onChange={(v) => set("summary", v)} error={err("/summary")} />
        <Text id="mc-competency" label="Competency" multiline hint="Markdown" value={content.competency} onChange={(v) => set("competency", v)} error={err("/competency")} />
        <Text id="mc-subject" label="Subject" value={content.subject} onChange={(v) => set("subject", v)} error={err("/subject")} />
        <div className="field narrow-field">
          <label htmlFor="mc-grade">Grade band</label>
          <select id="mc-grade" value={content.grade_band} onChange={(e) => set("grade_band", e.target.value as Content["grade_band"])}>
            {GRADE_BANDS.map((b) => (
              <option key={b.value} value={b.value}>
                {b.label}
              </option>
            ))}
          </select>
        </div>
        <NumberField id="mc-hours" label="Estimated hours" value={content.estimated_hours} min={0} max={200} step={0.5} onChange={(v) => set("estimated_hours", v)} error={err("/estimated_hours")} />
        <NumberField id="mc-attempts" label="Attempts before a coach session" value={content.max_attempts ?? 3} min={1} max={10} onChange={(v) => set("max_attempts", v)} error={err("/max_attempts")} />
        <Text id="mc-tags" label="Tags (comma-separated)" value={content.tags.join(", ")} onChange={(v) => set("tags", v.split(",").map((t) => slug(t.trim())).filter(Boolean))} error={err("/tags")} />
        <Text id="mc-image" label="Badge image URL (optional)" type="url" value={content.image_url ?? ""} onChange={(v) => set("image_url", v || null)} error={err("/image_url")} />
      </fieldset>

      <fieldset>
        <legend>Key method</legend>
        <Text id="mc-method" label="The method" multiline value={content.key_method.description} onChange={(v) => set("key_method", { ...content.key_method, description: v })} error={err("/key_method/description")} />
        <ListEditor
          legend="Method components"
          items={content.key_method.components}
          onChange={(components) => set("key_method", { ...content.key_method, components })}
          make={() => ({ name: "", description: "" })}
          addLabel="Add a component"
          itemLabel={(c, i) => c.name || `component ${i + 1}`}
          render={(c, update, i) => (
            <>
              <Text id={`comp-${i}-name`} label={`Component ${i + 1} name`} value={c.name} onChange={(v) => update({ ...c, name: v })} error={err(`/key_method/components/${i}/name`)} />
              <Text id={`comp-${i}-desc`} label={`Component ${i + 1} description`} multiline value={c.description} onChange={(v) => update({ ...c, description: v })} />
            </>
          )}
        />
        <Text id="mc-research" label="Supporting research" multiline hint="Markdown, with citations" value={content.research} onChange={(v) => set("research", v)} error={err("/research")} />
      </fieldset>

      <ListEditor
        legend="Resources"
        items={content.resources}
        onChange={(resources) => set("resources", resources)}
        make={() => ({ title: "", kind: "article", url: "" })}
        addLabel="Add a resource"
        itemLabel={(r, i) => r.title || `resource ${i + 1}`}
        render={(r, update, i) => (
          <>
            <Text id={`res-${i}-title`} label={`Resource ${i + 1} title`} value={r.title} onChange={(v) => update({ ...r, title: v })} error={err(`/resources/${i}/title`)} />
            <div className="field narrow-field">
              <label htmlFor={`res-${i}-kind`}>Kind</label>
              <select id={`res-${i}-kind`} value={r.kind} onChange={(e) => update({ ...r, kind: e.target.value })}>
                {RESOURCE_KINDS.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            </div>
            <Text id={`res-${i}-url`} label="Link" type="url" value={r.url ?? ""} onChange={(v) => update({ ...r, url: v })} error={err(`/resources/${i}/url`)} />
          </>
        )}
      />

      <fieldset>
        <legend>Submission requirements</legend>
        <ListEditor
          legend="Part 1: Overview questions"
          items={content.submission.overview}
          onChange={(overview) => set("submission", { ...content.submission, overview })}
          make={() => ({ prompt: "", word_limit: 300 })}
          addLabel="Add an overview question"
          itemLabel={(_, i) => `question ${i + 1}`}
          render={(q, update, i) => (
            <>
              <Text id={`ov-${i}`} label={`Question ${i + 1}`} multiline value={q.prompt} onChange={(v) => update({ ...q, prompt: v })} error={err(`/submission/overview/${i}/prompt`)} />
              <NumberField id={`ov-${i}-limit`} label="Word limit (0: none)" min={0} value={q.word_limit} onChange={(v) => update({ ...q, word_limit: v })} />
            </>
          )}
        />
        <ListEditor
          legend="Part 2: Artifacts"
          items={content.submission.artifacts}
          onChange={(artifacts) => set("submission", { ...content.submission, artifacts })}
          make={() => ({ title: "", description: "", accepted_kinds: ["document"], min_count: 1, max_count: 1 })}
          addLabel="Add an artifact"
          itemLabel={(a, i) => a.title || `artifact ${i + 1}`}
          render={(a, update, i) => (
            <>
              <Text id={`art-${i}-title`} label={`Artifact ${i + 1} title`} value={a.title} onChange={(v) => update({ ...a, title: v })} error={err(`/submission/artifacts/${i}/title`)} />
              <Text id={`art-${i}-desc`} label="What to submit" multiline value={a.description} onChange={(v) => update({ ...a, description: v })} />
              <fieldset>
                <legend>Accepted kinds</legend>
                {KINDS.map((k) => (
                  <div key={k} className="check">
                    <input
                      type="checkbox"
                      id={`art-${i}-${k}`}
                      checked={a.accepted_kinds.includes(k)}
                      onChange={(e) =>
                        update({ ...a, accepted_kinds: e.target.checked ? [...a.accepted_kinds, k] : a.accepted_kinds.filter((x) => x !== k) })
                      }
                    />
                    <label htmlFor={`art-${i}-${k}`}>{k}</label>
                  </div>
                ))}
              </fieldset>
              <NumberField id={`art-${i}-min`} label="At least" min={0} value={a.min_count} onChange={(v) => update({ ...a, min_count: v })} error={err(`/submission/artifacts/${i}/min_count`)} />
              <NumberField id={`art-${i}-max`} label="At most" min={1} value={a.max_count} onChange={(v) => update({ ...a, max_count: v })} error={err(`/submission/artifacts/${i}/max_count`)} />
            </>
          )}
        />
        <ListEditor
          legend="Part 3: Reflection prompts"
          items={content.submission.reflection}
          onChange={(reflection) => set("submission", { ...content.submission, reflection })}
          make={() => ({ prompt: "", word_limit: 400 })}
          addLabel="Add a reflection prompt"
          itemLabel={(_, i) => `prompt ${i + 1}`}
          render={(q, update, i) => (
            <>
              <Text id={`rf-${i}`} label={`Prompt ${i + 1}`} multiline value={q.prompt} onChange={(v) => update({ ...q, prompt: v })} error={err(`/submission/reflection/${i}/prompt`)} />
              <NumberField id={`rf-${i}-limit`} label="Word limit (0: none)" min={0} value={q.word_limit} onChange={(v) => update({ ...q, word_limit: v })} />
            </>
          )}
        />
      </fieldset>

      <fieldset>
        <legend>Rubric</legend>
        <p className="hint">Every criterion uses the same levels, lowest first, so the Earned rule can speak across criteria.</p>
        <ListEditor
          legend="Levels"
          items={rubric.criteria[0]?.levels ?? []}
          onChange={(levels) =>
            set("rubric", {
              ...rubric,
              criteria: rubric.criteria.map((c) => ({
                ...c,
                levels: levels.map((l) => ({ ...l, descriptor: c.levels.find((x) => x.id === l.id)?.descriptor ?? "" })),
              })),
            })
          }
          make={() => ({ id: `level-${levelIds.length + 1}`, name: "", descriptor: "" })}
          addLabel="Add a level"
          itemLabel={(l, i) => l.name || `level ${i + 1}`}
          render={(l, _update, i) => (
            <Text
              id={`lvl-${i}`}
              label={`Level ${i + 1} name`}
              value={l.name}
              onChange={(v) => setLevels((levels) => levels.map((x, j) => (j === i ? { ...x, name: v, id: slug(v) || x.id } : x)))}
            />
          )}
        />
        <ListEditor
          legend="Criteria"
          items={rubric.criteria}
          onChange={(criteria) => set("rubric", { ...rubric, criteria })}
          make={() => newCriterion(content, "")}
          addLabel="Add a criterion"
          itemLabel={(c, i) => c.name || `criterion ${i + 1}`}
          render={(c, update, i) => (
            <>
              <Text id={`cr-${i}-name`} label={`Criterion ${i + 1}`} value={c.name} onChange={(v) => update({ ...c, name: v, id: slug(v) || c.id })} error={err(`/rubric/criteria/${i}/name`)} />
              <Text id={`cr-${i}-desc`} label="Description (optional)" multiline value={c.description} onChange={(v) => update({ ...c, description: v })} />
              {c.levels.map((l, j) => (
                <Text
                  key={l.id}
                  id={`cr-${i}-lv-${j}`}
                  label={`What “${l.name || l.id}” looks like`}
                  multiline
                  value={l.descriptor}
                  onChange={(v) => update({ ...c, levels: c.levels.map((x, k) => (k === j ? { ...x, descriptor: v } : x)) })}
                  error={err(`/rubric/criteria/${i}/levels/${j}/descriptor`)}
                />
              ))}
            </>
          )}
        />
        <fieldset>
          <legend>The Earned rule</legend>
          <div className="field narrow-field">
            <label htmlFor="rule-level">Criteria must reach</label>
            <select id="rule-level" value={rubric.earned_rule.level} onChange={(e) => set("rubric", { ...rubric, earned_rule: { ...rubric.earned_rule, level: e.target.value } })}>
              {levelIds.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </div>
          <NumberField
            id="rule-min"
            label="How many criteria (blank or 0: all)"
            min={0}
            value={rubric.earned_rule.minimum_criteria ?? 0}
            onChange={(v) => set("rubric", { ...rubric, earned_rule: { ...rubric.earned_rule, minimum_criteria: v > 0 ? v : null } })}
            error={err("/rubric/earned_rule/minimum_criteria")}
          />
          <div className="field narrow-field">
            <label htmlFor="rule-floor">And none below</label>
            <select
              id="rule-floor"
              value={rubric.earned_rule.floor_level ?? ""}
              onChange={(e) => set("rubric", { ...rubric, earned_rule: { ...rubric.earned_rule, floor_level: e.target.value || undefined } })}
            >
              <option value="">No floor</option>
              {levelIds.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </div>
        </fieldset>
      </fieldset>

      <ListEditor
        legend="Standards alignment"
        items={content.alignments}
        onChange={(alignments) => set("alignments", alignments)}
        make={() => ({ framework: "", code: "", name: "", url: "" })}
        addLabel="Add an alignment"
        itemLabel={(a, i) => a.code || `alignment ${i + 1}`}
        render={(a, update, i) => (
          <>
            <Text id={`al-${i}-fw`} label="Framework" value={a.framework} onChange={(v) => update({ ...a, framework: v })} />
            <Text id={`al-${i}-code`} label="Code" value={a.code} onChange={(v) => update({ ...a, code: v })} />
            <Text id={`al-${i}-name`} label="Name" value={a.name} onChange={(v) => update({ ...a, name: v })} />
          </>
        )}
      />

      <div className="actions sticky-actions">
        <button type="button" className="secondary" onClick={() => void save()}>
          Save draft
        </button>
        <button
          type="button"
          className="secondary"
          onClick={async () => {
            if (await save(true)) setPreview(true);
          }}
        >
          Preview as educators see it
        </button>
        <button type="button" onClick={() => void publish()}>
          Publish
        </button>
      </div>
      {preview && saved && (
        <section className="preview-pane" aria-label="Preview">
          <p className="callout">
            Preview of the saved draft.{" "}
            <button type="button" className="link-button" onClick={() => setPreview(false)}>
              Close the preview
            </button>
          </p>
          <MicroCredentialView mc={saved} signedIn preview />
        </section>
      )}
    </article>
  );
}
