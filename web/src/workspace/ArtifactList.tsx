import { useEffect, useState } from "react";
import { del, get } from "../api/client";
import type { ArtifactEntry, EvidenceFile } from "../api/types";

const MEDIA = new Set(["image", "audio", "video"]);

export function useFiles(ids: string[]) {
  const [files, setFiles] = useState<Record<string, EvidenceFile>>({});
  const key = ids.join(",");
  useEffect(() => {
    for (const id of ids) {
      if (files[id]) continue;
      get<EvidenceFile>(`/api/v1/files/${id}`).then(
        (f) => setFiles((all) => ({ ...all, [id]: f })),
        () => undefined,
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return [files, (f: EvidenceFile) => setFiles((all) => ({ ...all, [f.id]: f }))] as const;
}

export function Preview({ file, title }: { file: EvidenceFile; title: string }) {
  const src = file.transcode_state === "done" && file.playable_url ? file.playable_url : file.content_url;
  if (file.kind === "image") return <img className="preview" src={src} alt={title} />;
  if (file.kind === "video")
    return (
      <>
        <video className="preview" controls preload="metadata" src={src} aria-label={title} />
        {file.transcode_state === "pending" && (
          <p className="hint">This video is being converted so every browser can play it. The original is kept.</p>
        )}
      </>
    );
  if (file.kind === "audio") return <audio controls preload="metadata" src={src} aria-label={title} />;
  return (
    <a href={file.content_url} target="_blank" rel="noopener noreferrer">
      Open {file.filename ?? "the document"}
      <span className="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

// The artifacts attached to one requirement, each with its caption, consent and sharing choices.
export function ArtifactList({
  entries,
  files,
  readOnly,
  onChange,
  onRemove,
}: {
  entries: { entry: ArtifactEntry; index: number }[];
  files: Record<string, EvidenceFile>;
  readOnly: boolean;
  onChange(index: number, entry: ArtifactEntry): void;
  onRemove(index: number): void;
}) {
  if (entries.length === 0) return <p className="hint">Nothing attached yet.</p>;
  return (
    <ul className="artifacts">
      {entries.map(({ entry, index }) => {
        const file = entry.file_id ? files[entry.file_id] : undefined;
        const title = entry.caption || file?.filename || entry.url || "Attached evidence";
        return (
          <li key={index} className="artifact">
            {file && <Preview file={file} title={title} />}
            {entry.url && (
              <a href={entry.url} target="_blank" rel="noopener noreferrer">
                {entry.url}
              </a>
            )}
            {file?.warnings.map((w) => (
              <p key={w} className="warning" role="note">
                {w}
              </p>
            ))}
            <div className="field">
              <label htmlFor={`caption-${index}`}>Caption</label>
              <input
                id={`caption-${index}`}
                value={entry.caption ?? ""}
                readOnly={readOnly}
                onChange={(e) => onChange(index, { ...entry, caption: e.target.value })}
              />
            </div>
            {file && MEDIA.has(file.kind) && (
              <div className="check">
                <input
                  id={`consent-${index}`}
                  type="checkbox"
                  checked={entry.consent_attested ?? false}
                  disabled={readOnly}
                  onChange={(e) => onChange(index, { ...entry, consent_attested: e.target.checked })}
                />
                <label htmlFor={`consent-${index}`}>
                  I have consent for every student who can be seen or heard in this file
                </label>
              </div>
            )}
            <div className="check">
              <input
                id={`share-${index}`}
                type="checkbox"
                checked={entry.shareable ?? false}
                disabled={readOnly}
                onChange={(e) => onChange(index, { ...entry, shareable: e.target.checked })}
              />
              <label htmlFor={`share-${index}`}>Show this on my public credential (private unless you tick this)</label>
            </div>
            {!readOnly && (
              <button
                type="button"
                className="secondary"
                onClick={async () => {
                  onRemove(index);
                  if (entry.file_id) await del(`/api/v1/files/${entry.file_id}`).catch(() => undefined);
                }}
              >
                Remove <span className="visually-hidden">{title}</span>
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
