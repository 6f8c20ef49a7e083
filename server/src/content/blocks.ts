/**
 * Strapi Blocks (the JSON of a `blocks` attribute) → mdast. Marks become nested emphasis nodes
 * and the Markdown printer does the escaping, so odd text (`*`, `_`, `#` at line start) stays text.
 * Unknown node types keep their words and add a warning: a new editor feature must never stop a
 * publication.
 */
import type {
  BlockContent,
  Blockquote,
  Code,
  Delete,
  Emphasis,
  Heading,
  List,
  ListItem,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Strong,
} from 'mdast';
import { plainText } from './text';

type BlockNode = Record<string, unknown>;

type Mark = 'strong' | 'emphasis' | 'delete';
/** Outermost first: `***~~x~~***` nests as strong > emphasis > delete > text. */
const MARKS: Mark[] = ['strong', 'emphasis', 'delete'];

interface Leaf {
  marks: Set<Mark>;
  node: PhrasingContent;
}

function isNode(value: unknown): value is BlockNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childrenOf(node: BlockNode): BlockNode[] {
  return Array.isArray(node.children) ? node.children.filter(isNode) : [];
}

/** Every `text` leaf below a node, concatenated: what is left of a node we cannot convert. */
function textOf(node: BlockNode): string {
  if (node.type === 'text' && typeof node.text === 'string') return node.text;
  return childrenOf(node).map(textOf).join('');
}

function text(value: string): PhrasingContent {
  return { type: 'text', value };
}

/**
 * `** bold**` is not bold in Markdown: emphasis may not start or end with whitespace. Move edge
 * whitespace of a marked run outside it (Strapi stores "bold " + "plain" all the time).
 */
function hoistWhitespace(node: Strong | Emphasis | Delete): PhrasingContent[] {
  let lead = '';
  let trail = '';
  const first = node.children[0];
  if (first?.type === 'text') {
    lead = /^\s*/.exec(first.value)?.[0] ?? '';
    first.value = first.value.slice(lead.length);
  }
  const last = node.children[node.children.length - 1];
  if (last?.type === 'text') {
    trail = /\s*$/.exec(last.value)?.[0] ?? '';
    last.value = last.value.slice(0, last.value.length - trail.length);
  }
  node.children = node.children.filter((c) => c.type !== 'text' || c.value !== '');
  const out: PhrasingContent[] = [];
  if (lead) out.push(text(lead));
  if (node.children.length > 0) out.push(node);
  if (trail) out.push(text(trail));
  return out;
}

/** Groups runs of leaves sharing a mark under one node, outermost mark first. */
function wrapMarks(leaves: Leaf[], level = 0): PhrasingContent[] {
  if (level === MARKS.length) return leaves.map((l) => l.node);
  const mark = MARKS[level];
  const out: PhrasingContent[] = [];
  let i = 0;
  while (i < leaves.length) {
    const marked = leaves[i].marks.has(mark);
    let j = i;
    while (j < leaves.length && leaves[j].marks.has(mark) === marked) j++;
    const inner = wrapMarks(leaves.slice(i, j), level + 1);
    if (marked) out.push(...hoistWhitespace({ type: mark, children: inner } as Strong | Emphasis | Delete));
    else out.push(...inner);
    i = j;
  }
  return out;
}

class BlocksConverter {
  readonly warnings: string[] = [];
  private underlineWarned = false;

  private unknown(node: BlockNode, where: string): void {
    const type = typeof node.type === 'string' ? node.type : String(node.type);
    const kept = textOf(node).trim() !== '';
    this.warnings.push(
      `Unsupported ${where} type "${type}" in the body: ${kept ? 'its text was kept' : 'it was left out'}.`,
    );
  }

  private leaves(node: BlockNode): Leaf[] {
    if (node.type === 'text') {
      const value = typeof node.text === 'string' ? node.text : '';
      if (value === '') return [];
      const marks = new Set<Mark>();
      if (node.bold) marks.add('strong');
      if (node.italic) marks.add('emphasis');
      if (node.strikethrough) marks.add('delete');
      if (node.underline && !this.underlineWarned) {
        // Markdown has no underline, and raw `<u>` is not rendered by every platform.
        this.underlineWarned = true;
        this.warnings.push('Underlined text has no Markdown equivalent: it is published without underline.');
      }
      if (node.code) return [{ marks, node: { type: 'inlineCode', value: value.replace(/\n/g, ' ') } }];
      // A soft return in the editor (shift+enter) is a newline inside the text: a hard break.
      const out: Leaf[] = [];
      value.split('\n').forEach((part, i) => {
        if (i > 0) out.push({ marks, node: { type: 'break' } });
        if (part) out.push({ marks, node: text(part) });
      });
      return out;
    }
    if (node.type === 'link') {
      const url = typeof node.url === 'string' ? node.url : '';
      const children = this.inline(childrenOf(node));
      return [{ marks: new Set(), node: { type: 'link', url, title: null, children: children.length ? children : [text(url)] } }];
    }
    if (Array.isArray(node.children)) {
      // e.g. a list-item or paragraph where an inline node was expected: keep its content.
      if (node.type !== 'list-item' && node.type !== 'paragraph') this.unknown(node, 'inline node');
      return childrenOf(node).flatMap((c) => this.leaves(c));
    }
    this.unknown(node, 'inline node');
    return [];
  }

