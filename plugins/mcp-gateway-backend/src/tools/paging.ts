import { z } from 'zod';

/** Past this, an offset is refused: no client pages this far by hand. */
const MAX_CURSOR_OFFSET = 1_000_000;
const MAX_CURSOR_LENGTH = 4096;

/**
 * Cursors carry the tool's own query and an offset, never a catalog cursor:
 * a cursor is decoded while the arguments are validated, its query checked
 * by the same schema as first-page arguments and its offset bounded, and
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

/** What a cursor holds, or undefined if it is not base64url JSON. */
export function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

const envelope = z.strictObject({
  t: z.string(),
  q: z.unknown(),
  o: z.number().int().min(0).max(MAX_CURSOR_OFFSET),
});

/** The `cursor` argument of a paging tool: decoded into its query and offset. */
export function cursorInput<T>(tool: string, querySchema: z.ZodType<T>) {
  const invalid = `The cursor is not valid for ${tool}. Call again without a cursor to start from the first page.`;
  return z
    .string()
    .max(MAX_CURSOR_LENGTH)
    .transform((cursor, ctx) => {
      const parsed = envelope.safeParse(decodeCursor(cursor));
      const query = parsed.success && querySchema.safeParse(parsed.data.q);
      if (
        !parsed.success ||
        parsed.data.t !== tool ||
        !query ||
        !query.success
      ) {
        ctx.addIssue({ code: 'custom', message: invalid });
        return z.NEVER;
      }
      return { query: query.data, offset: parsed.data.o };
    })
    .optional()
    .describe(
      'nextCursor from a previous call, to fetch the next page of the same query. When given, the filters of the original call are used.',
    );
}

/** Results per page. */
export const limitInput = z
  .number()
  .int()
  .min(1)
  .max(100)
  .default(20)
  .describe('Results per page, 1 to 100 (default 20).');

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

export function pageFooter(
  page: {
    totalItems: number;
    offset: number;
    count: number;
    nextCursor?: string;
  },
  noneMatch = 'No entities match.',
): string {
  if (page.totalItems === 0) {
    return noneMatch;
  }
  const range = page.count
    ? `${page.offset + 1}-${page.offset + page.count}`
    : 'none';
  const more = page.nextCursor
    ? ` More: call again with cursor "${page.nextCursor}".`
    : '';
  return `Showing ${range} of ${page.totalItems}.${more}`;
}
