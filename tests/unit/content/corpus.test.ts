/**
 * Corpus fidelity: 24 real Hugo-flavoured blog posts from kubernetes.io (CC BY 4.0, see
 * tests/fixtures/corpus/SOURCES.md) go through buildArticle and each platform's Markdown, and
 * what a reader sees must survive. Expected figures are computed from each source's own mdast
 * (plain GFM parse of the file), plus what its raw HTML and shortcodes stand for, never hard-coded.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Element, Nodes as HastNodes } from 'hast';
import type { Nodes, Root } from 'mdast';
import { fromHtml } from 'hast-util-from-html';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { visit } from 'unist-util-visit';
import { buildArticle, markdownForPlatform, type Article } from '../../../server/src/content';

const CORPUS = join(__dirname, '../../fixtures/corpus/k8s-blog');
const PUBLIC_URL = 'https://k8s-mirror.example';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : [];
    })
    .sort();
}

const parse = (markdown: string): Root =>
  fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
/** Cell text compared without separators, since cell lists are flattened with "; ". */
const cellKey = (s: string) => s.replace(/[\s;]+/g, ' ').trim();

function text(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') return node.value;
  if (node.type === 'image') return node.alt ?? '';
  if (node.type === 'break') return ' ';
  return 'children' in node ? (node.children as Nodes[]).map(text).join('') : '';
}

const HTML_BLOCKS = new Set(['li', 'p', 'div', 'br', 'ul', 'ol', 'tr', 'td', 'th']);

/** Text of an HTML element; block elements (list items in cells) are separate words. */
function hastText(node: HastNodes): string {
  if (node.type === 'text') return node.value;
  const inner = 'children' in node ? (node.children as HastNodes[]).map(hastText).join('') : '';
  return node.type === 'element' && HTML_BLOCKS.has(node.tagName) ? ` ${inner} ` : inner;
}

/** The same resolution rule, stated independently: what a reader's browser would load. */
function absolute(url: string): string {
  if (url === '' || url.startsWith('#') || /^[a-z][a-z\d+.-]*:/i.test(url)) return url;
  if (url.startsWith('//')) return `https:${url}`;
  return new URL(url.replace(/^\/+/, ''), `${PUBLIC_URL}/`).href;
}

interface Counts {
  headings: string[];
  code: Array<{ lang: string; value: string }>;
  links: string[];
  images: string[];
  lists: number;
  emphasis: string[];
  strong: string[];
  deletes: number;
  tables: string[][];
  html: number;
}

function emptyCounts(): Counts {
  return { headings: [], code: [], links: [], images: [], lists: 0, emphasis: [], strong: [], deletes: 0, tables: [], html: 0 };
}

/** Counts in an mdast tree (references resolved through their definitions). */
function countMdast(tree: Root): Counts {
  const c = emptyCounts();
  const defs = new Map<string, string>();
  visit(tree, 'definition', (d) => void defs.set(d.identifier, d.url));
  visit(tree, (node) => {
    switch (node.type) {
      case 'heading':
        c.headings.push(squash(text(node)));
        break;
      case 'code':
        c.code.push({ lang: node.lang ?? '', value: node.value });
        break;
      case 'link':
        c.links.push(node.url);
        break;
      case 'linkReference':
        if (defs.has(node.identifier)) c.links.push(defs.get(node.identifier) as string);
        break;
      case 'image':
        c.images.push(node.url);
        break;
      case 'imageReference':
        if (defs.has(node.identifier)) c.images.push(defs.get(node.identifier) as string);
        break;
      case 'list':
        c.lists++;
        break;
      case 'emphasis':
        c.emphasis.push(squash(text(node)));
        break;
      case 'strong':
        c.strong.push(squash(text(node)));
        break;
      case 'delete':
        c.deletes++;
        break;
      case 'table':
        c.tables.push(node.children.flatMap((row) => row.children.map((cell) => cellKey(text(cell)))));
        break;
      case 'html':
        c.html++;
        break;
    }
  });
  return c;
}

