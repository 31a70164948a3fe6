import {
  NodeHtmlMarkdown,
  PostProcessResult,
  TranslatorConfigFactory,
} from 'node-html-markdown';
import { HTMLElement, Node, TextNode, parse } from 'node-html-parser';
import { randomBytes } from 'node:crypto';
import { resolveSiteHref } from './siteLinks';

/** A docs page as an agent reads it. */
export interface PageMarkdown {
  title: string;
  markdown: string;
}

// `pre` is left out so code blocks parse into elements we can read.
const PARSE_OPTIONS = {
  blockTextElements: { script: true, noscript: true, style: true },
};

const CONTENT_ROOTS = [
  'article.md-content__inner',
  'div.md-content',
  'main',
  'body',
];

const DROPPED_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'NAV',
  'FORM',
  'INPUT',
  'TEXTAREA',
  'SELECT',
  'SVG',
  'BUTTON',
]);
const DROPPED_CLASSES = [
  'headerlink',
  'md-content__button',
  'md-source-file',
  // Chrome, for pages without an article to scope to.
  'md-header',
  'md-footer',
  'md-skip',
  'md-sidebar',
  'md-search',
  'md-dialog',
  'md-banner',
  'md-announce',
  'md-tabs',
  'md-top',
  'md-consent',
];

const BLANK_QUOTE = /^>[> ]*$/;

