/**
 * Per-platform normalisation, applied by each connector just before its call. Pure functions that
 * return the value to send plus warnings for the editor, so a rule the platform would enforce by
 * rejecting the post (DEV's tag rules) or by silently ignoring data (Medium's tags) is visible
 * before it happens.
 */
import type { List, ListItem, PhrasingContent, Root, RootContent, Table, TableCell } from 'mdast';
import { visit } from 'unist-util-visit';
import { parseGfm, printMarkdown } from './markdown';
import { charLength, plainText, squash } from './text';

export interface PlatformResult<T> {
  value: T;
  warnings: string[];
}

const DEVTO_MAX_TAGS = 4;
const DEVTO_MAX_TAG_LENGTH = 30;
const DEVTO_MAX_JOINED = 126;

function quoteList(tags: string[]): string {
  return tags.map((t) => `"${t}"`).join(', ');
}

/**
 * Latin letters with their accents folded ("Café" → "cafe"); letters of other scripts are left as they are
 * for the caller to judge. Used for tags, which both DEV and Hashnode key on plain ASCII in practice.
 */
export function foldLatin(input: string): string {
  return input.normalize('NFKD').replace(/[\u0300-\u036f]+/g, '').normalize('NFC');
}

/**
 * Tells the editor when a tag will not arrive as written: it changes ("C#" → "c"), or two tags become one
 * ("C#" and "C++" both → "c"), so the loss of meaning is never silent.
 */
function changeWarnings(platform: string, pairs: Array<{ raw: string; value: string }>, renames = true): string[] {
  const warnings: string[] = [];
  const byValue = new Map<string, string[]>();
  for (const { raw, value } of pairs) {
    const list = byValue.get(value) ?? [];
    if (!list.includes(raw)) list.push(raw);
    byValue.set(value, list);
  }
  for (const [value, raws] of byValue) {
    if (raws.length > 1) {
      warnings.push(`${platform}: tags ${quoteList(raws)} all become "${value}", so they count as one tag.`);
      continue;
    }
    // Only case differs: the platform lower-cases tags anyway, nothing is lost.
    if (renames && raws[0].toLowerCase() !== value.toLowerCase()) warnings.push(`${platform}: tag "${raws[0]}" is sent as "${value}".`);
  }
  return warnings;
}

/**
 * DEV: tags must match `/\A[[:alnum:]]+\z/i`, at most 30 characters, at most 4 tags, joined with ", " at
 * most 126 characters. DEV lower-cases them itself; we do it first so that de-duplication sees what DEV
 * will see.
 *
 * Letters outside ASCII: Onigmo's [[:alnum:]] takes any script, but DEV's message speaks of "prohibited
 * unicode characters" and which ones it prohibits is not documented. Safe side: accented Latin letters are
 * folded ("café" → "cafe"), and a tag with letters of another script is left out with a warning naming it
 * (a rejected tag would fail the whole article).
 *
 * Tags longer than 30 characters are dropped with a warning, not truncated: DEV tags are shared
 * topics that readers follow, and a cut-off tag ("kubernetesclusterautoscalingwi") would create a
 * meaningless new topic nobody follows. The editor sees the warning and can pick a shorter tag.
 */
export function devtoTags(tags: string[]): PlatformResult<string[]> {
  const warnings: string[] = [];
  const out: string[] = [];
  const pairs: Array<{ raw: string; value: string }> = [];
  for (const tag of tags) {
    const folded = foldLatin(tag).toLowerCase();
    if (/[^\x00-\x7f]/.test(folded.replace(/[^\p{L}\p{M}\p{Nd}]+/gu, ''))) {
      warnings.push(`DEV: tag "${tag}" has letters DEV may refuse (only a-z and 0-9 are safe) and was left out.`);
      continue;
    }
    const normalized = folded.replace(/[^a-z0-9]+/g, '');
    if (!normalized) {
      warnings.push(`DEV: tag "${tag}" has no letters or digits and was left out.`);
      continue;
    }
    if (charLength(normalized) > DEVTO_MAX_TAG_LENGTH) {
      warnings.push(`DEV: tag "${tag}" is longer than ${DEVTO_MAX_TAG_LENGTH} characters ("${normalized}") and was left out.`);
      continue;
    }
    pairs.push({ raw: tag, value: normalized });
    if (!out.includes(normalized)) out.push(normalized);
  }
  warnings.push(...changeWarnings('DEV', pairs));
  if (out.length > DEVTO_MAX_TAGS) {
    warnings.push(`DEV accepts at most ${DEVTO_MAX_TAGS} tags: ${quoteList(out.slice(DEVTO_MAX_TAGS))} left out.`);
    out.length = DEVTO_MAX_TAGS;
  }
  // Unreachable with 4 tags of ≤ 30 characters (4 × 30 + 3 × 2 = 126), kept in case limits change.
  while (out.length > 0 && charLength(out.join(', ')) > DEVTO_MAX_JOINED) {
    const dropped = out.pop() as string;
    warnings.push(`DEV: tag "${dropped}" left out: the tags together exceed ${DEVTO_MAX_JOINED} characters.`);
  }
  return { value: out, warnings };
}

