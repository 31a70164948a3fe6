import { EntityOrderQuery } from '@backstage/catalog-client';
import { InputError } from '@backstage/errors';
import { FilterPredicate } from '@backstage/filter-predicates';
import { CallerCatalog } from '../../downstream/callerCatalog';
import { encodeCursor } from '../paging';
import { EntityItem, ITEM_FIELDS, toItem } from './entitySummary';

export interface PageRequest {
  tool: string;
  /** The normalised query, carried in the next cursor. */
  query: object;
  filter?: FilterPredicate;
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
    query: request.filter,
    fullTextFilter: request.fullTextFilter,
    orderFields: request.order,
    fields: [...ITEM_FIELDS, ...(request.extraFields ?? [])],
    limit: request.limit,
    offset: request.offset,
  });
  if (request.offset > 0 && request.offset >= totalItems) {
    throw new InputError(
      `The cursor points past the last result (offset ${request.offset}, ${totalItems} matches now): the results changed since it was made. Call again without a cursor to start from the first page.`,
    );
  }
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
