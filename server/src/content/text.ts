/** Small text helpers shared by the content stage. */
import type { Nodes } from 'mdast';

/**
 * Plain text of an mdast subtree. Raw HTML is skipped (it is markup, not words) and images count
 * by their alt text, which is what a reader sees when the image is missing.
 */
export function plainText(node: Nodes | Nodes[]): string {
  if (Array.isArray(node)) return node.map(plainText).join('');
  switch (node.type) {
    case 'text':
    case 'inlineCode':
    case 'code':
      return node.value;
    case 'html':
      return '';
    case 'image':
      return node.alt ?? '';
    case 'break':
      return '\n';
    default:
      return 'children' in node ? plainText(node.children as Nodes[]) : '';
  }
}

/**
 * URL-safe slug: Latin diacritics folded ("Über" → "uber"), everything but letters and digits
 * becomes a single dash. Other scripts are kept (with their combining signs, which Devanagari and
 * others need), so a Japanese or Hindi title still yields a usable slug.
 */
export function slugify(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]+/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** Collapses runs of whitespace and trims: what a tag or title "is" for comparison purposes. */
export function squash(input: string): string {
  return input.replace(/\s+/g, ' ').trim();
}

/** Unicode-aware length (code points), the unit platforms count in. */
export function charLength(input: string): number {
  return [...input].length;
}

/** Keeps the first occurrence of each warning; several passes may report the same problem. */
export function uniqueWarnings(warnings: string[]): string[] {
  return [...new Set(warnings)];
}
