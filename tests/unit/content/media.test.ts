import { absoluteUrl, coverUrl, mediaUrl, parseGfm, printMarkdown, resolveMediaUrls } from '../../../server/src/content';

describe('absoluteUrl', () => {
  it.each([
    ['/uploads/a.png', 'https://site.example', 'https://site.example/uploads/a.png'],
    ['uploads/a.png', 'https://site.example', 'https://site.example/uploads/a.png'],
    ['/uploads/a.png', 'https://site.example/', 'https://site.example/uploads/a.png'],
    ['/uploads/a b.png', 'https://site.example', 'https://site.example/uploads/a%20b.png'],
    ['/uploads/a.png', 'https://site.example/cms', 'https://site.example/cms/uploads/a.png'],
    ['//cdn.example/a.png', undefined, 'https://cdn.example/a.png'],
  ])('%s with %s → %s', (url, base, expected) => {
    expect(absoluteUrl(url, base).url).toBe(expected);
  });

  it.each(['https://cdn.example/a.png', 'http://x.example', 'data:image/png;base64,AAAA', '#anchor', 'mailto:a@b.example', ''])(
    'leaves %j alone',
    (url) => {
      expect(absoluteUrl(url, 'https://site.example')).toEqual({ kind: 'unchanged', url });
    },
  );

  it('reports relative URLs it cannot resolve', () => {
    expect(absoluteUrl('/uploads/a.png', undefined)).toMatchObject({ kind: 'unresolved', url: '/uploads/a.png' });
    expect(absoluteUrl('/uploads/a.png', 'not a url')).toMatchObject({ kind: 'unresolved' });
    expect(absoluteUrl('/uploads/a.png', 'ftp://site.example')).toMatchObject({ kind: 'unresolved' });
  });
});

describe('resolveMediaUrls', () => {
  it('makes image and link URLs absolute in the tree', () => {
    const tree = parseGfm('![a](/uploads/a.png) [about](/about#team) [top](#top) ![b](https://cdn.example/b.png)');
    expect(resolveMediaUrls(tree, 'https://site.example')).toEqual([]);
    expect(printMarkdown(tree)).toBe(
      '![a](https://site.example/uploads/a.png) [about](https://site.example/about#team) [top](#top) ![b](https://cdn.example/b.png)\n',
    );
  });

  it('warns once per unresolvable URL when there is no public URL', () => {
    const tree = parseGfm('![a](/uploads/a.png) ![a again](/uploads/a.png) [about](/about)');
    expect(resolveMediaUrls(tree, undefined)).toEqual([
      'Relative image URL "/uploads/a.png" was left as is: no public URL is configured (CROSSPOST_PUBLIC_URL); it will be broken on other sites.',
      'Relative link URL "/about" was left as is: no public URL is configured (CROSSPOST_PUBLIC_URL); it will be broken on other sites.',
    ]);
  });
});

describe('cover helpers', () => {
  it('reads a single media, or the first of many', () => {
    expect(mediaUrl({ url: '/uploads/c.png', formats: {} })).toBe('/uploads/c.png');
    expect(mediaUrl([{ url: '/uploads/1.png' }, { url: '/uploads/2.png' }])).toBe('/uploads/1.png');
    expect(mediaUrl([])).toBeUndefined();
    expect(mediaUrl(null)).toBeUndefined();
    expect(mediaUrl({ id: 3 })).toBeUndefined();
  });

  it('makes the cover absolute, or leaves it out with a warning', () => {
    expect(coverUrl({ url: '/uploads/c.png' }, 'https://site.example')).toEqual({ value: 'https://site.example/uploads/c.png', warnings: [] });
    expect(coverUrl({ url: 'https://cdn.example/c.png' }, undefined)).toEqual({ value: 'https://cdn.example/c.png', warnings: [] });
    const missing = coverUrl({ url: '/uploads/c.png' }, undefined);
    expect(missing.value).toBeUndefined();
    expect(missing.warnings[0]).toMatch(/Cover image "\/uploads\/c.png" was left out/);
  });
});
