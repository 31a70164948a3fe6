import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { TECHDOCS_TYPE } from '../../downstream/search/searchDocuments';
import { entityRefInput } from '../catalog/getEntity';
import { fullRef, resolveEntity } from '../catalog/entityRefs';
import { commonFilterInput } from '../catalog/filters';
import { cursorInput } from '../paging';
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
} from '../search/searchPaging';
import { defineTool } from '../types';

const TOOL = 'search_techdocs';

const query = z.object({
  query: searchTermInput('Words or a phrase to find in the documentation'),
  ref: entityRefInput
    .optional()
    .describe('Only the docs of this entity (a name, kind:name or full ref)'),
  kind: commonFilterInput.kind,
  owner: commonFilterInput.owner,
});

export const searchTechdocsTool = defineTool({
  name: TOOL,
  title: 'Search the documentation',
  description:
    "Full-text search across the TechDocs of the catalog's entities (runbooks, architecture notes, how-tos). " +
    'Each result names the entity, the page title and the path to pass to get_techdocs with that ref, with a snippet. ' +
    'Narrow by ref, kind or owner. Results come in relevance order with a cursor for more; no total is given.',
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
        ref: z.string().describe('The entity the page documents'),
        title: z.string().describe('The page or section title'),
        path: z
          .string()
          .describe('The page in the site: pass to get_techdocs as path'),
        snippet: z.string().describe(snippetDescription),
      }),
    ),
    nextCursor: nextCursorOutput,
  }),
  async run({ catalog, search }, { limit, cursor, ...args }) {
    const q = cursor?.query ?? query.parse(args);
    const entity = q.ref ? await resolveEntity(catalog, q.ref) : undefined;
    const owner = q.owner && fullRef(q.owner, 'group');
    const kind = q.kind?.toLowerCase();
    const page = await search.query({
      term: q.query,
      types: [TECHDOCS_TYPE],
      // The engine narrows; the exact test below decides.
      ...(entity && {
        filters: {
          kind: entity.kind,
          namespace: entity.metadata.namespace ?? 'default',
          name: entity.metadata.name,
        },
      }),
      keep: candidate =>
        (!entity || sameEntity(candidate, entity)) &&
        (!kind || candidate.kind.toLowerCase() === kind) &&
        (!owner || ownerOf(candidate) === owner),
      limit,
      after: searchPosition(cursor),
    });
    // The next cursor carries the query without this page's position.
    const plain = query.parse(q);
    return {
      query: q.query,
      results: page.hits.map(hit => ({
        ref: stringifyEntityRef(hit.entity!),
        title: hit.title,
        path: String(hit.document.path ?? ''),
        snippet: snippetOf(hit),
      })),
      nextCursor: nextSearchCursor(TOOL, plain, page),
    };
  },
  render({ query: term, results, nextCursor }) {
    if (!results.length) return `No documentation matches "${term}".`;
    return [
      `Documentation matches for "${term}":`,
      ...results.map(
        r => `- ${r.title} (${r.ref}, path "${r.path}"): ${r.snippet}`,
      ),
      moreLine(nextCursor),
    ].join('\n');
  },
});

function sameEntity(a: Entity, b: Entity): boolean {
  return (
    stringifyEntityRef(a).toLowerCase() === stringifyEntityRef(b).toLowerCase()
  );
}

/** The owner as the catalog resolved it (the ownedBy relation), lower-case. */
function ownerOf(entity: Entity): string | undefined {
  return entity.relations
    ?.find(relation => relation.type === 'ownedBy')
    ?.targetRef.toLowerCase();
}
