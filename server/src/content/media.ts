/**
 * Media and link URLs. Strapi stores uploads as site-relative paths (`/uploads/a.png`); a copy of
 * the article on another site needs absolute URLs, or every image and internal link breaks.
 */
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';

/** `https:`, `mailto:`, `data:`… : anything with a scheme is already absolute. */
const SCHEME = /^[a-z][a-z\d+.-]*:/i;

export type UrlResolution =
  | { kind: 'unchanged'; url: string }
  | { kind: 'resolved'; url: string }
  | { kind: 'unresolved'; url: string; reason: string };

/** A usable base URL (http/https, absolute), without trailing slashes; undefined when unusable. */
export function normalizePublicUrl(publicUrl: string | undefined): string | undefined {
  if (!publicUrl) return undefined;
  try {
    const base = new URL(publicUrl.trim());
    if (base.protocol !== 'http:' && base.protocol !== 'https:') return undefined;
    return base.href.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/**
 * Makes one URL absolute. `/uploads/a.png` and `uploads/a.png` both resolve below `publicUrl`, path
 * prefix included (`https://site/cms` + `/uploads/a.png` → `https://site/cms/uploads/a.png`), since
 * Strapi served under a prefix serves its uploads there too. Empty URLs, `#anchors` and URLs with a
 * scheme are left alone; `//host/x` gets https.
 */
export function absoluteUrl(url: string, publicUrl: string | undefined): UrlResolution {
  const trimmed = url.trim();
  if (trimmed === '' || trimmed.startsWith('#') || SCHEME.test(trimmed)) return { kind: 'unchanged', url };
  if (trimmed.startsWith('//')) return { kind: 'resolved', url: `https:${trimmed}` };
  const base = normalizePublicUrl(publicUrl);
  if (!base) {
    const reason = publicUrl
      ? `the public URL "${publicUrl}" is not an absolute http(s) URL`
      : 'no public URL is configured (CROSSPOST_PUBLIC_URL)';
    return { kind: 'unresolved', url, reason };
  }
  try {
    return { kind: 'resolved', url: new URL(trimmed.replace(/^\/+/, ''), `${base}/`).href };
  } catch {
    return { kind: 'unresolved', url, reason: 'it is not a valid URL' };
  }
}

function unresolvedWarning(what: string, url: string, reason: string): string {
  return `Relative ${what} URL "${url}" was left as is: ${reason}; it will be broken on other sites.`;
}

/** Strapi's upload folder: a link there is a file on the CMS, not a page of the site. */
const UPLOADS = /^\/?uploads\//i;

/**
 * The site's base for relative links to pages (`/posts/other`): the configured site URL, else the origin
 * of the canonical URL template (where the articles live). Undefined when neither gives an http(s) origin.
 */
export function siteBase(siteUrl: string | undefined, canonicalUrlTemplate: string | undefined): string | undefined {
  const configured = normalizePublicUrl(siteUrl);
  if (configured) return configured;
  if (!canonicalUrlTemplate) return undefined;
  try {
    const u = new URL(canonicalUrlTemplate);
    // A placeholder in the host ("https://{locale}.example.com") says nothing certain about the site.
    if (/[{}]|%7b|%7d/i.test(u.host)) return undefined;
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rewrites every image, link and definition URL in the tree in place. Images and links to uploads are media
 * and resolve on the CMS (`publicUrl`); links to other pages (`/posts/other`) resolve on the site (`siteUrl`)
 * when one is known. Returns warnings for URLs that stay relative, one per distinct URL.
 */
export function resolveMediaUrls(tree: Root, publicUrl: string | undefined, siteUrl?: string): string[] {
  const warnings = new Set<string>();
  visit(tree, (node) => {
    if (node.type !== 'image' && node.type !== 'link' && node.type !== 'definition') return;
    const page = node.type !== 'image' && siteUrl && !UPLOADS.test(node.url.trim());
    const result = absoluteUrl(node.url, page ? siteUrl : publicUrl);
    if (result.kind === 'resolved') node.url = result.url;
    else if (result.kind === 'unresolved') {
      warnings.add(unresolvedWarning(node.type === 'image' ? 'image' : 'link', node.url, result.reason));
    }
  });
  return [...warnings];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * URL of a Strapi media value: a single file (`{url, ...}`) or a multiple media field (array →
 * first file). Returns the stored URL, which may still be relative.
 */
export function mediaUrl(value: unknown): string | undefined {
  const file = Array.isArray(value) ? value[0] : value;
  if (!isRecord(file)) return undefined;
  return typeof file.url === 'string' && file.url.trim() !== '' ? file.url.trim() : undefined;
}

/** Absolute cover URL of a Strapi media value, with a warning when it cannot be made absolute. */
export function coverUrl(value: unknown, publicUrl: string | undefined): { value?: string; warnings: string[] } {
  const url = mediaUrl(value);
  if (!url) return { warnings: [] };
  const result = absoluteUrl(url, publicUrl);
  if (result.kind === 'unresolved') {
    // A relative cover is rejected by DEV (http/https only) and useless elsewhere: leave it out.
    return { warnings: [`Cover image "${url}" was left out: ${result.reason}.`] };
  }
  // Platforms take covers as http(s) URLs only, and a space (a file named "my cover.png") breaks them:
  // the WHATWG parser percent-encodes what must be encoded and leaves what already is.
  let parsed: URL;
  try {
    parsed = new URL(result.url.trim());
  } catch {
    return { warnings: [`Cover image "${url}" was left out: it is not a valid URL.`] };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { warnings: [`Cover image "${url}" was left out: the platforms only take http(s) image addresses.`] };
  }
  return { value: parsed.href, warnings: [] };
}
