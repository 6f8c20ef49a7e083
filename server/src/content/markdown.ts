/**
 * Markdown in and out. Parsing is GitHub-flavoured (tables, strikethrough, autolinks), and an
 * imported body is cleaned so that only portable Markdown remains: front matter, Hugo shortcodes,
 * raw HTML, reference-style links and `{#id}` heading anchors are all turned into plain mdast.
 */
import type { Definition, Heading, Image, Link, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown, type Options as ToMarkdownOptions } from 'mdast-util-to-markdown';
import { gfm } from 'micromark-extension-gfm';
import { visit } from 'unist-util-visit';
import { convertRawHtml, flattenTableCells } from './html';
import { expandShortcodes, extractShortcodes } from './shortcodes';
import { uniqueWarnings } from './text';

export interface ParsedMarkdown {
  tree: Root;
  warnings: string[];
}

/** Plain GFM parse, no clean-up: for Markdown this module printed itself. */
export function parseGfm(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

const PRINT_OPTIONS: ToMarkdownOptions = {
  bullet: '-',
  bulletOrdered: '.',
  emphasis: '*',
  strong: '*',
  fence: '`',
  fences: true,
  // `***`, never `---`: a body that starts with `---` is read as front matter by DEV.
  rule: '*',
  ruleRepetition: 3,
  ruleSpaces: false,
  setext: false,
  closeAtx: false,
  listItemIndent: 'one',
  incrementListMarker: true,
  extensions: [gfmToMarkdown()],
};

/** Prints GFM: fenced code with its language, `-` bullets, ATX headings, `***` rules, pipe tables. */
export function printMarkdown(tree: Root): string {
  return toMarkdown(tree, PRINT_OPTIONS);
}

const YAML_FENCE = /^(---|\+\+\+)[ \t]*\n(?:([\s\S]*?)\n)?\1[ \t]*(?:\n|$)/;

/**
 * A leading `---` … `---` (YAML) or `+++` … `+++` (TOML) block is the source site's metadata.
 * Only strips it when its first line looks like a key, so that a body which merely opens with a
 * horizontal rule keeps its content.
 */
export function stripFrontMatter(markdown: string): { body: string; frontMatter?: string } {
  const m = YAML_FENCE.exec(markdown);
  if (!m) return { body: markdown };
  const firstLine = (m[2] ?? '').split('\n').find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  const looksLikeKey = firstLine === undefined || /^[\w"'.-][^:=]*\s*[:=](\s|$)/.test(firstLine.trim());
  if (!looksLikeKey) return { body: markdown };
  return { body: markdown.slice(m[0].length), frontMatter: m[2] ?? '' };
}

/**
 * `[text][id]` + `[id]: url` → `[text](url)`. Inline links survive every platform's converter and
 * keep each link next to its text when a connector rewrites URLs.
 */
function resolveReferences(tree: Root): void {
  const definitions = new Map<string, Definition>();
  visit(tree, 'definition', (node) => {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
  });
  if (definitions.size === 0) return;
  visit(tree, (node, index, parent) => {
    if (!parent || index === undefined) return;
    if (node.type === 'linkReference') {
      const def = definitions.get(node.identifier);
      if (!def) return;
      const link: Link = { type: 'link', url: def.url, title: def.title ?? null, children: node.children };
      parent.children.splice(index, 1, link);
    } else if (node.type === 'imageReference') {
      const def = definitions.get(node.identifier);
      if (!def) return;
      const image: Image = { type: 'image', url: def.url, title: def.title ?? null, alt: node.alt ?? '' };
      parent.children.splice(index, 1, image);
    }
  });
  visit(tree, 'definition', (_node, index, parent) => {
    if (!parent || index === undefined) return;
    parent.children.splice(index, 1);
    return index;
  });
}

/** Hugo's `## Title {#custom-id}` anchor syntax would show up as literal text elsewhere. */
function stripHeadingIds(tree: Root): void {
  visit(tree, 'heading', (heading: Heading) => {
    const last = heading.children[heading.children.length - 1];
    if (last?.type !== 'text') return;
    last.value = last.value.replace(/\s*\{\s*#[^\s{}]+(?:\s+[^{}]*)?\}\s*$/, '');
    if (last.value === '') heading.children.pop();
  });
}

interface ParseOptions {
  /**
   * Strip a leading front matter block (default false). In CommonMark a body opening with `---` lines is
   * content (a rule, then a paragraph or a setext heading), and a Strapi body has its metadata in fields, so
   * it is kept; the printer writes rules as `***`, which stops DEV from reading it as front matter.
   */
  frontMatter?: boolean;
}

/**
 * Parses a Markdown body for syndication: Hugo-flavoured and hand-written Markdown both come out
 * as a tree that prints as portable GFM.
 */
export function parseMarkdown(markdown: string, options: ParseOptions = {}): ParsedMarkdown {
  const warnings: string[] = [];
  let source = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (options.frontMatter === true) {
    const stripped = stripFrontMatter(source);
    if (stripped.frontMatter !== undefined) {
      warnings.push('Removed the front matter block at the top of the body (metadata of the source site).');
      source = stripped.body;
    }
  }
  const { source: withPlaceholders, placeholders } = extractShortcodes(source);
  const tree = parseGfm(withPlaceholders);
  // HTML first: a shortcode inside an HTML block is then a placeholder in ordinary text, and
  // expands like any other.
  convertRawHtml(tree);
  warnings.push(...expandShortcodes(tree, placeholders, (inner) => parseMarkdown(inner, { frontMatter: false })));
  resolveReferences(tree);
  stripHeadingIds(tree);
  flattenTableCells(tree);
  return { tree, warnings: uniqueWarnings(warnings) };
}
