// One way to call a Barkeep service: JSON in and out, the error envelope turned into ApiError,
// and an expired token refreshed once, then the request retried.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The message for a person: the field errors when the server named them. */
  get friendly(): string {
    const fields = Object.entries(this.fields);
    if (fields.length === 0) return this.message;
    return fields.map(([name, why]) => `${name}: ${why}`).join("; ");
  }
}

/** Where a request's bearer token comes from; `renew` is asked after a 401. */
export interface TokenSource {
  token(): Promise<string | null>;
  renew(rejected: string): Promise<string | null>;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  auth?: TokenSource;
  headers?: Record<string, string>;
  query?: Record<string, string | string[] | undefined>;
  signal?: AbortSignal;
  cache?: RequestCache;
  /** "text" for a body that is not JSON (an SVG). */
  as?: "json" | "text";
}

export function withQuery(url: string, query: RequestOptions["query"]): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      params.append(key, item);
    }
  }
  const text = params.toString();
  return text ? `${url}?${text}` : url;
}

export async function errorFrom(response: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    // not JSON: a proxy or the network said no; fall through to a generic message
  }
  const error = (payload as { error?: { code?: string; message?: string; details?: { fields?: Record<string, string> } } } | null)?.error;
  return new ApiError(
    response.status,
    error?.code ?? `http_${response.status}`,
    error?.message ?? (response.statusText || `Request failed (${response.status})`),
    error?.details?.fields ?? {},
  );
}

export async function request<T>(url: string, options: RequestOptions = {}): Promise<T> {
  const send = async (token: string | null) => {
    const headers: Record<string, string> = { Accept: options.as === "text" ? "*/*" : "application/json", ...options.headers };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetch(withQuery(url, options.query), {
        method: options.method ?? "GET",
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        cache: options.cache,
      });
    } catch (cause) {
      // A caller's abort is theirs to handle; a timeout (TimeoutError) is the network's fault.
      if ((cause as Error).name === "AbortError") throw cause;
      throw new ApiError(0, "network_error", "Can't reach the bar right now. Check your connection.");
    }
  };

  let token = options.auth ? await options.auth.token() : null;
  if (options.auth && !token) throw new ApiError(401, "signed_out", "Please sign in again.");
  let response = await send(token);
  if (response.status === 401 && options.auth && token) {
    token = await options.auth.renew(token);
    if (!token) throw new ApiError(401, "signed_out", "Please sign in again.");
    response = await send(token);
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (options.as === "text") return text as T;
  return (text ? JSON.parse(text) : undefined) as T;
}
