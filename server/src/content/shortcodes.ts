/**
 * Hugo shortcodes (`{{< figure src="…" >}}`, `{{% alert %}}…{{% /alert %}}`) are template calls,
 * not Markdown: Hugo expands them before rendering. A Markdown parser would keep them as literal
 * text, which DEV, Hashnode and Medium would show as broken markup. So, before parsing, each
 * shortcode is swapped for an inert placeholder token; after parsing, each placeholder is replaced
 * by the mdast nodes the shortcode stands for (an image, a code block, a quote, or just its inner
 * content). Fenced code is left alone: a shortcode shown in a code sample is content.
 */
import type { BlockContent, Code, Nodes, Parent, PhrasingContent, Root, RootContent } from 'mdast';
import { plainText } from './text';

export interface Shortcode {
  name: string;
  /** `<` for `{{< x >}}` (inner content passed raw), `%` for `{{% x %}}` (inner content is Markdown). */
  delimiter: '<' | '%';
  closing: boolean;
  attrs: Record<string, string>;
  positional: string[];
  raw: string;
  start: number;
  end: number;
}

type Role = 'open' | 'close' | 'standalone';

type Placeholder =
  /** A whole paired span on lines of its own, or a standalone shortcode alone on its line. */
  | { kind: 'block'; shortcode: Shortcode; inner?: string }
  | { kind: 'inline'; shortcode: Shortcode; role: Role };

export interface ShortcodeExtraction {
  source: string;
  placeholders: Placeholder[];
}

export type ParseInner = (markdown: string) => { tree: Root; warnings: string[] };

const OPEN = '\uE000';
const CLOSE = '\uE001';
const TOKEN = /\uE000(\d+)\uE001/g;

/**
 * The tag syntax only: `{{<`/`{{%`, optional `/`, a name, attributes (quoted values may hold `>`;
 * a tag never spans another `{{`, so a stray `{{<` in prose cannot swallow text up to a later tag).
 */
