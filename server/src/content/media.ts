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

/**
 * Rewrites every image, link and definition URL in the tree in place. Returns warnings for URLs
 * that stay relative, one per distinct URL.
 */
export function resolveMediaUrls(tree: Root, publicUrl: string | undefined): string[] {
  const warnings = new Set<string>();
  visit(tree, (node) => {
    if (node.type !== 'image' && node.type !== 'link' && node.type !== 'definition') return;
    const result = absoluteUrl(node.url, publicUrl);
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
  return { value: result.url, warnings: [] };
}
