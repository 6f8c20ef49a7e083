/**
 * Pre-flight check of the images an article uses (cover and inline): the platforms fetch them from
 * the internet, so an image that is not publicly reachable shows up broken on DEV, Hashnode and
 * Medium. Problems become warnings on the publication; they never stop the job.
 */
import axios from 'axios';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { visit } from 'unist-util-visit';
import type { Article } from '../content/types';

export interface PreflightOptions {
  timeoutMs: number;
  /** Tests serve images from 127.0.0.1; in production a private address is a problem in itself. */
  allowPrivateHosts?: boolean;
}

const MAX_IMAGES = 25;
const CACHE_MS = 10 * 60 * 1000;
const cache = new Map<string, { at: number; problem: string | null }>();

export function imageUrls(article: Pick<Article, 'markdown' | 'coverUrl'>): string[] {
  const urls: string[] = [];
  if (article.coverUrl) urls.push(article.coverUrl);
  const tree = fromMarkdown(article.markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  visit(tree, (node) => {
    if (node.type === 'image' && 'url' in node && typeof node.url === 'string') urls.push(node.url);
    if (node.type === 'definition' && 'url' in node && typeof node.url === 'string' && /\.(png|jpe?g|gif|webp|svg|avif)(\?|$)/i.test(node.url)) urls.push(node.url);
  });
  return [...new Set(urls)].slice(0, MAX_IMAGES);
}

function isPrivateHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h === '::1' || h === '0.0.0.0' ||
    /^127\./.test(h) || /^10\./.test(h) || /^192\.168\./.test(h) || /^172\.(1[6-9]|2\d|3[01])\./.test(h) || /^169\.254\./.test(h) || /^f[cd][0-9a-f]{2}:/.test(h)
  );
}

async function checkOne(url: string, opts: PreflightOptions): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `Image "${url}" is not an absolute URL; the platforms cannot load it. Set CROSSPOST_PUBLIC_URL (or server.url) so relative media URLs can be made absolute.`;
  }
  if (parsed.protocol === 'data:') return null;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `Image "${url}" uses ${parsed.protocol}; the platforms only load http(s) images.`;
  if (!opts.allowPrivateHosts && isPrivateHost(parsed.hostname)) {
    return `Image ${url} is on a private address (${parsed.hostname}); DEV, Hashnode and Medium load images from the internet and will show it broken. Set CROSSPOST_PUBLIC_URL to the site's public address.`;
  }
  try {
    const res = await axios.request({ method: 'HEAD', url, timeout: opts.timeoutMs, maxRedirects: 3, validateStatus: () => true });
    // Some servers refuse HEAD; that says nothing about the image.
    if (res.status === 405 || res.status === 501) return null;
    if (res.status >= 400) return `Image ${url} answered ${res.status}; it will show up broken on the platforms.`;
    const type = String(res.headers['content-type'] ?? '');
    if (type && !type.startsWith('image/') && !type.startsWith('application/octet-stream')) {
      return `Image ${url} is served as "${type.split(';')[0]}", not as an image; the platforms may not show it.`;
    }
    return null;
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    return `Image ${url} could not be reached (${code === 'ECONNABORTED' ? `no answer within ${opts.timeoutMs} ms` : code}); check that it is publicly available.`;
  }
}

export async function imageWarnings(article: Pick<Article, 'markdown' | 'coverUrl'>, opts: PreflightOptions): Promise<string[]> {
  const now = Date.now();
  const results = await Promise.all(
    imageUrls(article).map(async (url) => {
      const hit = cache.get(url);
      if (hit && now - hit.at < CACHE_MS) return hit.problem;
      const problem = await checkOne(url, opts);
      cache.set(url, { at: Date.now(), problem });
      return problem;
    }),
  );
  if (cache.size > 5000) cache.clear();
  return results.filter((p): p is string => Boolean(p));
}
