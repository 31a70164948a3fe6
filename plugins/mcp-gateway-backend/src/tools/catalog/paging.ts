import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * Cursors carry the tool's own query and an offset, never a catalog cursor:
 * whatever a caller puts in one is validated like ordinary arguments, and
 * every page is queried afresh (so later visibility rules always apply).
 */
export function encodeCursor(
  tool: string,
  query: object,
  offset: number,
): string {
  return Buffer.from(JSON.stringify({ t: tool, q: query, o: offset })).toString(
    'base64url',
  );
}

export function decodeCursor<T>(
  tool: string,
  cursor: string,
  querySchema: z.ZodType<T>,
): { query: T; offset: number } {
  const invalid = new InputError(
    `The cursor is not valid for ${tool}. Call again without a cursor to start from the first page.`,
  );
  let decoded: { t?: unknown; q?: unknown; o?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const query = querySchema.safeParse(decoded?.q);
  if (
    decoded?.t !== tool ||
    !query.success ||
    !Number.isInteger(decoded.o) ||
    (decoded.o as number) < 0
  ) {
    throw invalid;
  }
  return { query: query.data, offset: decoded.o as number };
}

/** The standard paging arguments. */
export const pagingInput = {
  limit: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .describe('Results per page, 1 to 100 (default 20).'),
  cursor: z
    .string()
    .max(4096)
    .optional()
    .describe(
      'nextCursor from a previous call, to fetch the next page of the same query. When given, the filters of the original call are used.',
    ),
};

export const pagingOutput = {
  totalItems: z
    .number()
    .int()
    .describe('How many entities match in total, across all pages.'),
  offset: z
    .number()
    .int()
    .describe('Position of the first item of this page in the whole result.'),
  nextCursor: z
    .string()
    .optional()
    .describe(
      'Pass to the same tool to get the next page; absent on the last page.',
    ),
};

export function pageFooter(page: {
  totalItems: number;
  offset: number;
  count: number;
  nextCursor?: string;
}): string {
  if (page.totalItems === 0) {
    return 'No entities match.';
  }
  const range = page.count
    ? `${page.offset + 1}-${page.offset + page.count}`
    : 'none';
  const more = page.nextCursor
    ? ` More: call again with cursor "${page.nextCursor}".`
    : '';
  return `Showing ${range} of ${page.totalItems}.${more}`;
}
