import {
  ArticleError,
  readDescription,
  readSlug,
  readTags,
  readTitle,
  renderCanonicalUrl,
  resolveTagsFormat,
  slugify,
  type AttributeInfo,
  type TagsMapping,
} from '../../../server/src/content';

const tagsMapping = (over: Partial<TagsMapping> = {}): TagsMapping => ({
  field: 'tags',
  format: 'auto',
  nameField: 'name',
  separator: ',',
  ...over,
});

function tags(value: unknown, over: Partial<TagsMapping> = {}, type?: string) {
  const attributes: Record<string, AttributeInfo> = type ? { tags: { type } } : {};
  return readTags({ tags: value }, tagsMapping(over), attributes);
}

describe('readTitle', () => {
  it('trims and collapses whitespace', () => {
    expect(readTitle({ title: '  Hello   world \n' }, { title: 'title' })).toBe('Hello world');
  });

  it.each([undefined, null, '', '   ', {}])('throws an ArticleError naming the field for %j', (value) => {
    const read = () => readTitle({ headline: value }, { title: 'headline' });
    expect(read).toThrow(ArticleError);
    expect(read).toThrow('Entry has no title: field "headline" is empty');
  });
});

describe('readDescription', () => {
  it('reads a trimmed description, or nothing', () => {
    expect(readDescription({ d: ' Short. ' }, { description: 'd' })).toBe('Short.');
    expect(readDescription({ d: '  ' }, { description: 'd' })).toBeUndefined();
    expect(readDescription({ d: 'x' }, {})).toBeUndefined();
  });
});

