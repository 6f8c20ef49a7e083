import { ArticleError, buildArticle, resolveBodyFormat, type BuildArticleOptions } from '../../../server/src/content';

const attributes: BuildArticleOptions['attributes'] = {
  title: { type: 'string' },
  slug: { type: 'uid' },
  summary: { type: 'text' },
  content: { type: 'blocks' },
  markdown: { type: 'richtext' },
  html: { type: 'text' },
  tags: { type: 'relation' },
  cover: { type: 'media' },
};

const blocks = [
  { type: 'heading', level: 2, children: [{ type: 'text', text: 'Intro' }] },
  { type: 'paragraph', children: [{ type: 'text', text: 'Hello ' }, { type: 'text', text: 'world', bold: true }] },
  { type: 'image', image: { url: '/uploads/pic.png', alternativeText: 'Pic' } },
  { type: 'paragraph', children: [{ type: 'link', url: '/about', children: [{ type: 'text', text: 'About' }] }] },
];

const entry = {
  documentId: 'doc-1',
  locale: 'en',
  title: '  Shipping a Strapi plugin ',
  slug: 'shipping-strapi',
  summary: 'How we ship.',
  content: blocks,
  tags: [{ name: 'Strapi' }, { name: 'TypeScript' }, { name: 'strapi' }],
  cover: { url: '/uploads/cover.jpg' },
};

const options: BuildArticleOptions = {
  mapping: {
    title: 'title',
    body: 'content',
    description: 'summary',
    slug: 'slug',
    cover: 'cover',
    tags: { field: 'tags', format: 'auto', nameField: 'name', separator: ',' },
  },
  attributes,
  publicUrl: 'https://blog.example',
  canonicalUrlTemplate: 'https://blog.example/{locale}/posts/{slug}',
};

describe('buildArticle', () => {
  it('builds a complete article from a Blocks entry', () => {
    expect(buildArticle(entry, options)).toEqual({
      title: 'Shipping a Strapi plugin',
      description: 'How we ship.',
      markdown: '## Intro\n\nHello **world**\n\n![Pic](https://blog.example/uploads/pic.png)\n\n[About](https://blog.example/about)\n',
      tags: ['Strapi', 'TypeScript'],
      coverUrl: 'https://blog.example/uploads/cover.jpg',
      canonicalUrl: 'https://blog.example/en/posts/shipping-strapi',
      slug: 'shipping-strapi',
      warnings: [],
    });
  });

  it('reads a Markdown (richtext) body, cleaning shortcodes; a leading --- block is content (issue 13 #15)', () => {
    const article = buildArticle(
      { title: 'Post', markdown: '---\ntitle: old\n---\n\n![a](/uploads/a.png)\n\n{{< note >}}\nHi\n{{< /note >}}\n' },
      { mapping: { title: 'title', body: 'markdown' }, attributes, publicUrl: 'https://blog.example' },
    );
    expect(article.markdown).toBe('***\n\n## title: old\n\n![a](https://blog.example/uploads/a.png)\n\n> **Note:** Hi\n');
    expect(article.slug).toBe('post');
    expect(article.warnings).toEqual([]);
  });

  it('reads a declared HTML body', () => {
    const article = buildArticle(
      { title: 'Post', html: '<h2>Hi</h2><p>See <a href="/x">x</a></p>' },
      { mapping: { title: 'title', body: 'html', bodyFormat: 'html' }, attributes, publicUrl: 'https://blog.example' },
    );
    expect(article.markdown).toBe('## Hi\n\nSee [x](https://blog.example/x)\n');
  });

  it('treats an array body as Blocks whatever the mapping says', () => {
    expect(resolveBodyFormat({ title: 't', body: 'b', bodyFormat: 'markdown' }, { type: 'richtext' }, [])).toBe('blocks');
    expect(resolveBodyFormat({ title: 't', body: 'b' }, { type: 'blocks' }, undefined)).toBe('blocks');
    expect(resolveBodyFormat({ title: 't', body: 'b' }, { type: 'richtext' }, 'x')).toBe('markdown');
    expect(resolveBodyFormat({ title: 't', body: 'b' }, { type: 'string' }, 'x')).toBe('markdown');
    expect(resolveBodyFormat({ title: 't', body: 'b', bodyFormat: 'html' }, { type: 'text' }, 'x')).toBe('html');
  });

  it('accepts Blocks serialised as a JSON string', () => {
    const article = buildArticle({ title: 'Post', content: JSON.stringify(blocks.slice(0, 2)) }, { ...options, publicUrl: undefined });
    expect(article.markdown).toBe('## Intro\n\nHello **world**\n');
  });

  it('throws a clear ArticleError without a title', () => {
    expect(() => buildArticle({ ...entry, title: ' ' }, options)).toThrow(new ArticleError('Entry has no title: field "title" is empty'));
  });

  it('collects warnings instead of failing: no public URL, empty body, unknown blocks', () => {
    const article = buildArticle(
      { title: 'Post', content: [{ type: 'mystery', children: [{ type: 'text', text: 'kept' }] }, ...blocks.slice(2)], cover: { url: '/uploads/c.png' } },
      { ...options, publicUrl: undefined, canonicalUrlTemplate: '/posts/{slug}' },
    );
    expect(article.markdown).toBe('kept\n\n![Pic](/uploads/pic.png)\n\n[About](/about)\n');
    expect(article.coverUrl).toBeUndefined();
    expect(article.canonicalUrl).toBeUndefined();
    expect(article.warnings).toEqual([
      'Unsupported block type "mystery" in the body: its text was kept.',
      'Relative image URL "/uploads/pic.png" was left as is: no public URL is configured (CROSSPOST_PUBLIC_URL); it will be broken on other sites.',
      'Relative link URL "/about" was left as is: no public URL is configured (CROSSPOST_PUBLIC_URL); it will be broken on other sites.',
      'Cover image "/uploads/c.png" was left out: no public URL is configured (CROSSPOST_PUBLIC_URL).',
      'No canonical URL was set: "/posts/post" is not an absolute http(s) URL.',
    ]);

    const empty = buildArticle({ title: 'Post', content: null, locale: 'en' }, options);
    expect(empty.markdown).toBe('');
    expect(empty.warnings).toEqual(['The body (field "content") is empty.']);
  });

  it('never produces a body that starts with ---', () => {
    const article = buildArticle({ title: 'Post', markdown: '***\n\n---\n\ntext' }, { mapping: { title: 'title', body: 'markdown' }, attributes });
    expect(article.markdown).toBe('***\n\n***\n\ntext\n');
  });
});
