/**
 * HTTP plumbing shared by the connectors: an axios client that never throws on a status (the
 * connector classifies it), never follows redirects (a retired endpoint answers 301 to an HTML
 * page and must be reported, not followed), and turns transport failures into PlatformErrors
 * without ever echoing request headers (they carry the secrets).
 */
import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import { PlatformError, type PlatformId } from './types';

export interface HttpOptions {
  baseUrl: string;
  timeoutMs: number;
  headers: Record<string, string>;
}

export interface HttpClient {
  request(method: Method, path: string, opts?: { body?: unknown; params?: Record<string, unknown> }): Promise<AxiosResponse>;
}

/** Idempotent calls (reads, PUT updates) may be retried after a timeout; a create may not. */
export type CallSafety = 'idempotent' | 'create';

export function createHttpClient(platform: PlatformId, platformName: string, opts: HttpOptions): HttpClient {
  const client: AxiosInstance = axios.create({
    baseURL: opts.baseUrl,
    timeout: opts.timeoutMs,
    headers: opts.headers,
    maxRedirects: 0,
    validateStatus: () => true,
    // Keep the raw text: a platform may answer HTML or broken JSON, which we want to report, not crash on.
    responseType: 'text',
    transformResponse: [(data) => data],
  });
  return {
    async request(method, path, { body, params } = {}) {
      try {
        return await client.request({ method, url: path, data: body, params });
      } catch (err) {
        throw transportError(platform, platformName, err, method === 'POST' ? 'create' : 'idempotent');
      }
    },
  };
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

/** A failure with no HTTP answer. Only failures that happen before sending are safe for a create. */
export function transportError(platform: PlatformId, name: string, err: unknown, safety: CallSafety): PlatformError {
  const code = (err as { code?: string })?.code ?? 'UNKNOWN';
  if (NOT_SENT.has(code)) {
    return new PlatformError(platform, 'retryable', `${name} could not be reached (${code}); will retry.`);
  }
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
  const what = timedOut ? 'did not answer in time' : `closed the connection (${code})`;
  if (safety === 'create') {
    return new PlatformError(platform, 'ambiguous', `${name} ${what} after the article was sent; it may or may not have been created.`);
  }
  return new PlatformError(platform, 'retryable', `${name} ${what}; will retry.`);
}

/** Retry-After as seconds or an HTTP date → ms (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(parseFloat(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** JSON body or undefined (never throws). */
export function parseJson(res: AxiosResponse): unknown {
  if (typeof res.data !== 'string') return res.data;
  try {
    return JSON.parse(res.data);
  } catch {
    return undefined;
  }
}

export function isHtml(res: AxiosResponse): boolean {
  const type = String(res.headers['content-type'] ?? '');
  return type.includes('text/html') || (typeof res.data === 'string' && /^\s*<(!doctype|html)/i.test(res.data));
}

/**
 * Classification of statuses common to every platform. Returns undefined for 2xx; connectors handle
 * their own platform-specific bodies first and fall back to this.
 */
export function classifyStatus(
  platform: PlatformId,
  name: string,
  res: AxiosResponse,
  safety: CallSafety,
  detail?: string,
): PlatformError | undefined {
  const s = res.status;
  if (s >= 200 && s < 300) return undefined;
  const suffix = detail ? `: ${detail}` : '';
  if (s >= 300 && s < 400) {
    return new PlatformError(
      platform,
      'permanent',
      `${name} answered ${s} (moved to ${res.headers.location ?? 'another address'}): the API endpoint has changed. Check the ${platform} base URL in the plugin config.`,
      { status: s },
    );
  }
  if (s === 429) {
    return new PlatformError(platform, 'retryable', `${name} rate limit reached${suffix}; will retry when it allows.`, {
      status: s,
      retryAfterMs: parseRetryAfter(res.headers['retry-after']),
      rateLimited: true,
    });
  }
  if (s === 401) return new PlatformError(platform, 'permanent', `${name} rejected the credentials (401)${suffix}. Check the API key/token in the plugin config.`, { status: s });
  if (s === 403) return new PlatformError(platform, 'permanent', `${name} refused the request (403)${suffix}. Check the account's permissions.`, { status: s });
  if (s >= 500) {
    if (safety === 'create') {
      // The server may have committed the article before failing (DESIGN.md §5): look before retrying.
      return new PlatformError(platform, 'ambiguous', `${name} failed with ${s} after the article was sent${suffix}; it may or may not have been created.`, { status: s });
    }
    return new PlatformError(platform, 'retryable', `${name} is unavailable (${s})${suffix}; will retry.`, {
      status: s,
      retryAfterMs: parseRetryAfter(res.headers['retry-after']),
    });
  }
  return new PlatformError(platform, 'permanent', `${name} rejected the request (${s})${suffix}.`, { status: s });
}
