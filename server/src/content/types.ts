/**
 * Platform-neutral article: what every connector starts from. Built from a Strapi entry by
 * `buildArticle` using the content type's field mapping from the plugin config.
 */
export type BodyFormat = 'blocks' | 'markdown' | 'html';

/** How the tags of a content type are stored. `auto` infers it from the attribute's type. */
export type TagsFormat = 'auto' | 'string' | 'json' | 'relation' | 'component';

export interface TagsMapping {
  /** Attribute name on the entry. */
  field: string;
  format: TagsFormat;
  /** For relation / component / JSON arrays of objects: the attribute that holds the tag's name. */
  nameField: string;
  /** For comma-separated strings. */
  separator: string;
}

export interface FieldMapping {
  title: string;
  body: string;
  /** Absent → inferred: `blocks` attribute → blocks, `richtext`/`text` → markdown. HTML must be declared. */
  bodyFormat?: BodyFormat;
  description?: string;
  tags?: TagsMapping;
  /** Media attribute (single image) used as cover. */
  cover?: string;
  /** uid/string attribute; absent → slugified title. */
  slug?: string;
}

/** Minimal view of a Strapi attribute definition that rendering needs. */
export interface AttributeInfo {
  type: string;
  [key: string]: unknown;
}

export interface BuildArticleOptions {
  mapping: FieldMapping;
  /** The content type's attributes (strapi.contentType(uid).attributes). */
  attributes: Record<string, AttributeInfo>;
  /** Public base URL of the site; relative media URLs (`/uploads/...`) are made absolute with it. */
  publicUrl?: string;
  /**
   * Where the site's pages live, for relative links between articles (`/posts/other`); default: the origin
   * of `canonicalUrlTemplate`. Media stay on `publicUrl`.
   */
  siteUrl?: string;
  /** e.g. `https://blog.example.com/posts/{slug}`; placeholders: {slug} {documentId} {locale} and any scalar attribute. */
  canonicalUrlTemplate?: string;
  documentId?: string;
  locale?: string;
}

export interface Article {
  title: string;
  description?: string;
  /** GitHub-flavoured Markdown printed from mdast; media URLs absolute. */
  markdown: string;
  /** Tag display names as the editor wrote them: trimmed, non-empty, de-duplicated (case-insensitive), in order. */
  tags: string[];
  /** Absolute cover image URL. */
  coverUrl?: string;
  canonicalUrl?: string;
  slug: string;
  /** Problems found while building (unknown block types, unresolved relative URLs, ...): shown to editors. */
  warnings: string[];
}