describe('slugs', () => {
  it.each([
    ['Hello, World!', 'hello-world'],
    ['  Über café — naïve résumé  ', 'uber-cafe-naive-resume'],
    ['Kubernetes v1.33: Updates', 'kubernetes-v1-33-updates'],
    ['日本語のタイトル', '日本語のタイトル'],
    ['हिंदी लेख', 'हिंदी-लेख'],
    ['---', ''],
  ])('slugify(%j) = %j', (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  it('uses the slug field when mapped and filled, else the slugified title', () => {
    expect(readSlug({ slug: 'my-post' }, { slug: 'slug' }, 'Title Here')).toBe('my-post');
    expect(readSlug({ slug: '' }, { slug: 'slug' }, 'Title Here')).toBe('title-here');
    expect(readSlug({ slug: null }, { slug: 'slug' }, 'Title Here')).toBe('title-here');
    expect(readSlug({}, {}, 'Title Here')).toBe('title-here');
  });
});

describe('readTags', () => {
  it('reads comma-separated strings, trimmed and de-duplicated case-insensitively', () => {
    expect(tags(' strapi, Node.js ,,STRAPI, cms ', {}, 'string')).toEqual({ value: ['strapi', 'Node.js', 'cms'], warnings: [] });
  });

  it('uses the configured separator', () => {
    expect(tags('a; b c ;d', { format: 'string', separator: ';' })).toEqual({ value: ['a', 'b c', 'd'], warnings: [] });
  });

  it('reads JSON arrays of strings and of objects', () => {
    expect(tags(['a', ' b ', 'A'], {}, 'json').value).toEqual(['a', 'b']);
    expect(tags([{ label: 'x' }, { label: 'y' }], { nameField: 'label' }, 'json').value).toEqual(['x', 'y']);
    expect(tags('["from", "text"]', { format: 'json' }).value).toEqual(['from', 'text']);
    expect(tags('not, json', { format: 'json' }).value).toEqual(['not', 'json']);
  });

  it('reads relations with the name field (default "name")', () => {
    const related = [
      { id: 1, documentId: 'a', name: 'GraphQL' },
      { id: 2, documentId: 'b', name: 'Testing' },
    ];
    expect(tags(related, { nameField: '' }, 'relation')).toEqual({ value: ['GraphQL', 'Testing'], warnings: [] });
    expect(tags({ id: 1, name: 'Single' }, { format: 'relation' }).value).toEqual(['Single']);
    expect(tags([{ id: 1, title: 'T' }], { format: 'relation', nameField: 'title' }).value).toEqual(['T']);
  });

  it('warns about relation items without a name and unpopulated relations', () => {
    expect(tags([{ id: 1 }, { id: 2, name: 'ok' }], {}, 'relation')).toEqual({
      value: ['ok'],
      warnings: ['A tag in "tags" has no "name" value and was skipped.'],
    });
    expect(tags({ count: 3 }, {}, 'relation')).toEqual({
      value: [],
      warnings: ['Tags field "tags" could not be read as relation tags (is the relation populated?): no tags were sent.'],
    });
  });

  it('reads repeatable components', () => {
    expect(tags([{ id: 1, __component: 'x', value: 'one' }, { id: 2, value: 'two' }], { nameField: 'value' }, 'component').value).toEqual([
      'one',
      'two',
    ]);
  });

  it('returns nothing for an empty or unmapped field', () => {
    expect(tags(undefined, {}, 'string')).toEqual({ value: [], warnings: [] });
    expect(tags(null, {}, 'relation')).toEqual({ value: [], warnings: [] });
    expect(readTags({ tags: 'a' }, undefined, {})).toEqual({ value: [], warnings: [] });
  });

  it('infers the format from the attribute type when auto', () => {
    expect(resolveTagsFormat('auto', { type: 'string' }, '')).toBe('string');
    expect(resolveTagsFormat('auto', { type: 'text' }, '')).toBe('string');
    expect(resolveTagsFormat('auto', { type: 'json' }, [])).toBe('json');
    expect(resolveTagsFormat('auto', { type: 'relation' }, [])).toBe('relation');
    expect(resolveTagsFormat('auto', { type: 'component' }, [])).toBe('component');
    expect(resolveTagsFormat('auto', undefined, 'a,b')).toBe('string');
    expect(resolveTagsFormat('json', { type: 'string' }, 'a')).toBe('json');
  });
});

describe('renderCanonicalUrl', () => {
  const entry = { title: 'T', category: 'news & views', year: 2024, draft: false, author: { name: 'x' } };

  it('fills slug, documentId, locale and scalar attributes, URL-encoded', () => {
    const result = renderCanonicalUrl('https://blog.example/{locale}/{category}/{year}/{slug}?id={documentId}', {
      entry,
      slug: 'hello-world',
      documentId: 'abc123',
      locale: 'fr',
    });
    expect(result).toEqual({ value: 'https://blog.example/fr/news%20%26%20views/2024/hello-world?id=abc123', warnings: [] });
  });

  it('falls back to the entry for documentId and locale', () => {
    const result = renderCanonicalUrl('https://blog.example/{locale}/{documentId}', {
      entry: { documentId: 'doc1', locale: 'en' },
      slug: 's',
    });
    expect(result.value).toBe('https://blog.example/en/doc1');
  });

  it('resolves a site-relative template against the public URL', () => {
    expect(renderCanonicalUrl('/posts/{slug}', { entry, slug: 'a', publicUrl: 'https://site.example' }).value).toBe(
      'https://site.example/posts/a',
    );
  });

  it('gives no canonical URL, with a warning, when a placeholder has no scalar value', () => {
    const result = renderCanonicalUrl('https://blog.example/{author}/{missing}/{slug}', { entry, slug: 'a' });
    expect(result.value).toBeUndefined();
    expect(result.warnings).toEqual([
      'No canonical URL was set: {author}, {missing} in "https://blog.example/{author}/{missing}/{slug}" has no value for this entry.',
    ]);
  });

  it('rejects a result that is not an absolute http(s) URL', () => {
    const result = renderCanonicalUrl('/posts/{slug}', { entry, slug: 'a' });
    expect(result.value).toBeUndefined();
    expect(result.warnings[0]).toMatch(/not an absolute http\(s\) URL/);
  });

  it('returns nothing without a template', () => {
    expect(renderCanonicalUrl(undefined, { entry, slug: 'a' })).toEqual({ value: undefined, warnings: [] });
  });
});
