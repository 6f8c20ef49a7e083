/**
 * The dashboard's state lives in the URL. Strapi's list helpers write `_q`, `page`, `pageSize` and
 * `sort=field:ASC`; the server's list route takes `q` and lowercase sort values and refuses unknown keys,
 * so only whitelisted keys are forwarded, mapped to what the server accepts.
 */
import type { ListParams } from '../api/types';

export type UrlQuery = Record<string, unknown>;

const SORTS = ['updatedAt:desc', 'updatedAt:asc', 'createdAt:desc', 'createdAt:asc', 'title:asc', 'title:desc'];

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function toListParams(query: UrlQuery): ListParams {
  const out: ListParams = {};
  const status = str(query.status);
  const platform = str(query.platform);
  const contentType = str(query.contentType);
  const q = str(query._q) ?? str(query.q);
  if (status) out.status = status;
  if (platform) out.platform = platform;
  if (contentType) out.contentType = contentType;
  if (q) out.q = q.slice(0, 200);
  const page = Number(query.page);
  out.page = Number.isInteger(page) && page > 0 ? page : 1;
  const pageSize = Number(query.pageSize);
  out.pageSize = Number.isInteger(pageSize) && pageSize > 0 ? Math.min(pageSize, 100) : 10;
  const sort = str(query.sort)?.toLowerCase().replace('updatedat', 'updatedAt').replace('createdat', 'createdAt');
  out.sort = sort && SORTS.includes(sort) ? sort : 'updatedAt:desc';
  return out;
}

/** The filter part only (what "retry all failed" applies to). */
export function toFilter(params: ListParams): { status?: string; platform?: string; contentType?: string; q?: string } {
  const { platform, contentType, q } = params;
  return { status: 'failed', ...(platform ? { platform } : {}), ...(contentType ? { contentType } : {}), ...(q ? { q } : {}) };
}