const MEDIUM_MAX_TAGS = 3;
const MEDIUM_MAX_TAG_LENGTH = 25;

/**
 * Medium: "Only the first three will be used. Tags longer than 25 characters will be ignored."
 * Long tags are skipped (not counted towards the three), so the next tag gets its place.
 */
export function mediumTags(tags: string[]): PlatformResult<string[]> {
  const warnings: string[] = [];
  const out: string[] = [];
  const overflow: string[] = [];
  for (const raw of tags) {
    const tag = squash(raw);
    if (!tag) continue;
    if (charLength(tag) > MEDIUM_MAX_TAG_LENGTH) {
      warnings.push(`Medium: tag "${tag}" is longer than ${MEDIUM_MAX_TAG_LENGTH} characters and was left out.`);
    } else if (out.length < MEDIUM_MAX_TAGS) out.push(tag);
    else overflow.push(tag);
  }
  if (overflow.length > 0) {
    warnings.push(`Medium uses only the first ${MEDIUM_MAX_TAGS} tags: ${quoteList(overflow)} left out.`);
  }
  return { value: out, warnings };
}

const HASHNODE_MAX_TAGS = 15;

export interface HashnodeTag {
  slug: string;
  name: string;
}

/**
 * Hashnode: `{slug, name}` (unknown slugs create the tag under that name), at most 15. Slugs are lower-case
 * ASCII letters, digits and dashes; what Hashnode does with other letters is not documented (a slug of only
 * non-Latin letters has been seen to become "untitled"). Safe side: accents are folded, and a tag whose slug
 * would keep no Latin letter or digit is left out with a warning naming it. The name keeps the editor's text.
 */
