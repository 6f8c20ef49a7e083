import { htmlToMdast, printMarkdown } from '../../../server/src/content';

function md(html: string): string {
  return printMarkdown(htmlToMdast(html));
}

describe('htmlToMdast', () => {
  it('converts headings and paragraphs with inline formatting', () => {
    expect(md('<h1>Title</h1><h2>Sub</h2><h6>Six</h6><p>Some <strong>bold</strong>, <em>italic</em>, <s>gone</s> and <code>code</code>.</p>')).toBe(
      '# Title\n\n## Sub\n\n###### Six\n\nSome **bold**, *italic*, ~~gone~~ and `code`.\n',
    );
  });

  it('converts nested lists', () => {
    expect(md('<ul><li>one<ol><li>inner</li></ol></li><li>two</li></ul>')).toBe('- one\n  1. inner\n- two\n');
  });

  it('converts links and images', () => {
    expect(md('<p><a href="/about" title="About">about us</a> <img src="/uploads/a.png" alt="A"></p>')).toBe(
      '[about us](/about "About") ![A](/uploads/a.png)\n',
    );
  });

  it('keeps the language of code blocks', () => {
    expect(md('<pre><code class="language-js">const a = 1;\nconst b = 2;\n</code></pre>')).toBe(
      '```js\nconst a = 1;\nconst b = 2;\n```\n',
    );
  });

  it('converts tables, with their caption', () => {
    const html =
      '<table><caption>Tools</caption><thead><tr><th>Name</th><th>OS</th></tr></thead>' +
      '<tbody><tr><td>kind</td><td>Linux, <em>macOS</em></td></tr><tr><td>minikube</td><td><ul><li>Linux</li><li>Windows</li></ul></td></tr></tbody></table>';
    expect(md(html)).toBe(
      '*Tools*\n\n| Name     | OS             |\n| -------- | -------------- |\n| kind     | Linux, *macOS* |\n| minikube | Linux; Windows |\n',
    );
  });

  it('converts blockquotes, line breaks and rules; drops comments and scripts', () => {
    expect(md('<blockquote><p>quoted<br>line</p></blockquote><hr><!-- hidden --><script>alert(1)</script><p>end</p>')).toBe(
      '> quoted\\\n> line\n\n***\n\nend\n',
    );
  });

  it('keeps the text of unknown elements', () => {
    expect(md('<div class="callout"><custom-box>Boxed <span>text</span></custom-box></div>')).toBe('Boxed text\n');
  });
});
