/**
 * Strapi entry → platform-neutral Article. The body, whatever its storage (Blocks JSON, Markdown,
 * HTML), becomes one mdast tree; media URLs are made absolute on that tree; the tree is printed
 * once. Connectors start from the result and only apply their platform's rules (platform.ts).
 */
import type { Root } from 'mdast';
import { blocksToMdast } from './blocks';
import { ArticleError } from './errors';
import { readCover, readDescription, readSlug, readTags, readTitle, renderCanonicalUrl } from './fields';
import { htmlToMdast } from './html';
import { parseMarkdown, printMarkdown } from './markdown';
import { resolveMediaUrls, siteBase } from './media';
import { neutralizeFrontMatter } from './platform';
import { uniqueWarnings } from './text';
import type { Article, AttributeInfo, BodyFormat, BuildArticleOptions, FieldMapping } from './types';

export { ArticleError };

/**
 * The declared format wins, except that an array is always Blocks (it cannot be anything else);
 * otherwise the attribute type decides. HTML is never guessed: HTML is valid Markdown text too.
 */
export function resolveBodyFormat(mapping: FieldMapping, attribute: AttributeInfo | undefined, value: unknown): BodyFormat {
  if (Array.isArray(value)) return 'blocks';
  if (mapping.bodyFormat) return mapping.bodyFormat;
  return attribute?.type === 'blocks' ? 'blocks' : 'markdown';
}

function bodyTree(value: unknown, format: BodyFormat, field: string): { tree: Root; warnings: string[] } {
  const empty = { tree: { type: 'root', children: [] } as Root, warnings: [`The body (field "${field}") is empty.`] };
  if (value === undefined || value === null || value === '') return empty;
  if (format === 'blocks') {
    if (typeof value === 'string') {
      // A Blocks value that arrived serialised (e.g. from a JSON column).
      try {
        return blocksToMdast(JSON.parse(value));
      } catch {
        const parsed = parseMarkdown(value);
        return { tree: parsed.tree, warnings: [`The body (field "${field}") is not valid Blocks JSON: it was read as Markdown.`, ...parsed.warnings] };
      }
    }
    return blocksToMdast(value);
  }
  if (typeof value !== 'string') {
    throw new ArticleError(`The body (field "${field}") cannot be read as ${format}: it is not text.`, field);
  }
  return format === 'html' ? { tree: htmlToMdast(value), warnings: [] } : parseMarkdown(value);
}

export function buildArticle(entry: Record<string, unknown>, opts: BuildArticleOptions): Article {
  const { mapping, attributes, publicUrl } = opts;
  const warnings: string[] = [];

  const title = readTitle(entry, mapping);
  const bodyValue = entry[mapping.body];
  const format = resolveBodyFormat(mapping, attributes[mapping.body], bodyValue);
  const body = bodyTree(bodyValue, format, mapping.body);
  warnings.push(...body.warnings);
  warnings.push(...resolveMediaUrls(body.tree, publicUrl, siteBase(opts.siteUrl, opts.canonicalUrlTemplate)));
  const markdown = body.tree.children.length > 0 ? neutralizeFrontMatter(printMarkdown(body.tree)) : '';

  const slug = readSlug(entry, mapping, title);
  const tags = readTags(entry, mapping.tags, attributes);
  const cover = readCover(entry, mapping, publicUrl);
  const canonical = renderCanonicalUrl(opts.canonicalUrlTemplate, {
    entry,
    slug,
    documentId: opts.documentId,
    locale: opts.locale,
    publicUrl,
  });
  warnings.push(...tags.warnings, ...cover.warnings, ...canonical.warnings);

  const article: Article = { title, markdown, tags: tags.value, slug, warnings: uniqueWarnings(warnings) };
  const description = readDescription(entry, mapping);
  if (description) article.description = description;
  if (cover.value) article.coverUrl = cover.value;
  if (canonical.value) article.canonicalUrl = canonical.value;
  return article;
}
