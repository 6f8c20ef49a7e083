import { blocksToMdast, printMarkdown } from '../../../server/src/content';

const t = (text: string, marks: Record<string, boolean> = {}) => ({ type: 'text', text, ...marks });
const p = (...children: unknown[]) => ({ type: 'paragraph', children });

function md(blocks: unknown[]): string {
  return printMarkdown(blocksToMdast(blocks).tree);
}

describe('blocksToMdast', () => {
  it('renders paragraphs and every heading level', () => {
    const blocks = [1, 2, 3, 4, 5, 6].map((level) => ({ type: 'heading', level, children: [t(`Level ${level}`)] }));
    expect(md([p(t('Intro')), ...blocks])).toBe(
      'Intro\n\n# Level 1\n\n## Level 2\n\n### Level 3\n\n#### Level 4\n\n##### Level 5\n\n###### Level 6\n',
    );
  });

  it('clamps out-of-range heading levels', () => {
    expect(md([{ type: 'heading', level: 9, children: [t('Deep')] }])).toBe('###### Deep\n');
  });

  it.each([
    [{ bold: true }, '**x**'],
    [{ italic: true }, '*x*'],
    [{ strikethrough: true }, '~~x~~'],
    [{ code: true }, '`x`'],
    [{ underline: true }, 'x'],
    // The printer switches to `_` inside `**` so that the two markers cannot run together.
    [{ bold: true, italic: true }, '**_x_**'],
    [{ bold: true, strikethrough: true }, '**~~x~~**'],
    [{ italic: true, strikethrough: true }, '*~~x~~*'],
    [{ bold: true, italic: true, strikethrough: true }, '**_~~x~~_**'],
    [{ bold: true, code: true }, '**`x`**'],
    [{ italic: true, code: true }, '*`x`*'],
    [{ strikethrough: true, code: true }, '~~`x`~~'],
    [{ bold: true, italic: true, strikethrough: true, underline: true, code: true }, '**_~~`x`~~_**'],
  ])('marks %j → %s', (marks, expected) => {
    expect(md([p(t('x', marks))])).toBe(`${expected}\n`);
  });

  it('warns once about underline, which Markdown cannot express', () => {
    const { warnings } = blocksToMdast([p(t('a', { underline: true }), t('b', { underline: true }))]);
    expect(warnings).toEqual(['Underlined text has no Markdown equivalent: it is published without underline.']);
  });

  it('groups adjacent leaves under one mark and nests the inner marks', () => {
    expect(md([p(t('a', { bold: true }), t('b', { bold: true, italic: true }), t('c', { bold: true }), t(' plain'))])).toBe(
      '**a*b*c** plain\n',
    );
  });

  it('moves whitespace at the edges of a marked run outside the markers', () => {
    expect(md([p(t('Hello '), t(' bold ', { bold: true }), t('world'))])).toBe('Hello  **bold** world\n');
  });

  it('escapes Markdown syntax typed as text', () => {
    const out = md([p(t('# not a heading *nor emphasis* [nor](link)'))]);
    expect(out).toBe('\\# not a heading \\*nor emphasis\\* \\[nor]\\(link)\n');
  });

  it('turns soft returns into hard breaks', () => {
    expect(md([p(t('line one\nline two'))])).toBe('line one\\\nline two\n');
  });

  it('renders links with marked text', () => {
    const link = { type: 'link', url: 'https://strapi.io', children: [t('Strapi', { bold: true })] };
    expect(md([p(t('See '), link, t('.'))])).toBe('See [**Strapi**](https://strapi.io).\n');
  });

  it('renders unordered and ordered lists', () => {
    const list = (format: string) => ({
      type: 'list',
      format,
      children: [
        { type: 'list-item', children: [t('one')] },
        { type: 'list-item', children: [t('two', { italic: true })] },
      ],
    });
    expect(md([list('unordered')])).toBe('- one\n- *two*\n');
    expect(md([list('ordered')])).toBe('1. one\n2. *two*\n');
  });

  it('nests lists given as children of a list item', () => {
    const nested = { type: 'list', format: 'ordered', children: [{ type: 'list-item', children: [t('inner')] }] };
    const blocks = [
      { type: 'list', format: 'unordered', children: [{ type: 'list-item', children: [t('outer'), nested] }, { type: 'list-item', children: [t('next')] }] },
    ];
    expect(md(blocks)).toBe('- outer\n  1. inner\n- next\n');
  });

  it('nests lists stored as siblings of the items (Strapi editor indentation)', () => {
    const blocks = [
      {
        type: 'list',
        format: 'unordered',
        children: [
          { type: 'list-item', children: [t('a')] },
          {
            type: 'list',
            format: 'unordered',
            indentLevel: 1,
            children: [
              { type: 'list-item', children: [t('a.1')] },
              { type: 'list', format: 'unordered', indentLevel: 2, children: [{ type: 'list-item', children: [t('a.1.i')] }] },
            ],
          },
          { type: 'list-item', children: [t('b')] },
        ],
      },
    ];
    expect(md(blocks)).toBe('- a\n  - a.1\n    - a.1.i\n- b\n');
  });

  it('renders quotes', () => {
    expect(md([{ type: 'quote', children: [t('Quoted '), t('words', { italic: true })] }])).toBe('> Quoted *words*\n');
  });

  it('keeps a code block and its language', () => {
    const code = { type: 'code', language: 'typescript', children: [t('const a = 1;\n// *not* markdown\n')] };
    expect(md([code])).toBe('```typescript\nconst a = 1;\n// *not* markdown\n\n```\n');
    expect(md([{ type: 'code', children: [t('plain')] }])).toBe('```\nplain\n```\n');
  });

  it('uses a longer fence when the code contains one', () => {
    expect(md([{ type: 'code', language: 'md', children: [t('```js\nx\n```')] }])).toBe('````md\n```js\nx\n```\n````\n');
  });

  it('renders images with alt text and a visible caption', () => {
    const image = {
      type: 'image',
      image: { url: '/uploads/cat.png', alternativeText: 'A cat', caption: 'Our cat', width: 10, height: 10 },
      children: [t('')],
    };
    expect(md([image])).toBe('![A cat](/uploads/cat.png)\n\n*Our cat*\n');
  });

  it('falls back to the caption for alt text, and skips images without a file', () => {
    expect(md([{ type: 'image', image: { url: '/uploads/a.png', caption: 'Caption' } }])).toBe(
      '![Caption](/uploads/a.png)\n\n*Caption*\n',
    );
    const { tree, warnings } = blocksToMdast([{ type: 'image', image: {} }]);
    expect(tree.children).toHaveLength(0);
    expect(warnings).toEqual(['An image block without a file was left out.']);
  });

  it('drops empty paragraphs (the editor leaves them behind)', () => {
    expect(md([p(t('')), p(t('text')), p(t('  '))])).toBe('text\n');
  });

  it('keeps the text of unknown blocks and inline nodes, with a warning, and never throws', () => {
    const { tree, warnings } = blocksToMdast([
      { type: 'callout', children: [t('Remember this')] },
      p(t('a '), { type: 'mention', user: 1 }, { type: 'emoji', children: [t('🙂')] }),
      { type: 'divider' },
      'not a node',
    ]);
    expect(printMarkdown(tree)).toBe('Remember this\n\na 🙂\n');
    expect(warnings).toEqual([
      'Unsupported block type "callout" in the body: its text was kept.',
      'Unsupported inline node type "mention" in the body: it was left out.',
      'Unsupported inline node type "emoji" in the body: its text was kept.',
      'Unsupported block type "divider" in the body: it was left out.',
      'A malformed block (not an object) was left out.',
    ]);
  });

  it('reports a body that is not an array', () => {
    expect(blocksToMdast({ type: 'paragraph' }).warnings[0]).toMatch(/not a Blocks value/);
  });
});
