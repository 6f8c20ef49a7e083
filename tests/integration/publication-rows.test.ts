/**
 * The store's own reads and conditional writes of a publication row (store/publication-rows.ts, plain knex)
 * must store and read back exactly what Strapi's query engine does, on SQLite and PostgreSQL: json, datetimes,
 * booleans, nulls; and they must join the current transaction.
 */
import { startTestApp, type TestApp } from '../helpers/strapi';
import { createPublicationStore, type Publication } from '../../server/src/store/publications';
import { createPublicationRows } from '../../server/src/store/publication-rows';

jest.setTimeout(60000);

const UID = 'plugin::crosspost.publication';
let app: TestApp;
let n = 0;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.stop();
});

const engine = () => app.strapi.db.query(UID as never);
const store = () => createPublicationStore(app.strapi);
const raw = async (id: number) => {
  const { id: _id, document_id: _d, unique_key: _k, created_at: _c, updated_at: _u, ...rest } = (await app.strapi.db.connection('crosspost_publications').where({ id }).first()) as Record<string, unknown>;
  return rest;
};

async function newRow(extra: Partial<Publication> = {}): Promise<Publication> {
  n += 1;
  return (await engine().create({
    data: {
      uniqueKey: `api::article.article|rows-${n}|en|devto`,
      targetUid: 'api::article.article',
      targetDocumentId: `rows-${n}`,
      targetLocale: 'en',
      platform: 'devto',
      status: 'queued',
      desired: 'published',
      remoteState: 'none',
      jobSeq: 3,
      attempts: 1,
      needsLookup: false,
      ...extra,
    },
  })) as Publication;
}

const FULL: Partial<Publication> = {
  title: 'Ünïcode "quoted" title',
  renderedPayload: { article: { title: 't', tags: ['a', 'b'], published: true, n: 1.5 } },
  warnings: ['one', 'two'],
  options: {},
  lookupKeys: { title: 't', sentAt: '2026-12-03T10:00:00.000Z' },
  needsLookup: true,
  inFlightSince: new Date('2026-12-03T10:00:00.123Z'),
  claimedAt: new Date('2026-12-03T10:00:01.456Z'),
  claimedBy: '7:3',
  lastError: null,
  nextAttemptAt: null,
};

test('a row reads back the same as through the query engine', async () => {
  const row = await newRow(FULL);
  const fast = await createPublicationRows(app.strapi, UID).get(row.id);
  expect(fast).toEqual(await engine().findOne({ where: { id: row.id } }));
  expect(fast).toMatchObject({ needsLookup: true, warnings: ['one', 'two'], inFlightSince: '2026-12-03T10:00:00.123Z', lastError: null, jobSeq: 3 });
  expect(await store().get(row.id + 100000)).toBeNull();
});

test('a conditional write stores what the engine stores, and reads back the same through either', async () => {
  const a = await newRow();
  const b = await newRow();
  const data = { ...FULL, status: 'processing', needsLookup: false, lastSyncedAt: new Date('2026-12-03T11:00:00.000Z'), title: null } as Partial<Publication>;
  const where = (id: number) => ({ id, jobSeq: 3, status: { $in: ['pending', 'queued', 'retrying'] } });

  const changed = await createPublicationRows(app.strapi, UID).update(where(a.id), data as Record<string, unknown>);
  expect(changed).toBe(1);
  await engine().updateMany({ where: where(b.id), data });
  const [rawA, rawB] = [await raw(a.id), await raw(b.id)];
  // Set when each row was created, not by the write.
  for (const k of ['target_document_id', 'published_at']) delete rawA[k], delete rawB[k];
  expect(rawA).toEqual(rawB);

  const fastA = (await store().get(a.id)) as unknown as Record<string, unknown>;
  expect(fastA).toEqual(await engine().findOne({ where: { id: a.id } }));
  expect(fastA).toMatchObject({ status: 'processing', needsLookup: false, claimedBy: '7:3', claimedAt: '2026-12-03T10:00:01.456Z', renderedPayload: FULL.renderedPayload });

  // Not matching any more (status moved on): nothing written.
  expect(await store().updateWhere(where(a.id), { status: 'failed' })).toBe(false);
  // A datetime read back matches in a where clause (the takeover of a claim compares claimedAt).
  expect(await store().updateWhere({ id: a.id, jobSeq: 3, status: 'processing', claimedAt: fastA.claimedAt }, { claimedBy: '7:3b', inFlightSince: null })).toBe(true);
  expect(await engine().findOne({ where: { id: a.id } })).toMatchObject({ claimedBy: '7:3b', inFlightSince: null });
});

test('writes join the current transaction and roll back with it', async () => {
  const row = await newRow();
  await expect(
    store().transaction(async () => {
      expect(await store().updateWhere({ id: row.id, jobSeq: 3 }, { status: 'published', attempts: 0 })).toBe(true);
      expect((await store().get(row.id))?.status).toBe('published');
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  expect(await engine().findOne({ where: { id: row.id } })).toMatchObject({ status: 'queued', attempts: 1 });
});
