import {
  AddLocationResponse,
  EntityOrderQuery,
  GetEntityFacetsResponse,
} from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { FilterPredicate } from '@backstage/filter-predicates';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Caller } from '../core/caller';
import {
  CallerDataPolicy,
  FullTextQuery,
  ReadableLookup,
} from '../policy/callerDataPolicy';
import { isPlaceholderRef } from '../policy/elision';

/**
 * A catalog query as operations may ask it: filters only as a structured
 * predicate, which the catalog receives as JSON and never re-parses, so no
 * filter value can smuggle in a second filter.
 */
export interface CatalogQuery {
  query?: FilterPredicate;
  fullTextFilter?: FullTextQuery;
  orderFields?: EntityOrderQuery;
  fields?: string[];
  limit?: number;
  offset?: number;
}

export interface CatalogPage {
  items: Entity[];
  totalItems: number;
}

/**
 * The catalog as operations see it, bound to one call: every request is
 * made with the caller's credentials (so the catalog's own permission
 * policy applies to the real caller), and the agent's data policy shapes
 * what goes in and what comes out. An operation cannot forget either: it
 * has no other way to the catalog.
 */
export class CallerCatalog {
  constructor(
    private readonly catalog: CatalogService,
    private readonly caller: Caller,
    private readonly policy: CallerDataPolicy,
  ) {}

  async query(request: CatalogQuery): Promise<CatalogPage> {
    this.policy.guardQuery({
      predicate: request.query,
      orderFields: request.orderFields,
    });
    const { items, totalItems } = await this.catalog.queryEntities(
      {
        ...request,
        fields: this.policy.fieldsToRead(request.fields),
        fullTextFilter: this.policy.searchable(request.fullTextFilter),
        query: this.policy.withVisibility(request.query),
      },
      this.credentials,
    );
    return {
      items: await this.policy.release(items, request.fields),
      totalItems,
    };
  }

  async getByRef(ref: string): Promise<Entity | undefined> {
    const [entity] = await this.getByRefs([ref]);
    return entity;
  }

  async getByRefs(
    entityRefs: string[],
    fields?: string[],
  ): Promise<Array<Entity | undefined>> {
    const readable = entityRefs.filter(ref => !isPlaceholderRef(ref));
    if (readable.length === 0) return entityRefs.map(() => undefined);
    const { items } = await this.catalog.getEntitiesByRefs(
      {
        entityRefs: readable,
        fields: this.policy.fieldsToRead(fields),
        query: this.policy.visibility,
      },
      this.credentials,
    );
    const released = await this.policy.release(
      items.filter((e): e is Entity => !!e),
      fields,
    );
    const byRef = new Map<string, Entity | undefined>();
    let next = 0;
    readable.forEach((ref, i) =>
      byRef.set(ref, items[i] ? released[next++] : undefined),
    );
    return entityRefs.map(ref => byRef.get(ref));
  }

  /**
   * The entity as the catalog holds it, if the agent may see it, for
   * handing to another Backstage service on the caller's behalf (the
   * scaffolder's dry run takes the template itself). Never for the agent:
   * it is not shaped by the agent's redaction.
   */
  async getForService(ref: string): Promise<Entity | undefined> {
    if (isPlaceholderRef(ref)) return undefined;
    const {
      items: [entity],
    } = await this.catalog.getEntitiesByRefs(
      { entityRefs: [ref], query: this.policy.visibility },
      this.credentials,
    );
    return entity ?? undefined;
  }

  /**
   * Whether a search hit on an entity this call released matches the term
   * only through a redacted value (see CallerDataPolicy).
   */
  matchesOnlyHidden(term: string, shown: string): boolean {
    return this.policy.matchesOnlyRedacted(term, shown);
  }

  /**
   * Asks the catalog to reprocess an entity. Only one this caller can see:
   * the catalog's refresh checks the caller's permission, not the agent's
   * visibility, so that is checked here first.
   */
  async refresh(ref: string): Promise<void> {
    const [visible] = await readableLookup(
      this.catalog,
      this.caller,
      this.policy.visibility,
    )([ref]);
    if (!visible) {
      throw new NotFoundError(`No entity ${ref} is visible to this agent.`);
    }
    await this.catalog.refreshEntity(ref, this.credentials);
  }

  /**
   * Registers a URL location, or with `dryRun` reads it and says what it
   * would add. Which URLs an agent may name is decided before the call
   * runs (locations.allow and the SSRF guard); the catalog then decides
   * with the caller's credentials.
   */
  async addLocation(
    target: string,
    { dryRun }: { dryRun: boolean },
  ): Promise<AddLocationResponse> {
    return this.catalog.addLocation(
      { type: 'url', target, dryRun },
      this.credentials,
    );
  }

  async facets(request: {
    facets: string[];
    query?: FilterPredicate;
  }): Promise<GetEntityFacetsResponse> {
    this.policy.guardQuery({
      predicate: request.query,
      facets: request.facets,
    });
    return this.catalog.getEntityFacets(
      {
        facets: request.facets,
        query: this.policy.withVisibility(request.query),
      },
      this.credentials,
    );
  }

  async *stream(request: {
    query?: FilterPredicate;
    fields?: string[];
  }): AsyncIterable<Entity[]> {
    this.policy.guardQuery({ predicate: request.query });
    for await (const page of this.catalog.streamEntities(
      {
        ...request,
        fields: this.policy.fieldsToRead(request.fields),
        query: this.policy.withVisibility(request.query),
      },
      this.credentials,
    )) {
      yield await this.policy.release(page, request.fields);
    }
  }

  private get credentials() {
    return { credentials: this.caller.credentials };
  }
}

/**
 * Which of these refs the caller may read, within the agent's visibility:
 * one batched catalog read as the caller.
 */
export function readableLookup(
  catalog: CatalogService,
  caller: Caller,
  visibility: FilterPredicate | undefined,
): ReadableLookup {
  return async refs => {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind'], query: visibility },
      { credentials: caller.credentials },
    );
    return items.map(Boolean);
  };
}
