/**
 * A real HTTP webhook receiver for the tests. Each path (/r/<name>) has its own behaviour: answer a
 * status (a list is consumed one per request, the last one repeats), or hang without answering.
 * Every request is recorded with its raw body and headers, and verified with the `standardwebhooks`
 * npm package (the interop oracle) when a secret is known for that path.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  name: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  /** null = verified by standardwebhooks; else its error message; undefined = no secret known. */
  verifyError?: string | null;
  answered?: number;
}

export interface Receiver {
  url(name: string): string;
  received: Received[];
  for(name: string): Received[];
  /** Statuses answered in order ('hang' = never answer); the last one repeats. */
  behave(name: string, ...answers: Array<number | 'hang' | { status: number; headers?: Record<string, string> }>): void;
  secret(name: string, ...secrets: string[]): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const behaviours = new Map<string, Array<number | 'hang' | { status: number; headers?: Record<string, string> }>>();
  const secrets = new Map<string, string[]>();
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const name = (req.url ?? '').replace(/^\/r\//, '').split('?')[0];
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
      const rec: Received = { name, headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const keys = secrets.get(name);
      if (keys) {
        rec.verifyError = 'no secret verified it';
        for (const k of keys) {
          try {
            new Webhook(k).verify(rec.body, headers);
            rec.verifyError = null;
            break;
          } catch (err) {
            rec.verifyError = (err as Error).message;
          }
        }
      }
      received.push(rec);
      const list = behaviours.get(name) ?? [200];
      const answer = list.length > 1 ? list.shift()! : list[0];
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      const a = typeof answer === 'number' ? { status: answer } : answer;
      rec.answered = a.status;
      res.writeHead(a.status, { 'content-type': 'text/plain', ...(a.headers ?? {}) }).end(a.status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (name) => `http://127.0.0.1:${port}/r/${name}`,
    received,
    for: (name) => received.filter((r) => r.name === name),
    behave: (name, ...answers) => behaviours.set(name, answers),
    secret: (name, ...s) => secrets.set(name, s),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
