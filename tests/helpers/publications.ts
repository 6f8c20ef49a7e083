/** Small helpers over the plugin's own rows, shared by the integration tests. */
import type { Core } from '@strapi/strapi';
import { waitFor } from './strapi';

export const PUBLICATION_UID = 'plugin::crosspost.publication';
export const ATTEMPT_UID = 'plugin::crosspost.attempt';
export const ARTICLE_UID = 'api::article.article';

export type Row = Record<string, any>;

export async function rowsFor(strapi: Core.Strapi, documentId: string): Promise<Row[]> {
  return strapi.db.query(PUBLICATION_UID).findMany({ where: { targetDocumentId: documentId }, orderBy: { platform: 'asc' } });
}

export async function rowFor(strapi: Core.Strapi, documentId: string, platform: string): Promise<Row | null> {
  return strapi.db.query(PUBLICATION_UID).findOne({ where: { targetDocumentId: documentId, platform } });
}

export async function attemptsFor(strapi: Core.Strapi, publicationId: number): Promise<Row[]> {
  return strapi.db.query(ATTEMPT_UID).findMany({ where: { publicationId }, orderBy: { id: 'asc' } });
}

const SETTLED = ['published', 'unpublished', 'failed', 'outdated', 'unconfirmed', 'canceled'];

/** Waits until the row for (document, platform) is in one of `statuses` (default: any settled state). */
export async function waitForStatus(strapi: Core.Strapi, documentId: string, platform: string, statuses: string[] = SETTLED, timeoutMs = 20000): Promise<Row> {
  return waitFor(
    async () => {
      const row = await rowFor(strapi, documentId, platform);
      return row && statuses.includes(row.status) ? row : null;
    },
    { timeoutMs, what: `${platform} publication of ${documentId} to be ${statuses.join('|')}` },
  );
}

export function blocksBody(...paragraphs: string[]) {
  return paragraphs.map((text) => ({ type: 'paragraph', children: [{ type: 'text', text }] }));
}

/**
 * Waits until the planner has looked at the row again after `previous` (its plannedAt stamp moved): the
 * condition to wait on before checking that a republish changed nothing, instead of a fixed sleep.
 */
export async function waitForReplan(strapi: Core.Strapi, documentId: string, platform: string, previous: Row, timeoutMs = 20000): Promise<Row> {
  const before = previous.plannedAt ? new Date(previous.plannedAt).getTime() : 0;
  return waitFor(
    async () => {
      const row = await rowFor(strapi, documentId, platform);
      // `pending` lasts from the row write to the job add: the plan is not finished yet.
      return row?.plannedAt && new Date(row.plannedAt).getTime() > before && row.status !== 'pending' ? row : null;
    },
    { timeoutMs, what: `the planner to see the republish of ${documentId} (${platform})` },
  );
}
