// The one way the app talks to Cairn: the public JSON API, as any integration would. Unsafe
// requests carry the session's CSRF token; errors arrive as RFC 9457 problems and are turned into
// ApiError with the field errors keyed by JSON Pointer, so forms can show each beside its field.

export interface FieldError {
  pointer: string;
  detail: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly fields: FieldError[];
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    const title = typeof body.title === "string" ? body.title : `Request failed (${status})`;
    const detail = typeof body.detail === "string" ? body.detail : "";
    super(detail || title);
    this.status = status;
    this.title = title;
    this.fields = Array.isArray(body.errors) ? (body.errors as FieldError[]) : [];
    this.body = body;
  }

  // What the user should do next, in plain words.
  get advice(): string {
    if (this.status === -1) return "Reload the page and try again. If it keeps happening, tell your administrator.";
    if (this.status === 0) return "Check your connection and try again.";
    if (this.status === 401) return "Sign in to continue.";
    if (this.status === 403) return "Your account does not have access to this. Ask your administrator if you need it.";
    if (this.status === 404) return "It may have been moved or removed. Go back to the catalog to find what you need.";
    if (this.status === 409) return "Something changed in the meantime. Reload to see the latest version.";
    if (this.status === 413) return "The file is too large. Choose a smaller file.";
    if (this.status === 429) return "Too many requests. Wait a minute, then try again.";
    if (this.status >= 500) return "Cairn had a problem. Try again in a minute.";
    if (this.fields.length === 0) return "Check what you entered and try again.";
    return "Check the highlighted fields and try again.";
  }

  fieldMessage(pointer: string): string | undefined {
    return this.fields.find((f) => f.pointer === pointer)?.detail;
  }
}

// Whatever a failed call threw, as an ApiError: a bug in our own code is not the user's
// connection, so it is reported as such instead of as "offline".
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(-1, { title: "Something went wrong on this page", detail: e instanceof Error ? e.message : String(e) });
}

// Server details are lower-case clauses ("no such review"); shown on their own they read as
// sentences.
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return "";
  const first = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

// One line for an action that failed: what did not happen, why, and what to do now.
export function failureText(what: string, error: ApiError): string {
  const why = error.status === 0 ? "Cairn could not be reached." : sentence(error.message);
  return [sentence(what), why, error.advice].filter(Boolean).join(" ");
}

// A session can end while a page is open (it expired, or the user signed out in another tab).
// The session provider listens, so the whole app learns of it from whichever request noticed.
type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}
// A wrong password at sign-in is a 401 too, but it ends no session.
const kNotSessionEnding = ["/api/v1/auth/signin", "/api/v1/auth/signout"];

let csrfToken = "";
export function setCsrfToken(token: string | null | undefined) {
  csrfToken = token ?? "";
}
export function getCsrfToken(): string {
  return csrfToken;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function api<T>(method: string, path: string, body?: unknown, init?: RequestInit): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      ...init,
    });
  } catch {
    throw new ApiError(0, { title: "You appear to be offline" });
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get("Content-Type") ?? "";
  const parsed = type.includes("json") ? await response.json().catch(() => ({})) : {};
  if (response.status === 401 && !kNotSessionEnding.includes(path.split("?")[0])) {
    for (const listener of [...unauthorizedListeners]) listener();
  }
  if (!response.ok) throw new ApiError(response.status, parsed as Record<string, unknown>);
  return parsed as T;
}

export const get = <T>(path: string, query?: Query) => api<T>("GET", withQuery(path, query));
export const post = <T>(path: string, body?: unknown) => api<T>("POST", path, body ?? {});
export const put = <T>(path: string, body: unknown) => api<T>("PUT", path, body);
export const del = <T>(path: string) => api<T>("DELETE", path);
