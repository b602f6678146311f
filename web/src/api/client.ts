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
    if (this.status === 0) return "Check your connection and try again.";
    if (this.status === 401) return "Sign in to continue.";
    if (this.status === 403) return "Your account does not have access to this. Ask your administrator if you need it.";
    if (this.status === 404) return "It may have been moved or removed. Go back to the catalog to find what you need.";
    if (this.status === 409) return "Something changed in the meantime. Reload to see the latest version.";
    if (this.status === 413) return "The file is too large. Choose a smaller file.";
    if (this.status >= 500) return "Cairn had a problem. Try again in a minute.";
    return "Check the highlighted fields and try again.";
  }

  fieldMessage(pointer: string): string | undefined {
    return this.fields.find((f) => f.pointer === pointer)?.detail;
  }
}

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
  if (!response.ok) throw new ApiError(response.status, parsed as Record<string, unknown>);
  return parsed as T;
}

export const get = <T>(path: string, query?: Query) => api<T>("GET", withQuery(path, query));
export const post = <T>(path: string, body?: unknown) => api<T>("POST", path, body ?? {});
export const put = <T>(path: string, body: unknown) => api<T>("PUT", path, body);
export const del = <T>(path: string) => api<T>("DELETE", path);
