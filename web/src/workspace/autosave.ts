import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, put } from "../api/client";
import type { Draft, SubmissionContent } from "../api/types";

// What the educator sees beside the workspace: the server has every keystroke ("saved"), a save is
// under way, the network is gone (the edits wait in this browser and go up when it returns), or
// another tab saved in between (the educator chooses; nothing is overwritten silently).
export type SaveState = "saved" | "unsaved" | "saving" | "offline" | "conflict" | "error";

export const SAVE_LABELS: Record<SaveState, string> = {
  saved: "All changes saved",
  unsaved: "Unsaved changes",
  saving: "Saving…",
  offline: "Offline: your changes are kept in this browser and will be saved when you reconnect",
  conflict: "This draft was changed in another tab or device",
  error: "Could not save",
};

const DELAY_MS = 1200;
const RETRY_MS = 5000;

export function backupKey(enrolmentId: string) {
  return `cairn.draft.${enrolmentId}`;
}

export interface Autosave {
  content: SubmissionContent;
  draft: Draft;
  state: SaveState;
  error: ApiError | null;
  conflict: Draft | null;
  edit(change: (c: SubmissionContent) => SubmissionContent): void;
  saveNow(): Promise<Draft | null>;
  takeTheirs(): void;
  keepMine(): void;
}

export function useAutosave(initial: Draft): Autosave {
  const [draft, setDraft] = useState(initial);
  const [content, setContent] = useState<SubmissionContent>({
    overview: initial.overview,
    artifacts: initial.artifacts,
    reflection: initial.reflection,
  });
  const [state, setState] = useState<SaveState>("saved");
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<Draft | null>(null);
  const latest = useRef(content);
  const revision = useRef(initial.revision);
  const dirty = useRef(false);
  const inFlight = useRef<Promise<Draft | null> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const save = useCallback(async (): Promise<Draft | null> => {
    if (inFlight.current) await inFlight.current;
    if (!dirty.current) return null;
    const sending = latest.current;
    dirty.current = false;
    setState("saving");
    const request = (async () => {
      try {
        const saved = await put<Draft>(`/api/v1/enrolments/${initial.enrolment_id}/draft`, {
          revision: revision.current,
          ...sending,
        });
        revision.current = saved.revision;
        setDraft(saved);
        setError(null);
        localStorage.removeItem(backupKey(initial.enrolment_id));
        setState(dirty.current ? "unsaved" : "saved");
        return saved;
      } catch (e) {
        dirty.current = true;
        const err = e instanceof ApiError ? e : new ApiError(0, {});
        localStorage.setItem(backupKey(initial.enrolment_id), JSON.stringify(sending));
        if (err.status === 409 && err.body.current) {
          setConflict(err.body.current as Draft);
          setState("conflict");
        } else if (err.status === 0) {
          setState("offline");
          clearTimeout(timer.current);
          timer.current = setTimeout(() => void save(), RETRY_MS);
        } else {
          setError(err);
          setState("error");
        }
        return null;
      } finally {
        inFlight.current = null;
      }
    })();
    inFlight.current = request;
    return request;
  }, [initial.enrolment_id]);

  const edit = useCallback(
    (change: (c: SubmissionContent) => SubmissionContent) => {
      setContent((c) => {
        const next = change(c);
        latest.current = next;
        return next;
      });
      dirty.current = true;
      setState((s) => (s === "conflict" || s === "offline" ? s : "unsaved"));
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), DELAY_MS);
    },
    [save],
  );

  useEffect(() => {
    const online = () => void save();
    // A closing tab gets one last chance; the browser backup covers the rest.
    const hide = () => {
      if (dirty.current) localStorage.setItem(backupKey(initial.enrolment_id), JSON.stringify(latest.current));
    };
    window.addEventListener("online", online);
    window.addEventListener("pagehide", hide);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("pagehide", hide);
      clearTimeout(timer.current);
    };
  }, [save, initial.enrolment_id]);

  return {
    content,
    draft,
    state,
    error,
    conflict,
    edit,
    saveNow: async () => {
      clearTimeout(timer.current);
      const saved = await save();
      return saved ?? (dirty.current ? null : draft);
    },
    takeTheirs() {
      if (!conflict) return;
      const theirs = { overview: conflict.overview, artifacts: conflict.artifacts, reflection: conflict.reflection };
      latest.current = theirs;
      setContent(theirs);
      revision.current = conflict.revision;
      setDraft(conflict);
      dirty.current = false;
      setConflict(null);
      setState("saved");
    },
    keepMine() {
      if (!conflict) return;
      revision.current = conflict.revision;
      setConflict(null);
      dirty.current = true;
      void save();
    },
  };
}
