/**
 * The HTTP client for the collector's /api: JSON in and out, the bearer token on every
 * request, and every failure turned into an ApiRequestError carrying the API's own
 * `{code, message, statusCode}` so pages can show errors as the API says them.
 */
import type { ApiError } from '@flowtrace/collector/api';

export class ApiRequestError extends Error {
  readonly code: string;
  readonly statusCode: number;
  constructor(body: ApiError) {
    super(body.message);
    this.name = 'ApiRequestError';
    this.code = body.code;
    this.statusCode = body.statusCode;
  }
}

export type QueryValue = string | number | null | undefined | readonly string[];

/** Download progress of a large answer (a 100k-span trace is tens of MB): bytes so far, total or null. */
export type ProgressFn = (received: number, total: number | null) => void;

export interface ClientOptions {
  baseUrl?: string;
  getToken?: () => string | null;
  /** Called on a 401 so the app can ask for a token. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

/** Builds `path?query`, skipping empty values and repeating array values. */
export function buildUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) params.append(key, v);
    else params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export class ApiClient {
  private readonly options: ClientOptions;
  constructor(options: ClientOptions = {}) {
    this.options = options;
  }

  get<T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal, onProgress?: ProgressFn): Promise<T> {
    return this.request<T>('GET', buildUrl(path, query), undefined, signal, onProgress);
  }

  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>('POST', path, body, signal);
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  /**
   * A file the API serves, as a Blob: fetched with the token in its header, which a plain
   * link cannot send (lib/api/download.ts saves it).
   */
  async getBlob(path: string): Promise<Blob> {
    const headers: Record<string, string> = {};
    const token = this.options.getToken?.() ?? null;
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)((this.options.baseUrl ?? '') + path, { headers });
    } catch (err) {
      throw new ApiRequestError({ code: 'FT_NETWORK', message: `Cannot reach the collector: ${(err as Error).message}`, statusCode: 0 });
    }
    if (res.status === 401) this.options.onUnauthorized?.();
    if (!res.ok) throw new ApiRequestError(await errorBody(res));
    return res.blob();
  }

  /** The URL of the live stream; EventSource cannot send headers, so the token goes in the query. */
  liveUrl(query: Record<string, QueryValue>): string {
    const token = this.options.getToken?.() ?? null;
    return (this.options.baseUrl ?? '') + buildUrl('/api/live', { ...query, access_token: token ?? undefined });
  }

  private async request<T>(method: string, url: string, body?: unknown, signal?: AbortSignal, onProgress?: ProgressFn): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.options.getToken?.() ?? null;
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const doFetch = this.options.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch((this.options.baseUrl ?? '') + url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiRequestError({ code: 'FT_NETWORK', message: `Cannot reach the collector: ${(err as Error).message}`, statusCode: 0 });
    }
    if (res.status === 401) this.options.onUnauthorized?.();
    if (!res.ok) throw new ApiRequestError(await errorBody(res));
    if (res.status === 204) return undefined as T;
    const text = onProgress && res.body ? await readWithProgress(res, onProgress) : await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** How often download progress is reported at most. */
const PROGRESS_EVERY_MS = 100;

/**
 * The body as text, counting bytes as they arrive (progress at most every 100 ms). The chunks
 * are kept as bytes, copied into one buffer and decoded once: for 15 MB that costs ~35 ms,
 * where decoding chunk by chunk and joining costs far more, and Blob.text ~85–220 ms (the
 * blob travels to the browser process and back).
 */
async function readWithProgress(res: Response, onProgress: ProgressFn): Promise<string> {
  const length = Number(res.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  let reportedAt = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    const now = performance.now();
    if (now - reportedAt >= PROGRESS_EVERY_MS) {
      reportedAt = now;
      onProgress(received, total);
    }
  }
  onProgress(received, total);
  let bytes: Uint8Array;
  if (chunks.length === 1) bytes = chunks[0];
  else {
    bytes = new Uint8Array(received);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.byteLength;
    }
  }
  return new TextDecoder().decode(bytes);
}

async function errorBody(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as Partial<ApiError>;
    if (parsed && typeof parsed.message === 'string') {
      return { code: parsed.code ?? `HTTP_${res.status}`, message: parsed.message, statusCode: parsed.statusCode ?? res.status };
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): fall through to the status text, keeping the text.
  }
  return { code: `HTTP_${res.status}`, message: text.slice(0, 300) || res.statusText || `HTTP ${res.status}`, statusCode: res.status };
}