export function hashnodeTags(tags: string[]): PlatformResult<HashnodeTag[]> {
  const warnings: string[] = [];
  const out: HashnodeTag[] = [];
  const pairs: Array<{ raw: string; value: string }> = [];
  for (const raw of tags) {
    const name = squash(raw);
    if (!name) continue;
    const slug = foldLatin(name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    if (!slug) {
      const nonLatin = /[\p{L}\p{Nd}]/u.test(name);
      warnings.push(
        nonLatin
          ? `Hashnode: tag "${name}" has no Latin letters or digits for its address (slug) and was left out.`
          : `Hashnode: tag "${name}" has no letters or digits and was left out.`,
      );
      continue;
    }
    // A slug that loses letters of another script ("react-日本語" → "react") points at another topic.
    if (/[^\x00-\x7f]/.test(foldLatin(name).replace(/[^\p{L}\p{Nd}]+/gu, ''))) {
      warnings.push(`Hashnode: tag "${name}" gets the address (slug) "${slug}": its non-Latin letters cannot be kept.`);
    }
    pairs.push({ raw: name, value: slug });
    if (!out.some((t) => t.slug === slug)) out.push({ slug, name });
  }
  // The name is shown as written, so only tags that merge into one slug lose something.
  warnings.push(...changeWarnings('Hashnode', pairs, false));
  if (out.length > HASHNODE_MAX_TAGS) {
    warnings.push(`Hashnode accepts at most ${HASHNODE_MAX_TAGS} tags: ${quoteList(out.slice(HASHNODE_MAX_TAGS).map((t) => t.name))} left out.`);
    out.length = HASHNODE_MAX_TAGS;
  }
  return { value: out, warnings };
}

export interface PlatformMarkdownOptions {
  /** `degrade` for platforms that do not render GFM tables (Medium). */
  tables: 'keep' | 'degrade';
  /** Prepended as an H1 (Medium does not render the post title). */
  titleHeading?: string;
}

function cellHasText(cell: TableCell | undefined): cell is TableCell {
  return Boolean(cell && (plainText(cell).trim() !== '' || cell.children.some((c) => c.type === 'image')));
}

/** `**Header:** value`, or just the value when the column has no header. */
function pair(header: TableCell | undefined, cell: TableCell): PhrasingContent[] {
  if (!cellHasText(header)) return structuredClone(cell.children);
  const label: PhrasingContent = { type: 'strong', children: [...structuredClone(header.children), { type: 'text', value: ':' }] };
  return [label, { type: 'text', value: ' ' }, ...structuredClone(cell.children)];
}

function item(children: PhrasingContent[], nested?: List): ListItem {
  return { type: 'listItem', spread: false, children: [{ type: 'paragraph', children }, ...(nested ? [nested] : [])] };
}

/**
 * A table as a list, for Medium, which shows Markdown tables as pipes and dashes. Each row is a
 * list item led by its first cell, with the other cells as a nested list of `Header: value`.
 * Chosen over a fenced text block because it keeps links and inline code in cells working, and
 * reads on a phone, where a wide monospace table would need sideways scrolling.
 */
function tableAsList(table: Table): RootContent {
  const [head, ...rows] = table.children;
  const headers = head?.children ?? [];
  if (rows.length === 0) {
    const cells = headers.filter(cellHasText);
    return { type: 'list', ordered: false, spread: false, children: cells.map((c) => item(structuredClone(c.children))) };
  }
  const items: ListItem[] = [];
  for (const row of rows) {
    const cells = row.children.map((cell, i) => ({ cell, header: headers[i] })).filter(({ cell }) => cellHasText(cell));
    if (cells.length === 0) continue;
    const [lead, ...rest] = cells;
    const nested: List | undefined = rest.length
      ? { type: 'list', ordered: false, spread: false, children: rest.map(({ cell, header }) => item(pair(header, cell))) }
      : undefined;
    items.push(item(pair(lead.header, lead.cell), nested));
  }
  return { type: 'list', ordered: false, spread: false, children: items };
}

function degradeTables(tree: Root): number {
  let count = 0;
  visit(tree, 'table', (node, index, parent) => {
    if (!parent || index === undefined) return;
    parent.children.splice(index, 1, tableAsList(node) as (typeof parent.children)[number]);
    count++;
    return index + 1;
  });
  return count;
}

/**
 * True when the body's first heading is already the title as an H1 (some sources repeat it,
 * possibly after a byline): prepending it again would show the title twice.
 */
function firstHeadingIsTitle(tree: Root, title: string): boolean {
  const first = tree.children.find((node) => node.type === 'heading');
  return first?.type === 'heading' && first.depth === 1 && squash(plainText(first)) === squash(title);
}

/** Re-prints an article's Markdown with one platform's adjustments. */
export function markdownForPlatform(markdown: string, options: PlatformMarkdownOptions): PlatformResult<string> {
  const warnings: string[] = [];
  const tree = parseGfm(markdown);
  if (options.tables === 'degrade') {
    const count = degradeTables(tree);
    if (count > 0) warnings.push(`${count} table${count > 1 ? 's were' : ' was'} turned into lists: this platform does not display Markdown tables.`);
  }
  const title = options.titleHeading ? squash(options.titleHeading) : '';
  if (title && !firstHeadingIsTitle(tree, title)) {
    tree.children.unshift({ type: 'heading', depth: 1, children: [{ type: 'text', value: title }] });
  }
  const value = tree.children.length > 0 ? neutralizeFrontMatter(printMarkdown(tree)) : '';
  return { value, warnings };
}

/**
 * DEV reads a body that starts with a `---` line (leading blank lines allowed) as YAML front
 * matter that overrides title, tags, canonical URL and more. The printer never writes `---` rules,
 * so this is defence in depth for Markdown from elsewhere: a leading dash rule becomes `***` (the
 * same rule), any other leading `---` line gets its first dash escaped (the same text).
 */
export function neutralizeFrontMatter(markdown: string): string {
  const body = markdown.replace(/^\uFEFF/, '').replace(/^(?:[ \t]*\r?\n)+/, '');
  const m = /^([ \t]*)(---[^\r\n]*)/.exec(body);
  if (!m) return body;
  const rest = body.slice(m[0].length);
  if (/^[-\s]+$/.test(m[2])) return `***${rest}`;
  return `${m[1]}\\${m[2]}${rest}`;
}
