/**
 * Timed HTTP calls and article fixtures, with nothing of Strapi's loaded: the benchmark's parent process
 * imports this to send publishes from outside the Strapi process, as editors' browsers and scripts do.
 */
export interface HttpResult {
  status: number;
  ms: number;
  body: any;
}

/** One HTTP call to the app; `ms` is the client-observed latency (send → whole body received). */
export async function http(base: string, method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const t0 = performance.now();
  const res = await fetch(`${base}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  const ms = performance.now() - t0;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, ms, body };
}

export function expectStatus(r: HttpResult, status: number, what: string): void {
  if (r.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${r.status}: ${JSON.stringify(r.body).slice(0, 500)}`);
}

const WORDS = ['strapi', 'typescript', 'kubernetes', 'postgres', 'redis', 'queues', 'latency', 'caching', 'testing', 'graphql', 'docker', 'react', 'node', 'observability', 'security'];

/** A realistic article: title, slug, description, a few Blocks paragraphs with formatting and a code block. */
export function articleData(tag: string, i: number) {
  const w = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length];
  const title = `Notes on ${w(0)} and ${w(1)} — ${tag} #${i}`;
  return {
    title,
    slug: `${tag}-${i}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-'),
    description: `What we learned about ${w(0)} while shipping ${w(2)} (${tag} ${i}).`,
    body: [
      { type: 'heading', level: 2, children: [{ type: 'text', text: `Why ${w(0)}` }] },
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: `We moved our ${w(1)} setup to ${w(2)} last quarter. ` },
          { type: 'text', text: 'It was not free', bold: true },
          { type: 'text', text: `, but the ${w(3)} numbers improved and the team sleeps better.` },
        ],
      },
      { type: 'paragraph', children: [{ type: 'text', text: `This post walks through the migration step by step, with the mistakes we made on the way. `.repeat(3) }] },
      { type: 'code', language: 'ts', children: [{ type: 'text', text: `export const answer: number = ${i};\nconsole.log('${w(4)}', answer);` }] },
      { type: 'list', format: 'unordered', children: [1, 2, 3].map((k) => ({ type: 'list-item', children: [{ type: 'text', text: `Point ${k} about ${w(k)}` }] })) },
    ],
  };
}
