// Work typed into a page, kept in this browser until the server has it: a save that failed (offline,
// session expired) or a page left before its save ran. Each backup names the server revision it was
// typed over, so the page can tell "nothing changed since: put it back" from "the server moved on:
// let the user choose".

export interface Backup<T> {
  revision: number;
  value: T;
}

export function writeBackup<T>(key: string, revision: number, value: T) {
  try {
    localStorage.setItem(key, JSON.stringify({ revision, value }));
  } catch {
    // Storage full or disabled: the page still holds the work; nothing more can be done here.
  }
}

export function readBackup<T>(key: string): Backup<T> | null {
  let text: string | null = null;
  try {
    text = localStorage.getItem(key);
  } catch {
    return null;
  }
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as Partial<Backup<T>>;
    if (typeof parsed?.revision !== "number" || parsed.value === undefined || parsed.value === null) return null;
    return { revision: parsed.revision, value: parsed.value as T };
  } catch {
    return null;
  }
}

export function clearBackup(key: string) {
  try {
    localStorage.removeItem(key);
  } catch {
    // as in writeBackup
  }
}

// Plain JSON data compared by content whatever the order of keys, so a backup identical to what the
// server holds is dropped instead of "restored".
export function sameContent(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function stable(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(stable).join(",")}]`;
  if (x && typeof x === "object") {
    const entries = Object.entries(x as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(",")}}`;
  }
  return JSON.stringify(x) ?? "null";
}
