/**
 * What an editor should do next, given a row's state. The server's `lastError` already says what went
 * wrong in words ("DEV rejected tag ..."); this adds the next step.
 */
import type { PublicationView } from '../api/types';
import type { Translate } from './useT';

export const PLATFORM_NAMES: Record<string, string> = { devto: 'DEV', hashnode: 'Hashnode', medium: 'Medium' };

export function platformName(id: string): string {
  return PLATFORM_NAMES[id] ?? id;
}

export function nextStep(row: Pick<PublicationView, 'status' | 'lastError' | 'lastErrorKind' | 'platform'>, t: Translate): string | null {
  const name = platformName(row.platform);
  const msg = (row.lastError ?? '').toLowerCase();
  switch (row.status) {
    case 'failed':
      if (/401|403|unauthori[sz]ed|api key|token|credential|forbidden/.test(msg))
        return t('next.credentials', 'Check the {platform} credentials in Settings → Cross-posting, then retry.', { platform: name });
      if (/tag/.test(msg)) return t('next.tags', "Edit the entry's tags or keywords, then retry.");
      if (/title/.test(msg)) return t('next.title', "Shorten the entry's title, then retry.");
      if (/image|cover/.test(msg)) return t('next.image', 'Check that the images are reachable from the internet, then retry.');
      if (/rate|429|too many|limit/.test(msg)) return t('next.rate', '{platform} limits how often you can post: retry later.', { platform: name });
      return t('next.failed', 'Fix what the message says in the entry, then retry.');
    case 'retrying':
      return t('next.retrying', 'Nothing to do: it will be retried automatically.');
    case 'unconfirmed':
      return t('next.unconfirmed', '{platform} did not answer in time and the post may exist. Paste its URL to confirm, or retry anyway.', { platform: name });
    case 'outdated':
      return t('next.outdated', '{platform} cannot update posts through its API. Update the post there by hand, then confirm with its URL.', { platform: name });
    case 'canceled':
      return t('next.canceled', 'Canceled. Retry to send it again.');
    default:
      return null;
  }
}

export type BadgeTone = 'success' | 'danger' | 'warning' | 'secondary' | 'neutral' | 'primary';

export function statusTone(status: string): BadgeTone {
  switch (status) {
    case 'published':
      return 'success';
    case 'failed':
      return 'danger';
    case 'unconfirmed':
    case 'outdated':
      return 'warning';
    case 'pending':
    case 'queued':
    case 'processing':
    case 'retrying':
      return 'secondary';
    default:
      return 'neutral';
  }
}

/** Content Manager URL of an entry (collection or single type, with its locale). */
export function entryUrl(row: { contentType: string; entryDocumentId: string; locale: string | null }, kind?: 'collectionType' | 'singleType'): string {
  const base =
    kind === 'singleType'
      ? `/content-manager/single-types/${row.contentType}`
      : `/content-manager/collection-types/${row.contentType}/${row.entryDocumentId}`;
  return row.locale ? `${base}?plugins[i18n][locale]=${encodeURIComponent(row.locale)}` : base;
}

/** "api::article.article" → "article" when no display name is known. */
export function shortUid(uid: string): string {
  return uid.replace(/^(api|plugin)::/, '').split('.').pop() ?? uid;
}
