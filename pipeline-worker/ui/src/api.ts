// Calls to the gateway's /v1 API with the tab's bearer token. The token lives in sessionStorage
// only: never in the URL, a cookie or localStorage, so it ends with the tab.
const TOKEN_KEY = "logpipe.token";
const TIMEOUT_MS = 20_000;

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** A failed call: HTTP status (0 when no answer), the parameter at fault for a 400. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly parameter: string | null, message: string) {
    super(message);
  }
}

/** GET v1/{path}?{params}; resolves to the JSON body or rejects with an ApiError. */
export async function getJson<T>(path: string, params: URLSearchParams, signal?: AbortSignal): Promise<T> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  signal?.addEventListener("abort", () => abort.abort());
  let response: Response;
  try {
    // Relative: works when an ingress serves the gateway under a path prefix.
    response = await fetch(`v1/${path}?${params}`, {
      headers: { Authorization: `Bearer ${token() ?? ""}` },
      signal: abort.signal,
      cache: "no-store",
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError(0, null, abort.signal.aborted
      ? `the gateway did not answer within ${TIMEOUT_MS / 1000} s`
      : "the gateway cannot be reached");
  } finally {
    clearTimeout(timer);
  }
  if (response.ok) return (await response.json()) as T;
  let body: { error?: string; parameter?: string } = {};
  try {
    body = await response.json();
  } catch {
    // not JSON: keep the status alone
  }
  throw new ApiError(response.status, body.parameter ?? null, body.error ?? `HTTP ${response.status}`);
}

export interface LogEvent {
  timestamp: string;
  service: string;
  level: string;
  message: string;
  host: string | null;
  trace_id: string | null;
  status_code: number | null;
  latency_ms: number | null;
  error_code: string | null;
  attributes: Record<string, unknown> | null;
  anomaly_score: number;
  anomaly_reasons: string[];
  partition: number;
  offset: number;
}

export interface LogsPage { events: LogEvent[]; next_cursor: string | null; from: string; to: string; }

export interface Stats {
  from: string;
  to: string;
  interval_seconds: number;
  total: number;
  counts: { service: string; level: string; events: number }[];
  histogram: { time: string; events: number; errors: number; anomalies: number; levels: Record<string, number> }[];
}

export interface Anomalies {
  events: LogEvent[];
  top_services: { service: string; anomalies: number; max_score: number; avg_score: number }[];
}
