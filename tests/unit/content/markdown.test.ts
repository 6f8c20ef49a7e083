import { parseGfm, parseMarkdown, printMarkdown, stripFrontMatter } from '../../../server/src/content';

function clean(markdown: string): string {
  return printMarkdown(parseMarkdown(markdown).tree);
}

describe('printMarkdown / parseGfm', () => {
  it('round-trips GFM without changing it', () => {
    const source = [
      '# Title',
      '',
      'Some *emphasis*, **strong**, ~~deleted~~ and `code`, a [link](https://example.com "title") and <https://auto.example>.',
      '',
      '- one',
      '- two',
      '  1. nested',
      '',
      '> quoted',
      '',
      '```go',
      'func main() {}',
      '```',
      '',
      '| a | b |',
      '| - | :-: |',
      '| 1 | 2 |',
      '',
      '***',
      '',
      '![alt](https://example.com/a.png)',
      '',
    ].join('\n');
    const once = printMarkdown(parseGfm(source));
    expect(printMarkdown(parseGfm(once))).toBe(once);
    expect(once).toContain('```go\nfunc main() {}\n```');
    expect(once).toContain('| a |  b  |\n| - | :-: |\n| 1 |  2  |');
    expect(once).toContain('~~deleted~~');
    expect(once).toContain('<https://auto.example>');
  });

  it('prints rules as *** and bullets as -, never setext headings', () => {
    const out = printMarkdown(parseGfm('Title\n=====\n\n* a\n* b\n\n---\n\ntext\n'));
    expect(out).toBe('# Title\n\n- a\n- b\n\n***\n\ntext\n');
  });

  it('turns bare URLs into links (GFM autolink literals)', () => {
    const tree = parseGfm('see https://example.com/x and www.example.org');
    const urls: string[] = [];
    JSON.stringify(tree, (k, v) => (k === 'url' && urls.push(v), v));
    expect(urls).toEqual(['https://example.com/x', 'http://www.example.org']);
  });
});

describe('stripFrontMatter', () => {
  it('strips YAML and TOML front matter', () => {
    expect(stripFrontMatter('---\ntitle: x\ntags: [a]\n---\nBody\n')).toEqual({ body: 'Body\n', frontMatter: 'title: x\ntags: [a]' });
    expect(stripFrontMatter('+++\ntitle = "x"\n+++\nBody')).toEqual({ body: 'Body', frontMatter: 'title = "x"' });
  });

  it('keeps a body that only opens with a horizontal rule', () => {
    const body = '---\nJust some text.\n\n---\nMore';
    expect(stripFrontMatter(body)).toEqual({ body });
  });
});