const LANGUAGE_CLASS = /(?:^|\s)language-([\w+#.-]+)/;

/**
 * Stands in for the code blocks while the rest converts: text no escaping
 * touches, with a per-page secret so the page cannot write one itself.
 */
class CodeBlocks {
  private readonly blocks: string[] = [];
  private readonly mark = `\uE000${randomBytes(8).toString('hex')}:`;
  /** A marker alone on its line, after any quote or list indentation. */
  private readonly alone = new RegExp(
    `^([ \\t>]*)${this.mark}(\\d+)\uE000[ \\t]*$`,
    'gm',
  );
  private readonly anywhere = new RegExp(`${this.mark}(\\d+)\uE000`, 'g');

  add(fenced: string): string {
    this.blocks.push(fenced);
    return `${this.mark}${this.blocks.length - 1}\uE000`;
  }

  startsLine(line: string): boolean {
    return line.replace(/^[ \t>]*/, '').startsWith(this.mark);
  }

  /** Puts the blocks back, each line behind the prefix its marker had. */
  insert(markdown: string): string {
    return this.inline(
      markdown.replace(this.alone, (_, prefix: string, index: string) =>
        (this.blocks[Number(index)] ?? '')
          .split('\n')
          .map(line => (line === '' ? prefix.trimEnd() : prefix + line))
          .join('\n'),
      ),
    );
  }

  /** Blocks where no fence fits (a table cell, a heading) as inline code. */
  inline(markdown: string): string {
    return markdown.replace(this.anywhere, (_, index: string) => {
      const block = this.blocks[Number(index)] ?? '';
      return inlineCode(block.split('\n').slice(1, -1).join(' '));
    });
  }
}

/**
 * Converts a pre-built mkdocs-material page into Markdown: only the article,
 * with code blocks fenced, admonitions quoted and links rewritten to site page
 * keys (see resolveSiteHref) so an agent can follow them.
 */
export function pageToMarkdown(html: string, pagePath: string): PageMarkdown {
  const document = parse(html, PARSE_OPTIONS);
  const root =
    CONTENT_ROOTS.map(selector => document.querySelector(selector)).find(
      (el): el is HTMLElement => el !== null,
    ) ?? document;

  const inArticle = root.tagName === 'ARTICLE';
  removeElements(
    root,
    el =>
      DROPPED_TAGS.has(el.tagName) ||
      DROPPED_CLASSES.some(name => el.classList.contains(name)) ||
      (!inArticle && (el.tagName === 'HEADER' || el.tagName === 'FOOTER')),
  );

  const codeBlocks = extractCodeBlocks(root);
  const links = rewriteLinks(root, pagePath);
  const images = rewriteImages(root, pagePath);
  flattenTabs(root);
  quoteAdmonitions(root);

  const h1 = findElements(root, el => el.tagName === 'H1')[0];
  const title = h1 ? collapse(h1.text) : titleElementText(document);

  const converter = createConverter(links, images, codeBlocks);
  const markdown = codeBlocks.insert(
    tidy(converter.translate(root.innerHTML), codeBlocks),
  );
  return { title, markdown: markdown.trim() };
}

function titleElementText(document: HTMLElement): string {
  const element = document.querySelector('title');
  if (!element) return '';
  const text = collapse(element.text);
  // mkdocs-material titles read '<page> - <site name>'.
  const cut = text.lastIndexOf(' - ');
  return cut < 0 ? text : text.slice(0, cut).trim();
}

/** Replaces each code block by a marker. */
function extractCodeBlocks(root: HTMLElement): CodeBlocks {
  const blocks = new CodeBlocks();
  const replace = (target: HTMLElement, pre: HTMLElement) => {
    const code = findElements(pre, el => el.tagName === 'CODE')[0] ?? pre;
    const language = codeLanguage([
      code,
      pre,
      target,
      pre.parentNode,
      target.parentNode,
    ]);
    const marker = createElement('p');
    marker.appendChild(
      new TextNode(blocks.add(fence(codeText(code), language))),
    );
    replaceNode(target, [marker]);
  };
  // Line-numbered blocks put the numbers in a cell of their own.
  const tables = findElements(
    root,
    el => el.tagName === 'TABLE' && el.classList.contains('highlighttable'),
  );
  for (const table of tables) {
    const cell = findElements(
      table,
      el => el.tagName === 'TD' && el.classList.contains('code'),
    )[0];
    const pre = cell && findElements(cell, el => el.tagName === 'PRE')[0];
    if (pre) replace(table, pre);
  }
  for (const pre of findElements(root, el => el.tagName === 'PRE')) {
    replace(pre, pre);
  }
  return blocks;
}

function codeLanguage(candidates: (HTMLElement | null)[]): string {
  for (const el of candidates) {
    const language = LANGUAGE_CLASS.exec(el?.getAttribute('class') ?? '')?.[1];
    if (language) return language;
    if (el?.classList.contains('mermaid')) return 'mermaid';
  }
  return '';
}

function codeText(code: HTMLElement): string {
  // Inline line numbers are text in older pymdownx output.
  for (const number of findElements(code, el =>
    el.classList.contains('linenos'),
  )) {
    number.remove();
  }
  return code.text.replace(/\r\n?/g, '\n').replace(/^\n+/, '').trimEnd();
}

function fence(code: string, language: string): string {
  let longest = 0;
  for (const run of code.match(/`+/g) ?? []) {
    longest = Math.max(longest, run.length);
  }
  const marker = '`'.repeat(Math.max(3, longest + 1));
  return `${marker}${language}\n${code}\n${marker}`;
}

function inlineCode(code: string): string {
  let longest = 0;
  for (const run of code.match(/`+/g) ?? []) {
    longest = Math.max(longest, run.length);
  }
  const marker = '`'.repeat(longest + 1);
  const padding = longest > 0 ? ' ' : '';
  return `${marker}${padding}${code}${padding}${marker}`;
}

/** Replaces each link's attributes by an index into the resolved targets. */
function rewriteLinks(root: HTMLElement, pagePath: string): string[] {
  const targets: string[] = [];
  for (const a of findElements(root, el => el.tagName === 'A')) {
    const href = a.getAttribute('href');
    const target =
      href === undefined ? undefined : resolveSiteHref(href, pagePath);
    if (target === undefined) {
      // The text stays readable; only the way out goes.
      replaceNode(a, a.childNodes);
    } else {
      targets.push(target);
      a.setAttributes({ 'data-link': String(targets.length - 1) });
    }
  }
  return targets;
}

interface Image {
  alt: string;
  src: string;
}

function rewriteImages(root: HTMLElement, pagePath: string): Image[] {
  const images: Image[] = [];
  for (const img of findElements(root, el => el.tagName === 'IMG')) {
    const alt = collapse(img.getAttribute('alt') ?? '');
    const src = img.getAttribute('src');
    const target =
      src === undefined ? undefined : resolveSiteHref(src, pagePath);
    if (target === undefined) {
      replaceNode(img, [new TextNode(escapeHtml(alt))]);
    } else {
      images.push({ alt, src: target });
      img.setAttributes({ 'data-image': String(images.length - 1) });
    }
  }
  return images;
}

/** Content tabs: each tab's label as a bold line above its content. */
function flattenTabs(root: HTMLElement): void {
  // Innermost first, so an outer set moves already-flattened inner ones.
  const sets = findElements(root, el => el.classList.contains('tabbed-set'));
  for (const set of sets.reverse()) {
    const labelRow = childElements(set, el =>
      el.classList.contains('tabbed-labels'),
    )[0];
    const content = childElements(set, el =>
      el.classList.contains('tabbed-content'),
    );
    // Older markup alternates a label and its content directly in the set.
    const labels = childElements(labelRow ?? set, el => el.tagName === 'LABEL');
    const blocks = labelRow
      ? childElements(content[0] ?? set, el =>
          el.classList.contains('tabbed-block'),
        )
      : content;

    const flat = createElement('div');
    blocks.forEach((block, i) => {
      const label = labels[i];
      if (label) flat.appendChild(boldLine(label.childNodes));
      adopt(flat, block.childNodes);
    });
    replaceNode(set, [flat]);
  }
}

/** Admonitions and collapsible blocks become quotes titled `**Title** (type)`. */
function quoteAdmonitions(root: HTMLElement): void {
  // Innermost first, so an outer box moves already-converted inner ones.
  const boxes = findElements(
    root,
    el =>
      el.tagName === 'DETAILS' ||
      (el.tagName === 'DIV' && el.classList.contains('admonition')),
  );
  for (const box of boxes.reverse()) {
    const type = admonitionType(box);
    const titleElement = childElements(box, el =>
      box.tagName === 'DETAILS'
        ? el.tagName === 'SUMMARY'
        : el.classList.contains('admonition-title'),
    )[0];
    titleElement?.remove();
    const titleText = titleElement ? collapse(titleElement.text) : '';

    const quote = createElement('blockquote');
    if (titleElement && titleText) {
      const heading = boldLine(titleElement.childNodes);
      if (type && titleText.toLowerCase() !== type.toLowerCase()) {
        heading.appendChild(new TextNode(` (${type})`));
      }
      quote.appendChild(heading);
    } else if (type) {
      const name = `${type[0].toUpperCase()}${type.slice(1)}`;
      quote.appendChild(boldLine([new TextNode(name)]));
    }
    adopt(quote, box.childNodes);
    replaceNode(box, [quote]);
  }
}

/** A paragraph of its own holding `nodes` in bold. */
function boldLine(nodes: Node[]): HTMLElement {
  const strong = createElement('strong');
  adopt(strong, nodes);
  const line = createElement('p');
  line.appendChild(strong);
  return line;
}

const NOT_A_TYPE = new Set(['admonition', 'inline', 'end']);

function admonitionType(box: HTMLElement): string {
  const type = (box.getAttribute('class') ?? '')
    .split(/\s+/)
    .find(name => name && !NOT_A_TYPE.has(name));
  // Only a plain word is shown, as the class attribute is page-controlled.
  return type && /^[\w-]+$/.test(type) ? type : '';
}

function createConverter(
  links: string[],
  images: Image[],
  codeBlocks: CodeBlocks,
): NodeHtmlMarkdown {
  const link: TranslatorConfigFactory = ({ node, visitor }) => {
    const target = links[Number(node.getAttribute('data-link'))];
    if (target === undefined) return {};
    return {
      prefix: '[',
      postfix: `](${destination(target)})`,
      childTranslators: visitor.instance.aTagTranslators,
      postprocess: ({ content }) =>
        content.trim() === '' ? PostProcessResult.RemoveNode : oneLine(content),
    };
  };
  const image: TranslatorConfigFactory = ({ node }) => {
    const target = images[Number(node.getAttribute('data-image'))];
    if (target === undefined) return { ignore: true };
    const alt = target.alt.replace(/[\\[\]]/g, '\\$&');
    return {
      content: `![${alt}](${destination(target.src)})`,
      recurse: false,
    };
  };
  // The library escapes only the first '|' of a cell, which splits the row.
  const cell: TranslatorConfigFactory = ({ visitor }) => ({
    surroundingNewlines: false,
    childTranslators: visitor.instance.tableCellTranslators,
    prefix: ' ',
    postfix: ' |',
    postprocess: ({ content }) =>
      oneLine(codeBlocks.inline(content).replace(/\|/g, '\\|')),
  });

  const converter = new NodeHtmlMarkdown(
    {
      maxConsecutiveNewlines: 2,
      // The stock pattern also escapes '1. ' in mid-line text.
      lineStartEscape: [
        /^(\s*?)(?:((?:\+\s)|(?:[=>-])|(?:#{1,6}\s))|(\d+)(\.\s))/gm,
        '$1$3\\$2$4',
      ],
      // Text that reads as a tag would vanish when the Markdown is rendered.
      textReplace: [[/<(?=[A-Za-z/!?])/g, '\\<']],
    },
    { a: link, img: image },
  );
  const code = converter.translators.get('code');
  converter.aTagTranslators.set('img', image);
  converter.aTagTranslators.set('code', code);
  converter.tableTranslators.set('th,td', cell);
  converter.tableRowTranslators.set('th,td', cell);
  converter.tableCellTranslators.set('a', link);
  converter.tableCellTranslators.set('img', image);
  converter.tableCellTranslators.set('code', code);
  converter.tableCellTranslators.set('br', { content: ' ', recurse: false });
  return converter;
}

/** Encodes what would end or break a Markdown link destination. */
function destination(target: string): string {
  return target.replace(/[\s()<>]/g, c => {
    if (c === '(') return '%28';
    if (c === ')') return '%29';
    return encodeURIComponent(c);
  });
}

/**
 * Drops trailing whitespace that is not a line break, and keeps at most one
 * blank line in a row. Line by line, as regular expressions over runs of
 * table padding backtrack badly. Code blocks are not in the text yet.
 */
function tidy(markdown: string, codeBlocks: CodeBlocks): string {
  const lines = markdown.split('\n');
  const kept: string[] = [];
  lines.forEach((line, i) => {
    const text = line.trimEnd();
    const blank = text === '' || BLANK_QUOTE.test(text);
    if (blank && (kept.length === 0 || kept[kept.length - 1] === text)) return;
    const next = lines[i + 1]?.trim() ?? '';
    // Two trailing spaces are a line break, needed only before more text;
    // a fence starts a line of its own anyway.
    const lineBreak =
      line.endsWith('  ') &&
      !blank &&
      next !== '' &&
      !BLANK_QUOTE.test(next) &&
      !codeBlocks.startsLine(next);
    kept.push(lineBreak ? `${text}  ` : text);
  });
  return kept.join('\n');
}

// Tree edits by hand: the library's selector-based helpers compile a selector
// per call and its insertion helpers spread arguments, both slow on big pages.

function createElement(tagName: string): HTMLElement {
  return new HTMLElement(tagName, {});
}

/** Moves `nodes` to the end of `parent`. */
function adopt(parent: HTMLElement, nodes: Node[]): void {
  for (const node of nodes.slice()) {
    node.parentNode = parent;
    parent.childNodes.push(node);
  }
}

function replaceNode(old: Node, nodes: Node[]): void {
  const parent = old.parentNode;
  if (!parent) return;
  const moved = nodes.slice();
  for (const node of moved) node.parentNode = parent;
  const at = parent.childNodes.indexOf(old);
  parent.childNodes = [
    ...parent.childNodes.slice(0, at),
    ...moved,
    ...parent.childNodes.slice(at + 1),
  ];
  old.parentNode = null;
}

function childElements(
  el: HTMLElement,
  accept: (child: HTMLElement) => boolean,
): HTMLElement[] {
  return el.children.filter(accept);
}

/** Removes the descendants of `root` that `accept` takes, with their own. */
function removeElements(
  root: HTMLElement,
  accept: (el: HTMLElement) => boolean,
): void {
  const stack = [root];
  for (let next = stack.pop(); next; next = stack.pop()) {
    next.childNodes = next.childNodes.filter(
      child => !(child instanceof HTMLElement && accept(child)),
    );
    for (const child of next.children) stack.push(child);
  }
}

/** Descendants of `el` that `accept` takes, in document order. */
function findElements(
  el: HTMLElement,
  accept: (child: HTMLElement) => boolean,
): HTMLElement[] {
  const found: HTMLElement[] = [];
  const stack = [el];
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (next !== el && accept(next)) found.push(next);
    const children = next.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return found;
}

/** Joins lines with single spaces, without regular-expression backtracking. */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
    .join(' ');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
