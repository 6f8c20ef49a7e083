/**
 * One HTTP attempt of a webhook delivery: POST with the Standard Webhooks headers, a hard timeout,
 * redirects not followed (a 3xx is a failure), at most 4 kB of the answer read, internal addresses
 * refused at connect time. Never throws: the outcome says what happened.
 */
import http from 'node:http';
import https from 'node:https';
import { assertLiteralAllowed, guardedLookup } from './address-guard';

export interface SendResult {
  status: number | null;
  durationMs: number;
  /** A short reason for a failure (never the response body of a success). */
  error: string | null;
  retryAfterMs: number | null;
}

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

const MAX_READ = 4096;

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export async function send(req: SendRequest): Promise<SendResult> {
  const started = Date.now();
  const done = (status: number | null, error: string | null, retryAfterMs: number | null = null): SendResult => ({
    status,
    durationMs: Date.now() - started,
    error: error ? error.slice(0, 1000) : null,
    retryAfterMs,
  });
  let url: URL;
  try {
    url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return done(null, `unsupported protocol ${url.protocol}`);
    assertLiteralAllowed(url.hostname, req.allowPrivate);
  } catch (err) {
    return done(null, (err as Error).message);
  }
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const r = mod.request(
      url,
      {
        method: 'POST',
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        lookup: guardedLookup(req.allowPrivate) as never,
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          if (read < MAX_READ) chunks.push(c.subarray(0, MAX_READ - read));
          read += c.length;
          if (read >= MAX_READ) res.destroy();
        });
        const end = () => {
          const ok = status >= 200 && status < 300;
          const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
          const retryAfter = parseRetryAfter(res.headers['retry-after'] as string | undefined);
          finish(done(status, ok ? null : `HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}${text ? `: ${text}` : ''}`, retryAfter));
        };
        res.on('end', end);
        res.on('close', end);
        res.on('error', end);
      },
    );
    const timer = setTimeout(() => {
      r.destroy(new Error(`no answer within ${req.timeoutMs} ms`));
    }, req.timeoutMs);
    r.on('error', (err) => finish(done(null, (err as Error).message || String(err))));
    r.end(req.body);
  });
}