const TAG = /\{\{([<%])\s*(\/)?\s*([A-Za-z][\w.-]*)((?:"(?:[^"\\]|\\.)*"|`[^`]*`|(?!\{\{)[^"`])*?)\s*(\/)?\s*([>%])\}\}/g;
const ATTR = /([A-Za-z_][\w-]*)\s*=\s*("(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+)|("(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+)/g;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Callout-style shortcodes become block quotes, headed by their title or this label. */
const CALLOUTS: Record<string, string | undefined> = {
  note: 'Note',
  warning: 'Warning',
  caution: 'Caution',
  info: 'Info',
  tip: 'Tip',
  important: 'Important',
  alert: undefined,
  callout: undefined,
  admonition: undefined,
};

function unquote(value: string): string {
  if (value.startsWith('"')) return value.slice(1, -1).replace(/\\(.)/g, '$1');
  if (value.startsWith('`')) return value.slice(1, -1);
  return value;
}

function parseAttrs(text: string): Pick<Shortcode, 'attrs' | 'positional'> {
  const attrs: Record<string, string> = {};
  const positional: string[] = [];
  for (const m of text.matchAll(ATTR)) {
    if (m[1]) attrs[m[1].toLowerCase()] = unquote(m[2]);
    else if (m[3] && m[3] !== '/') positional.push(unquote(m[3]));
  }
  return { attrs, positional };
}

/** Offsets covered by fenced code blocks. */
function fencedRanges(source: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let offset = 0;
  let open: { char: string; length: number; start: number } | undefined;
  for (const line of source.split('\n')) {
    const fence = FENCE.exec(line);
    if (!open && fence) open = { char: fence[1][0], length: fence[1].length, start: offset };
    else if (open && fence && fence[1][0] === open.char && fence[1].length >= open.length && line.trim() === fence[1]) {
      ranges.push([open.start, offset + line.length]);
      open = undefined;
    }
    offset += line.length + 1;
  }
  if (open) ranges.push([open.start, source.length]);
  return ranges;
}

export function findShortcodes(source: string): Shortcode[] {
  const fenced = fencedRanges(source);
  const found: Shortcode[] = [];
  for (const m of source.matchAll(TAG)) {
    const start = m.index ?? 0;
    // `{{<` closes with `>}}` and `{{%` with `%}}`; anything else is not a shortcode.
    if ((m[1] === '<') !== (m[6] === '>')) continue;
    if (fenced.some(([from, to]) => start >= from && start < to)) continue;
    found.push({
      name: m[3].toLowerCase(),
      delimiter: m[1] as '<' | '%',
      closing: Boolean(m[2]),
      ...parseAttrs(m[4]),
      raw: m[0],
      start,
      end: start + m[0].length,
    });
  }
  return found;
}

function lineStart(source: string, at: number): number {
  return source.lastIndexOf('\n', at - 1) + 1;
}

function lineEnd(source: string, at: number): number {
  const end = source.indexOf('\n', at);
  return end === -1 ? source.length : end;
}

/** True when the tag is the only thing on its line (indentation allowed). */
function aloneOnLine(source: string, tag: Shortcode): boolean {
  return (
    source.slice(lineStart(source, tag.start), tag.start).trim() === '' &&
    source.slice(tag.end, lineEnd(source, tag.end)).trim() === ''
  );
}

function dedent(text: string, indent: string): string {
  if (!indent) return text;
  return text
    .split('\n')
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
    .join('\n');
}

/** Index of the closing tag that matches the opening tag at `index`, if any (same-name nesting). */
function matchingClose(tags: Shortcode[], index: number): number {
  const { name } = tags[index];
  let depth = 0;
  for (let j = index + 1; j < tags.length; j++) {
    if (tags[j].name !== name) continue;
    if (!tags[j].closing) depth++;
    else if (depth === 0) return j;
    else depth--;
  }
  return -1;
}

/** Swaps every shortcode outside fenced code for a placeholder token. */
export function extractShortcodes(source: string): ShortcodeExtraction {
  const tags = findShortcodes(source);
  const placeholders: Placeholder[] = [];
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const token = (p: Placeholder) => `${OPEN}${placeholders.push(p) - 1}${CLOSE}`;
  const consumed = new Set<number>();

  tags.forEach((tag, i) => {
    if (consumed.has(i)) return;
    if (tag.closing) {
      edits.push({ start: tag.start, end: tag.end, text: token({ kind: 'inline', shortcode: tag, role: 'close' }) });
      return;
    }
    const j = matchingClose(tags, i);
    if (j !== -1 && aloneOnLine(source, tag) && aloneOnLine(source, tags[j])) {
      // A block span: the whole thing becomes one placeholder paragraph; its inner content is
      // parsed separately (it may hold tables, lists, nested shortcodes).
      const from = lineStart(source, tag.start);
      const indent = source.slice(from, tag.start);
      const innerFrom = Math.min(lineEnd(source, tag.end) + 1, tags[j].start);
      const inner = dedent(source.slice(innerFrom, lineStart(source, tags[j].start)), indent);
      edits.push({
        start: from,
        end: lineEnd(source, tags[j].end),
        text: `\n${indent}${token({ kind: 'block', shortcode: tag, inner })}\n`,
      });
      for (let k = i + 1; k <= j; k++) consumed.add(k);
      return;
    }
    if (j !== -1) {
      edits.push({ start: tag.start, end: tag.end, text: token({ kind: 'inline', shortcode: tag, role: 'open' }) });
      return; // the closing tag is handled in its turn
    }
    if (aloneOnLine(source, tag)) {
      const from = lineStart(source, tag.start);
      const indent = source.slice(from, tag.start);
      edits.push({ start: from, end: tag.end, text: `\n${indent}${token({ kind: 'block', shortcode: tag })}\n` });
      return;
    }
    edits.push({ start: tag.start, end: tag.end, text: token({ kind: 'inline', shortcode: tag, role: 'standalone' }) });
  });

  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return { source: out + source.slice(at), placeholders };
}

// --- expansion -------------------------------------------------------------------------------

function text(value: string): PhrasingContent {
  return { type: 'text', value };
}

function figureImage(sc: Shortcode): PhrasingContent | undefined {
  const src = sc.attrs.src ?? sc.positional[0];
  if (!src) return undefined;
  const image: PhrasingContent = {
    type: 'image',
    url: src,
    alt: sc.attrs.alt ?? sc.attrs.caption ?? sc.attrs.title ?? '',
    title: null,
  };
  return sc.attrs.link ? { type: 'link', url: sc.attrs.link, children: [image] } : image;
}

function youtubeLink(sc: Shortcode): PhrasingContent | undefined {
  const id = sc.attrs.id ?? sc.positional[0];
  if (!id) return undefined;
  const url = `https://www.youtube.com/watch?v=${encodeURIComponent(id)}`;
  return { type: 'link', url, children: [text(sc.attrs.title ?? url)] };
}

/** Visible caption under a figure, or above a table, as Hugo renders it. */
function captionParagraph(sc: Shortcode): BlockContent[] {
  const caption = sc.attrs.caption ?? sc.attrs.title;
  return caption ? [{ type: 'paragraph', children: [{ type: 'emphasis', children: [text(caption)] }] }] : [];
}

function calloutLabel(sc: Shortcode): string | undefined {
  return sc.attrs.title ?? CALLOUTS[sc.name];
}

class Expander {
  readonly warnings: string[] = [];

  constructor(
    private readonly placeholders: Placeholder[],
    private readonly parse: ParseInner,
  ) {}

  private removed(sc: Shortcode): void {
    this.warnings.push(`Hugo shortcode "${sc.raw.replace(/\s+/g, ' ')}" has no Markdown equivalent and was removed.`);
  }

  /** What a standalone or delimiter shortcode becomes in running text. */
  private inline(p: Placeholder): PhrasingContent[] {
    const sc = p.shortcode;
    const role: Role = p.kind === 'inline' ? p.role : 'standalone';
    if (role === 'close') return [];
    if (role === 'open') {
      const label = sc.name in CALLOUTS ? calloutLabel(sc) : undefined;
      return label ? [{ type: 'strong', children: [text(`${label}:`)] }, text(' ')] : [];
    }
    if (sc.name === 'figure') {
      const image = figureImage(sc);
      if (image) return [image];
    }
    if (sc.name === 'youtube') {
      const link = youtubeLink(sc);
      if (link) return [link];
    }
    if (sc.name === 'ref' || sc.name === 'relref') return [text(sc.positional[0] ?? sc.attrs.path ?? '')];
    if (sc.attrs.text) return [text(sc.attrs.text)];
    this.removed(sc);
    return [];
  }

  /** What a shortcode that had lines of its own becomes: flow content. */
  private block(p: Extract<Placeholder, { kind: 'block' }>): RootContent[] {
    const sc = p.shortcode;
    if (p.inner === undefined) {
      const inline = this.inline(p);
      if (inline.length === 0) return [];
      return [{ type: 'paragraph', children: inline }, ...(sc.name === 'figure' ? captionParagraph(sc) : [])];
    }
    const inner = p.inner.replace(/\n+$/, '');
    if (sc.name === 'mermaid' || sc.name === 'highlight') {
      // Diagram source and highlighted code stay code: re-flowed as prose they would be unreadable.
      const lang = sc.name === 'mermaid' ? 'mermaid' : (sc.attrs.lang ?? sc.positional[0] ?? null);
      const code: Code = { type: 'code', lang, meta: null, value: inner };
      return [code];
    }
    const parsed = this.parse(inner);
    this.warnings.push(...parsed.warnings);
    const children = parsed.tree.children;
    if (sc.name in CALLOUTS) {
      const label = calloutLabel(sc);
      const body = [...children] as BlockContent[];
      if (label) {
        const strong: PhrasingContent = { type: 'strong', children: [text(`${label}:`)] };
        const first = body[0];
        if (first?.type === 'paragraph') first.children.unshift(strong, text(' '));
        else body.unshift({ type: 'paragraph', children: [strong] });
      }
      return [{ type: 'blockquote', children: body }];
    }
    // Any other paired shortcode (`table`, `tabs`, …): drop the wrapper, keep what it wraps.
    return [...captionParagraph(sc), ...children];
  }

  private lookup(index: string): Placeholder | undefined {
    return this.placeholders[Number(index)];
  }

  /** Splits a text value on placeholder tokens. */
  private splitText(value: string): PhrasingContent[] {
    const out: PhrasingContent[] = [];
    let at = 0;
    for (const m of value.matchAll(TOKEN)) {
      const start = m.index ?? 0;
      if (start > at) out.push(text(value.slice(at, start)));
      const p = this.lookup(m[1]);
      if (p) out.push(...(p.kind === 'block' ? this.blockAsInline(p) : this.inline(p)));
      at = start + m[0].length;
    }
    if (at < value.length) out.push(text(value.slice(at)));
    return out;
  }

  /** A block placeholder that ended up inside running text (rare): keep its words. */
  private blockAsInline(p: Extract<Placeholder, { kind: 'block' }>): PhrasingContent[] {
    const nodes = this.block(p);
    const phrasing = nodes.flatMap((n) => (n.type === 'paragraph' ? n.children : [text(plainText(n as Nodes))]));
    return phrasing;
  }

  /** Where a placeholder sits inside code or a URL, put the original text (or the ref's path) back. */
  restore(value: string, inUrl = false): string {
    return value.replace(TOKEN, (whole, index: string) => {
      const p = this.lookup(index);
      if (!p) return whole;
      const sc = p.shortcode;
      if (inUrl && (sc.name === 'ref' || sc.name === 'relref')) return sc.positional[0] ?? sc.attrs.path ?? '';
      return sc.raw;
    });
  }

  walk(parent: Parent): void {
    const next: Nodes[] = [];
    for (const child of parent.children as Nodes[]) {
      if (child.type === 'paragraph' && child.children.length === 1 && child.children[0].type === 'text') {
        const m = /^\s*\uE000(\d+)\uE001\s*$/.exec(child.children[0].value);
        const p = m ? this.lookup(m[1]) : undefined;
        if (p && p.kind === 'block') {
          next.push(...this.block(p));
          continue;
        }
      }
      if (child.type === 'text' && child.value.includes(OPEN)) {
        next.push(...this.splitText(child.value));
        continue;
      }
      if (child.type === 'code' || child.type === 'inlineCode' || child.type === 'html') child.value = this.restore(child.value);
      if (child.type === 'link' || child.type === 'image' || child.type === 'definition') {
        child.url = this.restore(child.url, true);
        if (child.title) child.title = this.restore(child.title);
      }
      if (child.type === 'image' || child.type === 'imageReference') child.alt = child.alt ? this.restore(child.alt) : child.alt;
      if ('children' in child) this.walk(child);
      next.push(child);
    }
    parent.children = next as Parent['children'];
  }
}

/** Replaces the placeholders left by `extractShortcodes` in a parsed tree, in place. */
export function expandShortcodes(tree: Root, placeholders: Placeholder[], parse: ParseInner): string[] {
  if (placeholders.length === 0) return [];
  const expander = new Expander(placeholders, parse);
  expander.walk(tree);
  return expander.warnings;
}
