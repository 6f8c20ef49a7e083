/**
 * Shared plumbing for the platform simulators: a real HTTP server on 127.0.0.1 that records every
 * request and can inject faults on demand. Each platform file (devto.ts, hashnode.ts, medium.ts) only
 * implements its own routes on top of this.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** Raw body text. */
  rawBody: string;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  body: unknown;
  /** GraphQL operation name (Hashnode) or undefined. Filled by the platform handler. */
  operation?: string;
  /** Status the simulator answered with (set once the response is finished). */
  status?: number;
  at: number;
}

export type FaultKind =
  /** Answer with `status`, optional `headers` and `body` (string or JSON) instead of the real handler. */
  | 'status'
  /** Never answer, and do NOT run the handler: the request had no effect (client times out). */
  | 'timeout-before'
  /** Run the handler (the effect is committed) but never send the response (client times out). */
  | 'timeout-after'
  /** Destroy the socket without a response, before running the handler. */
  | 'reset-before'
  /** Run the handler, then destroy the socket without a response. */
  | 'reset-after'
  /** Answer 200 with a body that is not valid JSON. */
  | 'malformed'
  /** Answer 301 to an HTML page (as a retired endpoint does). */
  | 'html-redirect';

export interface Fault {
  kind: FaultKind;
  /** Which requests the fault applies to; default: every request. */
  match?: { method?: string; path?: string | RegExp; operation?: string };
  /** How many matching requests it applies to; default 1. Use Infinity for "until cleared". */
  times?: number;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface SimulatorRequest {
  req: http.IncomingMessage;
  record: RecordedRequest;
}

export interface SimulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** Object → JSON; string → sent as is (set content-type in headers). */
  body?: unknown;
}

export type Handler = (r: SimulatorRequest) => Promise<SimulatorResponse> | SimulatorResponse;

export class SimulatorServer {
  readonly requests: RecordedRequest[] = [];
  private faults: Array<Fault & { remaining: number }> = [];
  private server: http.Server;
  private sockets = new Set<Socket>();
  private hanging = new Set<http.ServerResponse>();
  private port = 0;
  /** Artificial latency added to every response, in ms. */
  latencyMs = 0;

  constructor(
    private readonly handler: Handler,
    /** Hook that lets a platform fill `record.operation` before faults are matched. */
    private readonly describe?: (record: RecordedRequest) => void,
  ) {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.server.keepAliveTimeout = 1000;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queue a fault; faults are matched in the order they were added. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Requests matching a method and path (string = exact path, RegExp = test). */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && matchPath(path, r.path));
  }

  private takeFault(record: RecordedRequest): Fault | undefined {
    const i = this.faults.findIndex((f) => {
      const m = f.match ?? {};
      if (m.method && m.method !== record.method) return false;
      if (m.path && !matchPath(m.path, record.path)) return false;
      if (m.operation && m.operation !== record.operation) return false;
      return f.remaining > 0;
    });
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.remaining -= 1;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    return f;
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://sim');
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      rawBody,
      body,
      at: Date.now(),
    };
    this.describe?.(record);
    this.requests.push(record);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    const fault = this.takeFault(record);
    const run = async (): Promise<SimulatorResponse> => {
      try {
        return await this.handler({ req, record });
      } catch (err) {
        return { status: 500, body: { error: `simulator error: ${(err as Error).message}`, status: 500 } };
      }
    };

    if (fault) {
      switch (fault.kind) {
        case 'timeout-before':
          this.hang(res);
          return;
        case 'timeout-after':
          await run();
          this.hang(res);
          return;
        case 'reset-before':
          req.socket.destroy();
          return;
        case 'reset-after':
          await run();
          req.socket.destroy();
          return;
        case 'malformed':
          return this.send(res, record, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data": {"id": ' });
        case 'html-redirect':
          return this.send(res, record, {
            status: 301,
            headers: { location: 'https://example.invalid/changelog', 'content-type': 'text/html; charset=utf-8' },
            body: '<!DOCTYPE html><html><body>Moved Permanently</body></html>',
          });
        case 'status':
          return this.send(res, record, { status: fault.status ?? 500, headers: fault.headers, body: fault.body ?? '' });
      }
    }
    this.send(res, record, await run());
  }

  private hang(res: http.ServerResponse): void {
    this.hanging.add(res);
    res.on('close', () => this.hanging.delete(res));
  }

  private send(res: http.ServerResponse, record: RecordedRequest, out: SimulatorResponse): void {
    record.status = out.status;
    const headers: Record<string, string> = { ...(out.headers ?? {}) };
    let payload = '';
    if (out.body !== undefined && out.body !== '') {
      if (typeof out.body === 'string') payload = out.body;
      else {
        payload = JSON.stringify(out.body);
        headers['content-type'] ??= 'application/json; charset=utf-8';
      }
    }
    res.writeHead(out.status, headers);
    res.end(payload);
  }
}

