/**
 * Content stage: Strapi entry → platform-neutral Article (Markdown with absolute media URLs), and
 * the per-platform adjustments connectors apply before sending it.
 */
export type { Article, AttributeInfo, BodyFormat, BuildArticleOptions, FieldMapping, TagsFormat, TagsMapping } from './types';
export { ArticleError } from './errors';
export { buildArticle, resolveBodyFormat } from './article';
export { blocksToMdast } from './blocks';
export { htmlToMdast, convertRawHtml } from './html';
export { parseGfm, parseMarkdown, printMarkdown, stripFrontMatter, type ParsedMarkdown } from './markdown';
export { absoluteUrl, coverUrl, mediaUrl, normalizePublicUrl, resolveMediaUrls, type UrlResolution } from './media';
export {
  cleanTags,
  readCover,
  readDescription,
  readSlug,
  readTags,
  readTitle,
  renderCanonicalUrl,
  resolveTagsFormat,
  type CanonicalContext,
  type Read,
} from './fields';
export {
  devtoTags,
  hashnodeTags,
  markdownForPlatform,
  mediumTags,
  neutralizeFrontMatter,
  type HashnodeTag,
  type PlatformMarkdownOptions,
  type PlatformResult,
} from './platform';
export { slugify } from './text';
