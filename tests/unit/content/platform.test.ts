import { devtoTags, hashnodeTags, markdownForPlatform, mediumTags, neutralizeFrontMatter } from '../../../server/src/content';

describe('devtoTags', () => {
  it('lower-cases and keeps letters and digits only, saying which tags change (issue 13 #12)', () => {
    expect(devtoTags(['github-actions', 'Node.js', 'C#', 'web dev', 'k8s'])).toEqual({
      value: ['githubactions', 'nodejs', 'c', 'webdev'],
      warnings: [
        'DEV: tag "github-actions" is sent as "githubactions".',
        'DEV: tag "Node.js" is sent as "nodejs".',
        'DEV: tag "C#" is sent as "c".',
        'DEV: tag "web dev" is sent as "webdev".',
        'DEV accepts at most 4 tags: "k8s" left out.',
      ],
    });
  });

  it('issue 13 #12: warns when two tags become one', () => {
    expect(devtoTags(['C#', 'C++', 'TypeScript'])).toEqual({
      value: ['c', 'typescript'],
      warnings: ['DEV: tags "C#", "C++" all become "c", so they count as one tag.'],
    });
  });

  it('issue 13 #7: folds Latin accents; leaves out other scripts with a warning naming the tag (safe side)', () => {
    const { value, warnings } = devtoTags(['Café', '日本語', 'Программирование', 'हिंदी', 'Ελληνικά', 'rust']);
    expect(value).toEqual(['cafe', 'rust']);
    for (const t of ['日本語', 'Программирование', 'हिंदी', 'Ελληνικά']) {
      expect(warnings).toContain(`DEV: tag "${t}" has letters DEV may refuse (only a-z and 0-9 are safe) and was left out.`);
    }
    expect(warnings).toContain('DEV: tag "Café" is sent as "cafe".');
  });

  it('keeps at most 4 tags and warns about the rest', () => {
    expect(devtoTags(['a', 'b', 'c', 'd', 'e'])).toEqual({ value: ['a', 'b', 'c', 'd'], warnings: ['DEV accepts at most 4 tags: "e" left out.'] });
  });

  it('drops (does not truncate) tags over 30 characters, and lets the next tag take the place', () => {
    const long = 'a'.repeat(31);
    expect(devtoTags([long, 'b'.repeat(30), 'c', 'd', 'e'])).toEqual({
      value: ['b'.repeat(30), 'c', 'd', 'e'],
      warnings: [`DEV: tag "${long}" is longer than 30 characters ("${long}") and was left out.`],
    });
  });

  it('measures length after removing punctuation', () => {
    expect(devtoTags(['kubernetes-cluster-autoscaling-x']).value).toEqual(['kubernetesclusterautoscalingx']);
  });

  it('drops empty tags and de-duplicates after normalisation', () => {
    expect(devtoTags(['++', 'GitHub Actions', 'github-actions', ''])).toEqual({
      value: ['githubactions'],
      warnings: [
        'DEV: tag "++" has no letters or digits and was left out.',
        'DEV: tag "" has no letters or digits and was left out.',
        'DEV: tags "GitHub Actions", "github-actions" all become "githubactions", so they count as one tag.',
      ],
    });
  });

  it('keeps the joined list within 126 characters', () => {
    const four = ['a', 'b', 'c', 'd'].map((c) => c.repeat(30));
    const { value } = devtoTags(four);
    expect(value.join(', ')).toHaveLength(126);
  });
});

describe('mediumTags', () => {
  it('keeps the first 3 tags and warns about the rest', () => {
    expect(mediumTags(['a', 'b', 'c', 'd', 'e'])).toEqual({ value: ['a', 'b', 'c'], warnings: ['Medium uses only the first 3 tags: "d", "e" left out.'] });
  });

  it('skips tags over 25 characters with a warning', () => {
    const long = 'x'.repeat(26);
    expect(mediumTags([long, 'Web Development', 'b', 'c'])).toEqual({
      value: ['Web Development', 'b', 'c'],
      warnings: [`Medium: tag "${long}" is longer than 25 characters and was left out.`],
    });
    expect(mediumTags(['y'.repeat(25)]).value).toEqual(['y'.repeat(25)]);
  });
});

