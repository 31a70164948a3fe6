import { z } from 'zod';
import { defineTool } from '../types';
import { queryPage } from './entityPage';
import { entityItemSchema, itemLine } from './entitySummary';
import { buildFilter, commonFilterInput } from './filters';
import { cursorInput, limitInput, pageFooter, pagingOutput } from '../paging';

const TEXT_FIELDS = [
  'metadata.name',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
  'spec.profile.displayName',
];

const query = z.object({
  term: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe(
      'A word or phrase, matched case-insensitively as a substring of the name, title, description, tags or display name.',
    ),
  ...commonFilterInput,
});

export const searchCatalogTool = defineTool({
  name: 'search_catalog',
  title: 'Search the catalog',
  description:
    'Full-text search of the Backstage software catalog (services, APIs, systems, resources, teams, people). ' +
    'Returns compact matches sorted by name, with the true total and a cursor for the next page. ' +
    'Use get_entity on a result for detail.',
  access: 'read',
  idempotent: true,
  // The term lives in the cursor when one is given.
  input: query
    .extend({
      term: query.shape.term.optional(),
      limit: limitInput,
      cursor: cursorInput('search_catalog', query),
    })
    .refine(args => args.term !== undefined || args.cursor !== undefined, {
      path: ['term'],
      message: 'required (unless cursor is given)',
    }),
  output: z.object({
    term: z.string(),
    items: z.array(entityItemSchema),
    ...pagingOutput,
  }),
  async run({ catalog }, { limit, cursor, ...args }) {
    const { query: q, offset } = cursor ?? {
      query: query.parse(args),
      offset: 0,
    };
    const page = await queryPage(catalog, {
      tool: 'search_catalog',
      query: q,
      filter: await buildFilter(catalog, q),
      fullTextFilter: { term: q.term, fields: TEXT_FIELDS },
      order: { field: 'metadata.name', order: 'asc' },
      limit,
      offset,
    });
    return { term: q.term, ...page };
  },
  render({ term, items, ...page }) {
    return [
      `Catalog matches for "${term}":`,
      ...items.map(itemLine),
      pageFooter({ ...page, count: items.length }),
    ].join('\n');
  },
});
