import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, put } from "../api/client";
import type { Draft, SubmissionContent } from "../api/types";
import { clearBackup, readBackup, sameContent, writeBackup } from "../components/backup";

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

function contentOf(d: Draft): SubmissionContent {
  return { overview: d.overview, artifacts: d.artifacts, reflection: d.reflection };
}

// What this browser kept of the draft from an earlier visit (a failed save, an expired session, a
// closed tab), and how it relates to the server's draft: typed over this very revision, so it simply
// goes back; or typed over an older one, so the server moved on and the educator chooses.
export type Restored =
  | { kind: "none" }
  | { kind: "resume" | "choose"; content: SubmissionContent; revision: number };

export function restoreFromBackup(initial: Draft): Restored {
  const key = backupKey(initial.enrolment_id);
  const backup = readBackup<SubmissionContent>(key);
  if (!backup || !Array.isArray(backup.value.overview) || !Array.isArray(backup.value.artifacts) || !Array.isArray(backup.value.reflection)) {
    clearBackup(key);
    return { kind: "none" };
  }
  if (sameContent(backup.value, contentOf(initial))) {
    clearBackup(key);
    return { kind: "none" };
  }
  return { kind: backup.revision === initial.revision ? "resume" : "choose", content: backup.value, revision: backup.revision };
}

export interface Autosave {
  content: SubmissionContent;
  draft: Draft;
  state: SaveState;
  error: ApiError | null;
  conflict: Draft | null;
  // Unsaved work from an earlier visit was put back into the form.
  restored: boolean;
  edit(change: (c: SubmissionContent) => SubmissionContent): void;
  // Saves what is pending and resolves to the saved draft; rejects with the reason when the edits
  // could not be saved, so nothing is submitted over an older revision.
  saveNow(): Promise<Draft>;
  takeTheirs(): void;
  keepMine(): void;
}

export function useAutosave(initial: Draft): Autosave {
  const [restore] = useState(() => restoreFromBackup(initial));
  const [draft, setDraft] = useState(initial);
  const [content, setContent] = useState<SubmissionContent>(restore.kind === "none" ? contentOf(initial) : restore.content);
  const [state, setState] = useState<SaveState>(
    restore.kind === "resume" ? "unsaved" : restore.kind === "choose" ? "conflict" : "saved",
  );
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<Draft | null>(restore.kind === "choose" ? initial : null);
  const [restored, setRestored] = useState(restore.kind !== "none");
  const latest = useRef(content);
  // Typed over an older revision: saves keep answering 409 until the educator chooses.
  const revision = useRef(restore.kind === "none" ? initial.revision : restore.revision);
  const dirty = useRef(restore.kind !== "none");
  const lastError = useRef<ApiError | null>(null);
  // The server's latest draft as of now, not as of the render that made saveNow.
  const current = useRef(initial);
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
        current.current = saved;
        setDraft(saved);
        setError(null);
        if (!dirty.current) clearBackup(backupKey(initial.enrolment_id));
        setState(dirty.current ? "unsaved" : "saved");
        return saved;
      } catch (e) {
        dirty.current = true;
        const err = e instanceof ApiError ? e : new ApiError(0, {});
        lastError.current = err;
        writeBackup(backupKey(initial.enrolment_id), revision.current, latest.current);
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
      if (dirty.current) writeBackup(backupKey(initial.enrolment_id), revision.current, latest.current);
    };
    window.addEventListener("online", online);
    window.addEventListener("pagehide", hide);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("pagehide", hide);
      clearTimeout(timer.current);
      // Leaving the page (or being sent to sign in) before the save ran keeps the edits here.
      hide();
    };
  }, [save, initial.enrolment_id]);

  // Work put back from an earlier visit goes to the server as soon as the page is up.
  useEffect(() => {
    if (restore.kind !== "resume") return;
    timer.current = setTimeout(() => void save(), 0);
  }, [restore, save]);

  return {
    content,
    draft,
    state,
    error,
    conflict,
    restored,
    edit,
    saveNow: async () => {
      clearTimeout(timer.current);
      const saved = await save();
      if (saved) return saved;
      if (dirty.current) throw lastError.current ?? new ApiError(0, { title: "You appear to be offline" });
      return current.current;
    },
    takeTheirs() {
      if (!conflict) return;
      const theirs = { overview: conflict.overview, artifacts: conflict.artifacts, reflection: conflict.reflection };
      latest.current = theirs;
      setContent(theirs);
      revision.current = conflict.revision;
      current.current = conflict;
      setDraft(conflict);
      dirty.current = false;
      clearBackup(backupKey(initial.enrolment_id));
      setRestored(false);
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
