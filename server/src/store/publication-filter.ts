/** The where clause of a publication list filter, shared by GET /publications and bulk retry by filter. */
import type { PlatformId } from '../config/schema';
import type { PublicationStatus } from './publications';

export interface PublicationFilter {
  status?: PublicationStatus[];
  platform?: PlatformId[];
  contentType?: string;
  entryDocumentId?: string;
  locale?: string;
  q?: string;
}

export function publicationWhere(f: PublicationFilter): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  if (f.status?.length) where.status = { $in: f.status };
  if (f.platform?.length) where.platform = { $in: f.platform };
  if (f.contentType) where.targetUid = f.contentType;
  if (f.entryDocumentId) where.targetDocumentId = f.entryDocumentId;
  if (f.locale !== undefined) where.targetLocale = f.locale;
  if (f.q) where.title = { $containsi: f.q };
  return where;
}
