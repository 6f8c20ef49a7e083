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
import { guardedAgents, isBlockedLiteral, isPublicAddress, publicOnlyAgents, type AddressRule } from '../http/ssrf';

export interface PreflightOptions {
  timeoutMs: number;
  /** Tests serve images from 127.0.0.1; in production a private address is a problem in itself. */
  allowPrivateHosts?: boolean;
  /** The app's public URL: images under <publicUrl>/uploads/ are the app's own. */
  publicUrl?: string;
  /** Whether the media library holds a file at this path (e.g. "/uploads/cat.png"). */
  uploadExists?: (path: string) => Promise<boolean>;
  /** Which connected addresses count as "the internet" (default: public unicast only; tests narrow it). */
  isAllowedAddress?: AddressRule;
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

/** Everything a failed check says: no status, type, refused or timed out (that would map internal hosts). */
const unreachable = (url: string) => `Image ${url} is not reachable from the internet; DEV, Hashnode and Medium will show it broken.`;
/** A HEAD answer has no body; anything bigger than this is not a well-behaved image server. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_REDIRECTS = 3;

/** The app's own uploads (`<publicUrl>/uploads/...`): the path, else null. */
function ownUploadPath(url: URL, publicUrl?: string): string | null {
  if (!publicUrl) return null;
  let base: URL;
  try {
    base = new URL(publicUrl);
  } catch {
    return null;
  }
  if (url.origin !== base.origin) return null;
  const prefix = base.pathname.replace(/\/$/, '');
  const rest = url.pathname.slice(prefix.length);
  return url.pathname.startsWith(`${prefix}/uploads/`) ? rest : null;
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
  // Served by the app itself: ask the media library, not the network (the server may not reach its own public URL).
  const upload = ownUploadPath(parsed, opts.publicUrl);
  if (upload && opts.uploadExists) return (await opts.uploadExists(upload)) ? null : `Image ${url} is not in the media library; it will show up broken on the platforms.`;

  const signal = AbortSignal.timeout(opts.timeoutMs); // total time, every hop and slow headers included
  const rule = opts.isAllowedAddress ?? isPublicAddress;
  const agents = opts.isAllowedAddress ? guardedAgents(rule) : publicOnlyAgents;
  let current = parsed;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (current.protocol !== 'http:' && current.protocol !== 'https:') return unreachable(url);
      if (!opts.allowPrivateHosts && isBlockedLiteral(current.hostname, rule)) return unreachable(url);
      const res = await axios.request({
        method: 'HEAD',
        url: current.toString(),
        signal,
        maxRedirects: 0, // followed here, so that every hop is checked
        maxContentLength: MAX_RESPONSE_BYTES,
        maxBodyLength: MAX_RESPONSE_BYTES,
        validateStatus: () => true,
        proxy: false,
        ...(opts.allowPrivateHosts ? {} : { httpAgent: agents.http, httpsAgent: agents.https }),
      });
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        current = new URL(String(res.headers.location), current);
        continue;
      }
      // Some servers refuse HEAD; that says nothing about the image.
      if (res.status === 405 || res.status === 501) return null;
      if (res.status >= 400) return unreachable(url);
      const type = String(res.headers['content-type'] ?? '');
      if (type && !type.startsWith('image/') && !type.startsWith('application/octet-stream')) {
        return `Image ${url} is not served as an image; the platforms may not show it.`;
      }
      return null;
    }
    return unreachable(url);
  } catch {
    return unreachable(url);
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
