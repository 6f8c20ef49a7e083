/**
 * What editors and scripts can do with publication rows: list, inspect, retry, cancel, confirm,
 * and trigger a sync. Transitions follow DESIGN.md §3; an action that does not fit the row's
 * state is refused with a message saying why.
 */
import type { Core } from '@strapi/strapi';
import { badRequest, conflict, notFound } from '../http/errors';
import { getRuntime } from '../runtime';
import { enqueue, planPublish, planUnpublish } from '../planner/planner';
import { publicationView } from '../notify/events';
import { loadPublishedEntry } from '../planner/entry';
import { checkPostUrl, postHostsFor } from './post-url';
import { PlatformError } from '../platforms/types';
import type { Publication } from '../store/publications';
import type { PlatformId } from '../config/schema';
import type { EntrySettings } from '../store/entry-settings';
import { publicationWhere, type PublicationFilter } from '../store/publication-filter';
import { entryDefaultsView } from '../planner/defaults';
import { platformsFor } from '../planner/entry';

export interface ListQuery extends PublicationFilter {
  page: number;
  pageSize: number;
  sort: 'updatedAt:desc' | 'updatedAt:asc' | 'createdAt:desc' | 'createdAt:asc' | 'title:asc' | 'title:desc';
}

/** What a list shows (publicationView): not the stored payload, which is a whole article per row. */
const VIEW_COLUMNS = [
  'id', 'documentId', 'platform', 'status', 'desired', 'targetUid', 'targetDocumentId', 'targetLocale', 'title', 'remoteId', 'remoteUrl',
  'remoteState', 'attempts', 'lastError', 'lastErrorKind', 'warnings', 'options', 'nextAttemptAt', 'lastSyncedAt', 'createdAt', 'updatedAt',
];

