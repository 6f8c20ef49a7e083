/**
 * Pre-flight rules: what a platform would certainly refuse, found before the job is queued (the connectors'
 * `render` turns these into blocking messages), so the editor reads one clear sentence instead of a 422
 * after the queue. Pure functions over the Article.
 */
import type { Nodes } from 'mdast';
import { parseGfm } from './markdown';

/** Every platform needs text: Hashnode requires `contentMarkdown`, DEV and Medium would post an empty page. */
export function emptyBodyProblem(markdown: string, platform: string): string | undefined {
  if (markdown.trim() !== '') return undefined;
  return `${platform} needs a body: this entry's body is empty. Write the article (or check the body field in the plugin config) before publishing.`;
}

/**
 * DEV refuses canonical URLs that are not public http(s) addresses: not `localhost`, and (seen in practice,
 * the exact rule is not documented) no host without a dot such as `http://intranet/...`. Safe side: refuse
 * both, plus IP-less single labels and spaces.
 */
export function devtoCanonicalProblem(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (/\s/.test(url)) return 'DEV rejects canonical URLs with spaces; check the canonical URL template.';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `DEV rejects the canonical URL "${url}": it is not a valid URL. Check the canonical URL template.`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `DEV only accepts http(s) canonical URLs, not "${url}".`;
  const host = parsed.hostname.replace(/\.$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.')) {
    return `DEV rejects the canonical URL "${url}": its host "${host}" is not a public address (it needs a domain with a dot, such as blog.example.com). Set the canonical URL template (or CROSSPOST_PUBLIC_URL) to the site's public address.`;
  }
  return undefined;
}

/** DEV: "You cannot mention more than 7 users in a post!" */
export const DEVTO_MAX_MENTIONS = 7;

/**
 * @mentions DEV would link, counted outside code (inline code and code blocks are not rendered as
 * mentions) and outside links. Whether DEV counts distinct users or every mention is not documented:
 * safe side, every mention counts.
 */
export function mentionCount(markdown: string): number {
  let count = 0;
  const walk = (node: Nodes): void => {
    if (node.type === 'code' || node.type === 'inlineCode' || node.type === 'link' || node.type === 'html') return;
    if (node.type === 'text') {
      count += [...node.value.matchAll(/(?<![\w@./-])@([A-Za-z0-9_]+)/g)].length;
      return;
    }
    if ('children' in node) for (const child of node.children as Nodes[]) walk(child);
  };
  walk(parseGfm(markdown));
  return count;
}

export function devtoMentionProblem(markdown: string): string | undefined {
  const n = mentionCount(markdown);
  if (n <= DEVTO_MAX_MENTIONS) return undefined;
  return `DEV allows at most ${DEVTO_MAX_MENTIONS} @mentions in a post; this one has ${n}. Remove some, or put the names in \`code\` so DEV does not read them as mentions.`;
}

/** A cover DEV accepts: an http(s) URL (DEV's `main_image`). */
export function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !/\s/.test(url);
  } catch {
    return false;
  }
}
