import { EntityFilterQuery, EntityOrderQuery } from '@backstage/catalog-client';
import { CallerCatalog } from '../../catalog/callerCatalog';
import { encodeCursor } from './paging';
import { EntityItem, ITEM_FIELDS, toItem } from './entitySummary';

export interface PageRequest {
  tool: string;
  /** The normalised query, carried in the next cursor. */
  query: object;
  filter?: EntityFilterQuery;
  fullTextFilter?: { term: string; fields: string[] };
  order: EntityOrderQuery;
  extraFields?: string[];
  limit: number;
  offset: number;
}

export interface Page {
  items: EntityItem[];
  totalItems: number;
  offset: number;
  nextCursor?: string;
}

/** One page of compact items, with the catalog's true total. */
export async function queryPage(
  catalog: CallerCatalog,
  request: PageRequest,
): Promise<Page> {
  const { items, totalItems } = await catalog.query({
    filter: request.filter,
    fullTextFilter: request.fullTextFilter,
    orderFields: request.order,
    fields: [...ITEM_FIELDS, ...(request.extraFields ?? [])],
    limit: request.limit,
    offset: request.offset,
  });
  const next = request.offset + items.length;
  return {
    items: items.map(entity => toItem(entity, request.extraFields)),
    totalItems,
    offset: request.offset,
    nextCursor:
      items.length > 0 && next < totalItems
        ? encodeCursor(request.tool, request.query, next)
        : undefined,
  };
}
