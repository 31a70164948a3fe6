import { z } from 'zod';
import { SearchHit, SearchPage } from '../../downstream/search/callerSearch';
import { encodeCursor } from '../paging';

/** Longest snippet a result carries. */
const SNIPPET_CHARS = 280;

/**
 * What a search tool's cursor holds besides the tool's own query: where
 * the backend's results stopped (its page cursor; the hit on that page is
 * the cursor's offset). The query is checked by the tool's schema like
 * first-page arguments, so a forged cursor widens nothing, and every page
 * is filtered afresh.
 */
export const withPageCursor = {
  pageCursor: z.string().max(2048).optional(),
};

/** Results per page of a search tool. */
export const searchLimitInput = z
  .number()
  .int()
  .min(1)
  .max(50)
  .default(10)
  .describe('Results per page, 1 to 50 (default 10).');

export function nextSearchCursor(
  tool: string,
  query: object,
  page: SearchPage,
): string | undefined {
  if (!page.next) return undefined;
  return encodeCursor(
    tool,
    { ...query, pageCursor: page.next.pageCursor },
    page.next.index,
  );
}

/** The first page starts at the backend's first page. */
export function searchPosition(cursor?: {
  query: { pageCursor?: string };
  offset: number;
}) {
  return cursor
    ? { pageCursor: cursor.query.pageCursor, index: cursor.offset }
    : undefined;
}

/**
 * A short excerpt around the first highlighted match (marked **like
 * this**), else the text's start; whitespace collapsed.
 */
export function snippetOf(hit: SearchHit): string {
  const raw = hit.highlight ?? hit.text;
  const match = hit.highlight ? raw.indexOf('**') : -1;
  // A window of the raw text first: collapsing a whole page is wasted work.
  const from = Math.max(0, match - SNIPPET_CHARS);
  const window = raw.slice(from, from + 3 * SNIPPET_CHARS);
  const source = window.replace(/\s+/g, ' ').trim();
  const cutBefore = from > 0;
  const cutAfter = from + window.length < raw.length;
  if (source.length <= SNIPPET_CHARS && !cutBefore && !cutAfter) return source;
  const at = hit.highlight ? source.indexOf('**') : -1;
  const start = Math.max(0, at - SNIPPET_CHARS / 3);
  let excerpt = source.slice(start, start + SNIPPET_CHARS);
  // An excerpt must not leave a highlight half open.
  if ((excerpt.match(/\*\*/g) ?? []).length % 2 === 1) excerpt += '**';
  const before = cutBefore || start > 0 ? '…' : '';
  const after = cutAfter || start + SNIPPET_CHARS < source.length ? '…' : '';
  return `${before}${excerpt}${after}`;
}

export const snippetDescription =
  'An excerpt of the text, with the matched words in **bold** when the search engine marks them';

/** The words a search tool looks for. */
export const searchTermInput = (what: string) =>
  z.string().trim().min(1).max(200).describe(what);

export const nextCursorOutput = z
  .string()
  .optional()
  .describe('Pass as cursor for more results; absent when there are none');

/** The last line of a search tool's text. */
export const moreLine = (nextCursor: string | undefined) =>
  nextCursor
    ? `More: call again with cursor "${nextCursor}".`
    : 'No more results.';
