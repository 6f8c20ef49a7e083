/**
 * A platform job posts the payload the planner rendered and stored, as long as the entry version it came from
 * is still the published one (no second load and render of the entry); when the version moved on, the job
 * renders afresh and stores what it rendered. Own uploads are checked through the media library, not HTTP.
 */
import { createDevtoSimulator, type DevtoSimulator } from '../simulators/devto';
import { startTestApp, waitFor, type TestApp } from '../helpers/strapi';
import { ARTICLE_UID, blocksBody, PUBLICATION_UID, rowFor, waitForStatus, type Row } from '../helpers/publications';

jest.setTimeout(60000);

let devto: DevtoSimulator;
let app: TestApp;

beforeAll(async () => {
  devto = createDevtoSimulator({ limits: false });
  await devto.listen();
  app = await startTestApp({ CROSSPOST_DEVTO_API_KEY: 'devto-test-key', CROSSPOST_DEVTO_BASE_URL: devto.apiUrl });
});

afterAll(async () => {
  await app?.stop();
  await devto?.close();
});

const docs = () => app.strapi.documents(ARTICLE_UID as never) as any;
const service = () => app.strapi.plugin('crosspost').service('publications') as { retry(id: number): Promise<unknown> };
const withBody = (payload: any, body: string) => ({ ...payload, article: { ...payload.article, body_markdown: body } });

/** Makes the row look out of date (so that retry runs a job) with `patch` applied, runs it, returns the PUT body. */
async function retryWith(row: Row, patch: Partial<Row>): Promise<string> {
  await app.strapi.db.query(PUBLICATION_UID).update({ where: { id: row.id }, data: { ...patch, payloadHash: 'stored', syncedHash: 'older' } });
  const puts = () => devto.server.requestsTo('PUT', `/api/articles/${row.remoteId}`);
  const before = puts().length;
  await service().retry(row.id);
  await waitFor(async () => puts().length > before && (await rowFor(app.strapi, row.targetDocumentId, 'devto'))?.status === 'published', { what: 'the update on DEV and the row published' });
  return (puts().at(-1)!.body as any).article.body_markdown as string;
}

test('the planner stores the rendered payload and the entry version; the job posts exactly that payload', async () => {
  const doc = await docs().create({ data: { title: 'Rendered once', slug: 'rendered-once', body: blocksBody('Rendered by the planner.') } });
  await docs().publish({ documentId: doc.documentId });
  const row = await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
  expect(row.renderedFrom).toMatch(/^\d+:\d+$/);
  const posted = devto.server.requestsTo('POST', '/api/articles').at(-1)!.body as any;
  expect(row.renderedPayload).toEqual(posted);

  // Same entry version: the stored payload is posted as it is (the entry is not rendered again).
  const body = await retryWith(row, { renderedPayload: withBody(row.renderedPayload, 'FROM THE STORED PAYLOAD') });
  expect(body).toBe('FROM THE STORED PAYLOAD');
});

test('a stored payload of another entry version is not used: the job renders the published entry again and stores it', async () => {
  const doc = await docs().create({ data: { title: 'Version moved on', slug: 'version-moved-on', body: blocksBody('The published text.') } });
  await docs().publish({ documentId: doc.documentId });
  const row = await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);

  const body = await retryWith(row, { renderedPayload: withBody(row.renderedPayload, 'STALE'), renderedFrom: '1:0' });
  expect(body).toContain('The published text.');
  const after = await rowFor(app.strapi, doc.documentId, 'devto');
  expect(after!.renderedFrom).toBe(row.renderedFrom);
  expect((after!.renderedPayload as any).article.body_markdown).toContain('The published text.');
});

test('each attempt is recorded with the outcome of its job', async () => {
  const doc = await docs().create({ data: { title: 'Attempts kept', slug: 'attempts-kept', body: blocksBody('Counted.') } });
  await docs().publish({ documentId: doc.documentId });
  const row = await waitForStatus(app.strapi, doc.documentId, 'devto', ['published']);
  const attempts = await app.strapi.db.query('plugin::crosspost.attempt').findMany({ where: { publicationId: row.id } });
  expect(attempts.map((a: Row) => [a.operation, a.outcome, a.jobSeq])).toEqual([['create', 'success', row.jobSeq]]);
});
