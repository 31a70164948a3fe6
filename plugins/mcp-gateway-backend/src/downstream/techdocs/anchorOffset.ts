import { parse } from 'node-html-parser';

/**
 * Where the heading an anchor names starts in a page's Markdown, so that a
 * path such as `reference/error-codes/#pay-1175` can be read from that
 * section on; undefined when no heading has that id.
 */
export function anchorOffset(
  html: string,
  markdown: string,
  anchor: string,
): number | undefined {
  const escaped = anchor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const heading = new RegExp(
    `<h([1-6])\\b[^>]*\\sid="${escaped}"[^>]*>([\\s\\S]*?)</h\\1>`,
  ).exec(html);
  if (!heading) return undefined;
  const fragment = parse(heading[2]);
  fragment.querySelectorAll('a.headerlink').forEach(link => link.remove());
  const title = fragment.text.replace(/\s+/g, ' ').trim();
  if (!title) return undefined;
  const line = plain(`${'#'.repeat(Number(heading[1]))} ${title}`);
  let offset = 0;
  for (const text of markdown.split('\n')) {
    if (plain(text) === line) return offset;
    offset += text.length + 1;
  }
  return undefined;
}

/** A heading line without the marks Markdown adds (escapes, emphasis, code). */
function plain(line: string): string {
  return line
    .replace(/[\\*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
