import { z } from 'zod';
import { defineTool } from '../types';
import { queryPage } from './entityPage';
import { entityItemSchema, itemLine } from './entitySummary';
import { buildFilter, commonFilterInput, extraFilterInput } from './filters';
import { cursorInput, limitInput, pageFooter, pagingOutput } from '../paging';

const ORDER_FIELDS = {
  name: 'metadata.name',
  title: 'metadata.title',
  kind: 'kind',
  type: 'spec.type',
  lifecycle: 'spec.lifecycle',
  namespace: 'metadata.namespace',
} as const;

const fieldPath = z
  .string()
  .regex(
    /^[A-Za-z0-9_./-]+$/,
    'must be a dotted path such as spec.profile.email',
  )
  .max(200);

const query = z.object({
  ...commonFilterInput,
  ...extraFilterInput,
  orderBy: z
    .enum(Object.keys(ORDER_FIELDS) as [keyof typeof ORDER_FIELDS])
    .default('name')
    .describe(
      'Sort field (default name). Entities without the field come last.',
    ),
  order: z.enum(['asc', 'desc']).default('asc'),
  fields: z
    .array(fieldPath)
    .max(20)
    .optional()
    .describe(
      'Extra fields to include for each entity, as dotted paths, e.g. ["spec.profile.email", "metadata.annotations"].',
    ),
});

export const listEntitiesTool = defineTool({
  name: 'list_entities',
  title: 'List catalog entities',
  description:
    'Lists catalog entities that match exact filters (kind, type, namespace, owner, lifecycle, system, domain, tag, annotation), ' +
    'in a stable order, with the true total and a cursor for the next page. Use search_catalog for free text.',
  access: 'read',
  idempotent: true,
  input: query.extend({
    limit: limitInput,
    cursor: cursorInput('list_entities', query),
  }),
  output: z.object({
    items: z.array(entityItemSchema),
    ...pagingOutput,
  }),
  async run({ catalog }, { limit, cursor, ...args }) {
    const { query: q, offset } = cursor ?? { query: args, offset: 0 };
    return queryPage(catalog, {
      tool: 'list_entities',
      query: q,
      filter: await buildFilter(catalog, q),
      order: { field: ORDER_FIELDS[q.orderBy], order: q.order },
      extraFields: q.fields,
      limit,
      offset,
    });
  },
  render({ items, ...page }) {
    return [
      ...items.map(itemLine),
      pageFooter({ ...page, count: items.length }),
    ].join('\n');
  },
});
