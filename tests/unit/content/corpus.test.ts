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
/** The canonical template's origin: relative links to pages point at the site, media at the CMS. */
const SITE_URL = 'https://kubernetes.io';

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
function absolute(url: string, base = PUBLIC_URL): string {
  if (url === '' || url.startsWith('#') || /^[a-z][a-z\d+.-]*:/i.test(url)) return url;
  if (url.startsWith('//')) return `https:${url}`;
  return new URL(url.replace(/^\/+/, ''), `${base}/`).href;
}

/** Links to pages resolve on the site; links into uploads are media on the CMS. */
const absoluteLink = (url: string) => absolute(url, /^\/?uploads\//i.test(url) ? PUBLIC_URL : SITE_URL);

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
  c.links = c.links.map(absoluteLink);
  c.images = c.images.map((u) => absolute(u));
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
        // The Hugo front matter is the source site's metadata (a Strapi entry keeps it in fields): the body
        // starts after it. A body that itself opens with `---` is content (see the hostile fixtures).
        { title, body, slug: '' },
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

    it('builds an article with nothing relative left', () => {
      expect(article.title).toBe(title);
      expect(article.markdown.startsWith('---')).toBe(false);
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

/**
 * Hostile fixtures (issue 13): entries a new user's Strapi app will produce, through buildArticle and each
 * connector's render, asserting per platform what arrives (or what blocks, with which words).
 */
describe('hostile fixtures', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { createDevtoConnector } = require('../../../server/src/platforms/devto') as typeof import('../../../server/src/platforms/devto');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { createHashnodeConnector } = require('../../../server/src/platforms/hashnode') as typeof import('../../../server/src/platforms/hashnode');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { createMediumConnector } = require('../../../server/src/platforms/medium') as typeof import('../../../server/src/platforms/medium');
  const http = { timeoutMs: 1000 };
  const devto = createDevtoConnector({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', published: true }, http);
  const hashnode = createHashnodeConnector({ token: 't', publicationId: '65f0c0ffee0000000000abcd', baseUrl: 'http://127.0.0.1:9', mode: 'publish' }, http);
  const medium = createMediumConnector(
    { token: 't', baseUrl: 'http://127.0.0.1:9', publishStatus: 'public', license: 'all-rights-reserved', notifyFollowers: false },
    http,
  );
  const CMS = 'https://cms.example.com';

  function build(entry: Record<string, unknown>): Article {
    return buildArticle(
      { slug: 'post', ...entry },
      {
        mapping: { title: 'title', body: 'body', slug: 'slug', cover: 'cover', tags: { field: 'tags', format: 'json', nameField: 'name', separator: ',' } },
        attributes: { title: { type: 'string' }, body: { type: 'richtext' }, slug: { type: 'uid' }, cover: { type: 'media' }, tags: { type: 'json' } },
        publicUrl: CMS,
        canonicalUrlTemplate: 'https://blog.example.com/posts/{slug}',
      },
    );
  }
  const all = (a: Article) => ({ devto: devto.render(a, {}), hashnode: hashnode.render(a, {}), medium: medium.render(a, {}) });

  it('non-Latin tags: DEV and Hashnode get only what they surely accept, with warnings naming the rest; Medium keeps them', () => {
    const r = all(build({ title: 'Tags', body: 'Text.', tags: ['日本語', 'Программирование', 'Café', 'C#', 'C++'] }));
    expect(r.devto.payload.article.tags).toEqual(['cafe', 'c']);
    expect(r.devto.warnings.join('\n')).toMatch(/"日本語" has letters DEV may refuse[\s\S]*"Программирование" has letters DEV may refuse/);
    expect(r.devto.warnings).toContain('DEV: tags "C#", "C++" all become "c", so they count as one tag.');
    expect(r.hashnode.payload.post.tags).toEqual([
      { slug: 'cafe', name: 'Café' },
      { slug: 'c', name: 'C#' },
    ]);
    expect(r.hashnode.warnings.join('\n')).toMatch(/"日本語" has no Latin letters or digits/);
    expect(r.medium.payload.tags).toEqual(['日本語', 'Программирование', 'Café']);
    for (const x of Object.values(r)) expect(x.blocking).toEqual([]);
  });

  it('an emoji title counts in characters everywhere: 70 emoji pass DEV (≤128) and Medium is warned only above 100', () => {
    const r = all(build({ title: '🚀'.repeat(70), body: 'Text.' }));
    expect(r.devto.blocking).toEqual([]);
    expect(r.devto.payload.article.title).toBe('🚀'.repeat(70));
    expect(r.hashnode.payload.post.title).toBe('🚀'.repeat(70));
    expect(r.medium.payload.title).toBe('🚀'.repeat(70));
    expect(r.medium.warnings.filter((w) => w.includes('longer than 100'))).toEqual([]);
  });

  it('a cover with spaces arrives percent-encoded on DEV and Hashnode; a cover with another scheme is left out', () => {
    const spaced = all(build({ title: 'Cover', body: 'Text.', cover: { url: '/uploads/my cover image.png' } }));
    expect(spaced.devto.payload.article.main_image).toBe(`${CMS}/uploads/my%20cover%20image.png`);
    expect(spaced.hashnode.payload.post.coverImage).toBe(`${CMS}/uploads/my%20cover%20image.png`);
    const absolute = all(build({ title: 'Cover', body: 'Text.', cover: { url: 'https://cdn.example.com/a b.png' } }));
    expect(absolute.devto.payload.article.main_image).toBe('https://cdn.example.com/a%20b.png');
    const ftp = build({ title: 'Cover', body: 'Text.', cover: { url: 'ftp://files.example.com/c.png' } });
    expect(ftp.coverUrl).toBeUndefined();
    expect(ftp.warnings).toContain('Cover image "ftp://files.example.com/c.png" was left out: the platforms only take http(s) image addresses.');
  });

  it('a body that is only an image: sent everywhere, not blocked as empty', () => {
    const r = all(build({ title: 'Picture', body: '![A cat](/uploads/cat.png)' }));
    expect(r.devto.payload.article.body_markdown).toBe(`![A cat](${CMS}/uploads/cat.png)\n`);
    expect(r.hashnode.payload.post.contentMarkdown).toBe(`![A cat](${CMS}/uploads/cat.png)\n`);
    expect(r.medium.payload.content).toBe(`# Picture\n\n![A cat](${CMS}/uploads/cat.png)\n`);
    for (const x of Object.values(r)) expect(x.blocking).toEqual([]);
  });

  it('an empty body blocks on all three, with a message naming the platform', () => {
    const r = all(build({ title: 'Nothing', body: '' }));
    expect(r.devto.blocking.join(' ')).toMatch(/^DEV needs a body/);
    expect(r.hashnode.blocking.join(' ')).toMatch(/^Hashnode needs a body/);
    expect(r.medium.blocking.join(' ')).toMatch(/^Medium needs a body/);
  });

  it('a body opening with ---: the lines are kept as content on every platform, and DEV cannot read them as front matter', () => {
    const r = all(build({ title: 'Rule', body: '---\ntitle: Not metadata\n---\n\nText.' }));
    for (const body of [r.devto.payload.article.body_markdown, r.hashnode.payload.post.contentMarkdown, r.medium.payload.content]) {
      expect(body).toContain('title: Not metadata');
      expect(body).toContain('Text.');
    }
    expect(r.devto.payload.article.body_markdown.startsWith('---')).toBe(false);
    expect(r.devto.payload.article.body_markdown).toBe('***\n\n## title: Not metadata\n\nText.\n');
    expect(r.devto.warnings).toEqual([]);
  });

  it('links to sibling posts point at the site (canonical origin); links to uploads and images stay on the CMS', () => {
    const r = all(build({ title: 'Links', body: 'See [the other post](/posts/other), [the PDF](/uploads/guide.pdf) and ![x](/uploads/x.png).' }));
    const expected = `See [the other post](https://blog.example.com/posts/other), [the PDF](${CMS}/uploads/guide.pdf) and ![x](${CMS}/uploads/x.png).\n`;
    expect(r.devto.payload.article.body_markdown).toBe(expected);
    expect(r.hashnode.payload.post.contentMarkdown).toBe(expected);
    expect(r.medium.payload.content).toBe(`# Links\n\n${expected}`);
  });
});
