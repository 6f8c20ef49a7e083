/**
 * Reading the mapped fields of a Strapi entry: title, description, slug, tags, cover and the
 * canonical URL. Each reader is tolerant of shape (a relation that came back as one object, JSON
 * tags stored as text), because the mapping is configuration an editor cannot fix mid-publish.
 */
import { ArticleError } from './errors';
import { absoluteUrl, coverUrl } from './media';
import { slugify, squash } from './text';
import type { AttributeInfo, FieldMapping, TagsFormat, TagsMapping } from './types';

type Entry = Record<string, unknown>;

export interface Read<T> {
  value: T;
  warnings: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The title, trimmed; an entry without one cannot be published anywhere. */
export function readTitle(entry: Entry, mapping: Pick<FieldMapping, 'title'>): string {
  const value = entry[mapping.title];
  const title = typeof value === 'string' || typeof value === 'number' ? squash(String(value)) : '';
  if (!title) throw new ArticleError(`Entry has no title: field "${mapping.title}" is empty`, mapping.title);
  return title;
}

export function readDescription(entry: Entry, mapping: Pick<FieldMapping, 'description'>): string | undefined {
  if (!mapping.description) return undefined;
  const value = entry[mapping.description];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The slug field (a `uid` attribute) when mapped and filled, else the slugified title. */
export function readSlug(entry: Entry, mapping: Pick<FieldMapping, 'slug'>, title: string): string {
  const value = mapping.slug ? entry[mapping.slug] : undefined;
  if (typeof value === 'string' && value.trim()) return value.trim();
  return slugify(title);
}

/** `auto` → the storage the attribute type implies; an unknown attribute is judged by its value. */
export function resolveTagsFormat(format: TagsFormat, attribute: AttributeInfo | undefined, value: unknown): Exclude<TagsFormat, 'auto'> {
  if (format !== 'auto') return format;
  switch (attribute?.type) {
    case 'string':
    case 'text':
    case 'richtext':
    case 'enumeration':
      return 'string';
    case 'json':
      return 'json';
    case 'relation':
      return 'relation';
    case 'component':
    case 'dynamiczone':
      return 'component';
    default:
      if (typeof value === 'string') return 'string';
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return 'json';
      return 'relation';
  }
}

/** Trimmed, whitespace-collapsed, non-empty, de-duplicated case-insensitively, in order. */
export function cleanTags(names: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    const tag = squash(name);
    const key = tag.toLowerCase();
    if (!tag || seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

function splitTags(value: string, separator: string): string[] {
  return value.split(separator || ',');
}

/** Names out of an array of strings / objects (JSON arrays, relations, repeatable components). */
function namesOf(items: unknown[], nameField: string, field: string, warnings: string[]): string[] {
  const names: string[] = [];
  for (const item of items) {
    if (typeof item === 'string' || typeof item === 'number') names.push(String(item));
    else if (isRecord(item)) {
      const name = item[nameField];
      if (typeof name === 'string' || typeof name === 'number') names.push(String(name));
      else warnings.push(`A tag in "${field}" has no "${nameField}" value and was skipped.`);
    }
  }
  return names;
}

export function readTags(
  entry: Entry,
  mapping: TagsMapping | undefined,
  attributes: Record<string, AttributeInfo>,
): Read<string[]> {
  if (!mapping?.field) return { value: [], warnings: [] };
  const warnings: string[] = [];
  const value = entry[mapping.field];
  if (value === undefined || value === null || value === '') return { value: [], warnings };
  const nameField = mapping.nameField || 'name';
  const format = resolveTagsFormat(mapping.format, attributes[mapping.field], value);
  let names: string[] = [];

  if (typeof value === 'string') {
    if (format === 'json') {
      // A JSON list kept in a text field; fall back to separated text if it is not JSON.
      try {
        const parsed: unknown = JSON.parse(value);
        names = Array.isArray(parsed) ? namesOf(parsed, nameField, mapping.field, warnings) : splitTags(value, mapping.separator);
      } catch {
        names = splitTags(value, mapping.separator);
      }
    } else names = splitTags(value, mapping.separator);
  } else if (Array.isArray(value)) {
    names = namesOf(value, nameField, mapping.field, warnings);
  } else if (isRecord(value) && nameField in value) {
    // A to-one relation or a single component.
    names = namesOf([value], nameField, mapping.field, warnings);
  } else {
    warnings.push(
      `Tags field "${mapping.field}" could not be read as ${format} tags${format === 'relation' ? ' (is the relation populated?)' : ''}: no tags were sent.`,
    );
  }
  return { value: cleanTags(names), warnings };
}

export function readCover(entry: Entry, mapping: Pick<FieldMapping, 'cover'>, publicUrl: string | undefined): Read<string | undefined> {
  if (!mapping.cover) return { value: undefined, warnings: [] };
  const result = coverUrl(entry[mapping.cover], publicUrl);
  return { value: result.value, warnings: result.warnings };
}

export interface CanonicalContext {
  entry: Entry;
  slug: string;
  documentId?: string;
  locale?: string;
  publicUrl?: string;
}

/**
 * Fills `{slug}`, `{documentId}`, `{locale}` and `{anyScalarAttribute}` in the template, each value
 * URL-encoded. A placeholder without a value gives no canonical URL (and a warning) rather than a
 * wrong one: a canonical URL that points nowhere is worse than none. A template starting with `/`
 * is resolved against the public URL.
 */
export function renderCanonicalUrl(template: string | undefined, ctx: CanonicalContext): Read<string | undefined> {
  if (!template || !template.trim()) return { value: undefined, warnings: [] };
  const missing: string[] = [];
  const special: Record<string, string | undefined> = { slug: ctx.slug, documentId: ctx.documentId, locale: ctx.locale };
  const rendered = template.trim().replace(/\{(\w+)\}/g, (_whole, name: string) => {
    // {documentId} and {locale} fall back to the entry's own values when not given explicitly.
    const raw = special[name] ?? ctx.entry[name];
    if (typeof raw === 'string' ? raw === '' : typeof raw !== 'number' && typeof raw !== 'boolean') {
      missing.push(name);
      return '';
    }
    return encodeURIComponent(String(raw));
  });
  if (missing.length > 0) {
    const names = missing.map((n) => `{${n}}`).join(', ');
    return { value: undefined, warnings: [`No canonical URL was set: ${names} in "${template}" has no value for this entry.`] };
  }
  const result = absoluteUrl(rendered, ctx.publicUrl);
  if (result.kind === 'unresolved' || !/^https?:\/\//i.test(result.url)) {
    return { value: undefined, warnings: [`No canonical URL was set: "${rendered}" is not an absolute http(s) URL.`] };
  }
  return { value: result.url, warnings: [] };
}
