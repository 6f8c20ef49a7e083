/**
 * Loading a watched entry and turning it into a platform-neutral Article with the content type's
 * field mapping from the config.
 */
import type { Runtime } from '../runtime';
import type { Target } from '../store/publications';
import { buildArticle } from '../content';
import type { Article, AttributeInfo, FieldMapping } from '../content/types';
import type { PlatformId } from '../config/schema';

export type Entry = Record<string, unknown> & { documentId: string };

const POPULATED_TYPES = new Set(['relation', 'media', 'component', 'dynamiczone']);

/**
 * The mapped fields that need a populate (tags relation or component, cover media). Only those: every
 * relation of the type would cost a query each, on every plan and every job.
 */
export function populateFor(rt: Runtime, uid: string): string[] {
  const ct = rt.config.contentTypes[uid];
  const attributes = (rt.strapi.contentType(uid as never) as unknown as { attributes: Record<string, AttributeInfo> }).attributes;
  const f = ct.fields;
  const mapped = [f.title, ...(Array.isArray(f.body) ? f.body : [f.body]), f.description, f.tags?.field, f.cover, f.slug];
  return [...new Set(mapped.filter((name): name is string => Boolean(name && POPULATED_TYPES.has(attributes[name]?.type))))];
}

export async function loadPublishedEntry(rt: Runtime, t: Target): Promise<Entry | null> {
  const docs = rt.strapi.documents(t.uid as never) as unknown as {
    findOne(params: Record<string, unknown>): Promise<Entry | null>;
  };
  const populate = populateFor(rt, t.uid);
  return docs.findOne({
    documentId: t.documentId,
    ...(t.locale ? { locale: t.locale } : {}),
    status: 'published',
    ...(populate.length ? { populate } : {}),
  });
}

/**
 * Which published version of the entry this is. Strapi 5 writes a new published row on every publish, so
 * its id (with updatedAt, for safety) changes whenever the published content can have changed.
 */
export function entryVersionOf(entry: Record<string, unknown>): string {
  return `${entry.id}:${entry.updatedAt ? new Date(entry.updatedAt as string).getTime() : ''}`;
}

/** The published version of the entry (one light SELECT, no populate), or null when it is not published. */
export async function publishedVersionOf(rt: Runtime, t: Target): Promise<string | null> {
  const row = (await rt.strapi.db.query(t.uid as never).findOne({
    select: ['id', 'updatedAt'],
    where: { documentId: t.documentId, publishedAt: { $notNull: true }, ...(t.locale ? { locale: t.locale } : {}) },
  })) as Record<string, unknown> | null;
  return row ? entryVersionOf(row) : null;
}

function isEmptyBody(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return JSON.stringify(value).replace(/"text":""/g, '').indexOf('"text":"') < 0 && !JSON.stringify(value).includes('"type":"image"');
  return false;
}

export function articleFor(rt: Runtime, t: Target, entry: Entry): Article {
  const ct = rt.config.contentTypes[t.uid];
  const attributes = (rt.strapi.contentType(t.uid as never) as unknown as { attributes: Record<string, AttributeInfo> }).attributes;
  const bodyFields = Array.isArray(ct.fields.body) ? ct.fields.body : [ct.fields.body];
  // Several body fields: the first one the editor filled in wins (e.g. Blocks, then a Markdown fallback).
  const body = bodyFields.find((f) => !isEmptyBody(entry[f])) ?? bodyFields[0];
  const mapping: FieldMapping = { ...ct.fields, body };
  return buildArticle(entry, {
    mapping,
    attributes,
    publicUrl: rt.publicUrl,
    siteUrl: rt.config.siteUrl,
    canonicalUrlTemplate: ct.canonicalUrl,
    documentId: t.documentId,
    locale: t.locale || undefined,
  });
}

/** Platforms a content type goes to: its own list, else every enabled platform. */
export function platformsFor(rt: Runtime, uid: string): PlatformId[] {
  const wanted = rt.config.contentTypes[uid]?.platforms;
  const enabled = [...rt.connectors.keys()];
  return wanted ? enabled.filter((p) => wanted.includes(p)) : enabled;
}