function matchPath(p: string | RegExp, path: string): boolean {
  return typeof p === 'string' ? p === path : p.test(path);
}

/** Fixed-window / sliding-window counters the simulators use to enforce rate limits. */
export class SlidingWindow {
  private hits: number[] = [];
  constructor(
    public max: number,
    public windowMs: number,
  ) {}
  /** Number of hits inside the window ending now. */
  count(now = Date.now()): number {
    this.hits = this.hits.filter((t) => t > now - this.windowMs);
    return this.hits.length;
  }
  /** ms until one more hit would be allowed (0 = allowed now). */
  waitMs(now = Date.now()): number {
    if (this.count(now) < this.max) return 0;
    return this.hits[0] + this.windowMs - now;
  }
  add(now = Date.now()): void {
    this.hits.push(now);
  }
}

/** Names a folder holding the platforms' published specs (forem-api-v1.openapi.json, hashnode-gql-beta.schema.graphql). */
export const SPECS_DIR_ENV = 'CROSSPOST_SPECS_DIR';
/** `1`/`true`: a simulator whose spec validation is off fails instead of skipping (CI sets it). */
export const REQUIRE_SPECS_ENV = 'CROSSPOST_REQUIRE_SPECS';

function specsRequired(): boolean {
  return /^(1|true|yes)$/i.test(process.env[REQUIRE_SPECS_ENV] ?? '');
}

/**
 * The folder of the platforms' published specs: CROSSPOST_SPECS_DIR; failing that, only as a convenience for
 * local runs, a `shared/specs` folder beside the clone. Undefined when there is none (validation is then off).
 */
export function sharedSpecsDir(): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const path = require('node:path') as typeof import('node:path');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const fs = require('node:fs') as typeof import('node:fs');
  const configured = process.env[SPECS_DIR_ENV] ?? process.env.CROSSPOST_SHARED_SPECS;
  if (configured) return fs.existsSync(configured) ? path.resolve(configured) : undefined;
  const beside = path.resolve(__dirname, '../../../shared/specs');
  return fs.existsSync(beside) ? beside : undefined;
}

const skippedChecks = new Set<string>();

/**
 * A simulator's spec check is off (no specs folder, a file missing, ajv absent). With CROSSPOST_REQUIRE_SPECS
 * set this throws, so CI can never pass with validation silently off; otherwise it says so once per check.
 */
export function specCheckSkipped(check: string, reason: string): void {
  if (specsRequired()) {
    throw new Error(
      `${check} is required (${REQUIRE_SPECS_ENV}=${process.env[REQUIRE_SPECS_ENV]}) but is off: ${reason}. Set ${SPECS_DIR_ENV} to the folder that holds the platforms' specs.`,
    );
  }
  if (skippedChecks.has(check)) return;
  skippedChecks.add(check);
  // eslint-disable-next-line no-console
  console.warn(`simulators: ${check} skipped (${reason}). Set ${SPECS_DIR_ENV} to a folder of the platforms' specs to turn it on.`);
}