  inline(nodes: BlockNode[]): PhrasingContent[] {
    return wrapMarks(nodes.flatMap((n) => this.leaves(n)));
  }

  private paragraph(nodes: BlockNode[]): Paragraph[] {
    const children = this.inline(nodes);
    return plainText(children).trim() === '' ? [] : [{ type: 'paragraph', children }];
  }

  private listItem(node: BlockNode): ListItem {
    const inline: BlockNode[] = [];
    const nested: List[] = [];
    for (const child of childrenOf(node)) {
      if (child.type === 'list') nested.push(this.list(child));
      else inline.push(child);
    }
    return { type: 'listItem', spread: false, children: [...this.paragraph(inline), ...nested] };
  }

  private list(node: BlockNode): List {
    const ordered = node.format === 'ordered';
    const items: ListItem[] = [];
    for (const child of childrenOf(node)) {
      if (child.type === 'list') {
        // Strapi's editor stores an indented list as a sibling of the items: nest it under the
        // item above, which is where it is shown.
        const nested = this.list(child);
        const previous = items[items.length - 1];
        if (previous) previous.children.push(nested);
        else items.push({ type: 'listItem', spread: false, children: [nested] });
      } else items.push(this.listItem(child));
    }
    return { type: 'list', ordered, start: ordered ? 1 : null, spread: false, children: items };
  }

  private image(node: BlockNode): BlockContent[] {
    const image = isNode(node.image) ? node.image : {};
    const url = typeof image.url === 'string' ? image.url : '';
    if (!url) {
      this.warnings.push('An image block without a file was left out.');
      return [];
    }
    const caption = typeof image.caption === 'string' ? image.caption.trim() : '';
    const alt = typeof image.alternativeText === 'string' && image.alternativeText.trim() ? image.alternativeText.trim() : caption;
    const out: BlockContent[] = [{ type: 'paragraph', children: [{ type: 'image', url, alt, title: null }] }];
    // The caption is visible on the site; keep it visible under the image.
    if (caption) out.push({ type: 'paragraph', children: [{ type: 'emphasis', children: [text(caption)] }] });
    return out;
  }

  block(node: BlockNode): RootContent[] {
    switch (node.type) {
      case 'paragraph':
        return this.paragraph(childrenOf(node));
      case 'heading': {
        const level = Number(node.level);
        const depth = (Number.isInteger(level) ? Math.min(6, Math.max(1, level)) : 2) as Heading['depth'];
        const children = this.inline(childrenOf(node));
        return plainText(children).trim() === '' ? [] : [{ type: 'heading', depth, children }];
      }
      case 'quote': {
        const children: BlockContent[] = [];
        let run: BlockNode[] = [];
        const flush = () => {
          children.push(...this.paragraph(run));
          run = [];
        };
        for (const child of childrenOf(node)) {
          if (child.type === 'text' || child.type === 'link') run.push(child);
          else {
            flush();
            children.push(...(this.block(child) as BlockContent[]));
          }
        }
        flush();
        const quote: Blockquote = { type: 'blockquote', children };
        return children.length ? [quote] : [];
      }
      case 'code': {
        const language = typeof node.language === 'string' && node.language.trim() ? node.language.trim() : null;
        const code: Code = { type: 'code', lang: language, meta: null, value: textOf(node) };
        return [code];
      }
      case 'list':
        return [this.list(node)];
      case 'list-item':
        return [{ type: 'list', ordered: false, start: null, spread: false, children: [this.listItem(node)] }];
      case 'image':
        return this.image(node);
      case 'text':
      case 'link':
        return this.paragraph([node]);
      default: {
        this.unknown(node, 'block');
        const kept = textOf(node).trim();
        return kept ? [{ type: 'paragraph', children: [text(kept)] }] : [];
      }
    }
  }
}

/** Converts a Blocks value (array of block nodes) to an mdast tree. */
export function blocksToMdast(blocks: unknown): { tree: Root; warnings: string[] } {
  const converter = new BlocksConverter();
  const tree: Root = { type: 'root', children: [] };
  if (!Array.isArray(blocks)) {
    return { tree, warnings: ['The body is not a Blocks value (expected an array of blocks): nothing was published from it.'] };
  }
  for (const node of blocks) {
    if (!isNode(node)) {
      converter.warnings.push('A malformed block (not an object) was left out.');
      continue;
    }
    tree.children.push(...converter.block(node));
  }
  return { tree, warnings: converter.warnings };
}
