/**
 * HTML → mdast, through a real HTML parser (hast-util-from-html) and hast-util-to-mdast. Used for
 * HTML bodies and for raw HTML found inside Markdown bodies (`<del>`, `<table>`, `<img>`, `<br>`),
 * so that what reaches the platforms is Markdown only.
 */
import type { Element, ElementContent, Root as HastRoot, RootContent as HastRootContent } from 'hast';
import type {
  BlockContent,
  Nodes,
  Parent,
  PhrasingContent,
  Root,
  RootContent,
  TableCell,
} from 'mdast';
import { fromHtml } from 'hast-util-from-html';
import { toMdast, type Handle } from 'hast-util-to-mdast';
import { visit, SKIP } from 'unist-util-visit';
import { plainText } from './text';

const PHRASING = new Set([
  'text',
  'emphasis',
  'strong',
  'delete',
  'inlineCode',
  'break',
  'link',
  'image',
  'linkReference',
  'imageReference',
  'footnoteReference',
  'html',
]);

/** Parents whose children are phrasing content: inline HTML there is tags around Markdown. */
const PHRASING_PARENTS = new Set(['paragraph', 'heading', 'tableCell', 'emphasis', 'strong', 'delete', 'link', 'linkReference']);

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Placeholder element carrying an already-converted mdast node through hast-util-to-mdast. */
const CARRIER = 'x-crosspost-mdast';

export function isPhrasing(node: Nodes): node is PhrasingContent {
  return PHRASING.has(node.type);
}

/**
 * `<table><caption>` has no Markdown equivalent and hast-util-to-mdast drops it; keep the words as
 * an emphasised line above the table, where browsers show a caption.
 */
function hoistCaptions(tree: HastRoot): void {
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName !== 'table' || !parent || index === undefined) return;
    const captions = node.children.filter((c): c is Element => c.type === 'element' && c.tagName === 'caption');
    if (captions.length === 0) return;
    node.children = node.children.filter((c) => !captions.includes(c as Element));
    const paragraphs: Element[] = captions.map((caption) => ({
      type: 'element',
      tagName: 'p',
      properties: {},
      children: [{ type: 'element', tagName: 'em', properties: {}, children: caption.children }],
    }));
    (parent.children as HastRootContent[]).splice(index, 0, ...paragraphs);
    return index + paragraphs.length + 1;
  });
}

/** Drops the raw HTML hast-util-to-mdast keeps (comments): nothing raw may reach a platform. */
function dropRawHtml(tree: Root): void {
  visit(tree, 'html', (_node, index, parent) => {
    if (!parent || index === undefined) return;
    parent.children.splice(index, 1);
    return index;
  });
}

/**
 * GFM table cells hold one line of phrasing content. HTML cells may hold lists and paragraphs
 * (the corpus has `<ul>` in `<td>`), which would break the table when printed: flatten each
 * block to its inline content and join the blocks with "; ".
 */
export function flattenTableCells(tree: Root): void {
  visit(tree, 'tableCell', (cell: TableCell) => {
    const parts: PhrasingContent[][] = [];
    const collect = (nodes: Nodes[]): void => {
      let run: PhrasingContent[] = [];
      const flush = () => {
        if (run.length > 0 && plainText(run).trim() !== '') parts.push(run);
        run = [];
      };
      for (const node of nodes) {
        if (isPhrasing(node)) run.push(node.type === 'break' ? { type: 'text', value: ' ' } : node);
        else if ('children' in node) {
          flush();
          collect(node.children as Nodes[]);
        } else if (node.type === 'code') {
          flush();
          parts.push([{ type: 'inlineCode', value: node.value.replace(/\s*\n\s*/g, ' ') }]);
        }
      }
      flush();
    };
    const blocky = cell.children.some((c) => !isPhrasing(c as Nodes) || c.type === 'break');
    if (!blocky) return SKIP;
    collect(cell.children as Nodes[]);
    const children: PhrasingContent[] = [];
    parts.forEach((part, i) => {
      if (i > 0) children.push({ type: 'text', value: '; ' });
      children.push(...part);
    });
    cell.children = children;
    return SKIP;
  });
}