describe('parseMarkdown', () => {
  it('issue 13 #15: keeps a body opening with a --- block as the content CommonMark makes of it (a rule, a heading)', () => {
    const { tree, warnings } = parseMarkdown('---\r\ntitle: "Hello"\r\ndate: 2024-01-01\r\n---\r\n\r\n# Hi\r\n');
    // A two-line heading can only be printed setext; the body opens with `***`, never `---` (DEV front matter).
    expect(printMarkdown(tree)).toBe('***\n\ntitle: "Hello"\ndate: 2024-01-01\n----------------\n\n# Hi\n');
    expect(warnings).toEqual([]);
  });

  it('removes front matter with a warning when asked to (frontMatter: true)', () => {
    const { tree, warnings } = parseMarkdown('---\ntitle: "Hello"\n---\n\n# Hi\n', { frontMatter: true });
    expect(printMarkdown(tree)).toBe('# Hi\n');
    expect(warnings).toEqual(['Removed the front matter block at the top of the body (metadata of the source site).']);
  });

  it('converts inline HTML to Markdown', () => {
    expect(clean('a <del>gone</del> and <strong>bold <em>both</em></strong> <code>x &lt; y</code><br>next')).toBe(
      'a ~~gone~~ and **bold _both_** `x < y`\\\nnext\n',
    );
  });

  it('keeps Markdown inside inline HTML elements', () => {
    expect(clean('<del>see [the survey](https://forms.example/x) *now*</del>')).toBe('~~see [the survey](https://forms.example/x) *now*~~\n');
  });

  it('unwraps HTML elements without a Markdown equivalent and drops comments', () => {
    expect(clean('a <span class="x">b</span> <!-- note --> c')).toBe('a b  c\n');
    expect(clean('<!-- hidden -->\n\ntext')).toBe('text\n');
  });

  it('converts HTML blocks: images, tables, lists', () => {
    expect(clean('<img alt="A cat" width="30%" src="cat.png">\n\ntext')).toBe('![A cat](cat.png)\n\ntext\n');
    expect(clean('<ul>\n<li>one</li>\n<li>two</li>\n</ul>')).toBe('- one\n- two\n');
    const table = '<table><caption>Cap</caption><tr><th>A</th><th>B</th></tr><tr><td>1</td><td><ul><li>x</li><li>y</li></ul></td></tr></table>';
    expect(clean(table)).toBe('*Cap*\n\n| A | B    |\n| - | ---- |\n| 1 | x; y |\n');
  });

  it('keeps Markdown between block-level HTML tags', () => {
    expect(clean('<div class="note">\n\n**Important** text\n\n</div>')).toBe('**Important** text\n');
  });

  it('resolves reference-style links and images into inline ones', () => {
    expect(clean('See [the docs][docs] and ![logo][img].\n\n[docs]: https://example.com/docs "Docs"\n[img]: /logo.png\n')).toBe(
      'See [the docs](https://example.com/docs "Docs") and ![logo](/logo.png).\n',
    );
  });

  it('strips Hugo heading ids', () => {
    expect(clean('## Timeline {#timeline}\n\n### Other {#other .class}\n')).toBe('## Timeline\n\n### Other\n');
  });

  it('keeps hard breaks and escaped characters', () => {
    expect(clean('line one  \nline two\n\nFIPS\\-203 and it\\\'s')).toBe("line one\\\nline two\n\nFIPS-203 and it's\n");
  });

  describe('Hugo shortcodes', () => {
    it('turns {{< figure >}} into an image with a visible caption', () => {
      expect(clean('Intro\n\n{{< figure src="/images/a.png" alt="Alt text" caption="The caption" >}}\n\nAfter')).toBe(
        'Intro\n\n![Alt text](/images/a.png)\n\n*The caption*\n\nAfter\n',
      );
    });

    it('keeps the link of a figure', () => {
      expect(clean('{{< figure src="a.svg" alt="Diagram" link="a.svg" >}}')).toBe('[![Diagram](a.svg)](a.svg)\n');
    });

    it('handles a figure in running text and inside a list item', () => {
      expect(clean('See {{< figure src="x.png" alt="X" >}} here')).toBe('See ![X](x.png) here\n');
      expect(clean('- item\n\n  {{< figure src="x.png" alt="X" >}}\n- next')).toBe('- item\n\n  ![X](x.png)\n\n- next\n');
    });

    it('turns callouts into quotes with their label', () => {
      expect(clean('{{< note >}}\nSome *text*.\n{{< /note >}}')).toBe('> **Note:** Some *text*.\n');
      expect(clean('{{% alert color="info" title="Poll closed" %}}\nThe poll closed.\n{{% /alert %}}')).toBe(
        '> **Poll closed:** The poll closed.\n',
      );
      expect(clean('{{< warning >}}\n- a\n- b\n{{< /warning >}}')).toBe('> **Warning:**\n>\n> - a\n> - b\n');
    });

    it('handles callout delimiters inline', () => {
      expect(clean('Before {{< note >}}inline note{{< /note >}} after')).toBe('Before **Note:** inline note after\n');
    });

    it('unwraps {{< table >}} so the table inside stays a table, caption above', () => {
      const source = '{{< table caption="Conventions">}}\n| A | B |\n| - | - |\n| 1 | 2 |\n{{< /table >}}\n';
      expect(clean(source)).toBe('*Conventions*\n\n| A | B |\n| - | - |\n| 1 | 2 |\n');
    });

    it('turns {{< mermaid >}} and {{< highlight >}} into fenced code', () => {
      expect(clean('{{< mermaid >}}\nsequenceDiagram\n    a->>b: hi\n{{< /mermaid >}}')).toBe(
        '```mermaid\nsequenceDiagram\n    a->>b: hi\n```\n',
      );
      expect(clean('{{< highlight go >}}\nfunc x() {}\n{{< /highlight >}}')).toBe('```go\nfunc x() {}\n```\n');
    });

    it('drops unknown standalone shortcodes with a warning, keeps a text attribute', () => {
      const { tree, warnings } = parseMarkdown('A {{< glossary_tooltip text="Pod" term_id="pod" >}} and {{< param "x" >}}.');
      expect(printMarkdown(tree)).toBe('A Pod and .\n');
      expect(warnings).toEqual(['Hugo shortcode "{{< param "x" >}}" has no Markdown equivalent and was removed.']);
    });

    it('handles youtube and ref shortcodes', () => {
      expect(clean('{{< youtube abc123 >}}')).toBe('<https://www.youtube.com/watch?v=abc123>\n');
      expect(clean('[docs]({{< ref "/docs/intro" >}})')).toBe('[docs](/docs/intro)\n');
    });

    it('expands shortcodes inside HTML blocks', () => {
      expect(clean('<div class="wide">{{< figure src="a.png" alt="A" >}}</div>')).toBe('![A](a.png)\n');
    });

    it('leaves shortcodes inside code alone', () => {
      const source = '```md\n{{< figure src="x.png" >}}\n```\n\nUse `{{< note >}}` to add a note.';
      expect(clean(source)).toBe(source.replace('```md', '```md') + '\n');
    });

    it('does not let a stray {{< swallow text', () => {
      expect(clean('Literal {{< in prose, then {{< figure src="a.png" alt="A" >}}')).toBe('Literal {{< in prose, then ![A](a.png)\n');
    });
  });
});
