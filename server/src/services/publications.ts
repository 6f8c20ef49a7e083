/**
 * What editors and scripts can do with publication rows: list, inspect, retry, cancel, confirm,
 * and trigger a sync. Transitions follow DESIGN.md §3; an action that does not fit the row's
 * state is refused with a message saying why.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getRuntime } from '../runtime';
import { enqueue, planPublish, planUnpublish } from '../planner/planner';
import { publicationView } from '../notify/events';
import type { Publication, PublicationStatus } from '../store/publications';
import type { PlatformId } from '../config/schema';
import type { EntrySettings } from '../store/entry-settings';

/** The action does not fit the publication's current state (answered as 409). */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export interface ListQuery {
  status?: PublicationStatus[];
  platform?: PlatformId[];
  contentType?: string;
  entryDocumentId?: string;
  locale?: string;
  q?: string;
  page: number;
  pageSize: number;
  sort: 'updatedAt:desc' | 'updatedAt:asc' | 'createdAt:desc' | 'createdAt:asc' | 'title:asc' | 'title:desc';
}

const publications = ({ strapi }: { strapi: Core.Strapi }) => {
  const rt = () => getRuntime(strapi);

  async function load(id: number): Promise<Publication> {
    const row = await rt().store.get(id);
    if (!row) throw new errors.NotFoundError(`No publication with id ${id}.`);
    return row;
  }

  async function requeue(row: Publication, data: Partial<Publication>) {
    const seq = row.jobSeq + 1;
    const ok = await rt().store.updateWhere({ id: row.id, jobSeq: row.jobSeq }, { ...data, status: 'pending', jobSeq: seq, nextAttemptAt: null });
    if (!ok) throw new ConflictError('The publication changed while you were acting on it; reload and try again.');
    const fresh = (await rt().store.get(row.id))!;
    await enqueue(rt(), fresh, seq);
    return publicationView((await rt().store.get(row.id))!);
  }

  return {
    async list(query: ListQuery) {
      const where: Record<string, unknown> = {};
      if (query.status?.length) where.status = { $in: query.status };
      if (query.platform?.length) where.platform = { $in: query.platform };
      if (query.contentType) where.targetUid = query.contentType;
      if (query.entryDocumentId) where.targetDocumentId = query.entryDocumentId;
      if (query.locale !== undefined) where.targetLocale = query.locale;
      if (query.q) where.title = { $containsi: query.q };
      const [field, dir] = query.sort.split(':');
      const [rows, total] = await Promise.all([
        rt().store.findMany({ where, orderBy: [{ [field]: dir }, { id: dir }], limit: query.pageSize, offset: (query.page - 1) * query.pageSize }),
        rt().store.count(where),
      ]);
      return {
        results: rows.map(publicationView),
        pagination: { page: query.page, pageSize: query.pageSize, total, pageCount: Math.ceil(total / query.pageSize) },
      };
    },

    async findOne(id: number) {
      const row = await load(id);
      const attempts = await rt().store.attemptsFor(id);
      return { ...publicationView(row), attemptsHistory: attempts };
    },

    /** Run it again now: after a failure, a cancel, an unconfirmed create ("retry anyway"), or to skip a backoff wait. */
    async retry(id: number) {
      const row = await load(id);
      if (!rt().connectors.has(row.platform)) throw new ConflictError(`${row.platform} is not configured (no credentials), so it cannot be retried.`);
      if (row.status === 'processing') throw new ConflictError('A platform call for this publication is in progress; wait for it to finish.');
      if (['published', 'unpublished'].includes(row.status) && row.syncedHash === row.payloadHash) {
        throw new ConflictError(`Nothing to retry: the publication is ${row.status} and up to date.`);
      }
      // "Retry anyway" after an unconfirmed create is the editor's explicit choice to risk a duplicate.
      const extra = row.status === 'unconfirmed' ? { needsLookup: false, inFlightSince: null } : {};
      return requeue(row, { attempts: 0, lastError: null, lastErrorKind: null, ...extra });
    },

    async cancel(id: number) {
      const row = await load(id);
      if (row.status === 'processing') throw new ConflictError('A platform call for this publication is in progress and cannot be stopped; cancel after it ends.');
      if (!['pending', 'queued', 'retrying'].includes(row.status)) throw new ConflictError(`Only waiting publications can be canceled; this one is ${row.status}.`);
      const ok = await rt().store.updateWhere(
        { id: row.id, jobSeq: row.jobSeq, status: { $in: ['pending', 'queued', 'retrying'] } },
        { status: 'canceled', jobSeq: row.jobSeq + 1, nextAttemptAt: null },
      );
      if (!ok) throw new ConflictError('The publication changed while you were acting on it; reload and try again.');
      return publicationView((await rt().store.get(id))!);
    },

    /**
     * The editor settles what the plugin cannot know: an unconfirmed create is live at `url` (or is
     * not there), an outdated post was edited by hand, a post was removed by hand.
     */
    async confirm(id: number, input: { url?: string; remoteId?: string }) {
      const row = await load(id);
      const now = new Date();
      if (row.status === 'unconfirmed' && row.desired === 'published') {
        if (!input.url) throw new errors.ValidationError('Give the URL of the post on the platform ("url"), or use retry to publish it again.');
        await rt().store.update(id, {
          status: 'published', remoteUrl: input.url, remoteId: input.remoteId ?? input.url, remoteState: 'published',
          syncedHash: row.payloadHash, lastError: null, lastErrorKind: null, needsLookup: false, inFlightSince: null, lastSyncedAt: now,
        });
      } else if (row.status === 'outdated') {
        await rt().store.update(id, { status: 'published', syncedHash: row.payloadHash, lastError: null, lastErrorKind: null, lastSyncedAt: now });
      } else if (row.desired === 'unpublished' && ['failed', 'unconfirmed'].includes(row.status)) {
        await rt().store.update(id, { status: 'unpublished', remoteState: 'unpublished', lastError: null, lastErrorKind: null, lastSyncedAt: now });
      } else {
        throw new ConflictError(`Nothing to confirm: confirm applies to unconfirmed or outdated publications and to posts removed by hand; this one is ${row.status}.`);
      }
      return publicationView((await rt().store.get(id))!);
    },

    async getSettings(target: { contentType: string; documentId: string; locale?: string }) {
      return rt().entrySettings.get({ uid: target.contentType, documentId: target.documentId, locale: target.locale ?? '' });
    },

    /** Saved now, applied from the entry's next publish (or a sync). */
    async setSettings(target: { contentType: string; documentId: string; locale?: string }, settings: EntrySettings) {
      if (!rt().config.contentTypes[target.contentType]) {
        throw new errors.ValidationError(`"${target.contentType}" is not a content type the plugin watches (config/plugins → crosspost.config.contentTypes).`);
      }
      return rt().entrySettings.set({ uid: target.contentType, documentId: target.documentId, locale: target.locale ?? '' }, settings);
    },

    /** Plan an entry again now (for example after changing the plugin config). */
    async sync(target: { contentType: string; documentId: string; locale?: string }) {
      if (!rt().config.contentTypes[target.contentType]) {
        throw new errors.ValidationError(`"${target.contentType}" is not a content type the plugin watches (config/plugins → crosspost.config.contentTypes).`);
      }
      const t = { uid: target.contentType, documentId: target.documentId, locale: target.locale ?? '' };
      const published = await planPublish(rt(), t);
      const results = Object.keys(published).length ? published : await planUnpublish(rt(), t);
      const rows = await rt().store.findForTarget(t);
      return { results, publications: rows.map(publicationView) };
    },
  };
};

export default publications;
export type PublicationsService = ReturnType<typeof publications>;