/** Wraps runs of phrasing content in paragraphs, so the nodes can sit in a flow container. */
export function toFlow(nodes: RootContent[]): RootContent[] {
  const out: RootContent[] = [];
  let run: PhrasingContent[] = [];
  const flush = () => {
    if (plainText(run).trim() !== '' || run.some((n) => n.type === 'image')) {
      out.push({ type: 'paragraph', children: run });
    }
    run = [];
  };
  for (const node of nodes) {
    if (isPhrasing(node as Nodes)) run.push(node as PhrasingContent);
    else {
      flush();
      out.push(node);
    }
  }
  flush();
  return out;
}

function hastToMdast(tree: HastRoot, carried: Nodes[] = []): Root {
  hoistCaptions(tree);
  const carry: Handle = (_state, node) => {
    const index = Number(node.properties.dataIndex);
    return carried[index] as ReturnType<Handle>;
  };
  const result = toMdast(tree, { handlers: { [CARRIER]: carry } });
  const root: Root = result.type === 'root' ? result : { type: 'root', children: [result as RootContent] };
  dropRawHtml(root);
  flattenTableCells(root);
  return root;
}

/** An HTML body (CKEditor and the like) as an mdast tree. */
export function htmlToMdast(html: string): Root {
  const root = hastToMdast(fromHtml(html, { fragment: true }));
  root.children = toFlow(root.children);
  return root;
}

const CLOSING_TAG = /^<\/\s*([a-z][a-z\d-]*)\s*>$/i;

/**
 * Inline HTML arrives from the Markdown parser as separate tag nodes around Markdown nodes
 * (`<del>`, text, `</del>`). Rebuild the element tree they describe, with the Markdown nodes
 * carried through as placeholders, and let hast-util-to-mdast decide what each element becomes.
 */
function convertInline(children: PhrasingContent[]): PhrasingContent[] {
  const carried: Nodes[] = [];
  const root: HastRoot = { type: 'root', children: [] };
  const stack: Array<HastRoot | Element> = [root];
  const current = () => stack[stack.length - 1];

  for (const child of children) {
    if (child.type !== 'html') {
      carried.push(child);
      current().children.push({
        type: 'element',
        tagName: CARRIER,
        properties: { dataIndex: carried.length - 1 },
        // Text for handlers that read text content (e.g. `<code>` → inlineCode).
        children: [{ type: 'text', value: plainText(child) }],
      });
      continue;
    }
    // The tag name is all we need from a closing tag; an HTML parser drops a lone `</x>`.
    const closing = CLOSING_TAG.exec(child.value.trim());
    if (closing) {
      const name = closing[1].toLowerCase();
      const at = stack.map((n) => (n.type === 'element' ? n.tagName : '')).lastIndexOf(name);
      if (at > 0) stack.length = at;
      continue;
    }
    for (const node of fromHtml(child.value, { fragment: true }).children) {
      if (node.type === 'comment' || node.type === 'doctype') continue;
      (current().children as ElementContent[]).push(node as ElementContent);
      const selfClosed = /\/\s*>$/.test(child.value.trim());
      if (node.type === 'element' && !VOID_ELEMENTS.has(node.tagName) && !selfClosed && node.children.length === 0) {
        stack.push(node);
      }
    }
  }

  const out: PhrasingContent[] = [];
  for (const node of hastToMdast(root, carried).children) {
    // hast-util-to-mdast may wrap phrasing in a paragraph; inline context needs the phrasing.
    if (node.type === 'paragraph') out.push(...node.children);
    else if (isPhrasing(node as Nodes)) out.push(node as PhrasingContent);
    else out.push({ type: 'text', value: plainText(node as Nodes) });
  }
  return out;
}

/** A block of raw HTML (an HTML block in Markdown) as flow content. */
function convertBlock(html: string): RootContent[] {
  return toFlow(hastToMdast(fromHtml(html, { fragment: true })).children);
}

/**
 * Replaces every raw HTML node of a Markdown tree with its Markdown equivalent, in place. Tags
 * without an equivalent are dropped and their content kept; comments disappear.
 */
export function convertRawHtml(tree: Root): void {
  const walk = (parent: Parent): void => {
    for (const child of parent.children) if ('children' in child) walk(child as Parent);
    if (!parent.children.some((c) => c.type === 'html')) return;
    if (PHRASING_PARENTS.has(parent.type)) {
      parent.children = convertInline(parent.children as PhrasingContent[]) as Parent['children'];
      return;
    }
    const next: RootContent[] = [];
    for (const child of parent.children as RootContent[]) {
      if (child.type !== 'html') next.push(child);
      else next.push(...(convertBlock(child.value) as BlockContent[]));
    }
    parent.children = next as Parent['children'];
  };
  walk(tree);
}
