import { stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { TECHDOCS_TYPE } from '../../downstream/search/searchDocuments';
import { cursorInput } from '../paging';
import { DEFAULT_SEARCH_TYPES } from '../../config/gatewayConfig';
import { defineTool } from '../types';
import {
  nextSearchCursor,
  moreLine,
  nextCursorOutput,
  searchLimitInput,
  searchTermInput,
  searchPosition,
  snippetDescription,
  snippetOf,
  withPageCursor,
} from './searchPaging';

const TOOL = 'search';

const query = z.object({
  query: searchTermInput('Words or a phrase to search for'),
  types: z
    .array(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a search document type'),
    )
    .min(1)
    .max(10)
    .optional()
    .describe(
      `Only these document types, e.g. ["${TECHDOCS_TYPE}"]; all types when absent`,
    ),
});

/**
 * The `search` tool, its description naming the document types the
 * adopter's search backend indexes (`mcpGateway.search.types`): Backstage
 * has no API that lists them.
 */
export const createSearchTool = (
  types: ReadonlyArray<{ type: string; description: string }>,
) =>
  defineTool({
    name: TOOL,
    title: 'Search Backstage',
    description:
      "Backstage's own search, across everything its search backend indexes, in relevance order. " +
      `Document types: ${types.map(t => `"${t.type}" (${t.description})`).join(', ')}. ` +
      'Each result has its type, title, a snippet, where Backstage shows it, and for catalog entities and docs the entity ref ' +
      '(read it with get_entity, or the page with get_techdocs and the given path). Cursor for more; no total is given.',
    access: 'read',
    idempotent: true,
    input: query
      .extend({
        query: query.shape.query.optional(),
        limit: searchLimitInput,
        cursor: cursorInput(TOOL, query.extend(withPageCursor)),
      })
      .refine(args => args.query !== undefined || args.cursor !== undefined, {
        path: ['query'],
        message: 'required (unless cursor is given)',
      }),
    output: z.object({
      query: z.string(),
      results: z.array(
        z.object({
          type: z.string().describe('The document type'),
          title: z.string(),
          snippet: z.string().describe(snippetDescription),
          location: z
            .string()
            .describe("Where Backstage's UI shows it (a path of the app)"),
          ref: z.string().optional().describe('The entity it is, or documents'),
          path: z
            .string()
            .optional()
            .describe('For docs: the page, to pass to get_techdocs as path'),
        }),
      ),
      nextCursor: nextCursorOutput,
    }),
    async run({ search }, { limit, cursor, ...args }) {
      const q = cursor?.query ?? query.parse(args);
      const page = await search.query({
        term: q.query,
        ...(q.types && { types: q.types }),
        limit,
        after: searchPosition(cursor),
      });
      // The next cursor carries the query without this page's position.
      const plain = query.parse(q);
      return {
        query: q.query,
        results: page.hits.map(hit => ({
          type: hit.type,
          title: hit.title,
          snippet: snippetOf(hit),
          location: hit.location,
          ...(hit.entity && { ref: stringifyEntityRef(hit.entity) }),
          ...(hit.type === TECHDOCS_TYPE && {
            path: String(hit.document.path ?? ''),
          }),
        })),
        nextCursor: nextSearchCursor(TOOL, plain, page),
      };
    },
    render({ query: term, results, nextCursor }) {
      if (!results.length) return `Nothing matches "${term}".`;
      return [
        `Search results for "${term}":`,
        ...results.map(r => {
          const where = r.ref
            ? `${r.ref}${r.path !== undefined ? `, path "${r.path}"` : ''}`
            : r.location;
          return `- [${r.type}] ${r.title} (${where}): ${r.snippet}`;
        }),
        moreLine(nextCursor),
      ].join('\n');
    },
  });

/** With the types Backstage's own collators index. */
export const searchTool = createSearchTool(DEFAULT_SEARCH_TYPES);