const SHORTCODE_ATTR = (raw: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(raw)?.[1];

/**
 * What the source means: its mdast, with Hugo `{#id}` anchors removed from headings, plus the
 * images / links / tables / lists / emphasis its raw HTML and shortcodes stand for.
 */
function expectedFromSource(body: string): Counts {
  const tree = parse(body);
  const c = countMdast(tree);
  c.headings = c.headings.map((h) => h.replace(/\s*\{#[^}]*\}$/, ''));
  // A closing `{{< /table >}}` right under a pipe table parses as one more row of it.
  c.tables = c.tables.map((cells) => cells.filter((cell) => !/^\{\{[<%].*[>%]\}\}$/.test(cell)));
  c.html = 0;
  visit(tree, (node) => {
    if (node.type === 'text') {
      for (const m of node.value.matchAll(/\{\{<\s*figure\b([^]*?)>\}\}/g)) {
        c.images.push(SHORTCODE_ATTR(m[1], 'src') as string);
        const link = SHORTCODE_ATTR(m[1], 'link');
        if (link) c.links.push(link);
      }
      for (const _ of node.value.matchAll(/\{\{<\s*mermaid\s*>\}\}/g)) c.code.push({ lang: 'mermaid', value: '' });
    }
    if (node.type !== 'html') return;
    const hast = fromHtml(node.value, { fragment: true });
    visit(hast, 'element', (el: Element, _i, parent) => {
      const inTable = (p: unknown): boolean => Boolean(p) && ['td', 'th', 'table'].includes((p as Element).tagName);
      if (el.tagName === 'img') c.images.push(String(el.properties.src ?? ''));
      if (el.tagName === 'a') c.links.push(String(el.properties.href ?? ''));
      if (el.tagName === 'del' || el.tagName === 's') c.deletes++;
      if ((el.tagName === 'ul' || el.tagName === 'ol') && !inTable(parent)) c.lists++;
      if (el.tagName === 'table') {
        const cells: string[] = [];
        visit(el, 'element', (cell: Element) => {
          if (cell.tagName === 'td' || cell.tagName === 'th') cells.push(cellKey(hastText(cell)));
        });
        c.tables.push(cells);
        // The caption becomes an emphasised line above the table.
        visit(el, 'element', (cap: Element) => void (cap.tagName === 'caption' && c.emphasis.push(squash(hastText(cap)))));
      }
    });
    // A lone `<del>` opening tag inside a paragraph parses to an empty element: one delete per opening tag.
  });
  c.links = c.links.map(absolute);
  c.images = c.images.map(absolute);
  return c;
}

function frontMatter(source: string): { title: string; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*\r?\n/.exec(source);
  const title = m ? /^title:\s*["']?(.*?)["']?\s*$/m.exec(m[1])?.[1] : undefined;
  return { title: title ?? 'Untitled', body: m ? source.slice(m[0].length) : source };
}

/** Multiset inclusion: every item of `part` is in `whole`, as many times. */
function missingFrom(whole: string[], part: string[]): string[] {
  const pool = [...whole];
  return part.filter((item) => {
    const at = pool.indexOf(item);
    if (at === -1) return true;
    pool.splice(at, 1);
    return false;
  });
}

const sorted = (a: string[]) => [...a].sort();
const files = markdownFiles(CORPUS);
const rows: string[] = [];

afterAll(() => {
  const header = '| article | headings | code (langs) | links | images | lists | em/strong/del | tables | warnings | DEV bytes | Medium lists |';
  const rule = '| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |';
  // eslint-disable-next-line no-console
  console.log(`Corpus fidelity (${files.length} articles)\n${[header, rule, ...rows].join('\n')}`);
});

describe('corpus fidelity (k8s-blog)', () => {
  it('has the whole corpus with its attribution', () => {
    expect(files).toHaveLength(24);
    const sources = readFileSync(join(CORPUS, '../SOURCES.md'), 'utf8');
    expect(sources).toContain('CC BY 4.0');
    for (const file of files) expect(sources).toContain(`k8s-blog/${relative(CORPUS, file)}`);
  });

  describe.each(files.map((f) => [relative(CORPUS, f), f]))('%s', (name, file) => {
    const source = readFileSync(file, 'utf8');
    const { title, body } = frontMatter(source);
    const expected = expectedFromSource(body.replace(/\r\n?/g, '\n'));
    let article: Article;

    beforeAll(() => {
      article = buildArticle(
        { title, body: source, slug: '' },
        {
          mapping: { title: 'title', body: 'body', slug: 'slug' },
          attributes: { title: { type: 'string' }, body: { type: 'richtext' }, slug: { type: 'uid' } },
          publicUrl: PUBLIC_URL,
          canonicalUrlTemplate: 'https://kubernetes.io/blog/{slug}/',
        },
      );
    });

    const platforms = [
      ['DEV', { tables: 'keep' as const }],
      ['Hashnode', { tables: 'keep' as const }],
      ['Medium', { tables: 'degrade' as const, medium: true }],
    ] as const;

    it('builds an article with front matter removed and nothing relative left', () => {
      expect(article.title).toBe(title);
      expect(article.markdown.startsWith('---')).toBe(false);
      expect(article.warnings).toContain('Removed the front matter block at the top of the body (metadata of the source site).');
      expect(article.warnings.filter((w) => w.startsWith('Relative'))).toEqual([]);
      expect(article.canonicalUrl).toMatch(/^https:\/\/kubernetes\.io\/blog\/[\p{L}\p{N}-]+\/$/u);
    });

    it.each(platforms)('survives on %s', (platform, opts) => {
      const isMedium = 'medium' in opts;
      const { value } = markdownForPlatform(article.markdown, {
        tables: opts.tables,
        titleHeading: isMedium ? article.title : undefined,
      });
      const out = countMdast(parse(value));

      // Headings: same count, same text (Medium: the title first).
      const headings = isMedium && expected.headings[0] !== title ? [squash(title), ...expected.headings] : expected.headings;
      expect(out.headings).toEqual(headings);

      // Fenced code: every block with its language and exact content; mermaid diagrams stay code.
      expect(sorted(out.code.map((c) => c.lang))).toEqual(sorted(expected.code.map((c) => c.lang)));
      for (const code of expected.code.filter((c) => c.value !== '')) {
        expect(out.code.map((c) => c.value)).toContain(code.value);
      }

      // Links and images: same count and targets, all absolute.
      expect(sorted(out.links)).toEqual(sorted(expected.links));
      expect(sorted(out.images)).toEqual(sorted(expected.images));
      for (const url of out.images) expect(url).toMatch(/^https?:\/\//);

      // Emphasis: every emphasised run of the source is still emphasised (labels and captions may add more).
      expect(missingFrom(out.emphasis, expected.emphasis)).toEqual([]);
      expect(missingFrom(out.strong, expected.strong)).toEqual([]);
      expect(out.deletes).toBe(expected.deletes);

      // Tables stay tables where they render; on Medium they become lists whose text is all there.
      if (isMedium) {
        expect(out.tables).toEqual([]);
        expect(out.lists).toBeGreaterThanOrEqual(expected.lists + expected.tables.length);
        const words = cellKey(text(parse(value)));
        for (const cell of expected.tables.flat()) expect(words).toContain(cell);
      } else {
        expect(out.lists).toBe(expected.lists);
        expect(out.tables).toEqual(expected.tables);
      }

      // Nothing of the source site's syntax leaks: no shortcodes, no raw HTML.
      expect(value).not.toMatch(/\{\{[<%]/);
      expect(out.html).toBe(0);
      expect(value.startsWith('---')).toBe(false);

      if (platform === 'DEV') {
        const langs = [...new Set(out.code.map((c) => c.lang || '(none)'))].join(' ');
        rows.push(
          `| ${name} | ${out.headings.length} | ${out.code.length}${langs ? ` (${langs})` : ''} | ${out.links.length} | ${out.images.length} | ${out.lists} | ${out.emphasis.length}/${out.strong.length}/${out.deletes} | ${out.tables.length} | ${article.warnings.length} | ${Buffer.byteLength(value)} | |`,
        );
      }
      if (isMedium) {
        const row = rows.findIndex((r) => r.startsWith(`| ${name} |`));
        if (row !== -1) rows[row] = rows[row].replace(/\| \|$/, `| ${out.lists} |`);
      }
    });
  });
});