describe('hashnodeTags', () => {
  it('gives {slug, name} with kebab-case slugs', () => {
    expect(hashnodeTags(['GitHub Actions', 'Node.js', 'Café Culture'])).toEqual({
      value: [
        { slug: 'github-actions', name: 'GitHub Actions' },
        { slug: 'node-js', name: 'Node.js' },
        { slug: 'cafe-culture', name: 'Café Culture' },
      ],
      warnings: [],
    });
  });

  it('keeps at most 15, de-duplicated by slug', () => {
    const names = Array.from({ length: 17 }, (_, i) => `tag ${i}`);
    const { value, warnings } = hashnodeTags(['Tag 0', ...names]);
    expect(value).toHaveLength(15);
    expect(value[0]).toEqual({ slug: 'tag-0', name: 'Tag 0' });
    expect(warnings).toEqual([
      'Hashnode: tags "Tag 0", "tag 0" all become "tag-0", so they count as one tag.',
      'Hashnode accepts at most 15 tags: "tag 15", "tag 16" left out.',
    ]);
  });

  it('issue 13 #12: warns when two tags share one slug (C# and C++)', () => {
    const { value, warnings } = hashnodeTags(['C#', 'C++']);
    expect(value).toEqual([{ slug: 'c', name: 'C#' }]);
    expect(warnings).toEqual(['Hashnode: tags "C#", "C++" all become "c", so they count as one tag.']);
  });

  it('issue 13 #7: non-Latin tags never get a non-ASCII slug; left out with a warning naming them', () => {
    const { value, warnings } = hashnodeTags(['日本語', 'Программирование', 'Café', 'react-日本語']);
    expect(value).toEqual([
      { slug: 'cafe', name: 'Café' },
      { slug: 'react', name: 'react-日本語' },
    ]);
    expect(warnings).toEqual([
      'Hashnode: tag "日本語" has no Latin letters or digits for its address (slug) and was left out.',
      'Hashnode: tag "Программирование" has no Latin letters or digits for its address (slug) and was left out.',
      'Hashnode: tag "react-日本語" gets the address (slug) "react": its non-Latin letters cannot be kept.',
    ]);
  });

  it('drops tags without letters or digits', () => {
    expect(hashnodeTags(['!!!']).warnings).toEqual(['Hashnode: tag "!!!" has no letters or digits and was left out.']);
  });
});

describe('neutralizeFrontMatter', () => {
  it.each([
    ['---\ntitle: Pwned\n---\nBody', '***\ntitle: Pwned\n---\nBody'],
    ['\n\n  ---\ntitle: x\n---\n', '***\ntitle: x\n---\n'],
    ['---- \ntext', '***\ntext'],
    ['---title\nx', '\\---title\nx'],
    ['\uFEFF---\nx', '***\nx'],
  ])('%j → %j', (input, expected) => {
    expect(neutralizeFrontMatter(input)).toBe(expected);
  });

  it('leaves other bodies alone', () => {
    expect(neutralizeFrontMatter('# Title\n\n---\n')).toBe('# Title\n\n---\n');
    expect(neutralizeFrontMatter('- item\n')).toBe('- item\n');
  });
});

describe('markdownForPlatform', () => {
  const table = '| Name | Link | Empty |\n| --- | --- | --- |\n| kind | [site](https://kind.example) | |\n| `k3s` | none | x |\n';

  it('keeps tables for DEV and Hashnode', () => {
    const { value, warnings } = markdownForPlatform(table, { tables: 'keep' });
    expect(value).toContain('| Name  | Link                         | Empty |');
    expect(warnings).toEqual([]);
  });

  it('degrades tables into lists of "Header: value" for Medium', () => {
    const { value, warnings } = markdownForPlatform(`Intro\n\n${table}`, { tables: 'degrade' });
    expect(value).toBe(
      [
        'Intro',
        '',
        '- **Name:** kind',
        '  - **Link:** [site](https://kind.example)',
        '- **Name:** `k3s`',
        '  - **Link:** none',
        '  - **Empty:** x',
        '',
      ].join('\n'),
    );
    expect(warnings).toEqual(['1 table was turned into lists: this platform does not display Markdown tables.']);
  });

  it('uses the value alone where a column has no header', () => {
    const { value } = markdownForPlatform('|  | A |\n| - | - |\n| row | 1 |\n', { tables: 'degrade' });
    expect(value).toBe('- row\n  - **A:** 1\n');
  });

  it('prepends the title as an H1 for Medium, once', () => {
    expect(markdownForPlatform('Body text\n', { tables: 'degrade', titleHeading: 'My *Post*' }).value).toBe('# My \\*Post\\*\n\nBody text\n');
    expect(markdownForPlatform('# My Post\n\nBody\n', { tables: 'degrade', titleHeading: 'My Post' }).value).toBe('# My Post\n\nBody\n');
    expect(markdownForPlatform('By Ann\n\n# My Post\n\nBody\n', { tables: 'degrade', titleHeading: 'My Post' }).value).toBe(
      'By Ann\n\n# My Post\n\nBody\n',
    );
    expect(markdownForPlatform('## My Post\n', { tables: 'degrade', titleHeading: 'My Post' }).value).toBe('# My Post\n\n## My Post\n');
  });

  it('never starts with ---', () => {
    const { value } = markdownForPlatform('---\ntitle: x\n---\n\ntext\n', { tables: 'keep' });
    expect(value.startsWith('---')).toBe(false);
    expect(value).toBe('***\n\n## title: x\n\ntext\n');
  });
});
