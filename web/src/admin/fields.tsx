import type { ReactNode } from "react";

// Small, labelled form controls for the designer. Every control has a visible label; errors from
// the API are shown under the field their JSON Pointer names.
export function Text({
  id,
  label,
  value,
  onChange,
  error,
  multiline,
  hint,
  type = "text",
}: {
  id: string;
  label: string;
  value: string;
  onChange(v: string): void;
  error?: string;
  multiline?: boolean;
  hint?: string;
  type?: string;
}) {
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea id={id} rows={4} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={described} aria-invalid={Boolean(error)} />
      ) : (
        <input id={id} type={type} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={described} aria-invalid={Boolean(error)} />
      )}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function NumberField({ id, label, value, onChange, error, min, max, step = 1 }: {
  id: string;
  label: string;
  value: number;
  onChange(v: number): void;
  error?: string;
  min?: number;
  max?: number;
  step?: number;
}) {
  return (
    <div className="field narrow-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" min={min} max={max} step={step} value={Number.isFinite(value) ? value : ""} onChange={(e) => onChange(Number(e.target.value))} aria-invalid={Boolean(error)} aria-describedby={error ? `${id}-error` : undefined} />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

// A list whose items can be added, removed and moved, each rendered by `render`.
export function ListEditor<T>({
  legend,
  items,
  onChange,
  make,
  render,
  addLabel,
  itemLabel,
}: {
  legend: string;
  items: T[];
  onChange(items: T[]): void;
  make(): T;
  render(item: T, update: (item: T) => void, index: number): ReactNode;
  addLabel: string;
  itemLabel(item: T, index: number): string;
}) {
  const move = (from: number, to: number) => {
    const next = [...items];
    const [x] = next.splice(from, 1);
    next.splice(to, 0, x);
    onChange(next);
  };
  return (
    <fieldset className="list-editor">
      <legend>{legend}</legend>
      {items.length === 0 && <p className="hint">None yet.</p>}
      <ol>
        {items.map((item, i) => (
          <li key={i}>
            {render(item, (changed) => onChange(items.map((x, j) => (j === i ? changed : x))), i)}
            <div className="actions">
              <button type="button" className="secondary" disabled={i === 0} onClick={() => move(i, i - 1)}>
                Move up<span className="visually-hidden"> {itemLabel(item, i)}</span>
              </button>
              <button type="button" className="secondary" disabled={i === items.length - 1} onClick={() => move(i, i + 1)}>
                Move down<span className="visually-hidden"> {itemLabel(item, i)}</span>
              </button>
              <button type="button" className="secondary" onClick={() => onChange(items.filter((_, j) => j !== i))}>
                Remove<span className="visually-hidden"> {itemLabel(item, i)}</span>
              </button>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => onChange([...items, make()])}>
        {addLabel}
      </button>
    </fieldset>
  );
}