const publications = ({ strapi }: { strapi: Core.Strapi }) => {
  const rt = () => getRuntime(strapi);

  async function load(id: number): Promise<Publication> {
    const row = await rt().store.get(id);
    if (!row) throw notFound(`No publication with id ${id}.`);
    return row;
  }

  async function requeue(row: Publication, data: Partial<Publication>) {
    const seq = row.jobSeq + 1;
    const ok = await rt().store.updateWhere({ id: row.id, jobSeq: row.jobSeq }, { ...data, status: 'pending', jobSeq: seq, nextAttemptAt: null });
    if (!ok) throw conflict('The publication changed while you were acting on it; reload and try again.');
    const fresh = (await rt().store.get(row.id))!;
    await enqueue(rt(), fresh, seq);
    return publicationView((await rt().store.get(row.id))!);
  }

  function assertWatched(uid: string) {
    if (!rt().config.contentTypes[uid]) {
      throw badRequest(`"${uid}" is not a content type the plugin watches (config/plugins → crosspost.config.contentTypes).`);
    }
  }

  /**
   * Where the confirmed post is: DEV and Hashnode are asked which post of the configured account has this
   * URL (its id is what later updates go to); Medium cannot be asked and keeps the URL as the id.
   */
  async function postAt(platform: PlatformId, input: { url?: string; remoteId?: string }): Promise<{ remoteId: string; remoteUrl: string }> {
    const platformConfig = rt().config.platforms[platform] as { baseUrl?: string; postHosts?: string[] };
    const url = checkPostUrl(platform, input.url!, postHostsFor(platform, platformConfig));
    const connector = rt().connectors.get(platform);
    if (!connector?.postByUrl) return { remoteId: input.remoteId ?? url, remoteUrl: url };
    let ref;
    try {
      ref = await connector.postByUrl(url);
    } catch (err) {
      if (err instanceof PlatformError) throw conflict(`Could not ask ${connector.name} about this URL (${err.message}); try again later.`);
      throw err;
    }
    if (!ref) throw badRequest(`url: ${connector.name} has no post of the configured account at ${url}.`, { errors: [{ path: 'url', message: 'not a post of the configured account' }] });
    return { remoteId: ref.remoteId, remoteUrl: ref.remoteUrl ?? url };
  }

  /** What an entry of this type gets where it chose nothing: the platforms set up for the type, with the admin's defaults. */
  async function defaults(contentType: string) {
    assertWatched(contentType);
    await rt().settings.ensureFresh();
    return entryDefaultsView(rt().settings.current().defaults, platformsFor(rt(), contentType));
  }

  return {
    assertWatched,

    /** The entry a row belongs to (for the caller's rights on it). */
    async targetOf(id: number) {
      const row = await load(id);
      return { uid: row.targetUid, documentId: row.targetDocumentId, locale: row.targetLocale ?? '' };
    },

    async list(query: ListQuery) {
      const where = publicationWhere(query);
      const [field, dir] = query.sort.split(':');
      const [rows, total] = await Promise.all([
        rt().store.findMany({ select: VIEW_COLUMNS, where, orderBy: [{ [field]: dir }, { id: dir }], limit: query.pageSize, offset: (query.page - 1) * query.pageSize }),
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
      await rt().settings.ensureFresh();
      const row = await load(id);
      if (!rt().connectors.has(row.platform)) throw conflict(`${row.platform} cannot be retried now: ${rt().settings.whyOff(row.platform) ?? 'it is not configured (no credentials).'}`);
      if (row.status === 'processing') throw conflict('A platform call for this publication is in progress; wait for it to finish.');
      if (['published', 'unpublished'].includes(row.status) && row.syncedHash === row.payloadHash) {
        throw conflict(`Nothing to retry: the publication is ${row.status} and up to date.`);
      }
      // "Retry anyway" after an unconfirmed create is the editor's explicit choice to risk a duplicate.
      const extra = row.status === 'unconfirmed' ? { needsLookup: false, inFlightSince: null } : {};
      return requeue(row, { attempts: 0, lastError: null, lastErrorKind: null, ...extra });
    },

    async cancel(id: number) {
      const row = await load(id);
      if (row.status === 'processing') throw conflict('A platform call for this publication is in progress and cannot be stopped; cancel after it ends.');
      if (!['pending', 'queued', 'retrying'].includes(row.status)) throw conflict(`Only waiting publications can be canceled; this one is ${row.status}.`);
      const ok = await rt().store.updateWhere(
        { id: row.id, jobSeq: row.jobSeq, status: { $in: ['pending', 'queued', 'retrying'] } },
        { status: 'canceled', jobSeq: row.jobSeq + 1, nextAttemptAt: null },
      );
      if (!ok) throw conflict('The publication changed while you were acting on it; reload and try again.');
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
        if (!input.url) throw badRequest('Give the URL of the post on the platform ("url"), or use retry to publish it again.');
        const ref = await postAt(row.platform, input);
        await rt().store.update(id, {
          status: 'published', remoteUrl: ref.remoteUrl, remoteId: ref.remoteId, remoteState: 'published',
          syncedHash: row.payloadHash, lastError: null, lastErrorKind: null, needsLookup: false, inFlightSince: null, lastSyncedAt: now,
        });
      } else if (row.status === 'outdated') {
        await rt().store.update(id, { status: 'published', syncedHash: row.payloadHash, lastError: null, lastErrorKind: null, lastSyncedAt: now });
      } else if (row.desired === 'unpublished' && ['failed', 'unconfirmed'].includes(row.status)) {
        await rt().store.update(id, { status: 'unpublished', remoteState: 'unpublished', lastError: null, lastErrorKind: null, lastSyncedAt: now });
      } else {
        throw conflict(`Nothing to confirm: confirm applies to unconfirmed or outdated publications and to posts removed by hand; this one is ${row.status}.`);
      }
      return publicationView((await rt().store.get(id))!);
    },

    async getSettings(target: { contentType: string; documentId: string; locale?: string }) {
      const saved = await rt().entrySettings.get({ uid: target.contentType, documentId: target.documentId, locale: target.locale ?? '' });
      // What applies where the entry chose nothing (Settings → Cross-posting), for the panel's read-only hint.
      return { ...saved, defaults: await defaults(target.contentType) };
    },

    defaults,

    /** Status per platform of each of these entries (in one locale), keyed by documentId; entries with no row are absent. */
    async entryStatuses(contentType: string, documentIds: string[], locale: string) {
      const rows = await rt().store.findMany({
        select: ['targetDocumentId', 'platform', 'status'],
        where: { targetUid: contentType, targetDocumentId: { $in: documentIds }, targetLocale: locale },
        orderBy: [{ id: 'asc' }],
      });
      const out: Record<string, { platform: string; status: string }[]> = {};
      for (const r of rows) (out[r.targetDocumentId] ??= []).push({ platform: r.platform, status: r.status });
      return out;
    },

    /** Saved now, applied from the entry's next publish (or a sync). */
    async setSettings(target: { contentType: string; documentId: string; locale?: string }, settings: EntrySettings) {
      assertWatched(target.contentType);
      return rt().entrySettings.set({ uid: target.contentType, documentId: target.documentId, locale: target.locale ?? '' }, settings);
    },

    /** Plan an entry again now (for example after changing the plugin config). */
    async sync(target: { contentType: string; documentId: string; locale?: string }) {
      assertWatched(target.contentType);
      const t = { uid: target.contentType, documentId: target.documentId, locale: target.locale ?? '' };
      // Unpublish only when the entry has no published version: a published entry whose platforms are all
      // off (or unconfigured) plans nothing, it must not take its posts down everywhere.
      const isPublished = Boolean(await loadPublishedEntry(rt(), t));
      const results = isPublished ? await planPublish(rt(), t) : await planUnpublish(rt(), t);
      const rows = await rt().store.findForTarget(t);
      return { results, publications: rows.map(publicationView) };
    },
  };
};

export default publications;
export type PublicationsService = ReturnType<typeof publications>;
