/**
 * The step between Strapi's commit and the outbox row. Strapi commits the publish, then emits
 * `entry.publish`; the planner writes the publication row (the outbox) from that event. A database error at
 * that moment (a dropped connection, a failover, a deadlock) must not lose the publish: the entry is live in
 * Strapi, so it must still reach the platform once the database answers again.
 */
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { BOOT_TIMEOUT_MS, allRows, canonicalOf, publishArticle, startFaultApp, type FaultApp } from '../helpers/fault';
import { PUBLICATION_UID } from '../helpers/publications';
import { waitFor } from '../helpers/strapi';

jest.setTimeout(60_000);

let devto: DevtoSimulator;
let app: FaultApp | undefined;

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  app = await startFaultApp({ env: { CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: devto.apiUrl, CROSSPOST_RECONCILE_MS: '1000' } });
}, BOOT_TIMEOUT_MS);

afterAll(async () => {
  await app?.stop();
  await devto?.close();
});

test('a database error while the publish is being planned does not lose the publish', async () => {
  const { strapi } = app!;
  // The next query on the publication table fails once, as a dropped connection would.
  const db = strapi.db as unknown as { query: (uid: string) => Record<string, unknown> };
  const query = db.query.bind(db);
  let failures = 0;
  db.query = (uid: string) => {
    const repo = query(uid);
    if (uid !== PUBLICATION_UID || failures > 0) return repo;
    return new Proxy(repo, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || failures > 0) return value;
        return async () => {
          failures += 1;
          throw new Error('Connection terminated unexpectedly');
        };
      },
    });
  };
  try {
    await publishArticle(strapi, 'planner-db-error', 'Published while the database hiccuped');
    await waitFor(() => failures > 0, { what: 'the injected failure' });
  } finally {
    db.query = query;
  }
  // The database answers again. Ten reconciler intervals later the article must be on DEV.
  const published = await waitFor(
    async () => devto.articles.find((a) => a.canonicalUrl === canonicalOf('planner-db-error')) ?? null,
    { timeoutMs: 10000, what: 'the article on DEV' },
  ).catch(async (err: Error) => {
    const rows = await allRows(strapi);
    throw new Error(`${err.message}. Publication rows for it: ${rows.length} — the publish was lost between Strapi's commit and the outbox row.`);
  });
  expect(published.title).toBe('Published while the database hiccuped');
});

test('a publish whose event never reached the planner (process killed after commit) is found by the reconciler', async () => {
  const { strapi } = app!;
  // Written straight to the database: Strapi's events never fire, exactly as if the process died after the commit.
  const now = new Date();
  const documentId = `missed${Date.now().toString(36)}`;
  const base = { documentId, title: 'Missed by the planner', slug: 'missed-by-the-planner', body: [{ type: 'paragraph', children: [{ type: 'text', text: 'Still arrives.' }] }] };
  await strapi.db.query('api::article.article').create({ data: { ...base, publishedAt: null } });
  await strapi.db.query('api::article.article').create({ data: { ...base, publishedAt: now } });

  // Wait on the row, not on the simulator: the post reaches DEV before the worker writes its outcome, and on a
  // busy machine the row can still be `processing` when the article is already there.
  const rowsOf = async () => (await allRows(strapi)).filter((r) => r.targetDocumentId === documentId);
  const rows = await waitFor(async () => {
    const r = await rowsOf();
    return r.length > 0 && r.every((x) => x.status !== 'pending' && x.status !== 'queued' && x.status !== 'processing' && x.status !== 'retrying') ? r : null;
  }, { timeoutMs: 15000, what: 'the missed publish to be planned and settled' }).catch(async (err: Error) => {
    throw new Error(`${err.message}. Rows: ${JSON.stringify((await rowsOf()).map((r) => [r.platform, r.status, r.lastError]))}`);
  });
  expect(rows.map((r) => [r.platform, r.status])).toEqual([['devto', 'published']]);
  const published = devto.articles.find((a) => a.canonicalUrl === canonicalOf('missed-by-the-planner'));
  expect(published?.title).toBe('Missed by the planner');
  // Seen once is enough: later sweeps find the row planned after the publish and leave it alone.
  await new Promise((r) => setTimeout(r, 2500));
  expect(devto.articles.filter((a) => a.canonicalUrl === canonicalOf('missed-by-the-planner'))).toHaveLength(1);
});
